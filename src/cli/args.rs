//! Argument definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit codes:
  0  ready (every blocker passed and the score meets the target); for other commands: success
  1  not ready; for `fmt --check`: a file needs formatting; for `test`: a case changed or is new
  2  the policy, the bundle or the invocation is invalid: nothing was judged or published
  3  publishing to GitHub failed, with `--publish-strict` only (otherwise publishing problems
     are warnings and the verdict alone decides the exit code)

Environment:
  NO_COLOR            disables colour (as does output that is not a terminal)
  GITHUB_TOKEN        the token `--publish` and `gate publish` use (see `--token-env`)
  GITHUB_API_URL      the GitHub API (GitHub Enterprise Server: https://HOST/api/v3)
  GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, ...
                      read as the Actions runner sets them";

/// `gate --version`: the crate version, the commit and the build date (stamped by `build.rs`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("GATE_BUILD_COMMIT"),
    " ",
    env!("GATE_BUILD_DATE"),
    ")"
);

/// readiness-gate: is this software ready to ship? Computed from evidence, not claimed.
///
/// A policy (`readiness.gate`) declares where the evidence lives (coverage reports, JUnit XML,
/// build logs, load-test reports, dependency reports, files in the repository) and the gates it
/// must pass, in weighted categories with a target readiness score. `gate check` reads the
/// evidence and gives the verdict. Missing evidence never passes.
///
/// On a pull request the policy comes from the base commit's tree, never from the change: a
/// policy the change adds, moves or redirects is not used until it is merged.
#[derive(Debug, Parser)]
#[command(name = "gate", version = VERSION, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate the policy against the workspace's evidence and give the verdict
    ///
    /// Examples:
    ///   gate check                                  # readiness.gate in the current directory
    ///   gate check --workspace examples/demo
    ///   gate check --format json --output results.json
    ///   gate check --diff-base origin/main          # `when changed` gates, patch coverage
    ///   gate check --publish                        # GitHub Actions: check run, PR comment
    ///   gate check --bundle out/readiness           # fork PRs, phase one: no token needed
    #[command(after_help = EXIT_CODES, verbatim_doc_comment)]
    Check(Box<CheckArgs>),
    /// Publish a bundle written by `gate check --bundle` (fork-safe phase two)
    ///
    /// Run it from a `workflow_run` workflow that never checks out the pull request's code: it
    /// checks that the bundle belongs to this repository and to the commit the triggering run ran
    /// on, then creates the check run, the sticky PR comment and the job summary.
    ///
    /// Examples:
    ///   gate publish --bundle readiness-bundle
    #[command(after_help = EXIT_CODES, verbatim_doc_comment)]
    Publish(PublishArgs),
    /// Parse and check the policy without reading any evidence.
    #[command(after_help = EXIT_CODES)]
    Validate(ValidateArgs),
    /// Format policy files canonically (keeps comments; idempotent).
    Fmt(FmtArgs),
    /// Explain a diagnostic code, or list them all.
    Explain(ExplainArgs),
    /// Show what the gate reads from artifact files (coverage, tests, build logs, load tests, deps).
    Inspect(InspectArgs),
    /// Run the policy's test cases and compare their outcomes with the snapshots
    ///
    /// A case is a folder holding a small workspace of evidence and a snapshot of the expected
    /// outcome (`expected.outcome`). Cases live in `<policy>.tests/<case>/` beside the policy, or `fixtures/<policy>/<case>/`,
    /// or DIR. A changed outcome fails with a readable diff; `--accept` rewrites the snapshots.
    ///
    /// Examples:
    ///   gate test --policy policies/rust-crate.gate
    ///   gate test --policy readiness.gate --accept
    #[command(verbatim_doc_comment)]
    Test(TestArgs),
    /// Compare the policy with its version at a git ref (tightened, relaxed, added, removed)
    ///
    /// Also shows what each version gives on the same evidence.
    ///
    /// Examples:
    ///   gate diff --base origin/main
    ///   gate diff --base origin/main --format markdown
    #[command(verbatim_doc_comment)]
    Diff(DiffArgs),
    /// Write a starter `readiness.gate` whose gates match what the workspace has.
    ///
    /// It looks at package.json, pyproject.toml, Cargo.toml, go.mod and the coverage, JUnit and
    /// load-test artifacts it finds.
    Init(InitArgs),
    /// Print a shell completion script
    ///
    /// Examples:
    ///   gate completions bash > ~/.local/share/bash-completion/completions/gate
    ///   gate completions zsh > "${fpath[1]}/_gate"
    ///   gate completions fish > ~/.config/fish/completions/gate.fish
    ///   gate completions powershell >> $PROFILE
    ///   gate completions elvish >> ~/.config/elvish/rc.elv
    #[command(verbatim_doc_comment)]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command to a directory
    ///
    /// Examples:
    ///   gate man | man -l -
    ///   gate man --dir /usr/local/share/man/man1
    #[command(verbatim_doc_comment)]
    Man(ManArgs),
}

/// The shells `gate completions` writes scripts for.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    #[value(name = "powershell")]
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `gate.1` and one `gate-<command>.1` per command to DIR instead of printing `gate.1`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
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
    /// SARIF 2.1.0, for code scanning (one rule per gate, results at the policy's lines).
    Sarif,
    /// JUnit XML, for CI test views (a test case per gate, a suite per category).
    Junit,
    /// GitHub workflow commands (`::error file=...`): annotations without a token.
    Github,
}

/// When the sticky pull-request comment is posted.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CommentArg {
    /// Create or update it on every run.
    Always,
    /// Create it only when not ready; an existing comment is still kept current.
    OnFailure,
    /// Create it once; update it only when the verdict changes.
    OnChange,
    /// Never comment.
    Off,
}

/// Options shared by `gate check --publish/--bundle` and `gate publish`.
#[derive(Debug, Args)]
pub struct GithubArgs {
    /// Sticky pull-request comment: when to post or update it.
    #[arg(long, value_enum, default_value = "always", value_name = "MODE")]
    pub comment: CommentArg,
    /// The environment variable holding the GitHub token (its value is never printed).
    #[arg(long, value_name = "NAME", default_value = "GITHUB_TOKEN")]
    pub token_env: String,
    /// The login whose marked comment is the sticky comment (e.g. `my-app[bot]`). It wins over
    /// what is learned from the token: the app owning the check run, then the token's user, then
    /// `github-actions[bot]`.
    #[arg(long, value_name = "LOGIN")]
    pub comment_author: Option<String>,
    /// Exit 3 when publishing fails (otherwise publishing problems are warnings and the verdict
    /// alone decides the exit code).
    #[arg(long)]
    pub publish_strict: bool,
    /// Do not create or update the check run (the PR comment, job summary and outputs still are).
    #[arg(long)]
    pub no_check_run: bool,
    /// Do not write the job summary (`GITHUB_STEP_SUMMARY`).
    #[arg(long)]
    pub no_summary: bool,
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
    /// A unified diff (`git diff --unified=0 BASE`) giving the changed lines for
    /// `coverage.patch.*`, when git is not available to `--diff-base`.
    #[arg(long, value_name = "FILE", conflicts_with = "diff_base")]
    pub patch: Option<PathBuf>,
    /// The base branch's JSON report (`gate check --format json --output results.json`) for
    /// `base.<item>.<figure>` expectations; without it they are unknown. `github`: the figures
    /// the pull request's base commit kept on its own check run of the same `--check-name`
    /// (written by `--publish`), read through the API.
    #[arg(long, value_name = "FILE|github")]
    pub baseline: Option<PathBuf>,
    /// Strip this prefix from coverage report paths instead of matching them to repository paths
    /// by suffix (e.g. `/builds/acme/app/`).
    #[arg(long, value_name = "PREFIX")]
    pub coverage_path_strip: Option<String>,
    /// Which version of the policy judges: `base` (the pull request's base commit; the default on
    /// pull_request events, so a PR cannot relax the policy that judges it) or `head`.
    #[arg(long, value_name = "base|head")]
    pub policy_from: Option<String>,
    /// The git ref of the base version (default on pull requests: the event's base commit, then
    /// `origin/$GITHUB_BASE_REF`).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Judge waivers as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", env = "GATE_TODAY", hide_env_values = true)]
    pub today: Option<String>,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Publish to GitHub (in Actions): check run with annotations, sticky PR comment, job summary
    /// and step outputs. Needs a token that can write (`checks: write`, `pull-requests: write`);
    /// without one, annotations fall back to workflow commands.
    #[arg(long, conflicts_with = "bundle")]
    pub publish: bool,
    /// Fork-safe phase one: write the publication, the JSON report and the PR identity to DIR
    /// (no token needed) for `gate publish --bundle DIR` in a `workflow_run` workflow.
    #[arg(long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
    /// The check run's name, also the key of the sticky PR comment.
    #[arg(long, value_name = "NAME", default_value = "readiness")]
    pub check_name: String,
    #[command(flatten)]
    pub github: GithubArgs,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The bundle directory written by `gate check --bundle`.
    #[arg(long, value_name = "DIR")]
    pub bundle: PathBuf,
    /// The check run's name and sticky-comment key to publish under; never taken from the bundle
    /// (a bundle made for another name is refused).
    #[arg(long, value_name = "NAME", default_value = "readiness")]
    pub check_name: String,
    #[command(flatten)]
    pub github: GithubArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SimpleFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The folder of test cases. Default: `<policy>.tests/` beside the policy, else
    /// `fixtures/<policy>/`.
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Write new and changed snapshots (after reviewing the diff).
    #[arg(long)]
    pub accept: bool,
    /// Judge waivers of cases without a recorded date as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", env = "GATE_TODAY", hide_env_values = true)]
    pub today: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// The git ref whose version of the policy is the base, e.g. `origin/main`.
    #[arg(long, value_name = "REF")]
    pub base: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: DiffFormat,
    /// Judge waivers as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", env = "GATE_TODAY", hide_env_values = true)]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The workspace to look at; `readiness.gate` is written there.
    #[arg(long, short = 'w', value_name = "DIR", default_value = ".")]
    pub workspace: PathBuf,
    /// Overwrite an existing `readiness.gate`.
    #[arg(long)]
    pub force: bool,
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
    #[arg(long = "format", short = 'f', value_enum, default_value = "human")]
    pub output: SimpleFormat,
}
