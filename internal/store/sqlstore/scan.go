package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// timeCol scans a NOT NULL timestamp column: INTEGER microseconds since the
// Unix epoch (SQLite) or a timestamptz (PostgreSQL). The result is in UTC.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("sqlstore: cannot read %T as a timestamp", src)
	}
	return nil
}

// nullTimeCol scans a nullable timestamp column; NULL reads as nil.
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(src any) error {
	if src == nil {
		*c.t = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(src); err != nil {
		return err
	}
	*c.t = &t
	return nil
}

// blobCol scans a BLOB/bytea column into a fresh slice: NULL reads as nil,
// an empty value as a non-nil empty slice, so nil and empty round-trip.
type blobCol struct{ b *[]byte }

func (c blobCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.b = nil
	case []byte:
		*c.b = append(make([]byte, 0, len(v)), v...)
	case string:
		*c.b = []byte(v)
	default:
		return fmt.Errorf("sqlstore: cannot read %T as bytes", src)
	}
	return nil
}

// blobArg is the value bound for a BLOB/bytea column: nil binds NULL, any
// other slice (even an empty one) binds a value.
func blobArg(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// scopeJSON is the stored form of a store.Scope. It has its own field tags
// so that renaming a Go field never changes what is on disk.
type scopeJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// encodeScopes returns the JSON text stored for scopes: null for a nil
// slice, an array otherwise, in the given order.
func encodeScopes(scopes []store.Scope) (string, error) {
	if scopes == nil {
		return "null", nil
	}
	out := make([]scopeJSON, len(scopes))
	for i, s := range scopes {
		out[i] = scopeJSON(s)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode scopes: %w", err)
	}
	return string(b), nil
}

// decodeScopes is the inverse of encodeScopes.
func decodeScopes(text string) ([]store.Scope, error) {
	var in []scopeJSON
	if err := json.Unmarshal([]byte(text), &in); err != nil {
		return nil, fmt.Errorf("sqlstore: decode scopes %q: %w", text, err)
	}
	if in == nil {
		return nil, nil
	}
	out := make([]store.Scope, len(in))
	for i, s := range in {
		out[i] = store.Scope(s)
	}
	return out, nil
}

// rowScanner is implemented by *sql.Row and *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}
