//! The second clock in the window: the story as known at a moment (the as-of clock), what was reported
//! since a moment ("new since"), and the replay of knowledge (the as-of clock following the event clock).
//!
//! The app keeps the whole document (what is saved, reviewed, reloaded); with the as-of clock set, the
//! panels, the map and the exports draw a document derived from it ([`crate::model::as_of::as_known`]),
//! rebuilt only when the as-of moment crosses a report (between two reports, what is known stays the
//! same). Ids of the derived document's contacts are its own: the selection is carried across by the
//! contact's id in the file, and a review decision is applied to the whole document's contact.

use jiff::Timestamp;

use super::{DemarcheApp, Document};
use crate::io::scenario::Loaded;
use crate::model::ContactId;
use crate::model::as_of::{self, AsOf, Known, NewSince};
use crate::scene::Pick;

/// While a replay of knowledge plays, the shown document is rebuilt at most once in this many times the
/// last rebuild took: free for a small story (a millisecond), it keeps a 1,000,000-contact one (about
/// 0.75 s a rebuild) drawing most of its frames; paused, or stepped, it is rebuilt at once.
const REPLAY_SPACING: u32 = 4;

/// How many files' last openings are remembered.
const MAX_REMEMBERED: usize = 200;

/// The as-of and new-since state of the window.
#[derive(Clone, Debug, Default)]
pub struct Knowledge {
    pub(super) as_of: AsOf,
    pub(super) new_since: Option<NewSince>,
    /// When the open file was last opened before this session's opening, if it ever was.
    pub(super) last_opened: Option<Timestamp>,
    /// The moments at which what is known changes ([`as_of::report_times`]), for the open document.
    report_times: Vec<Timestamp>,
    /// The document as known at the as-of moment, while the as-of clock is set.
    view: Option<KnownView>,
    /// How many of the contacts that pass the filter were reported after the new-since moment.
    new_count: usize,
}

/// The document as known at a moment, and where its contacts are in the whole one.
#[derive(Clone, Debug)]
struct KnownView {
    /// How many report times are at or before the moment: the view is the same for any moment with the
    /// same count.
    reports: usize,
    /// When it was built, and how long that took: while the replay plays, a large story's view is
    /// rebuilt at most every few build times, so that the window keeps most of its frames.
    built: std::time::Instant,
    took: std::time::Duration,
    document: Document,
    /// For each contact of `document`, its id in the open document ([`Known::whole_ids`]).
    whole_ids: Vec<ContactId>,
}

impl Knowledge {
    /// What the as-of clock is set to.
    pub fn as_of(&self) -> AsOf {
        self.as_of
    }

    /// The moment after which reports are marked new, if set.
    pub fn new_since(&self) -> Option<NewSince> {
        self.new_since
    }

    /// When the open file was last opened before, if it was.
    pub fn last_opened(&self) -> Option<Timestamp> {
        self.last_opened
    }

    /// The document shown of the open document `whole`: `whole`, or what of it was known at the as-of
    /// moment.
    pub fn shown<'a>(&'a self, whole: &'a Document) -> &'a Document {
        self.view.as_ref().map_or(whole, |v| &v.document)
    }

    /// The moments at which what is known changes, in order.
    pub fn report_times(&self) -> &[Timestamp] {
        &self.report_times
    }

    /// How many of the contacts that pass the filter were reported after the new-since moment.
    pub fn new_count(&self) -> usize {
        self.new_count
    }
}

impl DemarcheApp {
    /// The document the window shows: the open one, or what of it was known at the as-of moment.
    pub fn shown(&self) -> &Document {
        self.knowledge.shown(&self.document)
    }

    /// The as-of and new-since state.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// The moment the as-of clock stands at, if it is set.
    pub fn as_of_time(&self) -> Option<Timestamp> {
        match self.knowledge.as_of {
            AsOf::Everything => None,
            AsOf::At(t) => Some(t),
            AsOf::FollowsClock => Some(self.clock.time()),
        }
    }

    /// The open document's id of the shown contact `id`.
    pub(super) fn whole_id(&self, id: ContactId) -> Option<ContactId> {
        match &self.knowledge.view {
            Some(view) => view.whole_ids.get(id.0 as usize).copied(),
            None => Some(id),
        }
    }

    /// Sets the as-of clock.
    pub(super) fn set_as_of(&mut self, as_of: AsOf) {
        if self.knowledge.as_of != as_of {
            self.knowledge.as_of = as_of;
            self.update_knowledge(false);
        }
    }

    /// Sets the moment after which reports are marked new.
    pub(super) fn set_new_since(&mut self, since: Option<NewSince>) {
        self.knowledge.new_since = since;
        self.count_new();
    }

    /// Counts the contacts that pass the filter reported after the new-since moment (after a change of
    /// either).
    pub(super) fn count_new(&mut self) {
        self.knowledge.new_count = match self.knowledge.new_since {
            Some(since) => {
                let scenario = &self.knowledge.shown(&self.document).loaded.scenario;
                self.visible
                    .iter()
                    .filter(|&&id| {
                        as_of::reported_since(scenario, scenario.contact(id), since.since)
                    })
                    .count()
            }
            None => 0,
        };
    }

    /// The moments at which what is known changes, found again for a new or changed document.
    pub(super) fn refresh_report_times(&mut self) {
        self.knowledge.report_times = as_of::report_times(&self.document.loaded.scenario);
    }

    /// Brings the shown document in step with the as-of clock: rebuilt when the moment crossed a report
    /// (or always, with `force`: the whole document changed). Returns whether the shown document changed;
    /// the contacts that pass the filter are then found again.
    pub(super) fn update_knowledge(&mut self, force: bool) -> bool {
        let Some(t) = self.as_of_time() else {
            if self.knowledge.view.take().is_some() {
                self.after_knowledge_change(None);
                return true;
            }
            return false;
        };
        let reports = self.knowledge.report_times.partition_point(|r| *r <= t);
        if let Some(view) = &mut self.knowledge.view
            && !force
        {
            if view.reports == reports {
                // The same reports are known: only the stamp's moment moves.
                view.document.stamp.as_of = Some(t);
                return false;
            }
            if self.clock.is_playing() && view.built.elapsed() < view.took * REPLAY_SPACING {
                // Playing a replay of a large story: this report waits for the next rebuild.
                return false;
            }
        }
        let started = std::time::Instant::now();
        let selected = self.selected_file_id();
        let Known {
            scenario,
            whole_ids,
        } = as_of::as_known_with_ids(&self.document.loaded.scenario, t);
        let loaded = Loaded {
            scenario,
            report: self.document.loaded.report.clone(),
        };
        let mut stamp = self.document.stamp.clone();
        stamp.as_of = Some(t);
        let mut document = Document::with_stamp(loaded, self.document.path.clone(), stamp);
        // The projection stays the whole story's, so that the map does not move as reports come in.
        document.band = self.document.band;
        document.unsaved = self.document.unsaved;
        self.knowledge.view = Some(KnownView {
            reports,
            built: std::time::Instant::now(),
            took: started.elapsed(),
            document,
            whole_ids,
        });
        self.after_knowledge_change(selected);
        true
    }

    /// The selected contact's id in the file, to find it again in another document.
    fn selected_file_id(&self) -> Option<String> {
        self.selected_contact()
            .and_then(|id| self.shown().loaded.scenario.contacts.get(id.0 as usize))
            .map(|c| c.id.clone())
    }

    fn after_knowledge_change(&mut self, selected: Option<String>) {
        let selected = selected.or_else(|| self.selected_file_id());
        self.filter_visible();
        if matches!(self.selection, Some(Pick::Contact(_))) {
            self.selection = selected
                .and_then(|id| self.shown().loaded.scenario.contact_by_id(&id))
                .map(Pick::Contact);
        }
    }

    /// A new document is on screen: the as-of clock and "new since" start unset, and the time the file was
    /// last opened is taken (and now is remembered as its last opening).
    pub(super) fn note_opened(&mut self) {
        self.knowledge.as_of = AsOf::Everything;
        self.knowledge.new_since = None;
        self.knowledge.view = None;
        let key = self.opened_key();
        let now = Timestamp::now();
        self.knowledge.last_opened = self
            .opened
            .insert(key, now.as_second())
            .and_then(|s| Timestamp::from_second(s).ok());
    }

    /// How the open document is named among the files opened before: its absolute path, or the scenario's
    /// id for the embedded default and the examples.
    pub(super) fn opened_key(&self) -> String {
        match &self.document.path {
            Some(path) => std::path::absolute(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string(),
            None => format!("scenario:{}", self.document.loaded.scenario.meta.id),
        }
    }

    /// Takes back when files were opened in earlier sessions: the open document's last opening is the one
    /// before this session's.
    pub(super) fn restore_opened(&mut self, saved: std::collections::BTreeMap<String, i64>) {
        let key = self.opened_key();
        if let Some(before) = saved.get(&key)
            && self.opened.contains_key(&key)
        {
            self.knowledge.last_opened = Timestamp::from_second(*before).ok();
        }
        let now = std::mem::replace(&mut self.opened, saved);
        self.opened.extend(now);
        // The oldest are forgotten beyond a bound, so the settings stay small.
        while self.opened.len() > MAX_REMEMBERED {
            let oldest = self
                .opened
                .iter()
                .min_by_key(|(_, t)| **t)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => self.opened.remove(&k),
                None => break,
            };
        }
    }

    /// When each file was last opened, to remember.
    pub(super) fn opened(&self) -> &std::collections::BTreeMap<String, i64> {
        &self.opened
    }
}
