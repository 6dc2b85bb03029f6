package chiptest

import (
	"io"
	"net"
	"syscall"
)

// vpcdStream returns what serveVPCDStream reads and writes for conn: on
// Linux, a TCP connection that acknowledges every segment at once
// (TCP_QUICKACK, tcp(7)) before each read.
//
// vsmartcard's vpcd driver (3.3, as Debian 12 ships it) sends a frame's
// 2-byte length and its payload in two send calls on a socket without
// TCP_NODELAY: Nagle's algorithm holds the payload until the length is
// acknowledged, and Linux delays that acknowledgement by 40 ms, which made
// every APDU through pcscd a 44 ms round trip. The option does not stick
// (the kernel leaves quick-ACK mode on its own), hence once per read.
func vpcdStream(conn net.Conn) io.ReadWriter {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return conn
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return conn
	}
	return quickAck{tc, raw}
}

type quickAck struct {
	*net.TCPConn
	raw syscall.RawConn
}

func (q quickAck) Read(p []byte) (int, error) {
	// Failing to set the option only costs speed.
	_ = q.raw.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
	return q.TCPConn.Read(p)
}
