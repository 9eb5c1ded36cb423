//! `gate init`: a starter policy from what a workspace holds.
//!
//! [`detect`] looks at the workspace: `package.json` (next, vite, jest, vitest, typescript),
//! `pyproject.toml` / `requirements*.txt` (pytest, fastapi, django, flask), `Cargo.toml`,
//! `go.mod`, a `Dockerfile`, and artifacts already there (coverage, JUnit, build logs, load
//! reports, `npm ls`), found by name and folder and confirmed by reading them with the evidence
//! readers (a file the readers cannot read is not proposed). [`starter_policy`] writes a policy
//! whose gates match: found artifacts are used where they are; for a detected tool with no
//! artifact yet, the evidence points at the conventional output path, with a comment giving the
//! command that writes it (until CI produces it, the gate is unknown, never passing). Every gate
//! has a comment saying what it guards. The text is checked with [`crate::load_policy`] and put in
//! canonical `gate fmt` form before it is returned.

use crate::evidence::{EvidenceSource, Workspace};
use readiness_evidence::{Format, Kind};
use std::path::{Path, PathBuf};

/// The file `gate init` writes in the workspace.
pub const POLICY_FILE: &str = "readiness.gate";

/// The largest artifact `gate init` reads to confirm its kind.
const MAX_ARTIFACT: u64 = 32 * 1024 * 1024;
/// The most candidate artifacts read.
const MAX_CANDIDATES: usize = 200;

/// What [`detect`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detected {
    pub next: bool,
    pub vite: bool,
    pub jest: bool,
    pub vitest: bool,
    pub typescript: bool,
    /// `package.json` exists.
    pub node: bool,
    pub python: bool,
    pub pytest: bool,
    pub fastapi: bool,
    pub rust: bool,
    pub go: bool,
    pub dockerfile: bool,
    /// Lock files present (`package-lock.json`, `poetry.lock`, `Cargo.lock`, ...).
    pub lockfiles: Vec<String>,
    pub readme: bool,
    /// GitHub Actions workflow files (`.github/workflows/*.yml`).
    pub workflows: Vec<String>,
    pub artifacts: Vec<Artifact>,
    /// Source files and the clients they call, for gates from source (`imports`, `code`).
    pub code: super::init_code::CodeSources,
}

/// An artifact found in the workspace and read successfully.
#[derive(Debug, Clone, PartialEq)]
pub struct Artifact {
    /// Workspace-relative path.
    pub path: String,
    pub kind: Kind,
    pub format: Format,
}

impl Detected {
    /// One line per finding, for `gate init`'s report.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let tools: Vec<&str> = [
            (self.next, "Next.js"),
            (self.vite, "Vite"),
            (self.jest, "Jest"),
            (self.vitest, "Vitest"),
            (self.typescript, "TypeScript"),
            (self.node && !(self.next || self.vite), "Node.js"),
            (self.fastapi, "FastAPI"),
            (self.pytest, "pytest"),
            (self.python && !(self.fastapi || self.pytest), "Python"),
            (self.rust, "Rust (Cargo)"),
            (self.go, "Go"),
            (self.dockerfile, "Dockerfile"),
        ]
        .into_iter()
        .filter_map(|(found, name)| found.then_some(name))
        .collect();
        if !tools.is_empty() {
            lines.push(format!("found {}", tools.join(", ")));
        }
        for artifact in &self.artifacts {
            lines.push(format!(
                "found {} ({} {})",
                artifact.path,
                kind_word(artifact.kind),
                artifact.format
            ));
        }
        lines
    }
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Coverage => "coverage",
        Kind::Tests => "tests",
        Kind::Build => "build log",
        Kind::Load => "load test",
        Kind::Deps => "dependencies",
        Kind::Config => "configuration",
    }
}

/// Looks at a workspace.
pub fn detect(workspace: &Path) -> Result<Detected, String> {
    let source = Workspace::new(workspace);
    let files = source.files()?;
    let mut detected = Detected::default();
    let read_text = |name: &str| {
        source
            .read(name)
            .ok()
            .map(|bytes| String::from_utf8_lossy(&bytes).to_lowercase())
    };
    if let Some(package) = read_text("package.json") {
        detected.node = true;
        let has = |dependency: &str| package.contains(&format!("\"{dependency}\""));
        detected.next = has("next");
        detected.vite = has("vite");
        detected.jest = has("jest");
        detected.vitest = has("vitest");
        detected.typescript = has("typescript") || files.iter().any(|f| f == "tsconfig.json");
    }
    let mut python_text = String::new();
    for name in [
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.txt",
        "requirements.lock",
        "setup.py",
        "setup.cfg",
        "Pipfile",
    ] {
        if let Some(text) = read_text(name) {
            detected.python = true;
            python_text.push_str(&text);
        }
    }
    if !detected.python && files.iter().any(|f| f.ends_with(".py")) {
        detected.python = true;
    }
    detected.pytest = python_text.contains("pytest")
        || files
            .iter()
            .any(|f| f.ends_with("conftest.py") || f == "pytest.ini");
    detected.fastapi = python_text.contains("fastapi")
        || files
            .iter()
            .filter(|f| f.ends_with(".py"))
            .take(200)
            .any(|f| {
                read_text(f).is_some_and(|text| {
                    text.contains("from fastapi import") || text.contains("import fastapi")
                })
            });
    detected.code = super::init_code::detect_code(&source, files);
    detected.rust = files.iter().any(|f| f == "Cargo.toml");
    detected.go = files.iter().any(|f| f == "go.mod");
    detected.dockerfile = files.iter().any(|f| f == "Dockerfile");
    detected.readme = files.iter().any(|f| f.to_lowercase().starts_with("readme"));
    for lock in [
        "package-lock.json",
        "pnpm-lock.yaml",
        "yarn.lock",
        "bun.lockb",
        "poetry.lock",
        "uv.lock",
        "requirements.lock",
        "Pipfile.lock",
        "Cargo.lock",
        "go.sum",
    ] {
        if files.iter().any(|f| f == lock) {
            detected.lockfiles.push(lock.to_string());
        }
    }
    detected.workflows = files
        .iter()
        .filter(|f| {
            f.strip_prefix(".github/workflows/").is_some_and(|name| {
                !name.contains('/') && (name.ends_with(".yml") || name.ends_with(".yaml"))
            })
        })
        .cloned()
        .collect();
    let candidates: Vec<&String> = files
        .iter()
        .filter(|f| is_candidate(f))
        .take(MAX_CANDIDATES)
        .collect();
    for candidate in candidates {
        let path = workspace.join(candidate);
        if std::fs::metadata(&path).map_or(true, |metadata| {
            metadata.len() > MAX_ARTIFACT || metadata.len() == 0
        }) {
            continue;
        }
        let Ok(evidence) = readiness_evidence::read_file(&path, None) else {
            continue;
        };
        detected.artifacts.push(Artifact {
            path: candidate.clone(),
            kind: evidence.kind,
            format: evidence.format,
        });
    }
    Ok(detected)
}

/// Whether a workspace file looks like a CI artifact worth reading.
fn is_candidate(path: &str) -> bool {
    let lower = path.to_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let folders: Vec<&str> = lower.split('/').collect();
    let folders = folders
        .get(..folders.len().saturating_sub(1))
        .unwrap_or_default();
    let in_folder = |wanted: &[&str]| folders.iter().any(|folder| wanted.contains(folder));
    if in_folder(&[
        "src",
        "app",
        "lib",
        "tests",
        "test",
        "node_modules",
        ".git",
        "deps",
        "incremental",
        "debug",
        "release",
    ]) {
        return false;
    }
    let artifact_folder = in_folder(&[
        "reports",
        "report",
        "coverage",
        "logs",
        "log",
        "test-results",
        "junit",
        "load",
        "perf",
        "artifacts",
        "out",
        "nextest",
    ]);
    let by_name = name == "lcov.info"
        || name.ends_with(".lcov")
        || name == "coverage.xml"
        || name.starts_with("cobertura")
        || name.starts_with("jacoco")
        || name == "clover.xml"
        || name == "coverage-final.json"
        || name == "coverage-summary.json"
        || name == "coverage.out"
        || name == "cover.out"
        || name.ends_with(".coverprofile")
        || (name.contains("junit") && name.ends_with(".xml"))
        || (name.starts_with("test-") && name.ends_with(".xml"))
        || name.ends_with("_stats.csv")
        || name == "npm-ls.json"
        || (name.contains("build") && (name.ends_with(".log") || name.ends_with(".jsonl")));
    let extension_ok = [
        ".xml", ".json", ".jsonl", ".info", ".csv", ".log", ".out", ".txt",
    ]
    .iter()
    .any(|extension| name.ends_with(extension));
    let not_config = !matches!(name, "package.json" | "tsconfig.json" | "exit-code.txt")
        && !name.ends_with("_failures.csv")
        && !name.ends_with("_exceptions.csv")
        && !name.ends_with("_stats_history.csv");
    not_config && (by_name || (artifact_folder && extension_ok))
}

/// A starter policy, formatted and checked.
#[derive(Debug, Clone)]
pub struct Starter {
    /// The policy text in canonical `gate fmt` form.
    pub text: String,
    /// What was found, one line each.
    pub found: Vec<String>,
    /// The gates written.
    pub gates: Vec<String>,
}

/// Why `gate init` wrote nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum InitError {
    /// The workspace cannot be read.
    Workspace(String),
    /// `readiness.gate` exists and `--force` was not given.
    Exists(PathBuf),
    /// The generated policy does not check: a bug, reported with its diagnostics.
    Internal(String),
    Write(String),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::Workspace(reason) => write!(f, "cannot read the workspace: {reason}"),
            InitError::Exists(path) => write!(
                f,
                "`{}` already exists; pass `--force` to overwrite it",
                path.display()
            ),
            InitError::Internal(reason) => write!(
                f,
                "internal error: the starter policy does not check ({reason}); please report it"
            ),
            InitError::Write(reason) => write!(f, "cannot write the policy: {reason}"),
        }
    }
}

impl std::error::Error for InitError {}

/// One evidence declaration of the starter.
struct Decl {
    name: String,
    source: &'static str,
    globs: Vec<String>,
    format: Option<Format>,
    comment: String,
}

struct GateText {
    comment: String,
    header: String,
    expectations: Vec<String>,
}

struct Builder {
    evidence: Vec<Decl>,
    categories: Vec<(&'static str, u32, Vec<GateText>)>,
}

impl Builder {
    fn name_for(&self, wanted: &str) -> String {
        let mut name: String = wanted
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert_str(0, "item_");
        }
        if matches!(
            name.as_str(),
            "and" | "or" | "not" | "true" | "false" | "base"
        ) {
            name.push_str("_report");
        }
        let mut candidate = name.clone();
        let mut counter = 2;
        while self.evidence.iter().any(|decl| decl.name == candidate) {
            candidate = format!("{name}_{counter}");
            counter += 1;
        }
        candidate
    }

    fn declare(
        &mut self,
        wanted: &str,
        source: &'static str,
        globs: Vec<String>,
        format: Option<Format>,
        comment: &str,
    ) -> String {
        let name = self.name_for(wanted);
        self.evidence.push(Decl {
            name: name.clone(),
            source,
            globs,
            format,
            comment: comment.to_string(),
        });
        name
    }

    fn gate(
        &mut self,
        category: &'static str,
        weight: u32,
        comment: &str,
        header: String,
        expectations: Vec<String>,
    ) {
        let header = self.unique_gate_header(header);
        let gate = GateText {
            comment: comment.to_string(),
            header,
            expectations,
        };
        match self
            .categories
            .iter_mut()
            .find(|(name, _, _)| *name == category)
        {
            Some((_, _, gates)) => gates.push(gate),
            None => self.categories.push((category, weight, vec![gate])),
        }
    }
}

impl Builder {
    /// Gate names are unique in a policy: a second gate of one name (two npm reports give two
    /// "no dependency problems" gates) gets a number, `"no dependency problems 2"`.
    fn unique_gate_header(&self, header: String) -> String {
        let quoted = |header: &str| -> Option<(usize, usize)> {
            let start = header.find('"')?;
            let mut escaped = false;
            for (offset, character) in header.get(start + 1..)?.char_indices() {
                match character {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return Some((start, start + 1 + offset)),
                    _ => escaped = false,
                }
            }
            None
        };
        let name_of = |header: &str| {
            quoted(header).and_then(|(start, end)| header.get(start..end).map(str::to_string))
        };
        let used: Vec<String> = self
            .categories
            .iter()
            .flat_map(|(_, _, gates)| gates.iter().filter_map(|gate| name_of(&gate.header)))
            .collect();
        let Some((start, end)) = quoted(&header) else {
            return header;
        };
        let (Some(before), Some(name), Some(after)) = (
            header.get(..start),
            header.get(start..end),
            header.get(end..),
        ) else {
            return header;
        };
        if !used.iter().any(|other| other == name) {
            return header;
        }
        (2..)
            .map(|n| format!("{name} {n}"))
            .find(|candidate| !used.contains(candidate))
            .map(|candidate| format!("{before}{candidate}{after}"))
            .unwrap_or(header)
    }
}

fn quote(text: &str) -> String {
    crate::format::string(text)
}

fn stem_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    stem.trim_end_matches("_stats")
        .trim_end_matches("-report")
        .trim_end_matches("_report")
        .to_string()
}

/// Writes the starter policy for what was detected.
pub fn starter_policy(detected: &Detected, project: &str) -> Result<Starter, InitError> {
    let mut builder = Builder {
        evidence: Vec::new(),
        categories: Vec::new(),
    };
    let found_of = |kind: Kind| -> Vec<&Artifact> {
        detected
            .artifacts
            .iter()
            .filter(|a| a.kind == kind)
            .collect()
    };

    // Build.
    let builds = found_of(Kind::Build);
    let mut build_items = Vec::new();
    for artifact in &builds {
        let name = if builds.len() == 1 {
            "build".to_string()
        } else {
            stem_of(&artifact.path)
        };
        let item = builder.declare(
            &name,
            "build_log",
            vec![artifact.path.clone()],
            None,
            &format!("found: {} output", artifact.format),
        );
        let label = match artifact.format {
            Format::Tsc | Format::Mypy | Format::Pyright | Format::PyrightJson => {
                "type check".to_string()
            }
            Format::Cargo | Format::CargoJson => "cargo build".to_string(),
            Format::GoBuild => "go build".to_string(),
            Format::PythonTraceback => "startup".to_string(),
            other => format!("{other} build"),
        };
        let label = if build_items.iter().any(|(_, existing)| *existing == label) {
            format!("{label} ({item})")
        } else {
            label
        };
        build_items.push((item, label));
    }
    if build_items.is_empty() {
        let conventional = if detected.next {
            Some((
                "logs/build.log",
                None,
                "next build 2>&1 | tee logs/build.log",
            ))
        } else if detected.vite {
            Some((
                "logs/build.log",
                None,
                "vite build 2>&1 | tee logs/build.log",
            ))
        } else if detected.rust {
            Some((
                "target/reports/cargo-build.jsonl",
                Some(Format::CargoJson),
                "cargo build --message-format=json > target/reports/cargo-build.jsonl",
            ))
        } else if detected.go {
            Some((
                "reports/go-build.log",
                None,
                "go build ./... 2>&1 | tee reports/go-build.log",
            ))
        } else if detected.typescript {
            Some(("logs/tsc.log", None, "tsc --noEmit 2>&1 | tee logs/tsc.log"))
        } else {
            None
        };
        if let Some((path, format, command)) = conventional {
            let item = builder.declare(
                "build",
                "build_log",
                vec![path.to_string()],
                format,
                &format!("not produced yet: {command}"),
            );
            build_items.push((item, "production build".to_string()));
        }
    }
    for (item, label) in &build_items {
        builder.gate(
            "build",
            30,
            "the build must succeed and resolve every import: a dev server resolves modules lazily, a production build does not",
            format!("gate {} blocker", quote(&format!("{label} passes"))),
            vec![format!("{item}.succeeded"), format!("{item}.unresolved_imports == 0")],
        );
    }
    for artifact in found_of(Kind::Deps) {
        let item = builder.declare(
            "deps",
            "npm_ls",
            vec![artifact.path.clone()],
            None,
            "found: npm ls --json",
        );
        builder.gate(
            "build",
            30,
            "npm ls reports no missing, invalid or conflicting dependencies",
            format!("gate {}", quote("no dependency problems")),
            vec![format!("{item}.problems == 0")],
        );
    }
    if !detected.lockfiles.is_empty() {
        let locks: Vec<String> = detected.lockfiles.iter().map(|lock| quote(lock)).collect();
        builder.gate(
            "build",
            30,
            "dependencies are pinned by a committed lock file",
            format!("gate {}", quote("dependencies pinned")),
            vec![format!("exists({})", locks.join(", "))],
        );
    }

    // Tests and coverage.
    let tests_found = found_of(Kind::Tests);
    let tests_item = if tests_found.is_empty() {
        let conventional = if detected.jest {
            Some(("reports/junit/*.xml", "jest --ci --reporters=default --reporters=jest-junit (JEST_JUNIT_OUTPUT_DIR=reports/junit)"))
        } else if detected.vitest {
            Some((
                "reports/junit.xml",
                "vitest run --reporter=junit --outputFile=reports/junit.xml",
            ))
        } else if detected.pytest || detected.python {
            Some((
                "reports/pytest-junit.xml",
                "pytest --junitxml=reports/pytest-junit.xml",
            ))
        } else if detected.rust {
            Some((
                "target/nextest/ci/junit.xml",
                "cargo nextest run --profile ci (junit.path = \"junit.xml\")",
            ))
        } else if detected.go {
            Some((
                "reports/junit.xml",
                "gotestsum --junitfile reports/junit.xml",
            ))
        } else {
            None
        };
        conventional.map(|(glob, command)| {
            builder.declare(
                "tests",
                "junit",
                vec![glob.to_string()],
                None,
                &format!("not produced yet: {command}"),
            )
        })
    } else {
        let globs = tests_found.iter().map(|a| a.path.clone()).collect();
        Some(builder.declare("tests", "junit", globs, None, "found: JUnit XML"))
    };
    if let Some(item) = &tests_item {
        builder.gate(
            "tests",
            35,
            "every test passes, and there are tests at all",
            format!("gate {} blocker", quote("tests pass")),
            vec![
                format!("{item}.failed + {item}.errors == 0"),
                format!("{item}.total >= 1"),
            ],
        );
    }
    let coverage_found = found_of(Kind::Coverage);
    let coverage_item = if coverage_found.is_empty() {
        let conventional = if detected.jest || detected.vitest {
            Some((
                "coverage/lcov.info",
                "jest --coverage (or vitest run --coverage) with the lcov reporter",
            ))
        } else if detected.pytest || detected.python {
            Some((
                "reports/coverage.xml",
                "pytest --cov --cov-report=xml:reports/coverage.xml",
            ))
        } else if detected.rust {
            Some((
                "target/reports/lcov.info",
                "cargo llvm-cov --lcov --output-path target/reports/lcov.info",
            ))
        } else if detected.go {
            Some(("coverage.out", "go test -coverprofile=coverage.out ./..."))
        } else {
            None
        };
        conventional.map(|(glob, command)| {
            builder.declare(
                "coverage",
                "coverage",
                vec![glob.to_string()],
                None,
                &format!("not produced yet: {command}"),
            )
        })
    } else {
        let globs = coverage_found.iter().map(|a| a.path.clone()).collect();
        let comment = if coverage_found.len() > 1 {
            "found: several reports, merged line by line"
        } else {
            "found: a coverage report"
        };
        Some(builder.declare("coverage", "coverage", globs, None, comment))
    };
    if let Some(item) = &coverage_item {
        builder.gate(
            "tests",
            35,
            "70% of lines covered is a common starting bar: raise it as coverage grows",
            format!("gate {} points 2", quote("line coverage")),
            vec![format!("{item}.lines >= 70%")],
        );
    }

    // Load tests.
    for artifact in found_of(Kind::Load) {
        let item = builder.declare(
            &stem_of(&artifact.path),
            "load",
            vec![artifact.path.clone()],
            None,
            &format!("found: {} report", artifact.format),
        );
        builder.gate(
            "performance",
            15,
            "under load, few errors and a fast 95th percentile",
            format!("gate {}", quote(&format!("{item} load"))),
            vec![
                format!("{item}.error_rate < 1%"),
                format!("{item}.p95 < 500ms"),
            ],
        );
    }

    // CI configuration, as facts: the workflows run on pull requests (`on: pull_request`, a list
    // or a mapping) and, for a Node.js app, run its build.
    if !detected.workflows.is_empty() {
        let item = builder.declare(
            "workflows",
            "config",
            vec![".github/workflows/*.{yml,yaml}".to_string()],
            None,
            &format!(
                "found: {} GitHub Actions workflow(s)",
                detected.workflows.len()
            ),
        );
        let mut expectations = vec![format!(
            "{item}.values(\"$.on\").containing(/pull_request/).count >= 1"
        )];
        if detected.node {
            expectations.push(format!(
                "{item}.values(\"$.jobs.*.steps[*].run\").containing(/(npm|pnpm|yarn)( run)? build/).count >= 1"
            ));
        }
        builder.gate(
            "build",
            30,
            "CI runs on pull requests (and runs the production build), read from the workflow files",
            format!("gate {}", quote("ci checks pull requests")),
            expectations,
        );
    }

    // The repository itself.
    builder.gate(
        "security",
        20,
        "no environment files, private keys or SSH keys in the repository",
        format!("gate {} blocker", quote("no secrets committed")),
        vec![r#"files("**/.env", "**/*.pem", "**/id_rsa").count == 0"#.to_string()],
    );
    if detected.next {
        builder.gate(
            "security",
            20,
            "Next.js sends security headers only when next.config sets them",
            format!("gate {}", quote("security headers configured")),
            vec![r#"files("next.config.{js,mjs,ts}").containing(/Content-Security-Policy/).count >= 1"#.to_string()],
        );
        builder.gate(
            "operations",
            15,
            "a health endpoint for the load balancer and uptime checks",
            format!("gate {}", quote("health endpoint exists")),
            vec![r#"exists("app/api/health/route.ts", "src/app/api/health/route.ts", "pages/api/health.ts", "src/pages/api/health.ts")"#.to_string()],
        );
    }
    if detected.fastapi {
        builder.gate(
            "operations",
            15,
            "a health endpoint for the load balancer and uptime checks",
            format!("gate {}", quote("health endpoint exists")),
            vec![r#"files("**/*.py").containing(/\.get\(\s*"\/health/).count >= 1"#.to_string()],
        );
    }
    if detected.dockerfile {
        builder.gate(
            "operations",
            15,
            "the container tells the orchestrator when it is unhealthy",
            format!("gate {}", quote("container health check")),
            vec![r#"file("Dockerfile").contains(/HEALTHCHECK/)"#.to_string()],
        );
    }
    if detected.rust {
        builder.gate(
            "docs",
            10,
            "the minimum supported Rust version is declared",
            format!("gate {}", quote("MSRV declared")),
            vec![r#"file("Cargo.toml").contains(/(?m)^rust-version\s*=/)"#.to_string()],
        );
    }
    for (comment, header, expectations) in super::init_code::code_gates(&detected.code) {
        let category = if header.contains("imports") {
            "build"
        } else {
            "reliability"
        };
        builder.gate(category, 30, &comment, header, expectations);
    }
    builder.gate(
        "docs",
        10,
        "someone new can find out what this is and how to run it",
        format!("gate {}", quote("README exists")),
        vec![r#"exists("README.md", "README", "README.rst", "readme.md")"#.to_string()],
    );

    let text = render(&builder, project);
    let (ast, _) = crate::load_policy(&text).map_err(|diagnostics| {
        let messages: Vec<String> = diagnostics
            .iter()
            .map(|d| d.with_source("readiness.gate", &text).to_string())
            .collect();
        InitError::Internal(messages.join("; "))
    })?;
    let formatted = crate::format::format_policy(&ast, &text);
    crate::load_policy(&formatted)
        .map_err(|_| InitError::Internal("the formatted policy does not check".to_string()))?;
    let gates = builder
        .categories
        .iter()
        .flat_map(|(category, _, gates)| {
            gates
                .iter()
                .map(move |gate| format!("{category}: {}", gate.header))
        })
        .collect();
    Ok(Starter {
        text: formatted,
        found: detected.describe(),
        gates,
    })
}

fn render(builder: &Builder, project: &str) -> String {
    let mut out = String::new();
    out.push_str("# readiness.gate: a starter policy written by `gate init` from what the workspace holds.\n");
    out.push_str("# Check it with `gate validate`, run it with `gate check`, and edit freely: it is yours now.\n");
    out.push_str("# Missing evidence never passes: a gate whose artifact CI does not produce yet is unknown.\n");
    out.push_str(&format!(
        "policy {} {{\n",
        quote(&format!("{project} production readiness"))
    ));
    out.push_str(
        "  # the readiness score needed to be \"ready\"; blockers must pass whatever the score\n",
    );
    out.push_str("  target 80%\n");
    out.push_str("  levels { bronze 60%  silver 75%  gold 90% }\n\n");
    if !builder.evidence.is_empty() {
        out.push_str("  # where CI writes its artifacts (globs relative to the workspace; formats are sniffed)\n");
        out.push_str("  evidence {\n");
        for decl in &builder.evidence {
            let globs: Vec<String> = decl.globs.iter().map(|glob| quote(glob)).collect();
            let mut line = format!("    {} = {}({})", decl.name, decl.source, globs.join(", "));
            if let Some(format) = decl.format {
                line.push_str(&format!(" as {format}"));
            }
            out.push_str(&format!("{line}  # {}\n", decl.comment));
        }
        out.push_str("  }\n");
    }
    for (category, weight, gates) in &builder.categories {
        out.push_str(&format!("\n  category {category} weight {weight} {{\n"));
        for gate in gates {
            out.push_str(&format!("    # {}\n", gate.comment));
            out.push_str(&format!("    {} {{\n", gate.header));
            for expectation in &gate.expectations {
                out.push_str(&format!("      expect {expectation}\n"));
            }
            out.push_str("    }\n");
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

/// The project's name for the policy title: `package.json`'s or `Cargo.toml`'s `name`, else the
/// folder's name.
pub fn project_name(workspace: &Path) -> String {
    let root = crate::repo::workspace::Root::new(workspace);
    let read = |name: &str| {
        root.read(name, 1 << 20)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
    };
    if let Some(name) = read("package.json")
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|json| {
            json.get("name")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        })
    {
        return name;
    }
    for file in ["Cargo.toml", "pyproject.toml"] {
        if let Some(text) = read(file) {
            let name = text.lines().find_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "name").then(|| {
                    value
                        .trim()
                        .trim_matches('"')
                        .trim_matches('\'')
                        .to_string()
                })
            });
            if let Some(name) = name.filter(|name| !name.is_empty()) {
                return name;
            }
        }
    }
    std::fs::canonicalize(workspace)
        .ok()
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "project".to_string())
}

/// What [`init`] did.
#[derive(Debug, Clone)]
pub struct InitReport {
    pub path: PathBuf,
    pub starter: Starter,
    /// Whether an existing policy was overwritten (`--force`).
    pub overwrote: bool,
}

impl InitReport {
    /// For people: what was found, the gates written, and what to do next.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in &self.starter.found {
            out.push_str(&format!("  {line}\n"));
        }
        out.push_str(&format!(
            "{} {} with {} gate{}:\n",
            if self.overwrote { "overwrote" } else { "wrote" },
            self.path.display(),
            self.starter.gates.len(),
            if self.starter.gates.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
        for gate in &self.starter.gates {
            out.push_str(&format!("  {gate}\n"));
        }
        out.push_str(
            "next: `gate check` to see the verdict; edit thresholds, then commit the policy\n",
        );
        out
    }
}

/// Detects, writes `readiness.gate` in the workspace (refusing to overwrite without `force`),
/// and reports.
pub fn init(workspace: &Path, force: bool) -> Result<InitReport, InitError> {
    let root = crate::repo::workspace::Root::new(workspace);
    let path = workspace.join(POLICY_FILE);
    // A symlink counts as existing (even a dangling one): it is never written through.
    let existed = std::fs::symlink_metadata(&path).is_ok();
    if existed && !force {
        return Err(InitError::Exists(path));
    }
    let detected = detect(workspace).map_err(InitError::Workspace)?;
    let starter = starter_policy(&detected, &project_name(workspace))?;
    // Through the workspace file API: a `readiness.gate` that is a symlink (to a file outside or
    // inside) is refused, and the file is replaced, never written through.
    root.write(POLICY_FILE, starter.text.as_bytes())
        .map_err(|error| InitError::Write(error.to_string()))?;
    Ok(InitReport {
        path,
        starter,
        overwrote: existed,
    })
}
