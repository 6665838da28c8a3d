# Sourced by tests/e2e/test-crawl*.sh after lib.sh: the loopback fixture
# server (tests/server/city_server.py, virtual hosts) and its request log.
PY=/usr/bin/python3
SERVER_PID=
PORT=
LOG=

# start_server ROOT [fixture_server.py options]: sets PORT and LOG; stopped on exit.
start_server() {
	root=$1
	shift
	LOG=$T_TMP/server-$$-${root##*/}.log
	: >"$LOG"
	$PY "$T_ROOT/tests/server/city_server.py" --root "$root" --vhosts --log "$LOG" \
		--max-seconds 600 "$@" >"$T_TMP/port.txt" 2>"$T_TMP/server.err" &
	SERVER_PID=$!
	i=0
	while ! grep -q '^PORT ' "$T_TMP/port.txt" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	PORT=$(sed -n 's/^PORT //p' "$T_TMP/port.txt")
	case " $cleanup_hooks " in
	*" stop_server "*) ;;
	*) cleanup_hooks="$cleanup_hooks stop_server" ;;
	esac
	[ -n "$PORT" ]
}

stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	fi
}

# logq ARGS...: tests/e2e/serverlog.py on the current log
logq() {
	$PY "$T_ROOT/tests/e2e/serverlog.py" "$LOG" "$@"
}

# ge A B: A >= B for decimal numbers
ge() {
	$PY -c "import sys; sys.exit(0 if float('$1') >= float('$2') else 1)"
}

# wait_log N [SECONDS]: waits until the log has at least N requests (default 20 s at most)
wait_log() {
	i=0
	lim=$(( ${2:-20} * 50 ))
	while [ "$(grep -c . "$LOG")" -lt "$1" ] && [ $i -lt $lim ]; do
		sleep 0.02
		i=$((i + 1))
	done
}
