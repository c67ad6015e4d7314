use super::*;

const TWO_SQUARES: &str = include_str!("../../../tests/fixtures/geojson/two_squares.topojson");

#[test]
fn quantised_delta_arcs_decode_exactly_and_neighbours_share_their_edge() {
    let topology = decode_topology(TWO_SQUARES).expect("decodes");
    assert_eq!(topology.arcs[0], vec![[11.0, 20.0], [11.0, 21.0]]);
    let west = &topology.features[0];
    let east = &topology.features[1];
    assert_eq!(west.id.as_deref(), Some("7"));
    assert_eq!(east.id.as_deref(), Some("east"));
    let TopoGeometry::Polygon(east_rings) = &east.geometry else {
        panic!("east is a polygon");
    };
    assert_eq!(
        east_rings[0][1],
        ArcRef {
            arc: 0,
            reversed: true
        }
    );
    let xy = |g: Option<Geometry<f64>>| -> Vec<(f64, f64)> {
        let Some(Geometry::Polygon(p)) = g else {
            panic!("a polygon")
        };
        p.exterior().0.iter().map(|c| (c.x, c.y)).collect()
    };
    assert_eq!(
        xy(topology.geometry(&west.geometry)),
        vec![
            (11.0, 20.0),
            (11.0, 21.0),
            (10.0, 21.0),
            (10.0, 20.0),
            (11.0, 20.0)
        ]
    );
    assert_eq!(
        xy(topology.geometry(&east.geometry)),
        vec![
            (11.0, 20.0),
            (12.0, 20.0),
            (12.0, 21.0),
            (11.0, 21.0),
            (11.0, 20.0)
        ]
    );
    // Points are quantised but not delta-encoded.
    assert_eq!(
        topology.features[2].geometry,
        TopoGeometry::Point([12.0, 21.0])
    );
}

#[test]
fn a_topology_loads_as_a_layer_with_names_and_ids() {
    let loaded = parse_topojson("two.topojson", TWO_SQUARES).expect("loads");
    let labels: Vec<_> = loaded
        .layer
        .features
        .iter()
        .map(|f| f.label.clone())
        .collect();
    assert_eq!(
        labels,
        vec![Some("West".to_owned()), Some("East".to_owned()), None]
    );
    let only = parse_topojson_objects("two", TWO_SQUARES, &["nothing"]).expect("loads");
    assert!(only.layer.features.is_empty());
}

#[test]
fn bad_arc_indices_and_transforms_are_located() {
    let text = TWO_SQUARES.replace("[[2,-1]]", "[[2,-9]]");
    let report = parse_topojson("bad", &text).expect_err("out of range");
    let lines = report.to_lines().join("\n");
    assert!(lines.contains("arc index -9 is out of range"), "{lines}");
    assert!(
        lines.contains("[objects.squares.geometries[1].arcs[0][1]]"),
        "{lines}"
    );

    let text = TWO_SQUARES.replace("\"scale\":[0.5,0.25],", "");
    let lines = parse_topojson("bad", &text)
        .expect_err("no scale")
        .to_lines()
        .join("\n");
    assert!(lines.contains("`transform` needs `scale`"), "{lines}");

    for hostile in [
        "",
        "null",
        "{\"type\":\"Topology\"}",
        "[",
        "{\"type\":\"Topology\",\"arcs\":[[1]],\"objects\":{}}",
    ] {
        assert!(parse_topojson("x", hostile).is_err(), "{hostile}");
    }
}
