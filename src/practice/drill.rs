//! A solo drill (`repair drill`): deliberate practice between supervision
//! meetings, one card after another.
//!
//! Each card goes: the scene and the client's statement with a one-breath
//! scan (`Scan`: "What do I notice in me, right now?"); a short response,
//! out loud while a timer runs or typed (`Respond`); which marker the
//! clinician saw, named before anything is revealed, since recognising the
//! marker is itself the skill (`Guess`); the reveal: markers, the criteria of
//! the focused step(s), model responses, pitfalls and the kind's resolution
//! guidance (`Reveal`); then the self-assessment: criteria met (a step
//! observers cannot see, like the scan, is checked by the clinician, who
//! knows whether they paused and what they noticed, and who may also write
//! what they noticed in themselves) and how hard it was, 0 to 10
//! (`Assess`). The shared [`LevelRule`] moves the level
//! of the next card of that kind by the first attempt's rating; "again"
//! retries the same card at once, and that retry (made after reading the
//! models) says how well they landed without moving the level. At warm-up
//! (below beginner) the clinician reads one model aloud before responding,
//! on beginner cards.
//!
//! Which card comes next is the [`Schedule`]'s choice: due cards first, then
//! new ones at the clinician's level (with `--due`, the due cards only). The drill ends after a number of cards
//! or minutes, whichever comes first (never in the middle of a card).
//! A pure state machine: time is an input.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::exclude::Exclusions;
use super::level::{LevelRule, MAX_RATING, Move, landed};
use super::pause::PauseTimer;
use super::rng::SplitMix64;
use super::schedule::{Schedule, kind_index};
use crate::journal::{DrillCardRecord, Extra, Session, Sighting};
use crate::protocol::{Level, Marker, Protocol, Scenario, ScenarioKind, Tag};

/// Cards in a drill when `--cards` is not given.
pub const DEFAULT_CARDS: u32 = 10;
/// Minutes in a drill when `--minutes` is not given.
pub const DEFAULT_MINUTES: u32 = 15;
/// The one-breath scan: a real session leaves a breath, not ninety seconds.
pub const DEFAULT_SCAN_SECONDS: u32 = 8;
/// How long a spoken response may run.
pub const DEFAULT_RESPOND_SECONDS: u32 = 45;
/// The one cue of the scan.
pub const SCAN_CUE: &str = "What do I notice in me, right now?";
/// Asked, besides its criteria, for a step observers cannot see (the scan).
pub const SELF_REPORT_PROMPT: &str = "What did I notice in my body, my feelings, my urge?";
/// The rating a card has until the clinician gives one.
pub use super::level::DEFAULT_RATING;

/// How a drill is set up.
#[derive(Debug, Clone)]
pub struct DrillOptions {
    pub cards: u32,
    pub minutes: u32,
    pub scan_seconds: u32,
    /// 0: no timer.
    pub respond_seconds: u32,
    /// Type the response instead of saying it.
    pub typed: bool,
    pub kind: Option<ScenarioKind>,
    pub tag: Option<Tag>,
    /// The first level for both kinds; `None`: where the last drill left
    /// each kind (beginner for a kind never drilled).
    pub level: Option<Level>,
    /// The step whose criteria are drilled; `None`: every step's.
    pub step: Option<String>,
    pub seed: u64,
    pub rule: LevelRule,
    /// The local date, for what is due.
    pub today: NaiveDate,
    /// Only the cards due today (`--due`).
    pub due_only: bool,
    /// Cards never dealt (`--exclude-tag`, the `exclude_tags` setting).
    pub exclude: Exclusions,
}

/// Which marker the clinician saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerGuess {
    Unsure,
    /// A kind, without naming the marker.
    Kind(ScenarioKind),
    Marker(Marker),
}

impl MarkerGuess {
    /// Every answer, in the order offered: not sure; withdrawal, then its
    /// markers; confrontation, then its markers.
    pub fn choices() -> Vec<MarkerGuess> {
        let mut out = vec![MarkerGuess::Unsure];
        for kind in ScenarioKind::ALL {
            out.push(MarkerGuess::Kind(kind));
            out.extend(
                Marker::ALL
                    .iter()
                    .filter(|m| m.kind() == kind)
                    .map(|m| MarkerGuess::Marker(*m)),
            );
        }
        out
    }

    /// What the record keeps; `None` for not sure.
    pub fn sighting(self) -> Option<Sighting> {
        match self {
            MarkerGuess::Unsure => None,
            MarkerGuess::Kind(k) => Some(Sighting::Kind(k)),
            MarkerGuess::Marker(m) => Some(Sighting::Marker(m)),
        }
    }

    /// As offered on screen and in plain mode.
    pub fn label(self) -> String {
        match self {
            MarkerGuess::Unsure => "not sure".into(),
            MarkerGuess::Kind(k) => format!("{}, not sure which marker", k.as_str()),
            MarkerGuess::Marker(m) => marker_words(m).into(),
        }
    }

    /// Whether the guess fits the card: one of its markers, or its kind.
    pub fn is_right(self, card: &Scenario) -> bool {
        match self {
            MarkerGuess::Unsure => false,
            MarkerGuess::Kind(k) => k == card.kind,
            MarkerGuess::Marker(m) => {
                card.markers.contains(&m) || (card.markers.is_empty() && m.kind() == card.kind)
            }
        }
    }
}

/// How many characters of a client line name a card in a summary.
pub const CARD_NAME_CHARS: usize = 40;

/// A card as a summary names it: its client line in quotes, on one line and
/// cut with `…` (people remember what the client said, not a card's id).
pub fn card_name(client: &str) -> String {
    let line = client.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= CARD_NAME_CHARS {
        return format!("\u{201c}{line}\u{201d}");
    }
    let cut: String = line.chars().take(CARD_NAME_CHARS - 1).collect();
    format!("\u{201c}{}…\u{201d}", cut.trim_end())
}

/// A marker in words, as shown to people.
pub fn marker_words(marker: Marker) -> &'static str {
    match marker {
        Marker::Denial => "denial",
        Marker::MinimalResponse => "minimal response",
        Marker::AbstractTalk => "abstract talk",
        Marker::AvoidantStorytelling => "avoidant storytelling",
        Marker::ShiftingTopic => "shifting the topic",
        Marker::DeferringAppeasing => "deferring or appeasing",
        Marker::ContentFeelingSplit => "content and feeling split",
        Marker::SelfCriticismHopelessness => "self-criticism or hopelessness",
        Marker::ComplaintTherapist => "complaint about the therapist",
        Marker::ComplaintActivities => "complaint about the activities",
        Marker::ComplaintParameters => "complaint about fees, times or rules",
        Marker::ComplaintProgress => "complaint about progress",
        Marker::RejectingIntervention => "rejecting an intervention",
        Marker::PressingControl => "pressing for control",
        Marker::DefendingAgainstTherapist => "defending against the therapist",
    }
}

/// Where the current card is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Before the first card: what is drilled and how; nothing runs yet.
    Intro,
    /// Before a card with a content note is dealt: the note, so the
    /// clinician can leave the card out; nothing runs yet.
    Notice,
    /// The scene and the statement, and one breath.
    Scan(PauseTimer),
    /// The response: a timer for a spoken one (`None`: no timer, or typed).
    Respond {
        timer: Option<PauseTimer>,
        started: Instant,
    },
    /// Which marker was it?
    Guess,
    /// Markers, criteria, models, pitfalls, resolution.
    Reveal,
    /// Criteria met (or the self-report) and the rating.
    Assess,
    /// The drill is over: the summary.
    Closing,
}

/// The attempt under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The card's place in the drill, from 1.
    pub number: usize,
    pub card: Scenario,
    /// From 1; a retry adds one.
    pub attempt: u32,
    /// The clinician's level for the card's kind when it was dealt (at
    /// warm-up the card itself is a beginner one).
    pub level: Level,
    /// The typed response (`--type`).
    pub response: String,
    pub respond_seconds: u64,
    pub guess: MarkerGuess,
    /// One per criterion of [`Drill::criteria`].
    pub met: Vec<bool>,
    pub self_report: String,
    pub rating: u8,
}

/// Something the clinician does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// From the first screen to the first card: its breath and the drill's
    /// time limit start now.
    Begin,
    /// From a content note to its card: the breath starts now.
    Deal,
    /// From a content note: leave this card out; the next one comes
    /// instead, and the card does not count among the drill's cards.
    Skip,
    /// Take back the last kept rating: back to that attempt's assessment,
    /// as it was. Offered from the moment it is kept until the next
    /// response is done ([`Drill::can_undo`]).
    Undo,
    /// End the scan now.
    EndScan,
    /// The typed response so far.
    SetResponse(String),
    /// Done responding (Enter).
    EndResponse,
    /// Hold or resume the response timer.
    ToggleHold,
    /// Name the marker; goes on to the reveal.
    Guess(MarkerGuess),
    /// From the reveal to the self-assessment.
    Assess,
    /// Tick or untick a criterion (by position).
    Toggle(usize),
    SetSelfReport(String),
    SetRating(u8),
    /// Keep this attempt and try the same card again at once.
    Again,
    /// Keep this attempt and go on to the next card (or the summary).
    Next,
    /// Stop: the summary of the cards kept so far.
    Stop,
}

/// What an action or the passing of time did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    pub changed: bool,
    /// A timer ran out just now.
    pub time_up: bool,
    /// An attempt was kept (save now).
    pub kept: bool,
}

/// How the last rating moved the level, to say on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelChange {
    pub kind: ScenarioKind,
    /// The clinician's level for that kind before the rating.
    pub from: Level,
    pub rating: u8,
    pub movement: Move,
    pub level: Level,
    /// A retry: the rating says how well the models landed and the level
    /// stays where the first attempt put it.
    pub retry: bool,
}

impl LevelChange {
    /// The rule, stated where it moved: "Rated 9: the next withdrawal card
    /// is a level easier (beginner); 8 or more moves down, 3 or less up."
    pub fn sentence(&self, rule: LevelRule) -> String {
        if self.retry {
            return format!(
                "Retry rated {}: {}. Only the first try moves the level: the next {} card stays {}.",
                self.rating,
                landed(rule, self.rating, &[]),
                self.kind.as_str(),
                self.level.as_str()
            );
        }
        let what = match self.movement {
            Move::Down if self.level == self.from => {
                format!("still {}, the easiest", self.level.as_str())
            }
            Move::Up if self.level == self.from => {
                format!("still {}, the hardest", self.level.as_str())
            }
            Move::Down => format!("a level easier ({})", self.level.as_str()),
            Move::Up => format!("a level harder ({})", self.level.as_str()),
            Move::Stay => format!("at the same level ({})", self.level.as_str()),
        };
        format!(
            "Rated {}: the next {} card is {what}; {} or more moves down, {} or less up.",
            self.rating,
            self.kind.as_str(),
            rule.down_at,
            rule.up_at
        )
    }
}

/// A drill in progress.
#[derive(Debug, Clone)]
pub struct Drill {
    protocol: Protocol,
    options: DrillOptions,
    schedule: Schedule,
    /// The cards to choose from, shuffled once by the seed.
    deck: Vec<Scenario>,
    /// Cards already drilled this time.
    drilled: Vec<bool>,
    /// The criteria drilled: (full id such as `reflect.guess`, text).
    criteria: Vec<(String, String)>,
    /// The self-report is asked (a focused step observers cannot see).
    self_report: bool,
    levels: [Level; 2],
    current: Attempt,
    records: Vec<DrillCardRecord>,
    phase: Phase,
    last_change: Option<LevelChange>,
    started: Instant,
    session_id: String,
    started_at: DateTime<FixedOffset>,
    /// How the drill stood just before the last attempt was kept, while
    /// that can still be undone.
    undo: Option<Box<Before>>,
}

/// What keeping an attempt changed, to put back on [`Action::Undo`].
#[derive(Debug, Clone)]
struct Before {
    current: Attempt,
    levels: [Level; 2],
    last_change: Option<LevelChange>,
    drilled: Vec<bool>,
}

impl Drill {
    /// A drill at its first screen ([`Phase::Intro`]; [`Action::Begin`]
    /// starts the first card's scan), or `None` when no card fits the kind
    /// and tag asked for. `schedule` comes from the saved drills.
    pub fn new(
        protocol: Protocol,
        options: DrillOptions,
        schedule: Schedule,
        session_id: String,
        started_at: DateTime<FixedOffset>,
        now: Instant,
    ) -> Option<Self> {
        let mut deck: Vec<Scenario> = protocol
            .scenarios
            .iter()
            .filter(|s| options.kind.is_none_or(|k| s.kind == k))
            .filter(|s| options.tag.is_none_or(|t| s.tags.contains(&t)))
            .filter(|s| !options.due_only || schedule.is_due(&s.id, options.today))
            .filter(|s| options.exclude.allows(s))
            .cloned()
            .collect();
        SplitMix64::new(options.seed).shuffle(&mut deck);
        let focus: Vec<&crate::protocol::Step> = match &options.step {
            Some(id) => protocol.steps.iter().filter(|s| &s.id == id).collect(),
            None => protocol.steps.iter().collect(),
        };
        // Alone, the one who checks is the one who responded: a named step
        // that observers cannot see (the scan) is self-checked by its own
        // criteria. Across every step, only what one response can show is
        // checked (the later steps happen after the moment).
        let criteria = focus
            .iter()
            .filter(|s| s.observable || options.step.is_some())
            .flat_map(|s| {
                s.criteria
                    .iter()
                    .map(|c| (c.full_id(&s.id), c.text.clone()))
            })
            .collect();
        let self_report = focus.iter().any(|s| !s.observable);
        let levels = ScenarioKind::ALL.map(|k| {
            options
                .level
                .or_else(|| schedule.level(k))
                .unwrap_or(Level::Beginner)
        });
        let drilled = vec![false; deck.len()];
        let first = schedule.next(
            &deck,
            &drilled,
            |k| levels[kind_index(k)].pool(),
            options.today,
        )?;
        let card = deck[first].clone();
        let level = levels[kind_index(card.kind)];
        let mut drill = Drill {
            protocol,
            options,
            schedule,
            deck,
            drilled,
            criteria,
            self_report,
            levels,
            current: Attempt {
                number: 1,
                card,
                attempt: 1,
                level,
                response: String::new(),
                respond_seconds: 0,
                guess: MarkerGuess::Unsure,
                met: Vec::new(),
                self_report: String::new(),
                rating: DEFAULT_RATING,
            },
            records: Vec::new(),
            phase: Phase::Closing,
            last_change: None,
            started: now,
            session_id,
            started_at,
            undo: None,
        };
        drill.drilled[first] = true;
        drill.begin(now);
        drill.phase = Phase::Intro;
        Some(drill)
    }

    fn begin(&mut self, now: Instant) {
        self.current.met = vec![false; self.criteria.len()];
        self.current.response.clear();
        self.current.self_report.clear();
        self.current.respond_seconds = 0;
        self.current.guess = MarkerGuess::Unsure;
        self.current.rating = DEFAULT_RATING;
        // A content note comes before its card, once (not on a retry).
        if self.current.attempt == 1 && self.current.card.content_note().is_some() {
            self.phase = Phase::Notice;
        } else {
            self.scan(now);
        }
    }

    fn scan(&mut self, now: Instant) {
        self.phase = Phase::Scan(PauseTimer::start(
            Duration::from_secs(u64::from(self.options.scan_seconds.max(1))),
            now,
        ));
    }

    /// Whether [`Action::Undo`] takes back a rating now: one was just kept,
    /// and the next response is not done yet.
    pub fn can_undo(&self) -> bool {
        self.undo.is_some()
    }

    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    pub fn options(&self) -> &DrillOptions {
        &self.options
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// The attempt under way (on the summary: the last one).
    pub fn current(&self) -> &Attempt {
        &self.current
    }

    /// The criteria drilled: (full id such as `reflect.guess`, text), in
    /// protocol order.
    pub fn criteria(&self) -> &[(String, String)] {
        &self.criteria
    }

    /// Whether the self-report is asked (the focus is a step nobody sees).
    pub fn asks_self_report(&self) -> bool {
        self.self_report
    }

    /// Every attempt kept so far.
    pub fn records(&self) -> &[DrillCardRecord] {
        &self.records
    }

    /// How the last kept rating moved the level, if it did anything yet.
    pub fn last_change(&self) -> Option<LevelChange> {
        self.last_change
    }

    /// The level of the next card of `kind`.
    pub fn level(&self, kind: ScenarioKind) -> Level {
        self.levels[kind_index(kind)]
    }

    /// Cards finished (at least one attempt kept).
    pub fn cards_done(&self) -> usize {
        self.records.last().map_or(0, |r| r.number)
    }

    /// The card under way was due (not new, not early) when it was dealt.
    pub fn is_due(&self) -> bool {
        self.schedule
            .is_due(&self.current.card.id, self.options.today)
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The response's time limit, when it has one.
    pub fn respond_length(&self) -> Option<Duration> {
        (!self.options.typed && self.options.respond_seconds > 0)
            .then(|| Duration::from_secs(u64::from(self.options.respond_seconds)))
    }

    /// When the drill's minutes are up.
    pub fn ends_at(&self) -> Instant {
        self.started + Duration::from_secs(u64::from(self.options.minutes) * 60)
    }

    pub fn apply(&mut self, action: Action, now: Instant) -> Outcome {
        let changed = Outcome {
            changed: true,
            ..Outcome::default()
        };
        match (&mut self.phase, action) {
            (Phase::Intro, Action::Begin) => {
                // The time limit counts from the first card, not from
                // when the first screen was opened.
                self.started = now;
                self.begin(now);
                changed
            }
            (Phase::Notice, Action::Deal) => {
                self.scan(now);
                changed
            }
            (Phase::Notice, Action::Skip) => {
                self.deal(now);
                changed
            }
            (_, Action::Undo) => match self.undo.take() {
                Some(before) => {
                    let before = *before;
                    self.records.pop();
                    self.current = before.current;
                    self.levels = before.levels;
                    self.last_change = before.last_change;
                    self.drilled = before.drilled;
                    self.phase = Phase::Assess;
                    // The rewritten session has one attempt less.
                    Outcome {
                        kept: true,
                        ..changed
                    }
                }
                None => Outcome::default(),
            },
            (Phase::Scan(_), Action::EndScan) => {
                self.respond(now);
                changed
            }
            (Phase::Respond { .. }, Action::SetResponse(text)) if self.options.typed => {
                self.current.response = text;
                changed
            }
            (Phase::Respond { timer: Some(t), .. }, Action::ToggleHold) => {
                t.toggle(now);
                changed
            }
            (Phase::Respond { started, .. }, Action::EndResponse) => {
                let took = now.saturating_duration_since(*started);
                self.current.respond_seconds = (took + Duration::from_millis(500)).as_secs();
                self.phase = Phase::Guess;
                // The next card is answered: the last rating stands.
                self.undo = None;
                changed
            }
            (Phase::Guess, Action::Guess(guess)) => {
                self.current.guess = guess;
                self.phase = Phase::Reveal;
                changed
            }
            (Phase::Reveal, Action::Assess) => {
                self.phase = Phase::Assess;
                changed
            }
            (Phase::Assess, Action::Toggle(i)) => match self.current.met.get_mut(i) {
                Some(tick) => {
                    *tick = !*tick;
                    changed
                }
                None => Outcome::default(),
            },
            (Phase::Assess, Action::SetSelfReport(text)) if self.self_report => {
                self.current.self_report = text;
                changed
            }
            (Phase::Assess, Action::SetRating(r)) => {
                self.current.rating = r.min(MAX_RATING);
                changed
            }
            (Phase::Assess, Action::Again) => {
                self.keep();
                self.current.attempt += 1;
                self.begin(now);
                Outcome {
                    kept: true,
                    ..changed
                }
            }
            (Phase::Assess, Action::Next) => {
                self.keep();
                self.next_card(now);
                Outcome {
                    kept: true,
                    ..changed
                }
            }
            (Phase::Closing, Action::Stop) => Outcome::default(),
            (_, Action::Stop) => {
                // An attempt is kept only once its assessment is done.
                self.phase = Phase::Closing;
                self.undo = None;
                changed
            }
            _ => Outcome::default(),
        }
    }

    fn respond(&mut self, now: Instant) {
        self.phase = Phase::Respond {
            timer: self.respond_length().map(|d| PauseTimer::start(d, now)),
            started: now,
        };
    }

    /// The passing of time: the scan ends into the response, a spoken
    /// response's timer ends into the marker question.
    pub fn tick(&mut self, now: Instant) -> Outcome {
        match &self.phase {
            Phase::Scan(timer) if timer.is_over(now) => {
                self.respond(now);
                Outcome {
                    changed: true,
                    ..Outcome::default()
                }
            }
            Phase::Respond {
                timer: Some(timer), ..
            } if timer.is_over(now) => {
                self.current.respond_seconds = timer.length().as_secs();
                self.phase = Phase::Guess;
                self.undo = None;
                Outcome {
                    changed: true,
                    time_up: true,
                    kept: false,
                }
            }
            _ => Outcome::default(),
        }
    }

    /// When the display next changes: the next whole second of a timer.
    pub fn next_change(&self, now: Instant) -> Option<Instant> {
        let timer = match &self.phase {
            Phase::Scan(t) => t,
            Phase::Respond { timer: Some(t), .. } => t,
            _ => return None,
        };
        timer.next_second(now)
    }

    /// The model the clinician reads aloud first, when they are at
    /// warm-up (the card's first model response).
    pub fn warm_up_model(&self) -> Option<&str> {
        (self.current.level == Level::WarmUp)
            .then(|| self.current.card.examples.first().map(|e| e.says.trim()))
            .flatten()
    }

    /// Keeps the attempt under way; a first attempt moves the level of its
    /// kind by its rating, a retry leaves it where the first put it.
    fn keep(&mut self) {
        self.undo = Some(Box::new(Before {
            current: self.current.clone(),
            levels: self.levels,
            last_change: self.last_change,
            drilled: self.drilled.clone(),
        }));
        let a = &self.current;
        let kind = a.card.kind;
        let level = if a.attempt <= 1 {
            self.options.rule.next(a.level, a.rating)
        } else {
            self.levels[kind_index(kind)]
        };
        self.levels[kind_index(kind)] = level;
        self.last_change = Some(LevelChange {
            kind,
            from: a.level,
            rating: a.rating,
            movement: self.options.rule.movement(a.rating),
            level,
            retry: a.attempt > 1,
        });
        let (met, missed): (Vec<_>, Vec<_>) = self
            .criteria
            .iter()
            .zip(&a.met)
            .partition(|(_, ticked)| **ticked);
        let text = |v: &[(&(String, String), &bool)]| -> Vec<String> {
            v.iter().map(|(c, _)| c.1.clone()).collect()
        };
        let ids = |v: &[(&(String, String), &bool)]| -> Vec<String> {
            v.iter().map(|(c, _)| c.0.clone()).collect()
        };
        self.records.push(DrillCardRecord {
            number: a.number,
            card: a.card.id.clone(),
            kind: kind.into(),
            level: a.card.level.into(),
            client: a.card.client.clone(),
            attempt: a.attempt,
            rating: a.rating,
            criteria_met: text(&met),
            criteria_missed: text(&missed),
            criteria_met_ids: ids(&met),
            criteria_missed_ids: ids(&missed),
            self_report: self.self_report.then(|| a.self_report.clone()),
            marker_guess: a.guess.sighting().map(Into::into),
            marker_right: a.guess.is_right(&a.card),
            respond_seconds: a.respond_seconds,
            response: self.options.typed.then(|| a.response.clone()),
            next_level: level.into(),
            newer: Default::default(),
        });
    }

    fn next_card(&mut self, now: Instant) {
        if self.cards_done() as u32 >= self.options.cards || now >= self.ends_at() {
            self.phase = Phase::Closing;
            return;
        }
        self.current.number += 1;
        self.deal(now);
    }

    /// Deals the schedule's next card in the current card's place (its
    /// number stays), or ends the drill when none is left.
    fn deal(&mut self, now: Instant) {
        let levels = self.levels;
        match self.schedule.next(
            &self.deck,
            &self.drilled,
            |k| levels[kind_index(k)].pool(),
            self.options.today,
        ) {
            Some(i) => {
                self.drilled[i] = true;
                self.current.card = self.deck[i].clone();
                self.current.level = levels[kind_index(self.current.card.kind)];
                self.current.attempt = 1;
                self.begin(now);
            }
            None => self.phase = Phase::Closing,
        }
    }

    /// The session to save: mode "drill", one record per kept attempt.
    /// `now` is when it is saved: a drill is finished up to its last kept
    /// attempt whenever it is saved (there is nothing to resume), and
    /// complete once its summary is reached.
    pub fn session(&self, now: DateTime<FixedOffset>) -> Session {
        Session {
            id: self.session_id.clone(),
            mode: crate::journal::SessionMode::Drill,
            protocol: self.protocol.id.clone(),
            protocol_title: self.protocol.title.clone(),
            drill: self.options.step.clone(),
            started_at: self.started_at,
            complete: self.phase == Phase::Closing,
            finished_at: Some(now),
            steps: Vec::new(),
            extra: Extra {
                drill_cards: self.records.clone(),
                ..Extra::default()
            },
        }
    }
}

/// What the criteria are about: one step's title, or every step.
pub fn focus_words(drill: &Drill) -> String {
    match &drill.options().step {
        Some(id) => match drill.protocol().step(id) {
            Some(step) => format!("the step \"{}\"", step.title),
            None => format!("the step \"{id}\""),
        },
        None => "every step".into(),
    }
}

/// "new", "due" or "again": how the card under way came up.
pub fn card_origin(d: &Drill) -> &'static str {
    if d.current().attempt > 1 {
        "again"
    } else if d.is_due() {
        "due"
    } else if d.schedule().state(&d.current().card.id).is_some() {
        "early"
    } else {
        "new"
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::protocol::{Pitfall, Step};

    pub(crate) fn step(id: &str, observable: bool, criteria: &[&str]) -> Step {
        Step {
            id: id.into(),
            title: format!("Step {id}"),
            guidance: "g".into(),
            prompts: Vec::new(),
            stems: Vec::new(),
            follow_up: false,
            pause: None,
            criteria: crate::protocol::Criterion::numbered(criteria),
            observable,
        }
    }

    pub(crate) fn card(id: &str, kind: ScenarioKind, level: Level, markers: &[Marker]) -> Scenario {
        Scenario {
            id: id.into(),
            kind,
            level,
            client: format!("What {id} says."),
            scene: Some(format!("Where {id} happens.")),
            direction: Some("Hidden direction.".into()),
            escalate: None,
            soften: None,
            markers: markers.to_vec(),
            examples: vec!["A model response.".into()],
            pitfalls: vec![Pitfall {
                response: "A worse one.".into(),
                why: "it defends".into(),
            }],
            content: Vec::new(),
            tags: vec![Tag::Telehealth],
        }
    }

    /// A small format-2 protocol: a scan nobody can see, two steps with
    /// criteria, and cards of both kinds at every level.
    pub(crate) fn protocol() -> Protocol {
        use Level::*;
        use ScenarioKind::*;
        let mut scenarios = Vec::new();
        for level in Level::ALL {
            for n in 0..2 {
                scenarios.push(card(
                    &format!("w-{}-{n}", level.as_str()),
                    Withdrawal,
                    level,
                    &[Marker::ShiftingTopic],
                ));
                scenarios.push(card(
                    &format!("c-{}-{n}", level.as_str()),
                    Confrontation,
                    level,
                    &[Marker::ComplaintTherapist],
                ));
            }
        }
        let _ = (Beginner, Withdrawal);
        Protocol {
            format: 2,
            id: "drill-test".into(),
            title: "Drill test".into(),
            summary: None,
            source: None,
            focus: Some("reflect".into()),
            steps: vec![
                step(
                    "scan",
                    false,
                    &["pauses before answering", "names what pulled at them"],
                ),
                step(
                    "reflect",
                    true,
                    &["names the experience as a guess", "asks whether it fits"],
                ),
                step("own", true, &["owns a specific part"]),
            ],
            scenarios,
            resolution: vec![(Withdrawal, "Invite the negative feeling.".into())],
            resources: Vec::new(),
        }
    }

    pub(crate) fn options() -> DrillOptions {
        DrillOptions {
            cards: 3,
            minutes: 15,
            scan_seconds: 8,
            respond_seconds: 45,
            typed: false,
            kind: None,
            tag: None,
            level: None,
            step: None,
            seed: 7,
            rule: LevelRule::default(),
            today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            due_only: false,
            exclude: Exclusions::default(),
        }
    }

    pub(crate) fn start(options: DrillOptions, now: Instant) -> Drill {
        let started = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap();
        let mut d = Drill::new(
            protocol(),
            options,
            Schedule::default(),
            "20261130-090000-0000".into(),
            started,
            now,
        )
        .expect("cards");
        assert_eq!(
            *d.phase(),
            Phase::Intro,
            "a drill opens on its first screen"
        );
        d.apply(Action::Begin, now);
        d
    }

    /// Plays the current attempt through to its assessment.
    fn to_assess(d: &mut Drill, guess: MarkerGuess, now: Instant) {
        d.apply(Action::EndScan, now);
        d.apply(Action::EndResponse, now + Duration::from_secs(20));
        d.apply(Action::Guess(guess), now);
        d.apply(Action::Assess, now);
    }

    #[test]
    fn a_card_goes_scan_respond_guess_reveal_assess() {
        let now = Instant::now();
        let mut d = start(options(), now);
        assert!(matches!(d.phase(), Phase::Scan(_)));
        // The scan ends by itself after its eight seconds.
        assert!(!d.tick(now + Duration::from_secs(7)).changed);
        let t = now + Duration::from_secs(8);
        assert!(d.tick(t).changed);
        assert!(matches!(d.phase(), Phase::Respond { timer: Some(_), .. }));
        // Typing is ignored when the response is spoken.
        assert!(!d.apply(Action::SetResponse("x".into()), t).changed);
        // The response timer ends it and rings.
        let out = d.tick(t + Duration::from_secs(45));
        assert!(out.time_up);
        assert_eq!(*d.phase(), Phase::Guess);
        assert_eq!(d.current().respond_seconds, 45);
        d.apply(Action::Guess(MarkerGuess::Marker(Marker::ShiftingTopic)), t);
        assert_eq!(*d.phase(), Phase::Reveal);
        d.apply(Action::Assess, t);
        assert_eq!(*d.phase(), Phase::Assess);
        assert_eq!(d.criteria().len(), 3, "every observable step's criteria");
        assert!(d.asks_self_report(), "the scan is among the steps");
    }

    #[test]
    fn the_rating_moves_the_level_of_that_kind_by_the_shared_rule() {
        let now = Instant::now();
        let mut o = options();
        o.kind = Some(ScenarioKind::Withdrawal);
        o.level = Some(Level::Intermediate);
        o.cards = 4;
        let mut d = start(o, now);
        assert_eq!(d.current().card.level, Level::Intermediate);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::SetRating(8), now);
        d.apply(Action::Next, now);
        let change = d.last_change().unwrap();
        assert_eq!(change.movement, Move::Down);
        assert_eq!(d.level(ScenarioKind::Withdrawal), Level::Beginner);
        assert_eq!(d.current().card.level, Level::Beginner);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::SetRating(3), now);
        d.apply(Action::Next, now);
        assert_eq!(d.current().card.level, Level::Intermediate);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::SetRating(5), now);
        d.apply(Action::Next, now);
        assert_eq!(d.last_change().unwrap().movement, Move::Stay);
        assert_eq!(d.level(ScenarioKind::Withdrawal), Level::Intermediate);
        // Both intermediate cards are drilled: the nearest level, easier first.
        assert_eq!(d.current().card.level, Level::Beginner);
        assert_eq!(d.level(ScenarioKind::Confrontation), Level::Intermediate);
        let levels: Vec<&str> = d.records().iter().map(|r| r.next_level.as_str()).collect();
        assert_eq!(levels, ["beginner", "intermediate", "intermediate"]);
    }

    #[test]
    fn again_retries_the_same_card_at_once_as_a_second_attempt() {
        let now = Instant::now();
        let mut d = start(options(), now);
        let first = d.current().card.id.clone();
        to_assess(&mut d, MarkerGuess::Kind(ScenarioKind::Confrontation), now);
        d.apply(Action::Toggle(0), now);
        let out = d.apply(Action::Again, now);
        assert!(out.kept);
        assert!(matches!(d.phase(), Phase::Scan(_)));
        assert_eq!(d.current().card.id, first);
        assert_eq!(d.current().attempt, 2);
        assert_eq!(d.current().met, vec![false; 3], "a fresh assessment");
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Next, now);
        assert_ne!(d.current().card.id, first);
        let r = d.records();
        assert_eq!((r[0].number, r[0].attempt), (1, 1));
        assert_eq!((r[1].number, r[1].attempt), (1, 2));
        assert_eq!(r[0].criteria_met, ["names the experience as a guess"]);
        assert_eq!(r[0].criteria_missed.len(), 2);
        // Saved by id as well, the ids model responses name.
        assert_eq!(r[0].criteria_met_ids, ["reflect.1"]);
        assert_eq!(r[0].criteria_missed_ids, ["reflect.2", "own.1"]);
        assert_eq!(d.cards_done(), 1);
    }

    #[test]
    fn ends_after_the_cards_or_the_minutes_whichever_first() {
        let now = Instant::now();
        let mut d = start(options(), now);
        for _ in 0..3 {
            to_assess(&mut d, MarkerGuess::Unsure, now);
            d.apply(Action::Next, now);
        }
        assert_eq!(*d.phase(), Phase::Closing);
        assert_eq!(d.cards_done(), 3);

        let mut o = options();
        o.cards = 10;
        o.minutes = 1;
        let mut d = start(o, now);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Next, now + Duration::from_secs(30));
        assert!(matches!(d.phase(), Phase::Scan(_)), "time left");
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Next, now + Duration::from_secs(60));
        assert_eq!(*d.phase(), Phase::Closing);
        assert_eq!(d.cards_done(), 2);
    }

    #[test]
    fn a_step_focus_drills_its_criteria_and_a_hidden_step_asks_the_self_report() {
        let now = Instant::now();
        let mut o = options();
        o.step = Some("reflect".into());
        let d = start(o.clone(), now);
        assert_eq!(d.criteria().len(), 2);
        assert!(!d.asks_self_report());
        o.step = Some("scan".into());
        let mut d = start(o, now);
        // Observers cannot see the scan; the one who did it can check it.
        let ids: Vec<&str> = d.criteria().iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["scan.1", "scan.2"]);
        assert!(d.asks_self_report());
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Toggle(0), now);
        d.apply(
            Action::SetSelfReport("tight jaw, urge to explain".into()),
            now,
        );
        d.apply(Action::Next, now);
        let r = &d.records()[0];
        assert_eq!(r.self_report.as_deref(), Some("tight jaw, urge to explain"));
        assert_eq!(r.criteria_met_ids, ["scan.1"]);
        assert_eq!(r.criteria_missed_ids, ["scan.2"]);
        // The schedule grades the card by them, as for any other step: one
        // of two met is a partial review, not a clean one.
        assert_eq!(
            super::super::schedule::Grade::of_record(r, LevelRule::default()),
            super::super::schedule::Grade::Partial
        );
        assert_eq!(
            d.session(crate::journal::local_now()).drill.as_deref(),
            Some("scan")
        );
    }

    #[test]
    fn typed_responses_are_kept_as_the_cards_notes() {
        let now = Instant::now();
        let mut o = options();
        o.typed = true;
        let mut d = start(o, now);
        d.apply(Action::EndScan, now);
        assert!(matches!(d.phase(), Phase::Respond { timer: None, .. }));
        d.apply(
            Action::SetResponse("It sounds like I missed you.".into()),
            now,
        );
        d.apply(Action::EndResponse, now + Duration::from_secs(31));
        d.apply(
            Action::Guess(MarkerGuess::Marker(Marker::ComplaintTherapist)),
            now,
        );
        d.apply(Action::Assess, now);
        d.apply(Action::Next, now);
        let r = &d.records()[0];
        assert_eq!(r.response.as_deref(), Some("It sounds like I missed you."));
        assert_eq!(r.respond_seconds, 31);
        assert_eq!(
            r.marker_guess.as_ref().map(|g| g.as_str()),
            Some("complaint-therapist")
        );
        assert_eq!(
            r.marker_right,
            d.records()[0].kind.as_str() == "confrontation"
        );
    }

    #[test]
    fn stop_keeps_only_assessed_attempts_and_no_card_repeats() {
        let now = Instant::now();
        let mut o = options();
        o.cards = 12;
        let mut d = start(o, now);
        let mut seen = vec![d.current().card.id.clone()];
        for _ in 0..11 {
            to_assess(&mut d, MarkerGuess::Unsure, now);
            d.apply(Action::Next, now);
            seen.push(d.current().card.id.clone());
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 12, "{seen:?}");
        d.apply(Action::EndScan, now);
        d.apply(Action::Stop, now);
        assert_eq!(*d.phase(), Phase::Closing);
        assert_eq!(d.records().len(), 11);
        let session = d.session(crate::journal::local_now());
        assert!(session.complete && session.finished_at.is_some());
        assert_eq!(session.mode, crate::journal::SessionMode::Drill);
        assert_eq!(session.extra.drill_cards.len(), 11);
    }

    #[test]
    fn no_cards_of_the_tag_is_none() {
        let mut o = options();
        o.tag = Some(Tag::Couple);
        let started = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap();
        assert!(
            Drill::new(
                protocol(),
                o,
                Schedule::default(),
                "x".into(),
                started,
                Instant::now()
            )
            .is_none()
        );
    }

    #[test]
    fn a_retry_says_how_the_models_landed_and_leaves_the_level() {
        let now = Instant::now();
        let mut o = options();
        o.kind = Some(ScenarioKind::Withdrawal);
        o.level = Some(Level::Intermediate);
        let mut d = start(o, now);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::SetRating(9), now);
        d.apply(Action::Again, now);
        assert_eq!(d.level(ScenarioKind::Withdrawal), Level::Beginner);
        assert!(!d.last_change().unwrap().retry);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::SetRating(0), now);
        d.apply(Action::Next, now);
        assert_eq!(
            d.level(ScenarioKind::Withdrawal),
            Level::Beginner,
            "the retry's 0 does not lift it"
        );
        let change = d.last_change().unwrap();
        assert!(change.retry);
        assert_eq!(
            change.sentence(LevelRule::default()),
            "Retry rated 0: the models landed: it came much easier. Only the first try moves the level: the next withdrawal card stays beginner."
        );
        assert_eq!(d.current().card.level, Level::Beginner);
        let levels: Vec<&str> = d.records().iter().map(|r| r.next_level.as_str()).collect();
        assert_eq!(levels, ["beginner", "beginner"]);
    }

    #[test]
    fn too_hard_at_beginner_is_warm_up_with_a_model_read_first_on_beginner_cards() {
        let now = Instant::now();
        let mut o = options();
        o.kind = Some(ScenarioKind::Confrontation);
        o.level = Some(Level::Beginner);
        o.cards = 4;
        let mut d = start(o, now);
        assert_eq!(d.warm_up_model(), None);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::SetRating(10), now);
        d.apply(Action::Next, now);
        assert_eq!(d.level(ScenarioKind::Confrontation), Level::WarmUp);
        assert_eq!(
            d.last_change().unwrap().sentence(LevelRule::default()),
            "Rated 10: the next confrontation card is a level easier (warm-up); 8 or more moves down, 3 or less up."
        );
        assert_eq!(d.current().level, Level::WarmUp);
        assert_eq!(d.current().card.level, Level::Beginner);
        assert_eq!(d.warm_up_model(), Some("A model response."));
        assert_eq!(d.records()[0].next_level.as_str(), "warm-up");
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::SetRating(9), now);
        d.apply(Action::Next, now);
        assert_eq!(
            d.last_change().unwrap().sentence(LevelRule::default()),
            "Rated 9: the next confrontation card is still warm-up, the easiest; 8 or more moves down, 3 or less up."
        );
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::SetRating(2), now);
        d.apply(Action::Next, now);
        assert_eq!(d.level(ScenarioKind::Confrontation), Level::Beginner);
    }

    #[test]
    fn due_only_deals_the_due_cards_and_nothing_else() {
        let now = Instant::now();
        let started = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let yesterday = today.pred_opt().unwrap();
        let mut schedule = Schedule::default();
        // Hard yesterday: due today. Easy yesterday: due in three days.
        schedule.review(
            "c-advanced-1",
            super::super::schedule::Grade::Hard,
            yesterday,
        );
        schedule.review(
            "w-beginner-0",
            super::super::schedule::Grade::Easy,
            yesterday,
        );
        let mut o = options();
        o.due_only = true;
        let mut d = Drill::new(
            protocol(),
            o.clone(),
            schedule.clone(),
            "id".into(),
            started,
            now,
        )
        .expect("one card is due");
        assert_eq!(d.current().card.id, "c-advanced-1");
        assert!(d.is_due());
        // Past the first screen, where nothing runs.
        d.apply(Action::Begin, now);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Next, now);
        assert_eq!(*d.phase(), Phase::Closing, "no other card is due");
        let mut nothing = Schedule::default();
        nothing.review(
            "w-beginner-0",
            super::super::schedule::Grade::Easy,
            yesterday,
        );
        assert!(Drill::new(protocol(), o, nothing, "id".into(), started, now).is_none());
    }

    #[test]
    fn a_card_with_a_content_note_waits_and_can_be_left_out() {
        let now = Instant::now();
        let mut p = protocol();
        for card in p.scenarios.iter_mut() {
            card.content = vec![crate::protocol::Content::Bereavement];
        }
        let mut o = options();
        o.cards = 2;
        let started = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap();
        let mut d = Drill::new(p, o, Schedule::default(), "id".into(), started, now).unwrap();
        d.apply(Action::Begin, now);
        assert_eq!(*d.phase(), Phase::Notice, "the note before the card");
        assert_eq!(d.next_change(now), None, "nothing runs");
        let skipped = d.current().card.id.clone();
        assert!(d.apply(Action::Skip, now).changed);
        assert_eq!(*d.phase(), Phase::Notice);
        assert_ne!(d.current().card.id, skipped);
        assert_eq!(d.current().number, 1, "a card left out does not count");
        d.apply(Action::Deal, now);
        assert!(matches!(d.phase(), Phase::Scan(_)));
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Again, now);
        assert!(
            matches!(d.phase(), Phase::Scan(_)),
            "a retry does not show the note again"
        );
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Next, now);
        assert_eq!(*d.phase(), Phase::Notice);
        assert_ne!(d.current().card.id, skipped, "never dealt after all");
        assert_eq!(d.current().number, 2);
    }

    #[test]
    fn excluded_cards_are_never_dealt_and_nothing_left_is_none() {
        let now = Instant::now();
        let started = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap();
        let mut p = protocol();
        p.scenarios[0].content = vec![crate::protocol::Content::SelfHarm];
        p.scenarios[1].tags = vec![Tag::Couple];
        let mut o = options();
        o.cards = 100;
        o.exclude = Exclusions::new([
            super::super::exclude::Excluded::RiskGroup,
            super::super::exclude::Excluded::Tag(Tag::Couple),
        ]);
        let out = [p.scenarios[0].id.clone(), p.scenarios[1].id.clone()];
        let mut d = Drill::new(
            p.clone(),
            o.clone(),
            Schedule::default(),
            "id".into(),
            started,
            now,
        )
        .unwrap();
        d.apply(Action::Begin, now);
        let mut dealt = Vec::new();
        while *d.phase() != Phase::Closing {
            dealt.push(d.current().card.id.clone());
            to_assess(&mut d, MarkerGuess::Unsure, now);
            d.apply(Action::Next, now);
        }
        assert_eq!(dealt.len(), p.scenarios.len() - 2);
        assert!(dealt.iter().all(|id| !out.contains(id)), "{dealt:?}");
        o.exclude = Exclusions::new([
            super::super::exclude::Excluded::Tag(Tag::Telehealth),
            super::super::exclude::Excluded::Tag(Tag::Couple),
        ]);
        assert!(Drill::new(p, o, Schedule::default(), "id".into(), started, now).is_none());
    }

    #[test]
    fn undo_takes_back_the_last_rating_until_the_next_response_is_done() {
        let now = Instant::now();
        let mut o = options();
        o.level = Some(Level::Intermediate);
        let mut d = start(o, now);
        assert!(!d.can_undo());
        assert!(!d.apply(Action::Undo, now).changed, "nothing to undo yet");
        let first = d.current().card.clone();
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Toggle(1), now);
        d.apply(Action::SetRating(9), now);
        let before = d.current().clone();
        d.apply(Action::Next, now);
        assert!(d.can_undo());
        assert_eq!(d.records().len(), 1);
        assert_eq!(d.level(first.kind), Level::Beginner);
        // Meant 2, not 9: back to the assessment as it was.
        let out = d.apply(Action::Undo, now);
        assert!(out.kept, "the session is saved again, one attempt less");
        assert_eq!(*d.phase(), Phase::Assess);
        assert_eq!(*d.current(), before);
        assert!(d.records().is_empty());
        assert_eq!(d.level(first.kind), Level::Intermediate);
        assert_eq!(d.last_change(), None);
        assert!(!d.can_undo(), "one undo per kept rating");
        d.apply(Action::SetRating(2), now);
        d.apply(Action::Next, now);
        assert_eq!(d.records()[0].rating, 2);
        assert_eq!(d.level(first.kind), Level::Advanced);
        // Once the next response is done, the rating stands.
        d.apply(Action::EndScan, now);
        assert!(d.can_undo());
        d.apply(Action::EndResponse, now);
        assert!(!d.can_undo());
        assert!(!d.apply(Action::Undo, now).changed);
        assert_eq!(d.records().len(), 1);
    }

    #[test]
    fn undo_after_the_last_card_reopens_its_assessment() {
        let now = Instant::now();
        let mut o = options();
        o.cards = 1;
        let mut d = start(o, now);
        to_assess(&mut d, MarkerGuess::Unsure, now);
        d.apply(Action::Next, now);
        assert_eq!(*d.phase(), Phase::Closing);
        d.apply(Action::Undo, now);
        assert_eq!(*d.phase(), Phase::Assess);
        d.apply(Action::Next, now);
        assert_eq!(*d.phase(), Phase::Closing);
        assert_eq!(d.records().len(), 1);
    }

    #[test]
    fn guesses() {
        let c = card(
            "x",
            ScenarioKind::Withdrawal,
            Level::Beginner,
            &[Marker::Denial],
        );
        assert!(MarkerGuess::Marker(Marker::Denial).is_right(&c));
        assert!(!MarkerGuess::Marker(Marker::ShiftingTopic).is_right(&c));
        assert!(MarkerGuess::Kind(ScenarioKind::Withdrawal).is_right(&c));
        assert!(!MarkerGuess::Unsure.is_right(&c));
        assert_eq!(MarkerGuess::choices().len(), 1 + 2 + Marker::ALL.len());
        assert_eq!(
            MarkerGuess::choices()[1].label(),
            "withdrawal, not sure which marker"
        );
    }
}

#[cfg(test)]
mod properties {
    use super::tests::{options, protocol};
    use super::*;
    use proptest::prelude::*;

    fn any_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::EndScan),
            Just(Action::EndResponse),
            Just(Action::Guess(MarkerGuess::Unsure)),
            Just(Action::Assess),
            (0usize..4).prop_map(Action::Toggle),
            (0u8..=12).prop_map(Action::SetRating),
            (0u8..=12).prop_map(Action::SetRating),
            Just(Action::Again),
            Just(Action::Next),
            Just(Action::Next),
            Just(Action::Stop),
        ]
    }

    fn any_word() -> impl Strategy<Value = crate::practice::exclude::Excluded> {
        use crate::practice::exclude::Excluded;
        use crate::protocol::Content;
        prop_oneof![
            Just(Excluded::RiskGroup),
            proptest::sample::select(Tag::ALL).prop_map(Excluded::Tag),
            proptest::sample::select(Content::ALL).prop_map(Excluded::Content),
        ]
    }

    fn any_step() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Begin),
            Just(Action::Deal),
            Just(Action::Skip),
            Just(Action::Undo),
            Just(Action::EndScan),
            Just(Action::EndResponse),
            Just(Action::Guess(MarkerGuess::Unsure)),
            Just(Action::Assess),
            (0u8..=10).prop_map(Action::SetRating),
            Just(Action::Again),
            Just(Action::Next),
            Just(Action::Next),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::practice::proptest_cases(64)))]

        /// Any deck (cards with random tags and content notes), any words
        /// excluded, any actions (skips, retries, undos among them): no
        /// excluded card is ever dealt or kept, and an undo gives back the
        /// drill exactly as it was before the rating it takes back.
        #[test]
        fn no_excluded_card_is_ever_dealt_and_undo_puts_back_what_was(
            marks in proptest::collection::vec(
                (proptest::sample::subsequence(Tag::ALL, 0..3),
                 proptest::sample::subsequence(crate::protocol::Content::ALL, 0..2)),
                24),
            words in proptest::collection::vec(any_word(), 0..4),
            actions in proptest::collection::vec(any_step(), 0..80),
            seed in 0u64..50, cards in 1u32..12,
        ) {
            let mut p = protocol();
            for (card, (tags, content)) in p.scenarios.iter_mut().zip(marks) {
                card.tags = tags;
                card.content = content;
            }
            let mut o = options();
            o.seed = seed;
            o.cards = cards;
            o.exclude = Exclusions::new(words.iter().copied());
            let allowed = |card: &Scenario| words.iter().all(|w| !w.excludes(card));
            let t0 = Instant::now();
            let started = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap();
            let dealable = p.scenarios.iter().any(allowed);
            let Some(mut d) = Drill::new(p, o, Schedule::default(), "id".into(), started, t0) else {
                prop_assert!(!dealable, "a drill starts when any card may be dealt");
                return Ok(());
            };
            for action in actions {
                let before = (d.current().clone(), d.records().to_vec(),
                    ScenarioKind::ALL.map(|k| d.level(k)), d.last_change());
                let could_undo = d.can_undo();
                let undo = action == Action::Undo;
                let out = d.apply(action.clone(), t0);
                prop_assert!(allowed(&d.current().card), "dealt {}", d.current().card.id);
                let kept_allowed = d.records().iter().all(|r| {
                    d.protocol().scenarios.iter().any(|c| c.id == r.card && allowed(c))
                });
                prop_assert!(kept_allowed, "an excluded card was kept");
                if out.kept && !undo {
                    // Undo right away: everything as it was.
                    prop_assert!(d.can_undo());
                    d.apply(Action::Undo, t0);
                    prop_assert_eq!(d.phase(), &Phase::Assess);
                    prop_assert_eq!(&before.0, d.current());
                    prop_assert_eq!(&before.1, &d.records().to_vec());
                    prop_assert_eq!(before.2, ScenarioKind::ALL.map(|k| d.level(k)));
                    prop_assert_eq!(before.3, d.last_change());
                    d.apply(action, t0);
                }
                if undo {
                    prop_assert_eq!(out.changed, could_undo);
                }
            }
        }

        /// Any drill, any answers (whole attempts, rated and kept with
        /// "again" or "next", with stray keys between): nothing panics; a
        /// kind's level moves at most one step per kept attempt and only on
        /// a first attempt; the level kept with each attempt is the drill's
        /// level of that kind.
        #[test]
        fn levels_move_a_step_at_most_and_only_on_a_first_attempt(
            plays in proptest::collection::vec(
                (0u8..=12, any::<bool>(), any_action(), 0u64..30), 0..40),
            start in 0usize..5, seed in 0u64..50, cards in 1u32..12,
        ) {
            let t0 = Instant::now();
            let mut o = options();
            o.level = [None, Some(Level::WarmUp), Some(Level::Beginner), Some(Level::Intermediate), Some(Level::Advanced)][start];
            o.seed = seed;
            o.cards = cards;
            let started = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+01:00").unwrap();
            let mut d = Drill::new(protocol(), o, Schedule::default(), "id".into(), started, t0).unwrap();
            let mut elapsed = 0;
            for (rating, again, stray, secs) in plays {
                elapsed += secs;
                let now = t0 + Duration::from_secs(elapsed);
                d.tick(now);
                let mut actions = vec![
                    stray,
                    Action::EndScan,
                    Action::EndResponse,
                    Action::Guess(MarkerGuess::Unsure),
                    Action::Assess,
                    Action::SetRating(rating),
                ];
                actions.push(if again { Action::Again } else { Action::Next });
                for action in actions {
                    let before = ScenarioKind::ALL.map(|k| d.level(k));
                    let attempt = d.current().clone();
                    let kept = d.apply(action, now).kept;
                    let after = ScenarioKind::ALL.map(|k| d.level(k));
                    if !kept {
                        prop_assert_eq!(before, after);
                        continue;
                    }
                    let k = kind_index(attempt.card.kind);
                    prop_assert_eq!(before[1 - k], after[1 - k], "the other kind stays");
                    prop_assert!(before[k].rank().abs_diff(after[k].rank()) <= 1);
                    if attempt.attempt > 1 {
                        prop_assert_eq!(before[k], after[k], "a retry never moves it");
                    } else {
                        prop_assert_eq!(attempt.level, before[k]);
                    }
                    let record = d.records().last().unwrap();
                    prop_assert_eq!(record.next_level.known(), Some(after[k]));
                }
            }
        }
    }
}
