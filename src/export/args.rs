//! The values of `demarche export`'s arguments, each parsed and checked as it is read (a usage error names
//! the argument's problem before any work): sizes, scales, times, zones, durations, boxes, centres, zoom
//! levels and the spots of the decorations. The command line (`cli`) hands these to clap.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::Zone;
use crate::model::time::{zone_by_name, zone_names};
use crate::render::raster::MAX_SIDE_PX;
use crate::scene::view;

/// A time as written on the command line: a moment, or a date alone, whose start or end is read in the
/// export's zone (`--tz`) once that is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeArg {
    At(Timestamp),
    Day(Date),
}

impl TimeArg {
    /// The moment as a start: a date is its first instant in `zone`.
    pub fn start_in(self, zone: &TimeZone) -> Result<Timestamp, String> {
        match self {
            Self::At(t) => Ok(t),
            Self::Day(d) => day_start(d, zone),
        }
    }

    /// The moment as an end: a date counts in full, to the first instant of the next day in `zone`.
    pub fn end_in(self, zone: &TimeZone) -> Result<Timestamp, String> {
        match self {
            Self::At(t) => Ok(t),
            Self::Day(d) => {
                let next = d.tomorrow().map_err(|e| format!("{d}: {e}"))?;
                day_start(next, zone)
            }
        }
    }
}

fn day_start(date: Date, zone: &TimeZone) -> Result<Timestamp, String> {
    date.to_zoned_datetime(zone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| format!("{date}: {e}"))
}

/// A moment: RFC 3339 with `Z` or an offset (`2026-01-31T21:30:00+03:30`), or a date alone (`2026-01-31`:
/// the start of that day, or its end for `--to`, in the zone of `--tz`).
pub fn parse_time(text: &str) -> Result<TimeArg, String> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(TimeArg::At(t));
    }
    let has_time = text.contains(['T', 't', ' ']);
    if has_time && text.parse::<jiff::civil::DateTime>().is_ok() {
        return Err(format!(
            "`{text}` has no zone: add `Z` for UTC or an offset such as `+03:30` (e.g. 2026-01-31T18:00:00Z)"
        ));
    }
    if !has_time && let Ok(date) = text.parse::<Date>() {
        return Ok(TimeArg::Day(date));
    }
    Err(format!(
        "`{text}` is not a time: write RFC 3339 (2026-01-31T18:00:00Z, 2026-01-31T21:30:00+03:30) or a date (2026-01-31, the day in the zone of --tz)"
    ))
}

/// The regions of the IANA names that name places today (not the `Etc/` or the old `US/` aliases).
const REGIONS: [&str; 9] = [
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
];

/// A name as the zone picker compares it: lower case, spaces and dashes as underscores.
fn key(name: &str) -> String {
    name.trim().to_lowercase().replace([' ', '-'], "_")
}

/// The city part of an IANA name: `New_York` of `America/New_York`.
fn city(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// A time zone by its IANA name (`Asia/Tehran`, any case) or by its city, as the app's zone picker finds
/// it (`Tehran`, `new york`, `Buenos Aires`); `UTC`. A city in several regions takes the first (they
/// are aliases of one zone: `Istanbul` is `Asia/Istanbul` and `Europe/Istanbul`); a part of a name that
/// several zones share is refused with them listed.
pub fn parse_zone(text: &str) -> Result<Zone, String> {
    let text = text.trim();
    let found = |name: &str| {
        zone_by_name(name).map(|zone| Zone {
            name: name.to_owned(),
            zone,
        })
    };
    if text.eq_ignore_ascii_case("utc") || text.eq_ignore_ascii_case("z") {
        return Ok(Zone::utc());
    }
    let names = zone_names();
    let needle = key(text);
    if !needle.is_empty() {
        let places = || {
            names
                .iter()
                .filter(|n| REGIONS.iter().any(|r| n.starts_with(r)))
        };
        let by_name = names.iter().find(|n| key(n) == needle);
        let by_city = || places().find(|n| key(city(n)) == needle);
        if let Some(zone) = by_name.or_else(by_city).and_then(|n| found(n)) {
            return Ok(zone);
        }
        let partial: Vec<&String> = places().filter(|n| key(n).contains(&needle)).collect();
        match partial.as_slice() {
            [one] => {
                if let Some(zone) = found(one) {
                    return Ok(zone);
                }
            }
            [] => {}
            many => {
                let shown: Vec<&str> = many.iter().take(6).map(|n| n.as_str()).collect();
                let more = if many.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                };
                return Err(format!(
                    "`{text}` matches {} time zones ({}{more}): write one of them",
                    many.len(),
                    shown.join(", ")
                ));
            }
        }
    }
    let cities: Vec<String> = names.iter().map(|n| city(n).replace('_', " ")).collect();
    let hint = crate::diagnostics::did_you_mean(
        text,
        names
            .iter()
            .map(String::as_str)
            .chain(cities.iter().map(String::as_str)),
    )
    .map_or_else(String::new, |h| format!(" ({h})"));
    Err(format!(
        "`{text}` is not a time zone{hint}: write a city (Tehran, New York) or an IANA name (Europe/Istanbul), or UTC"
    ))
}

/// `1920x1080`: width and height in points, each 1 to 16384.
pub fn parse_size(text: &str) -> Result<[f32; 2], String> {
    let bad = || format!("`{text}` is not a size: write WIDTHxHEIGHT, e.g. 1920x1080");
    let (w, h) = text.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let (w, h) = (
        w.trim().parse::<u32>().map_err(|_| bad())?,
        h.trim().parse::<u32>().map_err(|_| bad())?,
    );
    if w == 0 || h == 0 || w > MAX_SIDE_PX || h > MAX_SIDE_PX {
        return Err(format!(
            "{w}x{h}: each side must be 1 to {MAX_SIDE_PX} pixels"
        ));
    }
    Ok([w as f32, h as f32])
}

/// A scale: pixels per point, more than 0 and at most 16.
pub fn parse_scale(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 16.0 => Ok(s),
        _ => Err(format!(
            "`{text}` is not a scale: a number of pixels per point, more than 0 and at most 16 (e.g. 2)"
        )),
    }
}

/// A duration: `10s`, `1m 30s`, `500ms`, or a number of seconds.
pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<f64>() {
        return SignedDuration::try_from_secs_f64(secs)
            .map_err(|_| format!("`{text}` is not a duration"));
    }
    text.parse::<SignedDuration>()
        .map_err(|_| format!("`{text}` is not a duration: write e.g. 10s, 1m30s or 500ms"))
}

fn numbers<const N: usize>(text: &str, what: &str) -> Result<[f64; N], String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let values: Vec<f64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if parts.len() != N || values.len() != N || values.iter().any(|v| !v.is_finite()) {
        return Err(format!("`{text}` is not {what}"));
    }
    let mut out = [0.0; N];
    out.copy_from_slice(&values);
    Ok(out)
}

/// `W,S,E,N` in degrees.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let b = numbers::<4>(
        text,
        "a box: write WEST,SOUTH,EAST,NORTH in degrees, e.g. 26,34,45,42",
    )?;
    if !(-180.0..=180.0).contains(&b[0]) || !(-180.0..=180.0).contains(&b[2]) {
        return Err(format!("`{text}`: longitudes must be from -180 to 180"));
    }
    if !(-90.0..=90.0).contains(&b[1]) || !(-90.0..=90.0).contains(&b[3]) || b[1] >= b[3] {
        return Err(format!(
            "`{text}`: latitudes must be from -90 to 90, south below north"
        ));
    }
    Ok(b)
}

/// `LON,LAT` in degrees.
pub fn parse_center(text: &str) -> Result<[f64; 2], String> {
    let c = numbers::<2>(
        text,
        "a centre: write LONGITUDE,LATITUDE in degrees, e.g. 32.85,39.93",
    )?;
    if !(-180.0..=180.0).contains(&c[0]) || !(-90.0..=90.0).contains(&c[1]) {
        return Err(format!(
            "`{text}`: the longitude must be from -180 to 180 and the latitude from -90 to 90"
        ));
    }
    Ok(c)
}

/// A web-map zoom level, 0 to 15.
pub fn parse_zoom(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(z) if view::ZOOM_RANGE.contains(&z) => Ok(z),
        _ => Err(format!(
            "`{text}` is not a zoom level: {} (the whole world) to {} (streets)",
            view::ZOOM_RANGE.start(),
            view::ZOOM_RANGE.end()
        )),
    }
}

/// Where a decoration goes: `auto` (where it covers least of the map) or a spot (`top-left`, `bottom`,
/// `ne`...).
pub fn parse_place(text: &str) -> Result<super::Place, String> {
    if text.trim().eq_ignore_ascii_case("auto") {
        return Ok(super::Place::Auto);
    }
    text.parse::<super::Spot>()
        .map(super::Place::At)
        .map_err(|e| format!("{e}, or auto"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_sides_are_checked() {
        assert_eq!(parse_size("1920x1080"), Ok([1920.0, 1080.0]));
        assert!(
            parse_size("0x100")
                .expect_err("zero")
                .contains("1 to 16384")
        );
        assert!(
            parse_size("16385x10")
                .expect_err("big")
                .contains("1 to 16384")
        );
        assert!(
            parse_size("1920")
                .expect_err("no x")
                .contains("WIDTHxHEIGHT")
        );
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn times_are_rfc3339_with_a_zone_or_days_read_in_the_zone() {
        let t = |s: &str| parse_time(s).expect("parses");
        assert_eq!(t("2026-01-31T21:30:00+03:30"), t("2026-01-31T18:00:00Z"));
        let tehran = parse_zone("Tehran").expect("zone").zone;
        let day = t("2025-04-12");
        assert_eq!(day.start_in(&tehran), Ok(ts("2025-04-11T20:30:00Z")));
        assert_eq!(day.end_in(&tehran), Ok(ts("2025-04-12T20:30:00Z")));
        assert_eq!(day.start_in(&TimeZone::UTC), Ok(ts("2025-04-12T00:00:00Z")));
        // A moment is the same whatever the zone.
        let at = t("2026-01-31T18:00:00Z");
        assert_eq!(at.start_in(&tehran), at.end_in(&TimeZone::UTC));
        assert!(
            parse_time("2026-01-31T18:00")
                .expect_err("no zone")
                .contains("no zone")
        );
        assert!(
            parse_time("tomorrow")
                .expect_err("bad")
                .contains("not a time")
        );
    }

    #[test]
    fn zones_are_found_by_city_as_the_zone_picker_finds_them() {
        let name = |s: &str| parse_zone(s).map(|z| z.name);
        assert_eq!(name("Tehran").as_deref(), Ok("Asia/Tehran"));
        assert_eq!(name("tehran").as_deref(), Ok("Asia/Tehran"));
        assert_eq!(name("New York").as_deref(), Ok("America/New_York"));
        assert_eq!(name("new_york").as_deref(), Ok("America/New_York"));
        assert_eq!(name("asia/tehran").as_deref(), Ok("Asia/Tehran"));
        assert_eq!(
            name("Buenos Aires").as_deref(),
            Ok("America/Argentina/Buenos_Aires")
        );
        assert_eq!(name("utc").as_deref(), Ok("UTC"));
        // A part of a name only one zone has.
        assert_eq!(name("Port-au").as_deref(), Ok("America/Port-au-Prince"));
        let typo = parse_zone("Teheran").expect_err("typo");
        assert!(
            typo.contains("did you mean") && typo.contains("Tehran"),
            "{typo}"
        );
        let many = parse_zone("America/North").expect_err("ambiguous");
        assert!(
            many.contains("matches") && many.contains("America/North_Dakota"),
            "{many}"
        );
    }

    #[test]
    fn zones_boxes_and_centres_are_checked() {
        assert_eq!(parse_zone("Asia/Tehran").expect("zone").name, "Asia/Tehran");
        assert!(
            parse_zone("Asia/Teheran")
                .expect_err("typo")
                .contains("Asia/Tehran")
        );
        assert_eq!(parse_place("auto"), Ok(super::super::Place::Auto));
        assert_eq!(
            parse_place("bottom-left"),
            Ok(super::super::Place::At(super::super::Spot::BottomLeft))
        );
        assert!(parse_place("middle").expect_err("bad").contains("or auto"));
        assert_eq!(parse_bbox("26,34,45,42"), Ok([26.0, 34.0, 45.0, 42.0]));
        assert!(parse_bbox("26,42,45,34").is_err());
        assert!(parse_bbox("26,34,45").is_err());
        assert_eq!(parse_center("32.85,39.93"), Ok([32.85, 39.93]));
        assert!(parse_center("200,0").is_err());
        assert!(parse_zoom("16").is_err());
        assert_eq!(parse_duration("10s"), Ok(SignedDuration::from_secs(10)));
        assert_eq!(parse_duration("2.5"), Ok(SignedDuration::from_millis(2500)));
        assert!(parse_duration("ten").is_err());
    }
}
