//! The stamp of a scenario: its id and a short hash of the bytes it was read from, so that a picture (or
//! anything else made from the data) can say which data made it.

use jiff::Timestamp;
use sha2::{Digest as _, Sha256};

/// Which data made a picture: the scenario's id and the first 8 hex digits of the SHA-256 of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub scenario_id: String,
    pub hash: String,
    /// The moment of the as-of clock, when the picture shows what was known then.
    pub as_of: Option<Timestamp>,
    /// What the picture's filter lets through, in words; `None` for every contact.
    pub filter: Option<String>,
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
            as_of: None,
            filter: None,
        }
    }

    /// The same stamp, of the scenario `scenario_id` (a text is hashed before its id is read from it).
    pub fn for_scenario(mut self, scenario_id: &str) -> Self {
        scenario_id.clone_into(&mut self.scenario_id);
        self
    }

    /// `ankara-channel · sha256 1a2b3c4d`.
    pub fn label(&self) -> String {
        format!("{} · sha256 {}", self.scenario_id, self.hash)
    }

    /// What a picture of the event time `event` shows, for its corner: the data, the event time, the
    /// as-of time if set, the filter, and the hash. Times in UTC, to the minute.
    ///
    /// ```
    /// use demarche::io::scenario::Stamp;
    /// let mut stamp = Stamp::new("oman", b"");
    /// let event = "2025-05-03T12:00:00Z".parse().expect("time");
    /// assert_eq!(
    ///     stamp.label_at(event),
    ///     "oman · event 2025-05-03 12:00Z · all contacts · sha256 e3b0c442"
    /// );
    /// stamp.as_of = Some("2025-04-28T00:00:00Z".parse().expect("time"));
    /// stamp.filter = Some("grade B2 or better".to_owned());
    /// assert_eq!(
    ///     stamp.label_at(event),
    ///     "oman · event 2025-05-03 12:00Z · as of 2025-04-28 00:00Z · grade B2 or better · sha256 e3b0c442"
    /// );
    /// ```
    pub fn label_at(&self, event: Timestamp) -> String {
        let minute = |t: Timestamp| t.strftime("%Y-%m-%d %H:%MZ").to_string();
        let as_of = self
            .as_of
            .map(|t| format!(" · as of {}", minute(t)))
            .unwrap_or_default();
        let filter = self.filter.as_deref().unwrap_or("all contacts");
        format!(
            "{} · event {}{as_of} · {filter} · sha256 {}",
            self.scenario_id,
            minute(event),
            self.hash
        )
    }
}
