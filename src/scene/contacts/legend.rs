//! The legend: a row per contact kind on the map, and rows for the tentative and struck looks, each with a
//! small copy of the mark the map draws, built from the same table ([`crate::scene::look`]).

use crate::geo_math::camera::Camera;
use crate::model::contact_index::ContactIndex;
use crate::model::{ContactKind, Scenario, Status};
use crate::scene::look::{
    CANDIDATE_LINE, DISPUTED_MARK, GRADE_LEGEND, GradeLook, LEGEND_CLOCK_RADIUS, LEGEND_CROSS,
    Line, Mark, RING, StatusLook, TENTATIVE_LEGEND_LINE, clock, greyed, kind_look, review_look,
    status_look,
};
use crate::scene::{Item, Pt, Rgba, SceneLayer, Theme};

/// A legend of the contact kinds present in the scenario, and of the planned/denied styles, at the top
/// right of the map.
pub fn legend(scenario: &Scenario, camera: &Camera, theme: &Theme) -> SceneLayer {
    legend_summing(scenario, None, camera, theme, None, None)
}

/// As [`legend`]; when the map sums `summed` contacts into flows and totals ([`super::aggregate`]), the
/// legend says so, with a row for each of the two marks and a hint to zoom in or filter.
/// The kinds and statuses present come from `index` when given (made once), else from reading every
/// contact. With `new_since`, a row explains the "+" of what was reported after it.
pub fn legend_summing(
    scenario: &Scenario,
    index: Option<&ContactIndex>,
    camera: &Camera,
    theme: &Theme,
    summed: Option<usize>,
    new_since: Option<jiff::Timestamp>,
) -> SceneLayer {
    use crate::model::Named as _;
    let mut out = SceneLayer::new("legend");
    let (kinds, statuses) = match index.filter(|i| i.fits(scenario)) {
        Some(index) => (index.kinds().to_vec(), index.statuses().to_vec()),
        None => {
            let mut kinds: Vec<ContactKind> = Vec::new();
            let mut statuses: Vec<Status> = Vec::new();
            for c in &scenario.contacts {
                if !kinds.contains(&c.kind) {
                    kinds.push(c.kind);
                }
                if !statuses.contains(&c.status) {
                    statuses.push(c.status);
                }
            }
            kinds.sort_unstable();
            (kinds, statuses)
        }
    };
    let has = |of: fn(StatusLook) -> bool| statuses.iter().any(|&s| of(status_look(s)));
    let mut rows: Vec<(String, Glyph)> = kinds
        .iter()
        .map(|&k| (capitalised(k.label()), Glyph::Kind(k)))
        .collect();
    if has(|s| s.tentative && !s.clock) {
        rows.push(("Planned (dashed, hollow)".to_owned(), Glyph::Tentative));
    }
    if has(|s| s.clock) {
        rows.push(("Postponed (dashed, clock)".to_owned(), Glyph::Postponed));
    }
    if has(|s| s.struck) {
        rows.push(("Denied or cancelled (grey, X)".to_owned(), Glyph::Struck));
    }
    let candidate = |c: &crate::model::Contact| review_look(c).candidate;
    let has_candidates = match index.filter(|i| i.fits(scenario)) {
        Some(index) => index
            .machine_coded()
            .iter()
            .any(|&id| candidate(scenario.contact(id))),
        None => scenario.contacts.iter().any(candidate),
    };
    if has_candidates {
        rows.push(("Candidate (dotted, ?)".to_owned(), Glyph::Candidate));
    }
    let graded = match index.filter(|i| i.fits(scenario)) {
        Some(index) => index.graded(),
        None => scenario.has_grades(),
    };
    if graded {
        rows.push((GRADE_LEGEND.to_owned(), Glyph::Grade));
    }
    let disputed = match index.filter(|i| i.fits(scenario)) {
        Some(index) => index.any_disputed(),
        None => scenario.contacts.iter().any(|c| c.dispute().any()),
    };
    if disputed {
        rows.push(("Disputed (accounts differ, !)".to_owned(), Glyph::Disputed));
    }
    if let Some(since) = new_since {
        // Short enough for the legend's width. A midnight (UTC) is the start of its day: "since" that day
        // (a date given alone is the end of that day, so `--new-since 2023-01-01` reads "since 2 Jan
        // 2023"); another time, "after" it.
        let label = if since.as_second().rem_euclid(86_400) == 0 {
            format!("Reported since {}", since.strftime("%-d %b %Y"))
        } else {
            format!("Reported after {}", since.strftime("%-d %b %H:%MZ"))
        };
        rows.push((label, Glyph::New));
    }
    if scenario.venues.iter().any(crate::scene::areas::is_area) {
        rows.push(("Area, not a point".to_owned(), Glyph::AreaVenue));
    }
    if let Some(n) = summed {
        let n = crate::diagnostics::thousands(n);
        rows.push((format!("{n} contacts, summed:"), Glyph::None));
        rows.push(("Flow (width: count)".to_owned(), Glyph::Flow));
        rows.push(("Total at a place".to_owned(), Glyph::Total));
        rows.push(("Zoom in or filter for each".to_owned(), Glyph::None));
    }
    let row_h = 16.0;
    let width = 196.0;
    let height = row_h * rows.len() as f32 + 10.0;
    let x0 = camera.viewport.max[0] - width - 10.0;
    let y0 = camera.viewport.min[1] + 10.0;
    out.items.push(Item::rect(
        [x0, y0],
        [x0 + width, y0 + height],
        theme.text_halo,
    ));
    for (i, (label, glyph)) in rows.into_iter().enumerate() {
        let y = y0 + 5.0 + row_h * (i as f32 + 0.5);
        glyph.draw(&mut out.items, [x0 + 8.0, y], theme);
        out.items.push(Item::Text {
            pos: [
                x0 + if matches!(glyph, Glyph::None) {
                    8.0
                } else {
                    40.0
                },
                y,
            ],
            text: label,
            size: 11.0,
            color: theme.text,
            anchor: crate::scene::Anchor::LeftCenter,
        });
    }
    out
}

/// What a row of the legend shows: a small copy of the mark the map draws.
#[derive(Clone, Copy, Debug)]
enum Glyph {
    Kind(ContactKind),
    Tentative,
    Postponed,
    Struck,
    /// A flow of summed contacts.
    Flow,
    /// A total of summed contacts at a place.
    Total,
    /// A row of text only.
    None,
    /// A machine-coded contact not yet reviewed.
    Candidate,
    /// A contact whose accounts differ.
    Disputed,
    /// A venue known only as an area ([`crate::scene::areas`]).
    AreaVenue,
    /// A contact reported after the new-since moment.
    New,
    /// The grade of the best source: the three weights and opacities, strong to faint.
    Grade,
}

impl Glyph {
    /// Draws the glyph in the 24 x 14 points from `left` (the middle of its left side).
    fn draw(self, items: &mut Vec<Item>, [x, y]: Pt, theme: &Theme) {
        let line = |items: &mut Vec<Item>, from: f32, to: f32, color, look: Line| {
            items.push(Item::Polyline {
                points: vec![[x + from, y], [x + to, y]],
                width: look.width,
                color,
                dash: look.dash,
            });
        };
        let circle = |items: &mut Vec<Item>, dx: f32, radius, fill, stroke| {
            items.push(Item::Circle {
                center: [x + dx, y],
                radius,
                fill,
                stroke,
            });
        };
        match self {
            Self::Kind(kind) => {
                let look = kind_look(kind, theme);
                let (color, stroke) = (look.color, look.legend_line);
                match (look.mark, kind) {
                    (Mark::Route, _) => {
                        line(items, 0.0, 20.0, color, stroke);
                        circle(items, 21.0, 3.0, Some(color), None);
                    }
                    (Mark::DotInRing, _) => {
                        let ring = Some((stroke.width, color));
                        circle(items, 12.0, 3.5, Some(color), ring);
                        circle(items, 12.0, 6.5, None, ring);
                    }
                    (Mark::Link, _) => {
                        line(items, 2.0, 22.0, color, stroke);
                        circle(items, 2.0, 2.5, Some(color), None);
                        circle(items, 22.0, 2.5, Some(color), None);
                    }
                    (Mark::Ripple, _) => {
                        for (i, r) in [2.5, 4.5, 6.5].into_iter().enumerate() {
                            let a = (255.0 / (1.0 + i as f32)) as u8;
                            circle(
                                items,
                                12.0,
                                r,
                                None,
                                Some((stroke.width, color.with_alpha(a))),
                            );
                        }
                    }
                    (Mark::Channel, ContactKind::Mediation) => {
                        line(items, 0.0, 24.0, color, stroke);
                        circle(items, 12.0, 3.5, Some(theme.text_halo), Some((1.5, color)));
                    }
                    (Mark::Channel, _) => line(items, 0.0, 24.0, color, stroke),
                    (Mark::Area, _) => area_glyph(items, [x, y], color, stroke, look.edge),
                }
            }
            Self::Tentative => {
                line(items, 0.0, 14.0, theme.text, TENTATIVE_LEGEND_LINE);
                circle(items, 19.0, 4.0, None, Some((1.5, theme.text)));
            }
            Self::Postponed => {
                line(items, 0.0, 10.0, theme.text, TENTATIVE_LEGEND_LINE);
                items.extend(clock(
                    [x + 17.0, y],
                    LEGEND_CLOCK_RADIUS,
                    theme.text,
                    theme.text_halo,
                ));
            }
            Self::Candidate => {
                // A hollow dotted ring, and the "?" at its side as the map puts it.
                let ring: Vec<Pt> = (0..=24)
                    .map(|i| {
                        let a = std::f32::consts::TAU * i as f32 / 24.0;
                        [x + 7.0 + 5.5 * a.cos(), y + 5.5 * a.sin()]
                    })
                    .collect();
                items.push(Item::Polyline {
                    points: ring,
                    width: CANDIDATE_LINE.width,
                    color: theme.text,
                    dash: CANDIDATE_LINE.dash,
                });
                items.extend(super::marks::candidate_mark(
                    [x + 33.0, y + 12.0],
                    theme.text,
                    theme.text_halo,
                ));
            }
            Self::Disputed => {
                // A plain ring, and the "!" badge over its side (lower right on the map: level here, to
                // keep within the row).
                circle(items, 7.0, 5.5, None, Some((RING.width, theme.text)));
                let (_, [dx, dy]) = DISPUTED_MARK;
                items.extend(super::marks::disputed_mark(
                    [x + 19.0 - dx, y - dy],
                    1.0,
                    theme,
                ));
            }
            Self::New => {
                // A plain ring, and the "+" where the map puts it.
                circle(items, 7.0, 5.5, None, Some((RING.width, theme.text)));
                items.extend(super::marks::new_mark(
                    [x + 33.0, y - 6.0],
                    theme.text,
                    theme.text_halo,
                ));
            }
            Self::Grade => {
                // Three strokes stacked, heavy to faint as the label lists the grades (side by side they
                // would read as a dash, which means planned).
                for (i, (look, _)) in GradeLook::TIERS.into_iter().enumerate() {
                    let dy = (i as f32 - 1.0) * 5.0;
                    let alpha = (255.0 * look.opacity).round() as u8;
                    items.push(Item::Polyline {
                        points: vec![[x + 2.0, y + dy], [x + 22.0, y + dy]],
                        width: RING.width * look.weight,
                        color: theme.text.with_alpha(alpha),
                        dash: None,
                    });
                }
            }
            Self::AreaVenue => {
                let r = 6.5;
                let outline: Vec<Pt> = (0..=24)
                    .map(|i| {
                        let a = std::f32::consts::TAU * i as f32 / 24.0;
                        [x + 12.0 + r * 1.4 * a.cos(), y + r * a.sin()]
                    })
                    .collect();
                items.extend(crate::scene::areas::area_items(&outline, true, theme));
            }
            Self::Struck => {
                let (r, stroke) = LEGEND_CROSS;
                let grey = greyed(theme.text);
                line(items, 0.0, 24.0, grey, Line::solid(2.0));
                for (dy0, dy1) in [(-r, r), (r, -r)] {
                    items.push(Item::Polyline {
                        points: vec![[x + 12.0 - r, y + dy0], [x + 12.0 + r, y + dy1]],
                        width: stroke.width,
                        color: theme.text,
                        dash: stroke.dash,
                    });
                }
            }
            Self::Flow => {
                // A thin flow over a wide one: the width tells the count.
                let color = theme.lines.with_alpha(150);
                for (dy, width) in [(-3.5, 1.5), (2.5, 5.0)] {
                    items.push(Item::Polyline {
                        points: vec![[x, y + dy], [x + 24.0, y + dy]],
                        width,
                        color,
                        dash: None,
                    });
                }
            }
            Self::Total => {
                let color = theme.points;
                circle(
                    items,
                    12.0,
                    6.5,
                    Some(color.with_alpha(90)),
                    Some((1.5, color.with_alpha(220))),
                );
            }
            Self::None => {}
        }
    }
}

/// An area, and a route in long dashes.
fn area_glyph(
    items: &mut Vec<Item>,
    [x, y]: Pt,
    color: Rgba,
    route: Line,
    edge: Option<(Line, Line)>,
) {
    items.push(Item::Circle {
        center: [x + 5.5, y],
        radius: 5.5,
        fill: Some(color.with_alpha(40)),
        stroke: None,
    });
    let outline: Vec<Pt> = (0..=20)
        .map(|i| {
            let a = std::f32::consts::TAU * i as f32 / 20.0;
            [x + 5.5 + 5.5 * a.cos(), y + 5.5 * a.sin()]
        })
        .collect();
    items.push(Item::Polyline {
        points: vec![[x + 13.0, y], [x + 24.0, y]],
        width: route.width,
        color,
        dash: route.dash,
    });
    if let Some((_, edge)) = edge {
        items.push(Item::Polyline {
            points: outline,
            width: edge.width,
            color,
            dash: edge.dash,
        });
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::camera::ScreenRect;
    use crate::io::scenario::default_scenario;
    use crate::scene::Item;

    /// Each row of the legend shows the mark the map draws for it, not a line for everything.
    #[test]
    fn the_legend_shows_each_kind_as_the_map_draws_it() {
        let scenario = default_scenario().scenario;
        let camera = crate::geo_math::camera::Camera::fit(
            crate::geo_math::camera::WorldRect::EMPTY,
            ScreenRect::from_size(1200.0, 800.0),
            0.0,
        );
        let legend = legend(&scenario, &camera, &Theme::light());
        // The marks of the row labelled `label`: (circles filled, circles hollow, solid lines, dashed lines).
        let row = |label: &str| {
            let y = legend
                .items
                .iter()
                .find_map(|i| match i {
                    Item::Text { text, pos, .. } if text == label => Some(pos[1]),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{label} is in the legend"));
            let mut marks = (0, 0, 0, 0);
            for item in &legend.items {
                match item {
                    Item::Circle { center, fill, .. } if (center[1] - y).abs() < 1.0 => {
                        if fill.is_some() {
                            marks.0 += 1;
                        } else {
                            marks.1 += 1;
                        }
                    }
                    Item::Polyline { points, dash, .. }
                        if points.iter().all(|p| (p[1] - y).abs() < 8.0) =>
                    {
                        if dash.is_some() {
                            marks.3 += 1;
                        } else {
                            marks.2 += 1;
                        }
                    }
                    _ => {}
                }
            }
            marks
        };
        assert_eq!(row("Visit"), (1, 0, 1, 0), "a line with its traveller");
        assert_eq!(row("Meeting"), (1, 1, 0, 0), "a dot in a ring");
        assert_eq!(
            row("Phone call"),
            (2, 0, 0, 1),
            "a dashed line between two dots"
        );
        assert_eq!(row("Statement"), (0, 3, 0, 0), "a ripple");
        assert_eq!(
            row("Mediation"),
            (1, 0, 0, 1),
            "a dotted line through the mediator"
        );
        assert_eq!(
            row("Military move"),
            (1, 0, 0, 2),
            "a shaded area, dashed round, and a route in long dashes"
        );
        assert_eq!(row("Planned (dashed, hollow)"), (0, 1, 0, 1));
    }

    /// With a denied contact, the legend has a row for the cross, drawn as a cross.
    #[test]
    fn a_denied_contact_brings_the_cross_into_the_legend() {
        let text = crate::io::scenario::DEFAULT_SCENARIO_TOML.replacen(
            "id = \"sisi-calls-pezeshkian\"\nkind = \"phone_call\"\nstatus = \"held\"",
            "id = \"sisi-calls-pezeshkian\"\nkind = \"phone_call\"\nstatus = \"denied\"",
            1,
        );
        assert_ne!(text, crate::io::scenario::DEFAULT_SCENARIO_TOML);
        let scenario = crate::io::scenario::parse("s.toml", &text)
            .expect("valid")
            .scenario;
        let camera = crate::geo_math::camera::Camera::fit(
            crate::geo_math::camera::WorldRect::EMPTY,
            ScreenRect::from_size(1200.0, 800.0),
            0.0,
        );
        let legend = legend(&scenario, &camera, &Theme::light());
        let y = legend
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text { text, pos, .. } if text == "Denied or cancelled (grey, X)" => {
                    Some(pos[1])
                }
                _ => None,
            })
            .expect("a row for the cross");
        let strokes: Vec<&Vec<Pt>> = legend
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Polyline { points, .. } if points.iter().all(|p| (p[1] - y).abs() < 8.0) => {
                    Some(points)
                }
                _ => None,
            })
            .collect();
        assert_eq!(strokes.len(), 3, "a grey line and two strokes");
        // One goes down to the right, the other up: a cross over the line.
        let slope = |p: &Vec<Pt>| (p[1][1] - p[0][1]) / (p[1][0] - p[0][0]);
        assert!(slope(strokes[0]).abs() < 1e-6, "the struck line is level");
        assert!(slope(strokes[1]) * slope(strokes[2]) < 0.0);
    }

    /// Change detector: each kind's glyph is drawn in the table's colour, its first line with the table's
    /// legend width and dash.
    #[test]
    fn every_glyph_takes_its_colour_and_line_from_the_table() {
        use crate::model::Named as _;
        let theme = Theme::light();
        for &kind in ContactKind::ALL {
            let look = kind_look(kind, &theme);
            let mut items = Vec::new();
            Glyph::Kind(kind).draw(&mut items, [0.0, 0.0], &theme);
            let rgb = |color: Rgba| [color.0[0], color.0[1], color.0[2]];
            for item in &items {
                match item {
                    Item::Polyline { color, .. } => assert_eq!(rgb(*color), rgb(look.color)),
                    Item::Circle {
                        stroke: Some((_, color)),
                        ..
                    } => assert_eq!(rgb(*color), rgb(look.color), "{kind:?}"),
                    _ => {}
                }
            }
            let first_line = items.iter().find_map(|item| match item {
                Item::Polyline { width, dash, .. } => Some(Line {
                    width: *width,
                    dash: *dash,
                }),
                _ => None,
            });
            if let Some(line) = first_line {
                assert_eq!(line, look.legend_line, "{kind:?}");
            } else {
                assert!(
                    matches!(look.mark, Mark::DotInRing | Mark::Ripple),
                    "{kind:?}"
                );
            }
        }
    }

    /// The grade row comes with the first graded source, and shows the three looks as the map draws them.
    #[test]
    fn the_grade_row_appears_only_when_a_source_is_graded() {
        let camera = crate::geo_math::camera::Camera::fit(
            crate::geo_math::camera::WorldRect::EMPTY,
            ScreenRect::from_size(1200.0, 800.0),
            0.0,
        );
        let mut scenario = default_scenario().scenario;
        let theme = Theme::dark();
        let row_y = |layer: &SceneLayer| {
            layer.items.iter().find_map(|i| match i {
                Item::Text { text, pos, .. } if text == GRADE_LEGEND => Some(pos[1]),
                _ => None,
            })
        };
        assert!(scenario.sources.iter().any(|s| s.grade.is_some()));
        let graded = legend(&scenario, &camera, &theme);
        let y = row_y(&graded).expect("a grade row");
        let strokes: Vec<(f32, u8)> = graded
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Polyline {
                    points,
                    width,
                    color,
                    ..
                } if points.iter().all(|p| (p[1] - y).abs() < 8.0) => Some((*width, color.0[3])),
                _ => None,
            })
            .collect();
        assert_eq!(strokes.len(), 3, "strong, medium, faint, top to bottom");
        assert!(strokes[0].0 > strokes[1].0 && strokes[1].0 > strokes[2].0);
        assert!(strokes[0].1 > strokes[2].1);
        for source in &mut scenario.sources {
            source.grade = None;
        }
        assert_eq!(row_y(&legend(&scenario, &camera, &theme)), None);
    }
}
