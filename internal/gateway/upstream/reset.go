package upstream

import (
	"errors"
	"io"
	"syscall"
)

// closedByPeer reports whether err is the upstream closing or resetting
// the connection.
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
