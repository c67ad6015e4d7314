//! Laws, checked on generated cases (proptest): projections come back to where they started, a fitted
//! camera shows what it fits, neighbours keep their shared border at any simplification, and every time
//! shape of the scenario format, in every zone of the bundled database, covers the wall times it names and
//! no others. A failing case is shrunk and printed; proptest keeps it in `tests/properties.proptest-regressions`.

use demarche::geo_math::camera::{Camera, MAX_SCALE, MIN_SCALE, ScreenRect, WorldRect};
use demarche::geo_math::projection::{Lambert, MERCATOR_MAX_LAT, Projection, World, wrap_lon};
use demarche::geo_math::topology::{build, ring_coords, simplify_arcs};
use demarche::model::time::{KnownTime, Moment, TimeError, When, zone_by_name, zone_names};
use demarche::model::{DayPart, Named as _};
use geo::Coord;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan as _};
use proptest::prelude::*;

// ---- Projections -------------------------------------------------------------------------------------

/// A projection of each kind, with its central meridian and (for a conic) its band anywhere on the globe
/// away from the equator (a band across it makes the cone a cylinder, which is what Mercator is for).
fn projection() -> impl Strategy<Value = Projection> {
    prop_oneof![
        (-180.0..180.0f64).prop_map(|central_lon| Projection::WebMercator { central_lon }),
        (-180.0..180.0f64, 5.0..75.0f64, 2.0..30.0f64, any::<bool>()).prop_map(
            |(central, south, span, north)| {
                let (a, b) = (south, (south + span).min(89.0));
                let band = if north { (a, b) } else { (-b, -a) };
                Projection::LambertConic(Lambert::for_band(central, band.0, band.1))
            }
        ),
    ]
}

/// A latitude the projection shows: Mercator's square, or a conic's globe but its hidden pole (the
/// projection clamps there) and a sliver around its visible pole (where every longitude meets).
fn latitude_in(projection: Projection, t: f64) -> f64 {
    match projection {
        Projection::WebMercator { .. } => -MERCATOR_MAX_LAT + t * 2.0 * MERCATOR_MAX_LAT,
        Projection::LambertConic(l) => {
            let south_cone = l.parallel_1 + l.parallel_2 < 0.0;
            let lat = -88.0 + t * 177.0;
            if south_cone { -lat } else { lat }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// geo -> world -> geo, and geo -> screen -> geo through a camera showing the point.
    #[test]
    fn projections_come_back_to_the_point(
        projection in projection(),
        lon in -180.0..180.0f64,
        t in 0.0..=1.0f64,
        scale in MIN_SCALE..2.0e5,
        offset in (-950.0..950.0f64, -530.0..530.0f64),
    ) {
        let lat = latitude_in(projection, t);
        let p = projection.project(lon, lat);
        prop_assert!(p.is_some(), "{lon}, {lat} does not project");
        let p = p.unwrap_or_default();
        let back = projection.unproject(p);
        prop_assert!(back.is_some(), "{p:?} does not unproject");
        let (lon2, lat2) = back.unwrap_or_default();
        prop_assert!((lat2 - lat).abs() < 1e-7, "latitude {lat} came back as {lat2}");
        prop_assert!(
            wrap_lon(lon2 - lon).abs() < 1e-7,
            "longitude {lon} came back as {lon2}"
        );

        // A camera at any zoom with the point somewhere on its 1920x1080 screen.
        let center: World = [p[0] - offset.0 / scale, p[1] + offset.1 / scale];
        let camera = Camera { center, scale, viewport: ScreenRect::from_size(1920.0, 1080.0) };
        let screen = camera.screen_from_world(p);
        prop_assert!(camera.viewport.contains(screen), "{screen:?} is on screen");
        let world = camera.world_from_screen(screen);
        let error_points = ((world[0] - p[0]).hypot(world[1] - p[1])) * scale;
        prop_assert!(error_points < 0.01, "the screen round trip moves the point {error_points} points");
        let geo = projection.unproject(world);
        prop_assert!(geo.is_some(), "{world:?} (from the screen) does not unproject");
        let again = geo.and_then(|(lon, lat)| projection.project(lon, lat)).unwrap_or([f64::NAN; 2]);
        let error_points = ((again[0] - p[0]).hypot(again[1] - p[1])) * scale;
        prop_assert!(error_points < 0.01, "geo -> screen -> geo -> screen moves the point {error_points} points");
    }
}

// ---- The camera ---------------------------------------------------------------------------------------

/// A rectangle in world units, from a point to a continent; sometimes flat or a single point.
fn world_rect() -> impl Strategy<Value = WorldRect> {
    let size = prop_oneof![Just(0.0), 1e-9..1e-3f64, 1e-3..10.0f64];
    (-3.2..3.2f64, -3.2..3.2f64, size.clone(), size).prop_map(|(x, y, w, h)| WorldRect {
        min: [x, y],
        max: [x + w, y + h],
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The fitted camera maps the bounds inside the viewport less its margin, centred; when the bounds are
    /// too large for the smallest zoom, it shows as much of them as it can, centred.
    #[test]
    fn a_fitted_camera_shows_what_it_fits(
        bounds in world_rect(),
        origin in (-500.0..500.0f32, -500.0..500.0f32),
        size in (40.0..4000.0f32, 40.0..4000.0f32),
        margin_share in 0.0..0.25f32,
    ) {
        let viewport = ScreenRect {
            min: [origin.0, origin.1],
            max: [origin.0 + size.0, origin.1 + size.1],
        };
        let margin = margin_share * size.0.min(size.1);
        let camera = Camera::fit(bounds, viewport, margin);
        prop_assert!((MIN_SCALE..=MAX_SCALE).contains(&camera.scale));
        let centre = camera.screen_from_world(bounds.center());
        let view_centre = viewport.center();
        prop_assert!((centre[0] - view_centre[0]).abs() < 0.01 && (centre[1] - view_centre[1]).abs() < 0.01,
            "the bounds' centre is at {centre:?}, the viewport's at {view_centre:?}");
        let needed = (f64::from(size.0 - 2.0 * margin) / bounds.width())
            .min(f64::from(size.1 - 2.0 * margin) / bounds.height());
        if needed < MIN_SCALE {
            prop_assert_eq!(camera.scale, MIN_SCALE);
            return Ok(());
        }
        let a = camera.screen_from_world(bounds.min);
        let b = camera.screen_from_world(bounds.max);
        let tolerance = 0.01;
        for p in [a, b] {
            prop_assert!(
                p[0] >= viewport.min[0] + margin - tolerance
                    && p[0] <= viewport.max[0] - margin + tolerance
                    && p[1] >= viewport.min[1] + margin - tolerance
                    && p[1] <= viewport.max[1] - margin + tolerance,
                "{bounds:?} corner at {p:?}, outside {viewport:?} less {margin}"
            );
        }
    }
}

// ---- Shared borders -----------------------------------------------------------------------------------

/// Two polygons side by side, sharing a jagged border from (0, 0) to (0, n + 1): the border's vertices
/// wander east and west of the line, the polygons' outer corners are at x = -10 and x = 10.
/// A ring or a path.
type Path = Vec<Coord<f64>>;

/// West ring, east ring, and their common border.
fn neighbours() -> impl Strategy<Value = (Path, Path, Path)> {
    prop::collection::vec(-3.0..3.0f64, 1..40).prop_map(|xs| {
        let top = xs.len() as f64 + 1.0;
        let mut border = vec![Coord { x: 0.0, y: 0.0 }];
        border.extend(xs.iter().enumerate().map(|(i, &x)| Coord {
            x,
            y: i as f64 + 1.0,
        }));
        border.push(Coord { x: 0.0, y: top });
        let mut west = border.clone();
        west.extend([
            Coord { x: -10.0, y: top },
            Coord { x: -10.0, y: 0.0 },
            border[0],
        ]);
        let mut east: Vec<Coord<f64>> = border.iter().rev().copied().collect();
        east.extend([
            Coord { x: 10.0, y: 0.0 },
            Coord { x: 10.0, y: top },
            Coord { x: 0.0, y: top },
        ]);
        (west, east, border)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// At any tolerance, the two polygons keep exactly the same vertices of their common border: the
    /// border is simplified once, not once per side.
    #[test]
    fn neighbours_keep_sharing_their_border_after_simplification(
        (west, east, border) in neighbours(),
        tolerance in prop_oneof![Just(0.0), 1e-6..0.1f64, 0.1..20.0f64],
    ) {
        let topology = build(&[west.as_slice(), east.as_slice()]);
        let arcs = simplify_arcs(&topology, tolerance);
        let on_border = |ring: &[Coord<f64>]| -> Vec<(u64, u64)> {
            let mut kept: Vec<(u64, u64)> = ring
                .iter()
                .filter(|c| border.contains(c))
                .map(|c| (c.x.to_bits(), c.y.to_bits()))
                .collect();
            kept.sort_unstable();
            kept.dedup();
            kept
        };
        let (Some(w), Some(e)) = (ring_coords(&topology, &arcs, 0), ring_coords(&topology, &arcs, 1)) else {
            prop_assert!(tolerance > 0.0, "a ring vanished without simplification");
            return Ok(());
        };
        prop_assert_eq!(on_border(&w), on_border(&e), "the two sides of the border differ");
        prop_assert!(on_border(&w).len() >= 2, "the border keeps its two ends");
        if tolerance == 0.0 {
            prop_assert_eq!(on_border(&w).len(), border.len(), "nothing is dropped at tolerance 0");
        }
    }
}

// ---- Times in every zone ------------------------------------------------------------------------------

/// Any zone of the bundled database.
fn zone() -> impl Strategy<Value = (String, TimeZone)> {
    prop::sample::select(zone_names()).prop_map(|name| {
        let zone = zone_by_name(&name).expect("a listed zone is found");
        (name, zone)
    })
}

/// A day from 1900 to 2100.
fn date() -> impl Strategy<Value = Date> {
    (0..73_000i32).prop_map(|n| jiff::civil::date(1900, 1, 1) + n.days())
}

fn minute() -> impl Strategy<Value = i32> {
    0..1440i32
}

/// The instant of a wall time in `zone`, when the clocks show it exactly once (not skipped, not repeated).
fn wall(zone: &TimeZone, date: Date, minute: i32) -> Option<Timestamp> {
    let dt: DateTime = date.at((minute / 60) as i8, (minute % 60) as i8, 0, 0);
    zone.to_ambiguous_timestamp(dt).unambiguous().ok()
}

/// A moment as a file gives it: a day, or an instant (a wall time of the zone).
fn moment() -> impl Strategy<Value = (Date, Option<i32>)> {
    (date(), prop::option::of(minute()))
}

fn as_moment(zone: &TimeZone, (date, minute): (Date, Option<i32>)) -> Option<Moment> {
    match minute {
        None => Some(Moment::Day(date)),
        Some(m) => wall(zone, date, m).map(Moment::At),
    }
}

/// What a bound says of a wall time: for a day, any wall time of that day is inside and any of the day
/// before (as a start) or after (as an end) outside; for an instant, itself and the nanosecond before.
fn check_bounds(
    time: &KnownTime,
    from: Moment,
    to: Moment,
    zone: &TimeZone,
    probe: i32,
) -> Result<(), TestCaseError> {
    let ns = SignedDuration::from_nanos(1);
    match from {
        Moment::Day(d) => {
            if let Some(t) = wall(zone, d, probe) {
                prop_assert!(time.covers(t), "{time}: {t} on its first day");
            }
            if let Some(t) = d.yesterday().ok().and_then(|y| wall(zone, y, probe)) {
                prop_assert!(!time.covers(t), "{time}: {t} the day before");
            }
        }
        Moment::At(t) => {
            prop_assert!(time.covers(t), "{time}: its start {t}");
            prop_assert!(!time.covers(t - ns), "{time}: before its start {t}");
        }
    }
    // A last day that is also the day of an instant start is covered from that instant on.
    let start = match from {
        Moment::At(s) => Some(s),
        Moment::Day(_) => None,
    };
    match to {
        Moment::Day(d) => {
            if let Some(t) = wall(zone, d, probe).filter(|t| start.is_none_or(|s| *t >= s)) {
                prop_assert!(time.covers(t), "{time}: {t} on its last day");
            }
            if let Some(t) = d.tomorrow().ok().and_then(|y| wall(zone, y, probe)) {
                prop_assert!(!time.covers(t), "{time}: {t} the day after");
            }
        }
        Moment::At(t) => {
            prop_assert!(!time.covers(t), "{time}: its end {t} is exclusive");
            prop_assert!(time.covers(t - ns), "{time}: just before its end {t}");
        }
    }
    Ok(())
}

/// Whether a day exists in a zone (Pacific/Apia skipped 30 December 2011).
fn day_exists(zone: &TimeZone, d: Date) -> bool {
    d.to_zoned_datetime(zone.clone())
        .is_ok_and(|z| z.date() == d)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn an_instant_covers_itself_only((name, zone) in zone(), d in date(), m in minute()) {
        let Some(t) = wall(&zone, d, m) else { return Ok(()) };
        let time = KnownTime::new(When::At(t), name, zone);
        prop_assert!(time.is_ok(), "{time:?}");
        let time = time.unwrap_or_else(|_| unreachable!());
        prop_assert_eq!((time.start, time.end), (Some(t), Some(t)));
        prop_assert!(time.covers(t));
        prop_assert!(!time.covers(t + SignedDuration::from_nanos(1)));
    }

    #[test]
    fn a_day_covers_its_wall_times_and_no_others((name, zone) in zone(), d in date(), probe in minute()) {
        let time = KnownTime::new(When::Day(d), name, zone.clone());
        if !day_exists(&zone, d) {
            prop_assert!(matches!(time, Err(TimeError::EndBeforeStart { .. })), "{d} does not exist: {time:?}");
            return Ok(());
        }
        prop_assert!(time.is_ok(), "{d}: {time:?}");
        let time = time.unwrap_or_else(|_| unreachable!());
        prop_assert!(time.start < time.end);
        check_bounds(&time, Moment::Day(d), Moment::Day(d), &zone, probe)?;
    }

    #[test]
    fn a_part_of_a_day_covers_its_hours(
        (name, zone) in zone(),
        d in date(),
        part in prop::sample::select(DayPart::ALL.to_vec()),
        probe in 0..360i32,
    ) {
        let time = KnownTime::new(When::PartOfDay(d, part), name, zone.clone());
        let (from, to) = part.hours();
        let inside = wall(&zone, d, i32::from(from) * 60 + probe % (i32::from(to - from) * 60));
        let Ok(time) = time else {
            // Only when the clocks skip the whole part (a day that does not exist).
            prop_assert!(!day_exists(&zone, d), "{d} {part:?}: {time:?}");
            return Ok(());
        };
        prop_assert!(time.start < time.end, "{time}");
        if let Some(t) = inside {
            prop_assert!(time.covers(t), "{time}: {t}");
        }
        let before = wall(&zone, d, i32::from(from) * 60 - 1 - probe % 60);
        if let (Some(t), true) = (before, from > 0) {
            prop_assert!(!time.covers(t), "{time}: {t} is before the part");
        }
        let after = if to < 24 { wall(&zone, d, i32::from(to) * 60 + probe % 60) } else {
            d.tomorrow().ok().and_then(|t| wall(&zone, t, probe % 60))
        };
        if let Some(t) = after {
            prop_assert!(!time.covers(t), "{time}: {t} is after the part");
        }
    }

    /// A range or a window from one bound to the other (each a day or an instant): accepted exactly when
    /// its end comes after its start, and then covering what its bounds say.
    #[test]
    fn ranges_and_windows_cover_their_bounds(
        (name, zone) in zone(),
        from in moment(),
        to in moment(),
        window in any::<bool>(),
        probe in minute(),
    ) {
        let (Some(from), Some(to)) = (as_moment(&zone, from), as_moment(&zone, to)) else { return Ok(()) };
        let when = if window {
            When::Window { earliest: from, latest: to }
        } else {
            When::Between { from, to }
        };
        let first = match from {
            Moment::Day(d) => d.to_zoned_datetime(zone.clone()).map(|z| z.timestamp()),
            Moment::At(t) => Ok(t),
        };
        let last = match to {
            Moment::Day(d) => d.tomorrow().and_then(|n| n.to_zoned_datetime(zone.clone())).map(|z| z.timestamp()),
            Moment::At(t) => Ok(t),
        };
        let (Ok(first), Ok(last)) = (first, last) else { return Ok(()) };
        let time = KnownTime::new(when, name, zone.clone());
        if last <= first {
            prop_assert!(matches!(time, Err(TimeError::EndBeforeStart { .. })), "{when:?}: {time:?}");
            return Ok(());
        }
        prop_assert!(time.is_ok(), "{when:?}: {time:?}");
        let time = time.unwrap_or_else(|_| unreachable!());
        prop_assert!(time.start < time.end);
        let skipped = |m: Moment| matches!(m, Moment::Day(d) if !day_exists(&zone, d));
        if !skipped(from) && !skipped(to) {
            check_bounds(&time, from, to, &zone, probe)?;
        }
    }

    /// Something ongoing has no end; since a known day or instant it starts there, and it may not start
    /// after the day it was reported.
    #[test]
    fn ongoing_times_run_from_their_start_without_end(
        (name, zone) in zone(),
        since in prop::option::of(moment()),
        as_of in date(),
        probe in minute(),
    ) {
        let since = match since {
            None => None,
            Some(m) => match as_moment(&zone, m) {
                None => return Ok(()),
                some => some,
            },
        };
        let time = KnownTime::new(When::Ongoing { since, as_of }, name, zone.clone());
        let Some(since) = since else {
            prop_assert!(time.is_ok(), "{time:?}");
            let time = time.unwrap_or_else(|_| unreachable!());
            prop_assert_eq!((time.start, time.end), (None, None));
            return Ok(());
        };
        let first = match since {
            Moment::Day(d) => d.to_zoned_datetime(zone.clone()).map(|z| z.timestamp()),
            Moment::At(t) => Ok(t),
        };
        let reported = as_of.tomorrow().and_then(|n| n.to_zoned_datetime(zone.clone())).map(|z| z.timestamp());
        let (Ok(first), Ok(reported)) = (first, reported) else { return Ok(()) };
        if reported < first {
            prop_assert!(matches!(time, Err(TimeError::EndBeforeStart { .. })), "{time:?}");
            return Ok(());
        }
        prop_assert!(time.is_ok(), "{time:?}");
        let time = time.unwrap_or_else(|_| unreachable!());
        prop_assert_eq!((time.start, time.end), (Some(first), None));
        prop_assert!(time.covers(first) && time.covers(reported));
        if let Moment::Day(d) = since
            && let Some(t) = wall(&zone, d, probe)
        {
            prop_assert!(time.covers(t), "{time}: {t}");
        }
    }
}
