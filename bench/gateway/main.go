// Command gateway is bench/gateway.sh's helper (see bench/README.md): it
// serves either the benchmark's upstream, a small JSON echo, or a bare Go
// reverse proxy (net/http/httputil.ReverseProxy) to it, the baseline that
// Cognate's gateway is measured against in the same run.
//
//	gateway upstream -listen 127.0.0.1:9000
//	gateway proxy -listen 127.0.0.1:9001 -upstream http://127.0.0.1:9000 [-client lean]
//
// With -client lean the proxy carries requests with Cognate's own
// upstream client (internal/gateway/upstream) instead of http.Transport:
// the second baseline, which tells the gateway's own work apart from the
// difference between the two clients.
//
// Each prints "ready http://ADDR" on standard output once it listens, and
// stops on SIGINT or SIGTERM. Only loopback addresses may be listened on.
//
// The exit status is 0 after a clean stop, 1 when serving fails, and 2 on
// a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/upstream"
)

// maxBody bounds what the upstream reads and echoes.
const maxBody = 1 << 20

func main() {
	h, listen, err := parseArgs(os.Args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "gateway:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, listen, h, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

// parseArgs reads "upstream" or "proxy" and its flags, and returns the
// handler to serve and the address to listen on.
func parseArgs(args []string) (http.Handler, string, error) {
	const usage = "usage: gateway upstream -listen ADDR | gateway proxy -listen ADDR -upstream URL"
	if len(args) == 0 {
		return nil, "", errors.New(usage)
	}
	fs := flag.NewFlagSet("gateway "+args[0], flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "loopback address to listen on")
	var upstream, client *string
	if args[0] == "proxy" {
		upstream = fs.String("upstream", "", "URL of the upstream, e.g. http://127.0.0.1:9000 (required)")
		client = fs.String("client", "transport", "how the proxy reaches the upstream: transport (http.Transport) or lean (Cognate's upstream client)")
	}
	if args[0] != "upstream" && args[0] != "proxy" {
		return nil, "", fmt.Errorf("unknown mode %q; %s", args[0], usage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return nil, "", err
	}
	if fs.NArg() > 0 {
		return nil, "", fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	host, _, err := net.SplitHostPort(*listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return nil, "", fmt.Errorf("-listen %q: want a loopback address such as 127.0.0.1:9000 (benchmarks target only 127.0.0.1)", *listen)
	}
	if upstream == nil {
		return echoHandler(), *listen, nil
	}
	u, err := url.Parse(*upstream)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, "", fmt.Errorf("-upstream %q: want an http:// URL such as http://127.0.0.1:9000", *upstream)
	}
	if *client != "transport" && *client != "lean" {
		return nil, "", fmt.Errorf("-client %q: want transport or lean", *client)
	}
	return bareProxy(u, *client == "lean"), *listen, nil
}

// echoHandler is the upstream: POST /echo answers 200 with the request
// body as application/json; anything else is a 404.
func echoHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	return mux
}

// bareProxy is the baseline: httputil.ReverseProxy to target, set up as
// a production Go proxy would be and as Cognate's gateway is, so that the
// ratio measures the gateway's own work: a transport that keeps enough
// idle connections for every load worker (the default keeps two per
// host, which would make the baseline dial for most requests at
// concurrency 64 and flatter Cognate), a pool of copy buffers (without
// one, every request allocates 32 KB, and the garbage collector slowed
// the baseline at concurrency 64), and the X-Forwarded-* headers the
// gateway sends too.
func bareProxy(target *url.URL, lean bool) http.Handler {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: 1024,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   false,
	}
	var rt http.RoundTripper = tr
	if lean {
		// As the gateway sets it up (internal/gateway.New).
		rt = upstream.New(upstream.Config{Fallback: tr, DialTimeout: 5 * time.Second, ResponseHeaderTimeout: 29 * time.Second,
			MaxIdlePerHost: tr.MaxIdleConnsPerHost, IdleTimeout: tr.IdleConnTimeout})
	}
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.SetXForwarded()
		},
		Transport:  rt,
		BufferPool: &bufferPool{pool: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}},
	}
}

// bufferPool lends the proxy its 32 KB copy buffers.
type bufferPool struct{ pool sync.Pool }

func (p *bufferPool) Get() []byte  { return *p.pool.Get().(*[]byte) }
func (p *bufferPool) Put(b []byte) { p.pool.Put(&b) }

// serve listens on addr, says "ready http://ADDR" on ready, and serves h
// until ctx ends, then shuts down within five seconds.
func serve(ctx context.Context, addr string, h http.Handler, ready io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(ready, "ready http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
