//! Draws the app's icon, `assets/icon.png` (256 x 256 RGBA): a map-blue rounded square with three
//! venues joined by the arcs of contacts. Run once with `cargo run --example make_icon`; the PNG is
//! committed and embedded by the app, so this runs only when the icon is redrawn.

use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Stroke, Transform};

const SIZE: u32 = 256;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut pixmap = Pixmap::new(SIZE, SIZE).ok_or("no pixmap")?;
    let s = SIZE as f32;
    let mut paint = Paint {
        anti_alias: true,
        ..Paint::default()
    };

    // The sea: a rounded square.
    let (r, m) = (s * 0.18, s * 0.04);
    let mut pb = PathBuilder::new();
    pb.move_to(m + r, m);
    pb.line_to(s - m - r, m);
    pb.quad_to(s - m, m, s - m, m + r);
    pb.line_to(s - m, s - m - r);
    pb.quad_to(s - m, s - m, s - m - r, s - m);
    pb.line_to(m + r, s - m);
    pb.quad_to(m, s - m, m, s - m - r);
    pb.line_to(m, m + r);
    pb.quad_to(m, m, m + r, m);
    pb.close();
    let square = pb.finish().ok_or("square")?;
    paint.set_color(Color::from_rgba8(0x2b, 0x5c, 0x8a, 0xff));
    pixmap.fill_path(
        &square,
        &paint,
        FillRule::Winding,
        Transform::identity(),
        None,
    );

    // Land: a gentle hill along the bottom.
    let mut pb = PathBuilder::new();
    pb.move_to(m, s * 0.70);
    pb.cubic_to(s * 0.30, s * 0.55, s * 0.60, s * 0.80, s - m, s * 0.62);
    pb.line_to(s - m, s - m - r);
    pb.quad_to(s - m, s - m, s - m - r, s - m);
    pb.line_to(m + r, s - m);
    pb.quad_to(m, s - m, m, s - m - r);
    pb.close();
    let land = pb.finish().ok_or("land")?;
    paint.set_color(Color::from_rgba8(0xe8, 0xe0, 0xc8, 0xff));
    pixmap.fill_path(
        &land,
        &paint,
        FillRule::Winding,
        Transform::identity(),
        None,
    );

    // Three venues and the arcs between them.
    let venues = [(0.24, 0.40), (0.74, 0.30), (0.56, 0.74)];
    let stroke = Stroke {
        width: s * 0.035,
        line_cap: tiny_skia::LineCap::Round,
        ..Stroke::default()
    };
    paint.set_color(Color::from_rgba8(0xf2, 0x8c, 0x28, 0xff));
    for (a, b) in [(0, 1), (1, 2), (0, 2)] {
        let (ax, ay) = (venues[a].0 * s, venues[a].1 * s);
        let (bx, by) = (venues[b].0 * s, venues[b].1 * s);
        let (mx, my) = ((ax + bx) / 2.0, (ay + by) / 2.0 - s * 0.10);
        let mut pb = PathBuilder::new();
        pb.move_to(ax, ay);
        pb.quad_to(mx, my, bx, by);
        let arc = pb.finish().ok_or("arc")?;
        pixmap.stroke_path(&arc, &paint, &stroke, Transform::identity(), None);
    }
    for (x, y) in venues {
        let dot = PathBuilder::from_circle(x * s, y * s, s * 0.07).ok_or("dot")?;
        paint.set_color(Color::from_rgba8(0xff, 0xff, 0xff, 0xff));
        pixmap.fill_path(&dot, &paint, FillRule::Winding, Transform::identity(), None);
        let inner = PathBuilder::from_circle(x * s, y * s, s * 0.045).ok_or("dot")?;
        paint.set_color(Color::from_rgba8(0xc0, 0x2f, 0x2f, 0xff));
        pixmap.fill_path(
            &inner,
            &paint,
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }

    // The project's own PNG writer (straight alpha), through a temporary file renamed into place.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/icon.png");
    demarche::export::output::write_atomic(&path, |out| {
        demarche::render::png::write_png(&pixmap, 1.0, out).map_err(|e| {
            demarche::export::ExportError::Io {
                path: path.clone(),
                source: std::io::Error::other(e),
            }
        })
    })?;
    println!("wrote {}", path.display());
    Ok(())
}
