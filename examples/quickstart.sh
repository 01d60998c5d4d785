#!/usr/bin/env bash
# anycastd quickstart: watch anycast work on this machine, end to end, in about a minute.
#
# Two real FRRouting routers run in network namespaces and peer over eBGP: "host", the anycast
# server whose BGP anycastd drives through vtysh, and "upstream", its neighbour, whose BGP table
# shows what the rest of the network would see. A fake Cabourotte (from anycastd's testkit)
# answers the health checks, so the script can make a check fail and recover. The packaged
# anycastd runs from the tarball with a generated configuration.
#
# Run as root on Debian or Ubuntu:   examples/quickstart.sh
# It builds the project if needed, installs FRR (and curl) with apt-get if missing, and removes
# everything it started when it ends, also on Ctrl-C. It exits 0 only if every step was seen
# on the upstream router.
#
# Environment:
#   QUICKSTART_SKIP_SETUP=1          build and install nothing (the project is built, FRR installed)
#   ANYCASTD_TESTKIT_CLASSPATH=...   the testkit's class path, instead of the one its build wrote
#                                    (anycastd-testkit/target/lab.classpath)
set -Eeuo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd -P)
lab_classpath=$repo/anycastd-testkit/target/lab.classpath
work=""
lab_pid=""
lab_in=""
cabourotte_pid=""
anycastd_pid=""
HOST_VTYSH=""
UPSTREAM_VTYSH=""
HOST_NAMESPACE=""
UPSTREAM_NAMESPACE=""
log_shown=0

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi

step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
note() { printf '    %s\n' "$@"; }
fail() { printf '\nquickstart: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Cleaning up: every process by its id, then the namespaces, then the scratch directory.

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# stop PID SECONDS: SIGTERM, then SIGKILL if it is still running after SECONDS.
stop() {
    local pid=$1 deadline=$((SECONDS + $2))
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    # anycastd first, while FRR still runs, so that it can withdraw its prefixes.
    stop "$anycastd_pid" 35
    stop "$cabourotte_pid" 5
    if alive "$lab_pid"; then
        # The lab closes itself (daemons, namespaces, files) when its standard input ends.
        [ -n "$lab_in" ] && eval "exec $lab_in>&-"
        local deadline=$((SECONDS + 30))
        while alive "$lab_pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
        stop "$lab_pid" 5
    fi
    # Only if the lab could not clean up after itself: its daemons by the pids they wrote.
    local vtysh pidfile
    for vtysh in "$HOST_VTYSH" "$UPSTREAM_VTYSH"; do
        [ -n "$vtysh" ] || continue
        for pidfile in "$(dirname "$vtysh")"/*.pid; do
            [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
        done
    done
    local namespace
    for namespace in "$HOST_NAMESPACE" "$UPSTREAM_NAMESPACE"; do
        if [ -n "$namespace" ] && [ -e "/run/netns/$namespace" ]; then ip netns delete "$namespace" || true; fi
    done
    [ -n "$work" ] && rm -rf "$work"
    if [ "$status" -ne 0 ]; then printf '\nquickstart: stopped (exit %s); everything it started is cleaned up.\n' "$status" >&2; fi
    exit "$status"
}
trap cleanup EXIT
trap 'printf "quickstart: line %s failed: %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Helpers to watch the routers and anycastd.

# The prefixes in the upstream router's BGP table (IPv4 and IPv6), one a line.
upstream_prefixes() {
    "$UPSTREAM_VTYSH" -c 'show bgp ipv4 unicast json' -c 'show bgp ipv6 unicast json' \
        | grep -oE '"[0-9a-fA-F:.]+/[0-9]+": *\[' | grep -oE '[0-9a-fA-F:.]+/[0-9]+' || true
}

upstream_has() { upstream_prefixes | grep -qxF "$1"; }

# The upstream router's BGP table as an operator reads it, without FRR's legend.
show_upstream() {
    local table
    table=$("$UPSTREAM_VTYSH" -c 'show bgp ipv4 unicast' -c 'show bgp ipv6 unicast' \
        | grep -E '^ +Network |^[*>=sdhirSR ]{2,}[0-9a-fA-F]' | awk '!/Network/ || !seen++' || true)
    note "upstream# show bgp ipv4 unicast; show bgp ipv6 unicast"
    if [ -n "$table" ]; then
        printf '%s\n' "$table" | sed 's/^/      /'
    else
        note "  (no route: the upstream router knows none of the service prefixes)"
    fi
}

# The lines anycastd logged since the last call.
show_log() {
    local total
    [ -f "$work/anycastd.log" ] || return 0
    total=$(wc -l < "$work/anycastd.log")
    if [ "$total" -gt "$log_shown" ]; then
        note "anycastd's log:"
        sed -n "$((log_shown + 1)),${total}p" "$work/anycastd.log" | sed 's/^/      /'
    fi
    log_shown=$total
}

# wait_for DESCRIPTION COMMAND...: polls COMMAND until it succeeds (at most 30 s), and fails the
# quickstart if it does not, or if anycastd exited meanwhile.
wait_for() {
    local what=$1 deadline=$((SECONDS + 30))
    shift
    until "$@"; do
        if [ -n "$anycastd_pid" ] && ! alive "$anycastd_pid"; then
            show_log
            fail "anycastd exited while waiting until $what"
        fi
        [ "$SECONDS" -lt "$deadline" ] || { show_log; fail "gave up after 30 s waiting until $what"; }
        sleep 0.2
    done
}

all_present() { local p; for p in "$@"; do upstream_has "$p" || return 1; done; }
all_absent() { local p; for p in "$@"; do ! upstream_has "$p" || return 1; done; }

# set_check NAME healthy|failing [MESSAGE]: what Cabourotte would report after its next run.
set_check() {
    curl -fsS -X POST --data "${3:-}" "$cabourotte_url/fake/$2/$1" >/dev/null
}

# ---------------------------------------------------------------------------------------------

[ "$(id -u)" = 0 ] || fail "run me as root: I create network namespaces and start FRR's daemons."
command -v apt-get >/dev/null || [ -n "${QUICKSTART_SKIP_SETUP:-}" ] || fail "I install FRR with apt-get: this needs Debian or Ubuntu."

if [ -z "${QUICKSTART_SKIP_SETUP:-}" ]; then
    step "Setting up: FRR, curl and a Java 17 JDK from apt if missing, then the build"
    missing=()
    [ -x /usr/lib/frr/bgpd ] && [ -x /usr/bin/vtysh ] || missing+=(frr)
    command -v ip >/dev/null || missing+=(iproute2)
    command -v curl >/dev/null || missing+=(curl)
    command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
    if [ ${#missing[@]} -gt 0 ]; then
        note "apt-get install ${missing[*]}"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
        note "FRR, iproute2, curl and a JDK are installed."
    fi
    # FRR's own service is not needed (the lab runs its own daemons) and is left as it was.
    tarball=$(ls -t "$repo"/anycastd-daemon/target/anycastd-*.tar.gz 2>/dev/null | head -n 1 || true)
    if [ -z "$tarball" ] || [ ! -f "$lab_classpath" ] \
        || [ -n "$(find "$repo" \( -path '*/src/*' -o -name pom.xml \) -newer "$tarball" -print -quit)" ]; then
        note "./mvnw -B -q package -DskipTests   (the first build downloads Maven and the dependencies)"
        (cd "$repo" && ./mvnw -B -q package -DskipTests)
    else
        note "The packages are built and newer than every source file."
    fi
fi

tarball=$(ls -t "$repo"/anycastd-daemon/target/anycastd-*.tar.gz 2>/dev/null | head -n 1 || true)
[ -n "$tarball" ] || fail "no anycastd-daemon/target/anycastd-*.tar.gz; build first: ./mvnw -B package -DskipTests"
for program in /usr/lib/frr/bgpd /usr/bin/vtysh curl ip java; do
    command -v "$program" >/dev/null || fail "$program is missing; run me without QUICKSTART_SKIP_SETUP to install it."
done

work=$(mktemp -d /tmp/anycastd-quickstart.XXXXXX)

if [ -n "${ANYCASTD_TESTKIT_CLASSPATH:-}" ]; then
    classpath=$ANYCASTD_TESTKIT_CLASSPATH
else
    # The testkit's own build wrote its libraries' class path during `package`, anycastd-core
    # included as the reactor built it: nothing comes from this project's snapshots in ~/.m2.
    [ -f "$lab_classpath" ] || fail "no $lab_classpath; build first: ./mvnw -B package -DskipTests"
    classpath=$repo/anycastd-testkit/target/classes:$(cat "$lab_classpath")
fi

# ---------------------------------------------------------------------------------------------
step "1. Starting two FRR routers in network namespaces, peering over eBGP"

# A coprocess: the lab runs while this script holds its standard input open, and closes itself
# (daemons, namespaces) when the script ends, however it ends.
coproc LAB { exec java -cp "$classpath" dev.anycastd.testkit.frr.FrrLabMain 2>"$work/lab.log"; }
lab_pid=$LAB_PID
lab_in=${LAB[1]}
lab_out=${LAB[0]}
fact='^[A-Z_]+=[A-Za-z0-9_./:-]*$'   # checked before eval: a name, then a value without shell syntax
while :; do
    IFS= read -r -t 60 -u "$lab_out" line || { cat "$work/lab.log" >&2; fail "the FRR lab did not start"; }
    [[ $line =~ $fact ]] || fail "unexpected line from the FRR lab: $line"
    eval "$line"
    [ "$line" = READY=yes ] && break
done
note "host router:     AS $HOST_ASN, namespace $HOST_NAMESPACE (anycastd drives it through $HOST_VTYSH)" \
     "upstream router: AS $UPSTREAM_ASN, namespace $UPSTREAM_NAMESPACE, its eBGP neighbour"
show_upstream

step "2. Putting the service addresses on the host's loopback, as on a real anycast server"
addresses=(203.0.113.53/32 2001:db8::53/128 203.0.113.123/32)
dns_prefixes=(203.0.113.53/32 2001:db8::53/128)
ntp_prefixes=(203.0.113.123/32)
for address in "${addresses[@]}"; do
    ip -n "$HOST_NAMESPACE" address add "$address" dev lo
done
note "ip address add ... dev lo: ${addresses[*]}" \
     "(FRR advertises a 'network' only when its address is in the routing table)"

step "3. Starting a fake Cabourotte: checks \"dns\" and \"ntp\" pass"
java -cp "$classpath" dev.anycastd.testkit.cabourotte.FakeCabourotte --port=0 dns ntp >"$work/cabourotte.log" 2>&1 &
cabourotte_pid=$!
wait_for "the fake Cabourotte listens" grep -q 'listening on' "$work/cabourotte.log"
cabourotte_url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/cabourotte.log" | head -n 1)
note "$cabourotte_url/result/dns answers:" "  $(curl -fsS "$cabourotte_url/result/dns")"

step "4. Configuring anycastd: two services, each announced while its check passes"
tar -xzf "$tarball" -C "$work"
anycastd=$(ls -d "$work"/anycastd-*/bin/anycastd)
cat >"$work/config.toml" <<EOF
[services.dns]
prefixes.frrouting = [
    { prefix = "2001:db8::53", vtysh = "$HOST_VTYSH" },
    { prefix = "203.0.113.53", vtysh = "$HOST_VTYSH" },
]
checks.cabourotte = [{ name = "dns", url = "$cabourotte_url", interval = 1 }]

[services.ntp]
prefixes.frrouting = [{ prefix = "203.0.113.123", vtysh = "$HOST_VTYSH" }]
checks.cabourotte = [{ name = "ntp", url = "$cabourotte_url", interval = 1 }]
EOF
sed 's/^/      /' "$work/config.toml"
note "" "\$ anycastd check-config -c config.toml"
"$anycastd" check-config -c "$work/config.toml" | sed 's/^/      /'

step "5. Running anycastd: the upstream router learns every service prefix"
# A state directory and control socket of its own: never those of an anycastd this machine may run.
"$anycastd" run -c "$work/config.toml" --state-dir "$work/state" --control-socket "$work/control.sock" \
    --log-format human --no-color >"$work/anycastd.log" 2>&1 &
anycastd_pid=$!
note "anycastd run -c config.toml --state-dir state --control-socket control.sock   (pid $anycastd_pid)"
wait_for "the upstream router learns ${addresses[*]}" all_present "${addresses[@]}"
show_log
show_upstream

step "6. The \"dns\" check fails: the upstream router loses the dns prefixes, ntp stays"
note "curl -X POST $cabourotte_url/fake/failing/dns"
set_check dns failing "dig @203.0.113.53 example.org: connection timed out"
wait_for "the upstream router loses ${dns_prefixes[*]}" all_absent "${dns_prefixes[@]}"
all_present "${ntp_prefixes[@]}" || fail "the ntp prefix left the upstream router too"
show_log
show_upstream

step "7. The \"dns\" check passes again: its prefixes come back"
note "curl -X POST $cabourotte_url/fake/healthy/dns"
set_check dns healthy
wait_for "the upstream router learns ${dns_prefixes[*]} again" all_present "${addresses[@]}"
show_log
show_upstream

step "8. Maintenance: the operator drains \"dns\"; its prefixes leave the upstream router, healthy or not"
note "\$ anycastd drain dns --reason \"BIND upgrade\""
"$anycastd" drain dns --reason "BIND upgrade" --control-socket "$work/control.sock" | sed 's/^/      /'
wait_for "the upstream router loses ${dns_prefixes[*]}" all_absent "${dns_prefixes[@]}"
all_present "${ntp_prefixes[@]}" || fail "the ntp prefix left the upstream router too"
show_log
note "\$ anycastd status   (exit 0: drained is what the operator wants)"
"$anycastd" status --control-socket "$work/control.sock" | sed 's/^/      /'
show_upstream

step "9. Maintenance done: \"anycastd resume dns\" announces it again"
note "\$ anycastd resume dns"
"$anycastd" resume dns --control-socket "$work/control.sock" | sed 's/^/      /'
wait_for "the upstream router learns ${dns_prefixes[*]} again" all_present "${addresses[@]}"
show_log
show_upstream

step "10. anycastd gets SIGTERM (as from systemctl stop): every prefix is withdrawn"
note "kill -TERM $anycastd_pid"
kill -TERM "$anycastd_pid"
set +e
wait "$anycastd_pid"
exit_code=$?
set -e
anycastd_pid=""
wait_for "the upstream router loses every prefix" all_absent "${addresses[@]}"
show_log
note "anycastd exited with $exit_code."
show_upstream
[ "$exit_code" = 0 ] || fail "anycastd exited with $exit_code after SIGTERM, not 0"

step "Done: anycastd announced each service only while its check passed, and withdrew all on exit."
note "Cleaning up: the fake Cabourotte, the FRR routers and their namespaces."
