package sam

import (
	"github.com/cognatehq/cognate/internal/stack/template"
)

// apiAuth is an API's Auth property, read.
type apiAuth struct {
	node          *template.Node
	defaultName   string
	authorizers   []authorizer
	corsPreflight bool // AddDefaultAuthorizerToCorsPreflight
}

// authorizer is one Cognito user-pool authorizer.
type authorizer struct {
	name   string
	pools  *template.Node // a Sequence
	header string
	expr   *template.Node
	scopes *template.Node
}

func (a *apiAuth) find(name string) *authorizer {
	for i := range a.authorizers {
		if a.authorizers[i].name == name {
			return &a.authorizers[i]
		}
	}
	return nil
}

// readAuth reads the Auth property: Cognito authorizers only.
func (x *expander) readAuth(a *api) {
	r := a.res
	a.auth.corsPreflight = true
	n := r.props.Get("Auth")
	if n == nil {
		return
	}
	a.auth.node = n
	if n.Kind != template.Mapping {
		x.errorf(n, r.path("Properties", "Auth"), "Auth must be a mapping")
		return
	}
	for _, f := range n.Fields {
		path := r.path("Properties", "Auth", f.Key)
		switch f.Key {
		case "DefaultAuthorizer":
			a.auth.defaultName, _ = f.Value.Text()
		case "AddDefaultAuthorizerToCorsPreflight":
			a.auth.corsPreflight = f.Value.Kind != template.Bool || f.Value.Value == "true"
		case "Authorizers":
			if f.Value.Kind != template.Mapping {
				x.errorf(f.Value, path, "Authorizers must be a mapping")
				continue
			}
			for _, af := range f.Value.Fields {
				if az, ok := x.readAuthorizer(af, template.JoinPath(path, af.Key)); ok {
					a.auth.authorizers = append(a.auth.authorizers, az)
				}
			}
		default:
			x.errorf(f.Value, path, "Cognate's SAM transform does not support Auth.%s yet", f.Key)
		}
	}
	if d := a.auth.defaultName; d != "" && a.auth.find(d) == nil {
		x.errorf(n.Get("DefaultAuthorizer"), r.path("Properties", "Auth", "DefaultAuthorizer"),
			"Unable to set DefaultAuthorizer because '%s' was not defined in 'Authorizers'.", d)
	}
}

func (x *expander) readAuthorizer(f template.Field, path string) (authorizer, bool) {
	az := authorizer{name: f.Key, header: "Authorization"}
	n := f.Value
	if n == nil || n.Kind != template.Mapping {
		x.errorf(n, path, "Authorizer %s must be a mapping", f.Key)
		return az, false
	}
	pools := n.Get("UserPoolArn")
	if pools == nil {
		x.errorf(n, path, "Cognate's SAM transform supports only Cognito authorizers (with UserPoolArn) yet")
		return az, false
	}
	if pools.Kind == template.Sequence {
		az.pools = pools
	} else {
		az.pools = list(pools)
	}
	if id := n.Get("Identity"); id != nil {
		if h, ok := id.Get("Header").Text(); ok {
			az.header = h
		}
		az.expr = id.Get("ValidationExpression")
	}
	az.scopes = n.Get("AuthorizationScopes")
	return az, true
}

// eventSecurity returns the security requirement an event's Auth asks
// for, or nil.
func (x *expander) eventSecurity(a *api, ev *apiEvent) *template.Node {
	if ev.auth == nil {
		return nil
	}
	path := ev.path + "/Auth"
	for _, f := range ev.auth.Fields {
		if f.Key != "Authorizer" && f.Key != "AuthorizationScopes" {
			x.errorf(f.Value, template.JoinPath(path, f.Key), "Cognate's SAM transform does not support Auth.%s on Api events yet", f.Key)
		}
	}
	name, hasName := ev.auth.Get("Authorizer").Text()
	scopes := ev.auth.Get("AuthorizationScopes")
	if !hasName {
		if scopes != nil {
			x.errorf(scopes, path+"/AuthorizationScopes", "Event with id [%s] is invalid. AuthorizationScopes works only when Authorizer is set", ev.id)
		}
		return nil
	}
	if name == "NONE" {
		if a.auth.defaultName == "" {
			x.errorf(ev.auth, path+"/Authorizer", "Unable to set Authorizer on API method [%s] for path [%s] because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.", ev.method, ev.urlPath)
			return nil
		}
		return list(obj("NONE", list()))
	}
	az := a.auth.find(name)
	if az == nil {
		x.errorf(ev.auth, path+"/Authorizer", "Unable to set Authorizer [%s] on API method [%s] for path [%s] because it wasn't defined in the API's Authorizers.", name, ev.method, ev.urlPath)
		return nil
	}
	if scopes == nil {
		scopes = az.scopes
	}
	if scopes == nil {
		scopes = list()
	}
	return list(obj(name, scopes))
}

// methodNames are the Swagger path-item keys that are operations.
var methodNames = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true, "options": true,
	"head": true, "patch": true, "x-amazon-apigateway-any-method": true,
}

// addAuth writes the authorizers' securityDefinitions and applies the
// default authorizer to every operation that has none, as SAM's
// SwaggerEditor.set_path_default_authorizer does.
func (x *expander) addAuth(a *api) {
	if len(a.auth.authorizers) == 0 {
		return
	}
	defs := a.body.Get("securityDefinitions")
	if defs == nil || defs.Kind != template.Mapping {
		defs = mapping()
		set(a.body, "securityDefinitions", defs)
	}
	names := map[string]bool{"AWS_IAM": true}
	for _, az := range a.auth.authorizers {
		names[az.name] = true
		cfg := obj("type", "cognito_user_pools", "providerARNs", az.pools)
		if az.expr != nil {
			set(cfg, "identityValidationExpression", az.expr)
		}
		set(defs, az.name, obj(
			"type", "apiKey",
			"name", az.header,
			"in", "header",
			"x-amazon-apigateway-authtype", "cognito_user_pools",
			"x-amazon-apigateway-authorizer", cfg,
		))
	}
	def := a.auth.find(a.auth.defaultName)
	if def == nil {
		return
	}
	scopes := def.scopes
	if scopes == nil {
		scopes = list()
	}
	for _, pf := range a.body.Get("paths").Fields {
		if pf.Value == nil || pf.Value.Kind != template.Mapping {
			continue
		}
		for _, mf := range pf.Value.Fields {
			if !methodNames[mf.Key] || mf.Value == nil || mf.Value.Kind != template.Mapping {
				continue
			}
			if mf.Key == "options" && !a.auth.corsPreflight {
				continue
			}
			x.defaultAuthorizer(mf.Value, names, def.name, scopes)
		}
	}
}

func (x *expander) defaultAuthorizer(op *template.Node, names map[string]bool, def string, scopes *template.Node) {
	var other, authz []*template.Node
	if existing := op.Get("security"); existing != nil && existing.Kind == template.Sequence {
		for _, s := range existing.Items {
			isAuthz := false
			if s != nil && s.Kind == template.Mapping {
				for _, k := range s.Keys() {
					if names[k] {
						isAuthz = true
					}
				}
			}
			if isAuthz {
				authz = append(authz, s)
			} else {
				other = append(other, s)
			}
		}
	}
	none := -1
	for i, s := range other {
		if s != nil && s.Get("NONE") != nil {
			none = i
			break
		}
	}
	var sec []*template.Node
	switch {
	case none >= 0:
		other = append(other[:none:none], other[none+1:]...)
	case len(authz) > 0:
		sec = authz
	default:
		sec = []*template.Node{obj(def, scopes.Clone())}
	}
	sec = append(other, sec...)
	// SAM leaves the operation untouched when nothing is left, so a lone
	// {"NONE": []} stays in the output.
	if len(sec) > 0 {
		set(op, "security", list(sec...))
	}
}
