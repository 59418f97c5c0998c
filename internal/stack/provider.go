package stack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// Provider creates, updates and deletes the resources of one CloudFormation
// resource type. Properties are the resource's evaluated properties: plain
// values with no intrinsic functions left.
type Provider interface {
	// Schema describes the type's properties, for validation before
	// anything is created, and which of them replace the resource when
	// they change.
	Schema() Schema
	// Validate checks properties beyond the schema (name rules, say),
	// reporting every problem with path prefixed to the property name.
	// Values that contain Unresolved are not known yet and are skipped.
	Validate(props *template.Node, path string) template.ErrorList
	// Create creates the resource.
	Create(ctx context.Context, req Request) (Result, error)
	// Update changes the resource in place to req.Properties; old are the
	// properties it was deployed with.
	Update(ctx context.Context, req Request, physicalID string, old *template.Node) (Result, error)
	// Delete deletes the resource. A resource that no longer exists is
	// not an error.
	Delete(ctx context.Context, req Request, physicalID string) error
}

// LiveAttributes is implemented by a Provider some of whose Fn::GetAtt
// attributes are secret (a client secret): the engine never stores them
// and asks for them when a template reads them.
type LiveAttributes interface {
	// LiveAttribute returns the attribute name of the resource, and ok
	// false when name is not one of its live attributes.
	LiveAttribute(ctx context.Context, req Request, physicalID, name string) (value string, ok bool, err error)
}

// PostDeployCheck is implemented by a Provider whose resources are worth
// checking against the rest of the deploy once all of it exists (an API
// deployment's authorizer scopes against the resource servers and clients
// of its pool). The engine calls Check for each such resource the deploy
// created or updated, after the last resource and before the commit, and
// adds what it returns to the resource's warnings.
type PostDeployCheck interface {
	Check(ctx context.Context, req Request, physicalID string) []string
}

// PlannedID is implemented by a Provider that knows a resource's physical
// id before creating it (a name the template gives), or can choose it (a
// pool id drawn beforehand). The engine calls it once per creation (a
// create or a replacement), journals the id, and passes it to Create as
// Request.Planned, so that a crash between the creation and its recording
// does not leave the resource behind: recovery deletes it by that id. ""
// means the id is not known beforehand.
type PlannedID interface {
	PlannedID(req Request) string
}

// Request is what a provider needs to act on one resource.
type Request struct {
	Region     string
	AccountID  string
	StackName  string
	StackID    string
	LogicalID  string
	Properties *template.Node
	// Planned is, for a Create only, the physical id the provider's
	// PlannedID returned for this creation, which the engine has
	// journaled: the provider must create the resource with it. It is ""
	// for other calls and for providers without PlannedID.
	Planned string
}

// Result is what a provider returns for a created or updated resource: the
// physical id (Ref's value) and the attributes Fn::GetAtt reads.
type Result struct {
	PhysicalID string
	Attributes map[string]string
	// Warnings are problems the resource deployed with that a user should
	// hear of (an authorizer scope no client can obtain, say). The engine
	// adds them to the deploy's warnings and to the resource's event.
	Warnings []string
}

// Kind is the JSON kind a property must have.
type Kind uint8

// The property kinds a Schema checks.
const (
	KindString     Kind = iota + 1 // a string, number or boolean (CloudFormation turns scalars into strings)
	KindBool                       // a boolean, or "true"/"false"
	KindInteger                    // an integer, or a string holding one
	KindList                       // a list of scalars
	KindObject                     // a mapping
	KindObjectList                 // a list of mappings
	KindAny                        // anything
)

// Schema describes a resource type's properties.
type Schema struct {
	// Properties maps each property the type knows to its kind.
	Properties map[string]Kind
	// Required lists the properties that must be given.
	Required []string
	// Replace lists the properties whose change replaces the resource
	// ("Update requires: Replacement" in the resource reference).
	Replace []string
	// Attributes lists the names Fn::GetAtt accepts.
	Attributes []string
	// Open accepts properties missing from Properties (with a warning),
	// for types whose long tail of settings Cognate ignores.
	Open bool
}

// PropertyError is a provider failure caused by one property; the engine
// names the property in its message.
type PropertyError struct {
	Property string
	Err      error
}

func (e *PropertyError) Error() string { return e.Property + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *PropertyError) Unwrap() error { return e.Err }

// Unresolved marks, inside a value, what validation cannot know yet: the
// Ref or Fn::GetAtt of a resource that does not exist before the deploy.
const Unresolved = "\x00unresolved\x00"

// IsUnresolved reports whether s holds a value validation cannot know.
func IsUnresolved(s string) bool { return strings.Contains(s, Unresolved) }

// ParameterSource reads SSM parameters: the values of
// AWS::SSM::Parameter::Value<...> parameters and of {{resolve:ssm:...}}
// references. internal/stack/provider adapts the ssm service to it.
type ParameterSource interface {
	// ParameterValue returns the newest value of the parameter name (or
	// the version or label a "name:selector" suffix picks), decrypted when
	// decrypt is set. A missing parameter is an error that wraps
	// ErrParameterNotFound.
	ParameterValue(ctx context.Context, region, name string, decrypt bool) (string, error)
}

// ErrParameterNotFound is what a ParameterSource wraps for a missing
// parameter.
var ErrParameterNotFound = errors.New("parameter not found")

// Error kinds of the engine, for adapters to map (compare with errors.Is).
var (
	// ErrValidation is wrapped by every error about the template or the
	// parameters, found before anything was changed.
	ErrValidation = errors.New("validation error")
	// ErrStackNotFound means no stack has the name given.
	ErrStackNotFound = errors.New("stack does not exist")
	// ErrInProgress means the stack has an operation in progress.
	ErrInProgress = errors.New("stack operation in progress")
	// ErrInUse means another stack uses something the stack owns.
	ErrInUse = errors.New("stack in use")
	// ErrDeployFailed means a resource operation failed and the stack was
	// rolled back.
	ErrDeployFailed = errors.New("deploy failed")
)

func validationErr(errs template.ErrorList) error {
	errs.Sort()
	return fmt.Errorf("%w: %w", ErrValidation, errs)
}
