//! Small string helpers shared by the build-log readers (plain string operations, no regex).

/// At most 80 characters of `text`, for error messages.
pub fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// `./app/page.tsx` -> `app/page.tsx`: paths are recorded without a leading `./`.
pub fn strip_dot_slash(path: &str) -> &str {
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path
}

/// The text between the quote that starts `text` (`'`, `"` or `` ` ``) and its closing quote.
pub fn quoted(text: &str) -> Option<&str> {
    let quote = text
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let body = text.get(1..)?;
    body.find(quote).and_then(|end| body.get(..end))
}

/// The quoted text that follows the first `needle` in `text`.
pub fn quoted_after<'a>(text: &'a str, needle: &str) -> Option<&'a str> {
    let start = text.find(needle)? + needle.len();
    quoted(text.get(start..)?)
}

/// The first `` `backticked` `` text.
pub fn first_backticked(text: &str) -> Option<&str> {
    let start = text.find('`')?;
    quoted(text.get(start..)?)
}

/// Leading decimal digits as a number, and what follows them.
pub fn leading_u64(text: &str) -> Option<(u64, &str)> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let digits = text.get(..end)?;
    let rest = text.get(end..)?;
    digits.parse().ok().map(|number| (number, rest))
}

/// An all-digits string as a line number.
pub fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Splits `file:line:col` or `file:line` (file may itself contain `:`, as in `C:\x`) into the
/// file and the line. `None` when the text does not end in a position.
pub fn file_line_col(text: &str) -> Option<(&str, u32)> {
    let (head, last) = text.rsplit_once(':')?;
    let last = number(last)?;
    match head.rsplit_once(':') {
        Some((file, line)) if !file.is_empty() => match number(line) {
            Some(line) => Some((file, line)),
            None => Some((head, last)),
        },
        _ if !head.is_empty() => Some((head, last)),
        _ => None,
    }
}

/// The number in front of `what` in `text`, e.g. `number_before("Found 3 errors", " error")`
/// is 3: the digits immediately before the first `what`.
pub fn number_before(text: &str, what: &str) -> Option<u64> {
    let end = text.find(what)?;
    let head = text.get(..end)?;
    let start = head
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |index| index + 1);
    head.get(start..)?.parse().ok()
}

/// Makes an absolute path inside a GitHub Actions workspace (`…/work/REPO/REPO/…` on hosted
/// runners, `…/_work/REPO/REPO/…` on self-hosted ones) relative to that workspace, which is the
/// project's root there. Other paths are returned unchanged.
pub fn workspace_relative(path: &str) -> &str {
    let mut search_from = 0;
    while let Some(found) = path.get(search_from..).and_then(|rest| rest.find("work/")) {
        let at = search_from + found;
        let before_ok = at == 0
            || path
                .get(..at)
                .is_some_and(|head| head.ends_with('/') || head.ends_with("/_"));
        if before_ok {
            let rest = path.get(at + "work/".len()..).unwrap_or_default();
            let mut parts = rest.splitn(3, '/');
            if let (Some(first), Some(second), Some(tail)) =
                (parts.next(), parts.next(), parts.next())
            {
                if !first.is_empty() && first == second && !tail.is_empty() {
                    return tail;
                }
            }
        }
        search_from = at + 1;
    }
    path
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn positions() {
        assert_eq!(file_line_col("src/a.rs:3:5"), Some(("src/a.rs", 3)));
        assert_eq!(file_line_col("a.py:4"), Some(("a.py", 4)));
        assert_eq!(file_line_col(r"C:\x\a.go:7:2"), Some((r"C:\x\a.go", 7)));
        assert_eq!(file_line_col("nothing"), None);
        assert_eq!(file_line_col(":3"), None);
    }

    #[test]
    fn quotes_and_numbers() {
        assert_eq!(quoted_after("resolve './x' in", "resolve "), Some("./x"));
        assert_eq!(first_backticked("import `a::b` x `c`"), Some("a::b"));
        assert_eq!(
            number_before("Found 12 errors in 2 files", " error"),
            Some(12)
        );
        assert_eq!(leading_u64("3 errors"), Some((3, " errors")));
    }

    #[test]
    fn workspace() {
        assert_eq!(
            workspace_relative("/home/runner/work/tw/tw/pkg/a.py"),
            "pkg/a.py"
        );
        assert_eq!(workspace_relative("/opt/runner/_work/tw/tw/a.py"), "a.py");
        assert_eq!(
            workspace_relative("/srv/work/a/b/c.py"),
            "/srv/work/a/b/c.py"
        );
        assert_eq!(workspace_relative("pkg/a.py"), "pkg/a.py");
    }
}
