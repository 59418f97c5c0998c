// Package stack is Cognate's CloudFormation deploy engine: it deploys a
// template read by internal/stack/template as a named stack of a region,
// evaluates it with internal/stack/intrinsic, orders its resources by
// their dependencies, creates, updates, replaces and deletes them through
// resource providers, and keeps the stack's state, resources, events and
// exports in the store.
//
// Deploy validates everything it can before any resource is touched
// (parameters, conditions, references, every resource's properties) and
// reports every problem in one template.ErrorList. It then journals each
// provider action in the store before making it, so that a failed deploy
// rolls back to the stack's previous version, and Recover, run at startup,
// rolls back an operation that a crash interrupted. Delete removes a stack
// in reverse dependency order, refusing while another stack imports one of
// its exports or reads one of its SSM parameters; the deleted stack stays
// listed, at DELETE_COMPLETE, for 90 days (ListWithDeleted, and Describe
// by stack id). Config.OnChange tells a caller (the gateway's route table)
// when an operation has changed a stack.
//
// Providers that can choose a resource's physical id before creating it
// (PlannedID: a name from the template, a pool or client id drawn
// beforehand) have it journaled first, so that a crash between the
// creation and its recording leaves nothing behind. Their warnings
// (Result.Warnings) reach the deploy's warnings and the resource's event.
//
// Providers are small units behind the Provider interface; those for
// Cognito and SSM resources live in internal/stack/provider, which
// declares the small interfaces internal/app satisfies with the identity
// and ssm services. Resource types without a provider are recorded with a
// generated physical id and a warning (an error with Options.Strict).
//
// Spec: the AWS CloudFormation User Guide ("Template anatomy",
// "Parameters", "Outputs", "Dynamic references", "Stack status codes",
// "Update behaviors of stack resources") and ../shared/docs/APIGATEWAY.md
// §6–7.
//
// Imports: internal/store, internal/stack/template, internal/stack/intrinsic;
// never net/http.
package stack
