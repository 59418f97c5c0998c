package ssm

import (
	"encoding/base64"
	"log/slog"
	"regexp"
	"strconv"
	"time"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/store"
)

// Config holds the Service's collaborators and settings.
type Config struct {
	Store     store.Store
	Sealer    *sealer.Sealer
	AccountID string           // 12 digits, used in ARNs
	Now       func() time.Time // defaults to time.Now
	Logger    *slog.Logger
}

// Service implements Parameter Store. It is safe for concurrent use and
// keeps no state of its own: every call reads the store, so every node that
// shares a store sees every write at once.
type Service struct {
	store     store.Store
	sealer    *sealer.Sealer
	accountID string
	now       func() time.Time
	log       *slog.Logger
}

// New returns a Service. cfg.Store and cfg.Sealer must not be nil.
func New(cfg Config) *Service {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: cfg.Store, sealer: cfg.Sealer, accountID: cfg.AccountID, now: now, log: log}
}

var regionRe = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$`)

// ValidRegion reports whether s looks like an AWS region name.
func ValidRegion(s string) bool { return regionRe.MatchString(s) }

// secureAAD binds a sealed SecureString value to the version it belongs
// to, so that a sealed value copied to another parameter, version or region
// does not open.
func secureAAD(region, name string, version int64) string {
	return "ssm-parameter:" + region + ":" + name + ":" + strconv.FormatInt(version, 10)
}

// valueOf returns the value of a stored version as a reader sees it: plain
// text, a SecureString opened when decrypt is true, or else its ciphertext
// in base64, which is what AWS returns for an undecrypted SecureString (the
// KMS blob, base64-encoded) [doc].
func (s *Service) valueOf(rec store.Parameter, decrypt bool) (string, error) {
	if rec.Type != TypeSecureString {
		return string(rec.Value), nil
	}
	if !decrypt {
		return base64.StdEncoding.EncodeToString(rec.Value), nil
	}
	plain, err := s.sealer.Open(rec.Value, secureAAD(rec.Region, rec.Name, rec.Version))
	if err != nil {
		return "", internal("open SecureString value of "+rec.Name, err)
	}
	return string(plain), nil
}

// parameterOf returns the wire-neutral form of a stored version.
func (s *Service) parameterOf(rec store.Parameter, decrypt bool, sel selector) (Parameter, error) {
	value, err := s.valueOf(rec, decrypt)
	if err != nil {
		return Parameter{}, err
	}
	p := Parameter{Name: rec.Name, Type: rec.Type, Value: value, Version: rec.Version, LastModified: rec.ModifiedAt,
		ARN: s.ARN(rec.Region, rec.Name), DataType: rec.DataType}
	if sel.text != "" {
		p.Selector = ":" + sel.text
	}
	return p, nil
}

// metadataOf returns the metadata of a stored version.
func (s *Service) metadataOf(rec store.Parameter) Metadata {
	return Metadata{Name: rec.Name, ARN: s.ARN(rec.Region, rec.Name), Type: rec.Type, KeyID: rec.KeyID,
		LastModified: rec.ModifiedAt, LastModifiedUser: s.lastModifiedUser(), Description: rec.Description,
		AllowedPattern: rec.AllowedPattern, Version: rec.Version, Tier: rec.Tier, DataType: rec.DataType}
}

// Pagination tokens are opaque to callers: base64url of the last key of the
// previous page (a name, or a version number). A token that does not decode
// is InvalidNextToken [doc: model; text guess, after its documentation].

func encodeToken(lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastKey))
}

func decodeToken(tok string) (string, error) {
	if tok == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) == 0 {
		return "", errorf(KindInvalidNextToken, "The specified token isn't valid.")
	}
	return string(b), nil
}

// pageSize validates an optional MaxResults against the model's range and
// returns def when it is absent (0; an explicit 0 is below every range
// here, and the adapter reports it).
func pageSize(n int, min, max, def int) (int, error) {
	if n == 0 {
		return def, nil
	}
	var v validationErrors
	v.intRange(int64(n), "maxResults", int64(min), int64(max))
	if err := v.err(); err != nil {
		return 0, err
	}
	return n, nil
}
