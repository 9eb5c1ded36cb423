//! Evidence access. The evaluator asks an [`EvidenceSource`] for workspace files and for the
//! figures of artifacts; [`Workspace`] is the real one (a directory on disk, artifacts read by the
//! `readiness-evidence` readers). Tests can provide their own.
//!
//! Paths are workspace-relative with `/` separators. The walk never follows a symlink that leads
//! out of the workspace, and skips `.git` and `node_modules`.

use readiness_evidence::{Evidence, FileLines, Format, ReadError};
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the evaluator gets its evidence.
pub trait EvidenceSource {
    /// Every file of the workspace, relative, sorted.
    fn files(&self) -> Result<&[String], String>;
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
}

/// The largest workspace file `file(...).contains` and `files(...).containing` will read.
pub const MAX_TEXT_FILE: u64 = 64 * 1024 * 1024;

/// A workspace directory on disk.
pub struct Workspace {
    root: PathBuf,
    canonical_root: Option<PathBuf>,
    files: OnceCell<Result<Vec<String>, String>>,
}

impl Workspace {
    pub fn new(root: impl Into<PathBuf>) -> Workspace {
        let root = root.into();
        let canonical_root = std::fs::canonicalize(&root).ok();
        Workspace {
            root,
            canonical_root,
            files: OnceCell::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn walk(&self) -> Result<Vec<String>, String> {
        let Some(canonical_root) = &self.canonical_root else {
            return Err(format!(
                "the workspace `{}` does not exist",
                self.root.display()
            ));
        };
        let mut files = Vec::new();
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0
                    || !(entry.file_type().is_dir()
                        && matches!(entry.file_name().to_str(), Some(".git" | "node_modules")))
            });
        for entry in walker {
            let Ok(entry) = entry else { continue };
            let is_file = if entry.path_is_symlink() {
                // Follow a symlink only when it stays inside the workspace.
                match std::fs::canonicalize(entry.path()) {
                    Ok(target) => target.starts_with(canonical_root) && target.is_file(),
                    Err(_) => false,
                }
            } else {
                entry.file_type().is_file()
            };
            if !is_file {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            let parts: Vec<String> = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push(parts.join("/"));
        }
        files.sort();
        Ok(files)
    }

    fn path_of(&self, relative: &str) -> Result<PathBuf, String> {
        if crate::check::glob::escapes_workspace(relative).is_some() {
            return Err(format!("`{relative}` is outside the workspace"));
        }
        let path = self.root.join(relative);
        if let (Some(root), Ok(target)) = (&self.canonical_root, std::fs::canonicalize(&path)) {
            if !target.starts_with(root) {
                return Err(format!(
                    "`{relative}` leads out of the workspace through a symlink"
                ));
            }
        }
        Ok(path)
    }
}

impl EvidenceSource for Workspace {
    fn files(&self) -> Result<&[String], String> {
        self.files
            .get_or_init(|| self.walk())
            .as_deref()
            .map_err(Clone::clone)
    }

    fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        let path = self.path_of(relative)?;
        let metadata = std::fs::metadata(&path).map_err(|error| {
            format!(
                "cannot read `{relative}`: {}",
                crate::diagnostic::lowercase_first(&error.to_string())
            )
        })?;
        if metadata.len() > MAX_TEXT_FILE {
            return Err(format!(
                "`{relative}` is {} MB, above the {} MB limit for text checks",
                metadata.len() >> 20,
                MAX_TEXT_FILE >> 20
            ));
        }
        std::fs::read(&path).map_err(|error| {
            format!(
                "cannot read `{relative}`: {}",
                crate::diagnostic::lowercase_first(&error.to_string())
            )
        })
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
            let path = self
                .path_of(relative)
                .map_err(|detail| ReadError::UnknownFormat {
                    path: PathBuf::from(relative),
                    detail,
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
