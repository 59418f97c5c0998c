package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/spf13/cobra"
)

func clientsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "clients",
		Short: "Work with the app clients of a stack",
	}
	cmd.AddCommand(clientsShowCommand())
	return cmd
}

// shownClient is one app client as `clients show` prints it.
type shownClient struct {
	LogicalID          string   `json:"LogicalResourceId"`
	UserPoolID         string   `json:"UserPoolId"`
	ClientID           string   `json:"ClientId"`
	ClientName         string   `json:"ClientName"`
	ClientSecret       string   `json:"ClientSecret,omitempty"`
	AllowedOAuthFlows  []string `json:"AllowedOAuthFlows"`
	AllowedOAuthScopes []string `json:"AllowedOAuthScopes"`
}

func clientsShowCommand() *cobra.Command {
	var o cfnOptions
	var stackName, output string
	cmd := &cobra.Command{
		Use:   "show --stack-name S",
		Short: "Print the id and secret of every app client a stack created, as the console's \"Show client secret\" does",
		Long: `Print the app clients (AWS::Cognito::UserPoolClient) a stack created: their
pool, id, name, secret, OAuth flows and scopes. The secret is printed: keep the
output out of logs, or use it directly, e.g.
  COGNATE_CLIENT_SECRET=$(cognate clients show --stack-name S -o json | jq -r '.[0].ClientSecret')`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if stackName == "" {
				return fmt.Errorf("--stack-name is required")
			}
			if output != "table" && output != "json" {
				return fmt.Errorf("--output %q: want table or json", output)
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), time.Minute)
			defer cancel()
			clients, err := stackClients(ctx, &o, stackName, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if output == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(clients)
			}
			if len(clients) == 0 {
				fmt.Fprintf(out, "Stack %s has no app clients.\n", stackName)
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "Resource\tUser pool\tClient id\tClient secret\tScopes")
			for _, c := range clients {
				secret := c.ClientSecret
				if secret == "" {
					secret = "(none)"
				}
				scopes := strings.Join(c.AllowedOAuthScopes, " ")
				if scopes == "" {
					scopes = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.LogicalID, c.UserPoolID, c.ClientID, secret, scopes)
			}
			return tw.Flush()
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVar(&stackName, "stack-name", "", "the stack whose clients to show")
	cmd.Flags().StringVarP(&output, "output", "o", "table", "table or json")
	return cmd
}

// stackClients finds the stack's app clients and describes each through
// the Cognito API. A client's resource does not name its pool, so the
// pools of the region are searched for it.
func stackClients(ctx context.Context, o *cfnOptions, stackName string, warn io.Writer) ([]shownClient, error) {
	res, err := o.client().DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stackName)})
	if err != nil {
		return nil, o.cfnError("describe stack "+stackName, err)
	}
	want := map[string]string{} // client id → logical id
	var order []string
	for _, r := range res.StackResources {
		if aws.ToString(r.ResourceType) == "AWS::Cognito::UserPoolClient" && aws.ToString(r.PhysicalResourceId) != "" {
			want[aws.ToString(r.PhysicalResourceId)] = aws.ToString(r.LogicalResourceId)
			order = append(order, aws.ToString(r.PhysicalResourceId))
		}
	}
	if len(want) == 0 {
		return []shownClient{}, nil
	}
	c := o.cognito()
	found := map[string]shownClient{}
	pools := cip.NewListUserPoolsPaginator(c, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	for pools.HasMorePages() && len(found) < len(want) {
		page, err := pools.NextPage(ctx)
		if err != nil {
			return nil, o.cfnError("list user pools", err)
		}
		for _, p := range page.UserPools {
			clients := cip.NewListUserPoolClientsPaginator(c, &cip.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: aws.Int32(60)})
			for clients.HasMorePages() {
				cp, err := clients.NextPage(ctx)
				if err != nil {
					return nil, o.cfnError("list clients of "+aws.ToString(p.Id), err)
				}
				for _, cl := range cp.UserPoolClients {
					id := aws.ToString(cl.ClientId)
					if _, ok := want[id]; !ok {
						continue
					}
					d, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: cl.ClientId})
					if err != nil {
						return nil, o.cfnError("describe client "+id, err)
					}
					u := d.UserPoolClient
					flows := make([]string, 0, len(u.AllowedOAuthFlows))
					for _, f := range u.AllowedOAuthFlows {
						flows = append(flows, string(f))
					}
					found[id] = shownClient{LogicalID: want[id], UserPoolID: aws.ToString(p.Id), ClientID: id,
						ClientName: aws.ToString(u.ClientName), ClientSecret: aws.ToString(u.ClientSecret),
						AllowedOAuthFlows: flows, AllowedOAuthScopes: append([]string{}, u.AllowedOAuthScopes...)}
				}
			}
		}
	}
	out := make([]shownClient, 0, len(order))
	for _, id := range order {
		if c, ok := found[id]; ok {
			out = append(out, c)
		} else {
			fmt.Fprintf(warn, "cognate: client %s (%s) of stack %s no longer exists\n", id, want[id], stackName)
		}
	}
	return out, nil
}

// cognito returns a Cognito client of the server at --endpoint.
func (o *cfnOptions) cognito() *cip.Client {
	creds := o.creds.resolve(os.Getenv)
	return cip.New(cip.Options{
		Region:       o.resolvedRegion(),
		BaseEndpoint: aws.String(strings.TrimRight(o.endpoint, "/")),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		RetryMaxAttempts: 2,
	})
}
