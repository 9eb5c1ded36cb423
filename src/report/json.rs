//! The JSON report: the [`Outcome`] as documented in `docs/report-json.md` (versioned by
//! `schema_version`). An invalid policy gives `verdict: "invalid"` and its diagnostics.

use crate::diagnostic::LocatedDiagnostic;
use crate::eval::{Outcome, SCHEMA_VERSION};
use serde::Serialize;

/// Renders an outcome as pretty JSON.
pub fn render(outcome: &Outcome) -> String {
    serde_json::to_string_pretty(outcome).unwrap_or_else(|error| {
        format!("{{\"schema_version\":{SCHEMA_VERSION},\"error\":\"cannot serialize the report: {error}\"}}")
    }) + "\n"
}

#[derive(Serialize)]
struct Invalid<'a> {
    schema_version: u32,
    verdict: &'static str,
    ready: bool,
    policy_file: &'a str,
    diagnostics: &'a [LocatedDiagnostic],
}

/// Renders the report of a policy that could not be evaluated.
pub fn render_invalid(policy_file: &str, diagnostics: &[LocatedDiagnostic]) -> String {
    let invalid = Invalid {
        schema_version: SCHEMA_VERSION,
        verdict: "invalid",
        ready: false,
        policy_file,
        diagnostics,
    };
    serde_json::to_string_pretty(&invalid).unwrap_or_default() + "\n"
}
