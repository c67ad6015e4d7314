//! The map: a widget that owns its camera, pans with a drag, zooms with the wheel or a pinch around the
//! cursor and with +/-, fits with F, and paints the scene built for it.

use egui::{Rect, Response, Sense, Ui};

use crate::basemap::embedded::Basemap;
use crate::geo_math::camera::{Camera, ScreenRect, WorldRect};
use crate::geo_math::projection::{Projection, ProjectionKind};
use crate::model::Scenario;
use crate::render::egui_painter;
use crate::scene::map::MapInputs;
use crate::scene::settings::MapSettings;
use crate::scene::{Pick, Target, pick_at};
use crate::scene::{Scene, Theme};
use crate::ui::AppCommand;
use crate::ui::map_loader::MapLoad;

/// What the map draws in one frame, lent by the app: the widget keeps only its camera and what it drew.
#[derive(Debug)]
pub struct MapFrame<'a> {
    pub scenario: &'a Scenario,
    /// The contacts shown, in time order.
    pub order: &'a [crate::model::ContactId],
    /// The scenario's contacts by time, so that a frame reads only those around its time; `None` reads
    /// them all.
    pub index: Option<&'a crate::model::contact_index::ContactIndex>,
    pub time: jiff::Timestamp,
    /// The zone times are shown in (for tooltips).
    pub zone: &'a jiff::tz::TimeZone,
    pub settings: &'a MapSettings,
    /// The projection of `settings` for this story (made once per story, not per frame).
    pub projection: Projection,
    pub basemap: &'a mut Basemap,
    /// Where the pulses of what is going on are in their beat, while the clock plays; `None` draws them at
    /// rest.
    pub pulse: Option<f32>,
    /// The map file being loaded, if one is, for its progress and Cancel button.
    pub loading: Option<&'a MapLoad>,
    /// What is selected: shown emphasised, the rest dimmed.
    pub selection: Option<Pick>,
    /// What was reported after this moment is marked new.
    pub new_since: Option<jiff::Timestamp>,
}

/// The map widget's state between frames: its camera, and what it drew last.
#[derive(Debug, Default)]
pub struct MapView {
    /// `None` until the first frame, or after a change that calls for a new fit.
    pub camera: Option<Camera>,
    /// Paints the map, keeping the basemap on the GPU (see [`MapView::set_basemap_path`]).
    painter: egui_painter::MapPainter,
    /// The layers over the basemap in the last frame drawn (see [`MapView::scene`]).
    last_overlays: Vec<crate::scene::SceneLayer>,
    last_size: [f32; 2],
    last_background: crate::scene::Rgba,
    /// The pulse the last frame was drawn with.
    last_pulse: Option<f32>,
    /// Where the venues, actors and contacts of the last scene can be picked.
    pub last_targets: Vec<Target>,
    /// Whether the camera is as fitted to the scenario (the user has not moved it since).
    fitted: bool,
    /// Whether the legend was folded in the last frame: folding or unfolding it fits the map again (while
    /// the user has not moved it), as the fit keeps room for the legend only when it is shown.
    legend_folded: bool,
    /// The last fitted camera and what it was fitted to: while they stay, the fit (which reads every
    /// contact shown) is not made again each frame.
    last_fit: Option<(FitKey, Camera)>,
    /// The venues a fit frames ([`crate::scene::view::framed_venues`]) and the contacts they were found
    /// for: kept while the list stays, as the window fits again while its panels settle.
    last_framed: Option<(FramedKey, FramedVenues)>,
}

/// The contacts shown, as a fit's venues were found for them (see [`FitKey`]).
type FramedKey = (
    (
        usize,
        Option<crate::model::ContactId>,
        Option<crate::model::ContactId>,
    ),
    usize,
    u64,
);

/// Venues to frame, and why.
type FramedVenues = std::sync::Arc<[(crate::model::VenueId, crate::scene::view::Need)]>;

/// What a fitted camera depends on: the projection, the viewport, the legend, the contacts shown (by
/// their number and ends, and the scenario's size) and where the venues are (a story read again after an
/// edit moves them).
#[derive(Clone, Copy, Debug, PartialEq)]
struct FitKey {
    projection: Projection,
    viewport: ScreenRect,
    legend: bool,
    shown: (
        usize,
        Option<crate::model::ContactId>,
        Option<crate::model::ContactId>,
    ),
    contacts: usize,
    venues: u64,
}

/// A hash of the venues' positions.
fn venues_hash(scenario: &Scenario) -> u64 {
    use std::hash::{BuildHasher as _, Hash as _, Hasher as _};
    let mut hasher = foldhash::quality::FixedState::default().build_hasher();
    for venue in &scenario.venues {
        venue
            .location
            .map(|l| (l.lon.to_bits(), l.lat.to_bits()))
            .hash(&mut hasher);
        venue.radius_km.map(f64::to_bits).hash(&mut hasher);
    }
    hasher.finish()
}

/// Zoom step of the +/- keys.
const KEY_ZOOM: f64 = 1.5;

impl MapView {
    /// The pulse the last frame was drawn with (`None`: at rest).
    pub fn last_pulse(&self) -> Option<f32> {
        self.last_pulse
    }

    /// The scene of the last frame drawn, whole: what the window shows (for tests and exports).
    pub fn scene(&self) -> Option<Scene> {
        if self.last_overlays.is_empty() {
            return None;
        }
        let mut layers = self.painter.base_layers();
        layers.extend(self.last_overlays.iter().cloned());
        Some(Scene {
            size: self.last_size,
            background: self.last_background,
            layers,
        })
    }

    /// Whether the map is as fitted to the scenario (the user has not moved it since).
    pub fn is_fitted(&self) -> bool {
        self.fitted || self.camera.is_none()
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

    /// Asks egui to run the frame again if the map's labels were tessellated for a font atlas that has
    /// grown since (call at the end of a frame).
    pub fn end_frame(&self, ctx: &egui::Context) {
        self.painter.discard_if_fonts_grew(ctx);
    }

    /// How the basemap is drawn: on the GPU by an OpenGL paint callback (the default: the window runs egui's
    /// `glow` backend), or by egui from the same mesh, for a renderer that cannot run OpenGL callbacks.
    pub fn set_basemap_path(&mut self, path: egui_painter::BasemapPath) {
        self.painter.path = path;
    }

    /// The path the basemap takes now (the mesh path if the GPU path failed on this machine).
    pub fn basemap_path(&self) -> egui_painter::BasemapPath {
        self.painter.basemap_path()
    }

    /// What the GPU basemap has drawn and uploaded so far.
    pub fn gl_stats(&self) -> crate::render::gl_basemap::GlStats {
        self.painter.gl_stats()
    }

    /// Whether the map holds GL objects not deleted yet (see [`MapView::destroy_gl`]).
    pub fn holds_gl_objects(&self) -> bool {
        self.painter.holds_gl_objects()
    }

    /// Deletes the map's GL objects: call from `App::on_exit`, with the context current.
    pub fn destroy_gl(&self, gl: &eframe::glow::Context) {
        self.painter.destroy_gl(gl);
    }

    /// Forgets the camera: the next frame fits the scenario.
    pub fn request_fit(&mut self) {
        self.camera = None;
    }

    /// The world rectangle that shows the scenario: its venues inside the region (far venues such as
    /// Washington are shown at the map's edge rather than shrinking the region to nothing), else the region.
    pub fn fit_bounds(projection: &Projection, scenario: &Scenario) -> WorldRect {
        crate::scene::view::fit_bounds(projection, scenario)
    }

    /// Draws the map; a click on a venue, an actor or a contact pushes its selection into `commands`.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        frame: MapFrame<'_>,
        commands: &mut Vec<AppCommand>,
    ) -> Response {
        let rect = ui.available_rect_before_wrap();
        let response = ui.allocate_rect(rect, Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Map"));
        let projection = frame.projection;
        let camera = self.camera_input(
            ui,
            &response,
            rect,
            &projection,
            (frame.scenario, frame.index),
            frame.order,
            frame.settings.legend(),
        );

        let theme = Theme::of(frame.settings.theme);
        let inputs = MapInputs {
            projection: &projection,
            camera: &camera,
            theme: &theme,
            scenario: Some(frame.scenario),
            order: frame.order,
            index: frame.index,
            basemap: frame.basemap.prepared_for_view(
                projection,
                camera.scale,
                camera.visible_world(),
                || {
                    let ctx = ui.ctx().clone();
                    Box::new(move || ctx.request_repaint())
                },
            ),
            time: Some(frame.time),
            trail: frame.settings.trail(),
            pulse: frame.pulse,
            selection: frame.selection,
            legend: frame.settings.legend(),
            new_since: frame.new_since,
        };
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, egui_painter::color(theme.water));
        let (overlays, targets) = self.painter.paint(&painter, &inputs);
        self.last_overlays = overlays;
        self.last_size = [camera.viewport.width(), camera.viewport.height()];
        self.last_background = theme.water;
        self.last_pulse = frame.pulse;
        if let Some(pointer) = response.hover_pos() {
            match pick_at(&targets, [pointer.x, pointer.y]) {
                Some(pick) => {
                    ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
                    response.clone().on_hover_ui_at_pointer(|ui| {
                        super::entities::pick_tooltip_ui(
                            ui,
                            &super::entities::Listed {
                                scenario: frame.scenario,
                                order: frame.order,
                                index: frame.index,
                                version: None,
                            },
                            pick,
                            frame.time,
                            frame.zone,
                        );
                    });
                }
                None => hover_ui(
                    frame.basemap,
                    &response,
                    [pointer.x, pointer.y],
                    &camera,
                    &projection,
                    frame.scenario,
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
        if let Some(load) = frame.loading {
            loading_ui(ui, rect, load, commands);
        }
        response
    }

    /// The camera of this frame: the last one, fitted to the scenario until the user moves it, then panned
    /// by a drag, zoomed by the wheel, a pinch or +/-, fitted again by F (to the contacts `shown`: the
    /// filtered part of the story), clear of the `legend` when it is shown.
    #[allow(clippy::too_many_arguments)]
    fn camera_input(
        &mut self,
        ui: &Ui,
        response: &Response,
        rect: Rect,
        projection: &Projection,
        (scenario, index): (
            &Scenario,
            Option<&crate::model::contact_index::ContactIndex>,
        ),
        shown: &[crate::model::ContactId],
        legend: bool,
    ) -> Camera {
        let viewport = screen_rect(rect);
        // The filtered part of the story when a filter hides some of it (all of it if it hides all).
        let key = FitKey {
            projection: *projection,
            viewport,
            legend,
            shown: (shown.len(), shown.first().copied(), shown.last().copied()),
            contacts: scenario.contacts.len(),
            venues: venues_hash(scenario),
        };
        let shown = (!shown.is_empty()).then_some(shown);
        if self.camera.is_none() {
            // A new story or a call for a new fit: fit afresh.
            self.last_fit = None;
            self.last_framed = None;
        }
        let last_fit = &mut self.last_fit;
        let last_framed = &mut self.last_framed;
        let mut fit = || match *last_fit {
            Some((k, camera)) if k == key => camera,
            _ => {
                let framed_key = (key.shown, key.contacts, key.venues);
                let venues = match last_framed {
                    Some((k, venues)) if *k == framed_key => std::sync::Arc::clone(venues),
                    _ => {
                        let venues: FramedVenues =
                            crate::scene::view::framed_venues(scenario, shown).into();
                        *last_framed = Some((framed_key, std::sync::Arc::clone(&venues)));
                        venues
                    }
                };
                let camera = crate::scene::view::fitted_camera_for_venues(
                    projection, scenario, index, &venues, viewport, legend,
                );
                *last_fit = Some((key, camera));
                camera
            }
        };
        let refit = self.fitted && self.legend_folded == legend;
        self.legend_folded = !legend;
        let mut camera = match self.camera {
            Some(c) if c.viewport == viewport && !refit => c,
            // Until the user moves the map, it stays fitted to the scenario as the window settles (and
            // as the legend is folded or unfolded).
            Some(_) if self.fitted => fit(),
            Some(c) => c.moved_to(viewport),
            None => {
                self.fitted = true;
                fit()
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
            let (plus, minus, fit_key) = ui.input(|i| {
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
            if fit_key {
                camera = fit();
            }
        }
        if camera != before {
            self.fitted = fit_requested(ui);
        }
        self.camera = Some(camera);
        camera
    }

    /// Projection, trail and fit controls, for the toolbar: changes go into `commands`.
    pub fn controls_ui(settings: &MapSettings, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let mut kind = settings.projection;
        egui::ComboBox::from_label("Projection")
            .selected_text(settings.projection.label())
            .show_ui(ui, |ui| {
                for k in ProjectionKind::ALL {
                    ui.selectable_value(&mut kind, k, k.label());
                }
            });
        if kind != settings.projection {
            commands.push(AppCommand::SetProjection(kind));
        }
        if ui.button("Fit (F)").clicked() {
            commands.push(AppCommand::FitMap);
        }
        let mut legend = settings.legend();
        if ui
            .checkbox(&mut legend, "Legend")
            .on_hover_text("Show the map's legend, or fold it away to see more of the map")
            .changed()
        {
            commands.push(AppCommand::FoldLegend(!legend));
        }
        let trail = settings.trail();
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

/// The progress of a map file being loaded, over the map's corner, with a Cancel button.
fn loading_ui(ui: &Ui, rect: Rect, load: &MapLoad, commands: &mut Vec<AppCommand>) {
    let cancel = egui::Area::new(egui::Id::unique("demarche_map_loading"))
        .fixed_pos(rect.left_top() + egui::vec2(12.0, 12.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style())
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        super::background_spinner(ui);
                        ui.label(load.status());
                        ui.add(
                            egui::ProgressBar::new(load.progress.fraction()).desired_width(120.0),
                        );
                        ui.button("Cancel").clicked()
                    })
                    .inner
                })
                .inner
        })
        .inner;
    if cancel {
        commands.push(AppCommand::CancelMapLoad);
    }
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(100));
}

/// A tooltip with the name of the country under the pointer, as the scenario spells it.
fn hover_ui(
    basemap: &Basemap,
    response: &Response,
    pointer: [f32; 2],
    camera: &Camera,
    projection: &Projection,
    scenario: &Scenario,
) {
    let Some((lon, lat)) = projection.unproject(camera.world_from_screen(pointer)) else {
        return;
    };
    let names = crate::basemap::countries::CountryNames::of(scenario);
    if let Some(name) = basemap.country_name_at(lon, lat, &names) {
        response.clone().on_hover_text_at_pointer(name);
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
