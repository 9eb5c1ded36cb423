//! Fitting the Markdown report under GitHub's size limits.
//!
//! Every place the report goes has its own limit, measured differently:
//!
//! | destination | limit | unit |
//! |---|---|---|
//! | check-run `output.summary` | 65,535 | bytes (the server counts bytes even though the docs say characters) |
//! | issue comment body | 65,536 | characters (Unicode scalar values) |
//! | job summary (`GITHUB_STEP_SUMMARY`) | 1 MiB per step; over it the runner drops *all* of it | bytes |
//!
//! [`fit`] keeps the verdict (priority-0 sections, or the title when there is
//! none), then adds the other sections in display order, dropping the least
//! important ones (highest priority number, later first) until the text fits,
//! and appends a note naming what was cut. If the verdict alone is too large
//! it is cut on a character boundary as a last resort.

use crate::publication::{Publication, Section};

/// How a limit is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// UTF-8 bytes.
    Bytes,
    /// Unicode scalar values.
    Chars,
}

impl Unit {
    /// Size of `text` in this unit.
    pub fn measure(self, text: &str) -> usize {
        match self {
            Unit::Bytes => text.len(),
            Unit::Chars => text.chars().count(),
        }
    }
}

/// A size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Maximum size, inclusive.
    pub max: usize,
    /// How it is measured.
    pub unit: Unit,
}

/// Check-run `output.summary` / `output.text`.
pub const CHECK_SUMMARY_LIMIT: Limit = Limit {
    max: 65_535,
    unit: Unit::Bytes,
};
/// Issue comment body.
pub const COMMENT_LIMIT: Limit = Limit {
    max: 65_536,
    unit: Unit::Chars,
};
/// The runner's hard job-summary limit per step (1 MiB).
pub const STEP_SUMMARY_HARD_LIMIT: usize = 1_048_576;
/// Our job-summary budget: well under the hard limit (900 KiB).
pub const JOB_SUMMARY_LIMIT: Limit = Limit {
    max: 900 * 1024,
    unit: Unit::Bytes,
};

/// The result of fitting a report under a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// The text, within the limit.
    pub text: String,
    /// Labels of the sections that were dropped, in display order.
    pub dropped: Vec<String>,
    /// Whether the verdict itself had to be cut.
    pub verdict_cut: bool,
}

impl Fitted {
    /// Whether anything was cut.
    pub fn truncated(&self) -> bool {
        !self.dropped.is_empty() || self.verdict_cut
    }
}

const SEPARATOR: &str = "\n\n";

/// Renders `publication`'s sections under `limit`, with `reserve` units kept
/// free for text the caller adds (e.g. a hidden marker line). `elsewhere`
/// says where the full report can be found (e.g. "the job summary").
pub fn fit(publication: &Publication, limit: Limit, reserve: usize, elsewhere: &str) -> Fitted {
    let budget = limit.max.saturating_sub(reserve);
    let mut sections: Vec<Section> = publication.sections.clone();
    if !sections.iter().any(|s| s.priority == 0) {
        sections.insert(0, Section::verdict(format!("**{}**", publication.title)));
    }
    fit_sections(&sections, limit.unit, budget, elsewhere)
}

fn join(sections: &[&Section]) -> String {
    let mut out = String::new();
    for section in sections {
        if !out.is_empty() {
            out.push_str(SEPARATOR);
        }
        out.push_str(&section.markdown);
    }
    out
}

fn cut_note(dropped: &[String], elsewhere: &str, limit: usize, unit: Unit) -> String {
    let what = match unit {
        Unit::Bytes => "bytes",
        Unit::Chars => "characters",
    };
    let count = dropped.len();
    let plural = if count == 1 { "" } else { "s" };
    let mut names = dropped.join(", ");
    // Keep the note itself short whatever the labels are.
    if names.chars().count() > 600 {
        names = names.chars().take(600).collect::<String>() + "…";
    }
    format!(
        "> [!NOTE]\n> Shortened to fit GitHub's limit of {limit} {what}: {count} section{plural} left out ({names}). The full report is in {elsewhere}."
    )
}

fn fit_sections(sections: &[Section], unit: Unit, budget: usize, elsewhere: &str) -> Fitted {
    let all: Vec<&Section> = sections.iter().collect();
    let full = join(&all);
    if unit.measure(&full) <= budget {
        return Fitted {
            text: full,
            dropped: Vec::new(),
            verdict_cut: false,
        };
    }
    // Drop order: highest priority number first; among equals, later first.
    let mut order: Vec<usize> = (0..sections.len())
        .filter(|&i| sections.get(i).is_some_and(|s| s.priority > 0))
        .collect();
    order.sort_by(|&a, &b| {
        let pa = sections.get(a).map_or(0, |s| s.priority);
        let pb = sections.get(b).map_or(0, |s| s.priority);
        pb.cmp(&pa).then(b.cmp(&a))
    });
    let mut kept = vec![true; sections.len()];
    for index in order {
        if let Some(slot) = kept.get_mut(index) {
            *slot = false;
        }
        let (text, dropped) = assemble(sections, &kept, unit, budget, elsewhere);
        if unit.measure(&text) <= budget {
            return Fitted {
                text,
                dropped,
                verdict_cut: false,
            };
        }
    }
    // Only the verdict is left and it is still too large: cut it.
    let (_, dropped) = assemble(sections, &kept, unit, budget, elsewhere);
    let note = if dropped.is_empty() {
        format!(
            "> [!NOTE]\n> Shortened to fit GitHub's limit of {budget} {}. The full report is in {elsewhere}.",
            if unit == Unit::Bytes { "bytes" } else { "characters" }
        )
    } else {
        cut_note(&dropped, elsewhere, budget, unit)
    };
    let verdict: Vec<&Section> = sections
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(s, _)| s)
        .collect();
    let head = join(&verdict);
    let marker = "\n\n…\n\n";
    let room = budget.saturating_sub(unit.measure(&note) + unit.measure(marker));
    let text = format!("{}{marker}{note}", cut_to(&head, room, unit));
    let text = if unit.measure(&text) <= budget {
        text
    } else {
        cut_to(&text, budget, unit).to_owned()
    };
    Fitted {
        text,
        dropped,
        verdict_cut: true,
    }
}

fn assemble(
    sections: &[Section],
    kept: &[bool],
    unit: Unit,
    budget: usize,
    elsewhere: &str,
) -> (String, Vec<String>) {
    let mut shown: Vec<&Section> = Vec::new();
    let mut dropped = Vec::new();
    for (section, keep) in sections.iter().zip(kept) {
        if *keep {
            shown.push(section);
        } else {
            dropped.push(section.label.clone());
        }
    }
    let mut text = join(&shown);
    if !dropped.is_empty() {
        text.push_str(SEPARATOR);
        text.push_str(&cut_note(&dropped, elsewhere, budget, unit));
    }
    (text, dropped)
}

/// The longest prefix of `text` whose size is at most `max`, cut on a char boundary.
pub fn cut_to(text: &str, max: usize, unit: Unit) -> &str {
    match unit {
        Unit::Bytes => {
            if text.len() <= max {
                return text;
            }
            let mut end = max;
            while end > 0 && !text.is_char_boundary(end) {
                end -= 1;
            }
            text.get(..end).unwrap_or("")
        }
        Unit::Chars => match text.char_indices().nth(max) {
            Some((byte, _)) => text.get(..byte).unwrap_or(""),
            None => text,
        },
    }
}

/// Cuts `text` to at most `max` characters, ending with `…` when cut.
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::publication::{Conclusion, Outputs};

    fn publication(sections: Vec<Section>) -> Publication {
        Publication {
            check_name: "readiness".into(),
            conclusion: Conclusion::Failure,
            title: "Not ready: 72.5% (target 95%)".into(),
            sections,
            annotations: vec![],
            outputs: Outputs {
                ready: false,
                score: "72.5".into(),
                level: "beta".into(),
                report_json: None,
            },
            figures: None,
        }
    }

    #[test]
    fn small_reports_are_untouched() {
        let p = publication(vec![Section::verdict("V"), Section::new("a", 1, "A")]);
        let f = fit(&p, CHECK_SUMMARY_LIMIT, 0, "x");
        assert_eq!(f.text, "V\n\nA");
        assert!(!f.truncated());
    }

    #[test]
    fn least_important_sections_go_first_and_the_note_names_them() {
        let p = publication(vec![
            Section::verdict("VERDICT"),
            Section::new("gates", 1, "g".repeat(300)),
            Section::new("evidence", 3, "e".repeat(300)),
            Section::new("details", 2, "d".repeat(300)),
        ]);
        let limit = Limit {
            max: 700,
            unit: Unit::Bytes,
        };
        let f = fit(&p, limit, 0, "the job summary");
        assert!(f.text.len() <= 700, "{}", f.text.len());
        assert!(f.text.starts_with("VERDICT"));
        assert!(f.text.contains(&"g".repeat(300)));
        assert_eq!(f.dropped, vec!["evidence".to_owned(), "details".to_owned()]);
        assert!(f.text.contains("2 sections left out (evidence, details)"));
        assert!(f.text.contains("the job summary"));
    }

    #[test]
    fn a_verdict_that_is_too_big_is_cut_on_a_char_boundary() {
        let p = publication(vec![Section::verdict("é".repeat(1000))]);
        let limit = Limit {
            max: 501,
            unit: Unit::Bytes,
        };
        let f = fit(&p, limit, 0, "x");
        assert!(f.text.len() <= 501);
        assert!(f.verdict_cut);
        assert!(f.text.contains("Shortened"));
    }

    #[test]
    fn title_is_the_verdict_when_no_section_has_priority_zero() {
        let p = publication(vec![Section::new("big", 1, "b".repeat(2000))]);
        let f = fit(
            &p,
            Limit {
                max: 400,
                unit: Unit::Chars,
            },
            10,
            "x",
        );
        assert!(f.text.starts_with("**Not ready: 72.5% (target 95%)**"));
        assert!(f.text.chars().count() <= 390);
        assert_eq!(f.dropped, vec!["big".to_owned()]);
    }

    #[test]
    fn cut_to_counts_chars_or_bytes() {
        assert_eq!(cut_to("héllo", 2, Unit::Bytes), "h");
        assert_eq!(cut_to("héllo", 2, Unit::Chars), "hé");
        assert_eq!(ellipsize("abcdef", 4), "abc…");
    }
}
