package provider_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
	"github.com/cognatehq/cognate/internal/stack/sam"
	"github.com/cognatehq/cognate/internal/stack/template"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

const (
	gwRegion  = "us-east-1"
	gwAccount = "123456789012"
)

// gwFixture is an engine with the Cognito, SSM, API Gateway and Lambda
// providers over real services on a fresh SQLite store.
type gwFixture struct {
	t      *testing.T
	ids    *identity.Service
	params *ssm.Service
	gw     *apigw.Service
	eng    *stack.Engine
}

func newGWFixture(t *testing.T) *gwFixture {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "c.db")
	if base := os.Getenv("COGNATE_TEST_POSTGRES"); base != "" {
		dsn = pgSchema(t, base)
	}
	st, err := sqlstore.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seal, _ := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	f := &gwFixture{t: t}
	f.ids = identity.New(identity.Config{Store: st, Sealer: seal, AccountID: gwAccount, PublicURL: "http://127.0.0.1:4566"})
	f.params = ssm.New(ssm.Config{Store: st, Sealer: seal, AccountID: gwAccount})
	f.gw = apigw.New(apigw.Config{Store: st, Sealer: seal, AccountID: gwAccount})
	providers := provider.All(f.ids, f.params)
	maps.Copy(providers, provider.Gateway(f.gw, f.ids))
	f.eng = stack.New(stack.Config{Store: st, Sealer: seal, AccountID: gwAccount, Providers: providers,
		SSM: provider.SSMSource{Parameters: f.params}})
	return f
}

func (f *gwFixture) deploy(name, body string, o stack.Options) stack.DeployResult {
	f.t.Helper()
	res, err := f.eng.Deploy(context.Background(), gwRegion, name, body, nil, o)
	if err != nil {
		f.t.Fatalf("deploy %s: %v", name, err)
	}
	return res
}

func readExample(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../../examples", p))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func samOptions(dir string) stack.Options {
	return stack.Options{Transform: func(tm *template.Template) (*template.Template, error) {
		return sam.Transform(tm, sam.Options{Load: sam.DirLoader(dir)})
	}}
}

func (f *gwFixture) deployEchoAPI() stack.DeployResult {
	f.t.Helper()
	f.deploy("andmoredev-auth", readExample(f.t, "auth/template.yaml"), stack.Options{})
	return f.deploy("echo-api", readExample(f.t, "echo-api/template.yaml"), samOptions("../../../examples/echo-api"))
}

func (f *gwFixture) poolID() string {
	f.t.Helper()
	p, err := f.params.GetParameter(context.Background(), gwRegion, "/andmoredev-auth/CognitoUserPoolId", false)
	if err != nil {
		f.t.Fatal(err)
	}
	return p.Value
}

// TestEchoAPIExampleDeploysGateway deploys examples/echo-api as written:
// its API is served at two stages (dev, and SAM's stray "Stage") from one
// deployment whose definition is the transformed Body with every
// intrinsic resolved, and its function is recorded with its ARN.
func TestEchoAPIExampleDeploysGateway(t *testing.T) {
	f := newGWFixture(t)
	ctx := context.Background()
	res := f.deployEchoAPI()
	for _, w := range res.Warnings {
		if strings.Contains(w, "AWS::ApiGateway::") || strings.Contains(w, "AWS::Lambda::Function") || strings.Contains(w, "cannot serve") {
			t.Errorf("warning %q: the API Gateway and Lambda types are emulated and the API compiles", w)
		}
	}
	stages, err := f.gw.Stages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 2 || stages[0].StageName != "Stage" || stages[1].StageName != "dev" {
		t.Fatalf("stages = %+v, want Stage and dev", stages)
	}
	s := stages[1]
	if s.APIName != "echo-api" || s.Region != gwRegion || s.DeploymentID != stages[0].DeploymentID ||
		!regexp.MustCompile(`^[a-z0-9]{10}$`).MatchString(s.APIID) {
		t.Errorf("dev stage = %+v", s)
	}
	if url := output(res, "EchoApiUrl"); url != "https://"+s.APIID+".execute-api.us-east-1.amazonaws.com/dev/echo" {
		t.Errorf("EchoApiUrl = %q: Ref of the RestApi must be its id", url)
	}
	fns, err := f.gw.Functions(ctx)
	if err != nil || len(fns) != 1 {
		t.Fatalf("functions = %+v, %v", fns, err)
	}
	fn := fns[0]
	if !strings.HasPrefix(fn.Name, "echo-api-EchoFunction-") || fn.ARN != "arn:aws:lambda:us-east-1:123456789012:function:"+fn.Name ||
		fn.Runtime != "nodejs24.x" || fn.Handler != "index.handler" || fn.Timeout != 3 || fn.MemorySize != 128 {
		t.Errorf("function = %+v", fn)
	}
	var body struct {
		Paths map[string]map[string]struct {
			Integration struct {
				URI string `json:"uri"`
			} `json:"x-amazon-apigateway-integration"`
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
		SecurityDefinitions map[string]struct {
			Authorizer struct {
				ProviderARNs []string `json:"providerARNs"`
			} `json:"x-amazon-apigateway-authorizer"`
		} `json:"securityDefinitions"`
	}
	if err := json.Unmarshal(s.Definition.Body, &body); err != nil {
		t.Fatalf("deployment body: %v\n%s", err, s.Definition.Body)
	}
	post := body.Paths["/echo"]["post"]
	if want := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + fn.ARN + "/invocations"; post.Integration.URI != want {
		t.Errorf("integration uri = %q, want %q", post.Integration.URI, want)
	}
	if len(post.Security) != 1 || post.Security[0]["ClientCognitoAuthorizer"][0] != "echo-api/echo" {
		t.Errorf("security = %+v", post.Security)
	}
	arns := body.SecurityDefinitions["ClientCognitoAuthorizer"].Authorizer.ProviderARNs
	if len(arns) != 1 || arns[0] != "arn:aws:cognito-idp:us-east-1:123456789012:userpool/"+f.poolID() {
		t.Errorf("providerARNs = %q", arns)
	}
	if s.Definition.RootResourceID == "" {
		t.Error("the deployment's definition has no root resource id")
	}

	again := f.deploy("echo-api", readExample(t, "echo-api/template.yaml"), samOptions("../../../examples/echo-api"))
	if !again.NoChanges {
		t.Errorf("redeploy changed something: %+v", again)
	}
	if err := f.eng.Delete(ctx, gwRegion, "echo-api", nil); err != nil {
		t.Fatal(err)
	}
	if stages, _ := f.gw.Stages(ctx); len(stages) != 0 {
		t.Errorf("stages after the stack's deletion: %+v", stages)
	}
	if fns, _ := f.gw.Functions(ctx); len(fns) != 0 {
		t.Errorf("functions after the stack's deletion: %+v", fns)
	}
}

func output(res stack.DeployResult, key string) string {
	for _, o := range res.Outputs {
		if o.Key == key {
			return o.Value
		}
	}
	return ""
}

// partsTemplate is an API built from parts: a resource with a
// Cognito-authorized POST method, deployed to a stage with variables.
// version changes the method's scope and the deployment's logical id, as
// a user publishing a change would.
func partsTemplate(version string) string {
	return `
Parameters:
  PoolArn:
    Type: String
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: parts-api
  Echo:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: echo
  Auth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Name: PoolAuth
      Type: COGNITO_USER_POOLS
      IdentitySource: method.request.header.Authorization
      ProviderARNs: [!Ref PoolArn]
  PostEcho:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Echo
      HttpMethod: POST
      AuthorizationType: COGNITO_USER_POOLS
      AuthorizerId: !Ref Auth
      AuthorizationScopes: [api/` + version + `]
      Integration:
        Type: HTTP_PROXY
        IntegrationHttpMethod: POST
        Uri: http://127.0.0.1:3000/echo
  Validator:
    Type: AWS::ApiGateway::RequestValidator
    Properties:
      RestApiId: !Ref Api
      ValidateRequestBody: true
  Deployment` + version + `:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [PostEcho]
    Properties:
      RestApiId: !Ref Api
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment` + version + `
      StageName: prod
      Variables:
        backend: http://127.0.0.1:3000
Outputs:
  ResourceId:
    Value: !Ref Echo
  AuthorizerId:
    Value: !Ref Auth
  ValidatorId:
    Value: !GetAtt Validator.RequestValidatorId
  DeploymentId:
    Value: !Ref Deployment` + version + `
`
}

func TestPartsTemplate(t *testing.T) {
	f := newGWFixture(t)
	ctx := context.Background()
	deploy := func(version string) stack.DeployResult {
		t.Helper()
		res, err := f.eng.Deploy(ctx, gwRegion, "parts", partsTemplate(version), map[string]string{
			"PoolArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_remote"}, stack.Options{})
		if err != nil {
			t.Fatalf("deploy %s: %v", version, err)
		}
		return res
	}
	res := deploy("v1")
	if len(res.Warnings) > 0 {
		t.Errorf("warnings %q; want none (the API compiles, its pool is not local)", res.Warnings)
	}
	short := regexp.MustCompile(`^[a-z0-9]{6}$`)
	for _, k := range []string{"ResourceId", "AuthorizerId", "ValidatorId", "DeploymentId"} {
		if !short.MatchString(output(res, k)) {
			t.Errorf("output %s = %q, want a 6-character id", k, output(res, k))
		}
	}
	stages, err := f.gw.Stages(ctx)
	if err != nil || len(stages) != 1 {
		t.Fatalf("stages = %+v, %v", stages, err)
	}
	prod := stages[0]
	if prod.StageName != "prod" || prod.APIName != "parts-api" || prod.DeploymentID != output(res, "DeploymentId") ||
		prod.Variables["backend"] != "http://127.0.0.1:3000" {
		t.Errorf("prod = %+v", prod)
	}
	kinds := map[string]apimodel.Part{}
	for _, p := range prod.Definition.Parts {
		kinds[p.Kind] = p
	}
	if len(prod.Definition.Parts) != 4 || kinds[apimodel.KindResource].ID != output(res, "ResourceId") ||
		kinds[apimodel.KindAuthorizer].ID != output(res, "AuthorizerId") {
		t.Fatalf("deployed parts = %+v", prod.Definition.Parts)
	}
	var method struct {
		ResourceID   string   `json:"ResourceId"`
		AuthorizerID string   `json:"AuthorizerId"`
		Scopes       []string `json:"AuthorizationScopes"`
	}
	if err := json.Unmarshal(kinds[apimodel.KindMethod].Properties, &method); err != nil {
		t.Fatal(err)
	}
	if method.ResourceID != output(res, "ResourceId") || method.AuthorizerID != output(res, "AuthorizerId") || method.Scopes[0] != "api/v1" {
		t.Errorf("method properties = %s", kinds[apimodel.KindMethod].Properties)
	}
	var resource struct {
		ParentID string `json:"ParentId"`
	}
	_ = json.Unmarshal(kinds[apimodel.KindResource].Properties, &resource)
	if resource.ParentID != prod.Definition.RootResourceID {
		t.Errorf("resource parent %q, root %q", resource.ParentID, prod.Definition.RootResourceID)
	}

	// A new version: the method changes, a new deployment snapshots it,
	// the stage moves to it and the old deployment is deleted.
	res2 := deploy("v2")
	stages, _ = f.gw.Stages(ctx)
	if len(stages) != 1 || stages[0].DeploymentID != output(res2, "DeploymentId") || stages[0].DeploymentID == prod.DeploymentID {
		t.Fatalf("after v2: stages = %+v", stages)
	}
	if !strings.Contains(string(methodProps(stages[0].Definition)), "api/v2") {
		t.Errorf("v2 deployment method = %s", methodProps(stages[0].Definition))
	}
	if _, err := f.gw.GetDeployment(ctx, prod.APIID, prod.DeploymentID); apigw.KindOf(err) != apigw.KindNotFound {
		t.Errorf("the replaced deployment: %v, want it deleted", err)
	}
	if err := f.eng.Delete(ctx, gwRegion, "parts", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.gw.GetRestAPI(ctx, prod.APIID); apigw.KindOf(err) != apigw.KindNotFound {
		t.Errorf("the API after the stack's deletion: %v", err)
	}
}

func methodProps(def apimodel.Definition) json.RawMessage {
	for _, p := range def.Parts {
		if p.Kind == apimodel.KindMethod {
			return p.Properties
		}
	}
	return nil
}

func TestRestAPIValidate(t *testing.T) {
	r := provider.RestAPI{}
	for _, tc := range []struct{ name, src, want string }{
		{"body", `{Body: {swagger: "2.0", info: {title: t}}}`, ""},
		{"name", `{Name: n}`, ""},
		{"body string", `{Body: '{"openapi":"3.0.1","paths":{}}'}`, ""},
		{"body yaml string", "{Body: \"openapi: 3.0.1\\npaths: {}\\n\"}", ""},
		{"s3", `{Name: n, BodyS3Location: {Bucket: b, Key: k.yaml}}`, "P/BodyS3Location: BodyS3Location names an S3 object (s3://b/k.yaml), which Cognate cannot read"},
		{"body list", `{Body: "[1, 2]"}`, "P/Body: the Body must be an OpenAPI document"},
		{"nothing", `{Description: d}`, "Property Name cannot be empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := r.Validate(props(t, tc.src), "P")
			if tc.want == "" {
				if len(errs) > 0 {
					t.Errorf("unexpected: %v", errs)
				}
				return
			}
			if !strings.Contains(errs.Error(), tc.want) {
				t.Errorf("got %v, want %q", errs, tc.want)
			}
		})
	}
}

func TestFunctionNameGeneratedAndLimited(t *testing.T) {
	f := newGWFixture(t)
	long := strings.Repeat("s", 60)
	res, err := f.eng.Deploy(context.Background(), gwRegion, long, `
Resources:
  AVeryLongLogicalIdForAFunction:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: "exports.handler = async () => 1"}
      Handler: index.handler
      Runtime: nodejs22.x
      Environment: {Variables: {SECRET: s3cr3t}}
  Named:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: my-fn
      Code: {ZipFile: x}
      Timeout: 10
Outputs:
  Arn:
    Value: !GetAtt Named.Arn
  Name:
    Value: !Ref AVeryLongLogicalIdForAFunction
`, nil, stack.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := output(res, "Arn"); got != "arn:aws:lambda:us-east-1:123456789012:function:my-fn" {
		t.Errorf("Arn = %q", got)
	}
	name := output(res, "Name")
	if len(name) != 64 || !strings.HasPrefix(name, long[:20]) {
		t.Errorf("generated name %q (%d characters), want 64 starting with the stack name", name, len(name))
	}
	fn, err := f.gw.GetFunction(context.Background(), gwRegion, name)
	if err != nil || fn.Environment["SECRET"] != "s3cr3t" {
		t.Errorf("function = %+v, %v", fn, err)
	}
	named, _ := f.gw.GetFunction(context.Background(), gwRegion, "my-fn")
	if named.Timeout != 10 || named.MemorySize != 128 {
		t.Errorf("my-fn = %+v", named)
	}
}

func stackOptionsNone() stack.Options { return stack.Options{} }

// pgSchema creates a schema in the PostgreSQL database base names
// (scripts/pgtest.sh sets COGNATE_TEST_POSTGRES), drops it after the
// test, and returns the URL that makes it the search path.
func pgSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "gw_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestGatewayErrorsNameTheProperty checks that a failed create names the
// property at fault.
func TestGatewayErrorsNameTheProperty(t *testing.T) {
	f := newGWFixture(t)
	for _, tc := range []struct{ name, body, want string }{
		{"unknown API", `
Resources:
  Dep:
    Type: AWS::ApiGateway::Deployment
    Properties: {RestApiId: abcdefghij}
`, "RestApiId: NotFound: Invalid API identifier specified abcdefghij"},
		{"unknown parent", `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: a}
  Res:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: nope00, PathPart: x}
`, "ParentId: NotFound: Invalid Resource identifier specified: ParentId nope00"},
		{"unknown deployment", `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: a}
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, DeploymentId: nope00, StageName: prod}
`, "DeploymentId: NotFound: Invalid Deployment identifier specified: nope00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.eng.Deploy(context.Background(), gwRegion, "errs", tc.body, nil, stack.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("deploy error = %v\nwant one containing %q", err, tc.want)
			}
		})
	}
}
