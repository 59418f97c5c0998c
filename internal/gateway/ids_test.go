package gateway

import (
	"encoding/base64"
	"testing"

	"github.com/google/uuid"
)

// TestIDs checks the shapes of the ids every answer carries: a version 4
// UUID in x-amzn-RequestId, 16 characters of base64 in x-amz-apigw-id,
// and no repeats, made apart or together (newIDs).
func TestIDs(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		id, ext := newRequestID(), newExtendedID()
		if i%2 == 1 {
			id, ext = newIDs()
		}
		u, err := uuid.Parse(id)
		if err != nil || len(id) != 36 || u.String() != id {
			t.Fatalf("request id %q is not a lower-case UUID: %v", id, err)
		}
		if u.Version() != 4 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("request id %q: version %d, variant %v; want 4, RFC4122", id, u.Version(), u.Variant())
		}
		if b, err := base64.StdEncoding.DecodeString(ext); err != nil || len(ext) != 16 || len(b) != 11 {
			t.Fatalf("extended id %q is not 16 characters of base64: %v", ext, err)
		}
		if seen[id] || seen[ext] {
			t.Fatalf("repeated id %q or %q", id, ext)
		}
		seen[id], seen[ext] = true, true
	}
}
