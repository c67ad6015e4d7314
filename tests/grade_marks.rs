//! The grade of a contact's best source and the dispute of its accounts, as the exports draw them: the
//! line weight and opacity in the SVG, the legend's row, and the "!" badge readable in a PNG.

mod support;

use demarche::basemap::embedded::Basemap;
use demarche::export::{FrameSpec, SnapshotFormat, Source, snapshot_bytes};
use demarche::scene::look::{DISPUTED_RADIUS, GRADE_LEGEND};
use demarche::scene::style::{Theme, ThemeKind};
use demarche::scene::{Item, Rgba, view};
use support::fixtures::{decode_png, source, spec, ts};

/// The SVG of the default story on Friday noon with its one source graded `grade` (`None`: ungraded).
fn svg_graded(grade: Option<&str>) -> String {
    let mut source = source();
    for s in &mut source.scenario.sources {
        s.grade = grade.map(|g| g.parse().expect("a grade"));
    }
    let spec = spec(800.0, 450.0);
    let bytes = snapshot_bytes(
        &source,
        &spec,
        ts("2026-01-30T12:00:00Z"),
        SnapshotFormat::Svg,
    )
    .expect("svg");
    String::from_utf8(bytes).expect("utf-8")
}

/// The text of the SVG group `id`.
fn group<'a>(svg: &'a str, id: &str) -> &'a str {
    let start = svg
        .find(&format!("<g id=\"{id}\""))
        .unwrap_or_else(|| panic!("a group {id}"));
    let end = svg[start..].find("</g>").map_or(svg.len(), |e| start + e);
    &svg[start..end]
}

fn attr(element: &str, name: &str) -> Option<f32> {
    let key = format!(" {name}=\"");
    let at = element.find(&key)? + key.len();
    element[at..].split('"').next()?.parse().ok()
}

/// The (stroke width, stroke opacity) of the meeting's ring: the stroked circles in the meeting's orange.
fn meeting_ring(svg: &str) -> (f32, f32) {
    let ring = group(svg, "contacts")
        .lines()
        .find(|l| l.starts_with("<circle") && l.contains("fill=\"none\"") && l.contains("#d55e00"))
        .expect("the meeting's ring");
    (
        attr(ring, "stroke-width").expect("a width"),
        attr(ring, "stroke-opacity").unwrap_or(1.0),
    )
}

#[test]
fn the_svg_draws_a_well_graded_contact_heavier_and_says_so_in_the_legend() {
    let strong = svg_graded(Some("B2"));
    let faint = svg_graded(Some("E3"));
    let plain = svg_graded(None);
    let (strong_width, strong_opacity) = meeting_ring(&strong);
    let (faint_width, faint_opacity) = meeting_ring(&faint);
    assert!(
        strong_width > faint_width * 1.5,
        "{strong_width} against {faint_width}"
    );
    assert!(
        strong_opacity > faint_opacity + 0.2,
        "{strong_opacity} against {faint_opacity}"
    );
    // The legend explains it, only when some source is graded.
    assert!(group(&strong, "legend").contains(GRADE_LEGEND));
    assert!(group(&faint, "legend").contains(GRADE_LEGEND));
    assert!(!group(&plain, "legend").contains(GRADE_LEGEND));
    // Ungraded, the story is drawn as before: the meeting's ring at its kind's width.
    assert_eq!(
        meeting_ring(&plain).0,
        demarche::scene::look::RING.width,
        "no grade, no change"
    );
}

/// The Oman example as an export source.
fn oman() -> Source {
    let example =
        demarche::io::scenario::examples::find("oman-channel-2025.toml").expect("example");
    let (loaded, stamp) = example.load().expect("valid");
    let projection = view::regional_projection();
    let mut basemap = Basemap::embedded().expect("embedded");
    Source {
        order: loaded.scenario.chronological(),
        stamp,
        basemap: basemap.prepared(projection).to_vec(),
        scenario: loaded.scenario,
        projection,
        new_since: None,
        replay: false,
    }
}

/// WCAG's relative luminance of an sRGB colour.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// At Rome on 3 May 2025 the Oman example's fourth round is disputed (planned, then postponed): its "!"
/// stands out from the map in a PNG export in both themes. In the square around the mark, two pixels in
/// five or more contrast with the land at 4.5:1 (WCAG's ratio for text): a solid badge. The old mark, a
/// thin "!" in the mediation's faded yellow over a pale disc, had a handful.
#[test]
fn the_disputed_mark_stands_out_from_the_map_in_a_png_in_both_themes() {
    let source = oman();
    let t = ts("2025-05-03T12:00:00Z");
    for kind in [ThemeKind::Light, ThemeKind::Dark] {
        let spec = FrameSpec {
            theme: kind,
            ..spec(1280.0, 720.0)
        };
        let camera = spec.camera(&source).expect("camera");
        let mut typesetter = spec.typesetter();
        let scene = demarche::export::scene(&source, &spec, &camera, t, None, &mut typesetter);
        let at = scene
            .layer("contacts")
            .expect("contacts")
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text { text, pos, .. } if text == "!" => Some(*pos),
                _ => None,
            })
            .expect("a disputed mark at Rome");
        let png = snapshot_bytes(&source, &spec, t, SnapshotFormat::Png).expect("png");
        let (w, h, pixels) = decode_png(&png);
        let land = Theme::of(kind).land;
        let Rgba([lr, lg, lb, _]) = land;
        let size = DISPUTED_RADIUS;
        let mut strong = 0;
        let mut total = 0;
        for y in (at[1] - size) as i64..=(at[1] + size) as i64 {
            for x in (at[0] - size) as i64..=(at[0] + size) as i64 {
                assert!(x >= 0 && y >= 0 && x < i64::from(w) && y < i64::from(h));
                let i = ((y * i64::from(w) + x) * 4) as usize;
                let px = [pixels[i], pixels[i + 1], pixels[i + 2]];
                total += 1;
                if contrast(px, [lr, lg, lb]) >= 4.5 {
                    strong += 1;
                }
            }
        }
        assert!(
            strong * 10 >= total * 4,
            "{kind:?}: {strong} of {total} pixels around the mark contrast with the land"
        );
    }
}

/// The list of contacts tags each row with the grade the contact is shown by (its map mark's weight), and
/// no tag where no source of the contact is graded; a disputed contact has a "!" tag too.
#[test]
fn the_list_tags_each_contact_with_the_grade_of_its_best_source_and_its_dispute() {
    use egui_kittest::kittest::Queryable as _;
    let mut harness =
        support::app::app_with_fonts([1400.0, 900.0], demarche::app::AppOptions::default());
    harness.run();
    // The default story: one article, graded F2, behind all 13 contacts.
    assert_eq!(harness.query_all_by_label("F2").count(), 13);
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/scenarios/oman-channel-2025.toml");
    let mut harness = support::app::app_with_fonts(
        [1400.0, 900.0],
        demarche::app::AppOptions {
            scenario: Some(path),
            ..Default::default()
        },
    );
    harness.run();
    let scenario = &harness.state().document.loaded.scenario;
    let expected = |tag: &str| {
        scenario
            .contacts
            .iter()
            .filter(|c| {
                demarche::model::evidence::shown_grade(c, &scenario.sources)
                    .is_some_and(|g| g.to_string() == tag)
            })
            .count()
    };
    let (b1, b2) = (expected("B1"), expected("B2"));
    assert!(b1 + b2 > 0 && b1 + b2 < scenario.contacts.len());
    assert_eq!(harness.query_all_by_label("B1").count(), b1);
    assert_eq!(harness.query_all_by_label("B2").count(), b2);
    // And a "!" ahead of each disputed contact, as the map's badge.
    let disputed = scenario
        .contacts
        .iter()
        .filter(|c| c.dispute().any())
        .count();
    assert!(disputed > 0);
    assert_eq!(harness.query_all_by_label("!").count(), disputed);
}
