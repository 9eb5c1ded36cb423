//! What every command shares: colour choice, errors on stderr, policy diagnostics, dates.

use super::args::ColorChoice;
use super::Exit;
use readiness_gate::diagnostic::Diagnostic;
use readiness_gate::report;
use std::path::Path;

/// The width diagnostics are rendered at.
pub(super) const WIDTH: usize = 100;

pub(super) fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    }
}

pub(super) fn fail(message: &str, help: Option<&str>) -> Exit {
    eprintln!("error: {message}");
    if let Some(help) = help {
        eprintln!("  help: {help}");
    }
    Exit::Invalid
}

/// The name a policy file is shown under: relative to the workspace when inside it.
pub(super) fn display_name(path: &Path, workspace: &Path) -> String {
    readiness_gate::repo::paths::normalize(
        &path
            .strip_prefix(workspace)
            .unwrap_or(path)
            .to_string_lossy(),
    )
}

/// A text file named on the command line.
pub(super) fn read_text(path: &Path) -> Result<String, Exit> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|error| {
            fail(
                &format!(
                    "`{}` is not UTF-8 text (invalid byte at offset {})",
                    path.display(),
                    error.utf8_error().valid_up_to()
                ),
                Some("save the file as UTF-8"),
            )
        }),
        Err(error) => Err(fail(
            &format!(
                "cannot read `{}`: {}",
                path.display(),
                error.to_string().to_lowercase()
            ),
            None,
        )),
    }
}

pub(super) fn print_diagnostics(
    diagnostics: &[Diagnostic],
    file: &str,
    source: &str,
    color: bool,
    json: bool,
) {
    if json {
        let located: Vec<_> = diagnostics
            .iter()
            .map(|d| d.located(file, source))
            .collect();
        print!("{}", report::json::render_invalid(file, &located));
    } else {
        eprint!(
            "{}",
            report::diagnostics::render(diagnostics, file, source, color, WIDTH)
        );
    }
}

pub(super) fn today(arg: Option<&str>) -> Result<time::Date, Exit> {
    match arg {
        Some(text) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(text, &format).map_err(|_| {
                fail(
                    &format!("`--today {text}` is not a date"),
                    Some("write it as YYYY-MM-DD"),
                )
            })
        }
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}
