package stack_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

const (
	region  = "us-east-1"
	account = "123456789012"
)

// fixture is an Engine over real identity and ssm services on a fresh
// SQLite store, built as internal/app builds them.
type fixture struct {
	t      *testing.T
	path   string
	store  *sqlstore.Store
	ids    *identity.Service
	params *ssm.Service
	eng    *stack.Engine
	events []stack.Event
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "cognate.db")}
	if dsn := os.Getenv("COGNATE_TEST_POSTGRES"); dsn != "" {
		f.path = freshSchema(t, dsn)
	}
	f.open()
	return f
}

// freshSchema creates a schema in the PostgreSQL database that
// COGNATE_TEST_POSTGRES names (scripts/pgtest.sh sets it), drops it after
// the test, and returns the URL that makes it the search path: with it the
// engine's tests run on PostgreSQL.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "s_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// open (re)opens the store and builds the services and a new engine, as a
// restarted process would.
func (f *fixture) open() {
	t := f.t
	st, err := sqlstore.Open(context.Background(), f.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	f.store = st
	f.ids = identity.New(identity.Config{Store: st, Sealer: seal, AccountID: account, PublicURL: "http://127.0.0.1:4566"})
	f.params = ssm.New(ssm.Config{Store: st, Sealer: seal, AccountID: account})
	f.eng = stack.New(stack.Config{Store: st, Sealer: seal, AccountID: account, Providers: provider.All(f.ids, f.params),
		SSM: provider.SSMSource{Parameters: f.params}})
}

func (f *fixture) opts() stack.Options {
	return stack.Options{OnEvent: func(e stack.Event) { f.events = append(f.events, e) }}
}

func (f *fixture) deploy(name, body string, params map[string]string) (stack.DeployResult, error) {
	f.events = nil
	return f.eng.Deploy(context.Background(), region, name, body, params, f.opts())
}

func (f *fixture) mustDeploy(name, body string, params map[string]string) stack.DeployResult {
	f.t.Helper()
	res, err := f.deploy(name, body, params)
	if err != nil {
		f.t.Fatalf("deploy %s: %v", name, err)
	}
	return res
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func authTemplate(t *testing.T) string { return readFile(t, "../../examples/auth/template.yaml") }
func apiTemplate(t *testing.T) string  { return readFile(t, "testdata/echo-api-cfn.yaml") }

func output(res stack.DeployResult, key string) string {
	for _, o := range res.Outputs {
		if o.Key == key {
			return o.Value
		}
	}
	return ""
}

// token gets a client-credentials token for the client.
func (f *fixture) token(clientID, scope string) error {
	f.t.Helper()
	pool := f.poolID()
	cl, err := f.ids.DescribeUserPoolClient(context.Background(), region, pool, clientID)
	if err != nil {
		return err
	}
	_, err = f.ids.IssueClientCredentials(context.Background(), identity.ClientCredentialsRequest{
		Domain: "andmoredev", ClientID: clientID, ClientSecret: cl.ClientSecret, Scope: scope, ScopeGiven: true})
	return err
}

func (f *fixture) poolID() string {
	f.t.Helper()
	p, err := f.params.GetParameter(context.Background(), region, "/andmoredev-auth/CognitoUserPoolId", false)
	if err != nil {
		f.t.Fatalf("pool id parameter: %v", err)
	}
	return p.Value
}

func (f *fixture) pools() int {
	f.t.Helper()
	ps, _, err := f.ids.ListUserPools(context.Background(), region, "", 60)
	if err != nil {
		f.t.Fatal(err)
	}
	return len(ps)
}

func (f *fixture) status(name string) string {
	f.t.Helper()
	st, err := f.store.GetStack(context.Background(), region, name)
	if err != nil {
		f.t.Fatalf("stack %s: %v", name, err)
	}
	return st.Status
}

func (f *fixture) resourceIDs(name string) map[string]string {
	f.t.Helper()
	st, err := f.store.GetStack(context.Background(), region, name)
	if err != nil {
		f.t.Fatal(err)
	}
	rows, err := f.store.ListStackResources(context.Background(), st.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.LogicalID] = r.PhysicalID
		if r.Rollback != nil {
			f.t.Errorf("resource %s still carries an undo record", r.LogicalID)
		}
	}
	return out
}

func wantErrContains(t *testing.T, err error, target error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one containing %q", parts)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("error %v does not wrap %v", err, target)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func since(t0 time.Time) time.Duration { return time.Since(t0).Round(time.Microsecond) }

func ssmPut(name, value string) ssm.PutInput {
	return ssm.PutInput{Name: name, Value: value, Type: ssm.TypeString}
}
