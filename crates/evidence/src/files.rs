//! The one way to open a file: every file the tool reads or writes in a workspace goes through
//! here, so that nothing it opens resolves outside the workspace.
//!
//! - [`Root`]: a workspace directory. [`Root::resolve`] refuses absolute paths, `..`, `~` and any
//!   path that leads out through a symlink; [`Root::open`], [`Root::read`] and [`Root::write`]
//!   open only regular files (never a FIFO or a device, which could block or never end) and write
//!   by replacing the file, never through a symlink.
//! - [`open_artifact`]: opens an artifact the caller has already confined (or that a person named
//!   on the command line), refusing what is not a regular file.
//! - [`sibling`]: a file the readers look for next to an artifact on their own (the exit-code file
//!   beside a build log, Locust's `*_failures.csv` beside its stats). It is looked for in the
//!   folder where the artifact really is and must resolve into that same folder: a sibling that is
//!   a symlink to a file elsewhere is refused, not read, and nothing of its content is quoted.
//!
//! Errors never carry a file's content: a file that could not be opened is named, not quoted.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a workspace file was not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The path is absolute, or climbs with `..`, or starts with `~`.
    #[error("`{path}` is outside the workspace: {reason}")]
    Outside { path: String, reason: &'static str },
    /// The path exists but resolves outside the workspace.
    #[error("`{path}` leads out of the workspace through a symlink, so it is not opened")]
    LeadsOut { path: String },
    /// Not a regular file (a folder, a FIFO, a device, a socket).
    #[error("`{path}` is not a regular file, so it is not read")]
    NotRegular { path: String },
    /// Writing would follow a symlink.
    #[error("`{path}` is a symlink; it is not written through")]
    WriteThroughSymlink { path: String },
    /// Too large for a text check.
    #[error("`{path}` is {megabytes} MB, above the {limit} MB limit for text checks")]
    TooLarge {
        path: String,
        megabytes: u64,
        limit: u64,
    },
    /// The workspace directory itself is missing.
    #[error("the workspace `{path}` does not exist")]
    NoWorkspace { path: String },
    /// The file does not exist.
    #[error("`{path}` does not exist in the workspace")]
    NotFound { path: String },
    /// The operating system refused (permissions, I/O error).
    #[error("cannot {action} `{path}`: {detail}")]
    Io {
        action: &'static str,
        path: String,
        detail: String,
    },
}

impl FileError {
    /// Why, without naming the file (for messages that name it already).
    pub fn reason(&self) -> String {
        match self {
            FileError::Outside { reason, .. } => format!("it is outside the workspace: {reason}"),
            FileError::LeadsOut { .. } => {
                "it leads out of the workspace through a symlink".to_string()
            }
            FileError::NotRegular { .. } => "it is not a regular file".to_string(),
            FileError::WriteThroughSymlink { .. } => "it is a symlink".to_string(),
            FileError::TooLarge {
                megabytes, limit, ..
            } => format!("it is {megabytes} MB, above the {limit} MB limit"),
            FileError::NoWorkspace { path } => format!("the workspace `{path}` does not exist"),
            FileError::NotFound { .. } => "it does not exist".to_string(),
            FileError::Io { detail, .. } => detail.clone(),
        }
    }
}

fn io_error(action: &'static str, path: &str, error: &std::io::Error) -> FileError {
    if error.kind() == std::io::ErrorKind::NotFound {
        return FileError::NotFound {
            path: path.to_string(),
        };
    }
    let detail = error.to_string();
    let mut chars = detail.chars();
    let detail = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => detail,
    };
    FileError::Io {
        action,
        path: path.to_string(),
        detail,
    }
}

/// Why a relative path cannot name a workspace file, if it cannot: absolute, `..`, `~`.
pub fn escapes(relative: &str) -> Option<&'static str> {
    let windows_drive = relative.len() >= 2 && relative.as_bytes().get(1) == Some(&b':');
    if relative.starts_with('/') || relative.starts_with('\\') || windows_drive {
        return Some("absolute paths are not allowed: paths are relative to the workspace");
    }
    if relative.split(['/', '\\']).any(|part| part == "..") {
        return Some("`..` is not allowed: paths may not leave the workspace");
    }
    if relative.starts_with('~') {
        return Some("`~` is not allowed: paths are relative to the workspace");
    }
    None
}

/// A workspace directory: every path handed out by it resolves inside it.
#[derive(Debug, Clone)]
pub struct Root {
    root: PathBuf,
    canonical: Option<PathBuf>,
}

impl Root {
    pub fn new(root: impl Into<PathBuf>) -> Root {
        let root = root.into();
        let canonical = std::fs::canonicalize(&root).ok();
        Root { root, canonical }
    }

    /// The directory as given.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The directory with symlinks resolved, when it exists.
    pub fn canonical(&self) -> Option<&Path> {
        self.canonical.as_deref()
    }

    fn canonical_root(&self) -> Result<&Path, FileError> {
        self.canonical
            .as_deref()
            .ok_or_else(|| FileError::NoWorkspace {
                path: self.root.display().to_string(),
            })
    }

    /// Whether an absolute path (symlinks resolved) is inside the workspace.
    pub fn contains(&self, resolved: &Path) -> bool {
        self.canonical
            .as_deref()
            .is_some_and(|root| resolved.starts_with(root))
    }

    /// The on-disk path of `relative`, refused when it leaves the workspace lexically or through
    /// a symlink. A path that does not exist (yet) is checked through its deepest existing folder.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, FileError> {
        if let Some(reason) = escapes(relative) {
            return Err(FileError::Outside {
                path: relative.to_string(),
                reason,
            });
        }
        let root = self.canonical_root()?;
        let path = self.root.join(relative);
        // The deepest existing ancestor (the path itself when it exists) must resolve inside.
        let mut probe: &Path = &path;
        loop {
            match std::fs::canonicalize(probe) {
                Ok(resolved) => {
                    if !resolved.starts_with(root) {
                        return Err(FileError::LeadsOut {
                            path: relative.to_string(),
                        });
                    }
                    break;
                }
                Err(_) => {
                    // A dangling symlink: refuse rather than guess where it would lead.
                    if std::fs::symlink_metadata(probe).is_ok_and(|m| m.file_type().is_symlink()) {
                        return Err(FileError::LeadsOut {
                            path: relative.to_string(),
                        });
                    }
                    match probe.parent() {
                        Some(parent) if parent != probe => probe = parent,
                        _ => break,
                    }
                }
            }
        }
        Ok(path)
    }

    /// Opens a regular workspace file for reading.
    pub fn open(&self, relative: &str) -> Result<File, FileError> {
        let path = self.resolve(relative)?;
        open_regular(&path, relative)
    }

    /// Reads a regular workspace file of at most `limit` bytes.
    pub fn read(&self, relative: &str, limit: u64) -> Result<Vec<u8>, FileError> {
        let file = self.open(relative)?;
        let size = file
            .metadata()
            .map_err(|error| io_error("read", relative, &error))?
            .len();
        if size > limit {
            return Err(FileError::TooLarge {
                path: relative.to_string(),
                megabytes: size >> 20,
                limit: limit >> 20,
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(limit)
            .read_to_end(&mut bytes)
            .map_err(|error| io_error("read", relative, &error))?;
        Ok(bytes)
    }

    /// Whether `relative` is a regular file inside the workspace. `Ok(false)` when it does not
    /// exist; an error when it leads out or is something else than a file.
    pub fn is_file(&self, relative: &str) -> Result<bool, FileError> {
        let path = self.resolve(relative)?;
        match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_file() => Ok(true),
            Ok(metadata) if metadata.is_dir() => Ok(false),
            Ok(_) => Err(FileError::NotRegular {
                path: relative.to_string(),
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(io_error("read", relative, &error)),
        }
    }

    /// Writes `bytes` to `relative`, creating its folders. The file is replaced (written beside
    /// it and renamed over it), so an existing symlink at that path is never followed; a symlink
    /// there is refused outright.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<PathBuf, FileError> {
        let path = self.resolve(relative)?;
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(FileError::WriteThroughSymlink {
                path: relative.to_string(),
            });
        }
        let folder = path.parent().unwrap_or(&self.root).to_path_buf();
        std::fs::create_dir_all(&folder).map_err(|error| io_error("write", relative, &error))?;
        // The folders made may not lead out either (a race with a symlink swap is refused too).
        self.resolve(relative)?;
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .and_then(|mut file| std::io::Write::write_all(&mut file, bytes));
        if let Err(error) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(io_error("write", relative, &error));
        }
        std::fs::rename(&temporary, &path).map_err(|error| {
            let _ = std::fs::remove_file(&temporary);
            io_error("write", relative, &error)
        })?;
        Ok(path)
    }
}

fn open_regular(path: &Path, shown: &str) -> Result<File, FileError> {
    let file = File::open(path).map_err(|error| io_error("read", shown, &error))?;
    let metadata = file
        .metadata()
        .map_err(|error| io_error("read", shown, &error))?;
    if !metadata.is_file() {
        return Err(FileError::NotRegular {
            path: shown.to_string(),
        });
    }
    Ok(file)
}

/// Opens an artifact for reading: a regular file, or an error naming it (never its content).
/// The path was confined by the caller (a workspace's [`Root::resolve`]) or named by a person.
pub fn open_artifact(path: &Path) -> Result<File, crate::ReadError> {
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    match std::fs::metadata(path) {
        Ok(metadata) if !metadata.is_file() => {
            return Err(crate::ReadError::Refused {
                path: path.to_path_buf(),
                reason: "it is not a regular file".to_string(),
            })
        }
        _ => {}
    }
    let file = File::open(path).map_err(|source| crate::ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(file)
}

/// The sibling `name` of `artifact`, when it exists: looked for in the folder where the artifact
/// really is (symlinks resolved), and refused when it resolves out of that folder or is not a
/// regular file. `Ok(None)` when there is no such file.
pub fn sibling(artifact: &Path, name: &str) -> Result<Option<PathBuf>, crate::ReadError> {
    if name.contains(['/', '\\']) || name == ".." || name == "." || name.is_empty() {
        return Ok(None);
    }
    let real = std::fs::canonicalize(artifact).unwrap_or_else(|_| artifact.to_path_buf());
    let Some(folder) = real.parent() else {
        return Ok(None);
    };
    let candidate = folder.join(name);
    if candidate == real {
        return Ok(None);
    }
    let Ok(link) = std::fs::symlink_metadata(&candidate) else {
        return Ok(None);
    };
    let refuse = |reason: String| crate::ReadError::Refused {
        path: candidate.clone(),
        reason,
    };
    if link.file_type().is_symlink() {
        let resolved = std::fs::canonicalize(&candidate).map_err(|_| {
            refuse(format!(
                "it is a symlink beside `{}` that leads nowhere",
                artifact.display()
            ))
        })?;
        if resolved.parent() != Some(folder) {
            return Err(refuse(format!(
                "it is a symlink beside `{}` that leads out of its folder",
                artifact.display()
            )));
        }
    }
    match std::fs::metadata(&candidate) {
        Ok(metadata) if metadata.is_file() => Ok(Some(candidate)),
        Ok(metadata) if metadata.is_dir() => Ok(None),
        Ok(_) => Err(refuse("it is not a regular file".to_string())),
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod unit {
    use super::escapes;

    #[test]
    fn lexical_escapes_are_refused() {
        assert!(escapes("/etc/passwd").is_some());
        assert!(escapes("C:\\x").is_some());
        assert!(escapes("a/../../x").is_some());
        assert!(escapes("~/x").is_some());
        assert!(escapes("a/b.txt").is_none());
        assert!(escapes("café/x y.ts").is_none());
    }
}
