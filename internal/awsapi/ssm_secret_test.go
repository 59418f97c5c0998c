package awsapi

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// TestSecureStringPlaintextStaysSecret: a SecureString's plaintext reaches
// neither the database (its rows, nor any byte of its files) nor the log,
// whatever the calls do with it, and comes back only to a caller who asks
// for decryption.
func TestSecureStringPlaintextStaysSecret(t *testing.T) {
	e := newSSMEnv(t)
	ctx := context.Background()
	c := e.client
	secrets := []string{"pl41ntext-N3VER-stored-1", "pl41ntext-N3VER-stored-2", "pl41ntext-N3VER-stored-3"}

	if _, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/app/secret"), Value: aws.String(secrets[0]),
		Type: types.ParameterTypeSecureString, AllowedPattern: aws.String(`^pl41n.*$`), Description: aws.String("db password")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/app/secret"), Value: aws.String(secrets[1]),
		Overwrite: aws.Bool(true), KeyId: aws.String("alias/app")}); err != nil {
		t.Fatal(err)
	}
	// Refused puts, whose errors and logs must not echo the value either.
	_, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/app/secret"), Value: aws.String("x" + secrets[2]),
		Overwrite: aws.Bool(true)})
	var mismatch *types.ParameterPatternMismatchException
	if !errors.As(err, &mismatch) || strings.Contains(err.Error(), secrets[2]) {
		t.Fatalf("pattern mismatch: %v", err)
	}
	_, err = c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/app/secret"), Value: aws.String(secrets[2])})
	if err == nil || strings.Contains(err.Error(), secrets[2]) {
		t.Fatalf("put without overwrite: %v", err)
	}
	_, err = c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/app/other"), Value: aws.String(secrets[2] + "{{x}}"),
		Type: types.ParameterTypeSecureString})
	if err == nil || strings.Contains(err.Error(), secrets[2]) {
		t.Fatalf("nested value: %v", err)
	}

	// Reads without decryption carry no plaintext; with it, they do.
	for _, call := range []struct{ op, body string }{
		{"GetParameter", `{"Name":"/app/secret"}`},
		{"GetParameter", `{"Name":"/app/secret:1"}`},
		{"GetParameters", `{"Names":["/app/secret"]}`},
		{"GetParametersByPath", `{"Path":"/app"}`},
		{"GetParameterHistory", `{"Name":"/app/secret"}`},
		{"DescribeParameters", `{}`},
	} {
		r := e.call(t, call.op, call.body)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", call.op, r.status, r.body)
		}
		for _, s := range secrets {
			if strings.Contains(r.body, s) {
				t.Errorf("%s without decryption returned the plaintext: %s", call.op, r.body)
			}
		}
	}
	r := e.call(t, "GetParameterHistory", `{"Name":"/app/secret","WithDecryption":true}`)
	if !strings.Contains(r.body, secrets[0]) || !strings.Contains(r.body, secrets[1]) {
		t.Fatalf("history with decryption: %s", r.body)
	}

	// The rows hold sealed values only.
	db, err := sql.Open("sqlite", "file:"+e.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT name, version, type, value, key_id FROM parameter_versions")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var name, typ, keyID string
		var version int64
		var value []byte
		if err := rows.Scan(&name, &version, &typ, &value, &keyID); err != nil {
			t.Fatal(err)
		}
		n++
		if typ != "SecureString" || len(value) < 28 {
			t.Errorf("row %s:%d: type %s, %d value bytes", name, version, typ, len(value))
		}
		for _, s := range secrets {
			if bytes.Contains(value, []byte(s)) {
				t.Errorf("row %s:%d holds the plaintext", name, version)
			}
		}
	}
	if err := rows.Err(); err != nil || n != 2 {
		t.Fatalf("%d rows, %v", n, err)
	}

	// And no byte of the database's files does, before or after the WAL
	// is checkpointed into the database file.
	checkFiles := func(when string) {
		t.Helper()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			b, err := os.ReadFile(e.dbPath + suffix)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range secrets {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s: cognate.db%s holds the plaintext %q", when, suffix, s)
				}
			}
		}
	}
	checkFiles("while open")
	if !bytes.Contains(mustRead(t, e.dbPath+"-wal"), []byte("/app/secret")) && !bytes.Contains(mustRead(t, e.dbPath), []byte("/app/secret")) {
		t.Fatal("the parameter's name is in neither file: the file check reads the wrong files")
	}
	db.Close()
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	checkFiles("after close")

	logs := e.logs.String()
	if !strings.Contains(logs, "parameter put") || !strings.Contains(logs, "ssm call rejected") {
		t.Fatalf("the log misses the calls, so the check below proves nothing:\n%s", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds the plaintext %q:\n%s", s, logs)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return b
}
