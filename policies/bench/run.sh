#!/usr/bin/env bash
# Runs the policy evaluation benchmarks with JMH: compiles the test sources with JMH's annotation
# processor (profile "bench"), then starts JMH's runner. Extra arguments go to JMH, e.g.
#   policies/bench/run.sh -f 1 -wi 3 -i 5 -w 1s -r 1s
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
# Recompile so the processor sees the benchmark classes even when a plain build compiled them.
rm -rf "$here/target/test-classes" "$here/target/generated-test-sources"
./mvnw -q -pl policies -Pbench test-compile
./mvnw -q -pl policies dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="$here/target/test-classes:$here/target/classes:$(cat "$here/target/bench.classpath")"
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 3 -i 5 -w 1s -r 1s
fi
exec java -cp "$cp" org.openjdk.jmh.Main 'dev.meshid.policies.bench.*' "$@"
