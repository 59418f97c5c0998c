package sigv4

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// FuzzParseAuthorization checks that parsing never panics and that its
// answers are consistent: an error is always an *Error with a known Kind and a
// message; a success always has a usable scope.
func FuzzParseAuthorization(f *testing.F) {
	// More seeds live in testdata/fuzz/FuzzParseAuthorization.
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20260102/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=00ff")
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20260102/eu-west-1/ssm/aws4_request,SignedHeaders=host,Signature=00")
	f.Add("AWS4- =,,= \t")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := ParseAuthorization(header)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not *Error", err)
			}
			if e.Kind < KindMissingAuthenticationToken || e.Kind > KindSignatureExpired || e.Message == "" {
				t.Fatalf("bad error %#v", e)
			}
			return
		}
		if a.Algorithm != Algorithm || a.AccessKeyID == "" || a.Region == "" || a.Service == "" || a.Signature == "" {
			t.Fatalf("accepted incomplete authorization %+v from %q", a, header)
		}
		if strings.Contains(a.Region, "/") || strings.Contains(a.Service, "/") {
			t.Fatalf("scope part contains a slash: %+v", a)
		}
		if !strings.HasSuffix(a.CredentialScope(), "/"+Terminator) {
			t.Fatalf("scope %q", a.CredentialScope())
		}
	})
}

// FuzzVerify feeds arbitrary Authorization, date and query values through the
// whole verifier; it must never panic, and must never accept an arbitrary
// signature in strict mode.
func FuzzVerify(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential="+testAKID+"/20260102/eu-west-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20260102T030405Z", "", "/")
	f.Add("", "", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="+testAKID+"%2F20260102%2Feu-west-1%2Fsts%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00", "/a/../b")
	f.Add("AWS4-HMAC-SHA256 Credential="+testAKID+"/20260102/eu-west-1/ssm/aws4_request, SignedHeaders=Host;user-agent;;x, Signature=00", "20260102T030405Z", "a=%zz&b", "//./")
	f.Fuzz(func(t *testing.T, authz, date, query, path string) {
		r, err := http.NewRequest(http.MethodPost, "http://localhost:9229/", nil)
		if err != nil {
			t.Skip()
		}
		r.URL.Path, r.URL.RawQuery = path, query
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		res, err := strictVerifier().Verify(r, []byte("body"))
		if err == nil {
			t.Fatalf("accepted a forged request: %+v", res)
		}
		var e *Error
		if !errors.As(err, &e) || e.Message == "" {
			t.Fatalf("bad error %v", err)
		}
	})
}
