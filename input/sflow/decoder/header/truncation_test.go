package header

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// TestTruncation cuts every case at every length 0..len. At each length:
// no panic; no layer that the full header lacks; every layer present at n
// is present at n+1; every field present equals its full-length value; and
// a result that differs from the full one is marked Truncated.
func TestTruncation(t *testing.T) {
	p := NewParser()
	p.strict = true // a panic fails the test instead of being recovered
	for _, c := range cases(t) {
		var full decoded.Packet
		p.Parse(c.proto, c.data, &full)
		var prev decoded.Packet
		for n := 0; n <= len(c.data); n++ {
			var got decoded.Packet
			p.Parse(c.proto, c.data[:n], &got)
			if err := checkCut(full, prev, got); err != "" {
				t.Errorf("%s cut at %d/%d: %s", c.name, n, len(c.data), err)
			}
			prev = got
		}
		if prev.Truncated {
			t.Errorf("%s: the full header is Truncated", c.name)
		}
	}
}

// checkCut compares got (a cut header) with full and with prev (the same
// header one byte shorter), returning what is wrong.
func checkCut(full, prev, got decoded.Packet) string {
	switch {
	case got.Layers&^full.Layers != 0 || got.Inner.Layers&^full.Inner.Layers != 0:
		return "layers the full header lacks"
	case prev.Layers&^got.Layers != 0 || prev.Inner.Layers&^got.Inner.Layers != 0:
		return "layers lost by a longer header"
	case got.NumVLANs > full.NumVLANs || got.NumMPLS > full.NumMPLS:
		return "more tags or labels than the full header"
	}
	g := got
	g.Truncated = false
	if diff := cmp.Diff(present(full, got), g, addrEqual); diff != "" {
		return "fields differ from the full header (-full +got):\n" + diff
	}
	if diff := cmp.Diff(full, got, addrEqual); !got.Truncated && diff != "" {
		return "differs from the full header without Truncated (-full +got):\n" + diff
	}
	return ""
}

// present returns the fields of full that got claims to have, so that a cut
// header must equal it. The fields filled in several steps (EtherType after
// the tags, the IPv6 fragment header, TCP flags) may still be zero; the IP
// protocol may be an extension header while the header is cut before the
// upper layer.
func present(full, got decoded.Packet) decoded.Packet {
	w := decoded.Packet{Layers: got.Layers, NumVLANs: got.NumVLANs, NumMPLS: got.NumMPLS}
	if got.Layers&decoded.LayerEthernet != 0 {
		w.SrcMAC, w.DstMAC, w.EtherType = full.SrcMAC, full.DstMAC, zeroOr(got.EtherType, full.EtherType)
	}
	for i := range min(int(got.NumVLANs), len(w.VLANs)) {
		w.VLANs[i], w.VLANPrio[i] = full.VLANs[i], full.VLANPrio[i]
	}
	copy(w.MPLSLabels[:min(int(got.NumMPLS), len(w.MPLSLabels))], full.MPLSLabels[:])
	w.L3, w.L4 = presentL3(full.L3, got.L3, got.Layers, got.Truncated), presentL4(full.L4, got.L4, got.Layers)
	if got.Layers&decoded.LayerGRE != 0 {
		w.GREProtocol = full.GREProtocol
	}
	if got.Layers&decoded.LayerVXLAN != 0 {
		w.VNI = full.VNI
	}
	w.Inner = presentInner(full.Inner, got.Inner, got.Truncated)
	return w
}

// presentInner is present for the encapsulated packet.
func presentInner(full, got decoded.Inner, truncated bool) decoded.Inner {
	w := decoded.Inner{Layers: got.Layers}
	if got.Layers&decoded.LayerEthernet != 0 {
		w.SrcMAC, w.DstMAC, w.EtherType = full.SrcMAC, full.DstMAC, zeroOr(got.EtherType, full.EtherType)
	}
	if got.Layers&decoded.LayerVLAN != 0 {
		w.VLAN = full.VLAN
	}
	w.L3, w.L4 = presentL3(full.L3, got.L3, got.Layers, truncated), presentL4(full.L4, got.L4, got.Layers)
	return w
}

// presentL3 is present for the IP layer.
func presentL3(full, got decoded.L3, has decoded.Layers, truncated bool) decoded.L3 {
	if has&(decoded.LayerIPv4|decoded.LayerIPv6) == 0 {
		return decoded.L3{}
	}
	w := full
	if !got.Fragment && full.Version == 6 {
		w.Fragment, w.FragOffset = false, 0
	}
	if truncated && has&(decoded.LayerTransport|decoded.LayerGRE|decoded.LayerInner) == 0 {
		w.Protocol = got.Protocol
	}
	return w
}

// presentL4 is present for the transport layer.
func presentL4(full, got decoded.L4, has decoded.Layers) decoded.L4 {
	if has&decoded.LayerTransport == 0 {
		return decoded.L4{}
	}
	full.TCPFlags = zeroOr(got.TCPFlags, full.TCPFlags)
	return full
}

// zeroOr returns zero if got is zero, else full.
func zeroOr[T comparable](got, full T) T {
	var zero T
	if got == zero {
		return zero
	}
	return full
}
