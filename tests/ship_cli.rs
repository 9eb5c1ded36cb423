//! Shipping conventions of the `gate` binary: `--version` names the commit and the build date,
//! `gate completions <shell>` writes a script for each supported shell, and `gate man` writes
//! the man pages that the release archives carry.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;

fn gate() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gate"))
}

fn stdout_of(args: &[&str]) -> String {
    let output = gate().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "gate {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn version_names_the_commit_and_the_build_date() {
    let version = stdout_of(&["--version"]);
    let version = version.trim();
    let rest = version
        .strip_prefix(&format!("gate {} (", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("unexpected `{version}`"));
    let inner = rest.strip_suffix(')').unwrap();
    let (commit, date) = inner.split_once(' ').unwrap();
    assert!(
        commit == "unknown" || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "commit `{commit}`"
    );
    let parts: Vec<&str> = date.split('-').collect();
    assert_eq!(parts.len(), 3, "date `{date}`");
    assert_eq!(parts[0].len(), 4);
    assert!(
        parts.iter().all(|p| p.parse::<u32>().is_ok()),
        "date `{date}`"
    );
    assert_eq!(stdout_of(&["-V"]).trim(), version);
}

#[test]
fn completions_for_every_shell() {
    let expectations = [
        ("bash", "complete -F _gate"),
        ("zsh", "#compdef gate"),
        ("fish", "complete -c gate"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "set edit:completion:arg-completer[gate]"),
    ];
    for (shell, marker) in expectations {
        let script = stdout_of(&["completions", shell]);
        assert!(
            script.contains(marker),
            "{shell}: no `{marker}` in\n{script}"
        );
        for command in ["check", "publish", "inspect", "completions", "man"] {
            assert!(
                script.contains(command),
                "{shell}: `{command}` not completed"
            );
        }
        assert!(
            script.contains("--diff-base"),
            "{shell}: flags of `check` not completed"
        );
    }
    let output = gate().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("powershell"));
}

#[test]
fn bash_completion_is_valid_bash() {
    let Ok(status) = std::process::Command::new("bash").arg("--version").output() else {
        return; // no bash on this machine: the content test above still ran
    };
    assert!(status.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gate.bash");
    std::fs::write(&path, stdout_of(&["completions", "bash"])).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn man_page_on_stdout() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH gate 1"), "{page}");
    assert!(page.contains(".SH NAME"));
    assert!(page.contains(".SH SUBCOMMANDS"));
    assert!(page.contains("gate\\-check"), "subcommands listed");
    assert!(
        page.contains(env!("CARGO_PKG_VERSION")),
        "the version is on the page"
    );
}

#[test]
fn man_pages_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let output = gate().args(["man", "--dir"]).arg(&out).output().unwrap();
    assert!(output.status.success());
    for name in [
        "gate",
        "gate-check",
        "gate-publish",
        "gate-validate",
        "gate-fmt",
        "gate-explain",
        "gate-inspect",
        "gate-test",
        "gate-diff",
        "gate-init",
        "gate-completions",
        "gate-man",
    ] {
        let page = std::fs::read_to_string(out.join(format!("{name}.1")))
            .unwrap_or_else(|_| panic!("no {name}.1"));
        assert!(page.contains(&format!(".TH {name} 1")), "{name}.1:\n{page}");
    }
    let check = std::fs::read_to_string(out.join("gate-check.1")).unwrap();
    assert!(
        check.contains("\\-\\-diff\\-base"),
        "check's flags are documented"
    );
}
