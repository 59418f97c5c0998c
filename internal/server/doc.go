// Package server is Cognate's one HTTP listener: it routes each request by
// host and path to a wire adapter (the Cognito JSON API, the hosted-domain
// OAuth endpoints, the well-known key and discovery documents) and serves
// Cognate's own /_cognate/ endpoints (health, metrics, reset, key
// rotation). Around every request it sets a request id, recovers panics,
// writes a structured access log and records Prometheus metrics. It shuts
// down gracefully.
//
// server depends on the adapters only through the small interfaces in
// this package; cmd/cognate wires the concrete types.
package server
