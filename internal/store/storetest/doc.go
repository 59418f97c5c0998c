// Package storetest is the conformance suite of store.Store, in the manner
// of dex's storage/conformance: every backend's tests call Run, and
// RunConcurrent, with a function that opens a fresh, empty store.
//
//	func TestSQLite(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { … })
//	}
//
// Each named subtest gets its own store from open, which should register
// its own cleanup with t.Cleanup. Errors are checked with errors.Is, so a
// backend may (and should) wrap store.ErrNotFound and store.ErrConflict
// with a message.
//
// The suite assumes what package store documents, plus what the two SQL
// backends guarantee: times come back in UTC and lose at most their
// sub-microsecond part; byte slices and scope lists come back exactly (nil
// stays nil, empty stays empty); listings are ordered bytewise by key.
//
// From Cognate, storetest imports only package store.
package storetest
