//! The labels of an SVG, written one of three ways ([`SvgText`]), so that a reader without the app's
//! fonts still sees what the app showed:
//!
//! - `system`: `<text>` naming a font stack with fallbacks (the app's fonts first, then common ones that
//!   cover Latin, Arabic and Hebrew); searchable and editable, drawn with the reader's fonts.
//! - `embedded`: the same `<text>`, with the fonts the labels use embedded as `@font-face` data (browsers
//!   use them; Inkscape and resvg do not read `@font-face`, and fall back on the stack): the bundled ones
//!   whole, a machine font as a subset of the glyphs used; a font whose licence forbids embedding is not
//!   embedded, its labels are outlines instead (said once on stderr).
//! - `outlines`: each label as a path of its glyphs' outlines ([`super::glyphs`]), the same everywhere
//!   (with the text kept in `aria-label`), from the fonts the PNG uses, machine fonts included.
//!
//! A label whose paragraph runs right to left (its first strong letter is Arabic or Hebrew) is wrapped in
//! a right-to-left embedding (U+202B ... U+202C), so the reader's renderer orders it as the app does; its
//! anchor stays the left-to-right one (`start` is the left end). Renderers disagree on what `start` means
//! under `direction="rtl"` (resvg keeps the left-to-right meaning, browsers flip it), hence no `direction`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use base64::Engine as _;

use super::glyphs::{Outliner, PathEl};
use super::svg::{Num, Paint, escape};
use super::text::{FONT_WEIGHT, Typesetter};
use super::{bidi, font_subset};
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

/// A font embedded in an SVG: the whole file of a bundled one (they are small), a subset of a machine
/// font ([`super::font_subset`]).
struct Embedded {
    family: String,
    weight: u16,
    data: Vec<u8>,
}

/// Writes the labels of one SVG.
pub(super) struct TextWriter {
    mode: SvgText,
    /// The fonts embedded, in the order looked up (`embedded` only).
    embedded: Vec<Embedded>,
    /// The fonts (as [`Outliner::font_for`] numbers them) whose licence forbids embedding: labels drawn
    /// with them are outlines (`embedded` only).
    not_embedded: Vec<usize>,
    outliner: Option<Outliner>,
}

impl std::fmt::Debug for TextWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextWriter")
            .field("mode", &self.mode)
            .field("embedded", &self.embedded.len())
            .field("not_embedded", &self.not_embedded)
            .finish_non_exhaustive()
    }
}

/// Says once per process that a font may not be embedded, on stderr (a command's user reads it there).
fn say_not_embedded(family: &str, why: &str) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut said = SAID
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !said.iter().any(|f| f == family) {
        said.push(family.to_owned());
        eprintln!(
            "demarche: the font {family} is not embedded in the SVG ({why}): its labels are drawn as outlines"
        );
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
        let mut writer = Self {
            mode,
            embedded: Vec::new(),
            not_embedded: Vec::new(),
            outliner: None,
        };
        if mode == SvgText::System || texts().next().is_none() {
            return writer;
        }
        // The fonts the window and the PNG draw these labels with, the machine's included.
        super::fonts::provide_for(texts());
        let outliner = Outliner::new();
        if mode == SvgText::Embedded {
            // The characters each font draws; the first font always (spaces, missing-glyph boxes). A
            // machine font is given all the characters of the labels it draws in (marks and digits
            // that go with its letters), its subset keeping those it has.
            let mut used: Vec<Option<BTreeSet<char>>> = vec![None; outliner.len()];
            if let Some(first) = used.first_mut() {
                *first = Some(BTreeSet::new());
            }
            for text in texts() {
                for c in text.chars() {
                    let i = outliner.font_for(c);
                    let chars = used[i].get_or_insert_with(BTreeSet::new);
                    if outliner.face(i).is_some_and(|f| !f.bundled) {
                        chars.extend(text.chars());
                    }
                }
            }
            for (i, chars) in used.iter().enumerate() {
                let (Some(chars), Some(face)) = (chars, outliner.face(i)) else {
                    continue;
                };
                if !face.embeddable {
                    say_not_embedded(&face.family, "its licence restricts embedding");
                    writer.not_embedded.push(i);
                    continue;
                }
                let data = if face.bundled {
                    Ok((*face.file).as_ref().to_vec())
                } else {
                    font_subset::subset((*face.file).as_ref(), face.index, chars)
                };
                match data {
                    Ok(data) => writer.embedded.push(Embedded {
                        family: embedded_family(&face.key),
                        weight: face.weight,
                        data,
                    }),
                    Err(err) => {
                        say_not_embedded(&face.family, &format!("it cannot be subset: {err}"));
                        writer.not_embedded.push(i);
                    }
                }
            }
        }
        if mode == SvgText::Outlines || !writer.not_embedded.is_empty() {
            writer.outliner = Some(outliner);
        }
        writer
    }

    /// The `<defs>` the labels need: the embedded fonts as `@font-face` rules.
    pub(super) fn write_defs(&self, out: &mut String) {
        if self.embedded.is_empty() {
            return;
        }
        out.push_str("<defs><style type=\"text/css\"><![CDATA[\n");
        let engine = base64::engine::general_purpose::STANDARD;
        for font in &self.embedded {
            let (format, media) = font_subset::format_of(&font.data);
            let _ = writeln!(
                out,
                "@font-face {{ font-family: '{}'; font-weight: {}; src: url(data:{media};base64,{}) format('{format}'); }}",
                font.family,
                font.weight,
                engine.encode(&font.data)
            );
        }
        out.push_str("]]></style></defs>\n");
    }

    /// Whether `text` is drawn as outlines: always in `outlines`; in `embedded`, when a font it needs
    /// may not be embedded.
    fn outlines(&self, text: &str) -> Option<&Outliner> {
        let outliner = self.outliner.as_ref()?;
        let outlined = self.mode == SvgText::Outlines
            || text
                .chars()
                .any(|c| self.not_embedded.contains(&outliner.font_for(c)));
        outlined.then_some(outliner)
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
        if let Some(outliner) = self.outlines(text) {
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
            for font in &self.embedded {
                let _ = write!(list, "'{}', ", font.family);
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
