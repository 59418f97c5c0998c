package awsapi

import (
	"context"
	"slices"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// ValidateTemplate: the template's syntax and anatomy, as AWS checks them
// (it does not check resource properties [doc]), and what the template
// declares: parameters, description, transforms and the IAM capabilities
// its resources need.

type cfnTemplateParameter struct {
	ParameterKey string `xml:"ParameterKey"`
	DefaultValue string `xml:"DefaultValue,omitempty"`
	NoEcho       bool   `xml:"NoEcho"`
	Description  string `xml:"Description,omitempty"`
}

type cfnValidateTemplateResult struct {
	Parameters         []cfnTemplateParameter `xml:"Parameters>member"`
	Description        string                 `xml:"Description,omitempty"`
	Capabilities       []string               `xml:"Capabilities>member"`
	CapabilitiesReason string                 `xml:"CapabilitiesReason,omitempty"`
	DeclaredTransforms []string               `xml:"DeclaredTransforms>member"`
}

// iamNameProperties are the properties that give an IAM resource a custom
// name, which makes CAPABILITY_NAMED_IAM necessary [doc].
var iamNameProperties = map[string]string{
	"AWS::IAM::Role":            "RoleName",
	"AWS::IAM::User":            "UserName",
	"AWS::IAM::Group":           "GroupName",
	"AWS::IAM::ManagedPolicy":   "ManagedPolicyName",
	"AWS::IAM::InstanceProfile": "InstanceProfileName",
}

func (h *CloudFormation) validateTemplate(_ context.Context, _ string, f cfnForm) (any, error) {
	body, err := templateBody(f)
	if err != nil {
		return nil, err
	}
	tpl, err := template.Read([]byte(body))
	if err != nil {
		// The engine's wording, so ValidateTemplate and CreateStack
		// report a template the same way.
		return nil, validationError(withTemplateHeadline(err, err.Error()))
	}
	if errs := tpl.Check(); len(errs) > 0 {
		errs.Sort()
		return nil, validationError(withTemplateHeadline(errs, errs.Error()))
	}
	var out cfnValidateTemplateResult
	out.Description, _ = tpl.Section(template.SectionDescription).Text()
	for _, p := range fields(tpl.Section(template.SectionParameters)) {
		w := cfnTemplateParameter{ParameterKey: p.Key}
		if d := p.Value.Get("Default"); d != nil {
			if d.Kind == template.Sequence {
				var parts []string
				for _, it := range d.Items {
					s, _ := it.Text()
					parts = append(parts, s)
				}
				w.DefaultValue = strings.Join(parts, ",")
			} else {
				w.DefaultValue, _ = d.Text()
			}
		}
		ne, _ := p.Value.Get("NoEcho").Text()
		w.NoEcho = strings.EqualFold(ne, "true")
		w.Description, _ = p.Value.Get("Description").Text()
		out.Parameters = append(out.Parameters, w)
	}
	out.DeclaredTransforms = tpl.Transforms()
	var needs []string
	named := false
	for _, r := range fields(tpl.Section(template.SectionResources)) {
		typ, _ := r.Value.Get("Type").Text()
		if !strings.HasPrefix(typ, "AWS::IAM::") {
			continue
		}
		if !slices.Contains(needs, typ) {
			needs = append(needs, typ)
		}
		if prop, ok := iamNameProperties[typ]; ok && r.Value.Get("Properties").Get(prop) != nil {
			named = true
		}
	}
	if len(needs) > 0 {
		out.Capabilities = []string{"CAPABILITY_IAM"}
		if named {
			out.Capabilities = []string{"CAPABILITY_NAMED_IAM"}
		}
		// [obs-common] wording.
		out.CapabilitiesReason = "The following resource(s) require capabilities: [" + strings.Join(needs, ", ") + "]"
	}
	return out, nil
}

// fields returns a mapping's members; none for an absent section or a
// value that is not a mapping (Check has reported that already).
func fields(n *template.Node) []template.Field {
	if n == nil || n.Kind != template.Mapping {
		return nil
	}
	return n.Fields
}
