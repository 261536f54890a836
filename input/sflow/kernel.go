package sflow

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/elastic/elastic-agent-libs/monitoring"
)

// kernelPeriod is how often the kernel's view of the sockets is read.
const kernelPeriod = 2 * time.Second

// kernelStats keeps system_packet_drops and receive_queue_length of an
// input up to date from /proc/net/udp and /proc/net/udp6 (Linux): the
// datagrams the kernel dropped because the socket receive buffers were
// full, and what waits in them, summed over the input's sockets. It finds
// them by inode, so that every SO_REUSEPORT socket counts, and port 0
// works (libbeat's netmetrics matches the configured address and stops at
// its first socket).
type kernelStats struct {
	inodes map[uint64]bool
	drops  *monitoring.Uint
	queued *monitoring.Uint
	stop   chan struct{}
	done   sync.WaitGroup
}

// startKernelStats starts polling for conns; the metrics are set in place.
// Off Linux, or without /proc, it does nothing.
func startKernelStats(conns []*net.UDPConn, drops, queued *monitoring.Uint) *kernelStats {
	k := &kernelStats{inodes: map[uint64]bool{}, drops: drops, queued: queued, stop: make(chan struct{})}
	for _, c := range conns {
		if ino, ok := socketInode(c); ok {
			k.inodes[ino] = true
		}
	}
	if _, err := os.Stat("/proc/net/udp"); err != nil || len(k.inodes) == 0 || drops == nil {
		return k
	}
	k.done.Add(1)
	go k.poll()
	return k
}

// socketInode returns the inode of a socket.
func socketInode(c *net.UDPConn) (uint64, bool) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, false
	}
	var st syscall.Stat_t
	var serr error
	if err := raw.Control(func(fd uintptr) { serr = syscall.Fstat(int(fd), &st) }); err != nil || serr != nil {
		return 0, false
	}
	return st.Ino, true
}

// poll reads the tables every kernelPeriod until close.
func (k *kernelStats) poll() {
	defer k.done.Done()
	t := time.NewTicker(kernelPeriod)
	defer t.Stop()
	for {
		k.read()
		select {
		case <-t.C:
		case <-k.stop:
			return
		}
	}
}

// read sums the drops and receive queues of the input's sockets.
func (k *kernelStats) read() {
	var drops, queued uint64
	for _, path := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		d, q := sumSockets(path, k.inodes)
		drops, queued = drops+d, queued+q
	}
	k.drops.Set(drops)
	if k.queued != nil {
		k.queued.Set(queued)
	}
}

// sumSockets returns the drops and rx_queue bytes of the sockets of a
// /proc/net/udp{,6} table whose inode is in inodes.
func sumSockets(path string, inodes map[uint64]bool) (drops, queued uint64) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Scan() // the header
	for s.Scan() {
		d, q, ok := parseSocketLine(s.Bytes(), inodes)
		if ok {
			drops, queued = drops+d, queued+q
		}
	}
	return drops, queued
}

// parseSocketLine reads one line of /proc/net/udp: "sl local_address
// rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
// ref pointer drops".
func parseSocketLine(line []byte, inodes map[uint64]bool) (drops, queued uint64, ok bool) {
	f := bytes.Fields(line)
	if len(f) < 13 {
		return 0, 0, false
	}
	ino, err := strconv.ParseUint(string(f[9]), 10, 64)
	if err != nil || !inodes[ino] {
		return 0, 0, false
	}
	if _, rx, found := bytes.Cut(f[4], []byte(":")); found {
		queued, _ = strconv.ParseUint(string(rx), 16, 64)
	}
	drops, _ = strconv.ParseUint(string(f[12]), 10, 64)
	return drops, queued, true
}

// close stops polling, after a last read.
func (k *kernelStats) close() {
	select {
	case <-k.stop:
	default:
		close(k.stop)
	}
	k.done.Wait()
}
