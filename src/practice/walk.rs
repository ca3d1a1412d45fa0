//! The walk through a protocol's steps.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use super::pause::PauseTimer;
use crate::journal::{Session, StepRecord, StepStatus};
use crate::protocol::{Breath, Protocol, Step};

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
    /// Go straight to the step at this position (the rail, Alt-number).
    GoTo(usize),
    /// Offer the current step's pause again, once it was taken or skipped.
    PauseAgain,
    /// `b` during a pause whose step offers a pacer: turn the breathing
    /// pacer on or off, for the rest of this walk.
    TogglePacer,
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
    /// The clinician's choice of breathing pacer for this walk: `None`
    /// follows each pause's `on`; `Some(on)` turns every offered pacer on
    /// or off.
    pacer_choice: Option<bool>,
    current: usize,
    states: Vec<StepState>,
    session_id: String,
    started_at: DateTime<FixedOffset>,
    /// The session's mode ("practice" for a new walk; kept when resuming).
    mode: crate::journal::SessionMode,
    /// Where each step of the saved record comes from, in record order.
    layout: Vec<Slot>,
    /// Steps of a resumed or followed-up session that this walk does not
    /// walk (not in the protocol any more, or not open): kept as they were,
    /// notes and all.
    carried: Vec<StepRecord>,
    /// For a follow-up walk: the session's `complete` and `finished_at`
    /// before it, kept until the follow-up is finished.
    before: Option<(bool, Option<DateTime<FixedOffset>>)>,
    /// Set once the notes are kept as a conflict copy: the session they
    /// were opened from.
    copy_of: Option<String>,
    /// What a newer version wrote into a resumed or followed-up session
    /// that this one does not know: the session's own fields, and each
    /// walked step's by its id. Written back unchanged at every save.
    newer: serde_json::Map<String, serde_json::Value>,
    step_newer: std::collections::HashMap<String, serde_json::Map<String, serde_json::Value>>,
}

/// One step of the saved record: walked here, or carried over unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Walked(usize),
    Carried(usize),
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
            pacer_choice: None,
            current: 0,
            states,
            session_id,
            started_at,
            mode: crate::journal::SessionMode::Practice,
            layout: Vec::new(),
            carried: Vec::new(),
            before: None,
            copy_of: None,
            newer: Default::default(),
            step_newer: Default::default(),
        };
        walk.layout = (0..walk.order.len()).map(Slot::Walked).collect();
        walk.states[0].visited = true;
        walk
    }

    /// Continues an unfinished session where it stopped: the same id, start
    /// time, mode and drill; each step's notes and time paused come back by
    /// step id, and the walk opens on the last step visited. Steps of the
    /// session that the protocol no longer has keep their notes in the
    /// record (after the walked steps).
    pub fn resume(protocol: Protocol, session: &Session, pause_seconds: Option<u32>) -> Self {
        let options = WalkOptions {
            drill: session.drill.clone(),
            pause_seconds,
        };
        let mut walk = Walk::new(protocol, options, session.id.clone(), session.started_at);
        walk.mode = session.mode.clone();
        walk.copy_of = session.extra.copy_of.clone();
        walk.keep_newer(session);
        let mut last_visited = 0;
        for pos in 0..walk.order.len() {
            let id = walk.step_at(pos).id.clone();
            let Some(record) = session.steps.iter().find(|r| r.id == id) else {
                walk.states[pos].visited = false;
                continue;
            };
            let state = &mut walk.states[pos];
            state.notes = record.notes.clone();
            state.paused = record.pause_seconds.map(Duration::from_secs);
            state.visited = record.status != StepStatus::NotReached;
            if state.visited {
                state.stage = Stage::Notes;
                last_visited = pos;
            }
        }
        walk.carry_others(session);
        // The step that was showing when it was saved, else the last visited.
        let showing = session
            .extra
            .at_step
            .as_ref()
            .and_then(|id| (0..walk.order.len()).find(|&p| *walk.step_at(p).id == **id));
        walk.current = showing.unwrap_or(last_visited);
        let current = walk.current;
        walk.states[current].visited = true;
        walk
    }

    /// A walk over just the open follow-up steps of a session, saving back
    /// into the same session (same id, mode and start; `finished_at` set
    /// anew when the follow-up is finished). Every other step is carried
    /// over unchanged, in its place. `None` when no open follow-up step of
    /// the session is in this protocol.
    pub fn follow_up(
        protocol: Protocol,
        session: &Session,
        pause_seconds: Option<u32>,
    ) -> Option<Self> {
        let order: Vec<usize> = session
            .steps
            .iter()
            .filter(|r| r.status == StepStatus::FollowUp)
            .filter_map(|r| protocol.steps.iter().position(|s| s.id == r.id))
            .collect();
        if order.is_empty() {
            return None;
        }
        let mut walk = Walk::new(
            protocol,
            WalkOptions {
                drill: None,
                pause_seconds,
            },
            session.id.clone(),
            session.started_at,
        );
        walk.drill = session.drill.clone();
        walk.mode = session.mode.clone();
        walk.before = Some((session.complete, session.finished_at));
        walk.copy_of = session.extra.copy_of.clone();
        walk.keep_newer(session);
        walk.states = order
            .iter()
            .map(|&i| {
                let record = session
                    .steps
                    .iter()
                    .find(|r| r.id == walk.protocol.steps[i].id);
                StepState {
                    notes: record.map(|r| r.notes.clone()).unwrap_or_default(),
                    stage: if walk.protocol.steps[i].pause.is_some() {
                        Stage::Offer
                    } else {
                        Stage::Notes
                    },
                    // Visited in the original walk: left empty, it stays open.
                    visited: true,
                    paused: record
                        .and_then(|r| r.pause_seconds)
                        .map(Duration::from_secs),
                }
            })
            .collect();
        walk.order = order;
        walk.current = 0;
        // The record keeps the session's own order of steps.
        walk.carried.clear();
        walk.layout.clear();
        for record in &session.steps {
            let walked = (record.status == StepStatus::FollowUp)
                .then(|| {
                    walk.order
                        .iter()
                        .position(|&i| walk.protocol.steps[i].id == record.id)
                })
                .flatten();
            match walked {
                Some(pos) => walk.layout.push(Slot::Walked(pos)),
                None => {
                    walk.layout.push(Slot::Carried(walk.carried.len()));
                    walk.carried.push(record.clone());
                }
            }
        }
        Some(walk)
    }

    /// Carries every step of `session` this walk does not walk.
    fn carry_others(&mut self, session: &Session) {
        for record in &session.steps {
            let walked = self
                .order
                .iter()
                .any(|&i| self.protocol.steps[i].id == record.id);
            if !walked {
                self.layout.push(Slot::Carried(self.carried.len()));
                self.carried.push(record.clone());
            }
        }
    }

    /// The same session (id and start), drilling the step `id` instead: for
    /// the start screen's offer of this month's step, before anything is done.
    pub fn drill_instead(&self, id: &str) -> Walk {
        Walk::new(
            self.protocol.clone(),
            WalkOptions {
                drill: Some(id.to_owned()),
                pause_seconds: self.pause_override,
            },
            self.session_id.clone(),
            self.started_at,
        )
    }

    /// The state of the step at `pos` as it would be saved part-way: for
    /// the step rail.
    pub fn status_at(&self, pos: usize) -> StepStatus {
        let step = self.step_at(pos);
        let state = &self.states[pos];
        let has_notes = !state.notes.trim().is_empty();
        let paused = state.paused.is_some() || matches!(state.stage, Stage::Pausing(_));
        if !state.visited {
            StepStatus::NotReached
        } else if has_notes || paused {
            StepStatus::Done
        } else if step.follow_up {
            StepStatus::FollowUp
        } else {
            StepStatus::Skipped
        }
    }

    /// Whether this walk does the open follow-up steps of an earlier session.
    pub fn is_follow_up(&self) -> bool {
        self.before.is_some()
    }

    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// The session these notes were opened from, once they are kept as a
    /// conflict copy.
    pub fn copy_of(&self) -> Option<&str> {
        self.copy_of.as_deref()
    }

    /// The notes from here on are kept as a new session `id`, a conflict
    /// copy naming the session they were opened from (which was changed or
    /// deleted elsewhere meanwhile). Everything else stays as it is.
    pub fn become_copy(&mut self, id: String) {
        let original = std::mem::replace(&mut self.session_id, id);
        self.copy_of.get_or_insert(original);
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

    /// The breathing pacer of the current step's pause as it stands: the
    /// file's choice (`Pause.breath`) until the clinician turns the pacer on
    /// or off, then the offered one (`Pause.pacer`) or none.
    pub fn breath(&self) -> Option<Breath> {
        let pause = self.step().pause.as_ref()?;
        match self.pacer_choice {
            None => pause.breath,
            Some(true) => pause.pacer,
            Some(false) => None,
        }
    }

    /// True when the current step's pause is running or held and offers a
    /// pacer to turn on or off.
    pub fn pacer_offered(&self) -> bool {
        matches!(self.state().stage, Stage::Pausing(_))
            && self
                .step()
                .pause
                .as_ref()
                .is_some_and(|p| p.pacer.is_some())
    }

    /// True when any step has notes with more than white space.
    pub fn has_notes(&self) -> bool {
        self.states.iter().any(|s| !s.notes.trim().is_empty())
    }

    /// True when there is anything to keep: notes, or a pause taken (or
    /// under way). A walk with neither keeps nothing.
    pub fn worth_keeping(&self) -> bool {
        self.has_notes()
            || self
                .states
                .iter()
                .any(|s| s.paused.is_some() || matches!(s.stage, Stage::Pausing(_)))
    }

    /// True once the walk has begun: a pause taken (or under way), notes
    /// written, or a step other than the first opened. From then on the
    /// start screen's offers (open a follow-up, resume another walk) would
    /// set this walk aside, so they are off.
    pub fn has_begun(&self) -> bool {
        self.worth_keeping() || self.current != 0 || self.states.iter().skip(1).any(|s| s.visited)
    }

    /// Applies an action at `now`.
    pub fn apply(&mut self, action: Action, now: Instant) -> Outcome {
        let mut out = self.tick(now);
        let step_move = matches!(action, Action::Next | Action::Prev | Action::GoTo(_));
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
            Action::GoTo(pos) => self.go(pos, now),
            Action::PauseAgain => self.pause_again(),
            Action::TogglePacer => self.toggle_pacer(),
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
        timer.next_change(now, pause.cues.len(), self.breath().is_some())
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

    fn toggle_pacer(&mut self) -> bool {
        if !self.pacer_offered() {
            return false;
        }
        self.pacer_choice = Some(self.breath().is_none());
        true
    }

    fn pause_again(&mut self) -> bool {
        if self.step().pause.is_none() {
            return false;
        }
        let state = &mut self.states[self.current];
        if state.stage != Stage::Notes {
            return false;
        }
        state.stage = Stage::Offer;
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

    /// Keeps what a newer version wrote into `session` (see `newer`).
    fn keep_newer(&mut self, session: &Session) {
        self.newer = session.extra.newer.clone();
        self.step_newer = session
            .steps
            .iter()
            .filter(|r| !r.newer.is_empty())
            .map(|r| (r.id.clone(), r.newer.clone()))
            .collect();
    }

    /// The session as it stands: `finished_at` set means the walk is
    /// complete. A running pause counts the time paused so far.
    pub fn session(&self, now: Instant, finished_at: Option<DateTime<FixedOffset>>) -> Session {
        let complete = finished_at.is_some();
        let steps = self.records(now, complete);
        // A follow-up saved part-way leaves the session as finished as it was.
        let (complete, finished_at) = match self.before {
            Some((was_complete, was_finished)) if finished_at.is_none() => {
                (was_complete, was_finished)
            }
            _ => (complete, finished_at),
        };
        Session {
            id: self.session_id.clone(),
            mode: self.mode.clone(),
            protocol: self.protocol.id.clone(),
            protocol_title: self.protocol.title.clone(),
            drill: self.drill.clone(),
            started_at: self.started_at,
            finished_at,
            complete,
            steps,
            extra: crate::journal::Extra {
                // Where an unfinished walk stands, for a resume to open on.
                at_step: (!complete && self.before.is_none())
                    .then(|| self.step().id.as_str().into()),
                copy_of: self.copy_of.clone(),
                newer: self.newer.clone(),
                ..Default::default()
            },
        }
    }

    /// Each step as it would be saved now, finished (`complete`) or not.
    pub fn records(&self, now: Instant, complete: bool) -> Vec<StepRecord> {
        self.layout
            .iter()
            .map(|slot| match *slot {
                Slot::Walked(pos) => self.record(pos, now, complete),
                Slot::Carried(i) => self.carried[i].clone(),
            })
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
        // A follow-up saved part-way stays open, notes and all, so it can
        // be found and finished later.
        // A step never opened stays not reached, even a follow-up step of a
        // walk finished early: no reminder for a step the clinician skipped
        // past by ending (whether a follow-up is due is `review::state`).
        let open_follow_up = self.before.is_some() && !complete;
        let status = if step.follow_up && (open_follow_up || !has_notes && state.visited) {
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
            newer: self.step_newer.get(&step.id).cloned().unwrap_or_default(),
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

    /// A session written by a newer version keeps the fields this one
    /// does not know, its own and its steps', through a resume and a save.
    #[test]
    fn a_resumed_walk_writes_back_what_a_newer_version_wrote() {
        let (walk, now) = start();
        let mut session = walk.session(now, None);
        session
            .extra
            .newer
            .insert("mood_after".into(), serde_json::json!("lighter"));
        session.steps[0]
            .newer
            .insert("tone".into(), serde_json::json!("gentle"));
        let resumed = Walk::resume(builtin(), &session, None);
        let saved = resumed.session(now, None);
        assert_eq!(
            saved.extra.newer["mood_after"],
            serde_json::json!("lighter")
        );
        assert_eq!(saved.steps[0].newer["tone"], serde_json::json!("gentle"));
        assert!(saved.steps[1].newer.is_empty());
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
                // Ended before the follow-up step was opened: no reminder.
                "not-reached",
                "not-reached"
            ]
        );
        assert_eq!(
            crate::journal::review::state(&session),
            crate::journal::review::SessionState::Finished
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

    #[test]
    fn resume_continues_where_it_stopped_and_keeps_unknown_steps() {
        let (mut w, t0) = start();
        w.apply(Action::BeginPause, t0);
        w.apply(Action::EndPause, t0 + s(20.0));
        w.apply(Action::Next, t0);
        w.apply(Action::SetNotes("guess lightly".into()), t0);
        let mut saved = w.session(t0, None);
        saved.mode = crate::journal::SessionMode::Rehearse;
        saved.steps.push(StepRecord {
            id: "retired".into(),
            title: "A step since removed".into(),
            status: StepStatus::Done,
            notes: "keep me".into(),
            pause_seconds: None,
            newer: Default::default(),
        });
        let mut r = Walk::resume(builtin(), &saved, None);
        assert_eq!(r.session_id(), "20261124-090000-abcd");
        assert_eq!(r.position(), 1, "opens on the last step visited");
        assert_eq!(r.state().notes, "guess lightly");
        assert_eq!(r.state_at(0).paused, Some(s(20.0)));
        assert_eq!(r.state_at(0).stage, Stage::Notes);
        assert!(!r.state_at(2).visited);
        let again = r.session(t0, None);
        assert_eq!(again.mode, crate::journal::SessionMode::Rehearse);
        assert_eq!(again.started_at, saved.started_at);
        assert_eq!(again.steps, saved.steps, "nothing changes by resuming");
        r.apply(Action::Next, t0);
        r.apply(Action::SetNotes("that sounded hard".into()), t0);
        let done = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+01:00").unwrap();
        let finished = r.session(t0, Some(done));
        assert_eq!(finished.steps.last().unwrap().notes, "keep me");
        assert_eq!(finished.steps[2].status, StepStatus::Done);
        assert!(finished.complete);
    }

    /// A walk finished on its follow-up step (the fifth), left empty, after
    /// notes on the first and the fourth: the follow-up is due.
    fn finished_with_the_follow_up_open() -> (Session, Instant) {
        let (mut w, t0) = start();
        w.apply(Action::SetNotes("tight chest".into()), t0);
        w.apply(Action::GoTo(3), t0);
        w.apply(Action::SetNotes("I got that wrong".into()), t0);
        w.apply(Action::GoTo(4), t0);
        let first = DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap();
        let saved = w.session(t0, Some(first));
        assert!(crate::journal::review::is_pending_follow_up(&saved));
        (saved, t0)
    }

    #[test]
    fn a_follow_up_walks_only_the_open_steps_and_saves_into_the_session() {
        let (saved, t0) = finished_with_the_follow_up_open();
        assert_eq!(saved.steps[4].status, StepStatus::FollowUp);
        let mut f = Walk::follow_up(builtin(), &saved, None).expect("one open step");
        assert!(f.is_follow_up());
        assert_eq!(f.len(), 1);
        assert_eq!(f.step().id, saved.steps[4].id);
        // Saved part-way with nothing new: the session is as it was.
        assert_eq!(f.session(t0, None), saved);
        f.apply(Action::SetNotes("they said it helped".into()), t0);
        let later = DateTime::parse_from_rfc3339("2026-11-27T18:00:00+01:00").unwrap();
        let after = f.session(t0, Some(later));
        assert_eq!(after.id, saved.id);
        assert_eq!(after.finished_at, Some(later));
        assert_eq!(after.steps.len(), saved.steps.len());
        assert_eq!(after.steps[4].status, StepStatus::Done);
        assert_eq!(after.steps[4].notes, "they said it helped");
        assert_eq!(after.steps[0], saved.steps[0]);
        assert!(Walk::follow_up(builtin(), &after, None).is_none());
    }

    /// A follow-up saved unfinished was recorded as done
    /// (and the session as complete), so it could no longer be found.
    #[test]
    fn a_follow_up_saved_part_way_stays_open_with_its_notes() {
        let (saved, t0) = finished_with_the_follow_up_open();
        let mut f = Walk::follow_up(builtin(), &saved, None).expect("one open step");
        f.apply(Action::SetNotes("half a thought".into()), t0);
        let part = f.session(t0, None);
        assert_eq!(part.steps[4].status, StepStatus::FollowUp, "still open");
        assert_eq!(part.steps[4].notes, "half a thought", "notes kept");
        assert!(crate::journal::review::is_pending_follow_up(&part));
        // Going on with it later starts from those notes.
        let again = Walk::follow_up(builtin(), &part, None).expect("still open");
        assert_eq!(again.state().notes, "half a thought");
    }

    #[test]
    fn an_unfinished_walk_keeps_where_it_stands() {
        let (mut w, t0) = start();
        w.apply(Action::SetNotes("tight chest".into()), t0);
        w.apply(Action::Next, t0);
        w.apply(Action::Next, t0);
        w.apply(Action::Prev, t0);
        let saved = w.session(t0, None);
        assert_eq!(saved.extra.at_step.as_deref(), Some("reflect"));
        let r = Walk::resume(builtin(), &saved, None);
        assert_eq!(
            r.position(),
            1,
            "opens on the step showing, not the last visited"
        );
        let done = DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap();
        assert_eq!(w.session(t0, Some(done)).extra.at_step, None);
    }

    #[test]
    fn worth_keeping_means_notes_or_a_pause() {
        let (mut w, t0) = start();
        assert!(!w.worth_keeping());
        w.apply(Action::Next, t0);
        w.apply(Action::Next, t0);
        assert!(!w.worth_keeping(), "moving on alone keeps nothing");
        w.apply(Action::GoTo(0), t0);
        w.apply(Action::PauseAgain, t0);
        assert_eq!(w.state().stage, Stage::Offer);
        w.apply(Action::BeginPause, t0);
        assert!(w.worth_keeping(), "a pause under way");
        w.apply(Action::EndPause, t0 + s(3.0));
        assert!(w.worth_keeping());
        assert_eq!(w.status_at(0), StepStatus::Done);
        assert_eq!(w.status_at(1), StepStatus::Skipped);
        assert_eq!(w.status_at(3), StepStatus::NotReached);
    }

    #[test]
    fn the_pacer_turns_on_and_off_during_a_pause_for_the_rest_of_the_walk() {
        let (mut w, t0) = start();
        let offered = w.step().pause.as_ref().unwrap().pacer;
        assert!(offered.is_some(), "the built-in scan offers a pacer");
        // The built-in scan ships with it off.
        assert_eq!(w.breath(), None);
        // Not on the offer: `b` there is a letter of the notes.
        assert!(!w.pacer_offered());
        assert!(!w.apply(Action::TogglePacer, t0).changed);
        w.apply(Action::BeginPause, t0);
        assert!(w.pacer_offered());
        let out = w.apply(Action::TogglePacer, t0 + s(1.0));
        assert!(out.changed);
        assert_eq!(w.breath(), offered);
        // The pacer's frames now wake the loop sooner than the clock does.
        let with = w.next_deadline(t0 + s(1.0)).unwrap();
        let without = w.next_deadline_without_pacer(t0 + s(1.0)).unwrap();
        assert!(with < without);
        w.apply(Action::TogglePacer, t0 + s(2.0));
        assert_eq!(w.breath(), None);
        assert_eq!(
            w.next_deadline(t0 + s(2.0)),
            w.next_deadline_without_pacer(t0 + s(2.0))
        );
        // On again, and it stays on when the pause is taken again.
        w.apply(Action::TogglePacer, t0 + s(3.0));
        w.apply(Action::EndPause, t0 + s(4.0));
        assert!(!w.pacer_offered());
        assert!(!w.apply(Action::TogglePacer, t0 + s(4.0)).changed);
        w.apply(Action::PauseAgain, t0 + s(5.0));
        w.apply(Action::BeginPause, t0 + s(5.0));
        assert_eq!(w.breath(), offered);
        // Nothing about the pacer is saved: the record is the same.
        assert_eq!(w.state().notes, "");
    }

    #[test]
    fn a_pause_without_a_pacer_has_nothing_to_toggle() {
        let mut protocol = builtin();
        for step in &mut protocol.steps {
            if let Some(pause) = &mut step.pause {
                pause.breath = None;
                pause.pacer = None;
            }
        }
        let at = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        let mut w = Walk::new(protocol, WalkOptions::default(), "x".into(), at);
        let t0 = Instant::now();
        w.apply(Action::BeginPause, t0);
        assert!(!w.pacer_offered());
        assert!(!w.apply(Action::TogglePacer, t0).changed);
        assert_eq!(w.breath(), None);
    }

    #[test]
    fn a_pacer_on_in_the_file_turns_off() {
        let mut protocol = builtin();
        let pause = protocol.steps[0].pause.as_mut().unwrap();
        pause.breath = pause.pacer;
        let at = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        let mut w = Walk::new(protocol, WalkOptions::default(), "x".into(), at);
        let t0 = Instant::now();
        assert!(w.breath().is_some());
        w.apply(Action::BeginPause, t0);
        w.apply(Action::TogglePacer, t0);
        assert_eq!(w.breath(), None);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn any_action() -> impl Strategy<Value = Action> {
            prop_oneof![
                Just(Action::Next),
                Just(Action::Prev),
                Just(Action::BeginPause),
                Just(Action::TogglePause),
                Just(Action::Extend),
                Just(Action::EndPause),
                Just(Action::SkipPause),
                Just(Action::PauseAgain),
                Just(Action::TogglePacer),
                (0usize..8).prop_map(Action::GoTo),
                "[a-z ]{0,6}".prop_map(Action::SetNotes),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(crate::practice::proptest_cases(64)))]

            /// Nothing panics; notes change only by SetNotes on the step
            /// showing; the session saved part-way resumes to the same
            /// records, position and notes.
            #[test]
            fn random_actions_hold(actions in prop::collection::vec((any_action(), 0u64..4000), 1..80)) {
                let (mut w, t0) = start();
                let mut now = t0;
                for (action, wait) in actions {
                    now += Duration::from_millis(wait);
                    let before: Vec<String> = (0..w.len()).map(|i| w.state_at(i).notes.clone()).collect();
                    let set = matches!(action, Action::SetNotes(_));
                    w.apply(action, now);
                    prop_assert!(w.position() < w.len());
                    for (i, b) in before.iter().enumerate() {
                        if !set || i != w.position() {
                            prop_assert_eq!(&w.state_at(i).notes, b);
                        }
                    }
                }
                let saved = w.session(now, None);
                let json = serde_json::to_string(&saved).unwrap();
                let back: Session = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, &saved);
                let r = Walk::resume(builtin(), &back, None);
                prop_assert_eq!(r.position(), w.position());
                for i in 0..w.len() {
                    prop_assert_eq!(&r.state_at(i).notes, &w.state_at(i).notes);
                }
            }

            /// One state per session, whatever was done: a walk saved
            /// part-way is only unfinished; a finished one waits for its
            /// follow-up only when the follow-up step was opened, left
            /// empty, right after a step gone through; and the row read
            /// back from the file says the same.
            #[test]
            fn a_follow_up_is_due_only_after_a_done_step_of_a_finished_walk(
                actions in prop::collection::vec((any_action(), 0u64..4000), 0..60),
                finish in any::<bool>(),
            ) {
                use crate::journal::review::{self, SessionState};
                let (mut w, t0) = start();
                let mut now = t0;
                for (action, wait) in actions {
                    now += Duration::from_millis(wait);
                    w.apply(action, now);
                }
                let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+01:00").unwrap();
                let saved = w.session(now, finish.then_some(at));
                let state = review::state(&saved);
                let follow_up = (0..w.len()).find(|&p| w.step_at(p).follow_up).unwrap();
                let opened = w.state_at(follow_up).visited;
                let empty = w.state_at(follow_up).notes.trim().is_empty()
                    && saved.steps[follow_up].pause_seconds.is_none();
                let before_done = saved.steps[follow_up - 1].status != StepStatus::NotReached;
                let expected = match (finish, opened && empty && before_done) {
                    (false, _) => SessionState::Unfinished,
                    (true, true) => SessionState::FollowUpWaiting,
                    (true, false) => SessionState::Finished,
                };
                prop_assert_eq!(state, expected);
                prop_assert_eq!(review::is_unfinished(&saved), state == SessionState::Unfinished);
                prop_assert_eq!(
                    review::is_pending_follow_up(&saved),
                    state == SessionState::FollowUpWaiting
                );
                if !opened {
                    prop_assert_eq!(&saved.steps[follow_up].status, &StepStatus::NotReached);
                }
                prop_assert_eq!(crate::journal::Row::of(&saved).state(), state);
                let json = serde_json::to_vec(&saved).unwrap();
                let row = crate::journal::row_from_file(&json, &saved.id);
                prop_assert_eq!(row.state(), state);
            }
        }
    }
}
