package pcapfile

import (
	"encoding/binary"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

const capturesDir = "../../testdata/pcaps"

// TestCapturesDatagramCount checks the number of UDP/6343 datagrams of every
// capture against the "datagrams" figure of its tshark summary.
func TestCapturesDatagramCount(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(capturesDir, "*.pcap"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in %s: %v", capturesDir, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(capturesDir, "summaries", filepath.Base(f)+".summary.json"))
			if err != nil {
				t.Fatal(err)
			}
			var sum struct{ Datagrams int }
			if err := json.Unmarshal(raw, &sum); err != nil {
				t.Fatal(err)
			}
			dgs, err := ReadAll(f, 6343)
			if err != nil {
				t.Fatal(err)
			}
			if len(dgs) != sum.Datagrams {
				t.Errorf("datagrams: got %d, summary says %d", len(dgs), sum.Datagrams)
			}
		})
	}
}

// TestIPv6Transport: every one of the 25 frames of tcpdump-sflow-print-v6 is
// Ethernet/IPv6/UDP from [30::1:1:1]:36123 (checked by hand: EtherType 0x86DD
// in all 25). PROVENANCE.md says "20 over IPv6, 5 over IPv4": the 5 "IPv4"
// are tshark's ip.src of the IPv4 packets *sampled inside* the datagrams
// (10.10.10.2 -> 50.1.1.2), not the transport.
func TestIPv6Transport(t *testing.T) {
	dgs, err := ReadAll(filepath.Join(capturesDir, "tcpdump-sflow-print-v6.pcap"), 6343)
	if err != nil {
		t.Fatal(err)
	}
	got := map[bool]int{}
	for _, d := range dgs {
		got[d.Src.Addr().Is6()]++
		if len(d.Payload) < 28 || binary.BigEndian.Uint32(d.Payload) != 5 {
			t.Errorf("payload does not start with sFlow version 5: % x", d.Payload[:min(8, len(d.Payload))])
		}
	}
	if diff := cmp.Diff(map[bool]int{true: 25}, got); diff != "" {
		t.Errorf("IPv6 / IPv4 transport (-want +got):\n%s", diff)
	}
}

// TestVLANTaggedCapture: the nxthdr capture is 802.1Q-tagged Ethernet.
func TestVLANTaggedCapture(t *testing.T) {
	dgs, err := ReadAll(filepath.Join(capturesDir, "nxthdr-sflow-parser-sflow.pcap"), 6343)
	if err != nil {
		t.Fatal(err)
	}
	if len(dgs) != 1 || dgs[0].Dst.Port() != 6343 || len(dgs[0].Payload) == 0 {
		t.Fatalf("got %+v", dgs)
	}
}

// udpIPv4 builds an IPv4/UDP packet; frag sets the fragment offset field.
func udpIPv4(src, dst [4]byte, sport, dport uint16, frag uint16, payload []byte) []byte {
	b := make([]byte, 28+len(payload))
	b[0] = 0x45
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
	binary.BigEndian.PutUint16(b[6:], frag)
	b[8], b[9] = 64, 17
	copy(b[12:], src[:])
	copy(b[16:], dst[:])
	binary.BigEndian.PutUint16(b[20:], sport)
	binary.BigEndian.PutUint16(b[22:], dport)
	binary.BigEndian.PutUint16(b[24:], uint16(8+len(payload)))
	copy(b[28:], payload)
	return b
}

// udpIPv6 builds an IPv6/UDP packet.
func udpIPv6(src, dst [16]byte, sport, dport uint16, payload []byte) []byte {
	b := make([]byte, 48+len(payload))
	b[0] = 0x60
	binary.BigEndian.PutUint16(b[4:], uint16(8+len(payload)))
	b[6], b[7] = 17, 64
	copy(b[8:], src[:])
	copy(b[24:], dst[:])
	binary.BigEndian.PutUint16(b[40:], sport)
	binary.BigEndian.PutUint16(b[42:], dport)
	binary.BigEndian.PutUint16(b[44:], uint16(8+len(payload)))
	copy(b[48:], payload)
	return b
}

// ether wraps an IP packet in Ethernet with VLAN tags of the given TPIDs
// (outermost first) and then EtherType et.
func ether(tags []uint16, et uint16, ip []byte) []byte {
	b := make([]byte, 12, 14+4*len(tags)+len(ip)+8)
	for _, tpid := range tags {
		b = binary.BigEndian.AppendUint16(b, tpid)
		b = binary.BigEndian.AppendUint16(b, 42)
	}
	b = binary.BigEndian.AppendUint16(b, et)
	b = append(b, ip...)
	return append(b, 0, 0, 0, 0) // Ethernet padding/FCS must be cut by the IP length
}

// TestPcapNG writes a pcapng file with Ethernet (QinQ), raw IP and null
// interfaces and reads it back.
func TestPcapNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.pcapng")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pcapgo.NewNgWriter(f, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	rawIf, err := w.AddInterface(pcapgo.NgInterface{LinkType: layers.LinkTypeRaw, SnapLength: 65535})
	if err != nil {
		t.Fatal(err)
	}
	nullIf, err := w.AddInterface(pcapgo.NgInterface{LinkType: layers.LinkTypeNull, SnapLength: 65535})
	if err != nil {
		t.Fatal(err)
	}
	a4, b4 := [4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}
	a6 := netip.MustParseAddr("2001:db8::1").As16()
	b6 := netip.MustParseAddr("2001:db8::2").As16()
	ts := time.Unix(1700000000, 0).UTC()
	frames := []struct {
		iface int
		data  []byte
	}{
		{0, ether([]uint16{etherTypeQinQ, etherTypeVLAN}, etherTypeIPv4, udpIPv4(a4, b4, 1000, 6343, 0, []byte("one")))},
		{0, ether(nil, etherTypeIPv4, udpIPv4(a4, b4, 1000, 9999, 0, []byte("other port")))},
		{0, ether(nil, etherTypeIPv4, udpIPv4(a4, b4, 1000, 6343, 0x2000, []byte("fragment")))},
		{rawIf, udpIPv6(a6, b6, 2000, 6343, []byte("two"))},
		{nullIf, append([]byte{2, 0, 0, 0}, udpIPv4(b4, a4, 3000, 6343, 0, []byte("three"))...)},
		{0, []byte{1, 2, 3}},
	}
	for i, fr := range frames {
		ci := gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(i) * time.Second), CaptureLength: len(fr.data), Length: len(fr.data), InterfaceIndex: fr.iface}
		if err := w.WritePacket(ci, fr.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r, err := Open(path, 6343)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []Datagram
	for {
		d, err := r.Next()
		if err != nil {
			break
		}
		d.Payload = append([]byte(nil), d.Payload...)
		got = append(got, d)
	}
	want := []Datagram{
		{ts, netip.AddrPortFrom(netip.AddrFrom4(a4), 1000), netip.AddrPortFrom(netip.AddrFrom4(b4), 6343), []byte("one")},
		{ts.Add(3 * time.Second), netip.AddrPortFrom(netip.AddrFrom16(a6), 2000), netip.AddrPortFrom(netip.AddrFrom16(b6), 6343), []byte("two")},
		{ts.Add(4 * time.Second), netip.AddrPortFrom(netip.AddrFrom4(b4), 3000), netip.AddrPortFrom(netip.AddrFrom4(a4), 6343), []byte("three")},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }), cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
		t.Errorf("datagrams (-want +got):\n%s", diff)
	}
	if r.Skipped() != 3 || r.Fragments() != 1 {
		t.Errorf("Skipped() = %d, Fragments() = %d, want 3, 1", r.Skipped(), r.Fragments())
	}
}

// TestSLL2 writes a classic pcap of link type LINUX_SLL2 (276, which does
// not fit gopacket's 8-bit LinkType) by hand.
func TestSLL2(t *testing.T) {
	hdr := make([]byte, 24)
	binary.LittleEndian.PutUint32(hdr[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], 65535)
	binary.LittleEndian.PutUint32(hdr[20:], 276)
	sll2 := make([]byte, 20)
	binary.BigEndian.PutUint16(sll2[0:], etherTypeIPv4)
	frame := append(sll2, udpIPv4([4]byte{10, 0, 0, 1}, [4]byte{10, 0, 0, 2}, 5, 6343, 0, []byte("sll2"))...)
	rec := make([]byte, 16)
	binary.LittleEndian.PutUint32(rec[0:], 1700000000)
	binary.LittleEndian.PutUint32(rec[8:], uint32(len(frame)))
	binary.LittleEndian.PutUint32(rec[12:], uint32(len(frame)))
	path := filepath.Join(t.TempDir(), "sll2.pcap")
	if err := os.WriteFile(path, append(append(hdr, rec...), frame...), 0o600); err != nil {
		t.Fatal(err)
	}
	dgs, err := ReadAll(path, 6343)
	if err != nil {
		t.Fatal(err)
	}
	if len(dgs) != 1 || string(dgs[0].Payload) != "sll2" {
		t.Fatalf("got %+v", dgs)
	}
}

// TestNotACapture checks that other files are refused.
func TestNotACapture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.txt")
	if err := os.WriteFile(path, []byte("hello, world, not a pcap"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, 6343); err == nil {
		t.Fatal("Open of a text file succeeded")
	}
}
