#!/usr/bin/env python3
"""Renders bench/run.sh results as Markdown tables, or splices them into BENCHMARKS.md.

    report.py RESULTS.tsv MACHINE COMMAND > tables.md
    report.py --splice BENCHMARKS.md tables.md
"""

import sys

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
# Targets from issue 3: time within N x `wc -l`; >= 20x the peer; peak RSS < 64 MB.
WC_TARGET = {"lcov": 4, "cobertura": 16, "junit": 6}
TITLES = {"lcov": "LCOV", "cobertura": "Cobertura", "junit": "JUnit"}


def splice(doc_path, tables_path):
    doc = open(doc_path, encoding="utf-8").read()
    tables = open(tables_path, encoding="utf-8").read().strip()
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    open(doc_path, "w", encoding="utf-8").write(doc[:start] + "\n" + tables + "\n" + doc[end:])


def render(results_path, machine, command):
    rows = {}
    for line in open(results_path, encoding="utf-8"):
        fmt, tool, value, peak, status = line.rstrip("\n").split("\t")
        rows.setdefault(fmt, []).append((tool, value, int(peak), status))
    out = [f"Machine: {machine}.", "", f"Command: `{command}` (warm cache; best of the runs for "
           "our reader and `wc -l`, one run for the peer).", ""]
    for fmt, entries in rows.items():
        size = next(int(v) for t, v, _, _ in entries if t == "bytes")
        tools = [(t, float(v), p, s) for t, v, p, s in entries if t != "bytes"]
        wc = next(sec for t, sec, _, _ in tools if t == "wc -l")
        peer = tools[-1]
        out.append(f"### {TITLES.get(fmt, fmt)} ({size / 1e6:.0f} MB)")
        out.append("")
        out.append("| tool | seconds | MB/s | peak RSS | time / `wc -l` | peer time / time |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for tool, sec, peak_kb, status in tools:
            note = "" if status == "ok" else f" ({status})"
            mbs = size / 1e6 / sec if sec > 0 else float("inf")
            speedup = peer[1] / sec if sec > 0 else float("inf")
            out.append(
                f"| {tool}{note} | {sec:.3f} | {mbs:,.0f} | {peak_kb / 1024:,.1f} MB | "
                f"{sec / wc:.1f}x | {speedup:.1f}x |"
            )
        ours = [t for t in tools if t[0].startswith("readiness-evidence")]
        verdicts = []
        for tool, sec, peak_kb, _ in ours:
            name = "read_file" if "read_file" in tool else "reader only"
            wc_ok = sec / wc <= WC_TARGET[fmt]
            peer_ok = peer[1] / sec >= 20
            mem_ok = peak_kb < 64 * 1024
            verdicts.append(
                f"{name}: within {WC_TARGET[fmt]}x of `wc -l` {'met' if wc_ok else 'MISSED'} "
                f"({sec / wc:.1f}x); >= 20x the peer {'met' if peer_ok else 'MISSED'} "
                f"({peer[1] / sec:.0f}x); peak RSS < 64 MB {'met' if mem_ok else 'MISSED'} "
                f"({peak_kb / 1024:.1f} MB)"
            )
        out.append("")
        out.append("Targets: " + "; ".join(verdicts) + ".")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1] == "--splice":
        splice(sys.argv[2], sys.argv[3])
    else:
        print(render(sys.argv[1], sys.argv[2], sys.argv[3]))
