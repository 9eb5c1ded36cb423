//! Where readers put what they read. Every reader emits the same events (a source file begins,
//! a line with its hits, a keyed item such as a branch or a function with its hits, per-line
//! branch counts, per-file totals, the file ends) into a [`Sink`]. Two sinks exist:
//!
//! - [`CountSink`] (one artifact): keeps only running counts, so memory does not grow with the
//!   artifact's size, and grows with its number of source files by 8 bytes a file (a hash of the
//!   path): per-file figures are kept for the first [`PER_FILE_LIMIT`] files only, the report
//!   totals are summed as each file ends. It assumes each source file appears once; when a path
//!   hash appears twice (found after the read, by sorting the hashes) it stops with
//!   [`Stop::Repeated`] and the artifact is read again into a [`MergeSink`].
//! - [`MergeSink`] (several artifacts, or an artifact with repeated records): keeps line-level
//!   state per source file (hits per line, per branch, per function) and sums hits, the way the
//!   producing tools merge. Percentages are never averaged.
//!
//! Both give per-file figures for at most [`PER_FILE_LIMIT`] source files (the first ones, in
//! order of first appearance) and count the others as omitted; totals and the number of files
//! always cover every file.
//!
//! A figure whose total over the report is zero is `None`: zero branches means branch coverage
//! was off or there is nothing to measure, and either way there is no evidence to pass a gate.

use super::input::{Src, Stop};
use crate::{FileCoverage, Ratio, PER_FILE_LIMIT};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// A coverage figure. Its declaration order is the one numbering of the figures: every
/// per-figure array (`[_; 4]`: totals, report totals, keyed items) is indexed by
/// [`Figure::index`], and nothing else numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Figure {
    Lines = 0,
    Branches = 1,
    Functions = 2,
    Statements = 3,
}

impl Figure {
    const ALL: [Figure; 4] = [
        Figure::Lines,
        Figure::Branches,
        Figure::Functions,
        Figure::Statements,
    ];

    /// The figure's place in a per-figure array.
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Figure::Lines => "lines",
            Figure::Branches => "branches",
            Figure::Functions => "functions",
            Figure::Statements => "statements",
        }
    }
}

/// The events a coverage reader emits.
pub(crate) trait Sink {
    /// A source file's records begin.
    fn begin_file(&mut self, path: &str) -> Result<(), Stop>;
    /// An executable line and its hit count.
    fn line(&mut self, line: u32, hits: u64) -> Result<(), Stop>;
    /// A branch, function or statement identified by `key` within the file, counting `weight`
    /// units (Go blocks weigh their statement count; everything else weighs 1).
    fn item(&mut self, figure: Figure, key: &[u8], weight: u64, hits: u64) -> Result<(), Stop>;
    /// Branch counts of one line where the format gives only per-line counts (Cobertura,
    /// Clover, JaCoCo).
    fn line_branches(&mut self, line: u32, covered: u64, total: u64) -> Result<(), Stop>;
    /// Per-file totals where the format gives nothing finer.
    fn totals(&mut self, figure: Figure, ratio: Ratio) -> Result<(), Stop>;
    /// The source file's records end.
    fn end_file(&mut self) -> Result<(), Stop>;
}

/// Report-level result of a sink: totals and per-file figures.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub totals: [Option<Ratio>; 4],
    /// Figures of the first [`PER_FILE_LIMIT`] source files, sorted by path.
    pub per_file: Vec<FileCoverage>,
    /// Source files in the report, all of them.
    pub files: u64,
    /// Source files without an entry in `per_file`.
    pub per_file_omitted: u64,
}

impl Collected {
    pub fn get(&self, figure: Figure) -> Option<Ratio> {
        self.totals.get(figure.index()).copied().flatten()
    }
}

fn nonzero(ratio: Ratio) -> Option<Ratio> {
    (ratio.total > 0).then_some(ratio)
}

fn add(into: &mut Ratio, covered: u64, total: u64) -> Option<()> {
    into.covered = into.covered.checked_add(covered)?;
    into.total = into.total.checked_add(total)?;
    Some(())
}

fn file_coverage(path: String, acc: &[Ratio; 4], uncovered_lines: Vec<u32>) -> FileCoverage {
    let figure = |figure: Figure| acc.get(figure.index()).copied().and_then(nonzero);
    FileCoverage {
        path,
        lines: figure(Figure::Lines),
        branches: figure(Figure::Branches),
        functions: figure(Figure::Functions),
        statements: figure(Figure::Statements),
        uncovered_lines,
    }
}

fn overflow(src: Src<'_>, file: &str, figure: Figure) -> Stop {
    Stop::Read(src.malformed(
        None,
        format!("{} counts of `{file}` that fit in 64 bits", figure.name()),
        "counts whose sum overflows".to_string(),
    ))
}

/// A count of covered units over a total: more covered than measured is no tool's output, and an
/// error rather than a figure (it used to be clamped to the total).
pub(crate) fn check_ratio(
    src: Src<'_>,
    file: &str,
    figure: Figure,
    covered: u64,
    total: u64,
) -> Result<(), Stop> {
    if covered <= total {
        return Ok(());
    }
    Err(Stop::Read(src.malformed(
        None,
        format!(
            "at most as many covered {} as in total in `{file}`",
            figure.name()
        ),
        format!("`{covered}` covered of `{total}`"),
    )))
}

/// Adds one source file's figures (those with a non-zero total, as in its [`FileCoverage`]) to
/// the report's running totals.
fn fold(totals: &mut [Ratio; 4], acc: &[Ratio; 4], src: Src<'_>) -> Result<(), Stop> {
    for figure in Figure::ALL {
        let index = figure.index();
        if let (Some(ratio), Some(into)) = (acc.get(index), totals.get_mut(index)) {
            if ratio.total > 0 {
                add(into, ratio.covered, ratio.total)
                    .ok_or_else(|| overflow(src, "the report", figure))?;
            }
        }
    }
    Ok(())
}

/// A 64-bit hash of a source file's path, to find a file listed twice without keeping every
/// path: 8 bytes a file. Two paths with the same hash are taken for a repeat, so a collision
/// (about one chance in 2^64 / n^2 for n files, or a report crafted for it) costs only a second,
/// merging read of the artifact, which is exact: it can never give a wrong figure. A path listed
/// twice always has one hash, so no repeat goes unnoticed.
fn path_hash(path: &[u8]) -> u64 {
    const K0: u64 = 0x9E37_79B9_7F4A_7C15;
    const K1: u64 = 0xBF58_476D_1CE4_E5B9;
    let mut hash = (path.len() as u64) ^ K0;
    let mut chunks = path.chunks_exact(8);
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
        hash = folded_multiply(hash ^ word, K1);
    }
    let mut last = 0u64;
    for (shift, &byte) in (0..64).step_by(8).zip(chunks.remainder()) {
        last |= u64::from(byte) << shift;
    }
    folded_multiply(hash ^ last, K1) ^ folded_multiply(hash, K0)
}

/// The 128-bit product folded to 64 bits (high half xor low half): every input bit reaches
/// every output bit, which a plain 64-bit multiply does not do (its low bits see only the low
/// bits of its inputs; paths differing in two neighbouring words collided with it).
fn folded_multiply(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

/// One file being counted.
struct Current {
    path: String,
    acc: [Ratio; 4],
    /// The last line seen and whether it was covered, to fold a repeated line (several
    /// statements on one line, listed one after the other) into one.
    last_line: Option<(u32, bool)>,
    uncovered: Vec<u32>,
}

/// Counts as it goes: report totals, per-file figures of the first [`PER_FILE_LIMIT`] files,
/// and a hash of every path. Nothing else outlives a source file's records.
pub(crate) struct CountSink<'a> {
    src: Src<'a>,
    current: Option<Current>,
    per_file: Vec<FileCoverage>,
    totals: [Ratio; 4],
    files: u64,
    /// One [`path_hash`] per source file, in report order until `finish` sorts them.
    path_hashes: Vec<u64>,
    /// The path and uncovered-lines buffers of the last file past the cap, reused by the next.
    spare: Option<(String, Vec<u32>)>,
}

impl<'a> CountSink<'a> {
    pub fn new(src: Src<'a>) -> CountSink<'a> {
        CountSink {
            src,
            current: None,
            per_file: Vec::new(),
            totals: [Ratio::default(); 4],
            files: 0,
            path_hashes: Vec::new(),
            spare: None,
        }
    }

    pub fn finish(mut self) -> Result<Collected, Stop> {
        if self.current.is_some() {
            self.end_file()?;
        }
        // A source file listed twice cannot be counted file by file: found here, after sorting
        // the path hashes (cheaper than a set lookup per file as it comes). A false alarm from a
        // hash collision only makes the caller re-read the artifact in merge mode, which is exact.
        self.path_hashes.sort_unstable();
        if self
            .path_hashes
            .windows(2)
            .any(|pair| matches!(pair, [a, b] if a == b))
        {
            return Err(Stop::Repeated);
        }
        self.per_file.sort_by(|a, b| a.path.cmp(&b.path));
        let kept = self.per_file.len() as u64;
        Ok(Collected {
            totals: self.totals.map(nonzero),
            per_file: self.per_file,
            files: self.files,
            per_file_omitted: self.files.saturating_sub(kept),
        })
    }

    fn check(&self, figure: Figure, covered: u64, total: u64) -> Result<(), Stop> {
        let file = self
            .current
            .as_ref()
            .map_or("", |current| current.path.as_str());
        check_ratio(self.src, file, figure, covered, total)
    }

    fn current(&mut self) -> Result<&mut Current, Stop> {
        self.current.as_mut().ok_or_else(|| {
            Stop::Read(self.src.malformed(
                None,
                "coverage records inside a source file",
                "records before any source file",
            ))
        })
    }

    fn add(&mut self, figure: Figure, covered: u64, total: u64) -> Result<(), Stop> {
        let src = self.src;
        let current = self.current()?;
        let ok = current
            .acc
            .get_mut(figure.index())
            .and_then(|acc| add(acc, covered, total));
        match ok {
            Some(()) => Ok(()),
            None => Err(overflow(src, &current.path, figure)),
        }
    }
}

impl Sink for CountSink<'_> {
    fn begin_file(&mut self, path: &str) -> Result<(), Stop> {
        if self.current.is_some() {
            self.end_file()?;
        }
        self.path_hashes.push(path_hash(path.as_bytes()));
        let (mut buffer, mut uncovered) = self.spare.take().unwrap_or_default();
        buffer.clear();
        buffer.push_str(path);
        uncovered.clear();
        self.current = Some(Current {
            path: buffer,
            acc: [Ratio::default(); 4],
            last_line: None,
            uncovered,
        });
        Ok(())
    }

    #[inline]
    fn line(&mut self, line: u32, hits: u64) -> Result<(), Stop> {
        let current = self.current()?;
        let covered = hits > 0;
        let Some(acc) = current.acc.get_mut(Figure::Lines.index()) else {
            return Ok(());
        };
        if let Some((last, last_covered)) = current.last_line {
            if last == line {
                if covered && !last_covered {
                    acc.covered += 1;
                    if current.uncovered.last() == Some(&line) {
                        current.uncovered.pop();
                    }
                    current.last_line = Some((line, true));
                }
                return Ok(());
            }
        }
        // Cannot overflow: at most one per input line.
        acc.total += 1;
        if covered {
            acc.covered += 1;
        } else {
            current.uncovered.push(line);
        }
        current.last_line = Some((line, covered));
        Ok(())
    }

    #[inline]
    fn item(&mut self, figure: Figure, _key: &[u8], weight: u64, hits: u64) -> Result<(), Stop> {
        let covered = if hits > 0 { weight } else { 0 };
        self.add(figure, covered, weight)
    }

    fn line_branches(&mut self, _line: u32, covered: u64, total: u64) -> Result<(), Stop> {
        self.check(Figure::Branches, covered, total)?;
        self.add(Figure::Branches, covered, total)
    }

    fn totals(&mut self, figure: Figure, ratio: Ratio) -> Result<(), Stop> {
        self.check(figure, ratio.covered, ratio.total)?;
        self.add(figure, ratio.covered, ratio.total)
    }

    fn end_file(&mut self) -> Result<(), Stop> {
        if let Some(current) = self.current.take() {
            fold(&mut self.totals, &current.acc, self.src)?;
            // Cannot overflow: at most one per input line.
            self.files += 1;
            if self.per_file.len() < PER_FILE_LIMIT {
                self.per_file
                    .push(file_coverage(current.path, &current.acc, current.uncovered));
            } else {
                self.spare = Some((current.path, current.uncovered));
            }
        }
        Ok(())
    }
}

/// Hits of keyed items (branches, functions or statements): key -> (weight, hits).
type Items = BTreeMap<Box<[u8]>, (u64, u64)>;

/// Line-level state of one source file across artifacts.
#[derive(Default)]
struct MergedFile {
    lines: LineHits,
    /// Branches, functions, statements: key -> (weight, hits), by [`Figure::index`] (the lines
    /// entry stays empty: lines are in `lines`).
    items: [Items; 4],
    /// Per-line branch counts: line -> (covered, total), merged as the maximum of each.
    line_branches: BTreeMap<u32, (u64, u64)>,
    /// Totals-only figures and the artifact they came from.
    totals: [Option<(Ratio, PathBuf)>; 4],
}

/// The summed hits of one file's lines. Dense while the recorded line numbers fill at least
/// half of the range up to the highest (what every report writes: one record per executable
/// line): one 8-byte slot per line number, `0` for no record, else the hits plus one (saturating,
/// so the sum of hits saturates one below `u64::MAX`; only `hits > 0` is used). A file with far
/// apart line numbers falls back to a map, so memory follows the records, not the numbers.
#[derive(Debug)]
enum LineHits {
    Dense { slots: Vec<u64>, recorded: usize },
    Sparse(BTreeMap<u32, u64>),
}

impl Default for LineHits {
    fn default() -> Self {
        LineHits::Dense {
            slots: Vec::new(),
            recorded: 0,
        }
    }
}

impl LineHits {
    fn add(&mut self, line: u32, hits: u64) {
        match self {
            LineHits::Dense { slots, recorded } => {
                let at = line as usize;
                if at >= slots.len() {
                    if at + 1 > 2 * *recorded + 64 {
                        let mut map: BTreeMap<u32, u64> = BTreeMap::new();
                        for (line, stored) in (0u32..).zip(slots.iter()) {
                            if *stored > 0 {
                                map.insert(line, *stored - 1);
                            }
                        }
                        let entry = map.entry(line).or_insert(0);
                        *entry = entry.saturating_add(hits);
                        *self = LineHits::Sparse(map);
                        return;
                    }
                    slots.resize(at + 1, 0);
                }
                if let Some(slot) = slots.get_mut(at) {
                    if *slot == 0 {
                        *recorded += 1;
                        *slot = hits.saturating_add(1);
                    } else {
                        *slot = slot.saturating_add(hits);
                    }
                }
            }
            LineHits::Sparse(map) => {
                let entry = map.entry(line).or_insert(0);
                *entry = entry.saturating_add(hits);
            }
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            LineHits::Dense { recorded, .. } => *recorded == 0,
            LineHits::Sparse(map) => map.is_empty(),
        }
    }

    /// Gives back the slack of the dense vector's growth (once a file's records end).
    fn shrink(&mut self) {
        if let LineHits::Dense { slots, .. } = self {
            if slots.capacity() > slots.len() + slots.len() / 8 {
                slots.shrink_to_fit();
            }
        }
    }

    /// Each recorded line with its hits, by ascending line number.
    fn each(&self, mut each: impl FnMut(u32, u64)) {
        match self {
            LineHits::Dense { slots, .. } => {
                for (line, stored) in (0u32..).zip(slots.iter()) {
                    if *stored > 0 {
                        each(line, *stored - 1);
                    }
                }
            }
            LineHits::Sparse(map) => {
                for (&line, &hits) in map {
                    each(line, hits);
                }
            }
        }
    }
}

impl MergedFile {
    fn has_items(&self, figure: Figure) -> bool {
        self.items
            .get(figure.index())
            .is_some_and(|items| !items.is_empty())
    }

    fn has_detail(&self, figure: Figure) -> bool {
        match figure {
            Figure::Lines => !self.lines.is_empty(),
            Figure::Branches => !self.line_branches.is_empty() || self.has_items(figure),
            Figure::Functions | Figure::Statements => self.has_items(figure),
        }
    }
}

/// Keeps line-level state per source file and sums hits. Each source file gets a stable index
/// (its order of first appearance) into `files` the first time it is seen; a file met again in
/// a later artifact is found by its path and updated in place.
#[derive(Default)]
pub(crate) struct MergeSink {
    files: Vec<MergedFile>,
    index: HashMap<String, usize>,
    /// The file being read: its index and path.
    current: Option<usize>,
    current_path: String,
    artifact: PathBuf,
}

impl MergeSink {
    /// Starts reading the next artifact.
    pub fn artifact(&mut self, path: &std::path::Path) {
        self.artifact = path.to_path_buf();
    }

    fn current(&mut self) -> Result<&mut MergedFile, Stop> {
        match self.current.and_then(|at| self.files.get_mut(at)) {
            Some(file) => Ok(file),
            None => Err(Stop::Read(Src::new(&self.artifact).malformed(
                None,
                "coverage records inside a source file",
                "records before any source file",
            ))),
        }
    }

    fn check(&self, figure: Figure, covered: u64, total: u64) -> Result<(), Stop> {
        check_ratio(
            Src::new(&self.artifact),
            &self.current_path,
            figure,
            covered,
            total,
        )
    }

    fn conflict(&self, figure: Figure) -> Stop {
        let file = &self.current_path;
        Stop::Read(Src::new(&self.artifact).merge(format!(
            "`{file}` appears in more than one artifact, but this format gives only per-file \
             {} totals for it, which cannot be merged line by line; merge the raw coverage data \
             with the producing tool instead",
            figure.name()
        )))
    }

    fn check_detail(&mut self, figure: Figure) -> Result<&mut MergedFile, Stop> {
        let has_totals = self
            .current()?
            .totals
            .get(figure.index())
            .is_some_and(Option::is_some);
        if has_totals {
            return Err(self.conflict(figure));
        }
        self.current()
    }

    pub fn finish(mut self) -> Result<Collected, Stop> {
        if self.current.is_some() {
            self.end_file()?;
        }
        let src = Src::new(&self.artifact);
        let files = self.files.len() as u64;
        let mut per_file = Vec::with_capacity(self.files.len().min(PER_FILE_LIMIT));
        let mut totals = [Ratio::default(); 4];
        // In path order, as the figures list files; `order` is the order of first appearance.
        let mut paths: Vec<(String, usize)> = self.index.into_iter().collect();
        paths.sort_unstable();
        let mut merged: Vec<Option<MergedFile>> = self.files.into_iter().map(Some).collect();
        for (path, order) in paths {
            let Some(file) = merged.get_mut(order).and_then(Option::take) else {
                continue;
            };
            let mut acc = [Ratio::default(); 4];
            let mut uncovered = Vec::new();
            let mut bad = None;
            {
                let mut put = |figure: Figure, covered: u64, total: u64| {
                    if acc
                        .get_mut(figure.index())
                        .and_then(|a| add(a, covered, total))
                        .is_none()
                    {
                        bad = Some(figure);
                    }
                };
                file.lines.each(|line, hits| {
                    put(Figure::Lines, u64::from(hits > 0), 1);
                    if hits == 0 {
                        uncovered.push(line);
                    }
                });
                for (figure, items) in Figure::ALL.into_iter().zip(file.items.iter()) {
                    for &(weight, hits) in items.values() {
                        put(figure, if hits > 0 { weight } else { 0 }, weight);
                    }
                }
                for &(covered, total) in file.line_branches.values() {
                    put(Figure::Branches, covered.min(total), total);
                }
                for figure in Figure::ALL {
                    if let Some(Some((ratio, _))) = file.totals.get(figure.index()) {
                        put(figure, ratio.covered.min(ratio.total), ratio.total);
                    }
                }
            }
            if let Some(figure) = bad {
                return Err(overflow(src, &path, figure));
            }
            fold(&mut totals, &acc, src)?;
            if order < PER_FILE_LIMIT {
                per_file.push(file_coverage(path, &acc, uncovered));
            }
        }
        let kept = per_file.len() as u64;
        Ok(Collected {
            totals: totals.map(nonzero),
            per_file,
            files,
            per_file_omitted: files.saturating_sub(kept),
        })
    }
}

impl Sink for MergeSink {
    fn begin_file(&mut self, path: &str) -> Result<(), Stop> {
        if self.current.is_some() {
            self.end_file()?;
        }
        let at = match self.index.get(path) {
            Some(&at) => at,
            None => {
                let at = self.files.len();
                self.files.push(MergedFile::default());
                self.index.insert(path.to_string(), at);
                at
            }
        };
        self.current = Some(at);
        self.current_path.clear();
        self.current_path.push_str(path);
        Ok(())
    }

    fn line(&mut self, line: u32, hits: u64) -> Result<(), Stop> {
        let file = self.check_detail(Figure::Lines)?;
        file.lines.add(line, hits);
        Ok(())
    }

    fn item(&mut self, figure: Figure, key: &[u8], weight: u64, hits: u64) -> Result<(), Stop> {
        let file = self.check_detail(figure)?;
        let slot = match figure {
            Figure::Lines => None,
            keyed => file.items.get_mut(keyed.index()),
        };
        if let Some(map) = slot {
            if let Some(entry) = map.get_mut(key) {
                entry.0 = entry.0.max(weight);
                entry.1 = entry.1.saturating_add(hits);
            } else {
                map.insert(key.into(), (weight, hits));
            }
        }
        Ok(())
    }

    fn line_branches(&mut self, line: u32, covered: u64, total: u64) -> Result<(), Stop> {
        self.check(Figure::Branches, covered, total)?;
        let file = self.check_detail(Figure::Branches)?;
        let entry = file.line_branches.entry(line).or_insert((0, 0));
        entry.0 = entry.0.max(covered);
        entry.1 = entry.1.max(total);
        Ok(())
    }

    fn totals(&mut self, figure: Figure, ratio: Ratio) -> Result<(), Stop> {
        self.check(figure, ratio.covered, ratio.total)?;
        if ratio.total == 0 {
            // Nothing measured (`BRF:0`): nothing to merge or to conflict with.
            return Ok(());
        }
        let artifact = self.artifact.clone();
        let file = self.current()?;
        let taken =
            file.has_detail(figure) || file.totals.get(figure.index()).is_some_and(Option::is_some);
        if taken {
            return Err(self.conflict(figure));
        }
        if let Some(slot) = file.totals.get_mut(figure.index()) {
            *slot = Some((ratio, artifact));
        }
        Ok(())
    }

    fn end_file(&mut self) -> Result<(), Stop> {
        if let Some(file) = self.current.take().and_then(|at| self.files.get_mut(at)) {
            file.lines.shrink();
        }
        self.current_path.clear();
        Ok(())
    }
}

#[cfg(test)]
mod unit {
    use super::{path_hash, LineHits};

    fn lines(hits: &LineHits) -> Vec<(u32, u64)> {
        let mut out = Vec::new();
        hits.each(|line, hits| out.push((line, hits)));
        out
    }

    /// Dense and sparse storage give the same lines, sums and order; far-apart line numbers
    /// switch to the map instead of allocating a slot per number.
    #[test]
    fn line_hits_dense_and_sparse_agree() {
        let mut dense = LineHits::default();
        for (line, hits) in [(3, 1), (1, 0), (3, 2), (2, u64::MAX), (2, 5)] {
            dense.add(line, hits);
        }
        assert!(matches!(dense, LineHits::Dense { recorded: 3, .. }));
        assert_eq!(lines(&dense), vec![(1, 0), (2, u64::MAX - 1), (3, 3)]);
        dense.add(4_000_000_000, 7);
        assert!(matches!(dense, LineHits::Sparse(_)), "{dense:?}");
        assert_eq!(
            lines(&dense),
            vec![(1, 0), (2, u64::MAX - 1), (3, 3), (4_000_000_000, 7)]
        );
        assert!(LineHits::default().is_empty());
    }

    /// No collision among three million paths shaped like real (and benchmark-generated) ones,
    /// which differ in a few bytes in the middle, across word boundaries; and lengths and short
    /// tails are told apart.
    #[test]
    fn path_hashes_of_similar_paths_differ() {
        let mut hashes: Vec<u64> = (0..1_000_000u32)
            .map(|i| path_hash(format!("copy{i:07}/src/components/Button.tsx").as_bytes()))
            .collect();
        hashes.extend((0..1_000_000u32).map(|i| {
            path_hash(format!("pkg{}/mod{}/file{i}.py", i % 97, i / 97 % 211).as_bytes())
        }));
        hashes.extend((0..1_000_000u32).map(|i| path_hash(format!("{i:08}").as_bytes())));
        hashes.extend((0..1000u32).map(|i| path_hash(format!("{i}").as_bytes())));
        hashes.extend([path_hash(b""), path_hash(b"\0"), path_hash(b"\0\0")]);
        let count = hashes.len();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), count);
    }
}
