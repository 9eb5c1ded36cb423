//! What the checker knows of evidence: the source functions a policy may name in `evidence { }`,
//! the kind of evidence each gives, and the fields (figures) of each kind with their types. The
//! checker uses this to type-check `coverage.lnes`; the evaluator uses the same names to read
//! figures. Readers are not known here.

use crate::value::Type;
use readiness_evidence::Kind;

/// An evidence source function: `coverage("glob")`.
pub struct Source {
    pub name: &'static str,
    pub kind: Kind,
}

/// The source functions, by name.
pub const SOURCES: &[Source] = &[
    Source {
        name: "coverage",
        kind: Kind::Coverage,
    },
    Source {
        name: "junit",
        kind: Kind::Tests,
    },
    Source {
        name: "tests",
        kind: Kind::Tests,
    },
    Source {
        name: "build_log",
        kind: Kind::Build,
    },
    Source {
        name: "build",
        kind: Kind::Build,
    },
    Source {
        name: "load",
        kind: Kind::Load,
    },
    Source {
        name: "npm_ls",
        kind: Kind::Deps,
    },
    Source {
        name: "deps",
        kind: Kind::Deps,
    },
    // A step's recorded exit status alone: `exit_code("logs/build.exit")`.
    Source {
        name: "exit_code",
        kind: Kind::Build,
    },
    // Configuration files, queried with JSONPath (`check/config.rs`); `config` reads each file by
    // its extension, the others force a format.
    Source {
        name: "config",
        kind: Kind::Config,
    },
    Source {
        name: "json",
        kind: Kind::Config,
    },
    Source {
        name: "yaml",
        kind: Kind::Config,
    },
    Source {
        name: "toml",
        kind: Kind::Config,
    },
];

pub fn source(name: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|source| source.name == name)
}

/// The format a source reads when the policy names none (`as FORMAT`); otherwise it is sniffed.
pub fn default_format(source: &str) -> Option<readiness_evidence::Format> {
    match source {
        "exit_code" => Some(readiness_evidence::Format::ExitCode),
        other => super::config::inline_format(other),
    }
}

/// A figure of an evidence kind.
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub doc: &'static str,
}

const fn field(name: &'static str, ty: Type, doc: &'static str) -> Field {
    Field { name, ty, doc }
}

const COVERAGE: &[Field] = &[
    field("lines", Type::Percent, "covered lines / executable lines"),
    field("branches", Type::Percent, "covered branches / branches"),
    field("functions", Type::Percent, "covered functions / functions"),
    field("statements", Type::Percent, "covered statements / statements (istanbul, clover)"),
    field("percent", Type::Percent, "the tool's own headline percentage (coverage.py: lines and branches together); lines where the tool has no other headline"),
    field("lines_covered", Type::Number, "covered lines"),
    field("lines_total", Type::Number, "executable lines"),
    field("lines_missed", Type::Number, "executable lines not covered"),
    field("branches_covered", Type::Number, "covered branches"),
    field("branches_total", Type::Number, "branches"),
    field("functions_covered", Type::Number, "covered functions"),
    field("functions_total", Type::Number, "functions"),
    field("statements_covered", Type::Number, "covered statements"),
    field("statements_total", Type::Number, "statements"),
    field("files", Type::Number, "source files in the report"),
];

const COVERAGE_PATCH: &[Field] = &[
    field(
        "lines",
        Type::Percent,
        "covered changed lines / changed executable lines",
    ),
    field(
        "branches",
        Type::Percent,
        "covered changed branches / changed branches",
    ),
];

const TESTS: &[Field] = &[
    field("total", Type::Number, "test cases"),
    field("passed", Type::Number, "passed cases"),
    field("failed", Type::Number, "failed cases (assertion failures)"),
    field("errors", Type::Number, "cases or suites that errored"),
    field("skipped", Type::Number, "skipped, pending or todo cases"),
    field("pass_rate", Type::Percent, "passed / total"),
    field(
        "duration",
        Type::Duration,
        "total duration the report gives",
    ),
];

const BUILD: &[Field] = &[
    field(
        "succeeded",
        Type::Bool,
        "the build succeeded (from its exit code or its own final line)",
    ),
    field("exit_code", Type::Number, "the build command's exit code"),
    field(
        "error_count",
        Type::Number,
        "errors, as the tool counts them",
    ),
    field(
        "unresolved_imports",
        Type::Number,
        "modules the build could not resolve",
    ),
];

const LOAD: &[Field] = &[
    field("requests", Type::Number, "requests sent"),
    field(
        "samples",
        Type::Number,
        "requests sent (the sample size of the latency figures)",
    ),
    field("responses", Type::Number, "responses received"),
    field("errors", Type::Number, "errors, as the tool counts them"),
    field("error_rate", Type::Percent, "errors / requests"),
    field("p50", Type::Duration, "median latency"),
    field("p95", Type::Duration, "95th percentile latency"),
    field("p99", Type::Duration, "99th percentile latency"),
    field("max", Type::Duration, "maximum latency"),
    field("throughput", Type::Number, "requests per second"),
];

const DEPS: &[Field] = &[field(
    "problems",
    Type::Number,
    "dependency problems (invalid, missing, extraneous, peer conflicts)",
)];

/// The fields of an evidence kind.
pub fn fields(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Coverage => COVERAGE,
        Kind::Tests => TESTS,
        Kind::Build => BUILD,
        Kind::Load => LOAD,
        Kind::Deps => DEPS,
        Kind::Config => &[],
    }
}

/// Field groups: `coverage.patch.lines`.
pub fn group(kind: Kind, name: &str) -> Option<&'static [Field]> {
    match (kind, name) {
        (Kind::Coverage, "patch") => Some(COVERAGE_PATCH),
        _ => None,
    }
}

pub fn groups(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Coverage => &["patch"],
        _ => &[],
    }
}

/// The closest of `candidates` to `word`, when close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|(distance, candidate)| {
            *distance <= 2.max(candidate.len() / 3) && *distance < candidate.len()
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The fields of `imports("glob", ...)`: imports resolved from source (crate `readiness-code`).
pub const IMPORTS: &[Field] = &[
    field("unresolved", Type::Number, "runtime imports of local modules (relative paths, tsconfig aliases, Python packages of the project) that resolve to nothing"),
    field("undeclared", Type::Number, "bare packages imported but not declared in package.json (Python: not declared, when the project declares none)"),
    field("not_installed", Type::Number, "packages declared in package.json but missing from an existing node_modules"),
    field("unknown", Type::Number, "Python third-party modules that no declared distribution provides under a known name"),
    field("not_runtime", Type::Number, "unresolved imports that do not run: type-only, `if TYPE_CHECKING:`, guarded by `except ImportError`"),
    field("files", Type::Number, "source files parsed"),
    field("imports", Type::Number, "imports found (import, export-from, require, import(), Python import/from)"),
];

/// The figure of `code(...)`.
pub const CODE: &[Field] = &[field(
    "count",
    Type::Number,
    "matches of the pattern that satisfy every relation",
)];
