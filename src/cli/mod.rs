//! Command-line interface: argument definitions (clap derive) and the commands.
//!
//! Exit codes: 0 ready (or: the command succeeded), 1 not ready (or: `fmt --check` found
//! unformatted files), 2 the policy, the bundle or the invocation is invalid and nothing was
//! judged or published, 3 publishing failed (only with `--publish-strict`).

mod action_outputs;
mod args;
mod commands;
mod common;
mod docs;
mod github;
mod load;
mod policy_commands;

use clap::Parser;
use std::process::ExitCode;

/// The exit codes of `gate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Ready; or the command succeeded.
    Ready = 0,
    /// Not ready; or `fmt --check` found a file to reformat.
    NotReady = 1,
    /// The policy, the bundle or the invocation is invalid: nothing was judged or published.
    Invalid = 2,
    /// Publishing to GitHub failed and `--publish-strict` was given.
    PublishFailed = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

pub fn run() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return match error.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => Exit::Invalid.into(),
            };
        }
    };
    commands::dispatch(cli).into()
}
