package sam

import (
	"github.com/cognatehq/cognate/internal/stack/template"
)

var gatewayResponseKeys = map[string]bool{"StatusCode": true, "ResponseParameters": true, "ResponseTemplates": true}

// addGatewayResponses writes x-amazon-apigateway-gateway-responses.
func (x *expander) addGatewayResponses(a *api) {
	n := a.res.props.Get("GatewayResponses")
	if n == nil {
		return
	}
	path := a.res.path("Properties", "GatewayResponses")
	if n.Kind != template.Mapping {
		x.errorf(n, path, "GatewayResponses must be a mapping")
		return
	}
	out := mapping()
	for _, f := range n.Fields {
		fpath := template.JoinPath(path, f.Key)
		if f.Value == nil || f.Value.Kind != template.Mapping {
			x.errorf(f.Value, fpath, "GatewayResponses.%s must be a mapping", f.Key)
			continue
		}
		resp := obj("responseParameters", mapping(), "responseTemplates", mapping())
		for _, rf := range f.Value.Fields {
			if !gatewayResponseKeys[rf.Key] {
				x.errorf(rf.Value, template.JoinPath(fpath, rf.Key), "Invalid property '%s' in 'GatewayResponses' property '%s'.", rf.Key, f.Key)
			}
		}
		if rp := f.Value.Get("ResponseParameters"); rp != nil {
			params := mapping()
			for _, loc := range []struct{ key, prefix string }{
				{"Headers", "gatewayresponse.header."},
				{"Paths", "gatewayresponse.path."},
				{"QueryStrings", "gatewayresponse.querystring."},
			} {
				if m := rp.Get(loc.key); m != nil && m.Kind == template.Mapping {
					for _, pf := range m.Fields {
						set(params, loc.prefix+pf.Key, pf.Value)
					}
				}
			}
			for _, pf := range rp.Fields {
				if pf.Key != "Headers" && pf.Key != "Paths" && pf.Key != "QueryStrings" {
					x.errorf(pf.Value, template.JoinPath(fpath, "ResponseParameters/"+pf.Key), "Invalid gateway response parameter '%s'", pf.Key)
				}
			}
			set(resp, "responseParameters", params)
		}
		if rt := f.Value.Get("ResponseTemplates"); rt != nil {
			set(resp, "responseTemplates", rt)
		}
		if sc := f.Value.Get("StatusCode"); sc != nil {
			if s, ok := sc.Text(); ok {
				set(resp, "statusCode", template.NewString(s))
			} else {
				set(resp, "statusCode", sc)
			}
		}
		set(out, f.Key, resp)
	}
	set(a.body, "x-amazon-apigateway-gateway-responses", out)
}
