//! The closed vocabularies of a scenario: kinds of actors, venues and contacts, parts, statuses, confidence.
//!
//! Each is written in files as a `snake_case` name. [`Named`] gives the names, so the validator can say
//! "did you mean `meeting`?" and the documentation can list them.

/// A closed set of values written by name in scenario files.
pub trait Named: Sized + Copy + 'static {
    /// Every value, in the order the documentation lists them.
    const ALL: &'static [Self];
    /// The name used in files.
    fn name(self) -> &'static str;
    /// What the value means, for the reference and the legend.
    fn label(self) -> &'static str;

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }

    fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|v| v.name())
    }
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($file:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl Named for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $file),+
                }
            }

            fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

named_enum! {
    /// What an actor is.
    ActorKind {
        Person = ("person", "person"),
        Government = ("government", "government"),
        Organisation = ("organisation", "organisation"),
        /// "a senior U.S. official", "two regional sources": someone the source does not name.
        UnnamedOfficial = ("unnamed_official", "unnamed official"),
    }
}

named_enum! {
    /// What a venue is.
    VenueKind {
        Capital = ("capital", "capital"),
        City = ("city", "city"),
        /// A region such as "the Gulf": a point with a radius, or a polygon.
        Area = ("area", "area"),
        /// A venue that moves: Air Force One, a ship.
        Mobile = ("mobile", "mobile venue"),
        /// A country when the source names no city ("in Türkiye").
        Country = ("country", "country (city not reported)"),
        /// No place is reported or none applies (a phone call).
        Unspecified = ("unspecified", "unspecified place"),
    }
}

named_enum! {
    /// What happened, or is to happen.
    ContactKind {
        /// Someone travels from an origin to a destination.
        Visit = ("visit", "visit"),
        Meeting = ("meeting", "meeting"),
        PhoneCall = ("phone_call", "phone call"),
        Statement = ("statement", "statement"),
        Interview = ("interview", "interview"),
        /// A post on a social network (X, Telegram, ...).
        Post = ("post", "social media post"),
        /// A message passed through channels or intermediaries.
        ChannelMessage = ("channel_message", "message through channels"),
        Mediation = ("mediation", "mediation"),
        /// A deployment, build-up or strike.
        MilitaryMove = ("military_move", "military move"),
    }
}

named_enum! {
    /// A participant's part in a contact.
    Part {
        Host = ("host", "host"),
        Guest = ("guest", "guest"),
        Mediator = ("mediator", "mediator"),
        Speaker = ("speaker", "speaker"),
        Caller = ("caller", "caller"),
        Addressee = ("addressee", "addressee"),
        /// Takes part, with no more specific part.
        Participant = ("participant", "participant"),
        /// Orders or leads a move (a military build-up).
        Initiator = ("initiator", "initiator"),
        /// The one a move or a message is aimed at.
        Target = ("target", "target"),
    }
}

named_enum! {
    /// Where a contact stands, as reported.
    Status {
        Planned = ("planned", "planned"),
        Reported = ("reported", "reported"),
        Confirmed = ("confirmed", "confirmed"),
        Held = ("held", "held"),
        Denied = ("denied", "denied"),
        Cancelled = ("cancelled", "cancelled"),
        /// Put off to a later date (announced, then delayed): not held at the time given.
        Postponed = ("postponed", "postponed"),
        /// Going on at the time of the report, with no known end.
        Ongoing = ("ongoing", "ongoing"),
    }
}

named_enum! {
    /// Where a machine-coded contact (one imported from an event dataset) stands with the analyst.
    Review {
        /// Coded by a machine, not yet looked at: a lead, not a fact.
        Candidate = ("candidate", "candidate (machine-coded, not reviewed)"),
        /// Looked at and kept: shown like the analyst's own contacts.
        Accepted = ("accepted", "accepted"),
        /// Looked at and judged wrong; kept so that a re-import does not bring it back.
        Rejected = ("rejected", "rejected"),
    }
}

named_enum! {
    /// The analyst's confidence in a contact.
    Confidence {
        Low = ("low", "low"),
        Moderate = ("moderate", "moderate"),
        High = ("high", "high"),
    }
}

named_enum! {
    /// A named part of a day, in the zone of the time given ("Saturday night").
    DayPart {
        /// 06:00 to 12:00.
        Morning = ("morning", "morning"),
        /// 12:00 to 18:00.
        Afternoon = ("afternoon", "afternoon"),
        /// 18:00 to 22:00.
        Evening = ("evening", "evening"),
        /// 18:00 to midnight: in English "Saturday night" covers the evening too.
        Night = ("night", "night"),
    }
}

impl DayPart {
    /// The part's hours, as `[start, end)` hours of the local day (24 is the next midnight).
    pub fn hours(self) -> (i8, i8) {
        match self {
            Self::Morning => (6, 12),
            Self::Afternoon => (12, 18),
            Self::Evening => (18, 22),
            Self::Night => (18, 24),
        }
    }
}

impl ContactKind {
    /// Whether a contact of this kind happens in one place (a meeting), between two (a visit), or nowhere
    /// in particular (a phone call joins the parties where they are).
    pub fn venue_rule(self) -> VenueRule {
        match self {
            Self::Visit => VenueRule::Route,
            Self::Meeting => VenueRule::One,
            Self::PhoneCall | Self::ChannelMessage => VenueRule::None,
            Self::Statement | Self::Interview | Self::Post | Self::Mediation => VenueRule::Optional,
            Self::MilitaryMove => VenueRule::OneOrRoute,
        }
    }
}

/// Which venues a contact kind takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VenueRule {
    /// `from` and `to` (a visit).
    Route,
    /// `venue`.
    One,
    /// `venue`, or `from` and `to`.
    OneOrRoute,
    /// `venue` if known.
    Optional,
    /// No venue: the contact joins the parties where they are.
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in ContactKind::ALL {
            assert_eq!(ContactKind::from_name(kind.name()), Some(*kind));
        }
        assert_eq!(Status::from_name("held"), Some(Status::Held));
        assert_eq!(Status::from_name("Held"), None);
    }

    #[test]
    fn day_parts_stay_inside_the_day() {
        for part in DayPart::ALL {
            let (start, end) = part.hours();
            assert!(
                (0..24).contains(&start) && start < end && end <= 24,
                "{part:?}"
            );
        }
    }
}
