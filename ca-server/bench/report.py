#!/usr/bin/env python3
"""One markdown table from a ca-bench.sh run directory: report.py RUN_DIR

Reads RUN_DIR/meshid.results (the load driver's RESULT lines with ca=, rep=, loadavg= in front),
RUN_DIR/peers/results/cfssl/cfssl.csv (the peer's cfssl_bench.sh, when it ran) and RUN_DIR/speed-*.log
(openssl speed -multi 2). Cells are medians over the repetitions, with min-max when there are several.
Targets (issue 3): EC P-256 CA at concurrency 8: >= 2x cfssl's rate, <= 1/3 of its CPU per certificate, p99
no worse; RSA 4096 CA: >= 90% of openssl speed -multi 2's rsa4096 sign rate."""
import csv
import glob
import os
import statistics
import sys

run = sys.argv[1]
KEY_NAMES = {"ec": "EC P-256", "rsa": "RSA 4096"}
NOISY_PCT = float(os.environ.get("CLEAN_PCT", "20"))  # others' CPU share above which a verdict is only indicative


def kv(line):
    return dict(part.split("=", 1) for part in line.split() if "=" in part)


def num(x):
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if v >= 0 else None


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def cell(xs, fmt="{:.1f}"):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    m = fmt.format(statistics.median(xs))
    return m if len(xs) == 1 else f"{m} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"


def ratio(a, b, target=None, better="high"):
    if a is None or b is None or b == 0:
        return "-"
    r = a / b
    text = f"{r:.2f}x"
    if target is not None:
        ok = r >= target if better == "high" else r <= target
        shown = "1/3" if abs(target - 1 / 3) < 1e-9 else f"{target:g}"
        text += f" {'✓' if ok else '✗'} ({'≥' if better == 'high' else '≤'} {shown})"
    return text


# meshid rows, by (ca, conc)
rows = {}
path = os.path.join(run, "meshid.results")
if os.path.exists(path):
    for line in open(path):
        r = kv(line)
        rows.setdefault((r["ca"], int(r["conc"])), []).append(r)

# cfssl at 8 connections (wrk), the used run of each repetition
cfssl = {}
cpath = os.path.join(run, "peers", "results", "cfssl", "cfssl.csv")
if os.path.exists(cpath):
    for r in csv.DictReader(open(cpath)):
        if r["client"] == "wrk" and r["conc"] == "8" and r.get("used", "1") == "1":
            cfssl.setdefault(r["ca"], []).append(r)

# openssl speed -multi 2: sign/s
speed = {"rsa": [], "ec": []}
for log in sorted(glob.glob(os.path.join(run, "speed-*.log"))):
    for line in open(log):
        f = line.split()
        if len(f) >= 6 and f[0] == "rsa" and f[1] == "4096" and f[2] == "bits":
            speed["rsa"].append(num(f[-2]))
        elif "ecdsa" in line and "(nistp256)" in line and len(f) >= 6:
            speed["ec"].append(num(f[-2]))

print("| CA key | concurrency (conns × in flight) | meshid CSRs/s | p50 ms | p99 ms | CA CPU ms/cert (without JIT threads) | errors "
      "| cfssl @8 conns: certs/s · p99 ms · CPU ms/cert | rate meshid/cfssl | CPU/cert meshid/cfssl "
      "| p99 meshid/cfssl | meshid / `openssl speed -multi 2` sign/s | others' CPU % · load avg |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (ca, conc) in sorted(rows, key=lambda k: (list(KEY_NAMES).index(k[0]) if k[0] in KEY_NAMES else 9, k[1])):
    rs = rows[(ca, conc)]
    rate = [num(r["rps"]) for r in rs]
    p50 = [num(r["p50_ms"]) for r in rs]
    p99 = [num(r["p99_ms"]) for r in rs]
    cpu = [num(r["ca_cpu_ms_per_cert"]) for r in rs]
    nojit = [num(r.get("ca_nojit_cpu_ms_per_cert")) for r in rs]
    errs = sorted({r["errors"] for r in rs if r["errors"] != "none"})
    foreign = [num(r["foreign_cpu_pct"]) for r in rs]
    load = [num(r["loadavg"]) for r in rs]
    cf = cfssl.get(ca, [])
    cf_rate, cf_p99, cf_cpu = (med([num(r[c]) for r in cf]) for c in ("rps", "p99_ms", "server_cpu_ms_per_cert"))
    cf_text = "-" if not cf else f"{cell([num(r['rps']) for r in cf], '{:.0f}')} · {cf_p99:.1f} · {cf_cpu:.3f}"
    target = ca == "ec" and conc == 8
    noisy = (med(foreign) or 0) > NOISY_PCT
    r_rate = ratio(med(rate), cf_rate, 2 if target else None)
    r_cpu = ratio(med(cpu), cf_cpu, 1 / 3 if target else None, better="low")
    r_p99 = ratio(med(p99), cf_p99, 1 if target else None, better="low")
    ceiling = ratio(med(rate), med(speed["rsa"]), 0.9) if ca == "rsa" and speed["rsa"] else "-"
    if noisy:
        r_rate, r_cpu, r_p99, ceiling = (x.replace("✓", "✓?").replace("✗", "✗?") for x in (r_rate, r_cpu, r_p99, ceiling))
    print(f"| {KEY_NAMES.get(ca, ca)} | {conc} ({rs[0]['channels']} × {conc // int(rs[0]['channels'])}) "
          f"| {cell(rate, '{:.0f}')} | {cell(p50, '{:.2f}')} | {cell(p99, '{:.2f}')} "
          f"| {cell(cpu, '{:.3f}')} ({cell(nojit, '{:.3f}')}) "
          f"| {', '.join(errs) if errs else 'none'} | {cf_text} | {r_rate} | {r_cpu} | {r_p99} | {ceiling} "
          f"| {cell(foreign, '{:.0f}')} · {cell(load, '{:.1f}')} |")

print()
notes = []
if speed["rsa"] or speed["ec"]:
    notes.append(f"openssl speed -multi 2 sign/s: rsa4096 {cell(speed['rsa'], '{:.0f}')}, "
                 f"ecdsap256 {cell(speed['ec'], '{:.0f}')}")
if not cfssl:
    notes.append("cfssl: not measured in this run (peer scripts absent, skipped or failed)")
notes.append("CPU ratios use the CA's whole process CPU; the figure in brackets leaves out its JIT compiler "
             "threads, which still run after a short warm-up on a busy machine")
notes.append(f"✓? / ✗?: others used more than {NOISY_PCT:g}% of the CPUs in that window; the verdict is not "
             "trustworthy (rerun on a quiet machine)")
notes.append("others' CPU %: share of all CPUs used by processes other than the CA and the driver during the window")
print("\n".join("- " + n for n in notes))
