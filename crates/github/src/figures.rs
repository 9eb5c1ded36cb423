//! Baselines kept for you: each run keeps its figures on its own check run,
//! and a pull request's run reads them back from its base commit's run.
//!
//! * **Where.** The check run's `output.text`, a field only this block is
//!   ever written to (the report goes to `output.summary`), so no artifact
//!   text shares it. The block is a hidden HTML comment:
//!   `<!-- readiness-gate:figures v1` NL JSON NL `-->`.
//! * **Escaped.** In the JSON, `<`, `>` and `&` are written as `\u003c`,
//!   `\u003e`, `\u0026`, so no name or figure can end the comment or open
//!   another; the text is read back only when it *is* such a block, whole.
//! * **Bounded and versioned.** `v` is [`FIGURES_FORMAT`]; at most
//!   [`MAX_ITEMS`] items of [`MAX_FIGURES_PER_ITEM`] figures with short
//!   names and values, within [`MAX_BLOCK_BYTES`] (items past the budget
//!   are left out and counted in `omitted`). A block outside these bounds
//!   is refused when read.
//! * **Found.** `GET /repos/{o}/{r}/commits/{base}/check-runs?check_name=..`,
//!   every page (`Link` headers, up to [`MAX_PAGES`] pages of 100), keeping
//!   the newest completed run with our `external_id` prefix and a valid
//!   block. None: the `base.` figures are unknown, with the reason.

use crate::checks::{query_value, EXTERNAL_ID_PREFIX};
use crate::client::Client;
use crate::env::Repository;
use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The block format version.
pub const FIGURES_FORMAT: u32 = 1;
/// Most evidence items kept.
pub const MAX_ITEMS: usize = 500;
/// Most figures per item.
pub const MAX_FIGURES_PER_ITEM: usize = 64;
/// Longest name, status, type or value kept.
pub const MAX_FIELD_CHARS: usize = 200;
/// Largest block (GitHub allows 65,535 bytes of `output.text`).
pub const MAX_BLOCK_BYTES: usize = 60_000;
/// Pages of check runs read at most (100 runs each).
pub const MAX_PAGES: usize = 20;

const OPEN: &str = "<!-- readiness-gate:figures v1\n";
const CLOSE: &str = "\n-->";

/// The figures of one run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StoredFigures {
    /// [`FIGURES_FORMAT`].
    pub v: u32,
    /// The commit the evidence was made at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The policy's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// One entry per evidence item.
    pub items: Vec<StoredItem>,
    /// Items left out to stay within the bounds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The figures of one evidence item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredItem {
    /// Evidence item name.
    pub name: String,
    /// `read`, `missing`, `incomplete`, `unreadable`.
    pub status: String,
    /// Why it was not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Figure name → exact value.
    #[serde(default)]
    pub figures: BTreeMap<String, StoredFigure>,
}

/// One exact figure, as the JSON report writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFigure {
    /// The type (`percent`, `duration`, `count`, ...).
    #[serde(rename = "type")]
    pub ty: String,
    /// A decimal or a fraction in the type's base unit.
    pub exact: String,
}

fn short(text: &str) -> bool {
    text.chars().count() <= MAX_FIELD_CHARS && !text.chars().any(char::is_control)
}

impl StoredItem {
    fn within_bounds(&self) -> bool {
        short(&self.name)
            && short(&self.status)
            && self.problem.as_deref().is_none_or(short)
            && self.figures.len() <= MAX_FIGURES_PER_ITEM
            && self
                .figures
                .iter()
                .all(|(k, f)| short(k) && short(&f.ty) && short(&f.exact))
    }

    /// The item cut to the bounds: a long problem is shortened, figures past
    /// the cap or with over-long text are left out.
    fn bounded(&self) -> Option<StoredItem> {
        if !short(&self.name) || !short(&self.status) {
            return None;
        }
        let problem = self.problem.as_ref().map(|p| {
            p.chars()
                .filter(|c| !c.is_control())
                .take(MAX_FIELD_CHARS)
                .collect()
        });
        let figures = self
            .figures
            .iter()
            .filter(|(k, f)| short(k) && short(&f.ty) && short(&f.exact))
            .take(MAX_FIGURES_PER_ITEM)
            .map(|(k, f)| (k.clone(), f.clone()))
            .collect();
        Some(StoredItem {
            name: self.name.clone(),
            status: self.status.clone(),
            problem,
            figures,
        })
    }
}

fn json_text(figures: &StoredFigures) -> String {
    serde_json::to_string(figures)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The block for `figures`, within the bounds (items past them are left out
/// and counted in `omitted`).
pub fn encode(figures: &StoredFigures) -> String {
    let mut kept = StoredFigures {
        v: FIGURES_FORMAT,
        commit: figures.commit.clone().filter(|c| short(c)),
        policy: figures.policy.clone().filter(|p| short(p)),
        items: Vec::new(),
        omitted: 0,
    };
    let mut items: Vec<StoredItem> = figures
        .items
        .iter()
        .filter_map(StoredItem::bounded)
        .collect();
    items.truncate(MAX_ITEMS);
    kept.omitted = figures.items.len().saturating_sub(items.len());
    kept.items = items;
    let budget = MAX_BLOCK_BYTES.saturating_sub(OPEN.len() + CLOSE.len());
    let mut text = json_text(&kept);
    while text.len() > budget && !kept.items.is_empty() {
        // Halve what is over, so a huge list is cut in a few steps.
        let over = text.len().saturating_sub(budget);
        let average = text.len() / kept.items.len().max(1);
        let cut = (over / average.max(1)).max(1).min(kept.items.len());
        kept.items.truncate(kept.items.len().saturating_sub(cut));
        kept.omitted += cut;
        text = json_text(&kept);
    }
    format!("{OPEN}{text}{CLOSE}")
}

/// Reads a block back: the whole `text` must be one block of a known
/// version within the bounds.
pub fn decode(text: &str) -> Result<StoredFigures, String> {
    if text.len() > MAX_BLOCK_BYTES {
        return Err(format!(
            "the figures block is larger than {MAX_BLOCK_BYTES} bytes"
        ));
    }
    let body = text
        .trim_end()
        .strip_prefix(OPEN)
        .and_then(|rest| rest.strip_suffix(CLOSE))
        .ok_or_else(|| "the check run's text is not a figures block".to_owned())?;
    let figures: StoredFigures =
        serde_json::from_str(body).map_err(|e| format!("the figures block is not valid: {e}"))?;
    if figures.v != FIGURES_FORMAT {
        return Err(format!(
            "the figures block has version {}, this `gate` reads version {FIGURES_FORMAT}",
            figures.v
        ));
    }
    let in_bounds = figures.items.len() <= MAX_ITEMS
        && figures.items.iter().all(StoredItem::within_bounds)
        && figures.commit.as_deref().is_none_or(short)
        && figures.policy.as_deref().is_none_or(short);
    if !in_bounds {
        return Err("the figures block is outside the bounds a run writes".to_owned());
    }
    Ok(figures)
}

/// The base commit's figures, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseFigures {
    /// Found on the base commit's check run.
    Found {
        /// The figures.
        figures: StoredFigures,
        /// The check run's page.
        html_url: Option<String>,
    },
    /// None, and why (for the `base.` figures' unknown reason).
    Unavailable(String),
}

#[derive(Debug, Deserialize)]
struct RunPage {
    #[serde(default)]
    check_runs: Vec<Run>,
}

#[derive(Debug, Deserialize)]
struct Run {
    id: u64,
    name: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    html_url: Option<String>,
    #[serde(default)]
    output: Option<RunOutput>,
}

#[derive(Debug, Deserialize)]
struct RunOutput {
    #[serde(default)]
    text: Option<String>,
}

/// Finds the figures of `check_name` on `base_sha` (see the module docs).
pub async fn base_figures(
    client: &Client,
    repo: &Repository,
    base_sha: &str,
    check_name: &str,
) -> Result<BaseFigures, ApiError> {
    let route = format!(
        "/repos/{}/{}/commits/{}/check-runs?check_name={}&filter=all&per_page=100",
        repo.owner,
        repo.name,
        base_sha,
        query_value(check_name)
    );
    let mut best: Option<(u64, StoredFigures, Option<String>)> = None;
    let mut ours_without_figures = 0usize;
    let mut runs_seen = 0usize;
    client
        .get_pages_of::<RunPage, Run>(
            &route,
            MAX_PAGES,
            |page| page.check_runs,
            |runs| {
                for run in runs {
                    runs_seen += 1;
                    let ours = run.name == check_name
                        && run
                            .external_id
                            .as_deref()
                            .is_some_and(|id| id.starts_with(EXTERNAL_ID_PREFIX))
                        && run.status.as_deref() == Some("completed");
                    if !ours {
                        continue;
                    }
                    let text = run.output.and_then(|o| o.text);
                    match text.as_deref().map(decode) {
                        Some(Ok(figures))
                            if best.as_ref().is_none_or(|(id, _, _)| run.id > *id) =>
                        {
                            best = Some((run.id, figures, run.html_url));
                        }
                        Some(Ok(_)) => {}
                        _ => ours_without_figures += 1,
                    }
                }
            },
        )
        .await?;
    let short_sha: String = base_sha.chars().take(7).collect();
    Ok(match best {
        Some((_, figures, html_url)) => BaseFigures::Found { figures, html_url },
        None if ours_without_figures > 0 => BaseFigures::Unavailable(format!(
            "the base commit {short_sha} has a `{check_name}` check run, but without figures (made by an older `gate`, or not completed)"
        )),
        None => BaseFigures::Unavailable(format!(
            "the base commit {short_sha} has no completed `{check_name}` check run of readiness-gate ({runs_seen} check runs of that name read)"
        )),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn item(name: &str, exact: &str) -> StoredItem {
        let mut figures = BTreeMap::new();
        figures.insert(
            "lines".to_owned(),
            StoredFigure {
                ty: "percent".to_owned(),
                exact: exact.to_owned(),
            },
        );
        StoredItem {
            name: name.to_owned(),
            status: "read".to_owned(),
            problem: None,
            figures,
        }
    }

    #[test]
    fn round_trip_and_no_way_out_of_the_comment() {
        let figures = StoredFigures {
            v: FIGURES_FORMAT,
            commit: Some("abc".into()),
            policy: Some("p --> <!-- x & y".into()),
            items: vec![item("cov-->", "105/152")],
            omitted: 0,
        };
        let block = encode(&figures);
        assert!(block.starts_with(OPEN) && block.ends_with(CLOSE));
        assert_eq!(block.matches("-->").count(), 1, "{block}");
        assert_eq!(block.matches('<').count(), 1);
        assert_eq!(decode(&block).unwrap(), figures);
    }

    #[test]
    fn blocks_are_bounded_and_versioned() {
        let many = StoredFigures {
            v: FIGURES_FORMAT,
            items: (0..5000)
                .map(|i| item(&format!("item-{i:05}"), "1/3"))
                .collect(),
            ..StoredFigures::default()
        };
        let block = encode(&many);
        assert!(block.len() <= MAX_BLOCK_BYTES, "{}", block.len());
        let back = decode(&block).unwrap();
        assert!(back.items.len() <= MAX_ITEMS);
        assert_eq!(back.items.len() + back.omitted, 5000);
        let future = block.replace("\"v\":1", "\"v\":2");
        assert!(decode(&future).unwrap_err().contains("version 2"));
        assert!(decode("not a block").is_err());
        assert!(decode(&format!("x{block}")).is_err());
    }
}
