// Package oauth is Cognate's OAuth 2.0 / OpenID Connect wire adapter: the
// endpoints of a user pool's hosted domain (today /oauth2/token with the
// client_credentials grant), the pool's JSON Web Key Set and its OpenID
// Provider discovery document, answered byte for byte as Amazon Cognito
// answers them where that is known.
//
// The central server parses the host and path and calls Handler.ServeDomain
// or Handler.ServeWellKnown; this package routes nothing else. Every
// decision about pools, clients, secrets and scopes is made by package
// identity, which returns typed errors; this package parses requests,
// authenticates nothing itself (it only extracts the client's credentials),
// and maps identity's error kinds to RFC 6749 errors in one place
// (errors.go).
//
// Imports: identity (the domain service), requestid (to echo the request
// id), the standard library and Prometheus for its counter. Never store,
// never another adapter.
//
// Specifications followed:
//   - RFC 6749 (OAuth 2.0): §2.3.1 client authentication, §3.1/§3.2
//     parameter rules, §4.4 client credentials grant, §5.1/§5.2 token
//     responses and errors; RFC 6750 for the Bearer token type.
//   - OpenID Connect Discovery 1.0 and RFC 8414 for the discovery document.
//   - RFC 7517 (JWK) for the key set, built by package token via identity.
//   - Amazon Cognito's hosted-domain endpoints as documented and observed
//     (COGNITO.md §1 and §2 of the project's shared research notes). Where Cognito's behaviour is
//     not known, the code says [guess] and why it chose what it did.
package oauth
