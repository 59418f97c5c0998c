package ssm

import "time"

// Parameter types.
const (
	TypeString       = "String"
	TypeStringList   = "StringList"
	TypeSecureString = "SecureString"
)

// Parameter tiers. Intelligent-Tiering is a request, not a tier: it picks
// Standard or Advanced for each put.
const (
	TierStandard           = "Standard"
	TierAdvanced           = "Advanced"
	TierIntelligentTiering = "Intelligent-Tiering"
)

// Data types of a parameter's value.
const (
	DataTypeText        = "text"
	DataTypeEC2Image    = "aws:ec2:image"
	DataTypeIntegration = "aws:ssm:integration"
)

// DefaultKeyID is the KMS key of a SecureString parameter put without a
// KeyId: the account's AWS managed key for SSM [doc].
const DefaultKeyID = "alias/aws/ssm"

// Limits [doc].
const (
	// MaxVersions is how many versions of a parameter Parameter Store
	// keeps; a put beyond it drops the oldest.
	MaxVersions = 100
	// MaxHierarchyLevels is the deepest a name may be: "/a/b/c" has 3
	// levels.
	MaxHierarchyLevels = 15
	// MaxLabelsPerVersion is how many labels one version may carry.
	MaxLabelsPerVersion = 10
	// MaxStandardValueBytes and MaxAdvancedValueBytes bound a value of each
	// tier (4 KB and 8 KB).
	MaxStandardValueBytes = 4096
	MaxAdvancedValueBytes = 8192
)

// PutInput is a PutParameter request. Pointer fields are nil when the
// request leaves the member out, which matters on an overwrite: an absent
// member keeps the value of the version it replaces.
type PutInput struct {
	Name  string
	Value string
	// Type is required to create a parameter; "" keeps an existing one's.
	Type           string
	Overwrite      bool
	Description    *string
	KeyID          *string
	AllowedPattern *string
	// Tags are set when the parameter is created; they cannot be given
	// with Overwrite.
	Tags     []Tag
	Tier     string
	Policies *string
	DataType string
}

// Tag is a key and value attached to a parameter.
type Tag struct {
	Key   string
	Value string
}

// PutResult is what PutParameter returns: the version written and the tier
// the parameter has now.
type PutResult struct {
	Version int64
	Tier    string
}

// Parameter is one version of a parameter as GetParameter and its kin
// return it.
type Parameter struct {
	Name string
	Type string
	// Value is the value; for a SecureString read without decryption it is
	// the ciphertext, base64-encoded, as AWS returns the KMS blob.
	Value        string
	Version      int64
	LastModified time.Time
	ARN          string
	DataType     string
	// Selector is the ":version" or ":label" the caller asked for, or "".
	Selector string
}

// Metadata describes a parameter's newest version without its value, as
// DescribeParameters returns it.
type Metadata struct {
	Name             string
	ARN              string
	Type             string
	KeyID            string // "" unless the parameter is a SecureString
	LastModified     time.Time
	LastModifiedUser string
	Description      string
	AllowedPattern   string
	Version          int64
	Tier             string
	DataType         string
}

// HistoryEntry is one version of a parameter as GetParameterHistory returns
// it: its metadata, value and labels.
type HistoryEntry struct {
	Metadata
	Value  string
	Labels []string
}

// Filter is a ParameterStringFilter: a Key (Name, Type, KeyId, Path, Tier,
// DataType, Label or tag:<key>), an Option (Equals, BeginsWith, Contains,
// OneLevel, Recursive; "" for the key's default) and the Values to match.
type Filter struct {
	Key    string
	Option string
	Values []string
}

// PathQuery is a GetParametersByPath request.
type PathQuery struct {
	Path       string
	Recursive  bool
	Filters    []Filter
	Decrypt    bool
	MaxResults int // 0 when absent
	NextToken  string
}

// DescribeQuery is a DescribeParameters request. Filters are the
// deprecated ParametersFilter list (keys Name, Type, KeyId); a request may
// use them or ParameterFilters, not both.
type DescribeQuery struct {
	Filters          []Filter
	ParameterFilters []Filter
	Shared           bool
	MaxResults       int // 0 when absent
	NextToken        string
}

// HistoryQuery is a GetParameterHistory request.
type HistoryQuery struct {
	Name       string
	Decrypt    bool
	MaxResults int // 0 when absent
	NextToken  string
}

// LabelResult is what LabelParameterVersion returns: the labels that break
// the label rules (and were not attached) and the version labelled.
type LabelResult struct {
	InvalidLabels []string
	Version       int64
}

// UnlabelResult is what UnlabelParameterVersion returns.
type UnlabelResult struct {
	RemovedLabels []string
	// InvalidLabels are the labels the version did not carry.
	InvalidLabels []string
}
