// Package samexample holds only a test: it deploys examples/echo-api as
// written (a SAM template) through internal/stack/sam's transform and the
// deploy engine of internal/stack, against real identity and ssm services.
// It is a package of its own so that the engine's tests do not depend on
// the transform's.
//
// Imports: nothing outside its test.
package samexample
