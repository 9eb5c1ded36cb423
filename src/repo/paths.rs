//! Paths, one way for the whole program.
//!
//! - [`normalize`]: the one normalisation: `/` separators, no `file://`, no `./` or `.` parts, no
//!   doubled `/`. Every path that enters from an artifact, a diff or the command line passes here.
//! - [`RepositoryPaths::to_repository`]: a path as a tool wrote it on a CI runner (absolute, e.g.
//!   `/home/runner/work/<repo>/<repo>/src/x.ts`, `/__w/<repo>/<repo>/…` in containers,
//!   `D:\a\<repo>\<repo>\…` on Windows, `/github/workspace/…`, or under `GITHUB_WORKSPACE`),
//!   or relative to the workspace, mapped to a repository-relative path. Annotations, SARIF
//!   locations and links call this one function.
//! - [`PathMapper`]: coverage report paths to the changed files of a patch, by suffix, indexed by
//!   the last path component so that mapping is linear in the report's files.

use std::collections::{BTreeMap, HashMap};

/// `/` separators, no `file://` scheme, no leading `./`, no `.` components and no doubled `/`.
/// `..` components and a leading `/` or drive letter are kept (callers decide what they mean).
pub fn normalize(path: &str) -> String {
    let path = path.trim_end_matches(['\r', '\n']);
    let unified = path.replace('\\', "/");
    let unified = unified.strip_prefix("file://").unwrap_or(&unified);
    let absolute = unified.starts_with('/');
    let parts: Vec<&str> = unified
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Whether a normalised path is absolute (`/x`, `C:/x`).
pub fn is_absolute(normalized: &str) -> bool {
    normalized.starts_with('/') || drive_letter(normalized).is_some()
}

fn drive_letter(path: &str) -> Option<char> {
    let mut chars = path.chars();
    let letter = chars.next()?;
    (letter.is_ascii_alphabetic() && chars.next() == Some(':')).then_some(letter)
}

/// Resolves `.`/`..` of a relative path; `None` when it climbs above its start or is empty.
fn clean_relative(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The rest of `path` after `<before>/<repo>/<repo>/`: the layout of GitHub's runners.
fn after_runner_checkout<'p>(path: &'p str, before: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(before)?;
    let mut parts = rest.splitn(3, '/');
    let (_owner_dir, _repo_dir, tail) = (parts.next()?, parts.next()?, parts.next()?);
    Some(tail)
}

/// Where the repository is, to map the paths tools write to repository-relative ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepositoryPaths {
    /// Absolute folders that are the repository root here (`GITHUB_WORKSPACE`, git's top level),
    /// normalised, longest first.
    roots: Vec<String>,
    /// The workspace folder relative to the repository root (`""` at the root).
    workspace_prefix: String,
}

impl RepositoryPaths {
    /// `roots`: absolute folders that are the repository root; `workspace_prefix`: the workspace
    /// folder relative to it.
    pub fn new(roots: &[String], workspace_prefix: &str) -> RepositoryPaths {
        let mut roots: Vec<String> = roots
            .iter()
            .map(|root| normalize(root))
            .filter(|root| is_absolute(root) && root.len() > 1)
            .collect();
        roots.sort_by_key(|root| std::cmp::Reverse(root.len()));
        roots.dedup();
        RepositoryPaths {
            roots,
            workspace_prefix: clean_relative(&normalize(workspace_prefix)).unwrap_or_default(),
        }
    }

    /// For the running program: `GITHUB_WORKSPACE`, and the top of the git work tree holding
    /// `workspace`, as roots; the workspace's folder below that top as the prefix.
    pub fn discover(workspace: &std::path::Path) -> RepositoryPaths {
        let git = super::git::Git::at(workspace);
        let mut roots = Vec::new();
        if let Some(github) = std::env::var_os("GITHUB_WORKSPACE").filter(|v| !v.is_empty()) {
            roots.push(github.to_string_lossy().into_owned());
        }
        let toplevel = git.toplevel().ok();
        if let Some(top) = &toplevel {
            roots.push(top.to_string_lossy().into_owned());
            if let Ok(canonical) = std::fs::canonicalize(top) {
                roots.push(canonical.to_string_lossy().into_owned());
            }
        }
        let prefix = git.prefix().unwrap_or_default();
        RepositoryPaths::new(&roots, &prefix)
    }

    /// The workspace folder relative to the repository root.
    pub fn workspace_prefix(&self) -> &str {
        &self.workspace_prefix
    }

    /// `path` (absolute as written on a runner, or relative to the workspace) relative to the
    /// repository root; `None` when it cannot be one (outside the repository, or climbing out).
    pub fn to_repository(&self, path: &str) -> Option<String> {
        let path = normalize(path);
        if !is_absolute(&path) {
            let joined = if self.workspace_prefix.is_empty() {
                path
            } else {
                format!("{}/{path}", self.workspace_prefix)
            };
            return clean_relative(&joined);
        }
        for root in &self.roots {
            if let Some(rest) = path.strip_prefix(root.as_str()) {
                if let Some(rest) = rest.strip_prefix('/') {
                    return clean_relative(rest);
                }
            }
        }
        // GitHub's runner layouts: the checkout is `<work>/<repo>/<repo>`.
        for before in ["/home/runner/work/", "/Users/runner/work/", "/__w/"] {
            if let Some(rest) = after_runner_checkout(&path, before) {
                return clean_relative(rest);
            }
        }
        if let Some(rest) = path.strip_prefix("/github/workspace/") {
            return clean_relative(rest);
        }
        if drive_letter(&path).is_some() {
            if let Some(rest) = path
                .get(2..)
                .and_then(|rest| after_runner_checkout(rest, "/a/"))
            {
                return clean_relative(rest);
            }
        }
        // Self-hosted runners: `<runner>/_work/<repo>/<repo>/…`.
        if let Some(index) = path.find("/_work/") {
            if let Some(rest) = path
                .get(index..)
                .and_then(|tail| after_runner_checkout(tail, "/_work/"))
            {
                return clean_relative(rest);
            }
        }
        None
    }
}

/// The changed files a coverage report's paths may name, looked up by suffix.
pub struct PathMapper<'a> {
    changed: &'a BTreeMap<String, super::changes::FileChange>,
    /// Changed files by their last path component.
    changed_by_name: HashMap<&'a str, Vec<&'a str>>,
    /// Workspace files by their last path component.
    workspace_by_name: HashMap<&'a str, Vec<&'a str>>,
    strip: Option<String>,
}

fn last_component(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `path` is `tail` or ends with `/tail`.
fn ends_with_path(path: &str, tail: &str) -> bool {
    path == tail
        || path
            .strip_suffix(tail)
            .is_some_and(|head| head.ends_with('/'))
}

impl<'a> PathMapper<'a> {
    /// `strip`: a prefix to remove from report paths (the override); then paths must match a
    /// changed file exactly.
    pub fn new(
        changed: &'a super::changes::ChangedLines,
        workspace_files: &'a [String],
        strip: Option<&str>,
    ) -> PathMapper<'a> {
        let mut changed_by_name: HashMap<&str, Vec<&str>> = HashMap::new();
        for file in changed.files.keys() {
            changed_by_name
                .entry(last_component(file))
                .or_default()
                .push(file);
        }
        let mut workspace_by_name: HashMap<&str, Vec<&str>> = HashMap::new();
        for file in workspace_files {
            // Only names a changed file has matter.
            let name = last_component(file);
            if changed_by_name.contains_key(name) {
                workspace_by_name.entry(name).or_default().push(file);
            }
        }
        PathMapper {
            changed: &changed.files,
            changed_by_name,
            workspace_by_name,
            strip: strip.map(normalize).filter(|s| !s.is_empty()),
        }
    }

    /// The changed file a report path names, if any.
    pub fn map(&self, report_path: &str) -> Option<&'a str> {
        let path = normalize(report_path);
        if let Some(strip) = &self.strip {
            // The prefix ends at a folder boundary: `/builds/x` does not strip `/builds/xy/a`.
            let rest = path.strip_prefix(strip.as_str())?.strip_prefix('/')?;
            return self
                .changed
                .get_key_value(rest)
                .map(|(key, _)| key.as_str());
        }
        if let Some((key, _)) = self.changed.get_key_value(path.as_str()) {
            return Some(key.as_str());
        }
        let name = last_component(&path);
        let candidates = self.changed_by_name.get(name)?;
        let workspace = self
            .workspace_by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        // The report path ends with a changed file: the longest such file, unless a longer
        // workspace file is the real match (`vendor/lib/src/a.rs` for `src/a.rs`).
        if let Some(found) = candidates
            .iter()
            .copied()
            .filter(|changed| ends_with_path(&path, changed))
            .max_by_key(|changed| changed.len())
        {
            let longer = workspace
                .iter()
                .any(|file| file.len() > found.len() && ends_with_path(&path, file));
            return (!longer).then_some(found);
        }
        // The report path is relative to a subdirectory (`x.ts` for `src/x.ts`): accept it when
        // one changed file and at most one workspace file end with it.
        let mut ending = candidates
            .iter()
            .copied()
            .filter(|changed| ends_with_path(changed, &path));
        let found = ending.next()?;
        if ending.next().is_some() {
            return None;
        }
        let in_workspace = workspace
            .iter()
            .filter(|file| ends_with_path(file, &path))
            .take(2)
            .count();
        (in_workspace <= 1).then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_normalisation() {
        assert_eq!(normalize("./src/./a.ts"), "src/a.ts");
        assert_eq!(normalize("src\\x\\café.ts"), "src/x/café.ts");
        assert_eq!(normalize("file:///home/x//y.ts"), "/home/x/y.ts");
        assert_eq!(normalize("D:\\a\\r\\r\\x.ts"), "D:/a/r/r/x.ts");
        assert_eq!(normalize("a folder/b.ts\r"), "a folder/b.ts");
    }

    #[test]
    fn runner_paths_become_repository_relative() {
        let paths = RepositoryPaths::new(&["/srv/checkout/app".to_string()], "");
        let cases = [
            ("/home/runner/work/app/app/src/x.ts", Some("src/x.ts")),
            (
                "/__w/app/app/src/a folder/café.ts",
                Some("src/a folder/café.ts"),
            ),
            ("D:\\a\\app\\app\\src\\x.ts", Some("src/x.ts")),
            ("/Users/runner/work/app/app/lib/y.py", Some("lib/y.py")),
            ("/github/workspace/pkg/z.go", Some("pkg/z.go")),
            ("/opt/runner/_work/app/app/src/x.ts", Some("src/x.ts")),
            ("/srv/checkout/app/src/x.ts", Some("src/x.ts")),
            ("src/x.ts", Some("src/x.ts")),
            ("./src/../lib/x.ts", Some("lib/x.ts")),
            ("../outside.ts", None),
            ("/etc/passwd", None),
        ];
        for (input, expected) in cases {
            assert_eq!(paths.to_repository(input).as_deref(), expected, "{input}");
        }
        let nested = RepositoryPaths::new(&["/home/me/repo".to_string()], "examples/demo");
        assert_eq!(
            nested.to_repository("coverage/lcov.info").as_deref(),
            Some("examples/demo/coverage/lcov.info")
        );
        assert_eq!(
            nested.to_repository("/home/me/repo/src/x.ts").as_deref(),
            Some("src/x.ts")
        );
    }

    #[test]
    fn report_paths_map_by_suffix() {
        let changed = crate::repo::changes::ChangedLines::from_list("src/x.ts\nsrc/a.rs\n", "list");
        let workspace = vec![
            "src/x.ts".to_string(),
            "src/a.rs".to_string(),
            "vendor/lib/src/a.rs".to_string(),
        ];
        let mapper = PathMapper::new(&changed, &workspace, None);
        assert_eq!(
            mapper.map("/home/runner/work/app/app/src/x.ts"),
            Some("src/x.ts")
        );
        assert_eq!(mapper.map("C:\\work\\app\\src\\x.ts"), Some("src/x.ts"));
        assert_eq!(mapper.map("/builds/x/src/a.rs"), Some("src/a.rs"));
        assert_eq!(mapper.map("/builds/x/vendor/lib/src/a.rs"), None);
        assert_eq!(mapper.map("x.ts"), Some("src/x.ts"));
        assert_eq!(mapper.map("/builds/x/src/other.rs"), None);
        let strip = PathMapper::new(&changed, &workspace, Some("/builds/x/"));
        assert_eq!(strip.map("/builds/x/src/a.rs"), Some("src/a.rs"));
        assert_eq!(strip.map("/home/runner/src/a.rs"), None);
    }
}
