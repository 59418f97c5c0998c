package upstream

import (
	"errors"
	"syscall"
)

// isReset reports whether err is the upstream resetting the connection.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
