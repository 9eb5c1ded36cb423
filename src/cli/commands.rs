//! The commands. Each returns an [`Exit`]; output is written here and nowhere else.

use super::args::{
    CheckArgs, Cli, ColorChoice, Command, ExplainArgs, FmtArgs, InspectArgs, PolicyArgs,
    ReportFormat, SimpleFormat, ValidateArgs,
};
use super::common::{
    display_name, fail, read_text, report_width, stderr_choice, stdout_choice, today, use_color,
    WIDTH,
};
use super::github;
use super::load::{self, find_policy, policy_error};
use super::Exit;
use readiness_gate::eval::{self, Context};
use readiness_gate::evidence::Workspace;
use readiness_gate::lifecycle::LoadedPolicy;
use readiness_gate::repo::workspace::Root;
use readiness_gate::report;

use std::path::Path;

pub fn dispatch(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Publish(args) => github::publish(args),
        Command::Validate(args) => validate(args),
        Command::Fmt(args) => fmt(args),
        Command::Explain(args) => explain(args),
        Command::Inspect(args) => inspect(args),
        Command::Test(args) => super::policy_commands::test(args),
        Command::Diff(args) => super::policy_commands::diff(args),
        Command::Init(args) => super::policy_commands::init(args),
        Command::Completions(args) => super::docs::completions(args),
        Command::Man(args) => super::docs::man(args),
    }
}

/// Reads, parses and checks the working tree's policy; on errors prints them and returns
/// `Exit::Invalid`.
fn load(args: &PolicyArgs, color: bool, json: bool) -> Result<LoadedPolicy, Exit> {
    let path = find_policy(args)?;
    let file = display_name(&path, &args.workspace);
    let source = read_text(&path)?;
    LoadedPolicy::from_source(file, source).map_err(|error| policy_error(&error, color, json))
}

fn check(args: CheckArgs) -> Exit {
    let stdout_color = use_color(args.color, stdout_choice());
    let stderr_color = use_color(args.color, stderr_choice());
    let json = matches!(args.format, ReportFormat::Json)
        && args
            .output
            .as_deref()
            .is_none_or(|path| path == Path::new("-"));
    let choice = match load::choose_policy(&args, stderr_color, json) {
        Ok(choice) => choice,
        Err(exit) => return exit,
    };
    let today = match today(args.today.as_deref()) {
        Ok(today) => today,
        Err(exit) => return exit,
    };
    let loaded = match load::evaluation_inputs(&args) {
        Ok(loaded) => loaded,
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
        changed_files: loaded.changed_files,
        policy_file: &choice.file,
        policy_source: &choice.judge.source,
    };
    let mut outcome = eval::evaluate_with(&choice.judge.checked, &context, &loaded.inputs);
    if choice.note.is_some() {
        super::policy_commands::describe_choice(&choice, &mut outcome, &context, &loaded.inputs);
    }
    let root = github::repository_root();
    let prefix = github::workspace_prefix(&args.policy.workspace, root.as_deref());
    // `-o -` is stdout.
    let to_file = args
        .output
        .as_deref()
        .filter(|path| *path != Path::new("-"));
    let rendered = match args.format {
        ReportFormat::Human => report::human::render_with(
            &outcome,
            &report::human::Options {
                color: stdout_color && to_file.is_none(),
                width: report_width(),
            },
        ),
        ReportFormat::Json => report::json::render(&outcome),
        ReportFormat::Markdown => {
            let links = readiness_github::GithubEnv::from_process(&args.github.token_env)
                .map(|env| readiness_gate::publish::links(&env, &prefix))
                .unwrap_or_default();
            report::markdown::render_with(&outcome, &links)
        }
        ReportFormat::Sarif => report::sarif::render(&outcome, &prefix),
        ReportFormat::Junit => report::junit::render(&outcome, &prefix),
        // Relative to the repository root: `GITHUB_WORKSPACE`, else the current directory.
        ReportFormat::Github => report::github::render(&outcome, &prefix, root.as_deref()),
    };
    match to_file {
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
            print!(
                "{}",
                report::human::render_with(
                    &outcome,
                    &report::human::Options {
                        color: stdout_color,
                        width: report_width(),
                    },
                )
            );
        }
        None => print!("{rendered}"),
    }
    let verdict = if outcome.ready {
        Exit::Ready
    } else {
        Exit::NotReady
    };
    if args.publish || args.bundle.is_some() {
        let json_output = to_file.filter(|_| matches!(args.format, ReportFormat::Json));
        if let Some(exit) = github::deliver(&outcome, &args, &prefix, json_output) {
            return exit;
        }
    }
    verdict
}

fn validate(args: ValidateArgs) -> Exit {
    let color = use_color(args.color, stderr_choice());
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
    let color = use_color(ColorChoice::Auto, stderr_choice());
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
        } else if let Err(message) = write_formatted(&args, &path, &formatted) {
            return fail(&message, None);
        } else {
            println!("{name}: formatted");
        }
    }
    exit
}

/// Writes a formatted policy: the one found in the workspace through the workspace file API
/// (never through a symlink), a file named on the command line as named.
fn write_formatted(args: &FmtArgs, path: &std::path::Path, text: &str) -> Result<(), String> {
    if args.files.is_empty() {
        let relative = display_name(path, &args.workspace);
        return Root::new(&args.workspace)
            .write(&relative, text.as_bytes())
            .map(|_| ())
            .map_err(|error| format!("cannot write the policy: {error}"));
    }
    std::fs::write(path, text).map_err(|error| {
        format!(
            "cannot write `{}`: {}",
            path.display(),
            error.to_string().to_lowercase()
        )
    })
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
