//! demarche: a desktop map viewer for diplomacy in motion.
//!
//! The model, the time maths and the file readers never touch egui; only [`app`] and [`ui`] do.

pub mod app;
pub mod basemap;
pub mod cli;
pub mod diagnostics;
pub mod export;
pub mod geo_math;
pub mod import;
pub mod io;
pub mod job;
pub mod model;
pub mod playback;
pub mod render;
pub mod scene;
pub mod synth;
pub mod ui;
