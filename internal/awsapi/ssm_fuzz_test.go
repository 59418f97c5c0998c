package awsapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cognatehq/cognate/internal/sigv4"
)

// FuzzDecodeSSMRequest feeds arbitrary targets, content types and bodies to
// the SSM API's request decoding (everything before SigV4 and the domain),
// then converts decoded inputs the way the handlers do. It must never
// panic, and every failure must be a well-formed client error: client input
// never yields a 500. Seeds live in testdata/fuzz/FuzzDecodeSSMRequest.
func FuzzDecodeSSMRequest(f *testing.F) {
	for _, s := range []struct{ op, body string }{
		{"PutParameter", `{"Name":"/app/db/password","Value":"s3cret","Type":"SecureString","KeyId":"alias/aws/ssm","Overwrite":true,"Tier":"Advanced","DataType":"text","Tags":[{"Key":"k","Value":"v"}]}`},
		{"GetParameter", `{"Name":"/app/db/password:3","WithDecryption":true}`},
		{"GetParameters", `{"Names":["/a","b:label","arn:aws:ssm:us-east-1:000000000000:parameter/c"]}`},
		{"GetParametersByPath", `{"Path":"/app","Recursive":true,"MaxResults":10,"NextToken":"L2Fw","ParameterFilters":[{"Key":"Type","Option":"Equals","Values":["String"]}]}`},
		{"DescribeParameters", `{"Filters":[{"Key":"Name","Values":["/a"]}],"ParameterFilters":[{"Key":"tag:team"}],"MaxResults":50}`},
		{"GetParameterHistory", `{"Name":"/a","MaxResults":0}`},
		{"LabelParameterVersion", `{"Name":"/a","ParameterVersion":2,"Labels":["prod"]}`},
		{"UnlabelParameterVersion", `{"Name":"/a","Labels":["prod"]}`},
		{"DeleteParameters", `{"Names":null}`},
		{"PutParameter", `{"Name":5,"Tags":{}}`},
	} {
		f.Add(ssmTarget+"."+s.op, contentTypeJSON11, []byte(s.body))
	}
	h := NewSSM(nil, sigv4.NewVerifier(sigv4.Config{}), testRegion, nil)
	f.Fuzz(func(t *testing.T, target, contentType string, body []byte) {
		name, in, err := h.decodeRequest(target, contentType, body)
		if err != nil {
			if err.Status != http.StatusBadRequest || err.Type == "" || err.Message == "" {
				t.Fatalf("decodeRequest(%q, %q, %q): %+v, want a 400 with a type and a message", target, contentType, body, err)
			}
			rec := httptest.NewRecorder()
			writeError(rec, toSSMAPIError(err))
			var env map[string]string
			if rec.Code != http.StatusBadRequest || json.Unmarshal(rec.Body.Bytes(), &env) != nil || env["__type"] != err.Type {
				t.Fatalf("error answer %d %q", rec.Code, rec.Body.String())
			}
			return
		}
		if name == "" || in == nil {
			t.Fatalf("decodeRequest(%q): no operation or input", target)
		}
		convertSSMInput(in)
	})
}

// convertSSMInput runs the handlers' pure conversions on a decoded input,
// so the fuzzer also proves they cannot dereference an absent member.
func convertSSMInput(in any) {
	switch v := in.(type) {
	case *putParameterInput:
		_ = v.domain()
	case *getParametersByPathInput:
		_ = stringFilters(v.ParameterFilters)
	case *describeParametersInput:
		_ = stringFilters(v.ParameterFilters)
	}
}
