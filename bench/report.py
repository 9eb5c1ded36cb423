#!/usr/bin/env python3
"""Renders bench/run.sh results as Markdown tables, or splices them into BENCHMARKS.md.

    report.py RESULTS.tsv MACHINE COMMAND > tables.md
    report.py --splice BENCHMARKS.md tables.md
"""

import sys

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
# Targets (issues 3 and 12): time within N x the floor (`wc -l` on the same bytes); >= 20x the
# peer; peak RSS < 64 MB. The first row of a group is its floor; a tool named "peer: ..." is
# the group's peer.
FLOOR_TARGET = {"lcov": 4, "cobertura": 16, "junit": 6, "shards": 3}
TITLES = {
    "lcov": "LCOV",
    "cobertura": "Cobertura",
    "junit": "JUnit",
    "shards": "LCOV shards merged (50 overlapping shards)",
    "patch": "Patch coverage (`gate check`, 2,000 changed files)",
    "walk": "Monorepo walk (`gate check` with a `files()` gate)",
}
PEER = "peer: "


def splice(doc_path, tables_path):
    doc = open(doc_path, encoding="utf-8").read()
    tables = open(tables_path, encoding="utf-8").read().strip()
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    open(doc_path, "w", encoding="utf-8").write(doc[:start] + "\n" + tables + "\n" + doc[end:])


def render(results_path, machine, command):
    rows = {}
    for line in open(results_path, encoding="utf-8"):
        group, tool, value, peak, status = line.rstrip("\n").split("\t")
        rows.setdefault(group, []).append((tool, value, int(peak), status))
    out = [f"Machine: {machine}.", "", f"Command: `{command}` (warm cache; best of the runs for "
           "our tools and the floor, one run for the peer).", ""]
    for group, entries in rows.items():
        size = next((int(v) for t, v, _, _ in entries if t == "bytes"), 0)
        notes = [v for t, v, _, _ in entries if t == "note"]
        tools = [(t, float(v), p, s) for t, v, p, s in entries if t not in ("bytes", "note")]
        floor_name, floor = tools[0][0], tools[0][1]
        peer = next((t for t in tools if t[0].startswith(PEER)), None)
        title = TITLES.get(group, group)
        out.append(f"### {title}" + (f" ({size / 1e6:.0f} MB)" if size else ""))
        out.append("")
        out.extend(notes + [""] if notes else [])
        header = f"| tool | seconds | {'MB/s | ' if size else ''}peak RSS | time / `{floor_name}` |"
        header += " peer time / time |" if peer else ""
        out.append(header)
        out.append("|---|---:|" + ("---:|" if size else "") + "---:|---:|" + ("---:|" if peer else ""))
        for tool, sec, peak_kb, status in tools:
            note = "" if status == "ok" else f" ({status})"
            cells = [f"{tool.removeprefix(PEER)}{note}", f"{sec:.3f}"]
            if size:
                cells.append(f"{size / 1e6 / sec:,.0f}" if sec > 0 else "inf")
            cells += [f"{peak_kb / 1024:,.1f} MB", f"{sec / floor:.1f}x" if floor > 0 else "-"]
            if peer:
                cells.append(f"{peer[1] / sec:.1f}x" if sec > 0 else "-")
            out.append("| " + " | ".join(cells) + " |")
        ours = [t for t in tools if t[0].startswith(("readiness-evidence", "gate check"))]
        verdicts = []
        for tool, sec, peak_kb, _ in ours:
            parts = []
            if group in FLOOR_TARGET:
                n = FLOOR_TARGET[group]
                met = "met" if sec / floor <= n else "MISSED"
                parts.append(f"within {n}x of `{floor_name}` {met} ({sec / floor:.1f}x)")
            if peer:
                met = "met" if peer[1] / sec >= 20 else "MISSED"
                parts.append(f">= 20x the peer {met} ({peer[1] / sec:.0f}x)")
            if group != "walk":
                met = "met" if peak_kb < 64 * 1024 else "MISSED"
                parts.append(f"peak RSS < 64 MB {met} ({peak_kb / 1024:.1f} MB)")
            if parts:
                verdicts.append(f"{tool}: " + "; ".join(parts))
        if group == "patch":
            by_name = {t[0]: t[1] for t in tools}
            for plain, patch in (
                ("gate check, whole-report coverage (workspace paths)",
                 "gate check, patch coverage (workspace paths)"),
                ("gate check, whole-report coverage (CI paths, mapped by suffix)",
                 "gate check, patch coverage (CI paths, mapped by suffix)"),
            ):
                if plain in by_name and patch in by_name and by_name[plain] > 0:
                    ratio = by_name[patch] / by_name[plain]
                    met = "met" if ratio <= 1.5 else "MISSED"
                    verdicts.append(f"{patch}: within 1.5x of the run without patch coverage "
                                    f"{met} ({ratio:.2f}x)")
        if verdicts:
            out.append("")
            out.append("Targets: " + "; ".join(verdicts) + ".")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1] == "--splice":
        splice(sys.argv[2], sys.argv[3])
    else:
        print(render(sys.argv[1], sys.argv[2], sys.argv[3]))
