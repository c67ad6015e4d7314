//! Paths of values in a JSON document (`features[12].geometry.coordinates[0][3]`): one type, [`Seg`]s
//! from the root, used by every reader to say where a problem is and by the [`super::Locator`] to find
//! its place in the text. [`FieldPath`] is the same path built on the stack while checking (it costs
//! nothing until a problem is reported, then becomes segments); serde_path_to_error's paths are turned
//! into segments by [`Seg::from_serde`].

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;

/// One step of a path: a member of an object or an element of an array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(Cow<'static, str>),
    Index(usize),
}

impl Seg {
    /// A member whose name is known at compile time (no allocation).
    pub const fn key(name: &'static str) -> Self {
        Seg::Key(Cow::Borrowed(name))
    }

    /// A step of serde_path_to_error's path as a step of ours (`None` for enum variants and unknown
    /// steps, which are not places in the text).
    pub fn from_serde(segment: &serde_path_to_error::Segment) -> Option<Seg> {
        match segment {
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(Cow::Owned(key.clone()))),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {
                None
            }
        }
    }
}

/// `features[12].geometry.coordinates[0]`, as [`crate::diagnostics::Diagnostic::path`] shows it.
pub fn path_string(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// The path of a value in the file, built on the stack as the checks descend and written out only when a
/// problem is reported: `contacts[3].participants[1].actor`.
#[derive(Clone, Copy, Debug)]
pub enum FieldPath<'p> {
    Root,
    Key(&'p FieldPath<'p>, &'static str),
    Index(&'p FieldPath<'p>, usize),
}

/// The file itself.
pub const ROOT: &FieldPath<'static> = &FieldPath::Root;

impl<'p> FieldPath<'p> {
    pub fn key(&'p self, key: &'static str) -> FieldPath<'p> {
        FieldPath::Key(self, key)
    }

    pub fn index(&'p self, index: usize) -> FieldPath<'p> {
        FieldPath::Index(self, index)
    }

    /// The steps from the root, for locating the value in a JSON text.
    pub fn segs(&self) -> Vec<Seg> {
        let mut segs = match self {
            FieldPath::Root => return Vec::new(),
            FieldPath::Key(parent, _) | FieldPath::Index(parent, _) => parent.segs(),
        };
        segs.push(match *self {
            FieldPath::Key(_, key) => Seg::key(key),
            FieldPath::Index(_, index) => Seg::Index(index),
            FieldPath::Root => unreachable!("handled above"),
        });
        segs
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Root => Ok(()),
            FieldPath::Key(FieldPath::Root, key) => f.write_str(key),
            FieldPath::Key(parent, key) => write!(f, "{parent}.{key}"),
            FieldPath::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::io::json) fn path(text: &str) -> Vec<Seg> {
        // Test helper: `a.b[1]` style paths with plain keys.
        let mut segs = Vec::new();
        for part in text.split('.') {
            let (key, rest) = part.split_once('[').unwrap_or((part, ""));
            if !key.is_empty() {
                segs.push(Seg::Key(Cow::Owned(key.to_owned())));
            }
            for index in rest.split('[') {
                if let Some(i) = index.strip_suffix(']') {
                    segs.push(Seg::Index(i.parse().expect("index")));
                }
            }
        }
        segs
    }

    #[test]
    fn paths_read_like_javascript() {
        let p = path("features[12].geometry.coordinates[0][3]");
        assert_eq!(path_string(&p), "features[12].geometry.coordinates[0][3]");
        assert_eq!(path_string(&[Seg::Index(2)]), "[2]");
    }

    #[test]
    fn paths_are_written_like_the_file_reads() {
        let contacts = ROOT.key("contacts");
        let contact = contacts.index(3);
        let participants = contact.key("participants");
        let participant = participants.index(1);
        let actor = participant.key("actor");
        assert_eq!(actor.to_string(), "contacts[3].participants[1].actor");
        assert_eq!(ROOT.key("format").to_string(), "format");
        assert_eq!(ROOT.to_string(), "");
        assert_eq!(
            actor.segs(),
            vec![
                Seg::key("contacts"),
                Seg::Index(3),
                Seg::key("participants"),
                Seg::Index(1),
                Seg::key("actor"),
            ]
        );
    }
}
