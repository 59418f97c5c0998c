//go:build cognate_pprof

package main

import "github.com/cognatehq/cognate/internal/profiling"

// A profiling build (go build -tags cognate_pprof) serves pprof on
// $COGNATE_PPROF_ADDR; see internal/profiling.
func init() { profiling.ServeFromEnv("gateway") }
