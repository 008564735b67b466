#!/bin/sh
# deps.sh - installs the Debian 12 packages motcua needs that are missing.
# Usage: scripts/deps.sh build|check|bench|ha
#   check adds test and lint tools; ha adds what deploy/ha needs (etcd,
#   Patroni, PostgreSQL 15, HAProxy) and Node.js for its load driver.
set -eu
want="build-essential cmake pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
libpq-dev libsodium-dev zlib1g-dev libqrencode-dev libtesseract-dev libleptonica-dev
tesseract-ocr-vie tesseract-ocr-eng poppler-utils"
# libcurl (webhooks): any of Debian's libcurl*-dev flavours will do
if ! pkg-config --exists libcurl 2>/dev/null; then
	want="$want libcurl4-openssl-dev"
fi
if [ "${1:-build}" = check ]; then
	# postgresql: the API suite runs on PostgreSQL 15 too (scripts/pg-test.sh)
	want="$want clang clang-format libcmocka-dev sqlite3 curl git postgresql pango1.0-tools
fonts-dejavu-core chromium"
fi
if [ "${1:-build}" = bench ]; then
	want="$want wrk sqlite3 curl postgresql"
fi
if [ "${1:-build}" = ha ]; then
	want="$want etcd-server patroni postgresql-15 postgresql-client-15 haproxy curl python3
util-linux"
fi
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if { [ "${1:-build}" = check ] || [ "${1:-build}" = ha ]; } && ! command -v node >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
echo "installing:$missing"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
