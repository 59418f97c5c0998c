package main

import (
	"bufio"
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
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

func deleteCommand() *cobra.Command {
	var o cfnOptions
	var stackName string
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete --stack-name S [--yes]",
		Short: "Delete a stack and its resources, as sam delete does",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if stackName == "" {
				return fmt.Errorf("missing --stack-name")
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 5*time.Minute)
			defer cancel()
			c := o.client()
			st, err := o.describeStack(ctx, c, stackName)
			if err != nil {
				return err
			}
			if st == nil {
				return fmt.Errorf("stack %s does not exist in %s at %s", stackName, o.resolvedRegion(), o.endpoint)
			}
			out := cmd.OutOrStdout()
			if !yes {
				if !isTerminal(cmd.InOrStdin()) {
					return fmt.Errorf("not deleting stack %s: pass --yes to delete without a confirmation prompt", stackName)
				}
				fmt.Fprintf(out, "Are you sure you want to delete the stack %s in the region %s? [y/N]: ", stackName, o.resolvedRegion())
				line, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
					fmt.Fprintln(out, "Not deleted.")
					return nil
				}
			}
			if _, err := c.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(stackName)}); err != nil {
				return o.cfnError("delete stack "+stackName, err)
			}
			for {
				st, err = o.describeStack(ctx, c, stackName)
				if err != nil {
					return err
				}
				if st == nil {
					fmt.Fprintf(out, "Deleted stack %s\n", stackName)
					return nil
				}
				if st.StackStatus == cfntypes.StackStatusDeleteFailed {
					return fmt.Errorf("stack %s: DELETE_FAILED: %s", stackName, aws.ToString(st.StackStatusReason))
				}
				select {
				case <-ctx.Done():
					return fmt.Errorf("stack %s still %s: %w", stackName, st.StackStatus, ctx.Err())
				case <-time.After(200 * time.Millisecond):
				}
			}
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVar(&stackName, "stack-name", "", "name of the stack to delete")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking for confirmation")
	cmd.Flags().Bool("no-prompts", false, "same as --yes, as sam delete spells it")
	cmd.PreRun = func(cmd *cobra.Command, _ []string) {
		if np, _ := cmd.Flags().GetBool("no-prompts"); np {
			yes = true
		}
	}
	return cmd
}

// isTerminal reports whether r is a terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func stacksCommand() *cobra.Command {
	var o cfnOptions
	var output string
	cmd := &cobra.Command{
		Use:   "stacks",
		Short: "List the stacks: name, status, last updated",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "table" && output != "json" {
				return fmt.Errorf("--output %q: want table or json", output)
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), time.Minute)
			defer cancel()
			c := o.client()
			type row struct {
				StackName    string `json:"StackName"`
				StackStatus  string `json:"StackStatus"`
				LastUpdated  string `json:"LastUpdatedTime"`
				StatusReason string `json:"StackStatusReason,omitempty"`
			}
			rows := []row{}
			p := cloudformation.NewListStacksPaginator(c, &cloudformation.ListStacksInput{})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return o.cfnError("list stacks", err)
				}
				for _, s := range page.StackSummaries {
					if s.StackStatus == cfntypes.StackStatusDeleteComplete {
						continue
					}
					t := aws.ToTime(s.CreationTime)
					if s.LastUpdatedTime != nil {
						t = *s.LastUpdatedTime
					}
					rows = append(rows, row{aws.ToString(s.StackName), string(s.StackStatus), t.UTC().Format(time.RFC3339), aws.ToString(s.StackStatusReason)})
				}
			}
			out := cmd.OutOrStdout()
			if output == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSTATUS\tLAST UPDATED")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.StackName, r.StackStatus, r.LastUpdated)
			}
			return tw.Flush()
		},
	}
	o.flags(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "table", "table or json")
	return cmd
}
