//! Rebuilds the embedded basemap in `data/basemap/` from Natural Earth as packaged by npm `world-atlas`.
//! Run through `data/build-basemap.sh`, which fetches the pinned package and checks its integrity.
//!
//! - `world-50m.geojson`: Natural Earth admin-0 countries at 1:50m outside the region, the world layer.
//! - `region-10m.geojson`: the 1:10m countries clipped to the scenario region with a margin. Each country is
//!   split at the antimeridian, repaired (the quantised 10m rings self-intersect), then clipped: clipping
//!   unrepaired rings is what makes tools drop whole countries (Saudi Arabia with GDAL's `-clipsrc`).
//!
//! Usage: `demarche-build-basemap WORLD_ATLAS_DIR OUT_DIR`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use demarche::basemap::region::{clip_to_region, region};
use demarche::geo_math::antimeridian::split_multi_polygon;
use demarche::io::geojson::to_feature_collection;
use demarche::io::topojson::parse_topojson_objects;
use demarche::model::map::{Feature, Layer};
use geo::{Geometry, MultiPolygon};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [atlas, out] = args.as_slice() else {
        eprintln!("usage: demarche-build-basemap WORLD_ATLAS_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match build(atlas, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("demarche-build-basemap: {err}");
            ExitCode::FAILURE
        }
    }
}

fn build(atlas: &Path, out: &Path) -> Result<(), String> {
    let read =
        |name: &str| std::fs::read_to_string(atlas.join(name)).map_err(|e| format!("{name}: {e}"));
    let world = read("countries-50m.json")?;
    let world = parse_topojson_objects("countries-50m.json", &world, &["countries"])
        .map_err(|r| r.to_lines().join("\n"))?;
    let detailed = read("countries-10m.json")?;
    let detailed = parse_topojson_objects("countries-10m.json", &detailed, &["countries"])
        .map_err(|r| r.to_lines().join("\n"))?;

    let world = collection(&world.layer.features, |mp| outside_region(mp, region()));
    eprintln!(
        "world-50m: {} countries outside the region",
        world.features.len()
    );
    write(&out.join("world-50m.geojson"), &world)?;
    let region_layer = collection(&detailed.layer.features, |mp| clip_to_region(mp, region()));
    eprintln!(
        "region-10m: {} countries in the region",
        region_layer.features.len()
    );
    write(&out.join("region-10m.geojson"), &region_layer)
}

/// The countries' polygons after `cut`, as GeoJSON features with their name and numeric ISO code.
fn collection(
    features: &[Feature],
    cut: impl Fn(&MultiPolygon<f64>) -> MultiPolygon<f64>,
) -> geojson::FeatureCollection {
    let mut layer = Layer::default();
    for feature in features {
        let polygons: MultiPolygon<f64> = match &feature.geometry {
            Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
            Some(Geometry::MultiPolygon(mp)) => mp.clone(),
            _ => continue,
        };
        // Split at the antimeridian first: the overlay treats a ring's jump from 180 to -180 as an edge
        // across the whole world (Russia, Fiji, Antarctica) and would make nonsense of it.
        let kept = cut(&split_multi_polygon(&polygons));
        if kept.0.is_empty() {
            continue;
        }
        let mut properties = feature.properties.clone();
        if let Some(id) = &feature.id {
            properties.insert("iso_n3".to_owned(), serde_json::Value::from(id.clone()));
        }
        let geometry = Geometry::MultiPolygon(round(&kept));
        layer
            .features
            .push(Feature::new(feature.id.clone(), properties, Some(geometry)));
    }
    to_feature_collection(&layer)
}

/// Repairs, then removes the region from, a country's polygons.
fn outside_region(polygons: &MultiPolygon<f64>, rect: geo::Rect<f64>) -> MultiPolygon<f64> {
    use geo::BooleanOps as _;
    let repaired = polygons.union(&MultiPolygon::<f64>::new(Vec::new()));
    repaired.difference(&MultiPolygon(vec![geo::Polygon::from(rect)]))
}

/// Rounds coordinates to 1e-5 degrees (about a metre): finer than 1:10m data, and a smaller file.
fn round(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::MapCoords as _;
    mp.map_coords(|c| geo::coord! { x: (c.x * 1e5).round() / 1e5, y: (c.y * 1e5).round() / 1e5 })
}

/// Writes a collection atomically: to a temporary file beside it, then renamed into place.
fn write(path: &Path, collection: &geojson::FeatureCollection) -> Result<(), String> {
    let text = serde_json::to_string(collection).map_err(|e| e.to_string())?;
    let bytes = text.as_bytes();
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}
