//! Country names for what a user reads: the map's labels, the hover over a country and the country filter.
//!
//! A scenario names countries by their ISO 3166-1 alpha-2 code (`TR`), and spells a country's name where it
//! has a venue of kind `country` (the story names no city): `name = "Türkiye (city not reported)"` spells
//! `TR` "Türkiye" (a closing remark in brackets is not part of the name). That spelling wins, on the map as
//! in the filter. Other countries keep their name in the embedded table `data/basemap/countries.tsv`
//! (Natural Earth's, the one the map shows, else ISO 3166-1's), made by `data/build-basemap.sh`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::model::{Scenario, VenueKind};

/// `alpha-2 <TAB> numeric <TAB> name`, one country a line (lines starting with `#` are comments).
pub const TABLE: &str = include_str!("../../data/basemap/countries.tsv");

/// One row of [`TABLE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub numeric: &'static str,
    pub name: &'static str,
}

static COUNTRIES: LazyLock<BTreeMap<&'static str, Country>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (alpha2, numeric, name) = (fields.next()?, fields.next()?, fields.next()?);
            Some((
                alpha2,
                Country {
                    alpha2,
                    numeric,
                    name,
                },
            ))
        })
        .collect()
});

/// The country with this alpha-2 code (`"TR"`), if ISO 3166-1 has it.
pub fn by_alpha2(code: &str) -> Option<Country> {
    COUNTRIES.get(code).copied()
}

/// The names to show for countries: the scenario's spellings first, then the table's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountryNames {
    /// The scenario's spelling of a country, by alpha-2 code.
    spellings: BTreeMap<String, String>,
}

impl CountryNames {
    /// The spellings of `scenario`: the names of its venues of kind `country`, without a closing remark in
    /// brackets. When two such venues of one country disagree, the first one wins.
    pub fn of(scenario: &Scenario) -> Self {
        let mut spellings = BTreeMap::new();
        for venue in &scenario.venues {
            if venue.kind != VenueKind::Country || venue.country.is_empty() {
                continue;
            }
            let name = strip_remark(&venue.name);
            if !name.is_empty() {
                spellings
                    .entry(venue.country.clone())
                    .or_insert_with(|| name.to_owned());
            }
        }
        Self { spellings }
    }

    /// The scenario's own spelling of a country, if it has one.
    pub fn spelling(&self, code: &str) -> Option<&str> {
        self.spellings.get(code).map(String::as_str)
    }

    /// The name to show for a country code: the scenario's spelling, else the table's name, else the code
    /// itself (a code ISO does not have, such as `XK`).
    pub fn name(&self, code: &str) -> String {
        self.spelling(code)
            .or_else(|| by_alpha2(code).map(|c| c.name))
            .unwrap_or(code)
            .to_owned()
    }

    /// The label of a map feature: the scenario's spelling when the feature's code (`iso_a2`) is one the
    /// scenario spells, else the feature's own label.
    pub fn label<'a>(&'a self, code: Option<&str>, label: &'a str) -> &'a str {
        code.and_then(|c| self.spelling(c)).unwrap_or(label)
    }
}

/// `"Türkiye (city not reported)"` -> `"Türkiye"`.
fn strip_remark(name: &str) -> &str {
    let trimmed = name.trim();
    match trimmed
        .strip_suffix(')')
        .and_then(|s| s.rfind('(').map(|i| &s[..i]))
    {
        Some(before) if !before.trim().is_empty() => before.trim_end(),
        _ => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_iso_country_with_its_map_name() {
        assert!(COUNTRIES.len() >= 240, "{} countries", COUNTRIES.len());
        let tr = by_alpha2("TR").expect("TR");
        assert_eq!(tr.numeric, "792");
        assert_eq!(tr.name, "Turkey", "Natural Earth's name, the map's");
        assert_eq!(by_alpha2("VE").map(|c| c.numeric), Some("862"));
        assert_eq!(by_alpha2("KR").map(|c| c.numeric), Some("410"));
        assert!(by_alpha2("ZZ").is_none());
    }

    #[test]
    fn the_default_scenario_spells_turkiye_and_other_codes_get_the_tables_names() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let names = CountryNames::of(&scenario);
        assert_eq!(names.spelling("TR"), Some("Türkiye"));
        assert_eq!(names.name("TR"), "Türkiye");
        assert_eq!(names.name("IR"), "Iran");
        assert_eq!(
            names.name("XK"),
            "XK",
            "a code ISO does not have stays as it is"
        );
        assert_eq!(names.label(Some("TR"), "Turkey"), "Türkiye");
        assert_eq!(names.label(Some("IR"), "Iran"), "Iran");
        assert_eq!(names.label(None, "Somaliland"), "Somaliland");
    }

    #[test]
    fn a_closing_remark_in_brackets_is_not_part_of_the_name() {
        assert_eq!(strip_remark("Türkiye (city not reported)"), "Türkiye");
        assert_eq!(strip_remark("  Oman "), "Oman");
        assert_eq!(strip_remark("(unknown)"), "(unknown)");
        assert_eq!(
            strip_remark("Korea (Republic of) south"),
            "Korea (Republic of) south"
        );
    }
}
