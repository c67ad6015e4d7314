//! How wide a text is, estimated per character from the widths of the bundled fonts (Ubuntu Light for
//! Latin and Cyrillic, Noto Sans Hebrew and Arabic), so that labels in any script are spaced as they
//! will be drawn. The scene knows no font (the window, the SVG and the PNG all use this estimate, so they
//! hide the same labels); `tests/label_widths.rs` keeps it within 15% of the typeset width.

/// Advance widths in hundredths of an em, measured with the typesetter (`render::text`).
const LATIN_LOWER: [u8; 26] = [
    51, 58, 46, 58, 55, 38, 57, 57, 24, 24, 50, 26, 86, 57, 58, 58, 58, 37, 43, 39, 57, 48, 78, 50,
    47, 46,
];
const LATIN_UPPER: [u8; 26] = [
    64, 63, 61, 70, 56, 52, 66, 69, 25, 49, 60, 50, 86, 71, 77, 59, 77, 62, 52, 55, 68, 62, 92, 61,
    57, 56,
];
/// А to Я, then а to я.
const CYRILLIC: [u8; 64] = [
    64, 61, 63, 48, 68, 56, 85, 56, 71, 71, 60, 68, 86, 69, 77, 68, 59, 61, 55, 55, 86, 61, 69, 61,
    97, 97, 71, 82, 60, 60, 101, 61, //
    51, 58, 55, 40, 57, 55, 73, 48, 59, 59, 51, 58, 72, 58, 58, 57, 58, 46, 43, 47, 75, 50, 58, 52,
    80, 81, 58, 73, 51, 48, 78, 53,
];
/// א (U+05D0) to ת (U+05EA).
const HEBREW: [u8; 27] = [
    63, 57, 37, 54, 63, 30, 33, 66, 63, 30, 54, 52, 52, 68, 66, 33, 38, 64, 59, 62, 60, 53, 56, 63,
    52, 73, 68,
];
/// How an Arabic letter joins: not at all (hamza), to the letter before only (alef, dal, reh, waw...), or
/// on both sides.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Joins {
    None,
    Before,
    Both,
}

/// An Arabic letter's widths alone, first in a word, in the middle and last, and how it joins.
type ArabicLetter = ([u8; 4], Joins);

/// ء (U+0621) to ي (U+064A).
const ARABIC: [ArabicLetter; 42] = {
    use Joins::{Before as R, Both as D, None as N};
    [
        ([41, 41, 41, 41], N),
        ([24, 24, 29, 29], R),
        ([24, 24, 29, 29], R),
        ([45, 45, 47, 47], R),
        ([24, 24, 29, 29], R),
        ([76, 27, 34, 74], D),
        ([24, 24, 29, 29], R),
        ([99, 27, 34, 109], D),
        ([40, 40, 49, 49], R),
        ([99, 30, 37, 109], D),
        ([99, 30, 37, 109], D),
        ([64, 59, 64, 65], D),
        ([64, 59, 64, 65], D),
        ([64, 59, 64, 65], D),
        ([48, 48, 53, 53], R),
        ([48, 48, 53, 53], R),
        ([37, 37, 40, 40], R),
        ([37, 37, 40, 40], R),
        ([121, 78, 85, 127], D),
        ([121, 78, 85, 127], D),
        ([131, 90, 95, 135], D),
        ([131, 90, 95, 135], D),
        ([79, 68, 71, 83], D),
        ([79, 68, 71, 83], D),
        ([51, 50, 52, 53], D),
        ([51, 50, 52, 53], D),
        ([98, 41, 51, 98], D),
        ([98, 41, 51, 98], D),
        ([74, 27, 34, 74], D),
        ([74, 30, 37, 74], D),
        ([74, 30, 37, 74], D),
        ([27, 27, 27, 27], D),
        ([98, 45, 50, 110], D),
        ([77, 45, 50, 81], D),
        ([88, 41, 51, 92], D),
        ([70, 26, 30, 73], D),
        ([48, 52, 58, 56], D),
        ([68, 27, 34, 73], D),
        ([40, 57, 51, 49], D),
        ([45, 45, 47, 47], R),
        ([76, 27, 34, 74], D),
        ([76, 30, 37, 74], D),
    ]
};

/// The Arabic (and Persian) letter `c`, if it is one.
fn arabic(c: char) -> Option<ArabicLetter> {
    use Joins::{Before, Both};
    match c {
        '\u{0621}'..='\u{064A}' => ARABIC.get(c as usize - 0x621).copied(),
        'پ' => Some(([99, 30, 37, 109], Both)),
        'چ' => Some(([64, 59, 64, 72], Both)),
        'ژ' => Some(([37, 37, 40, 40], Before)),
        'ک' | 'گ' => Some(([88, 41, 51, 98], Both)),
        'ی' => Some(([76, 30, 37, 74], Both)),
        _ => None,
    }
}

/// Marks drawn on a letter, taking no room of their own: Hebrew points, Arabic vowels, combining accents.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0591}'..='\u{05C7}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}')
}

/// The width of `text` in points at `size`. Arabic letters take the width of the form they are drawn in
/// (alone, first, in the middle or last of the letters joined together).
pub fn text_width(text: &str, size: f32) -> f32 {
    let mut total = 0.0;
    // Whether the letter before joins to this one.
    let mut joined = false;
    let mut chars = text.chars().filter(|&c| !is_mark(c)).peekable();
    while let Some(c) = chars.next() {
        total += match arabic(c) {
            Some((widths, joins)) => {
                let next_joins = chars
                    .peek()
                    .and_then(|&n| arabic(n))
                    .is_some_and(|(_, j)| j != Joins::None);
                let to_next = joins == Joins::Both && next_joins;
                let form = match (joined, to_next) {
                    (false, false) => 0,
                    (false, true) => 1,
                    (true, true) => 2,
                    (true, false) => 3,
                };
                joined = to_next;
                f32::from(widths[form]) / 100.0
            }
            None => {
                joined = false;
                em(c)
            }
        };
    }
    total * size
}

/// The advance of `c` in ems.
fn em(c: char) -> f32 {
    let hundredths = |w: u8| f32::from(w) / 100.0;
    let c = latin_base(c);
    match c {
        'a'..='z' => hundredths(LATIN_LOWER[c as usize - 'a' as usize]),
        'A'..='Z' => hundredths(LATIN_UPPER[c as usize - 'A' as usize]),
        '0'..='9' => 0.56,
        ' ' => 0.23,
        '.' | ',' | '\'' | ':' | ';' | '!' | '|' => 0.25,
        '(' | ')' | '[' | ']' | '-' | '/' => 0.3,
        'Ё' => 0.56,
        'ё' => 0.55,
        '\u{0410}'..='\u{044F}' => hundredths(CYRILLIC[c as usize - 0x410]),
        '\u{0400}'..='\u{04FF}' => 0.6,
        '\u{05D0}'..='\u{05EA}' => hundredths(HEBREW[c as usize - 0x5D0]),
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FEFF}' => 0.5,
        // Zero-width joiners and marks, bidi controls.
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => 0.0,
        // Ideographs, kana and hangul: a square each.
        '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' => 1.0,
        c if c.is_uppercase() => 0.66,
        _ => 0.52,
    }
}

/// The plain Latin letter an accented one is drawn like (about as wide): `í` is as narrow as `i`.
fn latin_base(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => 'A',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => 'C',
        'ď' | 'đ' => 'd',
        'Ď' | 'Đ' => 'D',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'È'..='Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => 'G',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'Ì'..='Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => 'I',
        'ł' | 'ľ' | 'ĺ' | 'ļ' => 'l',
        'Ł' | 'Ľ' | 'Ĺ' | 'Ļ' => 'L',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => 'N',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => 'O',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'Ŕ' | 'Ŗ' | 'Ř' => 'R',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'Ś' | 'Ŝ' | 'Ş' | 'Š' => 'S',
        'ţ' | 'ť' => 't',
        'Ţ' | 'Ť' => 'T',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'Ù'..='Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' | 'Ÿ' => 'Y',
        'ź' | 'ż' | 'ž' => 'z',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_marks_do_not_widen_a_letter() {
        assert_eq!(text_width("Brasília", 12.0), text_width("Brasilia", 12.0));
        assert_eq!(text_width("Ёж", 12.0), text_width("Еж", 12.0));
        // A vowel mark (fatha) on a letter.
        assert_eq!(text_width("بَ", 12.0), text_width("ب", 12.0));
    }

    #[test]
    fn wide_letters_are_estimated_wider_than_narrow_ones() {
        assert!(text_width("mmm", 12.0) > 3.0 * text_width("iii", 12.0));
        assert!(text_width("ششش", 12.0) > text_width("ااا", 12.0) * 3.0);
    }
}
