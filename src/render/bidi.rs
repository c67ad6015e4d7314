//! Text with right-to-left runs, cut into pieces in visual order for egui's layout.
//!
//! egui 0.37 shapes each run of one font with harfrust, which guesses the run's direction from its script:
//! an Arabic or Hebrew word comes out joined and turned around, right to left. But egui puts the runs, and
//! the words between spaces (a space is a run of the Latin font), one after the other from left to right in
//! the order they are written: "عباس عراقچی" would read "عراقچی" second from the right instead of first.
//! This module applies the Unicode bidirectional algorithm (`unicode-bidi`: paragraph level, embedding
//! levels, runs in visual order) and cuts each line into [`Piece`]s, left to right on screen, each of which
//! egui may shape on its own:
//!
//! - a left-to-right run is one piece, as written (unless it holds Arabic-script digits, which the shaper
//!   would turn around: then one piece per character);
//! - a right-to-left run is cut into words of one right-to-left script (letters with their marks and
//!   joiners, shaped together so that they join) and single other characters (spaces, punctuation, brackets
//!   mirrored), and these pieces are given in reverse order.

use std::ops::Range;

use unicode_bidi::{BidiClass, BidiInfo, ParagraphInfo, bidi_class};

/// A piece of a line, to be laid out to the right of the one before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The characters in the order they are written (the shaper turns a right-to-left word around), with
    /// a bracket in a right-to-left run already mirrored.
    pub text: String,
    /// Whether the piece is in a right-to-left run.
    pub rtl: bool,
}

/// Whether `text` has anything written right to left (if not, it needs no reordering).
pub fn has_rtl(text: &str) -> bool {
    // Most labels are ASCII: nothing to look up.
    !text.is_ascii()
        && text.chars().any(|c| {
            matches!(
                bidi_class(c),
                BidiClass::R
                    | BidiClass::AL
                    | BidiClass::AN
                    | BidiClass::RLE
                    | BidiClass::RLO
                    | BidiClass::RLI
            )
        })
}

/// `text` cut into pieces in visual order, left to right; each paragraph's own direction comes from its
/// first strong character. Line breaks (`\n`) are pieces of their own, between the lines' pieces.
pub fn visual_pieces(text: &str) -> Vec<Piece> {
    let info = BidiInfo::new(text, None);
    let mut out = Vec::new();
    for para in &info.paragraphs {
        let (line, separator) = without_separator(text, para.range.clone());
        line_pieces(&info, para, line.clone(), &mut out);
        if separator > 0 {
            out.push(Piece {
                text: text[line.end..para.range.end].to_owned(),
                rtl: false,
            });
        }
    }
    out
}

/// A paragraph's range without the separator (`\n`) that ends it, and the separator's length: the
/// separator stays after the line, not inside its reordering.
fn without_separator(text: &str, range: Range<usize>) -> (Range<usize>, usize) {
    let separator = text[range.clone()]
        .chars()
        .next_back()
        .filter(|&c| bidi_class(c) == BidiClass::B)
        .map_or(0, char::len_utf8);
    (range.start..range.end - separator, separator)
}

/// The pieces of one line (a byte range of `para`), in visual order: the levels are the paragraph's, the
/// reordering the line's own (UAX #9 rules L1 and L2).
fn line_pieces(
    info: &BidiInfo<'_>,
    para: &ParagraphInfo,
    line: Range<usize>,
    out: &mut Vec<Piece>,
) {
    if line.is_empty() {
        return;
    }
    let (levels, runs) = info.visual_runs(para, line);
    for run in runs {
        let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
        let Some(run_text) = info.text.get(run) else {
            continue;
        };
        let pieces = split_run(run_text, rtl);
        if rtl {
            out.extend(pieces.into_iter().rev());
        } else {
            out.extend(pieces);
        }
    }
}

/// One line of a wrapped text, on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct VisualLine {
    /// The line's pieces, left to right.
    pub pieces: Vec<Piece>,
    /// Whether its paragraph runs right to left: the line then hugs the right edge.
    pub rtl: bool,
}

/// `text` broken into lines no wider than `width` (as `measure` finds the width of a text), each in
/// visual order: lines are broken in reading order, where Unicode allows (UAX #14), and only then is
/// each line reordered on its own, so that a wrapping right-to-left paragraph reads from its top line
/// down, each line from the right. A word wider than `width` is broken between characters. Each `\n`
/// starts a paragraph, with its own direction; the spaces at a break are left out.
pub fn wrap(text: &str, width: f32, measure: &mut dyn FnMut(&str) -> f32) -> Vec<VisualLine> {
    let info = BidiInfo::new(text, None);
    let mut out = Vec::new();
    for para in &info.paragraphs {
        let (range, _) = without_separator(text, para.range.clone());
        let rtl = para.level.is_rtl();
        for line in break_lines(text, range, width, measure) {
            let mut pieces = Vec::new();
            line_pieces(&info, para, line, &mut pieces);
            out.push(VisualLine { pieces, rtl });
        }
    }
    if out.is_empty() {
        out.push(VisualLine {
            pieces: Vec::new(),
            rtl: false,
        });
    }
    out
}

/// The lines (byte ranges, without the spaces at their ends) of the paragraph `range` of `text`, filled
/// greedily up to `width`.
fn break_lines(
    text: &str,
    range: Range<usize>,
    width: f32,
    measure: &mut dyn FnMut(&str) -> f32,
) -> Vec<Range<usize>> {
    let para = &text[range.clone()];
    let trim = |r: Range<usize>| {
        let kept = text[r.clone()].trim_end().len();
        r.start..r.start + kept
    };
    if para.is_empty() || width.is_infinite() || measure(para) <= width {
        return vec![trim(range)];
    }
    let mut lines = Vec::new();
    let mut start = range.start;
    // The last place the line may end at, and the line's width up to it.
    let mut fitting: Option<usize> = None;
    let mut opportunities = unicode_linebreak::linebreaks(para)
        .map(|(i, _)| range.start + i)
        .filter(|&i| i > range.start)
        .peekable();
    while let Some(&end) = opportunities.peek() {
        let line = trim(start..end);
        if measure(&text[line.clone()]) <= width || line.is_empty() {
            fitting = Some(end);
            opportunities.next();
            continue;
        }
        match fitting.take() {
            // The line so far fits; the next word starts a new one.
            Some(fit) => {
                lines.push(trim(start..fit));
                start = fit;
            }
            // A word alone is too wide: break it between characters.
            None => {
                let cut = widest_prefix(text, start..line.end, width, measure);
                lines.push(start..cut);
                start = cut;
            }
        }
    }
    if start < range.end {
        lines.push(trim(start..range.end));
    }
    lines
}

/// The end of the longest prefix of `range` (at least one character, with its marks) that fits `width`.
fn widest_prefix(
    text: &str,
    range: Range<usize>,
    width: f32,
    measure: &mut dyn FnMut(&str) -> f32,
) -> usize {
    let mut ends = text[range.clone()]
        .char_indices()
        .skip(1)
        .filter(|&(_, c)| !attaches(c))
        .map(|(i, _)| range.start + i)
        .chain(std::iter::once(range.end));
    let mut best = ends.next().unwrap_or(range.end);
    for end in ends {
        if measure(&text[range.start..end]) > width {
            break;
        }
        best = end;
    }
    best
}

/// `text` with its pieces in visual order, as one string, for egui's widgets (labels, lists, tooltips),
/// which lay out one string left to right: egui then shapes each word of one font on its own, so each
/// right-to-left word comes out joined and turned around, and the words land in reading order. Text with
/// nothing right to left is returned as it is. (A paragraph that wraps onto several lines is reordered as
/// one line.)
pub fn display_order(text: &str) -> std::borrow::Cow<'_, str> {
    if !has_rtl(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(visual_pieces(text).into_iter().map(|p| p.text).collect())
}

/// Whether the (first) paragraph of `text` runs right to left: its first strong character is written
/// right to left.
pub fn is_rtl_paragraph(text: &str) -> bool {
    BidiInfo::new(text, None)
        .paragraphs
        .first()
        .is_some_and(|p| p.level.is_rtl())
}

/// Which right-to-left script a letter belongs to: letters of different scripts come from different fonts,
/// which egui would lay out left to right even within one piece.
fn rtl_script(c: char) -> Option<u8> {
    match bidi_class(c) {
        BidiClass::R | BidiClass::AL => Some(match c as u32 {
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => 0, // Hebrew
            0x0700..=0x074F | 0x0860..=0x086F => 2, // Syriac
            0x0780..=0x07BF => 3,                   // Thaana
            0x07C0..=0x07FF => 4,                   // N'Ko
            _ => 1,                                 // Arabic, and the rest
        }),
        _ => None,
    }
}

/// Marks, joiners and other characters that belong with the character before them.
pub(crate) fn attaches(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::NSM | BidiClass::BN)
}

/// A run's pieces in the order they are written.
fn split_run(run: &str, rtl: bool) -> Vec<Piece> {
    if !rtl && !run.chars().any(|c| bidi_class(c) == BidiClass::AN) {
        return vec![Piece {
            text: run.to_owned(),
            rtl,
        }];
    }
    let mut pieces: Vec<Piece> = Vec::new();
    // The script of the word the last piece is, if it is a right-to-left word.
    let mut word: Option<u8> = None;
    for c in run.chars() {
        let script = if rtl { rtl_script(c) } else { None };
        let joins = match pieces.last() {
            None => false,
            Some(_) if attaches(c) => true,
            Some(_) => script.is_some() && script == word,
        };
        match pieces.last_mut() {
            Some(last) if joins => last.text.push(c),
            _ => {
                word = script;
                pieces.push(Piece {
                    text: if rtl { mirrored(c) } else { c }.to_string(),
                    rtl,
                });
            }
        }
    }
    pieces
}

/// The mirror image of a bracket or quotation mark, drawn in a right-to-left run (the common ones).
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        visual_pieces(text).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn a_paragraph_takes_the_direction_of_its_first_strong_letter() {
        assert!(is_rtl_paragraph("عراقچی in Muscat"));
        assert!(is_rtl_paragraph("«ירושלים» 2026"));
        assert!(!is_rtl_paragraph("Araghchi عراقچی"));
        assert!(!is_rtl_paragraph("2026"));
    }

    #[test]
    fn latin_text_is_one_piece_as_written() {
        assert!(!has_rtl("Araghchi in Muscat"));
        assert_eq!(texts("Araghchi in Muscat"), ["Araghchi in Muscat"]);
    }

    #[test]
    fn a_persian_name_reads_from_the_right_word_by_word() {
        let name = "عباس عراقچی";
        assert!(has_rtl(name));
        // Each word stays as written (the shaper joins and turns it); the first word is on the right.
        assert_eq!(texts(name), ["عراقچی", " ", "عباس"]);
        assert!(visual_pieces(name).iter().all(|p| p.rtl));
    }

    #[test]
    fn a_hebrew_word_is_one_piece() {
        assert_eq!(texts("ירושלים"), ["ירושלים"]);
        assert_eq!(texts("תל אביב"), ["אביב", " ", "תל"]);
    }

    #[test]
    fn a_mixed_line_keeps_its_latin_order_with_the_persian_run_inside_turned() {
        // A left-to-right paragraph (it starts with a Latin letter) with a right-to-left run of two words.
        let pieces = visual_pieces("Araghchi عباس عراقچی in Muscat");
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Araghchi ", "عراقچی", " ", "عباس", " in Muscat"]);
        assert_eq!(
            pieces.iter().map(|p| p.rtl).collect::<Vec<_>>(),
            [false, true, true, true, false]
        );
    }

    #[test]
    fn a_right_to_left_line_puts_its_latin_words_on_the_left() {
        // Starts with a Persian letter: the paragraph runs right to left, the Latin run keeps its order.
        assert_eq!(texts("عراقچی in Muscat"), ["in Muscat", " ", "عراقچی"]);
    }

    #[test]
    fn brackets_in_a_right_to_left_run_are_mirrored_and_punctuation_goes_left() {
        assert_eq!(texts("(عباس)."), [".", "(", "عباس", ")"]);
    }

    #[test]
    fn marks_and_joiners_stay_with_their_word() {
        // Persian with a zero-width non-joiner and a vowel mark: one word.
        let word = "می\u{200c}خواهَم";
        assert_eq!(texts(word), [word]);
    }

    #[test]
    fn arabic_digits_in_a_number_keep_their_order() {
        // Arabic-Indic digits are laid out left to right, each on its own so the shaper cannot turn them.
        assert_eq!(texts("سال ١٤٠٣"), ["١", "٤", "٠", "٣", " ", "سال"]);
    }

    #[test]
    fn each_line_is_reordered_on_its_own() {
        assert_eq!(
            texts("عباس عراقچی\nMuscat"),
            ["عراقچی", " ", "عباس", "\n", "Muscat"]
        );
    }

    #[test]
    fn scripts_of_different_fonts_are_separate_pieces() {
        assert_eq!(texts("שלוםسلام"), ["سلام", "שלום"]);
    }

    #[test]
    fn a_persian_name_in_an_english_line_reads_right_to_left_in_the_display_string() {
        assert_eq!(
            display_order("Abbas Araghchi (عباس عراقچی)"),
            "Abbas Araghchi (عراقچی عباس)"
        );
        assert_eq!(display_order("Muscat, 12 April"), "Muscat, 12 April");
        assert!(matches!(
            display_order("Rome"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// Widths as if each character were 10 points wide.
    fn lines(text: &str, width: f32) -> Vec<(Vec<String>, bool)> {
        let mut measure = |s: &str| 10.0 * s.chars().count() as f32;
        wrap(text, width, &mut measure)
            .into_iter()
            .map(|l| (l.pieces.into_iter().map(|p| p.text).collect(), l.rtl))
            .collect()
    }

    #[test]
    fn a_wrapping_persian_paragraph_starts_on_its_first_line_from_the_right() {
        // Seven characters fit on a line of 70 points.
        let text = "یک دو سه چهار پنج";
        let got = lines(text, 70.0);
        assert_eq!(
            got,
            [
                (vec!["دو".into(), " ".into(), "یک".into()], true),
                (vec!["چهار".into(), " ".into(), "سه".into()], true),
                (vec!["پنج".into()], true),
            ]
        );
    }

    #[test]
    fn a_mixed_paragraph_is_broken_before_it_is_reordered() {
        // A right-to-left paragraph with a Latin name: each line's Latin run keeps its order, on its line.
        let got = lines("دیدار Araghchi Witkoff در مسقط", 150.0);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, ["Araghchi", " ", "دیدار"]);
        assert_eq!(got[1].0, ["مسقط", " ", "در", " ", "Witkoff"]);
    }

    #[test]
    fn latin_text_wraps_at_spaces_and_a_long_word_between_letters() {
        let got = lines("Muscat talks", 70.0);
        assert_eq!(
            got,
            [
                (vec!["Muscat".into()], false),
                (vec!["talks".into()], false)
            ]
        );
        let got = lines("Abcdefghij", 40.0);
        let texts: Vec<String> = got.into_iter().map(|l| l.0.concat()).collect();
        assert_eq!(texts, ["Abcd", "efgh", "ij"]);
        // No width: one line per paragraph, each with its own direction.
        let got = lines("Muscat\nمسقط", f32::INFINITY);
        assert_eq!(
            got,
            [(vec!["Muscat".into()], false), (vec!["مسقط".into()], true)]
        );
    }
}
