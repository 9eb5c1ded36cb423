//! The build-log readers against the corpus (`corpus/`): every folder whose `expected.json` has kind
//! `build` must agree with it exactly (success, exit code, error count, each unresolved import).

use readiness_evidence::{build, Format};
use serde_json::Value;
use std::error::Error;
use std::io::Read;
use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");

type TestResult = Result<(), Box<dyn Error>>;

/// Our format for the corpus's `format` label.
fn format_of(label: &str) -> Option<Format> {
    Some(match label {
        "tsc-text" | "tsc-pretty-text" => Format::Tsc,
        "next-build-text" => Format::Next,
        "webpack-cli-text" => Format::Webpack,
        "vite-build-text" => Format::Vite,
        "rollup-text" => Format::Rollup,
        "esbuild-text" => Format::Esbuild,
        "cargo-human" => Format::Cargo,
        "cargo-json" => Format::CargoJson,
        "go-build-text" => Format::GoBuild,
        "mypy-text" => Format::Mypy,
        "pyright-text" => Format::Pyright,
        "pyright-json" => Format::PyrightJson,
        "python-traceback" => Format::PythonTraceback,
        _ => return None,
    })
}

fn head(path: &Path) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(64 * 1024)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// The build folders of the corpus: (folder, expected.json).
fn build_folders() -> Result<Vec<(PathBuf, Value)>, Box<dyn Error>> {
    let mut out = Vec::new();
    for set in ["js", "native"] {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(Path::new(CORPUS).join(set))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.join("expected.json").is_file())
            .collect();
        dirs.sort();
        for dir in dirs {
            let expected: Value =
                serde_json::from_reader(std::fs::File::open(dir.join("expected.json"))?)?;
            if expected.get("kind").and_then(Value::as_str) == Some("build") {
                out.push((dir, expected));
            }
        }
    }
    Ok(out)
}

/// The files of a folder that are artifacts (not the oracle, notes or exit code).
fn artifacts(dir: &Path) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("");
            path.is_file() && !matches!(name, "HOW.md" | "expected.json" | "exit-code.txt")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The one artifact of a folder that sniffs as `format`.
fn artifact_of(dir: &Path, format: Format) -> Result<PathBuf, Box<dyn Error>> {
    let mut matching = Vec::new();
    for file in artifacts(dir)? {
        if build::sniff(&head(&file)?, &file) == Some(format) {
            matching.push(file);
        }
    }
    match matching.as_slice() {
        [one] => Ok(one.clone()),
        other => Err(format!(
            "{}: expected exactly one artifact sniffed as `{format}`, found {other:?}",
            dir.display()
        )
        .into()),
    }
}

#[test]
fn every_build_folder_agrees_with_expected_json() -> TestResult {
    let folders = build_folders()?;
    let mut disagreements = Vec::new();
    for (dir, expected) in &folders {
        let label = expected.get("format").and_then(Value::as_str).unwrap_or("");
        let Some(format) = format_of(label) else {
            disagreements.push(format!("{}: unknown format label `{label}`", dir.display()));
            continue;
        };
        let artifact = match artifact_of(dir, format) {
            Ok(artifact) => artifact,
            Err(error) => {
                disagreements.push(error.to_string());
                continue;
            }
        };
        let got = match build::read(format, std::slice::from_ref(&artifact)) {
            Ok(figures) => serde_json::to_value(&figures)?,
            Err(error) => {
                disagreements.push(format!("{}: {error}", artifact.display()));
                continue;
            }
        };
        let want = expected.get("build").cloned().unwrap_or(Value::Null);
        if got != want {
            disagreements.push(format!(
                "{}:\n  got  {got}\n  want {want}",
                artifact.display()
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert_eq!(folders.len(), 13, "the corpus has 13 build folders");
    Ok(())
}

/// The same folders through the crate's entry point, format sniffed among all families.
#[test]
fn every_build_folder_is_detected_end_to_end() -> TestResult {
    let mut wrong = Vec::new();
    for (dir, expected) in build_folders()? {
        let label = expected.get("format").and_then(Value::as_str).unwrap_or("");
        let Some(format) = format_of(label) else {
            continue;
        };
        let artifact = artifact_of(&dir, format)?;
        match readiness_evidence::read_file(&artifact, None) {
            Ok(evidence) if evidence.format == format => {}
            Ok(evidence) => wrong.push(format!(
                "{}: detected `{}`, expected `{format}`",
                artifact.display(),
                evidence.format
            )),
            Err(error) => wrong.push(format!("{}: {error}", artifact.display())),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    Ok(())
}

/// pyright's text run of the same project gives the same figures as its JSON report.
#[test]
fn pyright_text_matches_the_json_oracle() -> TestResult {
    let dir = Path::new(CORPUS).join("native/pyright-missing-imports");
    let expected: Value = serde_json::from_reader(std::fs::File::open(dir.join("expected.json"))?)?;
    let log = dir.join("pyright.log");
    assert_eq!(build::sniff(&head(&log)?, &log), Some(Format::Pyright));
    let got = serde_json::to_value(build::read(Format::Pyright, &[log])?)?;
    assert_eq!(Some(&got), expected.get("build"));
    Ok(())
}

/// cargo's stderr beside the JSON lines is a human cargo log with only the summary.
#[test]
fn cargo_stderr_beside_json_gives_the_summary() -> TestResult {
    let dir = Path::new(CORPUS).join("native/cargo-build-json-unresolved");
    let log = dir.join("cargo-build.stderr.log");
    assert_eq!(build::sniff(&head(&log)?, &log), Some(Format::Cargo));
    let figures = build::read(Format::Cargo, &[log])?;
    assert_eq!(figures.success, Some(false));
    assert_eq!(figures.exit_code, Some(101));
    assert_eq!(figures.error_count, 5);
    assert!(figures.unresolved_imports.is_empty());
    Ok(())
}
