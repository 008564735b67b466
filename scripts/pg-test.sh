#!/bin/sh
# pg-test.sh - a throwaway PostgreSQL 15 cluster for tests and benchmarks.
#
#   scripts/pg-test.sh start [DIR]   initdb + start in DIR (default: a new
#                                    temp dir); prints the base URL
#   scripts/pg-test.sh url DIR       prints the base URL of the cluster in DIR
#   scripts/pg-test.sh createdb DIR NAME   creates database NAME (UTF8, C)
#   scripts/pg-test.sh stop DIR      stops the cluster and removes DIR
#   scripts/pg-test.sh run CMD...    start, run CMD with MOTCUA_TEST_DB set to
#                                    the base URL, stop (even on failure);
#                                    exits with CMD's status
#
# The cluster listens on 127.0.0.1 on a free port, with its socket in DIR;
# the database is UTF8 with the C collation (text compares bytewise, as the
# store requires). As root (CI), the server runs as the `postgres` user and
# DIR is handed to it. Binaries: /usr/lib/postgresql/15/bin (MOTCUA_PG_BIN
# overrides).
set -eu
BIN=${MOTCUA_PG_BIN:-/usr/lib/postgresql/15/bin}

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
		node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

url_of() {
	echo "postgresql://postgres@127.0.0.1:$(cat "$1/port")"
}

start() {
	dir=${1:-}
	if [ -z "$dir" ]; then
		dir=$(mktemp -d /tmp/motcua-pg-XXXXXX)
	fi
	mkdir -p "$dir"
	chmod 755 "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
		chown -R postgres "$dir"
	fi
	as_pg "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	for attempt in 1 2 3; do
		port=$(free_port)
		echo "$port" >"$dir/port"
		[ "$(id -u)" -eq 0 ] && chown postgres "$dir/port"
		if as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on -c shared_buffers=128MB" \
			start >/dev/null 2>&1; then
			echo "$dir"
			return 0
		fi
	done
	cat "$dir/server.log" >&2
	exit 1
}

stop() {
	dir=$1
	[ -d "$dir" ] || return 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

createdb() {
	"$BIN/psql" -X -q -v ON_ERROR_STOP=1 "$(url_of "$1")/postgres" \
		-c "CREATE DATABASE \"$2\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
}

case "${1:-}" in
start)
	dir=$(start "${2:-}")
	echo "$dir"
	;;
url)
	url_of "$2"
	;;
createdb)
	createdb "$2" "$3"
	;;
stop)
	stop "$2"
	;;
run)
	shift
	dir=$(start "")
	trap 'stop "$dir"' EXIT INT TERM
	MOTCUA_TEST_DB=$(url_of "$dir")
	export MOTCUA_TEST_DB
	set +e
	"$@"
	rc=$?
	set -e
	exit $rc
	;;
*)
	echo "usage: scripts/pg-test.sh start [DIR] | url DIR | createdb DIR NAME | stop DIR | run CMD..." >&2
	exit 2
	;;
esac
