package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if os.Getenv("GOGC") == "" {
		// The live heap is small (about 3 MB under gateway load) and
		// nearly everything a request allocates is garbage at once
		// (a token ~35 KB, a gateway request ~12 KB). With GOGC=100
		// GC took ~1.5% of a core at 1,100 tokens/s (pprof,
		// 2026-11-25). At 400, under bench/gateway.sh at concurrency 64
		// a collection ran every ~60 ms and its 3 ms mark phase, on the
		// one core, was what most p99 requests waited behind: 800 halved
		// their number and took the p99 added at --log-level info from
		// 1.5–1.7 ms to 0.9 ms (at warn, from 0.6–0.7 to under 0.4 ms).
		// The heap then peaks near 35 MB under load; idle RSS is
		// unchanged. GOGC in the environment still wins.
		debug.SetGCPercent(800)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft ceiling for that heap: should the live heap ever grow
		// large, the collector runs more often near 512 MiB instead of
		// letting the heap reach nine times the live data.
		debug.SetMemoryLimit(512 << 20)
	}
	if err := rootCommand().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "cognate:", err)
		os.Exit(1)
	}
}

func rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "cognate",
		Short:         "Cognito user pools, their OAuth 2.0 token endpoint and JWKS, on your machine",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(upCommand(), tokenCommand(), keysCommand(), deployCommand(), deleteCommand(), stacksCommand(), stackOutputsCommand(), clientsCommand(), callCommand(), versionCommand())
	return root
}

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Cognate's version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "cognate", version)
		},
	}
}
