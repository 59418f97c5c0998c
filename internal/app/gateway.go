package app

import (
	"context"
	"errors"
	"log/slog"
	"net"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/config"
	"github.com/cognatehq/cognate/internal/gateway"
	"github.com/cognatehq/cognate/internal/gateway/authorizer"
	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/stack"
)

// UpstreamTagPrefix starts the stack tag that points a function's routes
// at an HTTP service: cognate:upstream:{LogicalId} = http://host:port
// (cognate deploy --upstream LogicalId=URL sends it).
const UpstreamTagPrefix = "cognate:upstream:"

// newGateway builds the gateway over the apigw domain, the identity
// service's keys and the stacks' upstream tags.
func newGateway(cfg config.Config, listenAddr string, gw *apigw.Service, ids *identity.Service, stacks *stack.Engine, reg prometheus.Registerer, log *slog.Logger) *gateway.Gateway {
	host, _, _ := net.SplitHostPort(listenAddr)
	return gateway.New(gateway.Config{
		Source:    gatewaySource{gw},
		Upstreams: stackUpstreams{gw: gw, stacks: stacks},
		Verifier:  authorizer.New(authorizer.Options{Keys: ids.TokenKeys()}),
		Logger:    log,
		// The reason header tells whoever calls why a token failed: fine
		// on a developer's machine, not on a listener others reach.
		ExplainDenials: cfg.ExplainDenials && config.IsLoopbackHost(host),
		DefaultTimeout: cfg.GatewayTimeout,
		AccountID:      cfg.AccountID,
		Region:         cfg.Region,
		Registerer:     reg,
	})
}

// gatewaySource adapts the apigw domain to gateway.Source.
type gatewaySource struct{ gw *apigw.Service }

func (s gatewaySource) Stages(ctx context.Context) ([]gateway.Stage, error) {
	deployed, err := s.gw.Stages(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]gateway.Stage, len(deployed))
	for i, d := range deployed {
		out[i] = gateway.Stage(d)
	}
	return out, nil
}

func (s gatewaySource) Generation(ctx context.Context) (int64, error) { return s.gw.Generation(ctx) }

// stackUpstreams finds a function's upstream in the tags of the stack
// that created it.
type stackUpstreams struct {
	gw     *apigw.Service
	stacks *stack.Engine
}

func (u stackUpstreams) Upstream(ctx context.Context, functionARN string) (string, bool, error) {
	fn, err := u.gw.FunctionByARN(ctx, functionARN)
	if apigw.KindOf(err) == apigw.KindNotFound {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if fn.StackID == "" || fn.LogicalID == "" {
		return "", false, nil
	}
	st, err := u.stacks.Describe(ctx, fn.Region, fn.StackID)
	if errors.Is(err, stack.ErrStackNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	for _, t := range st.Tags {
		if t.Key == UpstreamTagPrefix+fn.LogicalID {
			return t.Value, true, nil
		}
	}
	return "", false, nil
}
