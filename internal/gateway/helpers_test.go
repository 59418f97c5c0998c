package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/authorizer"
)

const (
	testAPIID = "a1b2c3d4e5"
	testStage = "prod"
	testFnARN = "arn:aws:lambda:us-east-1:123456789012:function:stack-EchoFunction-ABC"
	noFnARN   = "arn:aws:lambda:us-east-1:123456789012:function:stack-OtherFunction-XYZ"
	poolARN   = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123"
)

// fakeSource serves stages from memory. Its definitions name, in
// RootResourceID, the API the fake compiler returns.
type fakeSource struct {
	mu         sync.Mutex
	stages     []Stage
	generation int64
	stageCalls atomic.Int64
	err        error
}

func (s *fakeSource) Stages(ctx context.Context) ([]Stage, error) {
	s.stageCalls.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	return append([]Stage(nil), s.stages...), nil
}

func (s *fakeSource) Generation(ctx context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.generation, s.err
}

func (s *fakeSource) set(gen int64, stages ...Stage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stages, s.generation = stages, gen
}

// fakeCompiler returns hand-built APIs by the definition's
// RootResourceID, so that these tests do not depend on OpenAPI details.
type fakeCompiler struct {
	mu   sync.Mutex
	apis map[string]*apimodel.API
}

func (f *fakeCompiler) compile(def apimodel.Definition) (*apimodel.API, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	api, ok := f.apis[def.RootResourceID]
	if !ok {
		return nil, fmt.Errorf("definition %q does not compile", def.RootResourceID)
	}
	return api, nil
}

// fakeVerifier answers by the header's value; it records every call.
type fakeVerifier struct {
	calls atomic.Int64
	mu    sync.Mutex
	last  authorizer.Config
}

// Tokens the fake verifier knows.
const (
	accessToken = "Bearer good-access-token"
	idToken     = "good-id-token"
	expiredTok  = "Bearer expired-token"
	brokenTok   = "Bearer store-down"
)

func (f *fakeVerifier) Verify(ctx context.Context, cfg authorizer.Config, header string) (authorizer.Result, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.last = cfg
	f.mu.Unlock()
	switch header {
	case accessToken:
		return authorizer.Result{
			Claims: map[string]any{"sub": "client-123", "client_id": "client-123", "scope": "stack/api stack/echo",
				"token_use": "access", "jti": "jti-1"},
			ClientID: "client-123", Subject: "client-123", JTI: "jti-1", TokenUse: "access",
		}, nil
	case idToken:
		return authorizer.Result{
			Claims:   map[string]any{"sub": "user-1", "aud": "web-client", "token_use": "id", "cognito:username": "ann"},
			ClientID: "web-client", Subject: "user-1", JTI: "jti-2", TokenUse: "id",
		}, nil
	case "":
		return authorizer.Result{}, &authorizer.Denial{Reason: authorizer.ReasonNoToken, Message: authorizer.MessageUnauthorized,
			Detail: "no Authorization header"}
	case expiredTok:
		return authorizer.Result{}, &authorizer.Denial{Reason: authorizer.ReasonExpired, Message: authorizer.MessageExpired,
			Detail: "exp 2026-11-25T11:00:00Z has passed"}
	case brokenTok:
		return authorizer.Result{}, errors.New("keys of local pool: database is locked")
	}
	return authorizer.Result{}, &authorizer.Denial{Reason: authorizer.ReasonBadSignature, Message: authorizer.MessageUnauthorized,
		Detail: "signature does not verify"}
}

// fakeUpstreams points testFnARN at a URL.
type fakeUpstreams struct{ urls map[string]string }

func (f fakeUpstreams) Upstream(ctx context.Context, arn string) (string, bool, error) {
	u, ok := f.urls[arn]
	return u, ok, nil
}

// recorded is what the recording upstream received.
type recorded struct {
	Method, Path, RawQuery, Host string
	RemoteAddr                   string
	Header                       http.Header
	BodyLen                      int
	Body                         string
}

// recorder is an upstream that records each request and answers 200
// "upstream saw <path>".
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []recorded
	// handle, when set, answers instead of the default.
	handle func(w http.ResponseWriter, r *http.Request)
}

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec.handle != nil {
			rec.handle(w, r)
			return
		}
		b, _ := io.ReadAll(r.Body)
		rec.record(r, b)
		w.Header().Set("X-Upstream", "yes")
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "upstream saw %s", r.URL.Path)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) record(r *http.Request, body []byte) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	body0 := string(body)
	if len(body0) > 256 {
		body0 = body0[:256]
	}
	rec.reqs = append(rec.reqs, recorded{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Host: r.Host, RemoteAddr: r.RemoteAddr,
		Header: r.Header.Clone(), BodyLen: len(body), Body: body0})
}

func (rec *recorder) reset() {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = nil
}

func (rec *recorder) requests() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

// last returns the one request the upstream received, failing otherwise.
func (rec *recorder) only(t *testing.T) recorded {
	t.Helper()
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("upstream received %d requests, want 1", len(reqs))
	}
	return reqs[0]
}

func proxyIntegration(uri string, params map[string]string) apimodel.Integration {
	return apimodel.Integration{Type: apimodel.IntegrationHTTPProxy, URI: uri, HTTPMethod: "ANY", RequestParameters: params}
}

func cognito(m *apimodel.Method, scopes ...string) *apimodel.Method {
	m.Authorization = apimodel.AuthCognito
	m.Authorizer = &apimodel.Authorizer{Name: "CognitoAuth", Type: "COGNITO_USER_POOLS", ProviderARNs: []string{poolARN}}
	m.Scopes = scopes
	return m
}

func res(id, path string, methods ...*apimodel.Method) *apimodel.Resource {
	r := &apimodel.Resource{ID: id, Path: path, Methods: map[string]*apimodel.Method{}}
	for _, m := range methods {
		r.Methods[m.HTTPMethod] = m
	}
	return r
}

// testAPI is the API most tests route to; up is the upstream's URL.
func testAPI(up string) *apimodel.API {
	return &apimodel.API{Resources: []*apimodel.Resource{
		res("root0", "/"),
		res("echo01", "/echo", cognito(&apimodel.Method{HTTPMethod: "POST",
			Integration: proxyIntegration(up+"/echo", nil)}, "stack/api")),
		res("idonly", "/me", cognito(&apimodel.Method{HTTPMethod: "GET",
			Integration: proxyIntegration(up+"/me", nil)})),
		res("items0", "/items/{id}", &apimodel.Method{HTTPMethod: "GET", Authorization: apimodel.AuthNone,
			Integration: proxyIntegration(up+"/v1/items/{id}?from=gw", map[string]string{
				"integration.request.path.id":         "method.request.path.id",
				"integration.request.querystring.tag": "'static'",
				"integration.request.header.X-Stage":  "stageVariables.env",
			})}),
		res("files0", "/files/{proxy+}", &apimodel.Method{HTTPMethod: "ANY", Authorization: apimodel.AuthNone,
			Integration: proxyIntegration("${stageVariables.backend}/store/{proxy}", map[string]string{
				"integration.request.path.proxy": "method.request.path.proxy",
			})}),
		res("stq000", "/staticq", &apimodel.Method{HTTPMethod: "GET", Authorization: apimodel.AuthNone,
			Integration: proxyIntegration(up+"/s?from=gw", nil)}),
		res("open00", "/open", &apimodel.Method{HTTPMethod: "ANY", Authorization: apimodel.AuthNone,
			Integration: proxyIntegration(up+"/open", nil)}),
		res("valid0", "/validated", &apimodel.Method{HTTPMethod: "POST", Authorization: apimodel.AuthNone,
			Validator:   &apimodel.Validator{Name: "body-only", Body: true},
			BodySchemas: map[string]json.RawMessage{"application/json": json.RawMessage(`{"type":"object","required":["a"]}`)},
			Integration: proxyIntegration(up+"/validated", nil)}),
		res("validx", "/validated-auth", cognito(&apimodel.Method{HTTPMethod: "POST",
			Validator:   &apimodel.Validator{Name: "body-only", Body: true},
			BodySchemas: map[string]json.RawMessage{"application/json": json.RawMessage(`{"type":"object","required":["a"]}`)},
			Integration: proxyIntegration(up+"/validated", nil)}, "stack/api")),
		res("slow00", "/slow", &apimodel.Method{HTTPMethod: "GET", Authorization: apimodel.AuthNone,
			Integration: apimodel.Integration{Type: apimodel.IntegrationHTTPProxy, URI: up + "/slow", TimeoutMillis: 100}}),
		res("fn0000", "/fn/{proxy+}", cognito(&apimodel.Method{HTTPMethod: "ANY",
			Integration: apimodel.Integration{Type: apimodel.IntegrationAWSProxy, HTTPMethod: "POST", FunctionARN: testFnARN,
				URI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + testFnARN + "/invocations"}}, "stack/api")),
		res("nofn00", "/nofn", &apimodel.Method{HTTPMethod: "GET", Authorization: apimodel.AuthNone,
			Integration: apimodel.Integration{Type: apimodel.IntegrationAWSProxy, HTTPMethod: "POST", FunctionARN: noFnARN}}),
		res("iam000", "/iam", &apimodel.Method{HTTPMethod: "GET", Authorization: apimodel.AuthIAM,
			Integration: proxyIntegration(up+"/iam", nil)}),
		res("custom", "/custom", &apimodel.Method{HTTPMethod: "GET", Authorization: apimodel.AuthCustom,
			Integration: proxyIntegration(up+"/custom", nil)}),
		res("aws000", "/aws", &apimodel.Method{HTTPMethod: "GET", Authorization: apimodel.AuthNone,
			Integration: apimodel.Integration{Type: apimodel.IntegrationAWS, URI: "arn:aws:apigateway:us-east-1:sqs:path/1/q"}}),
		res("http00", "/http/{code}", &apimodel.Method{HTTPMethod: "POST", Authorization: apimodel.AuthNone,
			Integration: apimodel.Integration{Type: apimodel.IntegrationHTTP, URI: up + "/status/{code}", HTTPMethod: "PUT",
				RequestParameters: map[string]string{"integration.request.path.code": "method.request.path.code"},
				Responses: map[string]*apimodel.IntegrationResponse{
					"default": {StatusCode: "200", ResponseParameters: map[string]string{
						"method.response.header.X-Mapped": "'static-value'",
						"method.response.header.X-From":   "integration.response.header.X-Upstream",
					}},
					"4\\d{2}": {StatusCode: "400"},
				}}}),
		res("mock00", "/mock", &apimodel.Method{HTTPMethod: "OPTIONS", Authorization: apimodel.AuthNone,
			Integration: apimodel.Integration{Type: apimodel.IntegrationMock,
				RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
				Responses: map[string]*apimodel.IntegrationResponse{"default": {StatusCode: "200",
					ResponseParameters: map[string]string{
						"method.response.header.Access-Control-Allow-Origin":  "'*'",
						"method.response.header.Access-Control-Allow-Methods": "'OPTIONS,POST'",
					},
					ResponseTemplates: map[string]string{"application/json": "{}"},
				}}}}),
	}}
}

// env is a gateway over testAPI, served on 127.0.0.1.
type env struct {
	t        *testing.T
	gw       *Gateway
	srv      *httptest.Server
	up       *recorder
	fn       *recorder
	src      *fakeSource
	compiler *fakeCompiler
	verifier *fakeVerifier
	logs     *syncBuffer
}

type envOption func(*Config)

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, up: newRecorder(t), fn: newRecorder(t), verifier: &fakeVerifier{}, logs: &syncBuffer{}}
	e.compiler = &fakeCompiler{apis: map[string]*apimodel.API{"main": testAPI(e.up.srv.URL)}}
	e.src = &fakeSource{}
	e.src.set(1, Stage{Region: "us-east-1", APIID: testAPIID, APIName: "echo-api", StageName: testStage, DeploymentID: "d1",
		Variables:  map[string]string{"env": "production", "backend": e.up.srv.URL},
		Definition: apimodel.Definition{RootResourceID: "main"}})
	cfg := Config{
		Source: e.src, Verifier: e.verifier,
		Upstreams:      fakeUpstreams{urls: map[string]string{testFnARN: e.fn.srv.URL + "/base"}},
		Logger:         newJSONLogger(e.logs),
		ExplainDenials: true,
		Now:            func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) },
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.gw = New(cfg)
	e.gw.tables.compile = e.compiler.compile
	e.srv = httptest.NewServer(e.gw)
	t.Cleanup(e.srv.Close)
	return e
}

// url is the path-style URL of path on the test stage.
func (e *env) url(path string) string {
	return e.srv.URL + "/restapis/" + testAPIID + "/" + testStage + "/_user_request_" + path
}

// do sends a request and returns the answer with its body read.
func (e *env) do(req *http.Request) (*http.Response, string) {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

func (e *env) request(method, path, auth string, body io.Reader) *http.Request {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url(path), body)
	if err != nil {
		e.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

func (e *env) get(path, auth string) (*http.Response, string) {
	return e.do(e.request(http.MethodGet, path, auth, nil))
}

func (e *env) post(path, auth, body string) (*http.Response, string) {
	req := e.request(http.MethodPost, path, auth, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return e.do(req)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newJSONLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
