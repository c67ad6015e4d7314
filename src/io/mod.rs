//! Reading users' files: scenarios and map layers (GeoJSON, TopoJSON), with errors that say where.

pub mod geojson;
pub mod json;
pub mod kept;
pub mod map_file;
pub mod scenario;
pub mod text;
pub mod topojson;
