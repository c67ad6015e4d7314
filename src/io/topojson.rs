//! Reading TopoJSON (a `Topology`: shared arcs, quantised and delta-encoded) into a map [`Layer`], and
//! exposing the decoded arcs so drawing code can simplify each shared border once.
//!
//! # Why not the `topojson` crate
//! It pins `geojson < 0.24` (this crate uses geojson 1) and converts through the generic geojson tree; the
//! format is small enough to decode here, with errors that say where (`objects.countries.geometries[12]
//! .arcs[0][1]`).
//!
//! # Decoding
//! With a `transform`, arc positions are integers, each a delta from the previous one; absolute positions are
//! `(x * scale[0] + translate[0], y * scale[1] + translate[1])`. Point coordinates are quantised but not
//! delta-encoded. An arc index `i >= 0` means arc `i`; a negative one, `~i` (that is `-i - 1`), means that
//! arc reversed. Arcs of a line or ring are joined dropping the first position of each arc after the first
//! (it repeats the last of the previous one).
//!
//! # Objects
//! Every object of the topology is loaded into the one layer, in name order; an object that is a
//! GeometryCollection gives one feature per member (as `topojson.feature` does). world-atlas files hold
//! `countries` and `land` (the union of the countries): pick objects with [`parse_topojson_objects`] or
//! [`DecodedTopology::to_layer`] when only some are wanted.

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Report};
use crate::geo_math::topology::ArcRef;
use crate::io::json::{
    Locator, Problem, Seg, from_str_noting_duplicates, sort_in_file_order, syntax_diagnostic,
    value_kind,
};
use crate::io::kept::echo;
use crate::model::map::LoadedLayer;
use crate::model::map::{Feature, Layer};

/// A geometry as arc references (lines and rings) or positions (points), before stitching.
#[derive(Clone, Debug, PartialEq)]
pub enum TopoGeometry {
    Null,
    Point([f64; 2]),
    MultiPoint(Vec<[f64; 2]>),
    LineString(Vec<ArcRef>),
    MultiLineString(Vec<Vec<ArcRef>>),
    /// Rings (the first is the outer one), each a list of arcs.
    Polygon(Vec<Vec<ArcRef>>),
    MultiPolygon(Vec<Vec<Vec<ArcRef>>>),
    GeometryCollection(Vec<TopoGeometry>),
}

/// One feature of a topology: the object it came from, its id and properties, its geometry as arcs.
#[derive(Clone, Debug)]
pub struct TopoFeature {
    pub object: String,
    pub id: Option<String>,
    pub properties: Map<String, Value>,
    pub geometry: TopoGeometry,
}

/// A decoded topology: absolute arc positions (longitude, latitude) and features that refer to them.
///
/// Drawing code that simplifies lines should simplify each arc of [`DecodedTopology::arcs`] once and stitch the
/// simplified arcs with [`DecodedTopology::stitch`]: neighbours then share exactly the same border and never gap.
#[derive(Clone, Debug, Default)]
pub struct DecodedTopology {
    pub arcs: Vec<Vec<[f64; 2]>>,
    pub features: Vec<TopoFeature>,
}

impl DecodedTopology {
    /// The positions of a line or ring made of `refs`, joined (shared end positions once).
    pub fn stitch(&self, refs: &[ArcRef]) -> Vec<Coord<f64>> {
        stitch_arcs(&self.arcs, refs)
    }

    /// The geometry of a feature, stitched; `None` for a null geometry.
    pub fn geometry(&self, geometry: &TopoGeometry) -> Option<Geometry<f64>> {
        let line = |refs: &[ArcRef]| LineString(self.stitch(refs));
        let polygon = |rings: &[Vec<ArcRef>]| {
            let mut rings = rings.iter().map(|r| line(r));
            let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
            Polygon::new(exterior, rings.collect())
        };
        let point = |p: &[f64; 2]| Point::new(p[0], p[1]);
        Some(match geometry {
            TopoGeometry::Null => return None,
            TopoGeometry::Point(p) => point(p).into(),
            TopoGeometry::MultiPoint(ps) => MultiPoint(ps.iter().map(point).collect()).into(),
            TopoGeometry::LineString(refs) => line(refs).into(),
            TopoGeometry::MultiLineString(lines) => {
                MultiLineString(lines.iter().map(|l| line(l)).collect()).into()
            }
            TopoGeometry::Polygon(rings) => polygon(rings).into(),
            TopoGeometry::MultiPolygon(polys) => {
                MultiPolygon(polys.iter().map(|p| polygon(p)).collect()).into()
            }
            TopoGeometry::GeometryCollection(members) => Geometry::GeometryCollection(
                GeometryCollection(members.iter().filter_map(|g| self.geometry(g)).collect()),
            ),
        })
    }

    /// The features as a layer; `objects` restricts it to the named objects (all when `None`).
    pub fn to_layer(&self, name: &str, objects: Option<&[&str]>) -> Layer {
        let features = self
            .features
            .iter()
            .filter(|f| objects.is_none_or(|names| names.contains(&f.object.as_str())))
            .map(|f| {
                Feature::new(
                    f.id.clone(),
                    f.properties.clone(),
                    self.geometry(&f.geometry),
                )
            })
            .collect();
        Layer {
            name: name.to_owned(),
            features,
        }
    }
}

fn stitch_arcs(arcs: &[Vec<[f64; 2]>], refs: &[ArcRef]) -> Vec<Coord<f64>> {
    let mut out: Vec<Coord<f64>> = Vec::new();
    for r in refs {
        let Some(arc) = arcs.get(r.arc) else {
            continue;
        };
        let skip = usize::from(!out.is_empty());
        let to_coord = |p: &[f64; 2]| Coord { x: p[0], y: p[1] };
        if r.reversed {
            out.extend(arc.iter().rev().skip(skip).map(to_coord));
        } else {
            out.extend(arc.iter().skip(skip).map(to_coord));
        }
    }
    out
}

/// Parses a TopoJSON topology into a layer holding the features of all its objects.
pub fn parse_topojson(name: &str, text: &str) -> Result<LoadedLayer, Report> {
    let (topology, report) = decode(name, text)?;
    Ok(LoadedLayer {
        layer: topology.to_layer(name, None),
        report,
    })
}

/// Parses a TopoJSON topology into a layer holding the features of the named objects only.
pub fn parse_topojson_objects(
    name: &str,
    text: &str,
    objects: &[&str],
) -> Result<LoadedLayer, Report> {
    let (topology, report) = decode(name, text)?;
    Ok(LoadedLayer {
        layer: topology.to_layer(name, Some(objects)),
        report,
    })
}

/// Decodes a topology: arcs as absolute positions, features with their rings and lines as arc references.
pub fn decode_topology(text: &str) -> Result<DecodedTopology, Report> {
    decode("<topology>", text).map(|(topology, _)| topology)
}

/// What decoding carries: problems with their paths, and the transform.
struct Decoder {
    problems: Vec<Problem>,
    transform: Option<([f64; 2], [f64; 2])>,
    arc_count: usize,
    shown_arc_errors: usize,
    /// Positions that decode to unusable values, and the index of the warning that says so.
    overflows: usize,
    overflow_warning: Option<usize>,
}

mod checks;
use checks::SANE_COORDINATE;

const SHOWN_ARC_ERRORS: usize = 20;

fn decode(name: &str, text: &str) -> Result<(DecodedTopology, Report), Report> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (root, duplicates) = match from_str_noting_duplicates(text) {
        Ok(v) => v,
        Err(err) => {
            let mut report = Report::new(name, text);
            report.diagnostics.push(syntax_diagnostic(&err, text));
            return Err(report);
        }
    };
    let mut d = Decoder {
        problems: Vec::new(),
        transform: None,
        arc_count: 0,
        shown_arc_errors: 0,
        overflows: 0,
        overflow_warning: None,
    };
    d.duplicates(duplicates);
    let topology = d.topology(&root);
    if let Some(i) = d.overflow_warning
        && d.overflows > 1
    {
        let message = &mut d.problems[i].diagnostic.message;
        message.push_str(&format!(" ({} positions in all)", d.overflows));
    }
    let mut locator = Locator::new(text);
    let mut report = Report::new(name, text);
    report.diagnostics = d
        .problems
        .into_iter()
        .map(|problem| locator.place(problem))
        .collect();
    if d.shown_arc_errors > SHOWN_ARC_ERRORS {
        let more = d.shown_arc_errors - SHOWN_ARC_ERRORS;
        report.diagnostics.push(Diagnostic::error(format!(
            "... and {more} more bad arc indices not shown"
        )));
    }
    sort_in_file_order(&mut report.diagnostics);
    match topology {
        Some(t) if !report.has_errors() => Ok((t, report)),
        _ => Err(report),
    }
}

fn at(path: &[Seg], more: &[Seg]) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.extend_from_slice(more);
    p
}

impl Decoder {
    fn error(&mut self, message: impl Into<String>, path: Vec<Seg>) {
        self.problems
            .push(Problem::at(Diagnostic::error(message), path));
    }

    fn topology(&mut self, root: &Value) -> Option<DecodedTopology> {
        let Value::Object(root) = root else {
            self.error(
                format!(
                    "expected a TopoJSON Topology object, found {}",
                    value_kind(root)
                ),
                vec![],
            );
            return None;
        };
        if root.get("type").and_then(Value::as_str) != Some("Topology") {
            self.error(
                "a TopoJSON file's `type` must be \"Topology\"",
                vec![Seg::key("type")],
            );
            return None;
        }
        if let Some(t) = root.get("transform") {
            self.transform = self.transform(t);
        }
        self.bbox(root.get("bbox"), &[]);
        let arcs = match root.get("arcs") {
            Some(Value::Array(arcs)) => arcs
                .iter()
                .enumerate()
                .map(|(i, a)| self.arc(a, i))
                .collect(),
            Some(other) => {
                self.error(
                    format!(
                        "`arcs` must be an array of arcs, found {}",
                        value_kind(other)
                    ),
                    vec![Seg::key("arcs")],
                );
                Vec::new()
            }
            None => {
                self.error("a Topology needs an `arcs` array", vec![]);
                Vec::new()
            }
        };
        self.arc_count = arcs.len();
        let mut features = Vec::new();
        match root.get("objects") {
            Some(Value::Object(objects)) => {
                for (name, object) in objects {
                    let path = vec![Seg::key("objects"), Seg::Key(name.clone().into())];
                    self.object(name, object, &path, &mut features);
                }
            }
            Some(other) => self.error(
                format!("`objects` must be an object, found {}", value_kind(other)),
                vec![Seg::key("objects")],
            ),
            None => self.error("a Topology needs an `objects` member", vec![]),
        }
        Some(DecodedTopology { arcs, features })
    }

    fn transform(&mut self, t: &Value) -> Option<([f64; 2], [f64; 2])> {
        let path = [Seg::key("transform")];
        let Value::Object(t) = t else {
            self.error(
                format!(
                    "`transform` must be an object with `scale` and `translate`, found {}",
                    value_kind(t)
                ),
                path.to_vec(),
            );
            return None;
        };
        let mut pair = |key: &'static str| -> Option<[f64; 2]> {
            let p = at(&path, &[Seg::key(key)]);
            match t.get(key) {
                Some(Value::Array(v)) if v.len() == 2 && v.iter().all(Value::is_number) => {
                    Some([v[0].as_f64()?, v[1].as_f64()?])
                }
                Some(other) => {
                    self.error(
                        format!(
                            "`transform.{key}` must be an array of 2 numbers, found {}",
                            echo(&other.to_string())
                        ),
                        p,
                    );
                    None
                }
                None => {
                    self.error(
                        format!("`transform` needs `{key}` (2 numbers)"),
                        at(&path, &[]),
                    );
                    None
                }
            }
        };
        let scale = pair("scale");
        let translate = pair("translate");
        Some((scale?, translate?))
    }

    /// One arc: absolute positions (delta-decoded and de-quantised with a transform).
    fn arc(&mut self, arc: &Value, i: usize) -> Vec<[f64; 2]> {
        let path = [Seg::key("arcs"), Seg::Index(i)];
        let Value::Array(positions) = arc else {
            self.error(
                format!(
                    "an arc must be an array of positions, found {}",
                    value_kind(arc)
                ),
                path.to_vec(),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(positions.len());
        let mut acc = [0.0, 0.0];
        for (j, p) in positions.iter().enumerate() {
            let Some(xy) = self.position(p, &at(&path, &[Seg::Index(j)])) else {
                continue;
            };
            let decoded = match self.transform {
                Some((scale, translate)) => {
                    acc = [acc[0] + xy[0], acc[1] + xy[1]];
                    [
                        acc[0] * scale[0] + translate[0],
                        acc[1] * scale[1] + translate[1],
                    ]
                }
                None => xy,
            };
            if !decoded
                .iter()
                .all(|v| v.is_finite() && v.abs() <= SANE_COORDINATE)
            {
                self.overflow(&at(&path, &[Seg::Index(j)]), decoded);
            }
            out.push(decoded);
        }
        out
    }

    fn position(&mut self, p: &Value, path: &[Seg]) -> Option<[f64; 2]> {
        match p {
            Value::Array(v) if v.len() >= 2 => {
                if let (Some(x), Some(y)) = (v[0].as_f64(), v[1].as_f64()) {
                    return Some([x, y]);
                }
            }
            _ => {}
        }
        self.error(
            format!(
                "expected a position (an array of 2 numbers), found {}",
                echo(&p.to_string())
            ),
            path.to_vec(),
        );
        None
    }

    /// An object of `objects`: a GeometryCollection gives one feature per member, anything else one feature.
    fn object(&mut self, name: &str, object: &Value, path: &[Seg], out: &mut Vec<TopoFeature>) {
        self.bbox(object.get("bbox"), path);
        if object.get("type").and_then(Value::as_str) == Some("GeometryCollection")
            && let Some(Value::Array(members)) = object.get("geometries")
        {
            for (i, member) in members.iter().enumerate() {
                let p = at(path, &[Seg::key("geometries"), Seg::Index(i)]);
                if let Some(f) = self.feature(name, member, &p) {
                    out.push(f);
                }
            }
            return;
        }
        if let Some(f) = self.feature(name, object, path) {
            out.push(f);
        }
    }

    fn feature(&mut self, object: &str, g: &Value, path: &[Seg]) -> Option<TopoFeature> {
        let id = match g.get("id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => {
                self.error(
                    format!(
                        "an `id` must be a string or a number, found {}",
                        value_kind(other)
                    ),
                    at(path, &[Seg::key("id")]),
                );
                None
            }
        };
        let properties = match g.get("properties") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(p)) => p.clone(),
            Some(other) => {
                self.error(
                    format!(
                        "`properties` must be an object, found {}",
                        value_kind(other)
                    ),
                    at(path, &[Seg::key("properties")]),
                );
                Map::new()
            }
        };
        let geometry = self.geometry(g, path)?;
        Some(TopoFeature {
            object: object.to_owned(),
            id,
            properties,
            geometry,
        })
    }

    fn geometry(&mut self, g: &Value, path: &[Seg]) -> Option<TopoGeometry> {
        let Value::Object(obj) = g else {
            self.error(
                format!("expected a geometry object, found {}", value_kind(g)),
                path.to_vec(),
            );
            return None;
        };
        let ty = match obj.get("type") {
            None | Some(Value::Null) => return Some(TopoGeometry::Null),
            Some(Value::String(t)) => t.as_str(),
            Some(other) => {
                self.error(
                    format!("`type` must be a string, found {}", value_kind(other)),
                    at(path, &[Seg::key("type")]),
                );
                return None;
            }
        };
        let arcs_path = at(path, &[Seg::key("arcs")]);
        let arcs = obj.get("arcs");
        let coords_path = at(path, &[Seg::key("coordinates")]);
        let coords = obj.get("coordinates");
        Some(match ty {
            "Point" => TopoGeometry::Point(self.point(coords, &coords_path)?),
            "MultiPoint" => {
                let list = self.list(coords, &coords_path, "coordinates")?;
                let points = list
                    .iter()
                    .enumerate()
                    .map(|(i, p)| self.point(Some(p), &at(&coords_path, &[Seg::Index(i)])))
                    .collect::<Option<_>>()?;
                TopoGeometry::MultiPoint(points)
            }
            "LineString" => TopoGeometry::LineString(self.arc_list(arcs, &arcs_path)?),
            "MultiLineString" => {
                TopoGeometry::MultiLineString(self.nested(arcs, &arcs_path, Self::arc_list)?)
            }
            "Polygon" => TopoGeometry::Polygon(self.nested(arcs, &arcs_path, Self::arc_list)?),
            "MultiPolygon" => {
                TopoGeometry::MultiPolygon(
                    self.nested(arcs, &arcs_path, |d, v, p| d.nested(v, p, Self::arc_list))?,
                )
            }
            "GeometryCollection" => {
                let p = at(path, &[Seg::key("geometries")]);
                let list = self.list(obj.get("geometries"), &p, "geometries")?;
                let members = list
                    .iter()
                    .enumerate()
                    .map(|(i, m)| self.geometry(m, &at(&p, &[Seg::Index(i)])))
                    .collect::<Vec<_>>();
                TopoGeometry::GeometryCollection(members.into_iter().collect::<Option<_>>()?)
            }
            other => {
                let hint =
                    crate::diagnostics::did_you_mean(other, crate::io::geojson::GEOMETRY_TYPES);
                self.problems.push(Problem::at(
                    Diagnostic::error(format!("unknown TopoJSON geometry type `{other}`"))
                        .maybe_hint(hint),
                    at(path, &[Seg::key("type")]),
                ));
                return None;
            }
        })
    }

    fn list<'v>(
        &mut self,
        v: Option<&'v Value>,
        path: &[Seg],
        what: &str,
    ) -> Option<&'v Vec<Value>> {
        match v {
            Some(Value::Array(list)) => Some(list),
            Some(other) => {
                self.error(
                    format!("`{what}` must be an array, found {}", value_kind(other)),
                    path.to_vec(),
                );
                None
            }
            None => {
                self.error(
                    format!("this geometry needs `{what}`"),
                    path[..path.len().saturating_sub(1)].to_vec(),
                );
                None
            }
        }
    }

    fn nested<T>(
        &mut self,
        v: Option<&Value>,
        path: &[Seg],
        inner: impl Fn(&mut Self, Option<&Value>, &[Seg]) -> Option<T>,
    ) -> Option<Vec<T>> {
        let list = self.list(v, path, "arcs")?;
        let items: Vec<Option<T>> = list
            .iter()
            .enumerate()
            .map(|(i, x)| inner(self, Some(x), &at(path, &[Seg::Index(i)])))
            .collect();
        items.into_iter().collect()
    }

    /// A list of arc indices, each checked against the number of arcs.
    fn arc_list(&mut self, v: Option<&Value>, path: &[Seg]) -> Option<Vec<ArcRef>> {
        let list = self.list(v, path, "arcs")?;
        let mut refs = Vec::with_capacity(list.len());
        let mut ok = true;
        for (i, x) in list.iter().enumerate() {
            let arc = x.as_i64().and_then(|n| {
                let (index, reversed) = if n < 0 { (!n, true) } else { (n, false) };
                let index = usize::try_from(index).ok()?;
                (index < self.arc_count).then_some(ArcRef {
                    arc: index,
                    reversed,
                })
            });
            match arc {
                Some(r) => refs.push(r),
                None => {
                    ok = false;
                    self.shown_arc_errors += 1;
                    if self.shown_arc_errors <= SHOWN_ARC_ERRORS {
                        let message = match x.as_i64() {
                            Some(n) => format!(
                                "arc index {n} is out of range: the topology has {} arcs (indices 0..{} and their complements ~i)",
                                self.arc_count, self.arc_count
                            ),
                            None => format!("an arc index must be an integer, found {x}"),
                        };
                        self.error(message, at(path, &[Seg::Index(i)]));
                    }
                }
            }
        }
        ok.then_some(refs)
    }

    /// A Point's position: de-quantised (not delta-encoded) with a transform.
    fn point(&mut self, v: Option<&Value>, path: &[Seg]) -> Option<[f64; 2]> {
        let Some(v) = v else {
            self.error(
                "a Point needs `coordinates`",
                path[..path.len().saturating_sub(1)].to_vec(),
            );
            return None;
        };
        let xy = self.position(v, path)?;
        Some(match self.transform {
            Some((s, t)) => [xy[0] * s[0] + t[0], xy[1] * s[1] + t[1]],
            None => xy,
        })
    }
}

#[cfg(test)]
mod tests;
