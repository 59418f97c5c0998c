package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// RestAPI provides AWS::ApiGateway::RestApi. Ref is the API id;
// Fn::GetAtt gives RestApiId and RootResourceId. The OpenAPI document
// comes from Body (an object, or a string holding JSON or YAML); a
// BodyS3Location is refused, since Cognate has no S3 to read it from.
type RestAPI struct{ G Gateways }

// Schema lists the type's properties. Those Cognate records without
// acting on them are listed too, so that they draw no warning; the long
// tail (Policy, EndpointConfiguration, ...) is accepted with one.
func (RestAPI) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"Name": stack.KindString, "Body": stack.KindAny, "BodyS3Location": stack.KindObject,
			"BinaryMediaTypes": stack.KindList, "Description": stack.KindString, "FailOnWarnings": stack.KindBool,
			"Mode": stack.KindString, "Parameters": stack.KindObject, "Tags": stack.KindObjectList,
			"EndpointConfiguration": stack.KindObject, "DisableExecuteApiEndpoint": stack.KindBool,
		},
		Attributes: []string{"RestApiId", "RootResourceId"},
		Open:       true,
	}
}

// Validate refuses a BodyS3Location (an S3 object Cognate cannot read),
// a Body that is neither an object nor a JSON or YAML document, and an
// API with neither a Name nor a Body title to name it by.
func (RestAPI) Validate(props *template.Node, path string) template.ErrorList {
	var errs template.ErrorList
	if loc := props.Get("BodyS3Location"); loc != nil {
		errs.Add(loc.Pos, path+"/BodyS3Location", "BodyS3Location names an S3 object (s3://%s/%s), which Cognate cannot read: "+
			"inline the OpenAPI document as Body, include a local file with Fn::Transform AWS::Include, or use a SAM DefinitionUri with a local path",
			str(loc, "Bucket"), str(loc, "Key"))
	}
	body := props.Get("Body")
	if body != nil {
		if s, ok := body.Text(); ok && !stack.IsUnresolved(s) {
			if _, err := bodyJSON(body); err != nil {
				errs.Add(body.Pos, path+"/Body", "%v", err)
			}
		}
	}
	if props.Get("Name") == nil && body == nil {
		errs.Add(props.Pos, path, "Property Name cannot be empty: give the API a Name or a Body (required property missing)")
	}
	return errs
}

// bodyJSON returns the Body as a JSON object: a mapping as it is, a
// string parsed as JSON or YAML.
func bodyJSON(body *template.Node) (json.RawMessage, error) {
	if body == nil {
		return nil, nil
	}
	if s, ok := body.Text(); ok {
		n, _, err := template.ReadValue([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("the Body string is not a JSON or YAML document: %w", err)
		}
		body = n
	}
	if body.Kind != template.Mapping {
		return nil, errors.New("the Body must be an OpenAPI document (an object)")
	}
	return body.MarshalJSON()
}

func restAPIInput(req stack.Request) (apigw.RestAPIInput, error) {
	p := req.Properties
	body, err := bodyJSON(p.Get("Body"))
	if err != nil {
		return apigw.RestAPIInput{}, &stack.PropertyError{Property: "Body", Err: err}
	}
	name := str(p, "Name")
	if name == "" && body != nil {
		// API Gateway names an imported API after its info.title [doc].
		var doc struct {
			Info struct {
				Title string `json:"title"`
			} `json:"info"`
		}
		_ = json.Unmarshal(body, &doc)
		name = doc.Info.Title
	}
	if name == "" {
		// [guess] An imported document without a title: name it after the
		// resource rather than fail.
		name = req.LogicalID
	}
	return apigw.RestAPIInput{Name: name, StackID: req.StackID, Body: body, BinaryMediaTypes: list(p, "BinaryMediaTypes")}, nil
}

func restAPIResult(a apigw.RestAPI) stack.Result {
	return stack.Result{PhysicalID: a.ID, Attributes: map[string]string{"RestApiId": a.ID, "RootResourceId": a.RootResourceID}}
}

// Create creates the API.
func (r RestAPI) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	in, err := restAPIInput(req)
	if err != nil {
		return stack.Result{}, err
	}
	in.ID = req.Planned
	a, err := r.G.CreateRestAPI(ctx, req.Region, in)
	if err != nil {
		return stack.Result{}, propErr(err, "Name", "Body")
	}
	return restAPIResult(a), nil
}

// Update replaces the API's name, body and binary media types in place.
// Stages keep serving their deployments until a new one is made.
func (r RestAPI) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	in, err := restAPIInput(req)
	if err != nil {
		return stack.Result{}, err
	}
	a, err := r.G.UpdateRestAPI(ctx, id, in)
	if err != nil {
		return stack.Result{}, propErr(err, "Name", "Body")
	}
	return restAPIResult(a), nil
}

// Delete deletes the API with its parts, deployments and stages.
func (r RestAPI) Delete(ctx context.Context, _ stack.Request, id string) error {
	if err := r.G.DeleteRestAPI(ctx, id); err != nil && !gone(err) {
		return err
	}
	return nil
}

// PlannedID chooses the API's id before it is created.
func (RestAPI) PlannedID(stack.Request) string { return apigw.NewAPIID() }
