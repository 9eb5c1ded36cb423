//! Where a figure came from: the file, its detected format and its sha256.

use crate::{Format, ReadError};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// One artifact file that evidence was read from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Provenance {
    pub path: PathBuf,
    pub format: Format,
    /// Lowercase hex sha256 of the file's bytes.
    pub sha256: String,
    pub bytes: u64,
}

impl Provenance {
    /// Hashes the file (streaming, fixed-size buffer).
    pub fn of(path: &Path, format: Format) -> Result<Provenance, ReadError> {
        let io = |source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = crate::files::open_artifact(path)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 256 * 1024];
        let mut bytes = 0u64;
        loop {
            let read = file.read(&mut buffer).map_err(io)?;
            if read == 0 {
                break;
            }
            hasher.update(buffer.get(..read).unwrap_or_default());
            bytes += read as u64;
        }
        let sha256 = hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        Ok(Provenance {
            path: path.to_path_buf(),
            format,
            sha256,
            bytes,
        })
    }
}
