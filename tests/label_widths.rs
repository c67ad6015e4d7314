//! The scene spaces its labels with an estimate of their width (it knows no font, so that the window, the
//! PNG and the SVG hide the same labels); the estimate must be close to the width the bundled fonts really
//! give, in every script the stories use, or labels in Arabic, Persian or Hebrew are spaced wrongly.

use demarche::render::text::Typesetter;
use demarche::scene::labels::text_width;
use demarche::scene::style::ThemeKind;
use demarche::scene::{Anchor, Rgba};

/// Place names and people's names as stories write them, by script.
const NAMES: &[(&str, &[&str])] = &[
    (
        "Latin",
        &[
            "Washington",
            "Ankara",
            "Ciudad de México",
            "La Habana",
            "Bogotá",
            "Muscat",
            "Roma",
            "Brasília",
            "Oslo",
            "Caracas",
            "Otty Patiño",
        ],
    ),
    (
        "Arabic",
        &[
            "مسقط",
            "بدر البوسعيدي",
            "الدوحة",
            "الرياض",
            "القاهرة",
            "أبو ظبي",
        ],
    ),
    (
        "Persian",
        &["عباس عراقچی", "تهران", "اسماعیل بقائی", "اصفهان", "مشهد"],
    ),
    (
        "Hebrew",
        &["ירושלים", "תל אביב", "בנימין נתניהו", "חיפה", "באר שבע"],
    ),
    (
        "Cyrillic",
        &[
            "Москва",
            "Сергей Лавров",
            "Санкт-Петербург",
            "Киев",
            "Минск",
        ],
    ),
];

#[test]
fn label_width_estimates_are_within_15_percent_of_the_typeset_width_in_every_script() {
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    let mut failures = Vec::new();
    for (script, names) in NAMES {
        for name in *names {
            for size in [11.0_f32, 12.5, 16.0] {
                let real = typesetter
                    .place([0.0, 0.0], name, size, Rgba::rgb(0, 0, 0), Anchor::Center)
                    .galley
                    .size()
                    .x;
                let estimate = text_width(name, size);
                let ratio = estimate / real;
                println!(
                    "{script:8} {name:24} {size:5}: estimate {estimate:7.2} real {real:7.2} ratio {ratio:.3}"
                );
                if !(0.85..=1.15).contains(&ratio) {
                    failures.push(format!(
                        "{script} {name} at {size}: estimated {estimate:.1}, typeset {real:.1}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
