//! Publishing against a local mock GitHub that validates every request
//! against GitHub's OpenAPI schemas (see `mock/mod.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod mock;

use mock::{MockGithub, BOT};
use readiness_github::{
    publish, publish_bundle, write_bundle, Annotation, AnnotationLevel, CommentMode, Conclusion,
    GithubEnv, Outputs, Publication, PublishOptions, PublishReport, RetryPolicy, Section, Step,
    Timer,
};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "ghs_TOPSECRETtoken0123456789abcdef";
const HEAD_SHA: &str = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const MERGE_SHA: &str = "1111111111111111111111111111111111111111";
const REPO: &str = "Codertocat/Hello-World";
const PR: u64 = 2;

/// Records waits instead of sleeping; a fixed clock.
#[derive(Default)]
struct FakeTimer {
    waits: Mutex<Vec<Duration>>,
}

const NOW: u64 = 1_800_000_000;

impl Timer for FakeTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.waits.lock().unwrap().push(duration);
        Box::pin(async {})
    }
    fn now_unix(&self) -> u64 {
        NOW
    }
}

struct Run {
    dir: tempfile::TempDir,
    vars: HashMap<String, String>,
}

impl Run {
    /// A `pull_request` run: the opened.payload.json fixture, `GITHUB_SHA`
    /// set to a merge commit that must NOT be used.
    fn pull_request(mock: &MockGithub) -> Run {
        Self::with_event(mock, "pull_request", |_| {})
    }

    fn with_event(mock: &MockGithub, event_name: &str, edit: impl FnOnce(&mut Value)) -> Run {
        let dir = tempfile::tempdir().unwrap();
        let mut event: Value =
            serde_json::from_str(include_str!("fixtures/pull_request.opened.payload.json"))
                .unwrap();
        edit(&mut event);
        let event_path = dir.path().join("event.json");
        std::fs::write(&event_path, serde_json::to_string(&event).unwrap()).unwrap();
        let mut vars = HashMap::new();
        for (k, v) in [
            ("GITHUB_ACTIONS", "true".to_owned()),
            ("GITHUB_API_URL", mock.api_url()),
            ("GITHUB_SERVER_URL", "https://github.example".to_owned()),
            ("GITHUB_REPOSITORY", REPO.to_owned()),
            ("GITHUB_EVENT_NAME", event_name.to_owned()),
            ("GITHUB_EVENT_PATH", event_path.display().to_string()),
            ("GITHUB_SHA", MERGE_SHA.to_owned()),
            ("GITHUB_RUN_ID", "42".to_owned()),
            (
                "GITHUB_WORKSPACE",
                "/home/runner/work/Hello-World".to_owned(),
            ),
            (
                "GITHUB_OUTPUT",
                dir.path().join("output").display().to_string(),
            ),
            (
                "GITHUB_STEP_SUMMARY",
                dir.path().join("summary.md").display().to_string(),
            ),
            ("GITHUB_TOKEN", TOKEN.to_owned()),
        ] {
            vars.insert(k.to_owned(), v);
        }
        Run { dir, vars }
    }

    fn env(&self) -> GithubEnv {
        GithubEnv::from_lookup(|k| self.vars.get(k).cloned(), "GITHUB_TOKEN").unwrap()
    }

    fn summary(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("summary.md")).unwrap_or_default()
    }

    fn output(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("output")).unwrap_or_default()
    }
}

async fn github() -> MockGithub {
    let mock = MockGithub::start("").await;
    mock.add_token(TOKEN, BOT, true);
    mock.add_pull(PR, HEAD_SHA);
    mock
}

fn publication(title: &str, annotations: usize) -> Publication {
    let mut p = Publication::from_markdown(
        "readiness",
        Conclusion::Failure,
        title,
        &format!("### ❌ {title}\n\n## Gates\n| gate | figure | threshold |\n|---|---|---|\n| coverage | 72.5% | 95% |\n\n## Evidence\n- lcov.info\n"),
        Outputs { ready: false, score: "72.5".into(), level: "beta".into(), report_json: Some(PathBuf::from("target/readiness.json")) },
    );
    p.annotations = (0..annotations)
        .map(|i| Annotation {
            path: if i % 2 == 0 {
                format!("src/file{i}.rs")
            } else {
                format!("/home/runner/work/Hello-World/src/abs{i}.rs")
            },
            start_line: u32::try_from(i).unwrap() + 1,
            end_line: u32::try_from(i).unwrap() + 1,
            start_column: Some(1),
            end_column: Some(4),
            level: match i % 3 {
                0 => AnnotationLevel::Notice,
                1 => AnnotationLevel::Failure,
                _ => AnnotationLevel::Warning,
            },
            title: Some(format!("finding {i}")),
            message: format!("uncovered line {i}, 50% of the branch"),
            rank: u32::try_from(i).unwrap(),
        })
        .collect();
    p
}

fn options(timer: &Arc<FakeTimer>) -> PublishOptions {
    PublishOptions {
        timer: timer.clone(),
        retry: RetryPolicy::default(),
        ..PublishOptions::default()
    }
}

fn count(requests: &[mock::Recorded], method: &str, path_part: &str, suffix: &str) -> usize {
    requests
        .iter()
        .filter(|r| r.method == method && r.path.contains(path_part) && r.path.ends_with(suffix))
        .count()
}

fn assert_token_absent(report: &PublishReport, run: &Run, mock: &MockGithub) {
    let mut haystack = format!(
        "{report:?}\n{}\n{}\n{}",
        report.stdout,
        run.summary(),
        run.output()
    );
    for r in mock.requests() {
        haystack.push_str(&r.raw_body);
        haystack.push_str(&r.path);
        for (k, v) in &r.query {
            haystack.push_str(k);
            haystack.push_str(v);
        }
        // the token travels only in the Authorization header
        assert_eq!(
            r.authorization.as_deref(),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    assert!(!haystack.contains(TOKEN), "token leaked");
    assert!(!haystack.contains("TOPSECRET"), "token leaked");
}

#[tokio::test]
async fn first_run_creates_check_and_comment_later_runs_update_them() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let run = Run::pull_request(&mock);
    let report = publish(
        &publication("Not ready: 72.5% (target 95%)", 3),
        &run.env(),
        &options(&timer),
    )
    .await;
    mock.assert_no_violations();
    assert!(
        matches!(report.check_run, Step::Created { .. }),
        "{report:?}"
    );
    assert!(matches!(report.comment, Step::Created { .. }), "{report:?}");
    assert!(!report.fell_back);
    assert!(report.stdout.is_empty());

    let requests = mock.take_requests();
    let post = requests
        .iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/check-runs"))
        .unwrap();
    let body = post.body.as_ref().unwrap();
    assert_eq!(
        body["head_sha"], HEAD_SHA,
        "the PR head from the event, not GITHUB_SHA"
    );
    assert_eq!(body["status"], "in_progress");
    assert_eq!(
        body["details_url"],
        "https://github.example/Codertocat/Hello-World/actions/runs/42"
    );
    let runs = mock.check_runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, "completed");
    assert_eq!(runs[0].conclusion.as_deref(), Some("failure"));
    assert_eq!(runs[0].annotations.len(), 3);
    assert_eq!(
        runs[0].annotations[0]["annotation_level"], "failure",
        "failures first"
    );
    assert_eq!(
        runs[0].annotations[0]["path"], "src/abs1.rs",
        "workspace path made relative"
    );
    assert_eq!(mock.comments().len(), 1);
    assert!(mock.comments()[0]
        .body
        .starts_with("<!-- readiness-gate:sticky v1 key=readiness state="));

    // Same SHA, new figures: both updated in place, nothing new.
    let report = publish(
        &publication("Not ready: 80.0% (target 95%)", 3),
        &run.env(),
        &options(&timer),
    )
    .await;
    mock.assert_no_violations();
    assert!(
        matches!(report.check_run, Step::Updated { .. }),
        "{report:?}"
    );
    assert!(matches!(report.comment, Step::Updated { .. }), "{report:?}");
    let requests = mock.take_requests();
    assert_eq!(
        count(&requests, "POST", "", "/comments"),
        0,
        "0 new comments"
    );
    assert_eq!(
        count(&requests, "POST", "", "/check-runs"),
        0,
        "no new check run"
    );
    assert_eq!(count(&requests, "PATCH", "/issues/comments/", ""), 1);
    assert_eq!(mock.check_runs().len(), 1);
    assert_eq!(
        mock.check_runs()[0].title.as_deref(),
        Some("Not ready: 80.0% (target 95%)")
    );
    assert_eq!(
        mock.check_runs()[0].annotations.len(),
        3,
        "annotations are not appended twice"
    );
    assert_eq!(mock.comments().len(), 1);
    assert!(mock.comments()[0].body.contains("80.0%"));

    // Identical third run: the comment is not even edited.
    let report = publish(
        &publication("Not ready: 80.0% (target 95%)", 3),
        &run.env(),
        &options(&timer),
    )
    .await;
    assert!(
        matches!(report.comment, Step::Unchanged { .. }),
        "{report:?}"
    );
    assert_eq!(
        count(&mock.take_requests(), "PATCH", "/issues/comments/", ""),
        0
    );

    // Outputs in heredoc form, summary written.
    let outputs = parse_file_commands(&run.output());
    assert_eq!(outputs["ready"], "false");
    assert_eq!(outputs["score"], "72.5");
    assert_eq!(outputs["level"], "beta");
    assert_eq!(outputs["report-json"], "target/readiness.json");
    assert!(run.summary().contains("Not ready: 72.5%"));
    assert!(timer.waits.lock().unwrap().is_empty());
    assert_token_absent(&report, &run, &mock);
}

/// The runner's parser for `GITHUB_OUTPUT`.
fn parse_file_commands(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            let mut value = Vec::new();
            loop {
                let l = lines.next().expect("Matching delimiter not found");
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_owned(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_owned(), value.to_owned());
        }
    }
    out
}

#[tokio::test]
async fn annotations_go_out_fifty_at_a_time() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready", 173), &run.env(), &options(&timer)).await;
    mock.assert_no_violations();
    assert_eq!(report.annotations_sent, 173);
    assert_eq!(report.annotation_requests, 4);
    let requests = mock.requests();
    let carrying: Vec<usize> = requests
        .iter()
        .filter(|r| r.path.contains("/check-runs") && r.method != "GET")
        .filter_map(|r| {
            r.body.as_ref()?["output"]["annotations"]
                .as_array()
                .map(Vec::len)
        })
        .collect();
    assert_eq!(carrying, vec![50, 50, 50, 23]);
    // POST first, then PATCHes; only the last one completes.
    let writes: Vec<&mock::Recorded> = requests
        .iter()
        .filter(|r| r.path.contains("/check-runs") && r.method != "GET")
        .collect();
    assert_eq!(writes[0].method, "POST");
    assert!(writes[1..].iter().all(|r| r.method == "PATCH"));
    assert!(writes[..3]
        .iter()
        .all(|r| r.body.as_ref().unwrap().get("conclusion").is_none()));
    assert_eq!(writes[3].body.as_ref().unwrap()["status"], "completed");
    assert!(writes
        .iter()
        .all(|r| r.body.as_ref().unwrap()["output"]["summary"].is_string()));
    assert_eq!(mock.check_runs()[0].annotations.len(), 173);
}

#[tokio::test]
async fn annotation_cap_adds_a_note() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let run = Run::pull_request(&mock);
    let opts = PublishOptions {
        annotation_cap: 60,
        ..options(&timer)
    };
    let report = publish(&publication("Not ready", 100), &run.env(), &opts).await;
    mock.assert_no_violations();
    assert_eq!(report.annotations_sent, 60);
    assert_eq!(report.annotations_omitted, 40);
    assert!(mock.check_runs()[0]
        .summary
        .as_deref()
        .unwrap()
        .contains("40 more annotations not shown (cap 60)"));
}

#[tokio::test]
async fn sticky_comment_is_found_on_the_third_page_and_others_are_left_alone() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let lookalike = mock.add_comment(
        PR,
        "mallory",
        "<!-- readiness-gate:sticky v1 key=readiness state=0 -->\nfake",
    );
    for i in 0..220 {
        mock.add_comment(
            PR,
            if i % 2 == 0 { "octocat" } else { BOT },
            &format!("comment {i}"),
        );
    }
    let ours = mock.add_comment(
        PR,
        BOT,
        "<!-- readiness-gate:sticky v1 key=readiness state=0 -->\nold",
    );
    mock.add_comment(PR, "octocat", "thanks!");
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready", 0), &run.env(), &options(&timer)).await;
    mock.assert_no_violations();
    assert!(matches!(report.comment, Step::Updated { .. }), "{report:?}");
    let requests = mock.requests();
    let pages: Vec<String> = requests
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/issues/2/comments"))
        .map(|r| {
            r.query
                .iter()
                .find(|(k, _)| k == "page")
                .map_or("1".to_owned(), |(_, v)| v.clone())
        })
        .collect();
    assert_eq!(pages, vec!["1", "2", "3"]);
    let patched: Vec<&str> = requests
        .iter()
        .filter(|r| r.method == "PATCH")
        .map(|r| r.path.as_str())
        .collect();
    assert!(
        patched.contains(&format!("/repos/Codertocat/Hello-World/issues/comments/{ours}").as_str()),
        "{patched:?}"
    );
    assert_eq!(count(&requests, "POST", "", "/comments"), 0);
    let comments = mock.comments();
    assert!(comments
        .iter()
        .find(|c| c.id == lookalike)
        .unwrap()
        .body
        .ends_with("fake"));
    assert!(comments
        .iter()
        .find(|c| c.id == ours)
        .unwrap()
        .body
        .contains("Not ready"));
}

#[tokio::test]
async fn comment_modes() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let run = Run::pull_request(&mock);
    let mut ready = publication("Ready: 97%", 0);
    ready.conclusion = Conclusion::Success;
    // on-failure: a passing PR without a comment gets none.
    let opts = PublishOptions {
        comment: CommentMode::OnFailure,
        ..options(&timer)
    };
    let report = publish(&ready, &run.env(), &opts).await;
    assert!(matches!(report.comment, Step::Skipped(_)), "{report:?}");
    assert!(mock.comments().is_empty());
    // off: no comment requests at all.
    mock.take_requests();
    let opts = PublishOptions {
        comment: CommentMode::Off,
        ..options(&timer)
    };
    publish(&publication("Not ready", 0), &run.env(), &opts).await;
    assert_eq!(count(&mock.take_requests(), "GET", "", "/comments"), 0);
    // on-change: created once; a body change without a verdict change is not posted.
    let opts = PublishOptions {
        comment: CommentMode::OnChange,
        ..options(&timer)
    };
    publish(&publication("Not ready", 0), &run.env(), &opts).await;
    let mut same_verdict = publication("Not ready", 0);
    same_verdict
        .sections
        .push(Section::new("extra", 9, "new detail"));
    let report = publish(&same_verdict, &run.env(), &opts).await;
    assert!(
        matches!(report.comment, Step::Unchanged { .. }),
        "{report:?}"
    );
    let report = publish(&ready, &run.env(), &opts).await;
    assert!(matches!(report.comment, Step::Updated { .. }), "{report:?}");
    assert_eq!(mock.comments().len(), 1);
    mock.assert_no_violations();
}

#[tokio::test]
async fn forbidden_comment_falls_back_to_workflow_commands_and_the_summary() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    mock.fault("POST", "/issues/2/comments", 1, 403, &[], r#"{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest","status":"403"}"#);
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready", 25), &run.env(), &options(&timer)).await;
    mock.assert_no_violations();
    assert!(matches!(report.check_run, Step::Created { .. }));
    match &report.comment {
        Step::Failed(why) => assert!(
            why.contains("403") && why.contains("Resource not accessible by integration"),
            "{why}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(report.fell_back);
    let warnings = report
        .stdout
        .lines()
        .filter(|l| l.starts_with("::warning title=readiness-gate::"))
        .count();
    assert_eq!(warnings, 1, "exactly one clear warning:\n{}", report.stdout);
    assert!(report.stdout.contains("::error file=src/abs1.rs,line=2,endLine=2,col=1,endColumn=4,title=finding 1::uncovered line 1%2C 50%25 of the branch") || report.stdout.contains("::error file=src/abs1.rs"));
    assert!(
        report
            .stdout
            .lines()
            .filter(|l| l.starts_with("::error "))
            .count()
            <= 10
    );
    assert!(
        report
            .stdout
            .lines()
            .filter(|l| l.starts_with("::notice "))
            .count()
            <= 11
    );
    assert!(run.summary().contains("### Findings"));
    // The verdict and exit code are not ours to change, unless strict.
    assert!(!report.should_fail(false));
    assert!(report.should_fail(true));
    assert_token_absent(&report, &run, &mock);
}

#[tokio::test]
async fn fork_pull_requests_skip_the_api_and_fall_back() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let run = Run::with_event(&mock, "pull_request", |e| {
        e["pull_request"]["head"]["repo"]["full_name"] = "forker/Hello-World".into();
    });
    let report = publish(&publication("Not ready", 5), &run.env(), &options(&timer)).await;
    assert!(
        mock.requests().is_empty(),
        "a read-only token is not even tried"
    );
    assert!(
        matches!(report.check_run, Step::Unavailable(_)),
        "{report:?}"
    );
    assert!(report.fell_back);
    assert!(report.stdout.contains("fork `forker/Hello-World`"));
    assert!(report.stdout.contains("::error file=src/abs1.rs"));
    assert!(matches!(report.job_summary, Step::Written { .. }));
    assert!(matches!(report.outputs, Step::Written { .. }));
}

#[tokio::test]
async fn bad_gateway_twice_then_created_without_duplicates() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    mock.fault(
        "POST",
        "/check-runs",
        1,
        502,
        &[],
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    );
    mock.fault(
        "POST",
        "/check-runs",
        1,
        502,
        &[],
        r#"{"message":"Server Error"}"#,
    );
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready", 3), &run.env(), &options(&timer)).await;
    mock.assert_no_violations();
    assert!(
        matches!(report.check_run, Step::Created { .. }),
        "{report:?}"
    );
    assert_eq!(mock.check_runs().len(), 1);
    let requests = mock.requests();
    let sequence: Vec<String> = requests
        .iter()
        .filter(|r| r.path.contains("check-runs"))
        .map(|r| r.method.clone())
        .collect();
    // list, POST 502, re-list, POST 502, re-list, POST 201, PATCH complete
    assert_eq!(
        sequence,
        vec!["GET", "POST", "GET", "POST", "GET", "POST", "PATCH"]
    );
    assert_eq!(
        *timer.waits.lock().unwrap(),
        vec![Duration::from_secs(1), Duration::from_secs(2)]
    );
    assert!(report.notes.is_empty() || report.notes.iter().all(|n| !n.contains(TOKEN)));
}

#[tokio::test]
async fn secondary_rate_limit_waits_retry_after() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    mock.fault(
        "POST",
        "/issues/2/comments",
        1,
        403,
        &[("retry-after", "7"), ("x-ratelimit-remaining", "4000")],
        r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}"#,
    );
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready", 0), &run.env(), &options(&timer)).await;
    mock.assert_no_violations();
    assert!(matches!(report.comment, Step::Created { .. }), "{report:?}");
    assert_eq!(mock.comments().len(), 1);
    assert_eq!(*timer.waits.lock().unwrap(), vec![Duration::from_secs(7)]);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("rate limited") && n.contains("waiting 7s")),
        "{:?}",
        report.notes
    );
}

#[tokio::test]
async fn primary_rate_limit_waits_until_reset_and_gives_up_when_too_long() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let reset = (NOW + 30).to_string();
    mock.fault("GET", "/check-runs", 1, 403, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", &reset)], r#"{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest"}"#);
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready", 0), &run.env(), &options(&timer)).await;
    assert!(
        matches!(report.check_run, Step::Created { .. }),
        "{report:?}"
    );
    assert_eq!(*timer.waits.lock().unwrap(), vec![Duration::from_secs(31)]);

    // A reset two hours away is more than we wait: reported, not slept.
    let far = (NOW + 7200).to_string();
    mock.fault(
        "GET",
        "/issues/2/comments",
        1,
        429,
        &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", &far)],
        r#"{"message":"API rate limit exceeded"}"#,
    );
    let report = publish(&publication("Not ready 2", 0), &run.env(), &options(&timer)).await;
    match &report.comment {
        Step::Failed(why) => assert!(why.starts_with("rate limited on GET"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(timer.waits.lock().unwrap().len(), 1);
    assert!(
        !report.fell_back,
        "a rate limit is not a permission problem"
    );
}

#[tokio::test]
async fn unprocessable_entity_shows_githubs_message() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    // The head commit is unknown to this repository: the mock answers as GitHub does.
    let run = Run::with_event(&mock, "pull_request", |e| {
        e["pull_request"]["head"]["sha"] = "2222222222222222222222222222222222222222".into();
    });
    let report = publish(&publication("Not ready", 0), &run.env(), &options(&timer)).await;
    match &report.check_run {
        Step::Failed(why) => {
            assert!(
                why.contains(
                    "github answered 422 to POST /repos/Codertocat/Hello-World/check-runs"
                ),
                "{why}"
            );
            assert!(why.contains("Validation Failed"), "{why}");
            assert!(
                why.contains("No commit found for SHA: 2222222222222222222222222222222222222222"),
                "{why}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!report.fell_back, "422 is not a permission problem");
    assert!(timer.waits.lock().unwrap().is_empty(), "422 is not retried");
    assert!(!report.should_fail(false));
}

#[tokio::test]
async fn ghes_base_url_keeps_the_api_v3_prefix() {
    let mock = MockGithub::start("/api/v3").await;
    mock.add_token(TOKEN, BOT, true);
    mock.add_pull(PR, HEAD_SHA);
    for i in 0..130 {
        mock.add_comment(PR, "octocat", &format!("c{i}"));
    }
    let timer = Arc::new(FakeTimer::default());
    let run = Run::pull_request(&mock);
    assert!(run.env().api_url.ends_with("/api/v3"));
    let report = publish(&publication("Not ready", 60), &run.env(), &options(&timer)).await;
    mock.assert_no_violations();
    assert!(
        matches!(report.check_run, Step::Created { .. }),
        "{report:?}"
    );
    assert!(matches!(report.comment, Step::Created { .. }), "{report:?}");
    let requests = mock.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.path.starts_with("/api/v3/repos/")),
        "{:?}",
        requests.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    assert_eq!(
        count(&requests, "GET", "", "/issues/2/comments"),
        2,
        "second page followed through the prefixed Link"
    );
}

#[tokio::test]
async fn oversized_reports_are_cut_under_every_limit_keeping_the_verdict() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let run = Run::pull_request(&mock);
    let mut p = publication("Not ready: 72.5% (target 95%)", 0);
    for i in 0..40 {
        p.sections.push(Section::new(
            format!("gate `g{i}`"),
            10 + i,
            format!("## g{i}\n{}", "é".repeat(20_000)),
        ));
    }
    let report = publish(&p, &run.env(), &options(&timer)).await;
    mock.assert_no_violations();
    let summary = mock.check_runs()[0].summary.clone().unwrap();
    assert!(summary.len() <= 65_535);
    assert!(summary.starts_with("### ❌ Not ready: 72.5% (target 95%)"));
    assert!(
        summary.contains("Shortened to fit GitHub's limit of 65535 bytes"),
        "{}",
        &summary[summary.len() - 400..]
    );
    assert!(
        summary.contains("gate `g39`"),
        "the cut note names what was left out"
    );
    let comment = &mock.comments()[0].body;
    assert!(comment.chars().count() <= 65_536);
    assert!(comment.contains("Not ready: 72.5%"));
    let job = run.summary();
    assert!(job.len() < 1_048_576);
    assert!(job.contains("Not ready: 72.5%"));
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("check run summary shortened")),
        "{:?}",
        report.notes
    );
    assert!(matches!(
        report.job_summary,
        Step::Written { truncated: true }
    ));
}

#[tokio::test]
async fn token_never_appears_even_when_github_echoes_it() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    let echo = format!(r#"{{"message":"Bad token {TOKEN} rejected","errors":["{TOKEN}"]}}"#);
    mock.fault("POST", "/check-runs", 1, 404, &[], &echo);
    mock.fault("GET", "/issues/2/comments", 4, 500, &[], &echo);
    let run = Run::pull_request(&mock);
    let report = publish(&publication("Not ready", 3), &run.env(), &options(&timer)).await;
    assert!(matches!(report.check_run, Step::Failed(_)), "{report:?}");
    assert!(matches!(report.comment, Step::Failed(_)), "{report:?}");
    assert!(report.problems().iter().any(|p| p.contains("***")));
    assert_token_absent(&report, &run, &mock);
    let env_debug = format!("{:?}", run.env());
    assert!(!env_debug.contains(TOKEN));
    assert!(env_debug.contains("Token(***)"));
}

#[tokio::test]
async fn bundle_round_trip_checks_repository_and_sha() {
    let mock = github().await;
    let timer = Arc::new(FakeTimer::default());
    // Phase one: fork PR, no token.
    let mut phase_one = Run::with_event(&mock, "pull_request", |e| {
        e["pull_request"]["head"]["repo"]["full_name"] = "forker/Hello-World".into();
    });
    phase_one.vars.remove("GITHUB_TOKEN");
    let bundle_dir = phase_one.dir.path().join("bundle");
    let identity = write_bundle(
        &bundle_dir,
        &publication("Not ready", 2),
        "{}",
        "",
        &phase_one.env(),
    )
    .unwrap();
    assert_eq!(identity.head_sha, HEAD_SHA);
    assert_eq!(identity.pull_request, Some(PR));
    assert!(bundle_dir.join("summary.md").exists());
    assert!(bundle_dir.join("report.json").exists());
    // Phase two publishes what it recomputes from the outcome (here: the same publication).
    let recompute = |_: &readiness_github::Bundle, _: &readiness_github::VerifiedBundle| {
        let mut recomputed = publication("Not ready", 2);
        recomputed.outputs.report_json = None;
        Ok(recomputed)
    };
    assert!(mock.requests().is_empty());

    // Phase two: workflow_run with a write token; fork PRs are not listed in the event.
    let phase_two = |head_sha: &str, repo: &str| {
        let head_sha = head_sha.to_owned();
        let mut run = Run::with_event(&mock, "workflow_run", move |e| {
            *e = serde_json::json!({"action": "completed", "workflow_run": {"head_sha": head_sha, "event": "pull_request", "pull_requests": []}});
        });
        run.vars.insert("GITHUB_REPOSITORY".into(), repo.into());
        run
    };
    let good = phase_two(HEAD_SHA, REPO);
    let report = publish_bundle(
        &bundle_dir,
        &good.env(),
        "readiness",
        recompute,
        &options(&timer),
    )
    .await
    .unwrap();
    mock.assert_no_violations();
    assert!(
        matches!(report.check_run, Step::Created { .. }),
        "{report:?}"
    );
    assert!(matches!(report.comment, Step::Created { .. }), "{report:?}");
    assert_eq!(mock.check_runs()[0].head_sha, HEAD_SHA);
    assert!(
        mock.requests()
            .iter()
            .any(|r| r.path == "/repos/Codertocat/Hello-World/pulls/2"),
        "PR head confirmed through the API"
    );

    let wrong_sha = phase_two("3333333333333333333333333333333333333333", REPO);
    let err = publish_bundle(
        &bundle_dir,
        &wrong_sha.env(),
        "readiness",
        recompute,
        &options(&timer),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("bundle head SHA"), "{err}");
    let wrong_repo = phase_two(HEAD_SHA, "someone/else");
    let err = publish_bundle(
        &bundle_dir,
        &wrong_repo.env(),
        "readiness",
        recompute,
        &options(&timer),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("bundle repository is `Codertocat/Hello-World`"),
        "{err}"
    );

    // A bundle naming a PR whose head is another commit gets no comment.
    mock.add_pull(7, "4444444444444444444444444444444444444444");
    let mut forged: Value =
        serde_json::from_str(&std::fs::read_to_string(bundle_dir.join("identity.json")).unwrap())
            .unwrap();
    forged["pull_request"] = 7.into();
    std::fs::write(bundle_dir.join("identity.json"), forged.to_string()).unwrap();
    let before = mock.comments().len();
    let report = publish_bundle(
        &bundle_dir,
        &good.env(),
        "readiness",
        recompute,
        &options(&timer),
    )
    .await
    .unwrap();
    assert!(matches!(report.comment, Step::Unavailable(_)), "{report:?}");
    assert_eq!(mock.comments().len(), before);
}

#[test]
fn fixture_schema_is_the_shared_one_unchanged() {
    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/github/openapi-subset.json");
    if let Ok(original) = std::fs::read(&shared) {
        let copy = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi-subset.json"),
        )
        .unwrap();
        assert!(
            original == copy,
            "tests/fixtures/openapi-subset.json differs from shared/github/openapi-subset.json"
        );
    }
}
