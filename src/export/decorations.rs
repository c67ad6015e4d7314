//! What an exported picture carries besides the map: a title with the date and time in a named zone, and a
//! stamp naming the scenario and a short hash of its contents, so a reader can tell which data made it;
//! with the legend, the scale bar and the data credit the map's scene draws, they are the picture's
//! decorations, each a block put where it covers least of the map ([`super::layout`]).
//!
//! They are scene layers like any other, so the SVG and the PNG both get them.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::FrameSpec;
use super::layout::{Block, Layout, MARGIN, Obstacle, Place, choose, obstacles, translate};
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::io::scenario::Stamp;
use crate::model::Scenario;
use crate::render::text::Typesetter;
use crate::scene::labels::{Box2, item_box};
use crate::scene::map::{MapInputs, build_over_ground, layers_on_top};
use crate::scene::{Anchor, Item, Rgba, Scene, SceneLayer, Theme, view};

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
/// The smallest a title is shrunk to, as a part of its size, before it is cut short.
const MIN_SHRINK: f32 = 0.6;

/// Measures a text: its width and height in points at a size.
pub type Measure<'m> = dyn FnMut(&str, f32) -> [f32; 2] + 'm;

/// A decoration ready to be put in place: its layers, drawn from (0, 0), and its size.
#[derive(Clone, Debug)]
pub struct Piece {
    pub block: Block,
    pub layers: Vec<SceneLayer>,
    pub size: [f32; 2],
}

/// The box a layer's items cover, its texts measured as they will be drawn.
fn measured_box(layer: &SceneLayer, measure: &mut Measure<'_>) -> Option<Box2> {
    layer
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text {
                pos,
                text,
                size,
                anchor,
                ..
            } => {
                let [w, h] = measure(text, *size);
                let [x, y] = *pos;
                Some(match anchor {
                    Anchor::Center => [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0],
                    Anchor::LeftCenter => [x, y - h / 2.0, x + w, y + h / 2.0],
                    Anchor::RightCenter => [x - w, y - h / 2.0, x, y + h / 2.0],
                    Anchor::CenterTop => [x - w / 2.0, y, x + w / 2.0, y + h],
                    Anchor::CenterBottom => [x - w / 2.0, y - h, x + w / 2.0, y],
                })
            }
            other => item_box(other),
        })
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })
}

/// `layers` moved to start at (0, 0), as one piece.
fn piece(block: Block, mut layers: Vec<SceneLayer>, measure: &mut Measure<'_>) -> Option<Piece> {
    let b = layers
        .iter()
        .filter_map(|l| measured_box(l, measure))
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })?;
    for layer in &mut layers {
        translate(layer, [-b[0], -b[1]]);
    }
    Some(Piece {
        block,
        layers,
        size: [b[2] - b[0], b[3] - b[1]],
    })
}

/// `text` at `size`, shrunk (to [`MIN_SHRINK`] of it) then cut short with an ellipsis until it is at
/// most `max_width` wide.
fn fitted(text: &str, size: f32, max_width: f32, measure: &mut Measure<'_>) -> (String, f32) {
    let width = measure(text, size)[0];
    if width <= max_width {
        return (text.to_owned(), size);
    }
    let size = (size * max_width / width).max(size * MIN_SHRINK);
    let mut chars: Vec<char> = text.chars().collect();
    let mut out = text.to_owned();
    while measure(&out, size)[0] > max_width && !chars.is_empty() {
        chars.pop();
        out = chars.iter().collect::<String>().trim_end().to_owned() + "…";
    }
    (out, size)
}

/// The title block: the title and the date on a panel like the legend's, at most `max_width` wide.
fn title_layer(
    d: &Decorations<'_>,
    max_width: f32,
    theme: &Theme,
    measure: &mut Measure<'_>,
) -> SceneLayer {
    let mut title = SceneLayer::new("title");
    let inner = (max_width - 2.0 * PAD).max(1.0);
    let (title_text, title_size) = fitted(d.title, TITLE_SIZE, inner, measure);
    let (date, date_size) = fitted(&date_label(d.time, d.zone), DATE_SIZE, inner, measure);
    let width = measure(&title_text, title_size)[0].max(measure(&date, date_size)[0]) + 2.0 * PAD;
    let title_h = title_size * 1.3;
    let date_h = date_size * 1.3;
    let height = PAD + title_h + date_h + PAD * 0.75;
    title
        .items
        .push(Item::rect([0.0, 0.0], [width, height], theme.text_halo));
    title.items.push(Item::Text {
        pos: [PAD, PAD + title_h / 2.0],
        text: title_text,
        size: title_size,
        color: theme.text,
        anchor: Anchor::LeftCenter,
    });
    title.items.push(Item::Text {
        pos: [PAD, PAD + title_h + date_h / 2.0],
        text: date,
        size: date_size,
        color: theme.text,
        anchor: Anchor::LeftCenter,
    });
    title
}

/// The credit block: the stamp (when shown) over the map's credit, both flush right.
fn credit_piece(
    credit: Option<SceneLayer>,
    stamp: Option<String>,
    theme: &Theme,
    measure: &mut Measure<'_>,
) -> Option<Piece> {
    let mut lines: Vec<Piece> = Vec::new();
    if let Some(text) = stamp {
        let mut layer = SceneLayer::new("stamp");
        layer.items.push(Item::Text {
            pos: [0.0, 0.0],
            text,
            size: STAMP_SIZE,
            color: theme.graticule_label,
            anchor: Anchor::RightCenter,
        });
        lines.extend(piece(Block::Credit, vec![layer], measure));
    }
    lines.extend(credit.and_then(|c| piece(Block::Credit, vec![c], measure)));
    let width = lines.iter().map(|p| p.size[0]).fold(0.0, f32::max);
    let mut y = 0.0;
    let mut layers = Vec::new();
    for line in lines {
        for mut layer in line.layers {
            translate(&mut layer, [width - line.size[0], y]);
            layers.push(layer);
        }
        y += line.size[1];
    }
    (!layers.is_empty()).then_some(Piece {
        block: Block::Credit,
        layers,
        size: [width, y],
    })
}

/// The pieces of the picture's decorations as `layout` shows them: the title block, the legend, the
/// scale bar, the credit with the stamp. `furniture` is the map's legend, scale bar and credit
/// ([`crate::scene::map::layers_on_top`]); `width` the picture's.
pub fn pieces(
    furniture: Vec<SceneLayer>,
    width: f32,
    d: &Decorations<'_>,
    layout: &Layout,
    theme: &Theme,
    measure: &mut Measure<'_>,
) -> Vec<Piece> {
    let mut furniture = furniture;
    let mut take = |name: &str| {
        let i = furniture.iter().position(|l| l.name == name)?;
        Some(furniture.remove(i))
    };
    let (legend, scale_bar, credit) = (take("legend"), take("scale-bar"), take("credit"));
    let mut out = Vec::new();
    if layout.title != Place::Hidden {
        let title = title_layer(d, width - 2.0 * MARGIN, theme, measure);
        out.extend(piece(Block::Title, vec![title], measure));
    }
    if layout.legend != Place::Hidden {
        out.extend(legend.and_then(|l| piece(Block::Legend, vec![l], measure)));
    }
    out.extend(scale_bar.and_then(|l| piece(Block::ScaleBar, vec![l], measure)));
    let stamp = layout.stamp.then(|| d.stamp.label_at(d.time));
    out.extend(credit_piece(credit, stamp, theme, measure));
    out
}

/// Where each piece goes in `viewport`: the spot `layout` fixes, or the one where it covers least of
/// the map's `content` ([`layout::choose`]; asked for only when a spot is to be chosen).
pub fn spots(
    pieces: &[Piece],
    layout: &Layout,
    viewport: Box2,
    content: impl FnOnce() -> Vec<Obstacle>,
) -> Vec<(Block, Box2)> {
    let sizes: Vec<(Block, [f32; 2])> = pieces.iter().map(|p| (p.block, p.size)).collect();
    let any_auto = sizes.iter().any(|(b, _)| layout.place(*b) == Place::Auto);
    let content = if any_auto { content() } else { Vec::new() };
    choose(&sizes, layout, viewport, &content)
        .into_iter()
        .filter_map(|(block, spot)| {
            let size = sizes.iter().find(|(b, _)| *b == block)?.1;
            Some((block, spot.rect(size, viewport)))
        })
        .collect()
}

/// Puts the pieces on top of `scene`, each in its box.
pub fn put(scene: &mut Scene, pieces: Vec<Piece>, boxes: &[(Block, Box2)]) {
    for p in pieces {
        let Some(&(_, rect)) = boxes.iter().find(|(b, _)| *b == p.block) else {
            continue;
        };
        for mut layer in p.layers {
            translate(&mut layer, [rect[0], rect[1]]);
            scene.layers.push(layer);
        }
    }
}

/// Points kept between a decoration and the framed venues beyond the fit's own room: the decorations are
/// measured before the view is known (the scale bar's length and the date's width vary a little).
const FIT_PAD: f32 = 6.0;

/// The view of a fitted export ([`super::View::Fit`]): the story framed as the window frames it, clear
/// of the decorations the picture carries instead of the window's legend, wherever they go. Their sizes
/// are measured first (at the story's first and last moments), their spots chosen as the picture will
/// choose them ([`spots`]), and the story fitted clear of them; when, in the new view, a decoration
/// would go to a spot not kept clear, the fit keeps that one clear too.
pub fn fitted_camera(projection: &Projection, scenario: &Scenario, spec: &FrameSpec) -> Camera {
    fitted_camera_with(projection, scenario, spec, &mut spec.typesetter())
}

/// [`fitted_camera`], measuring the decorations with `typesetter` (the picture's own, which then has
/// their glyphs ready).
pub fn fitted_camera_with(
    projection: &Projection,
    scenario: &Scenario,
    spec: &FrameSpec,
    typesetter: &mut Typesetter,
) -> Camera {
    let viewport = spec.viewport();
    let mut camera = view::fitted_camera_clear_of(projection, scenario, None, viewport, &[]);
    let theme = Theme::of(spec.theme);
    let order = scenario.chronological();
    let times: Vec<Timestamp> = scenario
        .time_extent()
        .map_or_else(|| vec![Timestamp::UNIX_EPOCH], |(a, b)| vec![a, b]);
    // The stamp names the file's hash, unknown here; its digits are about as wide as any.
    let stamp = Stamp {
        hash: "00000000".to_owned(),
        ..Stamp::new(&scenario.meta.id, b"")
    };
    let mut reserved: Vec<Box2> = Vec::new();
    for _ in 0..3 {
        let mut fresh: Vec<Box2> = Vec::new();
        for &time in &times {
            let inputs = MapInputs {
                projection,
                camera: &camera,
                theme: &theme,
                scenario: Some(scenario),
                order: &order,
                index: None,
                basemap: &[],
                time: Some(time),
                trail: spec.trail,
                pulse: None,
                selection: None,
                legend: true,
                new_since: None,
            };
            let d = Decorations {
                title: &spec.title,
                time,
                zone: &spec.zone,
                stamp: &stamp,
            };
            let mut measure = |text: &str, size: f32| {
                let s = typesetter
                    .place([0.0, 0.0], text, size, Rgba::rgb(0, 0, 0), Anchor::Center)
                    .galley
                    .size();
                [s.x, s.y]
            };
            let pieces = pieces(
                layers_on_top(&inputs),
                spec.size[0],
                &d,
                &spec.layout,
                &theme,
                &mut measure,
            );
            let vp = [0.0, 0.0, spec.size[0], spec.size[1]];
            let content = || obstacles(&build_over_ground(&inputs, &[]));
            for (_, b) in spots(&pieces, &spec.layout, vp, content) {
                let b = [
                    b[0] - FIT_PAD,
                    b[1] - FIT_PAD,
                    b[2] + FIT_PAD,
                    b[3] + FIT_PAD,
                ];
                let kept = |r: &Box2| r[0] <= b[0] && r[1] <= b[1] && r[2] >= b[2] && r[3] >= b[3];
                if !reserved.iter().chain(&fresh).any(kept) {
                    fresh.push(b);
                }
            }
        }
        if fresh.is_empty() {
            break;
        }
        reserved.extend(fresh);
        camera = view::fitted_camera_clear_of(projection, scenario, None, viewport, &reserved);
    }
    camera
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

    fn measure(text: &str, size: f32) -> [f32; 2] {
        [text.chars().count() as f32 * size * 0.5, size * 1.2]
    }

    fn furniture(w: f32, h: f32) -> Vec<SceneLayer> {
        let theme = Theme::light();
        let mut legend = SceneLayer::new("legend");
        legend.items.push(Item::rect(
            [w - 210.0, 10.0],
            [w - 10.0, 90.0],
            theme.text_halo,
        ));
        let mut credit = SceneLayer::new("credit");
        credit.items.push(Item::Text {
            pos: [w - 6.0, h - 4.0],
            text: "Made with Natural Earth".to_owned(),
            size: 10.0,
            color: theme.text,
            anchor: Anchor::RightCenter,
        });
        vec![legend, credit]
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
        let layout = Layout::default();
        let pieces = pieces(
            furniture(800.0, 600.0),
            800.0,
            &d,
            &layout,
            &Theme::light(),
            &mut measure,
        );
        let title = pieces
            .iter()
            .find(|p| p.block == Block::Title)
            .expect("title");
        let Item::Mesh { vertices, .. } = &title.layers[0].items[0] else {
            panic!("a panel first");
        };
        let date_width = "Sat 31 Jan 2026, 18:00 UTC".len() as f32 * 13.0 * 0.5;
        assert!((vertices[1][0] - vertices[0][0] - (date_width + 16.0)).abs() < 1e-3);
        let placed = spots(&pieces, &layout, [0.0, 0.0, 800.0, 600.0], Vec::new);
        let mut scene = Scene::default();
        put(&mut scene, pieces, &placed);
        let names: Vec<&str> = scene.layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["title", "legend", "stamp", "credit"]);
        for (block, rect) in placed {
            assert!(
                rect[0] >= 0.0 && rect[1] >= 0.0 && rect[2] <= 800.0 && rect[3] <= 600.0,
                "{block:?} at {rect:?} is cut by the edge"
            );
        }
    }

    #[test]
    fn a_title_too_long_for_the_picture_is_shrunk_then_cut_short() {
        let zone = Zone::utc();
        let stamp = Stamp::new("x", b"");
        let long = "A very long title about a mediation between two capitals far apart".repeat(3);
        let d = Decorations {
            title: &long,
            time: ts("2026-01-31T18:00:00Z"),
            zone: &zone,
            stamp: &stamp,
        };
        let layout = Layout {
            stamp: false,
            legend: Place::Hidden,
            ..Layout::default()
        };
        let pieces = pieces(
            furniture(400.0, 300.0),
            400.0,
            &d,
            &layout,
            &Theme::light(),
            &mut measure,
        );
        let title = pieces
            .iter()
            .find(|p| p.block == Block::Title)
            .expect("title");
        assert!(title.size[0] <= 400.0 - 2.0 * MARGIN, "{:?}", title.size);
        let Item::Text { text, .. } = &title.layers[0].items[1] else {
            panic!("the title's text");
        };
        assert!(text.ends_with('…'), "{text}");
        assert!(!pieces.iter().any(|p| p.block == Block::Legend));
        assert!(
            !pieces
                .iter()
                .flat_map(|p| &p.layers)
                .any(|l| l.name == "stamp")
        );
    }
}
