package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/cognatehq/cognate/internal/stack/template"
	"github.com/spf13/cobra"
)

var defaultCapabilities = []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"}

func deployCommand() *cobra.Command {
	var o cfnOptions
	var stackName, templateFile, configFile, configEnv string
	var overrides, capabilities, upstreams []string
	var strict bool
	cmd := &cobra.Command{
		Use:   "deploy --stack-name S --template-file T [--parameter-overrides K=V ...] [--upstream LogicalId=URL ...]",
		Short: "Create or update a stack from a local template, as sam deploy does",
		Long: `Create the stack, or update it when it exists, from a local template, and print
its resource events and outputs. AWS::Include snippets and an Api's
DefinitionUri that name local files are inlined first; the server runs the
SAM transform. Values from --config-file (a samconfig.toml or samconfig.yaml,
section [ENV.deploy.parameters]) apply where no flag is given; without
--config-file, ./samconfig.toml (or .yaml/.yml) is read when it exists.

--upstream EchoFunction=http://127.0.0.1:3000 sends the API routes of the
function EchoFunction (an AWS::Serverless::Function or AWS::Lambda::Function
of the template) to that HTTP service instead of running the function, so a
service you run yourself sits behind the gateway and its authorizers. It
is remembered with the stack, as the stack tag
cognate:upstream:EchoFunction: a later deploy without --upstream keeps it;
--upstream EchoFunction= forgets it. The AWS CLI can set the same tag with
--tags. --strict sends the tag cognate:strict=true, for this deploy only.

The end of the output lists the local URLs of the stack's REST APIs, as
` + "`cognate outputs`" + ` does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if configFile == "" {
				// Like sam deploy, use the project's samconfig when it
				// is in the working directory and none is named.
				configFile = defaultSAMConfig(cmd.Flags().Changed("config-env"))
			}
			if configFile != "" {
				cfg, err := readSAMConfig(configFile, configEnv)
				if err != nil {
					return err
				}
				f := cmd.Flags()
				if !f.Changed("stack-name") && cfg.StackName != "" {
					stackName = cfg.StackName
				}
				if !f.Changed("template-file") && cfg.TemplateFile != "" {
					templateFile = cfg.TemplateFile
				}
				if !f.Changed("region") && cfg.Region != "" {
					o.region = cfg.Region
				}
				if !f.Changed("parameter-overrides") && cfg.ParameterOverrides != nil {
					overrides = cfg.ParameterOverrides
				}
				if !f.Changed("capabilities") && cfg.Capabilities != nil {
					capabilities = cfg.Capabilities
				}
			}
			var missing []string
			if stackName == "" {
				missing = append(missing, "--stack-name")
			}
			if templateFile == "" {
				missing = append(missing, "--template-file")
			}
			if len(missing) > 0 {
				return fmt.Errorf("missing %s (or give them in --config-file)", strings.Join(missing, ", "))
			}
			params, err := parseParameterOverrides(overrides)
			if err != nil {
				return err
			}
			body, err := readDeployTemplate(templateFile)
			if err != nil {
				return err
			}
			in := deployInput{name: stackName, body: string(body), overrides: params, caps: capabilities}
			if in.upstreams, err = parseUpstreams(upstreams, in.body); err != nil {
				return err
			}
			in.strict = strict
			ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Minute)
			defer cancel()
			return deploy(ctx, cmd.OutOrStdout(), &o, in)
		},
	}
	f := cmd.Flags()
	o.flags(cmd)
	f.StringVar(&stackName, "stack-name", "", "name of the stack to create or update")
	f.StringVarP(&templateFile, "template-file", "t", "", "path of the template (YAML or JSON)")
	f.StringArrayVar(&overrides, "parameter-overrides", nil, "parameter values: Key=Value or ParameterKey=Key,ParameterValue=Value, several separated by spaces (repeatable)")
	f.StringSliceVar(&capabilities, "capabilities", defaultCapabilities, "capabilities to acknowledge")
	f.BoolVar(&strict, "strict", false, "fail the deploy on resource types Cognate does not emulate (default: record them with a warning); this deploy only")
	f.StringArrayVar(&upstreams, "upstream", nil, "LogicalId=http://host:port: send the API routes of that function to this HTTP service; remembered with the stack; LogicalId= forgets it (repeatable)")
	f.StringVar(&configFile, "config-file", "", "a samconfig.toml or samconfig.yaml to read deploy parameters from")
	f.StringVar(&configEnv, "config-env", "default", "the environment of --config-file to read")
	return cmd
}

// deployInput is what one `cognate deploy` sends.
type deployInput struct {
	name, body string
	overrides  [][2]string
	caps       []string
	strict     bool
	upstreams  map[string]string // logical id → URL; "" forgets it
}

func deploy(ctx context.Context, out io.Writer, o *cfnOptions, in deployInput) error {
	name, body, overrides := in.name, in.body, in.overrides
	c := o.client()
	st, err := o.describeStack(ctx, c, name)
	if err != nil {
		return err
	}
	var currentTags []cfntypes.Tag
	if st != nil {
		currentTags = st.Tags
	}
	if st != nil && st.StackStatus == cfntypes.StackStatusRollbackComplete {
		// A stack whose creation failed cannot be updated; sam deploy
		// deletes it and creates it again.
		fmt.Fprintf(out, "Stack %s is in ROLLBACK_COMPLETE after a failed creation; deleting it to create it again\n", name)
		if _, err := c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(name)}); err != nil {
			return o.cfnError("delete stack "+name, err)
		}
		if st, err = o.describeStack(ctx, c, name); err != nil {
			return err
		}
		if st != nil {
			return fmt.Errorf("stack %s is still %s after deleting it", name, st.StackStatus)
		}
	}
	var capTypes []cfntypes.Capability
	for _, cp := range in.caps {
		capTypes = append(capTypes, cfntypes.Capability(cp))
	}
	tags, err := stackTags(currentTags, in.strict, in.upstreams)
	if err != nil {
		return err
	}
	if tags == nil && st == nil {
		// A stack deleted above to be created again keeps its tags
		// (the upstreams it remembers), but not its strictness.
		for _, t := range currentTags {
			if aws.ToString(t.Key) != strictTagKey {
				tags = append(tags, t)
			}
		}
	}
	var params []cfntypes.Parameter
	for _, kv := range overrides {
		params = append(params, cfntypes.Parameter{ParameterKey: aws.String(kv[0]), ParameterValue: aws.String(kv[1])})
	}
	lastEvent := ""
	printer := &eventPrinter{out: out, seen: map[string]bool{}}
	if st == nil {
		fmt.Fprintf(out, "Creating stack %s\n", name)
		stop := printer.follow(ctx, c, name, lastEvent)
		_, err = c.CreateStack(ctx, &cloudformation.CreateStackInput{
			StackName: aws.String(name), TemplateBody: aws.String(body), Parameters: params, Capabilities: capTypes, Tags: tags})
		stop()
		if err != nil {
			return o.cfnError("create stack "+name, err)
		}
	} else {
		// A parameter the template declares without a Default and no
		// override names keeps the stack's value, as sam deploy does. (sam
		// also keeps the previous value of parameters with a Default; the
		// server counts an explicit value as a change, so those take
		// their Default here.)
		required := requiredParameters(body)
		for _, p := range st.Parameters {
			if p.ParameterKey == nil || !required[*p.ParameterKey] || slices.ContainsFunc(overrides, func(kv [2]string) bool { return kv[0] == *p.ParameterKey }) {
				continue
			}
			params = append(params, cfntypes.Parameter{ParameterKey: p.ParameterKey, UsePreviousValue: aws.Bool(true)})
		}
		if ev, err := c.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(name)}); err == nil && len(ev.StackEvents) > 0 {
			lastEvent = aws.ToString(ev.StackEvents[0].EventId)
		}
		fmt.Fprintf(out, "Updating stack %s\n", name)
		stop := printer.follow(ctx, c, name, lastEvent)
		_, err = c.UpdateStack(ctx, &cloudformation.UpdateStackInput{
			StackName: aws.String(name), TemplateBody: aws.String(body), Parameters: params, Capabilities: capTypes, Tags: tags})
		stop()
		if err != nil && strings.Contains(err.Error(), "No updates are to be performed") {
			fmt.Fprintf(out, "No changes to deploy. Stack %s is up to date\n", name)
			printUpstreams(out, currentTags)
			printStackAPIs(ctx, out, o, c, name)
			return nil
		}
		if err != nil {
			return o.cfnError("update stack "+name, err)
		}
	}
	st, err = waitStack(ctx, o, c, name)
	if err != nil {
		return err
	}
	events, err := stackEventsSince(ctx, c, name, lastEvent)
	if err != nil {
		return o.cfnError("describe stack events of "+name, err)
	}
	printer.print(events)
	status := string(st.StackStatus)
	if strings.Contains(status, "ROLLBACK") || strings.HasSuffix(status, "_FAILED") {
		var reasons []string
		for _, e := range events {
			if strings.HasSuffix(string(e.ResourceStatus), "_FAILED") && aws.ToString(e.ResourceStatusReason) != "" {
				reasons = append(reasons, aws.ToString(e.LogicalResourceId)+": "+aws.ToString(e.ResourceStatusReason))
			}
		}
		if len(reasons) == 0 && aws.ToString(st.StackStatusReason) != "" {
			reasons = append(reasons, aws.ToString(st.StackStatusReason))
		}
		return fmt.Errorf("stack %s ended in %s:\n  %s", name, status, strings.Join(reasons, "\n  "))
	}
	if len(st.Outputs) > 0 {
		fmt.Fprintln(out)
		fmt.Fprintln(out, "Outputs")
		printOutputs(out, st.Outputs)
	}
	printUpstreams(out, st.Tags)
	printStackAPIs(ctx, out, o, c, name)
	fmt.Fprintf(out, "\nSuccessfully created/updated stack - %s in %s\n", name, o.resolvedRegion())
	return nil
}

// printStackAPIs lists the local URLs of the stack's REST APIs, if it
// has any. Not finding them is not a failed deploy: it says why instead.
func printStackAPIs(ctx context.Context, out io.Writer, o *cfnOptions, c *cloudformation.Client, name string) {
	apis, err := stackAPIURLs(ctx, o, c, name)
	if err != nil {
		fmt.Fprintf(out, "\n(local API URLs not listed: %v)\n", err)
		return
	}
	if len(apis) > 0 {
		fmt.Fprintln(out)
		fmt.Fprintln(out, "Local API URLs")
		printAPIURLs(out, apis)
	}
}

// requiredParameters returns the parameters the template declares
// without a Default.
func requiredParameters(body string) map[string]bool {
	out := map[string]bool{}
	t, err := template.Read([]byte(body))
	if err != nil {
		return out
	}
	ps := t.Section("Parameters")
	if ps == nil || ps.Kind != template.Mapping {
		return out
	}
	for _, f := range ps.Fields {
		if f.Value.Get("Default") == nil {
			out[f.Key] = true
		}
	}
	return out
}

// waitStack returns the stack once no operation is in progress. The
// server deploys synchronously, so this is normally one call.
func waitStack(ctx context.Context, o *cfnOptions, c *cloudformation.Client, name string) (*cfntypes.Stack, error) {
	for {
		st, err := o.describeStack(ctx, c, name)
		if err != nil {
			return nil, err
		}
		if st == nil {
			return nil, fmt.Errorf("stack %s does not exist after the call", name)
		}
		if !strings.HasSuffix(string(st.StackStatus), "_IN_PROGRESS") {
			return st, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("stack %s still %s: %w", name, st.StackStatus, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stackEventsSince returns the stack's events newer than the event with
// id after (all of them when after is empty), oldest first.
func stackEventsSince(ctx context.Context, c *cloudformation.Client, name, after string) ([]cfntypes.StackEvent, error) {
	var events []cfntypes.StackEvent
	p := cloudformation.NewDescribeStackEventsPaginator(c, &cloudformation.DescribeStackEventsInput{StackName: aws.String(name)})
pages:
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, e := range page.StackEvents {
			if after != "" && aws.ToString(e.EventId) == after {
				break pages
			}
			events = append(events, e)
		}
	}
	slices.Reverse(events)
	return events, nil
}

// eventPrinter prints a stack's events as they appear, each once, in
// fixed-width columns (so lines printed at different times line up).
type eventPrinter struct {
	out    io.Writer
	seen   map[string]bool
	header bool
}

// follow prints new events of the stack every quarter second while a
// deploy call runs (the server writes each resource's events as it goes),
// until the returned stop is called; stop waits for the last poll.
func (p *eventPrinter) follow(ctx context.Context, c *cloudformation.Client, name, after string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				// The stack may not exist yet on a create: errors just
				// mean "nothing to print yet".
				if events, err := stackEventsSince(ctx, c, name, after); err == nil {
					p.print(events)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (p *eventPrinter) print(events []cfntypes.StackEvent) {
	for _, e := range events {
		id := aws.ToString(e.EventId)
		if p.seen[id] {
			continue
		}
		p.seen[id] = true
		if !p.header {
			p.header = true
			fmt.Fprintf(p.out, "%-20s%-40s%-32s%s\n", "ResourceStatus", "ResourceType", "LogicalResourceId", "ResourceStatusReason")
		}
		reason := aws.ToString(e.ResourceStatusReason)
		if reason == "" {
			reason = "-"
		}
		fmt.Fprintf(p.out, "%-20s%-40s%-32s%s\n", e.ResourceStatus, aws.ToString(e.ResourceType), aws.ToString(e.LogicalResourceId), reason)
	}
}

func printOutputs(out io.Writer, outputs []cfntypes.Output) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Key\tDescription\tValue")
	for _, op := range outputs {
		desc := aws.ToString(op.Description)
		if desc == "" {
			desc = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", aws.ToString(op.OutputKey), desc, aws.ToString(op.OutputValue))
	}
	tw.Flush()
}
