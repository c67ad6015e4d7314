//! Text for the file backends, laid out and rasterised by epaint exactly as the window does.
//!
//! The window draws a [`crate::scene::Item::Text`] as an egui galley: epaint shapes it with harfrust, places
//! each glyph on the pixel grid and rasterises it into its glyph atlas (on the CPU). The PNG backend uses the
//! same `Fonts` (egui's default proportional font, Ubuntu Light, compiled into the binary), the same layout
//! and the same atlas, so the PNG's text is the window's text, pixel for pixel, with no system fonts. The SVG
//! backend uses the layout only, for the baseline of each label.

use std::sync::Arc;

use egui::emath::GuiRounding as _;
use egui::epaint::text::{FontDefinitions, Fonts, Galley, TextOptions, ViewportKey};
use egui::epaint::{Color32, ColorImage, FontColorTransferFunction, FontId};
use egui::{Align2, Pos2, pos2};

use crate::scene::style::ThemeKind;
use crate::scene::{Anchor, Rgba};

/// The font family name of the font the PNG uses, for SVG `font-family` (with fallbacks).
pub const FONT_FAMILY: &str = "Ubuntu";
/// The weight of that font (Ubuntu Light).
pub const FONT_WEIGHT: u16 = 300;
/// The font itself (Ubuntu Light, from `epaint_default_fonts`), e.g. to give an SVG renderer.
pub const FONT_BYTES: &[u8] = epaint_default_fonts::UBUNTU_LIGHT;

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
            fonts: Fonts::new(options, FontDefinitions::default()),
            pixels_per_point,
            options,
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
        let galley = self
            .fonts
            .with_pixels_per_point(self.pixels_per_point)
            .layout_no_wrap(text.to_owned(), FontId::proportional(size), c);
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
