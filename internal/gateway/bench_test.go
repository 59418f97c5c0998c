package gateway

import (
	cryptorand "crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// benchSetup starts an upstream, a bare Go reverse proxy to it, and the
// gateway in front of it with a Cognito route checked by the real
// verifier. It returns the two URLs to request and the token.
func benchSetup(b *testing.B) (bareURL, gatewayURL, tok string) {
	b.Helper()
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{"ok":true}`)
	}))
	b.Cleanup(upstream.Close)
	target, _ := url.Parse(upstream.URL)
	// The bare proxy gets the gateway's transport and buffer pool, so
	// that the comparison measures the gateway's own work.
	bare := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite:    func(pr *httputil.ProxyRequest) { pr.SetURL(target); pr.SetXForwarded() },
		Transport:  newTransport(),
		BufferPool: newBufferPool(),
	})
	b.Cleanup(bare.Close)

	v, sign := realVerifier(b)
	src := &fakeSource{}
	src.set(1, Stage{APIID: testAPIID, StageName: testStage, Definition: apimodel.Definition{RootResourceID: "bench"}})
	compiler := &fakeCompiler{apis: map[string]*apimodel.API{"bench": {Resources: []*apimodel.Resource{
		res("echo01", "/echo", cognito(&apimodel.Method{HTTPMethod: "GET",
			Integration: proxyIntegration(upstream.URL+"/echo", nil)}, "stack/api")),
	}}}}
	gw := New(Config{Source: src, Verifier: v, Now: func() time.Time { return testNow }})
	gw.tables.compile = compiler.compile
	gwSrv := httptest.NewServer(gw)
	b.Cleanup(gwSrv.Close)
	return bare.URL + "/echo", gwSrv.URL + "/restapis/" + testAPIID + "/" + testStage + "/_user_request_/echo", "Bearer " + sign(nil)
}

// benchClient is an HTTP client that keeps enough idle connections for
// the parallel benchmark.
func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}}
}

// runRequests sends GET url with auth in parallel until b.N requests are
// done, failing on any answer but 200.
func runRequests(b *testing.B, client *http.Client, u, auth string) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		for pb.Next() {
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkProxy measures an authorized request through the gateway
// (route, cached token verification, claims headers, reverse proxy)
// against a bare httputil.ReverseProxy to the same upstream. Compare the
// two with benchstat; BenchmarkProxyRatio reports the ratio directly.
func BenchmarkProxy(b *testing.B) {
	bareURL, gwURL, tok := benchSetup(b)
	client := benchClient()
	// The bare proxy gets the same request, token and all.
	b.Run("bare", func(b *testing.B) { runRequests(b, client, bareURL, tok) })
	b.Run("gateway", func(b *testing.B) { runRequests(b, client, gwURL, tok) })
}

// BenchmarkProxyRatio sends requests to the bare proxy and the gateway
// alternately from every goroutine, so that both see the same machine
// load, and reports the gateway's throughput as a fraction of the bare
// proxy's (gateway/bare; target >= 0.90, docs/PERFORMANCE.md) and the
// time it adds per request. ns/op counts one request of each kind.
func BenchmarkProxyRatio(b *testing.B) {
	bareURL, gwURL, tok := benchSetup(b)
	client := benchClient()
	var bareNs, gwNs atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		bareReq, _ := http.NewRequest(http.MethodGet, bareURL, nil)
		bareReq.Header.Set("Authorization", tok) // the same request, token and all
		gwReq, _ := http.NewRequest(http.MethodGet, gwURL, nil)
		gwReq.Header.Set("Authorization", tok)
		send := func(req *http.Request, total *atomic.Int64) bool {
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return false
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			total.Add(int64(time.Since(start)))
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return false
			}
			return true
		}
		for pb.Next() {
			if !send(bareReq, &bareNs) || !send(gwReq, &gwNs) {
				return
			}
		}
	})
	if gwNs.Load() > 0 {
		b.ReportMetric(float64(bareNs.Load())/float64(gwNs.Load()), "gateway/bare")
		b.ReportMetric(float64(gwNs.Load()-bareNs.Load())/float64(b.N), "added-ns/req")
	}
}

// cannedTransport answers every request with a small 200, without a
// network, so that BenchmarkHandler measures the gateway's own work.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, ProtoMajor: 1, ProtoMinor: 1, Request: r, ContentLength: 11,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(strings.NewReader(`{"ok":true}`))}, nil
}

// BenchmarkHandler measures the handler without sockets: an authorized
// request (route, cached token verification, claims headers, proxy
// plumbing) against a bare httputil.ReverseProxy over the same canned
// transport. The difference is the gateway's own cost per request.
func BenchmarkHandler(b *testing.B) {
	v, sign := realVerifier(b)
	tok := "Bearer " + sign(nil)
	src := &fakeSource{}
	src.set(1, Stage{APIID: testAPIID, StageName: testStage, Definition: apimodel.Definition{RootResourceID: "bench"}})
	compiler := &fakeCompiler{apis: map[string]*apimodel.API{"bench": {Resources: []*apimodel.Resource{
		res("echo01", "/echo", cognito(&apimodel.Method{HTTPMethod: "GET",
			Integration: proxyIntegration("http://upstream.test/echo", nil)}, "stack/api")),
	}}}}
	gw := New(Config{Source: src, Verifier: v, Transport: cannedTransport{}, Now: func() time.Time { return testNow }})
	gw.tables.compile = compiler.compile
	target, _ := url.Parse("http://upstream.test")
	bare := &httputil.ReverseProxy{
		Rewrite:    func(pr *httputil.ProxyRequest) { pr.SetURL(target); pr.SetXForwarded() },
		Transport:  cannedTransport{},
		BufferPool: newBufferPool(),
	}
	run := func(b *testing.B, h http.Handler, path, auth string) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, bare, "/echo", tok) })
	b.Run("gateway", func(b *testing.B) {
		run(b, gw, "/restapis/"+testAPIID+"/"+testStage+"/_user_request_/echo", tok)
	})
}

// BenchmarkIDs compares the gateway's request and extended ids with the
// library and crypto/rand versions they replace (see newRequestID and
// newExtendedID).
func BenchmarkIDs(b *testing.B) {
	var sink string
	b.Run("request-id/uuid", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink = uuid.NewString()
		}
	})
	b.Run("request-id/gateway", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink = newRequestID()
		}
	})
	b.Run("extended-id/crypto-rand", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var x [11]byte
			_, _ = cryptorand.Read(x[:])
			sink = base64.StdEncoding.EncodeToString(x[:])
		}
	})
	b.Run("extended-id/gateway", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			sink = newExtendedID()
		}
	})
	_ = sink
}
