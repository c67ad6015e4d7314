//! The model's filter and whereabouts on the embedded default scenario. They live here, not in
//! src/model, because reading the scenario is io's job and the model does not import io.

mod filter {
    use demarche::io::scenario::default_scenario;
    use demarche::model::{ContactKind, Filter, Status};

    fn titles(filter: &Filter) -> Vec<String> {
        let scenario = default_scenario().scenario;
        let order = scenario.chronological();
        filter
            .apply(&scenario, &order)
            .into_iter()
            .map(|id| scenario.contact(id).id.clone())
            .collect()
    }

    #[test]
    fn an_empty_filter_lets_every_contact_through_in_order() {
        let scenario = default_scenario().scenario;
        let order = scenario.chronological();
        assert!(Filter::default().is_empty());
        assert_eq!(Filter::default().apply(&scenario, &order), order);
    }

    #[test]
    fn kinds_and_statuses_narrow_the_contacts() {
        let filter = Filter {
            kinds: [ContactKind::Visit].into(),
            ..Filter::default()
        };
        assert_eq!(
            titles(&filter),
            ["zamir-visits-washington", "al-thani-visits-tehran"]
        );
        let filter = Filter {
            statuses: [Status::Planned].into(),
            ..Filter::default()
        };
        assert_eq!(titles(&filter), ["ankara-meeting-planned"]);
        assert_eq!(filter.active_count(), 1);
    }

    #[test]
    fn an_actor_or_a_country_keeps_the_contacts_they_take_part_in() {
        let by_actor = Filter {
            actors: ["sisi".to_owned()].into(),
            ..Filter::default()
        };
        assert_eq!(titles(&by_actor), ["sisi-calls-pezeshkian"]);
        let by_country = Filter {
            countries: ["QA".to_owned()].into(),
            ..Filter::default()
        };
        let qatar = titles(&by_country);
        assert!(qatar.contains(&"al-thani-visits-tehran".to_owned()));
        assert!(qatar.contains(&"mediators-arrange-talks".to_owned()));
        assert!(!qatar.contains(&"khamenei-speech".to_owned()));
    }

    #[test]
    fn the_search_needs_every_word_in_any_case_and_looks_in_names_and_quotes() {
        let filter = Filter {
            text: "  LARIJANI  framework ".to_owned(),
            ..Filter::default()
        };
        assert_eq!(titles(&filter), ["larijani-posts-on-x"]);
        let none = Filter {
            text: "larijani zzzz".to_owned(),
            ..Filter::default()
        };
        assert!(titles(&none).is_empty());
    }
}

mod whereabouts {
    use demarche::io::scenario::default_scenario;
    use demarche::model::Scenario;
    use demarche::model::whereabouts::{Whereabouts, travel_progress, whereabouts};
    use jiff::{SignedDuration, Timestamp};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn venue_of(scenario: &Scenario, w: &[Option<Whereabouts>], actor: &str) -> Option<String> {
        let id = scenario.actor_by_id(actor).expect("actor");
        w[id.0 as usize].map(|w| scenario.venue(w.venue()).id.clone())
    }

    #[test]
    fn actors_are_at_home_unless_a_contact_places_them() {
        let scenario = default_scenario().scenario;
        let w = whereabouts(&scenario, ts("2026-01-29T12:00:00Z"));
        assert_eq!(venue_of(&scenario, &w, "al-thani").as_deref(), Some("doha"));
        assert_eq!(venue_of(&scenario, &w, "zamir").as_deref(), Some("israel"));
        assert_eq!(venue_of(&scenario, &w, "mediator-official"), None);
    }

    #[test]
    fn a_visitor_travels_then_stays_at_the_destination_then_goes_home() {
        let scenario = default_scenario().scenario;
        let al_thani = scenario.actor_by_id("al-thani").expect("actor");
        // Saturday in Tehran starts at Fri 20:30 UTC; Doha-Tehran is about 1,100 km: 2.5 hours.
        let leaving = whereabouts(&scenario, ts("2026-01-30T21:30:00Z"));
        match leaving[al_thani.0 as usize] {
            Some(Whereabouts::Travelling { progress, .. }) => {
                assert!(progress > 0.2 && progress < 0.6, "progress {progress}");
            }
            other => panic!("expected travelling, got {other:?}"),
        }
        let w = whereabouts(&scenario, ts("2026-01-31T12:00:00Z"));
        assert_eq!(
            venue_of(&scenario, &w, "al-thani").as_deref(),
            Some("tehran")
        );
        let w = whereabouts(&scenario, ts("2026-02-02T12:00:00Z"));
        assert_eq!(venue_of(&scenario, &w, "al-thani").as_deref(), Some("doha"));
    }

    #[test]
    fn a_guest_is_at_the_meeting_venue_while_it_goes_on() {
        let scenario = default_scenario().scenario;
        let w = whereabouts(&scenario, ts("2026-01-30T12:00:00Z"));
        assert_eq!(
            venue_of(&scenario, &w, "araghchi").as_deref(),
            Some("turkiye")
        );
        assert_eq!(venue_of(&scenario, &w, "fidan").as_deref(), Some("turkiye"));
    }

    #[test]
    fn a_planned_meeting_moves_nobody() {
        let scenario = default_scenario().scenario;
        // The planned Ankara meeting's window covers the first week of February.
        let w = whereabouts(&scenario, ts("2026-02-03T12:00:00Z"));
        assert_eq!(
            venue_of(&scenario, &w, "witkoff").as_deref(),
            Some("washington")
        );
    }

    #[test]
    fn a_trip_takes_its_flight_time_but_never_most_of_the_visit() {
        let scenario = default_scenario().scenario;
        let id = scenario
            .contact_by_id("zamir-visits-washington")
            .expect("contact");
        let visit = scenario.contact(id);
        let start = visit.time.start.expect("start");
        let end = visit.time.end.expect("end");
        assert_eq!(travel_progress(&scenario, visit, start), 0.0);
        assert_eq!(travel_progress(&scenario, visit, end), 1.0);
        // Israel to Washington is about 9,400 km: some 13.5 hours, well under 40% of two days.
        let after_13h = start
            .checked_add(SignedDuration::from_hours(13))
            .expect("t");
        let after_15h = start
            .checked_add(SignedDuration::from_hours(15))
            .expect("t");
        assert!(travel_progress(&scenario, visit, after_13h) < 1.0);
        assert_eq!(travel_progress(&scenario, visit, after_15h), 1.0);
    }
}

/// The search: the words must all be in a contact's texts, lower-cased; it reads the texts in place (a
/// million contacts' worth on each keystroke), so it is held against the search as first written, which
/// lower-cased a copy of all of them.
mod search {
    use demarche::io::scenario::{default_scenario, examples::EXAMPLES};
    use demarche::model::{Contact, ContactKind, Filter, Place, Scenario};

    /// The search as first written: every text a search looks in, joined and lower-cased.
    fn searchable_text(scenario: &Scenario, contact: &Contact) -> String {
        let mut text = format!(
            "{}\n{}\n{}\n",
            contact.title, contact.summary, contact.notes
        );
        for p in &contact.participants {
            let actor = scenario.actor(p.actor);
            text.push_str(&actor.name);
            text.push('\n');
            text.push_str(&actor.role);
            text.push('\n');
        }
        if !matches!(contact.place, Place::None) {
            for v in contact.venues() {
                text.push_str(&scenario.venue(v).name);
                text.push('\n');
            }
        }
        for q in &contact.quotes {
            text.push_str(&q.text);
            text.push('\n');
        }
        for s in &contact.sources {
            text.push_str(&s.says);
            text.push('\n');
            text.push_str(&s.attribution);
            text.push('\n');
        }
        text.to_lowercase()
    }

    fn stories() -> Vec<Scenario> {
        let mut out = vec![default_scenario().scenario];
        for example in EXAMPLES {
            out.push(example.load().expect("an example story").0.scenario);
        }
        out
    }

    fn search(text: &str) -> Filter {
        Filter {
            text: text.to_owned(),
            ..Filter::default()
        }
    }

    /// Words to search for: pieces of every text of the story (in another case too), and words in other
    /// scripts and with letters whose lower case is special.
    fn probes(scenario: &Scenario) -> Vec<String> {
        let mut words: Vec<String> = [
            "ANKARA",
            "tehran",
            "تهران",
            "fidan",
            "İstanbul",
            "istanbul",
            "ΟΔΟΣ",
            "οδος",
            "\u{212A}",
            "k",
            "talks",
            "xyzzy",
            "TÜRKİYE",
            "türkiye",
            "quote",
        ]
        .map(str::to_owned)
        .to_vec();
        for c in &scenario.contacts {
            for w in [c.title.as_str(), c.summary.as_str()]
                .into_iter()
                .flat_map(str::split_whitespace)
                .take(6)
            {
                let cut: String = w.chars().skip(1).take(5).collect();
                words.extend([w.to_owned(), w.to_uppercase(), cut]);
            }
        }
        words.retain(|w| !w.trim().is_empty());
        words.sort();
        words.dedup();
        words
    }

    #[test]
    fn a_search_finds_what_the_lower_cased_text_of_each_contact_holds() {
        let mut compared = 0;
        for scenario in stories() {
            for word in probes(&scenario) {
                let filter = search(&word);
                for c in &scenario.contacts {
                    let expected = word
                        .split_whitespace()
                        .map(str::to_lowercase)
                        .all(|w| searchable_text(&scenario, c).contains(&w));
                    assert_eq!(
                        filter.matches(&scenario, c),
                        expected,
                        "`{word}` in {}",
                        c.id
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 5_000, "{compared} comparisons");
    }

    /// Letters whose lower case is special: the search lower-cases as the whole text is lower-cased.
    #[test]
    fn lower_casing_is_that_of_the_whole_text() {
        let mut scenario = default_scenario().scenario;
        let sigma = "ΟΔΟΣ".to_lowercase();
        let dotted = "İstanbul".to_lowercase();
        for (title, word, found) in [
            ("Talks in ANKARA", "ankara", true),
            ("Talks in ANKARA", "ankaram", false),
            ("ΟΔΟΣ", sigma.as_str(), true),
            ("İstanbul", dotted.as_str(), true),
            ("\u{212A}elvin", "kelvin", true),
        ] {
            "zzzz".clone_into(&mut scenario.contacts[0].summary);
            title.clone_into(&mut scenario.contacts[0].title);
            let c = &scenario.contacts[0];
            assert_eq!(
                search(word).matches(&scenario, c),
                searchable_text(&scenario, c).contains(word),
                "{title} / {word}"
            );
            assert_eq!(
                search(word).matches(&scenario, c),
                found,
                "{title} / {word}"
            );
        }
    }

    /// A large list is filtered on every core: the same contacts, in the same order.
    #[test]
    fn a_filter_read_on_every_core_keeps_the_order_and_the_contacts() {
        for scenario in stories() {
            let order = scenario.chronological();
            for text in ["", "talks", "minister", "تهران", "a e"] {
                let mut filter = search(text);
                if text == "a e" {
                    filter.kinds.insert(ContactKind::Meeting);
                }
                let one = filter.apply_from(&scenario, &order, usize::MAX);
                assert_eq!(filter.apply_from(&scenario, &order, 1), one, "`{text}`");
                assert!(
                    text.is_empty() || one.len() < order.len(),
                    "`{text}` filters"
                );
            }
        }
    }
}

/// Passes that read every contact of a large story on every core give what one pass gives.
mod large_passes {
    use demarche::io::scenario::default_scenario;
    use demarche::model::as_of::report_times;
    use demarche::model::time::Moment;
    use demarche::model::{Citation, PARALLEL_PASS, Provenance, Review, Scenario, SourceId};
    use jiff::{SignedDuration, Timestamp};

    /// The default story's contacts copied past [`PARALLEL_PASS`], each copy a day later than the last;
    /// every seventh copy coded by a machine, first reported a week after the copy's day; a second
    /// source, published later, cited only by the last copy.
    fn large() -> Scenario {
        let mut scenario = default_scenario().scenario;
        let base = std::mem::take(&mut scenario.contacts);
        let copies = PARALLEL_PASS / base.len() + 2;
        let mut late = scenario.sources[0].clone();
        late.id = "late".to_owned();
        late.published = Some(Moment::At("2027-03-01T09:00:00Z".parse().expect("a time")));
        scenario.sources.push(late);
        let late = SourceId(scenario.sources.len() as u32 - 1);
        for k in 0..copies {
            let later = SignedDuration::from_hours(24 * k as i64);
            for contact in &base {
                let mut c = contact.clone();
                c.time.start = c.time.start.map(|t| t + later);
                c.time.end = c.time.end.map(|t| t + later);
                if k == copies - 1 {
                    c.sources.push(Citation {
                        source: late,
                        says: String::new(),
                        attribution: String::new(),
                    });
                }
                if k % 7 == 0 {
                    c.provenance = Some(Box::new(Provenance {
                        review: Review::Candidate,
                        dataset: "GDELT 2.0 events".to_owned(),
                        rows: Vec::new(),
                        first_reported: c
                            .time
                            .start
                            .map(|t| t + SignedDuration::from_hours(24 * 7)),
                        sources: Some(2),
                        tone: None,
                    }));
                }
                scenario.contacts.push(c);
            }
        }
        assert!(scenario.contacts.len() > PARALLEL_PASS);
        scenario
    }

    #[test]
    fn a_large_story_copied_on_every_core_is_the_same_story() {
        let scenario = large();
        let copy = scenario.parallel_clone();
        assert_eq!(copy.contacts.len(), scenario.contacts.len());
        for (i, (a, b)) in copy.contacts.iter().zip(&scenario.contacts).enumerate() {
            assert_eq!(
                (&a.id, &a.title, a.time.start, a.place, a.sources.len()),
                (&b.id, &b.title, b.time.start, b.place, b.sources.len()),
                "contact {i}"
            );
            assert_eq!(a.provenance, b.provenance, "contact {i}");
        }
        assert_eq!(copy.sources.len(), scenario.sources.len());
        assert_eq!(copy.meta.id, scenario.meta.id);
    }

    #[test]
    fn the_time_extent_of_a_large_story_is_that_of_one_pass() {
        let scenario = large();
        let one_pass = scenario
            .contacts
            .iter()
            .map(|c| c.time.extent())
            .reduce(|(s0, e0), (s1, e1)| (s0.min(s1), e0.max(e1)));
        let (start, end) = scenario.time_extent().expect("contacts");
        assert_eq!(Some((start, end)), one_pass);
        let small = default_scenario().scenario.time_extent().expect("contacts");
        assert_eq!(start, small.0, "the first copy is not moved");
        assert!(
            end > small.1 + SignedDuration::from_hours(24 * 365),
            "the last copy is years later"
        );
    }

    #[test]
    fn the_report_times_of_a_large_story_are_those_of_one_pass() {
        let scenario = large();
        let zone = &scenario.meta.time_zone;
        let mut cited = vec![false; scenario.sources.len()];
        let mut one_pass: Vec<Timestamp> = Vec::new();
        for c in &scenario.contacts {
            for s in c
                .sources
                .iter()
                .chain(c.accounts().iter().flat_map(|a| a.sources.iter()))
            {
                cited[s.source.0 as usize] = true;
            }
            one_pass.extend(c.provenance.as_ref().and_then(|p| p.first_reported));
        }
        one_pass.extend(
            scenario
                .sources
                .iter()
                .zip(&cited)
                .filter(|(_, c)| **c)
                .filter_map(|(s, _)| demarche::model::evidence::published_at(s, zone)),
        );
        one_pass.sort_unstable();
        one_pass.dedup();
        let times = report_times(&scenario);
        assert_eq!(times, one_pass);
        assert!(
            times.len() > PARALLEL_PASS / 100,
            "first reports of the machine-coded copies"
        );
        let late: Timestamp = "2027-03-01T09:00:00Z".parse().expect("a time");
        assert!(times.contains(&late), "the source only the last copy cites");
    }
}
