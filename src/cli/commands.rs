//! The commands. Each returns an [`Exit`]; output is written here and nowhere else.

use super::args::{
    CheckArgs, Cli, ColorChoice, Command, ExplainArgs, FmtArgs, InspectArgs, PolicyArgs,
    ReportFormat, SimpleFormat, ValidateArgs,
};
use super::github;
use super::Exit;
use readiness_gate::diagnostic::Diagnostic;
use readiness_gate::eval::{self, Context};
use readiness_gate::evidence::Workspace;
use readiness_gate::report;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

const WIDTH: usize = 100;

pub fn dispatch(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Publish(args) => github::publish(args),
        Command::Validate(args) => validate(args),
        Command::Fmt(args) => fmt(args),
        Command::Explain(args) => explain(args),
        Command::Inspect(args) => inspect(args),
        Command::Test(args) => super::lifecycle::test(args),
        Command::Diff(args) => super::lifecycle::diff(args),
        Command::Init(args) => super::lifecycle::init(args),
    }
}

fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    }
}

pub(super) fn fail(message: &str, help: Option<&str>) -> Exit {
    eprintln!("error: {message}");
    if let Some(help) = help {
        eprintln!("  help: {help}");
    }
    Exit::Invalid
}

/// Finds the policy file: `--policy`, else `readiness.gate`, then `.github/readiness.gate`.
pub(super) fn find_policy(args: &PolicyArgs) -> Result<PathBuf, Exit> {
    if let Some(policy) = &args.policy {
        return Ok(policy.clone());
    }
    for candidate in ["readiness.gate", ".github/readiness.gate"] {
        let path = args.workspace.join(candidate);
        if path.is_file() {
            return Ok(path);
        }
    }
    Err(fail(
        &format!(
            "no policy found: neither `readiness.gate` nor `.github/readiness.gate` exists in `{}`",
            args.workspace.display()
        ),
        Some("pass `--policy FILE`, or write `readiness.gate` (see policies/ for examples)"),
    ))
}

/// The name a policy file is shown under: relative to the workspace when inside it.
pub(super) fn display_name(path: &Path, workspace: &Path) -> String {
    path.strip_prefix(workspace)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn read_text(path: &Path) -> Result<String, Exit> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|error| {
            fail(
                &format!(
                    "`{}` is not UTF-8 text (invalid byte at offset {})",
                    path.display(),
                    error.utf8_error().valid_up_to()
                ),
                Some("save the policy as UTF-8"),
            )
        }),
        Err(error) => Err(fail(
            &format!(
                "cannot read `{}`: {}",
                path.display(),
                error.to_string().to_lowercase()
            ),
            None,
        )),
    }
}

pub(super) struct Loaded {
    pub(super) file: String,
    pub(super) source: String,
    pub(super) checked: readiness_gate::check::CheckedPolicy,
}

/// Reads, parses and checks the policy; on errors prints them and returns `Exit::Invalid`.
fn load(args: &PolicyArgs, color: bool, json: bool) -> Result<Loaded, Exit> {
    let path = find_policy(args)?;
    let file = display_name(&path, &args.workspace);
    let source = read_text(&path)?;
    match readiness_gate::load_policy(&source) {
        Ok((_, checked)) => Ok(Loaded {
            file,
            source,
            checked,
        }),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &file, &source, color, json);
            Err(Exit::Invalid)
        }
    }
}

pub(super) fn print_diagnostics(
    diagnostics: &[Diagnostic],
    file: &str,
    source: &str,
    color: bool,
    json: bool,
) {
    if json {
        let located: Vec<_> = diagnostics
            .iter()
            .map(|d| d.located(file, source))
            .collect();
        print!("{}", report::json::render_invalid(file, &located));
    } else {
        eprint!(
            "{}",
            report::diagnostics::render(diagnostics, file, source, color, WIDTH)
        );
    }
}

pub(super) fn today(arg: Option<&str>) -> Result<time::Date, Exit> {
    match arg {
        Some(text) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(text, &format).map_err(|_| {
                fail(
                    &format!("`--today {text}` is not a date"),
                    Some("write it as YYYY-MM-DD"),
                )
            })
        }
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

/// The changed files for `when changed` gates: those of `--changed-files` / `--patch` (already
/// read into `inputs`), or git's list for `--diff-base` (which, unlike the changed lines, names
/// deleted files too).
fn changed_files(args: &CheckArgs, inputs: &eval::Inputs) -> Result<Option<Vec<String>>, Exit> {
    if args.changed_files.is_some() || args.patch.is_some() {
        return Ok(inputs
            .changed_lines
            .as_ref()
            .map(|changed| changed.files.keys().cloned().collect()));
    }
    let Some(base) = &args.diff_base else {
        return Ok(None);
    };
    let git = |arguments: &[&str]| -> Result<String, String> {
        let output = std::process::Command::new("git")
            .args(arguments)
            .current_dir(&args.policy.workspace)
            .output()
            .map_err(|error| format!("cannot run git: {error}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
        }
    };
    let merge_base = git(&["merge-base", base, "HEAD"]).map_err(|error| {
        fail(
            &format!("cannot find the merge base of `{base}` and HEAD: {error}"),
            Some("fetch more history (e.g. `fetch-depth: 0` in actions/checkout) or pass --changed-files"),
        )
    })?;
    let diff = git(&["diff", "--relative", "--name-only", merge_base.trim()])
        .map_err(|error| fail(&format!("cannot list changed files: {error}"), None))?;
    Ok(Some(
        diff.lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect(),
    ))
}

/// Baseline, changed lines and commit for the evaluation.
pub(super) fn evaluation_inputs(args: &CheckArgs) -> Result<eval::Inputs, Exit> {
    let mut inputs = eval::Inputs {
        coverage_path_strip: args.coverage_path_strip.clone(),
        commit: eval::baseline::current_commit(&args.policy.workspace),
        ..eval::Inputs::default()
    };
    if args.baseline.as_deref() == Some(std::path::Path::new("github")) {
        inputs.baseline = Some(super::github::baseline(args));
    } else if let Some(path) = &args.baseline {
        inputs.baseline = Some(eval::baseline::Baseline::read(path).map_err(|error| {
            fail(&error, Some("the baseline is the JSON report of the base branch's run: `gate check --format json --output results.json`"))
        })?);
    }
    if let Some(path) = &args.changed_files {
        let text = read_text(path)?;
        inputs.changed_lines = Some(eval::patch::ChangedLines::from_text(
            &text,
            &format!("--changed-files {}", path.display()),
        ));
    } else if let Some(path) = &args.patch {
        let text = read_text(path)?;
        inputs.changed_lines = Some(eval::patch::ChangedLines::from_diff(
            &text,
            &format!("--patch {}", path.display()),
        ));
    } else if let Some(base) = &args.diff_base {
        inputs.changed_lines = Some(
            eval::patch::changed_lines_from_git(&args.policy.workspace, base)
                .map_err(|error| fail(&error, None))?,
        );
    }
    Ok(inputs)
}

fn check(args: CheckArgs) -> Exit {
    let stdout_color = use_color(args.color, std::io::stdout().is_terminal());
    let stderr_color = use_color(args.color, std::io::stderr().is_terminal());
    let json = matches!(args.format, ReportFormat::Json) && args.output.is_none();
    let chosen = match super::lifecycle::choose_policy(&args, stderr_color, json) {
        Ok(chosen) => chosen,
        Err(exit) => return exit,
    };
    let loaded = match &chosen {
        Some(choice) => choice.loaded(),
        None => match load(&args.policy, stderr_color, json) {
            Ok(loaded) => loaded,
            Err(exit) => return exit,
        },
    };
    let today = match today(args.today.as_deref()) {
        Ok(today) => today,
        Err(exit) => return exit,
    };
    let inputs = match evaluation_inputs(&args) {
        Ok(inputs) => inputs,
        Err(exit) => return exit,
    };
    let changed = match changed_files(&args, &inputs) {
        Ok(changed) => changed,
        Err(exit) => return exit,
    };
    if !args.policy.workspace.is_dir() {
        return fail(
            &format!(
                "the workspace `{}` is not a directory",
                args.policy.workspace.display()
            ),
            None,
        );
    }
    let workspace = Workspace::new(&args.policy.workspace);
    let context = Context {
        evidence: &workspace,
        today,
        changed_files: changed,
        policy_file: &loaded.file,
        policy_source: &loaded.source,
    };
    let mut outcome = eval::evaluate_with(&loaded.checked, &context, &inputs);
    if let Some(choice) = &chosen {
        super::lifecycle::describe_choice(choice, &mut outcome, &context, &inputs);
    }
    let root = github::repository_root();
    let prefix = github::workspace_prefix(&args.policy.workspace, root.as_deref());
    let rendered = match args.format {
        ReportFormat::Human => {
            report::human::render(&outcome, stdout_color && args.output.is_none())
        }
        ReportFormat::Json => report::json::render(&outcome),
        ReportFormat::Markdown => report::markdown::render(&outcome),
        ReportFormat::Sarif => report::sarif::render(&outcome, &prefix),
        ReportFormat::Junit => report::junit::render(&outcome, &prefix),
        ReportFormat::Github => {
            let github_workspace = std::env::var_os("GITHUB_WORKSPACE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from);
            report::github::render(&outcome, &prefix, github_workspace.as_deref())
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(error) = std::fs::write(path, &rendered) {
                return fail(
                    &format!(
                        "cannot write `{}`: {}",
                        path.display(),
                        error.to_string().to_lowercase()
                    ),
                    None,
                );
            }
            print!("{}", report::human::render(&outcome, stdout_color));
        }
        None => print!("{rendered}"),
    }
    let verdict = if outcome.ready {
        Exit::Ready
    } else {
        Exit::NotReady
    };
    if args.publish || args.bundle.is_some() {
        let json_output = args
            .output
            .as_deref()
            .filter(|_| matches!(args.format, ReportFormat::Json));
        if let Some(exit) = github::deliver(&outcome, &args, &prefix, json_output) {
            return exit;
        }
    }
    verdict
}

fn validate(args: ValidateArgs) -> Exit {
    let color = use_color(args.color, std::io::stderr().is_terminal());
    let json = matches!(args.format, SimpleFormat::Json);
    match load(&args.policy, color, json) {
        Ok(loaded) => {
            let gates: usize = loaded
                .checked
                .categories
                .iter()
                .map(|c| c.gates.len())
                .sum();
            if json {
                println!(
                    "{}",
                    serde_json::json!({
                        "schema_version": readiness_gate::eval::SCHEMA_VERSION,
                        "verdict": "valid",
                        "policy_file": loaded.file,
                        "categories": loaded.checked.categories.len(),
                        "gates": gates,
                        "evidence": loaded.checked.evidence.len(),
                        "diagnostics": [],
                    })
                );
            } else {
                let count = |n: usize, one: &str, many: &str| {
                    format!("{n} {}", if n == 1 { one } else { many })
                };
                println!(
                    "{}: valid ({}, {}, {}, {})",
                    loaded.file,
                    count(loaded.checked.categories.len(), "category", "categories"),
                    count(gates, "gate", "gates"),
                    count(
                        loaded.checked.evidence.len(),
                        "evidence item",
                        "evidence items"
                    ),
                    count(loaded.checked.waivers.len(), "waiver", "waivers")
                );
            }
            Exit::Ready
        }
        Err(exit) => exit,
    }
}

fn fmt(args: FmtArgs) -> Exit {
    let files = if args.files.is_empty() {
        match find_policy(&PolicyArgs {
            policy: None,
            workspace: args.workspace.clone(),
        }) {
            Ok(path) => vec![path],
            Err(exit) => return exit,
        }
    } else {
        args.files.clone()
    };
    let color = use_color(ColorChoice::Auto, std::io::stderr().is_terminal());
    let mut exit = Exit::Ready;
    for path in files {
        let source = match read_text(&path) {
            Ok(source) => source,
            Err(code) => return code,
        };
        let name = path.to_string_lossy().into_owned();
        let parsed = readiness_gate::syntax::parse(&source);
        let Some(policy) = parsed.policy else {
            eprint!(
                "{}",
                report::diagnostics::render(&parsed.diagnostics, &name, &source, color, WIDTH)
            );
            return Exit::Invalid;
        };
        let formatted = readiness_gate::format::format_policy(&policy, &source);
        if formatted == source {
            continue;
        }
        if args.check {
            println!("{name}: not formatted");
            exit = Exit::NotReady;
        } else if let Err(error) = std::fs::write(&path, formatted) {
            return fail(
                &format!(
                    "cannot write `{name}`: {}",
                    error.to_string().to_lowercase()
                ),
                None,
            );
        } else {
            println!("{name}: formatted");
        }
    }
    exit
}

fn explain(args: ExplainArgs) -> Exit {
    use readiness_gate::explain::{lookup, CODES};
    match args.code {
        None => {
            for code in CODES {
                println!("{:<26} {}", code.code, code.summary);
            }
            Exit::Ready
        }
        Some(code) => match lookup(code.trim()) {
            Some(entry) => {
                println!(
                    "{}: {}\n\n{}",
                    entry.code,
                    entry.summary,
                    textwrap_simple(entry.explanation, 90)
                );
                Exit::Ready
            }
            None => {
                let suggestion = readiness_gate::check::schema::did_you_mean(
                    &code,
                    CODES.iter().map(|c| c.code),
                );
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`? `gate explain` lists every code"),
                    None => "`gate explain` lists every code".to_string(),
                };
                fail(&format!("`{code}` is not a diagnostic code"), Some(&help))
            }
        },
    }
}

fn textwrap_simple(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

fn inspect(args: InspectArgs) -> Exit {
    let format = match args.format.as_deref() {
        None => None,
        Some(name) => match readiness_evidence::Format::from_name(name) {
            Some(format) => Some(format),
            None => {
                let names = readiness_evidence::Format::ALL.iter().map(|f| f.name());
                let help = readiness_gate::check::schema::did_you_mean(name, names)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| "see `gate inspect --help` for the formats".to_string());
                return fail(
                    &format!("`{name}` is not a known artifact format"),
                    Some(&help),
                );
            }
        },
    };
    match readiness_evidence::read_files(&args.paths, format) {
        Ok(evidence) => {
            match args.output {
                SimpleFormat::Json => {
                    let value = readiness_gate::inspect::to_json(&evidence);
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&value).unwrap_or_default()
                    );
                }
                SimpleFormat::Human => print!("{}", readiness_gate::inspect::to_human(&evidence)),
            }
            Exit::Ready
        }
        Err(error) => fail(&error.to_string(), None),
    }
}
