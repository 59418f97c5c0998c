#!/usr/bin/env bash
# test.sh: run every Cognate test, as a new user or CI would.
#
#   scripts/test.sh            # all tests, PostgreSQL included
#   scripts/test.sh -run Foo   # extra arguments go to `go test`
#
# It installs the npm package the end-to-end tests drive (aws-jwt-verify,
# pinned in test/jwtverify/package-lock.json), starts a throwaway
# PostgreSQL 15 server (scripts/pgtest.sh) so that the store conformance
# suite and the multi-node tests run against it too, and runs
# `go test ./...` with the race detector. Without PostgreSQL binaries the
# PostgreSQL tests are skipped with a message, except under CI=true, where
# they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v npm >/dev/null 2>&1; then
	(cd test/jwtverify && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
else
	echo "test.sh: npm not found: the aws-jwt-verify end-to-end tests will fail; install Node.js 18+" >&2
fi

gotest=(go test -race -count=1 -timeout 20m ./... "$@")
if [[ -n "${COGNATE_TEST_POSTGRES:-}" ]]; then
	exec "${gotest[@]}"
fi
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	exec scripts/pgtest.sh "${gotest[@]}"
fi
if [[ "${CI:-}" == "true" ]]; then
	echo "test.sh: CI=true but PostgreSQL 15 binaries (initdb, pg_ctl) were not found" >&2
	exit 1
fi
echo "test.sh: PostgreSQL binaries not found: PostgreSQL tests will be skipped" >&2
exec "${gotest[@]}"
