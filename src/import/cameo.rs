//! What a coded event becomes: the table from CAMEO codes (GDELT, ICEWS) and ACLED's event types to the
//! scenario's contact kinds, statuses and parts. The README's "`demarche import`" section prints the same
//! table for users; a test keeps the two in step.
//!
//! Machine coding says less than the kinds do, and the table says no more than the code: a visit's code
//! (042 make a visit, 043 host a visit) names a host and a guest but not where the guest came from, so it
//! becomes a `meeting` at the visited place with a `host` and a `guest` (the scenario's `visit` is a journey
//! and needs its origin); a consultation (040) whose manner is not coded is a `meeting` too.

use crate::model::{ContactKind, Part, Status};

/// What one code becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub kind: ContactKind,
    pub status: Status,
    /// The parts of the first and second actor (GDELT's Actor1/Actor2, ICEWS's source/target).
    pub parts: [Part; 2],
    /// Whether A-B and B-A rows are the same event (a call, a meeting), so that they merge.
    pub symmetric: bool,
    /// The group rows merge by: the 3-digit base code, or one group for the two sides of a visit.
    pub group: u16,
    /// What the code says, for titles.
    pub label: &'static str,
}

/// The group shared by 042 (make a visit) and 043 (host a visit): the visitor's and the host's rows.
const VISIT_GROUP: u16 = 42;

/// The mapping of a CAMEO event code (`042`, `0311`, `1823`), by its base code; `None` for codes that have
/// no contact kind here (material cooperation, demands, protests, ...).
pub fn mapping(code: &str) -> Option<Mapping> {
    use ContactKind::*;
    use Part::*;
    let base = code.get(..3)?;
    let group: u16 = base.parse().ok()?;
    let m = |kind, status, parts, symmetric, label| {
        Some(Mapping {
            kind,
            status,
            parts,
            symmetric,
            group,
            label,
        })
    };
    match base {
        "036" => m(
            Meeting,
            Status::Planned,
            [Participant, Participant],
            true,
            "intention to meet or negotiate",
        ),
        "040" => m(
            Meeting,
            Status::Reported,
            [Participant, Participant],
            true,
            "consultation",
        ),
        "041" => m(
            PhoneCall,
            Status::Reported,
            [Caller, Addressee],
            true,
            "phone call",
        ),
        "042" => Some(Mapping {
            group: VISIT_GROUP,
            ..m(Meeting, Status::Reported, [Guest, Host], false, "visit")?
        }),
        "043" => Some(Mapping {
            group: VISIT_GROUP,
            ..m(Meeting, Status::Reported, [Host, Guest], false, "visit")?
        }),
        "044" => m(
            Meeting,
            Status::Reported,
            [Participant, Participant],
            true,
            "meeting at a third place",
        ),
        "045" => m(
            Mediation,
            Status::Reported,
            [Mediator, Participant],
            false,
            "mediation",
        ),
        "046" => m(
            Meeting,
            Status::Reported,
            [Participant, Participant],
            true,
            "negotiation",
        ),
        "057" => m(
            Meeting,
            Status::Reported,
            [Participant, Participant],
            true,
            "signed agreement",
        ),
        _ => match code.get(..2)? {
            "03" => m(
                Statement,
                Status::Reported,
                [Speaker, Addressee],
                false,
                "intention to cooperate",
            ),
            "05" => m(
                Statement,
                Status::Reported,
                [Speaker, Addressee],
                false,
                "diplomatic cooperation",
            ),
            "01" => m(
                Statement,
                Status::Reported,
                [Speaker, Addressee],
                false,
                "public statement",
            ),
            "02" => m(
                Statement,
                Status::Reported,
                [Speaker, Addressee],
                false,
                "appeal",
            ),
            "15" => m(
                MilitaryMove,
                Status::Reported,
                [Initiator, Target],
                false,
                "show of force",
            ),
            "18" => m(
                MilitaryMove,
                Status::Reported,
                [Initiator, Target],
                false,
                "assault",
            ),
            "19" => m(
                MilitaryMove,
                Status::Reported,
                [Initiator, Target],
                false,
                "fight",
            ),
            "20" => m(
                MilitaryMove,
                Status::Reported,
                [Initiator, Target],
                false,
                "mass violence",
            ),
            _ => None,
        },
    }
}

/// The CAMEO code standing for an ACLED event type and sub-event type, so that one table and one
/// `--kinds` filter serve every dataset; `None` for types with no contact kind (protests, riots, and the
/// strategic developments that are not agreements).
pub fn acled_code(event_type: &str, sub_event_type: &str) -> Option<&'static str> {
    let is = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b);
    if is(sub_event_type, "Agreement") {
        return Some("057");
    }
    if is(event_type, "Battles") || event_type.to_ascii_lowercase().starts_with("battle") {
        return Some("190");
    }
    if is(event_type, "Explosions/Remote violence") || is(event_type, "Remote violence") {
        return Some("195");
    }
    if is(event_type, "Violence against civilians") {
        return Some("180");
    }
    None
}

/// Whether a code is selected by `--kinds` (prefixes such as `04`, `057`).
pub fn selected(code: &str, kinds: &[String]) -> bool {
    kinds.iter().any(|k| code.starts_with(k.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_sides_of_a_visit_share_a_group_with_swapped_parts() {
        let visit = mapping("042").expect("mapped");
        let host = mapping("043").expect("mapped");
        assert_eq!(visit.group, host.group);
        assert_eq!(visit.parts, [Part::Guest, Part::Host]);
        assert_eq!(host.parts, [Part::Host, Part::Guest]);
    }

    #[test]
    fn codes_stay_strings_and_fall_back_to_their_root() {
        assert_eq!(mapping("041").map(|m| m.kind), Some(ContactKind::PhoneCall));
        assert_eq!(
            mapping("0311").map(|m| m.kind),
            Some(ContactKind::Statement)
        );
        assert_eq!(mapping("036").map(|m| m.status), Some(Status::Planned));
        assert_eq!(mapping("057").map(|m| m.label), Some("signed agreement"));
        assert_eq!(mapping("42"), None, "a code that lost its leading zero");
        assert_eq!(mapping("061"), None);
        assert_eq!(
            mapping("1823").map(|m| m.kind),
            Some(ContactKind::MilitaryMove)
        );
    }

    #[test]
    fn acled_agreements_are_signed_agreements() {
        assert_eq!(
            acled_code("Strategic developments", "Agreement"),
            Some("057")
        );
        assert_eq!(acled_code("Protests", "Peaceful protest"), None);
        assert_eq!(
            acled_code("Strategic developments", "Looting/property destruction"),
            None
        );
        assert!(selected("057", &["05".to_owned()]));
        assert!(!selected("190", &["03".to_owned(), "04".to_owned()]));
    }
}
