//! PNG encoding of a drawn pixmap: fast (fdeflate, Paeth filter) and deterministic (no time stamp, no
//! text chunk that changes between runs).

use std::io::Write;

use tiny_skia::Pixmap;

/// Screen points per inch, for the physical size written in the file (a CSS pixel is 1/96 inch).
pub const POINTS_PER_INCH: f32 = 96.0;

/// Straight-alpha RGB or RGBA bytes of a pixmap (tiny-skia keeps premultiplied colours): RGB when every
/// pixel is opaque (the map always is), which makes a smaller file.
pub fn straight_pixels(pixmap: &Pixmap) -> (png::ColorType, Vec<u8>) {
    let data = pixmap.data();
    if data.chunks_exact(4).all(|p| p[3] == 255) {
        let mut rgb = vec![0; data.len() / 4 * 3];
        for (out, p) in rgb.chunks_exact_mut(3).zip(data.chunks_exact(4)) {
            out.copy_from_slice(&p[..3]);
        }
        (png::ColorType::Rgb, rgb)
    } else {
        let mut rgba = Vec::with_capacity(data.len());
        for p in pixmap.pixels() {
            let c = p.demultiply();
            rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
        (png::ColorType::Rgba, rgba)
    }
}

/// [`straight_pixels`] of a pixmap no longer needed, made in its own buffer: no second copy of the
/// picture is allocated (for a 1920x1080 map, 6 MB of fresh pages the kernel would zero).
pub fn into_straight_pixels(pixmap: Pixmap) -> (png::ColorType, Vec<u8>) {
    let mut data = pixmap.take();
    if data.chunks_exact(4).all(|p| p[3] == 255) {
        let pixels = data.len() / 4;
        // Each pixel's RGB moves down to 3 * i, never past a byte not yet read (4 * i). In blocks: the
        // pixels from `p` on move into bytes before 4 * p while there are at most p / 3 of them, so a
        // block is read from one side of a split and written on the other (the moves vectorise).
        // The first pixel stays where it is; the next two overlap their old place.
        for p in 1..pixels.min(3) {
            data.copy_within(4 * p..4 * p + 3, 3 * p);
        }
        let mut p = 3;
        while p < pixels {
            let block = (p / 3).min(pixels - p);
            let (head, tail) = data.split_at_mut(4 * p);
            let to = &mut head[3 * p..3 * (p + block)];
            for (out, px) in to.chunks_exact_mut(3).zip(tail.chunks_exact(4)) {
                out.copy_from_slice(&px[..3]);
            }
            p += block;
        }
        data.truncate(pixels * 3);
        (png::ColorType::Rgb, data)
    } else {
        for p in data.chunks_exact_mut(4) {
            let c = tiny_skia::PremultipliedColorU8::from_rgba(p[0], p[1], p[2], p[3])
                .map_or(tiny_skia::ColorU8::from_rgba(0, 0, 0, 0), |c| {
                    c.demultiply()
                });
            p.copy_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
        (png::ColorType::Rgba, data)
    }
}

/// A PNG encoder set up as every file of this program is: 8 bits, sRGB, fast compression, the
/// Paeth filter, and the pixel density of `scale` pixels per point.
pub fn encoder<W: Write>(
    out: W,
    width: u32,
    height: u32,
    color: png::ColorType,
    scale: f32,
) -> png::Encoder<'static, W> {
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Paeth alone compresses maps as well as trying every filter per row (within 1 %), twice as fast.
    encoder.set_filter(png::Filter::Paeth);
    encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    let per_metre = (POINTS_PER_INCH * scale / 0.0254).round();
    if per_metre.is_finite() && per_metre >= 1.0 && per_metre < u32::MAX as f32 {
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre as u32,
            yppu: per_metre as u32,
            unit: png::Unit::Meter,
        }));
    }
    encoder
}

/// [`write_png`] of a pixmap no longer needed, its pixels made straight in its own buffer
/// ([`into_straight_pixels`]).
pub fn write_png_owned<W: Write>(
    pixmap: Pixmap,
    scale: f32,
    out: W,
) -> Result<(), png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let (color, bytes) = into_straight_pixels(pixmap);
    let mut writer = encoder(out, width, height, color, scale).write_header()?;
    writer.write_image_data(&bytes)?;
    writer.finish()
}

/// Writes the pixmap as a PNG; `scale` (pixels per point) sets the density recorded in the file.
pub fn write_png<W: Write>(pixmap: &Pixmap, scale: f32, out: W) -> Result<(), png::EncodingError> {
    let (color, bytes) = straight_pixels(pixmap);
    let mut writer = encoder(out, pixmap.width(), pixmap.height(), color, scale).write_header()?;
    writer.write_image_data(&bytes)?;
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 5x3 pixmap of varied colours, opaque or with a translucent pixel.
    fn pixmap(translucent: bool) -> Pixmap {
        let mut pixmap = Pixmap::new(5, 3).expect("pixmap");
        for (i, p) in pixmap.pixels_mut().iter_mut().enumerate() {
            let i = i as u8;
            let a = if translucent && i == 7 { 128 } else { 255 };
            let c = tiny_skia::ColorU8::from_rgba(i * 13, 200 - i * 7, i.wrapping_mul(29), a);
            *p = c.premultiply();
        }
        pixmap
    }

    #[test]
    fn opaque_pixels_packed_in_place_are_those_of_a_copy_at_every_size() {
        for (w, h) in [(1, 1), (2, 1), (3, 1), (4, 1), (7, 3), (64, 37), (301, 5)] {
            let mut pixmap = Pixmap::new(w, h).expect("pixmap");
            for (i, p) in pixmap.pixels_mut().iter_mut().enumerate() {
                let c = tiny_skia::ColorU8::from_rgba(
                    (i * 7) as u8,
                    (i * 13 + 5) as u8,
                    (i / 3) as u8,
                    255,
                );
                *p = c.premultiply();
            }
            let copy = straight_pixels(&pixmap);
            assert_eq!(copy.0, png::ColorType::Rgb);
            assert_eq!(into_straight_pixels(pixmap), copy, "{w}x{h}");
        }
    }

    #[test]
    fn pixels_made_straight_in_place_are_those_of_a_copy() {
        for translucent in [false, true] {
            let copy = straight_pixels(&pixmap(translucent));
            let in_place = into_straight_pixels(pixmap(translucent));
            assert_eq!(in_place, copy, "translucent: {translucent}");
            let expected = if translucent {
                png::ColorType::Rgba
            } else {
                png::ColorType::Rgb
            };
            assert_eq!(in_place.0, expected);
        }
    }
}
