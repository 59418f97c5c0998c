package gateway

import (
	"context"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/authorizer"
)

// Source is what the gateway reads from the store: every deployed stage,
// and a number that changes whenever any of them may have.
type Source interface {
	// Stages returns every stage of every deployed REST API.
	Stages(ctx context.Context) ([]Stage, error)
	// Generation returns a value that differs from the last one returned
	// whenever a stage, deployment or API changed since.
	Generation(ctx context.Context) (int64, error)
}

// Stage is one deployed stage of a REST API, with the definition its
// deployment snapshotted.
type Stage struct {
	// Region is the API's region.
	Region string
	// APIID is the REST API id, the first label of its execute-api host.
	APIID string
	// APIName is the REST API's name, for logs.
	APIName string
	// StageName is the stage's name, the first segment of the path.
	StageName string
	// DeploymentID is the id of the deployment the stage serves.
	DeploymentID string
	// Variables are the stage variables (${stageVariables.x}).
	Variables map[string]string
	// Definition is the deployment's API definition.
	Definition apimodel.Definition
}

// Upstreams resolves the HTTP service a Lambda function's routes were
// pointed at (cognate deploy --upstream Logical=http://host:port).
type Upstreams interface {
	// Upstream returns the base URL for the function, and false when the
	// function has none.
	Upstream(ctx context.Context, functionARN string) (url string, ok bool, err error)
}

// Verifier checks the token a Cognito authorizer reads. The concrete
// *authorizer.Verifier satisfies it; tests use fakes.
type Verifier interface {
	// Verify returns the token's claims, a *authorizer.Denial for a token
	// that must get 401, or another error for a misconfigured authorizer.
	Verify(ctx context.Context, cfg authorizer.Config, header string) (authorizer.Result, error)
}
