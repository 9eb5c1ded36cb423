#!/usr/bin/env python3
"""Writes syntax.gate, the vscode-tmgrammar-test assertions for gate.tmLanguage.json.

Each source line is followed by assertions written as (text, scope): the first occurrence of
`text` in the line must carry `scope`; (text, scope, skip, width) marks part of it. Columns are computed here so
that the assertions cannot drift from the lines they test. Run it after editing LINES.
"""
import pathlib

LINES = [
    ('policy "demo \\"quoted\\" \\u{1F680}" {', [
        ("policy", "storage.type.policy.gate"),
        ('"', "punctuation.definition.string.begin.gate"),
        ("demo", "string.quoted.double.gate"),
        ('\\"', "constant.character.escape.gate"),
        ("\\u{1F680}", "constant.character.escape.gate"),
        ('" {', "punctuation.section.block.begin.gate", 2, 1),
    ]),
    ("  target 90%", [("target", "keyword.other.gate"), ("90", "constant.numeric.gate"), ("%", "keyword.other.unit.gate")]),
    ("  levels { bronze 60%  gold 90.5% }", [
        ("levels", "keyword.other.gate"), ("bronze", "variable.other.gate"),
        ("gold", "variable.other.gate"), ("90.5", "constant.numeric.gate"),
        ("}", "punctuation.section.block.end.gate"),
    ]),
    ("  evidence {", [("evidence", "keyword.other.gate")]),
    ('    build = build_log("logs/build.log") as cargo-json  # a trailing comment', [
        ("build", "variable.other.evidence.gate"),
        ("=", "keyword.operator.assignment.gate"),
        ("build_log", "support.function.gate"),
        ('"logs/build.log"', "string.quoted.double.gate"),
        (" as ", "keyword.other.as.gate", 1, 2),
        ("cargo-json", "support.constant.format.gate"),
        ("# a trailing comment", "comment.line.number-sign.gate"),
    ]),
    ('    basic = load("a.json", "b.json") min_samples 1000 shards 4', [
        ("load", "support.function.gate"), ('"a.json"', "string.quoted.double.gate"),
        (",", "punctuation.separator.comma.gate"), ("min_samples", "keyword.other.gate"),
        ("1000", "constant.numeric.gate"), ("shards", "keyword.other.gate"),
    ]),
    ("  }", []),
    ("  category reliability weight 30 {", [
        ("category", "keyword.other.category.gate"),
        ("reliability", "entity.name.section.category.gate"),
        ("weight", "keyword.other.gate"),
    ]),
    ('    gate "tests pass" blocker points 2 when changed("src/**", "lib/**") {', [
        ("gate", "storage.type.gate.gate"), ('"tests pass"', "string.quoted.double.gate"),
        ("blocker", "storage.modifier.severity.gate"), ("points", "keyword.other.gate"),
        ("when", "keyword.control.gate"), ("changed", "keyword.control.gate"),
        ('"src/**"', "string.quoted.double.gate"),
    ]),
    ("      expect tests.failed + tests.errors == 0 and not build.succeeded or true", [
        ("expect", "keyword.control.gate"), ("tests", "variable.other.gate"),
        (".", "punctuation.accessor.gate"), ("failed", "variable.other.property.gate"),
        ("+", "keyword.operator.arithmetic.gate"), ("==", "keyword.operator.comparison.gate"),
        ("and", "keyword.operator.logical.gate"), ("not", "keyword.operator.logical.gate"),
        (" or ", "keyword.operator.logical.gate", 1, 2), ("true", "constant.language.boolean.gate"),
    ]),
    ("      expect basic.p95 <= base.basic.p95 * 110% + 15ms", [
        ("<=", "keyword.operator.comparison.gate"), ("base", "variable.language.base.gate"),
        ("*", "keyword.operator.arithmetic.gate"), ("110", "constant.numeric.gate"),
        ("%", "keyword.other.unit.gate"), ("ms", "keyword.other.unit.gate"),
    ]),
    ('        help "retry the `flaky` ones"', [("help", "keyword.control.gate"), ("`flaky`", "string.quoted.double.gate")]),
    ('      expect files("lib/**/*.ts").containing(/messages\\.create/i).count / 2 == 0', [
        ("files", "support.function.gate"),
        ('"lib/**/*.ts"', "string.quoted.double.gate"),
        ("containing", "entity.name.function.method.gate"),
        ("(/", "punctuation.definition.string.begin.gate", 1, 1),
        ("messages", "string.regexp.gate"),
        ("\\.", "constant.character.escape.regexp.gate"),
        ("/i)", "punctuation.definition.string.end.gate", 0, 1),
        ("/i)", "keyword.other.regex-flags.gate", 1, 1),
        ("count", "variable.other.property.gate"),
        (" / ", "keyword.operator.arithmetic.gate", 1, 1),
    ]),
    ('      expect file("next.config.mjs").contains( /Strict-Transport\\/Security/ ) and exists("a.ts")', [
        ("file", "support.function.gate"),
        ("contains", "entity.name.function.method.gate"),
        ("( /", "punctuation.definition.string.begin.gate", 2, 1),
        ("/Strict", "string.regexp.gate", 1, 6),
        ("\\/", "constant.character.escape.regexp.gate"),
        ("/ )", "punctuation.definition.string.end.gate", 0, 1),
        ("exists", "support.function.gate"),
    ]),
    ("      expect (coverage.lines - base.coverage.lines) >= -0.5%", [
        ("(", "punctuation.section.parens.begin.gate"), ("coverage", "variable.other.gate"),
        ("lines", "variable.other.property.gate"), (")", "punctuation.section.parens.end.gate"),
        ("0.5", "constant.numeric.gate"),
        (">=", "keyword.operator.comparison.gate"),
        ("-0", "keyword.operator.arithmetic.gate", 0, 1),
    ]),
    ("    }", []),
    ("  }", []),
    ('  waive "tests pass" until 2026-12-31 owner "@qa" because "flaky on CI"', [
        ("waive", "storage.type.waive.gate"), ("until", "keyword.other.gate"),
        ("2026-12-31", "constant.numeric.date.gate"), ("owner", "keyword.other.gate"),
        ("because", "keyword.other.gate"),
    ]),
    ("}", []),
]


def assertion(line, check):
    """`#` and carets under `check`: (text, scope), or (text, scope, skip, width) to mark `width`
    characters from `skip` characters into the first occurrence of `text`."""
    text, scope = check[0], check[1]
    skip, width = (check[2], check[3]) if len(check) == 4 else (0, len(text))
    start = line.index(text) + skip
    if start == 0:
        # A token at column 0: tmgrammar-test's `<-` form, one character per `<` and `-`.
        return "# <" + "-" * (width - 1) + " " + scope
    return "#" + " " * (start - 1) + "^" * width + " " + scope


out = ['# SYNTAX TEST "source.gate" "every construct of the policy language (generated by make_syntax_test.py)"']
for line, checks in LINES:
    out.append(line)
    out.extend(assertion(line, check) for check in checks)
pathlib.Path(__file__).with_name("syntax.gate").write_text("\n".join(out) + "\n")
