package stack

import (
	"encoding/json"
	"time"
)

// document is the JSON of store.Stack.Document: the deployed version of a
// stack beyond its template.
type document struct {
	Parameters []Parameter `json:"parameters,omitempty"`
	// ParamHash fingerprints the parameter values given (NoEcho values
	// included), so that a redeploy with the same ones is "no changes"
	// without keeping NoEcho values.
	ParamHash string   `json:"paramHash,omitempty"`
	Outputs   []Output `json:"outputs,omitempty"`
	// Order is the order the resources were deployed in; Delete goes
	// backwards through it.
	Order []string `json:"order,omitempty"`
	// Imports are the export names the stack's template imports.
	Imports []string `json:"imports,omitempty"`
	// SSMReads are the SSM parameter names its parameters and dynamic
	// references read.
	SSMReads []string `json:"ssmReads,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// ResourceWarnings are the warnings providers returned, by logical
	// id, as of each resource's last create or update (kept for the
	// resources a later deploy leaves alone).
	ResourceWarnings map[string][]string `json:"resourceWarnings,omitempty"`
	// Tags are the stack's tags.
	Tags []Tag `json:"tags,omitempty"`
	// Retain lists the resources whose DeletionPolicy is Retain: deleting
	// them (from the stack or the template) only forgets them.
	Retain []string `json:"retain,omitempty"`
}

// Parameter is one parameter of a deployed stack as DescribeStacks shows
// it: NoEcho values are masked.
type Parameter struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	// ResolvedValue is the SSM parameter's value for an
	// AWS::SSM::Parameter::Value<...> parameter.
	ResolvedValue string `json:"resolved,omitempty"`
	NoEcho        bool   `json:"noEcho,omitempty"`
}

// Output is one output of a deployed stack.
type Output struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	Description string `json:"description,omitempty"`
	ExportName  string `json:"exportName,omitempty"`
}

// operation is the JSON of store.Stack.Operation: the journal of the
// operation in progress. Each resource the operation touches carries its
// own undo record (store.StackResource.Rollback, an undo value), written
// before the provider is called.
type operation struct {
	Kind string `json:"kind"` // create, update, delete
	// Phase is "apply" while resources change, "cleanup" once the new
	// version is committed and only deletions of replaced and removed
	// resources remain, "rollback" while undoing.
	Phase   string    `json:"phase"`
	Started time.Time `json:"started"`
	// Previous is the stack as it was before the operation, restored on
	// rollback.
	PrevStatus   string          `json:"prevStatus,omitempty"`
	PrevTemplate []byte          `json:"prevTemplate,omitempty"`
	PrevDocument json.RawMessage `json:"prevDocument,omitempty"`
	// Touched lists, in order, the logical ids the operation changed.
	Touched []string `json:"touched,omitempty"`
	// Cleanup lists what the cleanup phase deletes, in order.
	Cleanup []cleanupItem `json:"cleanup,omitempty"`
}

// cleanupItem is one deletion of the cleanup phase: a replaced resource's
// old physical resource, or a resource removed from the template (Removed
// true: its row goes too).
type cleanupItem struct {
	LogicalID  string          `json:"logicalId"`
	Type       string          `json:"type"`
	PhysicalID string          `json:"physicalId"`
	Properties json.RawMessage `json:"properties,omitempty"`
	Removed    bool            `json:"removed,omitempty"`
	// Retain keeps the physical resource (DeletionPolicy or
	// UpdateReplacePolicy Retain): only the record goes.
	Retain bool `json:"retain,omitempty"`
}

// undo is the JSON of store.StackResource.Rollback: how to undo what the
// operation in progress did to one resource.
type undo struct {
	Action string `json:"action"` // create, update, replace
	// Planned is the physical id the resource being created will have,
	// when the provider knows it beforehand (PlannedID).
	Planned string `json:"planned,omitempty"`
	// The resource before the operation (update and replace).
	PhysicalID string          `json:"physicalId,omitempty"`
	Type       string          `json:"type,omitempty"`
	Status     string          `json:"status,omitempty"`
	Properties json.RawMessage `json:"properties,omitempty"`
	Attributes json.RawMessage `json:"attributes,omitempty"`
}
