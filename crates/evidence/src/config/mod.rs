//! Configuration files as evidence: YAML, JSON and TOML files read into JSON values, to be queried
//! with RFC 9535 JSONPath (`serde_json_path`).
//!
//! - **YAML** is read with `serde-saphyr` (pure Rust, maintained; see ARCHITECTURE.md for the
//!   choice): anchors, aliases and `<<` merge keys are resolved, every document of a multi-document
//!   file (`---`) is one document here, booleans are YAML 1.2's (`true`/`false`; `on`, `yes` and
//!   `no` stay strings, as GitHub Actions reads them). Its budgets bound hostile input: an alias
//!   bomb (billion laughs) stops at the node budget and deep nesting at the depth limit, each with
//!   line and column.
//! - **JSON** is read with `serde_json` (nesting limited to 128 levels).
//! - **TOML** is read with the `toml` crate; dates and times become strings.
//!
//! A file above [`MAX_CONFIG_BYTES`] is refused before it is parsed, so a huge scalar cannot take
//! the memory. A syntax error is a [`ReadError::Malformed`] with the file, line and column: the
//! facts that needed the file become unknown, never false.
//!
//! The format `config` picks the reader by extension (`.json`, `.toml`, anything else YAML, which
//! also reads JSON); `yaml`, `json` and `toml` force one.

use crate::{Format, Location, ReadError};
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use serde_json_path::JsonPath;

/// The largest configuration file read (16 MiB).
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// The documents of one or more configuration files.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ConfigFigures {
    pub documents: Vec<ConfigDocument>,
}

/// One document of a configuration file (a YAML file may hold several).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigDocument {
    /// The file, as given.
    pub file: PathBuf,
    /// 0-based index of the document in its file.
    pub index: usize,
    /// The document as a JSON value.
    #[serde(skip)]
    pub value: serde_json::Value,
}

/// One value a JSONPath query found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    pub file: &'a Path,
    pub index: usize,
    pub value: &'a serde_json::Value,
}

impl ConfigFigures {
    /// Every value `path` selects, document by document, in file order.
    pub fn query<'a>(&'a self, path: &JsonPath) -> Vec<Found<'a>> {
        self.documents
            .iter()
            .flat_map(|document| {
                path.query(&document.value)
                    .all()
                    .into_iter()
                    .map(move |value| Found {
                        file: &document.file,
                        index: document.index,
                        value,
                    })
            })
            .collect()
    }
}

/// Reads configuration files in `format` (`config` picks each file's format by its extension).
pub fn read(format: Format, paths: &[PathBuf]) -> Result<ConfigFigures, ReadError> {
    let mut figures = ConfigFigures::default();
    for path in paths {
        let text = read_text(path)?;
        let format = match format {
            Format::ConfigFile => by_extension(path),
            other => other,
        };
        let values = match format {
            Format::Json => vec![json(path, &text)?],
            Format::Toml => vec![toml_value(path, &text)?],
            _ => yaml(path, &text)?,
        };
        figures
            .documents
            .extend(
                values
                    .into_iter()
                    .enumerate()
                    .map(|(index, value)| ConfigDocument {
                        file: path.clone(),
                        index,
                        value,
                    }),
            );
    }
    Ok(figures)
}

/// The format a configuration file's extension names: `.json`, `.toml`, otherwise YAML.
pub fn by_extension(path: &Path) -> Format {
    match path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => Format::Json,
        Some("toml") => Format::Toml,
        _ => Format::Yaml,
    }
}

fn read_text(path: &Path) -> Result<String, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = crate::files::open_artifact(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ReadError::Malformed {
            path: path.to_path_buf(),
            location: None,
            expected: format!(
                "a configuration file of at most {} MB",
                MAX_CONFIG_BYTES >> 20
            ),
            found: "a larger file".to_string(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|error| ReadError::Malformed {
        path: path.to_path_buf(),
        location: Some(Location::ByteOffset(error.utf8_error().valid_up_to() as u64)),
        expected: "UTF-8 text".to_string(),
        found: "bytes that are not UTF-8".to_string(),
    })?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
            expected: "a YAML, JSON or TOML document".to_string(),
        });
    }
    Ok(text)
}

fn malformed(path: &Path, line: u64, column: u64, expected: &str, found: String) -> ReadError {
    ReadError::Malformed {
        path: path.to_path_buf(),
        location: (line > 0).then_some(Location::LineColumn { line, column }),
        expected: expected.to_string(),
        found,
    }
}

fn json(path: &Path, text: &str) -> Result<serde_json::Value, ReadError> {
    serde_json::from_str(text).map_err(|error| {
        let message = error.to_string();
        let message = match message.rfind(" at line ") {
            Some(at) => message.get(..at).unwrap_or(&message).to_string(),
            None => message,
        };
        malformed(
            path,
            error.line() as u64,
            error.column() as u64,
            "valid JSON",
            message,
        )
    })
}

fn yaml(path: &Path, text: &str) -> Result<Vec<serde_json::Value>, ReadError> {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    serde_saphyr::from_multiple_with_options::<serde_json::Value>(text, options).map_err(|error| {
        let (line, column) = error
            .location()
            .map(|location| (location.line(), location.column()))
            .unwrap_or((0, 0));
        let message = error.without_snippet().to_string();
        // The message starts with its own "error: line L column C: ".
        let message = match message.find(": ") {
            Some(at) if message.starts_with("error: line ") => message
                .get(at + 2..)
                .and_then(|rest| rest.find(": ").and_then(|i| rest.get(i + 2..)))
                .unwrap_or(&message)
                .to_string(),
            _ => message,
        };
        malformed(path, line, column, "valid YAML", first_line(&message))
    })
}

fn toml_value(path: &Path, text: &str) -> Result<serde_json::Value, ReadError> {
    let table: toml::Table = toml::from_str(text).map_err(|error| {
        let (line, column) = error
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((0, 0));
        malformed(
            path,
            line,
            column,
            "valid TOML",
            first_line(error.message()),
        )
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        toml::Value::String(text) => Json::String(text),
        toml::Value::Integer(number) => Json::from(number),
        toml::Value::Float(number) => serde_json::Number::from_f64(number)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        toml::Value::Boolean(flag) => Json::Bool(flag),
        toml::Value::Datetime(datetime) => Json::String(datetime.to_string()),
        toml::Value::Array(items) => Json::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Json::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, toml_to_json(value)))
                .collect(),
        ),
    }
}

fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    let mut shown: String = line.chars().take(200).collect();
    if shown.len() < line.len() {
        shown.push('…');
    }
    shown
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() as u64 + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|last| last.chars().count() as u64 + 1)
        .unwrap_or(1);
    (line, column)
}
