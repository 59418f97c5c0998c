package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognatehq/cognate/internal/awsapi"
	"github.com/cognatehq/cognate/internal/config"
	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/oauth"
	"github.com/cognatehq/cognate/internal/server"
	"github.com/cognatehq/cognate/internal/sigv4"
)

// buildServer wires the wire adapters around the identity service.
func buildServer(cfg config.Config, ids *identity.Service, reg *prometheus.Registry, log *slog.Logger) (*server.Server, error) {
	verifier := newVerifier(cfg)
	oa, err := oauth.New(oauth.Config{Identity: ids, PublicURL: cfg.PublicURL, Logger: log, Metrics: reg})
	if err != nil {
		return nil, err
	}
	return server.New(server.Config{
		Logger:     log,
		Registry:   reg,
		Cognito:    awsapi.NewCognito(ids, verifier, cfg.Region, log),
		Domains:    oa,
		Admin:      admin{ids: ids, verifier: verifier},
		AllowReset: cfg.AllowReset,
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
}

func (a admin) Ready(ctx context.Context) error { return a.ids.Ready(ctx) }
func (a admin) Reset(ctx context.Context) error { return a.ids.Reset(ctx) }

func (a admin) Authenticate(r *http.Request, body []byte) error {
	_, err := a.verifier.VerifyScope(r, body, sigv4.Scope{Service: "cognito-idp"})
	return err
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
