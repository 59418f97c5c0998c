package sigv4

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestManualMatchesSDK checks the hand-written canonical request against the
// SDK signer on request shapes both can handle: the fallback must compute
// exactly what the SDK computes.
func TestManualMatchesSDK(t *testing.T) {
	urls := []string{
		"https://cognito-idp.eu-west-1.amazonaws.com/",
		"http://localhost:9229/?Action=List&Name=a%20b&Name=a+c&Z=%2F%3D%26&Empty=&Star=%2A&Tilde=%7E&Unicode=%E2%82%AC",
		"http://localhost:9229/prod/a%20b/%7Euser/%E2%82%AC/x%2Fy/./z",
		"http://127.0.0.1:8080",
		"https://bucket.s3.eu-west-1.amazonaws.com/key%20with%20spaces/%2B",
	}
	for _, u := range urls {
		for _, presigned := range []bool{false, true} {
			for _, token := range []string{"", testToken} {
				service := "execute-api"
				if strings.Contains(u, ".s3.") {
					service = "s3"
				}
				body := []byte("payload")
				if presigned {
					body = nil
				}
				r := clientRequest(t, http.MethodPost, u, body, map[string]string{
					"Content-Type": "application/json", "X-Amz-Meta-A": "  x   y  ", "X-Amz-Target": "T.Op",
				})
				r.Header.Add("X-Amz-Meta-A", "second")
				creds := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: token}
				signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = service == "s3" })
				if presigned {
					hash := hexSHA256(nil)
					if service == "s3" {
						hash = unsignedPayload // S3 presigned URLs never sign the body
					}
					signed, hdr, err := signer.PresignHTTP(context.Background(), creds, r, hash, service, testRegion, signTime)
					if err != nil {
						t.Fatal(err)
					}
					r = clientRequest(t, http.MethodPost, signed, nil, nil)
					for k, v := range hdr {
						if k != "Host" {
							r.Header[k] = v
						}
					}
				} else if err := signer.SignHTTP(context.Background(), creds, r, hexSHA256(body), service, testRegion, signTime); err != nil {
					t.Fatal(err)
				}
				sr, gotBody := toServer(t, r)
				s, err := strictVerifier().inspect(sr, Scope{})
				if err != nil {
					t.Fatalf("%s: %v", u, err)
				}
				if reason := sdkCannotReproduce(sr, s); reason != "" {
					t.Fatalf("%s presigned=%v: SDK path refused: %s", u, presigned, reason)
				}
				hash, _, _ := payloadHash(sr, s, gotBody)
				path := candidatePaths(sr, service)[0]
				sdk, ok := sdkSignature(sr, s, testSecret, path, hash)
				if !ok {
					t.Fatalf("%s: sdkSignature not ok", u)
				}
				manual := manualSignature(sr, s, testSecret, path, hash)
				if sdk.signature != manual.signature || sdk.canonical != manual.canonical || sdk.stringToSign != manual.stringToSign {
					t.Errorf("%s presigned=%v token=%v:\nSDK canonical:\n%s\nmanual canonical:\n%s", u, presigned, token != "", sdk.canonical, manual.canonical)
				}
				if sdk.signature != s.auth.Signature {
					t.Errorf("%s presigned=%v: recomputed %s, client sent %s", u, presigned, sdk.signature, s.auth.Signature)
				}
			}
		}
	}
}

// TestSDKIgnoredHeaders pins sdkIgnoredHeaders to the SDK's behaviour: each is
// left out of what the SDK signs, and an ordinary header is not.
func TestSDKIgnoredHeaders(t *testing.T) {
	r := clientRequest(t, http.MethodGet, "http://localhost/", nil, map[string]string{"X-Ordinary": "1"})
	for name := range sdkIgnoredHeaders {
		if name != "authorization" {
			r.Header.Set(name, "v")
		}
	}
	sdkSign(t, r, nil, defaultSignOpts())
	a, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(a.SignedHeaders, ";")
	if got != "host;x-amz-date;x-ordinary" {
		t.Errorf("SDK signed %q; sdkIgnoredHeaders is out of date", got)
	}
}

// TestFallbackCases covers requests only the manual canonical request can
// check, built by signing the canonical request the client would have built.
func TestFallbackCases(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		signed  string
		reason  string
	}{
		{name: "user-agent signed", headers: map[string]string{"User-Agent": "old-sdk/1.0", "X-Amz-Date": "20260102T030405Z"},
			signed: "host;user-agent;x-amz-date", reason: "the client signed user-agent"},
		{name: "x-amz-date unsigned", headers: map[string]string{"X-Amz-Date": "20260102T030405Z"},
			signed: "host", reason: "did not sign x-amz-date"},
		{name: "Date header", headers: map[string]string{"Date": "20260102T030405Z"},
			signed: "date;host", reason: "dated the request with Date"},
		{name: "unsorted SignedHeaders", headers: map[string]string{"X-Amz-Date": "20260102T030405Z", "X-A": "1"},
			signed: "x-amz-date;host;x-a", reason: "not sorted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := clientRequest(t, http.MethodGet, "http://localhost:9229/path?b=2&a=1", nil, tt.headers)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/20260102/eu-west-1/cognito-idp/aws4_request, SignedHeaders="+tt.signed+", Signature=00")
			sr, _ := toServer(t, r)
			s, err := strictVerifier().inspect(sr, Scope{})
			if err != nil {
				t.Fatal(err)
			}
			if reason := sdkCannotReproduce(sr, s); !strings.Contains(reason, tt.reason) {
				t.Fatalf("reason = %q, want %q", reason, tt.reason)
			}
			// Sign the way a client that builds the canonical request by the
			// specification would; the expected canonical request is spelled
			// out so the test does not depend on manualSignature itself.
			lines := []string{"GET", "/path", "a=1&b=2"}
			for _, h := range strings.Split(tt.signed, ";") {
				v := map[string]string{"host": "localhost:9229", "user-agent": "old-sdk/1.0", "x-amz-date": "20260102T030405Z",
					"date": "20260102T030405Z", "x-a": "1"}[h]
				lines = append(lines, h+":"+v)
			}
			canonical := strings.Join(lines, "\n") + "\n\n" + tt.signed + "\n" + hexSHA256(nil)
			sts := "AWS4-HMAC-SHA256\n20260102T030405Z\n20260102/eu-west-1/cognito-idp/aws4_request\n" + hexSHA256([]byte(canonical))
			sig := hexHMAC(deriveKey(testSecret, "20260102", "eu-west-1", "cognito-idp"), sts)
			setAuth(sr, "Signature", sig)
			if _, err := strictVerifier().Verify(sr, nil); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			setAuth(sr, "Signature", strings.Repeat("0", 64))
			_, err = strictVerifier().Verify(sr, nil)
			e := wantErr(t, err, KindSignatureDoesNotMatch, msgSignatureMismatch)
			if !strings.Contains(e.Detail, "manual canonical request") {
				t.Errorf("Detail = %s", e.Detail)
			}
		})
	}
}
