//! What every command shares: colour choice, errors on stderr, policy diagnostics, dates.

use super::args::ColorChoice;
use super::Exit;
use readiness_gate::diagnostic::Diagnostic;
use readiness_gate::report;
use std::path::Path;

/// The width diagnostics are rendered at.
pub(super) const WIDTH: usize = 100;

/// Whether to colour a stream: `--color`, else `anstream`'s choice for it (`CLICOLOR_FORCE`,
/// `NO_COLOR`, `CLICOLOR`, `TERM=dumb`, a terminal or not).
pub(super) fn use_color(choice: ColorChoice, auto: anstream::ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto != anstream::ColorChoice::Never,
    }
}

/// `anstream`'s colour choice for stdout.
pub(super) fn stdout_choice() -> anstream::ColorChoice {
    anstream::AutoStream::choice(&std::io::stdout())
}

/// `anstream`'s colour choice for stderr.
pub(super) fn stderr_choice() -> anstream::ColorChoice {
    anstream::AutoStream::choice(&std::io::stderr())
}

/// The width of the human report: the terminal's, else `COLUMNS`, else 100.
pub(super) fn report_width() -> usize {
    if let Some((terminal_size::Width(width), _)) = terminal_size::terminal_size() {
        return usize::from(width);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse::<usize>().ok())
        .filter(|columns| *columns >= 20)
        .unwrap_or(report::human::DEFAULT_WIDTH)
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
