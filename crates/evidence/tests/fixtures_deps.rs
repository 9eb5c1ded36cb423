//! Dependency readers: one fixture per variant and per bad-input class (`fixtures/deps/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{read_file, read_files, Figures, Format, Location, ReadError};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/deps")).join(name)
}

/// Reads a fixture with the format sniffed, checking the sniffed format.
fn problems(name: &str, format: Format) -> Vec<String> {
    let evidence = read_file(&fixture(name), None).unwrap();
    assert_eq!(evidence.format, format, "{name}");
    match evidence.figures {
        Figures::Deps(figures) => figures.problems,
        other => panic!("{name}: not deps figures: {other:?}"),
    }
}

/// Reading a fixture forced as `format` fails with an error naming the file.
fn error(name: &str, format: Format) -> ReadError {
    let path = fixture(name);
    let error = read_file(&path, Some(format)).unwrap_err();
    assert_eq!(error.path(), Some(path.as_path()), "{name}: {error}");
    error
}

#[test]
fn npm_install_could_not_resolve_names_the_conflict() {
    // The seed's case: reactflow needs zustand 4.5.7, the project has 5.0.8 (npm 8 wording).
    assert_eq!(
        problems("npm-install-could-not-resolve.log", Format::NpmInstall),
        [
            "ERESOLVE could not resolve",
            "Found: zustand@5.0.8",
            "peer zustand@\"4.5.7\" from reactflow@11.11.4",
            "Conflicting peer dependency: zustand@4.5.7",
        ]
    );
}

#[test]
fn npm_install_other_failures_give_their_headline_colours_stripped() {
    assert_eq!(
        problems("npm-install-etarget-color.log", Format::NpmInstall),
        ["notarget No matching version found for left-pad@^9.0.0."]
    );
}

#[test]
fn npm_install_success_has_no_problems() {
    assert!(problems("npm-install-ok.log", Format::NpmInstall).is_empty());
}

#[test]
fn npm_ls_tree_without_stderr_reads_the_markers() {
    assert_eq!(
        problems("npm-ls-tree-only.txt", Format::NpmLs),
        [
            "missing: left-pad@^1.3.0, required by shop@1.2.0",
            "invalid: zustand@5.0.8 \"^4.4.1\" from node_modules/@reactflow/core",
            "extraneous: lodash@4.17.21",
            "missing: use-sync-external-store@^1.2.2, required by zustand@5.0.8",
        ]
    );
}

#[test]
fn npm_ls_json_without_problems_is_clean() {
    assert!(problems("npm-ls-json-clean.json", Format::NpmLsJson).is_empty());
}

#[test]
fn several_files_are_concatenated() {
    let evidence = read_files(
        &[
            fixture("npm-install-etarget-color.log"),
            fixture("npm-install-could-not-resolve.log"),
        ],
        None,
    )
    .unwrap();
    let Figures::Deps(figures) = evidence.figures else {
        panic!("not deps figures")
    };
    assert_eq!(figures.problems.len(), 5);
}

#[test]
fn truncated_json_is_malformed() {
    match error("npm-ls-json-truncated.json", Format::NpmLsJson) {
        ReadError::Malformed {
            location: Some(Location::LineColumn { .. }),
            found,
            ..
        } => assert!(found.contains("cut off"), "{found}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_of_the_wrong_shape_is_malformed() {
    assert!(matches!(
        error("npm-ls-json-wrong-shape.json", Format::NpmLsJson),
        ReadError::Malformed { .. }
    ));
}

#[test]
fn binary_is_malformed() {
    match error("npm-install-binary.log", Format::NpmInstall) {
        ReadError::Malformed {
            location: Some(Location::LineColumn { line: 1, column: 1 }),
            found,
            ..
        } => assert!(found.contains("binary"), "{found}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_utf8_is_malformed_at_its_column() {
    match error("npm-install-invalid-utf8.log", Format::NpmInstall) {
        ReadError::Malformed {
            location:
                Some(Location::LineColumn {
                    line: 2,
                    column: 54,
                }),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn blank_file_is_empty() {
    assert!(matches!(
        error("npm-ls-blank.txt", Format::NpmLs),
        ReadError::Empty { .. }
    ));
    assert!(matches!(
        read_file(&fixture("npm-ls-blank.txt"), None),
        Err(ReadError::Empty { .. })
    ));
}

#[test]
fn another_log_is_malformed() {
    assert!(matches!(
        error("npm-ls-wrong-format.txt", Format::NpmLs),
        ReadError::Malformed { .. }
    ));
    assert!(matches!(
        error("npm-ls-wrong-format.txt", Format::NpmInstall),
        ReadError::Malformed { .. }
    ));
    assert!(matches!(
        error("npm-ls-tree-only.txt", Format::NpmLsJson),
        ReadError::Malformed { .. }
    ));
}

#[test]
fn every_fixture_reads_without_panicking_in_every_format() {
    for entry in std::fs::read_dir(fixture("")).unwrap().flatten() {
        for format in Format::ALL {
            let _ = read_file(&entry.path(), Some(*format));
        }
    }
}

#[test]
fn a_cargo_log_is_not_sniffed_as_a_dependency_report() {
    // `  --> src/main.rs:3:5` once looked like a tree line.
    let path = fixture("not-npm-cargo-build.log");
    let kind = read_file(&path, None).map(|evidence| evidence.kind);
    assert!(
        !matches!(kind, Ok(readiness_evidence::Kind::Deps)),
        "{kind:?}"
    );
}
