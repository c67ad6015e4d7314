use std::process::ExitCode;

use demarche::app::{self, AppOptions};
use demarche::cli::{self, Command};

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn"))
        .format_timestamp_millis()
        .init();
    let cli = cli::parse_args();
    match cli.command {
        Some(Command::Check { files, short }) => cli::check(&files, short),
        Some(Command::Export(args)) => cli::export(&args),
        Some(Command::Import(args)) => cli::import(&args),
        Some(Command::Template { output }) => cli::template(&output),
        None => match app::run(AppOptions {
            scenario: cli.scenario,
            basemaps: cli.basemap,
            max_map_bytes: Some(cli.max_map_size * 1024 * 1024),
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("demarche: cannot open the window: {err}");
                ExitCode::FAILURE
            }
        },
    }
}
