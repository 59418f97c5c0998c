package sam

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// apiHandled lists the AWS::Serverless::Api properties the transform
// supports; any other is reported as not supported yet.
var apiHandled = map[string]bool{
	"StageName": true, "DefinitionBody": true, "DefinitionUri": true, "Auth": true,
	"Cors": true, "GatewayResponses": true, "Name": true, "Description": true,
	"Variables": true, "MethodSettings": true, "TracingEnabled": true,
	"CacheClusterEnabled": true, "CacheClusterSize": true, "AccessLogSetting": true,
	"BinaryMediaTypes": true, "EndpointConfiguration": true, "OpenApiVersion": true,
	"Models": true,
}

// openAPI2 matches the OpenApiVersion values that keep a Swagger 2.0 body
// (SAM accepts 2.x and 3.x; only 3.x converts the body to OpenAPI 3).
var openAPI2 = regexp.MustCompile(`\A2(\.\d)(\.\d)?$`)

// stageProps are the Api properties copied onto the Stage.
var stageProps = []string{"Variables", "MethodSettings", "TracingEnabled", "CacheClusterEnabled", "CacheClusterSize", "AccessLogSetting"}

// api is one REST API being built: an AWS::Serverless::Api or the
// implicit ServerlessRestApi.
type api struct {
	res      *resource
	implicit bool
	body     *template.Node // the Swagger document
	editable bool           // false for a DefinitionUri body, which SAM leaves alone
	// managed is true when SAM generated the body; only then do Api events
	// add their routes to it (a DefinitionBody the user wrote must already
	// hold them, as in aws-sam-translator without MergeDefinitions).
	managed bool
	auth    apiAuth
	models  *template.Node // the Models mapping, once read and found valid
}

// newAPI reads an AWS::Serverless::Api (or the implicit API) and starts
// its Swagger body.
func (x *expander) newAPI(r *resource) *api {
	a := &api{res: r, editable: true}
	for _, f := range r.props.Fields {
		if !apiHandled[f.Key] {
			x.errorf(f.Value, r.path("Properties", f.Key), "Cognate's SAM transform does not support the %s property of %s yet", f.Key, TypeAPI)
		}
	}
	if r.props.Get("StageName") == nil {
		x.errorf(r.node, r.path("Properties"), "Resource with id [%s] is invalid. Missing required property 'StageName'", r.id)
	}
	body, uri := r.props.Get("DefinitionBody"), r.props.Get("DefinitionUri")
	switch {
	case body != nil && uri != nil:
		x.errorf(body, r.path("Properties"), "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.")
	case body != nil:
		if body.Kind != template.Mapping || (body.Get("swagger") == nil && body.Get("openapi") == nil) {
			x.errorf(body, r.path("Properties", "DefinitionBody"), "Cognate's SAM transform supports only an inline Swagger 2.0 or OpenAPI 3 mapping as DefinitionBody")
		} else if _, _, intr := body.Intrinsic(); intr {
			x.errorf(body, r.path("Properties", "DefinitionBody"), "Cognate's SAM transform does not support an intrinsic function as DefinitionBody yet")
		} else {
			a.body = body.Clone()
		}
	case uri != nil:
		loc, ok := uri.Text()
		if !ok || uri.Kind != template.String {
			x.errorf(uri, r.path("Properties", "DefinitionUri"), "Cognate's SAM transform supports only a local file path as DefinitionUri")
			break
		}
		a.body = x.load(uri, r.path("Properties", "DefinitionUri"), loc, "DefinitionUri")
		a.editable = false
		for _, k := range []string{"Auth", "Cors", "GatewayResponses", "Models"} {
			if v := r.props.Get(k); v != nil {
				x.errorf(v, r.path("Properties", k), "%s works only with inline Swagger specified in 'DefinitionBody' property.", k)
			}
		}
	}
	if a.body == nil {
		a.managed = true
		a.body = obj(
			"info", obj("version", "1.0", "title", ref("AWS::StackName")),
			"paths", mapping(),
			"swagger", "2.0",
		)
	}
	if a.editable && a.body.Get("paths") == nil {
		set(a.body, "paths", mapping())
	}
	if a.editable && a.body.Get("openapi") != nil {
		x.errorf(r.props.Get("DefinitionBody"), r.path("Properties", "DefinitionBody"), "Cognate's SAM transform does not support OpenAPI 3 definition bodies yet (Swagger 2.0 only)")
	}
	if v := r.props.Get("OpenApiVersion"); v != nil {
		if s, _ := v.Text(); !openAPI2.MatchString(s) {
			x.errorf(v, r.path("Properties", "OpenApiVersion"), "Cognate's SAM transform supports only OpenApiVersion 2.x yet (a 3.x version converts the body to OpenAPI 3)")
		}
	}
	x.readAuth(a)
	if a.editable {
		x.readModels(a)
	}
	return a
}

// stageSuffix is the stage part of the permission logical ids SAM makes
// for this API's events.
func (a *api) stageSuffix() string {
	if a.implicit {
		return "Prod"
	}
	if s := a.res.props.Get("StageName"); s != nil && s.Kind == template.String {
		return s.Value
	}
	return "Stage"
}

// addEvent adds the function's route to the API's Swagger body when SAM
// generated that body. A DefinitionBody written by the user is left as it
// is (the event still gets its Permission), as aws-sam-translator does.
func (x *expander) addEvent(a *api, fn *resource, ev *apiEvent) {
	if !a.managed {
		return
	}
	paths := a.body.Get("paths")
	if paths == nil || paths.Kind != template.Mapping {
		x.errorf(paths, a.res.path("Properties", "DefinitionBody", "paths"), "paths must be a mapping")
		return
	}
	item := paths.Get(ev.urlPath)
	if item == nil {
		item = mapping()
		set(paths, ev.urlPath, item)
	} else if item.Kind != template.Mapping {
		x.errorf(item, ev.path+"/Path", "path %s of the API definition is not a mapping", ev.urlPath)
		return
	}
	method := ev.method
	if method == "any" {
		method = "x-amazon-apigateway-any-method"
	}
	if item.Get(method) != nil {
		x.errorf(ev.node, ev.path, "API method %q defined multiple times for path %q.", ev.method, ev.urlPath)
		return
	}
	op := obj(
		"x-amazon-apigateway-integration", obj(
			"type", "aws_proxy",
			"httpMethod", "POST",
			"uri", obj("Fn::Sub", "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${"+fn.id+".Arn}/invocations"),
		),
		"responses", mapping(),
	)
	if sec := x.eventSecurity(a, ev); sec != nil {
		set(op, "security", sec)
	}
	x.requestModel(a, ev, op)
	x.requestParameters(ev, op)
	set(item, method, op)
}

// finishAPI adds CORS, the default authorizer, security definitions and
// gateway responses to the body, and returns the RestApi, Deployment and
// Stage.
func (x *expander) finishAPI(a *api) []template.Field {
	r := a.res
	if a.editable {
		x.addCors(a)
		x.addAuth(a)
		x.addGatewayResponses(a)
		x.addModels(a)
		if bmt := r.props.Get("BinaryMediaTypes"); bmt != nil {
			set(a.body, "x-amazon-apigateway-binary-media-types", unescapeSlashes(bmt.Clone()))
		}
	}
	rest := obj("Body", a.body)
	for _, k := range []string{"Name", "Description", "BinaryMediaTypes"} {
		if v := r.props.Get(k); v != nil {
			set(rest, k, v)
		}
	}
	x.endpointConfiguration(a, rest)
	canon, _ := json.Marshal(a.body.Interface())
	sum := sha1.Sum(canon)
	digest := hex.EncodeToString(sum[:])
	depID := r.id + "Deployment" + digest[:10]
	dep := obj(
		"Description", "RestApi deployment id: "+digest,
		"RestApiId", ref(r.id),
	)
	// SAM's Deployment also creates a stray stage named "Stage", unless
	// OpenApiVersion is set.
	if r.props.Get("OpenApiVersion") == nil {
		set(dep, "StageName", template.NewString("Stage"))
	}
	stageName := r.props.Get("StageName")
	if stageName == nil {
		stageName = template.NewString("Prod")
	}
	stage := obj("DeploymentId", ref(depID), "RestApiId", ref(r.id), "StageName", stageName)
	for _, k := range stageProps {
		if v := r.props.Get(k); v != nil {
			set(stage, k, v)
		}
	}
	stageID := r.id + "Stage"
	if s, ok := stageName.Text(); ok && stageName.Kind == template.String {
		if isAlnum(s) {
			stageID = r.id + s + "Stage"
		} else {
			stageID = hashedID(r.id+"Stage", s)
		}
	}
	restNode := resourceNode(r, "AWS::ApiGateway::RestApi", rest)
	if r.node != nil {
		for _, k := range []string{"DependsOn", "Metadata"} {
			if v := r.node.Get(k); v != nil {
				set(restNode, k, v)
			}
		}
	}
	return []template.Field{
		{Key: r.id, Value: restNode},
		{Key: depID, Value: resourceNode(r, "AWS::ApiGateway::Deployment", dep)},
		{Key: stageID, Value: resourceNode(r, "AWS::ApiGateway::Stage", stage)},
	}
}

// unescapeSlashes turns "~1" into "/" in every string under n, as SAM does
// for the Swagger copy of BinaryMediaTypes.
func unescapeSlashes(n *template.Node) *template.Node {
	switch n.Kind {
	case template.String:
		n.Value = strings.ReplaceAll(n.Value, "~1", "/")
	case template.Sequence:
		for _, it := range n.Items {
			unescapeSlashes(it)
		}
	case template.Mapping:
		for i := range n.Fields {
			n.Fields[i].Key = strings.ReplaceAll(n.Fields[i].Key, "~1", "/")
			unescapeSlashes(n.Fields[i].Value)
		}
	}
	return n
}

// endpointConfiguration sets the RestApi's EndpointConfiguration and its
// endpointConfigurationTypes import parameter from the Api's
// EndpointConfiguration (a type name, or {Type, VPCEndpointIds}).
func (x *expander) endpointConfiguration(a *api, rest *template.Node) {
	n := a.res.props.Get("EndpointConfiguration")
	if n == nil {
		return
	}
	typ, ids := n, (*template.Node)(nil)
	if _, _, intr := n.Intrinsic(); !intr && n.Kind == template.Mapping {
		for _, f := range n.Fields {
			if f.Key != "Type" && f.Key != "VPCEndpointIds" {
				x.errorf(f.Value, a.res.path("Properties", "EndpointConfiguration", f.Key), "Cognate's SAM transform does not support EndpointConfiguration.%s yet", f.Key)
			}
		}
		typ, ids = n.Get("Type"), n.Get("VPCEndpointIds")
	}
	if typ == nil {
		x.errorf(n, a.res.path("Properties", "EndpointConfiguration"), "EndpointConfiguration needs a Type")
		return
	}
	cfg := obj("Types", list(typ))
	if ids != nil {
		set(cfg, "VpcEndpointIds", ids)
	}
	set(rest, "EndpointConfiguration", cfg)
	set(rest, "Parameters", obj("endpointConfigurationTypes", typ))
}

// hashedID is SAM's logical id for prefix and a name: prefix+name when the
// name is alphanumeric, else prefix and the first ten hex digits of the
// name's SHA-1 (samtranslator's LogicalIdGenerator), or prefix alone for
// an empty name.
func hashedID(prefix, name string) string {
	if isAlnum(name) {
		return prefix + name
	}
	if name == "" {
		return prefix
	}
	h := sha1.Sum([]byte(name))
	return prefix + hex.EncodeToString(h[:])[:10]
}

func isAlnum(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
