// Package app assembles a Cognate server from a validated config: it
// finds the master key, opens the store, builds the domain services and
// the wire adapters, and runs the one listener until its context ends.
// cmd/cognate and the end-to-end tests both start Cognate through Run.
package app
