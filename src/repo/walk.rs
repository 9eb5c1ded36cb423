//! The workspace walk, on the `ignore` crate (ripgrep's walker).
//!
//! Rules:
//! - Only the literal prefix of a glob is walked (`src/**/*.ts` walks `src/`), once per prefix and
//!   ignore mode; without `.gitignore`, a later glob under an already walked folder is answered
//!   from that walk's index. A glob whose literal folder is itself ignored (`dist/**/*.js`) names
//!   it and sees its files; `**/*.js` does not.
//! - A glob without wildcards names a file explicitly: it is looked up directly, wherever it is
//!   (inside `node_modules/` or an ignored folder too), never walked.
//! - [`Ignored::Respect`] applies `.gitignore` (and `.git/info/exclude`), with or without a git
//!   repository, but never the user's global excludes (a verdict must not depend on who runs it).
//!   Repository facts (`exists`, `files`) use it; evidence globs never do (`coverage/` and
//!   `reports/` are usually ignored).
//! - `.git/` is never entered, and `node_modules/` only by a glob that names it: it holds
//!   third-party code, never a project's evidence or facts.
//! - Symlinks are followed only when they resolve inside the workspace; a symlinked folder is not
//!   entered.

use readiness_evidence::files::Root;
use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

/// Whether a walk applies `.gitignore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ignored {
    /// Skip what `.gitignore` ignores.
    Respect,
    /// List ignored files too.
    Include,
}

/// The characters that make a path component a pattern.
fn is_pattern(component: &str) -> bool {
    component.contains(['*', '?', '[', '{', '\\'])
}

/// The folder a glob can only match below: its components before the first pattern (`""` for
/// the whole workspace).
pub fn literal_prefix(glob: &str) -> String {
    let parts: Vec<&str> = glob.split('/').collect();
    let literal: Vec<&str> = parts
        .iter()
        .take(parts.len().saturating_sub(1))
        .take_while(|part| !is_pattern(part))
        .copied()
        .collect();
    literal.join("/")
}

/// One walk: the files below a folder, sorted.
struct Walked {
    prefix: String,
    ignored: Ignored,
    files: Rc<[String]>,
}

/// The walks made so far of one workspace, indexed by folder.
pub struct WorkspaceWalker {
    root: Root,
    walks: RefCell<Vec<Walked>>,
}

/// `folder` is `ancestor` or lies below it.
fn is_within(folder: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || folder == ancestor
        || folder
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

impl WorkspaceWalker {
    pub fn new(root: Root) -> WorkspaceWalker {
        WorkspaceWalker {
            root,
            walks: RefCell::new(Vec::new()),
        }
    }

    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The files below `prefix` (a workspace-relative folder, `""` for all), sorted.
    pub fn files_under(&self, prefix: &str, ignored: Ignored) -> Result<Rc<[String]>, String> {
        {
            let walks = self.walks.borrow();
            if let Some(walk) = walks
                .iter()
                .find(|walk| walk.ignored == ignored && walk.prefix == prefix)
            {
                return Ok(walk.files.clone());
            }
            // A walk of an enclosing folder already holds them (node_modules is only inside a
            // walk that named it, so a prefix entering it is walked on its own). Not so when
            // `.gitignore` applies: a glob whose literal folder is ignored names it explicitly and
            // sees its files, which an enclosing walk skipped.
            let enters_node_modules = prefix.split('/').any(|part| part == "node_modules");
            if let Some(walk) = walks.iter().find(|walk| {
                walk.ignored == Ignored::Include
                    && ignored == Ignored::Include
                    && is_within(prefix, &walk.prefix)
                    && (!enters_node_modules
                        || walk.prefix.split('/').any(|part| part == "node_modules"))
            }) {
                let below: Rc<[String]> = walk
                    .files
                    .iter()
                    .filter(|file| is_within(file, prefix) && file.as_str() != prefix)
                    .cloned()
                    .collect();
                return Ok(below);
            }
        }
        let files: Rc<[String]> = self.walk(prefix, ignored)?.into();
        self.walks.borrow_mut().push(Walked {
            prefix: prefix.to_string(),
            ignored,
            files: files.clone(),
        });
        Ok(files)
    }

    fn walk(&self, prefix: &str, ignored: Ignored) -> Result<Vec<String>, String> {
        let Some(canonical_root) = self.root.canonical().map(Path::to_path_buf) else {
            return Err(format!(
                "the workspace `{}` does not exist",
                self.root.path().display()
            ));
        };
        if !prefix.is_empty() {
            // The folder itself must stay inside (a symlinked folder leading out is not walked).
            match self.root.resolve(prefix) {
                Ok(path) if path.is_dir() => {}
                _ => return Ok(Vec::new()),
            }
        }
        let start = if prefix.is_empty() {
            self.root.path().to_path_buf()
        } else {
            self.root.path().join(prefix)
        };
        let respect = ignored == Ignored::Respect;
        let names_node_modules = prefix.split('/').any(|part| part == "node_modules");
        let mut builder = ignore::WalkBuilder::new(&start);
        builder
            .hidden(false)
            .ignore(false)
            .parents(respect)
            .git_ignore(respect)
            .git_exclude(respect)
            .git_global(false)
            .require_git(false)
            .follow_links(false)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
                if !is_dir || entry.depth() == 0 {
                    return true;
                }
                match entry.file_name().to_str() {
                    Some(".git") => false,
                    Some("node_modules") => names_node_modules,
                    _ => true,
                }
            });
        let mut files = Vec::new();
        for entry in builder.build() {
            let Ok(entry) = entry else { continue };
            let Some(kind) = entry.file_type() else {
                continue;
            };
            let is_file = if kind.is_symlink() {
                // Followed only when it stays inside the workspace.
                std::fs::canonicalize(entry.path())
                    .is_ok_and(|target| target.starts_with(&canonical_root) && target.is_file())
            } else {
                kind.is_file()
            };
            if !is_file {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(self.root.path()) else {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_prefixes() {
        assert_eq!(literal_prefix("src/**/*.ts"), "src");
        assert_eq!(literal_prefix("coverage/lcov.info"), "coverage");
        assert_eq!(literal_prefix("**/junit.xml"), "");
        assert_eq!(literal_prefix("a/b/c*/d"), "a/b");
        assert_eq!(literal_prefix("x.txt"), "");
        assert_eq!(literal_prefix("{a,b}/x"), "");
    }

    #[test]
    fn within() {
        assert!(is_within("src/a", ""));
        assert!(is_within("src/a", "src"));
        assert!(!is_within("srcx/a", "src"));
    }
}
