package awsapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cognatehq/cognate/internal/sigv4"
)

// FuzzDecodeRequest feeds arbitrary targets, content types and bodies to
// the JSON 1.1 request decoding (everything before SigV4 and the domain),
// then converts decoded inputs the way the handlers do. It must never
// panic, and every failure must be a well-formed client error: client
// input never yields a 500. Seeds live in testdata/fuzz/FuzzDecodeRequest.
func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []struct{ op, body string }{
		{"CreateUserPool", `{"PoolName":"p","Schema":[{"Name":"tenant","AttributeDataType":"String"}],"Policies":{"PasswordPolicy":{"MinimumLength":8}}}`},
		{"ListUserPools", `{"MaxResults":60,"NextToken":"abc"}`},
		{"CreateUserPoolClient", `{"UserPoolId":"us-east-1_a","ClientName":"c","GenerateSecret":true,"AllowedOAuthFlows":["client_credentials"]}`},
		{"CreateResourceServer", `{"UserPoolId":"us-east-1_a","Identifier":"i","Name":"n","Scopes":[{"ScopeName":"s","ScopeDescription":"d"}]}`},
		{"CreateUserPoolDomain", `{"UserPoolId":"us-east-1_a","Domain":"d","CustomDomainConfig":{"CertificateArn":"arn:aws:acm:us-east-1:0:certificate/x"}}`},
		{"UpdateUserPool", `{"UserPoolId":"us-east-1_a","LambdaConfig":{"PreTokenGenerationConfig":{"LambdaVersion":"V2_0"}}}`},
		{"DescribeUserPool", `{"UserPoolId":5}`},
		{"InitiateAuth", `{}`},
	} {
		f.Add(cognitoTarget+"."+s.op, contentTypeJSON11, []byte(s.body))
	}
	h := NewCognito(nil, sigv4.NewVerifier(sigv4.Config{}), testRegion, nil)
	f.Fuzz(func(t *testing.T, target, contentType string, body []byte) {
		name, in, err := h.decodeRequest(target, contentType, body)
		if err != nil {
			if err.Status != http.StatusBadRequest || err.Type == "" || err.Message == "" {
				t.Fatalf("decodeRequest(%q, %q, %q): %+v, want a 400 with a type and a message", target, contentType, body, err)
			}
			rec := httptest.NewRecorder()
			writeError(rec, err)
			var env map[string]string
			if rec.Code != http.StatusBadRequest || json.Unmarshal(rec.Body.Bytes(), &env) != nil || env["__type"] != err.Type {
				t.Fatalf("error answer %d %q", rec.Code, rec.Body.String())
			}
			return
		}
		if name == "" || in == nil {
			t.Fatalf("decodeRequest(%q): no operation or input", target)
		}
		convertInput(t, in)
	})
}

// convertInput runs the handlers' pure conversions on a decoded input, so
// the fuzzer also proves they cannot dereference an absent member.
func convertInput(t *testing.T, in any) {
	t.Helper()
	var err error
	switch v := in.(type) {
	case *createUserPoolInput:
		_, err = v.settings()
		_ = schemaToDomain(v.Schema)
	case *updateUserPoolInput:
		_, err = v.settings()
	case *createUserPoolClientInput:
		_, err = v.settings()
	case *updateUserPoolClientInput:
		_, err = v.settings()
	case *resourceServerInput:
		_ = v.domain()
	case *userPoolDomainInput:
		_ = v.custom()
	}
	if err != nil {
		t.Fatalf("convert %T: %v", in, err)
	}
}
