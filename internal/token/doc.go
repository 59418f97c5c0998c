// Package token signs and verifies JWTs and builds JSON Web Key Sets, the
// way Cognito does: RS256, a protected header of exactly {"alg","kid"} (no
// "typ"), kids that are the base64 SHA-256 of the public key.
//
// It follows RFC 7515 (JWS), RFC 7517 (JWK) and RFC 7519 (JWT) through
// go-jose. token is a leaf: no storage, no HTTP, nothing from Cognate.
package token
