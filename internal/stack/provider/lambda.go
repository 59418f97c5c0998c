package provider

import (
	"context"
	"encoding/json"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/template"
)

// Function provides AWS::Lambda::Function as a record the gateway reads
// (running it is the Lambda emulator's job). Ref is the function name;
// Fn::GetAtt Arn is arn:aws:lambda:{region}:{account}:function:{name}.
// Its environment variables are sealed at rest.
type Function struct{ G Gateways }

// Schema lists the type's properties. Those Cognate records without
// acting on them are listed so that they draw no warning; the long tail
// (VpcConfig, Layers, ...) is accepted with one.
func (Function) Schema() stack.Schema {
	return stack.Schema{
		Properties: map[string]stack.Kind{
			"FunctionName": stack.KindString, "Code": stack.KindObject, "Handler": stack.KindString,
			"Runtime": stack.KindString, "Environment": stack.KindObject, "Timeout": stack.KindInteger,
			"MemorySize": stack.KindInteger, "Role": stack.KindString, "Description": stack.KindString,
			"Architectures": stack.KindList, "Tags": stack.KindObjectList, "PackageType": stack.KindString,
		},
		Required:   []string{"Code"},
		Replace:    []string{"FunctionName"},
		Attributes: []string{"Arn"},
		Open:       true,
	}
}

// Validate checks that environment variables are strings.
func (Function) Validate(props *template.Node, path string) template.ErrorList {
	var errs template.ErrorList
	if vars := props.Get("Environment").Get("Variables"); vars != nil {
		if vars.Kind != template.Mapping {
			errs.Add(vars.Pos, path+"/Environment/Variables", "Expected an object of strings")
		}
		for _, f := range vars.Fields {
			if !f.Value.Kind.IsScalar() {
				errs.Add(f.Value.Pos, path+"/Environment/Variables/"+f.Key, "Expected a string")
			}
		}
	}
	return errs
}

// functionName is FunctionName, or CloudFormation's generated
// {stack}-{logical id}-{12 random}, cut to Lambda's 64 characters [doc: a
// generated name; the cut is a guess].
func functionName(req stack.Request) string {
	if n := str(req.Properties, "FunctionName"); n != "" {
		return n
	}
	prefix := req.StackName + "-" + req.LogicalID
	if len(prefix) > 64-13 {
		prefix = prefix[:64-13]
	}
	return prefix + "-" + randomSuffix(12)
}

func functionInput(req stack.Request) (apigw.FunctionInput, error) {
	p := req.Properties
	code, err := propsJSON(p.Get("Code"))
	if err != nil {
		return apigw.FunctionInput{}, err
	}
	in := apigw.FunctionInput{StackID: req.StackID, LogicalID: req.LogicalID, Runtime: str(p, "Runtime"),
		Handler: str(p, "Handler"), Code: json.RawMessage(code), Timeout: int(integer(p, "Timeout")),
		MemorySize: int(integer(p, "MemorySize"))}
	if vars := p.Get("Environment").Get("Variables"); vars != nil {
		in.Environment = map[string]string{}
		for _, f := range vars.Fields {
			in.Environment[f.Key], _ = f.Value.Text()
		}
	}
	return in, nil
}

func (f Function) result(fn apigw.Function) stack.Result {
	return stack.Result{PhysicalID: fn.Name, Attributes: map[string]string{"Arn": fn.ARN}}
}

// Create records the function.
func (f Function) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	in, err := functionInput(req)
	if err != nil {
		return stack.Result{}, err
	}
	name := req.Planned
	if name == "" {
		name = functionName(req)
	}
	fn, err := f.G.CreateFunction(ctx, req.Region, name, in)
	if err != nil {
		return stack.Result{}, propErr(err, "FunctionName", "Timeout", "MemorySize")
	}
	return f.result(fn), nil
}

// Update replaces the function's settings.
func (f Function) Update(ctx context.Context, req stack.Request, id string, _ *template.Node) (stack.Result, error) {
	in, err := functionInput(req)
	if err != nil {
		return stack.Result{}, err
	}
	fn, err := f.G.UpdateFunction(ctx, req.Region, id, in)
	if err != nil {
		return stack.Result{}, propErr(err, "Timeout", "MemorySize")
	}
	return f.result(fn), nil
}

// Delete deletes the function record.
func (f Function) Delete(ctx context.Context, req stack.Request, id string) error {
	if err := f.G.DeleteFunction(ctx, req.Region, id); err != nil && !gone(err) {
		return err
	}
	return nil
}

// PlannedID is FunctionName, or the name generated for the function.
func (Function) PlannedID(req stack.Request) string { return functionName(req) }
