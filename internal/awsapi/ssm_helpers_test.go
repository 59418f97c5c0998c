package awsapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/sigv4"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

const testAccount = "000000000000"

// ssmEnv is a running SSM API over a real SQLite-backed ssm service.
type ssmEnv struct {
	srv    *httptest.Server
	client *awsssm.Client
	store  *sqlstore.Store
	dbPath string
	logs   *syncBuffer
	api    *SSM
}

func newSSMEnv(t *testing.T) *ssmEnv {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "cognate.db")
	st, err := sqlstore.OpenSQLite(context.Background(), dbPath)
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
	svc := ssm.New(ssm.Config{Store: st, Sealer: seal, AccountID: testAccount, Logger: log})
	verifier := sigv4.NewVerifier(sigv4.Config{Lookup: sigv4.StaticLookup(
		sigv4.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey})})
	api := NewSSM(svc, verifier, testRegion, log)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &ssmEnv{srv: srv, client: newSSMClient(srv, testRegion), store: st, dbPath: dbPath, logs: logs, api: api}
}

// newSSMClient returns an SDK client for srv in region, with static
// credentials and no retries, so error tests see the first answer.
func newSSMClient(srv *httptest.Server, region string) *awsssm.Client {
	return awsssm.New(awsssm.Options{
		Region:       region,
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, Source: "test"}, nil
		}),
		RetryMaxAttempts: 1,
	})
}

// raw sends a hand-made request; when service is not empty it is
// SigV4-signed for that service and region with the test credentials.
func (e *ssmEnv) raw(t *testing.T, target string, body string, service, region string) rawResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	req.Header.Set("Content-Type", contentTypeJSON11)
	return signAndSend(t, e.srv.Client(), req, []byte(body), service, region)
}

// call sends a signed JSON 1.1 request for an SSM operation.
func (e *ssmEnv) call(t *testing.T, op, body string) rawResponse {
	t.Helper()
	return e.raw(t, ssmTarget+"."+op, body, ssmSigningName, testRegion)
}
