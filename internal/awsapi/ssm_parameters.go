package awsapi

import (
	"context"

	"github.com/cognatehq/cognate/internal/ssm"
)

// PutParameter, GetParameter, GetParameters, GetParametersByPath,
// DeleteParameter, DeleteParameters, DescribeParameters,
// GetParameterHistory, LabelParameterVersion and UnlabelParameterVersion:
// wire shapes (member names and order of the ssm 2014-11-06 model) and
// their conversion to and from the ssm domain. Answers carry parameter
// values; like every body they are never logged.

type tagType struct {
	Key   *string
	Value *string
}

type putParameterInput struct {
	Name           *string
	Description    *string
	Value          *string
	Type           string
	KeyId          *string
	Overwrite      bool
	AllowedPattern *string
	Tags           []tagType
	Tier           string
	Policies       *string
	DataType       string
}

func (in *putParameterInput) checkRequired(v *validation) {
	v.notNull(in.Name != nil, "name")
	v.notNull(in.Value != nil, "value")
	for i, t := range in.Tags {
		v.notNull(t.Key != nil, item("tags", i)+".key")
		v.notNull(t.Value != nil, item("tags", i)+".value")
	}
}

func (in *putParameterInput) domain() ssm.PutInput {
	out := ssm.PutInput{Name: deref(in.Name), Value: deref(in.Value), Type: in.Type, Overwrite: in.Overwrite,
		Description: in.Description, KeyID: in.KeyId, AllowedPattern: in.AllowedPattern, Tier: in.Tier,
		Policies: in.Policies, DataType: in.DataType}
	for _, t := range in.Tags {
		out.Tags = append(out.Tags, ssm.Tag{Key: deref(t.Key), Value: deref(t.Value)})
	}
	return out
}

type putParameterOutput struct {
	Version int64
	Tier    string
}

// parameterType is Parameter. SourceResult is never sent: it belongs to
// parameters that reference other services (Secrets Manager), which
// Cognate does not serve.
type parameterType struct {
	Name             string
	Type             string
	Value            string
	Version          int64
	Selector         string `json:",omitempty"`
	LastModifiedDate ssmTime
	ARN              string
	DataType         string
}

func describeParameter(p ssm.Parameter) parameterType {
	return parameterType{Name: p.Name, Type: p.Type, Value: p.Value, Version: p.Version, Selector: p.Selector,
		LastModifiedDate: ssmTime(p.LastModified), ARN: p.ARN, DataType: p.DataType}
}

func describeParameters(ps []ssm.Parameter) []parameterType {
	out := make([]parameterType, len(ps))
	for i, p := range ps {
		out[i] = describeParameter(p)
	}
	return out
}

// parameterInlinePolicy is ParameterInlinePolicy. Cognate accepts no
// policies, so lists of it are always empty; [guess] AWS sends
// "Policies": [] for a parameter without policies, as the CLI's examples
// show.
type parameterInlinePolicy struct {
	PolicyText   string
	PolicyType   string
	PolicyStatus string
}

type getParameterInput struct {
	Name           *string
	WithDecryption bool
}

func (in *getParameterInput) checkRequired(v *validation) { v.notNull(in.Name != nil, "name") }

type getParameterOutput struct {
	Parameter parameterType
}

type getParametersInput struct {
	Names          []string
	WithDecryption bool
}

func (in *getParametersInput) checkRequired(v *validation) { v.notNull(in.Names != nil, "names") }

type getParametersOutput struct {
	Parameters        []parameterType
	InvalidParameters []string
}

// parameterStringFilter is ParameterStringFilter.
type parameterStringFilter struct {
	Key    *string
	Option string
	Values []string
}

func checkStringFilters(v *validation, filters []parameterStringFilter) {
	for i, f := range filters {
		v.notNull(f.Key != nil, item("parameterFilters", i)+".key")
	}
}

func stringFilters(filters []parameterStringFilter) []ssm.Filter {
	var out []ssm.Filter
	for _, f := range filters {
		out = append(out, ssm.Filter{Key: deref(f.Key), Option: f.Option, Values: f.Values})
	}
	return out
}

type getParametersByPathInput struct {
	Path             *string
	Recursive        bool
	ParameterFilters []parameterStringFilter
	WithDecryption   bool
	MaxResults       *int64
	NextToken        string
}

func (in *getParametersByPathInput) checkRequired(v *validation) {
	v.notNull(in.Path != nil, "path")
	checkStringFilters(v, in.ParameterFilters)
	v.atLeast(in.MaxResults, "maxResults", 1) // an explicit 0 is below the model's 1-10
}

type getParametersByPathOutput struct {
	Parameters []parameterType
	NextToken  string `json:",omitempty"`
}

type deleteParameterInput struct {
	Name *string
}

func (in *deleteParameterInput) checkRequired(v *validation) { v.notNull(in.Name != nil, "name") }

type deleteParametersInput struct {
	Names []string
}

func (in *deleteParametersInput) checkRequired(v *validation) { v.notNull(in.Names != nil, "names") }

type deleteParametersOutput struct {
	DeletedParameters []string
	InvalidParameters []string
}

// parametersFilter is ParametersFilter, the deprecated filter of
// DescribeParameters.
type parametersFilter struct {
	Key    *string
	Values []string
}

type describeParametersInput struct {
	Filters          []parametersFilter
	ParameterFilters []parameterStringFilter
	MaxResults       *int64
	NextToken        string
	Shared           bool
}

func (in *describeParametersInput) checkRequired(v *validation) {
	for i, f := range in.Filters {
		v.notNull(f.Key != nil, item("filters", i)+".key")
		v.notNull(f.Values != nil, item("filters", i)+".values")
	}
	checkStringFilters(v, in.ParameterFilters)
	v.atLeast(in.MaxResults, "maxResults", 1)
}

// parameterMetadataType is ParameterMetadata.
type parameterMetadataType struct {
	Name             string
	ARN              string
	Type             string
	KeyId            string `json:",omitempty"`
	LastModifiedDate ssmTime
	LastModifiedUser string
	Description      string `json:",omitempty"`
	AllowedPattern   string `json:",omitempty"`
	Version          int64
	Tier             string
	Policies         []parameterInlinePolicy
	DataType         string
}

type describeParametersOutput struct {
	Parameters []parameterMetadataType
	NextToken  string `json:",omitempty"`
}

type getParameterHistoryInput struct {
	Name           *string
	WithDecryption bool
	MaxResults     *int64
	NextToken      string
}

func (in *getParameterHistoryInput) checkRequired(v *validation) {
	v.notNull(in.Name != nil, "name")
	v.atLeast(in.MaxResults, "maxResults", 1)
}

// parameterHistoryType is ParameterHistory. Labels is always sent, [] for
// a version without labels, as the CLI's examples show.
type parameterHistoryType struct {
	Name             string
	Type             string
	KeyId            string `json:",omitempty"`
	LastModifiedDate ssmTime
	LastModifiedUser string
	Description      string `json:",omitempty"`
	Value            string
	AllowedPattern   string `json:",omitempty"`
	Version          int64
	Labels           []string
	Tier             string
	Policies         []parameterInlinePolicy
	DataType         string
}

type getParameterHistoryOutput struct {
	Parameters []parameterHistoryType
	NextToken  string `json:",omitempty"`
}

type labelParameterVersionInput struct {
	Name             *string
	ParameterVersion *int64
	Labels           []string
}

func (in *labelParameterVersionInput) checkRequired(v *validation) {
	v.notNull(in.Name != nil, "name")
	v.notNull(in.Labels != nil, "labels")
}

type labelParameterVersionOutput struct {
	InvalidLabels    []string
	ParameterVersion int64
}

type unlabelParameterVersionInput struct {
	Name             *string
	ParameterVersion *int64
	Labels           []string
}

func (in *unlabelParameterVersionInput) checkRequired(v *validation) {
	v.notNull(in.Name != nil, "name")
	v.notNull(in.ParameterVersion != nil, "parameterVersion")
	v.notNull(in.Labels != nil, "labels")
}

type unlabelParameterVersionOutput struct {
	RemovedLabels []string
	InvalidLabels []string
}

func (h *SSM) putParameter(ctx context.Context, region string, in *putParameterInput) (putParameterOutput, error) {
	res, err := h.svc.PutParameter(ctx, region, in.domain())
	if err != nil {
		return putParameterOutput{}, err
	}
	return putParameterOutput{Version: res.Version, Tier: res.Tier}, nil
}

func (h *SSM) getParameter(ctx context.Context, region string, in *getParameterInput) (getParameterOutput, error) {
	p, err := h.svc.GetParameter(ctx, region, *in.Name, in.WithDecryption)
	if err != nil {
		return getParameterOutput{}, err
	}
	return getParameterOutput{Parameter: describeParameter(p)}, nil
}

func (h *SSM) getParameters(ctx context.Context, region string, in *getParametersInput) (getParametersOutput, error) {
	ps, invalid, err := h.svc.GetParameters(ctx, region, in.Names, in.WithDecryption)
	if err != nil {
		return getParametersOutput{}, err
	}
	return getParametersOutput{Parameters: describeParameters(ps), InvalidParameters: invalid}, nil
}

func (h *SSM) getParametersByPath(ctx context.Context, region string, in *getParametersByPathInput) (getParametersByPathOutput, error) {
	ps, next, err := h.svc.GetParametersByPath(ctx, region, ssm.PathQuery{Path: *in.Path, Recursive: in.Recursive,
		Filters: stringFilters(in.ParameterFilters), Decrypt: in.WithDecryption, MaxResults: int(deref(in.MaxResults)),
		NextToken: in.NextToken})
	if err != nil {
		return getParametersByPathOutput{}, err
	}
	return getParametersByPathOutput{Parameters: describeParameters(ps), NextToken: next}, nil
}

func (h *SSM) deleteParameter(ctx context.Context, region string, in *deleteParameterInput) (empty, error) {
	return empty{}, h.svc.DeleteParameter(ctx, region, *in.Name)
}

func (h *SSM) deleteParameters(ctx context.Context, region string, in *deleteParametersInput) (deleteParametersOutput, error) {
	deleted, invalid, err := h.svc.DeleteParameters(ctx, region, in.Names)
	if err != nil {
		return deleteParametersOutput{}, err
	}
	return deleteParametersOutput{DeletedParameters: deleted, InvalidParameters: invalid}, nil
}

func (h *SSM) describeParameters(ctx context.Context, region string, in *describeParametersInput) (describeParametersOutput, error) {
	q := ssm.DescribeQuery{ParameterFilters: stringFilters(in.ParameterFilters), Shared: in.Shared,
		MaxResults: int(deref(in.MaxResults)), NextToken: in.NextToken}
	for _, f := range in.Filters {
		q.Filters = append(q.Filters, ssm.Filter{Key: deref(f.Key), Values: f.Values})
	}
	ms, next, err := h.svc.DescribeParameters(ctx, region, q)
	if err != nil {
		return describeParametersOutput{}, err
	}
	out := describeParametersOutput{Parameters: make([]parameterMetadataType, len(ms)), NextToken: next}
	for i, m := range ms {
		out.Parameters[i] = parameterMetadataType{Name: m.Name, ARN: m.ARN, Type: m.Type, KeyId: m.KeyID,
			LastModifiedDate: ssmTime(m.LastModified), LastModifiedUser: m.LastModifiedUser, Description: m.Description,
			AllowedPattern: m.AllowedPattern, Version: m.Version, Tier: m.Tier, Policies: []parameterInlinePolicy{},
			DataType: m.DataType}
	}
	return out, nil
}

func (h *SSM) getParameterHistory(ctx context.Context, region string, in *getParameterHistoryInput) (getParameterHistoryOutput, error) {
	hs, next, err := h.svc.GetParameterHistory(ctx, region, ssm.HistoryQuery{Name: *in.Name, Decrypt: in.WithDecryption,
		MaxResults: int(deref(in.MaxResults)), NextToken: in.NextToken})
	if err != nil {
		return getParameterHistoryOutput{}, err
	}
	out := getParameterHistoryOutput{Parameters: make([]parameterHistoryType, len(hs)), NextToken: next}
	for i, e := range hs {
		out.Parameters[i] = parameterHistoryType{Name: e.Name, Type: e.Type, KeyId: e.KeyID,
			LastModifiedDate: ssmTime(e.LastModified), LastModifiedUser: e.LastModifiedUser, Description: e.Description,
			Value: e.Value, AllowedPattern: e.AllowedPattern, Version: e.Version, Labels: e.Labels, Tier: e.Tier,
			Policies: []parameterInlinePolicy{}, DataType: e.DataType}
	}
	return out, nil
}

func (h *SSM) labelParameterVersion(ctx context.Context, region string, in *labelParameterVersionInput) (labelParameterVersionOutput, error) {
	res, err := h.svc.LabelParameterVersion(ctx, region, *in.Name, in.ParameterVersion, in.Labels)
	if err != nil {
		return labelParameterVersionOutput{}, err
	}
	return labelParameterVersionOutput{InvalidLabels: res.InvalidLabels, ParameterVersion: res.Version}, nil
}

func (h *SSM) unlabelParameterVersion(ctx context.Context, region string, in *unlabelParameterVersionInput) (unlabelParameterVersionOutput, error) {
	res, err := h.svc.UnlabelParameterVersion(ctx, region, *in.Name, *in.ParameterVersion, in.Labels)
	if err != nil {
		return unlabelParameterVersionOutput{}, err
	}
	return unlabelParameterVersionOutput{RemovedLabels: res.RemovedLabels, InvalidLabels: res.InvalidLabels}, nil
}
