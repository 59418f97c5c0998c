// Package archtest holds the test that keeps Cognate's dependency
// direction true: server → wire adapters (oauth, awsapi) → domain
// (identity) → store, with leaves (token, sigv4, sealer, requestid) that
// import nothing from Cognate. docs/ARCHITECTURE.md describes the rules
// this test enforces. The package has no code of its own.
package archtest
