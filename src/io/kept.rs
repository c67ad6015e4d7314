//! The problems of a file, kept within bounds: the first [`SHOWN_PROBLEMS`] in file order are stored, the
//! others only counted, and each stored one is cut to a bounded size ([`bounded`]). A file with millions of
//! problems then costs the memory of a thousand, and its report still says how many there are.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::diagnostics::{Diagnostic, Omitted};
use crate::io::json::Problem;

/// At most this many problems are shown for a file (the first ones in it); the report counts the others.
pub const SHOWN_PROBLEMS: usize = 1000;

/// The longest message, hint or path kept, in bytes: echoed user text (a 10 MB "name") is cut with `…`.
pub const MAX_TEXT_BYTES: usize = 300;

/// The longest span kept, in bytes: a problem about a huge value points at its start.
pub const MAX_SPAN_BYTES: usize = 1024;

/// Something a file's problems are made of: a diagnostic, or a problem not yet placed in the text.
pub trait Item {
    fn diagnostic(&self) -> &Diagnostic;
    fn diagnostic_mut(&mut self) -> &mut Diagnostic;
}

impl Item for Diagnostic {
    fn diagnostic(&self) -> &Diagnostic {
        self
    }
    fn diagnostic_mut(&mut self) -> &mut Diagnostic {
        self
    }
}

impl Item for Problem {
    fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }
    fn diagnostic_mut(&mut self) -> &mut Diagnostic {
        &mut self.diagnostic
    }
}

/// Where an item goes among the others: its place in the text (problems without one first, as in a
/// report), then an order given by the caller (the index of the contact it is about, for problems that
/// have no place yet), then the order it came in.
type Rank = (usize, usize, u64);

#[derive(Debug)]
struct Entry<T> {
    rank: Rank,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.rank == other.rank
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank.cmp(&other.rank)
    }
}

/// The first `limit` items in file order (a heap whose largest is dropped when a smaller one comes), and
/// the count of the others.
#[derive(Debug)]
pub struct Kept<T> {
    heap: BinaryHeap<Entry<T>>,
    limit: usize,
    next: u64,
    omitted: Omitted,
    errors: usize,
}

impl<T: Item> Default for Kept<T> {
    fn default() -> Self {
        Self::new(SHOWN_PROBLEMS)
    }
}

impl<T: Item> Kept<T> {
    pub fn new(limit: usize) -> Self {
        Self {
            heap: BinaryHeap::new(),
            limit,
            next: 0,
            omitted: Omitted::default(),
            errors: 0,
        }
    }

    /// Marks the problems as those of the syntax only (see [`Omitted::only_syntax`]).
    pub fn only_syntax(&mut self) {
        self.omitted.only_syntax = true;
    }

    /// Keeps `item` if it is among the first; counts it either way.
    pub fn push(&mut self, item: T) {
        self.push_ordered(item, 0);
    }

    /// Keeps `item` (which has no place yet, or shares one) in the order `order` among others.
    pub fn push_ordered(&mut self, mut item: T, order: usize) {
        let d = item.diagnostic_mut();
        bound(d);
        if d.is_error() {
            self.errors += 1;
        }
        let rank = (d.span.as_ref().map_or(0, |s| s.start), order, self.next);
        self.next += 1;
        if self.heap.len() < self.limit {
            self.heap.push(Entry { rank, item });
            return;
        }
        let dropped = match self.heap.peek_mut() {
            Some(mut last) if rank < last.rank => {
                std::mem::replace(&mut *last, Entry { rank, item })
            }
            _ => Entry { rank, item },
        };
        self.omitted.count(dropped.item.diagnostic());
    }

    pub fn extend(&mut self, items: impl IntoIterator<Item = T>) {
        for item in items {
            self.push(item);
        }
    }

    /// Takes in another list's items and counts.
    pub fn append(&mut self, other: Kept<T>) {
        self.omitted.errors += other.omitted.errors;
        self.omitted.warnings += other.omitted.warnings;
        self.errors += other.omitted.errors;
        for entry in other.heap.into_sorted_vec() {
            self.push_ordered(entry.item, entry.rank.1);
        }
    }

    /// Whether any item, kept or not, is an error.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// How many items came, kept or not.
    pub fn total(&self) -> usize {
        self.heap.len() + self.omitted.errors + self.omitted.warnings
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// The items kept, in their order, and the count of the others.
    pub fn into_parts(self) -> (Vec<T>, Omitted) {
        let items = self
            .heap
            .into_sorted_vec()
            .into_iter()
            .map(|e| e.item)
            .collect();
        (items, self.omitted)
    }

    /// The items kept, turned into other items (placed in the text), with the same count of the others.
    pub fn map<U: Item>(self, f: impl FnMut(T) -> U) -> Kept<U> {
        let limit = self.limit;
        let (items, omitted) = self.into_parts();
        let mut out = Kept::new(limit);
        out.extend(items.into_iter().map(f));
        out.omitted = omitted;
        out.errors += omitted.errors;
        out
    }
}

/// Cuts what a diagnostic keeps to a bounded size: its message, hint and path to [`MAX_TEXT_BYTES`] (with
/// `…`), its span to [`MAX_SPAN_BYTES`].
pub fn bound(d: &mut Diagnostic) {
    cut(&mut d.message);
    cut(&mut d.path);
    if let Some(hint) = &mut d.hint {
        cut(hint);
    }
    if let Some(span) = &mut d.span
        && span.len() > MAX_SPAN_BYTES
    {
        span.end = span.start + MAX_SPAN_BYTES;
    }
}

/// `text` cut to at most [`MAX_TEXT_BYTES`] (on a character boundary), ending with `…` when it was cut.
fn cut(text: &mut String) {
    if text.len() <= MAX_TEXT_BYTES {
        return;
    }
    let mut end = MAX_TEXT_BYTES - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push('…');
    text.shrink_to_fit();
}

/// `text` for a message: as is when short, else its start and `…` (so a 10 MB value is never copied into
/// a message only to be cut).
pub fn echo(text: &str) -> std::borrow::Cow<'_, str> {
    const ECHO_BYTES: usize = 120;
    if text.len() <= ECHO_BYTES {
        return text.into();
    }
    let mut end = ECHO_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: usize) -> Diagnostic {
        Diagnostic::error(format!("at {start}")).at(start..start + 1)
    }

    #[test]
    fn the_first_in_file_order_are_kept_and_the_others_counted() {
        let mut kept = Kept::new(3);
        for start in [50, 10, 40, 30, 20, 60] {
            kept.push(at(start));
        }
        kept.push(Diagnostic::warning("late").at(70..71));
        assert_eq!(kept.total(), 7);
        let (items, omitted) = kept.into_parts();
        let starts: Vec<usize> = items
            .iter()
            .filter_map(|d| d.span.clone())
            .map(|s| s.start)
            .collect();
        assert_eq!(starts, vec![10, 20, 30]);
        assert_eq!((omitted.errors, omitted.warnings), (3, 1));
    }

    #[test]
    fn long_texts_and_spans_are_cut() {
        let mut d = Diagnostic::error(format!("unknown kind `{}`", "é".repeat(100_000)))
            .at(5..5_000_000)
            .hint("x".repeat(10_000))
            .path("y".repeat(10_000));
        bound(&mut d);
        assert!(d.message.len() <= MAX_TEXT_BYTES && d.message.ends_with('…'));
        assert!(d.message.starts_with("unknown kind `é"));
        assert!(d.hint.as_deref().is_some_and(|h| h.len() <= MAX_TEXT_BYTES));
        assert!(d.path.len() <= MAX_TEXT_BYTES);
        assert_eq!(d.span, Some(5..5 + MAX_SPAN_BYTES));
        assert_eq!(echo("short"), "short");
        assert!(echo(&"a".repeat(1000)).ends_with("a…"));
    }
}
