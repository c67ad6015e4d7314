//! Geometry maths for the map: projections, the camera, antimeridian splits, topology and simplification.
//! No egui here: the scene and the exports use it as much as the window.

pub mod antimeridian;
pub mod camera;
pub mod clip;
pub mod projection;
pub mod topology;

/// The `../shared` rule of the integration tests, for the unit tests here that read the GeoJSON corpus (a
/// note when it is missing, a failure under `DEMARCHE_REQUIRE_CORPUS=1`).
#[cfg(test)]
#[path = "../../tests/support/shared_files.rs"]
mod shared_files;
