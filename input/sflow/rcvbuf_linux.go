package sflow

import (
	"net"

	"golang.org/x/sys/unix"
)

// forceReadBuffer sets a socket's receive buffer past net.core.rmem_max
// (SO_RCVBUFFORCE). Linux allows it to a process with CAP_NET_ADMIN: one
// that runs as root, as Elastic Agent's components do by default, so that
// they get the buffer they ask for on a host whose rmem_max was never
// raised (Debian's is 208 KiB).
func forceReadBuffer(conn *net.UDPConn, size int) error {
	raw, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	return setSockopt(raw, unix.SO_RCVBUFFORCE, size)
}
