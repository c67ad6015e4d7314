//! Writing an animation's frames as a GIF or an APNG: only the rectangle that changed since the previous
//! frame is stored, its unchanged pixels transparent, so both formats stay small and fast to write.

use rayon::prelude::*;
use tiny_skia::Pixmap;

use super::ExportError;
use super::frames::Frames;
use crate::render::png::encoder;
use crate::render::raster;

/// A rectangle of pixels: x, y, width, height.
type PixelRect = (u32, u32, u32, u32);

/// The smallest rectangle holding every pixel that differs between two frames of the same size; a single
/// pixel when none does (a frame cannot be empty).
fn changed_rect(previous: &Pixmap, next: &Pixmap) -> PixelRect {
    let (w, h) = (next.width() as usize, next.height() as usize);
    fn row(p: &Pixmap, w: usize, y: usize) -> &[u8] {
        &p.data()[y * w * 4..(y + 1) * w * 4]
    }
    let Some(top) = (0..h).find(|&y| row(previous, w, y) != row(next, w, y)) else {
        return (0, 0, 1, 1);
    };
    let bottom = (top..h)
        .rev()
        .find(|&y| row(previous, w, y) != row(next, w, y))
        .unwrap_or(top);
    let (mut left, mut right) = (w, 0);
    for y in top..=bottom {
        let (a, b) = (row(previous, w, y), row(next, w, y));
        if a == b {
            continue;
        }
        let differs = |x: &usize| a[x * 4..x * 4 + 4] != b[x * 4..x * 4 + 4];
        if let Some(l) = (0..left.min(w)).find(differs) {
            left = l;
        }
        if let Some(r) = (right..w).rev().find(differs) {
            right = right.max(r);
        }
    }
    let right = right.max(left);
    (
        left as u32,
        top as u32,
        (right - left + 1) as u32,
        (bottom - top + 1) as u32,
    )
}

/// The pixels of a rectangle, straight RGBA.
fn crop_rgba(pixmap: &Pixmap, (x, y, w, h): PixelRect) -> Vec<u8> {
    let stride = pixmap.width() as usize;
    let mut out = Vec::with_capacity(w as usize * h as usize * 4);
    for row in y..y + h {
        let start = row as usize * stride + x as usize;
        for p in &pixmap.pixels()[start..start + w as usize] {
            let c = p.demultiply();
            out.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
    }
    out
}

/// GIF's palette for a whole animation: 255 colours learnt (NeuQuant) from frames spread over the time
/// range, and index 255 for "unchanged since the previous frame" (transparent). One palette for every frame
/// keeps colours from flickering; marking unchanged pixels lets LZW compress them to almost nothing.
struct GifPalette {
    quant: color_quant::NeuQuant,
    rgb: Vec<u8>,
}

/// The palette index that leaves a pixel as the previous frame had it.
const UNCHANGED: u8 = 255;

impl GifPalette {
    fn learn(samples: &[&Pixmap]) -> Self {
        let mut pixels = Vec::new();
        for pixmap in samples {
            pixels.extend(crop_rgba(pixmap, (0, 0, pixmap.width(), pixmap.height())));
        }
        let quant = color_quant::NeuQuant::new(10, usize::from(UNCHANGED), &pixels);
        let mut rgb = quant.color_map_rgb();
        rgb.resize(256 * 3, 0);
        Self { quant, rgb }
    }

    /// The frame's rectangle as palette indices; pixels equal in `before` (if given) are [`UNCHANGED`].
    fn indices(&self, pixmap: &Pixmap, before: Option<&Pixmap>, rect: PixelRect) -> Vec<u8> {
        // Maps have few colours: remember the last lookups (direct-mapped), NeuQuant's search is slow.
        const SLOTS: usize = 1 << 14;
        let mut cache: Vec<(u32, u8)> = vec![(u32::MAX, 0); SLOTS];
        let (x, y, w, h) = rect;
        let stride = pixmap.width() as usize;
        let mut out = Vec::with_capacity(w as usize * h as usize);
        for row in y as usize..(y + h) as usize {
            let start = row * stride + x as usize;
            let now = &pixmap.pixels()[start..start + w as usize];
            let was = before.map(|b| &b.pixels()[start..start + w as usize]);
            for (i, p) in now.iter().enumerate() {
                if was.is_some_and(|was| was[i] == *p) {
                    out.push(UNCHANGED);
                    continue;
                }
                let c = p.demultiply();
                let key = u32::from_le_bytes([c.red(), c.green(), c.blue(), c.alpha()]);
                let slot = (key.wrapping_mul(0x9E37_79B1) >> 18) as usize % SLOTS;
                if cache[slot].0 == key {
                    out.push(cache[slot].1);
                } else {
                    let index = self
                        .quant
                        .index_of(&[c.red(), c.green(), c.blue(), c.alpha()])
                        .min(usize::from(UNCHANGED) - 1) as u8;
                    cache[slot] = (key, index);
                    out.push(index);
                }
            }
        }
        out
    }
}

pub(super) fn write_gif(
    frames: &mut Frames<'_>,
    width: u32,
    height: u32,
    out: &mut impl std::io::Write,
) -> Result<(), ExportError> {
    let (Ok(w16), Ok(h16)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(ExportError::Raster(raster::RasterError::BadSize {
            width,
            height,
        }));
    };
    let timeline = frames.timeline;
    let n = timeline.frames;
    // The palette is learnt from the first, middle and last frames.
    let samples = [0, n / 2, n - 1]
        .into_par_iter()
        .map(|i| frames.draw(i))
        .collect::<Result<Vec<_>, _>>()?;
    let palette = GifPalette::learn(&samples.iter().collect::<Vec<_>>());
    drop(samples);
    let mut encoder = gif::Encoder::new(out, w16, h16, &palette.rgb)?;
    encoder.set_repeat(gif::Repeat::Infinite)?;
    while let Some((start, chunk)) = frames.next_chunk()? {
        let previous = frames.previous.as_ref();
        // Map to the palette and compress in parallel; write in order.
        let encoded: Vec<gif::Frame<'static>> = chunk
            .par_iter()
            .enumerate()
            .map(|(k, pixmap)| {
                let before = if k == 0 { previous } else { chunk.get(k - 1) };
                let rect = before.map_or((0, 0, width, height), |b| changed_rect(b, pixmap));
                // Sizes fit in u16: the frame's do, and the rectangle is inside it.
                let mut frame = gif::Frame {
                    left: rect.0 as u16,
                    top: rect.1 as u16,
                    width: rect.2 as u16,
                    height: rect.3 as u16,
                    buffer: palette.indices(pixmap, before, rect).into(),
                    transparent: before.map(|_| UNCHANGED),
                    delay: timeline.delay_cs(start + k),
                    dispose: gif::DisposalMethod::Keep,
                    ..gif::Frame::default()
                };
                frame.make_lzw_pre_encoded();
                frame
            })
            .collect();
        for frame in &encoded {
            encoder.write_lzw_pre_encoded_frame(frame)?;
        }
        frames.written(chunk)?;
    }
    encoder.into_inner()?;
    Ok(())
}

pub(super) fn write_apng(
    frames: &mut Frames<'_>,
    width: u32,
    height: u32,
    scale: f32,
    out: &mut impl std::io::Write,
) -> Result<(), ExportError> {
    let timeline = frames.timeline;
    let Some((_, mut chunk)) = frames.next_chunk()? else {
        return Ok(());
    };
    let mut e = encoder(out, width, height, png::ColorType::Rgba, scale);
    e.set_animated(timeline.frames as u32, 0)?;
    let mut writer = e.write_header()?;
    loop {
        // The pixels of each frame's changed rectangle, unchanged ones transparent (drawn over the
        // previous frame, they leave it as it was, and compress to almost nothing).
        let rects: Vec<(PixelRect, Vec<u8>)> = chunk
            .par_iter()
            .enumerate()
            .map(|(k, pixmap)| {
                let before = if k == 0 {
                    frames.previous.as_ref()
                } else {
                    chunk.get(k - 1)
                };
                match before {
                    None => (
                        (0, 0, width, height),
                        crop_rgba(pixmap, (0, 0, width, height)),
                    ),
                    Some(b) => {
                        let rect = changed_rect(b, pixmap);
                        (rect, changed_rgba(b, pixmap, rect))
                    }
                }
            })
            .collect();
        for (rect, data) in &rects {
            writer.reset_frame_position()?;
            writer.set_frame_dimension(rect.2, rect.3)?;
            writer.set_frame_position(rect.0, rect.1)?;
            writer.set_frame_delay(1, timeline.fps as u16)?;
            writer.set_blend_op(png::BlendOp::Over)?;
            writer.set_dispose_op(png::DisposeOp::None)?;
            writer.write_image_data(data)?;
        }
        frames.written(chunk)?;
        match frames.next_chunk()? {
            Some((_, next)) => chunk = next,
            None => break,
        }
    }
    writer.finish()?;
    Ok(())
}

/// The straight RGBA pixels of a rectangle of `next`, transparent where `previous` has the same pixel
/// (the animated frames of both formats are drawn over the previous one). A changed pixel that is itself
/// not opaque cannot be drawn over the old one: the map is opaque, so this never happens.
fn changed_rgba(previous: &Pixmap, next: &Pixmap, (x, y, w, h): PixelRect) -> Vec<u8> {
    let stride = next.width() as usize;
    let mut out = Vec::with_capacity(w as usize * h as usize * 4);
    for row in y..y + h {
        let start = row as usize * stride + x as usize;
        let now = &next.pixels()[start..start + w as usize];
        let was = &previous.pixels()[start..start + w as usize];
        for (p, q) in now.iter().zip(was) {
            if p == q {
                out.extend_from_slice(&[0, 0, 0, 0]);
            } else {
                let c = p.demultiply();
                out.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_changed_rectangle_holds_every_change() {
        let mut a = Pixmap::new(20, 10).expect("pixmap");
        a.fill(tiny_skia::Color::WHITE);
        let mut b = a.clone();
        assert_eq!(changed_rect(&a, &b), (0, 0, 1, 1));
        b.pixels_mut()[3 * 20 + 5] = tiny_skia::PremultipliedColorU8::TRANSPARENT;
        b.pixels_mut()[7 * 20 + 12] = tiny_skia::PremultipliedColorU8::TRANSPARENT;
        b.pixels_mut()[5 * 20 + 2] = tiny_skia::PremultipliedColorU8::TRANSPARENT;
        assert_eq!(changed_rect(&a, &b), (2, 3, 11, 5));
    }
}
