#!/usr/bin/env bash
# The CA benchmark: meshid's CA beside cfssl's CA server on the same machine in the same run.
#
#  1. builds ca-server (and what it needs) and snapshots its class path into the run directory, so that other
#     builds in the tree cannot pull classes from under the running JVMs;
#  2. if the peer scripts are present (../shared/bench/peers next to the repository, or $PEERS), runs their
#     setup.sh into this run's own folder: the EC P-256 CSRs both CAs will sign, and cfssl's CAs;
#  3. makes an EC P-256 and an RSA 4096 plug-in CA with `meshid certs root-ca` + `intermediate` (Istio's four
#     files), an ES256 JWKS + service-account token (key made now, never written), and for each CA key type
#     starts `meshid ca` with JWT authentication and drives it with the load driver (dev.meshid.ca.bench.CaLoad)
#     at concurrency 1, 8 and 64 (1 connection; 8 connections x 1 call; 8 connections x 8 HTTP/2 streams);
#  4. runs the peer's cfssl_bench.sh (cfssl serve + wrk at 2 and 8 connections) and `openssl speed -multi 2`;
#  5. prints one markdown table (report.py) with the ratios and the issue's targets, and the in-process CPU cost
#     of each CreateCertificate stage (ca-load cost) to show where the time goes.
#
# Usage: ca-server/bench/ca-bench.sh [SECONDS] [REPS]        (defaults 10 and 1)
# Environment (all optional):
#   OUT           run directory (default: a new folder under ${TMPDIR:-/tmp}/meshid-ca-bench)
#   WARMUP        warm-up seconds before each measured window (default 20; the first run per CA gets 3x: on 2
#                 cores C2 still compiles for about a minute, and a window inside that measures the JIT)
#   CONCS         concurrencies (default "1 8 64"); KEYS: CA key types (default "ec rsa")
#   PEERS         the peer scripts (default <repo>/../shared/bench/peers); SKIP_PEER=1 skips cfssl
#   CFSSL_N       certificates per cfssl measurement (default 3000); NCSR: CSRs made by setup.sh (default 200)
#   SKIP_BUILD=1  reuse the class path snapshot of an earlier run: CP_FROM=<that run's OUT>
#   SKIP_SPEED=1  no openssl speed; SKIP_COST=1: no in-process cost per stage (COST_ITERATIONS, default 5000)
#   CA_JAVA_OPTS  JVM options of the CA (default: the `ca=` line of bin/jvm-flags, as bin/meshid runs it)
#   LOAD_JAVA_OPTS JVM options of the load driver (default -XX:+UseSerialGC -Xmx512m)
#   QUIET_MAX_S   seconds to wait for a quiet machine before each measurement (default 10; peer lib.sh)
#   PROFILE=1     record a JFR profile of the CA during the EC run at concurrency 8 (ca-ec.jfr)
set -euo pipefail
DURATION=${1:-10}
REPS=${2:-1}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-${TMPDIR:-/tmp}/meshid-ca-bench/run-$(date +%Y%m%d-%H%M%S)}
WARMUP=${WARMUP:-20}
CONCS=${CONCS:-"1 8 64"}
KEYS=${KEYS:-"ec rsa"}
PEERS=${PEERS:-$ROOT/../shared/bench/peers}
CFSSL_N=${CFSSL_N:-3000}
NCSR=${NCSR:-200}
# The CA's JVM flags: what bin/meshid gives `meshid ca` (the ca= line of bin/jvm-flags), unless CA_JAVA_OPTS is set.
CA_JAVA_OPTS=${CA_JAVA_OPTS-$(sed -n 's/^ca=//p' "$ROOT/bin/jvm-flags" 2>/dev/null)}
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m}
export QUIET_MAX_S=${QUIET_MAX_S:-10}
ISSUER=https://kubernetes.default.svc.cluster.local
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "ca-bench: CA JVM flags: ${CA_JAVA_OPTS:-(none)}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ca-bench: run directory $OUT (${DURATION}s windows, $REPS rep(s), concurrency $CONCS, CA keys $KEYS)"

CA_PID=""
cleanup() { if [ -n "$CA_PID" ]; then kill "$CA_PID" 2>/dev/null || true; wait "$CA_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- peer helpers (noise control), or stand-ins when the peer scripts are absent ---------------------
USER_TRIES=${TRIES:-1}   # cfssl_bench.sh retries a noisy run TRIES times; once is enough for short runs
HAVE_PEER=""
if [ "${SKIP_PEER:-0}" != 1 ] && [ -x "$PEERS/cfssl_bench.sh" ] && [ -r "$PEERS/lib.sh" ]; then
  for b in cfssl cfssljson wrk curl python3; do command -v "$b" > /dev/null || { echo "ca-bench: $b missing; skipping the cfssl peer"; HAVE_PEER=no; }; done
  [ -z "$HAVE_PEER" ] && HAVE_PEER=yes
  export WORKDIR=$OUT/peers
  HERE_SAVED=$HERE; HERE=$PEERS
  # shellcheck source=/dev/null
  . "$PEERS/lib.sh"
  HERE=$HERE_SAVED
else
  echo "ca-bench: no peer scripts at $PEERS (or SKIP_PEER=1): measuring meshid alone, without cfssl"
  HAVE_PEER=no
  wait_quiet() { :; }
fi

# --- 1. build and snapshot the class path ----------------------------------------------------------------
CP_DIR=$OUT/classpath
if [ "${SKIP_BUILD:-0}" = 1 ] && [ -n "${CP_FROM:-}" ] && [ -s "$CP_FROM/classpath/cp.txt" ]; then
  CP_DIR=$CP_FROM/classpath
else
  mkdir -p "$CP_DIR"
  for try in 1 2 3; do
    if (cd "$ROOT" && ./mvnw -q -o -pl ca-server -am test-compile dependency:build-classpath \
          -Dmdep.outputFile="$CP_DIR/deps.txt" -Dmdep.includeScope=test) > "$OUT/build.log" 2>&1 \
       && [ -f "$ROOT/ca-server/target/test-classes/dev/meshid/ca/bench/CaLoad.class" ]; then
      break
    fi
    [ "$try" = 3 ] && { echo "ca-bench: build failed 3 times, see $OUT/build.log" >&2; tail -20 "$OUT/build.log" >&2; exit 1; }
    echo "ca-bench: build failed (another build in the tree?); retrying in 60 s"; sleep 60
  done
  # Copy the module output directories; jars from the local repository do not change under us.
  entries=("$ROOT/ca-server/target/classes" "$ROOT/ca-server/target/test-classes")
  IFS=: read -r -a deps < "$CP_DIR/deps.txt" || true   # no newline at the end: read says EOF
  entries+=("${deps[@]}")
  cp_list=(); i=0
  for e in "${entries[@]}"; do
    if [ -d "$e" ]; then i=$((i + 1)); cp -r "$e" "$CP_DIR/d$i"; cp_list+=("$CP_DIR/d$i"); else cp_list+=("$e"); fi
  done
  (IFS=:; echo "${cp_list[*]}") > "$CP_DIR/cp.txt"
fi
CP=$(cat "$CP_DIR/cp.txt")

# The CA: `meshid ca` from the distribution once the launcher has it, else CaCommand from ca-server's class path.
CA_CMD=(java $CA_JAVA_OPTS -cp "$CP" dev.meshid.ca.bench.BenchCa)
CERTS=("$ROOT/bin/meshid" certs)
if grep -q 'CaCommand' "$ROOT/cli/src/main/java/dev/meshid/cli/Main.java" 2>/dev/null; then
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -n "${CP_FROM:-}" ] && [ -d "$CP_FROM/dist-lib" ]; then
    [ "$CP_FROM" = "$OUT" ] || { rm -rf "$OUT/dist-lib"; cp -r "$CP_FROM/dist-lib" "$OUT/dist-lib"; }
  elif (cd "$ROOT" && ./mvnw -q -o -DskipTests -pl cli -am package) >> "$OUT/build.log" 2>&1; then
    rm -rf "$OUT/dist-lib"; cp -r "$ROOT/cli/target/dist/lib" "$OUT/dist-lib"
  else
    echo "ca-bench: building the cli distribution failed (see $OUT/build.log); using ca-server's class path"
  fi
fi
if compgen -G "$OUT/dist-lib/meshid-ca-server-*.jar" > /dev/null; then
  CA_CMD=(java $CA_JAVA_OPTS -cp "$OUT/dist-lib/*" dev.meshid.cli.Main ca)
  CERTS=(java -cp "$OUT/dist-lib/*" dev.meshid.cli.Main certs)
  echo "ca-bench: CA = meshid ca (cli distribution, copied to $OUT/dist-lib)"
else
  echo "ca-bench: CA = dev.meshid.ca.CaCommand on ca-server's class path (BenchCa)"
fi
LOAD=(java $LOAD_JAVA_OPTS -cp "$CP" dev.meshid.ca.bench.CaLoad)

# --- 2. peer setup: the CSRs both CAs sign ----------------------------------------------------------------
CSR_ARGS=(--csrs "$NCSR")
if [ "$HAVE_PEER" = yes ]; then
  echo "ca-bench: peer setup (cfssl CAs, $NCSR CSRs) in $WORKDIR"
  bash "$PEERS/setup.sh" "$NCSR" > "$OUT/peer-setup.log" 2>&1 || { echo "ca-bench: peer setup.sh failed, see $OUT/peer-setup.log" >&2; exit 1; }
  CSR_ARGS=(--csr-dir "$WORKDIR/pki/csr")
fi

# --- 3. meshid ----------------------------------------------------------------------------------------------
"${LOAD[@]}" token --jwks "$OUT/jwks.json" --token "$OUT/token.jwt" --issuer "$ISSUER" 2> "$OUT/token.log"
RESULTS=$OUT/meshid.results
: > "$RESULTS"
for ca in $KEYS; do
  d=$OUT/pki/$ca
  "${CERTS[@]}" root-ca --key-alg "$ca" --cn "Bench $ca Root CA" --out "$d/root" > /dev/null
  "${CERTS[@]}" intermediate --key-alg "$ca" --cn "Bench $ca Intermediate CA" --root-dir "$d/root" \
    --out "$d/cacerts" --trust-domain cluster.local > /dev/null
  GPORT=$(free_port); HPORT=$(free_port)
  "${CA_CMD[@]}" --grpc-addr "127.0.0.1:$GPORT" --http-addr "127.0.0.1:$HPORT" --cacerts-dir "$d/cacerts" \
    --jwks-file "$OUT/jwks.json" --jwt-issuer "$ISSUER" --token-audience istio-ca --trust-domain cluster.local \
    --tokenreview=false --publish-root-configmap=false > "$OUT/ca-$ca.log" 2>&1 &
  CA_PID=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$HPORT/healthz/ready" > /dev/null 2>&1 && break
    kill -0 "$CA_PID" 2> /dev/null || { echo "ca-bench: the CA exited; see $OUT/ca-$ca.log" >&2; tail -5 "$OUT/ca-$ca.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "ca-bench: meshid CA ($ca) pid $CA_PID on 127.0.0.1:$GPORT"
  first=1
  for conc in $CONCS; do
    for rep in $(seq 1 "$REPS"); do
      w=$WARMUP; [ "$first" = 1 ] && w=$((WARMUP * 3)); first=0
      if [ "${PROFILE:-0}" = 1 ] && [ "$ca" = ec ] && [ "$conc" = 8 ] && [ "$rep" = 1 ]; then
        jcmd "$CA_PID" JFR.start name=bench settings=profile delay="${w}s" filename="$OUT/ca-ec.jfr" > /dev/null
      fi
      wait_quiet
      log=$OUT/meshid-$ca-c$conc-$rep.log
      "${LOAD[@]}" run --target "127.0.0.1:$GPORT" --ca-root "$d/cacerts/root-cert.pem" --token "$OUT/token.jwt" \
        --concurrency "$conc" --warmup-seconds "$w" --duration-seconds "$DURATION" --ca-pid "$CA_PID" \
        --clk-tck "$(getconf CLK_TCK)" --dump-chain "$OUT/chain-$ca.pem" "${CSR_ARGS[@]}" > "$log" 2>&1 || true
      if [ "${PROFILE:-0}" = 1 ] && [ "$ca" = ec ] && [ "$conc" = 8 ] && [ "$rep" = 1 ]; then
        jcmd "$CA_PID" JFR.stop name=bench > /dev/null || true
      fi
      line=$(sed -n 's/^RESULT //p' "$log")
      if [ -z "$line" ]; then echo "ca-bench: no result for $ca c$conc rep $rep:" >&2; tail -5 "$log" >&2; continue; fi
      echo "impl=meshid ca=$ca rep=$rep loadavg=$(cut -d' ' -f1 /proc/loadavg) $line" | tee -a "$RESULTS"
    done
  done
  openssl verify -CAfile "$d/cacerts/root-cert.pem" -untrusted "$OUT/chain-$ca.pem" "$OUT/chain-$ca.pem" \
    > "$OUT/verify-$ca.txt" 2>&1 || { echo "ca-bench: openssl verify failed for the $ca chain:" >&2; cat "$OUT/verify-$ca.txt" >&2; }
  kill "$CA_PID"; wait "$CA_PID" 2> /dev/null || true; CA_PID=""
done

# In-process cost of each CreateCertificate stage (no network), EC P-256 CA: where the CPU goes.
if [ "${SKIP_COST:-0}" != 1 ] && [ -d "$OUT/pki/ec/cacerts" ]; then
  echo "ca-bench: in-process cost per stage (EC P-256 CA, ${COST_ITERATIONS:-5000} iterations)"
  "${LOAD[@]}" cost --cacerts-dir "$OUT/pki/ec/cacerts" --iterations "${COST_ITERATIONS:-5000}" \
    > "$OUT/cost-ec.txt" 2> "$OUT/cost-ec.log" || echo "ca-bench: cost stage failed, see $OUT/cost-ec.log" >&2
fi

# --- 4. the peer and the signing ceiling ---------------------------------------------------------------------
if [ "$HAVE_PEER" = yes ]; then
  echo "ca-bench: cfssl peer ($REPS rep(s), $CFSSL_N certificates per measurement)"
  CFSSL_PORT=$(free_port) TRIES=$USER_TRIES bash "$PEERS/cfssl_bench.sh" "$REPS" "$CFSSL_N" > "$OUT/cfssl.log" 2>&1 \
    || echo "ca-bench: cfssl_bench.sh failed, see $OUT/cfssl.log" >&2
fi
if [ "${SKIP_SPEED:-0}" != 1 ]; then
  for rep in $(seq 1 "$REPS"); do
    wait_quiet
    echo "ca-bench: openssl speed -multi 2 rsa4096 ecdsap256 ($rep/$REPS)"
    openssl speed -seconds 3 -multi 2 rsa4096 ecdsap256 > "$OUT/speed-$rep.log" 2>&1 || true
  done
fi

# --- 5. the table --------------------------------------------------------------------------------------------
echo
python3 "$HERE/report.py" "$OUT" | tee "$OUT/summary.md"
if [ -s "$OUT/cost-ec.txt" ]; then
  { echo; echo "In-process CPU per CreateCertificate stage, EC P-256 CA (no network; CostCommand):"; echo '```'
    cat "$OUT/cost-ec.txt"; echo '```'; } | tee -a "$OUT/summary.md"
fi
