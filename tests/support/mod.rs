//! What the integration tests share: the repository root, the `gate` binary in a quiet,
//! reproducible environment, and `git` in a hermetic one.
//!
//! Each test file uses part of it (`mod support;`), so the rest is dead code there.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// The repository's root folder (where `Cargo.toml`, `policies/` and `corpus/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `gate` binary with a fixed date and width, colours left to the test, and none of the
/// GitHub Actions variables of the machine running the tests.
pub fn gate() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_gate"));
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GITHUB_EVENT_NAME")
        .env_remove("GITHUB_BASE_REF")
        .env_remove("GITHUB_EVENT_PATH")
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("GITHUB_SHA")
        .env("COLUMNS", "100")
        .env("GATE_TODAY", "2026-06-15");
    command
}

/// Runs `git args` in `dir` with a fixed identity and no user or system configuration; panics
/// with git's message when it fails. Returns what git printed.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// [`gate`] with colours off (`NO_COLOR=1`).
pub fn gate_without_colour() -> assert_cmd::Command {
    let mut command = gate();
    command.env("NO_COLOR", "1");
    command
}
