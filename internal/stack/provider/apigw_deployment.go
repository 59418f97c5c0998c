package provider

import (
	"context"
	"fmt"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Deployment provides AWS::ApiGateway::Deployment. Ref is the deployment
// id. Creating one snapshots its API's current definition; with a
// StageName it also creates that stage (or moves it to the new
// deployment). Its warnings name the Cognito authorizer scopes no pool
// defines or no client may obtain.
type Deployment struct {
	G     Gateways
	Pools PoolScopes // nil: no scope check
}

// Schema lists the type's properties. A new RestApiId or StageName makes
// a new deployment ([guess] for StageName: CloudFormation documents it as
// updatable, but a deployment's stage is set when it is made).
func (Deployment) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"RestApiId": stack.KindString, "StageName": stack.KindString, "Description": stack.KindString,
			"StageDescription": stack.KindObject, "DeploymentCanarySettings": stack.KindObject,
		},
		Required:   []string{"RestApiId"},
		Replace:    []string{"RestApiId", "StageName", "DeploymentCanarySettings"},
		Attributes: []string{"DeploymentId"},
	}
}

// Validate checks the stage name.
func (Deployment) Validate(props *template.Node, path string) template.ErrorList {
	return validateStageName(props, path)
}

func validateStageName(props *template.Node, path string) template.ErrorList {
	var errs template.ErrorList
	if n := props.Get("StageName"); n != nil {
		s, _ := n.Text()
		if !stack.IsUnresolved(s) && !stageNameOK(s) {
			errs.Add(n.Pos, path+"/StageName", "Stage name only allows a-zA-Z0-9_- and must be 1 to 128 characters long")
		}
	}
	return errs
}

func stageNameOK(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Create makes the deployment (and its stage) and checks it.
func (d Deployment) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	p := req.Properties
	dep, err := d.G.CreateDeployment(ctx, str(p, "RestApiId"),
		apigw.DeploymentInput{ID: req.Planned, Description: str(p, "Description"), StageName: str(p, "StageName")})
	if err != nil {
		return stack.Result{}, gatewayPropErr(err)
	}
	return stack.Result{PhysicalID: dep.ID, Attributes: map[string]string{"DeploymentId": dep.ID},
		Warnings: compileWarnings(dep.Definition)}, nil
}

// Update keeps the deployment (only its description changed, which is
// not kept) and checks it again: the pools may have changed.
func (d Deployment) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	dep, err := d.G.GetDeployment(ctx, str(req.Properties, "RestApiId"), id)
	if err != nil {
		return stack.Result{}, gatewayPropErr(err)
	}
	return stack.Result{PhysicalID: id, Attributes: map[string]string{"DeploymentId": id}, Warnings: compileWarnings(dep.Definition)}, nil
}

// Check returns the Cognito authorizer scopes of the deployment that no
// resource server of a local pool defines or that no app client of it may
// obtain. It implements stack.PostDeployCheck: the engine calls it once
// every resource of the deploy exists, because a stack's resource servers
// and clients may come after its deployment (examples/echo-api: nothing
// orders them).
func (d Deployment) Check(ctx context.Context, req stack.Request, id string) []string {
	dep, err := d.G.GetDeployment(ctx, str(req.Properties, "RestApiId"), id)
	if err != nil {
		return []string{fmt.Sprintf("could not read deployment %s to check its scopes: %v", id, err)}
	}
	return deploymentScopeWarnings(ctx, d.Pools, dep.Definition)
}

// Delete deletes the stage the deployment made, when it still serves
// this deployment, and then the deployment. A deployment another stage
// serves cannot be deleted, as on AWS.
func (d Deployment) Delete(ctx context.Context, req stack.Request, id string) error {
	apiID, stage := str(req.Properties, "RestApiId"), str(req.Properties, "StageName")
	if stage != "" {
		st, err := d.G.GetStage(ctx, apiID, stage)
		if err == nil && st.DeploymentID == id {
			if err := d.G.DeleteStage(ctx, apiID, stage); err != nil && !gone(err) {
				return err
			}
		} else if err != nil && !gone(err) {
			return err
		}
	}
	if err := d.G.DeleteDeployment(ctx, apiID, id); err != nil && !gone(err) {
		return err
	}
	return nil
}

// PlannedID chooses the deployment's id before it is created.
func (Deployment) PlannedID(stack.Request) string { return apigw.NewDeploymentID() }

// Stage provides AWS::ApiGateway::Stage. Ref is the stage name.
type Stage struct{ G Gateways }

// Schema lists the type's properties; the long tail (MethodSettings,
// TracingEnabled, AccessLogSetting, ...) is accepted with a warning.
// Cognate needs a DeploymentId: a stage serves a deployment.
func (Stage) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"RestApiId": stack.KindString, "StageName": stack.KindString, "DeploymentId": stack.KindString,
			"Variables": stack.KindObject, "Description": stack.KindString, "Tags": stack.KindObjectList,
		},
		Required: []string{"RestApiId", "StageName", "DeploymentId"},
		Replace:  []string{"RestApiId", "StageName"},
		Open:     true,
	}
}

// Validate checks the stage name.
func (Stage) Validate(props *template.Node, path string) template.ErrorList {
	return validateStageName(props, path)
}

func stageInput(p *template.Node) apigw.StageInput {
	in := apigw.StageInput{DeploymentID: str(p, "DeploymentId")}
	if v := p.Get("Variables"); v != nil {
		in.Variables = map[string]string{}
		for _, f := range v.Fields {
			in.Variables[f.Key], _ = f.Value.Text()
		}
	}
	return in
}

// Create creates the stage.
func (s Stage) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	p := req.Properties
	st, err := s.G.CreateStage(ctx, str(p, "RestApiId"), str(p, "StageName"), stageInput(p))
	if err != nil {
		return stack.Result{}, gatewayPropErr(err)
	}
	return stack.Result{PhysicalID: st.Name}, nil
}

// Update points the stage at its deployment and sets its variables.
func (s Stage) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	st, err := s.G.UpdateStage(ctx, str(req.Properties, "RestApiId"), id, stageInput(req.Properties))
	if err != nil {
		return stack.Result{}, gatewayPropErr(err)
	}
	return stack.Result{PhysicalID: st.Name}, nil
}

// Delete deletes the stage.
func (s Stage) Delete(ctx context.Context, req stack.Request, id string) error {
	if err := s.G.DeleteStage(ctx, str(req.Properties, "RestApiId"), id); err != nil && !gone(err) {
		return err
	}
	return nil
}

// PlannedID is the stage name.
func (Stage) PlannedID(req stack.Request) string { return str(req.Properties, "StageName") }
