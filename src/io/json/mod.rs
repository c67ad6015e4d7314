//! Places in a JSON text: one path type ([`Seg`]s from the root, or a [`FieldPath`] built on the stack),
//! the [`Locator`] that finds a path's span in the text, and the one problem type ([`Problem`]) every
//! JSON reader (GeoJSON, TopoJSON, JSON scenarios) records and places through it.

mod dupes;
mod locate;
mod path;
mod problem;

pub use dupes::{Duplicate, Duplicates, ValueNotingDuplicates, from_str_noting_duplicates};
pub use locate::{Locator, byte_offset, message_without_position, syntax_diagnostic, value_kind};
pub use path::{FieldPath, ROOT, Seg, path_string};
pub use problem::{Problem, sort_in_file_order};
