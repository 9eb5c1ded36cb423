//! Reporters: one per output format, each rendering an [`Outcome`](crate::eval::Outcome) (or a
//! list of policy diagnostics) to text. Reporters return strings; only the binary writes them.

pub mod diagnostics;
pub mod human;
pub mod json;
pub mod markdown;

/// The output formats of `gate check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Markdown,
}

/// Shortens `text` to at most `width` characters, ending with `…` when cut.
pub fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(width.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}
