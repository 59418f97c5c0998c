package oauth

import "net/http"

// jwks serves /{poolId}/.well-known/jwks.json: every key whose tokens may
// still be valid (RFC 7517 §5), as identity publishes them.
func (h *Handler) jwks(w http.ResponseWriter, r *http.Request, poolID string) error {
	if err := wellKnownMethod(r); err != nil {
		return err
	}
	body, err := h.id.JWKS(r.Context(), poolID)
	if err != nil {
		return fromIdentityWellKnown(err, poolID)
	}
	writeWellKnown(w, body)
	return nil
}
