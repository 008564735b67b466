#!/usr/bin/env bash
# run.sh - the API test suite: lints docs/openapi.json with Redocly CLI
# (installed by `npm ci` from package-lock.json), then runs every
# tests/api/*.test.mjs with node's built-in test runner, one file at a time
# (each file starts its own server; the machine has 2 cores).
# Env: MOTCUA_BIN (default build/motcua) is the binary under test.
# Arguments, if any, replace the default test path (tests/api/), e.g.
#   tests/api/run.sh tests/api/auth.test.mjs
#   tests/api/run.sh --test-name-pattern=lifecycle tests/api/dossiers.test.mjs
set -euo pipefail
cd "$(dirname "$0")/../.."

export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

if [ ! -x node_modules/.bin/redocly ]; then
	echo "run.sh: node_modules/.bin/redocly missing: run 'npm ci' first" >&2
	exit 2
fi
bin="${MOTCUA_BIN:-build/motcua}"
if [ ! -x "$bin" ]; then
	echo "run.sh: $bin is not an executable (build first or set MOTCUA_BIN)" >&2
	exit 2
fi

echo "== OpenAPI lint (redocly, tests/api/redocly.yaml)"
# The Node 20 deprecation banner goes to stderr; the verdict is the exit status.
node_modules/.bin/redocly lint --config tests/api/redocly.yaml --format stylish docs/openapi.json 2> >(grep -v '║\|╔\|╚' >&2)

# Demo data is made once per `now` and copied for each file (lib/server.mjs,
# demoTemplate); the templates live as long as this run.
if [ -z "${MOTCUA_TEST_CACHE:-}" ]; then
	MOTCUA_TEST_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/motcua-test-cache.XXXXXX")
	trap 'rm -rf "$MOTCUA_TEST_CACHE"' EXIT
	export MOTCUA_TEST_CACHE
fi

echo "== API tests against $bin"
# Each test gets at most 10 minutes, so a hung server cannot stall CI.
if [ $# -eq 0 ]; then
	set -- tests/api/
fi
node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "$@"
