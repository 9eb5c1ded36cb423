//! Artifact text is data: one escaping function per output kind, used by every reporter and by
//! `src/publish.rs`.
//!
//! Test names, failure messages, file names, module specifiers and error excerpts are written by
//! whoever wrote the artifact (on a pull request from a fork: an attacker). Whatever they hold
//! (newlines, `::error::` workflow commands, ANSI escapes, HTML, Markdown, `@team` mentions,
//! `#123` references) reaches a person only as the characters it is, never as an instruction to
//! the terminal, the Actions runner or GitHub's Markdown renderer.
//!
//! | output | function | what it guarantees |
//! |---|---|---|
//! | terminal (human report) and stderr | [`terminal`] | one line; no control characters (ANSI escapes removed whole), no bidi overrides; no workflow command (`::` at a line start, `##[`) |
//! | Markdown (PR comment, check run, job summary) | [`markdown`], [`markdown_code`], [`markdown_cell_code`] | one line; no HTML (`<` `>` `&` as entities), no Markdown syntax, no autolink, mention or issue reference |
//! | github workflow commands | [`workflow_data`], [`workflow_property`] | `%`, CR, LF escaped (and `:` `,` in properties): a message cannot start a command |
//! | JSON and SARIF | [`plain`] | no control characters but newline and tab (serde escapes the rest) |
//! | JUnit XML | [`xml`], [`xml_text`] | entities; characters XML 1.0 cannot carry dropped |
//!
//! None of them can produce the sticky comment's marker (`<!-- readiness-gate:sticky ...`): the
//! Markdown functions never emit `<!--`.

/// Zero-width space: breaks a mention, an issue reference or an autolink without changing what a
/// reader sees.
const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// Whether `c` is a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069), which can
/// make text display in another order than it is read ("trojan source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Removes terminal escape sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ST`, two-byte
/// `ESC x`, C1 CSI/OSC), control characters (newlines and tabs become a space) and bidi controls.
fn without_controls(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1B}' | '\u{9B}' | '\u{9D}' => {
                let kind = if c == '\u{1B}' {
                    chars.next()
                } else {
                    Some(if c == '\u{9B}' { '[' } else { ']' })
                };
                match kind {
                    Some('[') => {
                        // Parameters and intermediates, then one final byte in @..~.
                        for next in chars.by_ref() {
                            if ('\u{40}'..='\u{7E}').contains(&next) {
                                break;
                            }
                        }
                    }
                    Some(']' | 'P' | '_' | '^') => {
                        // String until BEL or ST (`ESC \`).
                        while let Some(next) = chars.next() {
                            if next == '\u{07}' || next == '\u{9C}' {
                                break;
                            }
                            if next == '\u{1B}' {
                                if chars.peek() == Some(&'\\') {
                                    chars.next();
                                }
                                break;
                            }
                        }
                    }
                    _ => {}
                }
            }
            '\n' if keep_newlines => out.push('\n'),
            '\t' if keep_newlines => out.push('\t'),
            '\r' | '\n' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for the terminal and stderr, on one line: control characters and escape sequences
/// removed, newlines and tabs as spaces, and nothing the Actions runner reads as a workflow
/// command (it trims a line's leading spaces and then looks for `::`; `##[` anywhere is the old
/// command syntax), since the human report is what the log shows.
pub fn terminal(text: &str) -> String {
    let line = without_controls(text, false);
    let line = line.replace("##[", "#\u{200B}#[");
    let trimmed = line.trim_start();
    if trimmed.starts_with("::") {
        let lead = line.len() - trimmed.len();
        let (spaces, rest) = line.split_at(lead);
        format!("{spaces}:{ZERO_WIDTH_SPACE}{}", rest.get(1..).unwrap_or(""))
    } else {
        line
    }
}

/// Text for JSON and SARIF strings: control characters and escape sequences removed, newlines
/// and tabs kept (the JSON encoder escapes them).
pub fn plain(text: &str) -> String {
    without_controls(text, true)
}

/// Inline Markdown text on one line, for prose and table cells alike: every character that
/// Markdown or HTML could read as syntax is an entity (so `|` cannot end a cell and `<` cannot
/// open a tag or a comment), and a zero-width space follows `@` (mentions), `#` before a digit
/// (issue references), `GH-` and `www.` (autolinks); the `:` of a scheme (`http://`) is an
/// entity.
pub fn markdown(text: &str) -> String {
    let line = without_controls(text, false);
    let mut out = String::with_capacity(line.len() + 16);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '|' => out.push_str("&#124;"),
            '\\' => out.push_str("&#92;"),
            '`' => out.push_str("&#96;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '~' => out.push_str("&#126;"),
            '$' => out.push_str("&#36;"),
            '!' => out.push_str("&#33;"),
            ':' if chars.peek() == Some(&'/') => out.push_str("&#58;"),
            '@' => {
                out.push('@');
                out.push(ZERO_WIDTH_SPACE);
            }
            '#' => {
                out.push_str("&#35;");
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    out.push(ZERO_WIDTH_SPACE);
                }
            }
            '-' if out.ends_with("GH") || out.ends_with("gh") => {
                out.push('-');
                out.push(ZERO_WIDTH_SPACE);
            }
            '.' if out.ends_with("www")
                && !out
                    .get(..out.len() - 3)
                    .and_then(|before| before.chars().next_back())
                    .is_some_and(char::is_alphanumeric) =>
            {
                out.push(ZERO_WIDTH_SPACE);
                out.push('.');
            }
            c => out.push(c),
        }
    }
    out
}

/// Prose that may mark code with backticks (our reasons, notes and help quote names as
/// `` `name` ``) but may also carry artifact text: each backtick-delimited part becomes a code
/// span ([`markdown_code`]), the rest is [`markdown`] text.
pub fn markdown_prose(text: &str) -> String {
    prose(text, false)
}

/// [`markdown_prose`] inside a table cell: code parts as [`markdown_code_breakable`].
pub fn markdown_prose_cell(text: &str) -> String {
    prose(text, true)
}

fn prose(text: &str, in_table: bool) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let closed = parts.len() % 2 == 1;
    let mut out = String::with_capacity(text.len() + 16);
    for (index, part) in parts.iter().enumerate() {
        let last = index + 1 == parts.len();
        if index % 2 == 1 && (closed || !last) {
            if in_table {
                out.push_str(&markdown_code_breakable(part));
            } else {
                out.push_str(&code_span(part, false));
            }
        } else if index % 2 == 1 {
            // An unmatched backtick: text.
            out.push_str("&#96;");
            out.push_str(&markdown(part));
        } else {
            out.push_str(&markdown(part));
        }
    }
    out
}

/// The longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

fn code_span(text: &str, in_table: bool) -> String {
    let mut line = without_controls(text, false);
    if line.is_empty() {
        return String::new();
    }
    // The raw text of a code span is in the comment's body as it is: never let it read `<!--`
    // (the sticky marker starts so).
    line = line.replace("<!--", "<!-\u{200B}-");
    if in_table {
        // GitHub splits table rows on `|` before parsing inline code; `\|` is a literal pipe
        // there, even inside a code span.
        line = line.replace('|', "\\|");
    }
    let fence = "`".repeat(longest_backtick_run(&line) + 1);
    let pad = if line.starts_with('`') || line.ends_with('`') || line.starts_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{line}{pad}{fence}")
}

/// An inline code span of `text` (one line), outside a table: a fence longer than any run of
/// backticks inside. Code spans are never read as HTML, Markdown, mentions or references.
pub fn markdown_code(text: &str) -> String {
    code_span(text, false)
}

/// An inline code span of `text` inside a table cell (`|` escaped as GitHub's tables want).
pub fn markdown_cell_code(text: &str) -> String {
    code_span(text, true)
}

/// The longest run of characters without a break opportunity in [`markdown_code_breakable`].
const BREAK_RUN: usize = 24;

/// Inline code that may wrap: an HTML `<code>` element whose text is [`markdown`]-escaped, with
/// a `<wbr>` break opportunity after each `/`, `.`, `(`, `,` and `_`, so that a long path,
/// expression or test name wraps inside a narrow table column instead of widening it (and after
/// every 24 characters without one). Copying
/// the text gives it unchanged (`<wbr>` is not a character).
pub fn markdown_code_breakable(text: &str) -> String {
    let line = without_controls(text, false);
    if line.is_empty() {
        return String::new();
    }
    let mut out = String::from("<code>");
    let mut chunk = String::new();
    let mut run = 0usize;
    for c in line.chars() {
        chunk.push(c);
        run = if c == ' ' { 0 } else { run + 1 };
        if matches!(c, '/' | '.' | '(' | ',' | '_') || run >= BREAK_RUN {
            run = 0;
            out.push_str(&markdown(&chunk));
            out.push_str("<wbr>");
            chunk.clear();
        }
    }
    out.push_str(&markdown(&chunk));
    out.push_str("</code>");
    out
}

/// [`markdown`] text with a `<wbr>` after each `/`, so that a long URL or path in a message
/// wraps inside a table cell.
pub fn markdown_breakable(text: &str) -> String {
    text.split_inclusive('/')
        .map(markdown)
        .collect::<Vec<_>>()
        .join("<wbr>")
}

/// Workflow-command data (a message): `%`, CR and LF escaped, so it cannot start a new command.
pub fn workflow_data(text: &str) -> String {
    readiness_github::runner::escape_data(&plain(text))
}

/// A workflow-command property value: also `:` and `,`, so it cannot add a property.
pub fn workflow_property(text: &str) -> String {
    readiness_github::runner::escape_property(&plain(text))
}

/// Escapes text for XML attributes and text nodes; drops characters XML 1.0 cannot carry and
/// terminal escape sequences.
pub fn xml(text: &str) -> String {
    let text = plain(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes an XML text node (newlines kept as they are).
pub fn xml_text(text: &str) -> String {
    xml(text).replace("&#10;", "\n")
}

/// Escapes text for inside an XML comment (`--` may not appear there).
pub fn xml_comment(text: &str) -> String {
    let mut out = xml(text);
    while out.contains("--") {
        out = out.replace("--", "- -");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_is_one_line_without_escapes_or_commands() {
        assert_eq!(terminal("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(terminal("x\x1b]8;;http://e\x07link\x1b]8;;\x07"), "xlink");
        assert_eq!(terminal("one\ntwo\r\nthree"), "one two three");
        assert_eq!(terminal("::error::boom"), ":\u{200B}:error::boom");
        assert_eq!(terminal("  ::add-mask::x"), "  :\u{200B}:add-mask::x");
        assert!(!terminal("a\n::error::b").contains('\n'));
        assert_eq!(terminal("##[error]x"), "#\u{200B}#[error]x");
        assert_eq!(terminal("a\u{202E}b\u{7}c"), "abc");
    }

    #[test]
    fn markdown_text_has_no_syntax_left() {
        let hostile = "<!-- x --> <img src=x onerror=alert(1)> <details> `code` | @team #123 **b** [l](http://e)";
        let escaped = markdown(hostile);
        for raw in ["<", ">", "`", "|", "*", "[", "]", "(http:"] {
            assert!(!escaped.contains(raw), "{raw} in {escaped}");
        }
        assert!(escaped.contains("@\u{200B}team"));
        assert!(escaped.contains("&#35;\u{200B}123"));
        assert_eq!(markdown("a\nb"), "a b");
        assert!(markdown("see www.evil.com").contains("www\u{200B}."));
        assert!(markdown("fixes GH-12").contains("GH-\u{200B}12"));
    }

    #[test]
    fn code_spans_fence_past_backticks_and_never_open_a_comment() {
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x`"), "`` `x` ``");
        assert_eq!(markdown_cell_code("a|b"), "`a\\|b`");
        assert!(!markdown_code("<!-- readiness-gate:sticky").contains("<!--"));
        assert_eq!(markdown_code(""), "");
    }

    #[test]
    fn prose_keeps_our_code_spans_and_escapes_the_rest() {
        assert_eq!(
            markdown_prose_cell("gate `a|b` failed <b>"),
            "gate <code>a&#124;b</code> failed &lt;b&gt;"
        );
        assert_eq!(markdown_prose("gate `a|b`"), "gate `a|b`");
        assert_eq!(markdown_prose("odd ` tick"), "odd &#96; tick");
    }

    #[test]
    fn breakable_code_breaks_after_separators_and_escapes_the_rest() {
        assert_eq!(
            markdown_code_breakable("a/b.c"),
            "<code>a/<wbr>b.<wbr>c</code>"
        );
        assert_eq!(
            markdown_code_breakable("<img> @x"),
            "<code>&lt;img&gt; @\u{200B}x</code>"
        );
    }

    #[test]
    fn workflow_and_xml_escape() {
        assert_eq!(workflow_data("a\n::error::b"), "a%0A::error::b");
        assert_eq!(workflow_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(xml("<a>&\u{1b}[1m"), "&lt;a&gt;&amp;");
        assert_eq!(xml_comment("a--b---c"), "a- -b- - -c");
    }
}
