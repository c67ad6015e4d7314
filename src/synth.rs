//! Synthetic scenarios of any size, for benchmarks and stress tests: valid files in the real format, with
//! every kind of contact and every shape of time, generated deterministically from a seed, in either
//! encoding (the same content as TOML or as JSON).

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

/// A value of the file, as either encoding writes it.
#[derive(Debug)]
enum V {
    Str(String),
    Int(i64),
    /// A coordinate, written with 4 decimals.
    Deg(f64),
    /// A date or date-time: bare in TOML, a string in JSON.
    Time(String),
    Table(Vec<(&'static str, V)>),
    List(Vec<V>),
}

fn s(text: impl Into<String>) -> V {
    V::Str(text.into())
}

type Element = Vec<(&'static str, V)>;

/// The file's content: its top-level values, then its lists of tables.
#[derive(Debug)]
struct Synth {
    head: Vec<(&'static str, V)>,
    lists: Vec<(&'static str, Vec<Element>)>,
}

fn synth(size: SynthSize, seed: u64) -> Synth {
    let mut rng = Rng(seed);
    let head = vec![
        ("format", s("demarche-scenario")),
        ("version", V::Int(1)),
        (
            "scenario",
            V::Table(vec![
                ("id", s("synthetic")),
                (
                    "title",
                    s(format!("Synthetic scenario: {} contacts", size.contacts)),
                ),
                ("time_zone", s("UTC")),
            ]),
        ),
    ];
    let sources = vec![vec![
        ("id", s("s")),
        ("outlet", s("Generated")),
        ("published", V::Time("2026-02-01".to_owned())),
    ]];
    let venues = (0..size.venues)
        .map(|v| {
            vec![
                ("id", s(format!("v{v}"))),
                ("name", s(format!("Venue {v}"))),
                ("kind", s(if v % 10 == 0 { "capital" } else { "city" })),
                ("country", s(COUNTRIES[v % COUNTRIES.len()])),
                ("time_zone", s(ZONES[v % ZONES.len()])),
                ("lon", V::Deg(-20.0 + rng.unit() * 90.0)),
                ("lat", V::Deg(10.0 + rng.unit() * 45.0)),
            ]
        })
        .collect();
    let actors = (0..size.actors)
        .map(|a| {
            vec![
                ("id", s(format!("a{a}"))),
                ("name", s(format!("Actor {a}"))),
                ("kind", s(if a % 7 == 0 { "government" } else { "person" })),
                ("affiliation", s(COUNTRIES[a % COUNTRIES.len()])),
                ("role", s(format!("Role {a}"))),
                ("based_at", s(format!("v{}", rng.below(size.venues)))),
            ]
        })
        .collect();
    let contacts = (0..size.contacts)
        .map(|c| contact(&mut rng, size, c))
        .collect();
    Synth {
        head,
        lists: vec![
            ("sources", sources),
            ("venues", venues),
            ("actors", actors),
            ("contacts", contacts),
        ],
    }
}

fn contact(rng: &mut Rng, size: SynthSize, c: usize) -> Element {
    let a = rng.below(size.actors);
    let b = (a + 1 + rng.below(size.actors.saturating_sub(1).max(1))) % size.actors.max(1);
    let v = rng.below(size.venues);
    let w = (v + 1 + rng.below(size.venues.saturating_sub(1).max(1))) % size.venues.max(1);
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(12);
    let participant = |actor: usize, part: &str| {
        V::Table(vec![("actor", s(format!("a{actor}"))), ("part", s(part))])
    };
    let (kind, parts, place) = contact_kind(c, [a, b], [v, w]);
    let time = contact_time(rng, c, day, month);
    let mut element = vec![
        ("id", s(format!("c{c}"))),
        ("kind", s(kind)),
        (
            "status",
            s(["held", "planned", "reported", "confirmed"][c % 4]),
        ),
        ("title", s(format!("Contact {c}"))),
        (
            "summary",
            s(format!("Generated contact number {c}, for benchmarks.")),
        ),
        (
            "participants",
            V::List(
                parts
                    .iter()
                    .map(|&(x, part)| participant(x, part))
                    .collect(),
            ),
        ),
    ];
    element.extend(place);
    element.push(("time", V::Table(time)));
    element.push((
        "sources",
        V::List(vec![V::Table(vec![
            ("source", s("s")),
            ("attribution", s("generated")),
        ])]),
    ));
    element
}

/// The kind of contact `c`, its participants (actor, part) and its place, in turn through six kinds.
fn contact_kind(
    c: usize,
    [a, b]: [usize; 2],
    [v, w]: [usize; 2],
) -> (&'static str, Vec<(usize, &'static str)>, Element) {
    let venue = |key: &'static str, venue: usize| (key, s(format!("v{venue}")));
    match c % 6 {
        0 => (
            "visit",
            [(a, "guest"), (b, "host")].to_vec(),
            vec![venue("from", v), venue("to", w)],
        ),
        1 => (
            "meeting",
            [(a, "host"), (b, "guest")].to_vec(),
            vec![venue("venue", v)],
        ),
        2 => (
            "phone_call",
            [(a, "caller"), (b, "addressee")].to_vec(),
            vec![],
        ),
        3 => (
            "statement",
            [(a, "speaker")].to_vec(),
            vec![venue("venue", v)],
        ),
        4 => (
            "mediation",
            [(a, "mediator"), (b, "participant")].to_vec(),
            vec![],
        ),
        _ => (
            "channel_message",
            [(a, "speaker"), (b, "addressee")].to_vec(),
            vec![],
        ),
    }
}

/// The time of contact `c`, in turn through five shapes.
fn contact_time(rng: &mut Rng, c: usize, day: usize, month: usize) -> Element {
    let date = |d: usize| V::Time(format!("2026-{month:02}-{d:02}"));
    match c % 5 {
        0 => vec![(
            "at",
            V::Time(format!(
                "2026-{month:02}-{day:02}T{:02}:{:02}:00Z",
                rng.below(24),
                rng.below(60)
            )),
        )],
        1 => vec![("on", date(day))],
        2 => vec![
            ("on", date(day)),
            ("part", s("night")),
            ("tz", s("Asia/Tehran")),
        ],
        3 => vec![("from", date(day)), ("to", date((day + 1).min(28)))],
        _ => vec![
            ("earliest", date(day)),
            ("latest", date(28)),
            ("tz", s("Europe/Istanbul")),
        ],
    }
}

/// A valid scenario file of the given size, as TOML text.
pub fn scenario_toml(size: SynthSize, seed: u64) -> String {
    let synth = synth(size, seed);
    let mut out =
        String::with_capacity(size.contacts * 420 + size.actors * 120 + size.venues * 160);
    for (key, value) in &synth.head {
        if let V::Table(fields) = value {
            let _ = writeln!(out, "\n[{key}]");
            for (k, v) in fields {
                let _ = writeln!(out, "{k} = {}", toml_value(v));
            }
        } else {
            let _ = writeln!(out, "{key} = {}", toml_value(value));
        }
    }
    for (list, elements) in &synth.lists {
        for element in elements {
            let _ = writeln!(out, "\n[[{list}]]");
            for (k, v) in element {
                let _ = writeln!(out, "{k} = {}", toml_value(v));
            }
        }
    }
    out
}

/// The same scenario as [`scenario_toml`] gives, as JSON text: one element of each list per line.
pub fn scenario_json(size: SynthSize, seed: u64) -> String {
    let synth = synth(size, seed);
    let mut out =
        String::with_capacity(size.contacts * 480 + size.actors * 140 + size.venues * 180);
    out.push('{');
    let mut first = true;
    for (key, value) in &synth.head {
        let _ = write!(
            out,
            "{}\n  \"{key}\": {}",
            if first { "" } else { "," },
            json_value(value)
        );
        first = false;
    }
    for (list, elements) in &synth.lists {
        let _ = write!(out, ",\n  \"{list}\": [");
        for (i, element) in elements.iter().enumerate() {
            let fields: Vec<String> = element
                .iter()
                .map(|(k, v)| format!("\"{k}\": {}", json_value(v)))
                .collect();
            let _ = write!(
                out,
                "{}\n    {{{}}}",
                if i == 0 { "" } else { "," },
                fields.join(", ")
            );
        }
        out.push_str("\n  ]");
    }
    out.push_str("\n}\n");
    out
}

/// A quoted string; JSON's escapes are valid in TOML basic strings too.
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

fn toml_value(value: &V) -> String {
    match value {
        V::Str(text) => quoted(text),
        V::Int(n) => n.to_string(),
        V::Deg(d) => format!("{d:.4}"),
        V::Time(t) => t.clone(),
        V::Table(fields) => format!(
            "{{ {} }}",
            fields
                .iter()
                .map(|(k, v)| format!("{k} = {}", toml_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        V::List(items) => format!(
            "[{}]",
            items.iter().map(toml_value).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn json_value(value: &V) -> String {
    match value {
        V::Str(text) | V::Time(text) => quoted(text),
        V::Int(n) => n.to_string(),
        V::Deg(d) => format!("{d:.4}"),
        V::Table(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(k, v)| format!("\"{k}\": {}", json_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        V::List(items) => format!(
            "[{}]",
            items.iter().map(json_value).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::scenario::parse;

    const SIZE: SynthSize = SynthSize {
        contacts: 300,
        actors: 20,
        venues: 30,
    };

    #[test]
    fn generated_scenarios_are_valid_and_of_the_asked_size() {
        let text = scenario_toml(SIZE, 7);
        let loaded =
            parse("synthetic.toml", &text).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
        assert_eq!(loaded.scenario.contacts.len(), 300);
        assert_eq!(loaded.scenario.actors.len(), 20);
        assert_eq!(loaded.scenario.venues.len(), 30);
        assert_eq!(
            text,
            scenario_toml(SIZE, 7),
            "the same seed gives the same file"
        );
    }

    #[test]
    fn both_encodings_hold_the_same_scenario() {
        let toml = parse("synthetic.toml", &scenario_toml(SIZE, 7))
            .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
        let json_text = scenario_json(SIZE, 7);
        let json =
            parse("synthetic.json", &json_text).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
        assert_eq!(
            format!("{:?}", toml.scenario),
            format!("{:?}", json.scenario)
        );
        assert_eq!(
            json_text.lines().count(),
            300 + 20 + 30 + 1 + 4 * 2 + 5,
            "one element per line"
        );
    }

    #[test]
    fn a_file_read_in_pieces_gives_the_scenario_of_the_whole_file() {
        use crate::io::scenario::toml_read::read_valid_in_pieces;
        let size = SynthSize {
            contacts: 400,
            actors: 20,
            venues: 30,
        };
        let text = scenario_toml(size, 3);
        let pieces = read_valid_in_pieces(&text, 2_000).expect("valid");
        // Small enough for `parse` to read it whole.
        let whole = parse("s.toml", &text).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
        assert_eq!(whole.report.diagnostics.len(), 0);
        assert_eq!(format!("{pieces:?}"), format!("{:?}", whole.scenario));
        // A file with a problem, or with anything but contacts after the first contact, is left to the
        // whole-file reader.
        let broken = text.replacen("kind = \"meeting\"", "kind = \"meeeting\"", 1);
        assert!(read_valid_in_pieces(&broken, 2_000).is_none());
        let late = format!("{text}\n[[venues]]\nid = \"late\"\nname = \"L\"\nkind = \"mobile\"\n");
        assert!(read_valid_in_pieces(&late, 2_000).is_none());
        assert!(parse("s.toml", &late).is_ok());
    }
}
