//! The one problem sink of the JSON readers: a problem carries the path of the value it is about, and is
//! placed in the text (given its span and its path) only when it is reported.

use std::ops::Range;

use super::{Locator, Seg, path_string};
use crate::diagnostics::Diagnostic;

/// A problem, and where to place it when the encoding gave no span: the path of the value it points at
/// (usually the diagnostic's own path; for "no time zone", the venue's `id`).
#[derive(Debug)]
pub struct Problem {
    pub diagnostic: Diagnostic,
    pub anchor: Option<Vec<Seg>>,
}

impl Problem {
    /// A problem about the value at `anchor`.
    pub fn at(diagnostic: Diagnostic, anchor: Vec<Seg>) -> Self {
        Self {
            diagnostic,
            anchor: Some(anchor),
        }
    }

    /// A problem that already has its place, or has none.
    pub fn placed(diagnostic: Diagnostic) -> Self {
        Self {
            diagnostic,
            anchor: None,
        }
    }
}

impl Locator<'_> {
    /// The diagnostic of a map file's problem: the span of its anchor's value (if it has none yet) and
    /// the anchor as its path (if it has none yet).
    pub fn place(&mut self, problem: Problem) -> Diagnostic {
        let mut d = problem.diagnostic;
        if let Some(path) = problem.anchor {
            if d.span.is_none() {
                d.span = self.locate(&path);
            }
            if d.path.is_empty() {
                d.path = path_string(&path);
            }
        }
        d
    }

    /// The diagnostic of a scenario's problem: the span of its anchor (if it has none yet), or of the
    /// nearest enclosing value that is found (a missing field is reported at its object).
    pub fn place_within(&mut self, problem: Problem) -> Diagnostic {
        let mut d = problem.diagnostic;
        if d.span.is_none()
            && let Some(anchor) = problem.anchor
        {
            d.span = self.locate_or_enclosing(&anchor);
        }
        d
    }

    /// The span of the value at `path`, or of the nearest enclosing one that exists.
    pub fn locate_or_enclosing(&mut self, path: &[Seg]) -> Option<Range<usize>> {
        (0..=path.len()).rev().find_map(|n| self.locate(&path[..n]))
    }
}

/// Sorts diagnostics in file order, those without a place last.
pub fn sort_in_file_order(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
}
