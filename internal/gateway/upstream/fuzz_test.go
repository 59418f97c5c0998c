package upstream

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// FuzzResponse feeds arbitrary bytes to the client as an upstream's
// answer to a small POST: it must return an error or a response whose
// body reads to an end, never panic or hang, and never pool a
// connection that is out of step.
func FuzzResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: 1\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"))
	f.Add([]byte("HTTP/1.0 200 OK\r\n\r\nto the close"))
	f.Add([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"))
	f.Add([]byte("garbage\r\n\r\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, answer []byte) {
		c := New(Config{Fallback: http.DefaultTransport, ResponseHeaderTimeout: 2 * time.Second})
		defer c.CloseIdleConnections()
		c.dial = func(ctx context.Context, _, _ string) (net.Conn, error) {
			client, server := net.Pipe()
			go func() {
				defer server.Close()
				req, err := http.ReadRequest(bufio.NewReader(server))
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				server.SetWriteDeadline(time.Now().Add(2 * time.Second))
				server.Write(answer)
			}()
			return client, nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "POST", "http://upstream.test/x", nil)
		req.Body = io.NopCloser(io.LimitReader(zeros{}, 3))
		req.ContentLength = 3
		resp, err := c.RoundTrip(req)
		if err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)); err != nil {
			resp.Body.Close()
			return
		}
		resp.Body.Close()
		c.mu.Lock()
		for _, list := range c.idle {
			for _, cn := range list {
				if cn.br.Buffered() > 0 {
					t.Errorf("a pooled connection holds %d unread bytes", cn.br.Buffered())
				}
			}
		}
		c.mu.Unlock()
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
