// Package samexample_test deploys examples/echo-api as written, through
// internal/stack/sam's transform. It is its own package so that the
// engine's tests do not depend on the SAM transform's.
package samexample_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack/provider"
	"github.com/cognatehq/cognate/internal/store/sqlstore"

	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/sam"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// TestExampleEchoAPIWithSAM deploys examples/echo-api/template.yaml as
// written (SAM) through internal/stack/sam's transform: its Cognito
// resources are created, the API Gateway, Lambda and IAM resources the
// transform produces are recorded with warnings until their emulators
// exist.
func TestExampleEchoAPIWithSAM(t *testing.T) {
	st, err := sqlstore.OpenSQLite(t.Context(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seal, _ := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	ids := identity.New(identity.Config{Store: st, Sealer: seal, AccountID: "123456789012", PublicURL: "http://127.0.0.1:4566"})
	params := ssm.New(ssm.Config{Store: st, Sealer: seal, AccountID: "123456789012"})
	eng := stack.New(stack.Config{Store: st, Sealer: seal, AccountID: "123456789012", Providers: provider.All(ids, params),
		SSM: provider.SSMSource{Parameters: params}})
	ctx := context.Background()
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if _, err := eng.Deploy(ctx, "us-east-1", "andmoredev-auth", read("../../../examples/auth/template.yaml"), nil, stack.Options{}); err != nil {
		t.Fatal(err)
	}
	dir := "../../../examples/echo-api"
	o := stack.Options{Transform: func(tm *template.Template) (*template.Template, error) {
		return sam.Transform(tm, sam.Options{Load: sam.DirLoader(dir)})
	}}
	body := read(dir + "/template.yaml")
	res, err := eng.Deploy(ctx, "us-east-1", "echo-api", body, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	clientID := ""
	for _, out := range res.Outputs {
		if out.Key == "ClientId" {
			clientID = out.Value
		}
	}
	if res.Status != stack.StatusCreateComplete || clientID == "" {
		t.Fatalf("%+v", res)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "AWS::Lambda::Function") {
		t.Errorf("warnings %q", res.Warnings)
	}
	pool, err := params.GetParameter(ctx, "us-east-1", "/andmoredev-auth/CognitoUserPoolId", false)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := ids.DescribeUserPoolClient(ctx, "us-east-1", pool.Value, clientID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ids.IssueClientCredentials(ctx, identity.ClientCredentialsRequest{Domain: "andmoredev", ClientID: clientID,
		ClientSecret: cl.ClientSecret, Scope: "echo-api/echo", ScopeGiven: true}); err != nil {
		t.Errorf("token: %v", err)
	}
	again, err := eng.Deploy(ctx, "us-east-1", "echo-api", body, nil, o)
	if err != nil || !again.NoChanges {
		t.Errorf("redeploy: %+v %v", again, err)
	}
	rs, _ := eng.Resources(ctx, "us-east-1", "echo-api")
	t.Logf("resources: %d, warnings: %q", len(rs), res.Warnings)
}
