//! The graticule (meridians and parallels, labelled at the edges) and the scale bar.

use super::{Anchor, Item, Pt, SceneLayer, Theme};
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;

/// Lines are at least this far apart on screen.
const MIN_SPACING_PT: f64 = 90.0;
const STEPS_DEG: [f64; 10] = [0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0];
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The step between graticule lines at the camera's scale.
pub fn step_deg(camera: &Camera) -> f64 {
    let pt_per_deg = camera.scale * std::f64::consts::PI / 180.0;
    STEPS_DEG
        .iter()
        .copied()
        .find(|s| s * pt_per_deg >= MIN_SPACING_PT)
        .unwrap_or(90.0)
}

/// The longitude and latitude range on screen (the whole globe when part of the view cannot be unprojected).
fn visible_lon_lat(projection: &Projection, camera: &Camera) -> ([f64; 2], [f64; 2]) {
    let v = camera.viewport;
    let mut lon = [f64::INFINITY, f64::NEG_INFINITY];
    let mut lat = [f64::INFINITY, f64::NEG_INFINITY];
    let n = 16;
    for i in 0..=n {
        let t = i as f32 / n as f32;
        let x = v.min[0] + t * v.width();
        let y = v.min[1] + t * v.height();
        for p in [
            [x, v.min[1]],
            [x, v.max[1]],
            [v.min[0], y],
            [v.max[0], y],
            v.center(),
        ] {
            match projection.unproject(camera.world_from_screen(p)) {
                Some((lo, la)) => {
                    let rel = projection.relative_lon(lo);
                    lon = [lon[0].min(rel), lon[1].max(rel)];
                    lat = [lat[0].min(la), lat[1].max(la)];
                }
                None => return ([-180.0, 180.0], [-90.0, 90.0]),
            }
        }
    }
    // The screen's edges may not reach the extremes (a conic's curved parallels): add a margin.
    let pad_lon = (lon[1] - lon[0]) * 0.25 + 1.0;
    let pad_lat = (lat[1] - lat[0]) * 0.25 + 1.0;
    (
        [
            (lon[0] - pad_lon).max(-180.0),
            (lon[1] + pad_lon).min(180.0),
        ],
        [(lat[0] - pad_lat).max(-90.0), (lat[1] + pad_lat).min(90.0)],
    )
}

fn label_lon(lon: f64) -> String {
    let l = crate::geo_math::projection::wrap_lon(lon);
    let hemisphere = if l < 0.0 {
        "W"
    } else if l > 0.0 && l < 180.0 {
        "E"
    } else {
        ""
    };
    format!("{}°{hemisphere}", trim(l.abs()))
}

fn label_lat(lat: f64) -> String {
    let hemisphere = if lat < 0.0 {
        "S"
    } else if lat > 0.0 {
        "N"
    } else {
        ""
    };
    format!("{}°{hemisphere}", trim(lat.abs()))
}

fn trim(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    }
}

/// Meridians and parallels over the visible part of the map, labelled along the left and bottom edges.
pub fn graticule(projection: &Projection, camera: &Camera, theme: &Theme) -> SceneLayer {
    let mut layer = SceneLayer::new("graticule");
    let step = step_deg(camera);
    let (lon_range, lat_range) = visible_lon_lat(projection, camera);
    let sample = (step / 8.0).min(1.0);
    let central = projection.central_lon();
    let v = camera.viewport;
    let first = |lo: f64| (lo / step).floor() * step;

    // Meridians, in absolute longitude so labels fall on round numbers.
    let mut lon = first(lon_range[0] + central);
    while lon <= lon_range[1] + central + 1e-9 {
        let rel = projection.relative_lon(lon);
        let mut points: Vec<Pt> = Vec::new();
        let mut lat = lat_range[0].max(-89.0);
        while lat <= lat_range[1].min(89.0) + 1e-9 {
            if let Some(w) = projection.project_relative(rel, lat) {
                points.push(camera.screen_from_world(w));
            }
            lat += sample;
        }
        if let Some(label_at) = crossing(&points, |p| p[1], v.max[1] - 4.0) {
            layer
                .items
                .push(text(label_at, label_lon(lon), theme, Anchor::CenterBottom));
        }
        push_lines(&mut layer, &points, camera, theme);
        lon += step;
    }
    // Parallels.
    let mut lat = first(lat_range[0]).max(-90.0 + step);
    while lat <= lat_range[1] && lat < 90.0 {
        let mut points: Vec<Pt> = Vec::new();
        let mut rel = lon_range[0];
        while rel <= lon_range[1] + 1e-9 {
            if let Some(w) = projection.project_relative(rel, lat) {
                points.push(camera.screen_from_world(w));
            }
            rel += sample;
        }
        if let Some(label_at) = crossing(&points, |p| p[0], v.min[0] + 4.0) {
            layer
                .items
                .push(text(label_at, label_lat(lat), theme, Anchor::LeftCenter));
        }
        push_lines(&mut layer, &points, camera, theme);
        lat += step;
    }
    layer
}

/// A line's points reach well beyond the view (its range of degrees is padded, and a conic's meridians
/// fan out): only its segments that meet the view, widened by this many points (more than the line's
/// width and its anti-aliasing), are drawn. The picture is the same; a frame has half the triangles to
/// draw, which a software renderer sets up one by one.
const LINE_MARGIN_PT: f32 = 4.0;

/// The parts of the line through `points` that meet the view (see [`LINE_MARGIN_PT`]), each as a line.
fn push_lines(layer: &mut SceneLayer, points: &[Pt], camera: &Camera, theme: &Theme) {
    for run in runs_within(points, &camera.viewport, LINE_MARGIN_PT) {
        layer.items.push(line(run.to_vec(), theme));
    }
}

/// The runs of `points` whose segments meet `rect` widened by `margin`: a segment is kept when its box
/// does, and segments that follow each other make one run.
fn runs_within<'a>(
    points: &'a [Pt],
    rect: &crate::geo_math::camera::ScreenRect,
    margin: f32,
) -> Vec<&'a [Pt]> {
    let meets = |a: &Pt, b: &Pt| {
        a[0].max(b[0]) >= rect.min[0] - margin
            && a[0].min(b[0]) <= rect.max[0] + margin
            && a[1].max(b[1]) >= rect.min[1] - margin
            && a[1].min(b[1]) <= rect.max[1] + margin
    };
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for (i, w) in points.windows(2).enumerate() {
        match (meets(&w[0], &w[1]), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(&points[s..=i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(&points[s..]);
    }
    runs
}

/// Where a polyline crosses `value` along one axis, if it does.
fn crossing(points: &[Pt], axis: impl Fn(&Pt) -> f32, value: f32) -> Option<Pt> {
    points.windows(2).find_map(|w| {
        let (a, b) = (axis(&w[0]), axis(&w[1]));
        if (a - value) * (b - value) <= 0.0 && a != b {
            let t = (value - a) / (b - a);
            Some([
                w[0][0] + t * (w[1][0] - w[0][0]),
                w[0][1] + t * (w[1][1] - w[0][1]),
            ])
        } else {
            None
        }
    })
}

fn line(points: Vec<Pt>, theme: &Theme) -> Item {
    Item::Polyline {
        points,
        width: 0.6,
        color: theme.graticule,
        dash: None,
    }
}

fn text(pos: Pt, text: String, theme: &Theme, anchor: Anchor) -> Item {
    Item::Text {
        pos,
        text,
        size: 10.0,
        color: theme.graticule_label,
        anchor,
    }
}

/// A scale bar at the bottom left: a round distance (1, 2 or 5 times a power of ten, in km) at most
/// `max_len_pt` long, measured at the centre of the view.
pub fn scale_bar(
    projection: &Projection,
    camera: &Camera,
    theme: &Theme,
    max_len_pt: f32,
) -> Option<SceneLayer> {
    let (lon, lat) = projection.unproject(camera.center)?;
    let world_per_radian = projection.local_scale(lon, lat)?;
    let pt_per_km = camera.scale * world_per_radian / EARTH_RADIUS_KM;
    if !(pt_per_km.is_finite() && pt_per_km > 0.0) {
        return None;
    }
    let max_km = f64::from(max_len_pt) / pt_per_km;
    let magnitude = 10f64.powf(max_km.log10().floor());
    let km = [5.0, 2.0, 1.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&d| d <= max_km)
        .unwrap_or(magnitude);
    let len = (km * pt_per_km) as f32;
    let v = camera.viewport;
    let x0 = v.min[0] + 16.0;
    let y = v.max[1] - 18.0;
    let mut layer = SceneLayer::new("scale-bar");
    let stroke = |points: Vec<Pt>| Item::Polyline {
        points,
        width: 1.5,
        color: theme.text,
        dash: None,
    };
    layer.items.push(stroke(vec![
        [x0, y - 5.0],
        [x0, y],
        [x0 + len, y],
        [x0 + len, y - 5.0],
    ]));
    let label = if km >= 1.0 {
        format!("{} km", trim(km))
    } else {
        format!("{} m", trim(km * 1000.0))
    };
    layer.items.push(Item::Text {
        pos: [x0 + len / 2.0, y - 4.0],
        text: label,
        size: 11.0,
        color: theme.text,
        anchor: Anchor::CenterBottom,
    });
    Some(layer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::camera::{ScreenRect, WorldRect};

    fn region_camera(projection: &Projection) -> Camera {
        let mut bounds = WorldRect::EMPTY;
        for (lon, lat) in [(20.0, 10.0), (65.0, 10.0), (20.0, 45.0), (65.0, 45.0)] {
            bounds.extend(projection.project(lon, lat).expect("projects"));
        }
        Camera::fit(bounds, ScreenRect::from_size(1600.0, 900.0), 10.0)
    }

    #[test]
    fn the_graticule_of_the_region_has_labelled_round_lines() {
        let projection = Projection::default();
        let camera = region_camera(&projection);
        let step = step_deg(&camera);
        assert!((2.0..=10.0).contains(&step), "step {step}");
        let layer = graticule(&projection, &camera, &Theme::light());
        let labels: Vec<&str> = layer
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(labels.contains(&"40°E"), "{labels:?}");
        assert!(labels.contains(&"30°N"), "{labels:?}");
    }

    /// The runs kept are exactly the segments that meet the widened rectangle, those that follow each
    /// other joined: a line that leaves the view and comes back is two lines, one wholly outside none.
    #[test]
    fn a_line_is_cut_to_the_segments_that_meet_the_view() {
        let rect = ScreenRect::from_size(100.0, 100.0);
        let points: Vec<Pt> = vec![
            [-50.0, 50.0],
            [-20.0, 50.0],
            [-2.0, 50.0],
            [50.0, 50.0],
            [150.0, 50.0],
            [180.0, 50.0],
            [200.0, 40.0],
            [150.0, -30.0],
            [50.0, -30.0],
            [-50.0, 150.0],
            [-60.0, 160.0],
        ];
        let runs = runs_within(&points, &rect, 4.0);
        assert_eq!(
            runs,
            [&points[1..5], &points[8..10]],
            "into the view and out; across a corner with both ends outside"
        );
        assert!(runs_within(&points[5..8], &rect, 4.0).is_empty());
        assert!(runs_within(&points[..1], &rect, 4.0).is_empty());
    }

    /// The graticule's lines keep only what meets the view (their range of degrees is padded beyond
    /// it): every segment kept meets the view, widened by the margin.
    #[test]
    fn the_graticule_keeps_only_the_segments_that_meet_the_view() {
        let projection = Projection::default();
        let camera = region_camera(&projection);
        let v = camera.viewport;
        let layer = graticule(&projection, &camera, &Theme::light());
        let lines: Vec<&Vec<Pt>> = layer
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Polyline { points, .. } => Some(points),
                _ => None,
            })
            .collect();
        assert!(lines.len() >= 10, "{} lines", lines.len());
        for line in &lines {
            assert!(line.len() >= 2);
            for w in line.windows(2) {
                let m = LINE_MARGIN_PT;
                assert!(
                    w[0][0].max(w[1][0]) >= v.min[0] - m
                        && w[0][0].min(w[1][0]) <= v.max[0] + m
                        && w[0][1].max(w[1][1]) >= v.min[1] - m
                        && w[0][1].min(w[1][1]) <= v.max[1] + m,
                    "a segment outside the view: {w:?}"
                );
            }
        }
        // And the lines are still drawn in it.
        let inside =
            |p: &Pt| (v.min[0]..=v.max[0]).contains(&p[0]) && (v.min[1]..=v.max[1]).contains(&p[1]);
        assert!(lines.iter().any(|l| l.iter().any(inside)));
    }

    #[test]
    fn the_scale_bar_shows_a_round_distance_that_fits() {
        let projection = Projection::default();
        let camera = region_camera(&projection);
        let bar = scale_bar(&projection, &camera, &Theme::light(), 150.0).expect("a scale bar");
        let label = bar
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .expect("label");
        // About 3,500 km across 1,600 points at 27°N: 150 points are a few hundred kilometres.
        assert!(
            ["200 km", "500 km", "100 km"].contains(&label.as_str()),
            "{label}"
        );
    }

    #[test]
    fn labels_name_hemispheres() {
        assert_eq!(label_lon(-77.0), "77°W");
        assert_eq!(label_lon(45.0), "45°E");
        assert_eq!(label_lat(-30.0), "30°S");
        assert_eq!(label_lat(0.0), "0°");
    }
}
