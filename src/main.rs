//! The citewatch binary: parse the command line, run it, exit 0, 1 or 2.

use clap::Parser;

fn main() -> std::process::ExitCode {
    if let Some(code) = citewatch::sandbox::child_main() {
        return code;
    }
    citewatch::sandbox::enable();
    let cli = match citewatch::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return std::process::ExitCode::from(code);
        }
    };
    citewatch::app::run(cli)
}
