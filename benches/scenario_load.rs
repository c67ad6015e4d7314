//! Loading and validating a large scenario: 100,000 contacts over 500 actors and 1,000 venues.
//! Target (issue 2): median under 300 ms. Peak memory is measured on the whole process with
//! `/usr/bin/time -v target/release/demarche check target/bench-100k.toml` (the file is written here).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::io::scenario;
use demarche::synth::{SynthSize, scenario_toml};

const SIZE: SynthSize = SynthSize {
    contacts: 100_000,
    actors: 500,
    venues: 1_000,
};

fn load_and_validate(c: &mut Criterion) {
    let text = scenario_toml(SIZE, 2026);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-100k.toml");
    if let Err(err) = std::fs::write(&path, &text) {
        eprintln!(
            "could not write {} for memory measurements: {err}",
            path.display()
        );
    }
    let mut group = c.benchmark_group("scenario");
    group.sample_size(20);
    group.bench_function("load_and_validate_100k_contacts", |b| {
        b.iter(|| {
            let loaded = scenario::parse("bench.toml", black_box(&text)).expect("valid");
            black_box(loaded.scenario.contacts.len())
        });
    });
    group.finish();
}

criterion_group!(benches, load_and_validate);
criterion_main!(benches);
