//! Mutation fuzzing of the four readers (TOML scenario, JSON scenario, GeoJSON, TopoJSON) and of the command
//! line's time parser, on the stable toolchain: proptest draws a seed file and a list of mutations (bit
//! flips, interesting bytes, tokens of the formats, deletions, duplications, splices from another seed,
//! truncations), and each target checks more than "no panic":
//!
//! - every problem reported has its place inside the file (a span within the text, a line that exists);
//! - a report that refuses a file has at least one error;
//! - a scenario that loads writes to JSON and reads back as the same scenario (`io::scenario::write`);
//! - a map that loads has only finite coordinates.
//!
//! Seeds: the repository's scenarios (TOML, and each also in JSON), its GeoJSON and TopoJSON fixtures, and
//! the GeoJSON corpus in `../shared/corpus/geojson` when it exists.
//!
//! `cargo test --test fuzz_readers` runs a few cases per target. For a long run:
//!
//! ```text
//! DEMARCHE_FUZZ_CASES=200000 cargo test --release --test fuzz_readers -- --test-threads 2
//! ```
//!
//! A failure is shrunk to a small input and kept in `tests/fuzz_readers.proptest-regressions`, which
//! proptest replays first on every later run: commit it, and write the case as a regression test beside the
//! fix.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use demarche::diagnostics::Report;
use demarche::export::args::{TimeArg, parse_time};
use demarche::io::geojson::parse_geojson;
use demarche::io::scenario::{self, write};
use demarche::io::topojson::parse_topojson;
use proptest::prelude::*;

/// Cases per target: `DEMARCHE_FUZZ_CASES`, or a short run by default.
fn cases() -> u32 {
    std::env::var("DEMARCHE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // A mutated file is not worth shrinking for long: the first small failure says enough.
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    }
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn files_in(dir: &Path, extensions: &[&str], into: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_in(&path, extensions, into);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
            && let Ok(bytes) = std::fs::read(&path)
            // Seeds stay small, so that a case runs in milliseconds.
            && bytes.len() <= 256 * 1024
        {
            into.push(bytes);
        }
    }
}

static TOML_SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut seeds = Vec::new();
    files_in(&repo("data/scenarios"), &["toml"], &mut seeds);
    assert!(seeds.len() >= 3, "the example scenarios are the TOML seeds");
    seeds
});

static JSON_SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    TOML_SEEDS
        .iter()
        .map(|toml| {
            let text = std::str::from_utf8(toml).expect("the examples are UTF-8");
            let loaded = scenario::parse("seed.toml", text).expect("the examples load");
            write::to_json(&loaded.scenario).into_bytes()
        })
        .collect()
});

static MAP_SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut seeds = Vec::new();
    files_in(
        &repo("tests/fixtures"),
        &["geojson", "json", "topojson"],
        &mut seeds,
    );
    files_in(
        &repo("../shared/corpus/geojson"),
        &["geojson", "json", "topojson"],
        &mut seeds,
    );
    seeds.push(TOPOLOGY.as_bytes().to_vec());
    seeds
});

/// A small TopoJSON topology with a transform, shared arcs, a hole and every geometry type.
const TOPOLOGY: &str = r#"{"type":"Topology","transform":{"scale":[0.001,0.001],"translate":[10,40]},
"bbox":[10,40,12,42],
"objects":{"land":{"type":"GeometryCollection","geometries":[
 {"type":"Polygon","arcs":[[0,1]],"id":"a","properties":{"name":"A"}},
 {"type":"MultiPolygon","arcs":[[[-1,2]],[[3],[4]]],"properties":{"name":"B"}},
 {"type":"LineString","arcs":[0]},{"type":"MultiLineString","arcs":[[0],[~1]]},
 {"type":"Point","coordinates":[500,500]},{"type":"MultiPoint","coordinates":[[1,2],[3,4]]},
 {"type":null}]}},
"arcs":[[[0,0],[1000,0]],[[1000,0],[0,1000],[-1000,-1000]],[[1000,0],[1000,1000],[-2000,-1000]],
 [[0,1500],[500,0],[0,500],[-500,0],[0,-500]],[[100,1600],[0,100],[100,0],[0,-100],[-100,0]]]}"#;

/// Tokens of the formats, inserted whole: they reach deeper than random bytes.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "=",
    "\n",
    "[[contacts]]",
    "[[venues]]",
    "[[actors]]",
    "[[sources]]",
    "[scenario]",
    "\"type\"",
    "\"Feature\"",
    "\"FeatureCollection\"",
    "\"Polygon\"",
    "\"MultiPolygon\"",
    "\"coordinates\"",
    "\"arcs\"",
    "\"transform\"",
    "\"scale\"",
    "\"bbox\"",
    "\"properties\"",
    "\"geometry\"",
    "null",
    "true",
    "-0",
    "1e308",
    "-1e309",
    "NaN",
    "1.7976931348623157e308",
    "2026-01-31",
    "2026-01-31T18:00:00Z",
    "2026-02-30",
    "9999-12-31",
    "\"Asia/Tehran\"",
    "tz",
    "\u{feff}",
    "\u{202e}",
    "\u{fffe}",
    "\u{1b}]0;x\u{7}",
    "\\u0000",
    "\\ud800",
    "\u{0}",
    "\"\"\"",
    "'''",
    "#",
    "part",
    "\"night\"",
    "from",
    "to",
    "earliest",
    "latest",
    "as_of",
    "since",
];

/// A place in something of any length, as a fraction of it (proptest's `Index` cannot be made by hand,
/// and the mutator's own test needs to).
#[derive(Clone, Copy, Debug)]
struct Frac(u32);

impl Frac {
    /// The place in `0..size`; `size` must not be 0.
    fn index(self, size: usize) -> usize {
        ((size as u64 * u64::from(self.0)) >> 32) as usize
    }
}

fn frac() -> impl Strategy<Value = Frac> {
    any::<u32>().prop_map(Frac)
}

#[derive(Clone, Debug)]
enum Mutation {
    FlipBit(Frac, u8),
    SetByte(Frac, u8),
    Insert(Frac, Frac),
    Delete(Frac, u16),
    Duplicate(Frac, u16, Frac),
    Splice(Frac, Frac, Frac, u16),
    Truncate(Frac),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (frac(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        (
            frac(),
            prop::sample::select(&b"\0\t\n\r \"',:;=[]{}\\-.0e9\x7f\x80\xc3\xff"[..])
        )
            .prop_map(|(i, b)| Mutation::SetByte(i, b)),
        (frac(), frac()).prop_map(|(i, t)| Mutation::Insert(i, t)),
        (frac(), 1u16..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (frac(), 1u16..256, frac()).prop_map(|(i, n, at)| Mutation::Duplicate(i, n, at)),
        (frac(), frac(), frac(), 1u16..512).prop_map(|(s, i, at, n)| Mutation::Splice(s, i, at, n)),
        frac().prop_map(Mutation::Truncate),
    ]
}

/// Applies mutations to a seed; `others` are the seeds splices take from.
fn mutate(seed: &[u8], mutations: &[Mutation], others: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        // Positions are taken modulo the current length (+1 for insertions at the end).
        let at = |i: &Frac, len: usize| i.index(len + 1).min(len);
        match m {
            Mutation::FlipBit(i, bit) if !bytes.is_empty() => {
                let i = i.index(bytes.len());
                bytes[i] ^= 1 << bit;
            }
            Mutation::SetByte(i, b) if !bytes.is_empty() => {
                let i = i.index(bytes.len());
                bytes[i] = *b;
            }
            Mutation::Insert(i, token) => {
                let token = TOKENS[token.index(TOKENS.len())].as_bytes();
                let i = at(i, bytes.len());
                bytes.splice(i..i, token.iter().copied());
            }
            Mutation::Delete(i, n) => {
                let i = at(i, bytes.len());
                let end = (i + usize::from(*n)).min(bytes.len());
                bytes.drain(i..end);
            }
            Mutation::Duplicate(i, n, to) => {
                let i = at(i, bytes.len());
                let end = (i + usize::from(*n)).min(bytes.len());
                let piece = bytes[i..end].to_vec();
                let to = at(to, bytes.len());
                bytes.splice(to..to, piece);
            }
            Mutation::Splice(source, i, to, n) if !others.is_empty() => {
                let other = &others[source.index(others.len())];
                let i = at(i, other.len());
                let end = (i + usize::from(*n)).min(other.len());
                let to = at(to, bytes.len());
                bytes.splice(to..to, other[i..end].iter().copied());
            }
            Mutation::Truncate(i) => {
                let i = at(i, bytes.len());
                bytes.truncate(i);
            }
            _ => {}
        }
    }
    bytes
}

/// A seed of `seeds` and mutations of it.
fn mutated(seeds: &'static LazyLock<Vec<Vec<u8>>>) -> impl Strategy<Value = Vec<u8>> {
    (frac(), prop::collection::vec(mutation(), 1..5)).prop_map(move |(seed, mutations)| {
        let seeds: &Vec<Vec<u8>> = seeds;
        mutate(&seeds[seed.index(seeds.len())], &mutations, seeds)
    })
}

/// Every problem of a report is placed inside its file, and every line it prints can be made.
fn places_inside(report: &Report, text: &str) -> Result<(), TestCaseError> {
    for d in &report.diagnostics {
        if let Some(span) = &d.span {
            prop_assert!(
                span.start <= span.end && span.end <= text.len(),
                "{:?} at {span:?} is outside the {} bytes of the file",
                d.message,
                text.len()
            );
            let place = report.line_col(d);
            if let Some(place) = place {
                let lines = text.split('\n').count();
                prop_assert!(
                    place.line >= 1 && place.line <= lines,
                    "{:?} is placed on line {} of {lines}",
                    d.message,
                    place.line
                );
            }
        }
    }
    prop_assert!(!report.to_lines().is_empty() || report.diagnostics.is_empty());
    Ok(())
}

/// The scenario target: a refusal says why and where; a scenario that loads round-trips through JSON.
fn check_scenario(bytes: &[u8]) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(bytes);
    match scenario::parse("fuzzed", &text) {
        Ok(loaded) => {
            places_inside(&loaded.report, &text)?;
            let json = write::to_json(&loaded.scenario);
            let again = scenario::parse("again.json", &json);
            prop_assert!(
                again.is_ok(),
                "a scenario that loaded did not read back from its JSON:\n{}\n{json}",
                again
                    .err()
                    .map(|r| r.to_lines().join("\n"))
                    .unwrap_or_default()
            );
            let again = again.map_err(|_| TestCaseError::fail("checked above"))?;
            prop_assert_eq!(
                format!("{:?}", again.scenario),
                format!("{:?}", loaded.scenario),
                "the JSON encoding changed the scenario"
            );
        }
        Err(report) => {
            prop_assert!(report.has_errors(), "a refusal with no error");
            places_inside(&report, &text)?;
        }
    }
    Ok(())
}

fn finite_layer(layer: &demarche::model::map::LoadedLayer) -> Result<(), TestCaseError> {
    use geo::CoordsIter as _;
    for feature in &layer.layer.features {
        for c in feature.geometry.iter().flat_map(|g| g.coords_iter()) {
            prop_assert!(
                c.x.is_finite() && c.y.is_finite(),
                "a coordinate that is not finite: {c:?}"
            );
        }
    }
    Ok(())
}

fn check_map(
    bytes: &[u8],
    parse: fn(&str, &str) -> Result<demarche::model::map::LoadedLayer, Report>,
) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(bytes);
    match parse("fuzzed", &text) {
        Ok(loaded) => {
            places_inside(&loaded.report, &text)?;
            finite_layer(&loaded)?;
        }
        Err(report) => {
            prop_assert!(report.has_errors(), "a refusal with no error");
            places_inside(&report, &text)?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn toml_scenarios(bytes in mutated(&TOML_SEEDS)) {
        check_scenario(&bytes)?;
    }

    #[test]
    fn json_scenarios(bytes in mutated(&JSON_SEEDS)) {
        check_scenario(&bytes)?;
    }

    #[test]
    fn geojson_maps(bytes in mutated(&MAP_SEEDS)) {
        check_map(&bytes, parse_geojson)?;
    }

    #[test]
    fn topojson_maps(bytes in mutated(&MAP_SEEDS)) {
        check_map(&bytes, parse_topojson)?;
    }

    /// Scenario files as bytes, through the file reader: not UTF-8, byte-order marks, empty files.
    #[test]
    fn scenario_files(bytes in mutated(&TOML_SEEDS)) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("fuzzed.toml");
        std::fs::write(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        match scenario::load(&path) {
            Ok(loaded) => prop_assert!(!loaded.report.has_errors()),
            Err(report) => prop_assert!(report.has_errors(), "a refusal with no error"),
        }
    }

    /// The command line's times: anything typed is a time or a message that quotes it; a time read
    /// prints back to itself; a day has a start before its end in any zone.
    #[test]
    fn command_line_times(text in time_like()) {
        match parse_time(&text) {
            Ok(TimeArg::At(t)) => {
                prop_assert_eq!(parse_time(&t.to_string()), Ok(TimeArg::At(t)));
            }
            Ok(TimeArg::Day(d)) => {
                prop_assert_eq!(parse_time(&d.to_string()), Ok(TimeArg::Day(d)));
                for zone in ["UTC", "Asia/Tehran", "Pacific/Kiritimati", "America/Havana"] {
                    let zone = jiff::tz::TimeZone::get(zone).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    if let (Ok(start), Ok(end)) = (TimeArg::Day(d).start_in(&zone), TimeArg::Day(d).end_in(&zone)) {
                        prop_assert!(start < end, "{d} in {zone:?}: {start} is not before {end}");
                    }
                }
            }
            Err(message) => {
                prop_assert!(message.contains(text.trim()), "{message:?} does not quote {text:?}");
            }
        }
    }
}

/// Strings that look like times, with mutations: digits, separators, zones, offsets and junk.
fn time_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,5}",
        Just("-".to_owned()),
        Just(":".to_owned()),
        Just("T".to_owned()),
        Just("t".to_owned()),
        Just(" ".to_owned()),
        Just("Z".to_owned()),
        Just("+03:30".to_owned()),
        Just("-24:00".to_owned()),
        Just(".".to_owned()),
        Just("[Asia/Tehran]".to_owned()),
        "\\PC{0,3}",
    ];
    prop_oneof![
        prop::collection::vec(piece, 0..14).prop_map(|p| p.concat()),
        (
            -9999i32..=9999,
            0u8..=13,
            0u8..=32,
            0u8..=25,
            0u8..=61,
            prop::option::of("[+-][0-2][0-9]:[0-5][0-9]|Z")
        )
            .prop_map(|(y, mo, d, h, mi, z)| match z {
                Some(z) => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00{z}"),
                None => format!("{y:04}-{mo:02}-{d:02}"),
            }),
    ]
}

/// Every repository scenario, unmutated, round-trips through JSON: the property the fuzz targets rely on,
/// checked on real files (the three examples use every time shape, routes whose origin is not reported,
/// areas, polygons and scripts other than Latin).
#[test]
fn every_example_round_trips_through_json() {
    for seed in TOML_SEEDS.iter() {
        let text = std::str::from_utf8(seed).expect("UTF-8");
        let loaded = scenario::parse("seed.toml", text).expect("loads");
        let json = write::to_json(&loaded.scenario);
        let again = scenario::parse("again.json", &json)
            .unwrap_or_else(|r| panic!("{}\n{json}", r.to_lines().join("\n")));
        assert_eq!(
            format!("{:?}", again.scenario),
            format!("{:?}", loaded.scenario)
        );
        assert!(again.report.diagnostics.is_empty() || !loaded.report.diagnostics.is_empty());
    }
}

/// The mutator itself does what the targets rely on: it changes the seed, within bounds.
#[test]
fn mutations_change_the_seed_and_stay_in_bounds() {
    let seed = b"format = \"demarche-scenario\"\n".to_vec();
    let idx = |n: usize| Frac((n as u64 * (u64::from(u32::MAX) / 97)) as u32);
    let cases = [
        Mutation::FlipBit(idx(3), 1),
        Mutation::Insert(idx(96), idx(0)),
        Mutation::Delete(idx(50), 63),
        Mutation::Duplicate(idx(10), 255, idx(90)),
        Mutation::Truncate(idx(40)),
    ];
    for m in cases {
        let out = mutate(&seed, std::slice::from_ref(&m), &[]);
        assert_ne!(out, seed, "{m:?} left the seed as it was");
    }
    assert!(mutate(&seed, &[Mutation::Truncate(idx(0))], &[]).is_empty());
}
