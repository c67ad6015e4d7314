//! Fonts for every script a story may use: the bundled ones ([`super::text::FONTS`]), and, for scripts
//! whose fonts are too large to bundle (Han, Hangul and kana: 10 MB and more) or rare, the fonts of the
//! machine, found when a text needs them and then used by the window and the exports alike (so that they
//! still agree on that machine). What no font covers is said once, by script, with a font to install,
//! instead of being drawn as empty boxes.
//!
//! The fonts found are process-wide: a text laid out by the window or an export asks for them
//! ([`provide_for`]), and [`super::text::font_definitions`] includes them from then on. Where "the
//! machine's fonts" are looked for is a [`FontSource`]: the system's, a folder (`DEMARCHE_FONT_DIR`), or
//! none; tests give their own so that what they see does not depend on the fonts installed.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use egui::epaint::text::{Blob, FontData};
use skrifa::{FontRef, MetadataProvider as _};
use unicode_script::{Script, UnicodeScript as _};

use super::text::FONTS;
use crate::model::Scenario;

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
    /// Whether its licence lets a document embed it (OS/2 `fsType`, see [`embedding_allowed`]).
    pub embeddable: bool,
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

/// Whether a font's licence lets a document embed it, as its OS/2 table's `fsType` says: not when
/// embedding is restricted (bit 1 alone among the usage bits), when the font may not be subset (bit 8:
/// an SVG embeds a subset) or may be embedded as bitmaps only (bit 9). A font without the table is
/// taken as installable.
pub fn embedding_allowed(font: &FontRef<'_>) -> bool {
    use skrifa::raw::TableProvider as _;
    let Ok(os2) = font.os2() else { return true };
    let fs_type = os2.fs_type();
    fs_type & 0x000F != 0x0002 && fs_type & 0x0300 == 0
}

/// Where the machine's fonts are looked for.
#[derive(Clone, Default)]
pub enum FontSource {
    /// The system's fonts (fontconfig's directories on Linux; the system's elsewhere).
    #[default]
    System,
    /// The fonts in a folder (and its subfolders) only.
    Folder(PathBuf),
    /// No font: only the bundled ones are used.
    Nothing,
    /// Fonts listed by a function, run where the listing would be (tests give a slow one).
    Listed(Arc<dyn Fn() -> fontdb::Database + Send + Sync>),
}

impl std::fmt::Debug for FontSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::System => f.write_str("System"),
            Self::Folder(path) => f.debug_tuple("Folder").field(path).finish(),
            Self::Nothing => f.write_str("Nothing"),
            Self::Listed(_) => f.write_str("Listed(..)"),
        }
    }
}

impl FontSource {
    /// The source the environment asks for: `DEMARCHE_FONT_DIR` names a folder to take the machine's
    /// fonts from instead of the system's (empty: none); otherwise the system's.
    pub fn from_env() -> Self {
        match std::env::var_os("DEMARCHE_FONT_DIR") {
            Some(dir) if dir.is_empty() => Self::Nothing,
            Some(dir) => Self::Folder(PathBuf::from(dir)),
            None => Self::System,
        }
    }

    fn list(&self) -> Option<fontdb::Database> {
        let mut db = fontdb::Database::new();
        match self {
            Self::System => db.load_system_fonts(),
            Self::Folder(dir) => db.load_fonts_dir(dir),
            Self::Nothing => return None,
            Self::Listed(list) => db = list(),
        }
        Some(db)
    }
}

/// The fonts found so far, in the order they were found.
static FOUND: RwLock<Vec<FoundFont>> = RwLock::new(Vec::new());
/// Characters already looked for on the machine (found or not): not looked for again.
static SOUGHT: Mutex<Vec<char>> = Mutex::new(Vec::new());
/// Where the machine's fonts are looked for (see [`set_font_source`]); `None` until set or first needed.
static SOURCE: Mutex<Option<FontSource>> = Mutex::new(None);
/// The machine's fonts, listed once per source, when first needed.
static LISTED: Mutex<Option<Arc<Option<fontdb::Database>>>> = Mutex::new(None);
/// Bumped whenever the fonts found change: a typesetter built before lays text out again.
static GENERATION: AtomicUsize = AtomicUsize::new(0);
/// Bundled fonts left out (by their key), as if the app did not bundle them: see [`leave_out_bundled`].
static LEFT_OUT: RwLock<Vec<&'static str>> = RwLock::new(Vec::new());

/// Where to look for the machine's fonts from now on (the fonts found so far are forgotten). Without a
/// call, [`FontSource::from_env`] decides.
pub fn set_font_source(source: FontSource) {
    *SOURCE.lock().unwrap_or_else(PoisonError::into_inner) = Some(source);
    *LISTED.lock().unwrap_or_else(PoisonError::into_inner) = None;
    SOUGHT
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clear();
    FOUND
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .clear();
    GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// Whether to look for fonts on the machine (yes unless told otherwise): tests turn it off, so that what
/// they see does not depend on the fonts installed.
pub fn use_system_fonts(on: bool) {
    set_font_source(if on {
        FontSource::System
    } else {
        FontSource::Nothing
    });
}

/// Makes the bundled fonts of these keys ([`super::text::BundledFont::key`]) count as not bundled, in
/// the window and the exports alike, so that a test can pose one of them as a machine font (copied to a
/// folder given as the [`FontSource`]) for a script the bundled set then lacks. Call it before laying
/// out any text.
pub fn leave_out_bundled(keys: &[&'static str]) {
    *LEFT_OUT.write().unwrap_or_else(PoisonError::into_inner) = keys.to_vec();
    GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// The bundled fonts in use: [`FONTS`] less those left out, in order.
pub fn bundled_fonts() -> Vec<&'static super::text::BundledFont> {
    let left_out = LEFT_OUT.read().unwrap_or_else(PoisonError::into_inner);
    FONTS
        .iter()
        .enumerate()
        // The first (Ubuntu Light, egui's own) is always there.
        .filter(|(i, f)| *i == 0 || !left_out.contains(&f.key))
        .map(|(_, f)| f)
        .collect()
}

/// A number that changes whenever the fonts in use change (found on the machine, or left out).
pub fn generation() -> usize {
    GENERATION.load(Ordering::Relaxed)
}

/// The fonts found on the machine so far.
pub fn found() -> Vec<FoundFont> {
    FOUND.read().unwrap_or_else(PoisonError::into_inner).clone()
}

/// The bundled fonts in use, parsed (once).
fn bundled() -> Vec<FontRef<'static>> {
    static FACES: OnceLock<Vec<(&'static str, FontRef<'static>)>> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        FONTS
            .iter()
            .filter_map(|f| Some((f.key, FontRef::new(f.file).ok()?)))
            .collect()
    });
    let left_out = LEFT_OUT.read().unwrap_or_else(PoisonError::into_inner);
    faces
        .iter()
        .enumerate()
        .filter(|(i, (key, _))| *i == 0 || !left_out.contains(key))
        .map(|(_, (_, font))| font.clone())
        .collect()
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

/// The characters of `texts` that no font has yet and that were not looked for on the machine.
pub fn wanted<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<char> {
    let mut chars = std::collections::HashSet::new();
    add_glyph_chars(texts, &mut chars);
    wanted_of(chars)
}

/// [`wanted`], of characters each given once (those of [`glyph_chars`]).
pub fn wanted_of(chars: impl IntoIterator<Item = char>) -> Vec<char> {
    let mut wanted: Vec<char> = chars.into_iter().filter(|&c| !has(c)).collect();
    let sought = SOUGHT.lock().unwrap_or_else(PoisonError::into_inner);
    wanted.retain(|c| !sought.contains(c));
    wanted.sort_unstable();
    wanted
}

/// Adds to `chars` the characters of `texts` that need a glyph. ASCII needs none ([`needs_glyph`]): most
/// texts of a large story are skipped whole.
fn add_glyph_chars<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    chars: &mut std::collections::HashSet<char>,
) {
    for c in texts
        .into_iter()
        .filter(|t| !t.is_ascii())
        .flat_map(str::chars)
    {
        if needs_glyph(c) {
            chars.insert(c);
        }
    }
}

/// The characters of the texts of `scenario` ([`texts_of`]) that need a glyph, each once: what
/// [`wanted_of`] looks for, and all the window must draw. A large story's contacts are read on every
/// core.
pub fn glyph_chars(scenario: &Scenario) -> std::collections::HashSet<char> {
    glyph_chars_from(scenario, crate::model::PARALLEL_PASS)
}

fn glyph_chars_from(scenario: &Scenario, parallel_from: usize) -> std::collections::HashSet<char> {
    let mut chars = crate::model::fold_chunks(
        &scenario.contacts,
        parallel_from,
        std::collections::HashSet::new,
        |chars, chunk| add_glyph_chars(chunk.iter().flat_map(contact_texts), chars),
        |mut chars, other| {
            chars.extend(other);
            chars
        },
    );
    add_glyph_chars(head_texts(scenario), &mut chars);
    add_glyph_chars(source_texts(scenario), &mut chars);
    chars
}

/// Whether the machine's fonts are looked at at all (not with [`FontSource::Nothing`]).
pub fn searches_machine() -> bool {
    !matches!(source(), FontSource::Nothing)
}

/// Looks on the machine for fonts with the characters of `texts` that no font has yet, once per
/// character; whether fonts were found (the caller then lays text out again with
/// [`super::text::font_definitions`]).
pub fn provide_for<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    provide_chars(wanted(texts))
}

/// [`provide_for`] for the characters [`wanted`] gave: what the window runs on another thread (the first
/// search lists the machine's fonts, which takes tens of milliseconds).
pub fn provide_chars(mut wanted: Vec<char>) -> bool {
    if wanted.is_empty() {
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
    let listed = machine_fonts();
    let Some(db) = listed.as_ref() else {
        return false;
    };
    let found = search(db, &wanted);
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
    GENERATION.fetch_add(1, Ordering::Relaxed);
    true
}

/// The source in force (set, or from the environment).
fn source() -> FontSource {
    SOURCE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert_with(FontSource::from_env)
        .clone()
}

/// The machine's fonts, listed once per source (`None` for no source). Listing the system's takes tens
/// of milliseconds; a second caller meanwhile waits for the first's list.
fn machine_fonts() -> Arc<Option<fontdb::Database>> {
    // One listing at a time; the lock on the list itself is not held while listing.
    static LISTING: Mutex<()> = Mutex::new(());
    let _listing = LISTING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(listed) = LISTED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
    {
        return Arc::clone(listed);
    }
    let source = source();
    let started = std::time::Instant::now();
    let db = source.list();
    if let Some(db) = &db {
        log::info!(
            "listed {} fonts of the machine ({source:?}) in {:.0} ms",
            db.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    let listed = Arc::new(db);
    *LISTED.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&listed));
    listed
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
        let Some((file, embeddable)) = db.with_face_data(face.id, |data, index| {
            let embeddable = FontRef::from_index(data, index).is_ok_and(|f| embedding_allowed(&f));
            (data.to_vec(), embeddable)
        }) else {
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
            embeddable,
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
    let mut seen = std::collections::HashSet::new();
    for (place, text) in texts {
        for c in text.chars() {
            if !needs_glyph(c) || !seen.insert(c) || has(c) {
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

/// The texts of a scenario that the window or an export may show.
pub fn texts_of(s: &Scenario) -> impl Iterator<Item = &str> {
    head_texts(s)
        .chain(s.contacts.iter().flat_map(contact_texts))
        .chain(source_texts(s))
}

/// The texts of the scenario's title, actors and venues.
fn head_texts(s: &Scenario) -> impl Iterator<Item = &str> {
    [s.meta.title.as_str(), s.meta.description.as_str()]
        .into_iter()
        .chain(
            s.actors
                .iter()
                .flat_map(|a| [a.name.as_str(), a.role.as_str(), a.affiliation.as_str()]),
        )
        .chain(
            s.venues
                .iter()
                .flat_map(|v| [v.name.as_str(), v.country.as_str()]),
        )
}

/// The texts of a contact.
fn contact_texts(c: &crate::model::Contact) -> impl Iterator<Item = &str> {
    [c.title.as_str(), c.summary.as_str(), c.notes.as_str()]
        .into_iter()
        .chain(c.quotes.iter().map(|q| q.text.as_str()))
        .chain(
            c.sources
                .iter()
                .flat_map(|cite| [cite.says.as_str(), cite.attribution.as_str()]),
        )
}

/// The texts of the scenario's sources.
fn source_texts(s: &Scenario) -> impl Iterator<Item = &str> {
    s.sources
        .iter()
        .flat_map(|x| [x.outlet.as_str(), x.title.as_str(), x.note.as_str()])
}

/// The texts of [`texts_of`], each with where it is (`actor 习近平`), for the note on missing scripts.
pub fn scenario_texts(scenario: &Scenario) -> Vec<(String, &str)> {
    let mut texts: Vec<(String, &str)> = vec![
        ("the title".to_owned(), scenario.meta.title.as_str()),
        (
            "the description".to_owned(),
            scenario.meta.description.as_str(),
        ),
    ];
    for a in &scenario.actors {
        let place = format!("actor {}", a.name);
        for text in [&a.name, &a.role, &a.affiliation] {
            texts.push((place.clone(), text.as_str()));
        }
    }
    for v in &scenario.venues {
        let place = format!("venue {}", v.name);
        for text in [&v.name, &v.country] {
            texts.push((place.clone(), text.as_str()));
        }
    }
    for c in &scenario.contacts {
        let place = format!("contact {}", c.id);
        for text in [&c.title, &c.summary, &c.notes] {
            texts.push((place.clone(), text.as_str()));
        }
        for q in &c.quotes {
            texts.push((place.clone(), q.text.as_str()));
        }
        for cite in &c.sources {
            texts.push((place.clone(), cite.says.as_str()));
            texts.push((place.clone(), cite.attribution.as_str()));
        }
    }
    for s in &scenario.sources {
        let place = format!("source {}", s.id);
        for text in [&s.outlet, &s.title, &s.note] {
            texts.push((place.clone(), text.as_str()));
        }
    }
    texts
}

/// The scripts of a scenario (and of `more` texts, each with where it is) that no font has now: the
/// bundled ones, or those found on the machine so far. Quick when every script has a font: the places
/// are written out only when one has none.
pub fn missing_in(scenario: &Scenario, more: &[(String, &str)]) -> Vec<MissingScript> {
    let mut seen = std::collections::HashSet::new();
    let all_drawn = texts_of(scenario)
        .chain(more.iter().map(|(_, t)| *t))
        .filter(|t| !t.is_ascii())
        .flat_map(str::chars)
        .all(|c| !needs_glyph(c) || !seen.insert(c) || has(c));
    if all_drawn {
        return Vec::new();
    }
    let texts = scenario_texts(scenario);
    let all = texts
        .iter()
        .chain(more)
        .map(|(place, text)| (place.clone(), *text));
    missing_scripts(all, &has)
}

/// The scripts of a scenario (and of `more` texts) that no font has, bundled or on the machine (looked
/// for now, see [`provide_for`]): what `demarche check` and `demarche export` warn about, as the
/// window's note says.
pub fn missing_after_search(scenario: &Scenario, more: &[(String, &str)]) -> Vec<MissingScript> {
    provide_for(texts_of(scenario).chain(more.iter().map(|(_, t)| *t)));
    missing_in(scenario, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glyph_characters_read_in_parallel_are_those_of_every_text() {
        for example in crate::io::scenario::examples::EXAMPLES {
            let scenario = crate::io::scenario::parse(example.file_name, example.text)
                .expect("example")
                .scenario;
            let mut every: std::collections::HashSet<char> = texts_of(&scenario)
                .flat_map(str::chars)
                .filter(|&c| needs_glyph(c))
                .collect();
            let one_pass = glyph_chars_from(&scenario, usize::MAX);
            assert_eq!(one_pass, every, "{}", example.name);
            for parallel_from in [1, 2, 3, 7] {
                assert_eq!(glyph_chars_from(&scenario, parallel_from), one_pass);
            }
            every.retain(|c| !has(*c));
            let wanted = wanted_of(one_pass);
            let sought = SOUGHT
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let mut expected: Vec<char> =
                every.into_iter().filter(|c| !sought.contains(c)).collect();
            expected.sort_unstable();
            assert_eq!(wanted, expected);
        }
        let persian = crate::io::scenario::examples::EXAMPLES
            .iter()
            .map(|e| {
                crate::io::scenario::parse(e.file_name, e.text)
                    .expect("example")
                    .scenario
            })
            .any(|s| glyph_chars(&s).contains(&'ا'));
        assert!(persian, "an example is written in Arabic script");
    }

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
