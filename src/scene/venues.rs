//! Venues as markers with labels that never overlap (active venues first, then capitals, then the rest),
//! venues outside the view as arrows at the map's edge, and the actors as small badges where they are.

use std::collections::HashSet;

use jiff::Timestamp;

use super::areas;
use super::contacts::Moment;
use super::labels::{Box2, Placer, around, text_box};
use super::places::{Placed, Places};
use super::{Anchor, Item, Pick, Pt, Rgba, SceneLayer, Target, Theme};
use crate::model::whereabouts::Whereabouts;
use crate::model::{ActorId, ActorKind, Contact, LINGER, Place, Scenario, VenueId, VenueKind};

/// At most this many badges side by side at a venue; more become "+N".
const MAX_BADGES: usize = 4;
const BADGE_RADIUS: f32 = 7.0;
const BADGE_STEP: f32 = 15.0;

/// The venues and actors layers, and where each venue and actor can be picked.
#[derive(Debug)]
pub struct Marks {
    /// Area venues' soft areas ([`super::areas`]), drawn under the contacts.
    pub areas: SceneLayer,
    pub venues: SceneLayer,
    pub actors: SceneLayer,
    pub targets: Vec<Target>,
}

/// Colours of affiliations, from Paul Tol's "bright" scheme, which colour-blind readers can tell apart;
/// grey for actors of no stated country.
const AFFILIATION_COLORS: [Rgba; 6] = [
    Rgba::rgb(0x44, 0x77, 0xAA),
    Rgba::rgb(0xEE, 0x66, 0x77),
    Rgba::rgb(0x22, 0x88, 0x33),
    Rgba::rgb(0xCC, 0xBB, 0x44),
    Rgba::rgb(0x66, 0xCC, 0xEE),
    Rgba::rgb(0xAA, 0x33, 0x77),
];
const NO_AFFILIATION: Rgba = Rgba::rgb(0xBB, 0xBB, 0xBB);

/// Each affiliation of the scenario with its colour, in a stable order (sorted codes).
#[derive(Debug)]
pub struct AffiliationColors(Vec<String>);

impl AffiliationColors {
    pub fn new(scenario: &Scenario) -> Self {
        let mut codes: Vec<String> = scenario
            .actors
            .iter()
            .filter(|a| !a.affiliation.is_empty())
            .map(|a| a.affiliation.clone())
            .collect();
        codes.sort();
        codes.dedup();
        Self(codes)
    }

    pub fn of(&self, code: &str) -> Rgba {
        self.0
            .binary_search_by(|c| c.as_str().cmp(code))
            .map_or(NO_AFFILIATION, |i| {
                AFFILIATION_COLORS[i % AFFILIATION_COLORS.len()]
            })
    }
}

/// Two letters for a badge: the initials of the first and last names ("Hakan Fidan": HF), "?" for an
/// unnamed official.
pub fn initials(name: &str, kind: ActorKind) -> String {
    if kind == ActorKind::UnnamedOfficial {
        return "?".to_owned();
    }
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase) && !w.ends_with('.'))
        .collect();
    let first = |w: &&str| w.chars().next();
    match (words.first(), words.last()) {
        (Some(a), Some(b)) if words.len() > 1 => first(a).into_iter().chain(first(b)).collect(),
        (Some(a), _) => a.chars().take(2).collect(),
        _ => name.chars().take(1).collect(),
    }
}

/// A set of venues or actors by their index: a frame asks whether each of a few hundred is in it, for
/// contacts numbering up to the tens of thousands (a bit per id beats hashing each).
#[derive(Debug, Default)]
struct IdSet(Vec<bool>);

impl IdSet {
    fn with_len(len: usize) -> Self {
        Self(vec![false; len])
    }

    fn insert(&mut self, i: u32) {
        if let Some(slot) = self.0.get_mut(i as usize) {
            *slot = true;
        }
    }

    fn contains(&self, i: u32) -> bool {
        self.0.get(i as usize).copied().unwrap_or(false)
    }
}

/// What the contacts shown involve: the venues of those current at the time shown and the actors taking
/// part in them, and the area venues whose area a contact shown draws itself (a military move in an
/// area: the venue's own soft area is left out there, so that one area has one edge). Gathered contact by
/// contact ([`Involved::add`]) in the one pass a frame makes over the contacts it shows.
#[derive(Debug)]
pub struct Involved {
    venues: IdSet,
    actors: IdSet,
    areas_of_contacts: IdSet,
}

impl Involved {
    /// Nothing involved yet.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            venues: IdSet::with_len(scenario.venues.len()),
            actors: IdSet::with_len(scenario.actors.len()),
            areas_of_contacts: IdSet::with_len(scenario.venues.len()),
        }
    }

    /// Adds `contact`, shown at `t`.
    pub fn add(&mut self, contact: &Contact, t: Timestamp, theme: &Theme) {
        if contact.time.is_current(t, LINGER) {
            match contact.place {
                Place::None => {}
                Place::At(v) => self.venues.insert(v.0),
                Place::Route { from, to, .. } => {
                    self.venues.insert(from.0);
                    self.venues.insert(to.0);
                }
            }
            for p in &contact.participants {
                self.actors.insert(p.actor.0);
            }
        }
        if let Place::At(v) = contact.place
            && super::look::kind_look(contact.kind, theme).mark == super::look::Mark::Area
        {
            self.areas_of_contacts.insert(v.0);
        }
    }
}

/// Builds the venue markers, their labels (placed through `placer`) and the actors' badges, at
/// `moment`, with what the contacts shown `involved`. In-view things win: the dots, badges and labels of the venues
/// in the view are placed first; edge markers (kept clear of them by [`Places`]) then place their labels
/// and badges where they cover none of these nor `avoid` (the contacts' marks in the view), and drop
/// their badges when there is no room.
pub fn venues_and_actors(
    scenario: &Scenario,
    involved: Involved,
    moment: &Moment<'_>,
    places: &Places<'_>,
    theme: &Theme,
    placer: &mut Placer,
    avoid: &[Box2],
) -> Marks {
    let mut builder = VenueBuilder {
        scenario,
        places,
        theme,
        placer,
        colors: AffiliationColors::new(scenario),
        active_venues: involved.venues,
        active_actors: involved.actors,
        emphasised: emphasised_actors(scenario, moment.selection),
        areas_of_contacts: involved.areas_of_contacts,
        areas: SceneLayer::new("areas"),
        venues: SceneLayer::new("venues"),
        actors: SceneLayer::new("actors"),
        targets: Vec::new(),
    };
    let (mut at_venue, travelling) = who_is_where(scenario, moment.whereabouts, places);
    // Markers first, so that no label covers a marker; then the badges and labels in the view; then the
    // edge markers' labels and badges, which yield to them.
    let ranked = builder.markers();
    let is_edge = |v: usize| {
        places
            .venue(VenueId(v as u32))
            .is_some_and(|p| p.toward.is_some())
    };
    for (v, present) in at_venue.iter_mut().enumerate() {
        if !is_edge(v) {
            builder.badges_at(VenueId(v as u32), present, None);
        }
    }
    for (actor, head) in travelling {
        builder.badge(actor, [head[0], head[1] - 13.0]);
    }
    builder.labels(ranked);
    for &b in avoid {
        builder.placer.block(b);
    }
    for (v, present) in at_venue.iter_mut().enumerate() {
        if is_edge(v) {
            let label = builder.edge_label(VenueId(v as u32));
            builder.badges_at(VenueId(v as u32), present, label);
        }
    }
    if let Some(Pick::Venue(v)) = moment.selection {
        builder.selected_venue(v);
    }
    Marks {
        areas: builder.areas,
        venues: builder.venues,
        actors: builder.actors,
        targets: builder.targets,
    }
}

/// The actors whose badges stand out: the selected actor, or the participants of the selected contact.
fn emphasised_actors(scenario: &Scenario, selection: Option<Pick>) -> HashSet<ActorId> {
    match selection {
        Some(Pick::Actor(a)) => HashSet::from([a]),
        Some(Pick::Contact(c)) => scenario
            .contact(c)
            .participants
            .iter()
            .map(|p| p.actor)
            .collect(),
        _ => HashSet::new(),
    }
}

/// Who is where (from `whereabouts`): the actors at each venue, and the travellers at the heads of their
/// routes.
fn who_is_where(
    scenario: &Scenario,
    whereabouts: &[Option<Whereabouts>],
    places: &Places<'_>,
) -> (Vec<Vec<ActorId>>, Vec<(ActorId, Pt)>) {
    let mut at_venue: Vec<Vec<ActorId>> = vec![Vec::new(); scenario.venues.len()];
    let mut travelling: Vec<(ActorId, Pt)> = Vec::new();
    for (i, w) in whereabouts.iter().enumerate() {
        let actor = ActorId(i as u32);
        match *w {
            Some(Whereabouts::At(v)) => {
                if let Some(list) = at_venue.get_mut(v.0 as usize) {
                    list.push(actor);
                }
            }
            Some(Whereabouts::Travelling { from, to, progress }) => {
                if let Some(&head) = places.route(from, to, progress.max(0.02)).last() {
                    travelling.push((actor, head));
                }
            }
            None => {}
        }
    }
    (at_venue, travelling)
}

/// Where an edge marker's label went, for its badges to line up under it.
type EdgeLabel = Option<(Box2, Anchor)>;

/// Builds the venues' and actors' layers, blocking in `placer` what it draws so that labels keep clear.
struct VenueBuilder<'a, 'p> {
    scenario: &'a Scenario,
    places: &'a Places<'p>,
    theme: &'a Theme,
    placer: &'a mut Placer,
    colors: AffiliationColors,
    /// The venues and actors of the contacts going on.
    active_venues: IdSet,
    active_actors: IdSet,
    /// The actors whose badges stand out (the selection).
    emphasised: HashSet<ActorId>,
    /// Area venues whose area a contact draws ([`drawn_by_contacts`]).
    areas_of_contacts: IdSet,
    areas: SceneLayer,
    venues: SceneLayer,
    actors: SceneLayer,
    targets: Vec<Target>,
}

impl VenueBuilder<'_, '_> {
    /// Every venue's marker (a dot, an area, or an arrow at the edge), and the venues ranked for
    /// labelling: active ones, then capitals, then important ones. An area is drawn wherever it reaches
    /// into the view, also when its centre is outside (its edge marker then points there).
    fn markers(&mut self) -> Vec<(u8, VenueId)> {
        let mut ranked: Vec<(u8, VenueId)> = Vec::new();
        for (i, venue) in self.scenario.venues.iter().enumerate() {
            let id = VenueId(i as u32);
            let Some(placed) = self.places.venue(id) else {
                continue;
            };
            let active = self.active_venues.contains(id.0);
            let score = u8::from(active) * 4
                + u8::from(venue.kind == VenueKind::Capital) * 2
                + u8::from(venue.importance > 0);
            ranked.push((score, id));
            let outline = areas::outline(venue, self.places.projection(), self.places.camera())
                .filter(|_| !self.areas_of_contacts.contains(id.0));
            if let Some(outline) = &outline {
                let items = areas::area_items(outline, active, self.theme);
                self.areas.items.extend(items);
            }
            match placed.toward {
                None if areas::is_area(venue) => {}
                None => self.dot(placed.at, active),
                Some(d) => self.edge_marker(placed.at, d),
            }
            self.targets.push(Target {
                pick: Pick::Venue(id),
                center: placed.at,
                radius: 9.0,
            });
        }
        ranked
    }

    /// A venue in the view: a dot, larger when something happens there.
    fn dot(&mut self, at: Pt, active: bool) {
        let radius = if active { 4.5 } else { 3.5 };
        self.venues.items.push(Item::Circle {
            center: at,
            radius,
            fill: Some(self.theme.text),
            stroke: Some((1.5, self.theme.text_halo)),
        });
        self.placer.block([
            at[0] - radius,
            at[1] - radius,
            at[0] + radius,
            at[1] + radius,
        ]);
    }

    /// A venue outside the view: an arrow at the edge pointing `d`. A slender one (15 points long, 8
    /// wide): a squat triangle reads as pointing along whichever side is level, not the way it points.
    fn edge_marker(&mut self, at: Pt, d: Pt) {
        let tip = [at[0] + d[0] * 10.0, at[1] + d[1] * 10.0];
        let back = [at[0] - d[0] * 5.0, at[1] - d[1] * 5.0];
        let side = [-d[1] * 4.0, d[0] * 4.0];
        self.venues.items.push(Item::Mesh {
            vertices: vec![
                tip,
                [back[0] + side[0], back[1] + side[1]],
                [back[0] - side[0], back[1] - side[1]],
            ],
            indices: vec![0, 1, 2],
            fill: self.theme.text,
        });
        self.placer
            .block([at[0] - 10.0, at[1] - 10.0, at[0] + 10.0, at[1] + 10.0]);
    }

    /// An edge marker's label, inward from it where it covers nothing placed before; none when there is no
    /// room.
    fn edge_label(&mut self, v: VenueId) -> EdgeLabel {
        let placed = self.places.venue(v)?;
        let name = &self.scenario.venue(v).name;
        let (size, color) = label_style(self.active_venues.contains(v.0), self.theme);
        let (pos, anchor) = self.placer.place(name, size, &label_candidates(placed))?;
        self.venues.items.push(Item::Text {
            pos,
            text: name.clone(),
            size,
            color,
            anchor,
        });
        Some((text_box(pos, name, size, anchor), anchor))
    }

    /// The ring round the selected venue (its dot, or its edge marker).
    fn selected_venue(&mut self, v: VenueId) {
        let Some(placed) = self.places.venue(v) else {
            return;
        };
        for (width, color) in [(5.0, self.theme.text_halo), (2.0, self.theme.text)] {
            self.venues.items.push(Item::Circle {
                center: placed.at,
                radius: 11.0,
                fill: None,
                stroke: Some((width, color)),
            });
        }
    }

    /// An actor's badge at `center`: a disc in the affiliation's colour with the initials.
    fn badge(&mut self, actor: ActorId, center: Pt) {
        let a = self.scenario.actor(actor);
        let fill = self.colors.of(&a.affiliation);
        if self.emphasised.contains(&actor) {
            self.actors.items.push(Item::Circle {
                center,
                radius: BADGE_RADIUS + 3.0,
                fill: Some(self.theme.text_halo),
                stroke: Some((2.5, self.theme.text)),
            });
        }
        self.actors.items.push(Item::Circle {
            center,
            radius: BADGE_RADIUS,
            fill: Some(fill),
            stroke: Some((1.5, self.theme.text_halo)),
        });
        self.actors.items.push(Item::Text {
            pos: center,
            text: initials(&a.name, a.kind),
            size: 7.5,
            color: readable_on(fill),
            anchor: Anchor::Center,
        });
        let r = BADGE_RADIUS + 1.0;
        self.placer
            .block([center[0] - r, center[1] - r, center[0] + r, center[1] + r]);
        self.targets.push(Target {
            pick: Pick::Actor(actor),
            center,
            radius: BADGE_RADIUS + 1.0,
        });
    }

    /// The badges of the actors at venue `v` in a row (those in the contacts going on first, people before
    /// institutions), with "+N" for those past [`MAX_BADGES`].
    fn badges_at(&mut self, v: VenueId, present: &mut [ActorId], edge_label: EdgeLabel) {
        let Some(placed) = self.places.venue(v) else {
            return;
        };
        if present.is_empty() {
            return;
        }
        present.sort_by_key(|&a| {
            (
                !self.active_actors.contains(a.0),
                self.scenario.actor(a).kind != ActorKind::Person,
                a,
            )
        });
        let shown = if present.len() > MAX_BADGES {
            MAX_BADGES - 1
        } else {
            present.len()
        };
        let slots = if present.len() > shown {
            shown + 1
        } else {
            shown
        };
        let row = (slots as f32 - 1.0) * BADGE_STEP;
        let [x0, y] = self.badge_row_start(placed, edge_label, row);
        // An edge marker's badges yield to everything placed before: with no room, they are not drawn.
        let r = BADGE_RADIUS + 1.0;
        if placed.toward.is_some() && !self.placer.is_free(&[x0 - r, y - r, x0 + row + r, y + r]) {
            return;
        }
        for (k, &actor) in present.iter().take(shown).enumerate() {
            self.badge(actor, [x0 + k as f32 * BADGE_STEP, y]);
        }
        if present.len() > shown {
            let pos = [x0 + shown as f32 * BADGE_STEP, y];
            // On a halo, as the badges are, so that it reads over coastlines and contact marks.
            self.actors.items.push(Item::Circle {
                center: pos,
                radius: BADGE_RADIUS + 1.0,
                fill: Some(self.theme.text_halo),
                stroke: None,
            });
            self.actors.items.push(Item::Text {
                pos,
                text: format!("+{}", present.len() - shown),
                size: 11.0,
                color: self.theme.text,
                anchor: Anchor::Center,
            });
            self.placer
                .block([pos[0] - 8.0, pos[1] - 7.0, pos[0] + 8.0, pos[1] + 7.0]);
        }
    }

    /// Where a row of badges `row` points long starts: above the marker (inside the map for an edge
    /// marker).
    fn badge_row_start(&self, placed: Placed, edge_label: EdgeLabel, row: f32) -> Pt {
        match (placed.toward, edge_label) {
            // Beside an edge marker: a row under its label (over it, at the bottom of the map).
            (Some(d), Some((b, anchor))) => {
                let y = if d[1] < 0.3 { b[3] + 9.0 } else { b[1] - 9.0 };
                let x0 = match anchor {
                    Anchor::LeftCenter => b[0] + BADGE_RADIUS,
                    Anchor::RightCenter => b[2] - BADGE_RADIUS - row,
                    _ => (b[0] + b[2]) / 2.0 - row / 2.0,
                };
                [x0, y]
            }
            (Some(d), None) => {
                let base = [placed.at[0] - d[0] * 24.0, placed.at[1] - d[1] * 24.0];
                [base[0] - row / 2.0, base[1]]
            }
            // Above the marker, or below it when another venue's marker is there: 16 points away, so that
            // a label beside the marker (7.5 points high either side) still fits under the row.
            (None, _) => {
                let x0 = placed.at[0] - row / 2.0;
                let r = BADGE_RADIUS + 1.0;
                let row_box = |y: f32| [x0 - r, y - r, x0 + row + r, y + r];
                let above = placed.at[1] - 16.0;
                let below = placed.at[1] + 16.0;
                if !self.placer.is_free(&row_box(above)) && self.placer.is_free(&row_box(below)) {
                    [x0, below]
                } else {
                    [x0, above]
                }
            }
        }
    }

    /// The labels of the venues in the view, the most important first; the others yield.
    fn labels(&mut self, mut ranked: Vec<(u8, VenueId)>) {
        ranked.sort_by_key(|&(score, id)| (std::cmp::Reverse(score), id));
        for (score, id) in ranked {
            let Some(placed) = self.places.venue(id) else {
                continue;
            };
            if placed.toward.is_some() {
                continue;
            }
            let venue = self.scenario.venue(id);
            let (size, color) = label_style(score >= 4, self.theme);
            let candidates = label_candidates(placed);
            if let Some((pos, anchor)) = self.placer.place(&venue.name, size, &candidates) {
                self.venues.items.push(Item::Text {
                    pos,
                    text: venue.name.clone(),
                    size,
                    color,
                    anchor,
                });
            }
        }
    }
}

/// Size and colour of a venue's label: larger and darker when something happens there.
fn label_style(active: bool, theme: &Theme) -> (f32, Rgba) {
    if active {
        (12.5, theme.text)
    } else {
        (11.5, theme.text.with_alpha(200))
    }
}

/// Where a venue's label may go: beside its marker, or inward from an edge marker.
fn label_candidates(placed: Placed) -> Vec<(Pt, Anchor)> {
    match placed.toward {
        None => around(placed.at, 4.5).to_vec(),
        Some(d) => {
            let p = [placed.at[0] - d[0] * 12.0, placed.at[1] - d[1] * 12.0];
            let inward = if d[0] < -0.3 {
                Anchor::LeftCenter
            } else if d[0] > 0.3 {
                Anchor::RightCenter
            } else if d[1] < 0.0 {
                Anchor::CenterTop
            } else {
                Anchor::CenterBottom
            };
            let mut c = vec![(p, inward)];
            c.extend(around(placed.at, 9.0));
            c
        }
    }
}

/// Black or white, whichever reads better on `fill`.
fn readable_on(fill: Rgba) -> Rgba {
    let [r, g, b, _] = fill.0;
    let luma = 0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b);
    if luma > 150.0 {
        Rgba::rgb(0x11, 0x11, 0x11)
    } else {
        Rgba::rgb(0xff, 0xff, 0xff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_show_first_and_last_initials() {
        assert_eq!(initials("Hakan Fidan", ActorKind::Person), "HF");
        assert_eq!(initials("Lt. Gen. Eyal Zamir", ActorKind::Person), "EZ");
        assert_eq!(
            initials("Mohammed bin Abdulrahman Al Thani", ActorKind::Person),
            "MT"
        );
        assert_eq!(
            initials("a senior U.S. official", ActorKind::UnnamedOfficial),
            "?"
        );
        assert_eq!(initials("Iran", ActorKind::Government), "Ir");
    }

    #[test]
    fn each_affiliation_gets_its_own_colour_and_unknown_ones_grey() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let colors = AffiliationColors::new(&scenario);
        assert_ne!(colors.of("TR"), colors.of("IR"));
        assert_ne!(colors.of("US"), colors.of("QA"));
        assert_eq!(colors.of(""), NO_AFFILIATION);
        assert_eq!(colors.of("ZZ"), NO_AFFILIATION);
    }
}

#[cfg(test)]
mod area_tests {
    use crate::geo_math::camera::ScreenRect;
    use crate::io::scenario::default_scenario;
    use crate::scene::map::{MapInputs, build};
    use crate::scene::{Item, Theme, view};

    /// The Gulf (an area of 450 km) is a soft area with a dashed edge under the contacts, and no dot; a
    /// city keeps its dot. Before the build-up is shown, no contact draws the Gulf itself.
    #[test]
    fn an_area_venue_is_a_soft_area_not_a_dot() {
        let scenario = default_scenario().scenario;
        let projection = view::regional_projection();
        let camera =
            view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
        let order: Vec<_> = Vec::new();
        let scene = build(&MapInputs {
            projection: &projection,
            camera: &camera,
            theme: &Theme::light(),
            scenario: Some(&scenario),
            order: &order,
            index: None,
            basemap: &[],
            time: "2026-01-31T12:00:00Z".parse().ok(),
            trail: crate::scene::contacts::TRAIL,
            pulse: None,
            selection: None,
            legend: true,
            new_since: None,
        });
        let names: Vec<&str> = scene.layers.iter().map(|l| l.name.as_str()).collect();
        let areas = names
            .iter()
            .position(|n| *n == "areas")
            .expect("an areas layer");
        let contacts = names
            .iter()
            .position(|n| *n == "contacts")
            .expect("contacts");
        assert!(areas < contacts, "areas under the contacts: {names:?}");
        let layer = scene.layer("areas").expect("areas");
        assert!(matches!(layer.items[0], Item::Mesh { .. }), "a soft fill");
        assert!(
            matches!(layer.items[1], Item::Polyline { dash: Some(_), .. }),
            "a dashed edge"
        );
        let at = |id: &str| {
            let v = scenario.venue(scenario.venue_by_id(id).expect("venue"));
            let p = v.location.expect("placed");
            camera.screen_from_world(projection.project(p.lon, p.lat).expect("projects"))
        };
        let dot_at = |p: [f32; 2]| {
            scene
                .layer("venues")
                .expect("venues")
                .items
                .iter()
                .any(|i| {
                    matches!(i, Item::Circle { center, fill: Some(_), .. }
                    if (center[0] - p[0]).abs() < 0.5 && (center[1] - p[1]).abs() < 0.5)
                })
        };
        assert!(!dot_at(at("gulf")), "no dot for the Gulf");
        assert!(dot_at(at("doha")), "Doha keeps its dot");
        let legend = scene.layer("legend").expect("legend");
        assert!(
            legend
                .items
                .iter()
                .any(|i| matches!(i, Item::Text { text, .. } if text == "Area, not a point"))
        );
    }
}
