#!/usr/bin/env bash
# netlab.sh - the NAT lab of the introducer project (dev.introducer, UDP NAT traversal).
#
# Emulates real kernel NATs with Linux network namespaces, so that the project's
# tests can run `tools/bin/introducer node|nat|peer ...` behind them and check NAT
# classification, hole punching and relaying against the kernel's own NAT
# (nftables masquerade = easy, masquerade fully-random = hard) instead of mocks.
# The Java harness (tools/src/test/java/dev/introducer/tools/lab/NetLab.java)
# drives this script; see tools/lab/README.md.
#
# One "lab" = 11 network namespaces named PREFIX-HOST, fully isolated from the
# host's own network (no link to the root namespace, no route out of the
# RFC 2544 range 198.18.0.0/15). Needs root.
set -euo pipefail

PROG=${0##*/}
HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
PREFIX=${NETLAB_PREFIX:-nl}
STATE_ROOT=${NETLAB_STATE_DIR:-/run/netlab}
QUIET=${NETLAB_QUIET:-0}

# ---- addressing: the same in every lab (labs cannot see each other) --------
INET_GW=198.18.0.1          # "internet" core (bridge br0 in PREFIX-inet)
SRV_IP=198.18.0.10          # introducer / rendezvous server
SRV_IP2=198.18.0.11         # second address on the server (mapping tests)
PUB_IP=198.18.0.20          # public host without NAT
RTA_WAN=198.18.0.101; RTA_LAN=198.19.1.1; LAN_A=198.19.1.0/24; A_IP=198.19.1.10; A2_IP=198.19.1.11
RTB_WAN=198.18.0.102; RTB_LAN=198.19.2.1; LAN_B=198.19.2.0/24; B_IP=198.19.2.10; B2_IP=198.19.2.11
RTC_WAN=198.18.0.103; RTC_LAN=198.19.3.1; LAN_C=198.19.3.0/24; C_IP=198.19.3.10

SIDES=(a b c)   # NAT router rtX with its LAN (bridge 'lan' in rtX) per side X
declare -A RT_WAN=([a]=$RTA_WAN [b]=$RTB_WAN [c]=$RTC_WAN)
declare -A RT_LAN=([a]=$RTA_LAN [b]=$RTB_LAN [c]=$RTC_LAN)
declare -A LAN_NET=([a]=$LAN_A [b]=$LAN_B [c]=$LAN_C)
declare -A LAN_HOSTS=([a]="a a2" [b]="b b2" [c]="c")
HOSTS=(inet srv pub rta a a2 rtb b b2 rtc c)
DELAY_Q=7   # NFQUEUE number used by 'delay' (queues are per namespace)
NAT_MODES="easy easy-icmp hard random none"

usage() {
  cat <<EOF
Usage: $PROG [--prefix P] COMMAND [ARGS]

Emulates NAT'ed networks with network namespaces and the kernel's own NAT
(nftables masquerade + conntrack). Needs root. All addresses are in 198.18.0.0/15.

Commands:
  up [--nat-a MODE] [--nat-b MODE] [--nat-c MODE]
     [--udp-timeout S] [--udp-stream-timeout S]
        Create the lab (idempotent). On an existing lab only the NAT modes and
        timeouts are (re)applied; conntrack of a changed router is flushed.
        MODE: easy      endpoint-independent mapping, port preserving
                        (masquerade); address+port-dependent filtering
              easy-icmp easy, but the router's own input is not firewalled:
                        an unsolicited packet to a mapped port gets ICMP
                        port-unreachable and pins a conntrack entry, so a
                        later outbound packet to that peer gets a NEW port
              hard      endpoint-dependent mapping, random port per flow
                        (masquerade fully-random)
              random    like hard, via 'masquerade random'
              none      plain router, no NAT, no filtering (LAN is routed)
        Defaults: --nat-a easy --nat-b easy --nat-c easy --udp-timeout 30
        --udp-stream-timeout 120 (conntrack UDP timeouts on all three
        routers: unreplied / after traffic in both directions).
  nat a|b|c MODE    Switch one router's NAT mode in place (flushes its conntrack).
  down              Delete the lab's namespaces (kills processes left inside,
                    run-bg ones first).
  exec HOST CMD...  Run CMD inside HOST's namespace (ip netns exec PREFIX-HOST).
  run-bg HOST LOGFILE CMD...
                    Start CMD in HOST's namespace in the background (own
                    session, stdin /dev/null, stdout+stderr to LOGFILE, which
                    is truncated first), print its PID on stdout and record
                    it, so 'down' stops it (and its process group). Exit 1
                    if CMD is not found or fails within 50 ms.
  wait-udp HOST PORT TIMEOUT
                    Wait until a UDP socket is bound to PORT in HOST's
                    namespace ('ss -uln' there), at most TIMEOUT seconds
                    (may be fractional). Exit 0 when found, 1 on timeout.
  addr HOST         Print HOST's main IPv4 address.
  ns HOST           Print HOST's namespace name.
  status            Show hosts, addresses, NAT modes, conntrack counts.
                    Exit 0 if the lab is up, 2 if it is down or incomplete.
  impair [--loss PCT] [--clear]
                    Drop PCT % (0-100, integer) of IPv4 frames crossing the
                    internet bridge (nft numgen). --clear removes it.
  delay HOST MS [--jitter MS] [--loss PCT] | delay HOST off
                    Hold every packet on HOST's uplink (wan for rta/rtb/rtc,
                    eth0 otherwise) MS ms in each direction (RTT +2*MS), using
                    nfqdelay.py via NFQUEUE (this kernel has no netem).
                    Needs iptables and python3. Stops after 1 h by itself.
  conntrack a|b|c   List the NAT router's conntrack table (needs 'conntrack').
  check             Probe kernel/tool support (NAT, fully-random, netem, ...).
  list              List labs (prefixes) that are up.

Hosts (namespace PREFIX-HOST; the same addresses in every lab):
  inet  $INET_GW      the "internet": bridge br0 joining all public hosts
  srv   $SRV_IP     introducer / rendezvous server (also $SRV_IP2)
  pub   $PUB_IP     public host without NAT
  rta   $RTA_WAN    NAT router A, LAN side $RTA_LAN/24
  a     $A_IP     peer A behind rta
  a2    $A2_IP     second host behind rta (same public IP as a; no hairpin)
  rtb   $RTB_WAN    NAT router B, LAN side $RTB_LAN/24
  b     $B_IP     peer B behind rtb
  b2    $B2_IP     second host behind rtb
  rtc   $RTC_WAN    NAT router C, LAN side $RTC_LAN/24
  c     $C_IP     peer C behind rtc

Options:
  --prefix P   Lab name prefix: 'nl' optionally followed by [a-z0-9-], at most
               12 characters (default \$NETLAB_PREFIX or 'nl'). Labs with
               different prefixes run side by side.
  -q           Quieter output.   -h, --help   This help.

Examples:
  sudo $PROG up --nat-a easy --nat-b hard
  sudo $PROG up --nat-a hard --nat-b hard --nat-c easy   # three parties
  sudo $PROG exec a java -jar peer.jar $SRV_IP:3478
  pid=\$(sudo $PROG run-bg srv /tmp/srv.log java -jar introducer.jar 3478)
  sudo $PROG wait-udp srv 3478 10 && sudo $PROG exec a ...
  sudo $PROG --prefix nl2 up && sudo $PROG --prefix nl2 down
EOF
}

# ---- helpers ------------------------------------------------------------------
die()  { echo "$PROG: error: $*" >&2; exit 1; }
log()  { [[ $QUIET == 1 ]] || echo "$PROG: $*" >&2; }
warn() { echo "$PROG: warning: $*" >&2; }

need_root() { [[ $(id -u) == 0 ]] || die "must run as root (network namespaces, nftables)"; }
need_cmd()  { local c; for c; do command -v "$c" >/dev/null 2>&1 || die "missing command '$c' (Debian: apt-get install ${PKG[$c]:-$c})"; done; }
declare -A PKG=([ip]=iproute2 [ss]=iproute2 [nft]=nftables [conntrack]=conntrack [flock]=util-linux [setsid]=util-linux [iptables]=iptables)

check_prefix() {
  [[ $PREFIX =~ ^nl[a-z0-9-]{0,10}$ ]] || die "bad prefix '$PREFIX': must be 'nl' followed by up to 10 of [a-z0-9-]"
}
ns()        { echo "${PREFIX}-$1"; }
ns_exists() { [[ -e /run/netns/$(ns "$1") ]]; }
in_ns()     { local h=$1; shift; ip netns exec "$(ns "$h")" "$@"; }
state_file(){ echo "$STATE_ROOT/${PREFIX}.env"; }
valid_host(){ local h; for h in "${HOSTS[@]}"; do [[ $h == "$1" ]] && return 0; done; return 1; }
valid_mode(){ [[ " $NAT_MODES " == *" $1 "* ]]; }
valid_side(){ local s; for s in "${SIDES[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

host_ip() {
  case $1 in
    inet) echo $INET_GW ;; srv) echo $SRV_IP ;; pub) echo $PUB_IP ;;
    rta) echo $RTA_WAN ;; rtb) echo $RTB_WAN ;; rtc) echo $RTC_WAN ;;
    a) echo $A_IP ;; a2) echo $A2_IP ;; b) echo $B_IP ;; b2) echo $B2_IP ;; c) echo $C_IP ;;
    *) return 1 ;;
  esac
}

with_lock() {  # serialise up/down/nat (all prefixes: 'ip netns add' is racy on first use)
  need_cmd flock
  mkdir -p "$STATE_ROOT"
  exec 9<"$STATE_ROOT"
  flock -w 30 9 || die "timed out waiting for another netlab.sh (lock on $STATE_ROOT)"
}

lab_any()      { local h; for h in "${HOSTS[@]}" chk; do ns_exists "$h" && return 0; done; return 1; }
lab_complete() {
  local h s; for h in "${HOSTS[@]}"; do ns_exists "$h" || return 1; done
  [[ -f $(state_file) ]] || return 1
  ip -n "$(ns inet)" link show br0 >/dev/null 2>&1 || return 1
  for s in "${SIDES[@]}"; do
    for h in ${LAN_HOSTS[$s]}; do ip -n "$(ns "$h")" link show eth0 >/dev/null 2>&1 || return 1; done
  done
}

# ---- kernel feature probe -------------------------------------------------------
# Uses a throw-away namespace PREFIX-chk. Prints a report when verbose=1,
# returns non-zero if something the lab needs is missing.
probe() {
  local verbose=${1:-0} c; c=$(ns chk)
  local fail=0
  ip netns del "$c" 2>/dev/null || true
  ip netns add "$c" 2>/dev/null || die "cannot create network namespaces (ip netns add failed; CONFIG_NET_NS? running in a restricted container?)"
  # shellcheck disable=SC2317
  _ok()   { [[ $verbose == 1 ]] && printf '  %-44s ok\n' "$1"; return 0; }
  _bad()  { printf '  %-44s MISSING  %s\n' "$1" "$2" >&2; fail=1; }
  _opt()  { [[ $verbose == 1 ]] && printf '  %-44s no (optional) %s\n' "$1" "$2"; return 0; }
  [[ $verbose == 1 ]] && echo "kernel $(uname -r), nft $(nft --version 2>/dev/null | awk '{print $2}')"
  if ip -n "$c" link add v0 type veth peer name v1 2>/dev/null; then _ok veth; else _bad veth "CONFIG_VETH"; fi
  if ip -n "$c" link add br0 type bridge 2>/dev/null; then _ok bridge; else _bad bridge "CONFIG_BRIDGE"; fi
  if [[ -e /proc/sys/net/netfilter/nf_conntrack_max ]] || ip netns exec "$c" test -e /proc/sys/net/netfilter/nf_conntrack_udp_timeout; then _ok conntrack; else _bad conntrack "CONFIG_NF_CONNTRACK"; fi
  local t='add table ip t
add chain ip t post { type nat hook postrouting priority srcnat; }
add chain ip t fw1 { type filter hook forward priority filter; policy drop; }
add rule ip t fw1 ct state established,related accept'
  if ip netns exec "$c" nft -f - <<<"$t" 2>/dev/null; then _ok "nft nat chain + ct state"; else _bad "nft nat chain + ct state" "CONFIG_NF_TABLES/NFT_NAT/NFT_CT"; fi
  if ip netns exec "$c" nft add rule ip t post oifname v0 masquerade 2>/dev/null; then _ok "nft masquerade (easy)"; else _bad "nft masquerade (easy)" "CONFIG_NFT_MASQ"; fi
  if ip netns exec "$c" nft add rule ip t post oifname v0 masquerade fully-random 2>/dev/null; then _ok "nft masquerade fully-random (hard)"; else _bad "nft masquerade fully-random (hard)" "kernel/nft too old"; fi
  if ip netns exec "$c" nft add rule ip t post oifname v0 masquerade random 2>/dev/null; then _ok "nft masquerade random"; else _bad "nft masquerade random" "kernel/nft too old"; fi
  if ip netns exec "$c" nft 'add table bridge t; add chain bridge t f { type filter hook forward priority 0; }; add rule bridge t f ether type ip numgen random mod 100 < 5 drop' 2>/dev/null; then _ok "nft bridge numgen (loss)"; else _opt "nft bridge numgen (loss)" "impair --loss unavailable"; fi
  if ip netns exec "$c" sysctl -q -w net.netfilter.nf_conntrack_udp_timeout=31 >/dev/null 2>&1; then _ok "per-netns conntrack udp timeout"; else _opt "per-netns conntrack udp timeout" "--udp-timeout unavailable"; fi
  if [[ $verbose == 1 ]]; then
    if command -v iptables >/dev/null; then
      if ip netns exec "$c" iptables -t nat -A POSTROUTING -o v0 -j MASQUERADE --random-fully 2>/dev/null; then _ok "iptables MASQUERADE --random-fully"; else _opt "iptables MASQUERADE --random-fully" ""; fi
    else _opt "iptables" "(not installed; not needed)"; fi
    if ip netns exec "$c" tc qdisc add dev v0 root netem delay 10ms 2>/dev/null; then _ok "tc netem (delay/loss)"; else _opt "tc netem (delay/loss)" "CONFIG_NET_SCH_NETEM not set"; fi
    if command -v conntrack >/dev/null; then _ok "conntrack tool"; else _opt "conntrack tool" "(apt-get install conntrack; needed to flush on 'nat')"; fi
    if command -v tcpdump >/dev/null; then _ok "tcpdump"; else _opt "tcpdump" ""; fi
    if command -v python3 >/dev/null; then _ok "python3 (selftest.py)"; else _opt "python3" ""; fi
  fi
  ip netns del "$c" 2>/dev/null || true
  return $fail
}

# ---- NAT rules ------------------------------------------------------------------
nft_rules() {  # $1 = a|b|c, $2 = mode  -> nft script on stdout
  local side=$1 mode=$2 lan pol=drop nat=""
  lan=${LAN_NET[$side]}
  local inpol=$pol
  case $mode in
    easy)   nat="oifname \"wan\" ip saddr $lan masquerade" ;;
    easy-icmp) nat="oifname \"wan\" ip saddr $lan masquerade"; inpol=accept ;;
    hard)   nat="oifname \"wan\" ip saddr $lan masquerade fully-random" ;;
    random) nat="oifname \"wan\" ip saddr $lan masquerade random" ;;
    none)   pol=accept inpol=accept ;;
  esac
  cat <<EOF
table ip netlab
delete table ip netlab
table ip netlab {
  comment "netlab nat=$mode"
  chain input {
    type filter hook input priority filter; policy $inpol;
    ct state established,related accept
    iifname { "lo", "lan" } accept
  }
  chain forward {
    type filter hook forward priority filter; policy $pol;
    ct state established,related accept
    iifname "lan" oifname "wan" accept
    iifname "lan" oifname "lan" accept comment "LAN-internal bridged frames, only seen if br_netfilter is on"
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    $nat
  }
}
EOF
}

apply_nat() {  # $1 = a|b|c, $2 = mode, $3 = flush(0/1)
  local side=$1 mode=$2 flush=${3:-1} r=rt$1
  valid_mode "$mode" || die "bad NAT mode '$mode' (one of: $NAT_MODES)"
  nft_rules "$side" "$mode" | in_ns "$r" nft -f - || die "nft rejected the rules for router $r (mode $mode); run '$PROG check'"
  if [[ $flush == 1 ]]; then
    if command -v conntrack >/dev/null; then in_ns "$r" conntrack -F >/dev/null 2>&1 || true
    else warn "conntrack tool missing: old mappings in $r are kept until they time out"; fi
  fi
}

apply_timeouts() {  # $1 = udp timeout, $2 = udp stream timeout (empty = leave)
  local s r
  for s in "${SIDES[@]}"; do
    r=rt$s
    [[ -n $1 ]] && { in_ns "$r" sysctl -q -w net.netfilter.nf_conntrack_udp_timeout="$1" >/dev/null || die "cannot set udp timeout in $r"; }
    [[ -n $2 ]] && { in_ns "$r" sysctl -q -w net.netfilter.nf_conntrack_udp_timeout_stream="$2" >/dev/null || die "cannot set udp stream timeout in $r"; }
  done
  return 0
}

read_state() {  # parse (not source) the state file
  NAT_A=easy NAT_B=easy NAT_C=easy CREATED=""
  local f k v; f=$(state_file)
  [[ -f $f ]] || return 0
  while IFS='=' read -r k v; do
    case $k in
      NAT_A) valid_mode "$v" && NAT_A=$v ;;
      NAT_B) valid_mode "$v" && NAT_B=$v ;;
      NAT_C) valid_mode "$v" && NAT_C=$v ;;
      CREATED) [[ $v =~ ^[0-9]+$ ]] && CREATED=$v ;;
    esac
  done <"$f"
  return 0
}
write_state() {
  mkdir -p "$STATE_ROOT"
  printf 'NAT_A=%s\nNAT_B=%s\nNAT_C=%s\nCREATED=%s\n' "$NAT_A" "$NAT_B" "$NAT_C" "${CREATED:-$(date +%s)}" >"$(state_file)"
}

# ---- topology -------------------------------------------------------------------
add_ns() {
  local n; n=$(ns "$1")
  ip netns add "$n"
  ip -n "$n" link set lo up
  # no IPv6 on lab links (keeps captures clean); lo keeps ::1
  ip netns exec "$n" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1 >/dev/null
}

attach_inet() {  # host ifname cidr : veth from the internet bridge into host
  local h=$1 ifn=$2 cidr=$3
  ip -n "$(ns inet)" link add "p-$h" type veth peer name "$ifn" netns "$(ns "$h")"
  ip -n "$(ns inet)" link set "p-$h" master br0 up
  ip -n "$(ns "$h")" addr add "$cidr" dev "$ifn"
  ip -n "$(ns "$h")" link set "$ifn" up
}

attach_lan() {  # side host : veth from router rtSIDE's LAN bridge into host
  local side=$1 h=$2 r=rt$1
  ip -n "$(ns "$r")" link add "p-$h" type veth peer name eth0 netns "$(ns "$h")"
  ip -n "$(ns "$r")" link set "p-$h" master lan up
  ip -n "$(ns "$h")" addr add "$(host_ip "$h")/24" dev eth0
  ip -n "$(ns "$h")" link set eth0 up
  ip -n "$(ns "$h")" route add default via "${RT_LAN[$side]}"
}

build() {
  local h s r o
  for h in "${HOSTS[@]}"; do add_ns "$h"; done
  local I; I=$(ns inet)
  ip -n "$I" link add br0 type bridge
  ip -n "$I" addr add $INET_GW/24 dev br0
  ip -n "$I" link set br0 up
  attach_inet srv eth0 $SRV_IP/24
  ip -n "$(ns srv)" addr add $SRV_IP2/24 dev eth0
  attach_inet pub eth0 $PUB_IP/24
  for s in "${SIDES[@]}"; do
    r=rt$s
    attach_inet "$r" wan "${RT_WAN[$s]}/24"
    # LAN: bridge 'lan' in the router (its LAN address), one port per host.
    # Frames between LAN hosts stay on the bridge; keep br_netfilter (if
    # loaded, it is per netns) from passing them through the router's rules.
    ip -n "$(ns "$r")" link add lan type bridge mcast_snooping 0
    ip -n "$(ns "$r")" addr add "${RT_LAN[$s]}/24" dev lan
    ip -n "$(ns "$r")" link set lan up
    for o in iptables ip6tables arptables; do
      if in_ns "$r" test -e /proc/sys/net/bridge/bridge-nf-call-$o; then
        in_ns "$r" sysctl -q -w net.bridge.bridge-nf-call-$o=0 >/dev/null
      fi
    done
    for h in ${LAN_HOSTS[$s]}; do attach_lan "$s" "$h"; done
  done
  # public side: default route to the (dead-end) core, LAN routes for mode 'none'
  for h in srv pub rta rtb rtc; do
    ip -n "$(ns "$h")" route add default via $INET_GW
    for s in "${SIDES[@]}"; do
      [[ $h == "rt$s" ]] || ip -n "$(ns "$h")" route add "${LAN_NET[$s]}" via "${RT_WAN[$s]}"
    done
  done
  for s in "${SIDES[@]}"; do
    in_ns "rt$s" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
    in_ns "rt$s" sysctl -q -w net.ipv4.conf.all.send_redirects=0 >/dev/null
  done
  # the core forwards nothing: traffic to unknown addresses dies there
  in_ns inet sysctl -q -w net.ipv4.ip_forward=0 >/dev/null
}

# ---- background processes (run-bg) ----------------------------------------------
# One line per process in $STATE_ROOT/PREFIX.bg: "PID HOST STARTTIME". The start
# time (field 22 of /proc/PID/stat) tells a live process from a recycled PID.
bg_file()    { echo "$STATE_ROOT/${PREFIX}.bg"; }
proc_stat()  {  # $1 = pid, $2 = field (3 = state, 22 = start time)
  local st f; { read -r st <"/proc/$1/stat"; } 2>/dev/null || return 1
  st=${st##*) }   # comm (field 2) may hold spaces; fields 3.. follow ') '
  read -ra f <<<"$st"
  echo "${f[$2 - 3]}"
}
bg_alive()   { [[ $(proc_stat "$1" 22) == "$2" && $(proc_stat "$1" 3) != Z ]]; }
bg_list()    {  # live recorded processes of this lab: "PID HOST" lines
  local f pid h st; f=$(bg_file)
  [[ -f $f ]] || return 0
  while read -r pid h st _; do
    [[ $pid =~ ^[0-9]+$ ]] || continue
    if bg_alive "$pid" "$st"; then echo "$pid $h"; fi
  done <"$f"
  return 0
}
bg_stop() {  # TERM the recorded process groups; teardown's per-namespace loop waits/KILLs
  local f pid h st; f=$(bg_file)
  [[ -f $f ]] || return 0
  while read -r pid h st _; do
    [[ $pid =~ ^[0-9]+$ ]] || continue
    bg_alive "$pid" "$st" || continue
    log "stopping run-bg process $pid (in $(ns "$h"))"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done <"$f"
  return 0
}
bg_kill_left() {  # recorded processes still alive (e.g. moved to another namespace)
  local f pid h st; f=$(bg_file)
  [[ -f $f ]] || return 0
  while read -r pid h st _; do
    [[ $pid =~ ^[0-9]+$ ]] || continue
    bg_alive "$pid" "$st" || continue
    warn "run-bg process $pid survived SIGTERM; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  done <"$f"
  return 0
}

teardown() {
  local h n p pids order=(chk)
  bg_stop
  # reverse creation order (LAN hosts before their router, the core last)
  for h in "${HOSTS[@]}"; do order=("$h" "${order[@]}"); done
  for h in "${order[@]}"; do
    n=$(ns "$h")
    [[ -e /run/netns/$n ]] || continue
    pids=$(ip netns pids "$n" 2>/dev/null || true)
    if [[ -n $pids ]]; then
      log "stopping processes left in $n: ${pids//$'\n'/ }"
      for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        pids=$(ip netns pids "$n" 2>/dev/null || true); [[ -z $pids ]] && break; sleep 0.1
      done
      for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
    fi
    ip netns del "$n" 2>/dev/null || warn "could not delete namespace $n"
    rm -f "$STATE_ROOT/$n.delay" "$STATE_ROOT/$n.delay.log"
  done
  bg_kill_left
  rm -f "$(state_file)" "$(bg_file)"
}

# ---- commands -------------------------------------------------------------------
up_cleanup() {  # EXIT trap while 'up' builds: undo a half-built lab
  local rc=$?
  if [[ ${UP_DONE:-1} != 1 ]]; then
    echo "$PROG: up failed (exit $rc); removing half-built lab '$PREFIX'" >&2
    set +e; teardown; set -e
    ((rc)) || rc=1
  fi
  exit $rc
}

cmd_up() {
  local nat_a=easy nat_b=easy nat_c=easy udp_to=30 udp_st=120
  while (($#)); do
    case $1 in
      --nat-a) nat_a=${2:?--nat-a needs a mode}; shift 2 ;;
      --nat-b) nat_b=${2:?--nat-b needs a mode}; shift 2 ;;
      --nat-c) nat_c=${2:?--nat-c needs a mode}; shift 2 ;;
      --udp-timeout) udp_to=${2:?}; shift 2 ;;
      --udp-stream-timeout) udp_st=${2:?}; shift 2 ;;
      --prefix) PREFIX=${2:?}; check_prefix; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) die "up: unknown argument '$1' (see --help)" ;;
    esac
  done
  valid_mode "$nat_a" || die "bad --nat-a '$nat_a' (one of: $NAT_MODES)"
  valid_mode "$nat_b" || die "bad --nat-b '$nat_b' (one of: $NAT_MODES)"
  valid_mode "$nat_c" || die "bad --nat-c '$nat_c' (one of: $NAT_MODES)"
  [[ $udp_to =~ ^[1-9][0-9]{0,5}$ ]] || die "--udp-timeout must be a positive integer (seconds)"
  [[ $udp_st =~ ^[1-9][0-9]{0,5}$ ]] || die "--udp-stream-timeout must be a positive integer (seconds)"
  need_root; need_cmd ip nft sysctl
  with_lock
  local t0=$EPOCHREALTIME
  if lab_complete; then
    # re-apply only what differs from the live rules (keeps conntrack otherwise)
    [[ $(router_mode rta) == "$nat_a" ]] || apply_nat a "$nat_a" 1
    [[ $(router_mode rtb) == "$nat_b" ]] || apply_nat b "$nat_b" 1
    [[ $(router_mode rtc) == "$nat_c" ]] || apply_nat c "$nat_c" 1
    apply_timeouts "$udp_to" "$udp_st"
    read_state   # keeps CREATED
    NAT_A=$nat_a NAT_B=$nat_b NAT_C=$nat_c write_state
    log "lab '$PREFIX' already up (nat-a=$nat_a nat-b=$nat_b nat-c=$nat_c)"
    return 0
  fi
  UP_DONE=0
  trap 'up_cleanup' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if lab_any; then log "lab '$PREFIX' is incomplete; rebuilding"; teardown; fi
  probe 0 || die "kernel/tools lack features the lab needs (see above; '$PROG check' for a full report)"
  build
  apply_nat a "$nat_a" 0
  apply_nat b "$nat_b" 0
  apply_nat c "$nat_c" 0
  apply_timeouts "$udp_to" "$udp_st"
  NAT_A=$nat_a NAT_B=$nat_b NAT_C=$nat_c CREATED=$(date +%s) write_state
  UP_DONE=1
  trap - EXIT INT TERM
  log "lab '$PREFIX' up in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}')s: nat-a=$nat_a nat-b=$nat_b nat-c=$nat_c (namespaces $(ns '*'))"
}

cmd_down() {
  while (($#)); do
    case $1 in
      --prefix) PREFIX=${2:?}; check_prefix; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) die "down: unknown argument '$1'" ;;
    esac
  done
  need_root; need_cmd ip
  with_lock
  if ! lab_any && [[ ! -f $(state_file) ]]; then log "lab '$PREFIX' is not up"; return 0; fi
  teardown
  log "lab '$PREFIX' down"
}

cmd_nat() {
  (($# == 2)) || die "usage: $PROG nat a|b|c MODE"
  local side=$1 mode=$2
  valid_side "$side" || die "nat: side must be one of: ${SIDES[*]} (router rt<side>)"
  valid_mode "$mode" || die "bad NAT mode '$mode' (one of: $NAT_MODES)"
  need_root; need_cmd ip nft
  with_lock
  lab_complete || die "lab '$PREFIX' is not up (run: $PROG --prefix $PREFIX up)"
  read_state
  apply_nat "$side" "$mode" 1
  case $side in a) NAT_A=$mode ;; b) NAT_B=$mode ;; c) NAT_C=$mode ;; esac
  write_state
  log "router rt$side: nat=$mode (conntrack flushed)"
}

cmd_exec() {
  (($# >= 2)) || die "usage: $PROG exec HOST CMD [ARGS...]"
  local h=$1; shift
  valid_host "$h" || die "unknown host '$h' (hosts: ${HOSTS[*]})"
  need_root
  ns_exists "$h" || die "namespace $(ns "$h") does not exist (is lab '$PREFIX' up?)"
  exec ip netns exec "$(ns "$h")" "$@"
}

cmd_run_bg() {
  (($# >= 3)) || die "usage: $PROG run-bg HOST LOGFILE CMD [ARGS...]"
  local h=$1 logf=$2; shift 2
  valid_host "$h" || die "unknown host '$h' (hosts: ${HOSTS[*]})"
  need_root; need_cmd ip setsid
  ns_exists "$h" || die "namespace $(ns "$h") does not exist (is lab '$PREFIX' up?)"
  command -v -- "$1" >/dev/null 2>&1 || die "run-bg: command '$1' not found"
  { : >"$logf"; } 2>/dev/null || die "run-bg: cannot write log file '$logf'"
  with_lock   # against a concurrent 'down' of this lab
  ns_exists "$h" || die "namespace $(ns "$h") is gone (lab '$PREFIX' taken down?)"
  local pid st rc=0
  # Own session (no terminal, own process group: 'down' signals the group);
  # undo the SIGINT/SIGQUIT ignore bash gives background jobs; no lock fd 9.
  # setsid does not fork here (not a group leader) and 'ip netns exec' execs,
  # so $! is the PID of CMD itself.
  ( trap - INT QUIT; exec setsid ip netns exec "$(ns "$h")" "$@" ) </dev/null >>"$logf" 2>&1 9<&- &
  pid=$!
  st=$(proc_stat "$pid" 22) || st=0
  mkdir -p "$STATE_ROOT"
  echo "$pid $h $st" >>"$(bg_file)"
  sleep 0.05   # catch the obvious failures (bad arguments, missing files)
  if [[ $(proc_stat "$pid" 3 || echo X) == [ZX] ]]; then
    wait "$pid" || rc=$?
    if ((rc != 0)); then
      tail -n 5 "$logf" >&2 2>/dev/null || true
      die "run-bg: '$*' in $(ns "$h") exited at once with status $rc (log: $logf)"
    fi
    warn "run-bg: '$*' in $(ns "$h") already exited (status 0)"
  fi
  log "started in $(ns "$h") as pid $pid: $* (log: $logf)"
  echo "$pid"
}

cmd_wait_udp() {
  (($# == 3)) || die "usage: $PROG wait-udp HOST PORT TIMEOUT"
  local h=$1 port=$2 to=$3 out end_us frac
  valid_host "$h" || die "unknown host '$h' (hosts: ${HOSTS[*]})"
  if ! [[ $port =~ ^[1-9][0-9]{0,4}$ ]] || ((port > 65535)); then die "wait-udp: PORT must be 1-65535"; fi
  [[ $to =~ ^([0-9]{1,6})(\.([0-9]*))?$ ]] || die "wait-udp: TIMEOUT must be a number of seconds (e.g. 5 or 0.5)"
  frac=${BASH_REMATCH[3]}000000
  end_us=$(($(now_us) + 10#${BASH_REMATCH[1]} * 1000000 + 10#${frac:0:6}))
  need_root; need_cmd ip ss
  ns_exists "$h" || die "namespace $(ns "$h") does not exist (is lab '$PREFIX' up?)"
  while :; do
    # header line + one line per socket (any address, IPv4 or IPv6) bound to PORT
    out=$(in_ns "$h" ss -uln "sport = :$port" 2>/dev/null) || out=""
    if [[ $out == *$'\n'* ]]; then log "udp port $port is bound in $(ns "$h")"; return 0; fi
    ns_exists "$h" || die "wait-udp: namespace $(ns "$h") disappeared"
    (($(now_us) < end_us)) || break
    sleep 0.05
  done
  die "wait-udp: nothing bound to udp port $port in $(ns "$h") after ${to}s"
}
now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$((10#$t))"; }

cmd_addr() {
  (($# == 1)) || die "usage: $PROG addr HOST"
  valid_host "$1" || die "unknown host '$1' (hosts: ${HOSTS[*]})"
  host_ip "$1"
}

cmd_ns() {
  (($# == 1)) || die "usage: $PROG ns HOST"
  valid_host "$1" || die "unknown host '$1' (hosts: ${HOSTS[*]})"
  ns "$1"
}

router_mode() {  # read the mode back from the live ruleset's comment
  local rs
  rs=$(in_ns "$1" nft list table ip netlab 2>/dev/null) || { echo "?"; return 0; }
  rs=$(grep -o 'netlab nat=[a-z-]*' <<<"$rs" || true)
  echo "${rs#netlab nat=}"
}

cmd_status() {
  need_root
  local h n ok=1 bg
  if ! lab_any; then echo "lab '$PREFIX': down"; return 2; fi
  bg=$(bg_list)
  lab_complete || ok=0
  echo "lab '$PREFIX': $([[ $ok == 1 ]] && echo up || echo INCOMPLETE)"
  printf '  %-5s %-12s %s\n' HOST NAMESPACE "ADDRESSES / INFO"
  for h in "${HOSTS[@]}"; do
    n=$(ns "$h")
    if [[ ! -e /run/netns/$n ]]; then printf '  %-5s %-12s %s\n' "$h" "$n" MISSING; continue; fi
    local addrs info=""
    addrs=$(ip -n "$n" -4 -o addr show scope global 2>/dev/null | awk '{printf "%s:%s ", $2, $4}')
    case $h in
      rt?)
        info="nat=$(router_mode "$h") conntrack=$(in_ns "$h" cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null || echo ?)"
        info+=" udp_timeout=$(in_ns "$h" sysctl -n net.netfilter.nf_conntrack_udp_timeout 2>/dev/null || echo ?)/$(in_ns "$h" sysctl -n net.netfilter.nf_conntrack_udp_timeout_stream 2>/dev/null || echo ?)" ;;
      inet)
        if in_ns inet nft list table bridge netlab_impair >/dev/null 2>&1; then
          info="impair: $(in_ns inet nft list table bridge netlab_impair | grep -o 'numgen.*drop' | head -1)"
        else info="impair: none"; fi ;;
    esac
    local dpid
    if dpid=$(delay_pid "$h"); then
      info+=" delay:$(tr '\0' ' ' <"/proc/$dpid/cmdline" | grep -o -- '--delay [^ ]* --jitter [^ ]* --loss [^ ]*')"
    fi
    local procs; procs=$(ip netns pids "$n" 2>/dev/null | wc -l)
    ((procs > 0)) && info+=" procs=$procs"
    local bgp; bgp=$(awk -v h="$h" '$2 == h { printf "%s%s", s, $1; s = "," }' <<<"$bg")
    [[ -z $bgp ]] || info+=" run-bg=$bgp"
    printf '  %-5s %-12s %s%s\n' "$h" "$n" "$addrs" "$info"
  done
  [[ $ok == 1 ]] || return 2
}

cmd_impair() {
  local loss="" clear=0
  while (($#)); do
    case $1 in
      --loss) loss=${2:?}; shift 2 ;;
      --clear) clear=1; shift ;;
      *) die "impair: unknown argument '$1' (use --loss PCT or --clear)" ;;
    esac
  done
  need_root
  lab_complete || die "lab '$PREFIX' is not up"
  in_ns inet nft delete table bridge netlab_impair 2>/dev/null || true
  if [[ $clear == 1 || -z $loss || $loss == 0 ]]; then log "impairment cleared"; return 0; fi
  [[ $loss =~ ^([0-9]|[1-9][0-9]|100)$ ]] || die "--loss must be an integer 0-100"
  in_ns inet nft -f - <<EOF || die "nft bridge numgen not supported by this kernel"
table bridge netlab_impair {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ether type ip numgen random mod 100 < $loss drop
  }
}
EOF
  log "internet bridge drops $loss% of IPv4 frames (each direction, each hop through the bridge)"
}

uplink()     { case $1 in rt?) echo wan ;; *) echo eth0 ;; esac; }
delay_file() { echo "$STATE_ROOT/$(ns "$1").delay"; }
delay_pid()  {  # pid of HOST's nfqdelay.py, if running
  local f pid; f=$(delay_file "$1")
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && grep -qa nfqdelay.py "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}
delay_stop() {
  local h=$1 ifn pid; ifn=$(uplink "$h")
  if command -v iptables >/dev/null; then
    while in_ns "$h" iptables -t mangle -D PREROUTING -i "$ifn" -j NFQUEUE --queue-num $DELAY_Q --queue-bypass 2>/dev/null; do :; done
    while in_ns "$h" iptables -t mangle -D POSTROUTING -o "$ifn" -j NFQUEUE --queue-num $DELAY_Q --queue-bypass 2>/dev/null; do :; done
  fi
  if pid=$(delay_pid "$h"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(delay_file "$h")" "$(delay_file "$h").log"
}

cmd_delay() {
  (($# >= 2)) || die "usage: $PROG delay HOST MS [--jitter MS] [--loss PCT] | $PROG delay HOST off"
  local h=$1 ms=$2 jit=0 loss=0; shift 2
  while (($#)); do
    case $1 in
      --jitter) jit=${2:?}; shift 2 ;;
      --loss) loss=${2:?}; shift 2 ;;
      *) die "delay: unknown argument '$1'" ;;
    esac
  done
  if ! valid_host "$h" || [[ $h == inet ]]; then die "delay: HOST must be one of: ${HOSTS[*]:1}"; fi
  need_root
  with_lock
  lab_complete || die "lab '$PREFIX' is not up"
  delay_stop "$h"
  if [[ $ms == off || $ms == 0 ]]; then log "delay on $h removed"; return 0; fi
  local num='^[0-9]{1,5}(\.[0-9]+)?$'
  [[ $ms =~ $num && $jit =~ $num && $loss =~ $num ]] || die "delay: MS, --jitter and --loss must be non-negative numbers"
  awk -v l="$loss" 'BEGIN { exit !(l <= 100) }' || die "delay: --loss must be <= 100"
  need_cmd iptables python3
  [[ -f $HERE/nfqdelay.py ]] || die "nfqdelay.py not found next to $PROG"
  local f; f=$(delay_file "$h")
  # fd 9 (the lock) must not leak into the daemon
  ip netns exec "$(ns "$h")" setsid "$(command -v python3)" "$HERE/nfqdelay.py" --queue $DELAY_Q \
    --delay "$ms" --jitter "$jit" --loss "$loss" --ready-file "$f" --max-seconds 3600 \
    </dev/null >/dev/null 2>"$f.log" 9>&- &
  for _ in $(seq 30); do [[ -f $f ]] && break; sleep 0.1; done
  [[ -f $f ]] || { cat "$f.log" >&2 2>/dev/null || true; die "nfqdelay.py did not start in $(ns "$h") (NFQUEUE support: CONFIG_NETFILTER_NETLINK_QUEUE, xt NFQUEUE)"; }
  local ifn; ifn=$(uplink "$h")
  if ! in_ns "$h" iptables -t mangle -A PREROUTING -i "$ifn" -j NFQUEUE --queue-num $DELAY_Q --queue-bypass ||
     ! in_ns "$h" iptables -t mangle -A POSTROUTING -o "$ifn" -j NFQUEUE --queue-num $DELAY_Q --queue-bypass; then
    delay_stop "$h"; die "iptables NFQUEUE rule rejected in $(ns "$h")"
  fi
  log "delay on $h ($ifn): ${ms} ms each way, jitter ${jit} ms, loss ${loss}% (RTT +$(awk -v m="$ms" 'BEGIN{print 2*m}') ms)"
}

cmd_conntrack() {
  if (($# != 1)) || ! valid_side "$1"; then die "usage: $PROG conntrack a|b|c"; fi
  need_root; need_cmd conntrack
  ns_exists "rt$1" || die "lab '$PREFIX' is not up"
  in_ns "rt$1" conntrack -L -p udp 2>&1
}

cmd_check() {
  need_root; need_cmd ip nft sysctl
  echo "netlab feature probe (namespace $(ns chk), deleted afterwards):"
  if probe 1; then echo "result: all required features present"; else echo "result: REQUIRED FEATURES MISSING"; return 1; fi
}

cmd_list() {
  local f p
  shopt -s nullglob
  for f in "$STATE_ROOT"/*.env; do
    p=${f##*/}; p=${p%.env}
    if [[ -e /run/netns/${p}-inet ]]; then echo "$p"; fi
  done
}

# ---- main -----------------------------------------------------------------------
main() {
  while (($#)); do
    case $1 in
      --prefix) PREFIX=${2:?--prefix needs a value}; shift 2 ;;
      --prefix=*) PREFIX=${1#*=}; shift ;;
      -q) QUIET=1; shift ;;
      -h|--help|help) usage; exit 0 ;;
      -*) die "unknown option '$1' (see --help)" ;;
      *) break ;;
    esac
  done
  (($#)) || { usage >&2; exit 1; }
  check_prefix
  local cmd=$1; shift
  case $cmd in
    up)        cmd_up "$@" ;;
    down)      cmd_down "$@" ;;
    nat)       cmd_nat "$@" ;;
    exec)      cmd_exec "$@" ;;
    run-bg)    cmd_run_bg "$@" ;;
    wait-udp)  cmd_wait_udp "$@" ;;
    addr)      cmd_addr "$@" ;;
    ns)        cmd_ns "$@" ;;
    status)    cmd_status "$@" ;;
    impair)    cmd_impair "$@" ;;
    conntrack) cmd_conntrack "$@" ;;
    delay)     cmd_delay "$@" ;;
    check)     cmd_check "$@" ;;
    list)      cmd_list "$@" ;;
    *) die "unknown command '$cmd' (see --help)" ;;
  esac
}

main "$@"
