use super::*;
use crate::diagnostics::Report;

fn lines(report: &Report) -> String {
    report.to_lines().join("\n")
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/geojson")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

#[test]
fn every_kind_of_root_loads() {
    let fc = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":3,"properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[1,2,3]}}]}"#;
    let loaded = parse_geojson("fc", fc).expect("loads");
    assert_eq!(loaded.layer.features[0].id.as_deref(), Some("3"));
    assert_eq!(
        loaded.layer.features[0].geometry,
        Some(geo::Point::new(1.0, 2.0).into())
    );
    assert!(
        loaded.report.diagnostics.is_empty(),
        "{}",
        lines(&loaded.report)
    );
    let gc = r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[0,0],[1,1]]}]}"#;
    assert_eq!(
        parse_geojson("gc", gc).expect("loads").layer.features.len(),
        1
    );
}

#[test]
fn coordinates_before_type_are_read_too() {
    let text = r#"{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Polygon"}"#;
    let loaded = parse_geojson("late", text).expect("loads");
    assert!(matches!(
        loaded.layer.features[0].geometry,
        Some(geo::Geometry::Polygon(_))
    ));
}

#[test]
fn an_unclosed_ring_is_closed_with_a_warning() {
    let loaded = parse_geojson("ring", &fixture("unclosed_ring.geojson")).expect("loads");
    assert!(
        lines(&loaded.report).contains("not closed"),
        "{}",
        lines(&loaded.report)
    );
    let Some(geo::Geometry::Polygon(p)) = &loaded.layer.features[0].geometry else {
        panic!("a polygon")
    };
    assert_eq!(p.exterior().0.len(), 5);
}

#[test]
fn out_of_range_and_duplicate_ids_are_warned_of_once_each() {
    let loaded =
        parse_geojson("x", &fixture("out_of_range_and_duplicate_ids.geojson")).expect("loads");
    let text = lines(&loaded.report);
    assert!(
        text.contains(
            "longitude 180.0000001 is outside [-180, 180]; loaded as it is [features[0].geometry.coordinates[0]]"
        ),
        "{text}"
    );
    assert!(
        text.contains("1 feature repeats the id of an earlier feature: features[1] (\"a\")"),
        "{text}"
    );
    assert_eq!(loaded.null_geometries(), 1);
}

#[test]
fn a_truncated_file_fails_with_its_place() {
    let report = parse_geojson("t", &fixture("truncated.geojson")).expect_err("truncated");
    let text = lines(&report);
    assert!(text.contains("t:1:") && text.contains("EOF"), "{text}");
}

#[test]
fn winding_is_one_warning_for_many_rings() {
    let ring = r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[0,0]]]}}"#;
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        vec![ring; 50].join(",")
    );
    let loaded = parse_geojson("w", &text).expect("loads");
    assert_eq!(
        loaded.report.diagnostics.len(),
        1,
        "{}",
        lines(&loaded.report)
    );
    assert!(
        lines(&loaded.report).contains("50 outer rings are clockwise (features[0], features[1]")
    );
}

#[test]
fn repeated_problems_are_capped() {
    let points = vec!["[\"x\", 1]"; 100].join(",");
    let text = format!(r#"{{"type":"MultiPoint","coordinates":[{points}]}}"#);
    let report = parse_geojson("many", &text).expect_err("strings");
    assert!(report.diagnostics.len() <= 12, "{}", lines(&report));
    assert!(
        lines(&report).contains("and 90 more bad positions"),
        "{}",
        lines(&report)
    );
}

#[test]
fn hostile_input_never_panics() {
    let deep = "[".repeat(100_000);
    let deep_gc = format!(
        "{}{}",
        r#"{"type":"GeometryCollection","geometries":["#.repeat(200),
        "]}".repeat(200)
    );
    for text in [
        "",
        " ",
        "\u{feff}",
        "{",
        "[]",
        "\"Point\"",
        "{\"type\":1}",
        deep.as_str(),
        deep_gc.as_str(),
        "{\"type\":\"Point\",\"coordinates\":[1e400,0]}",
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Feature\"}}",
    ] {
        assert!(parse_geojson("h", text).is_err(), "{text:.40}");
    }
}

#[test]
fn a_bom_is_skipped() {
    assert!(parse_geojson("bom", "\u{feff}{\"type\":\"Point\",\"coordinates\":[1,2]}").is_ok());
}

/// The features a stream sends, and how it ended.
fn streamed(text: &str) -> (Result<Streamed, Report>, Vec<Feature>) {
    let (sink, features) = std::sync::mpsc::channel();
    let result = stream_geojson("s", text.to_owned(), sink);
    (result, features.into_iter().collect())
}

#[test]
fn a_stream_sends_the_features_a_whole_read_loads_in_order() {
    let square = |x: i32| {
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{x},0],[{x1},0],[{x1},1],[{x},1],[{x},0]]]}}"#,
            x1 = x + 1
        )
    };
    let features: Vec<String> = (0..40)
        .map(|i| {
            let geometry = if i == 7 { "null".to_owned() } else { square(i) };
            // Feature 30 repeats feature 3's id: the report says so, in both reads.
            let id = if i == 30 { 3 } else { i };
            format!(
                r#"{{"type":"Feature","id":{id},"properties":{{"name":"Land {i}","iso_a2":"L{}"}},"geometry":{geometry}}}"#,
                char::from(b'A' + (i % 26) as u8)
            )
        })
        .collect();
    // `type` after `features`: the features are known for what they are only by where they are.
    let text = format!(
        r#"{{"features":[{}],"type":"FeatureCollection"}}"#,
        features.join(",")
    );
    let whole = parse_geojson("s", &text).expect("loads");
    let (result, sent) = streamed(&text);
    let result = result.expect("loads");
    assert!(result.whole);
    assert_eq!(sent, whole.layer.features);
    assert_eq!(sent.len(), 40);
    assert_eq!(sent[7].geometry, None);
    assert_eq!(sent[39].label.as_deref(), Some("Land 39"));
    let messages =
        |r: &Report| -> Vec<String> { r.diagnostics.iter().map(|d| d.message.clone()).collect() };
    assert_eq!(messages(&result.report), messages(&whole.report));
    assert!(
        messages(&result.report)
            .iter()
            .any(|m| m.contains("repeats the id")),
        "{:?}",
        messages(&result.report)
    );
}

#[test]
fn a_stream_of_what_is_not_a_collection_asks_for_a_whole_read() {
    let polygon = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
    for text in [
        polygon.to_owned(),
        format!(r#"{{"type":"Feature","properties":{{}},"geometry":{polygon}}}"#),
        // A Feature's `features` is not the layer's: it is ignored, whatever was sent of it.
        format!(
            r#"{{"type":"Feature","properties":{{}},"geometry":{polygon},"features":[{{"type":"Feature","properties":{{}},"geometry":{polygon}}}]}}"#
        ),
    ] {
        let (result, _) = streamed(&text);
        assert!(!result.expect("loads").whole, "{text}");
        assert_eq!(
            parse_geojson("s", &text)
                .expect("loads")
                .layer
                .features
                .len(),
            1
        );
    }
}

#[test]
fn a_stream_of_a_broken_file_fails_as_a_whole_read_does() {
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},
        {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,"x"]}},
        {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[3,4]}},
        "#;
    let whole = parse_geojson("s", text).expect_err("broken");
    let (result, _) = streamed(text);
    let report = result.expect_err("broken");
    let places = |r: &Report| -> Vec<(String, Option<std::ops::Range<usize>>)> {
        r.diagnostics
            .iter()
            .map(|d| (d.message.clone(), d.span.clone()))
            .collect()
    };
    assert_eq!(places(&report), places(&whole));
    assert!(report.error_count() >= 2, "{:?}", places(&report));
}
