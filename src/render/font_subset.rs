//! A font cut down to the characters a document uses, to embed in an SVG (`--svg-text embedded`): a
//! machine font for Han or Hangul weighs 10-20 MB, the glyphs of a few names some kilobytes. The subset
//! keeps the character map and the layout tables (as HarfBuzz's subsetter does, which skera ports), so a
//! browser still shapes the text with it.

use std::collections::BTreeSet;

use skera::{DEFAULT_DROP_TABLES, DEFAULT_LAYOUT_FEATURES, Plan, SubsetFlags, subset_font};
use skera_read_fonts::FontRef;
use skera_read_fonts::collections::IntSet;
use skera_read_fonts::types::{GlyphId, NameId, Tag};

/// The face `index` of `file` with only the glyphs of `chars` (and those its layout needs for them).
pub fn subset(file: &[u8], index: u32, chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let font = FontRef::from_index(file, index).map_err(|e| e.to_string())?;
    let unicodes: IntSet<u32> = chars.iter().map(|&c| u32::from(c)).collect();
    let glyphs = IntSet::<GlyphId>::empty();
    let drop_tables: IntSet<Tag> = DEFAULT_DROP_TABLES.iter().copied().collect();
    let mut layout_scripts = IntSet::<Tag>::empty();
    layout_scripts.invert(); // All scripts.
    let layout_features: IntSet<Tag> = DEFAULT_LAYOUT_FEATURES.iter().copied().collect();
    // The names that say what the font is and whose it is (copyright, family, version), in English.
    let mut name_ids = IntSet::<NameId>::empty();
    name_ids.insert_range(NameId::new(0)..=NameId::new(6));
    let mut name_languages = IntSet::<u16>::empty();
    name_languages.insert(0x0409);
    let plan = Plan::new(
        &glyphs,
        &unicodes,
        &font,
        // Hinting is for small sizes on screens; an SVG is scaled.
        SubsetFlags::SUBSET_FLAGS_NO_HINTING,
        &drop_tables,
        &layout_scripts,
        &layout_features,
        &name_ids,
        &name_languages,
    );
    subset_font(&font, &plan).map_err(|e| e.to_string())
}

/// The CSS format and media type of a font file: CFF outlines (`OTTO`) or TrueType ones.
pub fn format_of(data: &[u8]) -> (&'static str, &'static str) {
    if data.starts_with(b"OTTO") {
        ("opentype", "font/otf")
    } else {
        ("truetype", "font/ttf")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subset_has_the_characters_asked_for_and_is_much_smaller() {
        use skrifa::MetadataProvider as _;
        let file = crate::render::text::FONTS
            .iter()
            .find(|f| f.key == "NotoSansEthiopic-Regular")
            .expect("bundled")
            .file;
        let chars: BTreeSet<char> = "አዲስ አበባ".chars().collect();
        let sub = subset(file, 0, &chars).expect("subset");
        assert!(
            sub.len() * 20 < file.len(),
            "{} of {}",
            sub.len(),
            file.len()
        );
        let font = skrifa::FontRef::new(&sub).expect("a font");
        for c in chars {
            assert!(font.charmap().map(c).is_some(), "{c:?}");
        }
        assert!(font.charmap().map('ሀ').is_none(), "a letter not asked for");
        assert_eq!(format_of(&sub).0, "truetype");
    }
}
