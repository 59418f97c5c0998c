package sigv4

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// presign builds a presigned GET the way aws-sdk-go-v2's presign clients do
// and returns it as the server sees it.
func presign(t *testing.T, rawURL string, expires time.Duration, o signOpts) *http.Request {
	t.Helper()
	r := clientRequest(t, http.MethodGet, rawURL, nil, nil)
	if expires > 0 {
		q := r.URL.Query()
		q.Set("X-Amz-Expires", strconv.Itoa(int(expires/time.Second)))
		r.URL.RawQuery = q.Encode()
	}
	creds := aws.Credentials{AccessKeyID: o.akid, SecretAccessKey: o.secret, SessionToken: o.token}
	signed, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, hexSHA256(nil), o.service, o.region, o.at)
	if err != nil {
		t.Fatal(err)
	}
	r2 := clientRequest(t, http.MethodGet, signed, nil, nil)
	for k, v := range hdr {
		if k != "Host" {
			r2.Header[k] = v
		}
	}
	sr, _ := toServer(t, r2)
	return sr
}

func TestPresigned(t *testing.T) {
	o := defaultSignOpts()
	o.service = "sts"
	const base = "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"

	t.Run("good", func(t *testing.T) {
		for _, token := range []string{"", testToken} {
			o := o
			o.token = token
			sr := presign(t, base, 15*time.Minute, o)
			v := NewVerifier(Config{Lookup: StaticLookup(Credentials{testAKID, testSecret}), Now: fixedClock(signTime.Add(14 * time.Minute))})
			res, err := v.Verify(sr, nil)
			if err != nil {
				t.Fatalf("token %q: %v", token, err)
			}
			if !res.Presigned || !res.Verified || res.Service != "sts" || res.HasSessionToken != (token != "") {
				t.Errorf("result = %+v", res)
			}
		}
	})
	t.Run("no X-Amz-Expires uses the skew window", func(t *testing.T) {
		sr := presign(t, base, 0, o)
		if _, err := strictVerifier().Verify(sr, nil); err != nil {
			t.Fatal(err)
		}
		v := NewVerifier(Config{Lookup: StaticLookup(Credentials{testAKID, testSecret}), Now: fixedClock(signTime.Add(6 * time.Minute))})
		_, err := v.Verify(sr, nil)
		wantErr(t, err, KindSignatureExpired, "Signature expired: 20260102T030405Z is now earlier than 20260102T030505Z (20260102T031005Z - 5 min.)")
	})

	tests := []struct {
		name   string
		mutate func(q url.Values)
		now    time.Time
		kind   Kind
		msg    string
	}{
		{name: "expired", now: signTime.Add(15*time.Minute + time.Second), kind: KindSignatureExpired,
			msg: "Signature expired: 20260102T030405Z is now earlier than 20260102T030406Z (20260102T031906Z - 15 min.)"},
		{name: "not yet current", now: signTime.Add(-6 * time.Minute), kind: KindSignatureExpired,
			msg: "Signature not yet current: 20260102T030405Z is still later than 20260102T030305Z (20260102T025805Z + 5 min.)"},
		{name: "tampered parameter", mutate: func(q url.Values) { q.Set("Action", "GetSessionToken") },
			kind: KindSignatureDoesNotMatch, msg: msgSignatureMismatch},
		{name: "extended expiry", mutate: func(q url.Values) { q.Set("X-Amz-Expires", "3600") },
			kind: KindSignatureDoesNotMatch, msg: msgSignatureMismatch},
		{name: "wrong signature", mutate: func(q url.Values) { q.Set("X-Amz-Signature", strings.Repeat("0", 64)) },
			kind: KindSignatureDoesNotMatch, msg: msgSignatureMismatch},
		{name: "missing signature", mutate: func(q url.Values) { q.Del("X-Amz-Signature") }, kind: KindIncompleteSignature,
			msg: "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters."},
		{name: "missing everything but the signature", mutate: func(q url.Values) {
			for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Date"} {
				q.Del(k)
			}
		}, kind: KindIncompleteSignature,
			msg: "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. " +
				"Re-examine the query-string parameters."},
		{name: "bad expires", mutate: func(q url.Values) { q.Set("X-Amz-Expires", "soon") },
			kind: KindIncompleteSignature, msg: "X-Amz-Expires should be a number"},
		{name: "negative expires", mutate: func(q url.Values) { q.Set("X-Amz-Expires", "-1") },
			kind: KindIncompleteSignature, msg: "X-Amz-Expires must be non-negative"},
		{name: "expires over a week", mutate: func(q url.Values) { q.Set("X-Amz-Expires", "604801") },
			kind: KindIncompleteSignature, msg: "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
		{name: "unknown key", mutate: func(q url.Values) {
			q.Set("X-Amz-Credential", "AKIDOTHER/20260102/eu-west-1/sts/aws4_request")
		}, kind: KindUnrecognizedClient, msg: msgUnrecognizedClient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sr := presign(t, base, 15*time.Minute, o)
			if tt.mutate != nil {
				q := sr.URL.Query()
				tt.mutate(q)
				sr.URL.RawQuery = q.Encode()
			}
			now := signTime
			if !tt.now.IsZero() {
				now = tt.now
			}
			v := NewVerifier(Config{Lookup: StaticLookup(Credentials{testAKID, testSecret}), Now: fixedClock(now)})
			_, err := v.Verify(sr, nil)
			assertNoSecrets(t, wantErr(t, err, tt.kind, tt.msg))
		})
	}
}

func TestPresignedSignedHeaderAndToken(t *testing.T) {
	o := defaultSignOpts()
	o.service, o.token = "execute-api", testToken
	r := clientRequest(t, http.MethodGet, "https://abc.execute-api.eu-west-1.amazonaws.com/prod/a%20b?x=1", nil, map[string]string{"X-Custom": "v"})
	creds := aws.Credentials{AccessKeyID: o.akid, SecretAccessKey: o.secret, SessionToken: o.token}
	signed, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, hexSHA256(nil), o.service, o.region, o.at)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(signed, "X-Amz-SignedHeaders=host%3Bx-custom") {
		t.Fatalf("precondition: %s", signed)
	}
	r2 := clientRequest(t, http.MethodGet, signed, nil, nil)
	r2.Header.Set("X-Custom", hdr.Get("X-Custom"))
	sr, _ := toServer(t, r2)
	if _, err := strictVerifier().Verify(sr, nil); err != nil {
		t.Fatal(err)
	}
	sr.Header.Set("X-Custom", "changed")
	_, err = strictVerifier().Verify(sr, nil)
	e := wantErr(t, err, KindSignatureDoesNotMatch, msgSignatureMismatch)
	if !strings.Contains(e.Detail, "X-Amz-Security-Token=REDACTED") {
		t.Errorf("Detail = %s", e.Detail)
	}
	assertNoSecrets(t, e)
}
