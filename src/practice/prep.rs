//! A prep: the few minutes before a difficult session.
//!
//! It begins with the internal scan (five minutes unless `--scan-seconds`
//! says otherwise: a five-minute centering exercise before sessions is the
//! length studied by Dunn, Callahan, Swift & Ivanovic, 2013), then asks, for
//! each step that has sentence stems, for "your words for this step": one of
//! the stems, or words of one's own. Then one line of intention, and the
//! pocket card: the chosen words, step by step. No notes: prep stays short.
//! A pure state machine: time is an input.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use super::pause::PauseTimer;
use crate::journal::{Extra, Session, StepRecord, StepStatus};
use crate::protocol::{Breath, Protocol, Step};

/// The scan's length when `--scan-seconds` is not given: five minutes.
pub const DEFAULT_SCAN_SECONDS: u32 = 300;

/// Where the prep is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The scan is offered: begin it or skip it.
    ScanOffer,
    Scanning(PauseTimer),
    /// Choosing words for one of the steps with stems (an index into
    /// [`Prep::word_steps`]).
    Words(usize),
    Intention,
    /// The pocket card.
    Card,
}

/// Something the clinician does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    BeginScan,
    SkipScan,
    /// Hold or resume the scan.
    ToggleHold,
    /// End the scan early.
    EndScan,
    /// The words for the current step (empty: none), then the next step.
    Choose(String),
    /// Back to the previous step's words.
    Back,
    /// The intention (empty: none), then the pocket card.
    SetIntention(String),
}

/// A prep in progress.
#[derive(Debug, Clone)]
pub struct Prep {
    protocol: Protocol,
    /// The step whose pause and cues the scan uses, if any has a pause.
    scan_step: Option<usize>,
    scan_length: Duration,
    /// Indices of the steps with stems, in order.
    word_steps: Vec<usize>,
    /// The chosen words, one per word step ("" for none); `None` until asked.
    words: Vec<Option<String>>,
    intention: String,
    stage: Stage,
    /// Time actually spent in the scan, once begun.
    scanned: Option<Duration>,
    session_id: String,
    started_at: DateTime<FixedOffset>,
}

impl Prep {
    pub fn new(
        protocol: Protocol,
        scan_seconds: Option<u32>,
        session_id: String,
        started_at: DateTime<FixedOffset>,
    ) -> Self {
        let scan_step = protocol.steps.iter().position(|s| s.pause.is_some());
        let word_steps: Vec<usize> = protocol
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.stems.is_empty())
            .map(|(i, _)| i)
            .collect();
        let words = vec![None; word_steps.len()];
        Prep {
            protocol,
            scan_step,
            scan_length: Duration::from_secs(u64::from(
                scan_seconds.unwrap_or(DEFAULT_SCAN_SECONDS),
            )),
            word_steps,
            words,
            intention: String::new(),
            stage: Stage::ScanOffer,
            scanned: None,
            session_id,
            started_at,
        }
    }

    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    pub fn scan_length(&self) -> Duration {
        self.scan_length
    }

    /// The cues shown through the scan (the protocol's first pause's).
    pub fn cues(&self) -> &[String] {
        self.scan_step
            .and_then(|i| self.protocol.steps[i].pause.as_ref())
            .map_or(&[][..], |p| &p.cues[..])
    }

    pub fn breath(&self) -> Option<Breath> {
        self.scan_step
            .and_then(|i| self.protocol.steps[i].pause.as_ref())
            .and_then(|p| p.breath)
    }

    /// How many steps ask for words.
    pub fn word_count(&self) -> usize {
        self.word_steps.len()
    }

    /// The step of word position `n`.
    pub fn word_step(&self, n: usize) -> &Step {
        &self.protocol.steps[self.word_steps[n]]
    }

    /// The words chosen at word position `n` ("" for none), if asked yet.
    pub fn words_at(&self, n: usize) -> Option<&str> {
        self.words.get(n).and_then(|w| w.as_deref())
    }

    pub fn intention(&self) -> &str {
        &self.intention
    }

    /// Anything chosen or written yet.
    pub fn has_answers(&self) -> bool {
        !self.intention.trim().is_empty()
            || self
                .words
                .iter()
                .any(|w| w.as_deref().is_some_and(|w| !w.trim().is_empty()))
    }

    /// The pocket card: (step title, words) for every step given words.
    pub fn card(&self) -> Vec<(&str, &str)> {
        self.word_steps
            .iter()
            .zip(&self.words)
            .filter_map(|(&i, w)| {
                let w = w.as_deref()?.trim();
                (!w.is_empty()).then(|| (self.protocol.steps[i].title.as_str(), w))
            })
            .collect()
    }

    /// The first stage after the scan.
    fn after_scan(&self) -> Stage {
        if self.word_steps.is_empty() {
            Stage::Intention
        } else {
            Stage::Words(0)
        }
    }

    pub fn apply(&mut self, action: Action, now: Instant) {
        match (&mut self.stage, action) {
            (Stage::ScanOffer, Action::BeginScan) => {
                self.stage = Stage::Scanning(PauseTimer::start(self.scan_length, now));
            }
            (Stage::ScanOffer, Action::SkipScan) => self.stage = self.after_scan(),
            (Stage::Scanning(timer), Action::ToggleHold) => timer.toggle(now),
            (Stage::Scanning(timer), Action::EndScan) => {
                self.scanned = Some(timer.elapsed(now));
                self.stage = self.after_scan();
            }
            (Stage::Words(n), Action::Choose(words)) => {
                let n = *n;
                self.words[n] = Some(words.trim().to_string());
                self.stage = if n + 1 < self.word_steps.len() {
                    Stage::Words(n + 1)
                } else {
                    Stage::Intention
                };
            }
            (Stage::Words(n), Action::Back) if *n > 0 => *n -= 1,
            (Stage::Intention, Action::Back) if !self.word_steps.is_empty() => {
                self.stage = Stage::Words(self.word_steps.len() - 1);
            }
            (Stage::Intention, Action::SetIntention(text)) => {
                self.intention = text.trim().to_string();
                self.stage = Stage::Card;
            }
            _ => {}
        }
    }

    /// The passing of time: true when the scan just ran its full length.
    pub fn tick(&mut self, now: Instant) -> bool {
        if let Stage::Scanning(timer) = &self.stage
            && timer.is_over(now)
        {
            self.scanned = Some(timer.elapsed(now));
            self.stage = self.after_scan();
            return true;
        }
        false
    }

    /// When the display next changes during the scan.
    pub fn next_change(&self, now: Instant, pacer: bool) -> Option<Instant> {
        match &self.stage {
            Stage::Scanning(timer) => timer.next_change(now, self.cues().len(), pacer),
            _ => None,
        }
    }

    /// The session record: each step's chosen words as its notes; the
    /// intention in `intention`.
    pub fn session(&self, now: Instant, finished_at: Option<DateTime<FixedOffset>>) -> Session {
        let scanned = match &self.stage {
            Stage::Scanning(timer) => Some(timer.elapsed(now)),
            _ => self.scanned,
        };
        let steps = self
            .protocol
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let words = self
                    .word_steps
                    .iter()
                    .position(|&w| w == i)
                    .map(|n| self.words[n].clone());
                let paused = (Some(i) == self.scan_step)
                    .then_some(scanned)
                    .flatten()
                    .map(|d| (d.as_millis() as u64 + 500) / 1000);
                let notes = words.clone().flatten().unwrap_or_default();
                let status = if !notes.is_empty() || paused.is_some() {
                    StepStatus::Done
                } else if matches!(words, Some(Some(_))) || Some(i) == self.scan_step {
                    StepStatus::Skipped
                } else {
                    StepStatus::NotReached
                };
                StepRecord {
                    id: step.id.clone(),
                    title: step.title.clone(),
                    status,
                    notes,
                    pause_seconds: paused,
                }
            })
            .collect();
        Session {
            id: self.session_id.clone(),
            mode: "prep".into(),
            protocol: self.protocol.id.clone(),
            protocol_title: self.protocol.title.clone(),
            drill: None,
            started_at: self.started_at,
            complete: finished_at.is_some(),
            finished_at,
            steps,
            extra: Extra {
                intention: (!self.intention.is_empty()).then(|| self.intention.clone()),
                rounds: Vec::new(),
                ..Extra::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::builtin;

    fn prep(seconds: Option<u32>) -> Prep {
        let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        Prep::new(builtin(), seconds, "id".into(), started)
    }

    #[test]
    fn the_scan_is_five_minutes_unless_told_otherwise() {
        assert_eq!(prep(None).scan_length(), Duration::from_secs(300));
        assert_eq!(prep(Some(2)).scan_length(), Duration::from_secs(2));
        assert!(!prep(None).cues().is_empty(), "the scan step's cues");
    }

    #[test]
    fn a_full_prep_makes_a_pocket_card_and_a_session() {
        let now = Instant::now();
        let mut p = prep(Some(60));
        p.apply(Action::BeginScan, now);
        assert!(!p.tick(now + Duration::from_secs(59)));
        assert!(p.tick(now + Duration::from_secs(60)), "the bell, once");
        assert_eq!(*p.stage(), Stage::Words(0));
        assert_eq!(p.word_count(), 6);
        p.apply(Action::Choose("I want to pause here.".into()), now);
        p.apply(Action::Choose(String::new()), now);
        p.apply(Action::Back, now);
        assert_eq!(*p.stage(), Stage::Words(1));
        p.apply(Action::Choose("  My own words.  ".into()), now);
        for _ in 2..6 {
            p.apply(Action::Choose(String::new()), now);
        }
        assert_eq!(*p.stage(), Stage::Intention);
        p.apply(Action::SetIntention("Go slowly.".into()), now);
        assert_eq!(*p.stage(), Stage::Card);
        assert_eq!(
            p.card(),
            [
                ("Pause and scan inward", "I want to pause here."),
                ("Reflect tentatively, and check", "My own words.")
            ]
        );
        let s = p.session(now, Some(crate::journal::local_now()));
        assert_eq!((s.mode.as_str(), s.complete), ("prep", true));
        assert_eq!(s.steps[0].pause_seconds, Some(60));
        assert_eq!(s.steps[0].status, StepStatus::Done);
        assert_eq!(s.steps[1].notes, "My own words.");
        assert_eq!(s.steps[2].status, StepStatus::Skipped);
        assert_eq!(s.extra.intention.as_deref(), Some("Go slowly."));
    }

    #[test]
    fn skipping_the_scan_goes_straight_to_the_words() {
        let now = Instant::now();
        let mut p = prep(None);
        p.apply(Action::SkipScan, now);
        assert_eq!(*p.stage(), Stage::Words(0));
        let s = p.session(now, None);
        assert_eq!(s.steps[0].pause_seconds, None);
        assert_eq!(s.steps[5].status, StepStatus::NotReached);
        assert!(s.extra.intention.is_none());
        assert!(!p.has_answers());
    }
}
