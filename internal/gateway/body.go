package gateway

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/cognatehq/cognate/internal/gateway/respond"
)

// errTooLarge is what a limitedBody returns past the payload limit.
var errTooLarge = errors.New("gateway: request body over the 10 MB payload limit")

// limitedBody passes a streamed request body on until it has carried
// more than MaxBodyBytes, then fails. tripped tells the proxy's error
// handler to answer 413.
type limitedBody struct {
	rc      io.ReadCloser
	left    int64
	tripped atomic.Bool // read by the proxy's error handler
}

func newLimitedBody(rc io.ReadCloser, limit int64) *limitedBody {
	return &limitedBody{rc: rc, left: limit}
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errTooLarge
	}
	// Read one byte past the limit, to tell "exactly the limit" from
	// "over it".
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		b.tripped.Store(true)
		return 0, errTooLarge
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// readBody reads the whole request body, for a body validator. It
// reports false when the body is over the limit (and answers 413), and
// leaves the request with a body that replays what it read.
func (c *call) readBody() ([]byte, bool) {
	if c.r.Body == nil || c.r.Body == http.NoBody {
		return nil, true
	}
	buf, err := io.ReadAll(io.LimitReader(c.r.Body, MaxBodyBytes+1))
	if err == nil && len(buf) > MaxBodyBytes {
		c.tooLarge()
		return nil, false
	}
	if err != nil {
		// The client went away or sent a broken body; nothing can be
		// forwarded.
		c.fail(respond.BadRequestBody, "body_unreadable", err.Error())
		return nil, false
	}
	c.r.Body = io.NopCloser(bytes.NewReader(buf))
	c.r.ContentLength = int64(len(buf))
	return buf, true
}
