//! The basemap built into the binary: Natural Earth admin-0 countries of the whole world at two levels of
//! detail, 1:50m and 1:10m, made by `data/build-basemap.sh` (see `data/basemap/SHA256SUMS`).
//!
//! # Levels
//! Each level covers the whole world, so a story anywhere (Rome, Muscat, Caracas, Seoul) is as crisp as one
//! in Ankara. The scene draws one level for the whole view, chosen by the camera's scale
//! (the scene's `basemap::shown`): the 1:50m world when the view is wide, the 1:10m world from
//! [`DETAILED_FROM_SCALE`] on. Never both for the same place, so there is no seam, no doubled coast and no
//! doubled country name.
//!
//! # Launch
//! Only the 1:50m level (0.2 MB) is read at launch. The 1:10m level (1 MB, half a million positions) is read
//! and prepared when first needed: at once for exports and tests ([`Basemap::prepared`]), on another thread
//! for the window ([`Basemap::prepared_for_view`]), which draws the 1:50m level meanwhile.

use std::sync::Arc;

use super::compact::{CompactTopology, read_layer, read_topology};
use super::countries::CountryNames;
use super::prepare::PreparedLayer;
use crate::diagnostics::Report;
use crate::geo_math::camera::WorldRect;
use crate::geo_math::projection::Projection;
use crate::job::{Job, Wake};
use crate::model::map::{Feature, Layer};

/// Natural Earth 1:50m countries of the world, in the format of [`super::compact`].
pub const WORLD_50M: &[u8] = include_bytes!("../../data/basemap/world-50m.dtopo");
/// Natural Earth 1:10m countries of the world, in the format of [`super::compact`].
pub const WORLD_10M: &[u8] = include_bytes!("../../data/basemap/world-10m.dtopo");

pub const WORLD_NAME: &str = "Natural Earth 1:50m countries";
pub const DETAILED_NAME: &str = "Natural Earth 1:10m countries";

/// The camera scale (points per Earth radius) from which the 1:10m level is drawn: about 16 km a point.
/// Natural Earth made its 1:50m data for maps at 1:50 million, about 13 km a point on a screen of 96
/// points an inch; wider than this, its detail is finer than a point and the 1:10m level adds nothing. A
/// whole-world view 1920 points wide is at about 305.
pub const DETAILED_FROM_SCALE: f64 = 400.0;

/// The window starts reading the 1:10m level in the background from this scale, before it is drawn, so that
/// zooming in finds it ready.
pub const DETAILED_READ_FROM_SCALE: f64 = DETAILED_FROM_SCALE / 2.0;

/// One embedded level: its name, its bytes and the scale it is drawn from.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedLayer {
    pub name: &'static str,
    pub bytes: &'static [u8],
    /// The camera scale from which this level is drawn (until a finer level's).
    pub from_scale: f64,
}

/// The embedded levels, coarsest first.
pub const LAYERS: [EmbeddedLayer; 2] = [
    EmbeddedLayer {
        name: WORLD_NAME,
        bytes: WORLD_50M,
        from_scale: 0.0,
    },
    EmbeddedLayer {
        name: DETAILED_NAME,
        bytes: WORLD_10M,
        from_scale: DETAILED_FROM_SCALE,
    },
];

impl EmbeddedLayer {
    /// Reads the level, named as the user sees it.
    pub fn load(&self) -> Result<Layer, Report> {
        read_layer(self.name, self.bytes)
    }

    /// A layer of this level prepared for `projection`, marked as drawn from [`EmbeddedLayer::from_scale`],
    /// the ends of the level's arcs kept as junctions ([`crate::basemap::prepare::Extent::junctions`]).
    pub fn prepare(&self, layer: &Layer, projection: Projection) -> PreparedLayer {
        let junctions = read_topology(self.name, self.bytes)
            .map(|t| t.junctions(&projection))
            .unwrap_or_default();
        let extent = crate::basemap::prepare::Extent {
            junctions: &junctions,
            ..Default::default()
        };
        PreparedLayer::new_with(layer, projection, extent).drawn_from_scale(self.from_scale)
    }

    /// The level read and prepared for `projection`, as [`EmbeddedLayer::prepare`] prepares
    /// [`EmbeddedLayer::load`]'s layer, without holding the level in degrees: of the 1:10m world, only its
    /// integer positions (7.6 MB) and one country at a time in degrees (where the layer takes 27 MB).
    pub fn load_prepared(&self, projection: Projection) -> Result<PreparedLayer, Report> {
        self.load_prepared_area(projection, None)
    }

    /// [`EmbeddedLayer::load_prepared`], with only the countries that reach into `area` (world
    /// coordinates) prepared when one is given.
    pub fn load_prepared_area(
        &self,
        projection: Projection,
        area: Option<WorldRect>,
    ) -> Result<PreparedLayer, Report> {
        Ok(self.prepare_topology(&self.decode()?, projection, area))
    }

    /// The level's bytes decoded into its topology of integer positions.
    pub fn decode(&self) -> Result<CompactTopology, Report> {
        read_topology(self.name, self.bytes)
    }

    /// [`EmbeddedLayer::load_prepared_area`] of the level's topology, decoded already
    /// ([`EmbeddedLayer::decode`]).
    pub fn prepare_topology(
        &self,
        topology: &CompactTopology,
        projection: Projection,
        area: Option<WorldRect>,
    ) -> PreparedLayer {
        topology
            .prepare(self.name, projection, area)
            .drawn_from_scale(self.from_scale)
    }
}

/// The embedded level drawn at `scale` (an export reads only that one).
pub fn layer_for_scale(scale: f64) -> EmbeddedLayer {
    LAYERS
        .into_iter()
        .rev()
        .find(|l| scale >= l.from_scale)
        .unwrap_or(LAYERS[0])
}

/// The embedded levels, coarsest first, read now.
pub fn layers() -> Result<Vec<Layer>, Report> {
    LAYERS.iter().map(EmbeddedLayer::load).collect()
}

/// The 1:10m level prepared, and the area (world coordinates) it was prepared for: `None` for the whole
/// world.
type DetailedLevel = (Arc<PreparedLayer>, Option<WorldRect>);

/// What the background thread hands back: the detailed level read and prepared for a projection.
type DetailedWork = Result<DetailedLevel, Report>;

/// The embedded 1:10m level: read and prepared when first needed. Only its prepared form is kept (its
/// countries in degrees are not: the hover finds countries in the prepared form).
///
/// The window has it prepared for an area around its view only ([`REGION_MARGIN_VIEWS`]): the countries
/// that reach into that area, whole. It is drawn while the view stays inside, and prepared again, on
/// another thread, once the view leaves it (the 1:50m level is drawn meanwhile, for the whole view). A
/// story in one region costs the memory of that region's countries, not the world's.
#[derive(Debug, Default)]
struct Detailed {
    /// Its source, when this basemap has one (not after the user replaced the embedded layers).
    source: Option<EmbeddedLayer>,
    prepared: Option<DetailedLevel>,
    /// Reading and preparing it on another thread, for a projection and an area.
    job: Option<(Projection, Option<WorldRect>, Job<DetailedWork>)>,
    /// It could not be read (said once in the log): the 1:50m level is drawn at every scale.
    failed: bool,
}

/// The window prepares the 1:10m level for its view and this many views' widths (and heights) around it
/// on each side, so that panning and zooming out a little find it ready.
pub const REGION_MARGIN_VIEWS: f64 = 1.0;

/// Whether something prepared for `area` (`None`: the whole world) serves a view that needs `need`
/// (`None`: the whole world).
fn covers(area: Option<WorldRect>, need: Option<WorldRect>) -> bool {
    match (area, need) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(n)) => {
            a.min[0] <= n.min[0]
                && a.min[1] <= n.min[1]
                && a.max[0] >= n.max[0]
                && a.max[1] >= n.max[1]
        }
    }
}

impl Detailed {
    /// Reads and prepares the level for `projection` and `area`, on this thread.
    fn work(
        source: EmbeddedLayer,
        projection: Projection,
        area: Option<WorldRect>,
    ) -> DetailedWork {
        let prepared = source.load_prepared_area(projection, area)?;
        Ok((Arc::new(prepared), area))
    }

    /// The prepared level, if it is for `projection` and covers `need`.
    fn ready(
        &self,
        projection: Projection,
        need: Option<WorldRect>,
    ) -> Option<&Arc<PreparedLayer>> {
        self.prepared
            .as_ref()
            .filter(|(p, area)| p.projection == projection && covers(*area, need))
            .map(|(p, _)| p)
    }

    fn take(&mut self, work: Result<DetailedWork, crate::job::JobError>) {
        match work {
            // Kept even when the view has moved meanwhile: the hover still finds countries in it, and
            // the window's next frame asks for what it needs.
            Ok(Ok(prepared)) => self.prepared = Some(prepared),
            Ok(Err(report)) => {
                log::error!(
                    "the detailed basemap does not load:\n{}",
                    report.to_lines().join("\n")
                );
                self.failed = true;
            }
            Err(err) => {
                log::error!("{err}");
                self.failed = true;
            }
        }
    }
}

/// Map layers with their prepared geometry for the current projection: the embedded levels and the user's
/// files on top.
#[derive(Debug, Default)]
pub struct Basemap {
    /// The layers read, bottom first: the embedded 1:50m level (unless replaced), then the user's files.
    /// The 1:10m level is apart, read and prepared when needed.
    pub layers: Vec<Layer>,
    /// Per layer: the scale it is drawn from, for the embedded levels.
    from_scale: Vec<Option<f64>>,
    detailed: Detailed,
    /// The layers prepared for a projection, in `layers` order.
    prepared: Option<(Projection, Vec<Arc<PreparedLayer>>)>,
    /// What [`Basemap::prepared`] hands out: the embedded levels ready, then the user's layers.
    ready: Vec<Arc<PreparedLayer>>,
    /// Whether [`Basemap::prepared_for_view`] reads the 1:10m level on another thread (the window at
    /// launch) rather than at once (tests that drive the app, which must see the same picture each run).
    background: bool,
    /// Whether a frame was drawn since the 1:10m level was first wanted: the thread starts on the next
    /// frame, so that it does not compete with the first one for the cores.
    waited_a_frame: bool,
}

impl Basemap {
    /// The embedded Natural Earth levels: the 1:50m level read now, the 1:10m one when needed.
    pub fn embedded() -> Result<Self, Report> {
        let [coarse, detailed] = LAYERS;
        Ok(Self {
            layers: vec![coarse.load()?],
            from_scale: vec![Some(coarse.from_scale)],
            detailed: Detailed {
                source: Some(detailed),
                ..Detailed::default()
            },
            prepared: None,
            ready: Vec::new(),
            background: false,
            waited_a_frame: false,
        })
    }

    /// Makes [`Basemap::prepared_for_view`] read and prepare the 1:10m level on another thread, drawing the
    /// 1:50m level until it is ready: the window does, so that its first frame does not wait for it.
    pub fn read_detail_in_background(&mut self) {
        self.background = true;
    }

    /// Adds a layer on top (a user's file).
    pub fn push(&mut self, layer: Layer) {
        self.layers.push(layer);
        self.from_scale.push(None);
        self.prepared = None;
    }

    /// The 1:10m level in degrees, read now and not kept (`None` when this basemap has none, or it does
    /// not read): for tests and tools; the basemap itself keeps only its prepared form.
    pub fn detailed_layer(&self) -> Option<Layer> {
        let source = self.detailed.source?;
        source
            .load()
            .map_err(|report| log::error!("{}", report.to_lines().join("\n")))
            .ok()
    }

    /// The top-most feature of the layers read ([`Basemap::layers`]: the user's, then the embedded 1:50m
    /// level) whose geometry contains the point (longitude, latitude in degrees).
    pub fn feature_at(&self, lon: f64, lat: f64) -> Option<&Feature> {
        self.user_feature_at(lon, lat)
            .or_else(|| self.embedded_feature_at(lon, lat))
    }

    fn user_feature_at(&self, lon: f64, lat: f64) -> Option<&Feature> {
        self.layers
            .iter()
            .zip(&self.from_scale)
            .rev()
            .filter(|(_, s)| s.is_none())
            .find_map(|(layer, _)| feature_in(layer, lon, lat))
    }

    fn embedded_feature_at(&self, lon: f64, lat: f64) -> Option<&Feature> {
        self.layers
            .iter()
            .zip(&self.from_scale)
            .rev()
            .filter(|(_, s)| s.is_some())
            .find_map(|(layer, _)| feature_in(layer, lon, lat))
    }

    /// The name of the country under the point, as the user should read it: the scenario's spelling
    /// (`names`) where it has one, else the map's name. The user's layers first, then the most detailed
    /// embedded level prepared. `None` over the sea or a feature without a name.
    pub fn country_name_at(&self, lon: f64, lat: f64, names: &CountryNames) -> Option<String> {
        let (code, label) = if let Some(feature) = self.user_feature_at(lon, lat) {
            let code = feature.properties.get("iso_a2").and_then(|v| v.as_str());
            (code, feature.label.as_deref()?)
        } else if let Some(feature) = self
            .detailed
            .prepared
            .as_ref()
            .and_then(|(d, _)| d.feature_at(lon, lat))
        {
            (feature.code.as_deref(), feature.label.as_deref()?)
        } else {
            let feature = self.embedded_feature_at(lon, lat)?;
            let code = feature.properties.get("iso_a2").and_then(|v| v.as_str());
            (code, feature.label.as_deref()?)
        };
        Some(names.label(code, label).to_owned())
    }

    /// Every layer prepared for `projection`, the 1:10m level too, for the whole world (read and prepared
    /// now if it is not ready): for exports, tests and benchmarks, which must not draw a coarser picture
    /// than asked.
    pub fn prepared(&mut self, projection: Projection) -> &[Arc<PreparedLayer>] {
        self.wait_for_detailed();
        self.prepare_layers(projection);
        let d = &mut self.detailed;
        if d.ready(projection, None).is_none()
            && !d.failed
            && let Some(source) = d.source
        {
            // The area one goes first: both are never held at once.
            d.prepared = None;
            let work = Detailed::work(source, projection, None);
            d.take(Ok(work));
        }
        self.assemble(projection, None)
    }

    /// The layers to draw at the camera's `scale`, for the window, whose view shows `visible` (world
    /// coordinates): the 1:10m level is read and prepared once the scale nears [`DETAILED_FROM_SCALE`]
    /// ([`DETAILED_READ_FROM_SCALE`]). With [`Basemap::read_detail_in_background`], that is done on another
    /// thread, for an area around the view (see [`REGION_MARGIN_VIEWS`]), and the level is handed out once
    /// ready and while it covers the view; `wake` makes the call that thread ends with (the window asks
    /// for a frame).
    pub fn prepared_for_view(
        &mut self,
        projection: Projection,
        scale: f64,
        visible: WorldRect,
        wake: impl FnOnce() -> Wake,
    ) -> &[Arc<PreparedLayer>] {
        if !self.background {
            return if scale >= DETAILED_READ_FROM_SCALE {
                self.prepared(projection)
            } else {
                self.prepare_layers(projection);
                self.assemble(projection, None)
            };
        }
        self.prepare_layers(projection);
        let need = (!visible.is_empty()).then_some(visible);
        let d = &mut self.detailed;
        if let Some((_, _, job)) = &d.job
            && let Some(work) = job.try_take()
        {
            d.job = None;
            d.take(work);
        }
        let stale = d.ready(projection, need).is_none();
        let running = d
            .job
            .as_ref()
            .is_some_and(|(p, area, _)| *p == projection && covers(*area, need));
        if stale && !running && !d.failed && scale >= DETAILED_READ_FROM_SCALE {
            if !self.waited_a_frame {
                // Not in the frame that asks first (the window's first): in the next one, asked for now.
                self.waited_a_frame = true;
                (wake())();
                return self.assemble(projection, need);
            }
            if let Some((_, _, old)) = d.job.take() {
                old.cancel();
            }
            // Read ahead (not drawn yet at this scale), the level is prepared for the view alone: zooming
            // in stays inside it, and panning at this scale does not draw it. Drawn, for the view and
            // a margin around it, so that panning finds it ready.
            let margin = if scale >= DETAILED_FROM_SCALE {
                REGION_MARGIN_VIEWS
            } else {
                0.0
            };
            let area = need.map(|v| {
                let (dx, dy) = (v.width() * margin, v.height() * margin);
                WorldRect {
                    min: [v.min[0] - dx, v.min[1] - dy],
                    max: [v.max[0] + dx, v.max[1] + dy],
                }
            });
            // An area around the whole map is the whole world.
            let area = area.filter(|a| {
                let map = self.prepared.as_ref().map(|(_, layers)| {
                    layers
                        .iter()
                        .fold(WorldRect::EMPTY, |b, l| b.union(&l.bounds))
                });
                !map.is_some_and(|m| !m.is_empty() && covers(Some(*a), Some(m)))
            });
            if let Some(source) = d.source {
                match Job::spawn("detailed basemap", wake(), move |_| {
                    Detailed::work(source, projection, area)
                }) {
                    Ok(job) => d.job = Some((projection, area, job)),
                    Err(err) => d.take(Err(err)),
                }
            }
        }
        self.assemble(projection, need)
    }

    /// Whether the 1:10m level is being read or prepared on another thread.
    pub fn is_preparing(&self) -> bool {
        self.detailed.job.is_some()
    }

    /// Waits for the background thread, if one runs, and keeps what it made.
    fn wait_for_detailed(&mut self) {
        if let Some((_, _, job)) = self.detailed.job.take() {
            self.detailed.take(job.wait());
        }
    }

    /// Prepares `layers` for `projection`, if they are not yet.
    fn prepare_layers(&mut self, projection: Projection) {
        let stale = self.prepared.as_ref().is_none_or(|(p, _)| *p != projection);
        if stale {
            let prepared = self
                .layers
                .iter()
                .zip(&self.from_scale)
                .map(|(layer, from)| {
                    // An embedded level, with the ends of its arcs as junctions, as an export prepares
                    // it (`load_prepared_area`), so that both draw the same borders.
                    let embedded =
                        (*from).and_then(|s| LAYERS.into_iter().find(|l| l.from_scale == s));
                    Arc::new(match embedded {
                        Some(e) => e.prepare(layer, projection),
                        None => PreparedLayer::new(layer, projection, None),
                    })
                })
                .collect();
            self.prepared = Some((projection, prepared));
        }
    }

    /// The prepared layers in drawing order: the embedded levels ready (the 1:10m one if it covers `need`,
    /// `None` for the whole world), then the user's.
    fn assemble(
        &mut self,
        projection: Projection,
        need: Option<WorldRect>,
    ) -> &[Arc<PreparedLayer>] {
        let Some((_, prepared)) = &self.prepared else {
            return &[];
        };
        let detailed = self.detailed.ready(projection, need);
        let embedded = prepared.iter().filter(|p| p.from_scale.is_some());
        let user = prepared.iter().filter(|p| p.from_scale.is_none());
        let next: Vec<Arc<PreparedLayer>> = embedded.chain(detailed).chain(user).cloned().collect();
        let same = next.len() == self.ready.len()
            && next.iter().zip(&self.ready).all(|(a, b)| Arc::ptr_eq(a, b));
        if !same {
            self.ready = next;
        }
        &self.ready
    }
}

/// The first feature of `layer` whose geometry contains the point.
fn feature_in(layer: &Layer, lon: f64, lat: f64) -> Option<&Feature> {
    use geo::{BoundingRect as _, Contains as _};
    let point = geo::Point::new(lon, lat);
    layer.features.iter().find(|f| {
        f.geometry.as_ref().is_some_and(|g| {
            g.bounding_rect().is_some_and(|r| r.contains(&point)) && g.contains(&point)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feature_under_a_point_is_found_with_its_properties() {
        let basemap = Basemap::embedded().expect("embedded");
        let ankara = basemap
            .feature_at(32.86, 39.93)
            .expect("a country at Ankara");
        assert_eq!(ankara.label.as_deref(), Some("Turkey"));
        assert_eq!(ankara.properties["iso_a2"], "TR");
        let paris = basemap.feature_at(2.35, 48.86).expect("a country at Paris");
        assert_eq!(paris.label.as_deref(), Some("France"));
        assert!(
            basemap.feature_at(-30.0, 30.0).is_none(),
            "the middle of the Atlantic"
        );
    }

    #[test]
    fn the_country_under_the_pointer_is_named_as_the_scenario_spells_it() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let names = CountryNames::of(&scenario);
        let mut basemap = Basemap::embedded().expect("embedded");
        assert_eq!(
            basemap.country_name_at(32.86, 39.93, &names).as_deref(),
            Some("Türkiye")
        );
        assert_eq!(
            basemap.country_name_at(51.39, 35.69, &names).as_deref(),
            Some("Iran")
        );
        assert_eq!(basemap.country_name_at(-30.0, 30.0, &names), None);
        // Once the detailed level is prepared, the name comes from it (the same country), as drawn.
        let projection = Projection::WebMercator { central_lon: 0.0 };
        assert_eq!(basemap.prepared(projection).len(), 2);
        assert_eq!(
            basemap.country_name_at(-66.9, 10.5, &names).as_deref(),
            Some("Venezuela")
        );
        assert_eq!(
            basemap.country_name_at(32.86, 39.93, &names).as_deref(),
            Some("Türkiye")
        );
        assert_eq!(basemap.country_name_at(-30.0, 30.0, &names), None);
    }

    #[test]
    fn without_a_background_thread_the_detailed_level_is_ready_at_once_when_zoomed_in() {
        let projection = Projection::WebMercator { central_lon: 0.0 };
        let mut basemap = Basemap::embedded().expect("embedded");
        assert_eq!(
            basemap
                .prepared_for_view(projection, 10.0, WorldRect::EMPTY, crate::job::no_wake)
                .len(),
            1
        );
        let ready =
            basemap.prepared_for_view(projection, 2000.0, WorldRect::EMPTY, crate::job::no_wake);
        assert_eq!(ready.len(), 2);
        assert!(!basemap.is_preparing());
    }

    #[test]
    fn each_scale_has_one_embedded_level() {
        assert_eq!(layer_for_scale(100.0).name, WORLD_NAME);
        assert_eq!(layer_for_scale(DETAILED_FROM_SCALE).name, DETAILED_NAME);
        assert_eq!(layer_for_scale(1e6).name, DETAILED_NAME);
    }

    /// What a window of 1280x800 points centred on (`lon`, `lat`) at `scale` shows.
    fn view(projection: Projection, lon: f64, lat: f64, scale: f64) -> WorldRect {
        let camera = crate::geo_math::camera::Camera {
            center: projection.project(lon, lat).expect("projects"),
            scale,
            viewport: crate::geo_math::camera::ScreenRect::from_size(1280.0, 800.0),
        };
        camera.visible_world()
    }

    /// A waker for `prepared_for_view` and the channel its calls arrive on.
    fn wakes() -> (impl Fn() -> Wake, std::sync::mpsc::Receiver<()>) {
        let (send, woken) = std::sync::mpsc::channel();
        let waker = move || -> Wake {
            let send = send.clone();
            Box::new(move || {
                let _ = send.send(());
            })
        };
        (waker, woken)
    }

    /// Whether the prepared layer has the country of ISO code `code` with polygons.
    fn has(layer: &PreparedLayer, code: &str) -> bool {
        layer
            .features
            .iter()
            .any(|f| f.code.as_deref() == Some(code) && !f.polygons.is_empty())
    }

    #[test]
    fn the_window_gets_the_detailed_level_from_another_thread_once_zoomed_in() {
        let projection = Projection::WebMercator { central_lon: 0.0 };
        let mut basemap = Basemap::embedded().expect("embedded");
        basemap.read_detail_in_background();
        let wide =
            basemap.prepared_for_view(projection, 10.0, WorldRect::EMPTY, crate::job::no_wake);
        assert_eq!(wide.len(), 1, "only the 1:50m level when the view is wide");
        assert!(
            !basemap.is_preparing(),
            "nothing read while the view is wide"
        );
        let (waker, woken) = wakes();
        let ankara = view(projection, 32.86, 39.93, 2000.0);
        let first = basemap.prepared_for_view(projection, 2000.0, ankara, &waker);
        assert_eq!(first.len(), 1, "the window does not wait");
        assert!(!basemap.is_preparing(), "not in the first frame that asks");
        woken.try_recv().expect("the next frame is asked for");
        let second = basemap.prepared_for_view(projection, 2000.0, ankara, &waker);
        assert_eq!(second.len(), 1, "the window does not wait");
        assert!(basemap.is_preparing());
        woken
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("woken when ready");
        let ready = basemap.prepared_for_view(projection, 2000.0, ankara, crate::job::no_wake);
        assert_eq!(ready.len(), 2);
        assert_eq!(ready[1].name, DETAILED_NAME);
        assert_eq!(ready[1].from_scale, Some(DETAILED_FROM_SCALE));
        assert!(has(&ready[1], "TR") && has(&ready[1], "CY") && has(&ready[1], "GR"));
    }

    #[test]
    fn the_window_prepares_the_detailed_countries_around_its_view_only() {
        let projection = Projection::WebMercator { central_lon: 0.0 };
        let mut basemap = Basemap::embedded().expect("embedded");
        basemap.read_detail_in_background();
        let (waker, woken) = wakes();
        let until_ready = |basemap: &mut Basemap, visible: WorldRect| {
            for _ in 0..3 {
                if basemap
                    .prepared_for_view(projection, 2000.0, visible, &waker)
                    .len()
                    == 2
                {
                    break;
                }
                woken
                    .recv_timeout(std::time::Duration::from_secs(60))
                    .expect("woken");
            }
            basemap.prepared_for_view(projection, 2000.0, visible, crate::job::no_wake)[1].clone()
        };
        let ankara = view(projection, 32.86, 39.93, 2000.0);
        let near = until_ready(&mut basemap, ankara);
        assert!(has(&near, "TR") && has(&near, "SY"));
        for far in ["CL", "BR", "AU", "US", "JP", "ZA"] {
            assert!(!has(&near, far), "{far} is prepared for a view of Ankara");
        }

        // Panned away: the 1:50m level alone until the countries there are ready; then they are.
        let caracas = view(projection, -66.9, 10.5, 2000.0);
        assert_eq!(
            basemap
                .prepared_for_view(projection, 2000.0, caracas, &waker)
                .len(),
            1,
            "a level that does not cover the view is not drawn"
        );
        let there = until_ready(&mut basemap, caracas);
        assert!(has(&there, "VE") && !has(&there, "TR"));
        assert_eq!(
            basemap
                .country_name_at(-66.9, 10.5, &CountryNames::default())
                .as_deref(),
            Some("Venezuela")
        );

        // Exports and tests ask for the whole world.
        let whole = basemap.prepared(projection)[1].clone();
        assert!(has(&whole, "VE") && has(&whole, "TR") && has(&whole, "AU"));
    }

    /// Read ahead (the view's scale nears the level's), the 1:10m level is prepared for the view alone,
    /// not a view's width around it: zooming in stays inside it and finds it ready.
    #[test]
    fn the_detailed_level_read_ahead_is_prepared_for_the_view_alone() {
        let projection = Projection::WebMercator { central_lon: 0.0 };
        let mut basemap = Basemap::embedded().expect("embedded");
        basemap.read_detail_in_background();
        let (waker, woken) = wakes();
        let at = |scale: f64, width: f32, height: f32| {
            crate::geo_math::camera::Camera {
                center: projection.project(32.86, 39.93).expect("projects"),
                scale,
                viewport: crate::geo_math::camera::ScreenRect::from_size(width, height),
            }
            .visible_world()
        };
        // About 76 degrees of longitude around Ankara (-5 to 71 E): Japan is a view's width east.
        let scale = (DETAILED_READ_FROM_SCALE + DETAILED_FROM_SCALE) / 2.0;
        let wide = at(scale, 400.0, 300.0);
        for frame in 0..2 {
            let layers = basemap.prepared_for_view(projection, scale, wide, &waker);
            assert_eq!(layers.len(), 1, "not drawn at this scale");
            if frame == 0 {
                woken.try_recv().expect("the next frame is asked for");
            }
        }
        assert!(basemap.is_preparing(), "read ahead");
        woken
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("woken when ready");
        let near = at(DETAILED_FROM_SCALE * 2.0, 400.0, 300.0);
        let layers = basemap.prepared_for_view(projection, DETAILED_FROM_SCALE * 2.0, near, &waker);
        assert_eq!(
            layers.len(),
            2,
            "zoomed in, the level read ahead is drawn at once"
        );
        let detailed = layers[1].clone();
        assert!(!basemap.is_preparing(), "nothing more to read");
        assert!(has(&detailed, "TR") && has(&detailed, "IR"));
        assert!(!has(&detailed, "JP"), "Japan is a view's width away");
    }
}
