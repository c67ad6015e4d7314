//! What the app remembers between runs.

use std::path::PathBuf;

use super::DemarcheApp;
use crate::geo_math::projection::ProjectionKind;
use crate::playback::TimeCommand;
use crate::scene::style::ThemeKind;
use crate::ui::AppCommand;

/// What the app remembers between runs (eframe storage): window size and panels are kept by eframe itself.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Persisted {
    pub recent: Vec<PathBuf>,
    pub display_zone: Option<String>,
    pub theme: ThemeKind,
    pub projection: ProjectionKind,
    /// Centre (world units) and scale of the map, unless it was fitted to the scenario.
    pub view: Option<([f64; 2], f64)>,
    /// The scenario file that view was of (`None`: the embedded default): another scenario opens fitted.
    pub view_of: Option<PathBuf>,
    pub speed_secs_per_sec: Option<f64>,
    pub looping: bool,
    /// Seconds a contact stays on the map after it ends.
    pub trail_secs: Option<i64>,
    /// Whether the map's legend was folded away.
    pub legend_folded: bool,
    /// When each scenario was last opened, in seconds since 1970, by absolute path (`scenario:ID` for the
    /// embedded ones), for "new since I last opened this file".
    pub opened: std::collections::BTreeMap<String, i64>,
}

/// How many recent files the File menu lists.
const MAX_RECENT: usize = 8;

impl DemarcheApp {
    pub(super) fn remember_recent(&mut self, path: &std::path::Path) {
        let path = absolute(path);
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// What to remember of this session.
    pub fn persisted(&self) -> Persisted {
        Persisted {
            recent: self.recent.clone(),
            display_zone: Some(self.display_zone_name.clone()),
            theme: self.map_settings.theme,
            projection: self.map_settings.projection,
            view: self.map.saved_view(),
            view_of: self.document.path.as_deref().map(absolute),
            speed_secs_per_sec: Some(self.clock.speed().scenario_secs_per_sec),
            looping: self.clock.is_looping(),
            trail_secs: self.map_settings.trail.map(|t| t.as_secs()),
            legend_folded: self.map_settings.legend_folded,
            opened: self.opened().clone(),
        }
    }

    /// Takes back what an earlier session remembered; what no longer makes sense (an unknown zone, a
    /// speed out of range) is ignored.
    /// The files opened in this session (from the command line) stay first in the recent list, and the
    /// remembered view is taken only for the scenario it was of.
    pub fn restore(&mut self, saved: Persisted) {
        let opened_now = std::mem::replace(&mut self.recent, saved.recent);
        for path in opened_now.iter().rev() {
            self.remember_recent(path);
        }
        self.recent.truncate(MAX_RECENT);
        self.restore_opened(saved.opened);
        if let Some(name) = saved.display_zone {
            self.apply(vec![AppCommand::SetDisplayZone(name)]);
        }
        self.map_settings.theme = saved.theme;
        self.map_settings.legend_folded = saved.legend_folded;
        self.map_settings.projection = saved.projection;
        let open = self.document.path.as_deref().map(absolute);
        if let Some((center, scale)) = saved.view
            && saved.view_of == open
        {
            self.map.restore_view(center, scale);
        }
        if let Some(speed) = saved.speed_secs_per_sec.filter(|s| (1.0..=1e7).contains(s)) {
            self.clock
                .apply(TimeCommand::SetSpeed(crate::playback::Speed::per_sec(
                    speed,
                )));
        }
        self.clock.apply(TimeCommand::SetLooping(saved.looping));
        self.map_settings.trail = saved
            .trail_secs
            .filter(|s| (0..=30 * 86_400).contains(s))
            .map(jiff::SignedDuration::from_secs);
    }
}

/// `path` made absolute (as it is, if that fails), so that the same file is named the same way.
fn absolute(path: &std::path::Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
