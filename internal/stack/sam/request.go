package sam

import (
	"regexp"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// readModels reads an Api's Models: a mapping of model names to JSON
// schemas, each with a type. SAM accepts them only on an inline body.
func (x *expander) readModels(a *api) {
	r := a.res
	n := r.props.Get("Models")
	if n == nil {
		return
	}
	path := r.path("Properties", "Models")
	if _, _, intr := n.Intrinsic(); intr || n.Kind != template.Mapping {
		x.errorf(n, path, "Resource with id [%s] is invalid. Property 'Models' should be a map.", r.id)
		return
	}
	ok := true
	for _, f := range n.Fields {
		mp := template.JoinPath(path, f.Key)
		if _, _, intr := f.Value.Intrinsic(); intr || f.Value == nil || f.Value.Kind != template.Mapping {
			x.errorf(f.Value, mp, "Resource with id [%s] is invalid. Invalid value for 'Models' property", r.id)
			ok = false
			continue
		}
		if t := f.Value.Get("type"); t == nil || t.Kind == template.Null {
			x.errorf(f.Value, mp, "'Models' schema is missing 'type'.")
			ok = false
		}
	}
	if ok {
		a.models = n
	}
}

// addModels writes the Api's Models into the body's definitions, each
// under its name in lower case, as SAM does (a model of the same name
// already in the body is replaced).
func (x *expander) addModels(a *api) {
	if a.models == nil || len(a.models.Fields) == 0 {
		return
	}
	defs := a.body.Get("definitions")
	if defs == nil || defs.Kind != template.Mapping {
		defs = mapping()
		set(a.body, "definitions", defs)
	}
	for _, f := range a.models.Fields {
		set(defs, strings.ToLower(f.Key), f.Value.Clone())
	}
}

// requestModel applies an event's RequestModel to its operation op: a body
// parameter referring to the model's definition and, when ValidateBody or
// ValidateParameters is given, a request validator named after what it
// checks. A RequestModel without Model does nothing, as in SAM.
func (x *expander) requestModel(a *api, ev *apiEvent, op *template.Node) {
	rm := ev.props.Get("RequestModel")
	if rm == nil {
		return
	}
	path := ev.path + "/RequestModel"
	mn := rm.Get("Model")
	if mn == nil || mn.Kind == template.Null {
		return
	}
	name, isStr := mn.Text()
	shown := name
	if !isStr || mn.Kind != template.String {
		shown = mn.String()
	}
	prefix := "Event with id [" + ev.id + "] is invalid. Unable to set RequestModel [" + shown + "] on API method [" + ev.method + "] for path [" + ev.urlPath + "]"
	models := a.res.props.Get("Models")
	switch {
	case models == nil || models.Kind == template.Mapping && len(models.Fields) == 0:
		x.errorf(mn, path+"/Model", "%s because the related API does not define any Models.", prefix)
		return
	case !isStr || mn.Kind != template.String:
		x.errorf(mn, path+"/Model", "%s because the related API does not contain valid Models.", prefix)
		return
	case a.models == nil:
		return // the Models problem is already reported
	}
	if m := a.models.Get(name); m == nil || len(m.Fields) == 0 {
		x.errorf(mn, path+"/Model", "%s because it wasn't defined in the API's Models.", prefix)
		return
	}
	lower := strings.ToLower(name)
	param := obj("in", "body", "name", lower, "schema", obj("$ref", "#/definitions/"+lower))
	if req := rm.Get("Required"); req != nil && req.Kind != template.Null {
		set(param, "required", req)
	}
	appendParameters(op, param)

	vb, vp := rm.Get("ValidateBody"), rm.Get("ValidateParameters")
	if vb == nil && vp == nil {
		return
	}
	body, okB := boolOr(vb)
	params, okP := boolOr(vp)
	if !okB || !okP {
		x.errorf(rm, path, "Event with id [%s] is invalid. Unable to set Validator to RequestModel [%s] on API method [%s] for path [%s] ValidateBody and ValidateParameters must be a boolean type, strings or intrinsics are not supported.", ev.id, name, ev.method, ev.urlPath)
		return
	}
	addValidator(a.body, op, body, params)
}

// boolOr returns a YAML boolean's value, false for an absent one, and
// whether n was absent or a boolean.
func boolOr(n *template.Node) (value, ok bool) {
	if n == nil {
		return false, true
	}
	if n.Kind != template.Bool {
		return false, false
	}
	return n.Value == "true", true
}

// validatorName is SAM's name for a request validator checking the body,
// the parameters, both or neither.
func validatorName(body, params bool) string {
	switch {
	case body && params:
		return "body-and-params"
	case body:
		return "body-only"
	case params:
		return "params-only"
	}
	return "no-validation"
}

// addValidator declares the validator in the document's
// x-amazon-apigateway-request-validators (unless a validator of that name
// is already there) and names it on the operation.
func addValidator(doc, op *template.Node, body, params bool) {
	name := validatorName(body, params)
	all := doc.Get("x-amazon-apigateway-request-validators")
	if all == nil || all.Kind != template.Mapping {
		all = mapping()
		set(doc, "x-amazon-apigateway-request-validators", all)
	}
	if all.Get(name) == nil {
		set(all, name, obj("validateRequestBody", body, "validateRequestParameters", params))
	}
	set(op, "x-amazon-apigateway-request-validator", template.NewString(name))
}

// appendParameters appends to the operation's parameters list.
func appendParameters(op *template.Node, ps ...*template.Node) {
	cur := op.Get("parameters")
	if cur == nil || cur.Kind != template.Sequence {
		cur = list()
		set(op, "parameters", cur)
	}
	cur.Items = append(cur.Items, ps...)
}

// requestParamName matches the names RequestParameters accepts.
var requestParamName = regexp.MustCompile(`^method\.request\.(querystring|path|header)\.`)

const (
	requestParamFormat = "Invalid value for 'RequestParameters' property. Keys must be in the format 'method.request.[querystring|path|header].{value}', e.g 'method.request.header.Authorization'."
	requestParamValue  = "Invalid value for 'RequestParameters' property. Values must be an object, e.g { Required: true, Caching: false }"
)

// requestParameters applies an event's RequestParameters to its operation:
// each entry, a name or a one-key mapping of a name to {Required,
// Caching}, becomes a string parameter, and a cached one is added to the
// integration's cacheKeyParameters.
func (x *expander) requestParameters(ev *apiEvent, op *template.Node) {
	rp := ev.props.Get("RequestParameters")
	if rp == nil || rp.Kind != template.Sequence {
		return
	}
	bad := "Event with id [" + ev.id + "] is invalid. "
	for i, it := range rp.Items {
		path := template.IndexPath(ev.path+"/RequestParameters", i)
		var name string
		required, caching := template.NewBool(false), false
		switch {
		case it != nil && it.Kind == template.String:
			name = it.Value
		case it != nil && it.Kind == template.Mapping:
			if len(it.Fields) != 1 {
				// SAM reads only the first key (and fails on none); Cognate
				// drops nothing silently.
				x.errorf(it, path, "%sEach RequestParameters entry must name exactly one parameter", bad)
				continue
			}
			f := it.Fields[0]
			name = f.Key
			if !requestParamName.MatchString(name) {
				break
			}
			v := f.Value
			if v == nil || v.Kind != template.Mapping {
				x.errorf(v, template.JoinPath(path, name), "%s%s", bad, requestParamValue)
				continue
			}
			ok := true
			for _, sf := range v.Fields {
				switch sf.Key {
				case "Required":
					required = sf.Value
				case "Caching":
					caching = truthy(sf.Value)
				default:
					ok = false
				}
			}
			if !ok {
				x.errorf(v, template.JoinPath(path, name), "%s%s", bad, requestParamValue)
				continue
			}
		default:
			x.errorf(it, path, "%sInvalid value for 'RequestParameters' property. Property must be either a string or an object", bad)
			continue
		}
		if !requestParamName.MatchString(name) {
			x.errorf(it, path, "%s%s", bad, requestParamFormat)
			continue
		}
		loc, pname, _ := strings.Cut(strings.TrimPrefix(name, "method.request."), ".")
		if loc == "querystring" {
			loc = "query"
		}
		appendParameters(op, obj("in", loc, "name", pname, "required", required, "type", "string"))
		if caching {
			integ := op.Get("x-amazon-apigateway-integration")
			keys := integ.Get("cacheKeyParameters")
			if keys == nil {
				keys = list()
				set(integ, "cacheKeyParameters", keys)
			}
			keys.Items = append(keys.Items, template.NewString(name))
		}
	}
}

// truthy is Python's truth value of a scalar, which is what SAM tests
// Caching with: false, null, 0 and "" are false, anything else true.
func truthy(n *template.Node) bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case template.Null:
		return false
	case template.Bool:
		return n.Value == "true"
	case template.String:
		return n.Value != ""
	case template.Mapping:
		return len(n.Fields) > 0
	case template.Sequence:
		return len(n.Items) > 0
	}
	s, _ := n.Text()
	return s != "0" && s != "0.0"
}
