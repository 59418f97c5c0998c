package provider_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
	"github.com/cognatehq/cognate/internal/stack/template"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

func props(t *testing.T, src string) *template.Node {
	t.Helper()
	n, _, err := template.ReadValue([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestParameterValidate(t *testing.T) {
	p := provider.Parameter{}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"ok", `{Name: /a/b, Type: String, Value: x}`, ""},
		{"one level", `{Name: plain, Type: String, Value: x}`, ""},
		{"no slash", `{Name: a/b, Type: String, Value: x}`, "P/Name: Parameter name must be a fully qualified name."},
		{"reserved", `{Name: /aws/x, Type: String, Value: x}`, `can't be prefixed with "aws" or "ssm"`},
		{"secure", `{Type: SecureString, Value: x}`, "P/Type: Value 'SecureString'"},
		{"empty value", `{Type: String, Value: ""}`, "P/Value: Property Value cannot be empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := p.Validate(props(t, tc.src), "P")
			if tc.want == "" {
				if len(errs) > 0 {
					t.Errorf("unexpected: %v", errs)
				}
				return
			}
			if !strings.Contains(errs.Error(), tc.want) {
				t.Errorf("got %v, want %q", errs, tc.want)
			}
		})
	}
}

// TestReplacementProperties pins which property changes replace a
// resource, as the CloudFormation resource reference documents them.
func TestParameterValidateUnresolved(t *testing.T) {
	n, err := template.FromValue(map[string]any{"Name": stack.Unresolved + "x/y", "Type": "String", "Value": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if errs := (provider.Parameter{}).Validate(n, "P"); len(errs) > 0 {
		t.Errorf("a name not known yet was checked: %v", errs)
	}
}

func TestReplacementProperties(t *testing.T) {
	all := provider.All(nil, nil)
	want := map[string]string{
		"AWS::Cognito::UserPoolClient":         "UserPoolId GenerateSecret",
		"AWS::Cognito::UserPoolResourceServer": "Identifier UserPoolId",
		"AWS::Cognito::UserPoolDomain":         "Domain UserPoolId",
		"AWS::SSM::Parameter":                  "Name",
		"AWS::Cognito::UserPool":               "AliasAttributes UsernameAttributes UsernameConfiguration",
	}
	for typ, w := range want {
		if got := strings.Join(all[typ].Schema().Replace, " "); got != w {
			t.Errorf("%s replaces on %q, want %q", typ, got, w)
		}
	}
}

func TestSSMSource(t *testing.T) {
	st, err := sqlstore.OpenSQLite(t.Context(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seal, _ := sealer.New(bytes.Repeat([]byte{1}, sealer.KeySize))
	svc := ssm.New(ssm.Config{Store: st, Sealer: seal, AccountID: "123456789012"})
	src := provider.SSMSource{Parameters: svc}
	ctx := context.Background()
	if _, err := src.ParameterValue(ctx, "us-east-1", "/nope", false); !errors.Is(err, stack.ErrParameterNotFound) {
		t.Errorf("missing parameter: %v", err)
	}
	if _, err := svc.PutParameter(ctx, "us-east-1", ssm.PutInput{Name: "/a", Value: "v1", Type: "String"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutParameter(ctx, "us-east-1", ssm.PutInput{Name: "/a", Value: "v2", Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"/a": "v2", "/a:1": "v1"} {
		if v, err := src.ParameterValue(ctx, "us-east-1", name, false); err != nil || v != want {
			t.Errorf("%s = %q, %v", name, v, err)
		}
	}
}

// TestPlannedIDs: the pool and client providers draw ids in Cognito's
// formats before creating, a fresh one each time.
func TestPlannedIDs(t *testing.T) {
	req := stack.Request{Region: "eu-west-1", LogicalID: "X"}
	for _, tc := range []struct {
		p    stack.Provider
		want *regexp.Regexp
	}{
		{provider.UserPool{}, regexp.MustCompile(`^eu-west-1_[A-Za-z0-9]{9}$`)},
		{provider.Client{}, regexp.MustCompile(`^[a-z0-9]{26}$`)},
	} {
		pi, ok := tc.p.(stack.PlannedID)
		if !ok {
			t.Fatalf("%T does not implement stack.PlannedID", tc.p)
		}
		a, b := pi.PlannedID(req), pi.PlannedID(req)
		if !tc.want.MatchString(a) || a == b {
			t.Errorf("%T planned %q then %q; want two different ids matching %s", tc.p, a, b, tc.want)
		}
	}
}
