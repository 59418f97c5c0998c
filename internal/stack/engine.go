package stack

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"time"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/stack/template"
	"github.com/cognatehq/cognate/internal/store"
)

// Config holds the Engine's collaborators and settings.
type Config struct {
	Store     store.Store
	AccountID string // 12 digits, used in stack ids and pseudo parameters
	// Providers maps resource types to their providers
	// (provider.All builds Cognate's set).
	Providers map[string]Provider
	// SSM reads SSM parameters for SSM-typed template parameters and
	// {{resolve:ssm:...}} references; nil rejects both.
	SSM ParameterSource
	// Transform, when set, applies the transforms a template declares
	// other than AWS::LanguageExtensions (the SAM transform); nil rejects
	// such templates.
	Transform func(t *template.Template) (*template.Template, error)
	// Sealer encrypts every stored stack value that can hold a parameter
	// value (resource properties snapshots, undo records, the operation
	// journal, documents, event reasons) before it reaches Store; required.
	Sealer *sealer.Sealer
	Now    func() time.Time // defaults to time.Now
	Logger *slog.Logger     // defaults to slog.Default()
	// OnChange, when set, is called with a stack's id after every
	// operation that changed the stack's resources or tags has committed
	// or ended: a deploy that created or updated it (also one that rolled
	// back), a delete (also one that failed part-way), and each stack
	// Recover or RecoverAbandoned acted on. A no-change deploy and a
	// deploy refused before it began do not call it. It runs
	// synchronously on the operation's goroutine, before the operation
	// returns, so it must be fast and must not call back into the Engine
	// for the same stack; a consumer that needs more work (rebuilding the
	// gateway's route table) should signal its own goroutine.
	OnChange func(stackID string)
}

// Engine deploys and deletes stacks. It keeps no state between calls:
// everything is in the store.
type Engine struct {
	cfg Config
	// hook, when set (by tests), is called at named points of an
	// operation; a panic there simulates a crash.
	hook func(point, logicalID string)
}

// New returns an Engine over cfg. It panics when cfg.Sealer is nil.
func New(cfg Config) *Engine {
	if cfg.Sealer == nil {
		panic("stack: Config.Sealer is required")
	}
	cfg.Store = sealedStore{Store: cfg.Store, s: cfg.Sealer}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Providers == nil {
		cfg.Providers = map[string]Provider{}
	}
	return &Engine{cfg: cfg}
}

// Options adjusts one Deploy.
type Options struct {
	// Strict makes resource types Cognate does not emulate an error
	// instead of a warning.
	Strict bool
	// Transform, when set, replaces Config.Transform for this deploy (a
	// CLI passes one that loads AWS::Include files from the template's
	// directory).
	Transform func(t *template.Template) (*template.Template, error)
	// OnEvent, when set, receives every stack and resource event as it
	// happens, in order (a CLI prints a line for each).
	OnEvent func(Event)
	// Tags are the stack's tags. On a create, nil means none. On an
	// update, nil keeps the stack's tags as they are, and a non-nil slice
	// (even an empty one) replaces them [doc: UpdateStack "If you don't
	// specify this parameter, CloudFormation doesn't modify the stack's
	// tags"]; a deploy that changes only the tags is an update, not "no
	// changes".
	Tags []Tag
}

// Tag is one stack tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Event is one step of an operation, as DescribeStackEvents lists it.
// A stack's own events have LogicalID equal to the stack name and Type
// AWS::CloudFormation::Stack.
type Event struct {
	Time       time.Time
	StackName  string
	LogicalID  string
	PhysicalID string
	Type       string
	Status     string
	Reason     string
}

// DeployResult is the outcome of a Deploy.
type DeployResult struct {
	StackID string
	Status  string
	// NoChanges is true when the stack already was at this template and
	// these parameters: nothing was called or written.
	NoChanges bool
	Outputs   []Output
	// Warnings are the resources recorded without being emulated, the
	// properties accepted without being emulated, and what providers
	// reported (Result.Warnings), each prefixed with its logical id.
	Warnings []string
}

// The stack types and statuses the engine writes.
const (
	stackType = "AWS::CloudFormation::Stack"

	StatusCreateInProgress         = "CREATE_IN_PROGRESS"
	StatusCreateComplete           = "CREATE_COMPLETE"
	StatusRollbackInProgress       = "ROLLBACK_IN_PROGRESS"
	StatusRollbackComplete         = "ROLLBACK_COMPLETE"
	StatusUpdateInProgress         = "UPDATE_IN_PROGRESS"
	StatusUpdateCleanupInProgress  = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
	StatusUpdateComplete           = "UPDATE_COMPLETE"
	StatusUpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS"
	StatusUpdateRollbackComplete   = "UPDATE_ROLLBACK_COMPLETE"
	StatusDeleteInProgress         = "DELETE_IN_PROGRESS"
	StatusDeleteComplete           = "DELETE_COMPLETE"
	StatusDeleteFailed             = "DELETE_FAILED"
	StatusCreateFailed             = "CREATE_FAILED"
	StatusUpdateFailed             = "UPDATE_FAILED"
	StatusDeleteSkipped            = "DELETE_SKIPPED"
)

func (e *Engine) now() time.Time { return e.cfg.Now().UTC() }

// notifyChange calls Config.OnChange for the stack id.
func (e *Engine) notifyChange(id string) {
	if e.cfg.OnChange != nil && id != "" {
		e.cfg.OnChange(id)
	}
}

func (e *Engine) at(point, id string) {
	if e.hook != nil {
		e.hook(point, id)
	}
}

// newStackID returns a stack's ARN with a fresh UUID.
func (e *Engine) newStackID(region, name string) string {
	return fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/%s", region, e.cfg.AccountID, name, uuid())
}

func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
