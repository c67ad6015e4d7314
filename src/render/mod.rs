//! Backends that draw a [`crate::scene::Scene`]: the window (egui), and later SVG and PNG.

pub mod egui_painter;
