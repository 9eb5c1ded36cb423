//! `imports(...)`: every import of the given files, resolved. TypeScript/JavaScript specifiers go
//! through `oxc_resolver` (tsconfig `paths`/`baseUrl` and `extends`, package.json
//! `exports`/`imports`, extensions, index files, Node built-ins); Python modules through
//! [`crate::python`]. Files of other languages are ignored.
//!
//! A bare package is judged against the nearest package.json: not declared there is `undeclared`;
//! declared, with a `node_modules` folder present, but not resolvable is `not_installed`;
//! declared without any `node_modules` is taken as declared (installation is not checked).

use crate::{js, python, Finding, Problem};
use oxc_resolver::{ResolveError, ResolveOptions, Resolver, TsconfigDiscovery};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What the imports of a set of files come to.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportFacts {
    /// Source files parsed (TypeScript/JavaScript and Python).
    pub files: u64,
    /// Import statements and calls found, type-only ones included.
    pub imports: u64,
    /// Local modules (relative paths, aliases, package.json `#imports`) that resolve to nothing.
    pub unresolved: Vec<Finding>,
    /// Bare packages that the nearest package.json (or Python's declared dependencies) does not
    /// declare.
    pub undeclared: Vec<Finding>,
    /// Declared packages missing from an existing `node_modules`.
    pub not_installed: Vec<Finding>,
    /// Python third-party modules that no declared distribution provides under a known name:
    /// neither resolved nor known to be missing.
    pub unknown: Vec<Finding>,
    /// Unresolved imports that do not run: type-only imports, `if TYPE_CHECKING:` imports, and
    /// Python imports guarded by `except ImportError`.
    pub not_runtime: Vec<Finding>,
    /// Files that could not be read or parsed: the figures are not complete.
    pub problems: Vec<Problem>,
}

/// Classifies one unresolved import.
pub(crate) enum Verdict {
    Resolved,
    Unresolved(String),
    Undeclared(String),
    NotInstalled(String),
    Unknown(String),
}

/// Computes the import facts of `files` (workspace-relative) under `root`.
pub fn imports(root: &Path, files: &[String]) -> ImportFacts {
    // The resolver finds tsconfig.json and package.json files from absolute paths.
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let root = absolute.as_path();
    let js_files: Vec<&String> = files
        .iter()
        .filter(|file| has_extension(file, js::EXTENSIONS))
        .collect();
    let py_files: Vec<&String> = files
        .iter()
        .filter(|file| has_extension(file, python::EXTENSIONS))
        .collect();
    let resolver = Resolver::new(resolve_options());
    let packages = PackageJsons::default();
    let python_projects = python::Projects::new(root);
    let per_file: Vec<FileFacts> = js_files
        .par_iter()
        .map(|file| js_file(root, file, &resolver, &packages))
        .chain(
            py_files
                .par_iter()
                .map(|file| python::file_facts(root, file, &python_projects)),
        )
        .collect();
    let mut facts = ImportFacts::default();
    for file in per_file {
        match file.problem {
            Some(problem) => facts.problems.push(problem),
            None => facts.files += 1,
        }
        facts.imports += file.imports;
        for (finding, verdict_kind, runtime) in file.findings {
            let list = if !runtime {
                &mut facts.not_runtime
            } else {
                match verdict_kind {
                    Kind::Unresolved => &mut facts.unresolved,
                    Kind::Undeclared => &mut facts.undeclared,
                    Kind::NotInstalled => &mut facts.not_installed,
                    Kind::Unknown => &mut facts.unknown,
                }
            };
            list.push(finding);
        }
    }
    for list in [
        &mut facts.unresolved,
        &mut facts.undeclared,
        &mut facts.not_installed,
        &mut facts.unknown,
        &mut facts.not_runtime,
    ] {
        list.sort();
    }
    facts.problems.sort();
    facts
}

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Unresolved,
    Undeclared,
    NotInstalled,
    Unknown,
}

/// The facts of one file.
pub(crate) struct FileFacts {
    pub imports: u64,
    /// (finding, kind, runs at runtime)
    pub findings: Vec<(Finding, Kind, bool)>,
    pub problem: Option<Problem>,
}

impl FileFacts {
    pub fn problem(file: &str, reason: String) -> FileFacts {
        FileFacts {
            imports: 0,
            findings: Vec::new(),
            problem: Some(Problem {
                file: file.to_string(),
                reason,
            }),
        }
    }

    pub fn add(
        &mut self,
        file: &str,
        text: &str,
        specifier: &str,
        offset: usize,
        verdict: Verdict,
        runtime: bool,
    ) {
        let (kind, reason) = match verdict {
            Verdict::Resolved => return,
            Verdict::Unresolved(reason) => (Kind::Unresolved, reason),
            Verdict::Undeclared(reason) => (Kind::Undeclared, reason),
            Verdict::NotInstalled(reason) => (Kind::NotInstalled, reason),
            Verdict::Unknown(reason) => (Kind::Unknown, reason),
        };
        let (line, column) = crate::line_column(text, offset);
        self.findings.push((
            Finding {
                file: file.to_string(),
                line,
                column,
                text: specifier.to_string(),
                reason,
            },
            kind,
            runtime,
        ));
    }
}

pub(crate) fn has_extension(file: &str, extensions: &[&str]) -> bool {
    file.rsplit_once('.')
        .is_some_and(|(stem, extension)| !stem.ends_with('/') && extensions.contains(&extension))
        && !file.ends_with(".d.ts")
}

fn resolve_options() -> ResolveOptions {
    let strings = |items: &[&str]| {
        items
            .iter()
            .map(|item| item.to_string())
            .collect::<Vec<_>>()
    };
    ResolveOptions {
        tsconfig: Some(TsconfigDiscovery::Auto),
        extensions: strings(&[
            ".ts", ".tsx", ".d.ts", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json", ".node",
        ]),
        extension_alias: vec![
            (
                ".js".to_string(),
                strings(&[".ts", ".tsx", ".d.ts", ".js", ".jsx"]),
            ),
            (".mjs".to_string(), strings(&[".mts", ".mjs"])),
            (".cjs".to_string(), strings(&[".cts", ".cjs"])),
        ],
        condition_names: strings(&["types", "import", "require", "node", "default"]),
        main_fields: strings(&["types", "typings", "module", "main"]),
        builtin_modules: true,
        ..ResolveOptions::default()
    }
}

/// The declared dependencies of each package.json, read once.
#[derive(Default)]
struct PackageJsons {
    by_dir: Mutex<HashMap<PathBuf, Option<std::sync::Arc<Declared>>>>,
}

struct Declared {
    dir: PathBuf,
    names: BTreeSet<String>,
    /// A `node_modules` folder exists beside it or above it.
    installed: bool,
}

impl PackageJsons {
    /// The nearest package.json at or above `dir`, not above `root`.
    fn nearest(&self, root: &Path, dir: &Path) -> Option<std::sync::Arc<Declared>> {
        let mut current = Some(dir);
        while let Some(candidate) = current {
            if !candidate.starts_with(root) {
                return None;
            }
            if let Some(declared) = self.at(root, candidate) {
                return Some(declared);
            }
            current = candidate.parent();
        }
        None
    }

    fn at(&self, root: &Path, dir: &Path) -> Option<std::sync::Arc<Declared>> {
        if let Ok(cache) = self.by_dir.lock() {
            if let Some(found) = cache.get(dir) {
                return found.clone();
            }
        }
        let read = std::fs::read(dir.join("package.json")).ok().map(|bytes| {
            let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            let mut names = BTreeSet::new();
            for section in [
                "dependencies",
                "devDependencies",
                "peerDependencies",
                "optionalDependencies",
            ] {
                if let Some(map) = value.get(section).and_then(|v| v.as_object()) {
                    names.extend(map.keys().cloned());
                }
            }
            if let Some(name) = value.get("name").and_then(|v| v.as_str()) {
                names.insert(name.to_string());
            }
            let installed = dir
                .ancestors()
                .take_while(|ancestor| ancestor.starts_with(root))
                .any(|ancestor| ancestor.join("node_modules").is_dir());
            std::sync::Arc::new(Declared {
                dir: dir.to_path_buf(),
                names,
                installed,
            })
        });
        if let Ok(mut cache) = self.by_dir.lock() {
            cache.insert(dir.to_path_buf(), read.clone());
        }
        read
    }
}

fn js_file(root: &Path, file: &str, resolver: &Resolver, packages: &PackageJsons) -> FileFacts {
    let text = match crate::read_source(root, file) {
        Ok(text) => text,
        Err(problem) => return FileFacts::problem(file, problem.reason),
    };
    let path = root.join(file);
    let raw = match js::extract(&path, &text) {
        Ok(raw) => raw,
        Err(reason) => return FileFacts::problem(file, reason),
    };
    let mut facts = FileFacts {
        imports: raw.len() as u64,
        findings: Vec::new(),
        problem: None,
    };
    let dir = path.parent().unwrap_or(root);
    for import in raw {
        let verdict = js_verdict(root, &path, dir, &import.specifier, resolver, packages);
        facts.add(
            file,
            &text,
            &import.specifier,
            import.offset,
            verdict,
            !import.type_only,
        );
    }
    facts
}

/// The package name of a bare specifier: `@scope/name` or `name`.
fn package_name(specifier: &str) -> &str {
    let mut ends = specifier.match_indices('/').map(|(index, _)| index);
    let end = if specifier.starts_with('@') {
        ends.nth(1)
    } else {
        ends.next()
    };
    specifier
        .get(..end.unwrap_or(specifier.len()))
        .unwrap_or(specifier)
}

/// Whether npm would accept `name` as a package name (so `@/lib` and `~/x` are aliases).
fn is_npm_name(name: &str) -> bool {
    let valid = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && !part.starts_with('_')
            && part.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_')
            })
    };
    match name.strip_prefix('@') {
        Some(scoped) => scoped
            .split_once('/')
            .is_some_and(|(scope, package)| valid(scope) && valid(package)),
        None => valid(name),
    }
}

fn js_verdict(
    root: &Path,
    path: &Path,
    dir: &Path,
    specifier: &str,
    resolver: &Resolver,
    packages: &PackageJsons,
) -> Verdict {
    let error = match resolver.resolve_file(path, specifier) {
        Ok(_) | Err(ResolveError::Builtin { .. }) | Err(ResolveError::Ignored(_)) => {
            return Verdict::Resolved
        }
        Err(error) => error,
    };
    let detail = crate::one_line(&error.to_string());
    if specifier.starts_with('.') || specifier.starts_with('/') || specifier.starts_with('#') {
        return Verdict::Unresolved(format!("cannot find module: {detail}"));
    }
    if specifier.starts_with("node:") {
        return Verdict::Unresolved(format!("not a Node built-in: {detail}"));
    }
    let name = package_name(specifier);
    let declared = packages.nearest(root, dir);
    if let Some(declared) = &declared {
        if declared.names.contains(name) {
            if !declared.installed {
                return Verdict::Resolved;
            }
            return if declared.dir.join("node_modules").join(name).exists()
                || root.join("node_modules").join(name).exists()
            {
                Verdict::Unresolved(format!(
                    "package `{name}` is installed but does not provide `{specifier}`: {detail}"
                ))
            } else {
                Verdict::NotInstalled(format!(
                    "`{name}` is declared in package.json but not installed in node_modules"
                ))
            };
        }
    }
    // Not a package name npm would accept, or a folder of the project (`baseUrl` imports): an
    // alias or a local path that does not resolve.
    let base = declared
        .as_ref()
        .map_or(root, |declared| declared.dir.as_path());
    let first = specifier.split('/').next().unwrap_or(specifier);
    let local = !is_npm_name(name)
        || [
            base.join(first),
            base.join("src").join(first),
            root.join(first),
        ]
        .iter()
        .any(|candidate| candidate.exists());
    if local {
        return Verdict::Unresolved(format!("cannot find module: {detail}"));
    }
    match declared {
        Some(_) => Verdict::Undeclared(format!("package `{name}` is not declared in package.json")),
        None => Verdict::Undeclared(format!(
            "package `{name}` is imported, but no package.json declares dependencies here"
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn package_names() {
        assert_eq!(package_name("react"), "react");
        assert_eq!(package_name("react-dom/client"), "react-dom");
        assert_eq!(
            package_name("@anthropic-ai/sdk/resources"),
            "@anthropic-ai/sdk"
        );
        assert_eq!(package_name("@/lib/db"), "@/lib");
        assert!(!is_npm_name("@/lib"));
        assert!(!is_npm_name("~"));
        assert!(is_npm_name("@anthropic-ai/sdk"));
    }
}
