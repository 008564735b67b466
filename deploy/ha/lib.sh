# lib.sh - shared functions of the deploy/ha scripts (sourced, not run).
#
# One "HA directory" (HA_DIR) holds everything a cluster needs: configs,
# data, logs, pid files and ha.env (ports and URLs chosen by `up`). The
# directory comes from the first argument of a command, else $MOTCUA_HA_DIR,
# else /tmp/motcua-ha. When run as root, every daemon runs as the
# `postgres` user (PostgreSQL refuses to run as root), so HA_DIR is owned by
# postgres.
#
# Layout:
#   HA_DIR/ha.env              ports, URLs and the motcua binary (sourced)
#   HA_DIR/secrets/pgpass      passwords (mode 600), used through PGPASSFILE
#   HA_DIR/siteN/etcd/         etcd member data
#   HA_DIR/siteN/pgdata/       PostgreSQL data directory (managed by Patroni)
#   HA_DIR/siteN/patroni.yml   Patroni configuration of the site
#   HA_DIR/motcua/             the motcua data directory shared by the three
#                              nodes (blobs/; the database is PostgreSQL)
#   HA_DIR/haproxy.cfg         HAProxy configuration
#   HA_DIR/run/*.pid           pid of every daemon started
#   HA_DIR/log/*.log           stdout/stderr of every daemon

set -eu

HA_SITES="1 2 3"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

# Dies with a message on stderr.
die() {
	echo "ha: $*" >&2
	exit 1
}

# Prints a progress line with the elapsed seconds since the script began.
say() {
	printf 'ha [%4ss] %s\n' "$(($(date +%s) - HA_T0))" "$*"
}
HA_T0=$(date +%s)

# Picks HA_DIR from "$1", $MOTCUA_HA_DIR or the default; absolute path.
ha_pick_dir() {
	HA_DIR="${1:-${MOTCUA_HA_DIR:-/tmp/motcua-ha}}"
	case "$HA_DIR" in
	/*) ;;
	*) HA_DIR="$(pwd)/$HA_DIR" ;;
	esac
	# Unix socket paths are limited to 107 bytes; keep room for the name.
	[ "${#HA_DIR}" -le 60 ] || die "HA directory path too long (max 60): $HA_DIR"
	export HA_DIR
}

# The user the daemons run as: postgres when we are root, else ourselves.
ha_user() {
	if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

# Runs a command as the daemon user (exec'ing it in place, so $! of a
# backgrounded `as_svc` is the daemon's own pid).
as_svc() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=postgres --regid=postgres --init-groups --reset-env -- \
			env HOME="$HA_DIR" PATH="$PATH" LANG=C.UTF-8 PGPASSFILE="$HA_DIR/secrets/pgpass" "$@"
	else
		env PGPASSFILE="$HA_DIR/secrets/pgpass" "$@"
	fi
}

# Polls `cmd...` every 0.2 s until it succeeds or `secs` pass.
# Usage: wait_until SECS "what" cmd args...   (returns 1 on timeout)
wait_until() {
	_secs=$1
	_what=$2
	shift 2
	_deadline=$(($(date +%s) + _secs))
	while ! "$@" >/dev/null 2>&1; do
		if [ "$(date +%s)" -ge "$_deadline" ]; then
			echo "ha: timed out after ${_secs}s waiting for: $_what" >&2
			return 1
		fi
		sleep 0.2 # poll interval of a bounded wait, not synchronisation
	done
}

# Prints N distinct free TCP ports on 127.0.0.1 (all bound at once by the
# kernel, then released), space-separated.
free_ports() {
	python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

# True when something listens on 127.0.0.1:$1.
port_busy() {
	python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(0.5)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
EOF
}

# HTTP GET; prints the body; fails unless the status is 2xx.
http_ok() {
	curl -fsS --max-time 2 "$1"
}

# Starts a daemon in the background as the service user:
#   start_daemon NAME cmd args...
# Output goes to log/NAME.log, the pid to run/NAME.pid. setpriv, env and
# setsid each exec the next program, so $! is the daemon's own pid; setsid
# takes it out of our process group, so a Ctrl-C of the calling script does
# not reach it (down stops it by its pid).
start_daemon() {
	_name=$1
	shift
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=postgres --regid=postgres --init-groups --reset-env -- \
			env HOME="$HA_DIR" PATH="$PATH" LANG=C.UTF-8 PGPASSFILE="$HA_DIR/secrets/pgpass" \
			setsid "$@" </dev/null >>"$HA_DIR/log/$_name.log" 2>&1 &
	else
		env PGPASSFILE="$HA_DIR/secrets/pgpass" \
			setsid "$@" </dev/null >>"$HA_DIR/log/$_name.log" 2>&1 &
	fi
	echo $! >"$HA_DIR/run/$_name.pid"
}

# Sends SIGTERM to daemon NAME if it runs (no wait).
signal_daemon() {
	[ -s "$HA_DIR/run/$1.pid" ] && kill -TERM "$(cat "$HA_DIR/run/$1.pid")" 2>/dev/null || true
}

# True when the daemon NAME (pid file) is alive.
daemon_alive() {
	[ -s "$HA_DIR/run/$1.pid" ] && kill -0 "$(cat "$HA_DIR/run/$1.pid")" 2>/dev/null
}

# Stops daemon NAME: SIGTERM, wait up to SECS (default 20), then SIGKILL.
stop_daemon() {
	_name=$1
	_secs=${2:-20}
	_pf="$HA_DIR/run/$_name.pid"
	[ -s "$_pf" ] || return 0
	_pid=$(cat "$_pf")
	if kill -0 "$_pid" 2>/dev/null; then
		kill -TERM "$_pid" 2>/dev/null || true
		if ! wait_until "$_secs" "$_name (pid $_pid) to stop" sh -c "! kill -0 $_pid"; then
			echo "ha: $_name did not stop on SIGTERM, sending SIGKILL" >&2
			kill -KILL "$_pid" 2>/dev/null || true
		fi
	fi
	rm -f "$_pf"
}

# Loads HA_DIR/ha.env (written by `up`); dies if the cluster was never set up.
ha_load_env() {
	[ -f "$HA_DIR/ha.env" ] || die "no cluster in $HA_DIR (run deploy/ha/up first)"
	# shellcheck disable=SC1091
	. "$HA_DIR/ha.env"
}

# Patroni REST port of site N (from ha.env).
rest_port() { eval "echo \$REST_PORT_$1"; }
pg_port() { eval "echo \$PG_PORT_$1"; }
node_port() { eval "echo \$NODE_PORT_$1"; }
etcd_client_port() { eval "echo \$ETCD_CLIENT_PORT_$1"; }
etcd_peer_port() { eval "echo \$ETCD_PEER_PORT_$1"; }

# Name of the current leader according to the Patroni REST API of any
# reachable site (empty if none).
leader_name() {
	for _s in $HA_SITES; do
		_j=$(curl -fsS --max-time 2 "http://127.0.0.1:$(rest_port "$_s")/cluster" 2>/dev/null) || continue
		printf '%s' "$_j" | python3 -c '
import json, sys
c = json.load(sys.stdin)
for m in c.get("members", []):
    if m.get("role") in ("leader", "master", "primary") and m.get("state") == "running":
        print(m["name"])
        break
' && return 0
	done
	return 0
}

# True when there is a running leader and at least one synchronous standby
# streaming from it (a commit is then acknowledged only once it is on two
# sites).
cluster_synchronous() {
	for _s in $HA_SITES; do
		_j=$(curl -fsS --max-time 2 "http://127.0.0.1:$(rest_port "$_s")/cluster" 2>/dev/null) || continue
		printf '%s' "$_j" | python3 -c '
import json, sys
c = json.load(sys.stdin)
roles = [m.get("role") for m in c.get("members", []) if m.get("state") in ("running", "streaming")]
ok = any(r in ("leader", "master", "primary") for r in roles) and "sync_standby" in roles
sys.exit(0 if ok else 1)
' && return 0
	done
	return 1
}

# psql as the PostgreSQL superuser through HAProxy's write port.
psql_admin() {
	as_svc "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
		"host=127.0.0.1 port=$WRITE_PORT user=postgres dbname=postgres connect_timeout=3" "$@"
}

# Servers of HAProxy proxy $1 whose state is exactly UP, one per line.
haproxy_up_servers() {
	curl -fsS --max-time 2 "http://127.0.0.1:$STATS_PORT/;csv" |
		awk -F, -v px="$1" '$1 == px && $2 != "FRONTEND" && $2 != "BACKEND" && $18 == "UP" { print $2 }'
}

# True when HAProxy's write port leads to the Patroni leader and nowhere
# else (HAProxy starts with every server UP until checks say otherwise).
haproxy_write_ready() {
	_l=$(leader_name)
	[ -n "$_l" ] && [ "$(haproxy_up_servers postgres_write)" = "$_l" ]
}

# True when the two other members run as replicas (any replication mode).
cluster_replicas_running() {
	for _s in $HA_SITES; do
		_j=$(curl -fsS --max-time 2 "http://127.0.0.1:$(rest_port "$_s")/cluster" 2>/dev/null) || continue
		printf '%s' "$_j" | python3 -c '
import json, sys
c = json.load(sys.stdin)
n = sum(1 for m in c.get("members", []) if m.get("role") in ("replica", "sync_standby") and m.get("state") in ("running", "streaming"))
sys.exit(0 if n >= 2 else 1)
' && return 0
	done
	return 1
}

# Prints the header comment of script $1 (its --help).
ha_help() {
	awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$1"
}
