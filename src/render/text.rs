//! The one place where the map's text is laid out, for the window and the file backends alike.
//!
//! The window draws a [`crate::scene::Item::Text`] as an egui galley: epaint shapes it with harfrust, places
//! each glyph on the pixel grid and rasterises it into its glyph atlas (on the CPU). The PNG backend uses the
//! same fonts ([`font_definitions`]: egui's Ubuntu Light, then the bundled Noto Sans Arabic and Hebrew, all
//! compiled into the binary), the same layout job ([`layout_job`], which puts right-to-left runs in visual
//! order, see [`super::bidi`]) and the same atlas, so the PNG's text is the window's text, pixel for pixel,
//! with no system fonts. The SVG backend uses the layout for the place of each label, and the fonts to embed
//! them or to draw the text as outlines.

use std::sync::Arc;

use egui::emath::GuiRounding as _;
use egui::epaint::text::{
    Blob, ByteIndex, FontData, FontDefinitions, FontFamily, Fonts, FontsView, Galley, LayoutJob,
    LayoutSection, TextFormat, TextOptions, ViewportKey,
};
use egui::epaint::{Color32, ColorImage, FontColorTransferFunction, FontId};
use egui::{Align2, Pos2, pos2};

use super::bidi;

use crate::scene::style::ThemeKind;
use crate::scene::{Anchor, Rgba};

/// The font family name of the font the PNG uses, for SVG `font-family` (with fallbacks).
pub const FONT_FAMILY: &str = "Ubuntu";
/// The weight of that font (Ubuntu Light).
pub const FONT_WEIGHT: u16 = 300;
/// The font itself (Ubuntu Light, from `epaint_default_fonts`), e.g. to give an SVG renderer.
pub const FONT_BYTES: &[u8] = epaint_default_fonts::UBUNTU_LIGHT;

/// A font the labels are drawn with.
#[derive(Clone, Copy, Debug)]
pub struct BundledFont {
    /// Its name among egui's fonts.
    pub key: &'static str,
    /// Its family name, as a CSS `font-family` or a font database knows it.
    pub family: &'static str,
    /// Its weight (CSS `font-weight`).
    pub weight: u16,
    /// The file, compiled into the binary once (a static, not copied into each place that names it).
    pub file: &'static [u8],
}

macro_rules! noto {
    ($script:literal) => {
        BundledFont {
            key: concat!("NotoSans", $script, "-Regular"),
            family: concat!("Noto Sans ", $script),
            weight: 400,
            file: include_bytes!(concat!(
                "../../assets/fonts/NotoSans",
                $script,
                "-Regular.ttf"
            )),
        }
    };
}

/// The labels' fonts, in the order a character is looked up: egui's Ubuntu Light for Latin, Greek and
/// Cyrillic, then the Noto Sans fonts of the scripts whose fonts are small (`assets/fonts`, about 1.6 MB
/// in all, SIL Open Font License): Arabic (Arabic, Persian, Urdu), Hebrew, the Indic scripts most read
/// (Devanagari, Bengali, Gurmukhi, Tamil), South-East Asia's (Thai, Lao, Khmer, Myanmar), Georgian,
/// Armenian and Ethiopic. Han, Hangul and kana, whose fonts weigh 10 MB and more, and the other scripts come
/// from the system's fonts when a text needs them ([`super::fonts`]). egui's icon font comes after them.
pub static FONTS: [BundledFont; 14] = [
    BundledFont {
        key: "Ubuntu-Light",
        family: FONT_FAMILY,
        weight: FONT_WEIGHT,
        file: FONT_BYTES,
    },
    noto!("Arabic"),
    noto!("Hebrew"),
    noto!("Devanagari"),
    noto!("Bengali"),
    noto!("Gurmukhi"),
    noto!("Tamil"),
    noto!("Thai"),
    noto!("Lao"),
    noto!("Khmer"),
    noto!("Myanmar"),
    noto!("Georgian"),
    noto!("Armenian"),
    noto!("Ethiopic"),
];

/// The files of [`FONTS`], in order, as egui holds them.
pub fn font_files() -> Vec<Blob> {
    FONTS.iter().map(|f| Arc::new(f.file) as Blob).collect()
}

/// egui's default fonts with the bundled script fonts as fallbacks, then the system's fonts found for
/// scripts none of them has ([`super::fonts::found`]), in both families (the window's panels show names
/// too): what the window installs ([`super::egui_painter::install_fonts`]) and the file backends use, so
/// that they draw the same glyphs.
pub fn font_definitions() -> FontDefinitions {
    let mut definitions = FontDefinitions::default();
    let mut fallbacks = Vec::new();
    for font in super::fonts::bundled_fonts().into_iter().skip(1) {
        definitions.font_data.insert(
            font.key.to_owned(),
            Arc::new(FontData::from_static(font.file)),
        );
        fallbacks.push(font.key.to_owned());
    }
    for found in super::fonts::found() {
        definitions
            .font_data
            .insert(found.key.clone(), Arc::new(found.font_data()));
        fallbacks.push(found.key.clone());
    }
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = definitions.families.entry(family).or_default();
        // Before egui's icon and emoji fonts, which are the last resort.
        let at = list
            .iter()
            .position(|name| name == "egui-icons")
            .unwrap_or(list.len());
        for (i, key) in fallbacks.iter().enumerate() {
            list.insert(at + i, key.clone());
        }
    }
    definitions
}

/// The layout job of a label: one line per `\n`, no wrapping, right-to-left runs in visual order.
///
/// Text with nothing right to left is one section, as egui's `layout_no_wrap` makes it. Otherwise each
/// [`bidi::Piece`] is a section of its own, so that egui shapes it on its own and puts it to the right of
/// the one before.
pub fn layout_job(text: &str, font: FontId, color: Color32) -> LayoutJob {
    let job = LayoutJob::simple(text.to_owned(), font, color, f32::INFINITY);
    if !bidi::has_rtl(text) {
        return job;
    }
    let format = TextFormat::simple(job.sections[0].format.font_id.clone(), color);
    pieces_job(bidi::visual_pieces(text), &format)
}

/// A job laying out `pieces` left to right on one line, each its own section in `format`.
pub fn pieces_job(pieces: Vec<bidi::Piece>, format: &TextFormat) -> LayoutJob {
    let mut job = LayoutJob::default();
    job.wrap.max_width = f32::INFINITY;
    for piece in pieces {
        let start = ByteIndex(job.text.len());
        job.text.push_str(&piece.text);
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range: start..ByteIndex(job.text.len()),
            format: format.clone(),
        });
    }
    if job.sections.is_empty() {
        // An empty line is as tall as a line of text.
        job.sections.push(LayoutSection {
            leading_space: 0.0,
            byte_range: ByteIndex(0)..ByteIndex(0),
            format: format.clone(),
        });
    }
    job
}

/// One line of a wrapped text, laid out, and which edge it hugs.
#[derive(Clone, Debug)]
pub struct WrappedLine {
    pub galley: Arc<Galley>,
    /// Its paragraph runs right to left: the line is put against the right edge.
    pub rtl: bool,
}

/// `text` in `format`, wrapped at `width` points and laid out line by line in visual order (see
/// [`bidi::wrap`]): what a panel shows of a paragraph that may run right to left. egui's own wrapping
/// would break a line already reordered as a whole, and show a right-to-left paragraph's lines from the
/// last to the first.
pub fn wrapped_lines(
    fonts: &mut FontsView<'_>,
    text: &str,
    format: &TextFormat,
    width: f32,
) -> Vec<WrappedLine> {
    let mut measure = |line: &str| {
        let job = pieces_job(bidi::visual_pieces(line), format);
        fonts.layout_job(job).size().x
    };
    let lines = bidi::wrap(text, width, &mut measure);
    lines
        .into_iter()
        .map(|line| WrappedLine {
            galley: fonts.layout_job(pieces_job(line.pieces, format)),
            rtl: line.rtl,
        })
        .collect()
}

/// Where egui puts a text's anchor point, as an [`Align2`] (the window's painter uses the same).
pub fn align(anchor: Anchor) -> Align2 {
    match anchor {
        Anchor::Center => Align2::CENTER_CENTER,
        Anchor::LeftCenter => Align2::LEFT_CENTER,
        Anchor::RightCenter => Align2::RIGHT_CENTER,
        Anchor::CenterTop => Align2::CENTER_TOP,
        Anchor::CenterBottom => Align2::CENTER_BOTTOM,
    }
}

/// A laid-out text at its place on the canvas.
#[derive(Clone, Debug)]
pub struct PlacedText {
    pub galley: Arc<Galley>,
    /// The galley's top-left corner, in points, on the pixel grid as the tessellator puts it.
    pub origin: Pos2,
}

impl PlacedText {
    /// The baseline of the first row, in points.
    pub fn baseline(&self) -> f32 {
        let Some(row) = self.galley.rows.first() else {
            return self.origin.y;
        };
        let ascent = row.row.glyphs.first().map_or(row.row.size.y, |g| g.pos.y);
        self.origin.y + row.pos.y + ascent
    }
}

/// epaint's fonts at one pixel density, with the text options of a map theme.
pub struct Typesetter {
    fonts: Fonts,
    pixels_per_point: f32,
    options: TextOptions,
    /// The fonts in use when `fonts` was made ([`super::fonts::generation`]).
    found_fonts: usize,
}

impl std::fmt::Debug for Typesetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Typesetter")
            .field("pixels_per_point", &self.pixels_per_point)
            .finish_non_exhaustive()
    }
}

impl Typesetter {
    /// Fonts for drawing at `pixels_per_point` (the export's scale) on a map of `theme`.
    pub fn new(pixels_per_point: f32, theme: ThemeKind) -> Self {
        let options = text_options(theme);
        Self {
            fonts: Fonts::new(options, font_definitions()),
            pixels_per_point,
            options,
            found_fonts: super::fonts::generation(),
        }
    }

    pub fn pixels_per_point(&self) -> f32 {
        self.pixels_per_point
    }

    /// Starts a new picture: lets the layout cache forget texts no longer drawn (an animation keeps one
    /// typesetter for all its frames).
    pub fn begin_pass(&mut self) {
        self.fonts.begin_pass(self.options, ViewportKey::default());
    }

    /// Makes sure the fonts have the scripts of `texts`, with the machine's fonts for those no bundled
    /// font has, as the window uses them ([`super::fonts::provide_for`]). Call it with all the texts of a
    /// picture before placing any: new fonts start a new glyph atlas.
    pub fn prepare<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) {
        super::fonts::provide_for(texts);
        let found = super::fonts::generation();
        if found != self.found_fonts {
            self.fonts = Fonts::new(self.options, font_definitions());
            self.found_fonts = found;
        }
    }

    /// Lays out `text` and places it as the window's painter does: `anchor` of the text's box at `pos`,
    /// the box's corner rounded to the pixel grid.
    pub fn place(
        &mut self,
        pos: [f32; 2],
        text: &str,
        size: f32,
        color: Rgba,
        anchor: Anchor,
    ) -> PlacedText {
        let c = Color32::from_rgba_unmultiplied(color.0[0], color.0[1], color.0[2], color.0[3]);
        self.prepare([text]);
        let galley = self
            .fonts
            .with_pixels_per_point(self.pixels_per_point)
            .layout_job(layout_job(text, FontId::proportional(size), c));
        let rect = align(anchor).anchor_size(pos2(pos[0], pos[1]), galley.size());
        PlacedText {
            galley,
            origin: rect.min.round_to_pixels(self.pixels_per_point),
        }
    }

    /// The glyph atlas the placed texts point into (call after placing them).
    pub fn atlas(&self) -> Arc<ColorImage> {
        Arc::new(self.fonts.image())
    }
}

/// The text options egui uses for a light or a dark look.
pub fn text_options(theme: ThemeKind) -> TextOptions {
    TextOptions {
        color_transfer_function: match theme {
            ThemeKind::Light => FontColorTransferFunction::LIGHT_MODE_DEFAULT,
            ThemeKind::Dark => FontColorTransferFunction::DARK_MODE_DEFAULT,
        },
        ..TextOptions::default()
    }
}
