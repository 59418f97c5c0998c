package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

var apigwTests = []test{
	{"Gateway/RestAPICRUD", testRestAPICRUD},
	{"Gateway/Parts", testAPIParts},
	{"Gateway/DeploymentsAndStages", testDeploymentsAndStages},
	{"Gateway/DeleteAPICascades", testRestAPICascade},
	{"Gateway/Functions", testFunctions},
	{"Gateway/Generation", testGatewayGeneration},
	{"Gateway/GenerationConcurrent", testGatewayGenerationConcurrent},
}

func restAPI(id, region string) store.RestAPI {
	return store.RestAPI{ID: id, Region: region, Name: "api " + id, StackID: "arn:stack/" + id,
		Definition: []byte(`{"rootResourceId":"r00t` + id + `"}`), CreatedAt: t0, UpdatedAt: at(time.Second)}
}

func deployment(apiID, id string) store.Deployment {
	return store.Deployment{APIID: apiID, ID: id, Description: "d " + id, Definition: []byte(`{"body":{"swagger":"2.0"}}`), CreatedAt: t0}
}

func stage(apiID, name, deploymentID string) store.Stage {
	return store.Stage{APIID: apiID, Name: name, DeploymentID: deploymentID, Variables: []byte(`{"v":"1"}`), CreatedAt: t0, UpdatedAt: t0}
}

func function(region, name string) store.Function {
	return store.Function{Region: region, Name: name, ARN: "arn:aws:lambda:" + region + ":123456789012:function:" + name,
		StackID: "arn:stack/s", LogicalID: "Fn", Runtime: "nodejs22.x", Handler: "index.handler",
		Code: []byte(`{"S3Bucket":"cognate-local"}`), EnvironmentSealed: []byte{1, 0, 0xff}, Timeout: 3, MemorySize: 128,
		CreatedAt: t0, UpdatedAt: t0}
}

func testRestAPICRUD(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	want := restAPI("abcde12345", "us-east-1")
	must(t, s.CreateRestAPI(ctx, want), "CreateRestAPI")
	wantErr(t, s.CreateRestAPI(ctx, want), store.ErrConflict, "CreateRestAPI twice")
	got, err := s.GetRestAPI(ctx, want.ID)
	must(t, err, "GetRestAPI")
	equal(t, got, want, "GetRestAPI")

	must(t, s.UpdateRestAPI(ctx, want.ID, func(a store.RestAPI) (store.RestAPI, error) {
		a.Name, a.Definition, a.UpdatedAt = "renamed", nil, at(time.Hour)
		return a, nil
	}), "UpdateRestAPI")
	want.Name, want.Definition, want.UpdatedAt = "renamed", nil, at(time.Hour)
	got, err = s.GetRestAPI(ctx, want.ID)
	must(t, err, "GetRestAPI after update")
	equal(t, got, want, "GetRestAPI after update")
	sent := &errTest{"no"}
	wantSameErr(t, s.UpdateRestAPI(ctx, want.ID, func(store.RestAPI) (store.RestAPI, error) { return store.RestAPI{}, sent }), sent, "UpdateRestAPI closure error")
	if err := s.UpdateRestAPI(ctx, want.ID, func(a store.RestAPI) (store.RestAPI, error) { a.ID = "other"; return a, nil }); err == nil {
		t.Fatal("UpdateRestAPI changing ID: no error")
	}

	must(t, s.CreateRestAPI(ctx, restAPI("0000000000", "eu-west-1")), "CreateRestAPI eu-west-1")
	must(t, s.CreateRestAPI(ctx, restAPI("1111111111", "us-east-1")), "CreateRestAPI second")
	all, err := s.ListRestAPIs(ctx, "")
	must(t, err, "ListRestAPIs all")
	var ids []string
	for _, a := range all {
		ids = append(ids, a.Region+"/"+a.ID)
	}
	equal(t, ids, []string{"eu-west-1/0000000000", "us-east-1/1111111111", "us-east-1/abcde12345"}, "ListRestAPIs all")
	one, err := s.ListRestAPIs(ctx, "eu-west-1")
	must(t, err, "ListRestAPIs region")
	equal(t, len(one), 1, "ListRestAPIs region")

	must(t, s.DeleteRestAPI(ctx, want.ID), "DeleteRestAPI")
	_, err = s.GetRestAPI(ctx, want.ID)
	wantErr(t, err, store.ErrNotFound, "GetRestAPI after delete")
	wantErr(t, s.DeleteRestAPI(ctx, want.ID), store.ErrNotFound, "DeleteRestAPI twice")
	wantErr(t, s.UpdateRestAPI(ctx, want.ID, func(a store.RestAPI) (store.RestAPI, error) { return a, nil }), store.ErrNotFound, "UpdateRestAPI missing")
}

func testAPIParts(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	api := restAPI("abcde12345", "us-east-1")
	must(t, s.CreateRestAPI(ctx, api), "CreateRestAPI")
	method := store.APIPart{APIID: api.ID, Kind: "AWS::ApiGateway::Method", ID: "m1", Properties: []byte(`{"HttpMethod":"GET"}`), UpdatedAt: t0}
	res := store.APIPart{APIID: api.ID, Kind: "AWS::ApiGateway::Resource", ID: "abc123", Properties: []byte(`{"PathPart":"x"}`), UpdatedAt: t0}
	auth := store.APIPart{APIID: api.ID, Kind: "AWS::ApiGateway::Authorizer", ID: "abc123", Properties: []byte(`{}`), UpdatedAt: t0}
	for _, p := range []store.APIPart{method, res, auth} {
		must(t, s.PutAPIPart(ctx, p), "PutAPIPart "+p.Kind)
	}
	res.Properties, res.UpdatedAt = []byte(`{"PathPart":"y"}`), at(time.Minute)
	must(t, s.PutAPIPart(ctx, res), "PutAPIPart replace")
	got, err := s.ListAPIParts(ctx, api.ID)
	must(t, err, "ListAPIParts")
	equal(t, got, []store.APIPart{auth, method, res}, "ListAPIParts (by kind, then id; the replaced one once)")

	wantErr(t, s.PutAPIPart(ctx, store.APIPart{APIID: "missing000", Kind: "AWS::ApiGateway::Model", ID: "M", UpdatedAt: t0}),
		store.ErrNotFound, "PutAPIPart of a missing API")
	must(t, s.DeleteAPIPart(ctx, api.ID, method.Kind, method.ID), "DeleteAPIPart")
	wantErr(t, s.DeleteAPIPart(ctx, api.ID, method.Kind, method.ID), store.ErrNotFound, "DeleteAPIPart twice")
	got, err = s.ListAPIParts(ctx, api.ID)
	must(t, err, "ListAPIParts after delete")
	equal(t, got, []store.APIPart{auth, res}, "ListAPIParts after delete")
}

func testDeploymentsAndStages(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	api := restAPI("abcde12345", "us-east-1")
	must(t, s.CreateRestAPI(ctx, api), "CreateRestAPI")
	d1, d2 := deployment(api.ID, "dep001"), deployment(api.ID, "dep002")
	d2.Definition = nil
	must(t, s.CreateDeployment(ctx, d1), "CreateDeployment 1")
	must(t, s.CreateDeployment(ctx, d2), "CreateDeployment 2")
	wantErr(t, s.CreateDeployment(ctx, d1), store.ErrConflict, "CreateDeployment twice")
	wantErr(t, s.CreateDeployment(ctx, deployment("missing000", "x")), store.ErrNotFound, "CreateDeployment of a missing API")
	got, err := s.GetDeployment(ctx, api.ID, d2.ID)
	must(t, err, "GetDeployment")
	equal(t, got, d2, "GetDeployment")
	_, err = s.GetDeployment(ctx, api.ID, "nope")
	wantErr(t, err, store.ErrNotFound, "GetDeployment missing")

	prod := stage(api.ID, "prod", d1.ID)
	must(t, s.CreateStage(ctx, prod), "CreateStage")
	must(t, s.CreateStage(ctx, stage(api.ID, "dev", d1.ID)), "CreateStage dev")
	wantErr(t, s.CreateStage(ctx, prod), store.ErrConflict, "CreateStage twice")
	wantErr(t, s.CreateStage(ctx, stage(api.ID, "x", "nodeployment")), store.ErrNotFound, "CreateStage of a missing deployment")
	gotStage, err := s.GetStage(ctx, api.ID, "prod")
	must(t, err, "GetStage")
	equal(t, gotStage, prod, "GetStage")

	err = s.DeleteDeployment(ctx, api.ID, d1.ID)
	wantErr(t, err, store.ErrConflict, "DeleteDeployment a stage points to")

	must(t, s.UpdateStage(ctx, api.ID, "prod", func(st store.Stage) (store.Stage, error) {
		st.DeploymentID, st.Variables, st.UpdatedAt = d2.ID, nil, at(time.Hour)
		return st, nil
	}), "UpdateStage")
	prod.DeploymentID, prod.Variables, prod.UpdatedAt = d2.ID, nil, at(time.Hour)
	wantErr(t, s.UpdateStage(ctx, api.ID, "prod", func(st store.Stage) (store.Stage, error) {
		st.DeploymentID = "nodeployment"
		return st, nil
	}), store.ErrNotFound, "UpdateStage to a missing deployment")
	if err := s.UpdateStage(ctx, api.ID, "prod", func(st store.Stage) (store.Stage, error) { st.Name = "x"; return st, nil }); err == nil {
		t.Fatal("UpdateStage changing Name: no error")
	}
	wantErr(t, s.UpdateStage(ctx, api.ID, "nope", func(st store.Stage) (store.Stage, error) { return st, nil }), store.ErrNotFound, "UpdateStage missing")

	stages, err := s.ListStages(ctx, api.ID)
	must(t, err, "ListStages")
	equal(t, stages, []store.Stage{stage(api.ID, "dev", d1.ID), prod}, "ListStages")

	deployed, err := s.ListDeployedStages(ctx)
	must(t, err, "ListDeployedStages")
	equal(t, deployed, []store.DeployedStage{
		{Region: "us-east-1", APIID: api.ID, APIName: api.Name, StageName: "dev", DeploymentID: d1.ID, Variables: []byte(`{"v":"1"}`), Definition: d1.Definition},
		{Region: "us-east-1", APIID: api.ID, APIName: api.Name, StageName: "prod", DeploymentID: d2.ID},
	}, "ListDeployedStages")

	must(t, s.DeleteStage(ctx, api.ID, "dev"), "DeleteStage")
	wantErr(t, s.DeleteStage(ctx, api.ID, "dev"), store.ErrNotFound, "DeleteStage twice")
	must(t, s.DeleteDeployment(ctx, api.ID, d1.ID), "DeleteDeployment no longer used")
	wantErr(t, s.DeleteDeployment(ctx, api.ID, d1.ID), store.ErrNotFound, "DeleteDeployment twice")
}

func testRestAPICascade(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	api, other := restAPI("abcde12345", "us-east-1"), restAPI("zzzzz00000", "us-east-1")
	for _, a := range []store.RestAPI{api, other} {
		must(t, s.CreateRestAPI(ctx, a), "CreateRestAPI")
		must(t, s.PutAPIPart(ctx, store.APIPart{APIID: a.ID, Kind: "AWS::ApiGateway::Resource", ID: "res001", UpdatedAt: t0}), "PutAPIPart")
		must(t, s.CreateDeployment(ctx, deployment(a.ID, "dep001")), "CreateDeployment")
		must(t, s.CreateStage(ctx, stage(a.ID, "prod", "dep001")), "CreateStage")
	}
	must(t, s.DeleteRestAPI(ctx, api.ID), "DeleteRestAPI with stages")
	parts, err := s.ListAPIParts(ctx, api.ID)
	must(t, err, "ListAPIParts")
	equal(t, len(parts), 0, "parts left after DeleteRestAPI")
	stages, err := s.ListStages(ctx, api.ID)
	must(t, err, "ListStages")
	equal(t, len(stages), 0, "stages left after DeleteRestAPI")
	_, err = s.GetDeployment(ctx, api.ID, "dep001")
	wantErr(t, err, store.ErrNotFound, "deployment after DeleteRestAPI")
	deployed, err := s.ListDeployedStages(ctx)
	must(t, err, "ListDeployedStages")
	if len(deployed) != 1 || deployed[0].APIID != other.ID {
		t.Fatalf("ListDeployedStages after deleting one API: %+v", deployed)
	}
	must(t, s.Reset(ctx), "Reset")
	deployed, err = s.ListDeployedStages(ctx)
	must(t, err, "ListDeployedStages after Reset")
	equal(t, len(deployed), 0, "deployed stages after Reset")
}

func testFunctions(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	f := function("us-east-1", "echo")
	must(t, s.CreateFunction(ctx, f), "CreateFunction")
	wantErr(t, s.CreateFunction(ctx, f), store.ErrConflict, "CreateFunction twice")
	clash := function("us-east-1", "other")
	clash.ARN = f.ARN
	wantErr(t, s.CreateFunction(ctx, clash), store.ErrConflict, "CreateFunction with a taken ARN")
	got, err := s.GetFunction(ctx, "us-east-1", "echo")
	must(t, err, "GetFunction")
	equal(t, got, f, "GetFunction")
	got, err = s.GetFunctionByARN(ctx, f.ARN)
	must(t, err, "GetFunctionByARN")
	equal(t, got, f, "GetFunctionByARN")
	_, err = s.GetFunction(ctx, "eu-west-1", "echo")
	wantErr(t, err, store.ErrNotFound, "GetFunction in another region")

	must(t, s.UpdateFunction(ctx, "us-east-1", "echo", func(x store.Function) (store.Function, error) {
		x.Runtime, x.EnvironmentSealed, x.Timeout, x.UpdatedAt = "python3.13", nil, 30, at(time.Hour)
		return x, nil
	}), "UpdateFunction")
	f.Runtime, f.EnvironmentSealed, f.Timeout, f.UpdatedAt = "python3.13", nil, 30, at(time.Hour)
	must(t, s.CreateFunction(ctx, function("eu-west-1", "echo")), "CreateFunction eu-west-1")
	all, err := s.ListFunctions(ctx)
	must(t, err, "ListFunctions")
	equal(t, all, []store.Function{function("eu-west-1", "echo"), f}, "ListFunctions")
	if err := s.UpdateFunction(ctx, "us-east-1", "echo", func(x store.Function) (store.Function, error) { x.Name = "y"; return x, nil }); err == nil {
		t.Fatal("UpdateFunction changing Name: no error")
	}
	wantErr(t, s.UpdateFunction(ctx, "us-east-1", "nope", func(x store.Function) (store.Function, error) { return x, nil }), store.ErrNotFound, "UpdateFunction missing")
	must(t, s.DeleteFunction(ctx, "us-east-1", "echo"), "DeleteFunction")
	wantErr(t, s.DeleteFunction(ctx, "us-east-1", "echo"), store.ErrNotFound, "DeleteFunction twice")
	_, err = s.GetFunctionByARN(ctx, f.ARN)
	wantErr(t, err, store.ErrNotFound, "GetFunctionByARN after delete")
}

// testGatewayGeneration checks that every committed gateway write moves
// the generation, and that reads, failed writes, rolled-back
// transactions and writes elsewhere do not.
func testGatewayGeneration(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	gen := func() int64 {
		t.Helper()
		g, err := s.GatewayGeneration(ctx)
		must(t, err, "GatewayGeneration")
		return g
	}
	last := gen()
	moved := func(what string, want bool) {
		t.Helper()
		g := gen()
		if (g > last) != want {
			t.Fatalf("%s: generation went from %d to %d; want it moved: %v", what, last, g, want)
		}
		last = g
	}
	api := restAPI("abcde12345", "us-east-1")
	steps := []struct {
		what  string
		write func() error
	}{
		{"CreateRestAPI", func() error { return s.CreateRestAPI(ctx, api) }},
		{"UpdateRestAPI", func() error {
			return s.UpdateRestAPI(ctx, api.ID, func(a store.RestAPI) (store.RestAPI, error) { return a, nil })
		}},
		{"PutAPIPart", func() error {
			return s.PutAPIPart(ctx, store.APIPart{APIID: api.ID, Kind: "AWS::ApiGateway::Resource", ID: "r", UpdatedAt: t0})
		}},
		{"DeleteAPIPart", func() error { return s.DeleteAPIPart(ctx, api.ID, "AWS::ApiGateway::Resource", "r") }},
		{"CreateDeployment", func() error { return s.CreateDeployment(ctx, deployment(api.ID, "d1")) }},
		{"CreateStage", func() error { return s.CreateStage(ctx, stage(api.ID, "prod", "d1")) }},
		{"UpdateStage", func() error {
			return s.UpdateStage(ctx, api.ID, "prod", func(st store.Stage) (store.Stage, error) { return st, nil })
		}},
		{"DeleteStage", func() error { return s.DeleteStage(ctx, api.ID, "prod") }},
		{"DeleteDeployment", func() error { return s.DeleteDeployment(ctx, api.ID, "d1") }},
		{"DeleteRestAPI", func() error { return s.DeleteRestAPI(ctx, api.ID) }},
		{"CreateFunction", func() error { return s.CreateFunction(ctx, function("us-east-1", "f")) }},
		{"UpdateFunction", func() error {
			return s.UpdateFunction(ctx, "us-east-1", "f", func(f store.Function) (store.Function, error) { return f, nil })
		}},
		{"DeleteFunction", func() error { return s.DeleteFunction(ctx, "us-east-1", "f") }},
		{"BumpGatewayGeneration", func() error { return s.BumpGatewayGeneration(ctx) }},
		{"Reset", func() error { return s.Reset(ctx) }},
	}
	for _, st := range steps {
		must(t, st.write(), st.what)
		moved(st.what, true)
	}

	// Reads and failures leave it.
	_, _ = s.ListDeployedStages(ctx)
	_, _ = s.ListFunctions(ctx)
	moved("reads", false)
	wantErr(t, s.DeleteRestAPI(ctx, "missing000"), store.ErrNotFound, "DeleteRestAPI missing")
	wantErr(t, s.CreateStage(ctx, stage("missing000", "x", "y")), store.ErrNotFound, "CreateStage missing API")
	moved("failed writes", false)
	stop := errors.New("roll back")
	if err := s.InTx(ctx, func(tx store.Store) error {
		must(t, tx.CreateRestAPI(ctx, api), "CreateRestAPI in InTx")
		return stop
	}); !errors.Is(err, stop) {
		t.Fatalf("InTx: %v", err)
	}
	moved("a rolled-back transaction", false)
	createPool(t, s, "us-east-1_gen")
	moved("a pool write", false)

	// A committed transaction moves it, and its own reads see the move.
	must(t, s.InTx(ctx, func(tx store.Store) error {
		before, err := tx.GatewayGeneration(ctx)
		if err != nil {
			return err
		}
		if err := tx.CreateRestAPI(ctx, api); err != nil {
			return err
		}
		after, err := tx.GatewayGeneration(ctx)
		if err != nil {
			return err
		}
		if after <= before {
			t.Errorf("inside InTx: generation %d after a write, %d before", after, before)
		}
		return nil
	}), "InTx")
	moved("a committed transaction", true)
}

// testGatewayGenerationConcurrent checks that concurrent writes each move
// the generation once: none is lost.
func testGatewayGenerationConcurrent(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	before, err := s.GatewayGeneration(ctx)
	must(t, err, "GatewayGeneration")
	const writers, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				errs <- s.CreateFunction(ctx, function("us-east-1", fmt.Sprintf("f-%d-%d", w, i)))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err, "concurrent CreateFunction")
	}
	after, err := s.GatewayGeneration(ctx)
	must(t, err, "GatewayGeneration after")
	equal(t, after-before, int64(writers*each), "generation moves, one per concurrent write")
}
