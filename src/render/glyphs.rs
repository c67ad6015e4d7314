//! Labels as glyph outlines, for SVG text that needs no font on the reader's machine (`--svg-text
//! outlines`).
//!
//! The glyphs are shaped with harfrust (letters joined, as egui shapes them) from the same fonts, looked
//! up in the same order as egui looks them up for the window and the PNG ([`super::text::font_definitions`]:
//! the bundled fonts, then those found on the machine, [`super::fonts`]; the first that has a character
//! draws it), in the same pieces and visual order
//! as the label's layout job ([`super::text::layout_job`]); each line starts where egui's galley starts
//! it. So the outlines fall where the window and the PNG draw the glyphs, within a fraction of a pixel
//! (egui puts each glyph on the pixel grid).

use egui::{Color32, FontId};
use harfrust::{ShapeOptions, ShaperData, UnicodeBuffer};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

use std::sync::Arc;

use super::bidi;
use super::text::{PlacedText, layout_job};
use egui::epaint::text::Blob;

/// A step of a path, in points, y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PathEl {
    Move([f32; 2]),
    Line([f32; 2]),
    Quad([f32; 2], [f32; 2]),
    Cubic([f32; 2], [f32; 2], [f32; 2]),
    Close,
}

/// A font ready to shape and outline.
pub struct Face {
    /// Its name among egui's fonts.
    pub key: String,
    /// Its family name, for the reader.
    pub family: String,
    /// Its CSS weight.
    pub weight: u16,
    /// Bundled with the app (else found on the machine).
    pub bundled: bool,
    /// Whether its licence lets a document embed it ([`super::fonts::embedding_allowed`]).
    pub embeddable: bool,
    pub file: Blob,
    /// Its index in its file (a collection holds several).
    pub index: u32,
    shaper: ShaperData,
    units_per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("key", &self.key)
            .field("bundled", &self.bundled)
            .field("embeddable", &self.embeddable)
            .finish_non_exhaustive()
    }
}

impl Face {
    pub fn font(&self) -> Option<FontRef<'_>> {
        FontRef::from_index((*self.file).as_ref(), self.index).ok()
    }

    fn new(
        key: String,
        family: String,
        weight: u16,
        bundled: bool,
        file: Blob,
        index: u32,
    ) -> Option<Self> {
        let font = FontRef::from_index((*file).as_ref(), index).ok()?;
        let units_per_em = f32::from(skrifa::raw::TableProvider::head(&font).ok()?.units_per_em());
        let shaper = ShaperData::new(&font);
        let embeddable = super::fonts::embedding_allowed(&font);
        Some(Self {
            key,
            family,
            weight,
            bundled,
            embeddable,
            file,
            index,
            shaper,
            units_per_em,
        })
    }
}

/// The labels' fonts, parsed once for a picture.
pub struct Outliner {
    /// The bundled fonts in use, then those found on the machine; `None` for a font that does not parse
    /// (none should).
    faces: Vec<Option<Face>>,
}

impl std::fmt::Debug for Outliner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outliner")
            .field("faces", &self.faces.len())
            .finish()
    }
}

impl Default for Outliner {
    fn default() -> Self {
        Self::new()
    }
}

impl Outliner {
    /// The fonts in use now: call it after the picture's texts were given their fonts
    /// ([`super::fonts::provide_for`]).
    pub fn new() -> Self {
        let bundled = super::fonts::bundled_fonts().into_iter().map(|f| {
            Face::new(
                f.key.to_owned(),
                f.family.to_owned(),
                f.weight,
                true,
                Arc::new(f.file) as Blob,
                0,
            )
        });
        let found = super::fonts::found()
            .into_iter()
            .map(|f| Face::new(f.key, f.family, 400, false, f.file, f.index));
        Self {
            faces: bundled.chain(found).collect(),
        }
    }

    /// The font at `i` (as [`Outliner::font_for`] numbers them).
    pub fn face(&self, i: usize) -> Option<&Face> {
        self.faces.get(i).and_then(Option::as_ref)
    }

    /// How many fonts there are.
    pub fn len(&self) -> usize {
        self.faces.len()
    }

    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    /// The index of the font that draws `c`: the first that has it (the first font draws its
    /// missing-glyph box when none has).
    pub fn font_for(&self, c: char) -> usize {
        self.faces
            .iter()
            .position(|f| {
                f.as_ref()
                    .and_then(Face::font)
                    .is_some_and(|font| font.charmap().map(c).is_some())
            })
            .unwrap_or(0)
    }

    /// The outlines of a label: `text` at `size` points, as the typesetter placed it.
    pub fn outline(&self, text: &str, size: f32, placed: &PlacedText) -> Vec<PathEl> {
        let mut out = Vec::new();
        let job = layout_job(text, FontId::proportional(size), Color32::BLACK);
        let mut row = 0;
        let mut start = row_start(placed, row);
        for section in &job.sections {
            let Some(piece) = job
                .text
                .get(section.byte_range.start.0..section.byte_range.end.0)
            else {
                continue;
            };
            for (i, line) in piece.split('\n').enumerate() {
                if i > 0 {
                    row += 1;
                    start = row_start(placed, row);
                }
                let Some([x, baseline]) = start.as_mut() else {
                    continue;
                };
                for (face, run) in self.font_runs(line) {
                    *x = self.shape(face, run, size, [*x, *baseline], &mut out);
                }
            }
        }
        out
    }

    /// `line` cut where the font that draws it changes (marks and joiners stay with their letter).
    fn font_runs<'t>(&self, line: &'t str) -> Vec<(usize, &'t str)> {
        let mut runs = Vec::new();
        let mut current: Option<(usize, usize)> = None; // (font, start)
        for (i, c) in line.char_indices() {
            let face = match current {
                Some((face, _)) if bidi::attaches(c) => face,
                _ => self.font_for(c),
            };
            match current {
                Some((f, _)) if f == face => {}
                Some((f, s)) => {
                    runs.push((f, &line[s..i]));
                    current = Some((face, i));
                }
                None => current = Some((face, i)),
            }
        }
        if let Some((f, s)) = current {
            runs.push((f, &line[s..]));
        }
        runs
    }

    /// Shapes `run` with font `face` and outlines its glyphs from `origin` (pen position on the baseline);
    /// returns the pen's x after the run.
    fn shape(
        &self,
        face: usize,
        run: &str,
        size: f32,
        origin: [f32; 2],
        out: &mut Vec<PathEl>,
    ) -> f32 {
        let Some((face, font)) = self
            .faces
            .get(face)
            .and_then(Option::as_ref)
            .and_then(|f| Some((f, f.font()?)))
        else {
            return origin[0];
        };
        let shaper = face.shaper.shaper(&font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(run);
        buffer.guess_segment_properties();
        let glyphs = shaper.shape(buffer, ShapeOptions::new());
        let scale = size / face.units_per_em;
        let outlines = font.outline_glyphs();
        let settings = || DrawSettings::unhinted(Size::new(size), LocationRef::default());
        let mut x = origin[0];
        for (info, pos) in glyphs.glyph_infos().iter().zip(glyphs.glyph_positions()) {
            if let Some(glyph) = outlines.get(GlyphId::new(info.glyph_id)) {
                let mut pen = Pen {
                    out,
                    at: [
                        x + pos.x_offset as f32 * scale,
                        origin[1] - pos.y_offset as f32 * scale,
                    ],
                };
                // A glyph that cannot be drawn is left out; the others still are.
                let _ = glyph.draw(settings(), &mut pen);
            }
            x += pos.x_advance as f32 * scale;
        }
        x
    }
}

/// Where row `row` of a placed label starts: its first glyph's left edge and its baseline, in points.
fn row_start(placed: &PlacedText, row: usize) -> Option<[f32; 2]> {
    let placed_row = placed.galley.rows.get(row)?;
    let first = placed_row.row.glyphs.first()?;
    let left = placed_row
        .row
        .glyphs
        .iter()
        .map(|g| g.pos.x)
        .fold(f32::INFINITY, f32::min);
    Some([
        placed.origin.x + placed_row.pos.x + left,
        placed.origin.y + placed_row.pos.y + first.pos.y,
    ])
}

/// Turns a glyph's outline (font units scaled to points, y up) into path steps on the canvas.
struct Pen<'a> {
    out: &'a mut Vec<PathEl>,
    at: [f32; 2],
}

impl Pen<'_> {
    fn p(&self, x: f32, y: f32) -> [f32; 2] {
        [self.at[0] + x, self.at[1] - y]
    }
}

impl OutlinePen for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = self.p(x, y);
        self.out.push(PathEl::Move(p));
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.p(x, y);
        self.out.push(PathEl::Line(p));
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let (c, p) = (self.p(cx0, cy0), self.p(x, y));
        self.out.push(PathEl::Quad(c, p));
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (c0, c1, p) = (self.p(cx0, cy0), self.p(cx1, cy1), self.p(x, y));
        self.out.push(PathEl::Cubic(c0, c1, p));
    }

    fn close(&mut self) {
        self.out.push(PathEl::Close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::Typesetter;
    use crate::scene::style::ThemeKind;
    use crate::scene::{Anchor, Rgba};

    fn bounds(path: &[PathEl]) -> [f32; 4] {
        let mut b = [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ];
        for el in path {
            let p = match *el {
                PathEl::Move(p) | PathEl::Line(p) | PathEl::Quad(_, p) | PathEl::Cubic(_, _, p) => {
                    p
                }
                PathEl::Close => continue,
            };
            b = [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ];
        }
        b
    }

    #[test]
    fn each_script_is_drawn_by_its_font() {
        let o = Outliner::new();
        assert_eq!(o.font_for('A'), 0);
        assert_eq!(o.font_for('ع'), 1);
        assert_eq!(o.font_for('چ'), 1);
        assert_eq!(o.font_for('ש'), 2);
        assert_eq!(o.font_for(' '), 0);
        assert_eq!(o.font_for('\u{10FFFD}'), 0);
    }

    #[test]
    fn outlines_cover_the_galleys_box() {
        let o = Outliner::new();
        let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
        for text in [
            "Muscat",
            "عباس عراقچی",
            "ירושלים",
            "Araghchi عراقچی in Muscat",
        ] {
            let placed = typesetter.place(
                [100.0, 50.0],
                text,
                20.0,
                Rgba::rgb(0, 0, 0),
                Anchor::Center,
            );
            let path = o.outline(text, 20.0, &placed);
            assert!(path.len() > 10, "{text}");
            let [x0, y0, x1, y1] = bounds(&path);
            let size = placed.galley.size();
            let (left, top) = (placed.origin.x, placed.origin.y);
            // Within the galley's box, give or take a pixel, and nearly as wide.
            assert!(
                x0 >= left - 2.0 && x1 <= left + size.x + 2.0,
                "{text}: {x0}..{x1} vs {left}+{}",
                size.x
            );
            assert!(x1 - x0 > size.x * 0.8, "{text}: {} vs {}", x1 - x0, size.x);
            assert!(
                y0 >= top - 2.0 && y1 <= top + size.y + 2.0,
                "{text}: {y0}..{y1} vs {top}+{}",
                size.y
            );
        }
    }
}
