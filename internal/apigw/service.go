package apigw

import (
	"context"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// Sealer seals secrets bound to the record they belong to; package
// sealer's *Sealer is one. apigw seals function environments with it.
type Sealer interface {
	Seal(plaintext []byte, aad string) []byte
	Open(sealed []byte, aad string) ([]byte, error)
}

// Config holds the Service's collaborators and settings.
type Config struct {
	Store     store.Store
	Sealer    Sealer
	AccountID string           // 12 digits, used in ARNs
	Now       func() time.Time // defaults to time.Now
}

// Service implements the API Gateway and Lambda control-plane domain. It
// is safe for concurrent use and keeps no state: every read goes to the
// store.
type Service struct {
	store     store.Store
	sealer    Sealer
	accountID string
	now       func() time.Time
}

// New returns a Service.
func New(cfg Config) *Service {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: cfg.Store, sealer: cfg.Sealer, accountID: cfg.AccountID, now: now}
}

// Generation returns the gateway generation: a number that grows with
// every change to an API, part, deployment, stage or function, on any
// node sharing the store. The gateway rebuilds its routes when it moves.
func (s *Service) Generation(ctx context.Context) (int64, error) {
	g, err := s.store.GatewayGeneration(ctx)
	if err != nil {
		return 0, storeErr("read gateway generation", err, nil, nil)
	}
	return g, nil
}

// timestamp returns the current time in UTC at the store's precision.
func (s *Service) timestamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
