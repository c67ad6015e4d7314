//! The TopoJSON reader's checks of what a JSON reader lets pass: keys given twice, `bbox` values, and
//! positions that a `transform` decodes to unusable values.

use serde_json::Value;

use super::{Decoder, at};
use crate::diagnostics::Diagnostic;
use crate::io::json::{Duplicates, Problem, Seg, path_string};
use crate::io::kept::echo;

/// Decoded coordinates beyond this (in any unit) are taken for an overflow.
pub(super) const SANE_COORDINATE: f64 = 1e9;

impl Decoder {
    fn warning(&mut self, message: impl Into<String>, path: Vec<Seg>) {
        self.problems
            .push(Problem::at(Diagnostic::warning(message), path));
    }

    /// Keys given twice: an error for a structural member (`type`, `arcs`, `transform`, `objects`...),
    /// whose meaning would depend on which copy a reader keeps; a warning in `properties`, where real files
    /// do repeat keys and the last value is used (as by most JSON readers).
    pub(super) fn duplicates(&mut self, found: Duplicates) {
        let noted = found.noted.len();
        for dup in found.noted {
            let in_properties = matches!(dup.object.last(), Some(Seg::Key(k)) if k == "properties");
            let mut path = dup.object;
            path.push(Seg::Key(dup.key.clone().into()));
            let d = if in_properties {
                Diagnostic::warning(format!(
                    "the property `{}` is given twice: the last value is used",
                    dup.key
                ))
                .hint("give each property once")
            } else {
                Diagnostic::error(format!("duplicate member `{}`", dup.key))
                    .hint("an object may have each member once: which one a reader keeps differs")
            };
            let d = d.path(path_string(&path));
            self.problems.push(match dup.span {
                Some(span) => Problem::placed(d.at(span)),
                None => Problem::at(d, path),
            });
        }
        if found.count > noted {
            self.problems
                .push(Problem::placed(Diagnostic::error(format!(
                    "... and {} more keys given twice, not shown",
                    found.count - noted
                ))));
        }
    }

    /// A `bbox` (of the topology or of an object): 4 or 6 numbers, an error otherwise; longitudes and
    /// latitudes out of range are warned of (a projected topology is drawn as if they were degrees).
    pub(super) fn bbox(&mut self, value: Option<&Value>, path: &[Seg]) {
        let Some(value) = value else {
            return;
        };
        let p = at(path, &[Seg::key("bbox")]);
        let numbers: Option<Vec<f64>> = match value {
            Value::Array(v) if v.len() == 4 || v.len() == 6 => {
                v.iter().map(Value::as_f64).collect()
            }
            _ => None,
        };
        let Some(numbers) = numbers else {
            self.error(
                format!(
                    "`bbox` must be an array of 4 or 6 numbers, found {}",
                    echo(&value.to_string())
                ),
                p,
            );
            return;
        };
        let dims = numbers.len() / 2;
        let out = numbers.iter().enumerate().find(|&(i, v)| {
            let limit = match i % dims {
                0 => 180.0,
                1 => 90.0,
                _ => f64::INFINITY,
            };
            !v.is_finite() || v.abs() > limit
        });
        if let Some((i, v)) = out {
            let mut p = p;
            p.push(Seg::Index(i));
            self.warning(
                format!(
                    "`bbox` value {v} is out of range for {} (a projected topology is drawn as if it were in degrees)",
                    if i % dims == 0 { "a longitude" } else { "a latitude" }
                ),
                p,
            );
        }
    }

    /// A decoded position that is not finite or absurdly large (a `transform` whose scale or translate,
    /// times the summed deltas, overflows): warned of once, at the first, with the count.
    pub(super) fn overflow(&mut self, path: &[Seg], decoded: [f64; 2]) {
        self.overflows += 1;
        if self.overflows == 1 {
            self.warning(
                format!(
                    "a position decodes to [{:e}, {:e}], not a usable coordinate: the `transform` (scale and translate) and the arc's deltas overflow",
                    decoded[0], decoded[1]
                ),
                path.to_vec(),
            );
            self.overflow_warning = Some(self.problems.len() - 1);
        }
    }
}
