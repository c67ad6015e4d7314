//! Synthetic scenarios of any size, for benchmarks and stress tests: valid files in the real format, with
//! every kind of contact and every shape of time, generated deterministically from a seed.

use std::fmt::Write as _;

/// How large a scenario to generate.
#[derive(Clone, Copy, Debug)]
pub struct SynthSize {
    pub contacts: usize,
    pub actors: usize,
    pub venues: usize,
}

/// A small deterministic generator (SplitMix64), so the same size always gives the same file.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const ZONES: [&str; 6] = [
    "Europe/Istanbul",
    "Asia/Tehran",
    "Asia/Qatar",
    "Africa/Cairo",
    "America/New_York",
    "UTC",
];
const COUNTRIES: [&str; 6] = ["TR", "IR", "QA", "EG", "US", "IL"];

/// A valid scenario file of the given size, as TOML text.
pub fn scenario_toml(size: SynthSize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut out =
        String::with_capacity(size.contacts * 420 + size.actors * 120 + size.venues * 160);
    out.push_str("format = \"demarche-scenario\"\nversion = 1\n\n[scenario]\nid = \"synthetic\"\n");
    let _ = writeln!(
        out,
        "title = \"Synthetic scenario: {} contacts\"\ntime_zone = \"UTC\"\n",
        size.contacts
    );
    out.push_str("[[sources]]\nid = \"s\"\noutlet = \"Generated\"\npublished = 2026-02-01\n\n");
    for v in 0..size.venues {
        let zone = ZONES[v % ZONES.len()];
        let _ = writeln!(
            out,
            "[[venues]]\nid = \"v{v}\"\nname = \"Venue {v}\"\nkind = \"{}\"\ncountry = \"{}\"\ntime_zone = \"{zone}\"\nlon = {:.4}\nlat = {:.4}\n",
            if v % 10 == 0 { "capital" } else { "city" },
            COUNTRIES[v % COUNTRIES.len()],
            -20.0 + rng.unit() * 90.0,
            10.0 + rng.unit() * 45.0,
        );
    }
    for a in 0..size.actors {
        let _ = writeln!(
            out,
            "[[actors]]\nid = \"a{a}\"\nname = \"Actor {a}\"\nkind = \"{}\"\naffiliation = \"{}\"\nrole = \"Role {a}\"\nbased_at = \"v{}\"\n",
            if a % 7 == 0 { "government" } else { "person" },
            COUNTRIES[a % COUNTRIES.len()],
            rng.below(size.venues),
        );
    }
    for c in 0..size.contacts {
        let a = rng.below(size.actors);
        let b = (a + 1 + rng.below(size.actors.saturating_sub(1).max(1))) % size.actors.max(1);
        let v = rng.below(size.venues);
        let w = (v + 1 + rng.below(size.venues.saturating_sub(1).max(1))) % size.venues.max(1);
        let day = 1 + rng.below(28);
        let month = 1 + rng.below(12);
        let (kind, participants, place) = match c % 6 {
            0 => (
                "visit",
                format!(
                    "{{ actor = \"a{a}\", part = \"guest\" }}, {{ actor = \"a{b}\", part = \"host\" }}"
                ),
                format!("from = \"v{v}\"\nto = \"v{w}\""),
            ),
            1 => (
                "meeting",
                format!(
                    "{{ actor = \"a{a}\", part = \"host\" }}, {{ actor = \"a{b}\", part = \"guest\" }}"
                ),
                format!("venue = \"v{v}\""),
            ),
            2 => (
                "phone_call",
                format!(
                    "{{ actor = \"a{a}\", part = \"caller\" }}, {{ actor = \"a{b}\", part = \"addressee\" }}"
                ),
                String::new(),
            ),
            3 => (
                "statement",
                format!("{{ actor = \"a{a}\", part = \"speaker\" }}"),
                format!("venue = \"v{v}\""),
            ),
            4 => (
                "mediation",
                format!(
                    "{{ actor = \"a{a}\", part = \"mediator\" }}, {{ actor = \"a{b}\", part = \"participant\" }}"
                ),
                String::new(),
            ),
            _ => (
                "channel_message",
                format!(
                    "{{ actor = \"a{a}\", part = \"speaker\" }}, {{ actor = \"a{b}\", part = \"addressee\" }}"
                ),
                String::new(),
            ),
        };
        let time = match c % 5 {
            0 => format!(
                "{{ at = 2026-{month:02}-{day:02}T{:02}:{:02}:00Z }}",
                rng.below(24),
                rng.below(60)
            ),
            1 => format!("{{ on = 2026-{month:02}-{day:02} }}"),
            2 => format!(
                "{{ on = 2026-{month:02}-{day:02}, part = \"night\", tz = \"Asia/Tehran\" }}"
            ),
            3 => format!(
                "{{ from = 2026-{month:02}-{day:02}, to = 2026-{month:02}-{:02} }}",
                (day + 1).min(28)
            ),
            _ => format!(
                "{{ earliest = 2026-{month:02}-{day:02}, latest = 2026-{month:02}-28, tz = \"Europe/Istanbul\" }}"
            ),
        };
        let status = ["held", "planned", "reported", "confirmed"][c % 4];
        let _ = writeln!(
            out,
            "[[contacts]]\nid = \"c{c}\"\nkind = \"{kind}\"\nstatus = \"{status}\"\ntitle = \"Contact {c}\"\nsummary = \"Generated contact number {c}, for benchmarks.\"\nparticipants = [{participants}]\n{place}\ntime = {time}\nsources = [{{ source = \"s\", attribution = \"generated\" }}]\n"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::scenario::parse;

    #[test]
    fn generated_scenarios_are_valid_and_of_the_asked_size() {
        let size = SynthSize {
            contacts: 300,
            actors: 20,
            venues: 30,
        };
        let text = scenario_toml(size, 7);
        let loaded =
            parse("synthetic.toml", &text).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
        assert_eq!(loaded.scenario.contacts.len(), 300);
        assert_eq!(loaded.scenario.actors.len(), 20);
        assert_eq!(loaded.scenario.venues.len(), 30);
        assert_eq!(
            text,
            scenario_toml(size, 7),
            "the same seed gives the same file"
        );
    }
}
