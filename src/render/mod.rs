//! Backends that draw a [`crate::scene::Scene`]: the window (egui), SVG and PNG. A backend turns scene
//! items into its own primitives and nothing more: what to draw, and what to keep between frames
//! ([`crate::scene::cache`]), is the scene's business.
//!
//! - [`egui_painter`]: the window; egui shapes, with the base layers kept tessellated between frames, and
//!   the basemap kept on the GPU: [`basemap_mesh`] makes it once per zoom level in world coordinates,
//!   [`gl_basemap`] uploads it and draws it with the camera as a uniform (or egui draws the same mesh).
//! - [`svg`]: one SVG element per item (runs of equal thin lines as one path); labels as text, text with
//!   embedded fonts, or glyph outlines ([`glyphs`]).
//! - [`raster`] and [`png`]: tiny-skia, in bands; [`outline`]: filled meshes as outlines.
//! - [`text`]: the one place where labels are laid out (fonts, [`bidi`] order), so exported labels are the
//!   window's; [`fonts`]: the system's fonts for scripts none of the bundled fonts has.

pub mod basemap_mesh;
pub mod bidi;
pub mod egui_painter;
pub mod font_subset;
pub mod fonts;
pub mod gl_basemap;
pub mod glyphs;
pub mod outline;
pub mod png;
pub mod raster;
pub mod svg;
mod svg_text;
pub mod text;
