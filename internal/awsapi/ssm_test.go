package awsapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// TestSSMWithSDK drives every implemented operation with aws-sdk-go-v2's
// SSM client, as an application would.
func TestSSMWithSDK(t *testing.T) {
	e := newSSMEnv(t)
	ctx := context.Background()
	c := e.client
	before := time.Now().Add(-time.Second)

	put, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId"),
		Value: aws.String("us-east-1_AbCdEfGhI"), Type: types.ParameterTypeString, Description: aws.String("pool id"),
		Tags: []types.Tag{{Key: aws.String("stack"), Value: aws.String("andmoredev-auth")}}})
	if err != nil {
		t.Fatal(err)
	}
	if put.Version != 1 || put.Tier != types.ParameterTierStandard {
		t.Fatalf("PutParameter: version %d tier %s", put.Version, put.Tier)
	}
	got, err := c.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId")})
	if err != nil {
		t.Fatal(err)
	}
	p := got.Parameter
	if aws.ToString(p.Name) != "/andmoredev-auth/CognitoUserPoolId" || p.Type != types.ParameterTypeString ||
		aws.ToString(p.Value) != "us-east-1_AbCdEfGhI" || p.Version != 1 || aws.ToString(p.DataType) != "text" ||
		aws.ToString(p.ARN) != "arn:aws:ssm:us-east-1:000000000000:parameter/andmoredev-auth/CognitoUserPoolId" ||
		p.Selector != nil || p.LastModifiedDate == nil || p.LastModifiedDate.Before(before) || p.LastModifiedDate.After(time.Now()) {
		t.Fatalf("GetParameter: %+v", p)
	}

	// Without Overwrite an existing name is refused; with it, every put is
	// a new version.
	_, err = c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId"),
		Value: aws.String("x"), Type: types.ParameterTypeString})
	var exists *types.ParameterAlreadyExists
	if !errors.As(err, &exists) || !strings.Contains(aws.ToString(exists.Message), "set the overwrite option") {
		t.Fatalf("put of an existing name: %v", err)
	}
	for v := int64(2); v <= 3; v++ {
		put, err = c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId"),
			Value: aws.String(fmt.Sprintf("us-east-1_v%d", v)), Overwrite: aws.Bool(true)})
		if err != nil || put.Version != v {
			t.Fatalf("overwrite %d: %+v %v", v, put, err)
		}
	}

	// SecureString: ciphertext unless decrypting.
	_, err = c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/andmoredev-auth/ClientSecret"),
		Value: aws.String("s3cr3t-value"), Type: types.ParameterTypeSecureString})
	if err != nil {
		t.Fatal(err)
	}
	got, err = c.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/andmoredev-auth/ClientSecret")})
	if err != nil {
		t.Fatal(err)
	}
	if v := aws.ToString(got.Parameter.Value); v == "s3cr3t-value" || strings.Contains(v, "s3cr3t") {
		t.Fatalf("SecureString without decryption: %q", v)
	} else if _, err := base64.StdEncoding.DecodeString(v); err != nil {
		t.Fatalf("SecureString without decryption is not base64: %q", v)
	}
	got, err = c.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/andmoredev-auth/ClientSecret"), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(got.Parameter.Value) != "s3cr3t-value" {
		t.Fatalf("SecureString with decryption: %+v %v", got, err)
	}

	// Selectors.
	if _, err := c.LabelParameterVersion(ctx, &awsssm.LabelParameterVersionInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId"),
		ParameterVersion: aws.Int64(2), Labels: []string{"prod", "9bad"}}); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{":1": "us-east-1_AbCdEfGhI", ":prod": "us-east-1_v2"} {
		got, err := c.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId" + sel)})
		if err != nil || aws.ToString(got.Parameter.Value) != want || aws.ToString(got.Parameter.Selector) != sel {
			t.Fatalf("selector %s: %+v %v", sel, got, err)
		}
	}
	_, err = c.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId:7")})
	var vnf *types.ParameterVersionNotFound
	if !errors.As(err, &vnf) {
		t.Fatalf("missing version: %v", err)
	}

	// GetParameters.
	gps, err := c.GetParameters(ctx, &awsssm.GetParametersInput{
		Names: []string{"/andmoredev-auth/ClientSecret", "/nope", "/andmoredev-auth/CognitoUserPoolId:1"}, WithDecryption: aws.Bool(true)})
	if err != nil || len(gps.Parameters) != 2 || !slices.Equal(gps.InvalidParameters, []string{"/nope"}) ||
		aws.ToString(gps.Parameters[0].Value) != "s3cr3t-value" {
		t.Fatalf("GetParameters: %+v %v", gps, err)
	}

	// GetParametersByPath through the SDK's paginator.
	for i := range 5 {
		if _, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String(fmt.Sprintf("/echo-api/config/k%d", i)),
			Value: aws.String(fmt.Sprint(i)), Type: types.ParameterTypeStringList}); err != nil {
			t.Fatal(err)
		}
	}
	pager := awsssm.NewGetParametersByPathPaginator(c, &awsssm.GetParametersByPathInput{Path: aws.String("/"),
		Recursive: aws.Bool(true), MaxResults: aws.Int32(2)})
	var names []string
	pages := 0
	for pager.HasMorePages() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, p := range page.Parameters {
			names = append(names, aws.ToString(p.Name))
		}
	}
	if len(names) != 7 || pages != 4 || !slices.IsSorted(names) {
		t.Fatalf("by path: %d pages, %q", pages, names)
	}
	byPath, err := c.GetParametersByPath(ctx, &awsssm.GetParametersByPathInput{Path: aws.String("/andmoredev-auth"),
		ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Type"), Values: []string{"SecureString"}}}})
	if err != nil || len(byPath.Parameters) != 1 || aws.ToString(byPath.Parameters[0].Name) != "/andmoredev-auth/ClientSecret" {
		t.Fatalf("by path with a filter: %+v %v", byPath, err)
	}

	// DescribeParameters.
	desc, err := c.DescribeParameters(ctx, &awsssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{
		{Key: aws.String("Name"), Option: aws.String("BeginsWith"), Values: []string{"/andmoredev-auth/"}}}})
	if err != nil || len(desc.Parameters) != 2 {
		t.Fatalf("DescribeParameters: %+v %v", desc, err)
	}
	md := desc.Parameters[0]
	if aws.ToString(md.Name) != "/andmoredev-auth/ClientSecret" || aws.ToString(md.KeyId) != "alias/aws/ssm" ||
		md.Type != types.ParameterTypeSecureString || md.Version != 1 || md.Tier != types.ParameterTierStandard ||
		aws.ToString(md.LastModifiedUser) != "arn:aws:iam::000000000000:root" || md.LastModifiedDate == nil {
		t.Fatalf("metadata: %+v", md)
	}
	if md := desc.Parameters[1]; aws.ToString(md.Description) != "pool id" || md.Version != 3 || md.KeyId != nil {
		t.Fatalf("metadata: %+v", md)
	}
	dpager := awsssm.NewDescribeParametersPaginator(c, &awsssm.DescribeParametersInput{MaxResults: aws.Int32(3)})
	n := 0
	for dpager.HasMorePages() {
		page, err := dpager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Parameters)
	}
	if n != 7 {
		t.Fatalf("described %d parameters, want 7", n)
	}

	// GetParameterHistory.
	hist, err := c.GetParameterHistory(ctx, &awsssm.GetParameterHistoryInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId")})
	if err != nil || len(hist.Parameters) != 3 {
		t.Fatalf("history: %+v %v", hist, err)
	}
	if h := hist.Parameters[1]; h.Version != 2 || !slices.Equal(h.Labels, []string{"prod"}) || aws.ToString(h.Value) != "us-east-1_v2" ||
		aws.ToString(h.Description) != "pool id" {
		t.Fatalf("history entry 2: %+v", h)
	}

	// Unlabel, delete.
	un, err := c.UnlabelParameterVersion(ctx, &awsssm.UnlabelParameterVersionInput{Name: aws.String("/andmoredev-auth/CognitoUserPoolId"),
		ParameterVersion: aws.Int64(2), Labels: []string{"prod", "other"}})
	if err != nil || !slices.Equal(un.RemovedLabels, []string{"prod"}) || !slices.Equal(un.InvalidLabels, []string{"other"}) {
		t.Fatalf("unlabel: %+v %v", un, err)
	}
	if _, err := c.DeleteParameter(ctx, &awsssm.DeleteParameterInput{Name: aws.String("/andmoredev-auth/ClientSecret")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteParameter(ctx, &awsssm.DeleteParameterInput{Name: aws.String("/andmoredev-auth/ClientSecret")})
	var nf *types.ParameterNotFound
	if !errors.As(err, &nf) {
		t.Fatalf("second delete: %v", err)
	}
	del, err := c.DeleteParameters(ctx, &awsssm.DeleteParametersInput{Names: []string{"/echo-api/config/k0", "/gone"}})
	if err != nil || !slices.Equal(del.DeletedParameters, []string{"/echo-api/config/k0"}) || !slices.Equal(del.InvalidParameters, []string{"/gone"}) {
		t.Fatalf("DeleteParameters: %+v %v", del, err)
	}
}

// TestSSMRegions: parameters belong to the region of the signature.
func TestSSMRegions(t *testing.T) {
	e := newSSMEnv(t)
	ctx := context.Background()
	west := newSSMClient(e.srv, "eu-west-1")
	if _, err := west.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/r"), Value: aws.String("west"),
		Type: types.ParameterTypeString}); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/r")})
	var nf *types.ParameterNotFound
	if !errors.As(err, &nf) {
		t.Fatalf("us-east-1 read of a eu-west-1 parameter: %v", err)
	}
	got, err := west.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("arn:aws:ssm:eu-west-1:000000000000:parameter/r")})
	if err != nil || aws.ToString(got.Parameter.ARN) != "arn:aws:ssm:eu-west-1:000000000000:parameter/r" || aws.ToString(got.Parameter.Name) != "r" {
		t.Fatalf("eu-west-1 read by ARN: %+v %v", got, err)
	}
}

// TestSSMErrorsWithSDK: the SDK decodes each exception into its type.
func TestSSMErrorsWithSDK(t *testing.T) {
	e := newSSMEnv(t)
	ctx := context.Background()
	c := e.client
	if _, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/x"), Value: aws.String("1"),
		Type: types.ParameterTypeString, AllowedPattern: aws.String(`^\d+$`)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		call func() error
		want any
		msg  string
	}{
		{"not found", func() error {
			_, err := c.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/missing")})
			return err
		}, new(*types.ParameterNotFound), ""},
		{"validation", func() error {
			_, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("a/b"), Value: aws.String("v"), Type: types.ParameterTypeString})
			return err
		}, new(*types.ValidationException), "Parameter name must be a fully qualified name."},
		{"reserved", func() error {
			_, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/aws/x/y"), Value: aws.String("v"), Type: types.ParameterTypeString})
			return err
		}, new(*types.AccessDeniedException), "No access to reserved parameter name: /aws/x/y."},
		{"levels", func() error {
			_, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/" + strings.Repeat("a/", 15) + "z"),
				Value: aws.String("v"), Type: types.ParameterTypeString})
			return err
		}, new(*types.HierarchyLevelLimitExceededException), "Maximum levels allowed: 15"},
		{"pattern", func() error {
			_, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/x"), Value: aws.String("abc"), Overwrite: aws.Bool(true)})
			return err
		}, new(*types.ParameterPatternMismatchException), `allowedPattern: ^\d+$`},
		{"type change", func() error {
			_, err := c.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/x"), Value: aws.String("1"), Overwrite: aws.Bool(true),
				Type: types.ParameterTypeStringList})
			return err
		}, new(*types.HierarchyTypeMismatchException), "doesn't support changing a parameter type"},
		{"filter key", func() error {
			_, err := c.GetParametersByPath(ctx, &awsssm.GetParametersByPathInput{Path: aws.String("/"),
				ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name"), Values: []string{"x"}}}})
			return err
			// The model gives InvalidFilterKey no message member, so the
			// SDK drops the message; TestSSMWire checks it is sent.
		}, new(*types.InvalidFilterKey), ""},
		{"next token", func() error {
			_, err := c.DescribeParameters(ctx, &awsssm.DescribeParametersInput{NextToken: aws.String("***")})
			return err
		}, new(*types.InvalidNextToken), "The specified token isn't valid."},
		{"too many names", func() error {
			_, err := c.GetParameters(ctx, &awsssm.GetParametersInput{Names: strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")})
			return err
		}, new(*types.ValidationException), "Member must have length less than or equal to 10"},
		{"unsupported operation", func() error {
			_, err := c.SendCommand(ctx, &awsssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript")})
			return err
		}, new(*types.UnsupportedOperationException), "Cognate does not implement SendCommand yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.As(err, tc.want) {
				t.Fatalf("error %v (%T), want %T", err, err, tc.want)
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || !strings.Contains(ae.ErrorMessage(), tc.msg) {
				t.Fatalf("message of %v, want %q", err, tc.msg)
			}
			var re *smithyhttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusBadRequest {
				t.Errorf("status of %v, want 400", err)
			}
		})
	}
}

// TestSSMWire checks answers byte by byte where the model leaves room:
// member names, timestamps, empty lists, the error envelope.
func TestSSMWire(t *testing.T) {
	e := newSSMEnv(t)
	r := e.call(t, "PutParameter", `{"Name":"/w/a","Value":"v","Type":"String"}`)
	if r.status != 200 || r.body != `{"Version":1,"Tier":"Standard"}` {
		t.Fatalf("PutParameter: %d %s", r.status, r.body)
	}
	r = e.call(t, "GetParameter", `{"Name":"/w/a"}`)
	re := regexp.MustCompile(`^\{"Parameter":\{"Name":"/w/a","Type":"String","Value":"v","Version":1,"LastModifiedDate":\d{10}(\.\d{1,3})?,"ARN":"arn:aws:ssm:us-east-1:000000000000:parameter/w/a","DataType":"text"\}\}$`)
	if r.status != 200 || !re.MatchString(r.body) {
		t.Fatalf("GetParameter: %d %s", r.status, r.body)
	}
	if r.header.Get("Content-Type") != contentTypeJSON11 || !uuidRe.MatchString(r.header.Get("x-amzn-RequestId")) {
		t.Errorf("headers %v", r.header)
	}
	r = e.call(t, "GetParameters", `{"Names":["/w/a"]}`)
	if !strings.HasSuffix(r.body, `],"InvalidParameters":[]}`) {
		t.Errorf("GetParameters: %s", r.body)
	}
	r = e.call(t, "GetParametersByPath", `{"Path":"/none"}`)
	if r.body != `{"Parameters":[]}` {
		t.Errorf("empty GetParametersByPath: %s", r.body)
	}
	r = e.call(t, "DeleteParameters", `{"Names":["/nope"]}`)
	if r.body != `{"DeletedParameters":[],"InvalidParameters":["/nope"]}` {
		t.Errorf("DeleteParameters: %s", r.body)
	}
	r = e.call(t, "DescribeParameters", `{}`)
	if !strings.Contains(r.body, `"Policies":[],"DataType":"text"}]`) || strings.Contains(r.body, `"Value"`) {
		t.Errorf("DescribeParameters: %s", r.body)
	}
	r = e.call(t, "GetParameterHistory", `{"Name":"/w/a"}`)
	if !strings.Contains(r.body, `"Value":"v","Version":1,"Labels":[],"Tier":"Standard","Policies":[],"DataType":"text"}]}`) {
		t.Errorf("GetParameterHistory: %s", r.body)
	}
	r = e.call(t, "LabelParameterVersion", `{"Name":"/w/a","Labels":["ok"]}`)
	if r.body != `{"InvalidLabels":[],"ParameterVersion":1}` {
		t.Errorf("LabelParameterVersion: %s", r.body)
	}
	r = e.call(t, "DeleteParameter", `{"Name":"/w/a"}`)
	if r.status != 200 || r.body != `{}` {
		t.Errorf("DeleteParameter: %d %s", r.status, r.body)
	}

	// ParameterNotFound has no message on AWS [obs].
	r = e.call(t, "GetParameter", `{"Name":"/w/a"}`)
	checkEnvelope(t, r, http.StatusBadRequest, typeParameterNotFound, "")
	if r.body != `{"__type":"ParameterNotFound"}` {
		t.Errorf("ParameterNotFound body %s", r.body)
	}

	for _, tc := range []struct {
		name, target, body, service, region string
		typ, msg                            string
	}{
		{"missing member", "AmazonSSM.GetParameter", `{}`, "ssm", testRegion, typeValidation,
			"1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"two missing members", "AmazonSSM.PutParameter", `{"Tags":[{"Key":"k"}]}`, "ssm", testRegion, typeValidation,
			"3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'value' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"},
		{"explicit zero page", "AmazonSSM.DescribeParameters", `{"MaxResults":0}`, "ssm", testRegion, typeValidation,
			"Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"wrong JSON type", "AmazonSSM.GetParameter", `{"Name":5}`, "ssm", testRegion, typeSerialization,
			"NUMBER_VALUE can not be converted to String"},
		{"unknown operation", "AmazonSSM.MakeCoffee", `{}`, "ssm", testRegion, typeUnknownOperation,
			"MakeCoffee is not an operation of AmazonSSM"},
		{"Cognito target", "AWSCognitoIdentityProviderService.ListUserPools", `{}`, "ssm", testRegion, typeUnknownOperation,
			"expected AmazonSSM.<Operation>"},
		{"unsigned", "AmazonSSM.GetParameter", `{"Name":"/x"}`, "", "", typeMissingAuthToken, ""},
		{"signed for cognito-idp", "AmazonSSM.GetParameter", `{"Name":"/x"}`, "cognito-idp", testRegion, typeInvalidSignature,
			"Credential should be scoped to correct service"},
		{"bad region", "AmazonSSM.GetParameter", `{"Name":"/x"}`, "ssm", "mars-1", typeInvalidSignature,
			"Credential should be scoped to a valid region"},
		{"not implemented", "AmazonSSM.AddTagsToResource", `{}`, "ssm", testRegion, typeUnsupportedOperation,
			"Cognate does not implement AddTagsToResource yet"},
		{"filter key", "AmazonSSM.GetParametersByPath", `{"Path":"/","ParameterFilters":[{"Key":"Name","Values":["x"]}]}`, "ssm",
			testRegion, typeInvalidFilterKey, "The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId]."},
		{"policies", "AmazonSSM.PutParameter", `{"Name":"/p","Value":"v","Type":"String","Policies":"[]"}`, "ssm", testRegion,
			typeUnsupportedOperation, "Cognate does not support parameter policies"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.raw(t, tc.target, tc.body, tc.service, tc.region)
			checkEnvelope(t, r, http.StatusBadRequest, tc.typ, tc.msg)
		})
	}
}

// TestSSMInternalError: an unexpected failure is SSM's InternalServerError,
// a 500 whose detail goes to the log only.
func TestSSMInternalError(t *testing.T) {
	e := newSSMEnv(t)
	e.api.ops["GetParameter"] = ssmOp(func(context.Context, string, *getParameterInput) (empty, error) { panic("kaboom") })
	r := e.call(t, "GetParameter", `{"Name":"/x"}`)
	checkEnvelope(t, r, http.StatusInternalServerError, typeSSMInternal, msgInternal)
	if strings.Contains(r.body, "kaboom") || !strings.Contains(e.logs.String(), "kaboom") {
		t.Errorf("body %s; logs %s", r.body, e.logs.String())
	}
	mustContain(t, e.logs.String(), "ssm call failed")

	// A store failure too: close the store under the service.
	e.store.Close()
	_, err := e.client.GetParameter(context.Background(), &awsssm.GetParameterInput{Name: aws.String("/x")})
	var ie *types.InternalServerError
	if !errors.As(err, &ie) {
		t.Fatalf("store failure: %v", err)
	}
}

// TestSSMConcurrentOverwrites: 20 SDK clients overwriting one parameter at
// once get versions 2 to 21, each once.
func TestSSMConcurrentOverwrites(t *testing.T) {
	e := newSSMEnv(t)
	ctx := context.Background()
	if _, err := e.client.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/race"), Value: aws.String("0"),
		Type: types.ParameterTypeString}); err != nil {
		t.Fatal(err)
	}
	const n = 20
	versions := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := e.client.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/race"),
				Value: aws.String(fmt.Sprint(i)), Overwrite: aws.Bool(true)})
			if err != nil {
				t.Error(err)
				return
			}
			versions[i] = out.Version
		})
	}
	wg.Wait()
	slices.Sort(versions)
	for i, v := range versions {
		if v != int64(i+2) {
			t.Fatalf("versions %v", versions)
		}
	}
	hist, err := e.client.GetParameterHistory(ctx, &awsssm.GetParameterHistoryInput{Name: aws.String("/race")})
	if err != nil || len(hist.Parameters) != n+1 {
		t.Fatalf("history: %d %v", len(hist.Parameters), err)
	}
}

func TestSSMTimeFormat(t *testing.T) {
	ts := time.Date(2026, 11, 25, 10, 8, 12, 803_400_000, time.UTC)
	b, err := json.Marshal(struct{ T ssmTime }{ssmTime(ts)})
	if err != nil || string(b) != fmt.Sprintf(`{"T":%d.803}`, ts.Unix()) {
		t.Fatalf("%s %v", b, err)
	}
}
