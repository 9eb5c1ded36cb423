//! `npm ls --json` (best with `--all`): the dependency tree as JSON, with npm's problems.
//!
//! Checked against npm 11.19.1 (corpus `js/npm-ls-json-peer-invalid`); npm 7 to 11 write the same
//! top-level `problems` array.
//!
//! # Figures
//! `problems` = the top-level `problems` array, in order (`missing: clsx@^2.1.1, required by
//! app@0.3.0`, `invalid: zustand@5.1.0 /path/node_modules/zustand`, `extraneous: ...`). Without
//! it, the lines of `error.summary`; an `error` with neither gives its `code`. The per-package
//! `problems` inside `dependencies` repeat the top-level ones and are not read (the tree is
//! skipped while streaming). Plain `npm ls` (depth 0) does not check peer dependencies deeper in
//! the tree: run it with `--all`.

use crate::load::json::{has_key, looks_like_json_object, read_json};
use crate::ReadError;
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::path::Path;

const EXPECTED: &str =
    "the JSON of `npm ls --json` (an object with `name`, `dependencies`, `problems`)";

pub(super) fn sniff(head: &[u8]) -> bool {
    if !looks_like_json_object(head) || has_key(head, "lockfileVersion") {
        return false;
    }
    if has_key(head, "problems") && (has_key(head, "dependencies") || has_key(head, "name")) {
        return true;
    }
    dependencies_hold_objects(head)
}

/// `"dependencies": { "name": {` — npm ls nests package objects, package.json maps to strings.
fn dependencies_hold_objects(head: &[u8]) -> bool {
    let needle = b"\"dependencies\"";
    let Some(at) = memchr::memmem::find(head, needle) else {
        return false;
    };
    let mut rest = head
        .get(at + needle.len()..)
        .unwrap_or_default()
        .iter()
        .copied();
    let mut next = || rest.by_ref().find(|byte| !byte.is_ascii_whitespace());
    if next() != Some(b':') || next() != Some(b'{') || next() != Some(b'"') {
        return false;
    }
    // Skip the key, then expect `:` and `{`.
    let mut escaped = false;
    for byte in rest.by_ref() {
        match (byte, escaped) {
            (b'\\', false) => escaped = true,
            (b'"', false) => break,
            _ => escaped = false,
        }
    }
    let mut next = || rest.by_ref().find(|byte| !byte.is_ascii_whitespace());
    next() == Some(b':') && next() == Some(b'{')
}

#[derive(Deserialize)]
struct Ls {
    name: Option<IgnoredAny>,
    version: Option<IgnoredAny>,
    dependencies: Option<IgnoredAny>,
    problems: Option<Vec<String>>,
    error: Option<LsError>,
}

#[derive(Deserialize)]
struct LsError {
    code: Option<String>,
    summary: Option<String>,
}

pub(super) fn read(path: &Path) -> Result<Vec<String>, ReadError> {
    let ls: Ls = read_json(path, EXPECTED)?;
    if ls.name.is_none()
        && ls.version.is_none()
        && ls.dependencies.is_none()
        && ls.problems.is_none()
        && ls.error.is_none()
    {
        return Err(crate::load::lines::malformed(
            path,
            None,
            EXPECTED,
            "an object without any of those keys",
        ));
    }
    if let Some(problems) = ls.problems {
        return Ok(problems);
    }
    let Some(error) = ls.error else {
        return Ok(Vec::new());
    };
    let from_summary: Vec<String> = error
        .summary
        .as_deref()
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect();
    if !from_summary.is_empty() {
        return Ok(from_summary);
    }
    Ok(error
        .code
        .into_iter()
        .map(|code| format!("npm error code {code}"))
        .collect())
}
