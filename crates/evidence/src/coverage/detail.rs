//! Line-level coverage of chosen source files, next to the usual figures: what patch coverage
//! needs for the files a change touched.
//!
//! [`Detail`] wraps the sink a read would use anyway (counting or merging) and forwards every
//! event to it; for source files the caller wants (decided once per file, when its records
//! begin), it also keeps hits per line and branch counts per line. Files nobody asked for cost
//! nothing more, so memory stays bounded by the wanted files.
//!
//! Per-line branches come from the formats that give them per line (Cobertura, Clover, JaCoCo)
//! and from LCOV's `BRDA:<line>,<block>,<branch>,<taken>` (the key starts with the line). Hits of
//! a line repeated in one artifact or across artifacts are summed, as the producing tools merge.
//!
//! Go profiles have blocks, not lines (`startLine.startCol,endLine.endCol numStmt count`): every
//! line a block spans is executable, and a line counts as covered only when every block on it
//! ran (a line with a block that never ran is not fully covered, so it does not pass).

use super::input::Stop;
use super::sink::{Figure, Sink};
use crate::{FileLines, Ratio};
use std::collections::BTreeMap;

/// Which source files to keep line data for, by their path as the report writes it.
pub type Wanted<'w> = &'w dyn Fn(&str) -> bool;

/// Keeps line-level data of wanted files while forwarding events to `inner`.
pub(crate) struct Detail<'w, S> {
    pub inner: S,
    wanted: Wanted<'w>,
    /// LCOV: branch keys start with their line number.
    lcov_branch_keys: bool,
    /// Go: statement keys are block positions, which give the lines.
    go_blocks: bool,
    current: Option<(String, FileState)>,
    kept: BTreeMap<String, FileState>,
}

#[derive(Default)]
struct FileState {
    lines: BTreeMap<u32, u64>,
    /// Per-line branch counts (covered, total), merged as the maximum of each.
    line_branches: BTreeMap<u32, (u64, u64)>,
    /// LCOV branches: key -> (line, hits), hits summed.
    branch_items: BTreeMap<Box<[u8]>, (u32, u64)>,
    /// Go blocks: position -> (first line, last line, hits), hits summed.
    blocks: BTreeMap<Box<[u8]>, (u32, u32, u64)>,
}

/// The most lines one Go block may span (a larger span is not a real block).
const MAX_BLOCK_LINES: u32 = 100_000;

/// `startLine.startCol,endLine.endCol` -> (startLine, endLine).
fn go_lines(key: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(key).ok()?;
    let (start, end) = text.split_once(',')?;
    let line = |part: &str| -> Option<u32> { part.split('.').next()?.parse().ok() };
    let (first, last) = (line(start)?, line(end)?);
    (first <= last && last - first <= MAX_BLOCK_LINES).then_some((first, last))
}

impl<'w, S: Sink> Detail<'w, S> {
    pub fn new(inner: S, wanted: Wanted<'w>, format: crate::Format) -> Detail<'w, S> {
        Detail {
            inner,
            wanted,
            lcov_branch_keys: format == crate::Format::Lcov,
            go_blocks: format == crate::Format::GoCover,
            current: None,
            kept: BTreeMap::new(),
        }
    }

    fn close(&mut self) {
        if let Some((path, state)) = self.current.take() {
            self.kept.insert(path, state);
        }
    }

    /// The inner sink and the line data of the wanted files, by report path.
    pub fn finish(mut self) -> (S, BTreeMap<String, FileLines>) {
        self.close();
        let lines = self
            .kept
            .into_iter()
            .map(|(path, mut state)| {
                // Go: a line is covered when every block on it ran.
                let mut block_lines: BTreeMap<u32, bool> = BTreeMap::new();
                for (first, last, hits) in state.blocks.values() {
                    for line in *first..=*last {
                        let all_ran = block_lines.entry(line).or_insert(true);
                        *all_ran = *all_ran && *hits > 0;
                    }
                }
                for (line, ran) in block_lines {
                    let entry = state.lines.entry(line).or_insert(0);
                    *entry = entry.saturating_add(u64::from(ran));
                }
                let mut branches = state.line_branches;
                for (line, hits) in state.branch_items.into_values() {
                    let entry = branches.entry(line).or_insert((0, 0));
                    entry.0 = entry.0.saturating_add(u64::from(hits > 0));
                    entry.1 = entry.1.saturating_add(1);
                }
                let branches = branches
                    .into_iter()
                    .map(|(line, (covered, total))| {
                        (
                            line,
                            Ratio {
                                covered: covered.min(total),
                                total,
                            },
                        )
                    })
                    .collect();
                (
                    path.clone(),
                    FileLines {
                        path,
                        lines: state.lines,
                        branches,
                    },
                )
            })
            .collect();
        (self.inner, lines)
    }
}

/// The line number an LCOV branch key (`<line>,<block>,<branch>`) starts with.
fn lcov_line(key: &[u8]) -> Option<u32> {
    let end = key.iter().position(|b| *b == b',').unwrap_or(key.len());
    std::str::from_utf8(key.get(..end)?).ok()?.parse().ok()
}

impl<S: Sink> Sink for Detail<'_, S> {
    fn begin_file(&mut self, path: &str) -> Result<(), Stop> {
        self.close();
        if (self.wanted)(path) {
            let state = self.kept.remove(path).unwrap_or_default();
            self.current = Some((path.to_string(), state));
        }
        self.inner.begin_file(path)
    }

    fn line(&mut self, line: u32, hits: u64) -> Result<(), Stop> {
        if let Some((_, state)) = self.current.as_mut() {
            let entry = state.lines.entry(line).or_insert(0);
            *entry = entry.saturating_add(hits);
        }
        self.inner.line(line, hits)
    }

    fn item(&mut self, figure: Figure, key: &[u8], weight: u64, hits: u64) -> Result<(), Stop> {
        if let Some((_, state)) = self.current.as_mut() {
            match figure {
                Figure::Branches if self.lcov_branch_keys => {
                    if let Some(line) = lcov_line(key) {
                        let entry = state.branch_items.entry(key.into()).or_insert((line, 0));
                        entry.1 = entry.1.saturating_add(hits);
                    }
                }
                Figure::Statements if self.go_blocks => {
                    if let Some((first, last)) = go_lines(key) {
                        let entry = state.blocks.entry(key.into()).or_insert((first, last, 0));
                        entry.2 = entry.2.saturating_add(hits);
                    }
                }
                _ => {}
            }
        }
        self.inner.item(figure, key, weight, hits)
    }

    fn line_branches(&mut self, line: u32, covered: u64, total: u64) -> Result<(), Stop> {
        if let Some((_, state)) = self.current.as_mut() {
            let entry = state.line_branches.entry(line).or_insert((0, 0));
            entry.0 = entry.0.max(covered);
            entry.1 = entry.1.max(total);
        }
        self.inner.line_branches(line, covered, total)
    }

    fn totals(&mut self, figure: Figure, ratio: Ratio) -> Result<(), Stop> {
        self.inner.totals(figure, ratio)
    }

    fn end_file(&mut self) -> Result<(), Stop> {
        self.close();
        self.inner.end_file()
    }
}
