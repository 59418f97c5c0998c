package main

// Tests of `cognate call`: a real `cognate up` issues the tokens (through
// a proxy that counts token requests), and an httptest server stands for
// the API behind the gateway.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// runCallCommand runs `cognate call args...` in this process.
func runCallCommand(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := callCommand()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var stdout, stderr bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SetIn(strings.NewReader(stdin))
	err := cmd.ExecuteContext(ctx)
	return stdout.String(), stderr.String(), err
}

// fakeAPI records each request's Authorization header, answers 401 to
// the token "stale", 403 on /forbidden, and otherwise echoes the request.
type fakeAPI struct {
	mu    sync.Mutex
	auths []string
	srv   *httptest.Server
}

func newFakeAPI(t *testing.T) *fakeAPI {
	a := &fakeAPI{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.auths = append(a.auths, r.Header.Get("Authorization"))
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Header.Get("Authorization") == "Bearer stale":
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message":"Unauthorized"}`)
		case r.URL.Path == "/forbidden":
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"message":"Forbidden"}`)
		default:
			body, _ := io.ReadAll(r.Body)
			json.NewEncoder(w).Encode(map[string]string{"method": r.Method, "path": r.URL.Path, "host": r.Host,
				"content_type": r.Header.Get("Content-Type"), "custom": r.Header.Get("X-Custom"), "body": string(body)})
		}
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *fakeAPI) seen() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.auths...)
}

func TestCallCommand(t *testing.T) {
	configHome := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", configHome)
	t.Setenv("HOME", configHome) // os.UserConfigDir on macOS
	t.Setenv(envClientSecret, "")
	cacheDir, err := defaultTokenCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cacheDir, configHome) {
		t.Fatalf("token cache dir %s is not under the config home %s", cacheDir, configHome)
	}

	p := startUp(t, nil, "127.0.0.1:0", t.TempDir())
	p.waitHealthy(t) // builds the binary first: the deadline starts after
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	f := setupArticle(t, ctx, p.cognito())
	jwks := fetchJWKS(t, ctx, p.URL, f.PoolID)
	issuer := p.URL + "/" + f.PoolID

	// Count the token requests on their way to the server.
	var tokenRequests atomic.Int32
	target, _ := url.Parse(p.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	counter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/oauth2/token") {
			tokenRequests.Add(1)
		}
		rp.ServeHTTP(w, r)
	}))
	defer counter.Close()
	tokenEndpoint := counter.URL + "/_domain/" + articleDomain + "/oauth2/token"
	api := newFakeAPI(t)
	base := []string{"--token-endpoint", tokenEndpoint, "--client-id", f.ClientID, "--client-secret", f.Secret, "--scope", articleScope}

	call := func(args ...string) string {
		t.Helper()
		out, errOut, err := runCallCommand(t, "", append(args, base...)...)
		if err != nil {
			t.Fatalf("cognate call %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
		}
		if strings.Contains(out+errOut, f.Secret) {
			t.Errorf("cognate call printed the client secret:\n%s\n%s", out, errOut)
		}
		return out
	}
	lastToken := func() string {
		t.Helper()
		s := api.seen()
		if len(s) == 0 || !strings.HasPrefix(s[len(s)-1], "Bearer ") {
			t.Fatalf("the API saw Authorization %q, want Bearer <token>", s)
		}
		return strings.TrimPrefix(s[len(s)-1], "Bearer ")
	}
	wantTokenRequests := func(when string, n int32) {
		t.Helper()
		if got := tokenRequests.Load(); got != n {
			t.Errorf("%s: %d token requests so far, want %d", when, got, n)
		}
	}

	// First call: a token is fetched, sent, and cached in a 0600 file.
	out := call("post", api.srv.URL+"/echo", "-d", `{"a":1}`, "-H", "X-Custom: yes")
	if !strings.HasPrefix(out, "HTTP/1.1 200 OK\n") || !strings.Contains(out, `"body":"{\"a\":1}"`) ||
		!strings.Contains(out, `"content_type":"application/json"`) || !strings.Contains(out, `"custom":"yes"`) ||
		!strings.Contains(out, `"method":"POST"`) || !strings.HasSuffix(out, "\n") {
		t.Errorf("first call printed:\n%s", out)
	}
	wantTokenRequests("first call", 1)
	first := lastToken()
	if c := verifyToken(t, first, jwks, issuer, f.ClientID); c.Scope != articleScope {
		t.Errorf("token scope %q, want %q", c.Scope, articleScope)
	}
	if fi, err := os.Stat(cacheDir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("token cache dir %s: %v, mode %v, want 0700", cacheDir, err, fi.Mode().Perm())
	}
	files, _ := filepath.Glob(filepath.Join(cacheDir, "*"))
	if len(files) != 1 {
		t.Fatalf("token cache holds %v, want one file", files)
	}
	cacheFile := files[0]
	if fi, _ := os.Stat(cacheFile); fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file %s has mode %v, want 0600", cacheFile, fi.Mode().Perm())
	}
	content, _ := os.ReadFile(cacheFile)
	if strings.Contains(string(content), f.Secret) || strings.Contains(cacheFile, f.Secret) || strings.Contains(cacheFile, f.ClientID) {
		t.Errorf("cache file %s names the client or holds the secret:\n%s", cacheFile, content)
	}
	if !strings.Contains(string(content), first) || !strings.Contains(string(content), "expires_at") {
		t.Errorf("cache file does not hold the token and its expiry:\n%s", content)
	}

	// Second call, on the API's *.localhost name: the cached token, no
	// token request.
	localURL := strings.Replace(api.srv.URL, "127.0.0.1", "abc123.execute-api.localhost", 1) + "/items"
	out = call("GET", localURL, "-i")
	wantTokenRequests("second call", 1)
	if got := lastToken(); got != first {
		t.Errorf("second call sent another token than the cached one")
	}
	if !strings.Contains(out, "Content-Type: application/json\r\n") || !strings.Contains(out, `"host":"abc123.execute-api.localhost:`) {
		t.Errorf("call -i to a .localhost name printed:\n%s", out)
	}

	// A token within 60 s of its expiry is fetched again.
	writeCache := func(token string, expires time.Time) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"access_token": token, "expires_at": expires})
		if err := os.WriteFile(cacheFile, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeCache(first, time.Now().Add(30*time.Second))
	call("GET", api.srv.URL+"/items")
	wantTokenRequests("call near expiry", 2)
	second := lastToken()
	if second == first {
		t.Errorf("the token was not fetched again 30 s before it expired")
	}
	verifyToken(t, second, jwks, issuer, f.ClientID)

	// A cached token the API answers 401 to is fetched again, once.
	writeCache("stale", time.Now().Add(time.Hour))
	before := len(api.seen())
	out = call("GET", api.srv.URL+"/items")
	wantTokenRequests("call with a refused cached token", 3)
	if s := api.seen()[before:]; len(s) != 2 || s[0] != "Bearer stale" || s[1] == "Bearer stale" {
		t.Errorf("after a 401 to the cached token the API saw %q, want the stale token then a new one", s)
	}
	if !strings.HasPrefix(out, "HTTP/1.1 200 OK\n") || strings.Contains(out, "Unauthorized") {
		t.Errorf("retried call printed:\n%s", out)
	}
	if b, _ := os.ReadFile(cacheFile); strings.Contains(string(b), "stale") {
		t.Errorf("the refused token is still cached")
	}

	// --no-cache fetches a token and leaves the cache alone.
	call("GET", api.srv.URL+"/items", "--no-cache")
	wantTokenRequests("--no-cache", 4)

	// 4xx: printed, exit 0; with --fail, exit non-zero, still printed.
	out = call("GET", api.srv.URL+"/forbidden")
	if !strings.HasPrefix(out, "HTTP/1.1 403 Forbidden\n") || !strings.Contains(out, `{"message":"Forbidden"}`) {
		t.Errorf("403 printed:\n%s", out)
	}
	out, _, err = runCallCommand(t, "", append([]string{"GET", api.srv.URL + "/forbidden", "--fail"}, base...)...)
	if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(out, "Forbidden") {
		t.Errorf("--fail on 403: err %v, printed %q; want an error naming 403 and the body printed", err, out)
	}

	// Bodies from a file and from standard input.
	bodyFile := writeFile(t, t.TempDir(), "body.json", `{"from":"file"}`)
	if out = call("PUT", api.srv.URL+"/echo", "-d", "@"+bodyFile, "-H", "Content-Type: text/plain"); !strings.Contains(out, `"body":"{\"from\":\"file\"}"`) || !strings.Contains(out, `"content_type":"text/plain"`) {
		t.Errorf("-d @file printed:\n%s", out)
	}
	out, errOut, err := runCallCommand(t, "from stdin", append([]string{"POST", api.srv.URL + "/echo", "-d", "@-"}, base...)...)
	if err != nil || !strings.Contains(out, `"body":"from stdin"`) {
		t.Errorf("-d @-: %v\n%s%s", err, out, errOut)
	}

	// --domain on --endpoint, with the secret from the environment.
	t.Setenv(envClientSecret, f.Secret)
	out, errOut, err = runCallCommand(t, "", "GET", api.srv.URL+"/items", "--endpoint", p.URL, "--domain", articleDomain,
		"--client-id", f.ClientID, "--scope", articleScope)
	if err != nil || !strings.HasPrefix(out, "HTTP/1.1 200 OK") {
		t.Errorf("--domain with %s: %v\n%s%s", envClientSecret, err, out, errOut)
	}
	verifyToken(t, lastToken(), jwks, issuer, f.ClientID)
	t.Setenv(envClientSecret, "")

	// Failures: a wrong secret, and no server behind the URL.
	_, _, err = runCallCommand(t, "", "GET", api.srv.URL+"/items", "--token-endpoint", tokenEndpoint,
		"--client-id", f.ClientID, "--client-secret", f.Secret+"x", "--no-cache")
	if err == nil || !strings.Contains(err.Error(), "invalid_client") || strings.Contains(err.Error(), f.Secret) {
		t.Errorf("wrong secret: %v, want an error naming invalid_client without the secret", err)
	}
	_, _, err = runCallCommand(t, "", append([]string{"GET", "http://127.0.0.1:" + freePort(t) + "/"}, base...)...)
	if err == nil || !strings.Contains(err.Error(), "no response") {
		t.Errorf("no server: %v, want an error saying no response came", err)
	}
}

func TestCallArgumentErrors(t *testing.T) {
	t.Parallel()
	auth := []string{"--domain", "d", "--client-id", "c", "--client-secret", "s"}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"one argument", []string{"http://x/"}, "want METHOD and URL"},
		{"url first", append([]string{"http://x/", "GET"}, auth...), "want an HTTP method"},
		{"relative url", append([]string{"GET", "/items"}, auth...), "want an absolute http:// or https:// URL"},
		{"bad header", append([]string{"GET", "http://x/", "-H", "NoColon"}, auth...), "want 'Name: value'"},
		{"own authorization", append([]string{"GET", "http://x/", "-H", "Authorization: Bearer x"}, auth...), "sends Authorization itself"},
		{"missing file", append([]string{"POST", "http://x/", "-d", "@/nonexistent/body.json"}, auth...), "-d @/nonexistent/body.json"},
		{"nothing", []string{"GET", "http://x/"}, "missing --domain (or --token-endpoint); missing --client-id; missing --client-secret (or COGNATE_CLIENT_SECRET)"},
		{"both", []string{"GET", "http://x/", "--domain", "d", "--token-endpoint", "http://x/oauth2/token", "--client-id", "c", "--client-secret", "s"}, "not both"},
		{"bad token endpoint", []string{"GET", "http://x/", "--token-endpoint", "x/oauth2/token", "--client-id", "c", "--client-secret", "s"}, "--token-endpoint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := callCommand()
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			cmd.SetArgs(tc.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			cmd.SetContext(context.Background())
			if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("cognate call %v: %v, want an error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestTokenCacheKey(t *testing.T) {
	t.Parallel()
	k := tokenCacheKey("http://127.0.0.1:4566/_domain/d/oauth2/token", "client", []string{"a/x", "b/y"})
	if k != tokenCacheKey("http://127.0.0.1:4566/_domain/d/oauth2/token", "client", []string{"b/y", "a/x", "a/x"}) {
		t.Errorf("the key depends on the scopes' order or repetition")
	}
	for _, other := range []string{
		tokenCacheKey("http://127.0.0.1:4567/_domain/d/oauth2/token", "client", []string{"a/x", "b/y"}),
		tokenCacheKey("http://127.0.0.1:4566/_domain/e/oauth2/token", "client", []string{"a/x", "b/y"}),
		tokenCacheKey("http://127.0.0.1:4566/_domain/d/oauth2/token", "client2", []string{"a/x", "b/y"}),
		tokenCacheKey("http://127.0.0.1:4566/_domain/d/oauth2/token", "client", []string{"a/x"}),
		tokenCacheKey("http://127.0.0.1:4566/_domain/d/oauth2/token", "client", nil),
	} {
		if other == k {
			t.Errorf("two different token requests share the cache key %s", k)
		}
	}
}

func TestTokenCacheIgnoresOpenFiles(t *testing.T) {
	t.Parallel()
	now := time.Now()
	c := &tokenCache{dir: filepath.Join(t.TempDir(), "tokens"), now: func() time.Time { return now }}
	if err := c.put("k", "tok", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := c.get("k"); got != "tok" {
		t.Fatalf("get = %q, want tok", got)
	}
	if got := c.get("other"); got != "" {
		t.Errorf("get of a missing key = %q", got)
	}
	// A file others may read is not trusted (nor, so, reused).
	os.Chmod(c.path("k"), 0o644)
	if got := c.get("k"); got != "" {
		t.Errorf("get of a 0644 cache file = %q, want nothing", got)
	}
	// Exactly at the margin the token is no longer used.
	c.put("k", "tok", now.Add(tokenRefreshMargin))
	if got := c.get("k"); got != "" {
		t.Errorf("get of a token %s from expiry = %q, want nothing", tokenRefreshMargin, got)
	}
	os.WriteFile(c.path("k"), []byte("{not json"), 0o600)
	if got := c.get("k"); got != "" {
		t.Errorf("get of a malformed file = %q", got)
	}
	if err := c.drop("k"); err != nil || c.drop("k") != nil {
		t.Errorf("drop: %v", err)
	}
}

func TestIsLocalhostName(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "abc.execute-api.localhost": true, "d.auth.us-east-1.localhost": true,
		"127.0.0.1": false, "example.com": false, "notlocalhost": false, "localhost.example.com": false,
	} {
		if got := isLocalhostName(host); got != want {
			t.Errorf("isLocalhostName(%q) = %v, want %v", host, got, want)
		}
	}
}
