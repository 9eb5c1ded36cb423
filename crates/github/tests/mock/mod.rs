//! A local mock of the seven GitHub endpoints we use, on wiremock.
//!
//! Every request body, query and path parameter is validated against
//! `fixtures/openapi-subset.json` (the endpoints of GitHub's REST OpenAPI
//! description that we use, with OpenAPI 3.0 `nullable` converted to JSON
//! Schema), every response against
//! its response schema, plus the limits GitHub enforces beyond the schema
//! (50 annotations, summary bytes, comment characters, unknown SHAs,
//! `conclusion` with `completed`). A request GitHub would reject is answered
//! with GitHub's 422 *and* recorded as a violation, which fails the test.
//!
//! State: check runs (annotations appended on PATCH), comments per issue
//! (ids ascending, author = the token's login), PR heads. Pagination with
//! `Link` on the request's own authority. Faults can be scripted per
//! method and path. Every request is recorded.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const BOT: &str = "github-actions[bot]";

fn openapi() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let text = include_str!("../fixtures/openapi-subset.json");
        to_json_schema(&serde_json::from_str(text).unwrap())
    })
}

/// OpenAPI 3.0 -> JSON Schema (draft 7), as extract.py's `to_json_schema`.
fn to_json_schema(node: &Value) -> Value {
    match node {
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                if matches!(
                    k.as_str(),
                    "discriminator" | "nullable" | "example" | "x-multi-segment"
                ) {
                    continue;
                }
                out.insert(k.clone(), to_json_schema(v));
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                    if let Some(Value::Array(e)) = out.get_mut("enum") {
                        if !e.contains(&Value::Null) {
                            e.push(Value::Null);
                        }
                    }
                } else if out.contains_key("$ref")
                    || out.contains_key("oneOf")
                    || out.contains_key("anyOf")
                    || out.contains_key("allOf")
                {
                    return json!({"anyOf": [{"type": "null"}, Value::Object(out)]});
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn pointer_escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Validates `instance` against the schema at JSON pointer `pointer` in the document.
pub fn validate_at(pointer: &str, instance: &Value) -> Vec<String> {
    let doc = openapi();
    let schema = json!({
        "$ref": format!("#{}", pointer.replace('{', "%7B").replace('}', "%7D")),
        "paths": doc["paths"],
        "components": doc["components"],
    });
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("schema at {pointer} does not compile: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{pointer}: {} at `{}`", e, e.instance_path()))
        .collect()
}

fn resolve_param(p: &Value) -> Value {
    if let Some(r) = p.get("$ref").and_then(|r| r.as_str()) {
        openapi()
            .pointer(r.trim_start_matches('#'))
            .cloned()
            .unwrap()
    } else {
        p.clone()
    }
}

/// Validates path and query parameters of `template`/`method`.
fn validate_params(
    template: &str,
    method: &str,
    path_params: &HashMap<String, String>,
    query: &[(String, String)],
) -> Vec<String> {
    let op = &openapi()["paths"][template][method];
    let params: Vec<Value> = op["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(resolve_param)
        .collect();
    let mut problems = Vec::new();
    for (location, given) in [
        (
            "path",
            path_params
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>(),
        ),
        ("query", query.to_vec()),
    ] {
        let mut props = Map::new();
        let mut required = Vec::new();
        for p in params.iter().filter(|p| p["in"] == location) {
            props.insert(p["name"].as_str().unwrap().to_owned(), p["schema"].clone());
            if p["required"] == true {
                required.push(p["name"].clone());
            }
        }
        let mut instance = Map::new();
        for (k, v) in &given {
            let kind = props
                .get(k)
                .and_then(|s| s["type"].as_str())
                .unwrap_or("string");
            let value = if kind == "integer" {
                v.parse::<i64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::String(v.clone()))
            } else {
                Value::String(v.clone())
            };
            if instance.insert(k.clone(), value).is_some() {
                problems.push(format!("{location} parameter `{k}` given twice"));
            }
        }
        let schema = json!({"type": "object", "properties": props, "required": required, "additionalProperties": false});
        let validator = jsonschema::draft7::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        for e in validator.iter_errors(&Value::Object(instance)) {
            problems.push(format!("{method} {template} {location}: {e}"));
        }
    }
    problems
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    pub raw_body: String,
    pub authorization: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CheckRun {
    pub id: u64,
    pub name: String,
    pub head_sha: String,
    pub external_id: Option<String>,
    pub status: String,
    pub conclusion: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// `output.text` (where a run keeps its figures for later baselines).
    pub text: Option<String>,
    pub annotations: Vec<Value>,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
    /// The login of the token that created it; a `slug[bot]` login is served
    /// as the run's `app`.
    pub creator: String,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: u64,
    pub issue: u64,
    pub body: String,
    pub login: String,
}

#[derive(Debug, Clone)]
pub struct Fault {
    pub method: &'static str,
    pub path_contains: String,
    pub times: usize,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Default)]
pub struct State {
    pub check_runs: Vec<CheckRun>,
    pub comments: Vec<Comment>,
    pub pulls: HashMap<u64, String>,
    pub known_shas: HashSet<String>,
    /// token -> (login, can write)
    pub tokens: HashMap<String, (String, bool)>,
    pub faults: Vec<Fault>,
    pub requests: Vec<Recorded>,
    pub violations: Vec<String>,
    pub next_id: u64,
}

#[derive(Clone)]
pub struct MockGithub {
    pub server: Arc<MockServer>,
    pub state: Arc<Mutex<State>>,
    pub prefix: String,
}

struct Responder {
    state: Arc<Mutex<State>>,
    prefix: String,
    base: String,
}

impl MockGithub {
    pub async fn start(prefix: &str) -> MockGithub {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            ..State::default()
        }));
        let responder = Responder {
            state: state.clone(),
            prefix: prefix.to_owned(),
            base: server.uri(),
        };
        Mock::given(wiremock::matchers::any())
            .respond_with(responder)
            .mount(&server)
            .await;
        MockGithub {
            server: Arc::new(server),
            state,
            prefix: prefix.to_owned(),
        }
    }

    /// `GITHUB_API_URL` for this mock.
    pub fn api_url(&self) -> String {
        format!("{}{}", self.server.uri(), self.prefix)
    }

    pub fn add_token(&self, token: &str, login: &str, write: bool) {
        self.state
            .lock()
            .unwrap()
            .tokens
            .insert(token.to_owned(), (login.to_owned(), write));
    }

    pub fn add_sha(&self, sha: &str) {
        self.state.lock().unwrap().known_shas.insert(sha.to_owned());
    }

    pub fn add_pull(&self, number: u64, head_sha: &str) {
        let mut s = self.state.lock().unwrap();
        s.pulls.insert(number, head_sha.to_owned());
        s.known_shas.insert(head_sha.to_owned());
    }

    /// A completed check run made by `creator` (another workflow, another
    /// app, or an earlier run of ours), with `output.text`.
    pub fn add_check_run(
        &self,
        name: &str,
        head_sha: &str,
        external_id: Option<&str>,
        text: Option<&str>,
        creator: &str,
    ) -> u64 {
        let mut s = self.state.lock().unwrap();
        s.next_id += 1;
        let id = s.next_id;
        s.known_shas.insert(head_sha.to_owned());
        s.check_runs.push(CheckRun {
            id,
            name: name.to_owned(),
            head_sha: head_sha.to_owned(),
            external_id: external_id.map(str::to_owned),
            status: "completed".into(),
            conclusion: Some("success".into()),
            title: Some("t".into()),
            summary: Some("s".into()),
            text: text.map(str::to_owned),
            annotations: Vec::new(),
            started_at: None,
            completed_at: None,
            creator: creator.to_owned(),
        });
        id
    }

    pub fn add_comment(&self, issue: u64, login: &str, body: &str) -> u64 {
        let mut s = self.state.lock().unwrap();
        s.next_id += 1;
        let id = s.next_id;
        s.comments.push(Comment {
            id,
            issue,
            body: body.to_owned(),
            login: login.to_owned(),
        });
        id
    }

    pub fn fault(
        &self,
        method: &'static str,
        path_contains: &str,
        times: usize,
        status: u16,
        headers: &[(&str, &str)],
        body: &str,
    ) {
        self.state.lock().unwrap().faults.push(Fault {
            method,
            path_contains: path_contains.to_owned(),
            times,
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_owned(),
        });
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn take_requests(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.state.lock().unwrap().requests)
    }

    pub fn violations(&self) -> Vec<String> {
        self.state.lock().unwrap().violations.clone()
    }

    pub fn check_runs(&self) -> Vec<CheckRun> {
        self.state.lock().unwrap().check_runs.clone()
    }

    pub fn comments(&self) -> Vec<Comment> {
        self.state.lock().unwrap().comments.clone()
    }

    pub fn assert_no_violations(&self) {
        let v = self.violations();
        assert!(
            v.is_empty(),
            "requests GitHub would reject:\n{}",
            v.join("\n")
        );
    }
}

fn user(login: &str, base: &str) -> Value {
    let id = if login == BOT {
        41898282
    } else {
        1000 + login.len() as u64
    };
    let kind = if login.ends_with("[bot]") {
        "Bot"
    } else {
        "User"
    };
    let u = format!(
        "{base}/users/{}",
        login.replace('[', "%5B").replace(']', "%5D")
    );
    json!({
        "login": login, "id": id, "node_id": format!("MDQ6VXNlcj{id}"),
        "avatar_url": "https://avatars.githubusercontent.com/u/1?v=4", "gravatar_id": "",
        "url": u, "html_url": match login.strip_suffix("[bot]") { Some(app) => format!("https://github.example/apps/{app}"), None => format!("https://github.example/{login}") },
        "followers_url": format!("{u}/followers"), "following_url": format!("{u}/following{{/other_user}}"),
        "gists_url": format!("{u}/gists{{/gist_id}}"), "starred_url": format!("{u}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{u}/subscriptions"), "organizations_url": format!("{u}/orgs"),
        "repos_url": format!("{u}/repos"), "events_url": format!("{u}/events{{/privacy}}"),
        "received_events_url": format!("{u}/received_events"), "type": kind, "site_admin": false
    })
}

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn error_body(status: u16, message: &str) -> Value {
    json!({"message": message, "documentation_url": "https://docs.github.com/rest", "status": status.to_string()})
}

fn validation_error(resource: &str, field: &str, code: &str, message: &str) -> Value {
    json!({"message": "Validation Failed", "errors": [{"resource": resource, "field": field, "code": code, "message": message}], "documentation_url": "https://docs.github.com/rest", "status": "422"})
}

fn ratelimit_headers(t: ResponseTemplate) -> ResponseTemplate {
    t.insert_header("x-ratelimit-limit", "1000")
        .insert_header("x-ratelimit-remaining", "990")
        .insert_header("x-ratelimit-used", "10")
        .insert_header("x-ratelimit-reset", "1900000000")
        .insert_header("x-ratelimit-resource", "core")
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ratelimit_headers(ResponseTemplate::new(status).set_body_raw(
        serde_json::to_vec(body).unwrap(),
        "application/json; charset=utf-8",
    ))
}

/// Matches `/repos/{owner}/...` templates against a concrete path.
fn match_template(template: &str, path: &str) -> Option<HashMap<String, String>> {
    let t: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut params = HashMap::new();
    for (a, b) in t.iter().zip(&p) {
        if let Some(name) = a.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
            if b.is_empty() {
                return None;
            }
            params.insert(name.to_owned(), (*b).to_owned());
        } else if a != b {
            return None;
        }
    }
    Some(params)
}

const ROUTES: &[(&str, &str)] = &[
    ("POST", "/repos/{owner}/{repo}/check-runs"),
    ("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}"),
    ("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs"),
    (
        "GET",
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    ),
    (
        "POST",
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    ),
    (
        "PATCH",
        "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    ),
    ("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("GET", "/user"),
];

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let method = request.method.to_string();
        let full_path = request.url.path().to_owned();
        let query: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let header = |n: &str| {
            request
                .headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let raw_body = String::from_utf8_lossy(&request.body).into_owned();
        let body: Option<Value> = if request.body.is_empty() {
            None
        } else {
            serde_json::from_slice(&request.body).ok()
        };
        state.requests.push(Recorded {
            method: method.clone(),
            path: full_path.clone(),
            query: query.clone(),
            body: body.clone(),
            raw_body: raw_body.clone(),
            authorization: header("authorization"),
            user_agent: header("user-agent"),
        });

        // Transport-level checks.
        if header("user-agent").is_none() {
            state
                .violations
                .push(format!("{method} {full_path}: no User-Agent"));
            return json_response(403, &error_body(403, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header"));
        }
        let Some(path) = full_path.strip_prefix(&self.prefix) else {
            state.violations.push(format!(
                "{method} {full_path}: not under the API prefix `{}`",
                self.prefix
            ));
            return json_response(404, &error_body(404, "Not Found"));
        };
        let path = path.to_owned();
        let token = header("authorization").and_then(|a| {
            a.strip_prefix("Bearer ")
                .or_else(|| a.strip_prefix("token "))
                .map(str::to_owned)
        });
        let Some((login, can_write)) = token.as_ref().and_then(|t| state.tokens.get(t).cloned())
        else {
            state
                .violations
                .push(format!("{method} {full_path}: bad credentials"));
            return json_response(401, &error_body(401, "Bad credentials"));
        };
        if !request.body.is_empty() && body.is_none() {
            state
                .violations
                .push(format!("{method} {full_path}: body is not JSON"));
            return json_response(400, &error_body(400, "Problems parsing JSON"));
        }

        // Scripted faults.
        if let Some(fault) = state
            .faults
            .iter_mut()
            .find(|f| f.times > 0 && f.method == method && path.contains(&f.path_contains))
        {
            fault.times -= 1;
            let mut t = ResponseTemplate::new(fault.status).set_body_raw(
                fault.body.clone().into_bytes(),
                if fault.body.starts_with('<') {
                    "text/html"
                } else {
                    "application/json; charset=utf-8"
                },
            );
            for (k, v) in &fault.headers {
                t = t.insert_header(k.as_str(), v.as_str());
            }
            return t;
        }

        let Some((template, params)) = ROUTES.iter().find_map(|(m, t)| {
            (*m == method)
                .then(|| match_template(t, &path).map(|p| (*t, p)))
                .flatten()
        }) else {
            state
                .violations
                .push(format!("{method} {full_path}: no such endpoint"));
            return json_response(404, &error_body(404, "Not Found"));
        };

        // Schema validation of parameters and body.
        let spec_method = if template.ends_with("/issues/comments/{comment_id}") {
            "patch".to_owned()
        } else {
            method.to_lowercase()
        };
        let mut problems = Vec::new();
        // Two endpoints outside the contract's subset: their answers are
        // hand-written below in GitHub's shape, and not schema-validated.
        if template != "/repos/{owner}/{repo}/pulls/{pull_number}" && template != "/user" {
            problems.extend(validate_params(template, &spec_method, &params, &query));
            let op = &openapi()["paths"][template][spec_method.as_str()];
            if op.get("requestBody").is_some() {
                match &body {
                    Some(b) => problems.extend(validate_at(
                        &format!(
                            "/paths/{}/{spec_method}/requestBody/content/application~1json/schema",
                            pointer_escape(template)
                        ),
                        b,
                    )),
                    None => problems.push(format!("{method} {template}: request body required")),
                }
            } else if body.is_some() {
                problems.push(format!("{method} {template}: unexpected body"));
            }
        }
        if let Some(b) = &body {
            problems.extend(github_rules(template, b));
        }
        if !problems.is_empty() {
            state.violations.extend(problems.iter().cloned());
            let message = problems.join("; ");
            if message.contains("No more than 50") {
                return json_response(
                    422,
                    &error_body(422, &format!("Invalid request.\n\n{message}")),
                );
            }
            return json_response(
                422,
                &validation_error("Request", "body", "invalid", &message),
            );
        }
        let writes = method != "GET";
        if writes && !can_write {
            return json_response(
                403,
                &error_body(403, "Resource not accessible by integration"),
            );
        }
        drop(state);
        self.handle(
            template,
            &method,
            &params,
            &query,
            body.unwrap_or(Value::Null),
            &login,
        )
    }
}

/// Limits GitHub enforces beyond the schema.
fn github_rules(template: &str, body: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if template.contains("check-runs") {
        if let Some(output) = body.get("output") {
            for field in ["summary", "text"] {
                if let Some(s) = output.get(field).and_then(|s| s.as_str()) {
                    if s.len() > 65_535 {
                        problems.push(format!(
                            "{field} exceeds a maximum bytesize of 65535 ({} bytes)",
                            s.len()
                        ));
                    }
                }
            }
            if output.get("title").is_none() {
                problems.push("output.title is required".into());
            }
            if let Some(list) = output.get("annotations").and_then(|a| a.as_array()) {
                if list.len() > 50 {
                    problems.push(format!(
                        "No more than 50 items are allowed; {} were supplied.",
                        list.len()
                    ));
                }
                for a in list {
                    let start = a["start_line"].as_i64().unwrap_or(0);
                    let end = a["end_line"].as_i64().unwrap_or(0);
                    if start < 1 || end < start {
                        problems.push(format!("annotation lines {start}..{end} are invalid"));
                    }
                    if (a.get("start_column").is_some() || a.get("end_column").is_some())
                        && start != end
                    {
                        problems.push("annotation columns on a multi-line annotation".into());
                    }
                    if a["title"].as_str().is_some_and(|t| t.chars().count() > 255) {
                        problems.push("annotation title over 255 characters".into());
                    }
                    if a["message"].as_str().is_some_and(|m| m.len() > 64 * 1024) {
                        problems.push("annotation message over 64 KB".into());
                    }
                    let path = a["path"].as_str().unwrap_or("");
                    if path.starts_with('/') || path.contains('\\') || path.is_empty() {
                        problems.push(format!(
                            "annotation path `{path}` is not repository-relative"
                        ));
                    }
                }
            }
        }
        if body.get("completed_at").is_some() && body.get("conclusion").is_none() {
            problems.push("conclusion is required with completed_at".into());
        }
    }
    if template.contains("comments") {
        if let Some(text) = body.get("body").and_then(|b| b.as_str()) {
            if text.chars().count() > 65_536 {
                problems.push("Body is too long (maximum is 65536 characters)".into());
            }
        }
    }
    problems
}

impl Responder {
    fn check_run_json(&self, run: &CheckRun) -> Value {
        let base = &self.base;
        json!({
            "id": run.id, "node_id": format!("CR_{}", run.id), "head_sha": run.head_sha,
            "external_id": run.external_id, "url": format!("{base}{}/repos/o/r/check-runs/{}", self.prefix, run.id),
            "html_url": format!("https://github.example/o/r/runs/{}", run.id), "details_url": null,
            "status": run.status, "conclusion": run.conclusion, "started_at": run.started_at, "completed_at": run.completed_at,
            "output": {"title": run.title, "summary": run.summary, "text": run.text, "annotations_count": run.annotations.len(),
                       "annotations_url": format!("{base}{}/repos/o/r/check-runs/{}/annotations", self.prefix, run.id)},
            "name": run.name, "check_suite": {"id": 5}, "app": self.app_json(&run.creator), "pull_requests": []
        })
    }

    /// The GitHub App behind a `slug[bot]` login; `null` for a user (GitHub
    /// only lets apps create check runs, but the mock does not refuse PATs).
    fn app_json(&self, login: &str) -> Value {
        let Some(slug) = login.strip_suffix("[bot]") else {
            return Value::Null;
        };
        json!({
            "id": 15368, "slug": slug, "node_id": "MDM6QXBwMTUzNjg", "client_id": "Iv1.0",
            "owner": user("github", &format!("{}{}", self.base, self.prefix)),
            "name": slug, "description": "an app", "external_url": "https://github.example",
            "html_url": format!("https://github.example/apps/{slug}"),
            "created_at": "2018-07-30T09:30:17Z", "updated_at": "2024-04-10T20:33:16Z",
            "permissions": {"checks": "write"}, "events": ["check_run"]
        })
    }

    fn comment_json(&self, c: &Comment) -> Value {
        json!({
            "id": c.id, "node_id": format!("IC_{}", c.id),
            "url": format!("{}{}/repos/o/r/issues/comments/{}", self.base, self.prefix, c.id),
            "html_url": format!("https://github.example/o/r/pull/{}#issuecomment-{}", c.issue, c.id),
            "issue_url": format!("{}{}/repos/o/r/issues/{}", self.base, self.prefix, c.issue),
            "body": c.body, "user": user(&c.login, &format!("{}{}", self.base, self.prefix)),
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "author_association": "NONE"
        })
    }

    fn respond_checked(&self, status: u16, body: Value, schema: &str) -> ResponseTemplate {
        let problems = validate_at(&format!("/components/schemas/{schema}"), &body);
        assert!(
            problems.is_empty(),
            "mock response is not GitHub-shaped: {problems:?}"
        );
        json_response(status, &body)
    }

    fn handle(
        &self,
        template: &str,
        method: &str,
        params: &HashMap<String, String>,
        query: &[(String, String)],
        body: Value,
        login: &str,
    ) -> ResponseTemplate {
        let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let mut state = self.state.lock().unwrap();
        match (method, template) {
            ("POST", "/repos/{owner}/{repo}/check-runs") => {
                let sha = body["head_sha"].as_str().unwrap_or("").to_owned();
                if !state.known_shas.contains(&sha) {
                    return json_response(
                        422,
                        &validation_error(
                            "CheckRun",
                            "head_sha",
                            "invalid",
                            &format!("No commit found for SHA: {sha}"),
                        ),
                    );
                }
                state.next_id += 1;
                let id = state.next_id;
                let output = body.get("output").cloned().unwrap_or(Value::Null);
                let conclusion = body["conclusion"].as_str().map(str::to_owned);
                let run = CheckRun {
                    id,
                    name: body["name"].as_str().unwrap_or("").to_owned(),
                    head_sha: sha,
                    external_id: body["external_id"].as_str().map(str::to_owned),
                    status: if conclusion.is_some() {
                        "completed".into()
                    } else {
                        body["status"].as_str().unwrap_or("queued").to_owned()
                    },
                    conclusion,
                    title: output["title"].as_str().map(str::to_owned),
                    summary: output["summary"].as_str().map(str::to_owned),
                    text: output["text"].as_str().map(str::to_owned),
                    annotations: output["annotations"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                    started_at: body["started_at"].as_str().map(str::to_owned),
                    completed_at: body["completed_at"].as_str().map(str::to_owned),
                    creator: login.to_owned(),
                };
                state.check_runs.push(run.clone());
                drop(state);
                self.respond_checked(201, self.check_run_json(&run), "check-run")
            }
            ("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}") => {
                let id: u64 = params["check_run_id"].parse().unwrap_or(0);
                let Some(run) = state.check_runs.iter_mut().find(|r| r.id == id) else {
                    return json_response(404, &error_body(404, "Not Found"));
                };
                if let Some(s) = body["status"].as_str() {
                    run.status = s.to_owned();
                }
                if let Some(c) = body["conclusion"].as_str() {
                    run.conclusion = Some(c.to_owned());
                    run.status = "completed".into();
                }
                if let Some(e) = body["external_id"].as_str() {
                    run.external_id = Some(e.to_owned());
                }
                if let Some(t) = body["completed_at"].as_str() {
                    run.completed_at = Some(t.to_owned());
                }
                if let Some(output) = body.get("output") {
                    if let Some(t) = output["title"].as_str() {
                        run.title = Some(t.to_owned());
                    }
                    run.summary = output["summary"].as_str().map(str::to_owned);
                    if let Some(t) = output["text"].as_str() {
                        run.text = Some(t.to_owned());
                    }
                    run.annotations.extend(
                        output["annotations"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default(),
                    );
                }
                let run = run.clone();
                drop(state);
                self.respond_checked(200, self.check_run_json(&run), "check-run")
            }
            ("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs") => {
                let sha = &params["ref"];
                let name = q("check_name");
                let runs: Vec<CheckRun> = state
                    .check_runs
                    .iter()
                    .rev()
                    .filter(|r| {
                        &r.head_sha == sha && (name.is_none() || name.as_ref() == Some(&r.name))
                    })
                    .cloned()
                    .collect();
                drop(state);
                let per_page = q("per_page")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(30)
                    .clamp(1, 100);
                let page = q("page")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1);
                let total = runs.len();
                let pages = total.div_ceil(per_page).max(1);
                let list: Vec<Value> = runs
                    .iter()
                    .skip((page - 1) * per_page)
                    .take(per_page)
                    .map(|r| self.check_run_json(r))
                    .collect();
                for r in &list {
                    let problems = validate_at("/components/schemas/check-run", r);
                    assert!(problems.is_empty(), "{problems:?}");
                }
                let mut t = json_response(200, &json!({"total_count": total, "check_runs": list}));
                if page < pages {
                    let others: Vec<String> = query
                        .iter()
                        .filter(|(k, _)| k != "page")
                        .map(|(k, v)| format!("{k}={}", encode(v)))
                        .collect();
                    let link = format!(
                        "<{}{}/repos/{}/{}/commits/{sha}/check-runs?{}&page={}>; rel=\"next\"",
                        self.base,
                        self.prefix,
                        params["owner"],
                        params["repo"],
                        others.join("&"),
                        page + 1
                    );
                    t = t.insert_header("link", link.as_str());
                }
                t
            }
            ("GET", "/user") => {
                drop(state);
                if login.ends_with("[bot]") {
                    return json_response(
                        403,
                        &error_body(403, "Resource not accessible by integration"),
                    );
                }
                json_response(200, &user(login, &format!("{}{}", self.base, self.prefix)))
            }
            ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments") => {
                let issue: u64 = params["issue_number"].parse().unwrap_or(0);
                let per_page = q("per_page")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(30)
                    .clamp(1, 100);
                let page = q("page")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1);
                let all: Vec<Comment> = state
                    .comments
                    .iter()
                    .filter(|c| c.issue == issue)
                    .cloned()
                    .collect();
                drop(state);
                let pages = all.len().div_ceil(per_page).max(1);
                let items: Vec<Value> = all
                    .iter()
                    .skip((page - 1) * per_page)
                    .take(per_page)
                    .map(|c| self.comment_json(c))
                    .collect();
                for c in &items {
                    assert!(
                        validate_at("/components/schemas/issue-comment", c).is_empty(),
                        "{:?}",
                        validate_at("/components/schemas/issue-comment", c)
                    );
                }
                let link_base = format!(
                    "{}{}/repos/{}/{}/issues/{issue}/comments",
                    self.base, self.prefix, params["owner"], params["repo"]
                );
                let mut links = Vec::new();
                if page < pages {
                    links.push(format!(
                        "<{link_base}?per_page={per_page}&page={}>; rel=\"next\"",
                        page + 1
                    ));
                    links.push(format!(
                        "<{link_base}?per_page={per_page}&page={pages}>; rel=\"last\""
                    ));
                }
                if page > 1 {
                    links.push(format!(
                        "<{link_base}?per_page={per_page}&page={}>; rel=\"prev\"",
                        page - 1
                    ));
                    links.push(format!(
                        "<{link_base}?per_page={per_page}&page=1>; rel=\"first\""
                    ));
                }
                let mut t = json_response(200, &Value::Array(items));
                if !links.is_empty() {
                    t = t.insert_header("link", links.join(", ").as_str());
                }
                t
            }
            ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments") => {
                let issue: u64 = params["issue_number"].parse().unwrap_or(0);
                state.next_id += 1;
                let c = Comment {
                    id: state.next_id,
                    issue,
                    body: body["body"].as_str().unwrap_or("").to_owned(),
                    login: login.to_owned(),
                };
                state.comments.push(c.clone());
                drop(state);
                self.respond_checked(201, self.comment_json(&c), "issue-comment")
                    .insert_header("location", "x")
            }
            ("PATCH" | "POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}") => {
                let id: u64 = params["comment_id"].parse().unwrap_or(0);
                let Some(c) = state.comments.iter_mut().find(|c| c.id == id) else {
                    return json_response(404, &error_body(404, "Not Found"));
                };
                if c.login != login {
                    let v = format!("edited comment {id} of `{}` as `{login}`", c.login);
                    state.violations.push(v);
                    return json_response(
                        403,
                        &error_body(403, "Must have admin rights to Repository."),
                    );
                }
                c.body = body["body"].as_str().unwrap_or("").to_owned();
                let c = c.clone();
                drop(state);
                self.respond_checked(200, self.comment_json(&c), "issue-comment")
            }
            ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}") => {
                let n: u64 = params["pull_number"].parse().unwrap_or(0);
                match state.pulls.get(&n) {
                    Some(sha) => json_response(
                        200,
                        &json!({"number": n, "head": {"sha": sha}, "base": {"sha": "0".repeat(40)}}),
                    ),
                    None => json_response(404, &error_body(404, "Not Found")),
                }
            }
            _ => json_response(404, &error_body(404, "Not Found")),
        }
    }
}
