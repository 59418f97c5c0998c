package sigv4

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestVerifyGood(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		url     string
		body    string
		headers map[string]string
		opts    func(*signOpts)
	}{
		{name: "cognito-idp POST", method: "POST", url: "https://cognito-idp.eu-west-1.amazonaws.com/", body: `{"MaxResults":10}`,
			headers: map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools"}},
		{name: "session token", method: "POST", url: "https://ssm.eu-west-1.amazonaws.com/", body: `{"Name":"/a"}`,
			headers: map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.GetParameter"},
			opts:    func(o *signOpts) { o.token = testToken; o.service = "ssm" }},
		{name: "query API with odd characters", method: "GET",
			url:  "http://localhost:9229/?Action=DescribeStacks&StackName=my%20stack&Filter=a%2Fb&Tag=x+y&Empty=&Star=%2A&Tilde=~",
			opts: func(o *signOpts) { o.service = "cloudformation" }},
		{name: "escaped path", method: "GET", url: "https://abc.execute-api.eu-west-1.amazonaws.com/prod/items/a%20b/%E2%82%AC/c%2Fd",
			opts: func(o *signOpts) { o.service = "execute-api" }},
		{name: "non-default port", method: "POST", url: "http://127.0.0.1:9229/", body: `{}`,
			headers: map[string]string{"X-Amz-Target": "AmazonSSM.DescribeParameters"}},
		{name: "repeated header and inner spaces", method: "PUT", url: "http://localhost:9229/x", body: "data",
			headers: map[string]string{"X-Amz-Meta-Note": "a   b  c", "Content-Type": "text/plain"}},
		{name: "empty body POST", method: "POST", url: "http://localhost:9229/"},
		{name: "x-amz-content-sha256 declared", method: "POST", url: "http://localhost:9229/", body: "abc",
			headers: map[string]string{"X-Amz-Content-Sha256": hexSHA256([]byte("abc"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := defaultSignOpts()
			if tt.opts != nil {
				tt.opts(&o)
			}
			r := clientRequest(t, tt.method, tt.url, []byte(tt.body), tt.headers)
			if tt.name == "repeated header and inner spaces" {
				r.Header.Add("X-Amz-Meta-Note", " second ")
			}
			sdkSign(t, r, []byte(tt.body), o)
			sr, body := toServer(t, r)

			res, err := strictVerifier().Verify(sr, body)
			if err != nil {
				var e *Error
				errors.As(err, &e)
				t.Fatalf("Verify: %v\n%s", err, e.Detail)
			}
			if res.AccessKeyID != testAKID || res.Region != o.region || res.Service != o.service || res.Date != "20260102" {
				t.Errorf("result = %+v", res)
			}
			if !res.Verified || !res.PayloadSigned || res.Presigned || res.HasSessionToken != (o.token != "") {
				t.Errorf("flags = %+v", res)
			}
			if !res.SigningTime.Equal(signTime) {
				t.Errorf("SigningTime = %v", res.SigningTime)
			}
			if !strings.Contains(strings.Join(res.SignedHeaders, ";"), "host") {
				t.Errorf("SignedHeaders = %v", res.SignedHeaders)
			}
		})
	}
}

// TestVerifyUsesSDKPath makes sure ordinary SDK requests never need the
// manual fallback.
func TestVerifyUsesSDKPath(t *testing.T) {
	sr, _ := signedCognito(t, signOpts{akid: testAKID, secret: testSecret, token: testToken, region: testRegion, service: testService, at: signTime})
	s, err := strictVerifier().inspect(sr, Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if reason := sdkCannotReproduce(sr, s); reason != "" {
		t.Fatalf("SDK path refused: %s", reason)
	}
}

func TestVerifyFailures(t *testing.T) {
	const mismatch = msgSignatureMismatch
	tests := []struct {
		name   string
		opts   func(*signOpts)
		mutate func(r *http.Request, body *[]byte)
		scope  Scope
		now    time.Time
		kind   Kind
		msg    string
	}{
		{name: "wrong secret", opts: func(o *signOpts) { o.secret = "not-the-secret" },
			kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "changed body", mutate: func(_ *http.Request, b *[]byte) {
			*b = []byte(`{"UserPoolId":"eu-west-1_EXAMPLE","Username":"mallory"}`)
		},
			kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "changed signed header", mutate: func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser")
		}, kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "changed method", mutate: func(r *http.Request, _ *[]byte) { r.Method = "PUT" },
			kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "changed path", mutate: func(r *http.Request, _ *[]byte) { r.URL.Path = "/other" },
			kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "added query", mutate: func(r *http.Request, _ *[]byte) { r.URL.RawQuery = "a=b" },
			kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "changed host", mutate: func(r *http.Request, _ *[]byte) { r.Host = "evil.example.com" },
			kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "region in scope rewritten", mutate: func(r *http.Request, _ *[]byte) {
			setAuth(r, "Credential", testAKID+"/20260102/us-east-1/cognito-idp/aws4_request")
		}, kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "service in scope rewritten", mutate: func(r *http.Request, _ *[]byte) {
			setAuth(r, "Credential", testAKID+"/20260102/eu-west-1/ssm/aws4_request")
		}, kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "signed for another region", opts: func(o *signOpts) { o.region = "us-east-1" }, scope: Scope{Region: "eu-west-1"},
			kind: KindSignatureDoesNotMatch, msg: "Credential should be scoped to a valid region, not 'us-east-1'."},
		{name: "signed for another service", opts: func(o *signOpts) { o.service = "ssm" }, scope: Scope{Service: "cognito-idp"},
			kind: KindSignatureDoesNotMatch, msg: "Credential should be scoped to correct service: 'cognito-idp'."},
		{name: "wrong region and service", opts: func(o *signOpts) { o.service = "ssm"; o.region = "us-east-1" },
			scope: Scope{Region: "eu-west-1", Service: "cognito-idp"}, kind: KindSignatureDoesNotMatch,
			msg: "Credential should be scoped to a valid region, not 'us-east-1'. Credential should be scoped to correct service: 'cognito-idp'."},
		{name: "unknown key", opts: func(o *signOpts) { o.akid = "AKIDUNKNOWN000000000" },
			kind: KindUnrecognizedClient, msg: "The security token included in the request is invalid."},
		{name: "expired", now: signTime.Add(5*time.Minute + time.Second), kind: KindSignatureExpired,
			msg: "Signature expired: 20260102T030405Z is now earlier than 20260102T030406Z (20260102T030906Z - 5 min.)"},
		{name: "not yet current", now: signTime.Add(-5*time.Minute - time.Second), kind: KindSignatureExpired,
			msg: "Signature not yet current: 20260102T030405Z is still later than 20260102T030404Z (20260102T025904Z + 5 min.)"},
		{name: "tampered session token", opts: func(o *signOpts) { o.token = testToken },
			mutate: func(r *http.Request, _ *[]byte) { r.Header.Set("X-Amz-Security-Token", testToken+"x") },
			kind:   KindSignatureDoesNotMatch, msg: mismatch},
		{name: "credential date differs from X-Amz-Date", mutate: func(r *http.Request, _ *[]byte) {
			setAuth(r, "Credential", testAKID+"/20260101/eu-west-1/cognito-idp/aws4_request")
		}, kind: KindSignatureDoesNotMatch,
			msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != '20260102', from '20260102T030405Z'."},
		{name: "bad terminator", mutate: func(r *http.Request, _ *[]byte) {
			setAuth(r, "Credential", testAKID+"/20260102/eu-west-1/cognito-idp/aws5_request")
		}, kind: KindSignatureDoesNotMatch, msg: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."},
		{name: "credential with four parts", mutate: func(r *http.Request, _ *[]byte) {
			setAuth(r, "Credential", testAKID+"/20260102/eu-west-1/cognito-idp")
		}, kind: KindIncompleteSignature,
			msg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + testAKID + "/20260102/eu-west-1/cognito-idp'"},
		{name: "host not signed", mutate: func(r *http.Request, _ *[]byte) { setAuth(r, "SignedHeaders", "content-type;x-amz-date;x-amz-target") },
			kind: KindSignatureDoesNotMatch, msg: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "empty SignedHeaders", mutate: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/20260102/eu-west-1/cognito-idp/aws4_request, SignedHeaders=, Signature=00")
		}, kind: KindSignatureDoesNotMatch, msg: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "missing Credential", mutate: func(r *http.Request, _ *[]byte) { setAuth(r, "Credential", "") },
			kind: KindIncompleteSignature, msg: "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256"},
		{name: "missing Signature", mutate: func(r *http.Request, _ *[]byte) { setAuth(r, "Signature", "") },
			kind: KindIncompleteSignature, msg: "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256"},
		{name: "missing SignedHeaders", mutate: func(r *http.Request, _ *[]byte) { setAuth(r, "SignedHeaders", "") },
			kind: KindIncompleteSignature, msg: "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"},
		{name: "algorithm only", mutate: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256")
			r.Header.Del("X-Amz-Date")
		}, kind: KindIncompleteSignature,
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"},
		{name: "missing date", mutate: func(r *http.Request, _ *[]byte) { r.Header.Del("X-Amz-Date") },
			kind: KindIncompleteSignature, msg: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"},
		{name: "bad date", mutate: func(r *http.Request, _ *[]byte) { r.Header.Set("X-Amz-Date", "2026-01-02T03:04:05Z") },
			kind: KindIncompleteSignature, msg: "Date must be in ISO-8601 'basic format'. Got '2026-01-02T03:04:05Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "RFC 1123 Date header", mutate: func(r *http.Request, _ *[]byte) {
			r.Header.Del("X-Amz-Date")
			r.Header.Set("Date", signTime.Format(http.TimeFormat))
		}, kind: KindIncompleteSignature, msg: "Date must be in ISO-8601 'basic format'. Got 'Fri, 02 Jan 2026 03:04:05 GMT'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "unsupported algorithm", mutate: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SHA256", "SHA512", 1))
		}, kind: KindIncompleteSignature, msg: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now)."},
		{name: "no equal sign", mutate: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential")
		}, kind: KindIncompleteSignature, msg: "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential'"},
		{name: "no Authorization", mutate: func(r *http.Request, _ *[]byte) { r.Header.Del("Authorization") },
			kind: KindMissingAuthenticationToken, msg: "Request is missing Authentication Token"},
		{name: "bearer token", mutate: func(r *http.Request, _ *[]byte) { r.Header.Set("Authorization", "Bearer eyJhbGciOi") },
			kind: KindMissingAuthenticationToken, msg: "Request is missing Authentication Token"},
		{name: "both header and query forms", mutate: func(r *http.Request, _ *[]byte) { r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256" },
			kind: KindSignatureDoesNotMatch, msg: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."},
		{name: "declared payload hash does not match body", mutate: func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Amz-Content-Sha256", hexSHA256([]byte("something else")))
		}, kind: KindSignatureDoesNotMatch, msg: "The provided 'x-amz-content-sha256' header does not match what was computed."},
		{name: "uppercase signature", mutate: func(r *http.Request, _ *[]byte) {
			f, _ := splitAuthorization(r.Header.Get("Authorization"))
			setAuth(r, "Signature", strings.ToUpper(f.signature))
		}, kind: KindSignatureDoesNotMatch, msg: mismatch},
		{name: "truncated signature", mutate: func(r *http.Request, _ *[]byte) { setAuth(r, "Signature", "abcdef") },
			kind: KindSignatureDoesNotMatch, msg: mismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := defaultSignOpts()
			if tt.opts != nil {
				tt.opts(&o)
			}
			sr, body := signedCognito(t, o)
			if tt.mutate != nil {
				tt.mutate(sr, &body)
			}
			now := signTime
			if !tt.now.IsZero() {
				now = tt.now
			}
			v := NewVerifier(Config{
				Lookup: StaticLookup(Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}),
				Now:    fixedClock(now),
			})
			_, err := v.VerifyScope(sr, body, tt.scope)
			e := wantErr(t, err, tt.kind, tt.msg)
			assertNoSecrets(t, e)
		})
	}
}

func TestVerifySkewBoundaries(t *testing.T) {
	for _, d := range []time.Duration{-5 * time.Minute, -time.Second, 0, time.Second, 5 * time.Minute} {
		sr, body := signedCognito(t, defaultSignOpts())
		v := NewVerifier(Config{Lookup: StaticLookup(Credentials{testAKID, testSecret}), Now: fixedClock(signTime.Add(d))})
		if _, err := v.Verify(sr, body); err != nil {
			t.Errorf("now = sign time %+v: %v", d, err)
		}
	}
	// A custom skew changes the window and the message.
	sr, body := signedCognito(t, defaultSignOpts())
	v := NewVerifier(Config{Lookup: StaticLookup(Credentials{testAKID, testSecret}), Now: fixedClock(signTime.Add(16 * time.Minute)), MaxSkew: 15 * time.Minute})
	_, err := v.Verify(sr, body)
	wantErr(t, err, KindSignatureExpired, "Signature expired: 20260102T030405Z is now earlier than 20260102T030505Z (20260102T032005Z - 15 min.)")
}

func TestAcceptAnyKey(t *testing.T) {
	v := NewVerifier(Config{Now: fixedClock(signTime)})

	o := defaultSignOpts()
	o.akid, o.secret, o.region = "test", "test", "ap-southeast-2"
	sr, body := signedCognito(t, o)
	setAuth(sr, "Signature", strings.Repeat("0", 64))
	res, err := v.Verify(sr, body)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := Result{AccessKeyID: "test", Region: "ap-southeast-2", Service: "cognito-idp", Date: "20260102", SigningTime: signTime,
		SignedHeaders: []string{"amz-sdk-invocation-id", "amz-sdk-request", "content-length", "content-type", "host", "x-amz-date", "x-amz-target"}}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("result = %+v\nwant     %+v", res, want)
	}

	// Still well-formed: every structural check applies.
	for name, mutate := range map[string]func(*http.Request){
		"no auth":       func(r *http.Request) { r.Header.Del("Authorization") },
		"no credential": func(r *http.Request) { setAuth(r, "Credential", "") },
		"no signature":  func(r *http.Request) { setAuth(r, "Signature", "") },
		"short scope":   func(r *http.Request) { setAuth(r, "Credential", "test/20260102/ap-southeast-2/aws4_request") },
		"bad term":      func(r *http.Request) { setAuth(r, "Credential", "test/20260102/ap-southeast-2/cognito-idp/x") },
		"empty region":  func(r *http.Request) { setAuth(r, "Credential", "test/20260102//cognito-idp/aws4_request") },
		"host unsigned": func(r *http.Request) { setAuth(r, "SignedHeaders", "x-amz-date") },
	} {
		sr, body := signedCognito(t, o)
		mutate(sr)
		if _, err := v.Verify(sr, body); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestErrorsIsAndAs(t *testing.T) {
	sr, body := signedCognito(t, defaultSignOpts())
	setAuth(sr, "Signature", strings.Repeat("a", 64))
	_, err := strictVerifier().Verify(sr, body)
	wrapped := fmt.Errorf("gateway: %w", err)
	if !errors.Is(wrapped, ErrSignatureDoesNotMatch) {
		t.Error("errors.Is(ErrSignatureDoesNotMatch) = false")
	}
	for _, other := range []error{ErrMissingAuthenticationToken, ErrIncompleteSignature, ErrUnrecognizedClient, ErrSignatureExpired} {
		if errors.Is(wrapped, other) {
			t.Errorf("errors.Is(%v) = true", other)
		}
	}
	var e *Error
	if !errors.As(wrapped, &e) || e.Kind != KindSignatureDoesNotMatch {
		t.Fatalf("errors.As: %v", e)
	}
	if !strings.Contains(e.Detail, "The Canonical String for this request should have been") ||
		!strings.Contains(e.Detail, "POST\n/\n\namz-sdk-invocation-id:") ||
		!strings.Contains(e.Detail, "computed by aws-sdk-go-v2 signer") {
		t.Errorf("Detail = %s", e.Detail)
	}
	if got := err.Error(); got != "sigv4: SignatureDoesNotMatch: "+msgSignatureMismatch {
		t.Errorf("Error() = %q", got)
	}
	for k := KindMissingAuthenticationToken; k <= KindSignatureExpired; k++ {
		if strings.HasPrefix(k.String(), "Kind(") {
			t.Errorf("Kind %d has no name", k)
		}
	}
}

// assertNoSecrets fails if the secret key or session token leaks into an error.
func assertNoSecrets(t *testing.T, e *Error) {
	t.Helper()
	for _, s := range []string{e.Error(), e.Message, e.Detail, fmt.Sprintf("%+v %#v", e, e)} {
		for _, secret := range []string{testSecret, testToken, "not-the-secret"} {
			if strings.Contains(s, secret) {
				t.Errorf("error text contains a secret: %q", s)
			}
		}
	}
}

func TestDetailRedactsSessionToken(t *testing.T) {
	o := defaultSignOpts()
	o.token = testToken
	sr, body := signedCognito(t, o)
	sr.Header.Set("X-Amz-Target", "changed")
	_, err := strictVerifier().Verify(sr, body)
	e := wantErr(t, err, KindSignatureDoesNotMatch, msgSignatureMismatch)
	if !strings.Contains(e.Detail, "x-amz-security-token:REDACTED") {
		t.Errorf("Detail = %s", e.Detail)
	}
	assertNoSecrets(t, e)
}

func TestCredentialsNeverPrintSecret(t *testing.T) {
	c := Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), c.LogValue().String()} {
		if strings.Contains(s, testSecret) {
			t.Errorf("printed secret: %s", s)
		}
	}
}

// TestLongSignedHeadersIsLinear guards against quadratic work on a request
// with a huge SignedHeaders list of absent names and many other headers.
func TestLongSignedHeadersIsLinear(t *testing.T) {
	sr, body := signedCognito(t, defaultSignOpts())
	names := []string{"host", "x-amz-date"}
	for i := 0; i < 40000; i++ {
		names = append(names, fmt.Sprintf("x-absent-%06d", i))
		if i < 20000 {
			sr.Header.Set(fmt.Sprintf("X-Present-%06d", i), "v")
		}
	}
	setAuth(sr, "SignedHeaders", strings.Join(names, ";"))
	start := time.Now()
	_, err := strictVerifier().Verify(sr, body)
	e := wantErr(t, err, KindSignatureDoesNotMatch, msgSignatureMismatch)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Verify took %v", d)
	}
	if len(e.Detail) > 20<<10 {
		t.Errorf("Detail is %d bytes", len(e.Detail))
	}
}
