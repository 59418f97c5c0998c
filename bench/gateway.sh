#!/usr/bin/env bash
# bench/gateway.sh — the gateway benchmark: authorized requests/s and
# latency through Cognate's API gateway, as a ratio of a bare Go reverse
# proxy (httputil.ReverseProxy) to the same upstream, measured in the same
# run (see docs/PERFORMANCE.md).
#
# It builds ./cmd/cognate, bench/load and bench/gateway; starts the upstream
# (a small JSON echo, bench/gateway upstream), the bare proxy to it
# (bench/gateway proxy) and `cognate up` on an empty data dir; deploys
# bench/gateway/template.yaml (a pool, a client-credentials client, and an
# API whose POST /echo needs a token with the scope bench/echo and is
# proxied to the upstream); fetches a token; checks that the gateway answers
# 401 without it and 200 with it; then loads, from the other core, the bare
# proxy and Cognate one request at a time (the latency added unloaded), and
# the upstream directly (for reference), the bare proxy, Cognate, and the
# bare proxy again, at concurrency 16 and 64 (the bare proxy gets the same
# request as Cognate, Authorization header included); and prints a Markdown table on
# stdout. Progress goes to stderr. The proxy and Cognate are pinned to
# core 0; the load and the upstream share core 1 (with 3 or more cores, the
# upstream gets core 2).
#
# Usage: bench/gateway.sh [--duration 10s]
#
# Environment:
#   BENCH_DURATION      measured seconds per load run (default 10s, at most 120s)
#   BENCH_WARMUP        warm-up per load run, discarded (default 2s)
#   BENCH_MAX_REQUESTS  bound on the requests of one measured run (default 2000000)
#   COGNATE_BIN         use this prebuilt server binary instead of building one
#   BENCH_LOG_LEVEL     Cognate's --log-level (default warn, as bench/tokens.sh;
#                       info writes one access-log line per gateway request)
#   BENCH_PPROF_DIR     build with -tags cognate_pprof and save CPU profiles of
#                       the bare and lean proxies and Cognate during their c=64
#                       runs there (bare-c64.pprof, lean-c64.pprof,
#                       cognate-c64.pprof; go tool pprof -top)
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() {
	echo "gateway.sh: $*" >&2
	exit 1
}

duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-2s}"
max_requests="${BENCH_MAX_REQUESTS:-2000000}"
while [ $# -gt 0 ]; do
	case "$1" in
	--duration) [ $# -ge 2 ] || die "--duration needs a value"; duration="$2"; shift 2 ;;
	--duration=*) duration="${1#--duration=}"; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument $1 (see --help)" ;;
	esac
done
[[ "$duration" =~ ^[0-9]+$ ]] && duration="${duration}s"
[[ "$warmup" =~ ^[0-9]+$ ]] && warmup="${warmup}s"
[[ "$max_requests" =~ ^[0-9]+$ ]] || die "BENCH_MAX_REQUESTS must be a number, got $max_requests"

for cmd in go aws curl taskset; do
	command -v "$cmd" >/dev/null || die "$cmd is required but not installed"
done
if command -v jq >/dev/null; then
	jget() { jq -r "$2" "$1"; } # jget FILE '.a.b'
elif command -v python3 >/dev/null; then
	jget() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))
for k in sys.argv[2].lstrip(".").split("."): v=v[k]
print(v)' "$1" "$2"; }
else
	die "jq or python3 is required to read the tools' JSON output"
fi

cores=$(nproc)
if [ "$cores" -ge 2 ]; then
	pin_server=(taskset -c 0)
	pin_load=(taskset -c 1)
	if [ "$cores" -ge 3 ]; then
		pin_upstream=(taskset -c 2)
		pinning="proxy and Cognate on core 0, load on core 1, upstream on core 2"
	else
		pin_upstream=(taskset -c 1)
		pinning="proxy and Cognate on core 0, load and upstream on core 1"
	fi
else
	pin_server=()
	pin_load=()
	pin_upstream=()
	pinning="NOT pinned: only $cores core"
	echo "gateway.sh: warning: fewer than 2 cores; everything shares the CPU, the ratio means little" >&2
fi

cd "$(dirname "$0")/.."
repo=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cognate-gwbench.XXXXXX")
pids=()

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_log() {
	echo "---- $1 ----" >&2
	tail -n 50 "$1" >&2 || true
	echo "----" >&2
}

# --- build ---------------------------------------------------------------
echo "gateway.sh: building into $tmp" >&2
if [ -n "${COGNATE_BIN:-}" ]; then
	[ -x "$COGNATE_BIN" ] || die "COGNATE_BIN=$COGNATE_BIN is not an executable"
	cp "$COGNATE_BIN" "$tmp/cognate"
else
	go build -o "$tmp/cognate" ./cmd/cognate || die "go build ./cmd/cognate failed"
fi
go build -o "$tmp/load" ./bench/load || die "go build ./bench/load failed"
pprof_dir="${BENCH_PPROF_DIR:-}"
if [ -n "$pprof_dir" ]; then
	mkdir -p "$pprof_dir" || die "cannot create BENCH_PPROF_DIR $pprof_dir"
	pprof_dir=$(cd "$pprof_dir" && pwd)
	[ -z "${COGNATE_BIN:-}" ] || die "BENCH_PPROF_DIR needs a profiling build; unset COGNATE_BIN"
	go build -tags cognate_pprof -o "$tmp/cognate" ./cmd/cognate || die "go build -tags cognate_pprof ./cmd/cognate failed"
	go build -tags cognate_pprof -o "$tmp/gateway" ./bench/gateway || die "go build ./bench/gateway failed"
else
	go build -o "$tmp/gateway" ./bench/gateway || die "go build ./bench/gateway failed"
fi

# --- start ---------------------------------------------------------------
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "found no free port"
}

# wait_ready LOG PID NAME: wait for "ready" in a bench/gateway log.
wait_ready() {
	for _ in $(seq 500); do
		grep -q '^ready ' "$1" 2>/dev/null && return
		kill -0 "$2" 2>/dev/null || { show_log "$1"; die "$3 exited before it was ready"; }
		sleep 0.01
	done
	show_log "$1"
	die "$3 was not ready within 5 s"
}

upstream_port=$(free_port)
upstream="http://127.0.0.1:$upstream_port"
"${pin_upstream[@]}" "$tmp/gateway" upstream -listen "127.0.0.1:$upstream_port" >"$tmp/upstream.log" 2>&1 &
pids+=($!)
wait_ready "$tmp/upstream.log" "$!" "the upstream"

proxy_port=$(free_port)
pprof_proxy="127.0.0.1:$(free_port)"
pprof_cognate="127.0.0.1:$(free_port)"
pprof_lean="127.0.0.1:$(free_port)"
COGNATE_PPROF_ADDR=$([ -n "$pprof_dir" ] && echo "$pprof_proxy") \
	"${pin_server[@]}" "$tmp/gateway" proxy -listen "127.0.0.1:$proxy_port" -upstream "$upstream" >"$tmp/proxy.log" 2>&1 &
pids+=($!)
wait_ready "$tmp/proxy.log" "$!" "the bare proxy"

lean_port=$(free_port)
COGNATE_PPROF_ADDR=$([ -n "$pprof_dir" ] && echo "$pprof_lean") \
	"${pin_server[@]}" "$tmp/gateway" proxy -listen "127.0.0.1:$lean_port" -upstream "$upstream" -client lean >"$tmp/lean.log" 2>&1 &
pids+=($!)
wait_ready "$tmp/lean.log" "$!" "the lean proxy"

port=$(free_port)
base="http://127.0.0.1:$port"
echo "gateway.sh: upstream $upstream, bare proxy on $proxy_port, cognate on $base ($pinning)" >&2
env -u COGNATE_ACCESS_KEY_ID -u COGNATE_SECRET_ACCESS_KEY \
	COGNATE_PPROF_ADDR=$([ -n "$pprof_dir" ] && echo "$pprof_cognate") \
	"${pin_server[@]}" "$tmp/cognate" up --listen "127.0.0.1:$port" --data "$tmp/data" --log-level "${BENCH_LOG_LEVEL:-warn}" >"$tmp/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
ready=""
for _ in $(seq 1000); do
	kill -0 "$server_pid" 2>/dev/null || { show_log "$tmp/server.log"; die "cognate up exited before becoming healthy"; }
	if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/_cognate/health" || true)" = 200 ]; then
		ready=1
		break
	fi
	sleep 0.01
done
[ -n "$ready" ] || { show_log "$tmp/server.log"; die "cognate up did not answer 200 on $base/_cognate/health within 10 s"; }

# --- deploy the bench API and get a token ----------------------------------
export AWS_ACCESS_KEY_ID=cognate AWS_SECRET_ACCESS_KEY=cognate AWS_PAGER="" \
	AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
	AWS_CONFIG_FILE="$tmp/aws-config" AWS_SHARED_CREDENTIALS_FILE="$tmp/aws-credentials"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN

domain="gwbench-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
echo "gateway.sh: deploying bench/gateway/template.yaml (domain $domain)" >&2
# From $tmp, so that no samconfig.toml of the working directory applies.
if ! (cd "$tmp" && "$tmp/cognate" deploy --endpoint "$base" --stack-name gateway-bench \
	--template-file "$repo/bench/gateway/template.yaml" \
	--parameter-overrides "UpstreamUrl=$upstream" --parameter-overrides "DomainPrefix=$domain") >"$tmp/deploy.log" 2>&1; then
	show_log "$tmp/deploy.log"
	show_log "$tmp/server.log"
	die "cognate deploy failed"
fi
"$tmp/cognate" outputs gateway-bench --endpoint "$base" -o json >"$tmp/outputs.json" || die "cognate outputs failed"
output() {
	if command -v jq >/dev/null; then
		jq -r --arg k "$1" '.[] | select(.OutputKey == $k) | .OutputValue' "$tmp/outputs.json"
	else
		python3 -c 'import json,sys
print(next(o["OutputValue"] for o in json.load(open(sys.argv[1])) if o["OutputKey"] == sys.argv[2]))' "$tmp/outputs.json" "$1"
	fi
}
api_id=$(output ApiId)
client_id=$(output ClientId)
pool_id=$(output PoolId)
[ -n "$api_id" ] && [ -n "$client_id" ] && [ -n "$pool_id" ] || die "the stack's outputs lack ApiId, ClientId or PoolId: $(cat "$tmp/outputs.json")"
client_secret=$(aws --endpoint-url "$base" --region us-east-1 --output text cognito-idp describe-user-pool-client \
	--user-pool-id "$pool_id" --client-id "$client_id" --query UserPoolClient.ClientSecret) || die "describe-user-pool-client failed"
token=$(COGNATE_CLIENT_SECRET="$client_secret" "$tmp/cognate" token --endpoint "$base" --domain "$domain" \
	--client-id "$client_id" --scope bench/echo) || die "cognate token failed"

api_host="$api_id.execute-api.localhost:$port"
api_url="$base/bench/echo"
body='{"a":1}'

# The authorizer must be in the path: no token is 401, the token is 200
# with the upstream's echo. The gateway swaps routes in within a second.
probe() { # probe [extra curl args]: prints "CODE BODY"
	curl -s -o "$tmp/probe.out" -w '%{http_code}' --max-time 5 -X POST "$api_url" -H "Host: $api_host" \
		-H 'Content-Type: application/json' --data "$body" "$@" || true
}
code=""
for _ in $(seq 50); do
	code=$(probe -H "Authorization: Bearer $token")
	[ "$code" = 200 ] && break
	sleep 0.1
done
if [ "$code" != 200 ] || [ "$(cat "$tmp/probe.out")" != "$body" ]; then
	show_log "$tmp/server.log"
	die "POST $api_url (Host: $api_host) with a token answered $code: $(head -c 300 "$tmp/probe.out"); want 200 and the upstream's echo. Has the gateway landed in internal/server?"
fi
code=$(probe)
[ "$code" = 401 ] || die "POST $api_url without a token answered $code: $(head -c 300 "$tmp/probe.out"); want 401, or the benchmark would skip the authorizer"

# --- measure -------------------------------------------------------------
load_failed=""
profiling=()
# seconds D: whole seconds of a Go duration such as 10s or 1m30s.
seconds() { awk -v d="$1" 'BEGIN { s = 0; while (match(d, /^[0-9.]+(ms|s|m|h)/)) { n = substr(d, 1, RLENGTH); u = n; sub(/^[0-9.]+/, "", u); v = n + 0; s += (u == "h" ? 3600 * v : u == "m" ? 60 * v : u == "s" ? v : v / 1000); d = substr(d, RLENGTH + 1) } printf "%d", s }'; }
# profile NAME C: a CPU profile of the measured part of a run.
profile() {
	local addr=$pprof_proxy out="bare-c$2.pprof" secs
	case $1 in
	cognate) addr=$pprof_cognate out="cognate-c$2.pprof" ;;
	lean) addr=$pprof_lean out="lean-c$2.pprof" ;;
	esac
	secs=$(( $(seconds "$duration") - 1 ))
	[ "$secs" -ge 1 ] || secs=1
	sleep "$(seconds "$warmup")"
	curl -s --max-time $((secs + 10)) -o "$pprof_dir/$out" "http://$addr/debug/pprof/profile?seconds=$secs" ||
		echo "gateway.sh: could not fetch the profile $out" >&2
}
# run NAME C URL [load args...]: one bounded load run into $tmp/NAME-cC.json.
run() {
	local name=$1 c=$2 url=$3 rc=0
	shift 3
	echo "gateway.sh: $name c=$c for $duration after $warmup warm-up" >&2
	if [ -n "$pprof_dir" ] && [ "$c" = 64 ] && { [ "$name" = bare1 ] || [ "$name" = cognate ] || [ "$name" = lean ]; }; then
		profile "$name" "$c" &
		profiling+=($!)
	fi
	"${pin_load[@]}" "$tmp/load" -url "$url" -method POST -body "$body" -header 'Content-Type: application/json' "$@" \
		-c "$c" -d "$duration" -n "$max_requests" -warmup "$warmup" -json >"$tmp/$name-c$c.json" || rc=$?
	case $rc in
	0) ;;
	1)
		load_failed=1
		echo "gateway.sh: $name c=$c: $(jget "$tmp/$name-c$c.json" .errors) requests failed; first failures:" >&2
		jget "$tmp/$name-c$c.json" '.error_samples' >&2 || true
		;;
	*) die "bench/load failed (exit $rc)" ;;
	esac
}
# Unloaded, one request at a time: the latency the gateway adds per request,
# without queueing (at c=16 and 64 on one core, latency is mostly queueing,
# so its p99 grows with any throughput gap).
# The bare proxy gets the same request as Cognate, token included: reading
# and forwarding a ~1 KB Authorization header is the request's cost, not
# the gateway's.
auth=(-header "Authorization: Bearer $token")
run bare1 1 "http://127.0.0.1:$proxy_port/echo" "${auth[@]}"
run cognate 1 "$api_url" -header "Host: $api_host" -header "Authorization: Bearer $token"
for c in 16 64; do
	run direct "$c" "$upstream/echo"
	run bare1 "$c" "http://127.0.0.1:$proxy_port/echo" "${auth[@]}"
	run cognate "$c" "$api_url" -header "Host: $api_host" -header "Authorization: Bearer $token"
	run bare2 "$c" "http://127.0.0.1:$proxy_port/echo" "${auth[@]}"
	run lean "$c" "http://127.0.0.1:$lean_port/echo" "${auth[@]}"
done
for pid in "${pids[@]}"; do
	kill -0 "$pid" 2>/dev/null || { show_log "$tmp/server.log"; die "a server died during the run"; }
done

# --- report --------------------------------------------------------------
num() { awk -v v="$1" -v f="$2" 'BEGIN {printf f, v}'; }
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
machine="${cores} × ${cpu:-unknown CPU}"
check() { if awk "BEGIN {exit !($1)}"; then echo "met"; else echo "**missed**"; fi; }

echo
echo "### Gateway: authorized requests through Cognate vs a bare reverse proxy ($(date -u +%Y-%m-%d))"
echo
echo "\`bench/gateway.sh\` — $pinning; 127.0.0.1; POST /echo with a 7-byte JSON body, echoed by the upstream; Cognate (--log-level ${BENCH_LOG_LEVEL:-warn}) verifies a client-credentials access token (Cognito authorizer, scope bench/echo) and proxies (http_proxy); $duration per load run after $warmup warm-up. The bare proxy (httputil.ReverseProxy with SetXForwarded, a buffer pool and keep-alive to the upstream) gets the same request, token included, and is measured before and after Cognate; the higher is the baseline. Cognate carries small requests to plain-http upstreams with its own upstream client (internal/gateway/upstream), not http.Transport; the *lean* proxy is the same bare proxy with that client, so cognate ÷ lean is the cost of the gateway's own work (routing, the authorizer, claims headers, ids, metrics)."
echo
echo "| date | machine | c | direct req/s | bare req/s (before / after) | cognate req/s | ratio cognate ÷ bare | lean req/s | cognate ÷ lean | p50 / p99 bare (ms) | p50 / p99 cognate (ms) | p99 added (ms) | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
verdicts=()
for c in 16 64; do
	d=$(jget "$tmp/direct-c$c.json" .requests_per_s)
	b1=$(jget "$tmp/bare1-c$c.json" .requests_per_s)
	b2=$(jget "$tmp/bare2-c$c.json" .requests_per_s)
	g=$(jget "$tmp/cognate-c$c.json" .requests_per_s)
	best=bare1
	awk -v a="$b1" -v b="$b2" 'BEGIN {exit !(b > a)}' && best=bare2
	b=$(jget "$tmp/$best-c$c.json" .requests_per_s)
	bp50=$(jget "$tmp/$best-c$c.json" .latency_ms.p50)
	bp99=$(jget "$tmp/$best-c$c.json" .latency_ms.p99)
	gp50=$(jget "$tmp/cognate-c$c.json" .latency_ms.p50)
	gp99=$(jget "$tmp/cognate-c$c.json" .latency_ms.p99)
	ratio=$(awk -v g="$g" -v b="$b" 'BEGIN {printf "%.2f", g / b}')
	l=$(jget "$tmp/lean-c$c.json" .requests_per_s)
	lratio=$(awk -v g="$g" -v l="$l" 'BEGIN {printf "%.2f", g / l}')
	added=$(awk -v g="$gp99" -v b="$bp99" 'BEGIN {printf "%.2f", g - b}')
	errors=0
	for n in direct bare1 cognate bare2 lean; do errors=$((errors + $(jget "$tmp/$n-c$c.json" .errors))); done
	echo "| $(date -u +%Y-%m-%dT%H:%MZ) | $machine | $c | $(num "$d" %.0f) | $(num "$b1" %.0f) / $(num "$b2" %.0f) | $(num "$g" %.0f) | **$ratio** | $(num "$l" %.0f) | $lratio | $(num "$bp50" %.2f) / $(num "$bp99" %.2f) | $(num "$gp50" %.2f) / $(num "$gp99" %.2f) | **$added** | $errors |"
	verdicts+=("c=$c: ratio >= 0.90 $(check "$ratio >= 0.90"), p99 added < 1 ms $(check "$added < 1")")
	spread=$(awk -v a="$b1" -v b="$b2" 'BEGIN {d = a - b; if (d < 0) d = -d; printf "%.0f", 100 * d / (a > b ? a : b)}')
	[ "$spread" -le 10 ] || verdicts+=("c=$c: the two bare-proxy runs differ by ${spread}%: the machine was busy; run again before trusting the ratio")
	awk -v d="$d" -v b="$b" 'BEGIN {exit !(d < 1.2 * b)}' &&
		verdicts+=("c=$c: the upstream alone served only $(num "$d" %.0f) req/s, near the bare proxy's $(num "$b" %.0f): the load/upstream core may be the bottleneck, which hides part of the gap")
done
lat() { jget "$tmp/$1-c1.json" ".latency_ms.$2"; }
added1=$(awk -v g="$(lat cognate p99)" -v b="$(lat bare1 p99)" 'BEGIN {printf "%.2f", g - b}')
echo
echo "Unloaded (c=1): p50 / p99 bare $(num "$(lat bare1 p50)" %.2f) / $(num "$(lat bare1 p99)" %.2f) ms," \
	"Cognate $(num "$(lat cognate p50)" %.2f) / $(num "$(lat cognate p99)" %.2f) ms: **$added1 ms** added at p99" \
	"($(num "$(jget "$tmp/bare1-c1.json" .requests_per_s)" %.0f) and $(num "$(jget "$tmp/cognate-c1.json" .requests_per_s)" %.0f) req/s)."
verdicts+=("c=1: p99 added < 1 ms $(check "$added1 < 1")")
echo
echo "Targets: $(printf '%s; ' "${verdicts[@]}")"

for pid in "${profiling[@]}"; do wait "$pid" || true; done
[ -z "$pprof_dir" ] || echo "gateway.sh: CPU profiles in $pprof_dir (go tool pprof -top $pprof_dir/cognate-c64.pprof)" >&2
[ -z "$load_failed" ] || die "some requests failed; the figures above are not valid"
