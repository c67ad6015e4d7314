//! The time axis: scrub with the mouse, zoom with the wheel around the pointer (hours to weeks), pan with a
//! horizontal scroll or a right-drag, double-click to see everything. Day and hour ticks are labelled in
//! the chosen zone; every contact has a marker coloured by kind (a bar over the span it is known to, a
//! diamond for an exact time, hollow and dashed when planned, struck when denied or cancelled); a strip at
//! the bottom shows where contacts crowd. A click on a marker jumps to the contact and selects it.

use egui::{Color32, Rect, Response, Sense, Shape, Stroke, Ui, pos2, vec2};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::AppCommand;
use crate::model::{ContactId, Named as _, Precision, Scenario};
use crate::playback::TimeCommand;
use crate::render::egui_painter::color;
use crate::scene::Theme;
use crate::scene::look;

/// Narrowest and widest spans the axis can show.
pub const MIN_SPAN_SECS: f64 = 3600.0;
pub const MAX_SPAN_SECS: f64 = 8.0 * 7.0 * 86_400.0;

const TICKS_H: f32 = 30.0;
const LANE_H: f32 = 9.0;
const LANES: usize = 7;
const DENSITY_H: f32 = 14.0;
const HEIGHT: f32 = TICKS_H + LANE_H * LANES as f32 + 6.0 + DENSITY_H;

/// The part of time the axis shows: kept between frames, changed by zooming and panning.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AxisView {
    /// Unix seconds at the left edge.
    pub start_secs: f64,
    pub span_secs: f64,
}

impl AxisView {
    /// Shows `[start, end]` with a little room on both sides.
    pub fn fit(start: Timestamp, end: Timestamp) -> Self {
        let span = ((end.as_second() - start.as_second()) as f64).max(MIN_SPAN_SECS);
        let pad = span * 0.03;
        Self {
            start_secs: start.as_second() as f64 - pad,
            span_secs: (span + 2.0 * pad).min(MAX_SPAN_SECS),
        }
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the time at `anchor_secs` in place.
    #[must_use]
    pub fn zoomed_around(self, anchor_secs: f64, factor: f64) -> Self {
        let span = (self.span_secs / factor).clamp(MIN_SPAN_SECS, MAX_SPAN_SECS);
        let ratio = (anchor_secs - self.start_secs) / self.span_secs;
        Self {
            start_secs: anchor_secs - ratio * span,
            span_secs: span,
        }
    }

    #[must_use]
    pub fn panned(self, secs: f64) -> Self {
        Self {
            start_secs: self.start_secs + secs,
            ..self
        }
    }

    fn x_of(&self, rect: Rect, secs: f64) -> f32 {
        rect.left() + ((secs - self.start_secs) / self.span_secs) as f32 * rect.width()
    }

    fn secs_at(&self, rect: Rect, x: f32) -> f64 {
        self.start_secs + f64::from((x - rect.left()) / rect.width().max(1.0)) * self.span_secs
    }
}

/// The tick step for a span, so that ticks are at least `min_px` apart: hours up to a week.
pub fn tick_step_hours(span_secs: f64, width_px: f32, min_px: f32) -> i64 {
    let px_per_hour = f64::from(width_px) / (span_secs / 3600.0);
    [1, 3, 6, 12, 24, 48, 168]
        .into_iter()
        .find(|&h| h as f64 * px_per_hour >= f64::from(min_px))
        .unwrap_or(168)
}

/// The local midnights and the hour ticks (every `step_hours`, in local time) within `[from, to]`.
pub fn ticks(
    from: Timestamp,
    to: Timestamp,
    zone: &TimeZone,
    step_hours: i64,
) -> Vec<(Timestamp, bool)> {
    let mut out = Vec::new();
    let Ok(first) = from.to_zoned_datetime(zone.clone()).date().yesterday() else {
        return out;
    };
    let mut day = first;
    let day_stride = (step_hours / 24).max(1);
    while let Ok(start) = day.to_zoned_datetime(zone.clone()) {
        let midnight = start.timestamp();
        if midnight > to {
            break;
        }
        if step_hours < 24 {
            for h in (step_hours..24).step_by(step_hours as usize) {
                if let Ok(z) = day.at(h as i8, 0, 0, 0).to_zoned_datetime(zone.clone()) {
                    let t = z.timestamp();
                    if t >= from && t <= to {
                        out.push((t, false));
                    }
                }
            }
        }
        if midnight >= from {
            out.push((midnight, true));
        }
        match day.checked_add(jiff::Span::new().days(day_stride)) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out.sort();
    out
}

/// Where a contact's marker was drawn, for hovering and clicking.
#[derive(Clone, Copy, Debug)]
struct Marker {
    id: ContactId,
    rect: Rect,
}

/// Tells screen readers (and tests) the axis is a slider of seconds since the start, and returns a value
/// they asked to set.
fn accessible_slider(ui: &Ui, response: &Response, value: f64, range_secs: f64) -> Option<f64> {
    response.widget_info(|| egui::WidgetInfo::slider(true, value, "Time"));
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_min_numeric_value(0.0);
        node.set_max_numeric_value(range_secs);
        node.add_action(egui::accesskit::Action::SetValue);
    });
    ui.input(|i| {
        i.accesskit_action_requests(response.id, egui::accesskit::Action::SetValue)
            .filter_map(|r| match r.data {
                Some(egui::accesskit::ActionData::NumericValue(v)) => Some(v),
                _ => None,
            })
            .last()
    })
}

/// The view after this frame's input: the wheel zooms around the pointer, a horizontal scroll or a right
/// (or middle) drag pans, a double click shows the whole `range`.
fn view_input(
    ui: &Ui,
    response: &Response,
    rect: Rect,
    view: AxisView,
    (start, end): (Timestamp, Timestamp),
) -> AxisView {
    let mut view = view;
    if response.hovered() {
        let (scroll, zoom, pointer) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if let Some(p) = pointer {
            let factor = f64::from(zoom) * (f64::from(scroll.y) * 0.003).exp();
            if (factor - 1.0).abs() > 1e-6 {
                view = view.zoomed_around(view.secs_at(rect, p.x), factor);
            }
        }
        if scroll.x != 0.0 {
            view = view.panned(-f64::from(scroll.x) / f64::from(rect.width()) * view.span_secs);
        }
    }
    if response.dragged_by(egui::PointerButton::Secondary)
        || response.dragged_by(egui::PointerButton::Middle)
    {
        let dx = response.drag_delta().x;
        view = view.panned(-f64::from(dx) / f64::from(rect.width()) * view.span_secs);
    }
    if response.double_clicked() {
        view = AxisView::fit(start, end);
    }
    view
}

/// What the axis shows.
#[derive(Clone, Copy, Debug)]
pub struct AxisInputs<'a> {
    pub scenario: &'a Scenario,
    /// The contacts shown, in time order.
    pub contacts: &'a [ContactId],
    /// The scenario's time range: where the clock can be set.
    pub range: (Timestamp, Timestamp),
    pub now: Timestamp,
    pub zone: &'a TimeZone,
    pub selected: Option<ContactId>,
    pub theme: &'a Theme,
}

/// Draws the axis and handles its input; changes go into `commands`, the view (zoom, pan) too, as
/// [`AppCommand::SetAxisView`] (this frame is drawn with the new view already).
pub fn time_axis_ui(
    ui: &mut Ui,
    view: AxisView,
    inputs: &AxisInputs<'_>,
    commands: &mut Vec<AppCommand>,
) -> Response {
    let AxisInputs {
        scenario,
        contacts,
        range,
        now,
        zone,
        selected,
        theme,
    } = *inputs;
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, HEIGHT), Sense::click_and_drag());
    let (start, end) = range;
    let range_secs = (end.as_second() - start.as_second()).max(0) as f64;
    let value = (now.as_second() - start.as_second()) as f64;
    let requested = accessible_slider(ui, &response, value, range_secs);
    let set_time = |secs_since_start: f64| {
        let secs = secs_since_start.clamp(0.0, range_secs).round() as i64;
        AppCommand::Time(TimeCommand::SetTime(
            start
                .checked_add(SignedDuration::from_secs(secs))
                .unwrap_or(end),
        ))
    };
    if let Some(v) = requested {
        commands.push(set_time(v));
    }

    // Zoom, pan, fit.
    let before = view;
    let view = &view_input(ui, &response, rect, view, range);
    if *view != before {
        commands.push(AppCommand::SetAxisView(*view));
    }
    let markers = layout_markers(view, rect, scenario, contacts);
    let hovered = response.hover_pos().and_then(|p| {
        markers
            .iter()
            .rev()
            .find(|m| m.rect.expand(2.0).contains(p))
            .copied()
    });
    if response.clicked_by(egui::PointerButton::Primary) {
        match hovered {
            Some(m) => commands.push(AppCommand::Select(m.id)),
            None => {
                if let Some(p) = response.interact_pointer_pos() {
                    let secs = view.secs_at(rect, p.x) - start.as_second() as f64;
                    commands.push(set_time(secs));
                }
            }
        }
    } else if response.dragged_by(egui::PointerButton::Primary)
        && let Some(p) = response.interact_pointer_pos()
    {
        let secs = view.secs_at(rect, p.x) - start.as_second() as f64;
        commands.push(set_time(secs));
    }

    if ui.is_rect_visible(rect) {
        let frame = AxisFrame {
            view,
            rect,
            scenario,
            contacts,
            markers: &markers,
            range,
            now,
            zone,
            selected,
            theme,
        };
        paint(ui, &frame);
    }
    if let Some(m) = hovered {
        let c = scenario.contact(m.id);
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.strong(&c.title);
            ui.label(format!("{}, {}", c.kind.label(), c.status.label()));
            ui.label(c.time.to_string());
            ui.weak(format!("precision: {}", c.time.precision().label()));
        });
    }
    response
}

/// Bars and diamonds for the contacts, in lanes so that they overlap as little as possible.
fn layout_markers(
    view: &AxisView,
    rect: Rect,
    scenario: &Scenario,
    contacts: &[ContactId],
) -> Vec<Marker> {
    let top = rect.top() + TICKS_H;
    let mut lane_end = [f32::MIN; LANES];
    let mut out = Vec::with_capacity(contacts.len());
    for &id in contacts {
        let time = &scenario.contact(id).time;
        let (s, e) = time.extent();
        let x0 = if time.start.is_none() {
            rect.left()
        } else {
            view.x_of(rect, s.as_second() as f64)
        };
        let x1 = view.x_of(rect, e.as_second() as f64).max(x0);
        let (x0, x1) = if x1 - x0 < 8.0 {
            let mid = (x0 + x1) / 2.0;
            (mid - 4.0, mid + 4.0)
        } else {
            (x0, x1)
        };
        if x1 < rect.left() || x0 > rect.right() {
            continue;
        }
        let lane = (0..LANES)
            .find(|&l| lane_end[l] + 2.0 <= x0)
            .unwrap_or_else(|| {
                (0..LANES)
                    .min_by(|&a, &b| lane_end[a].total_cmp(&lane_end[b]))
                    .unwrap_or(0)
            });
        lane_end[lane] = lane_end[lane].max(x1);
        let y = top + lane as f32 * LANE_H;
        out.push(Marker {
            id,
            rect: Rect::from_min_max(
                pos2(x0.max(rect.left()), y + 1.0),
                pos2(x1.min(rect.right()), y + LANE_H - 1.0),
            ),
        });
    }
    out
}

/// What one frame of the axis draws: the view, where, and what.
struct AxisFrame<'a> {
    view: &'a AxisView,
    rect: Rect,
    scenario: &'a Scenario,
    contacts: &'a [ContactId],
    markers: &'a [Marker],
    range: (Timestamp, Timestamp),
    now: Timestamp,
    zone: &'a TimeZone,
    selected: Option<ContactId>,
    theme: &'a Theme,
}

/// Draws the axis back to front: the shaded outside of the range, the ticks, the markers, the density
/// strip and the current time.
fn paint(ui: &Ui, frame: &AxisFrame<'_>) {
    let painter = ui.painter_at(frame.rect);
    let visuals = ui.visuals();
    painter.rect_filled(frame.rect, 2.0, visuals.extreme_bg_color);
    paint_outside_range(&painter, visuals, frame);
    paint_ticks(&painter, visuals, frame);
    for m in frame.markers {
        paint_marker(&painter, visuals, frame, m);
    }
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
    let mut last_day_label_end = f32::MIN;
    for (t, midnight) in ticks(from, to, zone, step) {
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

/// One contact's marker, in the look of its kind and status ([`look::axis_marker`]): a diamond for an
/// exact time, else a bar (faint when the time is vague, outlined when tentative); struck through when
/// struck; framed when selected.
fn paint_marker(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    frame: &AxisFrame<'_>,
    m: &Marker,
) {
    let c = frame.scenario.contact(m.id);
    let marker = look::axis_marker(c.kind, c.status, frame.theme);
    let base = color(marker.color);
    let r = m.rect;
    let precision = c.time.precision();
    match precision {
        Precision::Instant => {
            let center = r.center();
            let h = LANE_H / 2.0 - 0.5;
            painter.add(Shape::convex_polygon(
                vec![
                    pos2(center.x, center.y - h),
                    pos2(center.x + h, center.y),
                    pos2(center.x, center.y + h),
                    pos2(center.x - h, center.y),
                ],
                if marker.hollow {
                    Color32::TRANSPARENT
                } else {
                    base
                },
                Stroke::new(1.0, base),
            ));
        }
        _ if marker.hollow => {
            let corners = [
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
                r.left_top(),
            ];
            let outline = look::AXIS_TENTATIVE_OUTLINE;
            let [dash, gap] = outline.dash.unwrap_or([1.0, 0.0]);
            painter.extend(Shape::dashed_line(
                &corners,
                Stroke::new(outline.width, base),
                dash,
                gap,
            ));
        }
        _ => paint_bar(painter, r, base, precision, c.time.start.is_none()),
    }
    if marker.struck {
        painter.line_segment(
            [r.left_center(), r.right_center()],
            Stroke::new(look::AXIS_STRIKE.width, visuals.text_color()),
        );
    }
    if frame.selected == Some(m.id) {
        painter.rect_stroke(
            r.expand(1.5),
            2.0,
            Stroke::new(1.5, visuals.strong_text_color()),
            egui::StrokeKind::Outside,
        );
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
    painter.rect_filled(r, 2.0, fill);
    if open_start {
        let y = r.center().y;
        painter.add(Shape::convex_polygon(
            vec![
                pos2(r.left(), y),
                pos2(r.left() + 5.0, y - 4.0),
                pos2(r.left() + 5.0, y + 4.0),
            ],
            base,
            Stroke::NONE,
        ));
    }
}

/// Density: how many contacts are going on, bin by bin (a difference array: one step per contact).
fn paint_density(painter: &egui::Painter, visuals: &egui::Visuals, frame: &AxisFrame<'_>) {
    let (view, rect) = (frame.view, frame.rect);
    let bins = (rect.width() / 4.0).max(1.0) as usize;
    let mut steps = vec![0i64; bins + 1];
    for &id in frame.contacts {
        let time = &frame.scenario.contact(id).time;
        let (s, e) = time.extent();
        let bin =
            |t: Timestamp| ((view.x_of(rect, t.as_second() as f64) - rect.left()) / 4.0).floor();
        let lo = if time.start.is_none() {
            0.0
        } else {
            bin(s).max(0.0)
        };
        let hi = bin(e).max(lo).min(bins as f32 - 1.0);
        if hi < 0.0 || lo > bins as f32 - 1.0 {
            continue;
        }
        steps[lo as usize] += 1;
        steps[hi as usize + 1] -= 1;
    }
    let counts: Vec<u32> = steps[..bins]
        .iter()
        .scan(0i64, |running, step| {
            *running += step;
            Some((*running).max(0) as u32)
        })
        .collect();
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
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn zooming_keeps_the_time_under_the_pointer_and_stays_in_bounds() {
        let view = AxisView::fit(ts("2026-01-30T00:00:00Z"), ts("2026-02-02T00:00:00Z"));
        let anchor = view.start_secs + view.span_secs * 0.25;
        let zoomed = view.zoomed_around(anchor, 4.0);
        assert!((zoomed.span_secs - view.span_secs / 4.0).abs() < 1.0);
        let ratio = (anchor - zoomed.start_secs) / zoomed.span_secs;
        assert!((ratio - 0.25).abs() < 1e-9);
        assert_eq!(view.zoomed_around(anchor, 1e9).span_secs, MIN_SPAN_SECS);
        assert_eq!(view.zoomed_around(anchor, 1e-9).span_secs, MAX_SPAN_SECS);
    }

    #[test]
    fn tick_steps_go_from_hours_to_weeks_as_the_span_grows() {
        assert_eq!(tick_step_hours(12.0 * 3600.0, 1200.0, 44.0), 1);
        assert_eq!(tick_step_hours(4.0 * 86_400.0, 1200.0, 44.0), 6);
        assert_eq!(tick_step_hours(40.0 * 86_400.0, 1200.0, 44.0), 48);
        assert_eq!(tick_step_hours(400.0 * 86_400.0, 1200.0, 44.0), 168);
    }

    #[test]
    fn ticks_fall_on_local_hours_in_tehran() {
        let tehran = crate::model::time::zone_by_name("Asia/Tehran").expect("zone");
        let ticks = ticks(
            ts("2026-01-30T00:00:00Z"),
            ts("2026-01-31T00:00:00Z"),
            &tehran,
            6,
        );
        // Tehran is UTC+03:30: local midnight is 20:30 UTC, local 06:00 is 02:30 UTC.
        assert!(ticks.contains(&(ts("2026-01-30T20:30:00Z"), true)));
        assert!(ticks.contains(&(ts("2026-01-30T02:30:00Z"), false)));
        assert!(ticks.iter().all(|(t, _)| t.as_second() % 3600 == 1800));
        assert_eq!(ticks.len(), 4);
    }
}
