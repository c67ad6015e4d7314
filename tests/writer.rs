//! `write::to_writer` (which `demarche import` streams its output with, a contact at a time) writes the
//! very text `write::to_json` makes, for every kind of story.

use demarche::io::scenario::{default_scenario, parse, write};
use demarche::synth::{SynthSize, scenario_toml};

fn streamed(scenario: &demarche::model::Scenario) -> String {
    let mut out = Vec::new();
    write::to_writer(scenario, &mut out).expect("written to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_streamed_text_is_the_whole_text() {
    let synth = parse(
        "synthetic.toml",
        &scenario_toml(
            SynthSize {
                contacts: 500,
                actors: 30,
                venues: 20,
            },
            3,
        ),
    )
    .expect("valid")
    .scenario;
    let mut stories = vec![default_scenario().scenario, synth];
    for name in ["oman-channel-2025.toml", "eln-talks-2022-2023.toml"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/scenarios")
            .join(name);
        let text = std::fs::read_to_string(&path).expect("an example scenario");
        stories.push(parse(name, &text).expect("valid").scenario);
    }
    for scenario in &stories {
        let whole = write::to_json(scenario);
        assert_eq!(streamed(scenario), whole, "{}", scenario.meta.id);
        // And it reads back as the same story.
        let again = parse("again.json", &whole).expect("valid").scenario;
        assert_eq!(again.contacts.len(), scenario.contacts.len());
    }
}
