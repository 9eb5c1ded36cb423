//! The policy commands (`gate test`, `gate diff`, `gate init`), and what `gate check`
//! reports about the policy that judged a pull request (chosen in [`super::load`]).

use super::args::{DiffArgs, DiffFormat, InitArgs, TestArgs};
use super::common::{fail, today};
use super::load::{find_policy, policy_error, Choice};
use super::Exit;
use readiness_gate::eval::{self, Context, Outcome};
use readiness_gate::evidence::Workspace;
use readiness_gate::lifecycle::base_policy::{self, PolicyAtRef};
use readiness_gate::lifecycle::policy_diff::{self, Judge};
use readiness_gate::lifecycle::{init as starter, policy_test, LoadedPolicy};
use readiness_gate::report::{policy_diff as diff_report, policy_test as test_report};

/// Records which version judged and, when the change edits the policy, the policy diff and what
/// the other version gives on the same evidence.
pub fn describe_choice(
    choice: &Choice,
    outcome: &mut Outcome,
    context: &Context<'_>,
    inputs: &eval::Inputs,
) {
    outcome.policy.source = match choice.judged_by {
        Judge::Base => "base".to_string(),
        Judge::Head => "head".to_string(),
    };
    outcome.policy.note = choice.note.clone();
    let Some(base) = &choice.base else { return };
    if !choice.changed {
        return;
    }
    let other = match choice.judged_by {
        Judge::Base => &choice.head,
        Judge::Head => base,
    };
    let other_context = Context {
        evidence: context.evidence,
        today: context.today,
        changed_files: context.changed_files.clone(),
        policy_file: &other.file,
        policy_source: &other.source,
    };
    let other_outcome = eval::evaluate_with(&other.checked, &other_context, inputs);
    let comparison = match choice.judged_by {
        Judge::Base => {
            policy_diff::comparison_of(base, outcome, &choice.head, &other_outcome, Judge::Base)
        }
        Judge::Head => {
            policy_diff::comparison_of(base, &other_outcome, &choice.head, outcome, Judge::Head)
        }
    };
    outcome.policy.change = Some(diff_report::render_markdown(&comparison));
}

pub fn test(args: TestArgs) -> Exit {
    let path = match find_policy(&args.policy) {
        Ok(path) => path,
        Err(exit) => return exit,
    };
    let today = match today(args.today.as_deref()) {
        Ok(today) => today,
        Err(exit) => return exit,
    };
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| policy_test::default_cases_dir(&path));
    match policy_test::run_cases(&path, &dir, args.accept, today) {
        Ok(report) => {
            print!("{}", test_report::render(&report));
            if report.succeeded() {
                Exit::Ready
            } else {
                Exit::NotReady
            }
        }
        Err(policy_test::TestError::Policy(error)) => policy_error(&error, false, false),
        Err(error) => fail(
            &error.to_string(),
            Some("create a case: a folder with the evidence files, then run `gate test --accept` and review `expected.outcome`"),
        ),
    }
}

pub fn diff(args: DiffArgs) -> Exit {
    let path = match find_policy(&args.policy) {
        Ok(path) => path,
        Err(exit) => return exit,
    };
    let today = match today(args.today.as_deref()) {
        Ok(today) => today,
        Err(exit) => return exit,
    };
    let head = match LoadedPolicy::read(&path) {
        Ok(head) => head,
        Err(error) => return policy_error(&error, false, false),
    };
    let base = match base_policy::read_policy_at(&path, std::slice::from_ref(&args.base)) {
        Ok(PolicyAtRef::Found {
            git_ref,
            repo_path,
            source,
            ..
        }) => match LoadedPolicy::from_source(format!("{git_ref}:{repo_path}"), source) {
            Ok(base) => base,
            Err(error) => return policy_error(&error, false, false),
        },
        Ok(PolicyAtRef::Absent {
            git_ref, repo_path, ..
        }) => {
            println!(
                "`{repo_path}` does not exist at `{git_ref}`: the policy is new in this change"
            );
            return Exit::Ready;
        }
        Err(error) => return fail(
            &error.to_string(),
            Some(
                "fetch the base (`git fetch origin main`, or `fetch-depth: 0` in actions/checkout)",
            ),
        ),
    };
    let workspace = Workspace::new(&args.policy.workspace);
    let context = Context {
        evidence: &workspace,
        today,
        changed_files: None,
        policy_file: &head.file,
        policy_source: &head.source,
    };
    let (comparison, _, _) = policy_diff::compare(
        &base,
        &head,
        &context,
        &eval::Inputs::default(),
        Judge::Base,
    );
    match args.format {
        DiffFormat::Human => print!("{}", diff_report::render_text(&comparison)),
        DiffFormat::Markdown => print!("{}", diff_report::render_markdown(&comparison)),
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&comparison).unwrap_or_default()
        ),
    }
    Exit::Ready
}

pub fn init(args: InitArgs) -> Exit {
    match starter::init(&args.workspace, args.force) {
        Ok(report) => {
            print!("{}", report.render());
            Exit::Ready
        }
        Err(starter::InitError::Exists(path)) => fail(
            &format!("`{}` already exists", path.display()),
            Some("pass `--force` to overwrite it, or edit it by hand"),
        ),
        Err(error) => fail(&error.to_string(), None),
    }
}
