#!/usr/bin/env bash
# Single-thread signature speed of every crypto provider meshid could use, next to `openssl speed`.
#
#   pki/bench/run-crypto-bench.sh            # from anywhere; prints one markdown table
#
# Builds pki with -Pbench (JMH benchmarks live in pki/src/jmh/java and are never part of a plain build),
# runs SignatureBench briefly (1 fork, 2 warm-up + 3 measurement iterations of 1 s, 1 thread), then
# `openssl speed -seconds 3 ecdsap256 rsa2048 rsa4096`. Numbers on a shared machine move with its load,
# which is printed with the table. Raw results stay in pki/target/bench/.
set -euo pipefail

PKI="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$PKI/.." && pwd)"
OUT="$PKI/target/bench"
OPENSSL="${OPENSSL:-/usr/bin/openssl}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

export LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
export CORES="$(nproc)"
echo "load before: $LOAD_BEFORE, $CORES cores" >&2
(cd "$ROOT" && ./mvnw -q -Pbench -pl pki process-classes)
mkdir -p "$OUT"

# A private benchmarks jar, so that a rebuild of pki/target/classes by someone else mid-run cannot pull
# classes from under the forked JVMs.
JAR="$OUT/meshid-pki-benchmarks.jar"
rm -f "$JAR"
(cd "$PKI/target" && jar --create --file "$JAR" --main-class org.openjdk.jmh.Main -C classes . -C jmh-classes .)
jar --list --file "$JAR" | grep -q '^META-INF/BenchmarkList$' || { echo "no BenchmarkList in $JAR" >&2; exit 1; }
CP="$JAR:$(cat "$PKI/target/jmh-classpath.txt")"
"$JAVA" -Duser.language=en -Duser.country=US -cp "$CP" org.openjdk.jmh.Main 'dev.meshid.pki.bench.SignatureBench' \
    -f 1 -wi 2 -i 3 -w 1s -r 1s -t 1 -rf csv -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1
if grep -q 'Exception' "$OUT/jmh.log"; then
    echo "some benchmarks failed; see $OUT/jmh.log" >&2
fi

"$OPENSSL" speed -seconds 3 ecdsap256 rsa2048 rsa4096 > "$OUT/openssl-speed.txt" 2>/dev/null
export OPENSSL_VERSION="$("$OPENSSL" version | cut -d' ' -f1-2)"
export LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load after: $LOAD_AFTER" >&2

# jmh.csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: alg","Param: provider"
awk -F',' '
    { sub(/\r$/, "") }
    FNR == NR {
        if (FNR == 1) next
        gsub(/"/, "")
        n = split($1, parts, ".")
        score[$9 "," $8 "," parts[n]] = $5
        next
    }
    # openssl speed: "rsa 2048 bits 0.000355s 0.000023s 2818.2 44045.2" (last two: sign/s, verify/s)
    { n = split($0, f, " ") }
    /^rsa 2048 bits/ { ssl["RSA_2048,sign"] = f[n - 1] }
    /^rsa 4096 bits/ { ssl["RSA_4096,sign"] = f[n - 1] }
    /ecdsa \(nistp256\)/ { ssl["EC_P256,sign"] = f[n - 1]; ssl["EC_P256,verify"] = f[n] }
    END {
        ncol = split("EC_P256,sign EC_P256,verify RSA_2048,sign RSA_4096,sign", cols, " ")
        print "| provider | P-256 sign/s | P-256 verify/s | RSA-2048 sign/s | RSA-4096 sign/s |"
        print "|---|---:|---:|---:|---:|"
        split("JDK BC ACCP", providers, " ")
        names["JDK"] = "JDK (SunEC, SunRsaSign)"; names["BC"] = "BouncyCastle"; names["ACCP"] = "ACCP"
        for (p = 1; p <= 3; p++) {
            row = "| " names[providers[p]] " |"
            for (c = 1; c <= ncol; c++) {
                key = providers[p] "," cols[c]
                if (key in score && ssl[cols[c]] > 0) {
                    row = row sprintf(" %d (%.2fx) |", score[key], score[key] / ssl[cols[c]])
                } else {
                    row = row " n/a |"
                }
            }
            print row
        }
        row = "| `openssl speed` |"
        for (c = 1; c <= ncol; c++) row = row sprintf(" %d (1.00x) |", ssl[cols[c]])
        print row
        print ""
        print "Single thread; ratios are to `openssl speed` (" ENVIRON["OPENSSL_VERSION"] "). Load average "
        print "before/after: " ENVIRON["LOAD_BEFORE"] " / " ENVIRON["LOAD_AFTER"] " on " ENVIRON["CORES"] " cores."
    }
' "$OUT/jmh.csv" "$OUT/openssl-speed.txt"
