//! Evaluating `imports(...)` and `code(...)`: the facts come from the injected
//! [`EvidenceSource::code_facts`] (crate `readiness-code` behind it), computed once per distinct
//! request. A file that could not be parsed, or no file to look at, makes the figure unknown:
//! searching nothing proves nothing. The findings (file:line:column) go into the expectation's
//! evidence, so reports name the missing module or the bare call.

use super::{Trace, Unknown};
use crate::check::code::CodeCheck;
use crate::check::WorkspaceGlob;
use crate::evidence::{CodeFacts, CodeRequest, EvidenceSource};
use crate::value::Value;
use readiness_code::{Finding, Problem};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// How many findings an expectation lists in its evidence.
const LISTED: usize = 10;

/// Facts already computed, by request.
#[derive(Default)]
pub(super) struct Cache(RefCell<HashMap<String, Rc<Result<CodeFacts, Unknown>>>>);

fn globs_text(globs: &[WorkspaceGlob]) -> String {
    globs
        .iter()
        .map(|glob| format!("`{}`", glob.text))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn incomplete(problems: &[Problem]) -> Unknown {
    let listed: Vec<String> = problems
        .iter()
        .take(3)
        .map(|problem| format!("`{}`: {}", problem.file, problem.reason))
        .collect();
    let more = if problems.len() > 3 {
        format!(" and {} more", problems.len() - 3)
    } else {
        String::new()
    };
    Unknown(format!(
        "{} source {} could not be parsed, so the count would be incomplete: {}{more} (fix them, or leave them out of the globs)",
        problems.len(),
        if problems.len() == 1 { "file" } else { "files" },
        listed.join("; ")
    ))
}

fn note(trace: &mut Trace, findings: &[Finding]) {
    for finding in findings.iter().take(LISTED) {
        let reason = if finding.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", finding.reason)
        };
        trace.note(format!(
            "{}:{}:{} `{}`{reason}",
            finding.file, finding.line, finding.column, finding.text
        ));
    }
    if findings.len() > LISTED {
        trace.note(format!("… and {} more", findings.len() - LISTED));
    }
}

fn facts(
    cache: &Cache,
    source: &dyn EvidenceSource,
    key: String,
    compute: impl FnOnce() -> Result<CodeFacts, Unknown>,
) -> Rc<Result<CodeFacts, Unknown>> {
    if let Some(found) = cache.0.borrow().get(&key) {
        return found.clone();
    }
    let _ = source;
    let computed = Rc::new(compute());
    cache.0.borrow_mut().insert(key, computed.clone());
    computed
}

/// `imports(globs).field`.
pub(super) fn imports(
    cache: &Cache,
    source: &dyn EvidenceSource,
    files: Vec<String>,
    globs: &[WorkspaceGlob],
    field: &str,
    trace: &mut Trace,
) -> Result<Value, Unknown> {
    if files.is_empty() {
        return Err(Unknown(format!(
            "no file matches {}, so there are no imports to resolve",
            globs_text(globs)
        )));
    }
    let key = format!("imports {}", globs_text(globs));
    let computed = facts(cache, source, key, || {
        source
            .code_facts(CodeRequest::Imports(&files))
            .map_err(Unknown)
    });
    let facts = match computed.as_ref() {
        Ok(CodeFacts::Imports(facts)) => facts,
        Ok(CodeFacts::Code(_)) => {
            return Err(Unknown(
                "internal error: code facts answered an imports request; please report".to_string(),
            ))
        }
        Err(unknown) => return Err(unknown.clone()),
    };
    if !facts.problems.is_empty() {
        return Err(incomplete(&facts.problems));
    }
    if facts.files == 0 {
        return Err(Unknown(format!(
            "none of the files matching {} is TypeScript, JavaScript or Python",
            globs_text(globs)
        )));
    }
    let list = match field {
        "unresolved" => &facts.unresolved,
        "undeclared" => &facts.undeclared,
        "not_installed" => &facts.not_installed,
        "unknown" => &facts.unknown,
        "not_runtime" => &facts.not_runtime,
        "files" => return Ok(Value::number(facts.files)),
        "imports" => return Ok(Value::number(facts.imports)),
        other => {
            return Err(Unknown(format!(
                "internal error: unknown imports field `{other}`; please report"
            )))
        }
    };
    note(trace, list);
    Ok(Value::number(list.len() as u64))
}

/// `code(...).count`.
pub(super) fn count(
    cache: &Cache,
    source: &dyn EvidenceSource,
    files: Vec<String>,
    check: &CodeCheck,
    trace: &mut Trace,
) -> Result<Value, Unknown> {
    if files.is_empty() {
        return Err(Unknown(format!(
            "no file matches {}, so there is nothing to search",
            globs_text(&check.globs)
        )));
    }
    let computed = facts(cache, source, check.canonical(), || {
        let query = readiness_code::compile(&check.query, &check.languages)
            .map_err(|error| Unknown(format!("internal error: {error}; please report")))?;
        source
            .code_facts(CodeRequest::Code(&files, &query))
            .map_err(Unknown)
    });
    let facts = match computed.as_ref() {
        Ok(CodeFacts::Code(facts)) => facts,
        Ok(CodeFacts::Imports(_)) => {
            return Err(Unknown(
                "internal error: imports facts answered a code request; please report".to_string(),
            ))
        }
        Err(unknown) => return Err(unknown.clone()),
    };
    if !facts.problems.is_empty() {
        return Err(incomplete(&facts.problems));
    }
    if facts.files == 0 {
        let names: Vec<&str> = check.languages.iter().map(|l| l.name()).collect();
        return Err(Unknown(format!(
            "none of the files matching {} is {}, so there is nothing to search",
            globs_text(&check.globs),
            names.join(" or ")
        )));
    }
    note(trace, &facts.findings);
    Ok(Value::number(facts.findings.len() as u64))
}
