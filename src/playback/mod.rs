//! The clock: where the user is in time, and whether and how fast it moves.
//!
//! Plain state, no egui: the UI reads a [`TimeControl`] and sends it commands; the app advances it once a
//! frame with [`TimeControl::update`]. A stalled frame never jumps the clock (at most 0.1 s is counted).

use jiff::{SignedDuration, Timestamp};

/// How scenario time moves while playing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Speed {
    /// Scenario seconds per real second: 60 is a minute per second, 86,400 a day per second.
    pub scenario_secs_per_sec: f64,
}

impl Speed {
    pub const MINUTE_PER_SEC: Self = Self::per_sec(60.0);
    pub const HOUR_PER_SEC: Self = Self::per_sec(3600.0);
    pub const DAY_PER_SEC: Self = Self::per_sec(86_400.0);

    pub const fn per_sec(scenario_secs_per_sec: f64) -> Self {
        Self {
            scenario_secs_per_sec,
        }
    }
}

impl Default for Speed {
    fn default() -> Self {
        Self::per_sec(4.0 * 3600.0)
    }
}

/// What the user asks of the clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TimeCommand {
    Play,
    Pause,
    TogglePlay,
    /// Go to a time, clamped to the range (scrubbing).
    SetTime(Timestamp),
    SetSpeed(Speed),
    SetLooping(bool),
}

/// What an update did, so the app knows whether to repaint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeResponse {
    pub needs_repaint: bool,
    pub time_changed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimeControl {
    time: Timestamp,
    range: (Timestamp, Timestamp),
    playing: bool,
    speed: Speed,
    looping: bool,
}

impl TimeControl {
    /// A paused clock at the start of `range`.
    pub fn new(range: (Timestamp, Timestamp)) -> Self {
        let range = (range.0.min(range.1), range.0.max(range.1));
        Self {
            time: range.0,
            range,
            playing: false,
            speed: Speed::default(),
            looping: false,
        }
    }

    pub fn time(&self) -> Timestamp {
        self.time
    }

    pub fn range(&self) -> (Timestamp, Timestamp) {
        self.range
    }

    pub fn is_playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> Speed {
        self.speed
    }

    pub fn is_looping(&self) -> bool {
        self.looping
    }

    /// Changes the range (a new scenario), keeping the current time if it is inside.
    pub fn set_range(&mut self, range: (Timestamp, Timestamp)) {
        self.range = (range.0.min(range.1), range.0.max(range.1));
        self.time = self.clamp(self.time);
    }

    fn clamp(&self, t: Timestamp) -> Timestamp {
        t.clamp(self.range.0, self.range.1)
    }

    pub fn apply(&mut self, command: TimeCommand) -> TimeResponse {
        let before = self.time;
        match command {
            TimeCommand::Play => self.play(),
            TimeCommand::Pause => self.playing = false,
            TimeCommand::TogglePlay => {
                if self.playing {
                    self.playing = false;
                } else {
                    self.play();
                }
            }
            TimeCommand::SetTime(t) => self.time = self.clamp(t),
            TimeCommand::SetSpeed(speed) => {
                if speed.scenario_secs_per_sec.is_finite() && speed.scenario_secs_per_sec > 0.0 {
                    self.speed = speed;
                }
            }
            TimeCommand::SetLooping(looping) => self.looping = looping,
        }
        TimeResponse {
            needs_repaint: true,
            time_changed: self.time != before,
        }
    }

    /// Starting at the end replays from the start.
    fn play(&mut self) {
        if self.time >= self.range.1 {
            self.time = self.range.0;
        }
        self.playing = true;
    }

    /// Advances the clock by a frame of `dt_secs` real seconds.
    pub fn update(&mut self, dt_secs: f64) -> TimeResponse {
        if !self.playing {
            return TimeResponse::default();
        }
        let dt = dt_secs.clamp(0.0, 0.1) * self.speed.scenario_secs_per_sec;
        let before = self.time;
        let advanced = SignedDuration::try_from_secs_f64(dt)
            .ok()
            .and_then(|d| self.time.checked_add(d).ok())
            .unwrap_or(self.range.1);
        if advanced >= self.range.1 {
            if self.looping {
                self.time = self.range.0;
            } else {
                self.time = self.range.1;
                self.playing = false;
            }
        } else {
            self.time = advanced;
        }
        TimeResponse {
            needs_repaint: true,
            time_changed: self.time != before,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn clock() -> TimeControl {
        TimeControl::new((ts("2026-01-30T00:00:00Z"), ts("2026-02-01T00:00:00Z")))
    }

    #[test]
    fn playing_advances_time_by_speed() {
        let mut c = clock();
        c.apply(TimeCommand::SetSpeed(Speed::HOUR_PER_SEC));
        c.apply(TimeCommand::Play);
        let r = c.update(0.05);
        assert!(r.time_changed);
        assert_eq!(c.time(), ts("2026-01-30T00:03:00Z"));
    }

    #[test]
    fn a_stalled_frame_counts_as_a_tenth_of_a_second() {
        let mut c = clock();
        c.apply(TimeCommand::SetSpeed(Speed::HOUR_PER_SEC));
        c.apply(TimeCommand::Play);
        c.update(5.0);
        assert_eq!(c.time(), ts("2026-01-30T00:06:00Z"));
    }

    #[test]
    fn paused_clock_does_not_move_or_repaint() {
        let mut c = clock();
        assert_eq!(c.update(0.05), TimeResponse::default());
        assert_eq!(c.time(), ts("2026-01-30T00:00:00Z"));
    }

    #[test]
    fn playback_stops_at_the_end_unless_looping() {
        let mut c = clock();
        c.apply(TimeCommand::SetTime(ts("2026-01-31T23:59:59Z")));
        c.apply(TimeCommand::SetSpeed(Speed::DAY_PER_SEC));
        c.apply(TimeCommand::Play);
        c.update(0.1);
        assert_eq!(c.time(), ts("2026-02-01T00:00:00Z"));
        assert!(!c.is_playing());

        c.apply(TimeCommand::SetLooping(true));
        c.apply(TimeCommand::SetTime(ts("2026-01-31T23:59:59Z")));
        c.apply(TimeCommand::Play);
        c.update(0.1);
        assert_eq!(c.time(), ts("2026-01-30T00:00:00Z"));
        assert!(c.is_playing());
    }

    #[test]
    fn scrubbing_is_clamped_to_the_range() {
        let mut c = clock();
        c.apply(TimeCommand::SetTime(ts("2030-01-01T00:00:00Z")));
        assert_eq!(c.time(), ts("2026-02-01T00:00:00Z"));
    }

    #[test]
    fn play_at_the_end_restarts_from_the_beginning() {
        let mut c = clock();
        c.apply(TimeCommand::SetTime(ts("2026-02-01T00:00:00Z")));
        c.apply(TimeCommand::Play);
        assert_eq!(c.time(), ts("2026-01-30T00:00:00Z"));
    }
}
