//! readiness-gate: tells a team, from evidence, whether its software is ready to ship.
//!
//! The pipeline, one stage per module: text -> [`syntax`] (pest pairs -> owned, spanned AST) ->
//! [`check`] (a checked, typed policy) -> [`eval`] (an outcome, from evidence behind the
//! [`evidence`] trait) -> [`report`] (human, JSON, Markdown, SARIF, JUnit, workflow commands); [`publish`] turns the
//! outcome into what `readiness-github` sends. The library never prints. What is read from git and
//! the disk before evaluation (changed lines, the workspace walk, the base's policy) goes through
//! [`repo`].

pub mod check;
pub mod diagnostic;
pub mod eval;
pub mod evidence;
pub mod explain;
pub mod format;
pub mod inspect;
pub mod lifecycle;
pub mod publish;
pub mod repo;
pub mod report;
pub mod syntax;
pub mod value;

/// Parses and checks a policy: the AST and the checked policy, or every diagnostic found.
pub fn load_policy(
    source: &str,
) -> Result<(syntax::ast::Policy, check::CheckedPolicy), Vec<diagnostic::Diagnostic>> {
    let parsed = syntax::parse(source);
    let Some(policy) = parsed.policy else {
        return Err(parsed.diagnostics);
    };
    let checked = check::check(&policy)?;
    Ok((policy, checked))
}
