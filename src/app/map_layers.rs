//! The map's data, held by the app: the basemap's layers, a map file being loaded in the background, and the
//! embedded basemap being prepared while the window opens. The map widget ([`crate::ui::map_view`]) keeps
//! only its camera and what it drew.

use std::path::PathBuf;

use crate::basemap::embedded::Basemap;
use crate::diagnostics::Report;
use crate::geo_math::projection::Projection;
use crate::job::Job;
use crate::ui::map_loader::MapLoad;

/// The embedded basemap, read and prepared on another thread.
pub type Preload = Job<Option<Basemap>>;

/// The layers of the map and the loads under way.
#[derive(Debug, Default)]
pub struct MapLayers {
    /// `None` until the first frame needs it (or the preload delivers it).
    basemap: Option<Basemap>,
    /// A map file being loaded in the background.
    loading: Option<MapLoad>,
    /// Whether the file being loaded replaces the layers rather than adding to them.
    replace_on_load: bool,
    /// Map files larger than this are refused before they are read; `None` for the default.
    pub max_map_bytes: Option<u64>,
    /// The embedded basemap being prepared while the window opens.
    preloading: Option<Preload>,
}

impl MapLayers {
    /// Reads and prepares the embedded basemap on another thread, so that it is ready (or nearly) when the
    /// window has opened and draws its first frame (see [`MapLayers::use_preload`]).
    pub fn spawn_preload(projection: Projection) -> Option<Preload> {
        Job::spawn("basemap", crate::job::no_wake(), move |_| {
            let mut basemap = Basemap::embedded().ok()?;
            basemap.prepared(projection);
            Some(basemap)
        })
        .ok()
    }

    /// Takes the embedded basemap from a preload started before the window opened.
    pub fn use_preload(&mut self, preload: Option<Preload>) {
        self.preloading = preload;
    }

    /// Starts loading a map file (GeoJSON or TopoJSON) in the background: as a new layer on top, or, with
    /// `replace`, as the only layer (the embedded ones go too). The map stays as it is until it is ready.
    pub fn open(&mut self, path: PathBuf, replace: bool, ctx: &egui::Context) {
        if let Some(previous) = &self.loading {
            previous.cancel();
        }
        let ctx = ctx.clone();
        let limit = self
            .max_map_bytes
            .unwrap_or(crate::io::map_file::DEFAULT_MAX_MAP_BYTES);
        self.loading = Some(MapLoad::start(path, limit, move || ctx.request_repaint()));
        self.replace_on_load = replace;
    }

    /// The map file being loaded, if one is.
    pub fn loading(&self) -> Option<&MapLoad> {
        self.loading.as_ref()
    }

    /// Takes a finished load into the map; returns its problems (errors: it was not added; warnings: it
    /// was).
    pub fn poll(&mut self) -> Option<Report> {
        let result = self.loading.as_mut().and_then(MapLoad::take_result)?;
        self.loading = None;
        match result {
            Ok(loaded) => {
                if self.replace_on_load {
                    self.basemap = Some(Basemap::default());
                }
                self.basemap
                    .get_or_insert_with(Basemap::default)
                    .push(loaded.layer);
                (!loaded.report.diagnostics.is_empty()).then_some(loaded.report)
            }
            Err(report) => Some(report),
        }
    }

    /// Makes the basemap if there is none yet: the preloaded one if it was preloaded, else the embedded one,
    /// read now.
    fn ensure_basemap(&mut self) {
        if self.basemap.is_some() {
            return;
        }
        if let Some(preloading) = self.preloading.take() {
            self.basemap = preloading.wait().ok().flatten();
        }
        if self.basemap.is_none() {
            self.basemap = Some(Basemap::embedded().unwrap_or_else(|report| {
                log::error!(
                    "the embedded basemap does not load:\n{}",
                    report.to_lines().join("\n")
                );
                Basemap::default()
            }));
        }
    }

    /// The basemap (see [`MapLayers::for_frame`]).
    pub fn basemap(&mut self) -> &mut Basemap {
        self.ensure_basemap();
        self.basemap.get_or_insert_with(Basemap::default)
    }

    /// The basemap (the preloaded or the embedded one, until map files replace it) and the map file being
    /// loaded, for a frame of the map.
    pub fn for_frame(&mut self) -> (&mut Basemap, Option<&MapLoad>) {
        self.ensure_basemap();
        (
            self.basemap.get_or_insert_with(Basemap::default),
            self.loading.as_ref(),
        )
    }

    /// The layers of the basemap, bottom first (none before the map's first frame).
    pub fn layers(&self) -> &[crate::model::map::Layer] {
        self.basemap.as_ref().map_or(&[], |b| &b.layers)
    }

    /// The basemap, if the map has been drawn once.
    pub fn basemap_if_loaded(&mut self) -> Option<&mut Basemap> {
        self.basemap.as_mut()
    }
}
