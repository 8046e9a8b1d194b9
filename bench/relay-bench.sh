#!/usr/bin/env bash
# relay-bench.sh - our relay next to the reference C forwarder (relayfwd), side by side, loopback only.
#
#   bench/relay-bench.sh                    3 repetitions of the whole matrix (about 12 min on 2 vCPUs)
#   REPS=1 bench/relay-bench.sh             one repetition
#   ONLY='intro1' REPS=1 bench/relay-bench.sh   a subset (ONLY: regex on labels like max-intro1-64-java)
#   SUMMARY_ONLY=path/results.txt bench/relay-bench.sh   just the summary tables of an earlier run
#
# Servers (all on 127.0.0.1):
#   fwd1     relayfwd -t 1 (recvmmsg/sendmmsg, batch 64), pinned to RELAY_CPU          the reference
#   fwd1b1   relayfwd -t 1 -b 1 (one recvmmsg + one sendmmsg per datagram), RELAY_CPU  same syscall count as ours
#   intro1   our RelayServer, 1 worker (dev.introducer.bench.load.RelayNode), pinned to RELAY_CPU: the default
#            data path (recvmmsg/sendmmsg, batch 64)
#   intro1s  the same with --batch 1: one recv + one send per datagram (the data path before batching)
#   intro1g  the same with --udp-offload on: batch 64 plus UDP_GRO on the legs' sockets and UDP_SEGMENT re-sends
#   intro2   our RelayServer, 2 workers, on ALL_CPUS (not pinned: shares CPU LG_CPU with the load generator)
#   coturn1  coturn's turnserver --relay-threads=1, pinned to RELAY_CPU, with the flags and credentials of
#            $SHARED/bench.sh (generator c only: relayload -M turn; needs the TURN build, libssl-dev)
#   none     no relay: A -> B directly, the load generator's own ceiling
# Load generators, always pinned to LG_CPU:
#   java     dev.introducer.bench.load.RelayLoad (ours; NIO, one busy-polling thread)
#   javagso  RelayLoad --gso GSO: the A legs send GSO bursts of GSO datagrams (max test only)
#   c        the reference relayload (one epoll thread, sendmmsg/recvmmsg, sleeps between paced sends)
#   cspin    relayload -y (busy-polls between sends, like ours)
# Tests:
#   max      A legs send as fast as the generator can, no echo: offered / forwarded pps, relay CPU per datagram
#   lat      RATE datagrams/s from the A legs, each echoed back by B (the relay carries 2 x RATE): one-way, RTT
#   drain    RelayLoad --drain-cycles CYCLES --fill FILL: SIGSTOP the relay, fill its buffers with FILL datagrams,
#            SIGCONT, wait for B; the relay's CPU (schedstat) per datagram at full batches, which a busy machine
#            bends much less than the timed tests (java generators only)
#
# Every server is started fresh for each run and stopped by its PID (TERM, then KILL after 5 s). The repetition
# loop is the outermost loop, so that drift hits every configuration alike. Before each run the script waits (up
# to QUIET_WAIT_S) for the machine to be idle, since a 2-vCPU box shared with other work measures that work too;
# the busy % it saw is kept with the result (pre_busy_pct).
# Bounded: every load run is DUR + WARM seconds (+ handshake and drain) under `timeout`; relayfwd runs with -T 60,
# RelayNode with --max-seconds 60; no new run starts after BUDGET_S seconds.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# The reference C tools (relayfwd, relayload) live outside the repository: SHARED names their directory
# (default: a shared/bench directory beside the repository, as laid out on the project's machines).
SHARED=${SHARED:-$ROOT/../shared/bench}
REPS=${REPS:-3}
DUR=${DUR:-8}
WARM=${WARM:-2}
SESSIONS=${SESSIONS:-16}
RATE=${RATE:-50000}
LG_CPU=${LG_CPU:-0}
RELAY_CPU=${RELAY_CPU:-1}
ALL_CPUS=${ALL_CPUS:-0,1}
FWD_PORT=${FWD_PORT:-40000}
OUR_PORT=${OUR_PORT:-40100}
TURN_PORT=${TURN_PORT:-3478}
# The same turnserver flags as $SHARED/bench.sh (-n: no configuration file, command line only).
TURN_ARGS="-n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port=$TURN_PORT --min-port=49152 --max-port=65535 --user=u:p --realm=test --lt-cred-mech --no-tls --no-dtls --allow-loopback-peers --no-cli --simple-log --no-stdout-log"
ONLY=${ONLY:-.}
GSO=${GSO:-16}
CYCLES=${CYCLES:-200}
FILL=${FILL:-1024}
BUDGET_S=${BUDGET_S:-2400}
QUIET_PCT=${QUIET_PCT:-10}
QUIET_WAIT_S=${QUIET_WAIT_S:-20}
CONTENDED_PCT=${CONTENDED_PCT:-10}
FOREIGN_PCT=${FOREIGN_PCT:-20}
OUT=${OUT:-$HERE/target/relay-bench/run-$(date -u +%Y%m%dT%H%M%SZ)}
JAR=${JAR:-$HERE/target/benchmarks.jar}
RELAY_HOST=127.0.0.1

# --- summary: medians (min-max) per label ----------------------------------------------------------------------
summarize() {  # results.txt
    CONTENDED_PCT=$CONTENDED_PCT FOREIGN_PCT=$FOREIGN_PCT python3 - "$1" <<'PY'
import sys, statistics
rows = {}
order = []
for line in open(sys.argv[1]):
    if not line.startswith("RESULT"):
        continue
    kv = dict(t.split("=", 1) for t in line.split()[1:] if "=" in t)
    def num(k):
        try:
            v = float(kv.get(k, "nan"))
        except ValueError:
            v = float("nan")
        return v
    fwd = num("rx") + (num("echo_rx") if kv.get("echo") == "1" else 0.0)
    cpu = num("srv_cpu_s")
    kv["_cpu_us"] = cpu * 1e6 / fwd if fwd > 0 and cpu == cpu else float("nan")
    kv["_cpu_pct"] = 100.0 * cpu / num("win_s") if cpu == cpu else float("nan")
    if "foreign_pct" not in kv:
        srv = num("srv_cpu_pct")
        kv["foreign_pct"] = str(num("cpu0_busy_pct") + num("cpu1_busy_pct") - num("lg_cpu_pct") - (srv if srv == srv else 0))
    import os
    kv["contended"] = "1" if (num("others_cpu_pct") > float(os.environ["CONTENDED_PCT"]) or
                              num("foreign_pct") > float(os.environ["FOREIGN_PCT"])) else "0"
    label = kv["label"]
    if label not in rows:
        rows[label] = []
        order.append(label)
    rows[label].append(kv)

def fmt(values, digits):
    values = [v for v in values if v == v]
    if not values:
        return "-"
    f = lambda x: f"{x:,.{digits}f}"
    m = statistics.median(values)
    if len(values) == 1:
        return f(m)
    return f"{f(m)} ({f(min(values))}-{f(max(values))})"

def pick(label):
    runs = rows[label]
    clean = [r for r in runs if r.get("contended", "0") == "0"]
    used = clean if clean else runs
    return used, f"{len(used)}" + ("" if len(used) == len(runs) else f" of {len(runs)}") + ("" if clean else " (all contended)")

def col(runs, key, digits):
    out = []
    for r in runs:
        v = r.get(key, "nan")
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            out.append(float("nan"))
    return fmt(out, digits)

print("### Throughput: A legs as fast as the generator can (no echo); medians (min-max)\n")
print("| run | n | offered pps | forwarded pps (rx at B) | loss % | relay CPU % of 1 core (utime+stime) | relay CPU µs / fwd datagram | CPU0 / CPU1 busy % | others' CPU % / foreign % |")
print("|---|---|---|---|---|---|---|---|---|")
for label in order:
    if not label.startswith("max-"):
        continue
    runs, n = pick(label)
    print(f"| {label} | {n} | {col(runs,'tx_pps',0)} | {col(runs,'rx_pps',0)} | {col(runs,'loss_pct',2)} | "
          f"{col(runs,'_cpu_pct',0)} | {col(runs,'_cpu_us',2)} | {col(runs,'cpu0_busy_pct',0)} / {col(runs,'cpu1_busy_pct',0)} | {col(runs,'others_cpu_pct',1)} / {col(runs,'foreign_pct',0)} |")
print()
print("### Latency: RATE datagrams/s from A, every one echoed (the relay carries 2 x RATE); µs; medians (min-max)\n")
print("| run | n | one-way p50 | p90 | p99 | p99.9 | max | RTT p50 | RTT p99 | loss % (one-way) | relay CPU % | relay CPU µs / fwd datagram | others' CPU % / foreign % |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for label in order:
    if not label.startswith("lat-"):
        continue
    runs, n = pick(label)
    print(f"| {label} | {n} | {col(runs,'ow_p50_us',1)} | {col(runs,'ow_p90_us',1)} | {col(runs,'ow_p99_us',1)} | "
          f"{col(runs,'ow_p999_us',0)} | {col(runs,'ow_max_us',0)} | {col(runs,'rtt_p50_us',1)} | {col(runs,'rtt_p99_us',1)} | "
          f"{col(runs,'loss_pct',3)} | {col(runs,'_cpu_pct',0)} | {col(runs,'_cpu_us',2)} | {col(runs,'others_cpu_pct',1)} / {col(runs,'foreign_pct',0)} |")
print()
print("### Fill and drain: the relay's CPU per datagram at full batches (schedstat); medians (min-max)\n")
print("| run | n | datagrams received at B | loss % | relay CPU µs / fwd datagram |")
print("|---|---|---|---|---|")
for label in order:
    if not label.startswith("drain-"):
        continue
    runs, n = pick(label)
    print(f"| {label} | {n} | {col(runs,'rx',0)} | {col(runs,'loss_pct',3)} | {col(runs,'relay_us_per_dgram',3)} |")
print()
print("Contended runs (other processes on the CPUs: others_cpu_pct > CONTENDED_PCT or foreign_pct > FOREIGN_PCT;")
print("contended=1 in results.txt) were run again once; a row's medians leave them out when a clean run exists ('n of m').")
PY
}

if [[ -n "${SUMMARY_ONLY:-}" ]]; then summarize "$SUMMARY_ONLY"; exit 0; fi

mkdir -p "$OUT"
RESULTS=$OUT/results.txt
COMMANDS=$OUT/commands.txt
: > "$RESULTS"
: > "$COMMANDS"
log() { printf '[relay-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- build ----------------------------------------------------------------------------------------------------
if [[ ! -f "$JAR" || "${BUILD:-0}" == 1 ]]; then
    log "building bench/target/benchmarks.jar"
    (cd "$ROOT" && mvn -B -q -o -pl bench -am package -DskipTests)
fi
FLAGS=$(sed -n 's/^jvm.runtime.flags=//p' "$HERE/target/classes/bench.properties")
[[ -n "$FLAGS" ]] || { echo "no jvm.runtime.flags in bench/target/classes/bench.properties" >&2; exit 1; }

# The C tools are built from a private copy, so the shared directory is never written to (it may be read-only,
# and others may use the binaries there).
if [[ ! -f $SHARED/relayfwd.c ]]; then
    echo "relay-bench: no reference C tools in '$SHARED' (set SHARED to the directory holding relayfwd.c)" >&2
    exit 2
fi
TOOLS=$(mktemp -d -t relay-bench-tools.XXXXXX)
cp "$SHARED/relayfwd.c" "$SHARED/relayload.c" "$SHARED/Makefile" "$TOOLS/"
# relayload's TURN mode (for coturn1) needs libcrypto; without it relayload is built without TURN.
if ! make -s -C "$TOOLS" relayfwd relayload 2>/dev/null; then
    rm -f "$TOOLS/relayload"
    make -s -C "$TOOLS" NO_TURN=1 relayfwd relayload
fi

SECRET=$OUT/relay-secret
(umask 077 && head -c 32 /dev/urandom | base64 > "$SECRET")

SERVER_PID=
stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
cleanup() { stop_server; rm -rf "$TOOLS"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { ss -Huln "sport = :$1" | grep -q .; }
for p in "$FWD_PORT" "$OUR_PORT" "$TURN_PORT"; do
    if port_busy "$p"; then echo "UDP port $p is in use; stop that server first" >&2; exit 1; fi
done

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "kernel: $(uname -r)"
    echo "java: $(java -version 2>&1 | tr '\n' ' ')"
    echo "gcc: $(gcc --version | head -1)"
    echo "coturn: $(dpkg-query -W -f='${Version}' coturn 2>/dev/null || echo none)"
    echo "net.core.rmem_max: $(cat /proc/sys/net/core/rmem_max) wmem_max: $(cat /proc/sys/net/core/wmem_max)"
    echo "jvm flags: $FLAGS"
    echo "REPS=$REPS DUR=$DUR WARM=$WARM SESSIONS=$SESSIONS RATE=$RATE GSO=$GSO LG_CPU=$LG_CPU RELAY_CPU=$RELAY_CPU ALL_CPUS=$ALL_CPUS"
} > "$OUT/machine.txt"

# Busy % of the whole machine over 0.5 s (all CPUs, everything but idle and iowait).
busy_pct() {
    local a b
    a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    sleep 0.5
    b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    echo "$a $b" | awk '{t=$4-$2; if (t<=0) t=1; printf "%d\n", 100*($3-$1)/t}'
}
wait_quiet() {
    local start=$SECONDS b
    while :; do
        b=$(busy_pct)
        if (( b <= QUIET_PCT )) || (( SECONDS - start >= QUIET_WAIT_S )); then echo "$b"; return; fi
    done
}

# CPU ticks (utime+stime) of every user-space process: "pid comm ticks" lines. Kernel threads are left out.
proc_snapshot() {
    python3 - > "$1" <<'PYSNAP'
import os
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        continue
    comm = stat[stat.index("(") + 1:stat.rindex(")")].replace(" ", "_")
    f = stat[stat.rindex(")") + 2:].split()
    if int(f[6]) & 0x00200000:
        continue
    print(pid, comm, int(f[11]) + int(f[12]))
PYSNAP
}
# CPU % of one core used by other processes between two snapshots, leaving out a pid and the C load generator.
others_pct() {  # before after seconds exclude_pid
    awk -v secs="$3" -v ex="$4" 'NR==FNR {b[$1]=$3; next} $1!=ex && $2!="relayload" {d+=$3-($1 in b ? b[$1] : 0)} END {printf "%.1f", d/secs}' "$1" "$2"
}


# --- servers --------------------------------------------------------------------------------------------------
start_server() {  # kind logfile
    local kind=$1 logf=$2 cmd
    case $kind in
        none) SERVER_PID=; return 0 ;;
        fwd1)   cmd="taskset -c $RELAY_CPU $TOOLS/relayfwd -a $RELAY_HOST -p $FWD_PORT -t 1 -T 60" ;;
        fwd1b1) cmd="taskset -c $RELAY_CPU $TOOLS/relayfwd -a $RELAY_HOST -p $FWD_PORT -t 1 -b 1 -T 60" ;;
        intro1) cmd="taskset -c $RELAY_CPU java $FLAGS -cp $JAR dev.introducer.bench.load.RelayNode --listen $RELAY_HOST:$OUR_PORT --secret-file $SECRET --workers 1 --max-seconds 60" ;;
        intro1s) cmd="taskset -c $RELAY_CPU java $FLAGS -cp $JAR dev.introducer.bench.load.RelayNode --listen $RELAY_HOST:$OUR_PORT --secret-file $SECRET --workers 1 --max-seconds 60 --batch 1" ;;
        intro1g) cmd="taskset -c $RELAY_CPU java $FLAGS -cp $JAR dev.introducer.bench.load.RelayNode --listen $RELAY_HOST:$OUR_PORT --secret-file $SECRET --workers 1 --max-seconds 60 --udp-offload on" ;;
        coturn1) cmd="taskset -c $RELAY_CPU turnserver $TURN_ARGS --relay-threads=1 --pidfile=$OUT/turnserver.pid --log-file=$logf.turn" ;;
        intro2) cmd="taskset -c $ALL_CPUS java $FLAGS -cp $JAR dev.introducer.bench.load.RelayNode --listen $RELAY_HOST:$OUR_PORT --secret-file $SECRET --workers 2 --max-seconds 60" ;;
        *) echo "unknown server $kind" >&2; exit 1 ;;
    esac
    echo "server: $cmd" >> "$COMMANDS"
    # shellcheck disable=SC2086 # cmd is a list of words
    $cmd > "$logf" 2>&1 &
    SERVER_PID=$!
    local port=$FWD_PORT
    [[ $kind == intro* ]] && port=$OUR_PORT
    [[ $kind == coturn* ]] && port=$TURN_PORT
    for _ in $(seq 1 150); do
        if [[ $kind == intro* ]]; then grep -q 'RelayNode listening' "$logf" && return 0
        elif [[ $kind == coturn* ]]; then
            # as $SHARED/bench.sh: coturn opens its port before its relay threads are ready
            port_busy "$port" && { sleep 0.5; kill -0 "$SERVER_PID" 2>/dev/null && return 0; break; }
        else port_busy "$port" && return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "server $kind did not come up; log:" >&2; cat "$logf" >&2; exit 1
}

# --- one run --------------------------------------------------------------------------------------------------
run_one() {  # test server size generator rep
    local test=$1 server=$2 size=$3 gen=$4 rep=$5
    local label="$test-$server-$size-$gen"
    [[ $label =~ $ONLY ]] || return 0
    if (( SECONDS > BUDGET_S )); then log "time budget reached: skipping $label rep $rep"; return 0; fi
    local pre
    pre=$(wait_quiet)
    local slog="$OUT/$label.rep$rep.server.log" llog="$OUT/$label.rep$rep.load.log"
    start_server "$server" "$slog"
    local pid=${SERVER_PID:-0} cmd line
    local target=introducer port=$OUR_PORT
    [[ $server == fwd* ]] && { target=relayfwd; port=$FWD_PORT; }
    [[ $server == coturn* ]] && { target=turn; port=$TURN_PORT; }
    [[ $server == none ]] && target=direct
    if [[ $gen == java* ]]; then
        local gflags=$FLAGS
        # --gso reads the B legs with recvmmsg on the NIO channels' file descriptors (a JDK-internal field).
        [[ $gen == javagso ]] && gflags+=" --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
        cmd="taskset -c $LG_CPU java $gflags -cp $JAR dev.introducer.bench.load.RelayLoad --target $target"
        [[ $target != direct ]] && cmd+=" --relay $RELAY_HOST:$port"
        [[ $target == introducer ]] && cmd+=" --secret-file $SECRET"
        cmd+=" --sessions $SESSIONS --size $size --duration $DUR --warmup $WARM --label $label"
        if [[ $test == lat ]]; then cmd+=" --rate $RATE --echo"; else cmd+=" --max"; fi
        [[ $test == drain ]] && cmd+=" --drain-cycles $CYCLES --fill $FILL"
        [[ $gen == javagso ]] && cmd+=" --gso $GSO"
        (( pid > 0 )) && cmd+=" --cpu-pid $pid"
    else
        local mode=relay
        [[ $target == direct ]] && mode=direct
        [[ $target == turn ]] && mode=turn
        cmd="taskset -c $LG_CPU $TOOLS/relayload -M $mode -s $RELAY_HOST:$port -P $SESSIONS -T $((DUR + WARM)) -w $WARM -S $size -l $label"
        [[ $test == lat ]] && cmd+=" -R $RATE -E"
        [[ $gen == cspin ]] && cmd+=" -y"
        (( pid > 0 )) && cmd+=" -c $pid"
    fi
    echo "load:   $cmd" >> "$COMMANDS"
    local snap0="$OUT/.snap0" snap1="$OUT/.snap1"
    proc_snapshot "$snap0"
    local n0
    n0=$(date +%s.%N)
    # shellcheck disable=SC2086 # cmd is a list of words
    if ! timeout $((DUR + WARM + 40)) $cmd > "$llog" 2>&1; then
        log "$label rep $rep FAILED (see $llog)"
        stop_server
        return 0
    fi
    proc_snapshot "$snap1"
    local others
    others=$(others_pct "$snap0" "$snap1" "$(echo "$(date +%s.%N) - $n0" | bc)" "$pid")
    stop_server
    # Our relay prints its counters (batching, GRO/GSO) on stop: keep them with the result.
    if [[ $server == intro* ]]; then
        local counters
        counters=$(grep -o 'batching=[a-z]* batched_sends_dropped=[0-9]* coalesced_receives=[0-9]* gso_sends=[0-9]*' "$slog" | tail -1 || true)
        echo "$label rep $rep server counters: ${counters:-none}" >> "$COMMANDS"
    fi
    line=$(grep "^RESULT" "$llog" | tail -1 || true)
    [[ -n "$line" ]] || { log "$label rep $rep: no RESULT line (see $llog)"; return 0; }
    if [[ $gen != java* ]]; then
        # relayload reports the watched process's utime and stime over the window in its human-readable block.
        local cpu
        cpu=$(awk '/^  pid [0-9]+ cpu:/{for(i=1;i<=NF;i++){if($i=="user")u=$(i+1); if($i=="sys")s=$(i+1)}; sub("s","",u); sub("s","",s); printf "%.2f", u+s}' "$llog")
        line+=" generator=$gen srv_cpu_s=${cpu:-nan}"
    fi
    # Others' CPU during the run: RelayLoad measures it over its window itself; for relayload it is measured here
    # over the whole run (handshake and warm-up included).
    if [[ $line != *others_cpu_pct=* ]]; then line+=" others_cpu_pct=$others"; fi
    # Contended: other processes took CPU time during the run. Two estimates, either one over its limit:
    #   others_cpu_pct  their utime+stime (misses processes that started and ended within the run)
    #   foreign_pct     busy % of both CPUs minus the generator's and the relay's CPU (catches those too)
    local foreign contended=0
    foreign=$(echo "$line" | tr ' ' '\n' | awk -F= '{v[$1]=$2} END {s=v["srv_cpu_pct"]; if (s=="nan" || s=="") s=0;
        printf "%.0f", v["cpu0_busy_pct"] + v["cpu1_busy_pct"] - v["lg_cpu_pct"] - s}')
    line+=" foreign_pct=$foreign"
    if awk -v o="$(echo "$line" | tr ' ' '\n' | sed -n 's/^others_cpu_pct=//p')" -v f="$foreign" \
        -v lim="$CONTENDED_PCT" -v flim="$FOREIGN_PCT" 'BEGIN{exit !(o+0 > lim+0 || f+0 > flim+0)}'; then
        contended=1
    fi
    echo "$line rep=$rep pre_busy_pct=$pre contended=$contended" >> "$RESULTS"
    log "$label rep $rep: $(echo "$line" | tr ' ' '\n' | grep -E '^(tx_pps|rx_pps|loss_pct|ow_p50_us|ow_p99_us|srv_cpu_pct)=' | tr '\n' ' ')others=$(echo "$line" | tr ' ' '\n' | sed -n 's/^others_cpu_pct=//p')% foreign=$foreign%"
    if (( contended )) && [[ ${RETRY:-1} == 1 ]]; then
        log "$label rep $rep: contended by other processes; running it again"
        RETRY=0 run_one "$@"
    fi
}

# --- the matrix -----------------------------------------------------------------------------------------------
log "output in $OUT"
for rep in $(seq 1 "$REPS"); do
    run_one max none 64 java "$rep"
    run_one max none 64 c "$rep"
    for size in 64 1200; do
        run_one max fwd1 "$size" java "$rep"
        run_one max fwd1 "$size" c "$rep"
        run_one max coturn1 "$size" c "$rep"
        run_one max fwd1b1 "$size" java "$rep"
        run_one max intro1s "$size" java "$rep"
        run_one max intro1 "$size" java "$rep"
        run_one max intro1g "$size" java "$rep"
        run_one max intro2 "$size" java "$rep"
    done
    # Bulk GSO bursts (the moonshot): the same GSO-sending generator for every relay.
    run_one max none 1200 javagso "$rep"
    run_one max fwd1 1200 javagso "$rep"
    run_one max intro1 1200 javagso "$rep"
    run_one max intro1g 1200 javagso "$rep"
    for size in 64 1200; do
        for server in fwd1 intro1s intro1 intro1g; do run_one drain "$server" "$size" java "$rep"; done
    done
    for server in fwd1 intro1 intro1g; do run_one drain "$server" 1200 javagso "$rep"; done
    run_one lat fwd1 64 java "$rep"
    run_one lat fwd1 64 c "$rep"
    run_one lat fwd1 64 cspin "$rep"
    run_one lat fwd1b1 64 java "$rep"
    run_one lat intro1s 64 java "$rep"
    run_one lat intro1 64 java "$rep"
    run_one lat intro1g 64 java "$rep"
    run_one lat intro2 64 java "$rep"
done
log "matrix done in ${SECONDS}s"
summarize "$RESULTS" > "$OUT/summary.md"

cat "$OUT/summary.md"
log "results: $RESULTS; summary: $OUT/summary.md; commands: $COMMANDS"
