#!/usr/bin/env bash
# bench/tokens.sh — the identity-core benchmark: client-credentials tokens/s
# of one Cognate core, as a ratio of the bare RS256 signing rate of that
# same core measured in the same run (see docs/PERFORMANCE.md).
#
# It builds ./cmd/cognate, starts it pinned to core 0 (taskset -c 0) on
# 127.0.0.1 with an empty data directory (or a PostgreSQL store), measures
# start-up-to-ready time and idle RSS, creates a pool, a domain, a resource
# server and a client-credentials app client with the AWS CLI, measures the
# signing ceiling (bench/signrate on core 0, server idle), then loads the
# token endpoint from core 1 (bench/load) at concurrency 1 and 16, and
# prints a Markdown table on stdout. Progress goes to stderr.
#
# Usage: bench/tokens.sh [--store postgres://...] [--duration 10s]
#
# Environment:
#   BENCH_DURATION          measured seconds per load run (default 10s, at most 120s)
#   BENCH_WARMUP            warm-up per load run, discarded (default 2s)
#   BENCH_SIGN_DURATION     signrate duration (default 5s)
#   COGNATE_BENCH_POSTGRES  PostgreSQL URL, same as --store
#   COGNATE_MASTER_KEY      master key for the PostgreSQL store (generated if
#                           unset; an existing database needs its own key)
#   COGNATE_BIN             use this prebuilt server binary instead of building one
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() {
	echo "tokens.sh: $*" >&2
	exit 1
}

store="${COGNATE_BENCH_POSTGRES:-}"
duration="${BENCH_DURATION:-10s}"
warmup="${BENCH_WARMUP:-2s}"
sign_duration="${BENCH_SIGN_DURATION:-5s}"
while [ $# -gt 0 ]; do
	case "$1" in
	--store) [ $# -ge 2 ] || die "--store needs a postgres:// URL"; store="$2"; shift 2 ;;
	--store=*) store="${1#--store=}"; shift ;;
	--duration) [ $# -ge 2 ] || die "--duration needs a value"; duration="$2"; shift 2 ;;
	--duration=*) duration="${1#--duration=}"; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument $1 (see --help)" ;;
	esac
done
# A bare number of seconds is fine too.
[[ "$duration" =~ ^[0-9]+$ ]] && duration="${duration}s"
[[ "$warmup" =~ ^[0-9]+$ ]] && warmup="${warmup}s"
[[ "$sign_duration" =~ ^[0-9]+$ ]] && sign_duration="${sign_duration}s"
case "$store" in "" | postgres://* | postgresql://*) ;; *) die "--store must be a postgres:// URL, got $store" ;; esac

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
	pinning="server on core 0, load on core 1"
else
	pin_server=()
	pin_load=()
	pinning="NOT pinned: only $cores core"
	echo "tokens.sh: warning: fewer than 2 cores; server and load share the CPU, the ratio means little" >&2
fi

cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cognate-bench.XXXXXX")
server_pid=""
pool_id=""
domain=""

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		# A shared PostgreSQL store outlives the run: remove what we created.
		if [ -n "$store" ] && [ -n "$pool_id" ]; then
			[ -n "$domain" ] && cog delete-user-pool-domain --user-pool-id "$pool_id" --domain "$domain" >/dev/null 2>&1 || true
			cog delete-user-pool --user-pool-id "$pool_id" >/dev/null 2>&1 || true
		fi
		kill "$server_pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

server_log() {
	echo "---- server log ($tmp/server.log) ----" >&2
	tail -n 50 "$tmp/server.log" >&2 || true
	echo "----" >&2
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- build ---------------------------------------------------------------
echo "tokens.sh: building into $tmp" >&2
if [ -n "${COGNATE_BIN:-}" ]; then
	[ -x "$COGNATE_BIN" ] || die "COGNATE_BIN=$COGNATE_BIN is not an executable"
	cp "$COGNATE_BIN" "$tmp/cognate"
else
	go build -o "$tmp/cognate" ./cmd/cognate || die "go build ./cmd/cognate failed"
fi
go build -o "$tmp/load" ./bench/load || die "go build ./bench/load failed"
go build -o "$tmp/signrate" ./bench/signrate || die "go build ./bench/signrate failed"

# --- start ---------------------------------------------------------------
# A free port: one nothing answers on (the server fails clearly if it races).
port=""
for _ in $(seq 50); do
	p=$((20000 + RANDOM % 40000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		port=$p
		break
	fi
done
[ -n "$port" ] || die "found no free port"
base="http://127.0.0.1:$port"

server_args=(up --listen "127.0.0.1:$port" --data "$tmp/data" --log-level warn)
if [ -n "$store" ]; then
	server_args+=(--store "$store")
	if [ -z "${COGNATE_MASTER_KEY:-}" ]; then
		COGNATE_MASTER_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
		echo "tokens.sh: generated COGNATE_MASTER_KEY for this run (a database that already holds Cognate data needs its own key)" >&2
	fi
	export COGNATE_MASTER_KEY
	store_label="postgres ($(printf '%s' "$store" | sed -E 's#//[^@/]*@#//#; s#\?.*##'))"
else
	store_label="sqlite (empty temp dir)"
fi

echo "tokens.sh: starting cognate on $base ($pinning)" >&2
t0=$(now_ms)
# With taskset exec'ing the server, $! is the server's own pid. SigV4 is not
# verified (no admin keys), so the dummy AWS credentials below are accepted.
env -u COGNATE_ACCESS_KEY_ID -u COGNATE_SECRET_ACCESS_KEY \
	"${pin_server[@]}" "$tmp/cognate" "${server_args[@]}" >"$tmp/server.log" 2>&1 &
server_pid=$!

ready=""
while [ $(($(now_ms) - t0)) -lt 10000 ]; do
	if ! kill -0 "$server_pid" 2>/dev/null; then
		server_log
		die "the server exited before becoming healthy"
	fi
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/_cognate/health" || true)
	if [ "$code" = 200 ]; then
		ready=$(now_ms)
		break
	fi
	sleep 0.01
done
if [ -z "$ready" ]; then
	server_log
	die "the server did not answer 200 on $base/_cognate/health within 10 s"
fi
startup_ms=$((ready - t0))
sleep 1
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")
idle_rss_mb=$(awk -v kb="$rss_kb" 'BEGIN {printf "%.1f", kb / 1024}')
echo "tokens.sh: ready in $startup_ms ms, idle RSS $idle_rss_mb MB" >&2

# --- set up a pool, a domain, a resource server and an M2M client ---------
export AWS_ACCESS_KEY_ID=cognate AWS_SECRET_ACCESS_KEY=cognate AWS_PAGER="" \
	AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
	AWS_CONFIG_FILE="$tmp/aws-config" AWS_SHARED_CREDENTIALS_FILE="$tmp/aws-credentials"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN

# cog runs one cognito-idp call against the server, with text output; on
# failure it prints the CLI's message and the server log and exits.
cog() {
	local out
	if ! out=$(aws --endpoint-url "$base" --region us-east-1 --output text cognito-idp "$@" 2>&1); then
		echo "tokens.sh: aws cognito-idp $1 failed:" >&2
		echo "$out" >&2
		server_log
		return 1
	fi
	printf '%s\n' "$out"
}

echo "tokens.sh: creating pool, domain, resource server and client" >&2
pool_id=$(cog create-user-pool --pool-name bench --query UserPool.Id)
domain="bench-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
cog create-user-pool-domain --user-pool-id "$pool_id" --domain "$domain" >/dev/null
cog create-resource-server --user-pool-id "$pool_id" --identifier bench --name bench \
	--scopes ScopeName=read,ScopeDescription=read >/dev/null
client=$(cog create-user-pool-client --user-pool-id "$pool_id" --client-name bench --generate-secret \
	--allowed-o-auth-flows client_credentials --allowed-o-auth-scopes bench/read \
	--allowed-o-auth-flows-user-pool-client --query 'UserPoolClient.[ClientId,ClientSecret]')
read -r client_id client_secret <<<"$client"
[ -n "$client_id" ] && [ -n "$client_secret" ] || die "create-user-pool-client returned no id/secret: $client"

token_url="$base/_domain/$domain/oauth2/token"
basic=$(printf '%s:%s' "$client_id" "$client_secret" | base64 | tr -d '\n')
form='grant_type=client_credentials&scope=bench%2Fread'
code=$(curl -s -o "$tmp/token.json" -w '%{http_code}' --max-time 5 -X POST "$token_url" \
	-H "Authorization: Basic $basic" -H 'Content-Type: application/x-www-form-urlencoded' --data "$form" || true)
if [ "$code" != 200 ] || ! grep -q '"access_token"' "$tmp/token.json"; then
	echo "tokens.sh: POST $token_url answered $code:" >&2
	cat "$tmp/token.json" >&2 || true
	echo >&2
	server_log
	die "the token endpoint does not issue tokens"
fi

# --- measure -------------------------------------------------------------
# The ceiling is measured before and after the load runs, with the server
# idle each time; the higher of the two is used, and their spread shows how
# noisy the machine was during the run.
signrate() {
	echo "tokens.sh: signing ceiling ($1): signrate for $sign_duration on core 0, server idle" >&2
	"${pin_server[@]}" "$tmp/signrate" -d "$sign_duration" -json >"$tmp/sign-$1.json" || die "signrate failed"
}
signrate before

load_failed=""
for c in 1 16; do
	echo "tokens.sh: load c=$c for $duration after $warmup warm-up" >&2
	rc=0
	"${pin_load[@]}" "$tmp/load" -url "$token_url" -method POST -body "$form" \
		-header "Authorization: Basic $basic" -header 'Content-Type: application/x-www-form-urlencoded' \
		-c "$c" -d "$duration" -warmup "$warmup" -json >"$tmp/load-c$c.json" || rc=$?
	case $rc in
	0) ;;
	1)
		load_failed=1
		echo "tokens.sh: c=$c: $(jget "$tmp/load-c$c.json" .errors) requests failed; first failures:" >&2
		jget "$tmp/load-c$c.json" '.error_samples' >&2 || true
		;;
	*) die "bench/load failed (exit $rc)" ;;
	esac
done
kill -0 "$server_pid" 2>/dev/null || {
	server_log
	die "the server died during the run"
}
signrate after

# --- report --------------------------------------------------------------
num() { awk -v v="$1" -v f="$2" 'BEGIN {printf f, v}'; }
sign_before=$(jget "$tmp/sign-before.json" .ops_per_s)
sign_after=$(jget "$tmp/sign-after.json" .ops_per_s)
ceiling=$(awk -v a="$sign_before" -v b="$sign_after" 'BEGIN {print (a > b ? a : b)}')
spread=$(awk -v a="$sign_before" -v b="$sign_after" 'BEGIN {d = a - b; if (d < 0) d = -d; printf "%.0f", 100 * d / (a > b ? a : b)}')
rps1=$(jget "$tmp/load-c1.json" .requests_per_s)
rps16=$(jget "$tmp/load-c16.json" .requests_per_s)
ratio=$(awk -v a="$rps16" -v b="$ceiling" 'BEGIN {printf "%.2f", a / b}')
p50_1=$(jget "$tmp/load-c1.json" .latency_ms.p50)
p99_1=$(jget "$tmp/load-c1.json" .latency_ms.p99)
p50_16=$(jget "$tmp/load-c16.json" .latency_ms.p50)
p99_16=$(jget "$tmp/load-c16.json" .latency_ms.p99)
errors=$(($(jget "$tmp/load-c1.json" .errors) + $(jget "$tmp/load-c16.json" .errors)))
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
machine="${cores} × ${cpu:-unknown CPU}"

echo
echo "### Client-credentials tokens ($(date -u +%Y-%m-%d))"
echo
echo "\`bench/tokens.sh${store:+ --store …}\` — $pinning; 127.0.0.1; $duration per load run after $warmup warm-up; signing ceiling = bench/signrate (Go crypto/rsa, RSA-2048 PKCS#1 v1.5) on core 0 for $sign_duration before and after the load runs: $(num "$sign_before" %.0f) and $(num "$sign_after" %.0f) sig/s (spread ${spread}%), the higher is the ceiling."
echo
echo "| date | machine | store | signing ceiling (sig/s) | tokens/s c=1 | tokens/s c=16 | ratio c=16 ÷ ceiling | p50 / p99 c=1 (ms) | p50 / p99 c=16 (ms) | errors | startup (ms) | idle RSS (MB) |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "| $(date -u +%Y-%m-%dT%H:%MZ) | $machine | $store_label | $(num "$ceiling" %.0f) | $(num "$rps1" %.0f) | $(num "$rps16" %.0f) | **$ratio** | $(num "$p50_1" %.2f) / $(num "$p99_1" %.2f) | $(num "$p50_16" %.2f) / $(num "$p99_16" %.2f) | $errors | $startup_ms | $idle_rss_mb |"
echo
check() { if awk "BEGIN {exit !($1)}"; then echo "met"; else echo "**missed**"; fi; }
echo "Targets: ratio >= 0.90 $(check "$ratio >= 0.90"); p99 at c=1 < 4 ms $(check "$p99_1 < 4");" \
	"ready < 300 ms $(check "$startup_ms < 300"); idle RSS < 60 MB $(check "$idle_rss_mb < 60")." \
	"(At c=16 on one core, mean latency is bounded below by 16 / tokens/s = $(awk -v r="$rps16" 'BEGIN {printf "%.1f", 16000 / r}') ms: reported, not chased.)"

if [ "$spread" -gt 10 ]; then
	echo
	echo "Warning: the two ceiling measurements differ by ${spread}%: the machine was busy; run again before trusting the ratio."
fi

[ -z "$load_failed" ] || die "some requests failed; the figures above are not valid"
