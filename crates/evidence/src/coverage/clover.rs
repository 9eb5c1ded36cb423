//! Clover XML (`clover.xml`).
//!
//! # Producers checked
//!
//! - jest 30.5.2 / istanbul `clover` reporter (`js/jest-clover-mailflow`), recognised by the root
//!   `clover="3.2.0"` with a project named `All files`;
//! - the Clover 3/4 layout written by OpenClover and PHPUnit (`<project>`, optional `<package>`,
//!   `<file>` with `<metrics>` and `<line num count type="stmt|cond|method">`).
//!
//! # Figures
//!
//! A source file is a `<file>` (its `path`, else its `name`). For one report, the totals are the
//! project's own `<metrics>` (istanbul counts a branch on a line without statements there but
//! lists no `<line>` for it); merged reports sum the files.
//!
//! - **lines**: one per distinct `num` among `<line type="stmt|cond">` (several statements listed
//!   on one line are one line); covered when its `count` > 0.
//! - **branches**: from `type="cond"` lines. istanbul writes the line's covered branches as
//!   `truecount` and its uncovered ones as `falsecount`; OpenClover writes how often the condition
//!   was true and false, i.e. two branches, each covered when its count > 0. Per-line counts only,
//!   so merging reports takes the larger count per line (a lower bound).
//! - **functions**: OpenClover/PHPUnit: one per `type="method"` line, covered when `count` > 0;
//!   istanbul writes none, so its per-file `<metrics methods coveredmethods>` are used (totals
//!   only: the same file in two merged reports is refused).
//! - **statements**: from the file's `<metrics statements coveredstatements>`, except for
//!   istanbul, whose reporter writes its LINE counts under that name: `None` there.
//!
//! # Per-file figures
//!
//! Kept for the first [`PER_FILE_LIMIT`](crate::PER_FILE_LIMIT) source files of the report (10,000)
//! in report order; `per_file_omitted` counts the others. Totals and `files` count every file.

use super::input::{Src, Stop};
use super::sink::{Figure, Sink};
use super::xml::{attributes, drive, local_name, number, text, Tag};
use super::Meta;
use crate::Ratio;

const WHAT: &str = "a Clover XML coverage report";

/// Reads one Clover report into `sink`.
pub(crate) fn read<S: Sink>(src: Src<'_>, sink: &mut S) -> Result<Meta, Stop> {
    let mut clover_version = Vec::new();
    let mut istanbul = false;
    let mut in_file = false;
    let mut file_metrics_seen = false;
    let mut project_metrics_seen = false;
    let mut report = [None; 4];
    let mut key = Vec::new();
    drive(src, b"coverage", WHAT, |tag, position| {
        match tag {
            Tag::Start(start) => match local_name(start.name()) {
                b"coverage" => {
                    attributes(src, position, start, |name, value| {
                        if name == b"clover" {
                            clover_version = value.into_owned();
                        }
                        Ok(())
                    })?;
                }
                b"project" => {
                    attributes(src, position, start, |name, value| {
                        if name == b"name" {
                            istanbul = clover_version == b"3.2.0" && value.as_ref() == b"All files";
                        }
                        Ok(())
                    })?;
                }
                b"file" => {
                    let mut path = None;
                    let mut name = None;
                    attributes(src, position, start, |attr, value| {
                        match attr {
                            b"path" => path = Some(text(src, position, &value)?),
                            b"name" => name = Some(text(src, position, &value)?),
                            _ => {}
                        }
                        Ok(())
                    })?;
                    let Some(path) = path.or(name) else {
                        return Err(Stop::Read(src.at_byte(
                            position,
                            "a `<file>` with a `path` or `name`",
                            "a `<file>` without either",
                        )));
                    };
                    sink.begin_file(&path)?;
                    project_metrics_seen = true;
                    in_file = true;
                    file_metrics_seen = false;
                }
                b"package" => project_metrics_seen = true,
                b"metrics" if !in_file && !project_metrics_seen => {
                    project_metrics_seen = true;
                    let mut counts = [None; 6];
                    attributes(src, position, start, |attr, value| {
                        let slot = match attr {
                            b"statements" => 0,
                            b"coveredstatements" => 1,
                            b"conditionals" => 2,
                            b"coveredconditionals" => 3,
                            b"methods" => 4,
                            b"coveredmethods" => 5,
                            _ => return Ok(()),
                        };
                        if let Some(slot) = counts.get_mut(slot) {
                            *slot = Some(number(src, position, "metrics", &value)?);
                        }
                        Ok(())
                    })?;
                    let ratio = |covered: Option<u64>, total: Option<u64>| {
                        total.map(|total| Ratio {
                            covered: covered.unwrap_or(0).min(total),
                            total,
                        })
                    };
                    let [st, sc, ct, cc, mt, mc] = counts;
                    // istanbul's "statements" are its lines.
                    report = if istanbul {
                        [ratio(sc, st), ratio(cc, ct), ratio(mc, mt), None]
                    } else {
                        [None, ratio(cc, ct), ratio(mc, mt), ratio(sc, st)]
                    };
                }
                b"metrics" if in_file && !file_metrics_seen => {
                    file_metrics_seen = true;
                    let mut counts = [None; 4];
                    attributes(src, position, start, |attr, value| {
                        let slot = match attr {
                            b"statements" => 0,
                            b"coveredstatements" => 1,
                            b"methods" => 2,
                            b"coveredmethods" => 3,
                            _ => return Ok(()),
                        };
                        if let Some(slot) = counts.get_mut(slot) {
                            *slot = Some(number(src, position, "metrics", &value)?);
                        }
                        Ok(())
                    })?;
                    let [statements, covered_statements, methods, covered_methods] = counts;
                    if !istanbul {
                        if let Some(total) = statements {
                            let covered = covered_statements.unwrap_or(0);
                            sink.totals(Figure::Statements, Ratio { covered, total })?;
                        }
                    } else if let Some(total) = methods {
                        let covered = covered_methods.unwrap_or(0);
                        sink.totals(Figure::Functions, Ratio { covered, total })?;
                    }
                }
                b"line" if in_file => {
                    let mut num = None;
                    let mut count = 0;
                    let mut kind = Vec::new();
                    let mut truecount = 0;
                    let mut falsecount = 0;
                    let mut signature = Vec::new();
                    attributes(src, position, start, |attr, value| {
                        match attr {
                            b"num" => num = Some(number(src, position, "num", &value)?),
                            b"count" => count = number(src, position, "count", &value)?,
                            b"type" => kind = value.into_owned(),
                            b"truecount" => truecount = number(src, position, "truecount", &value)?,
                            b"falsecount" => {
                                falsecount = number(src, position, "falsecount", &value)?;
                            }
                            b"signature" | b"name" => signature = value.into_owned(),
                            _ => {}
                        }
                        Ok(())
                    })?;
                    let line = num.and_then(|n| u32::try_from(n).ok()).ok_or_else(|| {
                        Stop::Read(src.at_byte(
                            position,
                            "a `<line>` with a line number in `num`",
                            "none, or one too large",
                        ))
                    })?;
                    match kind.as_slice() {
                        b"method" => {
                            if !istanbul {
                                key.clear();
                                key.extend_from_slice(line.to_string().as_bytes());
                                key.push(b':');
                                key.extend_from_slice(&signature);
                                sink.item(Figure::Functions, &key, 1, count)?;
                            }
                        }
                        b"cond" => {
                            sink.line(line, count)?;
                            let (covered, total) = if istanbul {
                                (truecount, truecount.saturating_add(falsecount))
                            } else {
                                (u64::from(truecount > 0) + u64::from(falsecount > 0), 2)
                            };
                            sink.line_branches(line, covered, total)?;
                        }
                        _ => sink.line(line, count)?,
                    }
                }
                _ => {}
            },
            Tag::End(b"file") => {
                in_file = false;
                sink.end_file()?;
            }
            Tag::End(_) | Tag::Comment(_) => {}
        }
        Ok(())
    })?;
    Ok(Meta {
        report_totals: report,
        ..Meta::default()
    })
}
