//! The three country-code systems of event datasets, resolved to the ISO 3166-1 alpha-2 codes of the
//! scenario format: CAMEO's three letters (GDELT's `Actor1CountryCode`, mostly ISO alpha-3), FIPS 10-4's two
//! letters (GDELT's `ActionGeo_CountryCode`: `IS` is Israel, not Iceland; `TU` Turkey) and names (ACLED,
//! ICEWS: "Russian Federation", "Occupied Palestinian Territory").
//!
//! One table (`countries.tsv`: ISO alpha-2, ISO alpha-3, FIPS, name), read once; a code it does not know
//! resolves to nothing, and the importer counts it rather than guessing.

use std::sync::OnceLock;

use foldhash::HashMap;

/// The table: ISO alpha-2, ISO alpha-3 (= CAMEO), FIPS 10-4, English name; one country a line.
const TABLE: &str = include_str!("countries.tsv");

/// Codes CAMEO (and so GDELT) writes that differ from ISO alpha-3, and other names datasets use.
const CAMEO_ALIASES: &[(&str, &str)] = &[
    ("ROM", "RO"),
    ("ZAR", "CD"),
    ("TMP", "TL"),
    ("KOS", "XK"),
    ("SER", "RS"),
    ("BAG", "IQ"),
];

const NAME_ALIASES: &[(&str, &str)] = &[
    ("russian federation", "RU"),
    ("occupied palestinian territory", "PS"),
    ("palestinian territory", "PS"),
    ("palestinian territories", "PS"),
    ("iran, islamic republic of", "IR"),
    ("korea, republic of", "KR"),
    ("republic of korea", "KR"),
    ("korea, democratic people's republic of", "KP"),
    ("north korea", "KP"),
    ("democratic republic of the congo", "CD"),
    ("dr congo", "CD"),
    ("congo, the democratic republic of the", "CD"),
    ("republic of congo", "CG"),
    ("republic of the congo", "CG"),
    ("cote d'ivoire", "CI"),
    ("côte d'ivoire", "CI"),
    ("united states of america", "US"),
    ("turkiye", "TR"),
    ("türkiye", "TR"),
    ("czechia", "CZ"),
    ("macedonia", "MK"),
    ("swaziland", "SZ"),
    ("eswatini", "SZ"),
    ("burma", "MM"),
    ("syrian arab republic", "SY"),
    ("viet nam", "VN"),
    ("lao people's democratic republic", "LA"),
    ("moldova, republic of", "MD"),
    ("tanzania, united republic of", "TZ"),
    ("bosnia-herzegovina", "BA"),
    ("cabo verde", "CV"),
    ("timor-leste", "TL"),
    ("vatican", "VA"),
    ("holy see", "VA"),
    ("uk", "GB"),
    ("great britain", "GB"),
    ("the gambia", "GM"),
    ("brunei darussalam", "BN"),
    ("libyan arab jamahiriya", "LY"),
];

struct Tables {
    by_cameo: HashMap<&'static str, usize>,
    by_fips: HashMap<&'static str, usize>,
    by_name: HashMap<String, usize>,
    rows: Vec<Country>,
}

/// A country of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2, as the scenario format writes countries.
    pub iso2: &'static str,
    pub name: &'static str,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Tables {
            by_cameo: HashMap::default(),
            by_fips: HashMap::default(),
            by_name: HashMap::default(),
            rows: Vec::new(),
        };
        for line in TABLE.lines() {
            let mut cells = line.split('\t');
            let (Some(iso2), Some(iso3), Some(fips), Some(name)) =
                (cells.next(), cells.next(), cells.next(), cells.next())
            else {
                continue;
            };
            let i = t.rows.len();
            t.rows.push(Country { iso2, name });
            t.by_cameo.insert(iso3, i);
            t.by_fips.insert(fips, i);
            t.by_name.insert(name.to_lowercase(), i);
        }
        let index_of = |rows: &[Country], iso2: &str| rows.iter().position(|c| c.iso2 == iso2);
        for &(code, iso2) in CAMEO_ALIASES {
            if let Some(i) = index_of(&t.rows, iso2) {
                t.by_cameo.insert(code, i);
            }
        }
        for &(name, iso2) in NAME_ALIASES {
            if let Some(i) = index_of(&t.rows, iso2) {
                t.by_name.insert(name.to_owned(), i);
            }
        }
        t
    })
}

/// A CAMEO country code (`IRN`, `TUR`, `ROM`), or the first three letters of a CAMEO actor code.
pub fn from_cameo(code: &str) -> Option<Country> {
    let t = tables();
    t.by_cameo.get(code.get(..3)?).map(|&i| t.rows[i])
}

/// A FIPS 10-4 country code (`IS` Israel, `TU` Turkey, `IZ` Iraq).
pub fn from_fips(code: &str) -> Option<Country> {
    let t = tables();
    t.by_fips.get(code.get(..2)?).map(|&i| t.rows[i])
}

/// A country name, any case ("Russian Federation", "Occupied Palestinian Territory").
pub fn from_name(name: &str) -> Option<Country> {
    let t = tables();
    t.by_name
        .get(&name.trim().to_lowercase())
        .map(|&i| t.rows[i])
}

/// An ISO alpha-2 code, any case: for `--countries`.
pub fn from_iso2(code: &str) -> Option<Country> {
    let code = code.trim().to_ascii_uppercase();
    tables().rows.iter().copied().find(|c| c.iso2 == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_systems_agree_on_the_pitfalls() {
        // FIPS IS is Israel, not Iceland; TU Turkey; IZ Iraq.
        assert_eq!(from_fips("IS").map(|c| c.iso2), Some("IL"));
        assert_eq!(from_fips("TU").map(|c| c.iso2), Some("TR"));
        assert_eq!(from_fips("IZ").map(|c| c.iso2), Some("IQ"));
        assert_eq!(from_cameo("ISR").map(|c| c.iso2), Some("IL"));
        assert_eq!(from_cameo("ISL").map(|c| c.iso2), Some("IS"));
        assert_eq!(from_cameo("RUSGOV").map(|c| c.iso2), Some("RU"));
        assert_eq!(from_name("Russian Federation").map(|c| c.iso2), Some("RU"));
        assert_eq!(
            from_name("Occupied Palestinian Territory").map(|c| c.iso2),
            Some("PS")
        );
        assert_eq!(from_cameo("GOV"), None);
        assert_eq!(from_fips(""), None);
    }

    #[test]
    fn every_code_is_unique_in_each_system() {
        let mut seen = [
            std::collections::HashSet::new(),
            std::collections::HashSet::new(),
            std::collections::HashSet::new(),
        ];
        for line in TABLE.lines() {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 4, "{line}");
            for (set, cell) in seen.iter_mut().zip(&cells) {
                assert!(set.insert(*cell), "{cell} twice");
            }
        }
    }
}
