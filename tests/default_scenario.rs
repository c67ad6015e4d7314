//! Pins the facts of the embedded Ankara-channel scenario to its source article: each contact with its kind,
//! participants and their parts, venue, day (in the zone the article's day is read in) and status.

mod support;

use demarche::io::scenario::default_scenario;
use demarche::model::{ContactKind, Part, Place, Precision, Scenario, Status};
use jiff::Timestamp;
use jiff::civil::Date;

fn scenario() -> Scenario {
    let loaded = default_scenario();
    assert!(
        loaded.report.diagnostics.is_empty(),
        "the default scenario has warnings: {:#?}",
        loaded.report.to_lines()
    );
    loaded.scenario
}

/// What the article says of one contact.
struct Fact {
    id: &'static str,
    kind: ContactKind,
    status: Status,
    participants: &'static [(&'static str, Part)],
    /// Venue ids: none, one, or origin and destination.
    venues: &'static [&'static str],
    /// The local day the contact starts on, or `None` for ongoing contacts with no start.
    day: Option<&'static str>,
    precision: Precision,
}

const FACTS: &[Fact] = &[
    Fact {
        id: "us-gulf-buildup",
        kind: ContactKind::MilitaryMove,
        status: Status::Ongoing,
        participants: &[
            ("trump", Part::Initiator),
            ("iran-government", Part::Target),
        ],
        venues: &["gulf"],
        day: None,
        precision: Precision::Ongoing,
    },
    Fact {
        id: "mediators-arrange-talks",
        kind: ContactKind::Mediation,
        status: Status::Ongoing,
        participants: &[
            ("turkiye-government", Part::Mediator),
            ("egypt-government", Part::Mediator),
            ("qatar-government", Part::Mediator),
            ("us-administration", Part::Participant),
            ("iran-government", Part::Participant),
        ],
        venues: &[],
        day: None,
        precision: Precision::Ongoing,
    },
    Fact {
        id: "us-signals-willingness",
        kind: ContactKind::ChannelMessage,
        status: Status::Reported,
        participants: &[
            ("us-administration", Part::Speaker),
            ("iran-government", Part::Addressee),
        ],
        venues: &[],
        day: None,
        precision: Precision::Ongoing,
    },
    Fact {
        id: "fidan-hosts-araghchi",
        kind: ContactKind::Meeting,
        status: Status::Held,
        participants: &[("fidan", Part::Host), ("araghchi", Part::Guest)],
        venues: &["turkiye"],
        day: Some("2026-01-30"),
        precision: Precision::Day,
    },
    Fact {
        id: "zamir-visits-washington",
        kind: ContactKind::Visit,
        status: Status::Held,
        participants: &[("zamir", Part::Guest), ("caine", Part::Host)],
        venues: &["israel", "washington"],
        day: Some("2026-01-30"),
        precision: Precision::Range,
    },
    Fact {
        id: "al-thani-visits-tehran",
        kind: ContactKind::Visit,
        status: Status::Held,
        participants: &[("al-thani", Part::Guest), ("larijani", Part::Host)],
        venues: &["doha", "tehran"],
        day: Some("2026-01-31"),
        precision: Precision::Day,
    },
    Fact {
        id: "larijani-posts-on-x",
        kind: ContactKind::Post,
        status: Status::Held,
        participants: &[("larijani", Part::Speaker)],
        venues: &[],
        day: Some("2026-01-31"),
        precision: Precision::Day,
    },
    Fact {
        id: "sisi-calls-pezeshkian",
        kind: ContactKind::PhoneCall,
        status: Status::Held,
        participants: &[("sisi", Part::Caller), ("pezeshkian", Part::Addressee)],
        venues: &[],
        day: Some("2026-01-31"),
        precision: Precision::Day,
    },
    Fact {
        id: "trump-on-air-force-one",
        kind: ContactKind::Statement,
        status: Status::Held,
        participants: &[("trump", Part::Speaker)],
        venues: &["air-force-one"],
        day: Some("2026-01-31"),
        precision: Precision::PartOfDay,
    },
    Fact {
        id: "araghchi-cnn-interview",
        kind: ContactKind::Interview,
        status: Status::Held,
        participants: &[("araghchi", Part::Speaker)],
        venues: &[],
        day: Some("2026-02-01"),
        precision: Precision::Day,
    },
    Fact {
        id: "khamenei-speech",
        kind: ContactKind::Statement,
        status: Status::Held,
        participants: &[("khamenei", Part::Speaker)],
        venues: &["tehran"],
        day: Some("2026-02-01"),
        precision: Precision::Day,
    },
    Fact {
        id: "trump-replies-ships",
        kind: ContactKind::Statement,
        status: Status::Held,
        participants: &[("trump", Part::Speaker), ("khamenei", Part::Addressee)],
        venues: &[],
        day: Some("2026-02-01"),
        precision: Precision::Day,
    },
    Fact {
        id: "ankara-meeting-planned",
        kind: ContactKind::Meeting,
        status: Status::Planned,
        participants: &[
            ("witkoff", Part::Participant),
            ("iranian-officials", Part::Participant),
            ("turkiye-government", Part::Mediator),
            ("egypt-government", Part::Mediator),
            ("qatar-government", Part::Mediator),
        ],
        venues: &["ankara"],
        day: Some("2026-02-01"),
        precision: Precision::Window,
    },
];

#[test]
fn every_fact_of_the_article_is_in_the_default_scenario() {
    let s = scenario();
    assert_eq!(
        s.contacts.len(),
        FACTS.len(),
        "a contact was added or lost: update the facts"
    );
    for fact in FACTS {
        let id = s
            .contact_by_id(fact.id)
            .unwrap_or_else(|| panic!("contact `{}` is missing", fact.id));
        let c = s.contact(id);
        assert_eq!(c.kind, fact.kind, "{}: kind", fact.id);
        assert_eq!(c.status, fact.status, "{}: status", fact.id);
        let participants: Vec<(&str, Part)> = c
            .participants
            .iter()
            .map(|p| (s.actor(p.actor).id.as_str(), p.part))
            .collect();
        assert_eq!(participants, fact.participants, "{}: participants", fact.id);
        let venues: Vec<&str> = c.venues().iter().map(|&v| s.venue(v).id.as_str()).collect();
        assert_eq!(venues, fact.venues, "{}: venues", fact.id);
        assert_eq!(c.time.precision(), fact.precision, "{}: precision", fact.id);
        let start_day = c
            .time
            .start
            .map(|t| t.to_zoned_datetime(c.time.zone.clone()).date());
        let expected_day = fact.day.map(|d| d.parse::<Date>().expect("date"));
        assert_eq!(start_day, expected_day, "{}: day", fact.id);
        assert!(
            !c.sources.is_empty(),
            "{}: every contact cites the article",
            fact.id
        );
        assert!(
            c.sources
                .iter()
                .all(|cite| s.source(cite.source).id == "article"),
            "{}: the default scenario has one source, the article",
            fact.id
        );
    }
}

#[test]
fn the_article_is_the_source_published_on_sunday_1_february() {
    let s = scenario();
    assert_eq!(s.sources.len(), 1);
    assert_eq!(
        s.sources[0].published,
        Some(demarche::model::Moment::Day(
            "2026-02-01".parse().expect("date")
        ))
    );
}

#[test]
fn visits_whose_origin_the_article_omits_say_so() {
    let s = scenario();
    for id in ["zamir-visits-washington", "al-thani-visits-tehran"] {
        let c = s.contact(s.contact_by_id(id).expect("contact"));
        assert!(
            matches!(
                c.place,
                Place::Route {
                    from_reported: false,
                    ..
                }
            ),
            "{id}: the article does not report where the trip began"
        );
    }
}

#[test]
fn times_keep_the_vagueness_of_the_article() {
    let s = scenario();
    let time = |id: &str| {
        s.contact(s.contact_by_id(id).expect("contact"))
            .time
            .clone()
    };
    let ts = |t: &str| t.parse::<Timestamp>().expect("timestamp");

    // "Friday and Saturday" in Washington: both whole days, Eastern time.
    let zamir = time("zamir-visits-washington");
    assert_eq!(zamir.start, Some(ts("2026-01-30T05:00:00Z")));
    assert_eq!(zamir.end, Some(ts("2026-02-01T05:00:00Z")));

    // "Saturday night" aboard Air Force One, in the President's Eastern time.
    let af1 = time("trump-on-air-force-one");
    assert_eq!(af1.start, Some(ts("2026-01-31T23:00:00Z")));

    // Saturday in Tehran is UTC+03:30.
    let visit = time("al-thani-visits-tehran");
    assert_eq!(visit.start, Some(ts("2026-01-30T20:30:00Z")));

    // "Later this week": a window, not a date.
    let planned = time("ankara-meeting-planned");
    assert_eq!(planned.end, Some(ts("2026-02-07T21:00:00Z")));

    // The build-up is ongoing since a date the article does not give.
    assert_eq!(time("us-gulf-buildup").start, None);
}

#[test]
fn quotes_are_attributed_to_the_people_the_article_quotes() {
    let s = scenario();
    let speakers: Vec<(&str, &str)> = s
        .contacts
        .iter()
        .flat_map(|c| {
            c.quotes
                .iter()
                .map(|q| (c.id.as_str(), s.actor(q.speaker).id.as_str()))
        })
        .collect();
    for (contact, speaker) in [
        ("larijani-posts-on-x", "larijani"),
        ("trump-on-air-force-one", "trump"),
        ("araghchi-cnn-interview", "araghchi"),
        ("khamenei-speech", "khamenei"),
        ("trump-replies-ships", "trump"),
        ("mediators-arrange-talks", "mediator-official"),
    ] {
        assert!(
            speakers.contains(&(contact, speaker)),
            "{contact}: quote of {speaker}"
        );
    }
    // Every quote appears word for word in the article when it is available.
    if let Some(path) = support::shared_files::shared("seeds/ankara-channel-article.txt") {
        let article = std::fs::read_to_string(path).expect("the article reads");
        for c in &s.contacts {
            for q in &c.quotes {
                assert!(
                    article.contains(&q.text),
                    "{}: quote not in the article: {}",
                    c.id,
                    q.text
                );
            }
        }
    }
}

#[test]
fn contacts_run_in_time_order_from_friday_to_the_planned_meeting() {
    let s = scenario();
    let order: Vec<&str> = s
        .chronological()
        .iter()
        .map(|&id| s.contact(id).id.as_str())
        .collect();
    let pos = |id: &str| order.iter().position(|&o| o == id).expect("in order");
    // What is going on since an unknown date comes first: the background of the weekend.
    for background in [
        "us-gulf-buildup",
        "mediators-arrange-talks",
        "us-signals-willingness",
    ] {
        assert!(
            pos(background) < pos("fidan-hosts-araghchi"),
            "{background}"
        );
    }
    assert!(pos("fidan-hosts-araghchi") < pos("al-thani-visits-tehran"));
    assert!(pos("al-thani-visits-tehran") < pos("trump-on-air-force-one"));
    // Sunday begins in Tehran (UTC+03:30) before Saturday night ends in Washington: by start, Khamenei's
    // speech comes before Trump's Saturday-night remarks, and Trump's Sunday reply after both.
    assert!(pos("khamenei-speech") < pos("trump-replies-ships"));
    assert!(pos("trump-on-air-force-one") < pos("trump-replies-ships"));
    // The planned meeting's window closes last: the scenario runs to the end of "later this week".
    let planned = s.contact(s.contact_by_id("ankara-meeting-planned").expect("contact"));
    assert_eq!(s.time_extent().map(|(_, end)| end), planned.time.end);
}
