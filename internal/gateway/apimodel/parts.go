package apimodel

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// partsCompiler adds the AWS::ApiGateway::* parts to the builder, on top
// of what the body defined: parts add resources and methods to the body's,
// as API Gateway applies them to the imported API.
type partsCompiler struct {
	b           *builder
	resources   map[string]resourceProps // by part id
	resolved    map[string]*Resource     // by part id (and the root id)
	authorizers map[string]*Authorizer   // by part id
	authTypes   map[string]AuthorizationType
	validators  map[string]*Validator // by part id
	models      map[string]modelProps // by model name
}

// addParts compiles the parts into the builder.
func (b *builder) addParts(parts []Part) {
	c := &partsCompiler{
		b:           b,
		resources:   map[string]resourceProps{},
		resolved:    map[string]*Resource{b.rootID: b.byPath["/"]},
		authorizers: map[string]*Authorizer{},
		authTypes:   map[string]AuthorizationType{},
		validators:  map[string]*Validator{},
		models:      map[string]modelProps{},
	}
	var methods []Part
	for _, p := range parts {
		if err := c.collect(p, &methods); err != nil {
			b.errorf("%s %s: %v", p.Kind, p.ID, err)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.resources)) {
		if _, err := c.resource(id, 0); err != nil {
			b.errs = append(b.errs, err)
		}
	}
	for _, p := range methods {
		c.method(p)
	}
}

// collect decodes one part and files it by kind; methods wait until every
// resource, authorizer, validator and model is known.
func (c *partsCompiler) collect(p Part, methods *[]Part) error {
	switch p.Kind {
	case KindResource:
		var r resourceProps
		if err := json.Unmarshal(p.Properties, &r); err != nil {
			return err
		}
		c.resources[p.ID] = r
	case KindMethod:
		*methods = append(*methods, p)
	case KindAuthorizer:
		var a authorizerProps
		if err := json.Unmarshal(p.Properties, &a); err != nil {
			return err
		}
		az, kind, err := authorizerFromParts(p.ID, a)
		if err != nil {
			return err
		}
		c.authorizers[p.ID] = az
		c.authTypes[p.ID] = kind
	case KindRequestValidator:
		var v validatorProps
		if err := json.Unmarshal(p.Properties, &v); err != nil {
			return err
		}
		name := v.Name
		if name == "" {
			name = p.ID
		}
		c.validators[p.ID] = &Validator{Name: name, Body: bool(v.ValidateRequestBody), Params: bool(v.ValidateRequestParameters)}
	case KindModel:
		var m modelProps
		if err := json.Unmarshal(p.Properties, &m); err != nil {
			return err
		}
		if m.Name == "" {
			m.Name = p.ID
		}
		c.models[m.Name] = m
	case KindGatewayResponse:
		var g gatewayResponseProps
		if err := json.Unmarshal(p.Properties, &g); err != nil {
			return err
		}
		if g.ResponseType == "" {
			return fmt.Errorf("no ResponseType")
		}
		c.b.responses[g.ResponseType] = gatewayResponseWire{
			StatusCode:         g.StatusCode,
			ResponseParameters: g.ResponseParameters,
			ResponseTemplates:  g.ResponseTemplates,
		}.gatewayResponse(g.ResponseType)
	default:
		return fmt.Errorf("not an API Gateway part kind")
	}
	return nil
}

// resource resolves a Resource part to its path, resolving its parents
// first; depth guards against a ParentId cycle.
func (c *partsCompiler) resource(id string, depth int) (*Resource, error) {
	if r, ok := c.resolved[id]; ok {
		return r, nil
	}
	props, ok := c.resources[id]
	if !ok {
		return nil, fmt.Errorf("resource %s is not defined", id)
	}
	if depth > len(c.resources) {
		return nil, fmt.Errorf("%s %s: its ParentId chain loops", KindResource, id)
	}
	parent, err := c.resource(props.ParentID, depth+1)
	if err != nil {
		return nil, fmt.Errorf("%s %s (PathPart %q): parent: %w", KindResource, id, props.PathPart, err)
	}
	seg, err := parseSegment(props.PathPart)
	if err != nil {
		return nil, fmt.Errorf("%s %s under %s: %w", KindResource, id, parent.Path, err)
	}
	path := strings.TrimSuffix(parent.Path, "/") + "/" + seg.String()
	segs, err := ParsePath(path)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", KindResource, id, err)
	}
	_, existed := c.b.byPath[path]
	r := c.b.resource(segs)
	if existed {
		c.b.warnf("%s %s adds %s, which is already defined; both are merged into one resource", KindResource, id, path)
	} else {
		r.ID = id
	}
	c.resolved[id] = r
	return r, nil
}

// method compiles one Method part onto its resource.
func (c *partsCompiler) method(p Part) {
	var props methodProps
	if err := json.Unmarshal(p.Properties, &props); err != nil {
		c.b.errorf("%s %s: %v", KindMethod, p.ID, err)
		return
	}
	verb := strings.ToUpper(props.HTTPMethod)
	if verb == "" {
		c.b.errorf("%s %s: no HttpMethod", KindMethod, p.ID)
		return
	}
	if props.ResourceID == "" {
		c.b.errorf("%s %s (%s): no ResourceId", KindMethod, p.ID, verb)
		return
	}
	res, err := c.resource(props.ResourceID, 0)
	if err != nil {
		c.b.errorf("%s %s (%s): ResourceId: %v", KindMethod, p.ID, verb, err)
		return
	}
	where := verb + " " + res.Path
	m, err := c.compileMethod(verb, where, &props)
	if err != nil {
		c.b.errorf("%s %s: %v", KindMethod, p.ID, err)
		return
	}
	if _, dup := res.Methods[verb]; dup {
		c.b.warnf("%s is defined twice (%s %s); the part is used", where, KindMethod, p.ID)
	}
	res.Methods[verb] = m
}

func (c *partsCompiler) compileMethod(verb, where string, props *methodProps) (*Method, error) {
	m := &Method{HTTPMethod: verb, Authorization: AuthNone, APIKeyRequired: bool(props.APIKeyRequired)}
	if m.APIKeyRequired {
		c.b.warnf("%s requires an API key, which is recorded but not enforced", where)
	}
	if err := c.authorization(m, where, props); err != nil {
		return nil, err
	}
	if props.RequestValidatorID != "" {
		v, ok := c.validators[props.RequestValidatorID]
		if !ok {
			return nil, fmt.Errorf("%s: RequestValidatorId %s is not defined", where, props.RequestValidatorID)
		}
		m.Validator = v
	}
	for _, rp := range props.RequestParameters {
		in, name, ok := methodRequestParameter(rp.Key)
		if !ok {
			return nil, fmt.Errorf("%s: request parameter %q is not method.request.{querystring|header|path}.name", where, rp.Key)
		}
		m.Parameters = append(m.Parameters, Parameter{In: in, Name: name, Required: rp.Value})
	}
	for _, ct := range slices.Sorted(maps.Keys(props.RequestModels)) {
		if err := c.requestModel(m, where, ct, props.RequestModels[ct]); err != nil {
			return nil, err
		}
	}
	if props.Integration == nil {
		return nil, fmt.Errorf("%s: no integration defined for method", where)
	}
	m.Integration = props.Integration.integration()
	warns, err := checkIntegration(&m.Integration, where)
	if err != nil {
		return nil, err
	}
	c.b.warnings = append(c.b.warnings, warns...)
	return m, nil
}

// authorization applies AuthorizationType, AuthorizerId and
// AuthorizationScopes.
func (c *partsCompiler) authorization(m *Method, where string, props *methodProps) error {
	typ := AuthorizationType(strings.ToUpper(props.AuthorizationType))
	if props.AuthorizerID != "" {
		az, ok := c.authorizers[props.AuthorizerID]
		if !ok {
			return fmt.Errorf("%s: AuthorizerId %s is not defined", where, props.AuthorizerID)
		}
		if typ == "" {
			typ = c.authTypes[props.AuthorizerID]
		}
		if typ != c.authTypes[props.AuthorizerID] {
			return fmt.Errorf("%s: AuthorizationType %s does not match authorizer %s (%s)", where, typ, az.Name, az.Type)
		}
		m.Authorizer = az
	}
	switch typ {
	case "", AuthNone:
		m.Authorization = AuthNone
	case AuthCognito, AuthCustom:
		if m.Authorizer == nil {
			return fmt.Errorf("%s: AuthorizationType %s needs an AuthorizerId", where, typ)
		}
		m.Authorization = typ
		if typ == AuthCustom {
			c.b.warnf("%s uses the Lambda authorizer %q, which Cognate does not emulate", where, m.Authorizer.Name)
		} else if len(props.AuthorizationScopes) > 0 {
			m.Scopes = slices.Clone([]string(props.AuthorizationScopes))
		}
	case AuthIAM:
		m.Authorization = AuthIAM
		c.b.warnf("%s uses AWS_IAM authorization, which Cognate does not emulate", where)
	default:
		return fmt.Errorf("%s: unknown AuthorizationType %q", where, props.AuthorizationType)
	}
	return nil
}

// methodRequestParameter splits "method.request.querystring.q".
func methodRequestParameter(key string) (in, name string, ok bool) {
	rest, ok := strings.CutPrefix(key, "method.request.")
	if !ok {
		return "", "", false
	}
	in, name, ok = strings.Cut(rest, ".")
	if !ok || name == "" {
		return "", "", false
	}
	switch in {
	case "querystring", "header", "path":
		return in, name, true
	}
	return "", "", false
}

// modelRefPrefix starts the URL by which one model's schema references
// another: https://apigateway.amazonaws.com/restapis/{api}/models/{name}.
const modelRefPrefix = "https://apigateway.amazonaws.com/restapis/"

// requestModel attaches a Model part's schema as a body schema.
func (c *partsCompiler) requestModel(m *Method, where, contentType, name string) error {
	if _, ok := c.models[name]; !ok {
		// [doc] Empty and Error are models every REST API has.
		if name == "Empty" || name == "Error" {
			return nil
		}
		return fmt.Errorf("%s: request model %q for %s is not defined", where, name, contentType)
	}
	defs := make(map[string]json.RawMessage, len(c.models))
	for n, mp := range c.models {
		defs[n] = modelSchema(mp.Schema)
	}
	src := schemaSource{defs: defs, resolve: func(ref string) (string, string, bool) {
		tail, ok := strings.CutPrefix(ref, modelRefPrefix)
		if !ok {
			return "", "", false
		}
		_, model, ok := strings.Cut(tail, "/models/")
		if !ok || model == "" {
			return "", "", false
		}
		model, rest, _ := strings.Cut(model, "#")
		return model, rest, true
	}}
	s, err := selfContained(json.RawMessage(`{"$ref":"`+modelRefPrefix+`_/models/`+escapeJSON(name)+`"}`), src)
	if err != nil {
		return fmt.Errorf("%s: request model %q: %w", where, name, err)
	}
	if m.BodySchemas == nil {
		m.BodySchemas = map[string]json.RawMessage{}
	}
	m.BodySchemas[contentType] = s
	return nil
}

// modelSchema returns a Model's Schema as JSON: a string holding JSON is
// unwrapped.
func modelSchema(raw json.RawMessage) json.RawMessage {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return json.RawMessage(s)
	}
	if len(raw) == 0 {
		return json.RawMessage(`{}`)
	}
	return raw
}

// escapeJSON escapes a string for use inside a JSON string literal.
func escapeJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
