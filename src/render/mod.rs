//! Backends that draw a [`crate::scene::Scene`]: the window (egui), SVG and PNG.

pub mod egui_painter;
pub mod outline;
pub mod png;
pub mod raster;
pub mod svg;
pub mod text;
