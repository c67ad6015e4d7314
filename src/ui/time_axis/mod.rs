//! The time axis: scrub with the mouse, zoom with the wheel around the pointer (hours to weeks), pan with a
//! horizontal scroll or a right-drag, double-click to see everything. Day and hour ticks are labelled in
//! the chosen zone; every contact has a marker coloured by kind (a bar over the span it is known to, a
//! diamond for an exact time, hollow and dashed when planned, with a clock when postponed, struck when
//! denied or cancelled); a strip at
//! the bottom shows where contacts crowd. A click on a marker jumps to the contact and selects it.

mod cover;
mod paint;
mod ticks;

pub use ticks::{tick_step_hours, ticks};

use egui::{Rect, Response, Sense, Ui, pos2, vec2};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::AppCommand;
use crate::model::{ContactId, Named as _, Precision, Scenario};
use crate::playback::TimeCommand;
use crate::scene::Theme;
use paint::{AxisFrame, paint};

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
        // 3% of the story on each side; a story longer than the widest view shows its start (the pad
        // taken from the view, not the story, which would leave the whole view before the start).
        let span_secs = (span * 1.06).min(MAX_SPAN_SECS);
        Self {
            start_secs: start.as_second() as f64 - span_secs * 0.03 / 1.06,
            span_secs,
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

/// Where a contact's marker was drawn, for hovering and clicking.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Marker {
    id: ContactId,
    rect: Rect,
}

/// When a contact was first reported ([`crate::model::as_of::first_known`]), drawn on its marker's lane:
/// a small tick at the report's time, and, when the report came after the contact's span, a dotted line
/// back to the span, so that a late report of an early event shows.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ReportMark {
    id: ContactId,
    /// Where the report's time is on the axis.
    x: f32,
    /// The middle of the marker's lane.
    y: f32,
    /// The end of the contact's marker, where the line back starts when the report is later.
    from_x: f32,
}

/// A dashed line back along a lane, from the end of a marker to its late report (or several, merged).
#[derive(Clone, Copy, Debug, PartialEq)]
struct ReportLine {
    y: f32,
    from_x: f32,
    to_x: f32,
}

/// The lines back from each late report (one more than 3 points after its marker's end) to its marker,
/// merged where they overlap on a lane: what is drawn is the same, in far fewer dashes.
fn report_lines(reports: &[ReportMark]) -> Vec<ReportLine> {
    let mut lines: Vec<ReportLine> = reports
        .iter()
        .filter(|r| r.x > r.from_x + 3.0)
        .map(|r| ReportLine {
            y: r.y,
            from_x: r.from_x + 1.0,
            to_x: r.x,
        })
        .collect();
    lines.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.from_x.total_cmp(&b.from_x)));
    let mut merged: Vec<ReportLine> = Vec::with_capacity(lines.len());
    for line in lines {
        match merged.last_mut() {
            Some(last) if last.y == line.y && line.from_x <= last.to_x => {
                last.to_x = last.to_x.max(line.to_x);
            }
            _ => merged.push(line),
        }
    }
    merged
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
    /// Changes whenever `contacts` (or the scenario) changes: the markers and the density strip, which
    /// depend only on the contacts, the view and the axis's place, are laid out again only then (see
    /// [`AxisLayout`]), not in every frame of a playing clock.
    pub contacts_version: u64,
    /// The reports of contacts reported after this moment stand out.
    pub new_since: Option<Timestamp>,
}

/// What the axis shows of the contacts for one view, kept from frame to frame (in egui's memory) while
/// the view, the axis's place and the contacts stay: with 100,000 contacts laying it out takes tens of
/// milliseconds, drawing what it holds well under one.
#[derive(Debug)]
struct AxisLayout {
    key: LayoutKey,
    /// The markers that can be seen, in drawing order.
    markers: Vec<Marker>,
    /// The first reports of the contacts whose markers can be seen.
    reports: Vec<ReportMark>,
    /// The dashed lines back from late reports to their markers, merged where they share a lane (with
    /// thousands of contacts in view, each drawn alone would be millions of dashes).
    report_lines: Vec<ReportLine>,
    /// How many contacts are going on in each 4-point bin of the density strip.
    density: Vec<u32>,
    /// Whether some source of the story is graded: then a marker's opacity tells its best source's grade,
    /// as on the map ([`crate::scene::look::GradeLook`]).
    graded: bool,
}

/// What an [`AxisLayout`] was made for.
#[derive(Clone, Copy, Debug, PartialEq)]
struct LayoutKey {
    view: AxisView,
    rect: Rect,
    contacts_version: u64,
    contacts: usize,
}

impl AxisLayout {
    /// The layout of `contacts` (in the list's order) for `key`.
    #[cfg(test)]
    fn new(key: LayoutKey, scenario: &Scenario, contacts: &[ContactId]) -> Self {
        Self::of(key, scenario, contacts, &axis_times(scenario, contacts))
    }

    /// The layout of `contacts` (in the list's order), whose times are `times`, for `key`.
    fn of(key: LayoutKey, scenario: &Scenario, contacts: &[ContactId], times: &[AxisTime]) -> Self {
        let markers = layout_markers(&key.view, key.rect, contacts, times);
        let reports = report_marks(&key.view, key.rect, scenario, &markers);
        Self {
            key,
            report_lines: report_lines(&reports),
            reports,
            markers,
            density: paint::density(&key.view, key.rect, times),
            graded: scenario.sources.iter().any(|s| s.grade.is_some()),
        }
    }

    /// The layout for `key`: the one kept if it was made for it, else a new one (then kept), made from the
    /// contacts that can show in the view ([`ListSpans::in_view`]).
    fn get(
        ui: &Ui,
        key: LayoutKey,
        scenario: &Scenario,
        contacts: &[ContactId],
    ) -> std::sync::Arc<Self> {
        let id = ui.scope_id().with("demarche_axis_layout");
        if let Some(kept) = ui.data(|d| d.get_temp::<std::sync::Arc<Self>>(id))
            && kept.key == key
        {
            return kept;
        }
        let spans = ListSpans::get(ui, key, scenario, contacts);
        let at = spans.positions_in_view(&key.view, key.rect);
        let (ids, times): (Vec<ContactId>, Vec<AxisTime>) = at
            .into_iter()
            .map(|i| (contacts[i], spans.times[i]))
            .unzip();
        let layout = std::sync::Arc::new(Self::of(key, scenario, &ids, &times));
        ui.data_mut(|d| d.insert_temp(id, std::sync::Arc::clone(&layout)));
        layout
    }
}

/// A contact's time as the axis reads it, in whole seconds: its extent ([`KnownTime::extent`]), and
/// whether its start is known (a contact ongoing since an unknown date is drawn from the left edge).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct AxisTime {
    start: i64,
    end: i64,
    known_start: bool,
}

impl AxisTime {
    fn of(time: &crate::model::KnownTime) -> Self {
        let (start, end) = time.extent();
        Self {
            start: start.as_second(),
            end: end.as_second(),
            known_start: time.start.is_some(),
        }
    }
}

/// The axis times of `contacts`, in order; on every core for a large list.
fn axis_times(scenario: &Scenario, contacts: &[ContactId]) -> Vec<AxisTime> {
    axis_times_from(scenario, contacts, crate::model::PARALLEL_PASS)
}

/// [`axis_times`], read on every core from `parallel_from` contacts on.
fn axis_times_from(
    scenario: &Scenario,
    contacts: &[ContactId],
    parallel_from: usize,
) -> Vec<AxisTime> {
    use rayon::prelude::*;
    let of = |&id: &ContactId| AxisTime::of(&scenario.contact(id).time);
    if contacts.len() < parallel_from {
        contacts.iter().map(of).collect()
    } else {
        contacts
            .par_iter()
            .with_min_len((parallel_from / 4).max(1))
            .map(of)
            .collect()
    }
}

/// Contacts longer than this are kept aside ([`ListSpans`]); shorter ones are found by their start. Eight
/// days: a week's window (ACLED's weekly dates, "later this week") is short.
const SHORT_SECS: i64 = 8 * 86_400;

/// Where the contacts of the list lie in time, made once per list (kept in egui's memory while it
/// stays), so that a view of the axis reads only the contacts that can show in it: the short ones
/// (under [`SHORT_SECS`]) starting around it, found by bisection in the list (it is in time order), and
/// the long ones by tiers of length, each sorted by start, from which those that can reach the view are
/// found by bisection too. Panning the axis over a million contacts then reads thousands, not the million.
#[derive(Debug)]
struct ListSpans {
    contacts_version: u64,
    contacts: usize,
    /// The time of each contact of the list, in its order: what the layouts read (a contact's time
    /// read from the contact itself is a cache miss each, across a million contacts).
    times: Vec<AxisTime>,
    /// Long contacts by length: a tier's contacts are under four times its lower bound long.
    tiers: Vec<SpanTier>,
    /// Positions of the contacts ongoing since an unknown date: drawn from the axis's left edge.
    unknown_start: Vec<usize>,
}

/// Long contacts of about one length, in the list's order (by start).
#[derive(Debug, Default)]
struct SpanTier {
    /// The longest of them, in seconds.
    longest: i64,
    starts: Vec<i64>,
    positions: Vec<usize>,
}

impl ListSpans {
    fn new(key: LayoutKey, scenario: &Scenario, contacts: &[ContactId]) -> Self {
        let times = axis_times(scenario, contacts);
        let mut tiers: Vec<SpanTier> = (0..4).map(|_| SpanTier::default()).collect();
        let mut unknown_start = Vec::new();
        for (i, time) in times.iter().enumerate() {
            if !time.known_start {
                unknown_start.push(i);
                continue;
            }
            let length = time.end - time.start;
            if length < SHORT_SECS {
                continue;
            }
            // Tiers of 8 to 32 days, 32 to 128, 128 to 512, and longer.
            let tier = (0..3)
                .find(|&k| length < SHORT_SECS << (2 * (k + 1)))
                .unwrap_or(3);
            let tier = &mut tiers[tier];
            tier.longest = tier.longest.max(length);
            tier.starts.push(time.start);
            tier.positions.push(i);
        }
        Self {
            contacts_version: key.contacts_version,
            contacts: key.contacts,
            times,
            tiers,
            unknown_start,
        }
    }

    /// The contacts of `contacts` (the list these spans were made from) whose markers can show in
    /// `view`, in the list's order: the layout made from them is the layout made from the whole list
    /// (those left out end before the view, a marker's least half-width of 4 points included, or start
    /// after it).
    #[cfg(test)]
    fn in_view(&self, view: &AxisView, rect: Rect, contacts: &[ContactId]) -> Vec<ContactId> {
        self.positions_in_view(view, rect)
            .into_iter()
            .map(|i| contacts[i])
            .collect()
    }

    /// [`ListSpans::in_view`], as positions in the list, in order.
    fn positions_in_view(&self, view: &AxisView, rect: Rect) -> Vec<usize> {
        let pad = view.span_secs / f64::from(rect.width().max(1.0)) * 4.0 + 1.0;
        let from = (view.start_secs - pad).floor() as i64;
        let to = (view.start_secs + view.span_secs + pad).ceil() as i64;
        let start = |t: &AxisTime| (t.known_start, t.start);
        let first = self
            .times
            .partition_point(|t| start(t) < (true, from - SHORT_SECS));
        let last = self
            .times
            .partition_point(|t| start(t) <= (true, to))
            .max(first);
        let mut at: Vec<usize> = (first..last).collect();
        for tier in &self.tiers {
            let lo = tier
                .starts
                .partition_point(|&s| s < from.saturating_sub(tier.longest));
            let hi = tier.starts.partition_point(|&s| s <= to).max(lo);
            at.extend(&tier.positions[lo..hi]);
        }
        at.extend(&self.unknown_start);
        at.sort_unstable();
        at.dedup();
        at
    }

    fn get(
        ui: &Ui,
        key: LayoutKey,
        scenario: &Scenario,
        contacts: &[ContactId],
    ) -> std::sync::Arc<Self> {
        let id = ui.scope_id().with("demarche_axis_spans");
        if let Some(kept) = ui.data(|d| d.get_temp::<std::sync::Arc<Self>>(id))
            && kept.contacts_version == key.contacts_version
            && kept.contacts == key.contacts
        {
            return kept;
        }
        let spans = std::sync::Arc::new(Self::new(key, scenario, contacts));
        ui.data_mut(|d| d.insert_temp(id, std::sync::Arc::clone(&spans)));
        spans
    }
}

/// Draws the axis and handles its input; changes go into `commands`, the view (zoom, pan) too, as
/// [`AppCommand::SetAxisView`] (this frame is drawn with the new view already).
pub fn time_axis_ui(
    ui: &mut Ui,
    view: AxisView,
    inputs: &AxisInputs<'_>,
    commands: &mut Vec<AppCommand>,
) -> Response {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, HEIGHT), Sense::click_and_drag());

    // Zoom, pan, fit.
    let before = view;
    let view = view_input(ui, &response, rect, view, inputs.range);
    if view != before {
        commands.push(AppCommand::SetAxisView(view));
    }
    let key = LayoutKey {
        view,
        rect,
        contacts_version: inputs.contacts_version,
        contacts: inputs.contacts.len(),
    };
    let layout = AxisLayout::get(ui, key, inputs.scenario, inputs.contacts);
    let markers = &layout.markers;
    let hovered = response
        .hover_pos()
        .and_then(|p| marker_at(markers, p).copied());
    clock_input(ui, &response, rect, &view, inputs, hovered, commands);

    if ui.is_rect_visible(rect) {
        let frame = AxisFrame {
            view: &view,
            rect,
            scenario: inputs.scenario,
            markers,
            reports: &layout.reports,
            report_lines: &layout.report_lines,
            density: &layout.density,
            range: inputs.range,
            now: inputs.now,
            zone: inputs.zone,
            selected: inputs.selected,
            theme: inputs.theme,
            new_since: inputs.new_since,
            graded: layout.graded,
            contacts_version: inputs.contacts_version,
        };
        paint(ui, &frame);
    }
    if let Some(m) = hovered
        && let Some(pointer) = response.hover_pos()
    {
        marker_tooltip(ui, rect, pointer, inputs.scenario, m.id);
    }
    response
}

/// The marker under `p`, the top-most (last drawn) first; a marker is hit within 2 points of its shape.
fn marker_at(markers: &[Marker], p: egui::Pos2) -> Option<&Marker> {
    markers
        .iter()
        .rev()
        .find(|m| m.rect.expand(2.0).contains(p))
}

/// Sets the clock from the axis: a click or a drag moves it to the time under the pointer (a screen
/// reader sets it as a slider's value). A click on a contact's marker also selects the contact: on a
/// diamond (an exact moment) the clock goes to that moment, on a bar to the time clicked within it, so that
/// clicking where contacts crowd still scrubs.
fn clock_input(
    ui: &Ui,
    response: &Response,
    rect: Rect,
    view: &AxisView,
    inputs: &AxisInputs<'_>,
    hovered: Option<Marker>,
    commands: &mut Vec<AppCommand>,
) {
    let (start, end) = inputs.range;
    let range_secs = (end.as_second() - start.as_second()).max(0) as f64;
    let value = (inputs.now.as_second() - start.as_second()) as f64;
    let set_time = |secs_since_start: f64| {
        let secs = secs_since_start.clamp(0.0, range_secs).round() as i64;
        AppCommand::Time(TimeCommand::SetTime(
            start
                .checked_add(SignedDuration::from_secs(secs))
                .unwrap_or(end),
        ))
    };
    if let Some(v) = accessible_slider(ui, response, value, range_secs) {
        commands.push(set_time(v));
    }
    let pointer_secs = response
        .interact_pointer_pos()
        .map(|p| view.secs_at(rect, p.x) - start.as_second() as f64);
    if response.clicked_by(egui::PointerButton::Primary) {
        if let Some(m) = hovered {
            commands.push(AppCommand::Select(m.id));
            let instant = inputs.scenario.contact(m.id).time.precision() == Precision::Instant;
            if !instant && let Some(secs) = pointer_secs {
                commands.push(set_time(secs));
            }
        } else if let Some(secs) = pointer_secs {
            commands.push(set_time(secs));
        }
    } else if response.dragged_by(egui::PointerButton::Primary)
        && let Some(secs) = pointer_secs
    {
        commands.push(set_time(secs));
    }
}

/// What the marker under the pointer is, in a box beside the pointer and within the axis's height, so that
/// it never covers the clock and the controls above the axis.
fn marker_tooltip(ui: &Ui, rect: Rect, pointer: egui::Pos2, scenario: &Scenario, id: ContactId) {
    let c = scenario.contact(id);
    let right_half = pointer.x > rect.center().x;
    let (pivot, x) = if right_half {
        (egui::Align2::RIGHT_BOTTOM, pointer.x - 14.0)
    } else {
        (egui::Align2::LEFT_BOTTOM, pointer.x + 14.0)
    };
    egui::Area::new(egui::Id::unique("demarche_axis_marker_tooltip"))
        .order(egui::Order::Tooltip)
        .pivot(pivot)
        .fixed_pos(pos2(x, rect.bottom()))
        .interactable(false)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(320.0);
                // In any script, a Persian title with Latin names and digits in reading order.
                crate::ui::script_text::script_label(ui, egui::RichText::new(&c.title).strong());
                ui.label(format!("{}, {}", c.kind.label(), c.status.label()));
                ui.label(c.time.to_string());
                ui.weak(format!("precision: {}", c.time.precision().label()));
                if let Some(t) = crate::model::as_of::first_known(scenario, c) {
                    ui.weak(first_reported(t, &scenario.meta.time_zone));
                }
            });
        });
}

/// When a contact was first reported, as the tooltip says it: a source known only to its day counts from
/// the end of that day, said so ("by the end of Sun 1 Feb 2026").
fn first_reported(t: Timestamp, zone: &TimeZone) -> String {
    let zoned = t.to_zoned_datetime(zone.clone());
    if zoned.time() == jiff::civil::Time::midnight()
        && let Ok(day) = zoned.date().yesterday()
    {
        format!(
            "first reported by the end of {}",
            day.strftime("%a %-d %b %Y")
        )
    } else {
        format!(
            "first reported {}",
            zoned.strftime("%a %-d %b %Y, %H:%M %Z")
        )
    }
}

/// The first report of each contact of `markers` whose report is dated and falls in the view.
fn report_marks(
    view: &AxisView,
    rect: Rect,
    scenario: &Scenario,
    markers: &[Marker],
) -> Vec<ReportMark> {
    markers
        .iter()
        .filter_map(|m| {
            let t = crate::model::as_of::first_known(scenario, scenario.contact(m.id))?;
            let x = view.x_of(rect, t.as_second() as f64);
            (rect.left()..=rect.right())
                .contains(&x)
                .then(|| ReportMark {
                    id: m.id,
                    x,
                    y: m.rect.center().y,
                    from_x: m.rect.right(),
                })
        })
        .collect()
}

/// Bars and diamonds for the contacts, in lanes so that they overlap as little as possible; those wholly
/// under later ones are left out ([`cover`]).
fn layout_markers(
    view: &AxisView,
    rect: Rect,
    contacts: &[ContactId],
    times: &[AxisTime],
) -> Vec<Marker> {
    let (mut markers, spans) = every_marker(view, rect, contacts, times);
    let mut keep = cover::visible(&spans, LANES, rect.width()).into_iter();
    markers.retain(|_| keep.next().unwrap_or(true));
    markers
}

/// Every contact's marker in view, in drawing order, with its lane's span; `times` are the contacts'.
fn every_marker(
    view: &AxisView,
    rect: Rect,
    contacts: &[ContactId],
    times: &[AxisTime],
) -> (Vec<Marker>, Vec<cover::Span>) {
    let top = rect.top() + TICKS_H;
    let mut lane_end = [f32::MIN; LANES];
    let mut out = Vec::with_capacity(contacts.len());
    let mut spans = Vec::with_capacity(contacts.len());
    for (&id, time) in contacts.iter().zip(times) {
        let x0 = if time.known_start {
            view.x_of(rect, time.start as f64)
        } else {
            rect.left()
        };
        let x1 = view.x_of(rect, time.end as f64).max(x0);
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
        spans.push(cover::Span {
            lane,
            x0: x0 - rect.left(),
            x1: x1 - rect.left(),
        });
        out.push(Marker {
            id,
            rect: Rect::from_min_max(
                pos2(x0.max(rect.left()), y + 1.0),
                pos2(x1.min(rect.right()), y + LANE_H - 1.0),
            ),
        });
    }
    (out, spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    /// A large story: far fewer markers drawn, and the one under the pointer is the same everywhere.
    #[test]
    fn hidden_markers_are_left_out_and_hovering_finds_the_same_marker() {
        let size = crate::synth::SynthSize {
            contacts: 20_000,
            actors: 100,
            venues: 50,
        };
        let text = crate::synth::scenario_json(size, 7);
        let scenario = crate::io::scenario::parse("synth.json", &text)
            .expect("a generated scenario is valid")
            .scenario;
        let contacts: Vec<ContactId> = scenario.chronological();
        let (start, end) = scenario.time_extent().expect("contacts");
        let view = AxisView::fit(start, end);
        let rect = Rect::from_min_size(pos2(40.0, 500.0), vec2(900.0, HEIGHT));
        let (all, _) = every_marker(&view, rect, &contacts, &axis_times(&scenario, &contacts));
        let drawn = layout_markers(&view, rect, &contacts, &axis_times(&scenario, &contacts));
        assert!(
            drawn.len() * 2 < all.len(),
            "{} of {} markers drawn",
            drawn.len(),
            all.len()
        );
        let mut x = rect.left() - 3.0;
        while x < rect.right() + 3.0 {
            let mut y = rect.top() + TICKS_H - 3.0;
            while y < rect.top() + TICKS_H + LANE_H * LANES as f32 + 3.0 {
                let p = pos2(x, y);
                assert_eq!(
                    marker_at(&drawn, p).map(|m| m.id),
                    marker_at(&all, p).map(|m| m.id),
                    "at {p:?}"
                );
                y += 1.5;
            }
            x += 0.7;
        }
    }

    /// The layout kept between frames is the one a fresh layout would give, after the contacts (a filter,
    /// a new document), the view or the axis's place changed; kept as is while nothing did.
    #[test]
    fn the_kept_layout_follows_the_contacts_the_view_and_the_place() {
        let size = crate::synth::SynthSize {
            contacts: 2_000,
            actors: 20,
            venues: 10,
        };
        let scenario =
            crate::io::scenario::parse("synth.json", &crate::synth::scenario_json(size, 3))
                .expect("a generated scenario is valid")
                .scenario;
        let all = scenario.chronological();
        let meetings: Vec<ContactId> = all
            .iter()
            .copied()
            .filter(|&id| scenario.contact(id).kind == crate::model::ContactKind::Meeting)
            .collect();
        let (start, end) = scenario.time_extent().expect("contacts");
        let view = AxisView::fit(start, end);
        let rect = Rect::from_min_size(pos2(10.0, 600.0), vec2(800.0, HEIGHT));
        let ctx = egui::Context::default();
        let mut kept = Vec::new();
        let steps: [(AxisView, Rect, u64, &[ContactId]); 6] = [
            (view, rect, 1, &all),
            (view, rect, 1, &all),
            (view, rect, 2, &meetings),
            (
                view.zoomed_around(view.start_secs + view.span_secs / 3.0, 5.0),
                rect,
                2,
                &meetings,
            ),
            (view, rect.translate(vec2(0.0, -40.0)), 2, &meetings),
            (view, rect, 3, &all),
        ];
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            for (view, rect, version, contacts) in steps {
                let key = LayoutKey {
                    view,
                    rect,
                    contacts_version: version,
                    contacts: contacts.len(),
                };
                let layout = AxisLayout::get(ui, key, &scenario, contacts);
                let fresh = AxisLayout::new(key, &scenario, contacts);
                assert_eq!(layout.markers, fresh.markers, "{key:?}");
                assert_eq!(layout.density, fresh.density, "{key:?}");
                kept.push(layout);
            }
        });
        output.textures_delta.clear();
        assert!(
            std::sync::Arc::ptr_eq(&kept[0], &kept[1]),
            "nothing changed: kept"
        );
        for pair in kept[1..].windows(2) {
            assert!(
                !std::sync::Arc::ptr_eq(&pair[0], &pair[1]),
                "laid out again"
            );
        }
        assert_ne!(kept[1].markers, kept[2].markers, "the filter shows");
    }

    #[test]
    fn the_axis_times_read_on_every_core_are_those_read_in_order() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let contacts = scenario.chronological();
        let in_order = axis_times_from(&scenario, &contacts, usize::MAX);
        assert_eq!(in_order.len(), contacts.len());
        assert!(in_order.windows(2).any(|w| w[0] != w[1]));
        for parallel_from in [1, 3, 8] {
            assert_eq!(
                axis_times_from(&scenario, &contacts, parallel_from),
                in_order
            );
        }
    }

    /// A view of the axis is laid out from the contacts that can show in it ([`ListSpans::in_view`]):
    /// the layout must be the one made from the whole list, at every zoom and place, in stories with
    /// contacts of every length (ongoing since an unknown date, windows of weeks, exact moments).
    #[test]
    fn a_view_laid_out_from_the_contacts_around_it_is_laid_out_as_from_all() {
        let size = crate::synth::SynthSize {
            contacts: 3_000,
            actors: 20,
            venues: 10,
        };
        let mut stories = vec![
            crate::io::scenario::parse("synth.json", &crate::synth::scenario_json(size, 9))
                .expect("a generated scenario is valid")
                .scenario,
            crate::io::scenario::default_scenario().scenario,
        ];
        for example in crate::io::scenario::examples::EXAMPLES {
            stories.push(example.load().expect("an example").0.scenario);
        }
        let rect = Rect::from_min_size(pos2(10.0, 600.0), vec2(900.0, HEIGHT));
        let mut compared = 0;
        for scenario in &stories {
            let contacts = scenario.chronological();
            let (start, end) = scenario.time_extent().expect("contacts");
            let whole = AxisView::fit(start, end);
            let key = |view| LayoutKey {
                view,
                rect,
                contacts_version: 1,
                contacts: contacts.len(),
            };
            let spans = ListSpans::new(key(whole), scenario, &contacts);
            for zoom in [1.0, 4.0, 30.0, 400.0] {
                for step in 0..12 {
                    let mut view = whole.zoomed_around(whole.start_secs, zoom);
                    view.start_secs += whole.span_secs * (f64::from(step) / 10.0 - 0.1);
                    let in_view = spans.in_view(&view, rect, &contacts);
                    let (from_all, from_some) = (
                        AxisLayout::new(key(view), scenario, &contacts),
                        AxisLayout::new(key(view), scenario, &in_view),
                    );
                    assert_eq!(from_some.markers, from_all.markers, "{view:?}");
                    assert_eq!(from_some.reports, from_all.reports, "{view:?}");
                    assert_eq!(from_some.report_lines, from_all.report_lines, "{view:?}");
                    assert_eq!(from_some.density, from_all.density, "{view:?}");
                    compared += usize::from(!from_all.markers.is_empty());
                }
            }
        }
        assert!(compared > 100, "{compared} views with markers compared");
        // And it reads few: a week of a year-long story of 3,000 contacts.
        let scenario = &stories[0];
        let contacts = scenario.chronological();
        let (start, _) = scenario.time_extent().expect("contacts");
        let week = AxisView::fit(
            start + SignedDuration::from_hours(24 * 100),
            start + SignedDuration::from_hours(24 * 107),
        );
        let key = LayoutKey {
            view: week,
            rect,
            contacts_version: 1,
            contacts: contacts.len(),
        };
        let read = ListSpans::new(key, scenario, &contacts)
            .in_view(&week, rect, &contacts)
            .len();
        assert!(
            read * 10 < contacts.len(),
            "{read} of {} read",
            contacts.len()
        );
    }

    /// The density strip counts the contacts going on in each bin of the view, none from before it.
    #[test]
    fn the_density_counts_only_what_goes_on_in_the_view() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let contacts = scenario.chronological();
        let rect = Rect::from_min_size(pos2(0.0, 0.0), vec2(400.0, HEIGHT));
        let (_, end) = scenario.time_extent().expect("contacts");
        // A view a month after the story: nothing goes on in it.
        let after = AxisView::fit(
            end + SignedDuration::from_hours(24 * 30),
            end + SignedDuration::from_hours(24 * 37),
        );
        assert!(
            paint::density(&after, rect, &axis_times(&scenario, &contacts))
                .iter()
                .all(|&n| n == 0)
        );
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
    fn fitting_a_story_longer_than_the_widest_view_shows_its_start() {
        let start = ts("2014-02-18T00:00:00Z");
        let view = AxisView::fit(start, ts("2020-03-19T00:00:00Z"));
        assert_eq!(view.span_secs, MAX_SPAN_SECS);
        let start_secs = start.as_second() as f64;
        assert!(view.start_secs < start_secs, "a margin before the start");
        assert!(
            view.start_secs + view.span_secs * 0.9 > start_secs,
            "the start in view"
        );
        // A short story is seen whole, with 3% on each side.
        let view = AxisView::fit(start, ts("2014-02-28T00:00:00Z"));
        assert!((view.span_secs - 10.6 * 86_400.0).abs() < 1.0);
        assert!((view.start_secs - (start_secs - 0.3 * 86_400.0)).abs() < 1.0);
    }

    /// Each contact's first report is marked at its time on the contact's lane: the default scenario's
    /// article (1 February, known from the end of that day) comes after its Friday and Saturday contacts,
    /// so their marks lie to the right of their markers; a contact no dated source reports has none.
    #[test]
    fn first_reports_are_marked_where_they_fall() {
        let mut scenario = crate::io::scenario::default_scenario().scenario;
        let contacts = scenario.chronological();
        let start = ts("2026-01-29T00:00:00Z");
        let end = ts("2026-02-04T00:00:00Z");
        let view = AxisView::fit(start, end);
        let rect = Rect::from_min_size(pos2(40.0, 500.0), vec2(900.0, HEIGHT));
        let markers = layout_markers(&view, rect, &contacts, &axis_times(&scenario, &contacts));
        let reports = report_marks(&view, rect, &scenario, &markers);
        assert_eq!(
            reports.len(),
            markers.len(),
            "every contact cites the dated article"
        );
        let published = ts("2026-02-02T00:00:00Z");
        for (m, r) in markers.iter().zip(&reports) {
            assert_eq!(r.id, m.id);
            assert!((r.x - view.x_of(rect, published.as_second() as f64)).abs() < 0.01);
            assert!((r.y - m.rect.center().y).abs() < 0.01);
            let c = scenario.contact(m.id);
            if c.time.extent().1 < published {
                assert!(r.x > r.from_x, "{}: reported after it ended", c.id);
            }
        }
        // Undated: the article loses its date, and nothing can be marked.
        for source in &mut scenario.sources {
            source.published = None;
        }
        assert!(report_marks(&view, rect, &scenario, &markers).is_empty());
    }

    fn report(id: u32, y: f32, from_x: f32, x: f32) -> ReportMark {
        ReportMark {
            id: ContactId(id),
            x,
            y,
            from_x,
        }
    }

    /// Lines back on one lane that overlap become one; on other lanes, or apart, they stay; a report
    /// before (or just after) its marker's end has none.
    #[test]
    fn lines_back_to_late_reports_merge_on_a_lane() {
        let lines = report_lines(&[
            report(0, 10.0, 100.0, 300.0),
            report(1, 10.0, 150.0, 400.0),
            report(2, 10.0, 500.0, 600.0),
            report(3, 19.0, 120.0, 300.0),
            report(4, 19.0, 300.0, 302.0),
            report(5, 28.0, 300.0, 200.0),
        ]);
        let line = |y, from_x, to_x| ReportLine { y, from_x, to_x };
        assert_eq!(
            lines,
            vec![
                line(10.0, 101.0, 400.0),
                line(10.0, 501.0, 600.0),
                line(19.0, 121.0, 300.0),
            ]
        );
    }
}
