//! Every diagnostic code, with a one-line summary and a long explanation (`gate explain CODE`).
//! Codes are stable: renaming one is a breaking change.

/// One diagnostic code.
pub struct Code {
    pub code: &'static str,
    pub summary: &'static str,
    pub explanation: &'static str,
}

macro_rules! codes {
    ($( $code:literal : $summary:literal => $explanation:literal ; )*) => {
        /// All codes, sorted by name.
        pub const CODES: &[Code] = &[ $( Code { code: $code, summary: $summary, explanation: $explanation }, )* ];
    };
}

codes! {
    "code-language-unknown": "the globs of `code(...)` name no language" =>
        "A `code(glob, ..., pattern)` pattern is code in the language of the files it searches, and the language comes from the extension the globs end with: `src/**/*.ts` (TypeScript), `*.tsx` (TSX), `*.{js,jsx,mjs,cjs}` (JavaScript), `*.py` (Python), `*.rs` (Rust), `*.go` (Go). End a glob with one of them, e.g. `code(\"src/**/*.{ts,tsx}\", \"$CLIENT.messages.create($$$)\")`.";
    "conflicting-severity": "a gate is both `blocker` and `advisory`" =>
        "A gate has one severity: `blocker` (a failure or unknown result makes the verdict not ready, whatever the score), `advisory` (reported, never scored, never blocks) or neither (scored by its points). Keep one.";
    "duplicate-category": "two categories have the same name" =>
        "Category names are unique in a policy. Put all gates of a category in one `category NAME weight N { ... }` block.";
    "duplicate-evidence": "two evidence items have the same name" =>
        "Each evidence item in `evidence { ... }` is referred to by name (`coverage.lines`), so names are unique.";
    "duplicate-gate": "two gates have the same name" =>
        "Gate names are unique across the whole policy, because waivers (`waive \"name\" ...`) and reports refer to gates by name.";
    "duplicate-level": "two levels have the same name" =>
        "Level names in `levels { ... }` are unique.";
    "duplicate-levels": "`levels { ... }` appears twice" =>
        "A policy has one `levels` block listing every level from lowest to highest.";
    "duplicate-modifier": "a modifier is given twice" =>
        "`shards`, `min_samples`, `as`, `points`, a severity and `when changed(...)` may each appear once on their evidence item or gate.";
    "duplicate-target": "the target is set twice" =>
        "A policy has one `target`: the readiness score that counts as ready.";
    "duplicate-waiver": "a gate is waived twice" =>
        "Keep one waiver per gate; extend its `until` date instead of adding another.";
    "duplicate-waiver-clause": "a waiver has `until`, `owner` or `because` more than once" =>
        "A waiver has exactly one expiry date, one owner and one reason.";
    "empty-category": "a category has no gates" =>
        "A category with no gates would judge nothing. Add a gate or remove the category.";
    "empty-gate": "a gate has no expectations" =>
        "A gate with no `expect` would pass without any evidence, which readiness-gate never allows. Add at least one expectation.";
    "empty-name": "a policy or gate name is empty" =>
        "Names appear in reports, PR comments and waivers; make them say what is checked.";
    "empty-waiver-field": "a waiver's owner or reason is empty" =>
        "A waiver must say who owns the risk (`owner \"@team\"`) and why it is acceptable for now (`because \"...\"`).";
    "expect-not-boolean": "an expectation is not a yes/no question" =>
        "`expect` takes a condition: a comparison such as `coverage.lines >= 70%`, a yes/no figure such as `build.succeeded`, or `exists(\"path\")`. A bare figure such as `coverage.lines` must be compared with a threshold.";
    "expired-waiver": "a waiver has expired (warning)" =>
        "The waiver's `until` date has passed, so the gate is judged again as if there were no waiver. Fix the gate or, if the risk is still accepted, extend the date.";
    "format-kind-mismatch": "`as FORMAT` names a format of another kind of evidence" =>
        "`as` forces an artifact format, which must match the source: coverage formats for `coverage(...)`, `junit` for `junit(...)`, build-log formats for `build_log(...)`, load-test formats for `load(...)`, npm formats for `npm_ls(...)`. `gate inspect --help` lists them.";
    "glob-escapes-workspace": "a path or glob leaves the workspace" =>
        "Paths and globs are relative to the workspace (`--workspace`, default the current directory). Absolute paths, `..` and `~` are refused so that a policy reads only the repository it judges. Symlinks leading out of the workspace are not followed either.";
    "internal-error": "readiness-gate met a shape it did not expect" =>
        "This is a bug in readiness-gate, not in your policy. Please report it with the policy that caused it.";
    "invalid-code-pattern": "a `code(...)` pattern does not parse in its language" =>
        "`code(...)` patterns and their relations (`.inside`, `.not_inside`, `.has`, `.not_has`) are ast-grep patterns: code of the files' language where `$NAME` stands for one node and `$$$` for any number of nodes, e.g. `$CLIENT.messages.create($$$)` or `httpx.$METHOD($$$)`. Each is compiled for every language the globs name (TypeScript and TSX for `*.{ts,tsx}`), and one that has a syntax error in any of them is rejected here rather than matching nothing at evaluation.";
    "invalid-date": "a date does not exist" =>
        "Dates are written YYYY-MM-DD and must be real calendar days, e.g. `2026-12-31`.";
    "invalid-escape": "a string escape is not valid" =>
        "Strings accept `\\\"`, `\\\\`, `\\n`, `\\t`, `\\r` and `\\u{XXXX}` with a valid unicode scalar value.";
    "invalid-glob": "a glob cannot be compiled" =>
        "Globs use `*` (any characters within a folder), `**` (any depth, as a whole path component), `?`, `[abc]` and `{a,b}`. The message says what is wrong.";
    "invalid-jsonpath": "a configuration query is not a valid JSONPath" =>
        "Configuration files (`config`, `json`, `yaml`, `toml`) are queried with RFC 9535 JSONPath: `$.on.pull_request`, `$.jobs.*.steps[*].run`, `$..containers[*].readinessProbe`, `$.services[?@.healthcheck]`.";
    "invalid-min-samples": "`min_samples` is not a whole number of at least 1, or not on load evidence" =>
        "`min_samples N` on a load evidence item is its noise gate: a run with fewer than N requests (samples) makes every figure of the item unknown, so a p95 from a handful of requests neither passes nor fails a gate. It applies to `load(...)` only.";
    "invalid-points": "`points` is not a plain number above 0" =>
        "Points weigh a gate within its category (default 1): a category's score is the share of its counted points that passed.";
    "invalid-regex": "a regular expression cannot be compiled" =>
        "Regular expressions follow Rust's `regex` crate syntax (no look-around, no backreferences). Write them between slashes, `/pattern/`, with optional flags `i`, `m`, `s`, `x`.";
    "invalid-shards": "`shards` is not a whole number of at least 1" =>
        "`shards N` says how many files make up one evidence item (one per CI job). Until all N are present the item is unknown, so a missing shard never passes.";
    "invalid-weight": "a category weight is not a plain number above 0" =>
        "Weights are relative numbers (`weight 25`); the readiness score is the weighted sum of category scores over the total weight, so weights need not add up to 100.";
    "level-not-percentage": "a level threshold is not a percentage" =>
        "Levels name readiness scores, e.g. `levels { bronze 70%  silver 85%  gold 95% }`.";
    "level-out-of-range": "a level threshold is outside 0%..100%" =>
        "Readiness scores go from 0% to 100%.";
    "levels-not-increasing": "levels are not listed from lowest to highest" =>
        "List levels in increasing order, each strictly above the previous one; the level reached is the highest whose threshold the score meets.";
    "misplaced-regex": "a regular expression stands on its own" =>
        "Regular expressions are arguments of `.contains(/re/)`, `.containing(/re/)` and `.not_containing(/re/)`.";
    "misplaced-statement": "a statement is in the wrong block" =>
        "`target`, `levels`, `evidence`, `category` and `waive` go directly inside `policy \"...\" { }`; evidence items inside `evidence { }`; gates inside a category; `expect` inside a gate.";
    "missing-glob": "an evidence source names no file" =>
        "Evidence sources take one or more paths or globs: `coverage(\"coverage/lcov.info\")`.";
    "missing-target": "the policy has no target" =>
        "`target 90%` says what readiness score counts as ready. Without it the verdict would be arbitrary.";
    "nesting-too-deep": "an expression nests deeper than 64 levels" =>
        "Parentheses, `not`, each operator of a chain (`a + b + c` is two levels) and each `.member` or `.method(...)` of a chain count as a level; an expression may have 64. Deeper text is refused before any stage walks it, so no input can exhaust the stack. Split a long condition into several `expect` lines: a gate passes when all of them hold.";
    "no-categories": "the policy has no categories" =>
        "The readiness score comes from weighted categories of gates; a policy with none judges nothing.";
    "number-too-long": "a number has more than 40 characters" =>
        "Numbers in a policy (thresholds, weights, points) have at most 40 characters, digits and the decimal point; no figure needs more, and very long numbers make exact arithmetic slow.";
    "policy-too-large": "the policy file is larger than 4 MiB" =>
        "Policies are written by people and are a few kilobytes; a larger file is refused before it is parsed, so that no input makes the tool work for minutes. Check that `--policy` names the right file.";
    "reserved-name": "an evidence item uses a reserved name" =>
        "`base`, `exists`, `files`, `file` and `changed` have meanings in expectations and cannot name evidence items.";
    "stale-waiver": "a waiver matches no gate (warning)" =>
        "The gate a waiver names does not exist, usually because it was renamed or removed. Remove the waiver, or fix its gate name.";
    "syntax-error": "the policy cannot be read" =>
        "The text does not follow the policy grammar at the place shown. The message says what was expected there. See README.md, \"A tour of the language\".";
    "target-not-percentage": "the target is not a percentage" =>
        "The target is a readiness score: write it with `%`, e.g. `target 95%`.";
    "target-out-of-range": "the target is not above 0% and at most 100%" =>
        "The readiness score goes from 0% to 100%; a target outside that range can never be met or is always met.";
    "type-mismatch": "a value of the wrong kind" =>
        "`and`, `or` and `not` combine yes/no conditions; arithmetic and comparisons need figures on both sides.";
    "unit-mismatch": "a comparison or arithmetic between unlike units" =>
        "Both sides of a comparison must be of one kind: percentages with percentages (`coverage.lines >= 70%`), durations with durations (`basic.p95 < 500ms`), counts with counts (`tests.failed == 0`), sizes with sizes. A share of counts is a percentage: `tests.passed / tests.total >= 99%`.";
    "unknown-evidence": "a name is not a declared evidence item" =>
        "Expectations refer to evidence items declared in `evidence { name = source(\"glob\") }`, or to the built-in functions `exists`, `files` and `file`.";
    "unknown-field": "an evidence item has no such figure" =>
        "Each kind of evidence has its figures. coverage: lines, branches, functions, statements, percent, *_covered, *_total, lines_missed, files, patch.lines. tests: total, passed, failed, errors, skipped, pass_rate, duration. build: succeeded, exit_code, error_count, unresolved_imports. load: requests, samples, responses, errors, error_rate, p50, p95, p99, max, throughput. deps: problems.";
    "unknown-format": "`as` names no known format" =>
        "The artifact formats are listed by `gate inspect --help`; `as` is only needed when sniffing the content cannot tell.";
    "unknown-function": "a function does not exist" =>
        "The functions are `exists(glob, ...)`, `files(glob, ...)` and `file(path)`. Evidence sources such as `coverage(...)` are declared in `evidence { }` and used by name.";
    "unknown-method": "a value has no such method" =>
        "File sets have `.containing(/re/)`, `.not_containing(/re/)` and `.count`; a file has `.contains(/re/)`; configuration files have `.query(path)`, `.values(path)`, `.number(path)`, `.string(path)` and `.bool(path)`.";
    "unknown-source": "an evidence source does not exist" =>
        "The evidence sources are `coverage`, `junit` (or `tests`), `build_log` (or `build`), `load`, `npm_ls` (or `deps`), and for configuration files `config`, `json`, `yaml` and `toml`.";
    "unknown-unit": "a configuration number names no known unit" =>
        "`.number(path, \"unit\")` reads a number in a unit: \"ms\", \"s\", \"m\", \"h\", \"B\", \"KB\", \"MB\", \"GB\", \"%\" (0 to 100) or \"ratio\" (0 to 1). Without a unit, a number compared with a size or a duration is read in bytes or milliseconds.";
    "waiver-missing-expiry": "a waiver has no `until` date" =>
        "Every waiver expires: `until YYYY-MM-DD`. After that date the gate is judged again and the report says the waiver expired.";
    "waiver-missing-owner": "a waiver has no owner" =>
        "Every waiver names who owns the accepted risk: `owner \"@team\"`.";
    "waiver-missing-reason": "a waiver has no reason" =>
        "Every waiver says why the risk is accepted for now: `because \"...\"`.";
    "wrong-argument-count": "a function got the wrong number of arguments" =>
        "`exists` and `files` take one or more globs, `file` takes one path, `.contains`, `.containing` and `.not_containing` take one regular expression.";
    "wrong-argument-type": "a function got the wrong kind of argument" =>
        "Paths and globs are strings in double quotes; patterns are regular expressions between slashes.";
}

/// Looks a code up.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|entry| entry.code == code)
}
