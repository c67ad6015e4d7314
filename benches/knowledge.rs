//! The second clock with a very large story (issue 15 at the sizes of issue 14): what the window pays when
//! the as-of moment crosses a report (the story as known then, and the document drawn from it: time
//! order, contact index), and finding the report times of a story once.
//! `DEMARCHE_LARGE_CONTACTS` sets the size (default 1,000,000; 100000 is quicker to set up).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::app::Document;
use demarche::io::scenario::Loaded;
use demarche::model::as_of::{as_known_with_ids, report_times};

#[allow(dead_code)] // the frame helpers are for the frame benches
mod support;

fn benches(c: &mut Criterion) {
    let (contacts, loaded) = support::large_story();
    let scenario = &loaded.scenario;
    // The moment after the story's one report: every contact is known, the most work.
    let t = *report_times(scenario).last().expect("a dated source");
    let mut group = c.benchmark_group(format!("knowledge_{contacts}"));
    group.sample_size(10);
    group.bench_function("report_times", |b| {
        b.iter(|| black_box(report_times(black_box(scenario))))
    });
    group.bench_function("as_known", |b| {
        b.iter(|| black_box(as_known_with_ids(black_box(scenario), t)))
    });
    group.bench_function("as_known_document", |b| {
        b.iter(|| {
            let known = as_known_with_ids(scenario, t);
            let loaded = Loaded {
                scenario: known.scenario,
                report: loaded.report.clone(),
            };
            black_box(Document::new(loaded, None, b""))
        })
    });
    group.finish();
}

criterion_group!(knowledge, benches);
criterion_main!(knowledge);
