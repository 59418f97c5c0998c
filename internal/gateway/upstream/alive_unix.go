//go:build unix

package upstream

import (
	"net"
	"syscall"
)

// alive reports whether an idle connection is still open: one
// non-blocking read finds nothing to read (EAGAIN). End of file means
// the upstream closed it; data means it is out of step.
func alive(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	open := false
	err = raw.Read(func(fd uintptr) bool {
		var b [1]byte
		_, rerr := syscall.Read(int(fd), b[:])
		open = rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK
		return true // done: never wait for the socket to become readable
	})
	return err == nil && open
}
