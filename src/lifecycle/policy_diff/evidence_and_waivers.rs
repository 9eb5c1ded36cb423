//! The changes to a policy's evidence declarations and waivers.

use super::{Differ, Direction, Subject};
use crate::check::CheckedPolicy;
use crate::lifecycle::pairing::{by_name, Paired};
use std::cmp::Ordering;

pub(super) fn diff_evidence(d: &mut Differ, base: &CheckedPolicy, head: &CheckedPolicy) {
    let describe = |item: &crate::check::EvidenceItem| {
        let globs: Vec<String> = item
            .globs
            .iter()
            .map(|glob| format!("\"{}\"", glob.text))
            .collect();
        let mut text = format!("{:?}({})", item.kind, globs.join(", ")).to_lowercase();
        if let Some(shards) = item.shards {
            text.push_str(&format!(" shards {shards}"));
        }
        if let Some(format) = item.format {
            text.push_str(&format!(" as {format}"));
        }
        text
    };
    for pairing in by_name(&base.evidence, &head.evidence, |item| &item.name) {
        match pairing {
            Paired::Added(item) => d.push(
                Subject::Evidence,
                Direction::Changed,
                None,
                format!("evidence `{}` added: {}", item.name, describe(item)),
            ),
            Paired::Both(old, item) => {
                let (before, after) = (describe(old), describe(item));
                if before != after {
                    d.push(
                        Subject::Evidence,
                        Direction::Changed,
                        None,
                        format!("evidence `{}`: {before} -> {after}", item.name),
                    );
                }
            }
            Paired::Removed(item) => d.push(
                Subject::Evidence,
                Direction::Changed,
                None,
                format!("evidence `{}` removed (was {})", item.name, describe(item)),
            ),
        }
    }
}

pub(super) fn diff_waivers(d: &mut Differ, base: &CheckedPolicy, head: &CheckedPolicy) {
    for pairing in by_name(&base.waivers, &head.waivers, |waiver| &waiver.gate) {
        let (old, waiver) = match pairing {
            Paired::Added(waiver) => (None, waiver),
            Paired::Both(old, waiver) => (Some(old), waiver),
            Paired::Removed(waiver) => {
                d.push(
                    Subject::Waiver,
                    Direction::Tightened,
                    Some(&waiver.gate),
                    format!(
                        "waiver of `{}` removed (was until {})",
                        waiver.gate, waiver.until
                    ),
                );
                continue;
            }
        };
        let gate = Some(waiver.gate.as_str());
        match old {
            None => d.push(
                Subject::Waiver,
                Direction::Relaxed,
                gate,
                format!(
                    "waiver of `{}` added until {} ({}: {})",
                    waiver.gate, waiver.until, waiver.owner, waiver.reason
                ),
            ),
            Some(old) => {
                match old.until.cmp(&waiver.until) {
                    Ordering::Less => d.push(
                        Subject::Waiver,
                        Direction::Relaxed,
                        gate,
                        format!(
                            "waiver of `{}` extended: until {} -> {}",
                            waiver.gate, old.until, waiver.until
                        ),
                    ),
                    Ordering::Greater => d.push(
                        Subject::Waiver,
                        Direction::Tightened,
                        gate,
                        format!(
                            "waiver of `{}` shortened: until {} -> {}",
                            waiver.gate, old.until, waiver.until
                        ),
                    ),
                    Ordering::Equal => {}
                }
                if old.owner != waiver.owner || old.reason != waiver.reason {
                    d.push(
                        Subject::Waiver,
                        Direction::Changed,
                        gate,
                        format!(
                            "waiver of `{}`: now {}: {}",
                            waiver.gate, waiver.owner, waiver.reason
                        ),
                    );
                }
            }
        }
    }
}
