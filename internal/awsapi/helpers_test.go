package awsapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/sigv4"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

const (
	testRegion    = "us-east-1"
	testAccessKey = "AKIDCOGNATETEST"
	testSecretKey = "cognate-test-secret-access-key"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a server.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a running Cognito API over a real SQLite-backed identity service.
type env struct {
	srv    *httptest.Server
	client *cip.Client
	store  *sqlstore.Store
	logs   *syncBuffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := identity.New(identity.Config{Store: st, Sealer: seal, AccountID: "000000000000",
		PublicURL: "http://127.0.0.1:4566", Logger: log})
	verifier := sigv4.NewVerifier(sigv4.Config{Lookup: sigv4.StaticLookup(
		sigv4.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey})})
	srv := httptest.NewServer(NewCognito(svc, verifier, testRegion, log))
	t.Cleanup(srv.Close)
	return &env{srv: srv, client: newClient(srv, testAccessKey, testSecretKey), store: st, logs: logs}
}

// newClient returns an SDK client for srv with static credentials and no
// retries, so error tests see the first answer.
func newClient(srv *httptest.Server, akid, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region:       testRegion,
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, Source: "test"}, nil
		}),
		RetryMaxAttempts: 1,
	})
}

// rawResponse is an answer to a hand-made request.
type rawResponse struct {
	status int
	header http.Header
	body   string
}

// raw sends a hand-made request; when sign is true it is SigV4-signed for
// cognito-idp with the test credentials.
func (e *env) raw(t *testing.T, method, target, contentType string, body []byte, sign bool) rawResponse {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	service := ""
	if sign {
		service = signingName
	}
	return signAndSend(t, e.srv.Client(), req, body, service, testRegion)
}

// signAndSend signs req (whose body is body) with the test credentials for
// service and region, unless service is "", sends it and reads the answer.
func signAndSend(t *testing.T, client *http.Client, req *http.Request, body []byte, service, region string) rawResponse {
	t.Helper()
	if service != "" {
		sum := sha256.Sum256(body)
		err := v4.NewSigner().SignHTTP(context.Background(),
			aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey},
			req, hex.EncodeToString(sum[:]), service, region, time.Now())
		if err != nil {
			t.Fatal(err)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// call sends a signed JSON 1.1 request for op.
func (e *env) call(t *testing.T, op, body string) rawResponse {
	t.Helper()
	return e.raw(t, http.MethodPost, cognitoTarget+"."+op, contentTypeJSON11, []byte(body), true)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func mustContain(t *testing.T, haystack, needle string) {
	t.Helper()
	if !strings.Contains(haystack, needle) {
		t.Errorf("want %q in\n%s", needle, haystack)
	}
}
