package apigw_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

const region = "us-east-1"

func newService(t *testing.T) (*apigw.Service, *sqlstore.Store) {
	t.Helper()
	st := openStore(t)
	seal, err := sealer.New(bytes.Repeat([]byte{9}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return apigw.New(apigw.Config{Store: st, Sealer: seal, AccountID: "123456789012"}), st
}

func wantKind(t *testing.T, err error, k apigw.Kind, what string) {
	t.Helper()
	if apigw.KindOf(err) != k {
		t.Fatalf("%s: got %v, want an error of kind %v", what, err, k)
	}
}

var (
	apiIDRe   = regexp.MustCompile(`^[a-z0-9]{10}$`)
	shortIDRe = regexp.MustCompile(`^[a-z0-9]{6}$`)
)

func TestRestAPILifecycle(t *testing.T) {
	s, _ := newService(t)
	ctx := t.Context()
	body := json.RawMessage(`{"swagger":"2.0","paths":{}}`)
	api, err := s.CreateRestAPI(ctx, region, apigw.RestAPIInput{Name: "echo", StackID: "stk", Body: body, BinaryMediaTypes: []string{"image/png"}})
	if err != nil {
		t.Fatal(err)
	}
	if !apiIDRe.MatchString(api.ID) || !apiIDRe.MatchString(api.RootResourceID) || api.ID == api.RootResourceID {
		t.Errorf("ids %q and root %q: want two distinct 10-character [a-z0-9] ids", api.ID, api.RootResourceID)
	}
	got, err := s.GetRestAPI(ctx, api.ID)
	if err != nil || got.Name != "echo" || string(got.Body) != string(body) || got.BinaryMediaTypes[0] != "image/png" || got.StackID != "stk" {
		t.Errorf("GetRestAPI = %+v, %v", got, err)
	}
	up, err := s.UpdateRestAPI(ctx, api.ID, apigw.RestAPIInput{Name: "echo2"})
	if err != nil || up.RootResourceID != api.RootResourceID || up.Name != "echo2" || up.Body != nil {
		t.Errorf("UpdateRestAPI = %+v, %v (the root resource id must stay)", up, err)
	}
	_, err = s.CreateRestAPI(ctx, region, apigw.RestAPIInput{Name: " "})
	wantKind(t, err, apigw.KindBadRequest, "CreateRestAPI without a name")
	_, err = s.CreateRestAPI(ctx, region, apigw.RestAPIInput{Name: "x", Body: json.RawMessage(`[1]`)})
	wantKind(t, err, apigw.KindBadRequest, "CreateRestAPI with a body that is not an object")
	if err := s.DeleteRestAPI(ctx, api.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetRestAPI(ctx, api.ID)
	wantKind(t, err, apigw.KindNotFound, "GetRestAPI after delete")
	wantKind(t, s.DeleteRestAPI(ctx, api.ID), apigw.KindNotFound, "DeleteRestAPI twice")
	_, err = s.UpdateRestAPI(ctx, api.ID, apigw.RestAPIInput{Name: "x"})
	wantKind(t, err, apigw.KindNotFound, "UpdateRestAPI after delete")
}

func part(kind, id string, props string) apimodel.Part {
	return apimodel.Part{Kind: kind, ID: id, Properties: json.RawMessage(props)}
}

func TestParts(t *testing.T) {
	s, _ := newService(t)
	ctx := t.Context()
	api, err := s.CreateRestAPI(ctx, region, apigw.RestAPIInput{Name: "parts"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.AddPart(ctx, api.ID, part(apimodel.KindResource, "", `{"ParentId":"`+api.RootResourceID+`","PathPart":"echo"}`))
	if err != nil || !shortIDRe.MatchString(res.ID) {
		t.Fatalf("AddPart resource = %+v, %v; want a 6-character id", res, err)
	}
	_, err = s.AddPart(ctx, api.ID, part(apimodel.KindResource, "", `{"ParentId":"`+api.RootResourceID+`","PathPart":"echo"}`))
	wantKind(t, err, apigw.KindConflict, "a second resource with the same parent and path part")
	_, err = s.AddPart(ctx, api.ID, part(apimodel.KindResource, "", `{"ParentId":"nope00","PathPart":"x"}`))
	wantKind(t, err, apigw.KindNotFound, "a resource under a missing parent")

	m := part(apimodel.KindMethod, "m-1", `{"ResourceId":"`+res.ID+`","HttpMethod":"POST"}`)
	if _, err := s.AddPart(ctx, api.ID, m); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddPart(ctx, api.ID, part(apimodel.KindMethod, "m-2", `{"ResourceId":"`+res.ID+`","HttpMethod":"post"}`))
	wantKind(t, err, apigw.KindConflict, "a second POST on one resource")
	_, err = s.AddPart(ctx, api.ID, part(apimodel.KindMethod, "m-3", `{"ResourceId":"nope00","HttpMethod":"GET"}`))
	wantKind(t, err, apigw.KindNotFound, "a method on a missing resource")
	m.Properties = json.RawMessage(`{"ResourceId":"` + res.ID + `","HttpMethod":"POST","AuthorizationType":"NONE"}`)
	if err := s.UpdatePart(ctx, api.ID, m); err != nil {
		t.Errorf("UpdatePart of the method itself: %v", err)
	}
	wantKind(t, s.UpdatePart(ctx, api.ID, part(apimodel.KindAuthorizer, "nope00", `{}`)), apigw.KindNotFound, "UpdatePart missing")

	if _, err := s.AddPart(ctx, api.ID, part(apimodel.KindModel, "Pet", `{"Name":"Pet"}`)); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddPart(ctx, api.ID, part(apimodel.KindModel, "Pet", `{"Name":"Pet"}`))
	wantKind(t, err, apigw.KindConflict, "a second model named Pet")
	_, err = s.AddPart(ctx, api.ID, part("AWS::ApiGateway::Stage", "", `{}`))
	wantKind(t, err, apigw.KindBadRequest, "a part of an unknown kind")
	_, err = s.AddPart(ctx, "missing000", part(apimodel.KindAuthorizer, "", `{}`))
	wantKind(t, err, apigw.KindNotFound, "a part of a missing API")

	def, err := s.Definition(ctx, api.ID)
	if err != nil || def.RootResourceID != api.RootResourceID || len(def.Parts) != 3 {
		t.Fatalf("Definition = %+v, %v", def, err)
	}
	if err := s.RemovePart(ctx, api.ID, apimodel.KindMethod, "m-1"); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.RemovePart(ctx, api.ID, apimodel.KindMethod, "m-1"), apigw.KindNotFound, "RemovePart twice")
}

func TestDeploymentsSnapshotAndStages(t *testing.T) {
	s, _ := newService(t)
	ctx := t.Context()
	api, err := s.CreateRestAPI(ctx, region, apigw.RestAPIInput{Name: "snap", Body: json.RawMessage(`{"v":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	g0, _ := s.Generation(ctx)
	d1, err := s.CreateDeployment(ctx, api.ID, apigw.DeploymentInput{Description: "first", StageName: "Stage"})
	if err != nil || !shortIDRe.MatchString(d1.ID) {
		t.Fatalf("CreateDeployment = %+v, %v", d1, err)
	}
	if g1, _ := s.Generation(ctx); g1 <= g0 {
		t.Errorf("generation %d after a deployment, %d before", g1, g0)
	}
	stg, err := s.GetStage(ctx, api.ID, "Stage")
	if err != nil || stg.DeploymentID != d1.ID {
		t.Fatalf("the deployment's stage = %+v, %v", stg, err)
	}
	if _, err := s.UpdateRestAPI(ctx, api.ID, apigw.RestAPIInput{Name: "snap", Body: json.RawMessage(`{"v":2}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPart(ctx, api.ID, part(apimodel.KindGatewayResponse, "", `{"ResponseType":"UNAUTHORIZED"}`)); err != nil {
		t.Fatal(err)
	}
	prod, err := s.CreateStage(ctx, api.ID, "v1", apigw.StageInput{DeploymentID: d1.ID, Variables: map[string]string{"backend": "http://127.0.0.1:3000/x"}})
	if err != nil {
		t.Fatal(err)
	}
	// The stage still serves what was deployed.
	stages, err := s.Stages(ctx)
	if err != nil || len(stages) != 2 {
		t.Fatalf("Stages = %+v, %v", stages, err)
	}
	for _, st := range stages {
		if string(st.Definition.Body) != `{"v":1}` || len(st.Definition.Parts) != 0 || st.APIName != "snap" || st.Region != region {
			t.Errorf("stage %s serves %+v; want the first deployment's snapshot", st.StageName, st)
		}
	}
	if stages[1].StageName != "v1" || stages[1].Variables["backend"] != "http://127.0.0.1:3000/x" {
		t.Errorf("stage v1 = %+v", stages[1])
	}

	// A new deployment with the stage name moves the existing stage.
	d2, err := s.CreateDeployment(ctx, api.ID, apigw.DeploymentInput{StageName: "Stage"})
	if err != nil {
		t.Fatal(err)
	}
	if string(d2.Definition.Body) != `{"v":2}` || len(d2.Definition.Parts) != 1 {
		t.Errorf("second deployment snapshot = %+v", d2.Definition)
	}
	if stg, _ := s.GetStage(ctx, api.ID, "Stage"); stg.DeploymentID != d2.ID {
		t.Errorf("Stage serves %s, want the new deployment %s", stg.DeploymentID, d2.ID)
	}
	wantKind(t, s.DeleteDeployment(ctx, api.ID, d1.ID), apigw.KindBadRequest, "deleting a deployment stage v1 serves")
	if _, err := s.UpdateStage(ctx, api.ID, "v1", apigw.StageInput{DeploymentID: d2.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDeployment(ctx, api.ID, d1.ID); err != nil {
		t.Errorf("DeleteDeployment once no stage serves it: %v", err)
	}
	got, err := s.GetDeployment(ctx, api.ID, d2.ID)
	if err != nil || string(got.Definition.Body) != `{"v":2}` {
		t.Errorf("GetDeployment = %+v, %v", got, err)
	}

	// Stage rules.
	_, err = s.CreateStage(ctx, api.ID, "v1", apigw.StageInput{DeploymentID: d2.ID})
	wantKind(t, err, apigw.KindConflict, "a second stage v1")
	_, err = s.CreateStage(ctx, api.ID, "bad name", apigw.StageInput{DeploymentID: d2.ID})
	wantKind(t, err, apigw.KindBadRequest, "a stage name with a space")
	_, err = s.CreateStage(ctx, api.ID, "v2", apigw.StageInput{DeploymentID: d2.ID, Variables: map[string]string{"a-b": "x"}})
	wantKind(t, err, apigw.KindBadRequest, "a stage variable name with a hyphen")
	_, err = s.CreateStage(ctx, api.ID, "v2", apigw.StageInput{DeploymentID: "nope00"})
	wantKind(t, err, apigw.KindNotFound, "a stage of a missing deployment")
	_, err = s.CreateStage(ctx, "missing000", "v2", apigw.StageInput{DeploymentID: d2.ID})
	wantKind(t, err, apigw.KindNotFound, "a stage of a missing API")
	_, err = s.UpdateStage(ctx, api.ID, "nope", apigw.StageInput{DeploymentID: d2.ID})
	wantKind(t, err, apigw.KindNotFound, "UpdateStage of a missing stage")
	_, err = s.CreateDeployment(ctx, "missing000", apigw.DeploymentInput{})
	wantKind(t, err, apigw.KindNotFound, "a deployment of a missing API")
	_ = prod

	// Deleting the API takes its stages with it.
	if err := s.DeleteRestAPI(ctx, api.ID); err != nil {
		t.Fatal(err)
	}
	if stages, err := s.Stages(ctx); err != nil || len(stages) != 0 {
		t.Errorf("Stages after DeleteRestAPI = %+v, %v", stages, err)
	}
}

func TestFunctions(t *testing.T) {
	s, st := newService(t)
	ctx := t.Context()
	in := apigw.FunctionInput{StackID: "stk", LogicalID: "EchoFunction", Runtime: "nodejs22.x", Handler: "index.handler",
		Code: json.RawMessage(`{"S3Bucket":"cognate-local","S3Key":"src/"}`), Environment: map[string]string{"DB_PASSWORD": "hunter2"}}
	f, err := s.CreateFunction(ctx, region, "echo", in)
	if err != nil {
		t.Fatal(err)
	}
	if f.ARN != "arn:aws:lambda:us-east-1:123456789012:function:echo" || f.Timeout != 3 || f.MemorySize != 128 {
		t.Errorf("CreateFunction = %+v; want the ARN and Lambda's defaults", f)
	}
	rec, err := st.GetFunction(ctx, region, "echo")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(rec.EnvironmentSealed, []byte("hunter2")) || rec.EnvironmentSealed == nil {
		t.Errorf("the stored environment is not sealed: %q", rec.EnvironmentSealed)
	}
	byARN, err := s.FunctionByARN(ctx, f.ARN)
	if err != nil || byARN.Environment["DB_PASSWORD"] != "hunter2" || string(byARN.Code) != string(in.Code) {
		t.Errorf("FunctionByARN = %+v, %v", byARN, err)
	}
	_, err = s.CreateFunction(ctx, region, "echo", in)
	wantKind(t, err, apigw.KindConflict, "a second function named echo")
	_, err = s.CreateFunction(ctx, region, "bad name", in)
	wantKind(t, err, apigw.KindBadRequest, "a function name with a space")
	bad := in
	bad.Timeout = 901
	_, err = s.CreateFunction(ctx, region, "slow", bad)
	wantKind(t, err, apigw.KindBadRequest, "a timeout over 900 s")

	in.Environment, in.Timeout = nil, 30
	up, err := s.UpdateFunction(ctx, region, "echo", in)
	if err != nil || up.Timeout != 30 || up.Environment != nil {
		t.Errorf("UpdateFunction = %+v, %v", up, err)
	}
	all, err := s.Functions(ctx)
	if err != nil || len(all) != 1 || all[0].Timeout != 30 {
		t.Errorf("Functions = %+v, %v", all, err)
	}
	_, err = s.UpdateFunction(ctx, region, "nope", in)
	wantKind(t, err, apigw.KindNotFound, "UpdateFunction of a missing function")
	if err := s.DeleteFunction(ctx, region, "echo"); err != nil {
		t.Fatal(err)
	}
	_, err = s.FunctionByARN(ctx, f.ARN)
	wantKind(t, err, apigw.KindNotFound, "FunctionByARN after delete")
	wantKind(t, s.DeleteFunction(ctx, region, "echo"), apigw.KindNotFound, "DeleteFunction twice")
}

// TestEnvironmentBoundToFunction checks that a sealed environment copied
// onto another function's record does not open.
func TestEnvironmentBoundToFunction(t *testing.T) {
	s, st := newService(t)
	ctx := t.Context()
	in := apigw.FunctionInput{Runtime: "nodejs22.x", Handler: "i.h", Environment: map[string]string{"K": "v"}}
	if _, err := s.CreateFunction(ctx, region, "a", in); err != nil {
		t.Fatal(err)
	}
	in.Environment = nil
	if _, err := s.CreateFunction(ctx, region, "b", in); err != nil {
		t.Fatal(err)
	}
	a, _ := st.GetFunction(ctx, region, "a")
	if err := st.UpdateFunction(ctx, region, "b", func(f store.Function) (store.Function, error) {
		f.EnvironmentSealed = a.EnvironmentSealed
		return f, nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err := s.GetFunction(ctx, region, "b")
	wantKind(t, err, apigw.KindInternal, "a moved sealed environment")
}

// TestChosenIDs checks the ids a caller chooses beforehand (the stack
// engine journals them before creating).
func TestChosenIDs(t *testing.T) {
	s, _ := newService(t)
	ctx := t.Context()
	id := apigw.NewAPIID()
	api, err := s.CreateRestAPI(ctx, region, apigw.RestAPIInput{ID: id, Name: "chosen"})
	if err != nil || api.ID != id {
		t.Fatalf("CreateRestAPI with ID %s = %+v, %v", id, api, err)
	}
	_, err = s.CreateRestAPI(ctx, region, apigw.RestAPIInput{ID: id, Name: "again"})
	wantKind(t, err, apigw.KindConflict, "CreateRestAPI with a taken ID")
	_, err = s.CreateRestAPI(ctx, region, apigw.RestAPIInput{ID: "UPPER12345", Name: "bad"})
	wantKind(t, err, apigw.KindBadRequest, "CreateRestAPI with a malformed ID")

	did := apigw.NewDeploymentID()
	d, err := s.CreateDeployment(ctx, id, apigw.DeploymentInput{ID: did})
	if err != nil || d.ID != did || !shortIDRe.MatchString(did) {
		t.Fatalf("CreateDeployment with ID %s = %+v, %v", did, d, err)
	}
	_, err = s.CreateDeployment(ctx, id, apigw.DeploymentInput{ID: did})
	wantKind(t, err, apigw.KindConflict, "CreateDeployment with a taken ID")
	_, err = s.CreateDeployment(ctx, id, apigw.DeploymentInput{ID: "x"})
	wantKind(t, err, apigw.KindBadRequest, "CreateDeployment with a malformed ID")
	if p := apigw.NewPartID(); !shortIDRe.MatchString(p) {
		t.Errorf("NewPartID = %q", p)
	}
}
