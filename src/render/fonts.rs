//! Fonts for every script a story may use: the bundled ones ([`super::text::FONTS`]), and, for scripts
//! whose fonts are too large to bundle (Han, Hangul and kana: 10 MB and more) or rare, the fonts of the
//! machine, found when a text needs them and then used by the window and the exports alike (so that they
//! still agree on that machine). What no font covers is said once, by script, with a font to install,
//! instead of being drawn as empty boxes.
//!
//! The fonts found are process-wide: a text laid out by the window or an export asks for them
//! ([`provide_for`]), and [`super::text::font_definitions`] includes them from then on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use egui::epaint::text::{Blob, FontData};
use skrifa::{FontRef, MetadataProvider as _};
use unicode_script::{Script, UnicodeScript as _};

use super::text::FONTS;

/// A font of the machine, loaded for characters no bundled font has.
#[derive(Clone)]
pub struct FoundFont {
    /// Its name among egui's fonts.
    pub key: String,
    /// Its family name.
    pub family: String,
    pub file: Blob,
    /// The face's index in its file (a collection, `.ttc`, holds several).
    pub index: u32,
}

impl std::fmt::Debug for FoundFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FoundFont")
            .field("family", &self.family)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl FoundFont {
    /// The font as egui takes it.
    pub fn font_data(&self) -> FontData {
        FontData::from_blob(Arc::clone(&self.file), self.index)
    }

    fn has(&self, c: char) -> bool {
        FontRef::from_index((*self.file).as_ref(), self.index)
            .is_ok_and(|font| font.charmap().map(c).is_some())
    }
}

/// The fonts found so far, in the order they were found.
static FOUND: RwLock<Vec<FoundFont>> = RwLock::new(Vec::new());
/// Characters already looked for on the machine (found or not): not looked for again.
static SOUGHT: Mutex<Vec<char>> = Mutex::new(Vec::new());
/// Whether the machine's fonts are looked at (see [`use_system_fonts`]).
static SYSTEM_FONTS: AtomicBool = AtomicBool::new(true);

/// Whether to look for fonts on the machine (yes unless told otherwise): tests turn it off, so that what
/// they see does not depend on the fonts installed.
pub fn use_system_fonts(on: bool) {
    SYSTEM_FONTS.store(on, Ordering::Relaxed);
}

/// The fonts found on the machine so far.
pub fn found() -> Vec<FoundFont> {
    FOUND.read().unwrap_or_else(PoisonError::into_inner).clone()
}

/// The bundled fonts, parsed once.
fn bundled() -> &'static [FontRef<'static>] {
    static FACES: OnceLock<Vec<FontRef<'static>>> = OnceLock::new();
    FACES.get_or_init(|| {
        FONTS
            .iter()
            .filter_map(|f| FontRef::new(f.file).ok())
            .collect()
    })
}

/// Whether `c` needs a glyph of its own (spaces, controls and invisible format characters do not).
fn needs_glyph(c: char) -> bool {
    !(c.is_ascii()
        || c.is_whitespace()
        || c.is_control()
        || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF))
}

/// Whether a bundled font has `c` (or it needs none).
pub fn bundled_has(c: char) -> bool {
    !needs_glyph(c) || bundled().iter().any(|f| f.charmap().map(c).is_some())
}

/// Whether a bundled font or one found on the machine has `c` (or it needs none).
pub fn has(c: char) -> bool {
    bundled_has(c)
        || FOUND
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|f| f.has(c))
}

/// Looks on the machine for fonts with the characters of `texts` that no font has yet, once per
/// character; whether fonts were found (the caller then lays text out again with
/// [`super::text::font_definitions`]).
pub fn provide_for<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    let mut wanted: Vec<char> = Vec::new();
    for c in texts.into_iter().flat_map(str::chars) {
        if needs_glyph(c) && !wanted.contains(&c) && !has(c) {
            wanted.push(c);
        }
    }
    if wanted.is_empty() || !SYSTEM_FONTS.load(Ordering::Relaxed) {
        return false;
    }
    {
        let mut sought = SOUGHT.lock().unwrap_or_else(PoisonError::into_inner);
        wanted.retain(|c| !sought.contains(c));
        sought.extend(&wanted);
    }
    if wanted.is_empty() {
        return false;
    }
    let found = search(system_fonts(), &wanted);
    if found.is_empty() {
        return false;
    }
    for f in &found {
        log::info!(
            "using the system font {} for text no bundled font has",
            f.family
        );
    }
    FOUND
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .extend(found);
    true
}

/// The machine's fonts, listed once (fontconfig's directories on Linux; the system's elsewhere).
fn system_fonts() -> &'static fontdb::Database {
    static DB: OnceLock<fontdb::Database> = OnceLock::new();
    DB.get_or_init(|| {
        let started = std::time::Instant::now();
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        log::info!(
            "listed {} system fonts in {:.0} ms",
            db.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        db
    })
}

/// Fonts of `db` that have `wanted`: upright regular faces first, then the face that has the most of the
/// characters still missing, until none has any of them.
fn search(db: &fontdb::Database, wanted: &[char]) -> Vec<FoundFont> {
    let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
    faces.sort_by_key(|f| {
        (
            f.style != fontdb::Style::Normal,
            f.weight.0.abs_diff(400),
            f.families.first().map(|(name, _)| name.clone()),
        )
    });
    let mut missing = wanted.to_vec();
    let mut out = Vec::new();
    while !missing.is_empty() {
        let best = faces
            .iter()
            .filter_map(|face| {
                let n = db.with_face_data(face.id, |data, index| {
                    FontRef::from_index(data, index).map_or(0, |font| {
                        let map = font.charmap();
                        missing.iter().filter(|&&c| map.map(c).is_some()).count()
                    })
                })?;
                (n > 0).then_some((n, *face))
            })
            // The first of the best, in the order above.
            .fold(
                None::<(usize, &fontdb::FaceInfo)>,
                |best, (n, face)| match best {
                    Some((m, _)) if m >= n => best,
                    _ => Some((n, face)),
                },
            );
        let Some((_, face)) = best else { break };
        let Some(file) = db.with_face_data(face.id, |data, _| data.to_vec()) else {
            break;
        };
        let family = face
            .families
            .first()
            .map_or_else(|| face.post_script_name.clone(), |(name, _)| name.clone());
        let font = FoundFont {
            key: format!("system-{}-{}", face.post_script_name, face.index),
            family,
            file: Arc::new(file),
            index: face.index,
        };
        missing.retain(|&c| !font.has(c));
        faces.retain(|f| f.id != face.id);
        out.push(font);
    }
    out
}

/// A script that no font of the app or the machine has, and where it was met first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingScript {
    /// The script's name (Unicode's: `Han`, `Telugu`).
    pub script: &'static str,
    /// Where its text is, for the reader (`actor 习近平`).
    pub place: String,
}

impl MissingScript {
    /// What to install (a Debian package name, which also names the fonts for other systems).
    pub fn hint(&self) -> String {
        match self.script {
            "Han" | "Hangul" | "Hiragana" | "Katakana" | "Bopomofo" => {
                "fonts-noto-cjk (Noto Sans CJK)".to_owned()
            }
            script => format!("fonts-noto-core (Noto Sans {script})"),
        }
    }
}

impl std::fmt::Display for MissingScript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no font for {} text in {}: it shows as boxes; install e.g. {}",
            self.script,
            self.place,
            self.hint()
        )
    }
}

/// The scripts of `texts` (each with where it is) that have characters `has` lacks, each once, in the
/// order met.
pub fn missing_scripts<'a, P: std::fmt::Display>(
    texts: impl IntoIterator<Item = (P, &'a str)>,
    has: &dyn Fn(char) -> bool,
) -> Vec<MissingScript> {
    let mut out: Vec<MissingScript> = Vec::new();
    for (place, text) in texts {
        for c in text.chars() {
            if !needs_glyph(c) || has(c) {
                continue;
            }
            let script = match c.script() {
                Script::Common | Script::Inherited | Script::Unknown => "symbol",
                s => s.full_name(),
            };
            if out.iter().all(|m| m.script != script) {
                out.push(MissingScript {
                    script,
                    place: place.to_string(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_cover_the_scripts_they_are_for() {
        for text in [
            "Abbas Araghchi",
            "Ελλάδα",
            "Москва",
            "عباس عراقچی",
            "ירושלים",
            "नई दिल्ली",
            "ঢাকা",
            "ਅੰਮ੍ਰਿਤਸਰ",
            "சென்னை",
            "กรุงเทพ",
            "ວຽງຈັນ",
            "ភ្នំពេញ",
            "ရန်ကုန်",
            "თბილისი",
            "Երևան",
            "አዲስ አበባ",
        ] {
            assert!(text.chars().all(bundled_has), "{text}");
        }
        assert!(!bundled_has('北'));
        assert!(!bundled_has('ఆ'), "Telugu is not bundled");
    }

    #[test]
    fn a_script_no_font_has_is_told_once_with_where_and_what_to_install() {
        let texts = [
            ("actor Narendra Modi".to_owned(), "नरेन्द्र मोदी"),
            ("actor 习近平".to_owned(), "习近平"),
            ("venue 北京".to_owned(), "北京"),
            ("venue హైదరాబాద్".to_owned(), "హైదరాబాద్"),
        ];
        let missing = missing_scripts(texts, &bundled_has);
        assert_eq!(
            missing,
            [
                MissingScript {
                    script: "Han",
                    place: "actor 习近平".to_owned()
                },
                MissingScript {
                    script: "Telugu",
                    place: "venue హైదరాబాద్".to_owned()
                },
            ]
        );
        assert_eq!(
            missing[0].to_string(),
            "no font for Han text in actor 习近平: it shows as boxes; install e.g. fonts-noto-cjk (Noto Sans CJK)"
        );
        // With a font that has everything, nothing is missing.
        assert!(missing_scripts([("x".to_owned(), "习近平")], &|_| true).is_empty());
    }
}
