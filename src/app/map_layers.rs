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
    /// What the map shows while the preload runs: nothing but the sea.
    placeholder: Basemap,
}

impl MapLayers {
    /// Reads and prepares the embedded basemap on another thread, so that it is ready (or nearly) when the
    /// window has opened and draws its first frame (see [`MapLayers::use_preload`]).
    pub fn spawn_preload(projection: Projection, wake: crate::job::Wake) -> Option<Preload> {
        Job::spawn("basemap", wake, move |_| {
            let mut basemap = Basemap::embedded().ok()?;
            // The 1:50m level only: the 1:10m one is read on another thread from the first frame on.
            basemap.read_detail_in_background();
            basemap.prepared_for_view(
                projection,
                0.0,
                crate::geo_math::camera::WorldRect::EMPTY,
                crate::job::no_wake,
            );
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
    /// was), with the file and whether it was to replace the basemap.
    pub fn poll(&mut self) -> Option<(Report, PathBuf, bool)> {
        let result = self.loading.as_mut().and_then(MapLoad::take_result)?;
        let path = self.loading.take().map(|l| l.path).unwrap_or_default();
        let replace = self.replace_on_load;
        let report = self.take_loaded(result)?;
        Some((report, path, replace))
    }

    fn take_loaded(
        &mut self,
        result: Result<crate::model::map::LoadedLayer, Report>,
    ) -> Option<Report> {
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

    /// Whether the embedded basemap is still being prepared in the background (the map shows the sea
    /// meanwhile; the frame is drawn again when it is ready).
    pub fn is_preloading(&self) -> bool {
        self.preloading.is_some()
    }

    /// Makes the basemap if there is none yet: the preloaded one once the preload is done (without waiting
    /// for it: returns `false` while it runs), else the embedded one, read now.
    fn ensure_basemap(&mut self) -> bool {
        if self.basemap.is_some() {
            return true;
        }
        if let Some(preloading) = &self.preloading {
            match preloading.try_take() {
                None => return false,
                Some(result) => {
                    self.preloading = None;
                    self.basemap = result.ok().flatten();
                }
            }
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
        true
    }

    /// The basemap (the preloaded or the embedded one, until map files replace it; an empty one while the
    /// preload runs) and the map file being loaded, for a frame of the map.
    pub fn for_frame(&mut self) -> (&mut Basemap, Option<&MapLoad>) {
        let basemap = if self.ensure_basemap() {
            self.basemap.get_or_insert_with(Basemap::default)
        } else {
            &mut self.placeholder
        };
        (basemap, self.loading.as_ref())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_is_drawn_without_waiting_for_the_preload_and_takes_it_when_done() {
        let (release, released) = std::sync::mpsc::channel::<()>();
        let preload = Job::spawn("test-preload", crate::job::no_wake(), move |_| {
            released.recv().ok()?;
            Basemap::embedded().ok()
        })
        .expect("spawns");
        let mut layers = MapLayers::default();
        layers.use_preload(Some(preload));

        let (basemap, loading) = layers.for_frame();
        assert!(basemap.layers.is_empty(), "the sea alone while it runs");
        assert!(loading.is_none());
        assert!(layers.is_preloading());

        release.send(()).expect("the preload waits");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while layers.is_preloading() {
            assert!(std::time::Instant::now() < deadline, "the preload ended");
            layers.for_frame();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(
            !layers.for_frame().0.layers.is_empty(),
            "the embedded layers"
        );
        assert_eq!(layers.layers().len(), layers.for_frame().0.layers.len());
    }

    #[test]
    fn without_a_preload_the_embedded_basemap_is_read_on_the_first_frame() {
        let mut layers = MapLayers::default();
        assert!(layers.layers().is_empty(), "nothing before the first frame");
        assert!(!layers.for_frame().0.layers.is_empty());
    }
}
