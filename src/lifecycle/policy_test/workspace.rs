//! The workspace of a `gate test` case: the case folder with the case's own files hidden.

use super::{BASELINE_FILE, CHANGES_FILE, SNAPSHOT_FILE};
use crate::evidence::{EvidenceSource, Workspace};
use readiness_evidence::{Evidence, Format, ReadError};
use std::path::Path;

/// A case folder as a workspace: the real [`Workspace`] with the case's own files
/// (`expected.outcome`, `changes.txt`, `baseline.json`) hidden, so that a policy's globs never see them.
pub struct CaseWorkspace {
    inner: Workspace,
    files: std::cell::OnceCell<Result<Vec<String>, String>>,
}

impl CaseWorkspace {
    pub fn new(dir: &Path) -> CaseWorkspace {
        CaseWorkspace {
            inner: Workspace::new(dir),
            files: std::cell::OnceCell::new(),
        }
    }
}

fn is_case_file(relative: &str) -> bool {
    relative == SNAPSHOT_FILE || relative == CHANGES_FILE || relative == BASELINE_FILE
}

impl EvidenceSource for CaseWorkspace {
    fn files(&self) -> Result<&[String], String> {
        self.files
            .get_or_init(|| {
                self.inner.files().map(|files| {
                    files
                        .iter()
                        .filter(|file| !is_case_file(file))
                        .cloned()
                        .collect()
                })
            })
            .as_deref()
            .map_err(Clone::clone)
    }

    fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        if is_case_file(relative) {
            return Err(format!(
                "cannot read `{relative}`: no such file in the case's workspace"
            ));
        }
        self.inner.read(relative)
    }

    fn artifact(
        &self,
        relatives: &[String],
        format: Option<Format>,
    ) -> Result<Evidence, ReadError> {
        self.inner.artifact(relatives, format)
    }

    fn code_facts(
        &self,
        request: crate::evidence::CodeRequest<'_>,
    ) -> Result<crate::evidence::CodeFacts, String> {
        // The files asked about come from `files()`, which already hides the case's own files.
        self.inner.code_facts(request)
    }
}
