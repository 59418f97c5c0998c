package intrinsic

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// The pseudo parameters: names that Ref and Fn::Sub resolve without a
// declaration in the template.
const (
	AccountID        = "AWS::AccountId"
	Region           = "AWS::Region"
	StackName        = "AWS::StackName"
	StackID          = "AWS::StackId"
	Partition        = "AWS::Partition"
	URLSuffix        = "AWS::URLSuffix"
	NotificationARNs = "AWS::NotificationARNs"
	// NoValue removes the property, or list item, whose value it is.
	NoValue = "AWS::NoValue"
)

// Pseudo holds the pseudo parameters' values for one stack.
type Pseudo struct {
	AccountID        string
	Region           string
	StackName        string
	StackID          string
	Partition        string
	URLSuffix        string
	NotificationARNs []string
}

// NewPseudo returns the pseudo parameters of a stack, with the partition
// and URL suffix that AWS uses for the region.
func NewPseudo(accountID, region, stackName, stackID string) Pseudo {
	p := Pseudo{AccountID: accountID, Region: region, StackName: stackName, StackID: stackID,
		Partition: "aws", URLSuffix: "amazonaws.com"}
	switch {
	case strings.HasPrefix(region, "cn-"):
		p.Partition, p.URLSuffix = "aws-cn", "amazonaws.com.cn"
	case strings.HasPrefix(region, "us-gov-"):
		p.Partition = "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		p.Partition, p.URLSuffix = "aws-iso-b", "sc2s.sgov.gov"
	case strings.HasPrefix(region, "us-iso-"):
		p.Partition, p.URLSuffix = "aws-iso", "c2s.ic.gov"
	}
	return p
}

// value returns a pseudo parameter's value; ok is false for an unknown
// name. AWS::NoValue is not a value and is handled by the evaluator.
func (p Pseudo) value(name string) (*template.Node, bool) {
	switch name {
	case AccountID:
		return template.NewString(p.AccountID), true
	case Region:
		return template.NewString(p.Region), true
	case StackName:
		return template.NewString(p.StackName), true
	case StackID:
		return template.NewString(p.StackID), true
	case Partition:
		return template.NewString(p.Partition), true
	case URLSuffix:
		return template.NewString(p.URLSuffix), true
	case NotificationARNs:
		return template.NewStringList(p.NotificationARNs), true
	}
	return nil, false
}

// ErrUnknown is what a Context's Ref and GetAtt wrap when the template
// has no resource of the logical id asked for. The evaluator then reports
// the name as undeclared.
var ErrUnknown = errors.New("no such resource")

// Context supplies what intrinsic functions read from the stack being
// evaluated. The deployer implements it over a stack's parameters and
// resources; Values is a ready-made one.
type Context interface {
	// Pseudo returns the pseudo parameters' values.
	Pseudo() Pseudo
	// Parameter returns a template parameter's resolved value: a String,
	// or a Sequence of Strings for the List<...> and CommaDelimitedList
	// types. ok is false when the template declares no such parameter.
	Parameter(name string) (value *template.Node, ok bool)
	// Mapping returns one map of the Mappings section (top-level keys to
	// second-level keys to values). ok is false when there is none.
	Mapping(name string) (m *template.Node, ok bool)
	// Condition returns a condition's value. ok is false when the
	// Conditions section declares no such condition.
	Condition(name string) (value, ok bool)
	// Ref returns the value of Ref for a resource: usually its physical
	// id. An error that wraps ErrUnknown means there is no such resource.
	Ref(logicalID string) (*template.Node, error)
	// GetAtt returns one attribute of a resource. An error that wraps
	// ErrUnknown means there is no such resource.
	GetAtt(logicalID, attribute string) (*template.Node, error)
	// ImportValue returns the value another stack exported under name.
	ImportValue(name string) (*template.Node, error)
}

// Values is a Context made of plain values and callbacks. A nil map or
// callback knows no names: every lookup through it fails.
type Values struct {
	PseudoParams Pseudo
	Params       map[string]*template.Node
	// Mappings is the template's Mappings section.
	Mappings   *template.Node
	Conditions map[string]bool
	RefFunc    func(logicalID string) (*template.Node, error)
	GetAttFunc func(logicalID, attribute string) (*template.Node, error)
	ImportFunc func(name string) (*template.Node, error)
}

var _ Context = (*Values)(nil)

// Pseudo returns v.PseudoParams.
func (v *Values) Pseudo() Pseudo { return v.PseudoParams }

// Parameter looks name up in v.Params.
func (v *Values) Parameter(name string) (*template.Node, bool) {
	n, ok := v.Params[name]
	return n, ok
}

// Mapping looks name up in v.Mappings.
func (v *Values) Mapping(name string) (*template.Node, bool) {
	m := v.Mappings.Get(name)
	return m, m != nil
}

// Condition looks name up in v.Conditions.
func (v *Values) Condition(name string) (bool, bool) {
	c, ok := v.Conditions[name]
	return c, ok
}

// Ref calls v.RefFunc.
func (v *Values) Ref(logicalID string) (*template.Node, error) {
	if v.RefFunc == nil {
		return nil, fmt.Errorf("%w %q", ErrUnknown, logicalID)
	}
	return v.RefFunc(logicalID)
}

// GetAtt calls v.GetAttFunc.
func (v *Values) GetAtt(logicalID, attribute string) (*template.Node, error) {
	if v.GetAttFunc == nil {
		return nil, fmt.Errorf("%w %q", ErrUnknown, logicalID)
	}
	return v.GetAttFunc(logicalID, attribute)
}

// ImportValue calls v.ImportFunc.
func (v *Values) ImportValue(name string) (*template.Node, error) {
	if v.ImportFunc == nil {
		return nil, fmt.Errorf("no stack exports %q", name)
	}
	return v.ImportFunc(name)
}
