//! Drawing the axis, back to front: the shaded outside of the range, the ticks with the date pinned at the
//! left edge, the contacts' markers in the one look of their kind and status ([`look::axis_marker`]), the
//! density strip and the current time.

use egui::{Color32, Rect, Shape, Stroke, Ui, pos2};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::ticks::{tick_step_hours, ticks};
use super::{AxisView, DENSITY_H, LANE_H, Marker, TICKS_H};
use crate::model::{ContactId, Precision, Scenario};
use crate::render::egui_painter::color;
use crate::scene::Theme;
use crate::scene::look;

/// What one frame of the axis draws: the view, where, and what.
pub(super) struct AxisFrame<'a> {
    pub(super) view: &'a AxisView,
    pub(super) rect: Rect,
    pub(super) scenario: &'a Scenario,
    pub(super) markers: &'a [Marker],
    pub(super) reports: &'a [super::ReportMark],
    /// The dashed lines back to late reports, merged per lane.
    pub(super) report_lines: &'a [super::ReportLine],
    /// Contacts going on, per 4-point bin ([`density`]).
    pub(super) density: &'a [u32],
    pub(super) range: (Timestamp, Timestamp),
    pub(super) now: Timestamp,
    pub(super) zone: &'a TimeZone,
    pub(super) selected: Option<ContactId>,
    pub(super) theme: &'a Theme,
    /// The reports of contacts reported after this moment are drawn strong, in the warning colour.
    pub(super) new_since: Option<Timestamp>,
    /// Whether some source of the story is graded (markers then fade with their grade).
    pub(super) graded: bool,
    /// Changes with the contacts shown (what the markers' mesh is kept for).
    pub(super) contacts_version: u64,
}

/// The markers of a crowded view as one mesh, kept in egui's memory while the markers (the layout kept
/// between frames), the contacts and the look stay the same.
fn markers_mesh(
    ui: &Ui,
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    frame: &AxisFrame<'_>,
) -> std::sync::Arc<egui::epaint::Mesh> {
    type Key = (usize, usize, u64, bool, bool, [u8; 4]);
    let key: Key = (
        frame.markers.as_ptr() as usize,
        frame.markers.len(),
        frame.contacts_version,
        visuals.dark_mode,
        frame.graded,
        visuals.strong_text_color().to_array(),
    );
    let id = ui.scope_id().with("demarche_axis_markers_mesh");
    if let Some((kept, mesh)) =
        ui.data(|d| d.get_temp::<(Key, std::sync::Arc<egui::epaint::Mesh>)>(id))
        && kept == key
    {
        return mesh;
    }
    let mut batch = DashMesh::default();
    for m in frame.markers {
        paint_marker(painter, visuals, frame, m, Some(&mut batch));
    }
    let mesh = std::sync::Arc::new(batch.mesh);
    ui.data_mut(|d| d.insert_temp(id, (key, std::sync::Arc::clone(&mesh))));
    mesh
}

/// From how many markers in view their dashed outlines are gathered into one mesh.
const BATCH_DASHES_FROM: usize = 1_000;

/// Dashes gathered into one mesh. With thousands of markers in view, each dash a line shape of its own was
/// most of a frame's tessellation (at 1,000,000 contacts); as quads of one mesh (not anti-aliased, which
/// no one sees at that density, and drawn after the markers rather than between them) they cost four
/// vertices each.
#[derive(Default)]
struct DashMesh {
    mesh: egui::epaint::Mesh,
}

impl DashMesh {
    /// The dashes of the polyline `points`, as `Shape::dashed_line` lays them out (the pattern goes on
    /// round the corners).
    fn add(&mut self, points: &[egui::Pos2], stroke: Stroke, dash: f32, gap: f32) {
        let mut position = 0.0;
        let mut drawing = false;
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let length = (b - a).length();
            let mut from = a;
            while position < length {
                let at = a + (b - a) * (position / length);
                if drawing {
                    self.quad(from, at, stroke);
                    position += gap;
                } else {
                    from = at;
                    position += dash;
                }
                drawing = !drawing;
            }
            if drawing {
                self.quad(from, b, stroke);
            }
            position -= length;
        }
    }

    /// A filled convex polygon (a diamond), as a fan of triangles.
    fn fill(&mut self, points: &[egui::Pos2], color: Color32) {
        let i = self.mesh.vertices.len() as u32;
        for &p in points {
            self.mesh.colored_vertex(p, color);
        }
        for k in 1..points.len().saturating_sub(1) as u32 {
            self.mesh.add_triangle(i, i + k, i + k + 1);
        }
    }

    /// One dash from `a` to `b`, `stroke.width` wide.
    fn quad(&mut self, a: egui::Pos2, b: egui::Pos2, stroke: Stroke) {
        let length = (b - a).length();
        if length <= 0.0 {
            return;
        }
        let across = egui::vec2(a.y - b.y, b.x - a.x) * (stroke.width / 2.0 / length);
        let i = self.mesh.vertices.len() as u32;
        for p in [a + across, b + across, b - across, a - across] {
            self.mesh.colored_vertex(p, stroke.color);
        }
        self.mesh.add_triangle(i, i + 1, i + 2);
        self.mesh.add_triangle(i, i + 2, i + 3);
    }
}

/// Draws the axis back to front: the shaded outside of the range, the ticks, the markers, the density
/// strip and the current time.
pub(super) fn paint(ui: &Ui, frame: &AxisFrame<'_>) {
    let painter = ui.painter_at(frame.rect);
    let visuals = ui.visuals();
    painter.rect_filled(frame.rect, 2.0, visuals.extreme_bg_color);
    paint_outside_range(&painter, visuals, frame);
    paint_ticks(&painter, visuals, frame);
    if frame.markers.len() > BATCH_DASHES_FROM {
        // A crowded view: the markers are one mesh (see [`DashMesh`]), made when the layout or the
        // look changes and kept between frames, with the selection's frame drawn over it.
        painter.add(Shape::Mesh(markers_mesh(ui, &painter, visuals, frame)));
        if let Some(m) = frame
            .selected
            .and_then(|id| frame.markers.iter().find(|m| m.id == id))
        {
            paint_selected(&painter, visuals, m.rect);
        }
    } else {
        for m in frame.markers {
            paint_marker(&painter, visuals, frame, m, None);
        }
    }
    paint_reports(&painter, visuals, frame);
    paint_density(&painter, visuals, frame);
    paint_now(&painter, visuals, frame);
}

/// Outside the scenario's range: shaded.
fn paint_outside_range(painter: &egui::Painter, visuals: &egui::Visuals, frame: &AxisFrame<'_>) {
    let (view, rect) = (frame.view, frame.rect);
    let (start, end) = frame.range;
    let xs = view.x_of(rect, start.as_second() as f64);
    let xe = view.x_of(rect, end.as_second() as f64);
    let shade = visuals.faint_bg_color.gamma_multiply(1.5);
    if xs > rect.left() {
        painter.rect_filled(
            Rect::from_min_max(rect.min, pos2(xs, rect.bottom())),
            0.0,
            shade,
        );
    }
    if xe < rect.right() {
        painter.rect_filled(
            Rect::from_min_max(pos2(xe, rect.top()), rect.max),
            0.0,
            shade,
        );
    }
}

/// Day lines with their dates (never overlapping) and hour ticks with their times.
fn paint_ticks(painter: &egui::Painter, visuals: &egui::Visuals, frame: &AxisFrame<'_>) {
    let (view, rect, zone) = (frame.view, frame.rect, frame.zone);
    let (start, end) = frame.range;
    let from = Timestamp::from_second(view.start_secs.floor() as i64).unwrap_or(start);
    let to =
        Timestamp::from_second((view.start_secs + view.span_secs).ceil() as i64).unwrap_or(end);
    let step = tick_step_hours(view.span_secs, rect.width(), 44.0);
    let text = visuals.text_color();
    let weak = visuals.weak_text_color();
    let font = egui::FontId::proportional(11.0);
    let all = ticks(from, to, zone, step);
    let mut last_day_label_end = pinned_date(painter, visuals, frame, from, &all);
    for (t, midnight) in all {
        let x = view.x_of(rect, t.as_second() as f64);
        let local = t.to_zoned_datetime(zone.clone());
        if midnight {
            painter.line_segment(
                [pos2(x, rect.top()), pos2(x, rect.bottom())],
                Stroke::new(1.0, weak.gamma_multiply(0.6)),
            );
            let label = local.strftime("%a %-d %b").to_string();
            if x + 3.0 > last_day_label_end {
                let r = painter.text(
                    pos2(x + 3.0, rect.top() + 2.0),
                    egui::Align2::LEFT_TOP,
                    label,
                    font.clone(),
                    text,
                );
                last_day_label_end = r.right() + 6.0;
            }
        } else {
            painter.line_segment(
                [pos2(x, rect.top() + 16.0), pos2(x, rect.top() + TICKS_H)],
                Stroke::new(1.0, weak.gamma_multiply(0.5)),
            );
            painter.text(
                pos2(x, rect.top() + 16.0),
                egui::Align2::CENTER_TOP,
                local.strftime("%H:%M").to_string(),
                egui::FontId::proportional(10.0),
                weak,
            );
        }
    }
}

/// The date at the axis's left edge, when the first day line in view is far enough from it (zoomed in,
/// the axis may show no midnight at all): drawn on the axis's background so that it reads over lines.
/// Returns where the next day label may start.
fn pinned_date(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    frame: &AxisFrame<'_>,
    from: Timestamp,
    ticks: &[(Timestamp, bool)],
) -> f32 {
    let (view, rect) = (frame.view, frame.rect);
    let left = from.max(Timestamp::from_second(view.start_secs.ceil() as i64).unwrap_or(from));
    let label = left
        .to_zoned_datetime(frame.zone.clone())
        .strftime("%a %-d %b")
        .to_string();
    let font = egui::FontId::proportional(11.0);
    let galley = painter.layout_no_wrap(label, font, visuals.text_color());
    let width = galley.size().x + 6.0;
    let first_midnight = ticks
        .iter()
        .filter(|(_, midnight)| *midnight)
        .map(|(t, _)| view.x_of(rect, t.as_second() as f64))
        .find(|&x| x >= rect.left());
    if first_midnight.is_some_and(|x| x < rect.left() + width + 6.0) {
        return f32::MIN;
    }
    let at = pos2(rect.left() + 3.0, rect.top() + 2.0);
    painter.rect_filled(
        Rect::from_min_size(
            at - egui::vec2(3.0, 2.0),
            galley.size() + egui::vec2(6.0, 2.0),
        ),
        2.0,
        visuals.extreme_bg_color,
    );
    painter.galley(at, galley, visuals.text_color());
    rect.left() + width + 6.0
}

/// One contact's marker, in the look of its kind and status ([`look::axis_marker`]): a diamond for an
/// exact time, else a bar (faint when the time is vague, outlined when tentative); struck through when
/// struck; framed when selected.
/// Each contact's first report: a small tick across its lane at the report's time, and a dashed line back
/// to the contact's marker when the report came after it.
fn paint_reports(painter: &egui::Painter, visuals: &egui::Visuals, frame: &AxisFrame<'_>) {
    let faint = visuals.text_color().gamma_multiply(0.75);
    // Short dashes (egui's dotted line is made of circles, which the axis keeps for its clocks).
    let dashes = |from: egui::Pos2, to: egui::Pos2, ink: Color32| {
        Shape::dashed_line(
            &[from, to],
            Stroke::new(1.0, ink.gamma_multiply(0.6)),
            1.5,
            2.5,
        )
    };
    if frame.markers.len() > BATCH_DASHES_FROM {
        let mut batch = DashMesh::default();
        let stroke = Stroke::new(1.0, faint.gamma_multiply(0.6));
        for line in frame.report_lines {
            let ends = [pos2(line.from_x, line.y), pos2(line.to_x, line.y)];
            batch.add(&ends, stroke, 1.5, 2.5);
        }
        painter.add(Shape::mesh(batch.mesh));
    } else {
        for line in frame.report_lines {
            painter.extend(dashes(
                pos2(line.from_x, line.y),
                pos2(line.to_x, line.y),
                faint,
            ));
        }
    }
    // One flag per point of a lane and look: thousands of reports on the same day are one mark.
    let mut drawn = std::collections::HashSet::new();
    for r in frame.reports {
        let selected = frame.selected == Some(r.id);
        let new = frame.new_since.is_some_and(|since| {
            crate::model::as_of::reported_since(frame.scenario, frame.scenario.contact(r.id), since)
        });
        if !selected && !drawn.insert((r.y.to_bits(), r.x.round() as i32, new)) {
            continue;
        }
        let ink = if new { visuals.warn_fg_color } else { faint };
        let stroke = Stroke::new(if selected || new { 2.0 } else { 1.2 }, ink);
        if selected && r.x > r.from_x + 3.0 {
            painter.extend(dashes(pos2(r.from_x + 1.0, r.y), pos2(r.x, r.y), ink));
        }
        let h = LANE_H / 2.0;
        painter.line_segment([pos2(r.x, r.y - h), pos2(r.x, r.y + h)], stroke);
        // A small flag at the top: the report's mark, unlike a marker's circle or diamond.
        painter.add(Shape::convex_polygon(
            vec![
                pos2(r.x, r.y - h),
                pos2(r.x + 3.5, r.y - h + 1.5),
                pos2(r.x, r.y - h + 3.0),
            ],
            ink,
            Stroke::NONE,
        ));
    }
}

fn paint_marker(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    frame: &AxisFrame<'_>,
    m: &Marker,
    mut batch: Option<&mut DashMesh>,
) {
    let c = frame.scenario.contact(m.id);
    let marker = look::axis_marker(c.kind, c.status, frame.theme);
    // The grade of its best source, as the map draws it: faint when poorly sourced.
    let grade = if frame.graded {
        look::grade_look(crate::model::evidence::shown_grade(
            c,
            &frame.scenario.sources,
        ))
    } else {
        look::GradeLook::UNGRADED_STORY
    };
    let base = color(marker.color).gamma_multiply(grade.opacity);
    // A machine-coded contact not yet reviewed is hollow and dotted, as on the map; accepted, it is drawn
    // as the analyst's own.
    let candidate = look::review_look(c).candidate;
    let r = m.rect;
    let precision = c.time.precision();
    let mut dotted = |corners: &[egui::Pos2], outline: look::Line| {
        let [dash, gap] = outline.dash.unwrap_or([1.0, 0.0]);
        let stroke = Stroke::new(outline.width, base);
        match batch.as_deref_mut() {
            Some(batch) => batch.add(corners, stroke, dash, gap),
            None => painter.extend(Shape::dashed_line(corners, stroke, dash, gap)),
        }
    };
    match precision {
        Precision::Instant => {
            let center = r.center();
            let h = LANE_H / 2.0 - 0.5;
            let diamond = vec![
                pos2(center.x, center.y - h),
                pos2(center.x + h, center.y),
                pos2(center.x, center.y + h),
                pos2(center.x - h, center.y),
            ];
            if candidate {
                let mut closed = diamond;
                closed.push(closed[0]);
                dotted(&closed, look::AXIS_CANDIDATE_OUTLINE);
            } else if let Some(batch) = batch.as_deref_mut() {
                // In a crowded view: filled, or outlined, in the one mesh.
                if marker.hollow {
                    let mut closed = diamond;
                    closed.push(closed[0]);
                    batch.add(&closed, Stroke::new(1.0, base), f32::MAX, 0.0);
                } else {
                    batch.fill(&diamond, base);
                }
            } else {
                painter.add(Shape::convex_polygon(
                    diamond,
                    if marker.hollow {
                        Color32::TRANSPARENT
                    } else {
                        base
                    },
                    Stroke::new(1.0, base),
                ));
            }
        }
        _ if marker.hollow || candidate => {
            let corners = [
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
                r.left_top(),
            ];
            dotted(
                &corners,
                if candidate {
                    look::AXIS_CANDIDATE_OUTLINE
                } else {
                    look::AXIS_TENTATIVE_OUTLINE
                },
            );
        }
        _ => paint_bar(
            painter,
            r,
            base,
            precision,
            c.time.start.is_none(),
            batch.as_deref_mut(),
        ),
    }
    if marker.struck {
        let line = [r.left_center(), r.right_center()];
        let stroke = Stroke::new(look::AXIS_STRIKE.width, visuals.text_color());
        match batch.as_deref_mut() {
            Some(batch) => batch.add(&line, stroke, f32::MAX, 0.0),
            None => {
                painter.line_segment(line, stroke);
            }
        }
    }
    if marker.clock {
        // Postponed: a small clock face at the marker's left end, as on the map.
        let center = pos2(r.left() + LANE_H / 2.0, r.center().y);
        let radius = LANE_H / 2.0 - 0.5;
        let stroke = Stroke::new(1.0, visuals.text_color());
        let hands = [
            [center, center + egui::vec2(0.0, -radius * 0.7)],
            [center, center + egui::vec2(radius * 0.6, 0.0)],
        ];
        match batch.as_deref_mut() {
            Some(batch) => {
                // An octagon for the face, in the one mesh with the hands.
                let face: Vec<egui::Pos2> = (0..=8)
                    .map(|k| {
                        let a = std::f32::consts::TAU * k as f32 / 8.0;
                        center + radius * egui::vec2(a.cos(), a.sin())
                    })
                    .collect();
                batch.fill(&face[..8], visuals.extreme_bg_color);
                batch.add(&face, stroke, f32::MAX, 0.0);
                for hand in hands {
                    batch.add(&hand, stroke, f32::MAX, 0.0);
                }
            }
            None => {
                painter.circle(center, radius, visuals.extreme_bg_color, stroke);
                for hand in hands {
                    painter.line_segment(hand, stroke);
                }
            }
        }
    }
    if c.dispute().any() {
        paint_disputed(painter, visuals, r, batch.as_deref_mut());
    }
    // In a crowded view the markers are one mesh kept between frames: the selection's frame is drawn
    // over it by the caller.
    if batch.is_none() && frame.selected == Some(m.id) {
        paint_selected(painter, visuals, r);
    }
}

/// The frame round the selected contact's marker.
fn paint_selected(painter: &egui::Painter, visuals: &egui::Visuals, r: Rect) {
    painter.rect_stroke(
        r.expand(1.5),
        2.0,
        Stroke::new(1.5, visuals.strong_text_color()),
        egui::StrokeKind::Outside,
    );
}

/// The "!" of a disputed contact (its accounts differ), as on the map: just after the marker's right end,
/// a bar and a dot (drawn as squares: the axis keeps circles for its clocks), in the text colour.
fn paint_disputed(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    r: Rect,
    batch: Option<&mut DashMesh>,
) {
    let ink = visuals.strong_text_color();
    let x = r.right() + 2.0;
    let (top, bottom) = (r.center().y - LANE_H / 2.0, r.center().y + LANE_H / 2.0);
    let parts = [
        Rect::from_min_max(pos2(x, top), pos2(x + 2.0, bottom - 3.0)),
        Rect::from_min_max(pos2(x, bottom - 2.0), pos2(x + 2.0, bottom)),
    ];
    match batch {
        Some(batch) => {
            for p in parts {
                batch.fill(
                    &[
                        p.left_top(),
                        p.right_top(),
                        p.right_bottom(),
                        p.left_bottom(),
                    ],
                    ink,
                );
            }
        }
        None => {
            for p in parts {
                painter.rect_filled(p, 0.0, ink);
            }
        }
    }
}

/// A filled bar, faint when its time is known only vaguely, with an arrow at the left end when it has
/// been going on since an unknown date.
fn paint_bar(
    painter: &egui::Painter,
    r: Rect,
    base: Color32,
    precision: Precision,
    open_start: bool,
    batch: Option<&mut DashMesh>,
) {
    let vague = matches!(
        precision,
        Precision::Day
            | Precision::PartOfDay
            | Precision::Range
            | Precision::Window
            | Precision::Ongoing
    );
    let fill = if vague {
        base.gamma_multiply(look::AXIS_VAGUE_OPACITY)
    } else {
        base
    };
    let y = r.center().y;
    let arrow = [
        pos2(r.left(), y),
        pos2(r.left() + 5.0, y - 4.0),
        pos2(r.left() + 5.0, y + 4.0),
    ];
    match batch {
        Some(batch) => {
            batch.fill(
                &[
                    r.left_top(),
                    r.right_top(),
                    r.right_bottom(),
                    r.left_bottom(),
                ],
                fill,
            );
            if open_start {
                batch.fill(&arrow, base);
            }
        }
        None => {
            painter.rect_filled(r, 2.0, fill);
            if open_start {
                painter.add(Shape::convex_polygon(arrow.to_vec(), base, Stroke::NONE));
            }
        }
    }
}

/// How many contacts are going on, per 4-point bin of the axis's width (a difference array: one step per
/// contact).
pub(super) fn density(view: &AxisView, rect: Rect, times: &[super::AxisTime]) -> Vec<u32> {
    let bins = (rect.width() / 4.0).max(1.0) as usize;
    let mut steps = vec![0i64; bins + 1];
    let bin = |t: i64| ((view.x_of(rect, t as f64) - rect.left()) / 4.0).floor();
    for time in times {
        let (first, last) = (bin(time.start), bin(time.end));
        // Over before the view, or not begun by its end: not going on in it (a contact over before the
        // view once counted in its first bin, so that bin towered over the rest).
        if last < 0.0 || (time.known_start && first > bins as f32 - 1.0) {
            continue;
        }
        let lo = if time.known_start {
            first.max(0.0)
        } else {
            0.0
        };
        let hi = last.max(lo).min(bins as f32 - 1.0);
        steps[lo as usize] += 1;
        steps[hi as usize + 1] -= 1;
    }
    steps[..bins]
        .iter()
        .scan(0i64, |running, step| {
            *running += step;
            Some((*running).max(0) as u32)
        })
        .collect()
}

/// The density strip: how many contacts are going on, bin by bin ([`density`]).
fn paint_density(painter: &egui::Painter, visuals: &egui::Visuals, frame: &AxisFrame<'_>) {
    let rect = frame.rect;
    let counts = frame.density;
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let bottom = rect.bottom() - 1.0;
    let density_color = visuals.selection.bg_fill.gamma_multiply(0.8);
    for (i, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let h = DENSITY_H * n as f32 / max as f32;
        let x = rect.left() + i as f32 * 4.0;
        painter.rect_filled(
            Rect::from_min_max(pos2(x, bottom - h), pos2(x + 3.0, bottom)),
            0.0,
            density_color,
        );
    }
}

/// The current time: a line with a notch at the top.
fn paint_now(painter: &egui::Painter, visuals: &egui::Visuals, frame: &AxisFrame<'_>) {
    let rect = frame.rect;
    let x = frame.view.x_of(rect, frame.now.as_second() as f64);
    if x >= rect.left() && x <= rect.right() {
        let accent = visuals.selection.stroke.color;
        painter.line_segment(
            [pos2(x, rect.top()), pos2(x, rect.bottom())],
            Stroke::new(2.0, accent),
        );
        painter.add(Shape::convex_polygon(
            vec![
                pos2(x - 5.0, rect.top()),
                pos2(x + 5.0, rect.top()),
                pos2(x, rect.top() + 7.0),
            ],
            accent,
            Stroke::NONE,
        ));
    }
}

#[cfg(test)]
mod dash_tests {
    use super::DashMesh;
    use egui::{Color32, Shape, Stroke, pos2};

    /// The batched dashes are where egui's own dashed line puts them: as many, and covering the same
    /// stretches (a rectangle's outline, as a tentative marker's, and a slanted side, as a diamond's).
    #[test]
    fn batched_dashes_match_egui_dashed_lines() {
        let stroke = Stroke::new(1.2, Color32::RED);
        for points in [
            vec![
                pos2(10.0, 10.0),
                pos2(60.0, 10.0),
                pos2(60.0, 19.0),
                pos2(10.0, 19.0),
                pos2(10.0, 10.0),
            ],
            vec![pos2(0.0, 0.0), pos2(4.0, 4.0), pos2(8.0, 0.0)],
        ] {
            let mut batch = DashMesh::default();
            batch.add(&points, stroke, 4.0, 3.0);
            // egui's, without the empty dashes it leaves where a dash ends on a corner.
            let egui: Vec<Shape> = Shape::dashed_line(&points, stroke, 4.0, 3.0)
                .into_iter()
                .filter(|s| !matches!(s, Shape::LineSegment { points: [a, b], .. } if a == b))
                .collect();
            assert!(!egui.is_empty());
            assert_eq!(batch.mesh.vertices.len(), 4 * egui.len());
            assert_eq!(batch.mesh.indices.len(), 6 * egui.len());
            // Each quad spans its dash: its first corners lie on the dash's ends, off by half the width.
            let mut quads = batch.mesh.vertices.chunks(4);
            for shape in &egui {
                let Shape::LineSegment { points: [a, b], .. } = shape else {
                    panic!("dashes are line segments");
                };
                let quad = quads.next().expect("a quad per dash");
                let mid0 = pos2(
                    (quad[0].pos.x + quad[3].pos.x) / 2.0,
                    (quad[0].pos.y + quad[3].pos.y) / 2.0,
                );
                let mid1 = pos2(
                    (quad[1].pos.x + quad[2].pos.x) / 2.0,
                    (quad[1].pos.y + quad[2].pos.y) / 2.0,
                );
                assert!(
                    mid0.distance(*a) < 0.01 && mid1.distance(*b) < 0.01,
                    "{a:?}-{b:?}"
                );
            }
        }
    }
}
