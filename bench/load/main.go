// Command load is Cognate's HTTP load generator for whole-process
// benchmarks (see docs/PERFORMANCE.md and bench/README.md).
//
// It sends the same request from -c concurrent workers, each with its own
// keep-alive connection, for a bounded duration (-d, at most 120s) or a
// bounded number of requests (-n), after an optional -warmup whose results
// are discarded. It reports requests, errors (any status other than
// -expect, or a transport error), requests/s, and exact latency percentiles
// of the successful requests, as text or, with -json, as one JSON object.
//
// It is meant to run pinned to its own core, against 127.0.0.1:
//
//	taskset -c 1 go run ./bench/load -c 16 -d 10s \
//	  -url http://127.0.0.1:9229/_domain/bench/oauth2/token \
//	  -header 'Authorization: Basic ...' \
//	  -header 'Content-Type: application/x-www-form-urlencoded' \
//	  -body 'grant_type=client_credentials'
//
// The exit status is 0 when every measured request succeeded, 1 when some
// failed, and 2 on a usage error.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxDuration bounds -d and -warmup: load runs are always bounded.
const maxDuration = 120 * time.Second

// maxErrorSamples is how many failed responses are kept to be printed.
const maxErrorSamples = 3

// Config is one load run.
type Config struct {
	URL         string
	Method      string
	Body        []byte
	Header      http.Header
	Host        string // from a "Host:" -header, if any
	Concurrency int
	Duration    time.Duration
	MaxRequests int64 // 0: no bound other than Duration
	Warmup      time.Duration
	Expect      int
	Timeout     time.Duration // per request
}

// Result is what one measured phase produced.
type Result struct {
	URL          string         `json:"url"`
	Method       string         `json:"method"`
	Concurrency  int            `json:"concurrency"`
	GOMAXPROCS   int            `json:"gomaxprocs"`
	Warmup       float64        `json:"warmup_s"`
	Elapsed      float64        `json:"elapsed_s"`
	Requests     int64          `json:"requests"`
	Errors       int64          `json:"errors"`
	RPS          float64        `json:"requests_per_s"`
	Latency      LatencyMS      `json:"latency_ms"`
	Statuses     map[string]int `json:"statuses"`
	ErrorSamples []string       `json:"error_samples,omitempty"`
}

// LatencyMS is a Summary in milliseconds, for JSON output.
type LatencyMS struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// headerFlag collects repeatable -header "Name: value" flags.
type headerFlag []string

func (h *headerFlag) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlag) Set(v string) error { *h = append(*h, v); return nil }

func main() {
	cfg, asJSON, err := parseFlags(os.Args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "load:", err)
		}
		os.Exit(2)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
	} else {
		printText(os.Stdout, res)
	}
	if res.Errors > 0 {
		os.Exit(1)
	}
}

func parseFlags(args []string) (Config, bool, error) {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	var headers headerFlag
	u := fs.String("url", "", "target URL (required), e.g. http://127.0.0.1:9229/_domain/bench/oauth2/token")
	method := fs.String("method", http.MethodPost, "HTTP method")
	body := fs.String("body", "", "request body (form or JSON string)")
	fs.Var(&headers, "header", `request header "Name: value" (repeatable)`)
	c := fs.Int("c", 1, "concurrency: number of workers, each with its own connection")
	d := fs.Duration("d", 10*time.Second, "measured duration (at most 2m)")
	n := fs.Int64("n", 0, "stop after this many measured requests (0: no bound but -d)")
	warmup := fs.Duration("warmup", 0, "warm-up duration before measuring, results discarded (at most 2m)")
	expect := fs.Int("expect", http.StatusOK, "expected status; any other counts as an error")
	timeout := fs.Duration("timeout", 10*time.Second, "per-request timeout")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return Config{}, false, err
	}
	if fs.NArg() > 0 {
		return Config{}, false, fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	cfg := Config{Method: strings.ToUpper(*method), Body: []byte(*body), Header: http.Header{},
		Concurrency: *c, Duration: *d, MaxRequests: *n, Warmup: *warmup, Expect: *expect, Timeout: *timeout}
	pu, err := url.Parse(*u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return Config{}, false, fmt.Errorf("-url must be an absolute http(s) URL, got %q", *u)
	}
	cfg.URL = pu.String()
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return Config{}, false, fmt.Errorf(`-header must be "Name: value", got %q`, h)
		}
		if strings.EqualFold(name, "Host") {
			cfg.Host = value
			continue
		}
		cfg.Header.Add(name, value)
	}
	switch {
	case cfg.Concurrency < 1:
		return Config{}, false, errors.New("-c must be at least 1")
	case cfg.Duration <= 0 || cfg.Duration > maxDuration:
		return Config{}, false, fmt.Errorf("-d must be in (0, %s]", maxDuration)
	case cfg.Warmup < 0 || cfg.Warmup > maxDuration:
		return Config{}, false, fmt.Errorf("-warmup must be in [0, %s]", maxDuration)
	case cfg.MaxRequests < 0:
		return Config{}, false, errors.New("-n must not be negative")
	case cfg.Expect < 100 || cfg.Expect > 599:
		return Config{}, false, errors.New("-expect must be an HTTP status")
	}
	return cfg, *asJSON, nil
}

// sender sends the configured request and reads the whole response; each
// worker has its own. failure is "" on success, else a short description
// with the start of the response body.
type sender interface {
	send(ctx context.Context) (lat time.Duration, status, failure string)
	close()
}

// newSender returns what a worker sends with: a raw keep-alive
// connection for http:// targets, net/http's client for https://.
func newSender(cfg Config, client *http.Client) sender {
	if client == nil {
		return newRawSender(cfg)
	}
	return &clientSender{cfg: cfg, client: client}
}

// newClient returns a client whose transport keeps one connection per
// worker alive, so that after the first requests no worker dials again.
// MaxConnsPerHost makes a worker whose next request races its previous
// connection's return to the idle pool wait for it rather than dial a spare.
func newClient(cfg Config) *http.Client {
	tr := &http.Transport{
		Proxy:               nil, // never go through a proxy to 127.0.0.1
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        cfg.Concurrency,
		MaxIdleConnsPerHost: cfg.Concurrency,
		MaxConnsPerHost:     cfg.Concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{Transport: tr, Timeout: cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Run runs the warm-up phase, if any, then the measured phase, and returns
// the result of the measured phase. It returns an error only when the
// configuration cannot produce a request.
func Run(ctx context.Context, cfg Config) (Result, error) {
	req, err := http.NewRequest(cfg.Method, cfg.URL, nil)
	if err != nil {
		return Result{}, err
	}
	var client *http.Client // https only; http:// workers use raw connections
	if req.URL.Scheme == "https" {
		client = newClient(cfg)
		defer client.CloseIdleConnections()
	}
	senders := make([]sender, cfg.Concurrency)
	for i := range senders {
		senders[i] = newSender(cfg, client)
		defer senders[i].close()
	}
	if cfg.Warmup > 0 {
		phase(ctx, senders, cfg.Warmup, 0)
	}
	p := phase(ctx, senders, cfg.Duration, cfg.MaxRequests)

	lat := Summarize(p.samples)
	res := Result{
		URL: cfg.URL, Method: cfg.Method, Concurrency: cfg.Concurrency, GOMAXPROCS: runtime.GOMAXPROCS(0),
		Warmup: cfg.Warmup.Seconds(), Elapsed: p.elapsed.Seconds(),
		Requests: p.requests, Errors: p.errors, Statuses: p.statuses, ErrorSamples: p.errorSamples,
		Latency: LatencyMS{Mean: ms(lat.Mean), P50: ms(lat.P50), P90: ms(lat.P90), P99: ms(lat.P99), Max: ms(lat.Max)},
	}
	if p.elapsed > 0 {
		res.RPS = float64(p.requests) / p.elapsed.Seconds()
	}
	return res, nil
}

// phaseResult is what the workers of one phase recorded.
type phaseResult struct {
	elapsed      time.Duration
	requests     int64
	errors       int64
	samples      []time.Duration // latencies of successful requests
	statuses     map[string]int  // "200", "401", "error" → count
	errorSamples []string
}

// phase runs one worker per sender until d has passed or maxRequests
// (when > 0) have been started. A worker starts no request after the
// deadline and lets the one in flight finish, so no request is cut short;
// elapsed runs until the last worker is done.
func phase(ctx context.Context, senders []sender, d time.Duration, maxRequests int64) phaseResult {
	var (
		mu      sync.Mutex
		out     = phaseResult{statuses: map[string]int{}}
		started atomic.Int64
		wg      sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for _, s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var samples []time.Duration
			statuses := map[string]int{}
			var errs int64
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if maxRequests > 0 && started.Add(1) > maxRequests {
					break
				}
				lat, status, failure := s.send(ctx)
				statuses[status]++
				if failure == "" {
					samples = append(samples, lat)
					continue
				}
				errs++
				mu.Lock()
				if len(out.errorSamples) < maxErrorSamples {
					out.errorSamples = append(out.errorSamples, failure)
				}
				mu.Unlock()
			}
			mu.Lock()
			defer mu.Unlock()
			out.samples = append(out.samples, samples...)
			out.errors += errs
			out.requests += int64(len(samples)) + errs
			for k, v := range statuses {
				out.statuses[k] += v
			}
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	return out
}

// clientSender sends through net/http's client (https targets).
type clientSender struct {
	cfg    Config
	client *http.Client
}

func (s *clientSender) close() {}

func (s *clientSender) send(ctx context.Context) (lat time.Duration, status, failure string) {
	cfg := s.cfg
	req, err := http.NewRequestWithContext(ctx, cfg.Method, cfg.URL, bytes.NewReader(cfg.Body))
	if err != nil {
		return 0, "error", err.Error()
	}
	req.Header = cfg.Header // shared by all workers: nothing below writes to it
	if cfg.Host != "" {
		req.Host = cfg.Host
	}
	t0 := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return time.Since(t0), "error", err.Error()
	}
	lat, status, failure, _ = readAnswer(resp, cfg.Expect, t0)
	return lat, status, failure
}

// readAnswer reads resp's body whole and judges its status. whole is
// false when the body could not be read to its end.
func readAnswer(resp *http.Response, expect int, t0 time.Time) (lat time.Duration, status, failure string, whole bool) {
	defer resp.Body.Close()
	if resp.StatusCode == expect {
		_, err := io.Copy(io.Discard, resp.Body)
		lat = time.Since(t0)
		if err != nil {
			return lat, "error", "reading body: " + err.Error(), false
		}
		return lat, strconv.Itoa(resp.StatusCode), "", true
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, err := io.Copy(io.Discard, resp.Body)
	return time.Since(t0), strconv.Itoa(resp.StatusCode), fmt.Sprintf("status %d: %s", resp.StatusCode, bytes.TrimSpace(head)), err == nil
}

// printText writes res for a human.
func printText(w io.Writer, res Result) {
	fmt.Fprintf(w, "%s %s  concurrency %d  GOMAXPROCS %d  warm-up %.1fs  measured %.2fs\n",
		res.Method, res.URL, res.Concurrency, res.GOMAXPROCS, res.Warmup, res.Elapsed)
	fmt.Fprintf(w, "requests   %d\n", res.Requests)
	fmt.Fprintf(w, "errors     %d\n", res.Errors)
	fmt.Fprintf(w, "requests/s %.1f\n", res.RPS)
	if l := res.Latency; res.Requests > res.Errors {
		fmt.Fprintf(w, "latency ms mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", l.Mean, l.P50, l.P90, l.P99, l.Max)
	} else {
		fmt.Fprintln(w, "latency    none: no request succeeded")
	}
	codes := make([]string, 0, len(res.Statuses))
	for k := range res.Statuses {
		codes = append(codes, k)
	}
	sort.Strings(codes)
	parts := make([]string, len(codes))
	for i, k := range codes {
		parts[i] = fmt.Sprintf("%s×%d", k, res.Statuses[k])
	}
	fmt.Fprintf(w, "statuses   %s\n", strings.Join(parts, " "))
	for _, s := range res.ErrorSamples {
		fmt.Fprintf(w, "error: %s\n", s)
	}
}
