//! Helpers shared by test files (`mod support;`).

pub mod cpu_renderer;
