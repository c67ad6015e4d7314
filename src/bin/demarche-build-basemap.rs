//! Rebuilds the embedded basemap in `data/basemap/` from Natural Earth as packaged by npm `world-atlas`.
//! Run through `data/build-basemap.sh`, which fetches the pinned packages and checks their integrity.
//!
//! - `world-50m.dtopo` and `world-10m.dtopo`: Natural Earth admin-0 countries of the whole world at 1:50m and
//!   at 1:10m, world-atlas's quantised shared arcs and countries as they are, written in the compact format
//!   of [`demarche::basemap::compact`] with each country's ISO 3166-1 alpha-2 code beside its name.
//! - `countries.tsv`: `alpha-2 <TAB> numeric <TAB> name` for every ISO 3166-1 country: its Natural Earth name
//!   where the map has it (the name the map shows), else its ISO name.
//!
//! Usage: `demarche-build-basemap WORLD_ATLAS_DIR ISO_CODES_JSON OUT_DIR`, where `ISO_CODES_JSON` is an array
//! of `{"alpha2", "numeric", "country"}` (npm `iso-3166-1`'s table, written out by the script).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use demarche::basemap::compact::{CompactFeature, CompactTopology, encode};
use demarche::export::ExportError;
use demarche::export::output::write_atomic;
use demarche::geo_math::topology::ArcRef;
use serde_json::Value;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [atlas, iso, out] = args.as_slice() else {
        eprintln!("usage: demarche-build-basemap WORLD_ATLAS_DIR ISO_CODES_JSON OUT_DIR");
        return ExitCode::from(2);
    };
    match build(atlas, iso, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("demarche-build-basemap: {err}");
            ExitCode::FAILURE
        }
    }
}

/// An ISO 3166-1 country: numeric code and name, by alpha-2 code.
type IsoTable = BTreeMap<String, (String, String)>;

fn build(atlas: &Path, iso: &Path, out: &Path) -> Result<(), String> {
    let iso = read_iso(iso)?;
    let alpha2_of: BTreeMap<&str, &str> = iso
        .iter()
        .map(|(a2, (numeric, _))| (numeric.as_str(), a2.as_str()))
        .collect();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (file, out_name) in [
        ("countries-50m.json", "world-50m.dtopo"),
        ("countries-10m.json", "world-10m.dtopo"),
    ] {
        let text = std::fs::read_to_string(atlas.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let json: Value = serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
        let mut topology = convert(&json).map_err(|e| format!("{file}: {e}"))?;
        for f in &mut topology.features {
            f.iso_a2 =
                f.id.as_deref()
                    .and_then(|id| alpha2_of.get(id))
                    .map(|a2| (*a2).to_owned());
            if let (Some(a2), Some(name)) = (&f.iso_a2, &f.name) {
                names.insert(a2.clone(), name.clone());
            }
        }
        let points: usize = topology.arcs.iter().map(Vec::len).sum();
        eprintln!(
            "{out_name}: {} countries, {} arcs, {points} positions",
            topology.features.len(),
            topology.arcs.len()
        );
        write(&out.join(out_name), &encode(&topology))?;
    }
    let mut tsv = String::from(
        "# alpha-2\tnumeric\tname: Natural Earth's name where the map has the country, else ISO 3166-1's.\n\
         # Made by data/build-basemap.sh from world-atlas 2.0.2 (Natural Earth, public domain) and iso-3166-1\n\
         # 2.1.1 (MIT licence, Copyright (c) Daniel Eckermann).\n",
    );
    for (a2, (numeric, iso_name)) in &iso {
        let name = names.get(a2).unwrap_or(iso_name);
        tsv.push_str(&format!("{a2}\t{numeric}\t{name}\n"));
    }
    write(&out.join("countries.tsv"), tsv.as_bytes())
}

fn read_iso(path: &Path) -> Result<IsoTable, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let entries = json.as_array().ok_or("the ISO table is not an array")?;
    let mut table = IsoTable::new();
    for e in entries {
        let field = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
        let (Some(a2), Some(numeric), Some(name)) =
            (field("alpha2"), field("numeric"), field("country"))
        else {
            return Err(format!(
                "an ISO entry without alpha2, numeric or country: {e}"
            ));
        };
        table.insert(a2, (numeric, name));
    }
    Ok(table)
}

/// world-atlas's `countries` object with the arcs it uses (renumbered, absolute quantised positions).
fn convert(json: &Value) -> Result<CompactTopology, String> {
    let pair = |v: &Value| -> Option<[f64; 2]> { Some([v.get(0)?.as_f64()?, v.get(1)?.as_f64()?]) };
    let transform = json.get("transform").ok_or("no transform")?;
    let scale = transform.get("scale").and_then(pair).ok_or("no scale")?;
    let translate = transform
        .get("translate")
        .and_then(pair)
        .ok_or("no translate")?;
    let all_arcs = json
        .get("arcs")
        .and_then(Value::as_array)
        .ok_or("no arcs")?;
    let geometries = json
        .pointer("/objects/countries/geometries")
        .and_then(Value::as_array)
        .ok_or("no countries")?;

    let mut used: BTreeMap<usize, usize> = BTreeMap::new();
    let mut arcs = Vec::new();
    let mut reference = |i: i64| -> Result<ArcRef, String> {
        let (index, reversed) = if i < 0 { (!i, true) } else { (i, false) };
        let index = usize::try_from(index).map_err(|_| format!("bad arc {i}"))?;
        let next = used.len();
        let arc = *used.entry(index).or_insert(next);
        if arc == next {
            arcs.push(absolute(
                all_arcs.get(index).ok_or(format!("no arc {index}"))?,
            )?);
        }
        Ok(ArcRef { arc, reversed })
    };
    let mut features = Vec::new();
    for g in geometries {
        let polygons: Vec<&Value> = match g.get("type").and_then(Value::as_str) {
            Some("Polygon") => vec![g.get("arcs").ok_or("a polygon without arcs")?],
            Some("MultiPolygon") => g
                .get("arcs")
                .and_then(Value::as_array)
                .ok_or("a multipolygon without arcs")?
                .iter()
                .collect(),
            _ => continue,
        };
        let mut out = Vec::new();
        for polygon in polygons {
            let mut rings = Vec::new();
            for ring in polygon
                .as_array()
                .ok_or("a polygon is not a list of rings")?
            {
                let refs = ring.as_array().ok_or("a ring is not a list of arcs")?;
                let refs: Result<Vec<ArcRef>, String> = refs
                    .iter()
                    .map(|r| {
                        r.as_i64()
                            .ok_or("an arc index is not an integer".to_owned())
                    })
                    .map(|r| r.and_then(&mut reference))
                    .collect();
                rings.push(refs?);
            }
            out.push(rings);
        }
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        features.push(CompactFeature {
            id: text(g.get("id")),
            name: text(g.pointer("/properties/name")),
            iso_a2: None,
            polygons: out,
        });
    }
    Ok(CompactTopology {
        scale,
        translate,
        arcs,
        features,
    })
}

/// A delta-encoded TopoJSON arc as absolute quantised positions.
fn absolute(arc: &Value) -> Result<Vec<[i32; 2]>, String> {
    let mut p = [0i64; 2];
    arc.as_array()
        .ok_or("an arc is not a list")?
        .iter()
        .map(|d| {
            let dx = d.get(0).and_then(Value::as_i64);
            let dy = d.get(1).and_then(Value::as_i64);
            let (Some(dx), Some(dy)) = (dx, dy) else {
                return Err(format!("an arc position is not two integers: {d}"));
            };
            p = [p[0] + dx, p[1] + dy];
            match (i32::try_from(p[0]), i32::try_from(p[1])) {
                (Ok(x), Ok(y)) => Ok([x, y]),
                _ => Err(format!("an arc position is out of range: {p:?}")),
            }
        })
        .collect()
}

/// Writes a file atomically, through the project's writer (a temporary file beside it, renamed into place).
fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_atomic(path, |out| {
        std::io::Write::write_all(out, bytes).map_err(|source| ExportError::Io {
            path: path.to_owned(),
            source,
        })
    })
    .map_err(|e| e.to_string())?;
    eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}
