//go:build !linux

package chiptest

import (
	"io"
	"net"
)

// vpcdStream returns conn itself: the delayed-acknowledgement workaround
// of vpcd_linux.go needs Linux's TCP_QUICKACK.
func vpcdStream(conn net.Conn) io.ReadWriter { return conn }
