//! Renders policy diagnostics with miette: file name, line and column, underlined span, help and
//! code. Without colour the output is deterministic (snapshot tests use it at a fixed width).

use crate::diagnostic::Diagnostic;
use miette::{GraphicalReportHandler, GraphicalTheme};

/// Renders diagnostics, one after another.
pub fn render(
    diagnostics: &[Diagnostic],
    file: &str,
    source: &str,
    color: bool,
    width: usize,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = diagnostic.with_source(file, source);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!(
                "error[{}]: {}\n",
                diagnostic.code, diagnostic.message
            ));
        }
        out.push('\n');
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == crate::diagnostic::Level::Error)
        .count();
    if errors > 0 {
        let plural = if errors == 1 { "error" } else { "errors" };
        out.push_str(&format!("{file}: {errors} {plural}; nothing was judged\n"));
    }
    out
}
