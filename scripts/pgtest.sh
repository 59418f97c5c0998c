#!/usr/bin/env bash
# pgtest.sh: run a throwaway PostgreSQL server for Cognate's tests.
#
#   scripts/pgtest.sh go test ./...
#       Start a server, run the command with COGNATE_TEST_POSTGRES set to
#       its URL, stop the server, remove its files, and exit with the
#       command's exit status. This is what CI runs.
#
#   eval "$(scripts/pgtest.sh)"
#       Start a server and print export lines for COGNATE_TEST_POSTGRES and
#       COGNATE_PGTEST_DIR. The server keeps running; stop it and remove its
#       files with: scripts/pgtest.sh --stop
#
# The server is a fresh cluster in a temporary directory: it listens on
# 127.0.0.1 at a free port (and on a unix socket in that directory only),
# trusts every local connection, and runs with fsync off, because nothing in
# it needs to survive. Binaries are taken from $PGTEST_BIN if set, else from
# PATH, else from /usr/lib/postgresql/15/bin (or the newest
# /usr/lib/postgresql/*/bin). Run as root, the server runs as $PGTEST_USER,
# else as "postgres" if that user exists, else as "nobody".
#
# To interrupt a run, signal the process group, as Ctrl-C and CI runners do:
# once the command has exited, the script stops the server and removes its
# files.
set -euo pipefail

readonly ROLE=cognate_test
readonly DB=cognate_test

die() {
	echo "pgtest: $*" >&2
	exit 1
}

log() {
	echo "pgtest: $*" >&2
}

# find_bin_dir prints the directory holding initdb, pg_ctl and postgres.
find_bin_dir() {
	local initdb=""
	if [[ -n "${PGTEST_BIN:-}" ]]; then
		initdb="$PGTEST_BIN/initdb"
	elif command -v initdb >/dev/null 2>&1; then
		initdb="$(command -v initdb)"
	elif [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
		initdb=/usr/lib/postgresql/15/bin/initdb
	else
		initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
	fi
	[[ -n "$initdb" && -x "$initdb" ]] ||
		die "initdb not found (looked at \$PGTEST_BIN, PATH and /usr/lib/postgresql/*/bin); install PostgreSQL 15"
	# Resolve symlinks (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb)
	# so that pg_ctl and postgres come from the same installation.
	local dir
	dir="$(dirname "$(readlink -f "$initdb")")"
	for b in pg_ctl postgres psql; do
		[[ -x "$dir/$b" ]] || die "$b not found next to $initdb in $dir"
	done
	echo "$dir"
}

# free_port prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return
	fi
	local port
	for _ in $(seq 100); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found"
}

# as_server_user runs a command as the user the server runs as.
as_server_user() {
	if [[ -n "$RUN_AS" ]]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u "$RUN_AS" -- "$@"
		else
			su -s /bin/sh "$RUN_AS" -c "$(printf '%q ' "$@")"
		fi
	else
		"$@"
	fi
}

stop_server() { # dir
	local dir="$1"
	if [[ -f "$dir/data/postmaster.pid" ]]; then
		as_server_user "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 ||
			log "pg_ctl stop failed; see $dir/server.log"
	fi
	rm -rf -- "$dir"
}

# --stop: stop a server started without a command.
if [[ "${1:-}" == "--stop" ]]; then
	dir="${COGNATE_PGTEST_DIR:-}"
	[[ -n "$dir" && -d "$dir/data" ]] || die "--stop: COGNATE_PGTEST_DIR does not name a pgtest directory"
	RUN_AS="$(stat -c %U "$dir/data")"
	[[ "$(id -u)" == 0 ]] || RUN_AS=""
	BIN="$(find_bin_dir)"
	stop_server "$dir"
	log "stopped the server in $dir"
	exit 0
fi

BIN="$(find_bin_dir)"
RUN_AS=""
if [[ "$(id -u)" == 0 ]]; then
	# PostgreSQL refuses to run as root.
	if [[ -n "${PGTEST_USER:-}" ]]; then
		RUN_AS="$PGTEST_USER"
	elif id postgres >/dev/null 2>&1; then
		RUN_AS=postgres
	else
		RUN_AS=nobody
	fi
	id "$RUN_AS" >/dev/null 2>&1 || die "user $RUN_AS does not exist"
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/cognate-pgtest.XXXXXX")"
KEEP=""
cleanup() {
	[[ -n "$KEEP" ]] || stop_server "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 700 "$DIR"
[[ -z "$RUN_AS" ]] || chown "$RUN_AS" "$DIR"

# A database whose default collation is not bytewise shows whether the
# store's key columns really sort bytewise; use one when available.
locale=C.UTF-8
if locale -a 2>/dev/null | grep -qix 'en_US.utf-\?8'; then
	locale=en_US.UTF-8
fi

as_server_user "$BIN/initdb" --pgdata="$DIR/data" --username="$ROLE" --auth=trust \
	--encoding=UTF8 --locale="$locale" --no-sync >"$DIR/initdb.log" 2>&1 ||
	{ cat "$DIR/initdb.log" >&2; die "initdb failed"; }

# Another process may take the port between free_port and the server's
# bind, so try a few ports.
PORT=""
for _ in 1 2 3 4 5; do
	port="$(free_port)"
	if as_server_user "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start -o \
		"-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$DIR \
		 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
		>/dev/null 2>&1; then
		PORT="$port"
		break
	fi
	log "server did not start on port $port; retrying"
	tail -n 5 "$DIR/server.log" >&2 || true
done
[[ -n "$PORT" ]] || die "could not start the server; see the log above"

as_server_user "$BIN/psql" -h "$DIR" -p "$PORT" -U "$ROLE" -d postgres -v ON_ERROR_STOP=1 -qc \
	"CREATE DATABASE $DB" >/dev/null 2>&1 || die "could not create database $DB"

URL="postgres://$ROLE@127.0.0.1:$PORT/$DB?sslmode=disable"
version="$("$BIN/postgres" --version)"

if [[ $# -eq 0 ]]; then
	KEEP=1
	log "$version running in $DIR; stop it with: scripts/pgtest.sh --stop"
	echo "export COGNATE_TEST_POSTGRES='$URL'"
	echo "export COGNATE_PGTEST_DIR='$DIR'"
	exit 0
fi

log "$version on 127.0.0.1:$PORT; running: $*"
export COGNATE_TEST_POSTGRES="$URL"
status=0
"$@" || status=$?
exit "$status"
