#!/usr/bin/env bash
# Resident memory of `meshid agent` as a user runs it (bin/meshid: the launcher's JVM flags, class path and malloc
# arena cap), idle with one workload, in the two modes that matter:
#   ca       against a real `meshid ca` over TLS (the CA of `meshid demo --keep-running`, in its own processes)
#   mounted  FILE_MOUNTED_CERTS: serving certificate files, no CA connection
# beside the floor: an empty Java program with the same JVM flags. agent-bench.sh measures the agent with an
# in-process test CA instead, which adds the test CA's own classes and heap to the agent's figure.
# Usage: node-agent/bench/agent-rss.sh [IDLE_SECONDS]     (default 20: past the agent's settling collection)
set -euo pipefail
IDLE=${1:-20}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MESHID=$ROOT/bin/meshid
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; wait 2> /dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { # admin port, pid
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$1/healthz/ready" > /dev/null && return 0
    kill -0 "$2" 2> /dev/null || return 1
    sleep 0.1
  done
  return 1
}

# The floor: what the JVM itself takes with the agent's flags.
mkdir -p "$dir/floor"
printf 'public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(600_000); } }\n' \
  > "$dir/floor/Idle.java"
javac -d "$dir/floor" "$dir/floor/Idle.java"
# shellcheck disable=SC2046 # the flags line is a word list
MALLOC_ARENA_MAX=2 java $(sed -n 's/^agent=//p' "$ROOT/bin/jvm-flags") -cp "$dir/floor" Idle &
floor=$!
pids+=("$floor")

echo "agent-rss: starting meshid demo --keep-running for its CA (logs in $dir/demo)" >&2
"$MESHID" demo --keep-running --workdir "$dir/demo" > "$dir/demo.log" 2>&1 &
pids+=("$!")
for _ in $(seq 300); do grep -q "Everything keeps running" "$dir/demo.log" && break; sleep 1; done
grep -q "Everything keeps running" "$dir/demo.log" || { tail -20 "$dir/demo.log" >&2; exit 1; }
ca_addr=$(sed -n 's/.*IstioCertificateService on \([0-9.]*:[0-9]*\) (TLS).*/\1/p' "$dir/demo/logs/ca.log" | tail -n 1)

# A workload certificate for the mounted mode, made by the same tooling users have.
"$MESHID" certs root-ca --out "$dir/root" --key-alg ec > /dev/null
"$MESHID" certs workload --ca-dir "$dir/root" --out "$dir/w" --spiffe-id spiffe://cluster.local/ns/default/sa/web > /dev/null
cp "$dir/w/workload-cert-chain.pem" "$dir/w/cert-chain.pem"

port_ca=$(free_port)
SERVICE_ACCOUNT=bookinfo-productpage POD_NAMESPACE=default TRUST_DOMAIN=cluster.local CA_ADDR=$ca_addr \
  "$MESHID" agent --ca-server-name istiod.istio-system.svc --sds-socket "$dir/ca.sock" --workload-api-socket off \
  --token-path "$dir/demo/issuer/bookinfo-productpage.token" --ca-root "$dir/demo/ca/root/root-cert.pem" \
  --admin-addr "127.0.0.1:$port_ca" > "$dir/agent-ca.log" 2>&1 &
agent_ca=$!
pids+=("$agent_ca")
port_m=$(free_port)
"$MESHID" agent --file-mounted-certs=true --file-certs-dir "$dir/w" --sds-socket "$dir/m.sock" \
  --workload-api-socket off --admin-addr "127.0.0.1:$port_m" > "$dir/agent-mounted.log" 2>&1 &
agent_m=$!
pids+=("$agent_m")
wait_ready "$port_ca" "$agent_ca" || { tail -20 "$dir/agent-ca.log" >&2; exit 1; }
wait_ready "$port_m" "$agent_m" || { tail -20 "$dir/agent-mounted.log" >&2; exit 1; }
sleep "$IDLE"

echo "| idle, one workload (${IDLE} s after ready) | RSS |"
echo "|---|---:|"
echo "| \`meshid agent\` + real \`meshid ca\` (TLS) | $(rss_mb "$agent_ca") MB |"
echo "| \`meshid agent\`, mounted certificates | $(rss_mb "$agent_m") MB |"
echo "| an empty Java program, same JVM flags (the floor) | $(rss_mb "$floor") MB |"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
