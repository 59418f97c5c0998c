package identity

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/store"
)

// IssuerStyle chooses the iss claim of issued tokens.
type IssuerStyle int

const (
	// IssuerLocal is {public-url}/{poolId}: any OIDC library finds the keys
	// through discovery on the Cognate server.
	IssuerLocal IssuerStyle = iota
	// IssuerAWS is https://cognito-idp.{region}.amazonaws.com/{poolId}, for
	// code that pins AWS's form (aws-jwt-verify's CognitoJwtVerifier).
	IssuerAWS
)

// Config holds the Service's collaborators and settings.
type Config struct {
	Store       store.Store
	Sealer      *sealer.Sealer
	AccountID   string // 12 digits, used in ARNs
	PublicURL   string // base URL without trailing slash, e.g. http://127.0.0.1:4566
	IssuerStyle IssuerStyle
	Now         func() time.Time // defaults to time.Now
	Logger      *slog.Logger
}

// Service implements the user-pool domain. It is safe for concurrent use
// and keeps no state that another node could make stale: every decision
// reads the store. Its caches hold only what cannot change under the key
// they are looked up by: parsed private keys by kid, and decoded clients by
// their record version.
type Service struct {
	store     store.Store
	sealer    *sealer.Sealer
	accountID string
	publicURL string
	style     IssuerStyle
	now       func() time.Time
	log       *slog.Logger

	keyCache sync.Map // kid -> *signingKey
	clients  clientCache
}

// New returns a Service.
func New(cfg Config) *Service {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: cfg.Store, sealer: cfg.Sealer, accountID: cfg.AccountID,
		publicURL: cfg.PublicURL, style: cfg.IssuerStyle, now: now, log: log}
}

// Issuer returns the iss value for a pool.
func (s *Service) Issuer(region, poolID string) string {
	if s.style == IssuerAWS {
		return "https://cognito-idp." + region + ".amazonaws.com/" + poolID
	}
	return s.publicURL + "/" + poolID
}

// Reset wipes every pool, client, key and everything else the store holds.
func (s *Service) Reset(ctx context.Context) error {
	if err := s.store.Reset(ctx); err != nil {
		return internal("reset store", err)
	}
	return nil
}

// Ready reports whether the store answers.
func (s *Service) Ready(ctx context.Context) error { return s.store.Ping(ctx) }
