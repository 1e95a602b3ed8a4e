#!/usr/bin/env bash
# Measures the node agent: RSS idle with one workload, RSS with 100 SDS streams, start-to-ready, and SDS
# push-to-ACK latency over 1,000 rotations. The agent uses an in-process test CA (the CA is not measured).
# Usage: node-agent/bench/agent-bench.sh CLASSPATH
#   CLASSPATH: the agent's RUNTIME classpath (dependency:build-classpath -DincludeScope=runtime) plus slf4j-simple,
#   pki's test classes (TestPki) and node-agent's classes and test classes. The full test classpath (CA server,
#   fabric8, Vert.x, JUnit) adds ~2 MB of heap in jar directories alone and does not describe the agent.
# The machine is shared: the push tail is only meaningful when the load average is below the core count, so the
# load is printed with the results.
set -euo pipefail
CP=$1
# The agent runs with the JVM flags bin/meshid gives 'meshid agent' (the agent= line of bin/jvm-flags).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JVM_FLAGS=${JVM_FLAGS:-$(sed -n 's/^agent=//p' "$ROOT/bin/jvm-flags")}
dir=$(mktemp -d)
rss() { awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$1/status; }
start=$(date +%s%N)
java $JVM_FLAGS -cp "$CP" dev.meshid.agent.bench.AgentBench agent "$dir" > "$dir/agent.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; kill ${cpid:-} 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf http://127.0.0.1:15920/healthz/ready > /dev/null; do sleep 0.02; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
echo "start to ready: ${ready} ms"
sleep 5
echo "RSS idle, one workload: $(rss $pid)"
java -Xmx64m -cp "$CP" dev.meshid.agent.bench.AgentBench clients "$dir" 100 > "$dir/clients.log" 2>&1 &
cpid=$!
until grep -q clients-ready "$dir/clients.log"; do sleep 0.2; done
grep clients-ready "$dir/clients.log"
sleep 3
echo "RSS with 100 SDS streams: $(rss $pid)"
java $JVM_FLAGS -cp "$CP" dev.meshid.agent.bench.AgentBench push 1000 2>/dev/null | grep -E "push-to-ack|key\+csr\+sign"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
