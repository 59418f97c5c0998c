package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/cognatehq/cognate/internal/stack/template"
	"github.com/spf13/cobra"
)

// apiOutputKeyPrefix starts the OutputKey of the rows `outputs -o json`
// adds for the stack's REST APIs. A template's output keys are
// alphanumeric, so these never collide with them.
const apiOutputKeyPrefix = "cognate:api:"

// stackOutputsCommand is `cognate outputs STACK`: the template's Outputs
// and the local URLs of the stack's REST APIs.
func stackOutputsCommand() *cobra.Command {
	var o cfnOptions
	var output string
	cmd := &cobra.Command{
		Use:   "outputs STACK",
		Short: "Print a stack's outputs and the local URLs of its REST APIs",
		Long: `Print the stack's Outputs (Key, Description, Value), then the local URLs of
each stage of each REST API of the stack, in both forms Cognate serves:
http://{apiId}.execute-api.localhost:{port}/{stage}/ and
{endpoint}/restapis/{apiId}/{stage}/_user_request_/ (for clients that cannot
resolve *.localhost, and for a server that is not on this machine, which
gets only this form). URLs are computed from --endpoint.

With --output json, the result is a JSON array of {OutputKey, OutputValue,
Description, ExportName}, the template's outputs first; then one row per API
stage, whose OutputKey is cognate:api:{LogicalId}:{stage} and OutputValue its
URL, with the extra fields RestApiId, Stage and PathStyleUrl.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "table" && output != "json" {
				return fmt.Errorf("--output %q: want table or json", output)
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), time.Minute)
			defer cancel()
			c := o.client()
			st, err := o.describeStack(ctx, c, args[0])
			if err != nil {
				return err
			}
			if st == nil {
				return fmt.Errorf("stack %s does not exist in %s at %s (see `cognate stacks`)", args[0], o.resolvedRegion(), o.endpoint)
			}
			apis, err := stackAPIURLs(ctx, &o, c, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if output == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(outputRows(st.Outputs, apis))
			}
			printOutputs(out, st.Outputs)
			if len(apis) > 0 {
				fmt.Fprintln(out)
				fmt.Fprintln(out, "Local API URLs")
				printAPIURLs(out, apis)
			}
			return nil
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "table", "table or json")
	return cmd
}

// outputRow is one element of `outputs -o json`.
type outputRow struct {
	OutputKey    string `json:"OutputKey"`
	OutputValue  string `json:"OutputValue"`
	Description  string `json:"Description,omitempty"`
	ExportName   string `json:"ExportName,omitempty"`
	RestApiID    string `json:"RestApiId,omitempty"`
	Stage        string `json:"Stage,omitempty"`
	PathStyleURL string `json:"PathStyleUrl,omitempty"`
}

func outputRows(outputs []cfntypes.Output, apis []apiURL) []outputRow {
	rows := []outputRow{}
	for _, op := range outputs {
		rows = append(rows, outputRow{OutputKey: aws.ToString(op.OutputKey), OutputValue: aws.ToString(op.OutputValue),
			Description: aws.ToString(op.Description), ExportName: aws.ToString(op.ExportName)})
	}
	for _, a := range apis {
		rows = append(rows, outputRow{OutputKey: apiOutputKeyPrefix + a.LogicalID + ":" + a.Stage, OutputValue: a.URL,
			Description: "local URL of REST API " + a.LogicalID + ", stage " + a.Stage,
			RestApiID:   a.RestApiID, Stage: a.Stage, PathStyleURL: a.PathStyleURL})
	}
	return rows
}

// apiURL is one stage of one REST API of a stack, and where Cognate
// serves it.
type apiURL struct {
	LogicalID, RestApiID, Stage string
	URL, PathStyleURL           string
}

// printAPIURLs prints each stage's two URLs.
func printAPIURLs(out io.Writer, apis []apiURL) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "API\tStage\tURL")
	for _, a := range apis {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.LogicalID, a.Stage, a.URL)
		if a.PathStyleURL != a.URL {
			fmt.Fprintf(tw, "\t\t%s\n", a.PathStyleURL)
		}
	}
	tw.Flush()
}

// stackAPIURLs finds the stack's REST APIs (AWS::ApiGateway::RestApi,
// whose physical id is the API id) and their stages
// (AWS::ApiGateway::Stage, whose physical id is the stage name, and
// AWS::ApiGateway::Deployment with a StageName), and computes their local
// URLs from --endpoint.
func stackAPIURLs(ctx context.Context, o *cfnOptions, c *cloudformation.Client, name string) ([]apiURL, error) {
	res, err := c.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(name)})
	if err != nil {
		return nil, o.cfnError("describe the resources of stack "+name, err)
	}
	var rs []stackResource
	hasAPI := false
	for _, r := range res.StackResources {
		rs = append(rs, stackResource{aws.ToString(r.LogicalResourceId), aws.ToString(r.ResourceType), aws.ToString(r.PhysicalResourceId)})
		hasAPI = hasAPI || aws.ToString(r.ResourceType) == "AWS::ApiGateway::RestApi"
	}
	if !hasAPI {
		return nil, nil
	}
	// The stage → API links are in the template, not in the resources.
	tpl, err := c.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(name)})
	if err != nil {
		return nil, o.cfnError("get the template of stack "+name, err)
	}
	var params map[string]string
	if st, err := o.describeStack(ctx, c, name); err == nil && st != nil {
		params = map[string]string{}
		for _, p := range st.Parameters {
			params[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
		}
	}
	stages := apiStages(rs, aws.ToString(tpl.TemplateBody), params)
	return localAPIURLs(o.endpoint, stages)
}

// localAPIURLs turns stages into URLs on the server at endpoint: the
// host-style URL when the server is local, and the path-style one.
func localAPIURLs(endpoint string, stages []apiStage) ([]apiURL, error) {
	u, err := url.Parse(strings.TrimRight(endpoint, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("--endpoint %q: want a URL such as http://127.0.0.1:4566", endpoint)
	}
	// Host-style, {apiId}.execute-api.localhost, names only a local
	// server; a remote one is reached path-style.
	host := u.Hostname()
	local := isLocalhostName(host)
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		local = true
	}
	hostPort := "localhost"
	if p := u.Port(); p != "" {
		hostPort = net.JoinHostPort(hostPort, p)
	}
	var out []apiURL
	for _, s := range stages {
		a := apiURL{LogicalID: s.apiLogicalID, RestApiID: s.apiID, Stage: s.stage,
			PathStyleURL: u.String() + "/restapis/" + url.PathEscape(s.apiID) + "/" + url.PathEscape(s.stage) + "/_user_request_/"}
		a.URL = a.PathStyleURL
		if local {
			a.URL = u.Scheme + "://" + s.apiID + ".execute-api." + hostPort + "/" + url.PathEscape(s.stage) + "/"
		}
		out = append(out, a)
	}
	return out, nil
}

// stackResource is what DescribeStackResources says of one resource.
type stackResource struct{ logicalID, typ, physicalID string }

// apiStage is one stage of one REST API.
type apiStage struct{ apiLogicalID, apiID, stage string }

// apiStages links the stack's stages to its REST APIs, sorted by API
// logical id and stage. A stage resource names its API in the template
// (RestApiId: !Ref Api). The SAM transform's stages are not in the
// original template; SAM names them {ApiLogicalId}{StageName}Stage, so
// they go to the API whose logical id is the longest prefix of theirs (or
// to the only API).
func apiStages(rs []stackResource, templateBody string, params map[string]string) []apiStage {
	apis := map[string]string{} // logical id → API id
	for _, r := range rs {
		if r.typ == "AWS::ApiGateway::RestApi" && r.physicalID != "" {
			apis[r.logicalID] = r.physicalID
		}
	}
	links := templateStageLinks(templateBody, params)
	seen := map[apiStage]bool{}
	var out []apiStage
	add := func(apiLogical, stage string) {
		id, ok := apis[apiLogical]
		if !ok || stage == "" {
			return
		}
		s := apiStage{apiLogical, id, stage}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, r := range rs {
		switch r.typ {
		case "AWS::ApiGateway::Stage":
			api := links.stageAPI[r.logicalID]
			if api == "" {
				api = samStageAPI(r.logicalID, apis)
			}
			add(api, r.physicalID)
		case "AWS::ApiGateway::Deployment":
			if d, ok := links.deployments[r.logicalID]; ok {
				add(d[0], d[1])
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].apiLogicalID != out[j].apiLogicalID {
			return out[i].apiLogicalID < out[j].apiLogicalID
		}
		return out[i].stage < out[j].stage
	})
	return out
}

// samStageAPI returns the API a SAM-generated stage belongs to.
func samStageAPI(stageLogicalID string, apis map[string]string) string {
	best := ""
	for id := range apis {
		if strings.HasPrefix(stageLogicalID, id) && len(id) > len(best) {
			best = id
		}
	}
	if best == "" && len(apis) == 1 {
		for id := range apis {
			best = id
		}
	}
	return best
}

// stageLinks are what the template says of its stages: each
// AWS::ApiGateway::Stage's API, and each AWS::ApiGateway::Deployment's
// API and StageName.
type stageLinks struct {
	stageAPI    map[string]string    // stage logical id → API logical id
	deployments map[string][2]string // deployment logical id → {API logical id, stage}
}

// templateStageLinks reads the links from the template; a template it
// cannot read gives none.
func templateStageLinks(body string, params map[string]string) stageLinks {
	l := stageLinks{stageAPI: map[string]string{}, deployments: map[string][2]string{}}
	t, err := template.Read([]byte(body))
	if err != nil {
		return l
	}
	rs := t.Section("Resources")
	if rs == nil || rs.Kind != template.Mapping {
		return l
	}
	for _, f := range rs.Fields {
		typ, _ := f.Value.Get("Type").Text()
		props := f.Value.Get("Properties")
		api := refTarget(props.Get("RestApiId"))
		switch typ {
		case "AWS::ApiGateway::Stage":
			if api != "" {
				l.stageAPI[f.Key] = api
			}
		case "AWS::ApiGateway::Deployment":
			stage, ok := props.Get("StageName").Text()
			if !ok {
				stage = params[refTarget(props.Get("StageName"))]
			}
			if api != "" && stage != "" {
				l.deployments[f.Key] = [2]string{api, stage}
			}
		}
	}
	return l
}

// refTarget returns X of {"Ref": X}, or "".
func refTarget(n *template.Node) string {
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		s, _ := arg.Text()
		return s
	}
	return ""
}
