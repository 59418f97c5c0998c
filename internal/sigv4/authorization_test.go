package sigv4

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseAuthorization(t *testing.T) {
	want := Authorization{
		Algorithm:     Algorithm,
		Credential:    "AKID/20260102/eu-west-1/cognito-idp/aws4_request",
		AccessKeyID:   "AKID",
		Date:          "20260102",
		Region:        "eu-west-1",
		Service:       "cognito-idp",
		SignedHeaders: []string{"content-type", "host", "x-amz-date"},
		Signature:     "0123abcd",
	}
	// The spacing variants clients send; AWS splits on commas and whitespace.
	for _, h := range []string{
		// aws-sdk-go-v2, botocore (AWS CLI, boto3), Java and JS SDKs.
		"AWS4-HMAC-SHA256 Credential=AKID/20260102/eu-west-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd",
		// No space after commas (several hand-written signers, curl --aws-sigv4).
		"AWS4-HMAC-SHA256 Credential=AKID/20260102/eu-west-1/cognito-idp/aws4_request,SignedHeaders=content-type;host;x-amz-date,Signature=0123abcd",
		// Spaces only.
		"AWS4-HMAC-SHA256 Credential=AKID/20260102/eu-west-1/cognito-idp/aws4_request SignedHeaders=content-type;host;x-amz-date Signature=0123abcd",
		// Extra whitespace, tabs, surrounding space, another order.
		"  AWS4-HMAC-SHA256\tSignature=0123abcd ,  Credential=AKID/20260102/eu-west-1/cognito-idp/aws4_request,\tSignedHeaders=content-type;host;x-amz-date  ",
		// Trailing slash on the credential, ignored as AWS does; unknown parameter ignored.
		"AWS4-HMAC-SHA256 Credential=AKID/20260102/eu-west-1/cognito-idp/aws4_request/, Foo=bar, SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd",
	} {
		got, err := ParseAuthorization(h)
		if err != nil {
			t.Errorf("ParseAuthorization(%q): %v", h, err)
			continue
		}
		w := want
		w.Credential = got.Credential // keeps the raw trailing slash
		if !reflect.DeepEqual(got, w) {
			t.Errorf("ParseAuthorization(%q)\n got %+v\nwant %+v", h, got, w)
		}
		if got.CredentialScope() != "20260102/eu-west-1/cognito-idp/aws4_request" {
			t.Errorf("CredentialScope() = %q", got.CredentialScope())
		}
	}
}

func TestParseAuthorizationErrors(t *testing.T) {
	tests := []struct {
		header string
		kind   Kind
		msg    string
	}{
		{"", KindMissingAuthenticationToken, msgMissingToken},
		{"   ", KindMissingAuthenticationToken, msgMissingToken},
		{"Basic dXNlcjpwYXNz", KindMissingAuthenticationToken, msgMissingToken},
		{"AWS4-HMAC-SHA256", KindIncompleteSignature, "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"},
		{"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab", KindIncompleteSignature, "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256"},
		{"AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=ab", KindIncompleteSignature, "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256"},
		{"AWS4-HMAC-SHA256 Credential=A/20260102/r/s/aws4_request, SignedHeaders=host", KindIncompleteSignature, "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256"},
		{"AWS4-HMAC-SHA256 FooBar, BazBurp", KindIncompleteSignature, "'FooBar' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 FooBar, BazBurp'"},
		{"AWS4-HMAC-SHA1 Credential=A/20260102/r/s/aws4_request, SignedHeaders=host, Signature=ab", KindIncompleteSignature, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now)."},
		{"AWS4-HMAC-SHA256 Credential=A/20260102/r/s, SignedHeaders=host, Signature=ab", KindIncompleteSignature, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'A/20260102/r/s'"},
		{"AWS4-HMAC-SHA256 Credential=A/20260102/r/s/aws4_request/x, SignedHeaders=host, Signature=ab", KindIncompleteSignature, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'A/20260102/r/s/aws4_request/x'"},
		{"AWS4-HMAC-SHA256 Credential=/20260102/r/s/aws4_request, SignedHeaders=host, Signature=ab", KindIncompleteSignature, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '/20260102/r/s/aws4_request'"},
		{"AWS4-HMAC-SHA256 Credential=A/20260102/r/s/aws5_request, SignedHeaders=host, Signature=ab", KindSignatureDoesNotMatch, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."},
	}
	for _, tt := range tests {
		_, err := ParseAuthorization(tt.header)
		t.Run(tt.header, func(t *testing.T) { wantErr(t, err, tt.kind, tt.msg) })
	}
}

func TestEchoBoundsMessages(t *testing.T) {
	long := "AWS4-HMAC-SHA256 " + strings.Repeat("x", 10000)
	_, err := ParseAuthorization(long)
	e := wantErr(t, err, KindIncompleteSignature, "'xxx...")
	if len(e.Message) > 700 {
		t.Errorf("message is %d bytes", len(e.Message))
	}
}
