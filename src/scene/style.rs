//! Colours and sizes of the map, for a light and a dark theme.

/// A colour in sRGB with straight (not premultiplied) alpha.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self([r, g, b, 255])
    }

    pub const fn new(r: u8, g: u8, b: u8, a: u8) -> Self {
        Self([r, g, b, a])
    }

    #[must_use]
    pub const fn with_alpha(self, a: u8) -> Self {
        Self([self.0[0], self.0[1], self.0[2], a])
    }
}

/// Light or dark.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ThemeKind {
    #[default]
    Light,
    Dark,
}

/// The map's palette and line widths.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    pub kind: ThemeKind,
    pub water: Rgba,
    pub land: Rgba,
    /// Land of the detailed regional layer (the same as `land` unless a layer is to stand out).
    pub land_detail: Rgba,
    pub border: Rgba,
    pub border_width: f32,
    pub coast_width: f32,
    pub graticule: Rgba,
    pub graticule_label: Rgba,
    pub country_label: Rgba,
    pub text: Rgba,
    pub text_halo: Rgba,
    pub lines: Rgba,
    pub points: Rgba,
}

impl Theme {
    pub fn light() -> Self {
        Self {
            kind: ThemeKind::Light,
            water: Rgba::rgb(0xd7, 0xe6, 0xf0),
            land: Rgba::rgb(0xf4, 0xf1, 0xea),
            land_detail: Rgba::rgb(0xf4, 0xf1, 0xea),
            border: Rgba::rgb(0x9a, 0x93, 0x88),
            border_width: 0.8,
            coast_width: 0.8,
            graticule: Rgba::new(0x6b, 0x86, 0x99, 60),
            graticule_label: Rgba::rgb(0x6b, 0x86, 0x99),
            country_label: Rgba::rgb(0x8c, 0x84, 0x78),
            text: Rgba::rgb(0x22, 0x22, 0x22),
            text_halo: Rgba::new(0xff, 0xff, 0xff, 200),
            lines: Rgba::rgb(0x4a, 0x6f, 0x8a),
            points: Rgba::rgb(0x4a, 0x6f, 0x8a),
        }
    }

    pub fn dark() -> Self {
        Self {
            kind: ThemeKind::Dark,
            water: Rgba::rgb(0x16, 0x1d, 0x26),
            land: Rgba::rgb(0x2b, 0x2f, 0x36),
            land_detail: Rgba::rgb(0x2b, 0x2f, 0x36),
            border: Rgba::rgb(0x5d, 0x66, 0x73),
            border_width: 0.8,
            coast_width: 0.8,
            graticule: Rgba::new(0x8a, 0xa0, 0xb4, 40),
            graticule_label: Rgba::rgb(0x70, 0x82, 0x94),
            country_label: Rgba::rgb(0x8b, 0x93, 0x9e),
            text: Rgba::rgb(0xe6, 0xe6, 0xe6),
            text_halo: Rgba::new(0x10, 0x14, 0x1a, 200),
            lines: Rgba::rgb(0x7f, 0xa7, 0xc4),
            points: Rgba::rgb(0x7f, 0xa7, 0xc4),
        }
    }

    pub fn of(kind: ThemeKind) -> Self {
        match kind {
            ThemeKind::Light => Self::light(),
            ThemeKind::Dark => Self::dark(),
        }
    }
}

/// A theme as a value to compare and hash: its colours, and its widths by their bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ThemeKey {
    kind: ThemeKind,
    colors: [Rgba; 11],
    widths: [u32; 2],
}

impl Theme {
    /// The key of everything this theme draws with (see [`super::cache`]).
    pub fn key(&self) -> ThemeKey {
        // Taken apart whole, so that a new field cannot be left out of the key.
        let Self {
            kind,
            water,
            land,
            land_detail,
            border,
            border_width,
            coast_width,
            graticule,
            graticule_label,
            country_label,
            text,
            text_halo,
            lines,
            points,
        } = *self;
        ThemeKey {
            kind,
            colors: [
                water,
                land,
                land_detail,
                border,
                graticule,
                graticule_label,
                country_label,
                text,
                text_halo,
                lines,
                points,
            ],
            widths: [border_width, coast_width].map(f32::to_bits),
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::light()
    }
}
