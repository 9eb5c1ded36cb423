//! Streaming JSON reading for the JSON readers (Artillery, k6, autocannon, npm ls --json).
//!
//! Each reader deserialises straight from a buffered file into a struct holding only the figures
//! it needs; everything else is skipped by serde without being kept. serde_json's own limit of 128
//! nested levels turns a pathologically deep document into an error instead of a stack overflow.

use super::lines::{empty, malformed};
use crate::ReadError;
use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::Path;

/// Reads a whole JSON document of type `T`; `expected` describes it for error messages.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path, expected: &str) -> Result<T, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    crate::files::open_artifact(path)?;
    if is_blank_file(path).map_err(io)? {
        return Err(empty(path, expected));
    }
    let file = crate::files::open_artifact(path)?;
    let reader = std::io::BufReader::with_capacity(64 * 1024, file);
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let value =
        T::deserialize(&mut deserializer).map_err(|error| json_error(path, expected, &error))?;
    deserializer
        .end()
        .map_err(|error| json_error(path, "the end of the JSON document", &error))?;
    Ok(value)
}

/// Maps a serde_json error to `Io` or `Malformed` with its line and column.
pub(crate) fn json_error(path: &Path, expected: &str, error: &serde_json::Error) -> ReadError {
    use serde_json::error::Category;
    let text = error.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(message, _)| message);
    let found = match error.classify() {
        Category::Io => {
            return ReadError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other(message.to_string()),
            }
        }
        Category::Eof => "the end of the file (the document is cut off)".to_string(),
        Category::Syntax => format!("invalid JSON ({message})"),
        Category::Data => message.to_string(),
    };
    let location = (error.line() > 0).then(|| (error.line() as u64, error.column().max(1) as u64));
    malformed(path, location, expected, found)
}

/// True when the file holds nothing but whitespace.
fn is_blank_file(path: &Path) -> std::io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    let mut chunk = [0u8; 8 * 1024];
    loop {
        let read = file.read(&mut chunk)?;
        if read == 0 {
            return Ok(true);
        }
        if !chunk
            .get(..read)
            .unwrap_or_default()
            .iter()
            .all(u8::is_ascii_whitespace)
        {
            return Ok(false);
        }
    }
}

/// True when `head` (the first bytes of a file) starts, after whitespace and a BOM, with `{`.
pub(crate) fn looks_like_json_object(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|byte| *byte == b'{')
}

/// True when `head` contains the JSON key `"key"` (followed by optional whitespace and `:`).
pub(crate) fn has_key(head: &[u8], key: &str) -> bool {
    let needle = format!("\"{key}\"");
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    finder.find_iter(head).any(|at| {
        head.get(at + needle.len()..)
            .and_then(|rest| rest.iter().find(|byte| !byte.is_ascii_whitespace()))
            == Some(&b':')
    })
}
