#!/usr/bin/env python3
"""Scales a real corpus artifact to a target size by repeating its records with distinct names.

    gen.py lcov|cobertura|junit SOURCE OUT TARGET_MB

- lcov: every record is repeated with `SF:copyNNNNNNN/<path>`;
- cobertura: every `<package>` is repeated with `filename="copyNNNNNNN/<path>"` (and a distinct
  package name); the root's `lines-valid`/`lines-covered`/`branches-valid`/`branches-covered` are
  multiplied by the number of copies, so the report's own totals stay consistent;
- junit: every `<testsuite>` is repeated with a distinct name; the root's counts are multiplied.

The output is the original's prefix (XML declaration, root start tag), N copies of the body, and
the original's suffix, so the file stays well-formed and its figures are exactly N times the
original's.
"""

import re
import sys


def split_body(text, open_tag, close_tag):
    start = text.index(open_tag)
    end = text.rindex(close_tag) + len(close_tag)
    return text[:start], text[start:end], text[end:]


def scale_attrs(tag_text, names, copies):
    def repl(match):
        name, value = match.group(1), match.group(2)
        if name not in names:
            return match.group(0)
        if re.fullmatch(r"\d+", value):
            return f'{name}="{int(value) * copies}"'
        try:
            return f'{name}="{float(value) * copies:.3f}"'
        except ValueError:
            return match.group(0)

    return re.sub(r'([A-Za-z_-]+)="([^"]*)"', repl, tag_text)


def scale_root(prefix, root, names, copies):
    start = prefix.find("<" + root)
    if start < 0:
        return prefix
    end = prefix.index(">", start)
    return prefix[:start] + scale_attrs(prefix[start:end], names, copies) + prefix[end:]


def main():
    kind, source, out, target_mb = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    text = open(source, encoding="utf-8").read()
    if kind == "lcov":
        prefix, body, suffix = "", text if text.endswith("\n") else text + "\n", ""
        template = body.replace("%", "%%").replace("\nSF:", "\nSF:copy%(i)07d/")
        if template.startswith("SF:"):
            template = "SF:copy%(i)07d/" + template[3:]
    elif kind == "cobertura":
        prefix, body, suffix = split_body(text, "<package ", "</package>")
        template = (
            body.replace("%", "%%")
            .replace('filename="', 'filename="copy%(i)07d/')
            .replace('<package name="', '<package name="copy%(i)07d.')
        )
    elif kind == "junit":
        prefix, body, suffix = split_body(text, "<testsuite ", "</testsuite>")
        template = body.replace("%", "%%").replace(
            '<testsuite name="', '<testsuite name="copy%(i)07d/'
        )
    else:
        sys.exit(f"unknown kind {kind}")
    target = int(target_mb * 1e6)
    copies = max(1, -(-(target - len(prefix) - len(suffix)) // len(body.encode())))
    if kind == "cobertura":
        names = {"lines-valid", "lines-covered", "branches-valid", "branches-covered"}
        prefix = scale_root(prefix, "coverage", names, copies)
    elif kind == "junit":
        names = {"tests", "failures", "errors", "skipped", "disabled", "time"}
        prefix = scale_root(prefix, "testsuites", names, copies)
    with open(out, "w", encoding="utf-8") as f:
        f.write(prefix)
        batch = []
        for i in range(copies):
            batch.append(template % {"i": i})
            if len(batch) == 512:
                f.write("".join(batch))
                batch.clear()
        f.write("".join(batch))
        f.write(suffix)
    print(f"{out}: {copies} copies of {source}")


if __name__ == "__main__":
    main()
