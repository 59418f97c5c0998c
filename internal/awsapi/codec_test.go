package awsapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/sigv4"
)

func TestJavaDouble(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{1594889658.976, "1.594889658976E9"},
		{1700000000, "1.7E9"},
		{1619707045.438, "1.619707045438E9"},
		{0, "0.0"},
		{3, "3.0"},
		{12.5, "12.5"},
		{1e7, "1.0E7"},
		{-1.5e10, "-1.5E10"},
	} {
		if got := javaDouble(tc.in); got != tc.want {
			t.Errorf("javaDouble(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestEpochTime(t *testing.T) {
	ts := time.Date(2020, 7, 16, 8, 54, 18, 976_500_000, time.UTC)
	b, err := json.Marshal(struct {
		T epochTime `json:",omitzero"`
		Z epochTime `json:",omitzero"`
	}{T: epochTime(ts)})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `{"T":1.594889658976E9}` {
		t.Errorf("got %s", got)
	}
	var back struct{ T float64 }
	if err := json.Unmarshal(b, &back); err != nil || back.T != 1594889658.976 {
		t.Errorf("round trip %v %v", back.T, err)
	}
}

func TestContentTypes(t *testing.T) {
	for ct, ok := range map[string]bool{
		"application/x-amz-json-1.1":                true,
		"application/x-amz-json-1.1; charset=UTF-8": true,
		"Application/JSON":                          true,
		"application/x-amz-json-1.0":                true,
		"":                                          false,
		"text/plain":                                false,
		"application/x-www-form-urlencoded":         false,
		";;;":                                       false,
	} {
		if got := checkContentType(ct) == nil; got != ok {
			t.Errorf("checkContentType(%q) accepted = %v, want %v", ct, got, ok)
		}
	}
}

func TestParseTarget(t *testing.T) {
	for target, want := range map[string]string{
		"AWSCognitoIdentityProviderService.ListUserPools": "ListUserPools",
		"AWSCognitoIdentityProviderService.":              "",
		"AWSCognitoIdentityProviderService":               "",
		"AmazonSSM.GetParameter":                          "",
		"":                                                "",
	} {
		got, err := parseTarget(target)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("parseTarget(%q) = %q, %v", target, got, err)
		}
		if err != nil && (err.Type != typeUnknownOperation || err.Status != http.StatusBadRequest) {
			t.Errorf("parseTarget(%q) error %+v", target, err)
		}
	}
}

func TestValidationMessage(t *testing.T) {
	var v validation
	if v.err() != nil {
		t.Fatal("no failures, want no error")
	}
	v.notNull(true, "present")
	v.notNull(false, "userPoolId")
	want := "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
	if e := v.err(); e == nil || e.Message != want || e.Type != typeInvalidParameter {
		t.Errorf("got %+v", e)
	}
}

// TestUnknownErrorIsInternal: an error that is neither a domain, SigV4 nor
// codec error becomes a bare 500.
func TestUnknownErrorIsInternal(t *testing.T) {
	e := toAPIError(errContext("boom: db password=hunter2"))
	if e.Type != typeInternalError || e.Status != http.StatusInternalServerError || e.Message != msgInternal {
		t.Errorf("got %+v", e)
	}
	rec := httptest.NewRecorder()
	writeError(rec, e)
	if strings.Contains(rec.Body.String(), "hunter2") || rec.Header().Get("x-amzn-ErrorType") != typeInternalError {
		t.Errorf("answer leaks detail or lacks header: %s %v", rec.Body.String(), rec.Header())
	}
	se := toAPIError(&sigv4.Error{Kind: sigv4.KindSignatureExpired, Message: "Signature expired: x"})
	if se.Type != typeInvalidSignature || se.Status != http.StatusBadRequest || se.Message != "Signature expired: x" {
		t.Errorf("expired signature: %+v", se)
	}
}

type errContext string

func (e errContext) Error() string { return string(e) }

// TestResponseNotHTMLEscaped: AWS does not escape <, > and & in JSON.
func TestResponseNotHTMLEscaped(t *testing.T) {
	rec := httptest.NewRecorder()
	writeJSON(rec, http.StatusOK, map[string]string{"a": "<&>"})
	if got := rec.Body.String(); got != `{"a":"<&>"}` || !bytes.Equal([]byte(rec.Header().Get("Content-Length")), []byte("11")) {
		t.Errorf("got %q, Content-Length %q", got, rec.Header().Get("Content-Length"))
	}
}
