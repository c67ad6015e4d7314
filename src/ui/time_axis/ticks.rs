//! Where the axis's ticks go: local midnights and hours, in the zone times are shown in, spaced so that
//! their labels never crowd.

use jiff::Timestamp;
use jiff::tz::TimeZone;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
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
