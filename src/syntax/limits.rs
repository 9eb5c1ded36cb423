//! Bounds on the work a policy can ask for, checked before and while it is parsed, so that any
//! text gets a coded diagnostic instead of a stack overflow or minutes of arithmetic.
//!
//! pest parses nested rules by recursion (`(` → `expr` → … → `group` → `expr`, and `not not …`),
//! so nesting is bounded by a cheap scan of the text *before* pest runs. Operator and method
//! chains are read by pest in loops but become left-nested trees that every later stage (check,
//! eval, fmt, diff) walks recursively: their depth is bounded while lowering, before a deep tree
//! is ever built.

use super::span::Span;
use crate::diagnostic::Diagnostic;

/// The deepest expression accepted: parentheses, `not`, each operator of a chain and each
/// `.member` of a method chain add one level.
pub const MAX_NESTING: usize = 64;

/// The largest policy accepted, in bytes.
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;

/// The longest numeric literal accepted, in characters (digits and the decimal point).
pub const MAX_NUMBER_CHARS: usize = 40;

/// The diagnostic for an expression nested deeper than [`MAX_NESTING`] levels, at `span`.
pub fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::error(
        "nesting-too-deep",
        format!("this expression nests deeper than {MAX_NESTING} levels"),
    )
    .label(span, "too deep here")
    .help(format!(
        "parentheses, `not`, each operator of a chain and each `.member` count as a level; \
         split the expectation into several `expect` lines (a gate passes when all of them \
         hold), or simplify it to at most {MAX_NESTING} levels"
    ))
}

/// A policy larger than [`MAX_POLICY_BYTES`].
pub fn too_large(size: usize) -> Option<Diagnostic> {
    (size > MAX_POLICY_BYTES).then(|| {
        Diagnostic::error(
            "policy-too-large",
            format!(
                "the policy is {size} bytes; policies are limited to {MAX_POLICY_BYTES} bytes ({} MiB)",
                MAX_POLICY_BYTES >> 20
            ),
        )
        .help("a policy is written by people: check that the right file is given with `--policy`")
    })
}

/// A numeric literal longer than [`MAX_NUMBER_CHARS`].
pub fn number_too_long(text: &str, span: Span) -> Option<Diagnostic> {
    let length = text.chars().count();
    (length > MAX_NUMBER_CHARS).then(|| {
        let shown: String = text.chars().take(12).collect();
        Diagnostic::error(
            "number-too-long",
            format!(
                "the number `{shown}…` has {length} characters; numbers are limited to {MAX_NUMBER_CHARS}"
            ),
        )
        .label(span, "this number")
        .help("write the threshold with fewer digits; no figure needs more precision")
    })
}

/// Scans the text for nesting before pest runs: open parentheses plus a run of `not`s, and open
/// braces. Strings and comments are skipped; a backslash outside a string (in a regex) skips the
/// character after it. Returns the diagnostic for the first place deeper than [`MAX_NESTING`].
pub fn scan_nesting(source: &str) -> Option<Diagnostic> {
    let bytes = source.as_bytes();
    // Parentheses and a run of `not`s nest expressions; braces nest blocks (and the recovering
    // parser's skipped `{ ... }`): each is bounded on its own.
    let mut open: usize = 0;
    let mut braces: usize = 0;
    let mut nots: usize = 0;
    let mut index = 0;
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'#' => {
                while bytes.get(index).is_some_and(|&b| b != b'\n') {
                    index += 1;
                }
                continue;
            }
            b'"' => {
                index += 1;
                while let Some(&b) = bytes.get(index) {
                    match b {
                        b'\\' => index += 2,
                        b'"' => break,
                        b'\n' => break,
                        _ => index += 1,
                    }
                }
                nots = 0;
            }
            b'\\' => {
                index += 1;
                nots = 0;
            }
            b'(' => {
                open += 1;
                if open + nots > MAX_NESTING {
                    return Some(too_deep(Span::new(index, index + 1)));
                }
            }
            b'{' => {
                braces += 1;
                if braces > MAX_NESTING {
                    return Some(too_deep(Span::new(index, index + 1)));
                }
                nots = 0;
            }
            b')' => {
                open = open.saturating_sub(1);
                nots = 0;
            }
            b'}' => {
                braces = braces.saturating_sub(1);
                nots = 0;
            }
            b if b.is_ascii_whitespace() => {}
            b if word_char(b) => {
                let start = index;
                while bytes.get(index).copied().is_some_and(word_char) {
                    index += 1;
                }
                if bytes.get(start..index) == Some(b"not") {
                    nots += 1;
                    if open + nots > MAX_NESTING {
                        return Some(too_deep(Span::new(start, index)));
                    }
                } else {
                    nots = 0;
                }
                continue;
            }
            _ => nots = 0,
        }
        index += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_outside_strings_and_comments() {
        let deep = "(".repeat(MAX_NESTING + 1);
        assert!(scan_nesting(&deep).is_some());
        assert!(scan_nesting(&"{".repeat(MAX_NESTING + 1)).is_some());
        assert!(scan_nesting(&format!("{}{}", "{".repeat(3), "(".repeat(MAX_NESTING))).is_none());
        assert!(scan_nesting(&"(".repeat(MAX_NESTING)).is_none());
        assert!(scan_nesting(&format!("\"{deep}\"")).is_none());
        assert!(scan_nesting(&format!("# {deep}\n")).is_none());
        assert!(scan_nesting(&"not ".repeat(MAX_NESTING + 1)).is_some());
        assert!(scan_nesting(&"not x and ".repeat(MAX_NESTING + 1)).is_none());
        assert!(scan_nesting(&"nothing ".repeat(MAX_NESTING + 1)).is_none());
    }
}
