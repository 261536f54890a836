package sflow

import (
	"net"
	"testing"

	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/monitoring"

	"github.com/sflowbeat/sflowbeat/config"
)

// TestParseSocketLine reads /proc/net/udp lines: only the listed inodes
// count; rx_queue is hex, drops decimal.
func TestParseSocketLine(t *testing.T) {
	line := []byte("  812: 0100007F:18C7 00000000:0000 07 00000000:0001A0C0 00:00000000 00000000     0        0 4242 2 0000000000000000 1234")
	d, q, ok := parseSocketLine(line, map[uint64]bool{4242: true})
	if !ok || d != 1234 || q != 0x1A0C0 {
		t.Errorf("got drops %d, queued %d, ok %v", d, q, ok)
	}
	if _, _, ok := parseSocketLine(line, map[uint64]bool{1: true}); ok {
		t.Error("a socket of another inode was counted")
	}
}

// TestKernelStatsCountsEverySocket: datagrams sent to two SO_REUSEPORT
// sockets with small buffers, and never read, are dropped by the kernel;
// the count is the sum over both sockets (libbeat's netmetrics stops at
// the first socket of an address, and misses port 0).
func TestKernelStatsCountsEverySocket(t *testing.T) {
	c := config.DefaultInput()
	c.ReadBuffer = 4096
	var conns []*net.UDPConn
	addr := "127.0.0.1:0"
	for range 2 {
		conn, err := listen(c, addr, logp.NewNopLogger())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conns = append(conns, conn)
		addr = conn.LocalAddr().String()
	}
	reg := monitoring.NewRegistry()
	drops, queued := monitoring.NewUint(reg, "drops"), monitoring.NewUint(reg, "queued")
	k := startKernelStats(conns, drops, queued)
	defer k.close()
	if len(k.inodes) != 2 {
		t.Fatalf("found the inodes of %d sockets, want 2", len(k.inodes))
	}
	payload := make([]byte, 1400)
	for range 300 { // each from its own source port: the kernel spreads them over both sockets
		s, err := net.Dial("udp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = s.Write(payload)
		s.Close()
	}
	k.read()
	var perSocket []uint64
	for ino := range k.inodes {
		d, _ := sumSockets("/proc/net/udp", map[uint64]bool{ino: true})
		perSocket = append(perSocket, d)
	}
	if drops.Get() != perSocket[0]+perSocket[1] || perSocket[0] == 0 || perSocket[1] == 0 {
		t.Errorf("drops %d, per socket %v: want the sum over both sockets, each dropping", drops.Get(), perSocket)
	}
	if queued.Get() == 0 {
		t.Error("nothing counted as waiting in the receive buffers")
	}
}
