//! Streaming readers for the artifacts CI jobs produce: coverage reports, JUnit XML, build logs,
//! load-test reports and dependency reports.
//!
//! This crate turns bytes into figures. It knows nothing of policies, reports or GitHub. Each
//! reader lives in its own file (one per artifact format) with a doc header naming the tool, the
//! versions it was checked against, and how each figure is defined. The figures' shapes follow
//! `expected.json` of the corpus (`corpus/`), so `gate inspect --format json` prints that same shape.
//!
//! Entry points: [`read_file`] (one artifact, format sniffed or forced) and [`read_files`]
//! (several artifacts for one evidence item, merged the way the producing tool would merge them).

pub mod build;
pub mod config;
pub mod coverage;
pub mod deps;
mod error;
mod figures;
pub mod files;
mod format;
pub mod load;
mod provenance;
pub mod tests;
mod xml_scan;

pub use error::{Location, ReadError};
pub use figures::*;
pub use format::{Format, Kind};
pub use provenance::Provenance;

use std::path::{Path, PathBuf};

/// What was read from one or more artifacts of one kind: the figures and where they came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evidence {
    /// The kind of evidence (coverage, tests, ...).
    pub kind: Kind,
    /// The detected (or forced) format; for merged evidence, the format of the first file.
    pub format: Format,
    /// The figures.
    pub figures: Figures,
    /// One entry per file read.
    pub provenance: Vec<Provenance>,
}

/// Reads one artifact. The format is sniffed from the content (and the file name) unless `forced`.
pub fn read_file(path: &Path, forced: Option<Format>) -> Result<Evidence, ReadError> {
    read_files(&[path.to_path_buf()], forced)
}

/// Reads coverage artifacts like [`read_files`], and also keeps line-level data of the source
/// files `wanted` accepts (by their path as the report writes it), for patch coverage. Other kinds
/// of evidence are read as usual, with no line data.
pub fn read_files_with_lines(
    paths: &[PathBuf],
    forced: Option<Format>,
    wanted: coverage::Wanted<'_>,
) -> Result<(Evidence, std::collections::BTreeMap<String, FileLines>), ReadError> {
    let format = format_of(paths, forced)?;
    if format.kind() != Kind::Coverage {
        return read_files(paths, Some(format)).map(|evidence| (evidence, Default::default()));
    }
    let (provenance, (figures, lines)) = with_provenance(paths, format, || {
        coverage::read_with_lines(format, paths, wanted)
    })?;
    Ok((
        Evidence {
            kind: Kind::Coverage,
            format,
            figures: Figures::Coverage(figures),
            provenance,
        },
        lines,
    ))
}

/// Reads several artifacts that together form one evidence item (sharded CI jobs) and merges them:
/// coverage line by line per file (hits summed), tests concatenated. All files must be of one kind.
pub fn read_files(paths: &[PathBuf], forced: Option<Format>) -> Result<Evidence, ReadError> {
    let format = format_of(paths, forced)?;
    let (provenance, figures) = with_provenance(paths, format, || read_figures(format, paths))?;
    Ok(Evidence {
        kind: format.kind(),
        format,
        figures,
        provenance,
    })
}

/// The forced format, or the one sniffed from the first file.
fn format_of(paths: &[PathBuf], forced: Option<Format>) -> Result<Format, ReadError> {
    let Some(first) = paths.first() else {
        return Err(ReadError::NoFiles);
    };
    match forced {
        Some(format) => Ok(format),
        None => format::detect(first),
    }
}

/// Runs `read` while the provenance pass (sha256 of every file) runs on a second thread: on a
/// machine with two cores a read then costs the slower of the two passes, not their sum. The
/// provenance pass's errors are reported first, as when it ran before the reader.
fn with_provenance<T>(
    paths: &[PathBuf],
    format: Format,
    read: impl FnOnce() -> Result<T, ReadError>,
) -> Result<(Vec<Provenance>, T), ReadError> {
    let (provenance, read) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| {
            paths
                .iter()
                .map(|path| Provenance::of(path, format))
                .collect::<Result<Vec<_>, _>>()
        });
        let read = read();
        let provenance = match hashing.join() {
            Ok(provenance) => provenance,
            Err(payload) => std::panic::resume_unwind(payload),
        };
        (provenance, read)
    });
    Ok((provenance?, read?))
}

fn read_figures(format: Format, paths: &[PathBuf]) -> Result<Figures, ReadError> {
    Ok(match format.kind() {
        Kind::Coverage => Figures::Coverage(coverage::read(format, paths)?),
        Kind::Tests => Figures::Tests(tests::read(format, paths)?),
        Kind::Build => Figures::Build(build::read(format, paths)?),
        Kind::Load => Figures::Load(load::read(format, paths)?),
        Kind::Deps => Figures::Deps(deps::read(format, paths)?),
        Kind::Config => Figures::Config(config::read(format, paths)?),
    })
}
