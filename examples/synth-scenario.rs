//! Writes a generated scenario file, for measuring memory and time on the whole program:
//!
//! ```text
//! cargo run --release --example synth-scenario -- target/synth-100k.json
//! /usr/bin/time -v target/release/demarche check target/synth-100k.json
//! ```
//!
//! The encoding follows the file's extension (`.json` for JSON, anything else for TOML). The default size
//! is the benchmark's: 100,000 contacts over 500 actors and 1,000 venues.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use demarche::synth::{SynthSize, scenario_json, scenario_toml};

/// Writes a valid synthetic scenario of the given size.
#[derive(Debug, Parser)]
struct Args {
    /// The file to write; `.json` writes JSON, anything else TOML.
    file: PathBuf,
    #[arg(long, default_value_t = 100_000)]
    contacts: usize,
    #[arg(long, default_value_t = 500)]
    actors: usize,
    #[arg(long, default_value_t = 1_000)]
    venues: usize,
    /// The same seed gives the same file (the benchmark uses 2026).
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let size = SynthSize {
        contacts: args.contacts,
        actors: args.actors,
        venues: args.venues,
    };
    let json = args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let text = if json {
        scenario_json(size, args.seed)
    } else {
        scenario_toml(size, args.seed)
    };
    // Written beside the target and renamed into place, so a failed write leaves no half file.
    let dir = match args.file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let written = tempfile::NamedTempFile::new_in(&dir)
        .and_then(|mut file| file.write_all(text.as_bytes()).map(|()| file))
        .and_then(|file| file.persist(&args.file).map_err(|e| e.error));
    match written {
        Ok(_) => {
            println!("{}: {} bytes", args.file.display(), text.len());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("cannot write {}: {err}", args.file.display());
            ExitCode::FAILURE
        }
    }
}
