#!/usr/bin/env python3
"""Turns real policies into vscode-tmgrammar-test files: each line of a policy is followed by
assertions for every token on it, found by a small lexer that follows the token rules of
grammar/policy.pest (comments, strings and their escapes, regexes and flags, dates, quantities
and units, keywords, booleans, operators). The grammar must give each token its scope; a
policy whose every token is asserted leaves no room for a construct the grammar misreads.

Usage: policy_assertions.py OUT_DIR POLICY...   (writes OUT_DIR/<n>-<name>.gate per policy)
"""
import pathlib
import re
import sys

KEYWORD_SCOPES = {
    "and": "keyword.operator.logical.gate", "or": "keyword.operator.logical.gate",
    "not": "keyword.operator.logical.gate",
    "expect": "keyword.control.gate", "help": "keyword.control.gate",
    "when": "keyword.control.gate", "changed": "keyword.control.gate",
    "blocker": "storage.modifier.severity.gate", "advisory": "storage.modifier.severity.gate",
    "category": "keyword.other.category.gate",
    "as": "keyword.other.as.gate",
}
for word in ["target", "levels", "evidence", "weight", "points", "shards", "min_samples",
             "until", "owner", "because"]:
    KEYWORD_SCOPES[word] = "keyword.other.gate"
STATEMENT_TYPES = {"policy", "gate", "waive"}

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?![A-Za-z0-9_])")
QUANTITY = re.compile(r"([0-9]+(?:\.[0-9]+)?)(%|ms|s|m|h|KB|MB|GB|B)?(?![A-Za-z0-9_])")
ESCAPE = re.compile(r'\\(?:["\\ntr]|u\{[0-9A-Fa-f]{1,6}\})')


def tokens(line):
    """(start, length, scope) of every token of a line."""
    found = []
    i = 0
    previous = ""  # the last significant character, to tell a regex from a division
    while i < len(line):
        c = line[i]
        if c in " \t":
            i += 1
            continue
        if c == "#":
            found.append((i, len(line) - i, "comment.line.number-sign.gate"))
            break
        if c == '"':
            end = i + 1
            while end < len(line) and line[end] != '"':
                escape = ESCAPE.match(line, end)
                if escape:
                    found.append((end, escape.end() - end, "constant.character.escape.gate"))
                    end = escape.end()
                else:
                    end += 1
            found.append((i, 1, "punctuation.definition.string.begin.gate"))
            found.append((end, 1, "punctuation.definition.string.end.gate"))
            found.append((i, end + 1 - i, "string.quoted.double.gate"))
            i = end + 1
            previous = '"'
            continue
        if c == "/" and previous in "(,":
            end = i + 1
            while line[end] != "/":
                end += 2 if line[end] == "\\" else 1
            flags = re.match(r"[imsx]*", line[end + 1:]).group(0)
            found.append((i, end + 1 - i, "string.regexp.gate"))
            found.append((i, 1, "punctuation.definition.string.begin.gate"))
            found.append((end, 1, "punctuation.definition.string.end.gate"))
            if flags:
                found.append((end + 1, len(flags), "keyword.other.regex-flags.gate"))
            i = end + 1 + len(flags)
            previous = "/"
            continue
        date = DATE.match(line, i)
        if date and (i == 0 or not line[i - 1].isalnum()):
            found.append((i, date.end() - i, "constant.numeric.date.gate"))
            i = date.end()
            previous = "0"
            continue
        quantity = QUANTITY.match(line, i)
        if c.isdigit() and quantity:
            found.append((i, len(quantity.group(1)), "constant.numeric.gate"))
            if quantity.group(2):
                found.append((quantity.start(2), len(quantity.group(2)), "keyword.other.unit.gate"))
            i = quantity.end()
            previous = "0"
            continue
        ident = IDENT.match(line, i)
        if ident:
            word = ident.group(0)
            rest = line[ident.end():].lstrip()
            after_dot = previous == "."
            if after_dot:
                scope = "entity.name.function.method.gate" if rest.startswith("(") else "variable.other.property.gate"
            elif word in STATEMENT_TYPES and rest.startswith('"'):
                scope = f"storage.type.{word}.gate"
            elif word in ("true", "false"):
                scope = "constant.language.boolean.gate"
            elif word == "as":
                scope = "keyword.other.as.gate"
                fmt = re.match(r"[A-Za-z][A-Za-z0-9_-]*", rest)
                if fmt:
                    start = line.index(fmt.group(0), ident.end())
                    found.append((i, 2, scope))
                    found.append((start, len(fmt.group(0)), "support.constant.format.gate"))
                    i = start + len(fmt.group(0))
                    previous = "a"
                    continue
            elif word in KEYWORD_SCOPES:
                scope = KEYWORD_SCOPES[word]
            elif word == "base" and rest.startswith("."):
                scope = "variable.language.base.gate"
            elif rest.startswith("=") and not rest.startswith("==") and line[:i].strip() == "":
                scope = "variable.other.evidence.gate"
            elif rest.startswith("("):
                scope = None  # a source or a function: support.function or entity.name.function
            elif line[:i].rstrip().endswith("category"):
                scope = "entity.name.section.category.gate"
            else:
                scope = "variable.other.gate"
            if scope:
                found.append((i, len(word), scope))
            i = ident.end()
            previous = "a"
            continue
        for op, scope in ((">=", "keyword.operator.comparison.gate"), ("<=", "keyword.operator.comparison.gate"),
                          ("==", "keyword.operator.comparison.gate"), ("!=", "keyword.operator.comparison.gate"),
                          (">", "keyword.operator.comparison.gate"), ("<", "keyword.operator.comparison.gate"),
                          ("=", "keyword.operator.assignment.gate"), ("+", "keyword.operator.arithmetic.gate"),
                          ("-", "keyword.operator.arithmetic.gate"), ("*", "keyword.operator.arithmetic.gate"),
                          ("/", "keyword.operator.arithmetic.gate"), ("{", "punctuation.section.block.begin.gate"),
                          ("}", "punctuation.section.block.end.gate"), ("(", "punctuation.section.parens.begin.gate"),
                          (")", "punctuation.section.parens.end.gate"), (",", "punctuation.separator.comma.gate"),
                          (".", "punctuation.accessor.gate")):
            if line.startswith(op, i):
                found.append((i, len(op), scope))
                i += len(op)
                previous = op[-1]
                break
        else:
            raise SystemExit(f"unexpected character {c!r} at column {i + 1} of: {line}")
    return found


def assertion(start, length, scope):
    if start == 0:
        return "# <" + "-" * (length - 1) + " " + scope
    return "#" + " " * (start - 1) + "^" * length + " " + scope


def main():
    out_dir = pathlib.Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(sys.argv[2:]):
        path = pathlib.Path(name)
        lines = [f'# SYNTAX TEST "source.gate" "{name}"']
        for line in path.read_text(encoding="utf-8").splitlines():
            lines.append(line)
            # An assertion line cannot mark the `#` column of a comment at column 0 (it would be
            # read as an assertion itself): such lines are asserted from column 1.
            for start, length, scope in tokens(line):
                if start == 0 and line.startswith("#"):
                    if len(line) < 2:
                        continue
                    start, length = 1, length - 1
                lines.append(assertion(start, length, scope))
        target = out_dir / f"{n:03}-{path.parent.name}-{path.stem}.gate"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(sys.argv) - 2} syntax tests to {out_dir}")


main()
