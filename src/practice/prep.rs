//! A prep: the few minutes before a difficult session.
//!
//! It begins with the internal scan (five minutes unless `--scan-seconds`
//! says otherwise; modelled on, not the same as, the brief centering
//! exercise before sessions in Dunn, Callahan, Swift & Ivanovic, 2013), then
//! asks, for each step that has sentence stems, for "your words for this
//! step": one of the stems, or words of one's own. Then one line of
//! intention, and the pocket card: the chosen words, step by step. No notes:
//! prep stays short. A pure state machine: time is an input.
//!
//! Moving between steps ([`Action::Next`], [`Action::Back`]) never changes
//! what was chosen; only [`Action::SetWords`] (a new choice) and
//! [`Action::Clear`] (leave this step empty) do.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use super::pause::PauseTimer;
use crate::journal::{Extra, Session, StepRecord, StepStatus};
use crate::protocol::{Breath, Protocol, Step};

/// The scan's length when `--scan-seconds` is not given: five minutes.
pub const DEFAULT_SCAN_SECONDS: u32 = 300;

/// The words prep offers for a step ("your words for this step" and the
/// pocket card): for a step nobody can see (`observable = false`) whose
/// pause has cues, the pause's inner cues, because that step happens inside
/// (the scan) and its stems are what one says aloud afterwards; else the
/// step's stems.
pub fn offered(step: &Step) -> &[String] {
    match &step.pause {
        Some(pause) if !step.observable && !pause.cues.is_empty() => &pause.cues,
        _ => &step.stems,
    }
}

/// Where the prep is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The scan is offered: begin it or skip it.
    ScanOffer,
    Scanning(PauseTimer),
    /// Choosing words for one of the steps with stems (an index into
    /// `Prep::word_steps`).
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
    /// These words (trimmed) for the current step, then the next step. Words
    /// that are empty keep what the step already has: see [`Action::Clear`].
    Choose(String),
    /// These words (trimmed) for the current step, staying on it. Empty
    /// words change nothing.
    SetWords(String),
    /// Leave the current step empty (the explicit way to drop a choice).
    Clear,
    /// On to the next step (or the intention), keeping what was chosen.
    Next,
    /// Back to the previous step (from the card: to the intention),
    /// keeping what was chosen.
    Back,
    /// The intention (trimmed; empty: none), staying on it.
    NoteIntention(String),
    /// The intention (empty: none), then the pocket card.
    SetIntention(String),
    /// `b` during the scan, when its pause offers a pacer: turn the
    /// breathing pacer on or off.
    TogglePacer,
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
    /// The clinician's choice of pacer: `None` follows the pause's `on`.
    pacer_choice: Option<bool>,
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
            .filter(|(_, s)| !offered(s).is_empty())
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
            pacer_choice: None,
            session_id,
            started_at,
        }
    }

    /// A prep continued from its saved, unfinished session (a
    /// prep resumes as a prep). Steps are matched by id: each word
    /// step's notes are its words (a step not reached is not asked yet), the
    /// scan step's `pause_seconds` is the scan taken, and the intention comes
    /// back. It opens on the words step that was showing (`at_step`), else
    /// the first step not yet asked, or the intention; on the scan offer
    /// when nothing was asked and no scan taken.
    pub fn resume(protocol: Protocol, session: &Session, scan_seconds: Option<u32>) -> Self {
        let mut prep = Prep::new(
            protocol,
            scan_seconds,
            session.id.clone(),
            session.started_at,
        );
        let record = |i: usize| {
            let id = &prep.protocol.steps[i].id;
            session.steps.iter().find(|r| &r.id == id)
        };
        let mut words: Vec<Option<String>> = prep
            .word_steps
            .iter()
            .map(|&i| match record(i) {
                Some(r) if r.status != StepStatus::NotReached => Some(r.notes.trim().to_string()),
                _ => None,
            })
            .collect();
        // The scan step is recorded as skipped even before its words were
        // asked: empty words there count as asked only if a later step was.
        if let Some(n) = prep
            .word_steps
            .iter()
            .position(|&i| Some(i) == prep.scan_step)
            && words[n].as_deref() == Some("")
            && !words[n + 1..].iter().any(Option::is_some)
        {
            words[n] = None;
        }
        let scanned = prep
            .scan_step
            .and_then(record)
            .and_then(|r| r.pause_seconds)
            .map(Duration::from_secs);
        prep.words = words;
        prep.scanned = scanned;
        prep.intention = session.extra.intention.clone().unwrap_or_default();
        let asked_any = prep.words.iter().any(Option::is_some);
        // The words step showing when it was saved, if it was one.
        let showing = session.extra.at_step.as_ref().and_then(|id| {
            prep.word_steps
                .iter()
                .position(|&i| *prep.protocol.steps[i].id == **id)
        });
        let unasked = prep.words.iter().position(Option::is_none);
        prep.stage = if !asked_any && prep.scanned.is_none() && prep.intention.is_empty() {
            Stage::ScanOffer
        } else if let Some(n) = showing.or(unasked) {
            Stage::Words(n)
        } else {
            Stage::Intention
        };
        prep
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

    /// The breathing pacer as it stands: the pause's own choice until the
    /// clinician turns it on or off (`b` during the scan).
    pub fn breath(&self) -> Option<Breath> {
        let pause = self
            .scan_step
            .and_then(|i| self.protocol.steps[i].pause.as_ref())?;
        match self.pacer_choice {
            None => pause.breath,
            Some(true) => pause.pacer,
            Some(false) => None,
        }
    }

    /// True during the scan when its pause offers a pacer to turn on or off.
    pub fn pacer_offered(&self) -> bool {
        matches!(self.stage, Stage::Scanning(_))
            && self
                .scan_step
                .and_then(|i| self.protocol.steps[i].pause.as_ref())
                .is_some_and(|p| p.pacer.is_some())
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
        if action == Action::TogglePacer {
            if self.pacer_offered() {
                self.pacer_choice = Some(self.breath().is_none());
            }
            return;
        }
        match (&mut self.stage, action) {
            (Stage::ScanOffer, Action::BeginScan) => {
                self.stage = Stage::Scanning(PauseTimer::start(self.scan_length, now));
            }
            (Stage::ScanOffer, Action::SkipScan | Action::Next) => self.stage = self.after_scan(),
            (Stage::Scanning(timer), Action::ToggleHold) => timer.toggle(now),
            (Stage::Scanning(timer), Action::EndScan | Action::Next) => {
                self.scanned = Some(timer.elapsed(now));
                self.stage = self.after_scan();
            }
            (Stage::Words(n), Action::Choose(words)) => {
                let n = *n;
                self.set_words(n, &words);
                self.next_from(n);
            }
            (Stage::Words(n), Action::SetWords(words)) => {
                let n = *n;
                self.set_words(n, &words);
            }
            (Stage::Words(n), Action::Clear) => {
                let n = *n;
                self.words[n] = Some(String::new());
            }
            (Stage::Words(n), Action::Next) => {
                let n = *n;
                self.next_from(n);
            }
            (Stage::Words(n), Action::Back) if *n > 0 => *n -= 1,
            (Stage::Intention, Action::Back) if !self.word_steps.is_empty() => {
                self.stage = Stage::Words(self.word_steps.len() - 1);
            }
            (Stage::Intention, Action::NoteIntention(text)) => {
                self.intention = text.trim().to_string();
            }
            (Stage::Intention, Action::SetIntention(text)) => {
                self.intention = text.trim().to_string();
                self.stage = Stage::Card;
            }
            (Stage::Intention, Action::Next) => self.stage = Stage::Card,
            (Stage::Card, Action::Back) => self.stage = Stage::Intention,
            _ => {}
        }
    }

    /// Puts `words` (trimmed) at word position `n`; empty words only mark the
    /// step as asked, keeping any earlier choice.
    fn set_words(&mut self, n: usize, words: &str) {
        let words = words.trim();
        if !words.is_empty() {
            self.words[n] = Some(words.to_string());
        } else if self.words[n].is_none() {
            self.words[n] = Some(String::new());
        }
    }

    /// Leaves word position `n` for the next one (or the intention), marking
    /// it as asked.
    fn next_from(&mut self, n: usize) {
        if self.words[n].is_none() {
            self.words[n] = Some(String::new());
        }
        self.stage = if n + 1 < self.word_steps.len() {
            Stage::Words(n + 1)
        } else {
            Stage::Intention
        };
    }

    /// Whether the scan was begun (for any length of time).
    pub fn scan_taken(&self) -> bool {
        self.scanned.is_some() || matches!(self.stage, Stage::Scanning(_))
    }

    /// Nothing worth keeping: no words chosen, no intention, no scan taken.
    /// Such a prep is not saved.
    pub fn is_empty(&self) -> bool {
        !self.has_answers() && !self.scan_taken()
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
                    newer: Default::default(),
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
                // Where an unfinished prep stands, for a resume to open on.
                at_step: match (&self.stage, finished_at) {
                    (Stage::Words(n), None) => {
                        Some(self.protocol.steps[self.word_steps[*n]].id.as_str().into())
                    }
                    _ => None,
                },
                ..Extra::default()
            },
        }
    }
}

/// What the first screen says about the study the scan is modelled on (also
/// the `i` box): what the study did and found, no more.
pub const ABOUT_SCAN: &str = "Modelled on a brief centering exercise before sessions, from one \
     small study (Dunn, Callahan, Swift & Ivanovic, 2013): therapists rated themselves more \
     present and clients rated sessions more effective; clients did not rate the therapist's \
     presence differently. This scan is not the same exercise.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::builtin;

    fn prep(seconds: Option<u32>) -> Prep {
        let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        Prep::new(builtin(), seconds, "id".into(), started)
    }

    /// The scan (nobody sees it, and its pause has cues) offers the cues;
    /// every other step offers its stems.
    #[test]
    fn the_scan_offers_its_inner_cues_and_other_steps_their_stems() {
        let protocol = crate::protocol::builtin();
        let scan = &protocol.steps[0];
        assert!(!scan.observable && !scan.stems.is_empty());
        assert_eq!(offered(scan), scan.pause.as_ref().unwrap().cues.as_slice());
        assert!(
            !offered(scan)
                .iter()
                .any(|w| w.contains("slow down for a moment"))
        );
        for step in &protocol.steps[1..] {
            assert_eq!(offered(step), step.stems.as_slice(), "{}", step.id);
        }
    }

    #[test]
    fn the_scan_is_five_minutes_unless_told_otherwise() {
        assert_eq!(prep(None).scan_length(), Duration::from_secs(300));
        assert_eq!(prep(Some(2)).scan_length(), Duration::from_secs(2));
        assert!(!prep(None).cues().is_empty(), "the scan step's cues");
    }

    #[test]
    fn b_turns_the_scans_pacer_on_and_off_during_the_scan_only() {
        let now = Instant::now();
        let mut p = prep(Some(60));
        let offered = builtin().steps[0].pause.as_ref().unwrap().pacer;
        assert!(offered.is_some());
        assert_eq!(p.breath(), None, "the built-in scan ships with it off");
        assert!(!p.pacer_offered(), "not on the offer");
        p.apply(Action::TogglePacer, now);
        assert_eq!(p.breath(), None);
        p.apply(Action::BeginScan, now);
        assert!(p.pacer_offered());
        p.apply(Action::TogglePacer, now);
        assert_eq!(p.breath(), offered);
        assert!(
            matches!(p.stage(), Stage::Scanning(_)),
            "b does nothing else"
        );
        p.apply(Action::TogglePacer, now);
        assert_eq!(p.breath(), None);
        p.apply(Action::EndScan, now);
        assert!(!p.pacer_offered());
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

    /// Going back and forward through the steps keeps what
    /// was chosen.
    #[test]
    fn back_then_next_keeps_the_words_chosen() {
        let now = Instant::now();
        let mut p = prep(None);
        p.apply(Action::SkipScan, now);
        p.apply(Action::Choose("I want to pause here.".into()), now);
        assert_eq!(*p.stage(), Stage::Words(1));
        p.apply(Action::Back, now);
        for _ in 0..6 {
            p.apply(Action::Next, now);
        }
        assert_eq!(*p.stage(), Stage::Intention);
        p.apply(Action::SetIntention(String::new()), now);
        assert_eq!(
            p.card(),
            [("Pause and scan inward", "I want to pause here.")]
        );
    }

    #[test]
    fn only_clear_or_new_words_change_a_choice() {
        let now = Instant::now();
        let mut p = prep(None);
        p.apply(Action::SkipScan, now);
        p.apply(Action::SetWords("Mine.".into()), now);
        p.apply(Action::SetWords("   ".into()), now);
        p.apply(Action::Choose(String::new()), now);
        p.apply(Action::Back, now);
        assert_eq!(p.words_at(0), Some("Mine."), "empty words keep the choice");
        p.apply(Action::SetWords("Other.".into()), now);
        assert_eq!(p.words_at(0), Some("Other."));
        p.apply(Action::Clear, now);
        assert_eq!(p.words_at(0), Some(""), "Clear leaves the step empty");
        assert_eq!(*p.stage(), Stage::Words(0));
    }

    #[test]
    fn the_card_goes_back_to_the_intention_and_keeps_it() {
        let now = Instant::now();
        let mut p = prep(None);
        p.apply(Action::SkipScan, now);
        for _ in 0..6 {
            p.apply(Action::Next, now);
        }
        p.apply(Action::SetIntention(" Go slowly. ".into()), now);
        p.apply(Action::Back, now);
        assert_eq!(*p.stage(), Stage::Intention);
        assert_eq!(p.intention(), "Go slowly.");
    }

    /// Nothing chosen and no scan taken is an empty prep;
    /// a scan taken (even briefly) is worth keeping.
    #[test]
    fn a_prep_is_empty_until_a_scan_or_a_choice() {
        let now = Instant::now();
        let mut p = prep(None);
        assert!(p.is_empty());
        p.apply(Action::SkipScan, now);
        p.apply(Action::Next, now);
        assert!(p.is_empty(), "moving on chooses nothing");
        let mut q = prep(None);
        q.apply(Action::BeginScan, now);
        assert!(!q.is_empty());
        q.apply(Action::EndScan, now);
        assert!(!q.is_empty());
    }

    /// An unfinished prep resumes as a prep, where it stopped.
    #[test]
    fn an_unfinished_prep_resumes_as_a_prep_where_it_stopped() {
        let now = Instant::now();
        let mut p = prep(Some(30));
        p.apply(Action::BeginScan, now);
        p.apply(Action::EndScan, now + Duration::from_secs(12));
        p.apply(Action::Choose("I want to pause here.".into()), now);
        p.apply(Action::Next, now);
        let saved = p.session(now, None);
        let q = Prep::resume(builtin(), &saved, Some(30));
        assert_eq!(*q.stage(), Stage::Words(2));
        assert_eq!(q.words_at(0), Some("I want to pause here."));
        assert_eq!(q.words_at(1), Some(""));
        assert_eq!(q.words_at(2), None);
        assert_eq!(q.session_id(), "id");
        assert_eq!(q.session(now, None), saved, "nothing lost or added");
        let mut r = prep(None);
        r.apply(Action::BeginScan, now);
        r.apply(Action::EndScan, now + Duration::from_secs(5));
        let scanned_only = r.session(now, None);
        let r = Prep::resume(builtin(), &scanned_only, None);
        assert_eq!(
            *r.stage(),
            Stage::Words(0),
            "the scan taken, on to the words"
        );
        let empty = prep(None).session(now, None);
        assert_eq!(
            *Prep::resume(builtin(), &empty, None).stage(),
            Stage::ScanOffer
        );
    }
}
