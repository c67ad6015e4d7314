//! Writes a scene as an SVG 1.1 document: one named group per layer (an Inkscape layer too), filled areas
//! as outlined paths, lines with their dashes, circles, and labels as text (searchable and editable) with a
//! font stack, text with the fonts embedded, or glyph outlines ([`SvgText`], see [`super::svg_text`]).
//!
//! Deterministic: coordinates are written with at most two decimals (a hundredth of a point), and nothing
//! depends on the time or the machine, so the same scene gives the same bytes.

use std::fmt::{self, Write as _};

use super::outline;
use super::svg_text::TextWriter;
pub use super::svg_text::{FONT_FAMILY_LIST, PDF, RLE, SvgText};
use super::text::Typesetter;
use crate::scene::{Item, Pt, Rgba, Scene};

/// A number with at most two decimals, without trailing zeros (`12`, `3.5`, `-0.25`).
pub(super) struct Num(pub(super) f32);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = if self.0.is_finite() { self.0 } else { 0.0 };
        let hundredths = (f64::from(v) * 100.0).round() as i64;
        if hundredths == 0 {
            return f.write_str("0");
        }
        let sign = if hundredths < 0 { "-" } else { "" };
        let a = hundredths.unsigned_abs();
        let (int, frac) = (a / 100, a % 100);
        match frac {
            0 => write!(f, "{sign}{int}"),
            f2 if f2 % 10 == 0 => write!(f, "{sign}{int}.{}", f2 / 10),
            f2 => write!(f, "{sign}{int}.{f2:02}"),
        }
    }
}

/// `fill="#rrggbb"` and, when not opaque, `fill-opacity="0.5"` (SVG 1.1 has no alpha in colours).
pub(super) struct Paint<'a>(pub(super) &'a str, pub(super) Rgba);

impl fmt::Display for Paint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Paint(attr, Rgba([r, g, b, a])) = *self;
        write!(f, "{attr}=\"#{r:02x}{g:02x}{b:02x}\"")?;
        if a < 255 {
            let opacity = f32::from(a) / 255.0;
            write!(f, " {attr}-opacity=\"{}\"", Opacity(opacity))?;
        }
        Ok(())
    }
}

/// An opacity with three decimals (the 256 alpha steps stay distinct).
struct Opacity(f32);

impl fmt::Display for Opacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!("{:.3}", self.0.clamp(0.0, 1.0));
        f.write_str(s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all: control characters are dropped, the two
            // non-characters U+FFFE and U+FFFF become the replacement character.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A valid and unique XML id for a layer name: letters, digits, `-`, `_` and `.`, starting with a letter.
fn layer_id(name: &str, taken: &mut Vec<String>) -> String {
    let mut id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert_str(0, "layer-");
    }
    let base = id.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

/// The scene as an SVG 1.1 document, `scale` times its size in points (its view box stays in points),
/// its labels written the `text` way.
///
/// `typesetter` places the labels where the window and the PNG put them.
pub fn to_svg(
    scene: &Scene,
    title: &str,
    scale: f32,
    typesetter: &mut Typesetter,
    text: SvgText,
) -> String {
    let texts = TextWriter::new(scene, text);
    let [w, h] = scene.size;
    let mut out = String::with_capacity(1 << 16);
    // `write!` to a String cannot fail.
    let _ = writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#
    );
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" version="1.1" width="{}" height="{}" viewBox="0 0 {} {}">"#,
        Num(w * scale),
        Num(h * scale),
        Num(w),
        Num(h)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    texts.write_defs(&mut out);
    let _ = writeln!(
        out,
        r#"<rect id="background" x="0" y="0" width="{}" height="{}" {}/>"#,
        Num(w),
        Num(h),
        Paint("fill", scene.background)
    );
    let mut taken = vec!["background".to_owned()];
    for layer in &scene.layers {
        let id = layer_id(&layer.name, &mut taken);
        let _ = writeln!(
            out,
            r#"<g id="{id}" inkscape:groupmode="layer" inkscape:label="{}">"#,
            escape(&layer.name)
        );
        let mut i = 0;
        while i < layer.items.len() {
            i += write_items(&mut out, &layer.items[i..], typesetter, &texts);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// Writes the first item, or a run of opaque plain lines of one style as one path (a layer's borders
/// become one object in an editor); returns how many items were written.
fn write_items(
    out: &mut String,
    items: &[Item],
    typesetter: &mut Typesetter,
    texts: &TextWriter,
) -> usize {
    if let Some(Item::Polyline {
        width,
        color,
        dash: None,
        ..
    }) = items.first()
        && color.0[3] == 255
    {
        let run = items
            .iter()
            .take_while(|item| {
                matches!(item, Item::Polyline { width: w, color: c, dash: None, .. } if w == width && c == color)
            })
            .count();
        let mut d = String::new();
        for item in &items[..run] {
            if let Item::Polyline { points, .. } = item
                && points.len() >= 2
            {
                path_data(&mut d, points.iter());
            }
        }
        if !d.is_empty() {
            let _ = writeln!(
                out,
                "<path d=\"{d}\" fill=\"none\" {} stroke-width=\"{}\"/>",
                Paint("stroke", *color),
                Num(*width)
            );
        }
        return run;
    }
    if let Some(item) = items.first() {
        write_item(out, item, typesetter, texts);
    }
    1
}

fn write_item(out: &mut String, item: &Item, typesetter: &mut Typesetter, texts: &TextWriter) {
    match item {
        Item::Mesh {
            vertices,
            indices,
            fill,
        } => write_mesh(out, vertices, indices, *fill),
        Item::Polyline {
            points,
            width,
            color,
            dash,
        } => write_polyline(out, points, *width, *color, *dash),
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
        } => write_circle(out, *center, *radius, *fill, *stroke),
        Item::Text {
            pos,
            text,
            size,
            color,
            anchor,
        } => texts.write_text(out, typesetter, *pos, text, *size, *color, *anchor),
    }
}

/// A mesh as the outline of its triangles (one path, holes and all).
fn write_mesh(out: &mut String, vertices: &[Pt], indices: &[u32], fill: Rgba) {
    let rings = outline::rings(vertices, indices);
    if rings.is_empty() {
        return;
    }
    out.push_str("<path d=\"");
    for ring in &rings {
        let points = ring.iter().filter_map(|&i| vertices.get(i as usize));
        path_data(out, points);
        out.push('Z');
    }
    let _ = writeln!(out, "\" {}/>", Paint("fill", fill));
}

fn write_polyline(
    out: &mut String,
    points: &[Pt],
    width: f32,
    color: Rgba,
    dash: Option<[f32; 2]>,
) {
    if points.len() < 2 {
        return;
    }
    out.push_str("<path d=\"");
    path_data(out, points.iter());
    let _ = write!(
        out,
        "\" fill=\"none\" {} stroke-width=\"{}\"",
        Paint("stroke", color),
        Num(width)
    );
    if let Some([d, g]) = dash {
        let _ = write!(out, " stroke-dasharray=\"{} {}\"", Num(d), Num(g));
    }
    out.push_str("/>\n");
}

fn write_circle(
    out: &mut String,
    center: Pt,
    radius: f32,
    fill: Option<Rgba>,
    stroke: Option<(f32, Rgba)>,
) {
    // egui strokes a circle outside its radius: the ring is a second circle, half a width larger.
    let (cx, cy) = (Num(center[0]), Num(center[1]));
    if let Some(c) = fill {
        let _ = writeln!(
            out,
            r#"<circle cx="{cx}" cy="{cy}" r="{}" {}/>"#,
            Num(radius),
            Paint("fill", c)
        );
    }
    if let Some((width, c)) = stroke {
        let _ = writeln!(
            out,
            r#"<circle cx="{cx}" cy="{cy}" r="{}" fill="none" {} stroke-width="{}"/>"#,
            Num(radius + width / 2.0),
            Paint("stroke", c),
            Num(width)
        );
    }
}

/// `M x y L x y ...` for points in order.
fn path_data<'a>(out: &mut String, points: impl Iterator<Item = &'a Pt>) {
    for (i, p) in points.enumerate() {
        let _ = write!(
            out,
            "{}{} {}",
            if i == 0 { 'M' } else { 'L' },
            Num(p[0]),
            Num(p[1])
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_two_decimals_and_no_trailing_zeros() {
        let s = |v: f32| Num(v).to_string();
        assert_eq!(s(12.0), "12");
        assert_eq!(s(3.5), "3.5");
        assert_eq!(s(-0.25), "-0.25");
        assert_eq!(s(-0.001), "0");
        assert_eq!(s(1.005_1), "1.01");
        assert_eq!(s(f32::NAN), "0");
    }

    #[test]
    fn text_and_ids_are_escaped_and_valid() {
        assert_eq!(escape("A & B <\"x\">"), "A &amp; B &lt;&quot;x&quot;&gt;");
        // What XML 1.0 forbids never reaches the file: a parser reads every text back.
        let odd = "a\u{FFFE}b\u{FFFF}c\u{1}d\u{7f}e";
        let escaped = escape(odd);
        assert_eq!(escaped, "a\u{FFFD}b\u{FFFD}cd\u{7f}e");
        let doc = format!("<t a=\"{escaped}\">{escaped}</t>");
        assert!(roxmltree::Document::parse(&doc).is_ok(), "{doc:?}");
        let mut taken = Vec::new();
        assert_eq!(layer_id("basemap-0", &mut taken), "basemap-0");
        assert_eq!(layer_id("basemap-0", &mut taken), "basemap-0-2");
        assert_eq!(layer_id("0 labels", &mut taken), "layer-0-labels");
    }

    #[test]
    fn colours_with_alpha_get_an_opacity() {
        assert_eq!(
            Paint("fill", Rgba::new(255, 0, 16, 128)).to_string(),
            "fill=\"#ff0010\" fill-opacity=\"0.502\""
        );
        assert_eq!(
            Paint("stroke", Rgba::rgb(1, 2, 3)).to_string(),
            "stroke=\"#010203\""
        );
    }
}
