#!/usr/bin/env bash
# meshid proxy vs nginx: the same mTLS chain on loopback, measured in one run.
#
#   wrk -> proxy A outbound :18181 (plain HTTP) --mTLS, pooled--> proxy B inbound :18543 --> backend :18090
#   wrk -> proxy A2 outbound :18183 (--outbound-keepalive false: a FULL mTLS handshake per request) -> B
#
# beside nginx's chain from /work/shared/bench/peers/nginx_mtls_bench.sh (run first, same wrk settings).
# Certificates: the peers' setup.sh EC P-256 CA and nginx-a / nginx-b leaves (SPIFFE URI SANs), served to
# the proxies over SDS by a small agent (BenchAgent) on Unix sockets. Backend: an nginx answering
# "hello from backend" (same config as the peers' backend), so both chains reach the same kind of app.
# The proxies run with the JVM flags the launcher should use for `meshid proxy` (the proxy= line of bin/jvm-flags;
# override with PROXY_JVM_FLAGS).
# CPU per request: utime+stime of each proxy process (/proc/PID/stat) before and after the run, divided by
# the requests wrk completed; robust to a loaded machine, unlike req/s. nginx's comes from its own CSV,
# measured the same way over its worker processes.
#
# WORKERS (default 2, the peers' default): threads per proxy on both sides, the same number: nginx's
# worker_processes for every nginx (both chains' proxies and backends) and `--io-threads` for each meshid proxy.
#
# Usage: proxy/bench/proxy-bench.sh [DURATION_S] [CONNS]      (env: PEERS, WORKDIR, WORKERS, SKIP_NGINX=1)
set -euo pipefail
DUR=${1:-10}
CONNS=${2:-32}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEERS=${PEERS:-/work/shared/bench/peers}
export WORKDIR=${WORKDIR:-${TMPDIR:-/tmp}/meshid-peers}
HERE=$PEERS
. "$PEERS/lib.sh"
OUT=$WORKDIR/results/proxy
export WORKERS=${WORKERS:-2}
mkdir -p "$OUT"
PROXY_JVM_FLAGS=${PROXY_JVM_FLAGS:-$(sed -n 's/^proxy=//p' "$ROOT/bin/jvm-flags")}
# The two small SDS agents stand for the node agent and run with its flags (the agent= line; AGENT_JVM_FLAGS overrides)
AGENT_JVM_FLAGS=${AGENT_JVM_FLAGS-$(sed -n 's/^agent=//p' "$ROOT/bin/jvm-flags")}
# NMT=1: Native Memory Tracking in the proxies, and its summary after load in $OUT/nmt-<name>.txt (where the RSS goes)
# The launcher's environment for the JVM (bin/meshid): few glibc malloc arenas, for a small resident size.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
[ "${NMT:-0}" = 1 ] && PROXY_JVM_FLAGS="$PROXY_JVM_FLAGS -XX:NativeMemoryTracking=summary"
# ASYNC_PROFILER=<path of libasyncProfiler.so>: CPU samples every ms of each proxy over its whole life, per thread,
# as collapsed stacks in $OUT/profile-<pid>.collapsed (written when the proxies stop; flame-graph input)
[ -n "${ASYNC_PROFILER:-}" ] && PROXY_JVM_FLAGS="$PROXY_JVM_FLAGS -agentpath:$ASYNC_PROFILER=start,event=cpu,interval=1ms,threads,collapsed,file=$OUT/profile-%p.collapsed"
WARM_S=${WARM_S:-30}   # per target: C2 needs tens of seconds of traffic on 2 busy cores to finish compiling

[ -f "$P/nginx-a.pem" ] || bash "$PEERS/setup.sh" 10 > "$OUT/setup.log" 2>&1

# ---- build -------------------------------------------------------------------------
(cd "$ROOT" && ./mvnw -q -o -pl proxy -am package -DskipTests -Dmaven.test.skip.exec=true) > "$OUT/build.log" 2>&1 \
  || { echo "build failed, see $OUT/build.log" >&2; exit 1; }
CP="$ROOT/proxy/target/classes:$ROOT/proxy/target/test-classes:$(cat "$ROOT/proxy/target/classpath.txt")"

# ---- nginx baseline, same run -------------------------------------------------------
if [ "${SKIP_NGINX:-0}" != 1 ]; then
  QUIET_MAX_S=${QUIET_MAX_S:-5} TRIES=1 bash "$PEERS/nginx_mtls_bench.sh" 1 "$DUR" "$CONNS" > "$OUT/nginx.log" 2>&1 || true
fi
NGINX_CSV=$WORKDIR/results/nginx/nginx.csv
NGINX_MEM=$WORKDIR/results/nginx/mem.csv

# ---- our chain ----------------------------------------------------------------------
PIDS=()
cleanup() {
  [ -n "${SAMPLER_PID:-}" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

B=$OUT/backend; rm -rf "$B"; mkdir -p "$B"
cat > "$B/nginx.conf" <<NGX
worker_processes $WORKERS; daemon off; pid $B/nginx.pid; error_log $B/error.log warn;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 100000; keepalive_timeout 60s;
  client_body_temp_path $B/tb; proxy_temp_path $B/tp; fastcgi_temp_path $B/tf; uwsgi_temp_path $B/tu; scgi_temp_path $B/ts;
  server { listen 127.0.0.1:18090 backlog=4096; default_type text/plain; location / { return 200 "hello from backend\n"; } } }
NGX
nginx -p "$B/" -e "$B/error.log" -c "$B/nginx.conf" & PIDS+=("$!")

SOCK=$(mktemp -d /tmp/mpxb.XXXX)
# shellcheck disable=SC2086 # the flags are a word list on purpose
java $AGENT_JVM_FLAGS -cp "$CP" dev.meshid.proxy.bench.BenchAgent "$SOCK/a.sock" "$P/nginx-a.pem" "$P/nginx-a.key" "$P/ec-ca.pem" > "$OUT/agent-a.log" 2>&1 & PIDS+=("$!")
# shellcheck disable=SC2086
java $AGENT_JVM_FLAGS -cp "$CP" dev.meshid.proxy.bench.BenchAgent "$SOCK/b.sock" "$P/nginx-b.pem" "$P/nginx-b.key" "$P/ec-ca.pem" > "$OUT/agent-b.log" 2>&1 & PIDS+=("$!")
for s in a b; do for i in $(seq 1 100); do [ -S "$SOCK/$s.sock" ] && break; sleep 0.1; done; done

proxy() { # name args...
  local name=$1; shift
  # shellcheck disable=SC2086
  java $PROXY_JVM_FLAGS -cp "$CP" dev.meshid.proxy.ProxyCommand --access-log off --io-threads "$WORKERS" "$@" > "$OUT/proxy-$name.log" 2>&1 &
  PIDS+=("$!"); eval "PID_$name=$!"
}
B_ID=spiffe://cluster.local/ns/default/sa/nginx-b
proxy b --sds-socket "$SOCK/b.sock" --inbound-addr 127.0.0.1:18543 --app-addr 127.0.0.1:18090 \
  --outbound-addr 127.0.0.1:18501 --admin-addr 127.0.0.1:18521
proxy a --sds-socket "$SOCK/a.sock" --inbound-addr 127.0.0.1:18544 --outbound-addr 127.0.0.1:18181 \
  --admin-addr 127.0.0.1:18522 --route "bench=127.0.0.1:18543,$B_ID"
proxy a2 --sds-socket "$SOCK/a.sock" --inbound-addr 127.0.0.1:18545 --outbound-addr 127.0.0.1:18183 \
  --admin-addr 127.0.0.1:18523 --route "bench=127.0.0.1:18543,$B_ID" --outbound-keepalive false
for port in 18521 18522 18523; do
  for i in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/healthz/ready" > /dev/null && break; sleep 0.1; done
done
{
  echo "functional: $(curl -s -H 'Host: bench' http://127.0.0.1:18181/ | tr -d '\n') / $(curl -s -H 'Host: bench' http://127.0.0.1:18183/ | tr -d '\n')"
  echo "B presents: $(openssl s_client -connect 127.0.0.1:18543 -CAfile "$P/ec-ca.pem" -cert "$P/nginx-a.pem" -key "$P/nginx-a.key" </dev/null 2>/dev/null | grep -E 'Protocol|Cipher is|Verify return' | sort -u | tr '\n' ' ')"
  echo "TLS engine: $(grep -ho 'TLS engine: [^,]*' "$OUT"/proxy-*.log | sort -u | tr '\n' ' ')"
} | tee "$OUT/functional.txt"
# A chain that does not answer would measure error pages: stop here instead.
[ "$(grep -o 'hello from backend' "$OUT/functional.txt" | wc -l)" = 2 ] \
  || { echo "the chains do not answer (see $OUT/proxy-*.log and $OUT/agent-*.log); nothing measured" >&2; exit 1; }

# io_ticks PID: CPU of the proxy's event-loop threads only (the data path, without JIT compiler threads, GC)
io_ticks() {
  local s=0 t
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in meshid-proxy-io*) s=$(( s + $(awk '{print $14 + $15}' "$t/stat") ));; esac
  done
  echo $s
}
CSV=$OUT/proxy.csv
echo "target,n,rps,p50_ms,p99_ms,non2xx,sockerr,rss_a_max_kb,rss_b_max_kb,foreign_cpu_pct,a_cpu_us_per_req,b_cpu_us_per_req,a_io_us_per_req,b_io_us_per_req" > "$CSV"
run() { # target url client_pid
  wait_quiet "${QUIET_MAX_S:-5}"
  rss_sampler "$OUT/rss-a.tmp" "$3"; local sa=$SAMPLER_PID
  rss_sampler "$OUT/rss-b.tmp" "$PID_b"; local sb=$SAMPLER_PID; SAMPLER_PID=""
  m_begin
  local c0 c1 a0 a1 b0 b1 both="$3 $PID_b"; [ "$3" = "$PID_b" ] && both=$3
  # shellcheck disable=SC2086
  c0=$(cpu_ticks $both); a0=$(cpu_ticks "$3"); b0=$(cpu_ticks "$PID_b")
  local ia0 ia1 ib0 ib1; ia0=$(io_ticks "$3"); ib0=$(io_ticks "$PID_b")
  run_cpu "$OUT/wrk.cpu" wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -H 'Host: bench' -s "$PEERS/wrk_report.lua" "$2" \
    > "$OUT/wrk-$1.log" 2>&1 || true
  # shellcheck disable=SC2086
  c1=$(cpu_ticks $both); a1=$(cpu_ticks "$3"); b1=$(cpu_ticks "$PID_b")
  ia1=$(io_ticks "$3"); ib1=$(io_ticks "$PID_b")
  [ "$3" = "$PID_b" ] && { a0=0; a1=0; ia0=0; ia1=0; }   # B alone: no A in the path
  kill "$sa" "$sb"; wait "$sa" "$sb" 2>/dev/null || true
  local f; f=$(m_foreign_pct "$(awk -v a="$c0" -v b="$c1" -v t="$CLK_TCK" -v w="$(cat "$OUT/wrk.cpu")" 'BEGIN{print (b-a)/t+w}')")
  sed -n 's/^RESULT //p' "$OUT/wrk-$1.log" | tr ' ' '\n' | awk -F= -v t="$1" -v ra="$(cut -d' ' -f1 "$OUT/rss-a.tmp")" \
    -v rb="$(cut -d' ' -f1 "$OUT/rss-b.tmp")" -v f="$f" -v da=$((a1-a0)) -v db=$((b1-b0)) -v ia=$((ia1-ia0)) -v ib=$((ib1-ib0)) -v tck="$CLK_TCK" \
    '{v[$1]=$2} END {n=v["n"]; if (n<1) n=1; u=1e6/tck/n;
      printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%.1f,%.1f,%.1f,%.1f\n", t, v["n"], v["rps"], v["p50_ms"], v["p99_ms"], v["non2xx"], v["sockerr"], ra, rb, f, da*u, db*u, ia*u, ib*u}' \
    | tee -a "$CSV"
}
wrk -t2 -c"$CONNS" -d"${WARM_S}s" -H 'Host: bench' http://127.0.0.1:18181/ > /dev/null 2>&1 || true   # JIT warm-up
wrk -t2 -c"$CONNS" -d"${WARM_S}s" -H 'Host: bench' http://127.0.0.1:18543/ > /dev/null 2>&1 || true
wrk -t2 -c"$CONNS" -d"${WARM_S}s" -H 'Host: bench' http://127.0.0.1:18183/ > /dev/null 2>&1 || true
run meshid-keepalive http://127.0.0.1:18181/ "$PID_a"
run meshid-b-plaintext-only http://127.0.0.1:18543/ "$PID_b"   # diagnostic: B alone, PERMISSIVE plaintext
run meshid-fullhs-per-req http://127.0.0.1:18183/ "$PID_a2"
for n in a a2 b; do eval "pid=\$PID_$n"; echo "proxy $n (pid $pid) after load: VmRSS $(rss_kb "$pid") KiB, VmHWM $(hwm_kb "$pid") KiB"; done | tee "$OUT/mem.txt"
if [ "${NMT:-0}" = 1 ]; then
  for n in a b; do eval "pid=\$PID_$n"; { jcmd "$pid" VM.native_memory summary; pmap -x "$pid" | sort -k3 -n | tail -15; } > "$OUT/nmt-$n.txt" 2>&1 || true; done
fi

# ---- table --------------------------------------------------------------------------
echo
echo "| chain (wrk -t2 -c$CONNS, ${DUR}s, 2 shared cores, $WORKERS worker(s) per proxy) | req/s | p50 ms | p99 ms | errors | CPU µs/req A / B | event loops only | RSS under load |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
if [ -f "$NGINX_CSV" ]; then
  awk -F, 'NR>1 && $17==1 && ($1=="chain-keepalive" || $1=="chain-fullhs-per-req" || $1=="direct-backend") {
    printf "| nginx %s | %s | %s | %s | %d | %s / %s | (same) |", $1, $4, $5, $7, $9+$10, $11, $12; print " see below |" }' "$NGINX_CSV"
fi
awk -F, 'NR>1 { printf "| %s | %s | %s | %s | %d | %s / %s | %s / %s | A %.1f MB, B %.1f MB |\n", $1, $3, $4, $5, $6+$7, $11, $12, $13, $14, $8/1024, $9/1024 }' "$CSV"
if [ -f "$NGINX_MEM" ]; then
  echo
  echo "nginx workers (sum of 2 workers per instance, max during each run, KiB):"
  awk -F, 'NR>1 && ($1 ~ /chain-keepalive|chain-fullhs/) && ($3=="a" || $3=="b") {printf "  %s %s: workers %s, largest worker %s\n", $1, $3, $4, $5}' "$NGINX_MEM"
fi
echo
echo "foreign CPU during our runs (other processes on the shared machine): $(cut -d, -f10 "$CSV" | tail -n +2 | tr '\n' ' ')%"
echo "proxy JVM flags: $PROXY_JVM_FLAGS"
