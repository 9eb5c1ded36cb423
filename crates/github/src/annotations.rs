//! Ordering, cleaning and capping annotations before they are sent.
//!
//! Most important first: failures, then warnings, then notices, each by
//! `rank`, stable otherwise. Each annotation is made acceptable to GitHub:
//! repository-relative `/` path (absolute paths under the workspace are made
//! relative; others cannot be annotated and are dropped), lines >= 1,
//! `end_line >= start_line`, columns only on one-line annotations and in
//! order, title <= 255 characters, message <= 64 KB. Then the total is capped
//! (default [`DEFAULT_ANNOTATION_CAP`]) and the rest counted for an
//! "N more" note.

use crate::publication::Annotation;
use crate::truncate::{cut_to, ellipsize, Unit};
use std::path::Path;

/// Default cap on annotations per check run (20 requests of 50).
pub const DEFAULT_ANNOTATION_CAP: usize = 1000;
/// Annotations per Checks API request.
pub const PER_REQUEST: usize = 50;
const TITLE_MAX_CHARS: usize = 255;
const MESSAGE_MAX_BYTES: usize = 64 * 1024 - 16;

/// Annotations ready to send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    /// In sending order, cleaned, at most the cap.
    pub kept: Vec<Annotation>,
    /// Left out by the cap.
    pub over_cap: usize,
    /// Left out because they point outside the repository or have no path.
    pub invalid: usize,
}

impl Prepared {
    /// A note for the summary when some were left out.
    pub fn note(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.over_cap > 0 {
            parts.push(format!(
                "{} more annotation{} not shown (cap {})",
                self.over_cap,
                if self.over_cap == 1 { "" } else { "s" },
                self.kept.len()
            ));
        }
        if self.invalid > 0 {
            parts.push(format!(
                "{} annotation{} left out: path outside the repository",
                self.invalid,
                if self.invalid == 1 { "" } else { "s" }
            ));
        }
        (!parts.is_empty()).then(|| format!("_{}._", parts.join("; ")))
    }
}

/// Sorts, cleans and caps `annotations`.
pub fn prepare(annotations: &[Annotation], workspace: Option<&Path>, cap: usize) -> Prepared {
    let mut sorted: Vec<&Annotation> = annotations.iter().collect();
    sorted.sort_by_key(|a| (a.level, a.rank));
    let mut prepared = Prepared::default();
    for annotation in sorted {
        let Some(clean) = clean(annotation, workspace) else {
            prepared.invalid += 1;
            continue;
        };
        if prepared.kept.len() >= cap {
            prepared.over_cap += 1;
        } else {
            prepared.kept.push(clean);
        }
    }
    prepared
}

/// A repository-relative `/` path, or `None` when it cannot be one.
pub fn relative_path(path: &str, workspace: Option<&Path>) -> Option<String> {
    let unified = path.replace('\\', "/");
    let absolute = unified.starts_with('/') || unified.get(1..3) == Some(":/");
    let relative = if absolute {
        let root = workspace?.to_string_lossy().replace('\\', "/");
        let root = root.trim_end_matches('/');
        unified.strip_prefix(root)?.strip_prefix('/')?.to_owned()
    } else {
        unified
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn clean(a: &Annotation, workspace: Option<&Path>) -> Option<Annotation> {
    let path = relative_path(&a.path, workspace)?;
    let start_line = a.start_line.max(1);
    let end_line = a.end_line.max(start_line);
    let (start_column, end_column) = if start_line == end_line {
        match (a.start_column, a.end_column) {
            (Some(s), Some(e)) if s >= 1 && e >= s => (Some(s), Some(e)),
            (Some(s), None) if s >= 1 => (Some(s), None),
            _ => (None, None),
        }
    } else {
        (None, None)
    };
    let message = if a.message.trim().is_empty() {
        "(no message)".to_owned()
    } else {
        cut_to(&a.message, MESSAGE_MAX_BYTES, Unit::Bytes).to_owned()
    };
    Some(Annotation {
        path,
        start_line,
        end_line,
        start_column,
        end_column,
        level: a.level,
        title: a
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| ellipsize(t, TITLE_MAX_CHARS)),
        message,
        rank: a.rank,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::publication::AnnotationLevel;

    fn ann(path: &str, level: AnnotationLevel, rank: u32) -> Annotation {
        Annotation {
            path: path.into(),
            start_line: 3,
            end_line: 1,
            start_column: Some(5),
            end_column: Some(2),
            level,
            title: Some("t".repeat(300)),
            message: "m".into(),
            rank,
        }
    }

    #[test]
    fn failures_first_then_rank_and_cap() {
        let list = vec![
            ann("a.rs", AnnotationLevel::Notice, 0),
            ann("b.rs", AnnotationLevel::Failure, 2),
            ann("c.rs", AnnotationLevel::Failure, 1),
            ann("/elsewhere/d.rs", AnnotationLevel::Failure, 0),
            ann("./src\\e.rs", AnnotationLevel::Warning, 0),
        ];
        let p = prepare(&list, Some(Path::new("/work")), 3);
        let paths: Vec<_> = p.kept.iter().map(|a| a.path.as_str()).collect();
        assert_eq!(paths, vec!["c.rs", "b.rs", "src/e.rs"]);
        assert_eq!((p.over_cap, p.invalid), (1, 1));
        let first = &p.kept[0];
        assert_eq!((first.start_line, first.end_line), (3, 3));
        assert_eq!((first.start_column, first.end_column), (None, None));
        assert_eq!(first.title.as_ref().unwrap().chars().count(), 255);
        assert!(p.note().unwrap().contains("1 more annotation not shown"));
    }

    #[test]
    fn workspace_paths_become_relative() {
        assert_eq!(
            relative_path("/work/src/lib.rs", Some(Path::new("/work/"))).as_deref(),
            Some("src/lib.rs")
        );
        assert_eq!(relative_path("../x", None), None);
        assert_eq!(relative_path("a/../b", None).as_deref(), Some("b"));
    }
}
