//! Checking the venues: kinds, countries, zones, positions, radii and outlines.

use super::super::raw::{At, List, Pos, RawVenue, index_in_file};
use super::Validator;
use super::sink::NamedZone;
use crate::io::json::{FieldPath, ROOT};
use crate::model::{LonLat, Venue, VenueKind};

impl Validator<'_> {
    /// The venues, and the zone of each (by index).
    pub(super) fn venues<P: Pos>(
        &mut self,
        raw: List<RawVenue<'_, P>, P>,
        dropped: &[usize],
        meta_zone: &NamedZone,
    ) -> (Vec<Venue>, Vec<NamedZone>) {
        self.list_ids(&raw, dropped, |v| &v.id, "venues", "venue");
        let list = ROOT.key("venues");
        let mut venues = Vec::with_capacity(raw.len());
        let mut zones = Vec::with_capacity(raw.len());
        for (i, venue) in raw.into_iter().enumerate() {
            let path = list.index(index_in_file(i, dropped));
            let pos = venue.pos;
            let venue = venue.value;
            let kind = self
                .sink
                .named::<VenueKind, P>(&venue.kind, path.key("kind"), "venue kind");
            if let Some(country) = &venue.country {
                self.sink.country_code(country, path.key("country"));
            }
            let zone = self.venue_zone(&venue, kind, path);
            let location = self.location(&venue, path, &pos);
            self.check_position(&venue, kind, path);
            let polygon = self.polygon(&venue, path);
            self.check_extent(&venue, kind, location.is_some(), polygon.is_empty(), path);
            // A venue with errors is kept with stand-ins (the scenario will not load anyway), so that the
            // contacts and actors that refer to it are checked without a cascade of "no venue has the id".
            let kind = kind.unwrap_or(VenueKind::Unspecified);
            let zone = zone.unwrap_or_else(|| meta_zone.clone());
            venues.push(Venue {
                id: venue.id.value.into_string(),
                name: venue.name.value.into_string(),
                kind,
                country: venue
                    .country
                    .map(|c| c.value.into_string())
                    .unwrap_or_default(),
                time_zone_name: zone.0.to_string(),
                time_zone: zone.1.clone(),
                location,
                radius_km: venue.radius_km.map(|r| r.value),
                polygon,
                importance: match kind {
                    VenueKind::Capital => 2,
                    VenueKind::City | VenueKind::Area => 1,
                    _ => 0,
                },
            });
            zones.push(zone);
        }
        (venues, zones)
    }

    /// The venue's zone; a city or a capital must have one.
    fn venue_zone<P: Pos>(
        &mut self,
        venue: &RawVenue<'_, P>,
        kind: Option<VenueKind>,
        path: FieldPath<'_>,
    ) -> Option<NamedZone> {
        let id_path = path.key("id");
        match &venue.time_zone {
            Some(name) => self.learn_zone(name, path.key("time_zone")),
            None => {
                if matches!(kind, Some(VenueKind::Capital | VenueKind::City)) {
                    self.sink
                        .error_anchored(
                            format!("venue `{}` has no time zone", venue.id.value),
                            &venue.id.pos,
                            id_path,
                            path.key("time_zone"),
                        )
                        .hint = Some(
                        "cities need their IANA zone, e.g. `time_zone = \"Asia/Tehran\"`"
                            .to_owned(),
                    );
                }
                None
            }
        }
    }

    /// A capital, a city or a country must have a position.
    fn check_position<P: Pos>(
        &mut self,
        venue: &RawVenue<'_, P>,
        kind: Option<VenueKind>,
        path: FieldPath<'_>,
    ) {
        let id_path = path.key("id");
        if venue.lon.is_none()
            && venue.lat.is_none()
            && matches!(
                kind,
                Some(VenueKind::Capital | VenueKind::City | VenueKind::Country)
            )
        {
            self.sink
                .error_anchored(
                    format!("venue `{}` has no position", venue.id.value),
                    &venue.id.pos,
                    id_path,
                    path,
                )
                .hint = Some("give its `lon` and `lat` in degrees".to_owned());
        }
    }

    /// A radius is a positive distance around a position; an area has a radius or a polygon.
    fn check_extent<P: Pos>(
        &mut self,
        venue: &RawVenue<'_, P>,
        kind: Option<VenueKind>,
        has_location: bool,
        no_polygon: bool,
        path: FieldPath<'_>,
    ) {
        let id_path = path.key("id");
        if let Some(radius) = &venue.radius_km
            && !(radius.value.is_finite() && radius.value > 0.0)
        {
            self.sink.error(
                format!("radius {} km is not a positive distance", radius.value),
                &radius.pos,
                path.key("radius_km"),
            );
        }
        if let Some(radius) = &venue.radius_km
            && !has_location
        {
            self.sink.error(
                "a radius needs a centre: give `lon` and `lat` too",
                &radius.pos,
                path.key("radius_km"),
            );
        }
        if kind == Some(VenueKind::Area) && no_polygon && venue.radius_km.is_none() {
            self.sink
                .error_anchored(
                    format!(
                        "area `{}` has neither a radius nor a polygon",
                        venue.id.value
                    ),
                    &venue.id.pos,
                    id_path,
                    path,
                )
                .hint = Some("give `lon`, `lat` and `radius_km`, or a `polygon`".to_owned());
        }
    }

    fn location<P: Pos>(
        &mut self,
        venue: &RawVenue<'_, P>,
        path: FieldPath<'_>,
        pos: &P,
    ) -> Option<LonLat> {
        match (&venue.lon, &venue.lat) {
            (Some(lon), Some(lat)) => {
                let ok_lon = self.in_range(lon, -180.0, 180.0, "longitude", path.key("lon"));
                let ok_lat = self.in_range(lat, -90.0, 90.0, "latitude", path.key("lat"));
                (ok_lon && ok_lat).then_some(LonLat {
                    lon: lon.value,
                    lat: lat.value,
                })
            }
            (None, None) => None,
            (Some(_), None) | (None, Some(_)) => {
                self.sink
                    .error("a position needs both `lon` and `lat`", pos, path);
                None
            }
        }
    }

    fn in_range<P: Pos>(
        &mut self,
        value: &At<f64, P>,
        min: f64,
        max: f64,
        what: &str,
        path: FieldPath<'_>,
    ) -> bool {
        let v = value.value;
        let ok = v.is_finite() && (min..=max).contains(&v);
        if !ok {
            let swapped = if what == "latitude" {
                " (are longitude and latitude swapped?)"
            } else {
                ""
            };
            self.sink
                .error(format!("{what} {v} is out of range"), &value.pos, path)
                .hint = Some(format!(
                "a {what} is between {min} and {max} degrees{swapped}"
            ));
        }
        ok
    }

    fn polygon<P: Pos>(&mut self, venue: &RawVenue<'_, P>, path: FieldPath<'_>) -> Vec<LonLat> {
        let Some(polygon) = &venue.polygon else {
            return Vec::new();
        };
        let polygon_path = path.key("polygon");
        let points = &polygon.value;
        let bad = points.iter().position(|[lon, lat]| {
            !(lon.is_finite()
                && lat.is_finite()
                && (-180.0..=180.0).contains(lon)
                && (-90.0..=90.0).contains(lat))
        });
        if let Some(bad) = bad {
            self.sink
                .error(
                    format!(
                        "point {bad} of the polygon is out of range: {:?}",
                        points[bad]
                    ),
                    &polygon.pos,
                    polygon_path.index(bad),
                )
                .hint = Some("each point is [lon, lat] in degrees".to_owned());
            return Vec::new();
        }
        if points.len() < 3 {
            self.sink.error(
                "a polygon needs at least 3 points",
                &polygon.pos,
                polygon_path,
            );
            return Vec::new();
        }
        points
            .iter()
            .map(|&[lon, lat]| LonLat { lon, lat })
            .collect()
    }
}
