//! Links in the Markdown report: each evidence file and line to the file at the head commit on
//! the GitHub server in use (GitHub Enterprise Server included), each gate to its line in the
//! policy, the report to its workflow run. Without a server, repository and commit (a local run)
//! there are no links, only the paths.

use super::repo_path;

/// Where links point. Every field comes from the runner's environment through the CLI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// `GITHUB_SERVER_URL`: `https://github.com` or the GHES server, without a trailing `/`.
    pub server: String,
    /// `owner/name`.
    pub repository: String,
    /// The head commit of the change (on a pull request, its head, not the merge commit).
    pub commit: String,
    /// The workflow run's URL, when known.
    pub run: Option<String>,
    /// The workspace's directory in the repository (empty: the root).
    pub workspace_prefix: String,
}

/// `%`-encodes everything in a path but unreserved characters and `/`, so that a path cannot end
/// the Markdown link (`)`, spaces) or carry a query or fragment of its own.
pub fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        let c = char::from(byte);
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/') {
            encoded.push(c);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn safe_base(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/".contains(c))
}

impl Links {
    /// Links are made only from a well-formed server, repository and commit.
    fn usable(&self) -> bool {
        (self.server.starts_with("https://") || self.server.starts_with("http://"))
            && safe_base(&self.server)
            && safe_base(&self.repository)
            && self.commit.chars().all(|c| c.is_ascii_hexdigit())
            && !self.commit.is_empty()
    }

    /// The URL of `file` (workspace-relative or a runner path) at the commit, at `lines` when
    /// given (`first`, `last`).
    pub fn file(&self, file: &str, lines: Option<(u32, u32)>) -> Option<String> {
        if !self.usable() {
            return None;
        }
        let path = repo_path(&self.workspace_prefix, file);
        if path.starts_with('/')
            || path.get(1..2) == Some(":")
            || path.split('/').any(|p| p == "..")
        {
            return None;
        }
        let anchor = match lines {
            Some((first, last)) if last > first => format!("#L{first}-L{last}"),
            Some((first, _)) => format!("#L{first}"),
            None => String::new(),
        };
        Some(format!(
            "{}/{}/blob/{}/{}{anchor}",
            self.server.trim_end_matches('/'),
            self.repository,
            self.commit,
            encode_path(&path)
        ))
    }

    /// The URL of the workflow run.
    pub fn run(&self) -> Option<String> {
        self.run.clone().filter(|url| {
            (url.starts_with("https://") || url.starts_with("http://")) && safe_base(url)
        })
    }
}

/// A Markdown link `[text](url)` whose text is already Markdown (escaped); the text alone without
/// a URL.
pub fn link(text: &str, url: Option<String>) -> String {
    match url {
        Some(url) => format!("[{text}]({url})"),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        Links {
            server: "https://ghe.example.com".into(),
            repository: "acme/app".into(),
            commit: "0123abc".into(),
            run: Some("https://ghe.example.com/acme/app/actions/runs/9".into()),
            workspace_prefix: "web".into(),
        }
    }

    #[test]
    fn files_link_to_the_commit_on_the_server_in_use() {
        assert_eq!(
            links().file("src/a b.ts", Some((3, 5))).as_deref(),
            Some("https://ghe.example.com/acme/app/blob/0123abc/web/src/a%20b.ts#L3-L5")
        );
        assert_eq!(
            links()
                .file("/__w/app/app/lib/x.ts", Some((7, 7)))
                .as_deref(),
            Some("https://ghe.example.com/acme/app/blob/0123abc/lib/x.ts#L7")
        );
        assert_eq!(links().file("/usr/lib/x.ts", None), None);
        assert_eq!(Links::default().file("a.ts", None), None);
        let hostile = Links {
            repository: "acme/app)<img>".into(),
            ..links()
        };
        assert_eq!(hostile.file("a.ts", None), None);
    }
}
