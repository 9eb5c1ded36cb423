//! Argument definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit codes:
  0  ready (every blocker passed and the score meets the target); for other commands: success
  1  not ready; for `fmt --check`: a file needs formatting
  2  the policy or the invocation is invalid: nothing was judged

Environment:
  NO_COLOR   disables colour (as does output that is not a terminal)";

/// readiness-gate: is this software ready to ship? Computed from evidence, not claimed.
///
/// A policy (`readiness.gate`) declares where the evidence lives (coverage reports, JUnit XML,
/// build logs, load-test reports, dependency reports, files in the repository) and the gates it
/// must pass, in weighted categories with a target readiness score. `gate check` reads the
/// evidence and gives the verdict. Missing evidence never passes.
#[derive(Debug, Parser)]
#[command(name = "gate", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate the policy against the workspace's evidence and give the verdict.
    ///
    /// Examples:
    ///   gate check                                  # readiness.gate in the current directory
    ///   gate check --workspace examples/demo
    ///   gate check --format json --output results.json
    ///   gate check --diff-base origin/main          # `when changed(...)` gates use the diff
    #[command(after_help = EXIT_CODES, verbatim_doc_comment)]
    Check(CheckArgs),
    /// Parse and check the policy without reading any evidence.
    #[command(after_help = EXIT_CODES)]
    Validate(ValidateArgs),
    /// Format policy files canonically (keeps comments; idempotent).
    Fmt(FmtArgs),
    /// Explain a diagnostic code, or list them all.
    Explain(ExplainArgs),
    /// Show what the gate reads from artifact files (coverage, tests, build logs, load tests, deps).
    Inspect(InspectArgs),
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// The policy file. Default: `readiness.gate`, then `.github/readiness.gate`, in the workspace.
    #[arg(long, short = 'p', value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// The directory the policy's paths and globs are relative to.
    #[arg(long, short = 'w', value_name = "DIR", default_value = ".")]
    pub workspace: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// Tables for a terminal.
    Human,
    /// The versioned JSON report (docs/report-json.md).
    Json,
    /// What the PR comment and job summary show.
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: ReportFormat,
    /// Write the report to FILE (the human report still goes to the terminal).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Changed files, one workspace-relative path per line: `when changed(...)` gates whose
    /// globs match none of them are n/a.
    #[arg(long, value_name = "FILE", conflicts_with = "diff_base")]
    pub changed_files: Option<PathBuf>,
    /// Take the changed files from git: the diff between REF's merge base and the working tree.
    #[arg(long, value_name = "REF")]
    pub diff_base: Option<String>,
    /// Judge waivers as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", env = "GATE_TODAY")]
    pub today: Option<String>,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SimpleFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: SimpleFormat,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Policy files to format. Default: the policy `gate check` would use.
    pub files: Vec<PathBuf>,
    /// Do not write; exit 1 if a file is not formatted, printing the files.
    #[arg(long)]
    pub check: bool,
    /// The workspace whose default policy is formatted when no file is given.
    #[arg(long, short = 'w', value_name = "DIR", default_value = ".")]
    pub workspace: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A diagnostic code, e.g. `unit-mismatch`. Without one, all codes are listed.
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Artifact files; several files of one kind are merged (coverage line by line, tests concatenated).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Force a format instead of sniffing it from the content. One of: lcov, cobertura, jacoco,
    /// clover, coveragepy-json, istanbul-summary, istanbul-final, go-cover, llvm-cov-json, junit,
    /// artillery, k6, locust, autocannon, wrk, tsc, next, webpack, vite, rollup, esbuild, cargo,
    /// cargo-json, go-build, mypy, pyright, pyright-json, python-traceback, npm-ls, npm-ls-json,
    /// npm-install.
    #[arg(long = "as", value_name = "FORMAT")]
    pub format: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub output: SimpleFormat,
}
