package sam

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// functionPassThrough lists the AWS::Serverless::Function properties that
// become AWS::Lambda::Function properties of the same name and value.
var functionPassThrough = []string{
	"Handler", "Runtime", "Description", "MemorySize", "Timeout", "Environment",
	"Architectures", "FunctionName", "KmsKeyArn", "Layers", "ReservedConcurrentExecutions",
	"VpcConfig", "EphemeralStorage", "PackageType", "ImageConfig", "LoggingConfig",
	"RuntimeManagementConfig", "SnapStartConfig", "FileSystemConfigs",
}

// functionHandled lists the properties function reads itself.
var functionHandled = map[string]bool{"CodeUri": true, "InlineCode": true, "Role": true, "Events": true, "Tags": true, "Policies": true}

// apiEvent is one Events entry of Type Api.
type apiEvent struct {
	id      string
	node    *template.Node
	path    string // template path of the event
	props   *template.Node
	urlPath string
	method  string // lower case; "any" for ANY
	restAPI string // logical id, or "" for the implicit API
	auth    *template.Node
}

// function expands an AWS::Serverless::Function into its Lambda function
// and role, and returns its Api events for the APIs to add.
func (x *expander) function(r *resource) ([]template.Field, []*apiEvent) {
	known := map[string]bool{}
	for _, k := range functionPassThrough {
		known[k] = true
	}
	for _, f := range r.props.Fields {
		if !known[f.Key] && !functionHandled[f.Key] {
			x.errorf(f.Value, r.path("Properties", f.Key), "Cognate's SAM transform does not support the %s property of %s yet", f.Key, TypeFunction)
		}
	}

	props := mapping()
	if code := x.code(r); code != nil {
		set(props, "Code", code)
	}
	for _, k := range functionPassThrough {
		if v := r.props.Get(k); v != nil {
			set(props, k, v)
		}
	}
	var out []template.Field
	role := r.props.Get("Role")
	if role == nil {
		role = obj("Fn::GetAtt", list(template.NewString(r.id+"Role"), template.NewString("Arn")))
	}
	set(props, "Role", role)
	tags := x.tags(r)
	set(props, "Tags", tags)

	fn := resourceNode(r, "AWS::Lambda::Function", props)
	for _, k := range []string{"DependsOn", "Metadata"} {
		if v := r.node.Get(k); v != nil {
			set(fn, k, v)
		}
	}
	out = append(out, template.Field{Key: r.id, Value: fn})
	if r.props.Get("Role") == nil {
		role := executionRole(tags.Clone())
		x.policies(r, role)
		out = append(out, template.Field{Key: r.id + "Role", Value: resourceNode(r, "AWS::IAM::Role", role)})
	} else if p := r.props.Get("Policies"); p != nil {
		x.errorf(p, r.path("Properties", "Policies"), "Role and Policies cannot be specified together")
	}
	return out, x.events(r)
}

// tags returns the function's Tags as a CloudFormation tag list, led by
// SAM's lambda:createdBy tag.
func (x *expander) tags(r *resource) *template.Node {
	out := list(obj("Key", "lambda:createdBy", "Value", "SAM"))
	t := r.props.Get("Tags")
	if t == nil {
		return out
	}
	if t.Kind != template.Mapping {
		x.errorf(t, r.path("Properties", "Tags"), "Tags must be a mapping of tag names to values")
		return out
	}
	for _, f := range t.Fields {
		if f.Key == "lambda:createdBy" {
			x.errorf(f.Value, r.path("Properties", "Tags", f.Key), "lambda:createdBy is a reserved Tag key name and cannot be set.")
			continue
		}
		out.Items = append(out.Items, obj("Key", f.Key, "Value", f.Value))
	}
	return out
}

// policies adds the function's Policies to its generated role: ARNs and
// intrinsic functions to ManagedPolicyArns, policy documents to Policies
// as <Fn>RolePolicy<index>. Managed policy names and SAM policy templates
// need tables Cognate does not carry yet and are reported.
func (x *expander) policies(r *resource, role *template.Node) {
	p := r.props.Get("Policies")
	if p == nil {
		return
	}
	items := []*template.Node{p}
	if p.Kind == template.Sequence {
		items = p.Items
	}
	managed := role.Get("ManagedPolicyArns")
	inline := list()
	for i, it := range items {
		path := r.path("Properties", "Policies")
		if p.Kind == template.Sequence {
			path = template.IndexPath(path, i)
		}
		if _, _, ok := it.Intrinsic(); ok {
			managed.Items = append(managed.Items, it)
			continue
		}
		switch it.Kind {
		case template.String:
			if !strings.HasPrefix(it.Value, "arn:") {
				x.errorf(it, path, "Cognate's SAM transform does not support managed policy names yet; give the policy's ARN instead of %q", it.Value)
				continue
			}
			managed.Items = append(managed.Items, it)
		case template.Mapping:
			if it.Get("Statement") == nil {
				x.errorf(it, path, "Cognate's SAM transform does not support SAM policy templates (%s) yet", strings.Join(it.Keys(), ", "))
				continue
			}
			inline.Items = append(inline.Items, obj("PolicyName", r.id+"RolePolicy"+strconv.Itoa(i), "PolicyDocument", it))
		default:
			x.errorf(it, path, "Policies must be an ARN, a policy document, or a list of them")
		}
	}
	if len(inline.Items) > 0 {
		set(role, "Policies", inline)
	}
}

// executionRole is the role SAM creates for a function without Role or
// Policies, tagged with the function's tags.
func executionRole(tags *template.Node) *template.Node {
	return obj(
		"AssumeRolePolicyDocument", obj(
			"Version", "2012-10-17",
			"Statement", list(obj(
				"Action", []string{"sts:AssumeRole"},
				"Effect", "Allow",
				"Principal", obj("Service", []string{"lambda.amazonaws.com"}),
			)),
		),
		"ManagedPolicyArns", []string{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
		"Tags", tags,
	)
}

// code turns CodeUri or InlineCode into the Lambda function's Code.
func (x *expander) code(r *resource) *template.Node {
	if inline := r.props.Get("InlineCode"); inline != nil {
		if r.props.Get("CodeUri") != nil {
			x.errorf(inline, r.path("Properties", "InlineCode"), "Specify either 'CodeUri' or 'InlineCode', not both")
		}
		return obj("ZipFile", inline)
	}
	uri := r.props.Get("CodeUri")
	if uri == nil {
		if pt, _ := r.props.Get("PackageType").Text(); pt == "Image" {
			return nil
		}
		x.errorf(r.node, r.path("Properties"), "Only one of 'CodeUri' or 'InlineCode' must be set; neither is")
		return nil
	}
	if s, ok := uri.Text(); ok && uri.Kind == template.String {
		if rest, ok := strings.CutPrefix(s, "s3://"); ok {
			bucket, key, _ := strings.Cut(rest, "/")
			key, version, hasVersion := strings.Cut(key, "?versionId=")
			c := obj("S3Bucket", bucket, "S3Key", key)
			if hasVersion {
				set(c, "S3ObjectVersion", template.NewString(version))
			}
			return c
		}
		return obj("S3Bucket", x.opts.LocalCodeBucket, "S3Key", s)
	}
	if uri.Kind == template.Mapping {
		if _, _, ok := uri.Intrinsic(); !ok {
			c := obj("S3Bucket", uri.Get("Bucket"), "S3Key", uri.Get("Key"))
			if v := uri.Get("Version"); v != nil {
				set(c, "S3ObjectVersion", v)
			}
			if c.Fields[0].Value == nil || c.Fields[1].Value == nil {
				x.errorf(uri, r.path("Properties", "CodeUri"), "CodeUri needs Bucket and Key")
				return nil
			}
			return c
		}
	}
	x.errorf(uri, r.path("Properties", "CodeUri"), "Cognate's SAM transform does not support an intrinsic function in CodeUri yet")
	return nil
}

var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true, "options": true,
	"head": true, "patch": true, "any": true,
}

// events reads a function's Events: Type Api only.
func (x *expander) events(r *resource) []*apiEvent {
	evs := r.props.Get("Events")
	if evs == nil {
		return nil
	}
	if evs.Kind != template.Mapping {
		x.errorf(evs, r.path("Properties", "Events"), "Events must be a mapping")
		return nil
	}
	var out []*apiEvent
	for _, f := range evs.Fields {
		path := r.path("Properties", "Events", f.Key)
		typ, _ := f.Value.Get("Type").Text()
		if typ != "Api" {
			x.errorf(f.Value, path, "Cognate's SAM transform does not support events of Type %s yet (function %s)", typ, r.id)
			continue
		}
		p := f.Value.Get("Properties")
		if p == nil || p.Kind != template.Mapping {
			x.errorf(f.Value, path, "Event with id [%s] is invalid. Properties must be a mapping", f.Key)
			continue
		}
		if c := r.node.Get("Condition"); c != nil {
			x.errorf(c, r.path("Condition"), "Cognate's SAM transform does not support Api events on a function with a Condition yet (event %s)", f.Key)
			continue
		}
		ev := &apiEvent{id: f.Key, node: f.Value, path: path + "/Properties", props: p, auth: p.Get("Auth")}
		for _, pf := range p.Fields {
			switch pf.Key {
			case "Path", "Method", "RestApiId", "Auth":
			case "RequestModel":
				if _, _, intr := pf.Value.Intrinsic(); intr || pf.Value.Kind != template.Mapping {
					x.errorf(pf.Value, template.JoinPath(ev.path, pf.Key), "Resource with id [%s%s] is invalid. Property 'RequestModel' should be a map.", r.id, f.Key)
				}
			case "RequestParameters":
				if pf.Value.Kind != template.Sequence {
					x.errorf(pf.Value, template.JoinPath(ev.path, pf.Key), "Resource with id [%s%s] is invalid. Type of property 'RequestParameters' is invalid.", r.id, f.Key)
				}
			default:
				x.errorf(pf.Value, template.JoinPath(ev.path, pf.Key), "Cognate's SAM transform does not support the %s property of Api events yet", pf.Key)
			}
		}
		var ok bool
		if ev.urlPath, ok = p.Get("Path").Text(); !ok || p.Get("Path").Kind != template.String || !strings.HasPrefix(ev.urlPath, "/") {
			x.errorf(p, ev.path+"/Path", "Event with id [%s] is invalid. Path must be a string starting with /", f.Key)
			continue
		}
		m, ok := p.Get("Method").Text()
		ev.method = strings.ToLower(m)
		if !ok || !httpMethods[ev.method] {
			x.errorf(p, ev.path+"/Method", "Event with id [%s] is invalid. Method must be an HTTP method or ANY", f.Key)
			continue
		}
		if id := p.Get("RestApiId"); id != nil {
			target, ok := refTarget(id)
			if !ok {
				x.errorf(id, ev.path+"/RestApiId", "Cognate's SAM transform supports RestApiId only as a Ref to an AWS::Serverless::Api of the same template")
				continue
			}
			ev.restAPI = target
		}
		out = append(out, ev)
	}
	return out
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// permission builds the AWS::Lambda::Permission letting API a invoke
// function r for event ev.
func (x *expander) permission(a *api, r *resource, ev *apiEvent) template.Field {
	p := ev.urlPath
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	p = pathParam.ReplaceAllString(p, "*")
	method := strings.ToUpper(ev.method)
	if method == "ANY" {
		method = "*"
	}
	props := obj(
		"Action", "lambda:InvokeFunction",
		"FunctionName", ref(r.id),
		"Principal", "apigateway.amazonaws.com",
		"SourceArn", obj("Fn::Sub", list(
			template.NewString("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/"+method+p),
			obj("__ApiId__", ref(a.res.id), "__Stage__", "*"),
		)),
	)
	return template.Field{Key: hashedID(r.id+ev.id+"Permission", a.stageSuffix()), Value: resourceNode(r, "AWS::Lambda::Permission", props)}
}
