package stack_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
)

// TestSecretsSealedAtRest deploys a template whose resource properties
// hold a NoEcho parameter value and a {{resolve:ssm-secure:...}} value,
// updates it (so undo records and the operation journal carry the old
// properties), and shows that neither value is ever stored in clear in
// any stack table (nor, on SQLite, anywhere in the database files), while
// the engine still reads its state back: a redeploy reports no changes.
func TestSecretsSealedAtRest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const (
		secret1 = "NoEchoValue-d41d8cd98f"
		secret2 = "NoEchoValue-9e107d9d37"
		secure  = "SsmSecureValue-e4d909c290"
	)
	_, err := f.params.PutParameter(ctx, region, ssm.PutInput{Name: "/app/db/password", Value: secure, Type: ssm.TypeSecureString})
	must(t, err)
	tmpl := `
Parameters:
  Secret: {Type: String, NoEcho: true}
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties: {UserPoolId: !Ref Pool}
  Vault:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: !Ref Secret
      Description: "{{resolve:ssm-secure:/app/db/password}}"
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          DB_PASSWORD: !Ref Secret
          DB_OTHER: "{{resolve:ssm-secure:/app/db/password}}"
Outputs:
  ClientId: {Value: !Ref Client}
`
	res := f.mustDeploy("sealed", tmpl, map[string]string{"Secret": secret1})
	if res.Status != stack.StatusCreateComplete || output(res, "ClientId") == "" {
		t.Fatalf("create: %+v", res)
	}
	again := f.mustDeploy("sealed", tmpl, map[string]string{"Secret": secret1})
	if !again.NoChanges || len(f.events) != 0 {
		t.Errorf("redeploy: NoChanges=%v events=%d", again.NoChanges, len(f.events))
	}
	// An update: Vault and Fn change, and their undo records hold secret1.
	upd := f.mustDeploy("sealed", tmpl, map[string]string{"Secret": secret2})
	if upd.NoChanges || upd.Status != stack.StatusUpdateComplete {
		t.Errorf("update: %+v", upd)
	}
	again = f.mustDeploy("sealed", tmpl, map[string]string{"Secret": secret2})
	if !again.NoChanges || len(f.events) != 0 {
		t.Errorf("redeploy after update: NoChanges=%v events=%d", again.NoChanges, len(f.events))
	}
	// The engine reads its sealed state back.
	info, err := f.eng.Describe(ctx, region, "sealed")
	must(t, err)
	if info.Status != stack.StatusUpdateComplete || len(info.Outputs) != 1 {
		t.Errorf("describe: %+v", info)
	}
	if _, err := f.eng.Events(ctx, region, "sealed"); err != nil {
		t.Error(err)
	}
	if body, err := f.eng.Template(ctx, region, "sealed"); err != nil || body != tmpl {
		t.Errorf("template: %v", err)
	}
	if len(f.resourceIDs("sealed")) != 4 {
		t.Errorf("resources: %v", f.resourceIDs("sealed"))
	}
	secrets := []string{secret1, secret2, secure}

	// Every row of every stack table, through database/sql.
	driver := "sqlite"
	if os.Getenv("COGNATE_TEST_POSTGRES") != "" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, f.path)
	must(t, err)
	defer db.Close()
	rowsSeen := 0
	for _, table := range []string{"stacks", "stack_resources", "stack_events", "stack_exports"} {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+table)
		must(t, err)
		cols, err := rows.Columns()
		must(t, err)
		for rows.Next() {
			rowsSeen++
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			for i, v := range vals {
				var text string
				switch v := v.(type) {
				case []byte:
					text = string(v)
				default:
					text = fmt.Sprint(v)
				}
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s.%s holds %q in clear", table, cols[i], s)
					}
				}
			}
		}
		must(t, rows.Err())
		rows.Close()
	}
	if rowsSeen < 5 {
		t.Errorf("scanned only %d rows", rowsSeen)
	}
	db.Close()

	// On SQLite, the raw bytes of the database and its WAL and shared
	// memory files, once the store is closed.
	if driver == "sqlite" {
		must(t, f.store.Close())
		for _, p := range []string{f.path, f.path + "-wal", f.path + "-shm"} {
			b, err := os.ReadFile(p)
			if os.IsNotExist(err) {
				continue
			}
			must(t, err)
			for _, s := range secrets {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds %q in clear", p, s)
				}
			}
		}
		// A restarted process, with the same master key, still sees no
		// changes.
		f.open()
		if res := f.mustDeploy("sealed", tmpl, map[string]string{"Secret": secret2}); !res.NoChanges {
			t.Errorf("redeploy after restart: %+v", res)
		}
	}
}

// TestSealedStateWrongKey shows that state sealed under one master key
// gives a clear error, not garbage, under another.
func TestSealedStateWrongKey(t *testing.T) {
	f := newFixture(t)
	f.mustDeploy("k", "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n", nil)
	other, err := sealer.New(bytes.Repeat([]byte{9}, sealer.KeySize))
	must(t, err)
	eng := stack.New(stack.Config{Store: f.store, Sealer: other, AccountID: account, Providers: provider.All(f.ids, f.params)})
	_, err = eng.Describe(context.Background(), region, "k")
	if !errors.Is(err, sealer.ErrOpen) || !strings.Contains(err.Error(), "opening stack") {
		t.Errorf("describe under another key: %v", err)
	}
	_, err = eng.Resources(context.Background(), region, "k")
	if !errors.Is(err, sealer.ErrOpen) {
		t.Errorf("resources under another key: %v", err)
	}
}
