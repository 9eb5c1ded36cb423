//! The report of `gate test`: one line per case, the diff of changed cases, and a summary.

use crate::lifecycle::policy_test::{CaseStatus, TestReport};

/// The report for people: one line per case, the diff of changed cases, and a summary.
pub fn render(report: &TestReport) -> String {
    let mut out = format!(
        "gate test · {} ({}) · cases in {}\n",
        report.policy_name,
        report.policy_file,
        report.cases_dir.display()
    );
    for case in &report.cases {
        match &case.status {
            CaseStatus::Pass => out.push_str(&format!("  pass     {}\n", case.name)),
            CaseStatus::New { written: true } => out.push_str(&format!(
                "  new      {}  (snapshot written: {})\n",
                case.name,
                case.snapshot.headline()
            )),
            CaseStatus::New { written: false } => out.push_str(&format!(
                "  new      {}  (no snapshot yet: {}; review it, then run with --accept)\n",
                case.name,
                case.snapshot.headline()
            )),
            CaseStatus::Changed { diff, accepted } => {
                let note = if *accepted {
                    "  (snapshot updated)"
                } else {
                    ""
                };
                out.push_str(&format!("  CHANGED  {}{note}\n", case.name));
                for line in diff {
                    out.push_str(&format!("           {line}\n"));
                }
            }
            CaseStatus::Error(reason) => {
                out.push_str(&format!("  ERROR    {}: {reason}\n", case.name))
            }
        }
    }
    let (passed, new, changed, errors) = report.counts();
    out.push_str(&format!(
        "{} case{}: {passed} passed, {new} new, {changed} changed, {errors} error{} ({} ms)\n",
        report.cases.len(),
        plural(report.cases.len()),
        plural(errors),
        report.elapsed.as_millis()
    ));
    if !report.succeeded() && !report.accept {
        out.push_str(
            "review the differences; if the new outcomes are right, run `gate test --accept`\n",
        );
    }
    out
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
