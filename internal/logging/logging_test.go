package logging

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/requestid"
)

func TestRedactsSecretsAndAddsRequestID(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	ctx := requestid.NewContext(context.Background(), "req-1")
	log.InfoContext(ctx, "issued", "client_secret", "s3cr3t", "access_token", "eyJhbGc", "jti", "j-1", "Authorization", "Basic x")
	out := buf.String()
	for _, leak := range []string{"s3cr3t", "eyJhbGc", "Basic x"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q: %s", leak, out)
		}
	}
	for _, want := range []string{`"jti":"j-1"`, `"request_id":"req-1"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s: %s", want, out)
		}
	}
}

func TestBadSettings(t *testing.T) {
	if _, err := New(&bytes.Buffer{}, "xml", "info"); err == nil {
		t.Error("xml format accepted")
	}
	if _, err := New(&bytes.Buffer{}, "json", "loud"); err == nil {
		t.Error("bad level accepted")
	}
}
