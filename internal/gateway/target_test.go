package gateway

import (
	"net/http/httptest"
	"testing"
)

func TestTarget(t *testing.T) {
	cases := []struct {
		name, host, path string
		api, stage, rest string
		ok               bool
	}{
		{"localhost host", "abc123.execute-api.localhost:4566", "/prod/echo", "abc123", "prod", "/echo", true},
		{"localhost host without port", "abc123.execute-api.localhost", "/prod/a/b/", "abc123", "prod", "/a/b/", true},
		{"AWS host", "abc123.execute-api.us-east-1.amazonaws.com", "/v1/x", "abc123", "v1", "/x", true},
		{"AWS host with port", "abc123.execute-api.eu-west-2.amazonaws.com:443", "/v1", "abc123", "v1", "/", true},
		{"upper-case host", "ABC123.Execute-Api.LOCALHOST", "/prod/", "abc123", "prod", "/", true},
		{"host without stage", "abc123.execute-api.localhost", "/", "abc123", "", "/", true},
		{"path style", "127.0.0.1:4566", "/restapis/abc123/prod/_user_request_/echo", "abc123", "prod", "/echo", true},
		{"path style root", "127.0.0.1:4566", "/restapis/abc123/prod/_user_request_/", "abc123", "prod", "/", true},
		{"path style bare", "127.0.0.1:4566", "/restapis/abc123/prod/_user_request_", "abc123", "prod", "/", true},
		{"path style greedy", "localhost", "/restapis/abc123/prod/_user_request_/a/b/c", "abc123", "prod", "/a/b/c", true},
		{"path style without marker", "127.0.0.1", "/restapis/abc123/prod/echo", "", "", "", false},
		{"path style without stage", "127.0.0.1", "/restapis/abc123", "", "", "", false},
		{"path style bad id", "127.0.0.1", "/restapis/ABC_1/prod/_user_request_/", "", "", "", false},
		{"other host", "pool.auth.us-east-1.localhost", "/prod/echo", "", "", "", false},
		{"host with a dotted region", "abc123.execute-api.a.b.amazonaws.com", "/prod/echo", "", "", "", false},
		{"other path", "127.0.0.1:4566", "/", "", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://x"+tc.path, nil)
			r.Host = tc.host
			api, stage, rest, ok := Target(r)
			if (&Gateway{}).Accepts(r) != ok {
				t.Errorf("Accepts disagrees with Target")
			}
			if api != tc.api || stage != tc.stage || rest != tc.rest || ok != tc.ok {
				t.Fatalf("Target = %q %q %q %v, want %q %q %q %v", api, stage, rest, ok, tc.api, tc.stage, tc.rest, tc.ok)
			}
		})
	}
}

func FuzzTarget(f *testing.F) {
	f.Add("abc.execute-api.localhost", "/prod/x")
	f.Add("127.0.0.1", "/restapis/abc/prod/_user_request_/x")
	f.Fuzz(func(t *testing.T, host, path string) {
		r := httptest.NewRequest("GET", "http://x/", nil)
		r.Host, r.URL.Path = host, path
		if _, _, rest, ok := Target(r); ok && (rest == "" || rest[0] != '/') {
			t.Fatalf("path %q does not start with /", rest)
		}
	})
}
