//! The repository layer: everything the program learns from git and from the workspace on disk,
//! before evaluation.
//!
//! - [`git`]: every git call, through one hardened invocation, with errors in words;
//! - [`changes`]: what a change touched (changed lines and changed files, from git or a file);
//! - [`walk`]: the workspace walk on the `ignore` crate (literal prefixes, `.gitignore` rules);
//! - [`paths`]: the one path normalisation, runner paths to repository paths, and the indexed
//!   mapping of coverage report paths to changed files;
//! - [`workspace`]: the one way to open a file in the workspace (refusing what resolves outside
//!   it), shared with the artifact readers of `readiness-evidence`.
//!
//! The evaluator never calls this module's IO: the CLI loads what it needs here and hands plain
//! data to `eval`.

pub mod changes;
pub mod git;
pub mod paths;
pub mod walk;

/// The one way to open a workspace file: [`workspace::Root`] (resolve, open, read, write), also
/// used by the readers for the files they open beside an artifact.
pub mod workspace {
    pub use readiness_evidence::files::{escapes, open_artifact, sibling, FileError, Root};
}
