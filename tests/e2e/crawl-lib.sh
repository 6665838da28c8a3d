# Sourced by tests/e2e/test-crawl*.sh after lib.sh: the loopback fixture
# server (tests/server/city_server.py, virtual hosts) and its request log.
PY=/usr/bin/python3
SERVER_PID=
PORT=
LOG=

# start_server ROOT [fixture_server.py options]: sets PORT and LOG; stopped on exit.
# The port is read from a FIFO: the read returns when the server has said it
# listens, or when it died first (then PORT is empty and this fails).
start_server() {
	root=$1
	shift
	LOG=$T_TMP/server-$$-${root##*/}.log
	: >"$LOG"
	rm -f "$T_TMP/port.fifo"
	mkfifo "$T_TMP/port.fifo" || return 1
	$PY "$T_ROOT/tests/server/city_server.py" --root "$root" --vhosts --log "$LOG" \
		--max-seconds 600 "$@" >"$T_TMP/port.fifo" 2>"$T_TMP/server.err" &
	SERVER_PID=$!
	PORT=
	read -r line <"$T_TMP/port.fifo" && PORT=${line#PORT }
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

# With start_server ... --gate: tests decide when the server answers, instead of
# racing the crawl (tests/server/fixture_server.py, "--gate").
# gate_open [N]: lets N more requests through (without N: all of them).
gate_open() {
	$PY "$T_ROOT/tests/server/gate.py" "$PORT" open "$@" >/dev/null
}

# gate_drop: drops the requests held at the gate (a killed crawl's), so that
# they take no place the next gate_open makes; returns once they are gone.
gate_drop() {
	$PY "$T_ROOT/tests/server/gate.py" "$PORT" drop >/dev/null
}

# gate_wait PID: returns 0 once a request is held at the gate, 1 when
# process PID ended first.
gate_wait() {
	$PY "$T_ROOT/tests/server/gate.py" "$PORT" wait --pid "$1"
}

# report_column DIR ORG N YEAR0 [newest-first]: report pages r1..rN in DIR
# (genreport.py's, of ORG, years YEAR0+1 .. YEAR0+N) and DIR/index.html
# listing them, oldest first or newest first
report_column() {
	$PY - "$T_ROOT/tests/gen" "$@" <<'PYEOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import genreport
d, org, n, y0 = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
items = []
for i in range(1, n + 1):
    v = genreport.make_report(random.Random(i), org, y0 + i, "2021")
    open("%s/r%d.html" % (d, i), "w", encoding="utf-8").write(
        genreport.render_html(v, random.Random(1), 8))
    items.append('<li><a href="r%d.html">%s%d年政府信息公开工作年度报告</a></li>' % (i, org, y0 + i))
if sys.argv[6:] == ["newest-first"]:
    items.reverse()
open("%s/index.html" % d, "w", encoding="utf-8").write(
    '<html><head><meta charset="utf-8"><title>年报</title></head><body><ul>%s</ul></body></html>'
    % "".join(items))
PYEOF
}
