//! The map under the scenario: the embedded Natural Earth world at two levels of detail (embedded.rs, in
//! the compact format of compact.rs), country names and the scenario's spellings of them (countries.rs),
//! the default region (region.rs), and the layers prepared for drawing (prepare.rs). The layers themselves
//! are [`crate::model::map`]'s.

pub mod compact;
pub mod countries;
pub mod embedded;
pub mod prepare;
pub mod region;
