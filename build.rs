//! Build script: stamps `gate --version` with the commit and the build date.
//!
//! The commit comes from `GATE_BUILD_COMMIT` when set, else from git when the source is a git
//! checkout, else from `.cargo_vcs_info.json`, which `cargo package` writes into a crate's
//! tarball (so a build from crates.io or a source archive without `.git` still names its
//! commit), else `unknown`. The date is `SOURCE_DATE_EPOCH` when set (reproducible builds), else
//! the time of the build, as a UTC `YYYY-MM-DD`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=GATE_BUILD_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-changed=.cargo_vcs_info.json");

    let commit = std::env::var("GATE_BUILD_COMMIT")
        .ok()
        .filter(|value| !value.trim().is_empty())
        .map(|value| value.trim().to_string())
        .or_else(|| commit_from_git(&manifest_dir))
        .or_else(|| commit_from_vcs_info(&manifest_dir))
        .unwrap_or_else(|| "unknown".to_string());
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|value| value.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(0))
                .unwrap_or(0)
        });
    println!("cargo:rustc-env=GATE_BUILD_COMMIT={commit}");
    println!("cargo:rustc-env=GATE_BUILD_DATE={}", utc_date(seconds));
}

fn git(dir: &Path, arguments: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(["-c", "core.quotepath=off", "--no-pager"])
        .args(arguments)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The short commit of the checkout holding this crate, when the crate is its top level (a crate
/// unpacked inside some other repository must not take that repository's commit).
fn commit_from_git(manifest_dir: &Path) -> Option<String> {
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    let top = std::fs::canonicalize(top).ok()?;
    let here = std::fs::canonicalize(manifest_dir).ok()?;
    if top != here {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself, and the branch it points at.
    // A path that does not exist would make cargo rerun this script on every build.
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watched.extend(git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        if let Some(path) = git(manifest_dir, &["rev-parse", "--git-path", &name]) {
            let path = manifest_dir.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    git(manifest_dir, &["rev-parse", "--short=12", "HEAD"])
}

/// `{"git": {"sha1": "…"}}` of `.cargo_vcs_info.json`, shortened like git's.
fn commit_from_vcs_info(manifest_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest_dir.join(".cargo_vcs_info.json")).ok()?;
    let start = text.find("\"sha1\"")?;
    let rest = text.get(start + "\"sha1\"".len()..)?;
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let sha: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
    (sha.len() >= 7).then(|| sha.chars().take(12).collect())
}

/// `YYYY-MM-DD` of a Unix time, UTC (Howard Hinnant's days-to-civil algorithm).
fn utc_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
