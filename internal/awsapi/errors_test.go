package awsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cognatehq/cognate/internal/sigv4"
)

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// checkEnvelope checks an error answer: status, the AWS JSON error
// envelope, the x-amzn-ErrorType header and a request id.
func checkEnvelope(t *testing.T, r rawResponse, status int, typ, message string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d (body %s)", r.status, status, r.body)
	}
	var body struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("error body %q is not JSON: %v", r.body, err)
	}
	if body.Type != typ || r.header.Get("x-amzn-ErrorType") != typ {
		t.Errorf("__type %q, x-amzn-ErrorType %q; want %q", body.Type, r.header.Get("x-amzn-ErrorType"), typ)
	}
	if message != "" && !strings.Contains(body.Message, message) {
		t.Errorf("message %q, want it to contain %q", body.Message, message)
	}
	if ct := r.header.Get("Content-Type"); ct != contentTypeJSON11 {
		t.Errorf("Content-Type %q", ct)
	}
	if !uuidRe.MatchString(r.header.Get("x-amzn-RequestId")) {
		t.Errorf("x-amzn-RequestId %q", r.header.Get("x-amzn-RequestId"))
	}
}

// TestMalformedRequests sends what no SDK would: each is a 400 with the
// right exception, never a 500.
func TestMalformedRequests(t *testing.T) {
	e := newEnv(t)
	target := func(op string) string { return cognitoTarget + "." + op }
	cases := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        []byte
		sign        bool
		status      int
		typ         string
		message     string
	}{
		{name: "malformed JSON", target: target("DescribeUserPool"), body: []byte(`{"UserPoolId":`), sign: true,
			typ: typeSerialization, message: "Could not parse the request body as JSON"},
		{name: "trailing garbage", target: target("DescribeUserPool"), body: []byte(`{} {}`), sign: true, typ: typeSerialization},
		{name: "top-level array", target: target("DescribeUserPool"), body: []byte(`[]`), sign: true,
			typ: typeSerialization, message: "Start of list found where not expected"},
		{name: "number for a string", target: target("CreateUserPool"), body: []byte(`{"PoolName":5}`), sign: true,
			typ: typeSerialization, message: "NUMBER_VALUE can not be converted to String at 'PoolName'"},
		{name: "string for a number", target: target("ListUserPools"), body: []byte(`{"MaxResults":"10"}`), sign: true,
			typ: typeSerialization, message: "STRING_VALUE can not be converted to an Integer"},
		{name: "fraction for an integer", target: target("ListUserPools"), body: []byte(`{"MaxResults":1.5}`), sign: true, typ: typeSerialization},
		{name: "object for a list", target: target("CreateUserPool"), body: []byte(`{"PoolName":"p","AliasAttributes":{}}`), sign: true,
			typ: typeSerialization, message: "Start of structure or map found where not expected"},
		{name: "string for a structure", target: target("CreateUserPool"), body: []byte(`{"PoolName":"p","LambdaConfig":"x"}`), sign: true, typ: typeSerialization},
		{name: "non-UTF-8", target: target("CreateUserPool"), body: []byte("{\"PoolName\":\"\xff\xfe\"}"), sign: true,
			typ: typeSerialization, message: "not valid UTF-8"},
		{name: "missing member", target: target("DescribeUserPool"), body: []byte(`{}`), sign: true, typ: typeInvalidParameter,
			message: "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{name: "empty body", target: target("DescribeUserPool"), body: nil, sign: true, typ: typeInvalidParameter,
			message: "Value null at 'userPoolId'"},
		{name: "two missing members", target: target("DescribeUserPoolClient"), body: []byte(`{}`), sign: true, typ: typeInvalidParameter,
			message: "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{name: "nested missing member", target: target("CreateResourceServer"),
			body: []byte(`{"UserPoolId":"us-east-1_abc","Identifier":"i","Name":"n","Scopes":[{"ScopeName":"s"}]}`), sign: true,
			typ: typeInvalidParameter, message: "Value null at 'scopes.1.member.scopeDescription'"},
		{name: "required MaxResults", target: target("ListUserPools"), body: []byte(`{}`), sign: true, typ: typeInvalidParameter,
			message: "Value null at 'maxResults'"},
		{name: "explicit zero validity", target: target("CreateUserPoolClient"),
			body: []byte(`{"UserPoolId":"us-east-1_abc","ClientName":"c","AccessTokenValidity":0,"AuthSessionValidity":2}`), sign: true,
			typ: typeInvalidParameter, message: "2 validation errors detected: Value '0' at 'accessTokenValidity' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value '2' at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3"},
		{name: "explicit zero page size", target: target("ListResourceServers"), body: []byte(`{"UserPoolId":"us-east-1_abc","MaxResults":0}`), sign: true,
			typ: typeInvalidParameter, message: "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "unknown operation", target: target("MakeCoffee"), body: []byte(`{}`), sign: true, typ: typeUnknownOperation},
		{name: "missing target", target: "", body: []byte(`{}`), sign: true, typ: typeUnknownOperation, message: "Missing X-Amz-Target"},
		{name: "other service", target: "AmazonSSM.GetParameter", body: []byte(`{}`), sign: true, typ: typeUnknownOperation},
		{name: "target without operation", target: cognitoTarget + ".", body: []byte(`{}`), sign: true, typ: typeUnknownOperation},
		{name: "not implemented", target: target("AdminCreateUser"), body: []byte(`{}`), sign: true,
			typ: typeUnsupportedOperation, message: "Cognate does not implement AdminCreateUser yet"},
		{name: "unsigned operation not implemented", target: target("InitiateAuth"), body: []byte(`{}`),
			typ: typeUnsupportedOperation, message: "Cognate does not implement InitiateAuth yet"},
		{name: "wrong content type", target: target("ListUserPools"), contentType: "application/x-www-form-urlencoded",
			body: []byte(`{"MaxResults":1}`), sign: true, typ: typeSerialization, message: "Content-Type"},
		{name: "missing content type", target: target("ListUserPools"), contentType: "-", body: []byte(`{"MaxResults":1}`), sign: true,
			typ: typeSerialization, message: "Missing Content-Type"},
		{name: "oversized body", target: target("CreateUserPool"), sign: true,
			body: append(append([]byte(`{"PoolName":"`), bytes.Repeat([]byte("a"), MaxBodyBytes)...), `"}`...),
			typ:  typeSerialization, message: "larger than"},
		{name: "GET", method: http.MethodGet, target: target("ListUserPools"), status: http.StatusMethodNotAllowed, typ: typeUnknownOperation},
		{name: "unsigned", target: target("ListUserPools"), body: []byte(`{"MaxResults":1}`), typ: typeMissingAuthToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			ct := tc.contentType
			switch ct {
			case "":
				ct = contentTypeJSON11
			case "-":
				ct = ""
			}
			status := tc.status
			if status == 0 {
				status = http.StatusBadRequest
			}
			r := e.raw(t, method, tc.target, ct, tc.body, tc.sign)
			checkEnvelope(t, r, status, tc.typ, tc.message)
		})
	}
}

func TestApplicationJSONAccepted(t *testing.T) {
	e := newEnv(t)
	r := e.raw(t, http.MethodPost, cognitoTarget+".ListUserPools", "application/json; charset=utf-8", []byte(`{"MaxResults":1}`), true)
	if r.status != 200 || r.body != `{"UserPools":[]}` {
		t.Errorf("application/json: %d %s", r.status, r.body)
	}
	if r.header.Get("Content-Type") != contentTypeJSON11 || !uuidRe.MatchString(r.header.Get("x-amzn-RequestId")) {
		t.Errorf("headers %v", r.header)
	}
}

// TestSigV4Errors proves the SDK reads our SigV4 answers: status 400 and
// the exception names of APIGATEWAY.md §8.
func TestSigV4Errors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, akid, secret, code string
	}{
		{"wrong secret", testAccessKey, "not-the-secret", typeInvalidSignature},
		{"unknown access key", "AKIDUNKNOWN", testSecretKey, typeUnrecognizedClient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(e.srv, tc.akid, tc.secret)
			_, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
				t.Fatalf("err %v, want %s", err, tc.code)
			}
			var re *smithyhttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusBadRequest {
				t.Errorf("status: %v", err)
			}
		})
	}
	// The scope must name cognito-idp.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/", strings.NewReader(`{"MaxResults":1}`))
	req.Header.Set("X-Amz-Target", cognitoTarget+".ListUserPools")
	req.Header.Set("Content-Type", contentTypeJSON11)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAccessKey+"/20200101/us-east-1/cognito-idp/aws4_request")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("x-amzn-ErrorType") != typeIncompleteSignature {
		t.Errorf("incomplete Authorization: %d %s", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"))
	}
}

// TestInternalError: a store failure is a 500 InternalErrorException that
// says nothing about its cause; the cause goes to the log.
func TestInternalError(t *testing.T) {
	e := newEnv(t)
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.DescribeUserPool(context.Background(), &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_abcdefghi")})
	var ie *types.InternalErrorException
	if !errors.As(err, &ie) || aws.ToString(ie.Message) != msgInternal {
		t.Fatalf("err %v, want InternalErrorException %q", err, msgInternal)
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusInternalServerError {
		t.Errorf("status: %v", err)
	}
	logs := e.logs.String()
	mustContain(t, logs, "level=ERROR")
	mustContain(t, logs, "op=DescribeUserPool")
	mustContain(t, logs, "get user pool")
}

// TestPanicIsInternalError: a panic in an operation is answered in the AWS
// envelope as a 500, not with a broken connection or a foreign body.
func TestPanicIsInternalError(t *testing.T) {
	logs := &syncBuffer{}
	h := NewCognito(nil, sigv4.NewVerifier(sigv4.Config{}), testRegion, slog.New(slog.NewTextHandler(logs, nil)))
	h.ops["ListUserPools"] = op(func(context.Context, string, *listUserPoolsInput) (empty, error) { panic("kaboom") })
	srv := httptest.NewServer(h)
	defer srv.Close()
	e := &env{srv: srv}
	r := e.call(t, "ListUserPools", `{"MaxResults":1}`)
	checkEnvelope(t, r, http.StatusInternalServerError, typeInternalError, msgInternal)
	mustContain(t, logs.String(), "kaboom")
	if strings.Contains(r.body, "kaboom") {
		t.Errorf("panic detail in the answer: %s", r.body)
	}
}
