//! Evidence access. The evaluator asks an [`EvidenceSource`] for workspace files and for the
//! figures of artifacts; [`Workspace`] is the real one (a directory on disk, artifacts read by the
//! `readiness-evidence` readers). Tests can provide their own.
//!
//! Paths are workspace-relative with `/` separators. Files are opened through the one workspace
//! file API ([`crate::repo::workspace::Root`]: nothing that resolves outside is opened) and
//! listed by the walk of [`crate::repo::walk`] (`.gitignore` rules for repository facts, never
//! for evidence; only the globs' literal folders are walked).

use crate::check::WorkspaceGlob;
use crate::repo::walk::{literal_prefix, Ignored, WorkspaceWalker};
use crate::repo::workspace::Root;
use readiness_evidence::{Evidence, FileLines, Format, ReadError};
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the evaluator gets its evidence.
pub trait EvidenceSource {
    /// Every file of the workspace (`.gitignore` or not; not `.git/` nor `node_modules/`),
    /// relative, sorted.
    fn files(&self) -> Result<&[String], String>;
    /// The files `globs` match, as `scope` says, sorted. The default filters [`Self::files`]
    /// (a source without ignore rules); [`Workspace`] walks only the globs' literal folders.
    fn matching(&self, globs: &[WorkspaceGlob], scope: Scope) -> Result<Vec<String>, String> {
        let _ = scope;
        Ok(self
            .files()?
            .iter()
            .filter(|file| globs.iter().any(|glob| glob.is_match(file)))
            .cloned()
            .collect())
    }
    /// The bytes of a workspace file.
    fn read(&self, relative: &str) -> Result<Vec<u8>, String>;
    /// Reads (and merges) artifacts with the evidence readers.
    fn artifact(&self, relatives: &[String], format: Option<Format>)
        -> Result<Evidence, ReadError>;
    /// Like [`EvidenceSource::artifact`], and also keeps line-level coverage of the source files
    /// `wanted` accepts (by their path as the report writes it), for patch coverage. A source
    /// without line data returns none, which makes patch coverage unknown.
    fn artifact_lines(
        &self,
        relatives: &[String],
        format: Option<Format>,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<(Evidence, BTreeMap<String, FileLines>), ReadError> {
        let _ = wanted;
        self.artifact(relatives, format)
            .map(|evidence| (evidence, BTreeMap::new()))
    }
    /// Facts computed from source (`imports(...)`, `code(...)`) of workspace files, by the
    /// `readiness-code` crate. A source that cannot read source code makes them unknown.
    fn code_facts(&self, request: CodeRequest<'_>) -> Result<CodeFacts, String> {
        let _ = request;
        Err("this evidence source cannot read source code".to_string())
    }
}

/// What [`EvidenceSource::code_facts`] computes, over workspace-relative files.
pub enum CodeRequest<'a> {
    Imports(&'a [String]),
    Code(&'a [String], &'a readiness_code::CompiledQuery),
}

/// The answer to a [`CodeRequest`].
pub enum CodeFacts {
    Imports(readiness_code::ImportFacts),
    Code(readiness_code::CodeFacts),
}

/// The largest workspace file `file(...).contains` and `files(...).containing` will read.
pub const MAX_TEXT_FILE: u64 = 64 * 1024 * 1024;

/// Which files a glob sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Evidence globs: every file, `.gitignore` or not (`coverage/` and `reports/` usually are).
    Evidence,
    /// Repository facts (`exists`, `files`, `file`): `.gitignore` applies unless the gate opts
    /// out (`files(...).including_ignored()`).
    Facts { include_ignored: bool },
}

/// A workspace directory on disk.
pub struct Workspace {
    walker: WorkspaceWalker,
    files: OnceCell<Result<Vec<String>, String>>,
}

impl Workspace {
    pub fn new(root: impl Into<PathBuf>) -> Workspace {
        Workspace {
            walker: WorkspaceWalker::new(Root::new(root)),
            files: OnceCell::new(),
        }
    }

    pub fn root(&self) -> &Path {
        self.walker.root().path()
    }
}

/// The files of `globs` from `walker`: a glob without wildcards is looked up directly (wherever
/// it is); the others from a walk of their literal folder.
fn matching_in(
    walker: &WorkspaceWalker,
    globs: &[WorkspaceGlob],
    scope: Scope,
) -> Result<Vec<String>, String> {
    let ignored = match scope {
        Scope::Facts {
            include_ignored: false,
        } => Ignored::Respect,
        _ => Ignored::Include,
    };
    let mut found = Vec::new();
    for glob in globs {
        if glob.is_literal() {
            if walker
                .root()
                .is_file(&glob.text)
                .map_err(|error| error.to_string())?
            {
                found.push(glob.text.clone());
            }
            continue;
        }
        let files = walker.files_under(&literal_prefix(&glob.text), ignored)?;
        found.extend(files.iter().filter(|file| glob.is_match(file)).cloned());
    }
    found.sort();
    found.dedup();
    Ok(found)
}

impl EvidenceSource for Workspace {
    fn code_facts(&self, request: CodeRequest<'_>) -> Result<CodeFacts, String> {
        // Only files of the walk (never a symlink out of the workspace) are read. The resolver
        // wants an absolute root to find tsconfig.json and package.json files.
        let root = self.root();
        Ok(match request {
            CodeRequest::Imports(files) => CodeFacts::Imports(readiness_code::imports(root, files)),
            CodeRequest::Code(files, query) => {
                CodeFacts::Code(readiness_code::code(root, files, query))
            }
        })
    }

    fn files(&self) -> Result<&[String], String> {
        self.files
            .get_or_init(|| {
                self.walker
                    .files_under("", Ignored::Include)
                    .map(|files| files.to_vec())
            })
            .as_deref()
            .map_err(Clone::clone)
    }

    fn matching(&self, globs: &[WorkspaceGlob], scope: Scope) -> Result<Vec<String>, String> {
        matching_in(&self.walker, globs, scope)
    }

    fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        self.walker
            .root()
            .read(relative, MAX_TEXT_FILE)
            .map_err(|error| error.to_string())
    }

    fn artifact(
        &self,
        relatives: &[String],
        format: Option<Format>,
    ) -> Result<Evidence, ReadError> {
        let paths = self.artifact_paths(relatives)?;
        let mut evidence = readiness_evidence::read_files(&paths, format)?;
        relative_provenance(&mut evidence, relatives);
        Ok(evidence)
    }

    fn artifact_lines(
        &self,
        relatives: &[String],
        format: Option<Format>,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<(Evidence, BTreeMap<String, FileLines>), ReadError> {
        let paths = self.artifact_paths(relatives)?;
        let (mut evidence, lines) =
            readiness_evidence::read_files_with_lines(&paths, format, wanted)?;
        relative_provenance(&mut evidence, relatives);
        Ok((evidence, lines))
    }
}

impl Workspace {
    fn artifact_paths(&self, relatives: &[String]) -> Result<Vec<PathBuf>, ReadError> {
        let mut paths = Vec::with_capacity(relatives.len());
        for relative in relatives {
            let path =
                self.walker
                    .root()
                    .resolve(relative)
                    .map_err(|error| ReadError::Refused {
                        path: PathBuf::from(relative),
                        reason: error.reason(),
                    })?;
            paths.push(path);
        }
        Ok(paths)
    }
}

/// Reports workspace-relative paths.
fn relative_provenance(evidence: &mut Evidence, relatives: &[String]) {
    for (provenance, relative) in evidence.provenance.iter_mut().zip(relatives) {
        provenance.path = PathBuf::from(relative);
    }
}
