package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned (wrapped, compare with errors.Is) when a record
// does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned (wrapped) when a create or update would break a
// uniqueness constraint enforced by the database.
var ErrConflict = errors.New("store: conflict")

// Pool is a user pool. Settings is an opaque JSON document owned by the
// identity package (policies, schema, token settings); the store never reads
// it.
type Pool struct {
	ID        string // e.g. us-east-1_AbCdEfGhI
	Region    string
	Name      string
	Settings  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Domain is a hosted-UI domain: a prefix domain or a custom domain. Domain
// names are unique across the whole store; a pool has at most one of each
// kind.
type Domain struct {
	Domain    string // prefix ("andmoredev") or fully qualified custom domain
	PoolID    string
	Custom    bool
	Settings  []byte // opaque JSON owned by identity (certificate ARN, version)
	CreatedAt time.Time
}

// ResourceServer is an OAuth 2.0 resource server with its scopes.
// (PoolID, Identifier) is unique.
type ResourceServer struct {
	PoolID     string
	Identifier string
	Name       string
	Scopes     []Scope
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Scope is one scope of a resource server.
type Scope struct {
	Name        string
	Description string
}

// Client is an app client. ID is unique across the store. SecretSealed is the
// client secret sealed by package sealer, or nil for a public client.
// Settings is opaque JSON owned by identity.
type Client struct {
	ID           string
	PoolID       string
	Name         string
	SecretSealed []byte
	Settings     []byte
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SigningKey is one RSA key pair of a pool. Use is "access" or "id": Cognito
// signs the two token kinds with different keys. PrivateSealed is the
// PKCS#8 private key sealed by package sealer. The newest key of a Use is
// the active one; older keys stay published until RetireAt, after which no
// token they signed can still be valid.
type SigningKey struct {
	PoolID        string
	KID           string
	Use           string
	Algorithm     string // "RS256"
	PublicJWK     []byte // the public key as a JWK JSON object
	PrivateSealed []byte
	CreatedAt     time.Time
	RetireAt      *time.Time // nil while the key is active
}

// Times are stored with microsecond precision and come back in UTC. Nil
// and empty byte slices and scope lists round-trip exactly. Update
// closures may not change a record's key fields (its ID, or the owning
// PoolID). Domain names are compared exactly: callers lower-case them.

// GrantContext is what one token request needs from the store, read in one
// query: the token endpoint is the hot path, and each separate read costs
// a few microseconds of a signature's budget.
type GrantContext struct {
	Client       Client
	DomainPoolID string      // the pool that owns the request's domain; "" when none does
	ActiveKey    *SigningKey // the client's pool's active key of the asked use; nil when none
	// DefinedScopes are the "{identifier}/{scope}" names of every scope of
	// the client's pool's resource servers, in no particular order.
	DefinedScopes []string
}

// VerifyContext is what checking one bearer token of a local pool needs
// from the store, read in one query: the API gateway's authorizer reads it
// on every authorized request, so that a deleted client or pool is refused
// at once.
type VerifyContext struct {
	PoolExists bool
	// Key is the pool's signing key with the asked kid, whether active,
	// retiring or past its RetireAt but not yet deleted (the caller decides
	// what is still published); nil when the pool has no such key. Its
	// PrivateSealed is always nil: checking a signature needs only the
	// public key.
	Key *SigningKey
	// ClientExists reports whether the pool has an app client with the
	// asked ID.
	ClientExists bool
}

// Page asks for one page of a listing ordered by key: records whose key is
// greater than After, at most Limit of them (Limit <= 0 means no limit).
type Page struct {
	After string
	Limit int
}

// Store is the persistence contract. Every method takes ctx first. Update
// methods take a closure that the backend runs inside its transaction with
// the current record; the closure returns the record to write, or an error
// that aborts the update and is returned unchanged.
type Store interface {
	// Pools. DeletePool also deletes everything that belongs to the pool
	// (domains, resource servers, clients, keys).
	CreatePool(ctx context.Context, p Pool) error
	GetPool(ctx context.Context, id string) (Pool, error)
	// ListPools lists the pools of one region ordered by ID.
	ListPools(ctx context.Context, region string, page Page) ([]Pool, error)
	UpdatePool(ctx context.Context, id string, fn func(Pool) (Pool, error)) error
	DeletePool(ctx context.Context, id string) error

	// Domains.
	CreateDomain(ctx context.Context, d Domain) error
	GetDomain(ctx context.Context, domain string) (Domain, error)
	// ListDomainsByPool returns the pool's domains (zero, one or two).
	ListDomainsByPool(ctx context.Context, poolID string) ([]Domain, error)
	UpdateDomain(ctx context.Context, domain string, fn func(Domain) (Domain, error)) error
	DeleteDomain(ctx context.Context, domain string) error

	// Resource servers, listed by Identifier.
	CreateResourceServer(ctx context.Context, rs ResourceServer) error
	GetResourceServer(ctx context.Context, poolID, identifier string) (ResourceServer, error)
	ListResourceServers(ctx context.Context, poolID string, page Page) ([]ResourceServer, error)
	CountResourceServers(ctx context.Context, poolID string) (int, error)
	UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(ResourceServer) (ResourceServer, error)) error
	DeleteResourceServer(ctx context.Context, poolID, identifier string) error

	// GetGrantContext reads, in one query, the client with clientID, the
	// pool that owns domain, and the active key of keyUse and the defined
	// scopes of the client's pool. It returns ErrNotFound when no client has clientID.
	GetGrantContext(ctx context.Context, domain, clientID, keyUse string) (GrantContext, error)

	// GetVerifyContext reads, in one query, whether pool poolID exists,
	// its signing key kid (retired or not) and whether it has an app
	// client clientID. What is missing is reported in the result, never
	// as an ErrNotFound.
	GetVerifyContext(ctx context.Context, poolID, kid, clientID string) (VerifyContext, error)

	// App clients, listed by ID.
	CreateClient(ctx context.Context, c Client) error
	GetClient(ctx context.Context, id string) (Client, error)
	ListClients(ctx context.Context, poolID string, page Page) ([]Client, error)
	CountClients(ctx context.Context, poolID string) (int, error)
	UpdateClient(ctx context.Context, id string, fn func(Client) (Client, error)) error
	DeleteClient(ctx context.Context, id string) error

	// Signing keys. ListSigningKeys returns the pool's keys, newest first
	// (keys created in the same microsecond by KID).
	AddSigningKey(ctx context.Context, k SigningKey) error
	ListSigningKeys(ctx context.Context, poolID string) ([]SigningKey, error)
	// RetireSigningKeys sets RetireAt on every key of the pool and use that
	// has none yet, except the key named keep.
	RetireSigningKeys(ctx context.Context, poolID, use, keep string, retireAt time.Time) error
	// DeleteRetiredKeys deletes keys whose RetireAt is before now.
	DeleteRetiredKeys(ctx context.Context, now time.Time) (int, error)

	// Meta is a small key/value table for store-wide facts (for example the
	// check value that proves the master key matches the data).
	// PutMetaIfAbsent stores value unless key exists, and returns the value
	// that is stored afterwards.
	GetMeta(ctx context.Context, key string) ([]byte, error)
	PutMetaIfAbsent(ctx context.Context, key string, value []byte) ([]byte, error)

	// SSM parameters, keyed by (Region, Name). A parameter keeps its
	// versions, numbered from 1; the newest is its current state.
	//
	// PutParameter writes a new version of the parameter in one
	// transaction. fn receives the newest version and the oldest version
	// still kept (both nil when the parameter does not exist) and returns
	// the version to write: its Region and Name must be those given, its
	// Version one more than the newest's (1 for a new parameter); its
	// Labels are ignored, and its Tags replace the parameter's. Then, when
	// keep > 0, the oldest versions (with their labels) are deleted until
	// at most keep remain. fn's error is returned unchanged, and then
	// nothing is written. Concurrent puts of one parameter run one after
	// another: no version is lost or written twice.
	PutParameter(ctx context.Context, region, name string, keep int, fn func(newest, oldest *Parameter) (Parameter, error)) error
	// GetParameter returns the newest version of a parameter, or an
	// ErrNotFound.
	GetParameter(ctx context.Context, region, name string) (Parameter, error)
	// GetParameterVersion returns one kept version of a parameter, or an
	// ErrNotFound when the parameter or that version does not exist.
	GetParameterVersion(ctx context.Context, region, name string, version int64) (Parameter, error)
	// GetParameterByLabel returns the version of a parameter that carries
	// label, or an ErrNotFound.
	GetParameterByLabel(ctx context.Context, region, name, label string) (Parameter, error)
	// ListParameters returns one page of the newest versions of the
	// region's parameters that sel selects, ordered by Name.
	ListParameters(ctx context.Context, region string, sel ParameterSelection, page Page) ([]Parameter, error)
	// ListParameterVersions returns the kept versions of a parameter whose
	// Version is greater than after, oldest first, at most limit of them
	// (limit <= 0 means no limit); an ErrNotFound when the parameter does
	// not exist.
	ListParameterVersions(ctx context.Context, region, name string, after int64, limit int) ([]Parameter, error)
	// DeleteParameter deletes a parameter with every version and label; a
	// missing one is an ErrNotFound.
	DeleteParameter(ctx context.Context, region, name string) error
	// LabelParameterVersion attaches labels to one version of a parameter,
	// moving any of them that another version carries (a label names at
	// most one version of a parameter). An ErrNotFound when the parameter
	// or the version does not exist.
	LabelParameterVersion(ctx context.Context, region, name string, version int64, labels []string) error
	// UnlabelParameterVersion detaches labels from one version of a
	// parameter and returns those that were attached to it, in the order
	// given. An ErrNotFound when the parameter or the version does not
	// exist.
	UnlabelParameterVersion(ctx context.Context, region, name string, version int64, labels []string) ([]string, error)

	// CloudFormation stacks, keyed by ID; (Region, Name) is unique among
	// the stacks that exist (a deleted stack's row is removed). Deleting a
	// stack deletes its resources, events and exports.
	CreateStack(ctx context.Context, st Stack) error
	// GetStack returns the stack of a region with name, or an ErrNotFound.
	GetStack(ctx context.Context, region, name string) (Stack, error)
	// ListStacks returns the stacks of region ("" for every region),
	// ordered by region and name.
	ListStacks(ctx context.Context, region string) ([]Stack, error)
	UpdateStack(ctx context.Context, id string, fn func(Stack) (Stack, error)) error
	DeleteStack(ctx context.Context, id string) error
	// PutStackResource writes a stack's resource, replacing the one with
	// the same LogicalID; an ErrNotFound when the stack does not exist.
	PutStackResource(ctx context.Context, r StackResource) error
	// ListStackResources returns a stack's resources ordered by LogicalID.
	ListStackResources(ctx context.Context, stackID string) ([]StackResource, error)
	DeleteStackResource(ctx context.Context, stackID, logicalID string) error
	// AddStackEvent appends an event to a stack; the store numbers it
	// (Seq), and the number is returned.
	AddStackEvent(ctx context.Context, e StackEvent) (int64, error)
	// ListStackEvents returns a stack's events, oldest first.
	ListStackEvents(ctx context.Context, stackID string) ([]StackEvent, error)
	// SetStackExports replaces a stack's exports with exports (name to
	// value). A name another stack of the region exports is an
	// ErrConflict, and then nothing changes.
	SetStackExports(ctx context.Context, stackID, region string, exports map[string]string) error
	// GetStackExport returns the export of a region with name, or an
	// ErrNotFound.
	GetStackExport(ctx context.Context, region, name string) (StackExport, error)

	// API Gateway REST APIs, their parts, deployments and stages, and
	// Lambda functions. Every write to them adds one to the gateway
	// generation in the same transaction (see GatewayGeneration).
	//
	// DeleteRestAPI also deletes the API's parts, deployments and stages.
	CreateRestAPI(ctx context.Context, a RestAPI) error
	GetRestAPI(ctx context.Context, id string) (RestAPI, error)
	// ListRestAPIs returns the APIs of region ("" for every region),
	// ordered by region and ID.
	ListRestAPIs(ctx context.Context, region string) ([]RestAPI, error)
	UpdateRestAPI(ctx context.Context, id string, fn func(RestAPI) (RestAPI, error)) error
	DeleteRestAPI(ctx context.Context, id string) error
	// PutAPIPart writes a part of an API, replacing the one with the same
	// (Kind, ID); an ErrNotFound when the API does not exist.
	PutAPIPart(ctx context.Context, p APIPart) error
	// ListAPIParts returns an API's parts ordered by Kind and ID.
	ListAPIParts(ctx context.Context, apiID string) ([]APIPart, error)
	DeleteAPIPart(ctx context.Context, apiID, kind, id string) error
	// CreateDeployment inserts a deployment; an ErrNotFound when its API
	// does not exist, an ErrConflict when its ID is taken.
	CreateDeployment(ctx context.Context, d Deployment) error
	GetDeployment(ctx context.Context, apiID, id string) (Deployment, error)
	// DeleteDeployment deletes a deployment; an ErrConflict when a stage
	// still points to it.
	DeleteDeployment(ctx context.Context, apiID, id string) error
	// CreateStage inserts a stage; an ErrNotFound when its API or
	// deployment does not exist, an ErrConflict when the name is taken.
	CreateStage(ctx context.Context, st Stage) error
	GetStage(ctx context.Context, apiID, name string) (Stage, error)
	// ListStages returns an API's stages ordered by Name.
	ListStages(ctx context.Context, apiID string) ([]Stage, error)
	UpdateStage(ctx context.Context, apiID, name string, fn func(Stage) (Stage, error)) error
	DeleteStage(ctx context.Context, apiID, name string) error
	// ListDeployedStages returns every stage of every API with its API
	// and deployment, ordered by API ID and stage name: the gateway's
	// whole route source in one query.
	ListDeployedStages(ctx context.Context) ([]DeployedStage, error)
	// CreateFunction inserts a function; (Region, Name) and ARN are
	// unique.
	CreateFunction(ctx context.Context, f Function) error
	GetFunction(ctx context.Context, region, name string) (Function, error)
	GetFunctionByARN(ctx context.Context, arn string) (Function, error)
	// ListFunctions returns every function, ordered by region and name.
	ListFunctions(ctx context.Context) ([]Function, error)
	UpdateFunction(ctx context.Context, region, name string, fn func(Function) (Function, error)) error
	DeleteFunction(ctx context.Context, region, name string) error
	// GatewayGeneration returns a number that every committed write to
	// APIs, parts, deployments, stages and functions (and Reset) makes
	// larger: a node compares it with the one its route table was built
	// at to know when to rebuild. One cheap query.
	GatewayGeneration(ctx context.Context) (int64, error)
	// BumpGatewayGeneration makes the gateway generation larger without
	// another write: for changes the route table depends on that live
	// elsewhere (a stack's upstream tags).
	BumpGatewayGeneration(ctx context.Context) error

	// InTx runs fn with a Store bound to one transaction: every call on it
	// commits together when fn returns nil, or not at all. Inside fn, use
	// only the Store passed to it (the outer Store would wait on the
	// transaction's write lock on SQLite). A nested InTx runs in a
	// savepoint of the same transaction. PostgreSQL may retry fn (and
	// Update closures) after a serialization failure, so they must have no
	// side effects beyond the Store.
	InTx(ctx context.Context, fn func(Store) error) error

	// Reset deletes every record of every kind except Meta, whose
	// store-wide facts (such as the master-key check) outlive a reset.
	Reset(ctx context.Context) error
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Parameter is one version of an SSM parameter. (Region, Name) identifies
// the parameter; Version numbers its versions from 1. Value is stored as
// given: plain text for String and StringList parameters, sealed by package
// sealer for SecureString ones. Every string field is opaque to the store,
// which checks none of SSM's rules.
type Parameter struct {
	Region         string
	Name           string
	Version        int64
	Type           string
	Value          []byte
	Description    string
	AllowedPattern string
	KeyID          string
	Tier           string
	DataType       string
	ModifiedAt     time.Time
	// Labels are the labels attached to this version, sorted; nil when
	// there are none.
	Labels []string
	// Tags belong to the parameter, not to a version: every read returns
	// the parameter's current tags. nil and an empty map round-trip.
	Tags map[string]string
}

// ParameterSelection chooses the parameters a listing returns.
type ParameterSelection struct {
	// Prefix keeps the names that begin with it; "" keeps every name.
	Prefix string
	// Children keeps only the names that have no "/" after Prefix: the
	// direct children of the hierarchy path Prefix, which should then be
	// "" (the root) or end with "/".
	Children bool
}

// Stack is a CloudFormation stack. ID is its ARN
// (arn:aws:cloudformation:{region}:{account}:stack/{name}/{uuid}).
// Template is the template body as given. Document and Operation are
// opaque JSON owned by package stack: Document holds the deployed
// version's parameters (with their NoEcho flags), outputs, exports and the
// imports and SSM parameters it read; Operation is the journal of the
// operation in progress (nil when none), written before the operation acts
// so that a crash can be rolled back.
type Stack struct {
	ID           string
	Region       string
	Name         string
	Status       string
	StatusReason string
	Template     []byte
	Document     []byte
	Operation    []byte
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// StackResource is one resource of a stack. Properties is the JSON of the
// resolved properties the resource was last deployed with, Attributes the
// JSON of its Fn::GetAtt values. Rollback is opaque JSON owned by package
// stack: what undoing the operation in progress needs for this resource
// (nil when the operation has not touched it).
type StackResource struct {
	StackID    string
	LogicalID  string
	Type       string
	PhysicalID string
	Status     string
	Properties []byte
	Attributes []byte
	Rollback   []byte
	UpdatedAt  time.Time
}

// StackEvent is one line of a stack's history, as DescribeStackEvents
// returns it. Seq numbers a stack's events from 1.
type StackEvent struct {
	StackID    string
	Seq        int64
	EventID    string
	LogicalID  string
	PhysicalID string
	Type       string
	Status     string
	Reason     string
	Timestamp  time.Time
}

// StackExport is one output a stack exports. (Region, Name) is unique.
type StackExport struct {
	Region  string
	Name    string
	StackID string
	Value   string
}

// RestAPI is an API Gateway REST API. ID is its 10-character id; StackID
// the stack that owns it ("" when none). Definition is opaque JSON owned
// by package apigw: the API's current definition without its parts,
// which are records of their own (APIPart).
type RestAPI struct {
	ID         string
	Region     string
	Name       string
	StackID    string
	Definition []byte
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// APIPart is one AWS::ApiGateway::* resource of an API (a resource, a
// method, an authorizer...). (APIID, Kind, ID) is unique. Properties is
// opaque JSON owned by package apigw.
type APIPart struct {
	APIID      string
	Kind       string
	ID         string
	Properties []byte
	UpdatedAt  time.Time
}

// Deployment is a snapshot of an API. (APIID, ID) is unique. Definition
// is opaque JSON owned by package apigw: the whole definition, parts
// included, as it was when the deployment was made.
type Deployment struct {
	APIID       string
	ID          string
	Description string
	Definition  []byte
	CreatedAt   time.Time
}

// Stage is a named stage of an API, serving one of its deployments.
// (APIID, Name) is unique. Variables is opaque JSON owned by package
// apigw.
type Stage struct {
	APIID        string
	Name         string
	DeploymentID string
	Variables    []byte
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DeployedStage is a stage joined with its API and deployment: what the
// gateway serves at /{stage} of the API.
type DeployedStage struct {
	Region       string
	APIID        string
	APIName      string
	StageName    string
	DeploymentID string
	Variables    []byte
	Definition   []byte // the deployment's
}

// Function is a Lambda function. (Region, Name) and ARN are unique.
// Code is opaque JSON (the Code property); EnvironmentSealed is the JSON
// of its environment variables sealed by package sealer (nil when it has
// none), since they may hold secrets.
type Function struct {
	Region            string
	Name              string
	ARN               string
	StackID           string
	LogicalID         string
	Runtime           string
	Handler           string
	Code              []byte
	EnvironmentSealed []byte
	Timeout           int
	MemorySize        int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}
