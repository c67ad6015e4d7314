//! Draws a scene with egui's painter: the window's backend.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Align2, Color32, FontId, Painter, Pos2, Shape, Stroke};

use crate::scene::{Anchor, Item, Rgba, Scene};

pub fn color(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.0[0], c.0[1], c.0[2], c.0[3])
}

fn pos(p: [f32; 2]) -> Pos2 {
    Pos2::new(p[0], p[1])
}

fn align(anchor: Anchor) -> Align2 {
    match anchor {
        Anchor::Center => Align2::CENTER_CENTER,
        Anchor::LeftCenter => Align2::LEFT_CENTER,
        Anchor::RightCenter => Align2::RIGHT_CENTER,
        Anchor::CenterTop => Align2::CENTER_TOP,
        Anchor::CenterBottom => Align2::CENTER_BOTTOM,
    }
}

/// Paints every layer of the scene, back to front. Scene coordinates are the painter's (screen points).
pub fn paint_scene(painter: &Painter, scene: &Scene) {
    let mut shapes = Vec::with_capacity(scene.layers.iter().map(|l| l.items.len()).sum());
    for layer in &scene.layers {
        for item in &layer.items {
            push_item(painter, item, &mut shapes);
        }
    }
    painter.extend(shapes);
}

fn push_item(painter: &Painter, item: &Item, shapes: &mut Vec<Shape>) {
    match item {
        Item::Mesh {
            vertices,
            indices,
            fill,
        } => {
            let c = color(*fill);
            let mesh = Mesh {
                indices: indices.clone(),
                vertices: vertices
                    .iter()
                    .map(|&p| Vertex {
                        pos: pos(p),
                        uv: WHITE_UV,
                        color: c,
                    })
                    .collect(),
                ..Default::default()
            };
            shapes.push(Shape::mesh(mesh));
        }
        Item::Polyline {
            points,
            width,
            color: c,
            dash,
        } => {
            let stroke = Stroke::new(*width, color(*c));
            let points: Vec<Pos2> = points.iter().map(|&p| pos(p)).collect();
            match dash {
                Some([dash, gap]) => {
                    shapes.extend(Shape::dashed_line(&points, stroke, *dash, *gap))
                }
                None => shapes.push(Shape::line(points, stroke)),
            }
        }
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
        } => {
            if let Some(fill) = fill {
                shapes.push(Shape::circle_filled(pos(*center), *radius, color(*fill)));
            }
            if let Some((width, c)) = stroke {
                shapes.push(Shape::circle_stroke(
                    pos(*center),
                    *radius,
                    Stroke::new(*width, color(*c)),
                ));
            }
        }
        Item::Text {
            pos: p,
            text,
            size,
            color: c,
            anchor,
        } => {
            let galley =
                painter.layout_no_wrap(text.clone(), FontId::proportional(*size), color(*c));
            let rect = align(*anchor).anchor_size(pos(*p), galley.size());
            shapes.push(Shape::galley(rect.min, galley, color(*c)));
        }
    }
}
