//! The `paperkg` command: parse arguments, run the command, map errors to exit codes.

mod cli;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "paperkg: error: {err:#}");
            ExitCode::from(cli::exit::ERROR)
        }
    }
}
