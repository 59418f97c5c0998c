// Package profiling serves net/http/pprof on a loopback address named by
// an environment variable, for profiling builds only: the files that
// call it carry the build tag cognate_pprof, so normal builds neither
// import this package nor register its handlers.
//
//	go build -tags cognate_pprof ./cmd/cognate
//	COGNATE_PPROF_ADDR=127.0.0.1:6060 ./cognate up
//	go tool pprof 'http://127.0.0.1:6060/debug/pprof/profile?seconds=10'
//
// bench/gateway.sh uses it when BENCH_PPROF_DIR is set.
package profiling

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// EnvAddr is the environment variable that names the listen address.
const EnvAddr = "COGNATE_PPROF_ADDR"

// ServeFromEnv starts the pprof listener when EnvAddr is set. A
// non-loopback address is refused: profiles show memory, and a
// profiling build is never a server for others. prog prefixes messages.
func ServeFromEnv(prog string) {
	addr := os.Getenv(EnvAddr)
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		fmt.Fprintf(os.Stderr, "%s: %s %q: want a loopback address such as 127.0.0.1:6060\n", prog, EnvAddr, addr)
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: pprof listener: %v\n", prog, err)
		os.Exit(2)
	}
	go func() {
		if err := http.Serve(ln, mux); err != nil {
			fmt.Fprintf(os.Stderr, "%s: pprof listener: %v\n", prog, err)
		}
	}()
}
