//! The map: a widget that owns its camera, pans with a drag, zooms with the wheel or a pinch around the
//! cursor and with +/-, fits with F, and paints the scene built for it.

use egui::{Rect, Response, Sense, Ui};

use crate::basemap::embedded::Basemap;
use crate::diagnostics::Report;
use crate::geo_math::camera::{Camera, ScreenRect, WorldRect};
use crate::geo_math::projection::{Projection, ProjectionKind};
use crate::model::Scenario;
use crate::render::egui_painter;
use crate::scene::contacts::TRAIL;
use crate::scene::map::MapInputs;
use crate::scene::style::ThemeKind;
use crate::scene::view::FIT_MARGIN_PT;
use crate::scene::{Pick, Target, pick_at};
use crate::scene::{Scene, Theme};
use crate::ui::AppCommand;
use crate::ui::map_loader::MapLoad;

/// The map's state between frames.
#[derive(Debug, Default)]
pub struct MapView {
    /// The map layers; the embedded Natural Earth layers are loaded on the first frame.
    pub basemap: Option<Basemap>,
    pub projection_kind: ProjectionKind,
    pub theme: ThemeKind,
    /// `None` until the first frame, or after a change that calls for a new fit.
    pub camera: Option<Camera>,
    /// Paints the map, keeping the basemap tessellated while the camera stays.
    painter: egui_painter::MapPainter,
    /// The layers over the basemap in the last frame drawn (see [`MapView::scene`]).
    last_overlays: Vec<crate::scene::SceneLayer>,
    last_size: [f32; 2],
    last_background: crate::scene::Rgba,
    /// Where the venues, actors and contacts of the last scene can be picked.
    pub last_targets: Vec<Target>,
    /// A map file being loaded in the background.
    pub loading: Option<MapLoad>,
    /// Problems of the last map file loaded (errors: it was not added; warnings: it was), for the app to show.
    pub problems: Option<Report>,
    /// Whether the camera is as fitted to the scenario (the user has not moved it since).
    fitted: bool,
    /// Map files larger than this are refused before they are read; `None` for the default.
    pub max_map_bytes: Option<u64>,
    /// Whether the file being loaded replaces the layers rather than adding to them.
    replace_on_load: bool,
    /// How long contacts stay on the map, fading, after they end; `None` for [`TRAIL`].
    pub trail: Option<jiff::SignedDuration>,
    /// Where the pulses of what is going on are in their beat, while the clock plays (set by the app each
    /// frame); `None` draws them at rest.
    pub pulse: Option<f32>,
    /// The embedded basemap being read and prepared in the background while the window opens.
    preloading: Option<crate::job::Job<Option<Basemap>>>,
}

/// Zoom step of the +/- keys.
const KEY_ZOOM: f64 = 1.5;

impl MapView {
    pub fn projection(&self) -> Projection {
        self.projection_kind.projection()
    }

    /// Starts loading a map file (GeoJSON or TopoJSON) as a new layer on top; the map stays as it is until
    /// the layer is ready.
    pub fn open_basemap(&mut self, path: std::path::PathBuf, ctx: &egui::Context) {
        self.start_load(path, ctx, false);
    }

    /// Starts loading a map file that replaces every layer (the embedded ones too) once it is ready.
    pub fn replace_basemap(&mut self, path: std::path::PathBuf, ctx: &egui::Context) {
        self.start_load(path, ctx, true);
    }

    fn start_load(&mut self, path: std::path::PathBuf, ctx: &egui::Context, replace: bool) {
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

    /// Takes a finished load into the map.
    fn poll_loading(&mut self) {
        let Some(result) = self.loading.as_mut().and_then(MapLoad::take_result) else {
            return;
        };
        self.loading = None;
        match result {
            Ok(loaded) => {
                if self.replace_on_load {
                    self.basemap = Some(Basemap::default());
                }
                let basemap = self.basemap.get_or_insert_with(Basemap::default);
                basemap.push(loaded.layer);
                self.problems = (!loaded.report.diagnostics.is_empty()).then_some(loaded.report);
            }
            Err(report) => self.problems = Some(report),
        }
    }

    /// The scene of the last frame drawn, whole: what the window shows (for tests and exports).
    pub fn scene(&self) -> Option<Scene> {
        if self.last_overlays.is_empty() {
            return None;
        }
        let mut layers: Vec<crate::scene::SceneLayer> = self.painter.base.as_ref().clone();
        layers.extend(self.last_overlays.iter().cloned());
        Some(Scene {
            size: self.last_size,
            background: self.last_background,
            layers,
        })
    }

    /// The view to remember between runs: the world point at the centre and the scale, unless the map is
    /// still fitted to the scenario.
    pub fn saved_view(&self) -> Option<([f64; 2], f64)> {
        self.camera
            .filter(|_| !self.fitted)
            .map(|c| (c.center, c.scale))
    }

    /// Shows the map at a remembered centre and scale (in whatever viewport the window has).
    pub fn restore_view(&mut self, center: [f64; 2], scale: f64) {
        if center.iter().all(|c| c.is_finite()) && scale.is_finite() && scale > 0.0 {
            self.camera = Some(Camera {
                center,
                scale: scale.clamp(
                    crate::geo_math::camera::MIN_SCALE,
                    crate::geo_math::camera::MAX_SCALE,
                ),
                viewport: ScreenRect::from_size(1.0, 1.0),
            });
            self.fitted = false;
        }
    }

    /// Reads and prepares the embedded basemap on another thread, so that it is ready (or nearly) when the
    /// window has opened and draws its first frame (see [`MapView::use_preload`]).
    pub fn spawn_preload(projection: Projection) -> Option<crate::job::Job<Option<Basemap>>> {
        crate::job::Job::spawn("basemap", crate::job::no_wake(), move |_| {
            let mut basemap = Basemap::embedded().ok()?;
            // The 1:50m level only: the 1:10m one is read on another thread from the first frame on.
            basemap.read_detail_in_background();
            basemap.prepared_for_view(projection, 0.0, crate::job::no_wake);
            Some(basemap)
        })
        .ok()
    }

    /// Takes the embedded basemap from a preload started before the window opened.
    pub fn use_preload(&mut self, preload: Option<crate::job::Job<Option<Basemap>>>) {
        self.preloading = preload;
    }

    /// Asks egui to run the frame again if the map's labels were tessellated for a font atlas that has
    /// grown since (call at the end of a frame).
    pub fn end_frame(&self, ctx: &egui::Context) {
        self.painter.discard_if_fonts_grew(ctx);
    }

    /// Forgets the camera: the next frame fits the scenario.
    pub fn request_fit(&mut self) {
        self.camera = None;
    }

    /// The world rectangle that shows the scenario: its venues inside the region (far venues such as
    /// Washington are shown at the map's edge rather than shrinking the region to nothing), else the region.
    pub fn fit_bounds(&self, scenario: &Scenario) -> WorldRect {
        crate::scene::view::fit_bounds(&self.projection(), scenario)
    }

    /// Draws the map; a click on a venue, an actor or a contact pushes its selection into `commands`.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        scenario: &Scenario,
        order: &[crate::model::ContactId],
        time: jiff::Timestamp,
        zone: &jiff::tz::TimeZone,
        commands: &mut Vec<AppCommand>,
    ) -> Response {
        self.poll_loading();
        let rect = ui.available_rect_before_wrap();
        let response = ui.allocate_rect(rect, Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Map"));
        let camera = self.camera_input(ui, &response, rect, scenario);

        let projection = self.projection();
        let theme = Theme::of(self.theme);
        if self.basemap.is_none()
            && let Some(preloading) = self.preloading.take()
        {
            self.basemap = preloading.wait().ok().flatten();
        }
        let trail = self.trail();
        let basemap = self.basemap.get_or_insert_with(|| {
            Basemap::embedded().unwrap_or_else(|report| {
                log::error!(
                    "the embedded basemap does not load:\n{}",
                    report.to_lines().join("\n")
                );
                Basemap::default()
            })
        });
        let inputs = MapInputs {
            projection: &projection,
            camera: &camera,
            theme: &theme,
            scenario: Some(scenario),
            order,
            basemap: basemap.prepared_for_view(projection, camera.scale, || {
                let ctx = ui.ctx().clone();
                Box::new(move || ctx.request_repaint())
            }),
            time: Some(time),
            trail,
            pulse: self.pulse,
        };
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, egui_painter::color(theme.water));
        let (overlays, targets) = self.painter.paint(&painter, &inputs);
        self.last_overlays = overlays;
        self.last_size = [camera.viewport.width(), camera.viewport.height()];
        self.last_background = theme.water;
        if let Some(pointer) = response.hover_pos() {
            match pick_at(&targets, [pointer.x, pointer.y]) {
                Some(pick) => {
                    ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
                    response.clone().on_hover_ui_at_pointer(|ui| {
                        super::entities::pick_tooltip_ui(ui, scenario, order, pick, time, zone);
                    });
                }
                None => self.hover_ui(
                    &response,
                    [pointer.x, pointer.y],
                    &camera,
                    &projection,
                    scenario,
                ),
            }
        }
        if response.clicked()
            && let Some(pointer) = response.interact_pointer_pos()
        {
            commands.push(match pick_at(&targets, [pointer.x, pointer.y]) {
                Some(Pick::Contact(id)) => AppCommand::Select(id),
                Some(pick) => AppCommand::SelectOnMap(pick),
                None => AppCommand::ClearSelection,
            });
        }
        self.last_targets = targets;
        self.loading_ui(ui, rect);
        response
    }

    /// The camera of this frame: the last one, fitted to the scenario until the user moves it, then panned
    /// by a drag, zoomed by the wheel, a pinch or +/-, fitted again by F.
    fn camera_input(
        &mut self,
        ui: &Ui,
        response: &Response,
        rect: Rect,
        scenario: &Scenario,
    ) -> Camera {
        let viewport = screen_rect(rect);
        let mut camera = match self.camera {
            Some(c) if c.viewport == viewport => c,
            // Until the user moves the map, it stays fitted to the scenario as the window settles.
            Some(_) if self.fitted => {
                Camera::fit(self.fit_bounds(scenario), viewport, FIT_MARGIN_PT)
            }
            Some(c) => c.moved_to(viewport),
            None => {
                self.fitted = true;
                Camera::fit(self.fit_bounds(scenario), viewport, FIT_MARGIN_PT)
            }
        };
        let before = camera;

        if response.dragged() {
            let d = response.drag_delta();
            camera = camera.panned([d.x, d.y]);
        }
        if response.hovered() {
            let (scroll, pinch, pointer) = ui.input(|i| {
                (
                    i.smooth_scroll_delta.y,
                    i.zoom_delta(),
                    i.pointer.hover_pos(),
                )
            });
            let factor = f64::from(pinch) * (f64::from(scroll) * 0.002).exp();
            if (factor - 1.0).abs() > 1e-6
                && let Some(p) = pointer
            {
                camera = camera.zoomed_around([p.x, p.y], factor);
            }
        }
        if !ui.ctx().egui_wants_keyboard_input() {
            let (plus, minus, fit) = ui.input(|i| {
                (
                    i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals),
                    i.key_pressed(egui::Key::Minus),
                    i.key_pressed(egui::Key::F),
                )
            });
            let center = viewport.center();
            if plus {
                camera = camera.zoomed_around(center, KEY_ZOOM);
            }
            if minus {
                camera = camera.zoomed_around(center, 1.0 / KEY_ZOOM);
            }
            if fit {
                camera = Camera::fit(self.fit_bounds(scenario), viewport, FIT_MARGIN_PT);
            }
        }
        if camera != before {
            self.fitted = fit_requested(ui);
        }
        self.camera = Some(camera);
        camera
    }

    /// The progress of a map file being loaded, over the map's corner, with a Cancel button.
    fn loading_ui(&self, ui: &Ui, rect: Rect) {
        if let Some(load) = &self.loading {
            let cancel = egui::Area::new(egui::Id::unique("demarche_map_loading"))
                .fixed_pos(rect.left_top() + egui::vec2(12.0, 12.0))
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style())
                        .show(ui, |ui| {
                            ui.horizontal(|ui| {
                                ui.spinner();
                                ui.label(load.status());
                                ui.add(
                                    egui::ProgressBar::new(load.progress.fraction())
                                        .desired_width(120.0),
                                );
                                ui.button("Cancel").clicked()
                            })
                            .inner
                        })
                        .inner
                })
                .inner;
            if cancel {
                load.cancel();
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// A tooltip with the name of the country under the pointer, as the scenario spells it.
    fn hover_ui(
        &self,
        response: &Response,
        pointer: [f32; 2],
        camera: &Camera,
        projection: &Projection,
        scenario: &Scenario,
    ) {
        let Some(basemap) = &self.basemap else { return };
        let Some((lon, lat)) = projection.unproject(camera.world_from_screen(pointer)) else {
            return;
        };
        let names = crate::basemap::countries::CountryNames::of(scenario);
        if let Some(name) = basemap.country_name_at(lon, lat, &names) {
            response.clone().on_hover_text_at_pointer(name);
        }
    }

    /// How long contacts stay on the map after they end.
    pub fn trail(&self) -> jiff::SignedDuration {
        self.trail.unwrap_or(TRAIL)
    }

    /// Projection, trail and fit controls, for the toolbar: changes go into `commands`.
    pub fn controls_ui(&self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let mut kind = self.projection_kind;
        egui::ComboBox::from_label("Projection")
            .selected_text(self.projection_kind.label())
            .show_ui(ui, |ui| {
                for k in ProjectionKind::ALL {
                    ui.selectable_value(&mut kind, k, k.label());
                }
            });
        if kind != self.projection_kind {
            commands.push(AppCommand::SetProjection(kind));
        }
        if ui.button("Fit (F)").clicked() {
            commands.push(AppCommand::FitMap);
        }
        let trail = self.trail();
        egui::ComboBox::from_label("Trail")
            .selected_text(trail_label(trail))
            .show_ui(ui, |ui| {
                for hours in [0, 1, 6, 12, 24, 72] {
                    let d = jiff::SignedDuration::from_hours(hours);
                    if ui.selectable_label(d == trail, trail_label(d)).clicked() {
                        commands.push(AppCommand::SetTrail(d));
                    }
                }
            })
            .response
            .on_hover_text("How long a contact stays on the map, fading, after it ends");
    }
}

/// `12 h`, `1 day`, `off`: a trail as the picker shows it.
fn trail_label(trail: jiff::SignedDuration) -> String {
    match trail.as_hours() {
        0 => "off".to_owned(),
        h if h % 24 == 0 => format!("{} day{}", h / 24, if h == 24 { "" } else { "s" }),
        h => format!("{h} h"),
    }
}

/// Whether this frame's camera change was the F key (a fit), rather than the user moving the map.
fn fit_requested(ui: &Ui) -> bool {
    !ui.ctx().egui_wants_keyboard_input() && ui.input(|i| i.key_pressed(egui::Key::F))
}

fn screen_rect(rect: Rect) -> ScreenRect {
    ScreenRect {
        min: [rect.min.x, rect.min.y],
        max: [rect.max.x, rect.max.y],
    }
}
