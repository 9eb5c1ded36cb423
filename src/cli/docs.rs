//! `gate completions <shell>` (clap_complete) and `gate man` (clap_mangen): both are generated
//! from the same clap definition as the parser, so they cannot drift from it.

use super::args::{Cli, CompletionsArgs, ManArgs, Shell};
use super::Exit;
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

fn write_stdout(bytes: &[u8]) -> Exit {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Exit::Ready,
        // `gate man | head` closes the pipe early: not an error.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Exit::Ready,
        Err(error) => super::common::fail(
            &format!(
                "cannot write to stdout: {}",
                error.to_string().to_lowercase()
            ),
            None,
        ),
    }
}

/// `gate completions <shell>`: the completion script on stdout.
pub fn completions(args: CompletionsArgs) -> Exit {
    let mut command = Cli::command();
    let mut script = Vec::new();
    match args.shell {
        Shell::Bash => generate(clap_complete::Shell::Bash, &mut command, &mut script),
        Shell::Zsh => generate(clap_complete::Shell::Zsh, &mut command, &mut script),
        Shell::Fish => generate(clap_complete::Shell::Fish, &mut command, &mut script),
        Shell::Powershell => generate(clap_complete::Shell::PowerShell, &mut command, &mut script),
        Shell::Elvish => generate(clap_complete::Shell::Elvish, &mut command, &mut script),
    }
    write_stdout(&script)
}

fn generate(shell: clap_complete::Shell, command: &mut clap::Command, out: &mut Vec<u8>) {
    clap_complete::generate(shell, command, "gate", out);
}

/// The roff of one page.
fn render(command: clap::Command) -> Result<Vec<u8>, std::io::Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    Ok(page)
}

/// `gate man`: `gate.1` on stdout, or with `--dir DIR` `gate.1` and `gate-<command>.1` for each
/// command written there.
pub fn man(args: ManArgs) -> Exit {
    let command = Cli::command();
    let Some(dir) = args.dir else {
        return match render(command) {
            Ok(page) => write_stdout(&page),
            Err(error) => {
                super::common::fail(&format!("cannot render the man page: {error}"), None)
            }
        };
    };
    match write_pages(command, &dir) {
        Ok(count) => {
            eprintln!("wrote {count} man pages to `{}`", dir.display());
            Exit::Ready
        }
        Err(error) => super::common::fail(
            &format!(
                "cannot write the man pages to `{}`: {}",
                dir.display(),
                error.to_string().to_lowercase()
            ),
            None,
        ),
    }
}

fn write_pages(command: clap::Command, dir: &Path) -> Result<usize, std::io::Error> {
    std::fs::create_dir_all(dir)?;
    let command = command.version(super::args::VERSION);
    let mut count = 0;
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("gate-{}", sub.get_name());
        let page = render(sub.clone().name(name.clone()).version(super::args::VERSION))?;
        std::fs::write(dir.join(format!("{name}.1")), page)?;
        count += 1;
    }
    std::fs::write(dir.join("gate.1"), render(command)?)?;
    Ok(count + 1)
}
