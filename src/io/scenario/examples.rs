//! The example scenarios shipped with demarche: real stories written from public reporting, with their
//! sources cited and their vagueness kept. They are built into the program, so File > Examples opens them
//! wherever it runs, and they are plain files in `data/scenarios/`, so `demarche check` and
//! `demarche export` take them like any other scenario file.
//!
//! Each goes through the same reader and validator as a user's file ([`super::parse`]).

use super::{DEFAULT_SCENARIO_TOML, Loaded, Stamp, parse};
use crate::diagnostics::Report;

/// One example: the name shown in the menu, its file in `data/scenarios/`, and its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// As shown in File > Examples.
    pub name: &'static str,
    /// The file's name in `data/scenarios/` (also how an example is asked for).
    pub file_name: &'static str,
    /// The file's text, built into the program.
    pub text: &'static str,
}

/// Every example, the default one first.
pub const EXAMPLES: &[Example] = &[
    Example {
        name: "The Ankara channel (Türkiye, Jan-Feb 2026)",
        file_name: "ankara-channel.toml",
        text: DEFAULT_SCENARIO_TOML,
    },
    Example {
        name: "The Oman channel: U.S.-Iran talks in Muscat and Rome (Apr-May 2025)",
        file_name: "oman-channel-2025.toml",
        text: include_str!("../../../data/scenarios/oman-channel-2025.toml"),
    },
    Example {
        name: "The ELN table: Colombia's peace talks in Caracas, Mexico City and Havana (2022-2023)",
        file_name: "eln-talks-2022-2023.toml",
        text: include_str!("../../../data/scenarios/eln-talks-2022-2023.toml"),
    },
];

/// The example kept in `data/scenarios/<file_name>`, if there is one.
///
/// ```
/// use demarche::io::scenario::examples;
///
/// let oman = examples::find("oman-channel-2025.toml").expect("shipped");
/// let (loaded, _stamp) = oman.load().map_err(|r| r.to_lines()).expect("valid");
/// assert!(loaded.report.diagnostics.is_empty(), "no warnings");
/// assert!(examples::find("no-such-story.toml").is_none());
/// ```
pub fn find(file_name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.file_name == file_name)
}

impl Example {
    /// How the example is named in diagnostics: `<embedded>/data/scenarios/<file_name>`.
    pub fn source_name(&self) -> String {
        format!("<embedded>/data/scenarios/{}", self.file_name)
    }

    /// Parses and validates the example, with the stamp of its text (as a file read from disk has).
    pub fn load(&self) -> Result<(Loaded, Stamp), Report> {
        let loaded = parse(&self.source_name(), self.text)?;
        let stamp = Stamp::new(&loaded.scenario.meta.id, self.text.as_bytes());
        Ok((loaded, stamp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_valid_without_warnings_and_has_its_own_id() {
        let mut ids = Vec::new();
        for example in EXAMPLES {
            let (loaded, _stamp) = example
                .load()
                .unwrap_or_else(|r| panic!("{}:\n{}", example.file_name, r.to_lines().join("\n")));
            assert!(
                loaded.report.diagnostics.is_empty(),
                "{}: {:?}",
                example.file_name,
                loaded.report.to_lines()
            );
            ids.push(loaded.scenario.meta.id);
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), EXAMPLES.len(), "two examples share an id");
    }

    #[test]
    fn the_first_example_is_the_default_scenario() {
        assert_eq!(EXAMPLES[0].text, DEFAULT_SCENARIO_TOML);
        assert_eq!(find("ankara-channel.toml"), Some(&EXAMPLES[0]));
    }
}
