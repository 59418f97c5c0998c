package sigv4

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// TestRealSDKClient points a real aws-sdk-go-v2 Cognito client (its whole
// middleware stack: user agent, invocation id, retry headers, payload hash)
// at a server that verifies every request.
func TestRealSDKClient(t *testing.T) {
	v := NewVerifier(Config{Lookup: StaticLookup(Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret})})
	var mu sync.Mutex
	var results []Result
	var failures []error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		res, err := v.VerifyScope(r, body, Scope{Service: "cognito-idp"})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failures = append(failures, err)
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"InvalidSignatureException","message":"bad"}`)
			return
		}
		results = append(results, res)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{"UserPools":[]}`)
	}))
	defer srv.Close()

	for _, token := range []string{"", testToken} {
		client := cognitoidentityprovider.New(cognitoidentityprovider.Options{
			Region:       "eu-central-1",
			BaseEndpoint: aws.String(srv.URL),
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: token}, nil
			}),
		})
		if _, err := client.ListUserPools(context.Background(), &cognitoidentityprovider.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
			t.Fatalf("ListUserPools (token=%v): %v", token != "", err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(failures) > 0 {
		t.Fatalf("verification failures: %v", failures)
	}
	if len(results) != 2 {
		t.Fatalf("results = %d", len(results))
	}
	for i, res := range results {
		if !res.Verified || !res.PayloadSigned || res.Region != "eu-central-1" || res.Service != "cognito-idp" || res.HasSessionToken != (i == 1) {
			t.Errorf("result %d = %+v", i, res)
		}
	}
	t.Logf("aws-sdk-go-v2 signed headers: %v", results[0].SignedHeaders)
}
