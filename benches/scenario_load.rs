//! Loading and validating a large scenario: 100,000 contacts over 500 actors and 1,000 venues, in both
//! encodings of the same content. Target (issue 2): median under 300 ms and peak memory under 200 MB.
//!
//! Peak memory is measured on the whole program, on a file written by the `synth-scenario` example:
//!
//! ```text
//! cargo run --release --example synth-scenario -- target/synth-100k.json
//! /usr/bin/time -v target/release/demarche check target/synth-100k.json
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::io::scenario;
use demarche::synth::{SynthSize, scenario_json, scenario_toml};

const SIZE: SynthSize = SynthSize {
    contacts: 100_000,
    actors: 500,
    venues: 1_000,
};
const SEED: u64 = 2026;

fn load_and_validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("scenario");
    group.sample_size(10);
    for (id, name, text) in [
        (
            "load_and_validate_100k_contacts_json",
            "bench.json",
            scenario_json(SIZE, SEED),
        ),
        (
            "load_and_validate_100k_contacts_toml",
            "bench.toml",
            scenario_toml(SIZE, SEED),
        ),
    ] {
        group.bench_function(id, |b| {
            b.iter(|| {
                let loaded = scenario::parse(name, black_box(&text)).expect("valid");
                black_box(loaded.scenario.contacts.len())
            });
        });
    }
    group.finish();
}

/// Issue 12: a JSON scenario of 1,000,000 contacts (about 350 MB), past the TOML cap. Target: `demarche
/// check` under 3 s and under 1 GB whole-process (measured on the release binary with `/usr/bin/time -v`
/// on a file written by the `synth-scenario` example with `--contacts 1000000`).
fn load_and_validate_1m_json(c: &mut Criterion) {
    let size = SynthSize {
        contacts: 1_000_000,
        ..SIZE
    };
    let text = scenario_json(size, SEED);
    let mut group = c.benchmark_group("scenario_1m");
    group.sample_size(10);
    group.bench_function("load_and_validate_1m_contacts_json", |b| {
        b.iter(|| {
            let loaded = scenario::parse("bench-1m.json", black_box(&text)).expect("valid");
            black_box(loaded.scenario.contacts.len())
        });
    });
    group.finish();
}

criterion_group!(benches, load_and_validate, load_and_validate_1m_json);
criterion_main!(benches);
