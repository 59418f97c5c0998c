package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognatehq/cognate/internal/awsapi"
	"github.com/cognatehq/cognate/internal/config"
	"github.com/cognatehq/cognate/internal/gateway"
	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/oauth"
	"github.com/cognatehq/cognate/internal/server"
	"github.com/cognatehq/cognate/internal/sigv4"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
)

// buildServer wires the wire adapters around the identity service.
func buildServer(cfg config.Config, ids *identity.Service, params *ssm.Service, stacks *stack.Engine, gw *gateway.Gateway, reg *prometheus.Registry, log *slog.Logger) (*server.Server, error) {
	verifier := newVerifier(cfg)
	oa, err := oauth.New(oauth.Config{Identity: ids, PublicURL: cfg.PublicURL, Logger: log, Metrics: reg})
	if err != nil {
		return nil, err
	}
	publicHost := ""
	if u, err := url.Parse(cfg.PublicURL); err == nil {
		publicHost = strings.ToLower(u.Hostname())
	}
	return server.New(server.Config{
		Logger:         log,
		Registry:       reg,
		Cognito:        awsapi.NewCognito(ids, verifier, cfg.Region, log),
		SSM:            awsapi.NewSSM(params, verifier, cfg.Region, log),
		CloudFormation: awsapi.NewCloudFormation(stacks, verifier, cfg.Region, log),
		Domains:        oa,
		Admin:          admin{ids: ids, verifier: verifier, afterReset: gw.Invalidate},
		AllowReset:     cfg.AllowReset,
		SignedAdmin:    cfg.AccessKeyID != "",
		PublicHost:     publicHost,
		Gateway:        gw,
		GatewayTimeout: cfg.GatewayTimeout,
	}), nil
}

// newVerifier checks SigV4 signatures against the configured admin
// credentials; with none configured (allowed on loopback only, see
// config.Validate) it accepts any well-formed signature, as local AWS
// emulators do.
func newVerifier(cfg config.Config) *sigv4.Verifier {
	var lookup func(string) (string, bool)
	if cfg.AccessKeyID != "" {
		lookup = sigv4.StaticLookup(sigv4.Credentials{AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey})
	}
	return sigv4.NewVerifier(sigv4.Config{Lookup: lookup})
}

// admin adapts the identity service to the server's /_cognate endpoints.
type admin struct {
	ids      *identity.Service
	verifier *sigv4.Verifier
	// afterReset runs after a successful reset: the gateway drops the
	// routes of the APIs the reset deleted at once, not at its next poll.
	afterReset func()
}

func (a admin) Ready(ctx context.Context) error { return a.ids.Ready(ctx) }
func (a admin) Reset(ctx context.Context) error {
	if err := a.ids.Reset(ctx); err != nil {
		return err
	}
	if a.afterReset != nil {
		a.afterReset()
	}
	return nil
}

func (a admin) Authenticate(r *http.Request, body []byte) error {
	_, err := a.verifier.VerifyScope(r, body, sigv4.Scope{Service: "cognito-idp"})
	return err
}

// ErrorResponse maps the errors of Cognate's own admin endpoints: SigV4
// failures with AWS's text and a hint, domain errors with their message,
// anything else as an internal error whose detail stays in the log.
func (a admin) ErrorResponse(err error) (int, string) {
	var se *sigv4.Error
	if errors.As(err, &se) {
		return http.StatusForbidden, se.Message + " (sign with the server's admin credentials: --access-key-id/--secret-access-key, " +
			"or COGNATE_ACCESS_KEY_ID/COGNATE_SECRET_ACCESS_KEY)"
	}
	var ie *identity.Error
	if !errors.As(err, &ie) || ie.Kind == identity.KindInternal {
		return http.StatusInternalServerError, "internal error; see the server log"
	}
	if ie.Kind == identity.KindResourceNotFound {
		return http.StatusNotFound, ie.Msg
	}
	return http.StatusBadRequest, ie.Msg
}

// keyView is the JSON shape `cognate keys rotate` prints.
type keyView struct {
	KID       string `json:"kid"`
	Use       string `json:"use"`
	CreatedAt string `json:"created_at"`
	RetireAt  string `json:"retire_at,omitempty"`
}

func (a admin) RotateKeys(ctx context.Context, poolID string) (any, error) {
	keys, err := a.ids.RotateSigningKeys(ctx, poolID)
	if err != nil {
		return nil, err
	}
	out := struct {
		UserPoolID string    `json:"user_pool_id"`
		Keys       []keyView `json:"keys"`
	}{UserPoolID: poolID}
	for _, k := range keys {
		v := keyView{KID: k.KID, Use: k.Use, CreatedAt: k.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}
		if k.RetireAt != nil {
			v.RetireAt = k.RetireAt.UTC().Format("2006-01-02T15:04:05Z")
		}
		out.Keys = append(out.Keys, v)
	}
	return out, nil
}
