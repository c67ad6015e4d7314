//! The "Gulf talks" story as the sheets of demarche's spreadsheet template (scenario, sources, venues,
//! actors, contacts), shared by the XLSX and ODS import tests: each writes it in its own format.

/// A row as (column, value) pairs.
pub type Row<'a> = Vec<(&'a str, &'a str)>;

/// Sheets as (sheet name, rows).
pub type Fill<'a> = [(&'a str, Vec<Row<'a>>)];

/// The names a test writes its own way (an ampersand, another script, angle brackets: what a file format
/// must escape or keep).
pub struct Names<'a> {
    pub outlet: &'a str,
    pub tehran: &'a str,
    pub talks: &'a str,
}

impl Default for Names<'_> {
    fn default() -> Self {
        Self {
            outlet: "A wire service",
            tehran: "Tehran",
            talks: "Talks in Muscat",
        }
    }
}

/// The story: two venues, two actors, a trip and the talks.
pub fn gulf_talks(names: Names<'_>) -> Vec<(&str, Vec<Row<'_>>)> {
    vec![
        (
            "scenario",
            vec![vec![
                ("id", "gulf"),
                ("title", "Gulf talks"),
                ("time_zone", "Asia/Muscat"),
            ]],
        ),
        (
            "sources",
            vec![vec![
                ("id", "wire"),
                ("outlet", names.outlet),
                ("published", "2026-03-02"),
            ]],
        ),
        (
            "venues",
            vec![
                vec![
                    ("id", "muscat"),
                    ("name", "Muscat"),
                    ("kind", "capital"),
                    ("country", "OM"),
                    ("time_zone", "Asia/Muscat"),
                    ("lon", "58.4059"),
                    ("lat", "23.5859"),
                ],
                vec![
                    ("id", "tehran"),
                    ("name", names.tehran),
                    ("kind", "capital"),
                    ("country", "IR"),
                    ("time_zone", "Asia/Tehran"),
                    ("lon", "51.389"),
                    ("lat", "35.6892"),
                ],
            ],
        ),
        (
            "actors",
            vec![
                vec![
                    ("id", "fm-ir"),
                    ("name", "Foreign Minister"),
                    ("kind", "person"),
                    ("affiliation", "IR"),
                    ("based_at", "tehran"),
                ],
                vec![
                    ("id", "fm-om"),
                    ("name", "Omani Foreign Minister"),
                    ("kind", "person"),
                    ("affiliation", "OM"),
                    ("based_at", "muscat"),
                ],
            ],
        ),
        (
            "contacts",
            vec![
                vec![
                    ("id", "trip"),
                    ("kind", "visit"),
                    ("status", "held"),
                    ("title", "To Muscat"),
                    ("participants", "fm-ir:guest; fm-om:host"),
                    ("from", "tehran"),
                    ("to", "muscat"),
                    ("on", "2026-03-01"),
                    ("sources", "wire: he flew in"),
                ],
                vec![
                    ("id", "talks"),
                    ("kind", "meeting"),
                    ("status", "held"),
                    ("title", names.talks),
                    ("participants", "fm-ir:guest\nfm-om:host"),
                    ("venue", "muscat"),
                    ("earliest", "2026-03-01"),
                    ("latest", "2026-03-02"),
                    ("sources", "wire"),
                    ("quotes", "fm-om: Constructive."),
                    ("confidence", "high"),
                ],
            ],
        ),
    ]
}
