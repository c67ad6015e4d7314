//! Importing GDELT 2.0 events: synthesised rows of the real width (61 tab-separated columns, about 400 bytes
//! a row), a mix of codes like a real 15-minute file (about a third diplomatic: roots 03, 04, 05), actors
//! from 150 countries, places from 3,000 features, articles cited by several rows each.
//!
//! Target (issue 14): 1,000,000 rows (about 400 MB) in under 10 s and under 1 GB on this 2-core machine.
//! The files are left in `target/` (`import-bench-100000.tsv`, `import-bench-1000000.tsv`) so that the whole
//! program and the peer can be measured on the same bytes:
//!
//! ```text
//! /usr/bin/time -v target/release/demarche import target/import-bench-1000000.tsv -o /tmp/out.json
//! python3 -c "import pandas, time; t=time.time(); pandas.read_csv('target/import-bench-1000000.tsv', \
//!     sep='\t', header=None, dtype=str); print(time.time()-t)"
//! ```

use std::hint::black_box;
use std::io::Write as _;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::import::{Options, import};
use demarche::io::scenario::write;

const COUNTRIES: [&str; 30] = [
    "USA", "RUS", "CHN", "TUR", "IRN", "ISR", "PSE", "EGY", "QAT", "SAU", "ARE", "IRQ", "SYR",
    "LBN", "JOR", "FRA", "DEU", "GBR", "IND", "PAK", "JPN", "KOR", "PRK", "UKR", "BLR", "POL",
    "BRA", "ZAF", "NGA", "KEN",
];
const TYPES: [&str; 6] = ["", "GOV", "MIL", "ELI", "MED", "CVL"];
const CODES: [&str; 18] = [
    "036", "040", "041", "042", "043", "044", "045", "046", "057", "051", "0311", "010", "020",
    "111", "112", "173", "190", "193",
];

/// A small deterministic generator (no dependency for a bench).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Writes `rows` synthesised GDELT 2.0 rows to `target/import-bench-{rows}.tsv` (once) and gives its path.
fn synthesise(rows: usize) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("import-bench-{rows}.tsv"));
    if path.exists() {
        return path;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let mut rng = Lcg(2026);
    let mut fields: Vec<String> = vec![String::new(); 61];
    for i in 0..rows {
        for f in &mut fields {
            f.clear();
        }
        // Events come in bursts: several rows (articles, actor pairs) per event.
        let event = i / 3;
        let mut erng = Lcg(event as u64);
        let day = 1 + erng.next(28);
        let a = COUNTRIES[erng.next(COUNTRIES.len())];
        let b = COUNTRIES[erng.next(COUNTRIES.len())];
        let code = CODES[erng.next(CODES.len())];
        let feature = erng.next(3000);
        let ty = TYPES[rng.next(TYPES.len())];
        let (a, b) = if rng.next(2) == 0 { (a, b) } else { (b, a) };
        fields[0] = (1_000_000_000 + i).to_string();
        fields[1] = format!("202001{day:02}");
        fields[2] = "202001".into();
        fields[3] = "2020".into();
        fields[4] = "2020.0110".into();
        fields[5] = format!("{a}{ty}");
        fields[6] = format!("{a} NAME");
        fields[7] = a.into();
        fields[12] = ty.into();
        fields[15] = b.into();
        fields[16] = format!("{b} NAME");
        fields[17] = b.into();
        fields[25] = "1".into();
        fields[26] = code.into();
        fields[27] = code[..3].into();
        fields[28] = code[..2].into();
        fields[29] = "1".into();
        fields[30] = "1.9".into();
        fields[31] = (1 + rng.next(20)).to_string();
        fields[32] = (1 + rng.next(5)).to_string();
        fields[33] = (1 + rng.next(20)).to_string();
        fields[34] = format!("{:.10}", rng.next(2000) as f64 / 100.0 - 10.0);
        let geo_type = ["1", "4", "4", "4", "5", "3"][feature % 6];
        let (lat, lon) = (
            (feature % 140) as f64 - 60.0 + 0.1234,
            (feature % 340) as f64 - 170.0 + 0.5678,
        );
        for block in [35, 43, 51] {
            fields[block] = geo_type.into();
            fields[block + 1] = format!("Place {feature}, Province {}, Country {a}", feature % 50);
            fields[block + 2] = "TU".into();
            fields[block + 3] = format!("TU{:02}", feature % 90);
            fields[block + 4] = (10_000 + feature).to_string();
            fields[block + 5] = format!("{lat:.4}");
            fields[block + 6] = format!("{lon:.4}");
            fields[block + 7] = format!("-{}", 1_000_000 + feature);
        }
        fields[59] = format!("202001{day:02}{:02}{:02}00", rng.next(24), rng.next(4) * 15);
        fields[60] = format!(
            "https://www.example-news-{}.com/world/2020/01/{day:02}/article-about-the-visit-{}.html",
            rng.next(500),
            event / 2
        );
        out.write_all(fields.join("\t").as_bytes()).expect("write");
        out.write_all(b"\n").expect("write");
    }
    out.flush().expect("flush");
    path
}

fn import_gdelt(c: &mut Criterion) {
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for rows in [100_000, 1_000_000] {
        let path = synthesise(rows);
        let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
        eprintln!("{}: {rows} rows, {} MB", path.display(), bytes / 1_000_000);
        group.bench_function(format!("gdelt2_{rows}_rows"), |b| {
            b.iter(|| {
                // Reading, merging, and the JSON text the command writes.
                let imported =
                    import(std::slice::from_ref(&path), &Options::default()).expect("imports");
                black_box(write::to_json(&imported.scenario).len())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, import_gdelt);
criterion_main!(benches);
