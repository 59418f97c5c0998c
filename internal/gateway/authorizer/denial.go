package authorizer

import "fmt"

// Reason names the check a token failed. It goes to the access log and,
// on loopback, to the x-cognate-reason header; never to the body.
type Reason string

// The reasons a token is refused.
const (
	ReasonNoToken              Reason = "no_token"              // header missing or empty
	ReasonMalformed            Reason = "malformed"             // not a JWT, undecodable, or a claim of the wrong type
	ReasonBadSignature         Reason = "bad_signature"         // signature does not verify, or alg is not RS256
	ReasonUnknownKID           Reason = "unknown_kid"           // no kid, or the pool publishes no such key
	ReasonExpired              Reason = "expired"               // exp has passed
	ReasonNotYetValid          Reason = "not_yet_valid"         // nbf or iat in the future
	ReasonIssuer               Reason = "issuer"                // iss is not a pool of the authorizer
	ReasonTokenUse             Reason = "token_use"             // an access token without scopes, an ID token with them
	ReasonScope                Reason = "scope"                 // an access token with none of the method's scopes
	ReasonDeletedClient        Reason = "deleted_client"        // the token's app client no longer exists
	ReasonValidationExpression Reason = "validation_expression" // aud does not match identityValidationExpression
	ReasonJWKSUnavailable      Reason = "jwks_unavailable"      // for logs: Verify returns an error wrapping ErrJWKSUnavailable, never a Denial
)

// Wire messages of API Gateway's UNAUTHORIZED response [obs].
const (
	MessageUnauthorized = "Unauthorized"
	MessageExpired      = "The incoming token has expired"
)

// Denial is a token refused with 401. Verify returns it as its error.
type Denial struct {
	Reason Reason
	// Message is the wire message: MessageUnauthorized, or MessageExpired
	// for an expired token.
	Message string
	// Detail says what exactly failed, for logs and x-cognate-reason. It
	// never holds the token.
	Detail string
}

// Error returns the reason and the detail.
func (d *Denial) Error() string {
	if d.Detail == "" {
		return "authorizer: " + string(d.Reason)
	}
	return "authorizer: " + string(d.Reason) + ": " + d.Detail
}

// deny returns a Denial with the Unauthorized message.
func deny(r Reason, format string, args ...any) *Denial {
	return &Denial{Reason: r, Message: MessageUnauthorized, Detail: fmt.Sprintf(format, args...)}
}
