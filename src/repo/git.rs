//! Every git call of the program, through one hardened invocation ([`Git::command`]):
//!
//! - `-c core.quotepath=off` (non-ASCII paths as they are) and `-z` wherever git lists paths, so
//!   `café.ts` and `a folder/x.ts` come back byte for byte;
//! - `--no-pager`, and `--no-ext-diff --no-textconv --no-color` on every diff, so no user or
//!   repository configuration runs a program or rewrites the text we parse;
//! - `core.fsmonitor` off and `GIT_OPTIONAL_LOCKS=0`: reading never starts a daemon or writes the
//!   index;
//! - a sanitised environment: every `GIT_*` variable of the caller is removed (a `GIT_DIR`,
//!   `GIT_EXTERNAL_DIFF` or `GIT_CONFIG_*` cannot redirect the reads), and prompts are off;
//! - failures are [`GitError`]s in words, with git's first error line.
//!
//! git, not `gix`: the calls are few and small (a diff, a merge base, one tree lookup), and git
//! is on every CI runner; `gix` would add minutes of build time for no measured gain.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a git read failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GitError {
    /// git could not be started.
    #[error("cannot run git: {0}")]
    Spawn(String),
    /// The folder is not inside a git repository.
    #[error("`{dir}` is not in a git repository ({detail})")]
    NotARepository { dir: String, detail: String },
    /// A revision git does not know.
    #[error("git does not know `{rev}`")]
    UnknownRevision { rev: String },
    /// git ran and failed.
    #[error("`git {command}` failed: {detail}")]
    Failed { command: String, detail: String },
    /// git printed something that is not UTF-8 where text was expected.
    #[error("`git {command}` printed text that is not UTF-8")]
    NotUtf8 { command: String },
}

/// What a path is in a tree (`git ls-tree`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeEntry {
    /// A regular (or executable) file.
    File,
    /// A symbolic link (mode 120000): its content is the link's target, never followed.
    Symlink,
    /// A folder.
    Folder,
    /// A submodule.
    Submodule,
}

/// git in one folder.
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
}

impl Git {
    /// git run in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Git {
        Git { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The one hardened invocation: every git process of the program is built here.
    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new("git");
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("GIT_") {
                command.env_remove(&name);
            }
        }
        command
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_PAGER", "cat")
            .arg("--no-pager")
            .args(["-c", "core.quotepath=off"])
            .args(["-c", "core.fsmonitor=false"])
            .args(["-c", "diff.external="])
            .args(["-c", "color.ui=false"])
            .arg("-C")
            .arg(&self.dir)
            .args(args)
            .stdin(std::process::Stdio::null());
        command
    }

    /// Runs git with `args`: its stdout, or its first error line as the error.
    pub fn run(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        let output = self.command(args).output().map_err(|error| {
            GitError::Spawn(crate::diagnostic::lowercase_first(&error.to_string()))
        })?;
        if output.status.success() {
            return Ok(output.stdout);
        }
        let detail = first_error_line(&output.stderr);
        if detail.contains("not a git repository") {
            return Err(GitError::NotARepository {
                dir: self.dir.display().to_string(),
                detail,
            });
        }
        Err(GitError::Failed {
            command: args.join(" "),
            detail,
        })
    }

    fn run_text(&self, args: &[&str]) -> Result<String, GitError> {
        let bytes = self.run(args)?;
        String::from_utf8(bytes).map_err(|_| GitError::NotUtf8 {
            command: args.join(" "),
        })
    }

    /// Whether the folder is inside a git work tree.
    pub fn is_repository(&self) -> bool {
        self.run(&["rev-parse", "--git-dir"]).is_ok()
    }

    /// The root of the work tree (`git rev-parse --show-toplevel`).
    pub fn toplevel(&self) -> Result<PathBuf, GitError> {
        let text = self.run_text(&["rev-parse", "--show-toplevel"])?;
        Ok(PathBuf::from(text.trim_end_matches(['\n', '\r'])))
    }

    /// The folder relative to the top of the work tree, `/`-separated (`""` at the top).
    pub fn prefix(&self) -> Result<String, GitError> {
        let text = self.run_text(&["rev-parse", "--show-prefix"])?;
        Ok(text
            .trim_end_matches(['\n', '\r'])
            .trim_end_matches('/')
            .to_string())
    }

    /// Whether the clone is shallow.
    pub fn is_shallow(&self) -> bool {
        self.run_text(&["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|out| out.trim() == "true")
    }

    /// The commit `rev` names, or `None` when git does not know it.
    pub fn commit_of(&self, rev: &str) -> Result<Option<String>, GitError> {
        if rev.starts_with('-') {
            return Err(GitError::UnknownRevision {
                rev: rev.to_string(),
            });
        }
        let spec = format!("{rev}^{{commit}}");
        match self.run_text(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ]) {
            Ok(text) => Ok(Some(text.trim().to_string())),
            Err(GitError::Failed { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// `HEAD`'s commit, when there is one.
    pub fn head(&self) -> Option<String> {
        self.commit_of("HEAD").ok().flatten()
    }

    /// The merge base of two commits.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<String, GitError> {
        Ok(self
            .run_text(&["merge-base", "--end-of-options", a, b])?
            .trim()
            .to_string())
    }

    /// `git diff --unified=0` of the working tree against `base`, paths relative to the folder.
    pub fn diff_unified0(&self, base: &str) -> Result<String, GitError> {
        let bytes = self.run(&[
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--no-color",
            "--unified=0",
            "--relative",
            "-M",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            base,
            "--",
        ])?;
        // The changed lines of a non-UTF-8 file cannot matter to UTF-8 paths; keep the rest.
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The files changed between `base` and the working tree (including deleted ones), relative
    /// to the folder: `git diff --name-only -z`.
    pub fn changed_names(&self, base: &str) -> Result<Vec<String>, GitError> {
        let bytes = self.run(&[
            "diff",
            "--no-ext-diff",
            "--no-textconv",
            "--name-only",
            "-z",
            "--relative",
            base,
            "--",
        ])?;
        Ok(split_z(&bytes))
    }

    /// What `path` (relative to the top of the work tree) is in `commit`'s tree, if anything.
    /// The lookup runs in the commit's tree, never in the working tree: a folder that is a
    /// symlink in the tree is not followed.
    pub fn tree_entry(&self, commit: &str, path: &str) -> Result<Option<TreeEntry>, GitError> {
        let bytes = self.run(&["ls-tree", "-z", "--full-tree", commit, "--", path])?;
        for record in bytes.split(|byte| *byte == 0) {
            let Some(tab) = record.iter().position(|byte| *byte == b'\t') else {
                continue;
            };
            let (meta, name) = record.split_at(tab);
            if name.get(1..) != Some(path.as_bytes()) {
                continue;
            }
            let mode = meta.split(|byte| *byte == b' ').next().unwrap_or_default();
            return Ok(Some(match mode {
                b"120000" => TreeEntry::Symlink,
                b"040000" => TreeEntry::Folder,
                b"160000" => TreeEntry::Submodule,
                _ => TreeEntry::File,
            }));
        }
        Ok(None)
    }

    /// The bytes of the file `path` (relative to the top of the work tree) in `commit`.
    pub fn show_file(&self, commit: &str, path: &str) -> Result<Vec<u8>, GitError> {
        self.run(&["cat-file", "blob", &format!("{commit}:{path}")])
    }
}

/// Splits `-z` output into paths.
fn split_z(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|byte| *byte == 0)
        .filter(|part| !part.is_empty())
        .map(|part| String::from_utf8_lossy(part).into_owned())
        .collect()
}

/// git's first non-blank error line, without `fatal: `/`error: `.
fn first_error_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("git failed without a message");
    line.trim_start_matches("fatal: ")
        .trim_start_matches("error: ")
        .to_string()
}

/// The commit the workspace is at: `GITHUB_SHA` when set, otherwise `HEAD` in `workspace`;
/// `None` outside a repository.
pub fn current_commit(workspace: &Path) -> Option<String> {
    if let Some(sha) = std::env::var("GITHUB_SHA")
        .ok()
        .filter(|sha| !sha.trim().is_empty())
    {
        return Some(sha.trim().to_string());
    }
    Git::at(workspace).head()
}

/// The first 7 characters of a commit hash (all of anything shorter or not a hash).
pub fn short_commit(commit: &str) -> &str {
    if commit.len() > 12 && commit.chars().all(|c| c.is_ascii_hexdigit()) {
        commit.get(..7).unwrap_or(commit)
    } else {
        commit
    }
}
