//! The `gate` binary: parses arguments, runs a command, writes its output and decides the exit
//! code. Everything else is in the library.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary is where output is written"
)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
