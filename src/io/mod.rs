//! Reading users' files: scenarios (and, later, basemaps), with errors that say where.

pub mod scenario;
pub mod text;
