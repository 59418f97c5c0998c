package server

import (
	"errors"
	"net/http"

	"github.com/cognatehq/cognate/internal/identity"
)

// adminError maps a domain error of an admin endpoint to a status and a
// message for the caller. Internal errors get a generic message; the
// caller logs the detail.
func adminError(err error) (int, string) {
	var e *identity.Error
	if !errors.As(err, &e) || e.Kind == identity.KindInternal {
		return http.StatusInternalServerError, "internal error; see the server log"
	}
	if e.Kind == identity.KindResourceNotFound {
		return http.StatusNotFound, e.Msg
	}
	return http.StatusBadRequest, e.Msg
}
