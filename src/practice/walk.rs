//! The walk through a protocol's steps.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use super::pause::PauseTimer;
use crate::journal::{Session, StepRecord, StepStatus};
use crate::protocol::{Protocol, Step};

/// How much `+` adds to a running pause.
pub const EXTEND_BY: Duration = Duration::from_secs(30);

/// How a walk is set up.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Walk only this step (`--step ID`, or the protocol's focus).
    pub drill: Option<String>,
    /// Every pause lasts this long instead (`--scan-seconds`).
    pub pause_seconds: Option<u32>,
}

/// Where the current step is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The step's pause is offered: begin it or skip it.
    Offer,
    /// The pause is running or held.
    Pausing(PauseTimer),
    /// Reading the step and writing notes.
    Notes,
}

/// What the clinician has done on one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepState {
    pub notes: String,
    pub stage: Stage,
    pub visited: bool,
    /// Time actually paused, once a pause was begun.
    pub paused: Option<Duration>,
}

/// Something the clinician does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Tab: skip an offered pause, else go to the next step.
    Next,
    /// Shift-Tab: the previous step.
    Prev,
    /// Enter on an offered pause.
    BeginPause,
    /// Space during a pause: hold or resume.
    TogglePause,
    /// `+` during a pause.
    Extend,
    /// Enter during a pause: end it early.
    EndPause,
    /// Skip the offered pause and go to the notes.
    SkipPause,
    /// The current step's notes are now this text.
    SetNotes(String),
}

/// What an action or the passing of time changed, for the front ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Anything visible changed: redraw.
    pub changed: bool,
    /// The current step changed: a moment to autosave.
    pub moved: bool,
    /// A pause ran its full length just now: ring the bell once.
    pub pause_completed: bool,
}

/// A walk through a protocol (or one drilled step of it).
#[derive(Debug, Clone)]
pub struct Walk {
    protocol: Protocol,
    /// Indices into `protocol.steps` of the steps walked, in order.
    order: Vec<usize>,
    drill: Option<String>,
    pause_override: Option<u32>,
    current: usize,
    states: Vec<StepState>,
    session_id: String,
    started_at: DateTime<FixedOffset>,
}

impl Walk {
    /// Starts a walk at the first step. `drill` must name a step of the
    /// protocol (checked by the caller; an unknown id walks every step).
    pub fn new(
        protocol: Protocol,
        options: WalkOptions,
        session_id: String,
        started_at: DateTime<FixedOffset>,
    ) -> Self {
        let order: Vec<usize> = match &options.drill {
            Some(id) => protocol
                .steps
                .iter()
                .position(|s| &s.id == id)
                .into_iter()
                .collect(),
            None => Vec::new(),
        };
        let order = if order.is_empty() {
            (0..protocol.steps.len()).collect()
        } else {
            order
        };
        let drill = options
            .drill
            .filter(|id| protocol.steps.iter().any(|s| &s.id == id));
        let states = order
            .iter()
            .map(|&i| StepState {
                notes: String::new(),
                stage: if protocol.steps[i].pause.is_some() {
                    Stage::Offer
                } else {
                    Stage::Notes
                },
                visited: false,
                paused: None,
            })
            .collect();
        let mut walk = Walk {
            protocol,
            order,
            drill,
            pause_override: options.pause_seconds,
            current: 0,
            states,
            session_id,
            started_at,
        };
        walk.states[0].visited = true;
        walk
    }

    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    pub fn drill(&self) -> Option<&str> {
        self.drill.as_deref()
    }

    /// How many steps this walk has.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Never true: a protocol has at least one step.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The position of the current step, from 0.
    pub fn position(&self) -> usize {
        self.current
    }

    pub fn is_last(&self) -> bool {
        self.current + 1 == self.order.len()
    }

    /// The step at a position of this walk.
    pub fn step_at(&self, pos: usize) -> &Step {
        &self.protocol.steps[self.order[pos]]
    }

    pub fn state_at(&self, pos: usize) -> &StepState {
        &self.states[pos]
    }

    pub fn step(&self) -> &Step {
        self.step_at(self.current)
    }

    pub fn state(&self) -> &StepState {
        &self.states[self.current]
    }

    /// The length of the current step's pause, with `--scan-seconds` applied.
    pub fn pause_length(&self) -> Option<Duration> {
        self.step()
            .pause
            .as_ref()
            .map(|p| Duration::from_secs(u64::from(self.pause_override.unwrap_or(p.seconds))))
    }

    /// True when any step has notes with more than white space.
    pub fn has_notes(&self) -> bool {
        self.states.iter().any(|s| !s.notes.trim().is_empty())
    }

    /// Applies an action at `now`.
    pub fn apply(&mut self, action: Action, now: Instant) -> Outcome {
        let mut out = self.tick(now);
        let step_move = matches!(action, Action::Next | Action::Prev);
        let before = self.current;
        let changed = match action {
            Action::Next => match self.state().stage {
                Stage::Offer => self.skip_pause(),
                _ => self.go(self.current + 1, now),
            },
            Action::Prev => self.current > 0 && self.go(self.current - 1, now),
            Action::BeginPause => self.begin_pause(now),
            Action::SkipPause => self.skip_pause(),
            Action::TogglePause => self.with_timer(|t| t.toggle(now)),
            Action::Extend => self.with_timer(|t| t.extend(EXTEND_BY)),
            Action::EndPause => self.end_pause(now),
            Action::SetNotes(text) => {
                let state = &mut self.states[self.current];
                let changed = state.notes != text;
                state.notes = text;
                if state.stage == Stage::Offer {
                    state.stage = Stage::Notes;
                }
                changed
            }
        };
        out.changed |= changed;
        out.moved |= step_move && self.current != before;
        out
    }

    /// Lets time pass: ends a pause that has run its length.
    pub fn tick(&mut self, now: Instant) -> Outcome {
        let over = matches!(&self.state().stage, Stage::Pausing(t) if t.is_over(now));
        if over {
            self.end_pause(now);
        }
        Outcome {
            changed: over,
            moved: false,
            pause_completed: over,
        }
    }

    /// When the walk next needs waking (see [`PauseTimer::next_change`]).
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let Stage::Pausing(timer) = &self.state().stage else {
            return None;
        };
        let pause = self.step().pause.as_ref()?;
        timer.next_change(now, pause.cues.len(), pause.breath.is_some())
    }

    /// [`Walk::next_deadline`] without the pacer's frames, for a pacer shown
    /// as text: its seconds change with the pause's own clock, which is
    /// woken for anyway.
    pub fn next_deadline_without_pacer(&self, now: Instant) -> Option<Instant> {
        let Stage::Pausing(timer) = &self.state().stage else {
            return None;
        };
        let pause = self.step().pause.as_ref()?;
        timer.next_change(now, pause.cues.len(), false)
    }

    fn go(&mut self, to: usize, now: Instant) -> bool {
        if to >= self.order.len() || to == self.current {
            return false;
        }
        // Leaving during a pause keeps the time actually paused.
        if let Stage::Pausing(_) = self.state().stage {
            self.end_pause(now);
        }
        self.current = to;
        self.states[to].visited = true;
        true
    }

    fn begin_pause(&mut self, now: Instant) -> bool {
        let Some(length) = self.pause_length() else {
            return false;
        };
        let state = &mut self.states[self.current];
        if state.stage != Stage::Offer {
            return false;
        }
        state.stage = Stage::Pausing(PauseTimer::start(length, now));
        true
    }

    fn skip_pause(&mut self) -> bool {
        let state = &mut self.states[self.current];
        if state.stage != Stage::Offer {
            return false;
        }
        state.stage = Stage::Notes;
        true
    }

    fn end_pause(&mut self, now: Instant) -> bool {
        let state = &mut self.states[self.current];
        let Stage::Pausing(timer) = &state.stage else {
            return false;
        };
        let elapsed = timer.elapsed(now);
        state.paused = Some(state.paused.unwrap_or_default() + elapsed);
        state.stage = Stage::Notes;
        true
    }

    fn with_timer(&mut self, f: impl FnOnce(&mut PauseTimer)) -> bool {
        match &mut self.states[self.current].stage {
            Stage::Pausing(timer) => {
                f(timer);
                true
            }
            _ => false,
        }
    }

    /// The session as it stands: `finished_at` set means the walk is
    /// complete. A running pause counts the time paused so far.
    pub fn session(&self, now: Instant, finished_at: Option<DateTime<FixedOffset>>) -> Session {
        let complete = finished_at.is_some();
        let steps = self.records(now, complete);
        Session {
            id: self.session_id.clone(),
            mode: "practice".into(),
            protocol: self.protocol.id.clone(),
            protocol_title: self.protocol.title.clone(),
            drill: self.drill.clone(),
            started_at: self.started_at,
            finished_at,
            complete,
            steps,
            extra: Default::default(),
        }
    }

    /// Each step as it would be saved now, finished (`complete`) or not.
    pub fn records(&self, now: Instant, complete: bool) -> Vec<StepRecord> {
        (0..self.order.len())
            .map(|pos| self.record(pos, now, complete))
            .collect()
    }

    fn record(&self, pos: usize, now: Instant, complete: bool) -> StepRecord {
        let step = self.step_at(pos);
        let state = &self.states[pos];
        let running = match &state.stage {
            Stage::Pausing(t) => Some(t.elapsed(now)),
            _ => None,
        };
        let paused = match (state.paused, running) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or_default() + b.unwrap_or_default()),
        };
        let has_notes = !state.notes.trim().is_empty();
        let status = if step.follow_up && !has_notes && (complete || state.visited) {
            StepStatus::FollowUp
        } else if !state.visited {
            StepStatus::NotReached
        } else if has_notes || paused.is_some() {
            StepStatus::Done
        } else {
            StepStatus::Skipped
        };
        StepRecord {
            id: step.id.clone(),
            title: step.title.clone(),
            status,
            notes: state.notes.clone(),
            pause_seconds: paused.map(|d| (d.as_secs_f64()).round() as u64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::builtin;

    fn start() -> (Walk, Instant) {
        start_with(WalkOptions::default())
    }

    fn start_with(options: WalkOptions) -> (Walk, Instant) {
        let at = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        (
            Walk::new(builtin(), options, "20261124-090000-abcd".into(), at),
            Instant::now(),
        )
    }

    fn s(x: f64) -> Duration {
        Duration::from_secs_f64(x)
    }

    #[test]
    fn a_step_with_a_pause_offers_it_first() {
        let (mut w, t0) = start();
        assert_eq!(w.step().id, "scan");
        assert_eq!(w.state().stage, Stage::Offer);
        assert_eq!(w.pause_length(), Some(s(90.0)));
        // Tab on the offer skips the pause and stays on the step.
        let out = w.apply(Action::Next, t0);
        assert!(out.changed && !out.moved);
        assert_eq!(w.state().stage, Stage::Notes);
        assert_eq!(w.position(), 0);
        let out = w.apply(Action::Next, t0);
        assert!(out.moved);
        assert_eq!(w.step().id, "reflect");
    }

    #[test]
    fn the_pause_runs_out_and_opens_the_notes_once() {
        let (mut w, t0) = start();
        w.apply(Action::BeginPause, t0);
        assert!(matches!(w.state().stage, Stage::Pausing(_)));
        assert!(!w.tick(t0 + s(89.9)).pause_completed);
        let out = w.tick(t0 + s(90.05));
        assert!(out.pause_completed && out.changed);
        assert_eq!(w.state().stage, Stage::Notes);
        assert!(!w.tick(t0 + s(95.0)).pause_completed, "the bell rings once");
        assert_eq!(w.state().paused, Some(s(90.0)));
    }

    #[test]
    fn hold_extend_and_end_early() {
        let (mut w, t0) = start_with(WalkOptions {
            pause_seconds: Some(10),
            ..Default::default()
        });
        w.apply(Action::BeginPause, t0);
        w.apply(Action::TogglePause, t0 + s(4.0));
        assert!(!w.tick(t0 + s(60.0)).pause_completed, "held pauses wait");
        w.apply(Action::TogglePause, t0 + s(60.0));
        w.apply(Action::Extend, t0 + s(61.0));
        assert!(w.next_deadline(t0 + s(61.0)).is_some());
        let out = w.apply(Action::EndPause, t0 + s(62.0));
        assert!(
            out.changed && !out.pause_completed,
            "no bell when ended early"
        );
        assert_eq!(w.state().paused, Some(s(6.0)));
        assert_eq!(w.next_deadline(t0 + s(62.0)), None);
    }

    #[test]
    fn notes_stay_with_their_step() {
        let (mut w, t0) = start();
        w.apply(Action::SetNotes("tight chest".into()), t0);
        assert_eq!(w.state().stage, Stage::Notes, "typing opens the notes");
        w.apply(Action::Next, t0);
        w.apply(Action::SetNotes("I wonder if...".into()), t0);
        w.apply(Action::Prev, t0);
        assert_eq!(w.state().notes, "tight chest");
        w.apply(Action::Next, t0);
        assert_eq!(w.state().notes, "I wonder if...");
        assert!(w.apply(Action::Prev, t0).moved);
        assert!(
            !w.apply(Action::Prev, t0).changed,
            "no step before the first"
        );
    }

    #[test]
    fn statuses_at_the_end() {
        let (mut w, t0) = start();
        w.apply(Action::BeginPause, t0);
        w.apply(Action::EndPause, t0 + s(30.4));
        w.apply(Action::Next, t0 + s(31.0)); // reflect
        w.apply(Action::SetNotes("guess lightly".into()), t0);
        w.apply(Action::Next, t0); // validate: left empty
        w.apply(Action::Next, t0); // mend: last reached
        let done = DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap();
        let session = w.session(t0 + s(40.0), Some(done));
        let statuses: Vec<_> = session.steps.iter().map(|s| s.status.as_str()).collect();
        assert_eq!(
            statuses,
            [
                "done",
                "done",
                "skipped",
                "skipped",
                "follow-up",
                "not-reached"
            ]
        );
        assert_eq!(session.steps[0].pause_seconds, Some(30));
        assert_eq!(session.steps[1].pause_seconds, None);
        assert!(session.complete);
        assert_eq!(session.finished_at, Some(done));

        let unfinished = w.session(t0 + s(40.0), None);
        assert!(!unfinished.complete && unfinished.finished_at.is_none());
        assert_eq!(unfinished.steps[4].status, StepStatus::NotReached);
    }

    #[test]
    fn drilling_walks_one_step() {
        let (mut w, t0) = start_with(WalkOptions {
            drill: Some("validate".into()),
            pause_seconds: Some(5),
        });
        assert_eq!(w.len(), 1);
        assert_eq!(w.step().id, "validate");
        assert!(w.is_last());
        assert!(!w.apply(Action::Next, t0).changed);
        let session = w.session(t0, None);
        assert_eq!(session.drill.as_deref(), Some("validate"));
        assert_eq!(session.steps.len(), 1);
    }

    #[test]
    fn leaving_a_running_pause_keeps_the_time_paused() {
        let (mut w, t0) = start();
        w.apply(Action::BeginPause, t0);
        let session = w.session(t0 + s(12.0), None);
        assert_eq!(session.steps[0].pause_seconds, Some(12));
        w.apply(Action::Next, t0 + s(20.0));
        assert_eq!(w.position(), 1);
        assert_eq!(w.state_at(0).paused, Some(s(20.0)));
        assert_eq!(w.state_at(0).stage, Stage::Notes);
    }
}
