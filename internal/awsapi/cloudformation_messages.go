package awsapi

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// AWS's wording for a template CloudFormation refuses. The engine reports
// every problem at once, each with its position and path, in its own
// words; CloudFormation reports one, in its words. A ValidationError about
// a template therefore starts with the line CloudFormation would send for
// the first problem it would have met, when its wording is known, and goes
// on with the engine's list:
//
//	Template format error: Unresolved resource dependencies [Nothing] in the Resources block of the template
//	21:19: Resources/Server/Properties/UserPoolId/Ref: Ref Nothing: "Nothing" is not a parameter, ...
//
// so that a script matching AWS's text keeps working, and a person still
// sees where every problem is.

var (
	// The engine's messages for a name that is not in the template; the
	// capture is the name.
	reUnresolvedRef       = regexp.MustCompile(`^Ref [^:]*: "([^"]*)" is not a parameter, pseudo parameter or resource of this template$`)
	reUnresolvedDependsOn = regexp.MustCompile(`^DependsOn names "([^"]*)", which is not a resource of this template$`)
	reAWSDependsOn        = regexp.MustCompile(`^Template format error: Unresolved resource dependencies \[([^\]]*)\]`)
	reUndefinedGetAtt     = regexp.MustCompile(`^Fn::GetAtt [^:]*: "([^"]*)" is not a resource of this template$`)
	reTemplateProperty    = regexp.MustCompile(`^invalid template property "([^"]*)"`)
	reUnknownFunction     = regexp.MustCompile(`^unknown intrinsic function (\S+)$`)
)

// templateHeadline returns the message CloudFormation sends for the
// first of errs it would have met, or "" when its wording for them is not
// known. CloudFormation checks a template in phases (syntax, anatomy,
// references, parameters) and reports the first phase that fails, so the
// rules go by phase, not by position.
func templateHeadline(errs template.ErrorList) string {
	find := func(match func(e *template.Error) bool) *template.Error {
		for _, e := range errs {
			if match(e) {
				return e
			}
		}
		return nil
	}
	hasPrefix := func(p string) func(*template.Error) bool {
		return func(e *template.Error) bool { return strings.HasPrefix(e.Msg, p) }
	}
	// [obs: APIGATEWAY.md §7] "Template format error: YAML not
	// well-formed." and "...JSON not well-formed. (line 1, column 25)";
	// [obs-common] AWS gives the position for YAML too.
	for _, syntax := range []string{"YAML", "JSON"} {
		if e := find(hasPrefix(syntax + " not well-formed")); e != nil {
			msg := "Template format error: " + syntax + " not well-formed."
			if e.Pos.IsValid() {
				msg += fmt.Sprintf(" (line %d, column %d)", e.Pos.Line, max(e.Pos.Column, 1))
			}
			return msg
		}
	}
	// [obs-common]
	if names := collect(errs, reTemplateProperty, ""); len(names) > 0 {
		return "Template format error: Invalid template property or properties [" + strings.Join(names, ", ") + "]"
	}
	// [obs: §7]
	if find(hasPrefix("at least one resource must be defined")) != nil {
		return "Template format error: At least one Resources member must be defined."
	}
	if e := find(hasPrefix("every resource must have a Type")); e != nil {
		return "Template format error: [/" + e.Path + "] Every Resources object must contain a Type member."
	}
	if find(hasPrefix("every output must have a Value")) != nil {
		return "Template format error: Every Outputs member must contain a Value object"
	}
	// [obs-common] "Template format error: Unresolved resource
	// dependencies [X] in the Resources block of the template", every
	// name that fails in one list; [guess] "Outputs block" for the Refs of
	// Outputs, which AWS checks the same way.
	for _, block := range []string{"Resources", "Outputs"} {
		var names []string
		for _, re := range []*regexp.Regexp{reUnresolvedRef, reUnresolvedDependsOn, reAWSDependsOn} {
			names = append(names, collect(errs, re, block+"/")...)
		}
		if names = dedupeStrings(names); len(names) > 0 {
			return "Template format error: Unresolved resource dependencies [" + strings.Join(names, ", ") + "] in the " + block + " block of the template"
		}
	}
	// [obs-common] "Template error: instance of Fn::GetAtt references
	// undefined resource X".
	if names := collect(errs, reUndefinedGetAtt, ""); len(names) > 0 {
		return "Template error: instance of Fn::GetAtt references undefined resource " + names[0]
	}
	// [guess] AWS goes on with the list of the functions it supports.
	if names := collect(errs, reUnknownFunction, ""); len(names) > 0 {
		return "Template error: Encountered unsupported function: " + names[0]
	}
	// The engine's parameter messages are AWS's own [obs: §7
	// "Parameters: [Input] must have values"; "Parameter 'X' must be one
	// of AllowedValues"].
	if e := find(func(e *template.Error) bool {
		return strings.HasPrefix(e.Msg, "Parameters: [") || strings.HasPrefix(e.Msg, "Parameter '")
	}); e != nil {
		return e.Msg
	}
	return ""
}

// collect returns the first capture of re over the messages of errs whose
// path starts with pathPrefix, in order, each once.
func collect(errs template.ErrorList, re *regexp.Regexp, pathPrefix string) []string {
	var out []string
	for _, e := range errs {
		if !strings.HasPrefix(e.Path, pathPrefix) {
			continue
		}
		if m := re.FindStringSubmatch(e.Msg); m != nil {
			out = append(out, m[1])
		}
	}
	return dedupeStrings(out)
}

func dedupeStrings(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// withTemplateHeadline puts AWS's line for a template error list in front
// of detail (the engine's message), unless detail already is that line.
func withTemplateHeadline(err error, detail string) string {
	var errs template.ErrorList
	if !errors.As(err, &errs) {
		var one *template.Error
		if !errors.As(err, &one) {
			return detail
		}
		errs = template.ErrorList{one}
	}
	h := templateHeadline(errs)
	if h == "" || h == detail {
		return detail
	}
	return h + "\n" + detail
}
