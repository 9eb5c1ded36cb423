#!/usr/bin/env python3
"""Inputs of the benchmark cases beyond single files (bench/run.sh):

  workloads.py shards SOURCE_LCOV DIR COUNT MB
      COUNT LCOV shards of about MB megabytes each, from SOURCE_LCOV's records repeated with
      distinct `copyNNNNNNN/` path prefixes. Every shard lists the same source files, as the
      shards of one test run do (each shard's job reports the whole source tree).

  workloads.py patch SOURCE_LCOV WORKSPACE MB CHANGED
      A workspace for patch coverage: two LCOV reports of about MB megabytes each,
      WORKSPACE/coverage/lcov.info with the workspace's absolute paths (what diff-cover matches)
      and coverage/ci-lcov.info with another machine's CI paths
      (`/home/runner/work/app/app/copyNNNNNNN/src/...`, mapped to repository paths by suffix);
      CHANGED changed source files (empty files in the workspace), WORKSPACE/changes.patch (a
      git-style unified diff adding lines 1-12 of each), WORKSPACE/changed.txt (their paths); and
      policies plain.gate / ci-plain.gate (whole-report coverage) and patch.gate / ci-patch.gate
      (patch coverage) on each report.

  workloads.py monorepo WORKSPACE NODE_MODULES NEXT
      A JavaScript monorepo: a few hundred sources under src/, NODE_MODULES files under
      node_modules/ and NEXT files under .next/, both listed in .gitignore (a git repository),
      and walk.gate, a policy with one `files()` gate over the whole tree.
"""

import os
import sys

CI_PREFIX = "/home/runner/work/app/app/"


def lcov_template(source, prefix=""):
    text = open(source, encoding="utf-8").read()
    if not text.endswith("\n"):
        text += "\n"
    body = "\n" + text
    template = body.replace("%", "%%").replace("\nSF:", "\nSF:" + prefix + "copy%(i)07d/")
    return template[1:]


def write_copies(path, template, first, count):
    with open(path, "w", encoding="utf-8") as out:
        batch = []
        for i in range(first, first + count):
            batch.append(template % {"i": i})
            if len(batch) == 512:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))


def shards(source, directory, count, mb):
    template = lcov_template(source)
    copies = max(2, int(mb * 1e6) // len((template % {"i": 0}).encode()))
    os.makedirs(directory, exist_ok=True)
    for k in range(count):
        write_copies(os.path.join(directory, f"shard-{k:02d}.info"), template, 0, copies)
    print(f"{directory}: {count} shards of the same {copies} copies")


def source_paths(source):
    return [line[3:].strip() for line in open(source, encoding="utf-8") if line.startswith("SF:")]


def patch(source, workspace, mb, changed):
    os.makedirs(os.path.join(workspace, "coverage"), exist_ok=True)
    root = os.path.realpath(workspace) + "/"
    one = len((lcov_template(source, root) % {"i": 0}).encode())
    copies = max(1, int(mb * 1e6) // one)
    for name, prefix in (("lcov.info", root), ("ci-lcov.info", CI_PREFIX)):
        write_copies(os.path.join(workspace, "coverage", name), lcov_template(source, prefix), 0, copies)
    sources = source_paths(source)
    paths = []
    step = max(1, copies // changed)
    for n in range(changed):
        copy = (n * step) % copies
        paths.append(f"copy{copy:07d}/{sources[n % len(sources)]}")
    with open(os.path.join(workspace, "changed.txt"), "w", encoding="utf-8") as out:
        out.write("\n".join(paths) + "\n")
    with open(os.path.join(workspace, "changes.patch"), "w", encoding="utf-8") as out:
        for path in paths:
            full = os.path.join(workspace, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            open(full, "w").close()
            out.write(f"diff --git a/{path} b/{path}\n")
            out.write("index 1111111..2222222 100644\n")
            out.write(f"--- a/{path}\n+++ b/{path}\n@@ -0,0 +1,12 @@\n")
            out.write("".join(f"+line {i}\n" for i in range(1, 13)))
    for name, report, figure in (
        ("plain.gate", "lcov.info", "coverage.lines"),
        ("patch.gate", "lcov.info", "coverage.patch.lines"),
        ("ci-plain.gate", "ci-lcov.info", "coverage.lines"),
        ("ci-patch.gate", "ci-lcov.info", "coverage.patch.lines"),
    ):
        with open(os.path.join(workspace, name), "w", encoding="utf-8") as out:
            out.write(f'policy "{name}" {{\n  target 0%\n  evidence {{\n')
            out.write(f'    coverage = coverage("coverage/{report}") as lcov\n  }}\n')
            out.write('  category c weight 1 {\n    gate "coverage" {\n')
            out.write(f"      expect {figure} >= 0%\n    }}\n  }}\n}}\n")
    print(f"{workspace}: {copies} copies (twice: workspace and CI paths), {changed} changed files")


def monorepo(workspace, node_modules, next_files):
    def files(root, total, per_dir, name):
        for n in range(total):
            directory = os.path.join(workspace, root, f"pkg{n // per_dir:05d}")
            if n % per_dir == 0:
                os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, name % n), "w") as out:
                out.write("export {};\n")

    files("src", 400, 20, "module%d.ts")
    files("node_modules", node_modules, 100, "index%d.js")
    files(".next", next_files, 100, "chunk%d.js")
    with open(os.path.join(workspace, ".gitignore"), "w") as out:
        out.write("node_modules/\n.next/\n")
    with open(os.path.join(workspace, "walk.gate"), "w", encoding="utf-8") as out:
        out.write('policy "walk" {\n  target 0%\n  category c weight 1 {\n')
        out.write('    gate "sources" {\n      expect files("**/*.ts").count >= 1\n    }\n  }\n}\n')
    print(f"{workspace}: 400 sources, {node_modules} in node_modules/, {next_files} in .next/")


def main():
    kind = sys.argv[1]
    if kind == "shards":
        shards(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    elif kind == "patch":
        patch(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]))
    elif kind == "monorepo":
        monorepo(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(f"unknown workload {kind}")


if __name__ == "__main__":
    main()
