#!/usr/bin/env bash
# run.sh - the browser tests: tests/browser/*.test.mjs with node's test
# runner, driving Debian's chromium (package `chromium`, /usr/bin/chromium)
# through playwright-core (npm, exact version in package-lock.json; no
# browser download). Screenshots of every step go to $BROWSER_OUT
# (default build-check/browser-screenshots).
# Env: MOTCUA_BIN (default build/motcua) is the binary under test.
# Arguments, if any, replace the default test path (tests/browser/).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
	echo "run.sh: node_modules/playwright-core or axe-core missing: run 'npm ci' first" >&2
	exit 2
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	echo "run.sh: ${CHROMIUM:-/usr/bin/chromium} missing: install the Debian package chromium (scripts/deps.sh check)" >&2
	exit 2
fi
bin="${MOTCUA_BIN:-build/motcua}"
if [ ! -x "$bin" ]; then
	echo "run.sh: $bin is not an executable (build first or set MOTCUA_BIN)" >&2
	exit 2
fi
case "$bin" in
/*) bindir=$(dirname "$bin") ;;
*) bindir=$PWD/$(dirname "$bin") ;;
esac
export BROWSER_OUT="${BROWSER_OUT:-$bindir/browser-screenshots}"
rm -rf "$BROWSER_OUT"
# Demo data is made once and copied for each file (tests/api/lib/server.mjs,
# demoTemplate); the template lives as long as this run.
if [ -z "${MOTCUA_TEST_CACHE:-}" ]; then
	MOTCUA_TEST_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/motcua-test-cache.XXXXXX")
	trap 'rm -rf "$MOTCUA_TEST_CACHE"' EXIT
	export MOTCUA_TEST_CACHE
fi
echo "== browser tests against $bin (screenshots in $BROWSER_OUT)"
if [ $# -eq 0 ]; then
	set -- tests/browser/
fi
node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "$@"
