package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"
)

// cfnOptions are the flags every stack command shares: where the server
// is, which region, and the admin credentials that sign the calls.
type cfnOptions struct {
	endpoint, region string
	creds            adminCredentials
}

func (o *cfnOptions) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.endpoint, "endpoint", defaultEndpoint, "URL of the Cognate server")
	cmd.Flags().StringVar(&o.region, "region", "", "region of the stacks (default: $AWS_REGION, $AWS_DEFAULT_REGION or us-east-1)")
	o.creds.flags(cmd)
}

func (o *cfnOptions) resolvedRegion() string {
	for _, r := range []string{o.region, os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION")} {
		if r != "" {
			return r
		}
	}
	return "us-east-1"
}

// client returns a CloudFormation client of the server at --endpoint.
func (o *cfnOptions) client() *cloudformation.Client {
	creds := o.creds.resolve(os.Getenv)
	return cloudformation.New(cloudformation.Options{
		Region:       o.resolvedRegion(),
		BaseEndpoint: aws.String(strings.TrimRight(o.endpoint, "/")),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		RetryMaxAttempts: 2,
	})
}

// cfnError turns an SDK error into the server's message, or says that
// the server could not be reached.
func (o *cfnOptions) cfnError(op string, err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		return fmt.Errorf("%s: %s", op, api.ErrorMessage())
	}
	return fmt.Errorf("%s at %s: %w (is `cognate up` running?)", op, o.endpoint, err)
}

// isNotExist reports whether err is CloudFormation's "Stack with id S
// does not exist".
func isNotExist(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && strings.Contains(api.ErrorMessage(), "does not exist")
}

// describeStack returns the stack, or nil when it does not exist.
func (o *cfnOptions) describeStack(ctx context.Context, c *cloudformation.Client, name string) (*cfntypes.Stack, error) {
	out, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if isNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, o.cfnError("describe stack "+name, err)
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	st := out.Stacks[0]
	if st.StackStatus == cfntypes.StackStatusDeleteComplete {
		return nil, nil
	}
	return &st, nil
}
