//! The pause timer: a monotonic countdown that can be held, resumed and
//! lengthened. Time is always passed in, so tests never sleep.

use std::time::{Duration, Instant};

use crate::protocol::Breath;

/// How often the breathing pacer is redrawn: at most ten frames a second.
pub const PACER_FRAME: Duration = Duration::from_millis(100);

/// A countdown on the monotonic clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseTimer {
    length: Duration,
    /// Time run before the current stretch (or in total, while held).
    banked: Duration,
    /// When the current stretch began; `None` while held.
    running_since: Option<Instant>,
}

/// Where the breathing pacer is at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreathPhase {
    pub inhaling: bool,
    /// How far through the phase, 0.0 to 1.0.
    pub fraction: f64,
    /// Whole seconds left in the phase, counting the current one (1 at least).
    pub seconds_left: u32,
}

impl PauseTimer {
    /// A timer of `length` that starts running at `now`.
    pub fn start(length: Duration, now: Instant) -> Self {
        PauseTimer {
            length,
            banked: Duration::ZERO,
            running_since: Some(now),
        }
    }

    pub fn length(&self) -> Duration {
        self.length
    }

    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    /// Time actually spent paused, capped at the length.
    pub fn elapsed(&self, now: Instant) -> Duration {
        let run = self
            .running_since
            .map_or(Duration::ZERO, |since| now.saturating_duration_since(since));
        (self.banked + run).min(self.length)
    }

    pub fn remaining(&self, now: Instant) -> Duration {
        self.length - self.elapsed(now)
    }

    pub fn is_over(&self, now: Instant) -> bool {
        self.remaining(now).is_zero()
    }

    /// Fraction done, 0.0 to 1.0.
    pub fn progress(&self, now: Instant) -> f64 {
        if self.length.is_zero() {
            return 1.0;
        }
        self.elapsed(now).as_secs_f64() / self.length.as_secs_f64()
    }

    /// Holds a running timer, or resumes a held one.
    pub fn toggle(&mut self, now: Instant) {
        match self.running_since.take() {
            Some(since) => self.banked += now.saturating_duration_since(since),
            None => self.running_since = Some(now),
        }
    }

    /// Adds time to the end.
    pub fn extend(&mut self, by: Duration) {
        self.length += by;
    }

    /// The seconds shown to the user: the time left rounded up, so the
    /// display reads 0 only when the pause is over.
    pub fn display_seconds(&self, now: Instant) -> u64 {
        let rem = self.remaining(now);
        rem.as_secs() + u64::from(rem.subsec_nanos() > 0)
    }

    /// Which cue of `count` is showing: the pause is shared out evenly.
    /// Integer nanoseconds, so the index and [`Self::next_change`] agree
    /// exactly on where each cue begins.
    pub fn cue_index(&self, now: Instant, count: usize) -> Option<usize> {
        if count == 0 {
            return None;
        }
        let length = self.length.as_nanos().max(1);
        let i = self.elapsed(now).as_nanos() * count as u128 / length;
        Some((i as usize).min(count - 1))
    }

    /// When the cue after the current one begins, if one does.
    fn next_cue_at(&self, now: Instant, count: usize) -> Option<Duration> {
        let i = self.cue_index(now, count)? + 1;
        if i >= count {
            return None;
        }
        // The first nanosecond at which `cue_index` gives `i`.
        let begins = (self.length.as_nanos() * i as u128).div_ceil(count as u128);
        let elapsed = self.elapsed(now).as_nanos();
        u64::try_from(begins.saturating_sub(elapsed))
            .ok()
            .map(Duration::from_nanos)
    }

    /// The pacer's phase: inhale then exhale, round and round.
    pub fn breath(&self, now: Instant, breath: Breath) -> BreathPhase {
        let cycle_ms = u128::from(breath.inhale + breath.exhale) * 1000;
        let at = self.elapsed(now).as_millis() % cycle_ms.max(1);
        let inhale_ms = u128::from(breath.inhale) * 1000;
        let (inhaling, into, phase_ms) = if at < inhale_ms {
            (true, at, inhale_ms)
        } else {
            (false, at - inhale_ms, cycle_ms - inhale_ms)
        };
        let left_ms = phase_ms - into;
        BreathPhase {
            inhaling,
            fraction: into as f64 / phase_ms.max(1) as f64,
            seconds_left: left_ms.div_ceil(1000).max(1) as u32,
        }
    }

    /// When the displayed second next changes (the end included); `None`
    /// while held.
    pub fn next_second(&self, now: Instant) -> Option<Instant> {
        self.next_change(now, 0, false)
    }

    /// When something the user can see next changes: the displayed second,
    /// the next cue, the end, or (with a pacer) the next pacer frame. `None`
    /// while held: a held pause needs no wake-ups at all.
    pub fn next_change(&self, now: Instant, cues: usize, pacer: bool) -> Option<Instant> {
        self.running_since?;
        let rem = self.remaining(now);
        if rem.is_zero() {
            return Some(now);
        }
        let sub = Duration::new(0, rem.subsec_nanos());
        let mut wait = if sub.is_zero() {
            Duration::from_secs(1)
        } else {
            sub
        };
        if let Some(next) = self.next_cue_at(now, cues) {
            wait = wait.min(next);
        }
        if pacer {
            wait = wait.min(PACER_FRAME);
        }
        Some(now + wait.min(rem))
    }
}

/// A length in words: "3 minutes", "90 seconds", "1 minute 30 seconds".
pub fn length_words(seconds: u32) -> String {
    let plural = |n: u32, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    match (seconds / 60, seconds % 60) {
        (0, s) => plural(s, "second"),
        (m, 0) => plural(m, "minute"),
        (m, s) => format!("{} {}", plural(m, "minute"), plural(s, "second")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn counts_down_on_the_given_clock() {
        let t0 = Instant::now();
        let t = PauseTimer::start(secs(90.0), t0);
        assert_eq!(t.display_seconds(t0), 90);
        assert_eq!(t.display_seconds(t0 + secs(0.2)), 90);
        assert_eq!(t.display_seconds(t0 + secs(1.0)), 89);
        assert!(!t.is_over(t0 + secs(89.9)));
        assert!(t.is_over(t0 + secs(90.0)));
        assert_eq!(t.elapsed(t0 + secs(500.0)), secs(90.0));
    }

    #[test]
    fn holding_stops_the_clock_and_resuming_goes_on() {
        let t0 = Instant::now();
        let mut t = PauseTimer::start(secs(10.0), t0);
        t.toggle(t0 + secs(3.0));
        assert!(!t.is_running());
        assert_eq!(t.remaining(t0 + secs(100.0)), secs(7.0));
        t.toggle(t0 + secs(100.0));
        assert_eq!(t.remaining(t0 + secs(102.0)), secs(5.0));
        assert!(t.is_over(t0 + secs(107.0)));
    }

    #[test]
    fn extending_adds_to_the_end() {
        let t0 = Instant::now();
        let mut t = PauseTimer::start(secs(10.0), t0);
        t.extend(secs(30.0));
        assert_eq!(t.display_seconds(t0 + secs(10.0)), 30);
        assert!((t.progress(t0 + secs(20.0)) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn cues_share_the_pause_evenly() {
        let t0 = Instant::now();
        let t = PauseTimer::start(secs(60.0), t0);
        assert_eq!(t.cue_index(t0, 3), Some(0));
        assert_eq!(t.cue_index(t0 + secs(20.0), 3), Some(1));
        assert_eq!(t.cue_index(t0 + secs(59.0), 3), Some(2));
        assert_eq!(t.cue_index(t0 + secs(60.0), 3), Some(2));
        assert_eq!(t.cue_index(t0, 0), None);
    }

    #[test]
    fn every_wake_up_moves_time_forward() {
        // Six cues in 2 s put boundaries at thirds of a second, which floating
        // point cannot hit exactly; waking must still always make progress.
        let t0 = Instant::now();
        let t = PauseTimer::start(secs(2.0), t0);
        let mut now = t0;
        let mut wakes = 0;
        let mut cue = t.cue_index(now, 6);
        let mut cues_seen = 1;
        while let Some(at) = t.next_change(now, 6, true) {
            assert!(at > now || t.is_over(now), "no progress at {:?}", now - t0);
            if t.is_over(now) {
                break;
            }
            now = at;
            wakes += 1;
            assert!(wakes < 100, "at most ten wakes a second");
            if t.cue_index(now, 6) != cue {
                cue = t.cue_index(now, 6);
                cues_seen += 1;
            }
        }
        assert_eq!(cues_seen, 6);
    }

    #[test]
    fn breath_goes_in_then_out() {
        let t0 = Instant::now();
        let t = PauseTimer::start(secs(60.0), t0);
        let b = Breath {
            inhale: 4,
            exhale: 6,
        };
        let p = t.breath(t0 + secs(1.0), b);
        assert!(p.inhaling);
        assert_eq!(p.seconds_left, 3);
        assert!((p.fraction - 0.25).abs() < 1e-9);
        let p = t.breath(t0 + secs(7.0), b);
        assert!(!p.inhaling);
        assert_eq!(p.seconds_left, 3);
        assert!(t.breath(t0 + secs(10.0), b).inhaling);
    }

    #[test]
    fn wakes_only_when_something_visible_changes() {
        let t0 = Instant::now();
        let mut t = PauseTimer::start(secs(10.0), t0);
        // The displayed second changes 1 s after the start, not before.
        assert_eq!(t.next_change(t0, 0, false), Some(t0 + secs(1.0)));
        assert_eq!(
            t.next_change(t0 + secs(0.25), 0, false),
            Some(t0 + secs(1.0))
        );
        // With a pacer: at most ten frames a second.
        assert_eq!(t.next_change(t0, 0, true), Some(t0 + PACER_FRAME));
        // A cue boundary before the next second.
        let c = PauseTimer::start(secs(1.5), t0);
        assert_eq!(
            c.next_change(t0 + secs(0.6), 2, false),
            Some(t0 + secs(0.75))
        );
        // Held: nothing to wake for.
        t.toggle(t0 + secs(2.0));
        assert_eq!(t.next_change(t0 + secs(2.0), 0, true), None);
    }
}
