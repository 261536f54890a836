// Package pcapfile reads the UDP payloads sent to one port out of capture
// files (classic pcap or pcapng), in pure Go: it is how tests, benchmarks
// and the decode command feed real sFlow datagrams to the decoder.
//
// Supported link types: Ethernet (with any number of 802.1Q / 802.1ad
// tags), Linux cooked capture v1 and v2, raw IP (LINKTYPE_RAW 101, DLT_RAW
// 12, LINKTYPE_IPV4 228, LINKTYPE_IPV6 229) and BSD null / loopback. IPv4
// fragments are not reassembled: they are skipped and counted.
package pcapfile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

// Datagram is one UDP payload read from a capture.
type Datagram struct {
	Timestamp time.Time
	Src, Dst  netip.AddrPort
	Payload   []byte
}

// ErrUnknownFormat is returned by Open for a file that is neither pcap nor
// pcapng.
var ErrUnknownFormat = errors.New("pcapfile: not a pcap or pcapng file")

// packetSource is what pcapgo.Reader and pcapgo.NgReader have in common.
type packetSource interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// Reader reads the UDP datagrams sent to one port out of a capture file.
// Not safe for concurrent use.
type Reader struct {
	f         *os.File
	src       packetSource
	linkType  func(ci gopacket.CaptureInfo) uint32
	port      uint16
	skipped   int
	fragments int
}

// Open opens a pcap or pcapng file (detected by its magic number) and
// returns a Reader of the UDP datagrams whose destination port is port.
func Open(path string, port uint16) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := &Reader{f: f, port: port}
	if err := r.init(bufio.NewReaderSize(f, 1<<16)); err != nil {
		f.Close()
		return nil, fmt.Errorf("pcapfile: %s: %w", path, err)
	}
	return r, nil
}

// init detects the file format and sets up the packet source.
func (r *Reader) init(br *bufio.Reader) error {
	magic, err := br.Peek(4)
	if err != nil {
		return ErrUnknownFormat
	}
	switch binary.BigEndian.Uint32(magic) {
	case 0x0a0d0d0a: // pcapng section header block
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return err
		}
		r.src = ng
		r.linkType = func(ci gopacket.CaptureInfo) uint32 {
			iface, err := ng.Interface(ci.InterfaceIndex)
			if err != nil {
				return ngLinkType(ng.LinkType())
			}
			return ngLinkType(iface.LinkType)
		}
	case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1: // pcap, µs or ns, either byte order
		hdr, err := br.Peek(24)
		if err != nil {
			return ErrUnknownFormat
		}
		// pcapgo keeps the link type in a uint8; read the 32-bit field
		// of the file header ourselves (LINKTYPE_LINUX_SLL2 is 276).
		lt := binary.LittleEndian.Uint32(hdr[20:])
		if hdr[0] == 0xa1 {
			lt = binary.BigEndian.Uint32(hdr[20:])
		}
		p, err := pcapgo.NewReader(br)
		if err != nil {
			return err
		}
		r.src = p
		r.linkType = func(gopacket.CaptureInfo) uint32 { return lt }
	default:
		return ErrUnknownFormat
	}
	return nil
}

// ngLinkType undoes the truncation of pcapng link types to 8 bits by
// pcapgo: 20 (unassigned) can only be LINKTYPE_LINUX_SLL2 (276).
func ngLinkType(lt layers.LinkType) uint32 {
	if lt == 20 {
		return linkTypeSLL2
	}
	return uint32(lt)
}

// Next returns the next UDP datagram to the Reader's port, or io.EOF at the
// end of the file. Payload points into the Reader's buffer: it is valid
// until the next call of Next; copy it to keep it.
func (r *Reader) Next() (Datagram, error) {
	for {
		frame, ci, err := r.src.ZeroCopyReadPacketData()
		if err != nil {
			return Datagram{}, err
		}
		d, ok := r.parse(r.linkType(ci), frame)
		if ok && d.Dst.Port() == r.port {
			d.Timestamp = ci.Timestamp
			return d, nil
		}
		r.skipped++
	}
}

// Skipped returns the number of frames read so far that were not UDP to
// the Reader's port, could not be parsed, or were IP fragments.
func (r *Reader) Skipped() int { return r.skipped }

// Fragments returns how many of the skipped frames were IP fragments.
func (r *Reader) Fragments() int { return r.fragments }

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }

// Payloads returns the payloads of every UDP datagram to port in the file
// at path: the sFlow datagrams tests and benchmarks replay.
func Payloads(path string, port uint16) ([][]byte, error) {
	dgs, err := ReadAll(path, port)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(dgs))
	for i, d := range dgs {
		out[i] = d.Payload
	}
	return out, nil
}

// ReadAll returns every UDP datagram to port in the file at path, with
// copied payloads.
func ReadAll(path string, port uint16) ([]Datagram, error) {
	r, err := Open(path, port)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []Datagram
	for {
		d, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		d.Payload = append([]byte(nil), d.Payload...)
		out = append(out, d)
	}
}
