//! The files the readers open on their own next to an artifact (an exit-code file beside a build
//! log, `*_failures.csv` beside Locust stats) go through `readiness_evidence::files::sibling`: a
//! sibling that is a symlink to a file outside the artifact's folder is refused, and nothing of
//! its content reaches the error.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use readiness_evidence::{read_file, Figures, Format, ReadError};
use std::path::Path;

const SECRET: &str = "ghp_TOPSECRETTOKEN0123456789";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn exit_code_symlink_outside_is_refused_and_not_quoted() {
    let outside = tempfile::tempdir().unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let secret = outside.path().join("credentials");
    write(&secret, &format!("{SECRET}\n"));
    let log = workspace.path().join("build/tsc.log");
    write(
        &log,
        "src/a.ts(1,20): error TS2307: Cannot find module './x'.\n",
    );
    std::os::unix::fs::symlink(&secret, workspace.path().join("build/exit-code.txt")).unwrap();

    let error = read_file(&log, Some(Format::Tsc)).unwrap_err();
    assert!(matches!(error, ReadError::Refused { .. }), "{error:?}");
    let message = error.to_string();
    assert!(!message.contains(SECRET), "{message}");
    assert!(message.contains("exit-code.txt"), "{message}");
    assert!(message.contains("leads out"), "{message}");
}

#[test]
fn exit_code_regular_sibling_is_still_read() {
    let workspace = tempfile::tempdir().unwrap();
    let log = workspace.path().join("build/tsc.log");
    write(
        &log,
        "src/a.ts(1,20): error TS2307: Cannot find module './x'.\n",
    );
    write(
        &workspace.path().join("build/exit-code.txt"),
        "exit code: 2\n",
    );
    let evidence = read_file(&log, Some(Format::Tsc)).unwrap();
    let Figures::Build(build) = evidence.figures else {
        panic!("not build figures")
    };
    assert_eq!(build.exit_code, Some(2));
}

#[test]
fn exit_code_symlink_inside_the_folder_is_read() {
    let workspace = tempfile::tempdir().unwrap();
    let log = workspace.path().join("build/tsc.log");
    write(
        &log,
        "src/a.ts(1,20): error TS2307: Cannot find module './x'.\n",
    );
    write(&workspace.path().join("build/status"), "1\n");
    std::os::unix::fs::symlink("status", workspace.path().join("build/exit-code.txt")).unwrap();
    let evidence = read_file(&log, Some(Format::Tsc)).unwrap();
    let Figures::Build(build) = evidence.figures else {
        panic!("not build figures")
    };
    assert_eq!(build.exit_code, Some(1));
}

#[test]
fn locust_failures_symlink_outside_is_refused_and_not_quoted() {
    let outside = tempfile::tempdir().unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let secret = outside.path().join("id_rsa");
    write(&secret, &format!("{SECRET},b,c\n"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/load/locust-transport-errors/run_stats.csv");
    let stats = workspace.path().join("load/run_stats.csv");
    write(&stats, &std::fs::read_to_string(fixtures).unwrap());
    std::os::unix::fs::symlink(&secret, workspace.path().join("load/run_failures.csv")).unwrap();

    let error = read_file(&stats, None).unwrap_err();
    assert!(matches!(error, ReadError::Refused { .. }), "{error:?}");
    let message = error.to_string();
    assert!(!message.contains(SECRET), "{message}");
    assert!(message.contains("run_failures.csv"), "{message}");
}

#[test]
fn a_fifo_artifact_is_refused_without_blocking() {
    let workspace = tempfile::tempdir().unwrap();
    let fifo = workspace.path().join("junit.xml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let error = read_file(&fifo, Some(Format::Junit)).unwrap_err();
    assert!(matches!(error, ReadError::Refused { .. }), "{error:?}");
}
