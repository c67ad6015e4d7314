//! What an exported picture carries besides the map: a title with the date and time in a named zone, and a
//! stamp naming the scenario and a short hash of its contents, so a reader can tell which data made it.
//! The legend, the scale bar and the data credit are already part of the map's scene.
//!
//! They are scene layers like any other, so the SVG and the PNG both get them.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::geo_math::camera::ScreenRect;
use crate::io::scenario::Stamp;
use crate::scene::{Anchor, Item, SceneLayer, Theme};

/// A time zone with the name it was asked for by.
#[derive(Clone, Debug)]
pub struct Zone {
    pub name: String,
    pub zone: TimeZone,
}

impl Zone {
    pub fn utc() -> Self {
        Self {
            name: "UTC".to_owned(),
            zone: TimeZone::UTC,
        }
    }
}

/// `Sat 31 Jan 2026, 12:00 UTC`, or `Sat 31 Jan 2026, 21:30 (Asia/Tehran, UTC+03:30)`.
pub fn date_label(t: Timestamp, zone: &Zone) -> String {
    let local = t.to_zoned_datetime(zone.zone.clone());
    let day_time = local.strftime("%a %-d %b %Y, %H:%M").to_string();
    if zone.zone == TimeZone::UTC {
        format!("{day_time} UTC")
    } else {
        format!("{day_time} ({}, UTC{})", zone.name, local.strftime("%:z"))
    }
}

/// What the decorations say.
#[derive(Clone, Debug)]
pub struct Decorations<'a> {
    pub title: &'a str,
    pub time: Timestamp,
    pub zone: &'a Zone,
    pub stamp: &'a Stamp,
}

const TITLE_SIZE: f32 = 18.0;
const DATE_SIZE: f32 = 13.0;
const STAMP_SIZE: f32 = 9.0;
const PAD: f32 = 8.0;

/// The title block (top left, on a panel like the legend's) and the stamp (bottom right, above the
/// credit). `measure(text, size)` gives a text's width in points, for the panel's size.
pub fn layers(
    d: &Decorations<'_>,
    viewport: ScreenRect,
    theme: &Theme,
    measure: &mut dyn FnMut(&str, f32) -> f32,
) -> Vec<SceneLayer> {
    let mut title = SceneLayer::new("title");
    let date = date_label(d.time, d.zone);
    let x0 = viewport.min[0] + 10.0;
    let y0 = viewport.min[1] + 10.0;
    let width = measure(d.title, TITLE_SIZE).max(measure(&date, DATE_SIZE)) + 2.0 * PAD;
    let title_h = TITLE_SIZE * 1.3;
    let date_h = DATE_SIZE * 1.3;
    let height = PAD + title_h + date_h + PAD * 0.75;
    title.items.push(Item::rect(
        [x0, y0],
        [x0 + width, y0 + height],
        theme.text_halo,
    ));
    title.items.push(Item::Text {
        pos: [x0 + PAD, y0 + PAD + title_h / 2.0],
        text: d.title.to_owned(),
        size: TITLE_SIZE,
        color: theme.text,
        anchor: Anchor::LeftCenter,
    });
    title.items.push(Item::Text {
        pos: [x0 + PAD, y0 + PAD + title_h + date_h / 2.0],
        text: date,
        size: DATE_SIZE,
        color: theme.text,
        anchor: Anchor::LeftCenter,
    });

    let mut stamp = SceneLayer::new("stamp");
    stamp.items.push(Item::Text {
        pos: [viewport.max[0] - 6.0, viewport.max[1] - 17.0],
        text: d.stamp.label(),
        size: STAMP_SIZE,
        color: theme.graticule_label,
        anchor: Anchor::RightCenter,
    });
    vec![title, stamp]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn the_date_names_its_zone() {
        let t = ts("2026-01-31T18:00:00Z");
        assert_eq!(date_label(t, &Zone::utc()), "Sat 31 Jan 2026, 18:00 UTC");
        let tehran = Zone {
            name: "Asia/Tehran".to_owned(),
            zone: crate::model::time::zone_by_name("Asia/Tehran").expect("zone"),
        };
        assert_eq!(
            date_label(t, &tehran),
            "Sat 31 Jan 2026, 21:30 (Asia/Tehran, UTC+03:30)"
        );
    }

    #[test]
    fn the_stamp_is_the_start_of_the_sha256() {
        // SHA-256 of "abc" is ba7816bf...
        let stamp = Stamp::new("x", b"abc");
        assert_eq!(stamp.hash, "ba7816bf");
        assert_eq!(stamp.label(), "x · sha256 ba7816bf");
    }

    #[test]
    fn the_title_panel_is_as_wide_as_its_longest_line() {
        let zone = Zone::utc();
        let stamp = Stamp::new("x", b"");
        let d = Decorations {
            title: "A title",
            time: ts("2026-01-31T18:00:00Z"),
            zone: &zone,
            stamp: &stamp,
        };
        let mut measure = |text: &str, size: f32| text.chars().count() as f32 * size * 0.5;
        let layers = layers(
            &d,
            ScreenRect::from_size(800.0, 600.0),
            &Theme::light(),
            &mut measure,
        );
        let Item::Mesh { vertices, .. } = &layers[0].items[0] else {
            panic!("a panel first");
        };
        let date_width = "Sat 31 Jan 2026, 18:00 UTC".len() as f32 * 13.0 * 0.5;
        assert!((vertices[1][0] - vertices[0][0] - (date_width + 16.0)).abs() < 1e-3);
        assert_eq!(layers[1].name, "stamp");
    }
}
