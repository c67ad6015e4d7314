//! Helpers shared by test files (`mod support;`).
#![allow(dead_code)] // Each test file uses some of them.

pub mod app;
pub mod cpu_renderer;
pub mod fixtures;
pub mod gdelt_columns;
pub mod gulf_sheets;
pub mod scenario_text;
pub mod shared_files;
