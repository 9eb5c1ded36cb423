//! The sticky comment cannot be hijacked, and a token other than
//! `GITHUB_TOKEN` keeps one comment: against the mock GitHub (`mock/mod.rs`).
//!
//! Ours is a comment whose body *starts with* our exact marker line and whose
//! author is our identity: the explicit `comment_author`, else the app that
//! owns our check run, else `GET /user`, else `github-actions[bot]`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod mock;

use mock::{MockGithub, BOT};
use readiness_github::{
    publish, Conclusion, GithubEnv, Outputs, Publication, PublishOptions, Step, Timer,
};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

const TOKEN: &str = "ghs_identitytoken0123456789abcdef";
const HEAD_SHA: &str = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const REPO: &str = "Codertocat/Hello-World";
const PR: u64 = 2;
const MARKER: &str = "<!-- readiness-gate:sticky v1 key=readiness state=0 -->";

struct NoSleep;

impl Timer for NoSleep {
    fn sleep(&self, _: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async {})
    }
    fn now_unix(&self) -> u64 {
        1_800_000_000
    }
}

struct Run {
    _dir: tempfile::TempDir,
    vars: HashMap<String, String>,
}

impl Run {
    fn pull_request(mock: &MockGithub) -> Run {
        let dir = tempfile::tempdir().unwrap();
        let event: Value =
            serde_json::from_str(include_str!("fixtures/pull_request.opened.payload.json"))
                .unwrap();
        let event_path = dir.path().join("event.json");
        std::fs::write(&event_path, serde_json::to_string(&event).unwrap()).unwrap();
        let vars = [
            ("GITHUB_ACTIONS", "true".to_owned()),
            ("GITHUB_API_URL", mock.api_url()),
            ("GITHUB_REPOSITORY", REPO.to_owned()),
            ("GITHUB_EVENT_NAME", "pull_request".to_owned()),
            ("GITHUB_EVENT_PATH", event_path.display().to_string()),
            ("GITHUB_SHA", HEAD_SHA.to_owned()),
            ("GITHUB_TOKEN", TOKEN.to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Run { _dir: dir, vars }
    }

    fn env(&self) -> GithubEnv {
        GithubEnv::from_lookup(|k| self.vars.get(k).cloned(), "GITHUB_TOKEN").unwrap()
    }
}

async fn github(login: &str) -> MockGithub {
    let mock = MockGithub::start("").await;
    mock.add_token(TOKEN, login, true);
    mock.add_pull(PR, HEAD_SHA);
    mock
}

fn publication(title: &str) -> Publication {
    Publication::from_markdown(
        "readiness",
        Conclusion::Failure,
        title,
        &format!("### {title}\n"),
        Outputs {
            ready: false,
            score: "50".into(),
            level: String::new(),
            report_json: None,
        },
    )
}

fn options(check_run: bool, author: Option<&str>) -> PublishOptions {
    PublishOptions {
        check_run,
        comment_author: author.map(str::to_owned),
        timer: Arc::new(NoSleep),
        ..PublishOptions::default()
    }
}

fn comments_by(mock: &MockGithub, login: &str) -> Vec<mock::Comment> {
    mock.comments()
        .into_iter()
        .filter(|c| c.login == login)
        .collect()
}

#[tokio::test]
async fn a_marker_in_another_authors_comment_is_not_ours() {
    let mock = github(BOT).await;
    let spoof = mock.add_comment(PR, "mallory", &format!("{MARKER}\nfake verdict"));
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready"), &run.env(), &options(true, None)).await;
    mock.assert_no_violations();
    assert!(matches!(report.comment, Step::Created { .. }), "{report:?}");
    let spoofed = mock.comments().into_iter().find(|c| c.id == spoof).unwrap();
    assert_eq!(spoofed.body, format!("{MARKER}\nfake verdict"));
    assert_eq!(comments_by(&mock, BOT).len(), 1);
}

#[tokio::test]
async fn a_marker_that_does_not_start_the_body_is_not_ours() {
    let mock = github(BOT).await;
    // Our own identity, but the marker is quoted inside the text (as artifact
    // text inside a report could place it), or followed by more on its line.
    let quoted = mock.add_comment(PR, BOT, &format!("a test said:\n{MARKER}\n"));
    let trailing = mock.add_comment(PR, BOT, &format!("{MARKER} and more\nx"));
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready"), &run.env(), &options(true, None)).await;
    mock.assert_no_violations();
    assert!(matches!(report.comment, Step::Created { .. }), "{report:?}");
    for (id, body) in [
        (quoted, format!("a test said:\n{MARKER}\n")),
        (trailing, format!("{MARKER} and more\nx")),
    ] {
        let kept = mock.comments().into_iter().find(|c| c.id == id).unwrap();
        assert_eq!(kept.body, body, "comment {id} was edited");
    }
}

async fn two_pushes(mock: &MockGithub, options: &PublishOptions) -> (Step, Step) {
    let run = Run::pull_request(mock);
    let first = publish(&publication("Not ready: 1"), &run.env(), options).await;
    let second = publish(&publication("Not ready: 2"), &run.env(), options).await;
    mock.assert_no_violations();
    (first.comment, second.comment)
}

#[tokio::test]
async fn a_personal_access_token_updates_its_own_comment() {
    let mock = github("octocat").await;
    // GitHub does not let a PAT create check runs; without one, the identity
    // comes from `GET /user`.
    let (first, second) = two_pushes(&mock, &options(false, None)).await;
    assert!(matches!(first, Step::Created { .. }), "{first:?}");
    assert!(matches!(second, Step::Updated { .. }), "{second:?}");
    let ours = comments_by(&mock, "octocat");
    assert_eq!(ours.len(), 1, "{:?}", mock.comments());
    assert!(ours[0].body.contains("Not ready: 2"));
    assert!(mock
        .requests()
        .iter()
        .any(|r| r.method == "GET" && r.path == "/user"));
}

#[tokio::test]
async fn a_github_app_token_updates_its_own_comment() {
    let mock = github("my-readiness-app[bot]").await;
    let (first, second) = two_pushes(&mock, &options(true, None)).await;
    assert!(matches!(first, Step::Created { .. }), "{first:?}");
    assert!(matches!(second, Step::Updated { .. }), "{second:?}");
    assert_eq!(comments_by(&mock, "my-readiness-app[bot]").len(), 1);
    // The app was learned from our check run: no `GET /user` (which an
    // installation token is refused anyway).
    assert!(!mock.requests().iter().any(|r| r.path == "/user"));
}

#[tokio::test]
async fn the_explicit_comment_author_wins() {
    let mock = github("my-readiness-app[bot]").await;
    // No check run, so nothing learned from it; `GET /user` is refused to an
    // installation token: the default identity would post a new comment per
    // push. The explicit author keeps one.
    let (_, second) = two_pushes(&mock, &options(false, None)).await;
    assert!(matches!(second, Step::Created { .. }), "{second:?}");
    assert_eq!(comments_by(&mock, "my-readiness-app[bot]").len(), 2);

    let mock = github("my-readiness-app[bot]").await;
    let (first, second) = two_pushes(&mock, &options(false, Some("my-readiness-app[bot]"))).await;
    assert!(matches!(first, Step::Created { .. }), "{first:?}");
    assert!(matches!(second, Step::Updated { .. }), "{second:?}");
    assert_eq!(comments_by(&mock, "my-readiness-app[bot]").len(), 1);
    assert!(!mock.requests().iter().any(|r| r.path == "/user"));
}
