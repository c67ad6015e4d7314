//! The map under the scenario: the embedded Natural Earth layers (embedded.rs), the region they detail
//! (region.rs), and the layers prepared for drawing (prepare.rs). The layers themselves are
//! [`crate::model::map`]'s.

pub mod embedded;
pub mod prepare;
pub mod region;
