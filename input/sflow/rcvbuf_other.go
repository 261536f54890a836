//go:build !linux

package sflow

import (
	"errors"
	"net"
)

// forceReadBuffer cannot go past the system's cap outside Linux.
func forceReadBuffer(*net.UDPConn, int) error {
	return errors.ErrUnsupported
}
