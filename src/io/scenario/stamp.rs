//! The stamp of a scenario: its id and a short hash of the bytes it was read from, so that a picture (or
//! anything else made from the data) can say which data made it.

use sha2::{Digest as _, Sha256};

/// Which data made a picture: the scenario's id and the first 8 hex digits of the SHA-256 of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub scenario_id: String,
    pub hash: String,
}

impl Stamp {
    /// The stamp of a scenario read from `bytes` (the file's bytes, or the embedded text's).
    ///
    /// ```
    /// use demarche::io::scenario::Stamp;
    /// let stamp = Stamp::new("ankara-channel", b"format = \"demarche-scenario\"");
    /// assert_eq!(stamp.hash.len(), 8);
    /// assert!(stamp.label().starts_with("ankara-channel \u{b7} sha256 "));
    /// ```
    pub fn new(scenario_id: &str, bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let hash = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
        Self {
            scenario_id: scenario_id.to_owned(),
            hash,
        }
    }

    /// `ankara-channel · sha256 1a2b3c4d`.
    pub fn label(&self) -> String {
        format!("{} · sha256 {}", self.scenario_id, self.hash)
    }
}
