package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testAKID    = "AKIDEXAMPLE000000001"
	testSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testToken   = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=="
	testRegion  = "eu-west-1"
	testService = "cognito-idp"
)

// signTime is the signing time of every test request.
var signTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func strictVerifier() *Verifier {
	return NewVerifier(Config{
		Lookup: StaticLookup(Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}),
		Now:    fixedClock(signTime),
	})
}

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// clientRequest builds a request the way an SDK client would before signing.
func clientRequest(t testing.TB, method, url string, body []byte, headers map[string]string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}

// cognitoRequest is a typical cognito-idp JSON 1.1 call.
func cognitoRequest(t testing.TB) (*http.Request, []byte) {
	body := []byte(`{"UserPoolId":"eu-west-1_EXAMPLE","Username":"alice"}`)
	return clientRequest(t, http.MethodPost, "https://cognito-idp.eu-west-1.amazonaws.com/", body, map[string]string{
		"Content-Type":          "application/x-amz-json-1.1",
		"X-Amz-Target":          "AWSCognitoIdentityProviderService.AdminGetUser",
		"Amz-Sdk-Invocation-Id": "8a1c9f1e-0000-4000-8000-000000000001",
		"Amz-Sdk-Request":       "attempt=1; max=3",
		"User-Agent":            "aws-sdk-go-v2/1.48.0 os/linux lang/go#1.26",
	}), body
}

type signOpts struct {
	akid, secret, token string
	region, service     string
	at                  time.Time
}

func defaultSignOpts() signOpts {
	return signOpts{akid: testAKID, secret: testSecret, region: testRegion, service: testService, at: signTime}
}

// sdkSign signs r in place with aws-sdk-go-v2's signer, as a client does.
func sdkSign(t testing.TB, r *http.Request, body []byte, o signOpts) {
	t.Helper()
	creds := aws.Credentials{AccessKeyID: o.akid, SecretAccessKey: o.secret, SessionToken: o.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hexSHA256(body), o.service, o.region, o.at); err != nil {
		t.Fatal(err)
	}
}

// toServer sends r over an in-memory wire and returns the request as an
// http.Server handler would see it, with its body.
func toServer(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return readWire(t, buf.Bytes())
}

func readWire(t testing.TB, wire []byte) (*http.Request, []byte) {
	t.Helper()
	sr, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(wire)))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(sr.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sr, body
}

// signedCognito returns a signed cognito request as the server sees it.
func signedCognito(t testing.TB, o signOpts) (*http.Request, []byte) {
	t.Helper()
	r, body := cognitoRequest(t)
	sdkSign(t, r, body, o)
	return toServer(t, r)
}

// wantErr checks err is an *Error of kind k whose message is msg (or starts
// with msg when msg ends in "...").
func wantErr(t *testing.T, err error, k Kind, msg string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *Error of kind %v", err, k)
	}
	if e.Kind != k {
		t.Errorf("kind = %v, want %v (message %q)", e.Kind, k, e.Message)
	}
	if prefix, ok := strings.CutSuffix(msg, "..."); ok {
		if !strings.HasPrefix(e.Message, prefix) {
			t.Errorf("message = %q, want prefix %q", e.Message, prefix)
		}
	} else if e.Message != msg {
		t.Errorf("message = %q\nwant      %q", e.Message, msg)
	}
	return e
}

// setAuth replaces one "Key=value" parameter of the Authorization header.
func setAuth(r *http.Request, key, value string) {
	h := r.Header.Get("Authorization")
	var parts []string
	for _, p := range strings.Split(strings.TrimPrefix(h, Algorithm+" "), ", ") {
		if strings.HasPrefix(p, key+"=") {
			if value == "" {
				continue
			}
			p = key + "=" + value
		}
		parts = append(parts, p)
	}
	r.Header.Set("Authorization", Algorithm+" "+strings.Join(parts, ", "))
}

func hexHMAC(key []byte, msg string) string { return hex.EncodeToString(hmacSHA256(key, msg)) }
