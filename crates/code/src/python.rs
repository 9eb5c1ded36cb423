//! Python imports, parsed with tree-sitter-python (through ast-grep's language support) and
//! resolved without running Python:
//!
//! - the standard library (`sys.stdlib_module_names`) always resolves;
//! - a module whose top-level package exists in a source root (the project folder, its `src/`,
//!   setuptools `package-dir`/`where`, Poetry `packages.from`, and the importing file's folder) is
//!   local and must exist: `a/b.py`, `a/b/__init__.py`, a stub `a/b.pyi`, or a folder (namespace
//!   package); relative imports resolve from the file's package;
//! - anything else is third party, resolved against the declared dependencies (requirements*.txt,
//!   pyproject `[project]`/Poetry/`[dependency-groups]`) mapped from distribution to module name
//!   (normalized, plus a table of known differences). A module no declared distribution provides
//!   under a known name is `unknown`, not missing: the mapping cannot be known without installing.
//!
//! Imports under `if TYPE_CHECKING:` or in a `try` with `except ImportError` do not count against
//! a runtime gate.

use crate::imports::{FileFacts, Verdict};
use ast_grep_core::tree_sitter::{LanguageExt, StrDoc};
use ast_grep_core::Node;
use ast_grep_language::SupportLang;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub const EXTENSIONS: &[&str] = &["py", "pyi"];

/// Distributions whose module name is not their normalized name.
const KNOWN_MODULES: &[(&str, &[&str])] = &[
    ("attrs", &["attr", "attrs"]),
    ("beautifulsoup4", &["bs4"]),
    ("pyyaml", &["yaml"]),
    ("pillow", &["PIL"]),
    ("scikit_learn", &["sklearn"]),
    ("python_dotenv", &["dotenv"]),
    ("python_jose", &["jose"]),
    ("python_multipart", &["multipart", "python_multipart"]),
    ("python_dateutil", &["dateutil"]),
    ("psycopg2_binary", &["psycopg2"]),
    ("psycopg_binary", &["psycopg"]),
    ("opencv_python", &["cv2"]),
    ("opencv_python_headless", &["cv2"]),
    ("protobuf", &["google"]),
    ("google_cloud_storage", &["google"]),
    ("grpcio", &["grpc"]),
    ("pyjwt", &["jwt"]),
    ("pymysql", &["pymysql"]),
    ("mysqlclient", &["MySQLdb"]),
    ("msgpack_python", &["msgpack"]),
    ("email_validator", &["email_validator"]),
    ("uvicorn", &["uvicorn"]),
    ("sentry_sdk", &["sentry_sdk"]),
    ("typing_extensions", &["typing_extensions"]),
    ("pydantic_settings", &["pydantic_settings"]),
    ("pytest_asyncio", &["pytest_asyncio"]),
    ("setuptools", &["setuptools", "pkg_resources"]),
    ("pyzmq", &["zmq"]),
    ("pycryptodome", &["Crypto"]),
    ("python_magic", &["magic"]),
    ("ruamel_yaml", &["ruamel"]),
    ("websocket_client", &["websocket"]),
];

/// The Python projects of a workspace: source roots and declared modules, by project folder.
pub struct Projects {
    root: PathBuf,
    cache: Mutex<HashMap<PathBuf, Arc<Project>>>,
}

struct Project {
    roots: Vec<PathBuf>,
    /// Module names the declared distributions provide; `None` when nothing is declared.
    declared: Option<BTreeSet<String>>,
}

impl Projects {
    pub fn new(root: &Path) -> Projects {
        Projects {
            root: root.to_path_buf(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The project of a file: the nearest folder with pyproject.toml, setup.cfg, setup.py or a
    /// requirements file, else the workspace root.
    fn of(&self, dir: &Path) -> Arc<Project> {
        let project_dir = dir
            .ancestors()
            .take_while(|ancestor| ancestor.starts_with(&self.root))
            .find(|ancestor| is_project_dir(ancestor))
            .unwrap_or(&self.root)
            .to_path_buf();
        if let Ok(cache) = self.cache.lock() {
            if let Some(project) = cache.get(&project_dir) {
                return project.clone();
            }
        }
        let project = Arc::new(read_project(&project_dir));
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(project_dir, project.clone());
        }
        project
    }
}

fn is_project_dir(dir: &Path) -> bool {
    ["pyproject.toml", "setup.cfg", "setup.py"]
        .iter()
        .any(|name| dir.join(name).is_file())
        || !requirement_files(dir).is_empty()
}

fn requirement_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for folder in [dir.to_path_buf(), dir.join("requirements")] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let in_sub = folder != dir;
            if name.ends_with(".txt") && (in_sub || name.starts_with("requirements")) {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

/// `Flask-SQLAlchemy>=3` → `flask_sqlalchemy`.
fn distribution_name(requirement: &str) -> Option<String> {
    let requirement = requirement.trim();
    if requirement.is_empty() || requirement.starts_with('#') || requirement.starts_with('-') {
        return None;
    }
    let requirement = match requirement.split_once("#egg=") {
        Some((_, egg)) => egg,
        None if requirement.contains("://") => return None,
        None => requirement,
    };
    let name: String = requirement
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then(|| name.to_ascii_lowercase().replace(['-', '.'], "_"))
}

fn modules_of(distribution: &str) -> Vec<String> {
    match KNOWN_MODULES.iter().find(|(name, _)| *name == distribution) {
        Some((_, modules)) => modules.iter().map(|module| module.to_string()).collect(),
        None => vec![distribution.to_string()],
    }
}

fn read_project(dir: &Path) -> Project {
    let mut roots = vec![dir.to_path_buf(), dir.join("src")];
    let mut distributions: Option<BTreeSet<String>> = None;
    let mut declare = |name: Option<String>| {
        if let Some(name) = name {
            distributions.get_or_insert_with(BTreeSet::new).insert(name);
        }
    };
    for file in requirement_files(dir) {
        if let Ok(text) = std::fs::read_to_string(&file) {
            for line in text.lines() {
                declare(distribution_name(line));
            }
        }
    }
    if let Some(pyproject) = std::fs::read_to_string(dir.join("pyproject.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
    {
        let get = |path: &[&str]| -> Option<&toml::Value> {
            let (first, rest) = path.split_first()?;
            rest.iter()
                .try_fold(pyproject.get(*first)?, |value, key| value.get(*key))
        };
        let strings = |value: Option<&toml::Value>| -> Vec<String> {
            value
                .and_then(|value| value.as_array())
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| item.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        for requirement in strings(get(&["project", "dependencies"])) {
            declare(distribution_name(&requirement));
        }
        for table in [
            get(&["project", "optional-dependencies"]),
            get(&["dependency-groups"]),
        ]
        .into_iter()
        .flatten()
        .filter_map(|value| value.as_table())
        {
            for group in table.values() {
                for requirement in strings(Some(group)) {
                    declare(distribution_name(&requirement));
                }
            }
        }
        let mut poetry_tables = vec![get(&["tool", "poetry", "dependencies"])];
        if let Some(groups) = get(&["tool", "poetry", "group"]).and_then(|v| v.as_table()) {
            poetry_tables.extend(groups.values().map(|group| group.get("dependencies")));
        }
        for table in poetry_tables
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_table())
        {
            for name in table.keys().filter(|name| *name != "python") {
                declare(distribution_name(name));
            }
        }
        for folder in strings(get(&["tool", "setuptools", "packages", "find", "where"])) {
            roots.push(dir.join(folder));
        }
        if let Some(table) = get(&["tool", "setuptools", "package-dir"]).and_then(|v| v.as_table())
        {
            roots.extend(
                table
                    .values()
                    .filter_map(|v| v.as_str())
                    .map(|folder| dir.join(folder)),
            );
        }
        if let Some(packages) = get(&["tool", "poetry", "packages"]).and_then(|v| v.as_array()) {
            roots.extend(
                packages
                    .iter()
                    .filter_map(|package| package.get("from").and_then(|v| v.as_str()))
                    .map(|folder| dir.join(folder)),
            );
        }
        if let Some(name) = get(&["project", "name"]).and_then(|v| v.as_str()) {
            declare(distribution_name(name));
        }
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("setup.cfg")) {
        // `package_dir = =src` and `where = src`.
        for line in text.lines() {
            let line = line.trim();
            if let Some(value) = line
                .strip_prefix("where")
                .or_else(|| line.strip_prefix("package_dir"))
                .and_then(|rest| rest.trim_start().strip_prefix('='))
            {
                let folder = value.trim().trim_start_matches('=').trim();
                if !folder.is_empty() {
                    roots.push(dir.join(folder));
                }
            }
        }
    }
    roots.retain(|root| root.is_dir());
    roots.dedup();
    let declared =
        distributions.map(|names| names.iter().flat_map(|name| modules_of(name)).collect());
    Project { roots, declared }
}

/// Where a dotted module lives under `base`: a module file, a package, a stub or a namespace
/// folder. `Some(true)` for a folder without `__init__.py` (names must then be submodules).
fn find_module(base: &Path, parts: &[&str]) -> Option<bool> {
    let mut path = base.to_path_buf();
    for part in parts {
        path.push(part);
    }
    let with = |extension: &str| path.with_extension(extension).is_file();
    if parts.is_empty() {
        return Some(!path.join("__init__.py").is_file());
    }
    if with("py")
        || with("pyi")
        || path.join("__init__.py").is_file()
        || path.join("__init__.pyi").is_file()
    {
        return Some(false);
    }
    path.is_dir().then_some(true)
}

struct RawImport {
    /// Leading dots of a relative import.
    level: usize,
    module: Vec<String>,
    /// `from m import a, b`: the imported names (`*` excluded).
    names: Vec<String>,
    offset: usize,
    text: String,
    runtime: bool,
}

pub(crate) fn file_facts(root: &Path, file: &str, projects: &Projects) -> FileFacts {
    let text = match crate::read_source(root, file) {
        Ok(text) => text,
        Err(problem) => return FileFacts::problem(file, problem.reason),
    };
    let grep = SupportLang::Python.ast_grep(&text);
    let top = grep.root();
    if top.get_inner_node().has_error() {
        let at = top
            .dfs()
            .find(|node| node.is_error() || node.is_missing())
            .map(|node| {
                let (line, column) = crate::line_column(&text, node.range().start);
                format!(" at {line}:{column}")
            })
            .unwrap_or_default();
        return FileFacts::problem(file, format!("syntax error{at}"));
    }
    let mut raw = Vec::new();
    for node in top.dfs() {
        match node.kind().as_ref() {
            "import_statement" => {
                let runtime = is_runtime(&node);
                for name in node.field_children("name") {
                    let dotted = match name.kind().as_ref() {
                        "aliased_import" => name.field("name"),
                        _ => Some(name.clone()),
                    };
                    if let Some(dotted) = dotted {
                        raw.push(RawImport {
                            level: 0,
                            module: dotted
                                .text()
                                .split('.')
                                .map(|p| p.trim().to_string())
                                .collect(),
                            names: Vec::new(),
                            offset: dotted.range().start,
                            text: dotted.text().to_string(),
                            runtime,
                        });
                    }
                }
            }
            "import_from_statement" => {
                let Some(module) = node.field("module_name") else {
                    continue;
                };
                let module_text = module.text().to_string();
                let level = module_text.chars().take_while(|c| *c == '.').count();
                let rest = module_text.get(level..).unwrap_or("").trim();
                let names = node
                    .field_children("name")
                    .filter_map(|name| match name.kind().as_ref() {
                        "aliased_import" => name.field("name").map(|n| n.text().to_string()),
                        _ => Some(name.text().to_string()),
                    })
                    .collect();
                raw.push(RawImport {
                    level,
                    module: if rest.is_empty() {
                        Vec::new()
                    } else {
                        rest.split('.').map(|p| p.trim().to_string()).collect()
                    },
                    names,
                    offset: module.range().start,
                    text: module_text,
                    runtime: is_runtime(&node),
                });
            }
            _ => {}
        }
    }
    let path = root.join(file);
    let dir = path.parent().unwrap_or(root).to_path_buf();
    let project = projects.of(&dir);
    let mut facts = FileFacts {
        imports: raw.len() as u64,
        findings: Vec::new(),
        problem: None,
    };
    for import in raw {
        let verdict = verdict(root, &dir, &project, &import);
        facts.add(
            file,
            &text,
            &import.text,
            import.offset,
            verdict,
            import.runtime,
        );
    }
    facts
}

/// Not under `if TYPE_CHECKING:` and not in a `try` that catches `ImportError`.
fn is_runtime(node: &Node<'_, StrDoc<SupportLang>>) -> bool {
    for ancestor in node.ancestors() {
        match ancestor.kind().as_ref() {
            "if_statement" => {
                if let Some(condition) = ancestor.field("condition") {
                    let condition = condition.text();
                    if condition == "TYPE_CHECKING" || condition.ends_with(".TYPE_CHECKING") {
                        return false;
                    }
                }
            }
            "try_statement" => {
                let guarded = ancestor.children().any(|child| {
                    child.kind() == "except_clause"
                        && (child.text().contains("ImportError")
                            || child.text().contains("ModuleNotFoundError"))
                });
                if guarded {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

fn verdict(root: &Path, dir: &Path, project: &Project, import: &RawImport) -> Verdict {
    let parts: Vec<&str> = import.module.iter().map(String::as_str).collect();
    if import.level > 0 {
        let mut base = dir.to_path_buf();
        for _ in 1..import.level {
            if !base.pop() || !base.starts_with(root) {
                return Verdict::Unresolved(
                    "the relative import goes above the workspace".to_string(),
                );
            }
        }
        return local(&base, &parts, &import.names, &import.text);
    }
    let Some(first) = parts.first() else {
        return Verdict::Resolved;
    };
    if crate::python_stdlib::is_stdlib(first) {
        return Verdict::Resolved;
    }
    let mut roots: Vec<&Path> = project.roots.iter().map(PathBuf::as_path).collect();
    roots.push(dir);
    for source_root in roots {
        if find_module(source_root, std::slice::from_ref(first)).is_some() {
            return local(source_root, &parts, &import.names, &import.text);
        }
    }
    match &project.declared {
        Some(declared) if declared.contains(*first) => Verdict::Resolved,
        Some(_) => Verdict::Unknown(format!(
            "no declared dependency provides `{first}` under a known name (and it is not a local module)"
        )),
        None => Verdict::Unknown(format!(
            "`{first}` is not a local module and no requirements file or pyproject declares dependencies"
        )),
    }
}

fn local(base: &Path, parts: &[&str], names: &[String], text: &str) -> Verdict {
    match find_module(base, parts) {
        None => Verdict::Unresolved(format!("no module `{text}` in the project")),
        Some(false) => Verdict::Resolved,
        Some(true) => {
            // A namespace folder (or `from . import x` without `__init__.py`): the names must be
            // submodules.
            for name in names.iter().filter(|name| name.as_str() != "*") {
                let mut with_name: Vec<&str> = parts.to_vec();
                with_name.push(name);
                if find_module(base, &with_name).is_none() {
                    return Verdict::Unresolved(format!(
                        "`{text}` is a folder without `__init__.py` and has no submodule `{name}`"
                    ));
                }
            }
            Verdict::Resolved
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn distribution_names() {
        assert_eq!(
            distribution_name("Flask-SQLAlchemy>=3.0").unwrap(),
            "flask_sqlalchemy"
        );
        assert_eq!(distribution_name("httpx[http2]==0.27").unwrap(), "httpx");
        assert_eq!(distribution_name("# comment"), None);
        assert_eq!(distribution_name("-r base.txt"), None);
        assert_eq!(modules_of("pyyaml"), vec!["yaml".to_string()]);
    }
}
