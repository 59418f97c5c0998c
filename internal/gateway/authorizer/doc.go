// Package authorizer checks the bearer token of an API Gateway REST API
// method whose authorizer is COGNITO_USER_POOLS, the way API Gateway does
// (../shared/docs/APIGATEWAY.md §1): the token must be an RS256 JWT signed
// by a key of one of the authorizer's user pools, unexpired, an ID token
// when the method asks for no scopes and an access token carrying one of
// them when it does.
//
// Keys of local pools come through the Keys interface (implemented by
// identity.TokenKeys); keys of pools that are not local are fetched from
// real Cognito's JWKS and cached. Tokens whose signature has been checked
// are kept in a bounded cache, so a repeated token costs no RSA
// verification; everything that depends on the method's configuration or
// on the store (issuer, token use, scopes, expiry, whether the client
// still exists) is checked again on every request.
//
// The package imports no other Cognate package: it is a leaf under
// internal/gateway, which maps a *Denial to API Gateway's 401.
package authorizer
