//! The life of a policy beside the code it judges: policies are tested, reviewed and
//! cannot be slipped in by the change they judge.
//!
//! - [`policy_test`]: `gate test`: snapshot-tested policy cases (a small evidence workspace and its
//!   expected outcome), with a semantic diff when an outcome moves and `--accept` to rewrite.
//! - [`policy_diff`]: `gate diff`: what a policy change does (gates added or removed, thresholds
//!   tightened or relaxed, severities, points, weights, target, waivers, evidence) and the verdict
//!   each version gives on the same evidence.
//! - [`base_policy`]: where the policy lives and which version judges a pull request: the lookup
//!   runs in the base commit's tree (through [`crate::repo::git`]), never in the head's files.
//! - [`init`]: `gate init`: a starter policy from what a workspace holds.
//!
//! Like the rest of the library, nothing here prints: functions return reports that render to
//! strings, and `src/cli` decides exit codes.

pub mod base_policy;
pub mod init;
pub mod init_code;
mod pairing;
pub mod policy_diff;
pub mod policy_test;

use crate::check::CheckedPolicy;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Policy;

/// A policy file read and checked: its name (for reports), text, AST and checked form.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    /// The file as reports name it (e.g. `policies/rust-crate.gate`, or `main:readiness.gate`).
    pub file: String,
    pub source: String,
    pub ast: Policy,
    pub checked: CheckedPolicy,
}

/// A policy that could not be used: unreadable, or with errors (every diagnostic, to be rendered
/// with [`Diagnostic::with_source`] against `source`).
#[derive(Debug, Clone)]
pub enum PolicyError {
    Unreadable {
        file: String,
        reason: String,
    },
    Invalid {
        file: String,
        source: String,
        diagnostics: Vec<Diagnostic>,
    },
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyError::Unreadable { file, reason } => {
                write!(f, "cannot read the policy `{file}`: {reason}")
            }
            PolicyError::Invalid {
                file, diagnostics, ..
            } => {
                let count = diagnostics.len();
                write!(
                    f,
                    "the policy `{file}` has {count} error{}",
                    if count == 1 { "" } else { "s" }
                )
            }
        }
    }
}

impl std::error::Error for PolicyError {}

impl LoadedPolicy {
    /// Parses and checks `source`, naming it `file` in reports.
    pub fn from_source(
        file: impl Into<String>,
        source: impl Into<String>,
    ) -> Result<LoadedPolicy, PolicyError> {
        let file = file.into();
        let source = source.into();
        match crate::load_policy(&source) {
            Ok((ast, checked)) => Ok(LoadedPolicy {
                file,
                source,
                ast,
                checked,
            }),
            Err(diagnostics) => Err(PolicyError::Invalid {
                file,
                source,
                diagnostics,
            }),
        }
    }

    /// Reads, parses and checks the policy at `relative` in `root` through the workspace file
    /// API (nothing that resolves outside `root` is read), naming it `file` in reports.
    pub fn read_in(
        root: &crate::repo::workspace::Root,
        relative: &str,
        file: &str,
    ) -> Result<LoadedPolicy, PolicyError> {
        let unreadable = |reason: String| PolicyError::Unreadable {
            file: file.to_string(),
            reason,
        };
        let bytes = root
            .read(relative, MAX_POLICY_BYTES)
            .map_err(|error| unreadable(error.to_string()))?;
        let source = String::from_utf8(bytes).map_err(|error| {
            unreadable(format!(
                "it is not UTF-8 text (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            ))
        })?;
        LoadedPolicy::from_source(file, source)
    }

    /// Reads, parses and checks a policy file named on the command line.
    pub fn read(path: &std::path::Path) -> Result<LoadedPolicy, PolicyError> {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(source) => LoadedPolicy::from_source(file, source),
            Err(error) => Err(PolicyError::Unreadable {
                file,
                reason: lowercase_first(&error.to_string()),
            }),
        }
    }
}

/// The largest policy file read.
pub const MAX_POLICY_BYTES: u64 = 16 * 1024 * 1024;

pub(crate) use crate::diagnostic::lowercase_first;
