//! The corpus in `corpus/` is a vendored copy: when the copy it came from exists beside the
//! checkout (`../shared/corpus`), every file must be byte-for-byte the same, and no file may be
//! missing on either side. On a clone with nothing beside it there is nothing to compare.

#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn files_under(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn vendored_corpus_matches_the_shared_copy_when_present() {
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !shared.is_dir() {
        eprintln!("no ../shared/corpus beside this checkout: nothing to compare");
        return;
    }
    let mut ours = files_under(&ours);
    ours.remove(Path::new("README.md"));
    let theirs = files_under(&shared);
    let mut theirs_sets = theirs.clone();
    theirs_sets.remove(Path::new("README.md"));
    let only_ours: Vec<_> = ours
        .keys()
        .filter(|k| !theirs_sets.contains_key(*k))
        .collect();
    let only_theirs: Vec<_> = theirs_sets
        .keys()
        .filter(|k| !ours.contains_key(*k))
        .collect();
    assert!(
        only_theirs.is_empty(),
        "missing from corpus/: {only_theirs:?}"
    );
    let differing: Vec<_> = theirs_sets
        .iter()
        .filter(|(k, v)| ours.get(*k).is_some_and(|o| o != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty(),
        "differ from ../shared/corpus: {differing:?}"
    );
    // Folders added here (artifacts this project made itself) are allowed; they are listed so a
    // reader of the test output sees them.
    if !only_ours.is_empty() {
        eprintln!("only in corpus/ (added by this project): {only_ours:?}");
    }
}
