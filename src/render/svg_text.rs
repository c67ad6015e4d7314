//! The labels of an SVG, written one of three ways ([`SvgText`]), so that a reader without the app's
//! fonts still sees what the app showed:
//!
//! - `system`: `<text>` naming a font stack with fallbacks (the app's fonts first, then common ones that
//!   cover Latin, Arabic and Hebrew); searchable and editable, drawn with the reader's fonts.
//! - `embedded`: the same `<text>`, with the fonts the labels use embedded as `@font-face` data (browsers
//!   use them; Inkscape and resvg do not read `@font-face`, and fall back on the stack).
//! - `outlines`: each label as a path of its glyphs' outlines ([`super::glyphs`]), the same everywhere
//!   (with the text kept in `aria-label`).
//!
//! A label whose paragraph runs right to left (its first strong letter is Arabic or Hebrew) is wrapped in
//! a right-to-left embedding (U+202B ... U+202C), so the reader's renderer orders it as the app does; its
//! anchor stays the left-to-right one (`start` is the left end). Renderers disagree on what `start` means
//! under `direction="rtl"` (resvg keeps the left-to-right meaning, browsers flip it), hence no `direction`.

use std::fmt::Write as _;

use base64::Engine as _;

use super::bidi;
use super::glyphs::{Outliner, PathEl};
use super::svg::{Num, Paint, escape};
use super::text::{FONT_WEIGHT, FONTS, Typesetter, font_files};
use crate::scene::{Anchor, Item, Pt, Rgba, Scene};

/// The font list of `<text>` labels: the fonts the app draws with (Ubuntu Light; the bundled Noto Sans
/// of each script, [`super::text::FONTS`]), then fonts for Han, Hangul and kana (which the app takes
/// from the machine), then common fonts that cover many scripts on other systems.
pub const FONT_FAMILY_LIST: &str = "'Ubuntu Light', Ubuntu, 'Noto Sans Arabic', 'Noto Sans Hebrew', \
     'Noto Sans Devanagari', 'Noto Sans Bengali', 'Noto Sans Gurmukhi', 'Noto Sans Tamil', \
     'Noto Sans Thai', 'Noto Sans Lao', 'Noto Sans Khmer', 'Noto Sans Myanmar', 'Noto Sans Georgian', \
     'Noto Sans Armenian', 'Noto Sans Ethiopic', 'Noto Sans CJK SC', 'Noto Sans CJK JP', \
     'Noto Sans CJK KR', 'Source Han Sans', 'PingFang SC', 'Microsoft YaHei', 'Hiragino Sans', \
     'Malgun Gothic', 'Noto Sans', 'Helvetica Neue', Arial, Tahoma, 'Nirmala UI', 'DejaVu Sans', \
     sans-serif";

/// Right-to-left embedding and its end (pop directional formatting).
pub const RLE: &str = "\u{202B}";
pub const PDF: &str = "\u{202C}";

/// How an SVG writes its labels (see the module's documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SvgText {
    /// `<text>` with a font stack.
    #[default]
    System,
    /// `<text>` with the fonts embedded.
    Embedded,
    /// Paths of the glyphs' outlines.
    Outlines,
}

impl SvgText {
    pub const ALL: [Self; 3] = [Self::System, Self::Embedded, Self::Outlines];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Embedded => "embedded",
            Self::Outlines => "outlines",
        }
    }
}

impl std::str::FromStr for SvgText {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                format!("unknown SVG text mode {s:?}: write outlines, embedded or system")
            })
    }
}

/// The name of an embedded font's family (its own, so that it does not mix with the reader's fonts).
fn embedded_family(key: &str) -> String {
    format!("demarche-{key}")
}

/// Writes the labels of one SVG.
pub(super) struct TextWriter {
    /// The fonts embedded, in order (`embedded` only).
    embedded: Vec<usize>,
    outliner: Option<Outliner>,
}

impl std::fmt::Debug for TextWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextWriter")
            .field("embedded", &self.embedded)
            .finish_non_exhaustive()
    }
}

impl TextWriter {
    /// Gets ready to write the labels of `scene` the `mode` way.
    pub(super) fn new(scene: &Scene, mode: SvgText) -> Self {
        let texts = || {
            scene
                .layers
                .iter()
                .flat_map(|l| &l.items)
                .filter_map(|item| match item {
                    Item::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
        };
        let needs_fonts = mode != SvgText::System && texts().next().is_some();
        let outliner = needs_fonts.then(Outliner::new);
        let mut embedded = Vec::new();
        if mode == SvgText::Embedded
            && let Some(outliner) = &outliner
        {
            // The first font always (spaces, missing-glyph boxes), the others if a label needs them.
            let mut used = vec![false; FONTS.len()];
            used[0] = true;
            for c in texts().flat_map(str::chars) {
                used[outliner.font_for(c)] = true;
            }
            embedded = (0..FONTS.len()).filter(|&i| used[i]).collect();
        }
        Self {
            embedded,
            outliner: if mode == SvgText::Outlines {
                outliner
            } else {
                None
            },
        }
    }

    /// The `<defs>` the labels need: the embedded fonts as `@font-face` rules.
    pub(super) fn write_defs(&self, out: &mut String) {
        if self.embedded.is_empty() {
            return;
        }
        out.push_str("<defs><style type=\"text/css\"><![CDATA[\n");
        let engine = base64::engine::general_purpose::STANDARD;
        let files = font_files();
        for &i in &self.embedded {
            let (Some(font), Some(file)) = (FONTS.get(i), files.get(i)) else {
                continue;
            };
            let _ = writeln!(
                out,
                "@font-face {{ font-family: '{}'; font-weight: {}; src: url(data:font/ttf;base64,{}) format('truetype'); }}",
                embedded_family(font.key),
                FONT_WEIGHT,
                engine.encode((**file).as_ref())
            );
        }
        out.push_str("]]></style></defs>\n");
    }

    /// A label where egui puts it: its anchor point, or its glyphs, worked out from the galley egui lays
    /// out.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn write_text(
        &self,
        out: &mut String,
        typesetter: &mut Typesetter,
        pos: Pt,
        text: &str,
        size: f32,
        color: Rgba,
        anchor: Anchor,
    ) {
        let placed = typesetter.place(pos, text, size, color, anchor);
        if let Some(outliner) = &self.outliner {
            let path = outliner.outline(text, size, &placed);
            if !path.is_empty() {
                out.push_str("<path d=\"");
                path_data(out, &path);
                let _ = writeln!(
                    out,
                    "\" {} aria-label=\"{}\"/>",
                    Paint("fill", color),
                    escape(text)
                );
            }
            return;
        }
        let left = placed.origin.x;
        let right = left + placed.galley.size().x;
        let (x, text_anchor) = match anchor {
            Anchor::LeftCenter => (left, "start"),
            Anchor::RightCenter => (right, "end"),
            Anchor::Center | Anchor::CenterTop | Anchor::CenterBottom => {
                ((left + right) / 2.0, "middle")
            }
        };
        let family = if self.embedded.is_empty() {
            FONT_FAMILY_LIST.to_owned()
        } else {
            let mut list = String::new();
            for &i in &self.embedded {
                let _ = write!(list, "'{}', ", embedded_family(FONTS[i].key));
            }
            list + FONT_FAMILY_LIST
        };
        let (embed, pop) = if bidi::is_rtl_paragraph(text) {
            (RLE, PDF)
        } else {
            ("", "")
        };
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-family="{family}" font-weight="{FONT_WEIGHT}" font-size="{}" text-anchor="{text_anchor}" {}>{embed}{}{pop}</text>"#,
            Num(x),
            Num(placed.baseline()),
            Num(size),
            Paint("fill", color),
            escape(text)
        );
    }
}

/// A glyph path as SVG path data.
fn path_data(out: &mut String, path: &[PathEl]) {
    for el in path {
        let _ = match *el {
            PathEl::Move([x, y]) => write!(out, "M{} {}", Num(x), Num(y)),
            PathEl::Line([x, y]) => write!(out, "L{} {}", Num(x), Num(y)),
            PathEl::Quad([cx, cy], [x, y]) => {
                write!(out, "Q{} {} {} {}", Num(cx), Num(cy), Num(x), Num(y))
            }
            PathEl::Cubic([ax, ay], [bx, by], [x, y]) => write!(
                out,
                "C{} {} {} {} {} {}",
                Num(ax),
                Num(ay),
                Num(bx),
                Num(by),
                Num(x),
                Num(y)
            ),
            PathEl::Close => write!(out, "Z"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_read_by_name() {
        for mode in SvgText::ALL {
            assert_eq!(mode.name().parse::<SvgText>(), Ok(mode));
        }
        let err = "paths".parse::<SvgText>().expect_err("unknown");
        assert!(err.contains("outlines, embedded or system"), "{err}");
    }
}
