package requestid

import (
	"context"

	"github.com/google/uuid"
)

type ctxKey struct{}

// New returns a fresh request id (a UUID, the shape AWS uses for
// x-amzn-RequestId).
func New() string { return uuid.NewString() }

// NewContext returns ctx carrying id.
func NewContext(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the request id in ctx, or "" when there is none.
func FromContext(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}
