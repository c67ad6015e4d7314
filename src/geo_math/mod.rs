//! Geometry maths for the map: projections, the camera, antimeridian splits, topology and simplification.
//! No egui here: the scene and the exports use it as much as the window.

pub mod antimeridian;
pub mod camera;
pub mod projection;
pub mod topology;
