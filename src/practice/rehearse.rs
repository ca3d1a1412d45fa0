//! A group rehearsal run as deliberate practice: sets of short client
//! statements per trainee, a private direction for the client player, the
//! therapist's own difficulty rating moving their own level, criteria for
//! the observers, and model responses to compare.
//!
//! Each trainee is the therapist for a **set** of cards in a row (default 4);
//! the client is the next seat; everyone else observes; then the roles move
//! on by one seat. A card goes through these phases:
//!
//! 1. `Safety` (first card only): how to play safely.
//! 2. `Direction`: the client player reads the private direction; the
//!    therapist looks away.
//! 3. `Ready`, then `Scan` (one breath before answering, the drill's
//!    scan; `--scan-seconds 0` leaves it out), then `Playing` (one response,
//!    with an optional countdown).
//! 4. `Review`, in this order: the therapist names the marker, rates how hard
//!    it was (0-10) and ticks reactions; the observers tick the criteria met
//!    (observable steps only); one line of feedback; the reveal.
//!
//! One skill at a time: a rehearsal practises one step (by default the
//! protocol's step of the month), and only that step's criteria are shown
//! and ticked, [`CRITERIA_PAGE`] at a time; the reveal leads with the
//! models that meet them. Practising every step is still an option.
//!
//! After each person's set (not the last: the closing de-roles everyone)
//! comes `Derole`: the client player steps out of the role before the roles
//! move on.
//!
//! From the reveal the same therapist may try the same card again at once
//! (`Retry`, any number of times) or go on. Each seat keeps its own level
//! for each kind of rupture (withdrawal and confrontation are different
//! skills) by the [`LevelRule`]: the rating (and the reactions) of the
//! **first** attempt at a card sets the level of that trainee's next card of
//! that kind; a retry, made after reading the models, says how well they
//! landed and leaves the level alone. A trainee at warm-up reads one model
//! aloud before each response and is dealt beginner cards.
//!
//! With two **beats** (the default), the client player also reads the
//! card's continuation lines privately at the direction; after the first
//! response they say the one that fits (or improvise), the screen asks
//! which was played (`Continuation`), and the therapist answers once more
//! (`Playing` again) before the review. A card without continuation lines
//! has one response. With `--improvise`, each trainee's set ends with an
//! improvised segment (`Improvise`): the client player goes on freely from
//! the set's last scene, timed, and the therapist rates it 0-10. The rating
//! is kept but moves no level: the segment is not one card of one kind and
//! level, so a per-kind level has nothing to follow.
//!
//! Cards are dealt from the protocol's deck, shuffled once by a seeded
//! generator, so the same seed and the same answers deal the same cards.
//! A pure state machine: time is an input.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use super::drill::marker_words;
use super::exclude::Exclusions;
use super::level::{LevelRule, MAX_RATING, Move, landed};
use super::pause::PauseTimer;
use super::rng::SplitMix64;
use super::schedule::kind_index;
use crate::journal::{CriterionRecord, Extra, RoundRecord, Session};
use crate::protocol::{Level, Marker, Protocol, Scenario, ScenarioKind};

/// The fewest people a rehearsal needs: a therapist and a client.
pub const MIN_PEOPLE: usize = 2;
/// More than this is more than one screen can show a role for.
pub const MAX_PEOPLE: usize = 12;
/// The most cards one rehearsal may deal (retries do not count).
pub const MAX_ROUNDS: u32 = 100;
/// How long a response is when `--round-seconds` is not given: one short
/// response per card, as the deliberate-practice books run it.
pub const DEFAULT_ROUND_SECONDS: u32 = 60;
/// How many cards in a row each trainee plays as the therapist.
pub const DEFAULT_SET: u32 = 4;
/// The largest set.
pub const MAX_SET: u32 = 20;
/// The one breath before each response, as in the drill.
pub use super::drill::{DEFAULT_SCAN_SECONDS, SCAN_CUE};
/// Responses per card by default: the first, the client's continuation
/// line, the second.
pub const DEFAULT_BEATS: u8 = 2;
/// The longest improvised segment, in minutes.
pub const MAX_IMPROVISE_MINUTES: u32 = 10;
/// The rating a review starts at (and an empty plain answer gives).
pub use super::level::DEFAULT_RATING;
/// How many criteria the observers see at once: three can be held in mind
/// while watching one short response; more are paged through.
pub const CRITERIA_PAGE: usize = 3;

/// Said before the first card.
pub const SAFETY_LINE: &str = "Play each card as written, and keep your own history out of it. Anyone may pause or step out at any time.";
/// The private moment before each new card.
pub const PRIVATE_LINE: &str = "Client, read your direction; therapist, look away.";
/// Said to the client player after each set but the last: `{}` is their
/// name.
pub const SET_DEROLE_LINE: &str =
    "{}, step out of the client's role: shake it off, and say your own name.";
/// Said to everyone at the end.
pub const DEROLE_LINE: &str =
    "Step out of role, everyone: say your own name and one thing that is true for you today.";

/// A role in a round (a word the records keep, so defined with them).
pub use crate::journal::Role;

/// What the therapist noticed in themselves (a word the records keep, so
/// defined with them).
pub use crate::journal::Reaction;

/// The client's line between a card's two responses (a word the records
/// keep, so defined with them).
pub use crate::journal::Continuation;

/// The line a continuation is, as the review and the direction name it.
pub fn continuation_words(c: Continuation) -> &'static str {
    match c {
        Continuation::Escalate => "the line for when the therapist defends or explains",
        Continuation::Soften => "the line for when the therapist owns their part or validates",
        Continuation::Improvised => "improvised",
    }
}

/// Said when a card has no continuation lines (with two beats on).
pub const ONE_BEAT_LINE: &str = "This card has no next line for the client: one response.";

/// The therapist's seat for the `card`-th card (from 0): each seat plays a
/// set of `set` cards in a row, then the next seat.
pub fn therapist_seat(card: usize, set: usize, people: usize) -> usize {
    (card / set.max(1)) % people.max(1)
}

/// The role of `seat` when `therapist` is the therapist's seat: the client
/// is the next seat round the group, everyone else observes.
pub fn role_of(seat: usize, therapist: usize, people: usize) -> Role {
    let people = people.max(1);
    match (seat + people - therapist % people) % people {
        0 => Role::Therapist,
        1 => Role::Client,
        _ => Role::Observer,
    }
}

/// How a rehearsal is set up.
#[derive(Debug, Clone)]
pub struct RehearseOptions {
    /// Names to show, in seat order (`Person 1`... when only a count was given).
    pub people: Vec<String>,
    /// How many cards in all (retries do not count).
    pub rounds: u32,
    /// Cards in a row per therapist before the roles move on.
    pub set: u32,
    /// 0: no timer.
    pub round_seconds: u32,
    /// Only cards of this kind.
    pub kind: Option<ScenarioKind>,
    /// Every trainee's first level, for both kinds.
    pub level: Level,
    pub seed: u64,
    /// Show the card's kind and level before the review (`--show-kind`).
    pub show_kind: bool,
    /// When a rating moves a trainee's level.
    pub rule: LevelRule,
    /// Cards never dealt (`--exclude-tag`, the `exclude_tags` setting).
    pub exclude: Exclusions,
    /// The trainer's name, shown on screen and never saved (`--trainer`):
    /// not one of `people`, so never dealt a role. With a trainer, each
    /// review has the trainer's point before the reveal.
    pub trainer: Option<String>,
    /// The step practised, by id: only its criteria are shown and ticked.
    /// `None`: every step observers can see.
    pub step: Option<String>,
    /// The one breath before each response, in seconds; 0: none.
    pub scan_seconds: u32,
    /// Responses per card: 1, or 2 with the client's continuation line
    /// between them (cards without such lines have one).
    pub beats: u8,
    /// An improvised segment of this many minutes after each set; 0: none.
    pub improvise_minutes: u32,
}

impl RehearseOptions {
    /// The defaults for these people: one set each, a minute per response,
    /// one response per card, no improvised segment.
    pub fn new(people: Vec<String>, seed: u64) -> Self {
        let rounds = (people.len() as u32 * DEFAULT_SET).min(MAX_ROUNDS);
        RehearseOptions {
            people,
            rounds,
            set: DEFAULT_SET,
            round_seconds: DEFAULT_ROUND_SECONDS,
            kind: None,
            level: Level::Beginner,
            seed,
            show_kind: false,
            rule: LevelRule::default(),
            exclude: Exclusions::default(),
            trainer: None,
            step: None,
            scan_seconds: DEFAULT_SCAN_SECONDS,
            // One response per card, as before the second beat; the
            // command gives `DEFAULT_BEATS` unless `--beats` says otherwise.
            beats: 1,
            improvise_minutes: 0,
        }
    }
}

/// The parts of the review, in the order they are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The therapist names the marker they saw.
    Marker,
    /// The therapist rates how hard it was and ticks reactions.
    Rating,
    /// The observers tick the criteria met.
    Criteria,
    /// One line of feedback.
    Feedback,
    /// The trainer's one corrective point (only with a trainer).
    Point,
    /// The card's kind, markers, models, pitfalls, lines and guidance.
    Reveal,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Marker,
        Stage::Rating,
        Stage::Criteria,
        Stage::Feedback,
        Stage::Point,
        Stage::Reveal,
    ];

    pub fn next(self) -> Option<Stage> {
        Stage::ALL.get(self as usize + 1).copied()
    }

    pub fn previous(self) -> Option<Stage> {
        (self as usize).checked_sub(1).map(|i| Stage::ALL[i])
    }

    /// As shown in headings.
    pub fn title(self) -> &'static str {
        match self {
            Stage::Marker => "What did you see?",
            Stage::Rating => "How hard was it?",
            Stage::Criteria => "What did the response do?",
            Stage::Feedback => "One line of feedback",
            Stage::Point => "The trainer's point",
            Stage::Reveal => "The reveal",
        }
    }
}

/// Where the current card is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Before the first card: how to play safely.
    Safety,
    /// The client player reads the private direction; the therapist looks away.
    Direction,
    /// The scene and statement are shown; the response has not begun.
    Ready,
    /// One breath before answering: the scan's countdown.
    Scan(PauseTimer),
    /// The response is under way; the timer, if there is one.
    Playing(Option<PauseTimer>),
    /// The review, at one of its stages.
    Review(Stage),
    /// Every card is done (or the group stopped): the closing summary.
    Closing,
    /// A person's set is over and more cards follow: the client player
    /// steps out of the role (the round is still the set's last).
    Derole,
    /// Between the two responses: the client player has said the line that
    /// fits (or improvised); the screen asks which.
    Continuation,
    /// After a set: the improvised segment, at one of its parts.
    Improvise(Improv),
}

/// The parts of an improvised segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Improv {
    /// What it is; Enter starts it, or it is skipped.
    Offer,
    /// Under way, with its timer.
    Playing(Option<PauseTimer>),
    /// The therapist rates it, 0 to 10.
    Rating,
}

/// An improvised segment, rated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Improvisation {
    /// The [`Round::number`] of the last response before it.
    pub after_round: usize,
    pub therapist: usize,
    pub client: usize,
    pub minutes: u32,
    /// 0 (easy) to 10 (very hard).
    pub rating: u8,
}

/// A criterion of a good response the observers can tick: one of an
/// observable step's criteria, or the step itself when it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub step_id: String,
    pub step_title: String,
    /// From 1 within the step; 0 for the step itself.
    pub number: usize,
    pub text: String,
    /// The full id (`reflect.guess`) model responses name it by; the step's
    /// own id for the step itself.
    pub id: String,
}

/// The criteria of a protocol, observable steps only, in protocol order.
pub fn criteria_of(protocol: &Protocol) -> Vec<Criterion> {
    let mut out = Vec::new();
    for step in protocol.steps.iter().filter(|s| s.observable) {
        if step.criteria.is_empty() {
            out.push(Criterion {
                step_id: step.id.clone(),
                step_title: step.title.clone(),
                number: 0,
                text: step.title.clone(),
                id: step.id.clone(),
            });
        }
        for (i, criterion) in step.criteria.iter().enumerate() {
            out.push(Criterion {
                step_id: step.id.clone(),
                step_title: step.title.clone(),
                number: i + 1,
                text: criterion.text.clone(),
                id: criterion.full_id(&step.id),
            });
        }
    }
    out
}

/// The criteria observers tick when practising `step` (an id; `None`: every
/// step observers can see, as [`criteria_of`]). A step chosen for practice
/// shows its criteria even when observers cannot see the step itself (the
/// scan): the therapist says afterwards what happened inside. A step
/// without criteria is one item; an id no step has gives none.
pub fn criteria_for(protocol: &Protocol, step: Option<&str>) -> Vec<Criterion> {
    let Some(id) = step else {
        return criteria_of(protocol);
    };
    let Some(step) = protocol.step(id) else {
        return Vec::new();
    };
    if step.criteria.is_empty() {
        return vec![Criterion {
            step_id: step.id.clone(),
            step_title: step.title.clone(),
            number: 0,
            text: step.title.clone(),
            id: step.id.clone(),
        }];
    }
    step.criteria
        .iter()
        .enumerate()
        .map(|(i, criterion)| Criterion {
            step_id: step.id.clone(),
            step_title: step.title.clone(),
            number: i + 1,
            text: criterion.text.clone(),
            id: criterion.full_id(&step.id),
        })
        .collect()
}

/// Said at the criteria when the step practised happens inside the
/// therapist (the scan): what happened there is heard, then ticked.
pub fn inner_step_line(therapist: &str) -> String {
    format!(
        "This step happens inside the therapist: {therapist}, say in a sentence what you noticed in yourself and what you felt pulled to do; then tick."
    )
}

/// One response to a card: its card, roles and review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// From 1, counting every response (retries too).
    pub number: usize,
    /// Which card, from 1 (retries share it).
    pub card_number: usize,
    /// Which try at this card, from 1.
    pub attempt: u32,
    pub card: Scenario,
    pub therapist: usize,
    pub client: usize,
    /// The therapist's own level when the card was dealt.
    pub level: Level,
    /// The kind the therapist named; `None`: not sure.
    pub guess_kind: Option<ScenarioKind>,
    /// The marker the therapist named, if any.
    pub guess_marker: Option<Marker>,
    /// 0 (easy) to 10 (very hard).
    pub rating: u8,
    pub reactions: Vec<Reaction>,
    /// One per [`Rehearsal::criteria`].
    pub criteria: Vec<bool>,
    pub feedback: String,
    /// The trainer's corrective point for this response, if one was given.
    pub point: Option<TrainerPoint>,
    /// How many responses this card has (2: the client's continuation line
    /// between them).
    pub beats: u8,
    /// Which response is under way, from 1.
    pub beat: u8,
    /// The line the client played between the responses (`None`: not
    /// marked, or one beat).
    pub continuation: Option<Continuation>,
}

/// The trainer's one corrective point after a response: typed, or one of
/// the criteria the response did not meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainerPoint {
    /// What to try next time, without the "Next time, try" the screen adds.
    pub text: String,
    /// The criterion it was picked from (by place in
    /// [`Rehearsal::criteria`]); `None` when typed.
    pub criterion: Option<usize>,
}

impl TrainerPoint {
    /// A typed point: a leading "Next time, try" (which the screen adds
    /// anyway) is dropped, so it is never said twice. `None` when empty.
    pub fn typed(text: &str) -> Option<TrainerPoint> {
        // A prefix in any case, ASCII only, so the cut is on a character.
        fn without<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
            text.get(..prefix.len())
                .filter(|head| head.eq_ignore_ascii_case(prefix))
                .map(|_| &text[prefix.len()..])
        }
        let text = text.trim();
        let text = without(text, "next time")
            .and_then(|rest| without(rest.trim_start_matches([',', ' ']), "try"))
            // "try" as a word ("trying" stays as typed).
            .filter(|rest| !rest.starts_with(char::is_alphabetic))
            .unwrap_or(text);
        let text = text.trim_start_matches([':', ',', ' ']).trim();
        (!text.is_empty()).then(|| TrainerPoint {
            text: text.to_string(),
            criterion: None,
        })
    }

    /// As the therapist reads it: "Next time, try: ...".
    pub fn words(&self) -> String {
        format!("{POINT_LEAD} {}", self.text)
    }
}

/// What every trainer's point begins with (the records read it the same).
pub use crate::journal::cards::POINT_LEAD;

impl Round {
    /// Whether the kind named is the card's (`None`: none named).
    pub fn kind_right(&self) -> Option<bool> {
        self.guess_kind.map(|k| k == self.card.kind)
    }

    /// Whether the marker named is one of the card's (`None`: none named).
    pub fn marker_right(&self) -> Option<bool> {
        self.guess_marker.map(|m| self.card.markers.contains(&m))
    }
}

/// Something the group does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Forward: past the safety line or the direction, start the response,
    /// end it early, the next review stage, or (from the reveal) the next card.
    Next,
    /// Back one review stage.
    Back,
    /// Hold or resume the timer.
    ToggleHold,
    GuessKind(Option<ScenarioKind>),
    GuessMarker(Option<Marker>),
    /// The difficulty, 0 to 10 (larger values are taken as 10).
    Rate(u8),
    ToggleReaction(Reaction),
    /// Tick or untick a criterion (by position in [`Rehearsal::criteria`]).
    ToggleCriterion(usize),
    SetFeedback(String),
    /// The trainer's point, typed (empty: none).
    SetPoint(String),
    /// The trainer's point picked from a criterion not met (by position in
    /// [`Rehearsal::criteria`]); picking the one already picked clears it.
    PickPoint(usize),
    /// From the reveal: the same therapist tries the same card again.
    Retry,
    /// Stop early: the closing summary of the responses reviewed so far.
    Stop,
    /// On the criteria: the next three (`1`) or the three before (`-1`).
    CriteriaPage(i8),
    /// Between the two responses: which line the client played.
    Played(Option<Continuation>),
    /// Skip the improvised segment.
    Skip,
}

/// What an action or the passing of time did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    pub changed: bool,
    /// The timer ran out just now: ring the bell once.
    pub time_up: bool,
}

pub use super::reveal::{RevealItem, RevealPart};

/// How a trainee did over the rehearsal, for the closing screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatSummary {
    pub seat: usize,
    /// Cards played as the therapist.
    pub cards: usize,
    /// Tries beyond the first.
    pub retries: usize,
    /// Every rating, in order.
    pub ratings: Vec<u8>,
    /// Times the kind was named, and named right.
    pub kinds_named: usize,
    pub kinds_right: usize,
    /// Times a marker was named, and was one of the card's.
    pub markers_named: usize,
    pub markers_right: usize,
    /// The criterion met most often and how often (none if never met).
    pub most_met: Option<(String, usize)>,
    /// The criterion met least often and how often.
    pub least_met: Option<(String, usize)>,
    /// The level of their next card of each kind in play.
    pub levels: Vec<(ScenarioKind, Level)>,
    /// The ratings of their improvised segments, in order.
    pub improvised: Vec<u8>,
}

impl SeatSummary {
    /// The summary as one sentence after the person's name.
    pub fn text(&self) -> String {
        if self.cards == 0 {
            return "no cards as the therapist.".into();
        }
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let ratings: Vec<String> = self.ratings.iter().map(u8::to_string).collect();
        let mut parts = vec![
            format!(
                "{}, {}",
                plural(self.cards, "card", "cards"),
                plural(self.retries, "retry", "retries")
            ),
            format!("rated {}", ratings.join(", ")),
        ];
        if self.kinds_named > 0 {
            parts.push(format!(
                "named the kind right {} of {}",
                self.kinds_right, self.kinds_named
            ));
        } else {
            parts.push("named no kind".into());
        }
        if self.markers_named > 0 {
            parts.push(format!(
                "the marker {} of {}",
                self.markers_right, self.markers_named
            ));
        }
        match &self.most_met {
            Some((text, n)) => parts.push(format!("met most: {text} ({n})")),
            None => parts.push("no criteria ticked".into()),
        }
        if let Some((text, n)) = &self.least_met {
            parts.push(format!("least: {text} ({n})"));
        }
        if !self.improvised.is_empty() {
            let rated: Vec<String> = self.improvised.iter().map(u8::to_string).collect();
            parts.push(format!("improvised, rated {}", rated.join(", ")));
        }
        match self.levels.as_slice() {
            [(_, level)] => parts.push(format!("next level {}", level.as_str())),
            [(_, first), rest @ ..] if rest.iter().all(|(_, l)| l == first) => {
                parts.push(format!("next level {}", first.as_str()))
            }
            levels => {
                let each: Vec<String> = levels
                    .iter()
                    .map(|(k, l)| format!("{} {}", k.as_str(), l.as_str()))
                    .collect();
                parts.push(format!("next level {}", each.join(", ")))
            }
        }
        format!("{}.", parts.join("; "))
    }
}

/// A card as a summary names it: its client line, cut with `…`.
pub fn card_name(card: &Scenario) -> String {
    super::drill::card_name(&card.client)
}

/// The cards in dealing order, and which have been dealt.
#[derive(Debug, Clone)]
struct Deck {
    cards: Vec<Scenario>,
    dealt: Vec<bool>,
}

impl Deck {
    fn new(
        protocol: &Protocol,
        kind: Option<ScenarioKind>,
        exclude: &Exclusions,
        rng: &mut SplitMix64,
    ) -> Self {
        let mut cards: Vec<Scenario> = protocol
            .scenarios
            .iter()
            .filter(|s| kind.is_none_or(|k| s.kind == k))
            .filter(|s| exclude.allows(s))
            .cloned()
            .collect();
        rng.shuffle(&mut cards);
        let dealt = vec![false; cards.len()];
        Deck { cards, dealt }
    }

    /// The next card at the level `level` gives for its kind (warm-up is
    /// dealt beginner cards), or at the nearest level that has one (easier
    /// first). Once every card has been dealt the deck starts over.
    fn deal(&mut self, level: impl Fn(ScenarioKind) -> Level) -> Option<Scenario> {
        for _ in 0..2 {
            let found = (0..self.cards.len())
                .filter(|&i| !self.dealt[i])
                .min_by_key(|&i| {
                    let card = &self.cards[i];
                    let wanted = level(card.kind).pool();
                    (
                        card.level.rank().abs_diff(wanted.rank()),
                        card.level > wanted,
                        i,
                    )
                });
            if let Some(i) = found {
                self.dealt[i] = true;
                return Some(self.cards[i].clone());
            }
            self.dealt.iter_mut().for_each(|d| *d = false);
        }
        None
    }
}

/// How many responses `card` gets: two when two beats are on and the card
/// has a continuation line to play between them.
fn beats_for(options: &RehearseOptions, card: &Scenario) -> u8 {
    if options.beats >= 2 && (card.escalate.is_some() || card.soften.is_some()) {
        2
    } else {
        1
    }
}

/// A rehearsal in progress.
#[derive(Debug, Clone)]
pub struct Rehearsal {
    protocol: Protocol,
    options: RehearseOptions,
    criteria: Vec<Criterion>,
    deck: Deck,
    /// Each seat's level for their next card of each kind (by
    /// [`kind_index`]).
    levels: Vec<[Level; 2]>,
    /// Responses reviewed, in order.
    done: Vec<Round>,
    /// Improvised segments rated, in order.
    improvised: Vec<Improvisation>,
    /// The rating of the segment under way.
    improv_rating: u8,
    /// The response under way (on the closing screen: the last one).
    current: Round,
    phase: Phase,
    session_id: String,
    started_at: DateTime<FixedOffset>,
    /// Which page of [`CRITERIA_PAGE`] criteria the observers see.
    criteria_page: usize,
}

impl Rehearsal {
    /// A rehearsal at the safety line before the first card, or `None` when
    /// the deck (after the kind filter) has no cards.
    pub fn new(
        protocol: Protocol,
        mut options: RehearseOptions,
        session_id: String,
        started_at: DateTime<FixedOffset>,
    ) -> Option<Self> {
        options.set = options.set.max(1);
        options.rounds = options.rounds.max(1);
        options.beats = options.beats.clamp(1, 2);
        options.improvise_minutes = options.improvise_minutes.min(MAX_IMPROVISE_MINUTES);
        if options.people.is_empty() {
            options.people.push("Person 1".into());
        }
        let mut rng = SplitMix64::new(options.seed);
        let mut deck = Deck::new(&protocol, options.kind, &options.exclude, &mut rng);
        let card = deck.deal(|_| options.level)?;
        let people = options.people.len();
        let criteria = criteria_for(&protocol, options.step.as_deref());
        let levels = vec![[options.level; 2]; people];
        let first = Round {
            number: 1,
            card_number: 1,
            attempt: 1,
            card,
            therapist: 0,
            client: 1 % people,
            level: options.level,
            guess_kind: None,
            guess_marker: None,
            rating: DEFAULT_RATING,
            reactions: Vec::new(),
            criteria: vec![false; criteria.len()],
            feedback: String::new(),
            point: None,
            beats: 1,
            beat: 1,
            continuation: None,
        };
        let mut first = first;
        first.beats = beats_for(&options, &first.card);
        Some(Rehearsal {
            protocol,
            options,
            criteria,
            deck,
            levels,
            done: Vec::new(),
            improvised: Vec::new(),
            improv_rating: DEFAULT_RATING,
            current: first,
            phase: Phase::Safety,
            session_id,
            started_at,
            criteria_page: 0,
        })
    }

    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    pub fn options(&self) -> &RehearseOptions {
        &self.options
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// The criteria the observers tick (observable steps only).
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// The step practised (`None`: every step observers can see).
    pub fn practised_step(&self) -> Option<&crate::protocol::Step> {
        self.options
            .step
            .as_deref()
            .and_then(|id| self.protocol.step(id))
    }

    /// Which step is practised and whether a breath comes before each
    /// response, in one line for the start (screen and plain alike).
    pub fn practising(&self) -> String {
        let step = match self.practised_step() {
            Some(step) => format!(
                "Practising one step: {} (its criteria only; --step all for every step).",
                step.title
            ),
            None => "Practising every step observers can see.".to_string(),
        };
        match self.scan_length() {
            Some(d) => format!(
                "{step} One breath before each response ({}).",
                super::length_words(d.as_secs() as u32)
            ),
            None => step,
        }
    }

    /// How many pages of [`CRITERIA_PAGE`] the criteria take (at least one).
    pub fn criteria_pages(&self) -> usize {
        self.criteria.len().div_ceil(CRITERIA_PAGE).max(1)
    }

    /// The page of criteria the observers see now, from 0.
    pub fn criteria_page(&self) -> usize {
        self.criteria_page
    }

    /// The criteria shown now, by position in [`Rehearsal::criteria`]: at
    /// most [`CRITERIA_PAGE`] of them.
    pub fn shown_criteria(&self) -> std::ops::Range<usize> {
        let start = (self.criteria_page * CRITERIA_PAGE).min(self.criteria.len());
        start..(start + CRITERIA_PAGE).min(self.criteria.len())
    }

    /// The breath before each response, if there is one.
    pub fn scan_length(&self) -> Option<Duration> {
        (self.options.scan_seconds > 0)
            .then(|| Duration::from_secs(u64::from(self.options.scan_seconds)))
    }

    /// The current response (the last one, on the closing screen).
    pub fn round(&self) -> &Round {
        &self.current
    }

    /// Responses that have been reviewed, in order.
    pub fn reviewed(&self) -> &[Round] {
        &self.done
    }

    /// Improvised segments rated, in order.
    pub fn improvisations(&self) -> &[Improvisation] {
        &self.improvised
    }

    /// The rating of the improvised segment under way (while rating it).
    pub fn improvise_rating(&self) -> u8 {
        self.improv_rating
    }

    /// The choices between the two responses: the card's continuation
    /// lines it has, then improvised.
    pub fn continuations(&self, round: &Round) -> Vec<Continuation> {
        let mut out = Vec::new();
        if round.card.escalate.is_some() {
            out.push(Continuation::Escalate);
        }
        if round.card.soften.is_some() {
            out.push(Continuation::Soften);
        }
        out.push(Continuation::Improvised);
        out
    }

    /// The card's line for a continuation (`None` for improvised).
    pub fn continuation_line<'r>(&self, round: &'r Round, c: Continuation) -> Option<&'r str> {
        match c {
            Continuation::Escalate => round.card.escalate.as_deref().map(str::trim),
            Continuation::Soften => round.card.soften.as_deref().map(str::trim),
            Continuation::Improvised => None,
        }
    }

    /// The length of an improvised segment, if there are any.
    pub fn improvise_length(&self) -> Option<Duration> {
        (self.options.improvise_minutes > 0)
            .then(|| Duration::from_secs(u64::from(self.options.improvise_minutes) * 60))
    }

    /// How many cards in all.
    pub fn total_rounds(&self) -> u32 {
        self.options.rounds
    }

    /// Each seat's level for their next card of each kind (by
    /// [`kind_index`]).
    pub fn levels(&self) -> &[[Level; 2]] {
        &self.levels
    }

    /// A seat's level for their next card of `kind`.
    pub fn level_of(&self, seat: usize, kind: ScenarioKind) -> Level {
        self.levels
            .get(seat)
            .map_or(self.options.level, |l| l[kind_index(kind)])
    }

    /// The model the therapist reads aloud first, when they are at warm-up
    /// (the card's first model response).
    pub fn warm_up_model<'r>(&self, round: &'r Round) -> Option<&'r str> {
        (round.level == Level::WarmUp)
            .then(|| round.card.examples.first().map(|e| e.says.trim()))
            .flatten()
    }

    /// The name shown for a seat.
    pub fn name(&self, seat: usize) -> &str {
        self.options
            .people
            .get(seat)
            .map_or("someone", String::as_str)
    }

    /// The role of each seat in a response.
    pub fn roles(&self, round: &Round) -> Vec<Role> {
        let n = self.options.people.len();
        (0..n)
            .map(|seat| role_of(seat, round.therapist, n))
            .collect()
    }

    /// The names of the people with `role` in a response.
    pub fn who(&self, role: Role, round: &Round) -> Vec<&str> {
        self.roles(round)
            .iter()
            .zip(&self.options.people)
            .filter(|(r, _)| **r == role)
            .map(|(_, name)| name.as_str())
            .collect()
    }

    /// Which card of the therapist's set this is, from 1, and the set's size.
    pub fn place_in_set(&self, round: &Round) -> (usize, usize) {
        let set = self.options.set as usize;
        ((round.card_number - 1) % set + 1, set)
    }

    /// The length of a response, if it has a timer.
    pub fn round_length(&self) -> Option<Duration> {
        (self.options.round_seconds > 0)
            .then(|| Duration::from_secs(u64::from(self.options.round_seconds)))
    }

    /// Which way a response's rating (and reactions) point, and the
    /// therapist's level for that kind afterwards. Only a first attempt
    /// moves the level: a retry's level is where the first attempt left it.
    pub fn level_move(&self, round: &Round) -> (Move, Level) {
        let rule = self.options.rule;
        let movement = rule.movement_with(round.rating, &round.reactions);
        if round.attempt <= 1 {
            return (
                movement,
                rule.after(round.level, 1, round.rating, &round.reactions),
            );
        }
        let first = self
            .done
            .iter()
            .find(|r| r.card_number == round.card_number && r.attempt == 1);
        let level = first.map_or(round.level, |first| {
            rule.next_with(first.level, first.rating, &first.reactions)
        });
        (movement, level)
    }

    /// The rule, in one sentence for a rating that moved the level (`None`
    /// when it stays). A retry gets how well the models landed instead.
    pub fn rule_sentence(&self, round: &Round) -> Option<String> {
        let rule = self.options.rule;
        let name = self.name(round.therapist);
        let (movement, level) = self.level_move(round);
        if round.attempt > 1 {
            return Some(format!(
                "Retry rated {}: {}. Only the first try moves the level: {name}'s next {} card stays {}.",
                round.rating,
                landed(rule, round.rating, &round.reactions),
                round.card.kind.as_str(),
                level.as_str()
            ));
        }
        let same = level == round.level;
        if movement == Move::Down && rule.hard_by_reaction(round.rating, &round.reactions) {
            let ticked: Vec<&str> = rule
                .reactions
                .reactions()
                .into_iter()
                .filter(|r| round.reactions.contains(r))
                .map(|r| r.label())
                .collect();
            let to = if same {
                format!("{} is already the easiest", level.as_str())
            } else {
                format!("to {}", level.as_str())
            };
            return Some(format!(
                "Rated {} with \"{}\": {} or more with that counts as too hard; {name}'s next {} card moves down a level, {to}.",
                round.rating,
                ticked.join("\", \""),
                rule.reactions.from,
                round.card.kind.as_str(),
            ));
        }
        match movement {
            Move::Stay => None,
            Move::Down if same => Some(format!(
                "Rated {}: {} or more moves {name}'s next {} card down a level; {} is already the easiest.",
                round.rating,
                rule.down_at,
                round.card.kind.as_str(),
                level.as_str()
            )),
            Move::Down => Some(format!(
                "Rated {}: {} or more moves {name}'s next {} card down a level, to {}.",
                round.rating,
                rule.down_at,
                round.card.kind.as_str(),
                level.as_str()
            )),
            Move::Up if same => Some(format!(
                "Rated {}: {} or less moves {name}'s next {} card up a level; {} is already the hardest.",
                round.rating,
                rule.up_at,
                round.card.kind.as_str(),
                level.as_str()
            )),
            Move::Up => Some(format!(
                "Rated {}: {} or less moves {name}'s next {} card up a level, to {}.",
                round.rating,
                rule.up_at,
                round.card.kind.as_str(),
                level.as_str()
            )),
        }
    }

    fn current(&mut self) -> &mut Round {
        &mut self.current
    }

    pub fn apply(&mut self, action: Action, now: Instant) -> Outcome {
        let changed = Outcome {
            changed: true,
            time_up: false,
        };
        // Read before the match, which holds the phase.
        let (pages, shown) = (self.criteria_pages(), self.shown_criteria());
        match (&mut self.phase, action) {
            (Phase::Closing, _) => Outcome::default(),
            (_, Action::Stop) => {
                // A response stopped before its review is not kept; one
                // stopped during its review is, with what was answered.
                // So is an improvised segment stopped while it is rated.
                match self.phase {
                    Phase::Review(_) => self.settle(),
                    Phase::Improvise(Improv::Rating) => self.keep_improvisation(),
                    _ => {}
                }
                self.phase = Phase::Closing;
                changed
            }
            (Phase::Continuation, Action::Played(c)) => {
                self.current().continuation = c;
                changed
            }
            (Phase::Continuation, Action::Next) => {
                self.current().beat = 2;
                let timer = self.round_length().map(|d| PauseTimer::start(d, now));
                self.phase = Phase::Playing(timer);
                changed
            }
            (Phase::Improvise(_), Action::Skip) => {
                self.move_on();
                changed
            }
            (Phase::Improvise(Improv::Offer), Action::Next) => {
                let timer = self.improvise_length().map(|d| PauseTimer::start(d, now));
                self.improv_rating = DEFAULT_RATING;
                self.phase = Phase::Improvise(Improv::Playing(timer));
                changed
            }
            (Phase::Improvise(Improv::Playing(Some(timer))), Action::ToggleHold) => {
                timer.toggle(now);
                changed
            }
            (Phase::Improvise(Improv::Playing(_)), Action::Next) => {
                self.phase = Phase::Improvise(Improv::Rating);
                changed
            }
            (Phase::Improvise(Improv::Rating), Action::Rate(rating)) => {
                self.improv_rating = rating.min(MAX_RATING);
                changed
            }
            (Phase::Improvise(Improv::Rating), Action::Next) => {
                self.keep_improvisation();
                self.move_on();
                changed
            }
            (Phase::Safety, Action::Next) => {
                self.phase = Phase::Direction;
                changed
            }
            (Phase::Direction, Action::Next) => {
                self.phase = Phase::Ready;
                changed
            }
            (Phase::Ready, Action::Next) => {
                match self.scan_length() {
                    Some(breath) => self.phase = Phase::Scan(PauseTimer::start(breath, now)),
                    None => self.respond(now),
                }
                changed
            }
            (Phase::Scan(_), Action::Next) => {
                self.respond(now);
                changed
            }
            (Phase::Derole, Action::Next) => {
                self.deal_next();
                changed
            }
            (Phase::Review(Stage::Criteria), Action::Next) if self.criteria_page + 1 < pages => {
                self.criteria_page += 1;
                changed
            }
            (Phase::Review(Stage::Criteria), Action::Back) if self.criteria_page > 0 => {
                self.criteria_page -= 1;
                changed
            }
            (Phase::Review(Stage::Criteria), Action::CriteriaPage(by)) => {
                let to = self
                    .criteria_page
                    .saturating_add_signed(isize::from(by))
                    .min(pages - 1);
                let moved = to != self.criteria_page;
                self.criteria_page = to;
                Outcome {
                    changed: moved,
                    time_up: false,
                }
            }
            (Phase::Playing(Some(timer)), Action::ToggleHold) => {
                timer.toggle(now);
                changed
            }
            (Phase::Playing(_), Action::Next) => {
                self.phase = self.after_response();
                changed
            }
            (Phase::Review(stage), Action::Back) => {
                let stage = *stage;
                match self.stage_before(stage) {
                    Some(previous) => {
                        self.phase = Phase::Review(previous);
                        if previous == Stage::Criteria {
                            // Back from the feedback: the last criteria seen.
                            self.criteria_page = self.criteria_pages() - 1;
                        }
                        changed
                    }
                    None => Outcome::default(),
                }
            }
            (Phase::Review(Stage::Reveal), Action::Next) => {
                self.next_card();
                changed
            }
            (Phase::Review(Stage::Reveal), Action::Retry) => {
                self.retry();
                changed
            }
            (Phase::Review(stage), Action::Next) => {
                // `Reveal` is handled above, so there is a next stage.
                let stage = *stage;
                self.phase = Phase::Review(self.stage_after(stage).unwrap_or(Stage::Reveal));
                changed
            }
            (Phase::Review(Stage::Marker), Action::GuessKind(kind)) => {
                let round = self.current();
                round.guess_kind = kind;
                // A marker of the other kind no longer fits the guess.
                if round
                    .guess_marker
                    .is_some_and(|m| kind.is_none_or(|k| m.kind() != k))
                {
                    round.guess_marker = None;
                }
                changed
            }
            (Phase::Review(Stage::Marker), Action::GuessMarker(marker)) => {
                let round = self.current();
                round.guess_marker = marker;
                if let Some(m) = marker {
                    round.guess_kind = Some(m.kind());
                }
                changed
            }
            (Phase::Review(Stage::Rating), Action::Rate(rating)) => {
                self.current().rating = rating.min(MAX_RATING);
                changed
            }
            (Phase::Review(Stage::Rating), Action::ToggleReaction(reaction)) => {
                let reactions = &mut self.current().reactions;
                match reactions.iter().position(|r| *r == reaction) {
                    Some(i) => {
                        reactions.remove(i);
                    }
                    None => {
                        reactions.push(reaction);
                        reactions.sort();
                    }
                }
                changed
            }
            (Phase::Review(Stage::Criteria), Action::ToggleCriterion(i)) if shown.contains(&i) => {
                let round = self.current();
                match round.criteria.get_mut(i) {
                    Some(tick) => {
                        *tick = !*tick;
                        // A point picked from a criterion now met no longer
                        // fits: the trainer picks again.
                        if *tick && round.point.as_ref().is_some_and(|p| p.criterion == Some(i)) {
                            round.point = None;
                        }
                        changed
                    }
                    None => Outcome::default(),
                }
            }
            (Phase::Review(Stage::Point), Action::SetPoint(text)) => {
                let point = TrainerPoint::typed(&text);
                let round = self.current();
                if round.point == point {
                    return Outcome::default();
                }
                round.point = point;
                changed
            }
            (Phase::Review(Stage::Point), Action::PickPoint(i)) => {
                let Some(text) = self
                    .point_choices(&self.current)
                    .contains(&i)
                    .then(|| self.criteria[i].text.clone())
                else {
                    return Outcome::default();
                };
                let round = self.current();
                round.point = if round.point.as_ref().is_some_and(|p| p.criterion == Some(i)) {
                    None
                } else {
                    Some(TrainerPoint {
                        text,
                        criterion: Some(i),
                    })
                };
                changed
            }
            (Phase::Review(Stage::Feedback), Action::SetFeedback(text)) => {
                self.current().feedback = text;
                changed
            }
            _ => Outcome::default(),
        }
    }

    /// The passing of time: ends the breath when its time is up, and a
    /// response whose timer ran out.
    pub fn tick(&mut self, now: Instant) -> Outcome {
        if let Phase::Scan(timer) = &self.phase
            && timer.is_over(now)
        {
            self.respond(now);
            return Outcome {
                changed: true,
                time_up: false,
            };
        }
        if let Phase::Playing(Some(timer)) = &self.phase
            && timer.is_over(now)
        {
            self.phase = self.after_response();
            return Outcome {
                changed: true,
                time_up: true,
            };
        }
        if let Phase::Improvise(Improv::Playing(Some(timer))) = &self.phase
            && timer.is_over(now)
        {
            self.phase = Phase::Improvise(Improv::Rating);
            return Outcome {
                changed: true,
                time_up: true,
            };
        }
        Outcome::default()
    }

    /// When the display next changes: the next whole second of the timer.
    pub fn next_change(&self, now: Instant) -> Option<Instant> {
        match &self.phase {
            Phase::Playing(Some(timer))
            | Phase::Scan(timer)
            | Phase::Improvise(Improv::Playing(Some(timer))) => timer.next_second(now),
            _ => None,
        }
    }

    /// The response begins, with its timer if it has one.
    fn respond(&mut self, now: Instant) {
        let timer = self.round_length().map(|d| PauseTimer::start(d, now));
        self.phase = Phase::Playing(timer);
    }

    /// Whether the card just reviewed ends its therapist's set (the next
    /// card goes to another seat).
    fn set_ends(&self) -> bool {
        let people = self.options.people.len();
        let next = therapist_seat(self.current.card_number, self.options.set as usize, people);
        next != self.current.therapist
    }

    /// The reviewed response is kept, and a first attempt's rating sets
    /// its therapist's level for that kind.
    fn settle(&mut self) {
        self.criteria_page = 0;
        let round = self.current.clone();
        let (_, level) = self.level_move(&round);
        if let Some(slot) = self.levels.get_mut(round.therapist) {
            slot[kind_index(round.card.kind)] = level;
        }
        self.done.push(round);
    }

    fn blank(&self, card: Scenario, card_number: usize, attempt: u32, therapist: usize) -> Round {
        let people = self.options.people.len();
        let card_kind = card.kind;
        let card_for_beats = card.clone();
        Round {
            number: self.done.len() + 1,
            card_number,
            attempt,
            card,
            therapist,
            client: (therapist + 1) % people,
            level: self.level_of(therapist, card_kind),
            guess_kind: None,
            guess_marker: None,
            rating: DEFAULT_RATING,
            reactions: Vec::new(),
            criteria: vec![false; self.criteria.len()],
            feedback: String::new(),
            point: None,
            beats: beats_for(&self.options, &card_for_beats),
            beat: 1,
            continuation: None,
        }
    }

    fn retry(&mut self) {
        self.settle();
        let last = self.round().clone();
        let mut round = self.blank(
            last.card,
            last.card_number,
            last.attempt + 1,
            last.therapist,
        );
        round.level = last.level;
        self.current = round;
        // The client already knows the direction: straight to the response.
        self.phase = Phase::Ready;
    }

    /// Where a response that ended goes: the client's line and the second
    /// response, or the review.
    fn after_response(&self) -> Phase {
        if self.current.beat < self.current.beats {
            Phase::Continuation
        } else {
            Phase::Review(Stage::Marker)
        }
    }

    /// Keeps the improvised segment under way, as rated.
    fn keep_improvisation(&mut self) {
        let last = &self.current;
        self.improvised.push(Improvisation {
            after_round: self.done.last().map_or(0, |r| r.number),
            therapist: last.therapist,
            client: last.client,
            minutes: self.options.improvise_minutes,
            rating: self.improv_rating,
        });
    }

    /// Whether an improvised segment follows the card under way: it ends
    /// its therapist's set (or the rehearsal) and segments are on.
    pub fn improvise_follows(&self) -> bool {
        let number = self.current.card_number;
        self.options.improvise_minutes > 0
            && (number.is_multiple_of(self.options.set.max(1) as usize)
                || number as u32 >= self.options.rounds)
    }

    fn next_card(&mut self) {
        self.settle();
        if self.improvise_follows() {
            self.phase = Phase::Improvise(Improv::Offer);
            return;
        }
        self.move_on();
    }

    /// After a card and its improvised segment: the closing after the
    /// last card; between two sets, the client stepping out of the role;
    /// else the next card.
    fn move_on(&mut self) {
        let number = self.round().card_number;
        if number as u32 >= self.options.rounds {
            self.phase = Phase::Closing;
            return;
        }
        if self.set_ends() {
            self.phase = Phase::Derole;
            return;
        }
        self.deal_next();
    }

    /// Deals the card after the current one, to the seat whose set it is.
    fn deal_next(&mut self) {
        let number = self.round().card_number;
        let people = self.options.people.len();
        let therapist = therapist_seat(number, self.options.set as usize, people);
        let levels = self.levels[therapist];
        let fallback = self.round().card.clone();
        // `new` checked the deck has cards, and `deal` starts the deck over
        // when it runs out, so this always finds one.
        let card = self
            .deck
            .deal(|k| levels[kind_index(k)])
            .unwrap_or(fallback);
        self.current = self.blank(card, number + 1, 1, therapist);
        self.phase = Phase::Direction;
    }

    /// How each seat did as the therapist, in seat order.
    pub fn summaries(&self) -> Vec<SeatSummary> {
        let rounds = self.reviewed();
        (0..self.options.people.len())
            .map(|seat| {
                let mine: Vec<&Round> = rounds.iter().filter(|r| r.therapist == seat).collect();
                let cards = mine.iter().filter(|r| r.attempt == 1).count();
                let mut counts = vec![0usize; self.criteria.len()];
                for round in &mine {
                    for (i, met) in round.criteria.iter().enumerate() {
                        if *met && let Some(c) = counts.get_mut(i) {
                            *c += 1;
                        }
                    }
                }
                let text = |i: usize| self.criteria[i].text.clone();
                let most = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    // The first of the highest, in protocol order.
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
                    .map(|(i, c)| (text(i), *c));
                let least = most
                    .is_some()
                    .then(|| counts.iter().enumerate().min_by_key(|(_, c)| **c))
                    .flatten()
                    .filter(|(i, _)| most.as_ref().is_none_or(|(t, _)| *t != text(*i)))
                    .map(|(i, c)| (text(i), *c));
                SeatSummary {
                    seat,
                    cards,
                    retries: mine.len() - cards,
                    ratings: mine.iter().map(|r| r.rating).collect(),
                    kinds_named: mine.iter().filter(|r| r.guess_kind.is_some()).count(),
                    kinds_right: mine.iter().filter(|r| r.kind_right() == Some(true)).count(),
                    markers_named: mine.iter().filter(|r| r.guess_marker.is_some()).count(),
                    markers_right: mine
                        .iter()
                        .filter(|r| r.marker_right() == Some(true))
                        .count(),
                    most_met: most,
                    least_met: least,
                    levels: self
                        .options
                        .kind
                        .map_or(ScenarioKind::ALL.to_vec(), |k| vec![k])
                        .into_iter()
                        .map(|k| (k, self.level_of(seat, k)))
                        .collect(),
                    improvised: self
                        .improvised
                        .iter()
                        .filter(|i| i.therapist == seat)
                        .map(|i| i.rating)
                        .collect(),
                }
            })
            .collect()
    }

    /// Whether anyone observes: with two people there is only the therapist
    /// and the client, so the therapist ticks the criteria themselves.
    pub fn has_observers(&self) -> bool {
        self.options.people.len() > MIN_PEOPLE
    }

    /// Whether a trainer guides the group (`--trainer`).
    pub fn has_trainer(&self) -> bool {
        self.options.trainer.is_some()
    }

    /// The trainer's name as shown (never saved).
    pub fn trainer_name(&self) -> Option<&str> {
        self.options.trainer.as_deref()
    }

    /// The review's stages in this rehearsal, in order: the trainer's point
    /// only with a trainer.
    pub fn stages(&self) -> Vec<Stage> {
        Stage::ALL
            .into_iter()
            .filter(|s| *s != Stage::Point || self.has_trainer())
            .collect()
    }

    fn stage_after(&self, stage: Stage) -> Option<Stage> {
        let mut next = stage.next();
        while let Some(s) = next
            && !self.stages().contains(&s)
        {
            next = s.next();
        }
        next
    }

    fn stage_before(&self, stage: Stage) -> Option<Stage> {
        let mut before = stage.previous();
        while let Some(s) = before
            && !self.stages().contains(&s)
        {
            before = s.previous();
        }
        before
    }

    /// The criteria the trainer may pick a point from: those the response
    /// did not meet (as the observers, or the therapist, ticked them), by
    /// place in [`Rehearsal::criteria`].
    pub fn point_choices(&self, round: &Round) -> Vec<usize> {
        (0..self.criteria.len())
            .filter(|&i| !round.criteria.get(i).copied().unwrap_or(false))
            .collect()
    }

    /// The trainer's point on screen now, and the seat it was given to:
    /// the point for this response once given (to the reveal), and during
    /// a retry the last point given on this card, so it stays in view while
    /// the therapist tries again.
    pub fn point_on_screen(&self) -> Option<(usize, &TrainerPoint)> {
        let round = &self.current;
        let own = round.point.as_ref().map(|p| (round.therapist, p));
        match self.phase {
            Phase::Review(Stage::Point | Stage::Reveal) if own.is_some() => own,
            Phase::Ready | Phase::Playing(_) | Phase::Review(_) if round.attempt > 1 => self
                .done
                .iter()
                .rev()
                .filter(|r| r.card_number == round.card_number && r.therapist == round.therapist)
                .find_map(|r| r.point.as_ref().map(|p| (r.therapist, p))),
            _ => None,
        }
    }

    /// The closing summary as lines of text: how many cards, a sentence per
    /// seat, and each line of feedback under the card it was about. Printed
    /// in plain mode and on the terminal once the full screen has closed
    /// (names are shown, never stored).
    pub fn summary_lines(&self) -> Vec<String> {
        let rounds = self.reviewed();
        let cards = rounds.iter().filter(|x| x.attempt == 1).count();
        let mut lines = vec![format!(
            "Summary: {cards} of {}, {}.",
            crate::words::count(self.total_rounds() as usize, "card", "cards"),
            crate::words::count(rounds.len(), "response", "responses")
        )];
        for s in self.summaries() {
            lines.push(format!(
                "{} (seat {}): {}",
                self.name(s.seat),
                s.seat + 1,
                s.text()
            ));
        }
        for round in rounds.iter().filter(|x| !x.feedback.is_empty()) {
            lines.push(format!(
                "  Feedback for {} on {}: {}",
                self.name(round.therapist),
                card_name(&round.card),
                round.feedback
            ));
        }
        // Each trainee's points from the trainer, seat by seat.
        for seat in 0..self.options.people.len() {
            for (round, point) in self.points_of(seat) {
                lines.push(format!(
                    "  Trainer's point for {} on {}: {}",
                    self.name(seat),
                    card_name(&round.card),
                    point.words()
                ));
            }
        }
        lines
    }

    /// The trainer's points given to `seat`, with the response each was
    /// about, in order.
    pub fn points_of(&self, seat: usize) -> Vec<(&Round, &TrainerPoint)> {
        self.done
            .iter()
            .filter(|r| r.therapist == seat)
            .filter_map(|r| r.point.as_ref().map(|p| (r, p)))
            .collect()
    }

    /// What the reveal shows for a response, part by part: the card's kind
    /// and markers against what was named, the models, the pitfalls, the
    /// client's next lines, the kind's resolution guidance and the level.
    pub fn reveal(&self, round: &Round) -> Vec<RevealPart> {
        let card = &round.card;
        let mut parts = Vec::new();
        let mut about = vec![format!(
            "{}, {} (card {})",
            card.kind.as_str(),
            card.level.as_str(),
            card.id
        )];
        if !card.markers.is_empty() {
            let markers: Vec<&str> = card.markers.iter().map(|m| marker_words(*m)).collect();
            about.push(format!("Markers: {}", markers.join(", ")));
        }
        let named = match (round.guess_kind, round.kind_right()) {
            (Some(kind), Some(true)) => format!("Named: {} (right)", kind.as_str()),
            (Some(kind), _) => format!(
                "Named: {} (the card is {})",
                kind.as_str(),
                card.kind.as_str()
            ),
            (None, _) => "Named: not sure".to_string(),
        };
        let marker = match (round.guess_marker, round.marker_right()) {
            (Some(m), Some(true)) => format!("; marker {} (one of the card's)", marker_words(m)),
            (Some(m), _) => format!("; marker {} (not one of the card's)", marker_words(m)),
            (None, _) => String::new(),
        };
        about.push(format!("{named}{marker}"));
        parts.push(RevealPart::new("The card", about));
        if round.beats >= 2 {
            let played = match round.continuation {
                Some(Continuation::Improvised) => "The client improvised a next line.".to_string(),
                Some(c) => match self.continuation_line(round, c) {
                    Some(line) => format!(
                        "The client played {}: \u{201c}{line}\u{201d}",
                        continuation_words(c)
                    ),
                    None => format!("The client played {}.", continuation_words(c)),
                },
                None => "Nobody marked which line the client played.".to_string(),
            };
            parts.push(RevealPart::new("The second beat", vec![played]));
        }
        if !card.examples.is_empty() {
            let examples = self.models_in_order(card);
            parts.push(RevealPart::list(
                super::reveal::MODELS_HEADING,
                examples.iter().map(|e| RevealItem::model(e)).collect(),
            ));
        }
        if !card.pitfalls.is_empty() {
            parts.push(RevealPart::list(
                "Pitfalls",
                card.pitfalls.iter().map(RevealItem::pitfall).collect(),
            ));
        }
        if let Some(line) = &card.escalate {
            parts.push(RevealPart::new(
                "If the therapist defends or explains",
                vec![RevealItem::says(line)],
            ));
        }
        if let Some(line) = &card.soften {
            parts.push(RevealPart::new(
                "If the therapist owns their part or validates",
                vec![RevealItem::says(line)],
            ));
        }
        if let Some(text) = self.protocol.resolution_for(card.kind) {
            parts.push(RevealPart::new(
                super::reveal::resolution_heading(card.kind),
                vec![text.trim().to_string()],
            ));
        }
        let level = self.rule_sentence(round).unwrap_or_else(|| {
            let rule = self.options.rule;
            format!(
                "Rated {}: between {} and {} the next {} card stays at {}.",
                round.rating,
                rule.up_at,
                rule.down_at,
                card.kind.as_str(),
                self.level_move(round).1.as_str()
            )
        });
        // First: the line the group needs, seen without scrolling even on
        // a small window.
        parts.insert(0, RevealPart::new("Next card", vec![level]));
        // Next: the trainer's point, for the therapist to take into a retry.
        if let Some(point) = &round.point {
            parts.insert(
                1,
                RevealPart::new("The trainer's point", vec![point.words()]),
            );
        }
        parts
    }

    /// The card's model responses, those that meet the most of the
    /// practised step's criteria first (otherwise in the card's order).
    pub fn models_in_order<'c>(&self, card: &'c Scenario) -> Vec<&'c crate::protocol::Example> {
        let mut examples: Vec<&crate::protocol::Example> = card.examples.iter().collect();
        if self.options.step.is_some() {
            let met = |e: &crate::protocol::Example| {
                self.criteria
                    .iter()
                    .filter(|c| e.meets.contains(&c.id))
                    .count()
            };
            // Stable: models meeting as many keep the card's order.
            examples.sort_by_key(|e| std::cmp::Reverse(met(e)));
        }
        examples
    }

    /// Whether there is anything worth keeping: at least one reviewed response.
    pub fn has_rounds(&self) -> bool {
        !self.reviewed().is_empty()
    }

    /// The session to save (`--save`): roles by seat, never names.
    pub fn session(&self, finished_at: Option<DateTime<FixedOffset>>) -> Session {
        let rounds = self
            .reviewed()
            .iter()
            .map(|round| self.record(round))
            .collect();
        let cards_done = self.reviewed().last().map_or(0, |r| r.card_number as u32);
        Session {
            id: self.session_id.clone(),
            mode: crate::journal::SessionMode::Rehearse,
            protocol: self.protocol.id.clone(),
            protocol_title: self.protocol.title.clone(),
            drill: None,
            started_at: self.started_at,
            complete: finished_at.is_some() && cards_done >= self.options.rounds,
            finished_at,
            steps: Vec::new(),
            extra: Extra {
                intention: None,
                rounds,
                improvised: self
                    .improvised
                    .iter()
                    .map(|i| crate::journal::ImprovisedRecord {
                        after_round: i.after_round,
                        therapist_seat: i.therapist + 1,
                        roles: (0..self.options.people.len())
                            .map(|seat| {
                                role_of(seat, i.therapist, self.options.people.len()).into()
                            })
                            .collect(),
                        minutes: i.minutes,
                        rating: i.rating,
                        newer: Default::default(),
                    })
                    .collect(),
                ..Extra::default()
            },
        }
    }

    fn record(&self, round: &Round) -> RoundRecord {
        let (movement, next_level) = self.level_move(round);
        let met: Vec<&Criterion> = self
            .criteria
            .iter()
            .zip(&round.criteria)
            .filter(|(_, met)| **met)
            .map(|(c, _)| c)
            .collect();
        let mut checklist: Vec<String> = Vec::new();
        for c in &met {
            if !checklist.contains(&c.step_id) {
                checklist.push(c.step_id.clone());
            }
        }
        RoundRecord {
            number: round.number,
            card: round.card.id.clone(),
            kind: round.card.kind.into(),
            level: round.card.level.into(),
            repeated: round.attempt > 1,
            roles: self.roles(round).iter().map(|&r| r.into()).collect(),
            checklist,
            feedback: round.feedback.clone(),
            difficulty: movement.into(),
            attempt: round.attempt,
            therapist_seat: Some(round.therapist + 1),
            therapist_level: Some(round.level.into()),
            next_level: Some(next_level.into()),
            guess_kind: round.guess_kind.map(Into::into),
            guess_kind_right: round.kind_right(),
            guess_marker: round.guess_marker.map(Into::into),
            guess_marker_right: round.marker_right(),
            rating: Some(round.rating),
            reactions: round.reactions.iter().map(|&r| r.into()).collect(),
            step: self.options.step.clone(),
            criteria_met: met
                .iter()
                .map(|c| CriterionRecord {
                    step: c.step_id.clone(),
                    number: c.number,
                    text: c.text.clone(),
                    id: c.id.clone(),
                })
                .collect(),
            trainer_point: round.point.as_ref().map(|p| p.text.clone()),
            trainer_point_criterion: round
                .point
                .as_ref()
                .and_then(|p| p.criterion)
                .and_then(|i| self.criteria.get(i))
                .map(|c| c.id.clone()),
            beats: Some(round.beats),
            continuation: round.continuation.map(Into::into),
            newer: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests_support {
    use super::*;

    /// The built-in protocol with format-2 fields filled in: criteria on two
    /// steps, the scan and the later steps not observable, markers on every
    /// card.
    pub(crate) fn protocol() -> Protocol {
        let mut p = crate::protocol::builtin();
        for step in &mut p.steps {
            step.observable = !matches!(step.id.as_str(), "scan" | "ask-later" | "enjoy");
            step.criteria = if step.id == "reflect" {
                crate::protocol::Criterion::numbered(&[
                    "names the client's experience as a guess",
                    "asks whether it fits",
                    "stops and listens",
                ])
            } else {
                Vec::new()
            };
        }
        for card in &mut p.scenarios {
            card.markers = match card.kind {
                ScenarioKind::Withdrawal => vec![Marker::MinimalResponse],
                ScenarioKind::Confrontation => vec![Marker::ComplaintTherapist],
            };
        }
        p
    }

    pub(crate) fn start(people: usize, rounds: u32, set: u32, seed: u64) -> Rehearsal {
        let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        let mut options =
            RehearseOptions::new((1..=people).map(|i| format!("P{i}")).collect(), seed);
        options.rounds = rounds;
        options.set = set;
        options.round_seconds = 0;
        options.scan_seconds = 0;
        Rehearsal::new(protocol(), options, "id".into(), started).expect("the deck has cards")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::tests_support::start;

    /// From the safety line or the direction to the first review stage.
    fn to_review(r: &mut Rehearsal, now: Instant) {
        while !matches!(r.phase(), Phase::Review(_) | Phase::Closing) {
            r.apply(Action::Next, now);
        }
    }

    /// Plays the current card through with a rating, and goes on.
    fn play(r: &mut Rehearsal, rating: u8, now: Instant) {
        to_review(r, now);
        r.apply(Action::Next, now); // marker
        r.apply(Action::Rate(rating), now);
        while *r.phase() != Phase::Review(Stage::Reveal) {
            r.apply(Action::Next, now);
        }
        r.apply(Action::Next, now);
        // Past the client stepping out of role after a set.
        if *r.phase() == Phase::Derole {
            r.apply(Action::Next, now);
        }
    }

    #[test]
    fn each_seat_is_therapist_for_a_set_then_the_roles_move_on() {
        let now = Instant::now();
        let mut r = start(3, 12, 4, 1);
        let mut therapists = Vec::new();
        let mut clients = Vec::new();
        while *r.phase() != Phase::Closing {
            therapists.push(r.round().therapist);
            clients.push(r.round().client);
            assert_eq!(r.who(Role::Therapist, r.round()).len(), 1);
            play(&mut r, 5, now);
        }
        assert_eq!(therapists, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
        assert_eq!(clients, [1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0]);
        assert_eq!(r.reviewed().len(), 12);
        assert_eq!(therapist_seat(12, 4, 3), 0, "round the group again");
        assert_eq!(role_of(2, 0, 3), Role::Observer);
        assert_eq!(role_of(0, 1, 2), Role::Client);
    }

    #[test]
    fn the_default_is_one_set_each_a_minute_per_response() {
        let o = RehearseOptions::new(vec!["A".into(), "B".into(), "C".into()], 1);
        assert_eq!((o.rounds, o.set, o.round_seconds), (12, 4, 60));
        assert!(!o.show_kind);
        assert_eq!(o.rule, LevelRule::default());
    }

    #[test]
    fn each_seat_keeps_its_own_level_under_a_scripted_sequence_of_ratings() {
        let now = Instant::now();
        // Two people, sets of two: P1, P1, P2, P2, P1, P1, P2, P2; one kind,
        // so one level each.
        let mut r = start(2, 8, 2, 7);
        r.options.kind = Some(ScenarioKind::Withdrawal);
        r.deck = Deck::new(
            &r.protocol,
            r.options.kind,
            &Exclusions::default(),
            &mut SplitMix64::new(7),
        );
        r.current.card = r.deck.deal(|_| Level::Beginner).unwrap();
        let ratings = [2, 2, 9, 5, 6, 0, 4, 2];
        let mut seen = Vec::new();
        for rating in ratings {
            seen.push((r.round().therapist, r.round().level, r.round().card.level));
            play(&mut r, rating, now);
        }
        use Level::*;
        assert_eq!(
            seen,
            [
                (0, Beginner, Beginner),
                (0, Intermediate, Intermediate), // P1 rated 2: up
                (1, Beginner, Beginner),         // P2 starts at the first level
                (1, WarmUp, Beginner),           // P2 rated 9: down, to warm-up
                (0, Advanced, Advanced),         // P1 rated 2 again: up
                (0, Advanced, Advanced),         // 6 stays
                (1, WarmUp, Beginner),           // P2 rated 5: stays at warm-up
                (1, WarmUp, Beginner),           // 4 stays
            ]
        );
        let w = kind_index(ScenarioKind::Withdrawal);
        assert_eq!(r.levels()[0][w], Advanced);
        assert_eq!(r.levels()[1][w], Beginner, "2 at warm-up: up to beginner");
    }

    #[test]
    fn each_seat_keeps_a_level_per_kind() {
        let now = Instant::now();
        let mut r = start(1, 12, 12, 3);
        let mut seen = Vec::new();
        while *r.phase() != Phase::Closing {
            let round = r.round().clone();
            seen.push((round.card.kind, round.level));
            // Withdrawal comes easily, confrontation is hard.
            let rating = match round.card.kind {
                ScenarioKind::Withdrawal => 1,
                ScenarioKind::Confrontation => 9,
            };
            play(&mut r, rating, now);
        }
        let levels = r.levels()[0];
        let played = |k| seen.iter().filter(|(kind, _)| *kind == k).count();
        let (w, c) = (ScenarioKind::Withdrawal, ScenarioKind::Confrontation);
        assert!(played(w) >= 2 && played(c) >= 2, "{seen:?}");
        assert_eq!(levels[kind_index(w)], Level::Advanced, "{seen:?}");
        assert_eq!(levels[kind_index(c)], Level::WarmUp, "{seen:?}");
        // Each kind's level moved only by its own cards, a step at a time.
        for kind in [w, c] {
            let mine: Vec<Level> = seen
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, l)| *l)
                .collect();
            assert!(
                mine.windows(2)
                    .all(|p| p[0].rank().abs_diff(p[1].rank()) <= 1),
                "{mine:?}"
            );
        }
        let summary = &r.summaries()[0];
        assert!(
            summary
                .text()
                .contains("next level withdrawal advanced, confrontation warm-up"),
            "{}",
            summary.text()
        );
    }

    #[test]
    fn only_the_first_attempt_moves_the_level_and_a_retry_says_how_the_models_landed() {
        let now = Instant::now();
        let mut r = start(2, 2, 2, 5);
        let kind = r.round().card.kind;
        to_review(&mut r, now);
        r.apply(Action::Next, now);
        r.apply(Action::Rate(9), now);
        while *r.phase() != Phase::Review(Stage::Reveal) {
            r.apply(Action::Next, now);
        }
        r.apply(Action::Retry, now);
        to_review(&mut r, now);
        r.apply(Action::Next, now);
        r.apply(Action::Rate(1), now);
        assert_eq!(
            r.rule_sentence(r.round()).as_deref(),
            Some(
                "Retry rated 1: the models landed: it came much easier. Only the first try moves the level: P1's next withdrawal card stays warm-up."
                    .replace("withdrawal", kind.as_str())
                    .as_str()
            )
        );
        while *r.phase() != Phase::Review(Stage::Reveal) {
            r.apply(Action::Next, now);
        }
        r.apply(Action::Next, now);
        assert_eq!(
            r.level_of(0, kind),
            Level::WarmUp,
            "the retry's 1 did not lift it"
        );
        let session = r.session(None);
        let retry = &session.extra.rounds[1];
        assert_eq!(retry.attempt, 2);
        assert_eq!(retry.difficulty.as_str(), "too-easy");
        assert_eq!(
            retry.next_level.as_ref().map(|w| w.as_str()),
            Some("warm-up")
        );
        assert_eq!(
            retry.therapist_level.as_ref().map(|w| w.as_str()),
            Some("beginner")
        );
    }

    #[test]
    fn went_blank_or_shame_at_six_moves_the_level_down_and_says_why() {
        let now = Instant::now();
        let mut r = start(2, 2, 2, 5);
        r.options.level = Level::Intermediate;
        r.levels = vec![[Level::Intermediate; 2]; 2];
        r.current.level = Level::Intermediate;
        let kind = r.round().card.kind;
        to_review(&mut r, now);
        r.apply(Action::Next, now);
        r.apply(Action::Rate(6), now);
        assert_eq!(r.rule_sentence(r.round()), None, "6 alone stays");
        r.apply(Action::ToggleReaction(Reaction::WentBlank), now);
        assert_eq!(
            r.rule_sentence(r.round()).as_deref(),
            Some(
                format!(
                    "Rated 6 with \"went blank\": 6 or more with that counts as too hard; P1's next {} card moves down a level, to beginner.",
                    kind.as_str()
                )
                .as_str()
            )
        );
        while *r.phase() != Phase::Review(Stage::Reveal) {
            r.apply(Action::Next, now);
        }
        r.apply(Action::Next, now);
        assert_eq!(r.level_of(0, kind), Level::Beginner);
        assert_eq!(
            r.session(None).extra.rounds[0].difficulty.as_str(),
            "too-hard"
        );
    }

    #[test]
    fn at_warm_up_a_model_is_read_first_and_beginner_cards_are_dealt() {
        let now = Instant::now();
        let mut r = start(2, 3, 3, 5);
        r.options.level = Level::WarmUp;
        r.levels = vec![[Level::WarmUp; 2]; 2];
        r.current.level = Level::WarmUp;
        assert_eq!(
            r.warm_up_model(r.round()),
            r.round().card.examples.first().map(|e| e.says.trim())
        );
        assert!(r.warm_up_model(r.round()).is_some());
        play(&mut r, 5, now);
        assert_eq!(r.round().level, Level::WarmUp);
        assert_eq!(r.round().card.level, Level::Beginner);
    }

    #[test]
    fn thresholds_are_options() {
        let now = Instant::now();
        let mut r = start(2, 4, 4, 7);
        r.options.rule = LevelRule {
            down_at: 6,
            up_at: 4,
            ..LevelRule::default()
        };
        play(&mut r, 4, now);
        assert_eq!(r.round().card.level, Level::Intermediate);
        to_review(&mut r, now);
        r.apply(Action::Next, now);
        r.apply(Action::Rate(6), now);
        assert_eq!(
            r.rule_sentence(r.round()).as_deref(),
            Some(
                format!(
                    "Rated 6: 6 or more moves P1's next {} card down a level, to beginner.",
                    r.round().card.kind.as_str()
                )
                .as_str()
            )
        );
        r.apply(Action::Rate(5), now);
        assert_eq!(r.rule_sentence(r.round()), None);
    }

    #[test]
    fn retry_gives_the_same_card_to_the_same_seat_as_often_as_asked() {
        let now = Instant::now();
        let mut r = start(3, 2, 1, 3);
        let first = r.round().card.clone();
        for attempt in 1..=3 {
            to_review(&mut r, now);
            assert_eq!(r.round().attempt, attempt);
            while *r.phase() != Phase::Review(Stage::Reveal) {
                r.apply(Action::Next, now);
            }
            r.apply(Action::Retry, now);
            assert_eq!(*r.phase(), Phase::Ready, "no second private moment");
            assert_eq!(r.round().card, first);
            assert_eq!(r.round().therapist, 0);
            assert_eq!(r.round().card_number, 1);
        }
        assert_eq!(r.round().attempt, 4);
        play(&mut r, 5, now);
        // Sets of one: the next card goes to the next seat.
        assert_eq!(r.round().therapist, 1);
        assert_eq!(r.round().card_number, 2);
        assert_eq!(r.round().number, 5);
        let s = &r.summaries()[0];
        assert_eq!((s.cards, s.retries), (1, 3));
    }

    #[test]
    fn the_reveal_shows_under_each_model_the_criteria_it_meets() {
        let now = Instant::now();
        let mut r = start(2, 2, 1, 3);
        to_review(&mut r, now);
        let round = r.round().clone();
        let parts = r.reveal(&round);
        let models = parts
            .iter()
            .find(|p| p.heading.starts_with("Model responses"))
            .expect("the reveal has the models");
        assert_eq!(models.items.len(), round.card.examples.len());
        for (i, model) in round.card.examples.iter().enumerate() {
            let under = models.under_item(i).expect("a line under every model");
            assert!(
                under.starts_with(&format!("Meets: {}", model.meets.join(", "))),
                "{under}"
            );
            assert!(under.contains("Strategy: "), "{under}");
        }
        // Other parts have nothing under their items.
        let pitfalls = parts
            .iter()
            .find(|p| p.heading == "Pitfalls")
            .expect("pitfalls");
        assert_eq!(pitfalls.under_item(0), None);
    }

    #[test]
    fn retry_is_only_offered_at_the_reveal() {
        let now = Instant::now();
        let mut r = start(2, 2, 1, 3);
        to_review(&mut r, now);
        assert!(!r.apply(Action::Retry, now).changed);
        assert_eq!(r.round().attempt, 1);
    }

    #[test]
    fn the_review_runs_in_order_and_answers_fit_their_stage() {
        let now = Instant::now();
        let mut r = start(3, 1, 4, 5);
        assert_eq!(*r.phase(), Phase::Safety);
        r.apply(Action::Next, now);
        assert_eq!(*r.phase(), Phase::Direction);
        r.apply(Action::Next, now);
        assert_eq!(*r.phase(), Phase::Ready);
        r.apply(Action::Next, now);
        assert!(matches!(r.phase(), Phase::Playing(None)));
        let mut stages = Vec::new();
        r.apply(Action::Next, now);
        while let Phase::Review(stage) = *r.phase() {
            stages.push(stage);
            // An answer out of its stage changes nothing.
            if stage != Stage::Rating {
                assert!(!r.apply(Action::Rate(9), now).changed);
            }
            if stage != Stage::Feedback {
                assert!(!r.apply(Action::SetFeedback("x".into()), now).changed);
            }
            r.apply(Action::Next, now);
        }
        // Without a trainer there is no trainer's point.
        assert!(!stages.contains(&Stage::Point));
        // Five criteria: Enter shows the last two before the feedback.
        assert_eq!(stages.iter().filter(|s| **s == Stage::Criteria).count(), 2);
        stages.dedup();
        assert_eq!(stages, r.stages());
        assert_eq!(*r.phase(), Phase::Closing);
        assert_eq!(r.reviewed()[0].rating, DEFAULT_RATING);
        assert!(r.reviewed()[0].feedback.is_empty());
    }

    #[test]
    fn back_goes_one_stage_and_keeps_the_answers() {
        let now = Instant::now();
        let mut r = start(2, 1, 1, 5);
        to_review(&mut r, now);
        r.apply(Action::GuessKind(Some(ScenarioKind::Withdrawal)), now);
        r.apply(Action::Next, now);
        r.apply(Action::Rate(7), now);
        r.apply(Action::Back, now);
        assert_eq!(*r.phase(), Phase::Review(Stage::Marker));
        assert!(!r.apply(Action::Back, now).changed);
        assert_eq!(r.round().rating, 7);
        assert_eq!(r.round().guess_kind, Some(ScenarioKind::Withdrawal));
    }

    #[test]
    fn a_marker_named_names_its_kind_and_right_or_wrong_is_kept() {
        let now = Instant::now();
        let mut r = start(2, 1, 1, 5);
        to_review(&mut r, now);
        let kind = r.round().card.kind;
        r.apply(Action::GuessMarker(Some(Marker::ComplaintTherapist)), now);
        assert_eq!(r.round().guess_kind, Some(ScenarioKind::Confrontation));
        assert_eq!(
            r.round().kind_right(),
            Some(kind == ScenarioKind::Confrontation)
        );
        r.apply(Action::GuessKind(Some(ScenarioKind::Withdrawal)), now);
        assert_eq!(
            r.round().guess_marker,
            None,
            "the marker of the other kind goes"
        );
        r.apply(Action::GuessKind(None), now);
        assert_eq!(r.round().kind_right(), None);
    }

    #[test]
    fn criteria_are_the_observable_steps_only() {
        let r = start(2, 1, 1, 5);
        let ids: Vec<(&str, usize)> = r
            .criteria()
            .iter()
            .map(|c| (c.step_id.as_str(), c.number))
            .collect();
        assert_eq!(
            ids,
            [
                ("reflect", 1),
                ("reflect", 2),
                ("reflect", 3),
                ("validate", 0),
                ("mend", 0)
            ]
        );
    }

    #[test]
    fn the_timer_ends_the_response_and_rings_once() {
        let now = Instant::now();
        let mut r = start(2, 1, 1, 3);
        r.options.round_seconds = 60;
        r.apply(Action::Next, now);
        r.apply(Action::Next, now);
        r.apply(Action::Next, now);
        assert!(!r.tick(now + Duration::from_secs(59)).time_up);
        assert_eq!(
            r.next_change(now + Duration::from_millis(59_500)),
            Some(now + Duration::from_secs(60))
        );
        assert!(r.tick(now + Duration::from_secs(60)).time_up);
        assert_eq!(*r.phase(), Phase::Review(Stage::Marker));
        assert!(!r.tick(now + Duration::from_secs(61)).time_up);
    }

    #[test]
    fn stopping_before_any_review_keeps_nothing() {
        let now = Instant::now();
        let mut r = start(3, 4, 1, 3);
        r.apply(Action::Next, now);
        r.apply(Action::Next, now);
        r.apply(Action::Stop, now);
        assert_eq!(*r.phase(), Phase::Closing);
        assert!(!r.has_rounds());
        assert!(r.session(None).extra.rounds.is_empty());
    }

    #[test]
    fn the_session_keeps_every_answer_by_seat_and_no_names() {
        let now = Instant::now();
        let mut r = start(3, 2, 1, 4);
        to_review(&mut r, now);
        let kind = r.round().card.kind;
        r.apply(Action::GuessKind(Some(kind)), now);
        r.apply(Action::Next, now);
        r.apply(Action::Rate(9), now);
        r.apply(Action::ToggleReaction(Reaction::Shame), now);
        r.apply(Action::ToggleReaction(Reaction::HeartRacing), now);
        r.apply(Action::Next, now);
        r.apply(Action::ToggleCriterion(1), now);
        assert!(
            !r.apply(Action::ToggleCriterion(3), now).changed,
            "not shown yet"
        );
        r.apply(Action::CriteriaPage(1), now);
        r.apply(Action::ToggleCriterion(3), now);
        assert!(!r.apply(Action::ToggleCriterion(99), now).changed);
        r.apply(Action::Next, now);
        r.apply(Action::SetFeedback("Slowed right down.".into()), now);
        r.apply(Action::Next, now);
        r.apply(Action::Retry, now);
        to_review(&mut r, now);
        r.apply(Action::Stop, now);
        let session = r.session(Some(crate::journal::local_now()));
        assert!(!session.complete, "one of two cards");
        assert_eq!(session.extra.rounds.len(), 2);
        let first = &session.extra.rounds[0];
        assert_eq!(
            first.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            ["therapist", "client", "observer"]
        );
        assert_eq!(first.attempt, 1);
        assert_eq!(first.therapist_seat, Some(1));
        assert_eq!(
            first.guess_kind.as_ref().map(|w| w.as_str()),
            Some(kind.as_str())
        );
        assert_eq!(first.guess_kind_right, Some(true));
        assert_eq!(first.guess_marker, None);
        assert_eq!(first.rating, Some(9));
        assert_eq!(first.difficulty.as_str(), "too-hard");
        assert_eq!(first.reactions, ["heart-racing", "shame"]);
        assert_eq!(first.checklist, ["reflect", "validate"]);
        assert_eq!(first.criteria_met.len(), 2);
        assert_eq!(first.criteria_met[0].text, "asks whether it fits");
        assert_eq!(first.criteria_met[0].id, "reflect.2");
        assert_eq!(
            first.therapist_level.as_ref().map(|w| w.as_str()),
            Some("beginner")
        );
        assert_eq!(
            first.next_level.as_ref().map(|w| w.as_str()),
            Some("warm-up")
        );
        let second = &session.extra.rounds[1];
        assert_eq!((second.attempt, second.repeated), (2, true));
        assert_eq!(second.card, first.card);
        let json = serde_json::to_string(&session).unwrap();
        assert!(!json.contains("P1") && !json.contains("P2"), "{json}");
    }

    #[test]
    fn summaries_say_what_each_trainee_found_hard() {
        let now = Instant::now();
        let mut r = start(2, 2, 1, 4);
        to_review(&mut r, now);
        let kind = r.round().card.kind;
        r.apply(Action::GuessKind(Some(kind)), now);
        r.apply(Action::Next, now);
        r.apply(Action::Rate(8), now);
        r.apply(Action::Next, now);
        r.apply(Action::ToggleCriterion(0), now);
        r.apply(Action::Next, now); // the other two criteria
        r.apply(Action::Next, now);
        r.apply(Action::Next, now);
        r.apply(Action::Next, now);
        play(&mut r, 2, now);
        let s = r.summaries();
        assert_eq!(s[0].ratings, [8]);
        assert_eq!((s[0].kinds_named, s[0].kinds_right), (1, 1));
        assert_eq!(
            s[0].most_met,
            Some(("names the client's experience as a guess".into(), 1))
        );
        assert_eq!(s[0].least_met, Some(("asks whether it fits".into(), 0)));
        assert_eq!(s[1].ratings, [2]);
        assert_eq!(s[1].most_met, None);
    }

    #[test]
    fn a_summary_names_a_card_by_its_client_line_cut_short() {
        let mut r = start(2, 1, 1, 3);
        let mut card = r.round().card.clone();
        card.client = "Short one.".into();
        assert_eq!(card_name(&card), "\u{201c}Short one.\u{201d}");
        card.client = "Why so many questions?   It feels like a quiz, every single week.".into();
        assert_eq!(
            card_name(&card),
            "\u{201c}Why so many questions? It feels like a…\u{201d}"
        );
        assert!(!r.has_observers(), "two people: nobody observes");
        r.options.people.push("P3".into());
        assert!(r.has_observers());
    }

    #[test]
    fn the_same_seed_deals_the_same_cards() {
        let deal = |seed| {
            let now = Instant::now();
            let mut r = start(3, 5, 2, seed);
            let mut ids = vec![r.round().card.id.clone()];
            for _ in 0..4 {
                play(&mut r, 0, now);
                ids.push(r.round().card.id.clone());
            }
            ids
        };
        assert_eq!(deal(5), deal(5));
        assert_ne!(deal(5), deal(6));
    }
}

#[cfg(test)]
mod trainer_tests {
    use super::tests_support::start;
    use super::*;

    fn with_trainer(people: usize, rounds: u32, set: u32) -> Rehearsal {
        let mut r = start(people, rounds, set, 5);
        r.options.trainer = Some("Dee".into());
        r
    }

    fn to(r: &mut Rehearsal, stage: Stage, now: Instant) {
        while *r.phase() != Phase::Review(stage) {
            r.apply(Action::Next, now);
        }
    }

    #[test]
    fn the_trainer_plays_no_role_and_gives_a_point_before_the_reveal() {
        let now = Instant::now();
        let mut r = with_trainer(3, 2, 1);
        assert_eq!(r.options().people.len(), 3, "the trainer is no seat");
        assert!(r.roles(r.round()).len() == 3);
        let mut stages = Vec::new();
        while !matches!(r.phase(), Phase::Review(Stage::Reveal)) {
            if let Phase::Review(stage) = *r.phase() {
                stages.push(stage);
            }
            r.apply(Action::Next, now);
        }
        stages.push(Stage::Reveal);
        // The criteria come three at a time: one stage, two pages.
        stages.dedup();
        assert_eq!(stages, Stage::ALL, "the point comes after the feedback");
        // Back from the reveal lands on the point; back again, the feedback.
        r.apply(Action::Back, now);
        assert_eq!(*r.phase(), Phase::Review(Stage::Point));
        r.apply(Action::Back, now);
        assert_eq!(*r.phase(), Phase::Review(Stage::Feedback));
    }

    #[test]
    fn a_point_is_picked_from_the_criteria_not_met_or_typed() {
        let now = Instant::now();
        let mut r = with_trainer(3, 2, 1);
        to(&mut r, Stage::Criteria, now);
        r.apply(Action::ToggleCriterion(0), now);
        to(&mut r, Stage::Point, now);
        assert_eq!(r.point_choices(r.round()), [1, 2, 3, 4]);
        assert!(
            !r.apply(Action::PickPoint(0), now).changed,
            "a criterion met is no point"
        );
        r.apply(Action::PickPoint(1), now);
        let point = r.round().point.clone().unwrap();
        assert_eq!(point.criterion, Some(1));
        assert_eq!(point.words(), "Next time, try: asks whether it fits");
        r.apply(Action::PickPoint(1), now);
        assert_eq!(r.round().point, None, "picking it again clears it");
        r.apply(Action::SetPoint("next time, try: slowing down".into()), now);
        assert_eq!(
            r.round().point.as_ref().map(TrainerPoint::words).as_deref(),
            Some("Next time, try: slowing down")
        );
        r.apply(Action::SetPoint("   ".into()), now);
        assert_eq!(r.round().point, None);
        assert!(
            !r.apply(Action::SetFeedback("x".into()), now).changed,
            "the point's stage takes only a point"
        );
    }

    #[test]
    fn a_picked_criterion_ticked_as_met_later_clears_the_point() {
        let now = Instant::now();
        let mut r = with_trainer(3, 1, 1);
        to(&mut r, Stage::Point, now);
        // The last criterion: back from the feedback shows the last page.
        r.apply(Action::PickPoint(4), now);
        r.apply(Action::Back, now);
        r.apply(Action::Back, now);
        assert_eq!(*r.phase(), Phase::Review(Stage::Criteria));
        r.apply(Action::ToggleCriterion(4), now);
        assert_eq!(r.round().point, None);
    }

    #[test]
    fn typed_points_drop_a_leading_next_time_try_only() {
        let words = |t: &str| TrainerPoint::typed(t).map(|p| p.text);
        assert_eq!(words("Next time, try: a pause").as_deref(), Some("a pause"));
        assert_eq!(
            words("next time try naming it").as_deref(),
            Some("naming it")
        );
        assert_eq!(
            words("Next time, trying less").as_deref(),
            Some("Next time, trying less")
        );
        assert_eq!(words("Next time, try").as_deref(), None);
        assert_eq!(words("ask first").as_deref(), Some("ask first"));
        assert_eq!(words("İİ next").as_deref(), Some("İİ next"));
    }

    #[test]
    fn the_point_shows_at_the_reveal_stays_for_the_retry_and_is_saved() {
        let now = Instant::now();
        let mut r = with_trainer(3, 2, 2);
        to(&mut r, Stage::Point, now);
        r.apply(Action::SetPoint("one breath before answering".into()), now);
        r.apply(Action::Next, now);
        let parts = r.reveal(r.round());
        assert_eq!(parts[1].heading, "The trainer's point");
        assert_eq!(
            parts[1].items,
            [crate::practice::reveal::RevealItem::text(
                "Next time, try: one breath before answering"
            )]
        );
        r.apply(Action::Retry, now);
        assert_eq!(*r.phase(), Phase::Ready);
        let (seat, point) = r.point_on_screen().expect("kept for the retry");
        assert_eq!(seat, 0);
        assert_eq!(point.text, "one breath before answering");
        to(&mut r, Stage::Reveal, now);
        assert!(
            r.point_on_screen().is_some(),
            "the retry without a new point keeps the last"
        );
        r.apply(Action::Next, now);
        assert_eq!(r.point_on_screen(), None, "the next card starts clean");
        let session = r.session(None);
        assert_eq!(
            session.extra.rounds[0].trainer_point.as_deref(),
            Some("one breath before answering")
        );
        assert_eq!(session.extra.rounds[0].trainer_point_criterion, None);
        assert_eq!(session.extra.rounds[1].trainer_point, None);
        let json = serde_json::to_string(&session).unwrap();
        assert!(!json.contains("Dee"), "the trainer's name is never saved");
        let lines = r.summary_lines();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("  Trainer's point for P1 on \u{201c}")
                    && l.ends_with(": Next time, try: one breath before answering")),
            "{lines:?}"
        );
    }

    #[test]
    fn a_picked_point_saves_the_criterion_id() {
        let now = Instant::now();
        let mut r = with_trainer(2, 1, 1);
        to(&mut r, Stage::Point, now);
        r.apply(Action::PickPoint(1), now);
        r.apply(Action::Next, now);
        r.apply(Action::Next, now);
        let round = &r.session(None).extra.rounds[0];
        assert_eq!(round.trainer_point.as_deref(), Some("asks whether it fits"));
        assert_eq!(round.trainer_point_criterion.as_deref(), Some("reflect.2"));
    }
}

#[cfg(test)]
mod one_step {
    use super::*;

    /// The built-in protocol as shipped (its step of the month is the
    /// scan), with these options.
    fn start_with(
        people: usize,
        rounds: u32,
        set: u32,
        step: Option<&str>,
        scan: u32,
    ) -> Rehearsal {
        let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        let mut options = RehearseOptions::new((1..=people).map(|i| format!("P{i}")).collect(), 3);
        options.rounds = rounds;
        options.set = set;
        options.round_seconds = 0;
        options.scan_seconds = scan;
        options.step = step.map(str::to_string);
        Rehearsal::new(crate::protocol::builtin(), options, "id".into(), started)
            .expect("the deck has cards")
    }

    fn ids(r: &Rehearsal) -> Vec<&str> {
        r.criteria().iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn one_step_shows_and_ticks_only_its_criteria_and_the_rounds_say_which() {
        let now = Instant::now();
        let mut r = start_with(3, 1, 1, Some("validate"), 0);
        assert_eq!(
            ids(&r),
            [
                "validate.reasons",
                "validate.here-first",
                "validate.no-defence"
            ]
        );
        assert_eq!(r.criteria_pages(), 1);
        // The scan is not observable, but chosen for practice it shows its
        // own criteria (observers can tick the pause).
        let scan = start_with(3, 1, 1, Some("scan"), 0);
        assert_eq!(ids(&scan), ["scan.pause", "scan.body", "scan.pull"]);
        assert!(
            scan.practising()
                .starts_with("Practising one step: Pause and scan inward")
        );
        // Every step observers can see: nine, three at a time.
        let all = start_with(3, 1, 1, None, 0);
        assert_eq!(all.criteria().len(), 9);
        assert_eq!(all.criteria_pages(), 3);
        assert_eq!(all.practising(), "Practising every step observers can see.");
        while !matches!(r.phase(), Phase::Review(Stage::Criteria)) {
            r.apply(Action::Next, now);
        }
        r.apply(Action::ToggleCriterion(2), now);
        while *r.phase() != Phase::Closing {
            r.apply(Action::Next, now);
        }
        let record = &r.session(None).extra.rounds[0];
        assert_eq!(record.step.as_deref(), Some("validate"));
        assert_eq!(record.criteria_met[0].id, "validate.no-defence");
        assert_eq!(record.checklist, ["validate"]);
        let json = serde_json::to_value(record).unwrap();
        assert_eq!(json["step"], "validate");
        // Every step: no field, as in rounds saved before.
        let mut all = start_with(3, 1, 1, None, 0);
        while *all.phase() != Phase::Closing {
            all.apply(Action::Next, now);
        }
        let json = serde_json::to_value(&all.session(None).extra.rounds[0]).unwrap();
        assert!(json.get("step").is_none(), "{json}");
    }

    #[test]
    fn criteria_come_three_at_a_time_and_enter_pages_through_them() {
        let now = Instant::now();
        let mut r = start_with(3, 1, 1, None, 0);
        while !matches!(r.phase(), Phase::Review(Stage::Criteria)) {
            r.apply(Action::Next, now);
        }
        assert_eq!(r.shown_criteria(), 0..3);
        assert!(
            !r.apply(Action::ToggleCriterion(4), now).changed,
            "not shown"
        );
        assert!(!r.apply(Action::CriteriaPage(-1), now).changed);
        r.apply(Action::Next, now);
        assert_eq!(*r.phase(), Phase::Review(Stage::Criteria));
        assert_eq!(r.shown_criteria(), 3..6);
        assert!(r.apply(Action::ToggleCriterion(4), now).changed);
        r.apply(Action::CriteriaPage(1), now);
        assert_eq!(r.shown_criteria(), 6..9);
        assert!(!r.apply(Action::CriteriaPage(1), now).changed, "the last");
        r.apply(Action::Back, now);
        assert_eq!(r.shown_criteria(), 3..6);
        r.apply(Action::Next, now);
        r.apply(Action::Next, now);
        assert_eq!(*r.phase(), Phase::Review(Stage::Feedback));
        // Back from the feedback: the last three seen.
        r.apply(Action::Back, now);
        assert_eq!(r.shown_criteria(), 6..9);
        assert!(r.round().criteria[4]);
    }

    #[test]
    fn the_reveal_leads_with_the_models_that_meet_the_step() {
        let r = start_with(3, 1, 1, Some("mend"), 0);
        let card = crate::protocol::builtin()
            .scenarios
            .into_iter()
            .find(|c| {
                c.examples.len() > 1
                    && !c.examples[0].meets.iter().any(|m| m.starts_with("mend."))
                    && c.examples
                        .iter()
                        .any(|e| e.meets.iter().any(|m| m.starts_with("mend.")))
            })
            .expect("a card whose first model is not the mend one");
        let ordered = r.models_in_order(&card);
        assert!(ordered[0].meets.iter().any(|m| m.starts_with("mend.")));
        assert_eq!(ordered.len(), card.examples.len());
        // Every step: the card's own order.
        let all = start_with(3, 1, 1, None, 0);
        let same: Vec<&str> = all
            .models_in_order(&card)
            .iter()
            .map(|e| e.says.as_str())
            .collect();
        let mine: Vec<&str> = card.examples.iter().map(|e| e.says.as_str()).collect();
        assert_eq!(same, mine);
    }

    #[test]
    fn a_breath_comes_before_each_response_ending_by_itself_or_on_enter() {
        let now = Instant::now();
        let mut r = start_with(2, 2, 2, Some("scan"), 8);
        r.options.round_seconds = 60;
        r.apply(Action::Next, now); // safety
        r.apply(Action::Next, now); // direction
        r.apply(Action::Next, now); // ready: the breath begins
        assert!(matches!(r.phase(), Phase::Scan(_)));
        assert_eq!(
            r.next_change(now + Duration::from_millis(500)),
            Some(now + Duration::from_secs(1))
        );
        assert!(!r.tick(now + Duration::from_secs(7)).changed);
        let out = r.tick(now + Duration::from_secs(8));
        assert!(out.changed && !out.time_up, "no bell for the breath");
        let Phase::Playing(Some(timer)) = r.phase() else {
            panic!("the response follows: {:?}", r.phase());
        };
        assert_eq!(timer.length(), Duration::from_secs(60));
        // Enter ends the breath early; a retry breathes again.
        while *r.phase() != Phase::Review(Stage::Reveal) {
            r.apply(Action::Next, now);
        }
        r.apply(Action::Retry, now);
        r.apply(Action::Next, now);
        assert!(matches!(r.phase(), Phase::Scan(_)));
        r.apply(Action::Next, now);
        assert!(matches!(r.phase(), Phase::Playing(_)));
        // Off: straight from the card to the response.
        let mut off = start_with(2, 1, 1, None, 0);
        off.apply(Action::Next, now);
        off.apply(Action::Next, now);
        off.apply(Action::Next, now);
        assert!(matches!(off.phase(), Phase::Playing(None)));
    }

    #[test]
    fn the_client_steps_out_of_role_after_each_set_but_the_last() {
        let now = Instant::now();
        let mut r = start_with(3, 6, 2, None, 0);
        let mut seen = Vec::new();
        while *r.phase() != Phase::Closing {
            if *r.phase() == Phase::Derole {
                seen.push((r.round().card_number, r.round().therapist, r.round().client));
            }
            if *r.phase() == Phase::Review(Stage::Reveal)
                && r.round().card_number == 1
                && r.round().attempt == 1
            {
                // A retry stays in the set: no stepping out.
                r.apply(Action::Retry, now);
                assert_eq!(*r.phase(), Phase::Ready);
            }
            r.apply(Action::Next, now);
        }
        // After cards 2 and 4; after the last (6) the closing de-roles all.
        assert_eq!(seen, [(2, 0, 1), (4, 1, 2)]);
        assert_eq!(r.reviewed().len(), 7, "six cards and a retry");
        // Stopping there keeps what was reviewed, nothing twice.
        let mut s = start_with(2, 4, 1, None, 0);
        while *s.phase() != Phase::Derole {
            s.apply(Action::Next, now);
        }
        s.apply(Action::Stop, now);
        assert_eq!(s.reviewed().len(), 1);
    }
}

#[cfg(test)]
mod beats_and_improvisation {
    use super::tests_support::start;
    use super::*;

    /// A rehearsal with two beats and, when `minutes > 0`, improvised
    /// segments after each set.
    fn with(people: usize, rounds: u32, set: u32, minutes: u32) -> Rehearsal {
        let mut r = start(people, rounds, set, 7);
        r.options.beats = 2;
        r.options.improvise_minutes = minutes;
        r.current.beats = beats_for(&r.options, &r.current.card);
        r
    }

    #[test]
    fn two_beats_ask_which_line_was_played_then_a_second_response() {
        let now = Instant::now();
        let mut r = with(3, 2, 1, 0);
        r.options.round_seconds = 60;
        let card = r.round().card.clone();
        assert!(card.escalate.is_some() && card.soften.is_some());
        assert_eq!(r.round().beats, 2);
        r.apply(Action::Next, now); // safety
        r.apply(Action::Next, now); // direction
        r.apply(Action::Next, now); // start
        assert_eq!(r.round().beat, 1);
        // The first response's timer runs out: the client's line next.
        assert!(r.tick(now + Duration::from_secs(60)).time_up);
        assert_eq!(*r.phase(), Phase::Continuation);
        assert_eq!(
            r.continuations(r.round()),
            [
                Continuation::Escalate,
                Continuation::Soften,
                Continuation::Improvised
            ]
        );
        // Only here does marking the line count.
        r.apply(Action::Played(Some(Continuation::Soften)), now);
        let later = now + Duration::from_secs(61);
        r.apply(Action::Next, later);
        assert!(matches!(r.phase(), Phase::Playing(Some(_))));
        assert_eq!(r.round().beat, 2);
        assert!(!r.apply(Action::Played(None), later).changed);
        r.apply(Action::Next, later);
        assert_eq!(*r.phase(), Phase::Review(Stage::Marker));
        let parts = r.reveal(r.round());
        let beat = parts
            .iter()
            .find(|p| p.heading == "The second beat")
            .expect("the reveal says which line was played");
        assert_eq!(
            beat.items,
            [crate::practice::reveal::RevealItem::text(format!(
                "The client played the line for when the therapist owns their part or validates: \u{201c}{}\u{201d}",
                card.soften.as_deref().unwrap().trim()
            ))]
        );
        r.apply(Action::Stop, later);
        let record = &r.session(None).extra.rounds[0];
        assert_eq!(record.beats, Some(2));
        assert_eq!(
            record.continuation.as_ref().map(|w| w.as_str()),
            Some("soften")
        );
        let json = serde_json::to_string(record).unwrap();
        assert!(
            json.contains(r#""beats":2,"continuation":"soften""#),
            "{json}"
        );
    }

    #[test]
    fn a_card_without_continuation_lines_has_one_response_and_one_beat_keeps_todays_flow() {
        let now = Instant::now();
        let mut r = with(2, 1, 1, 0);
        r.current.card.escalate = None;
        r.current.card.soften = None;
        r.current.beats = beats_for(&r.options, &r.current.card);
        assert_eq!(r.round().beats, 1);
        for _ in 0..4 {
            r.apply(Action::Next, now);
        }
        assert_eq!(*r.phase(), Phase::Review(Stage::Marker));
        assert!(
            !r.reveal(r.round())
                .iter()
                .any(|p| p.heading == "The second beat")
        );
        // `--beats 1`: a card with lines still has one response.
        let mut one = start(2, 1, 1, 7);
        assert!(one.round().card.escalate.is_some());
        assert_eq!(one.round().beats, 1);
        for _ in 0..4 {
            one.apply(Action::Next, now);
        }
        assert_eq!(*one.phase(), Phase::Review(Stage::Marker));
        one.apply(Action::Stop, now);
        let record = &one.session(None).extra.rounds[0];
        assert_eq!(
            (record.beats, record.continuation.is_none()),
            (Some(1), true)
        );
    }

    #[test]
    fn a_retry_has_two_beats_again_and_its_own_line() {
        let now = Instant::now();
        let mut r = with(2, 1, 1, 0);
        while *r.phase() != Phase::Continuation {
            r.apply(Action::Next, now);
        }
        r.apply(Action::Played(Some(Continuation::Escalate)), now);
        while *r.phase() != Phase::Review(Stage::Reveal) {
            r.apply(Action::Next, now);
        }
        r.apply(Action::Retry, now);
        assert_eq!((r.round().beat, r.round().continuation), (1, None));
        while *r.phase() != Phase::Continuation {
            r.apply(Action::Next, now);
        }
        assert_eq!(r.round().attempt, 2);
    }

    #[test]
    fn an_improvised_segment_follows_each_set_is_rated_and_moves_no_level() {
        let t0 = Instant::now();
        let mut r = with(2, 4, 2, 3);
        r.options.beats = 1;
        r.current.beats = 1;
        let play = |r: &mut Rehearsal, rating: u8| {
            while !matches!(r.phase(), Phase::Review(Stage::Rating)) {
                r.apply(Action::Next, t0);
            }
            r.apply(Action::Rate(rating), t0);
            while *r.phase() != Phase::Review(Stage::Reveal) {
                r.apply(Action::Next, t0);
            }
            r.apply(Action::Next, t0);
        };
        play(&mut r, 5);
        assert_eq!(*r.phase(), Phase::Direction, "mid-set: no segment");
        play(&mut r, 5);
        assert_eq!(*r.phase(), Phase::Improvise(Improv::Offer));
        let levels = r.levels().to_vec();
        r.apply(Action::Next, t0);
        assert!(matches!(
            r.phase(),
            Phase::Improvise(Improv::Playing(Some(_)))
        ));
        assert_eq!(r.next_change(t0), Some(t0 + Duration::from_secs(1)));
        assert!(!r.tick(t0 + Duration::from_secs(179)).time_up);
        assert!(r.tick(t0 + Duration::from_secs(180)).time_up);
        assert_eq!(*r.phase(), Phase::Improvise(Improv::Rating));
        r.apply(Action::Rate(0), t0);
        r.apply(Action::Next, t0);
        assert_eq!(r.levels(), levels, "a rating of 0 moves no level");
        // The segment over, the client steps out of the role, then the
        // next set begins.
        assert_eq!(*r.phase(), Phase::Derole);
        r.apply(Action::Next, t0);
        assert_eq!(*r.phase(), Phase::Direction);
        assert_eq!(r.round().therapist, 1, "the roles moved on");
        play(&mut r, 5);
        play(&mut r, 5);
        // The last set: its segment, skipped, keeps nothing.
        assert_eq!(*r.phase(), Phase::Improvise(Improv::Offer));
        r.apply(Action::Skip, t0);
        assert_eq!(*r.phase(), Phase::Closing);
        assert_eq!(r.improvisations().len(), 1);
        let session = r.session(None);
        let kept = &session.extra.improvised;
        assert_eq!(kept.len(), 1);
        assert_eq!(
            (
                kept[0].after_round,
                kept[0].therapist_seat,
                kept[0].minutes,
                kept[0].rating
            ),
            (2, 1, 3, 0)
        );
        assert_eq!(
            kept[0].roles.iter().map(|w| w.as_str()).collect::<Vec<_>>(),
            ["therapist", "client"]
        );
        assert!(r.summaries()[0].text().contains("improvised, rated 0"));
        assert!(!r.summaries()[1].text().contains("improvised"));
    }

    #[test]
    fn stopping_while_an_improvised_segment_is_rated_keeps_it_and_not_before() {
        let now = Instant::now();
        let mut r = with(2, 1, 1, 1);
        while *r.phase() != Phase::Improvise(Improv::Offer) {
            r.apply(Action::Next, now);
        }
        let mut before = r.clone();
        before.apply(Action::Next, now);
        before.apply(Action::Stop, now);
        assert!(before.improvisations().is_empty());
        r.apply(Action::Next, now);
        r.apply(Action::ToggleHold, now);
        r.apply(Action::Next, now);
        r.apply(Action::Rate(8), now);
        r.apply(Action::Stop, now);
        assert_eq!(r.improvisations()[0].rating, 8);
        assert_eq!(*r.phase(), Phase::Closing);
    }
}

#[cfg(test)]
mod properties {
    use super::tests_support::start;
    use super::*;
    use proptest::prelude::*;

    fn any_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Next),
            Just(Action::Next),
            Just(Action::Next),
            Just(Action::Back),
            Just(Action::ToggleHold),
            Just(Action::Retry),
            Just(Action::Stop),
            prop_oneof![
                Just(None),
                Just(Some(ScenarioKind::Withdrawal)),
                Just(Some(ScenarioKind::Confrontation))
            ]
            .prop_map(Action::GuessKind),
            (0..Marker::ALL.len()).prop_map(|i| Action::GuessMarker(Some(Marker::ALL[i]))),
            (0u8..=20).prop_map(Action::Rate),
            (0..Reaction::ALL.len()).prop_map(|i| Action::ToggleReaction(Reaction::ALL[i])),
            (0usize..12).prop_map(Action::ToggleCriterion),
            "[a-z ]{0,20}".prop_map(Action::SetFeedback),
            prop_oneof![
                Just(None),
                Just(Some(Continuation::Escalate)),
                Just(Some(Continuation::Soften)),
                Just(Some(Continuation::Improvised))
            ]
            .prop_map(Action::Played),
            Just(Action::Skip),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::practice::proptest_cases(64)))]

        /// Random seats, sets, steps, breaths and actions (paging the
        /// criteria too): nothing panics, the criteria shown are always the
        /// practised step's, never more than three, a tick lands only on a
        /// criterion shown, the breath always gives way to the response,
        /// the client steps out only between sets, and every round saved
        /// names the step.
        #[test]
        fn one_step_at_a_time_whatever_happens(
            actions in proptest::collection::vec(
                (prop_oneof![any_action(), (-1i8..=1).prop_map(Action::CriteriaPage)], 0u64..12),
                0..300),
            people in 2usize..6, set in 1u32..5, rounds in 1u32..10,
            step in 0usize..8, scan in 0u32..12, seed in 0u64..20,
        ) {
            let protocol = crate::protocol::builtin();
            let ids: Vec<String> = protocol.steps.iter().map(|s| s.id.clone()).collect();
            // Every step, each step, and an id no step has.
            let chosen = match step {
                0 => None,
                i if i <= ids.len() => Some(ids[i - 1].clone()),
                _ => Some("nope".to_string()),
            };
            let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
            let mut options =
                RehearseOptions::new((1..=people).map(|i| format!("P{i}")).collect(), seed);
            options.rounds = rounds;
            options.set = set;
            options.round_seconds = 30;
            options.scan_seconds = scan;
            options.step = chosen.clone();
            let mut r = Rehearsal::new(protocol, options, "id".into(), started).unwrap();
            let t0 = Instant::now();
            let mut elapsed = 0;
            for (action, secs) in actions {
                elapsed += secs;
                let now = t0 + Duration::from_secs(elapsed);
                r.tick(now);
                prop_assert!(!matches!(r.phase(), Phase::Scan(t) if t.is_over(now)));
                let before_ticks = r.round().criteria.clone();
                let before_phase = r.phase().clone();
                let shown = r.shown_criteria();
                r.apply(action.clone(), now);
                let shown_now = r.shown_criteria();
                prop_assert!(shown_now.len() <= CRITERIA_PAGE);
                prop_assert!(shown_now.end <= r.criteria().len());
                for c in &r.criteria()[shown_now] {
                    match &chosen {
                        Some(id) => prop_assert_eq!(&c.step_id, id),
                        None => prop_assert!(r.protocol().step(&c.step_id).is_some_and(|s| s.observable)),
                    }
                }
                if let Action::ToggleCriterion(i) = action
                    && r.round().criteria != before_ticks
                {
                    prop_assert!(shown.contains(&i));
                }
                if *r.phase() == Phase::Derole {
                    let round = r.round();
                    prop_assert_eq!(round.card_number % set as usize, 0, "only at a set's end");
                    prop_assert!((round.card_number as u32) < rounds);
                }
                if matches!(r.phase(), Phase::Scan(_)) {
                    prop_assert!(scan > 0);
                    prop_assert!(matches!(before_phase, Phase::Ready | Phase::Scan(_)));
                }
            }
            for record in r.session(None).extra.rounds {
                prop_assert_eq!(&record.step, &chosen);
                for met in &record.criteria_met {
                    if let Some(id) = &chosen {
                        prop_assert_eq!(&met.step, id);
                    }
                }
            }
        }

        /// Any sequence of actions and times: nothing panics, ratings stay
        /// 0-10, every response keeps one tick per criterion, the therapist
        /// is the seat the set rule says, retries keep card and therapist,
        /// and a feedback line set is the one kept.
        #[test]
        fn any_sequence_keeps_the_rules(
            actions in proptest::collection::vec((any_action(), 0u64..90), 0..300),
            people in 2usize..6, set in 1u32..5, rounds in 1u32..12,
        ) {
            let t0 = Instant::now();
            let mut r = start(people, rounds, set, 7);
            r.options.round_seconds = 60;
            let mut elapsed = 0;
            for (action, secs) in actions {
                elapsed += secs;
                let now = t0 + Duration::from_secs(elapsed);
                r.tick(now);
                let before = r.round().clone();
                r.apply(action.clone(), now);
                let after = r.round();
                if let (Action::SetFeedback(text), Phase::Review(Stage::Feedback)) = (&action, r.phase()) {
                    prop_assert_eq!(&after.feedback, text);
                }
                if action == Action::Retry && after.attempt > before.attempt {
                    prop_assert_eq!(&after.card, &before.card);
                    prop_assert_eq!(after.therapist, before.therapist);
                }
                prop_assert!(after.rating <= MAX_RATING);
                prop_assert_eq!(after.criteria.len(), r.criteria().len());
                prop_assert_eq!(
                    after.therapist,
                    therapist_seat(after.card_number - 1, set as usize, people)
                );
                prop_assert!(after.card_number as u32 <= rounds);
                for (i, done) in r.reviewed().iter().enumerate() {
                    prop_assert_eq!(done.number, i + 1);
                }
            }
            let session = r.session(None);
            prop_assert_eq!(session.extra.rounds.len(), r.reviewed().len());
            // The closing summary: a line for the count, one per seat, one
            // per line of feedback, each card named by its client line.
            let lines = r.summary_lines();
            let feedback = r.reviewed().iter().filter(|x| !x.feedback.is_empty()).count();
            prop_assert_eq!(lines.len(), 1 + people + feedback);
            prop_assert!(lines[0].starts_with("Summary: "));
            for line in &lines[1 + people..] {
                prop_assert!(line.contains('\u{201c}'), "{}", line);
            }
        }

        /// Random seats, beats, improvised minutes, ratings, retries,
        /// skips and lines played: nothing panics; a second response comes
        /// only after the line was asked for; an improvised segment comes
        /// only after a set's last card and never moves a level; a level
        /// never moves more than one step per response, and only on a
        /// first attempt; what is saved is what was played.
        #[test]
        fn beats_and_improvisation_keep_the_level_rules(
            steps in proptest::collection::vec((any_action(), 0u64..700), 0..400),
            people in 2usize..6, set in 1u32..5, rounds in 1u32..10, seed in 0u64..40,
            beats in 1u8..=2, minutes in 0u32..=10, seconds in 0u32..90,
            strip in any::<bool>(),
        ) {
            let t0 = Instant::now();
            let mut r = start(people, rounds, set, seed);
            if strip {
                // Half the time, some cards have no continuation lines.
                for (i, card) in r.deck.cards.iter_mut().enumerate() {
                    if i % 2 == 0 {
                        card.escalate = None;
                        card.soften = None;
                    }
                }
            }
            r.options.beats = beats;
            r.options.improvise_minutes = minutes;
            r.options.round_seconds = seconds;
            r.current.beats = beats_for(&r.options, &r.current.card);
            let mut elapsed = 0;
            for (action, secs) in steps {
                elapsed += secs;
                let now = t0 + Duration::from_secs(elapsed);
                let before_phase = r.phase().clone();
                let before_levels = r.levels().to_vec();
                let before_round = r.round().clone();
                let improvised = r.improvisations().len();
                r.tick(now);
                r.apply(action.clone(), now);
                let after = r.round().clone();
                prop_assert!(after.beats == 1 || (after.beats == 2 && beats == 2));
                prop_assert!(after.beat >= 1 && after.beat <= after.beats);
                if after.beats == 2 {
                    prop_assert!(after.card.escalate.is_some() || after.card.soften.is_some());
                }
                if let Phase::Improvise(_) = r.phase() {
                    prop_assert!(minutes > 0);
                    let n = after.card_number;
                    prop_assert!(n.is_multiple_of(set as usize) || n as u32 == rounds);
                }
                // Improvised segments never move a level.
                if matches!(before_phase, Phase::Improvise(_)) {
                    prop_assert_eq!(&before_levels, r.levels());
                }
                prop_assert!(r.improvisations().len() <= improvised + 1);
                for (b, a) in before_levels.iter().zip(r.levels()) {
                    for k in 0..2 {
                        prop_assert!(b[k].rank().abs_diff(a[k].rank()) <= 1);
                    }
                }
                if before_round.attempt > 1 && before_round.number != after.number {
                    let k = kind_index(before_round.card.kind);
                    prop_assert_eq!(
                        before_levels[before_round.therapist][k],
                        r.levels()[before_round.therapist][k],
                        "a retry never moves the level"
                    );
                }
                for i in r.improvisations() {
                    prop_assert!(i.rating <= MAX_RATING);
                    prop_assert_eq!(i.minutes, minutes);
                }
            }
            let session = r.session(None);
            prop_assert_eq!(session.extra.rounds.len(), r.reviewed().len());
            prop_assert_eq!(session.extra.improvised.len(), r.improvisations().len());
            for (record, round) in session.extra.rounds.iter().zip(r.reviewed()) {
                prop_assert_eq!(record.beats, Some(round.beats));
                prop_assert_eq!(
                    record.continuation.as_ref().and_then(|w| w.known()),
                    round.continuation
                );
            }
            let json = serde_json::to_string(&session).unwrap();
            let back: Session = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back.extra, session.extra);
        }

        /// Random seats, ratings, reactions, retries and rules: a seat's
        /// level for a kind moves at most one step per response and only
        /// on a first attempt; no other seat or kind moves; what the record
        /// keeps as the next level is the level the seat then has.
        #[test]
        fn levels_move_a_step_at_most_and_only_on_a_first_attempt(
            plays in proptest::collection::vec(
                (0u8..=12, proptest::collection::vec(0..Reaction::ALL.len(), 0..3), any::<bool>()),
                0..40),
            people in 2usize..6, set in 1u32..5, rounds in 1u32..12, seed in 0u64..40,
            start_level in 0usize..4, hard in proptest::collection::vec(0..Reaction::ALL.len(), 0..3),
            hard_from in 0u8..=10,
        ) {
            let now = Instant::now();
            let mut r = start(people, rounds, set, seed);
            let level = Level::TRAINEE[start_level];
            r.options.level = level;
            r.levels = vec![[level; 2]; people];
            r.current.level = level;
            let hard: Vec<Reaction> = hard.into_iter().map(|i| Reaction::ALL[i]).collect();
            r.options.rule.reactions = super::super::level::HardReactions::new(&hard, hard_from);
            for (rating, reactions, retry) in plays {
                if *r.phase() == Phase::Closing {
                    break;
                }
                while !matches!(r.phase(), Phase::Review(Stage::Rating)) {
                    r.apply(Action::Next, now);
                }
                r.apply(Action::Rate(rating), now);
                for i in reactions {
                    r.apply(Action::ToggleReaction(Reaction::ALL[i]), now);
                }
                while *r.phase() != Phase::Review(Stage::Reveal) {
                    r.apply(Action::Next, now);
                }
                let round = r.round().clone();
                let before = r.levels().to_vec();
                r.apply(if retry { Action::Retry } else { Action::Next }, now);
                let after = r.levels().to_vec();
                let k = kind_index(round.card.kind);
                for seat in 0..people {
                    for kind in 0..2 {
                        if (seat, kind) != (round.therapist, k) {
                            prop_assert_eq!(before[seat][kind], after[seat][kind]);
                        }
                    }
                }
                let (was, now_at) = (before[round.therapist][k], after[round.therapist][k]);
                prop_assert!(was.rank().abs_diff(now_at.rank()) <= 1);
                if round.attempt > 1 {
                    prop_assert_eq!(was, now_at, "a retry never moves it");
                } else {
                    prop_assert_eq!(round.level, was);
                }
                let record = r.session(None).extra.rounds.last().cloned().unwrap();
                prop_assert_eq!(record.next_level.and_then(|w| w.known()), Some(now_at));
            }
        }
    }

    fn trainer_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            4 => any_action(),
            1 => "[a-zA-Z ,:]{0,24}".prop_map(Action::SetPoint),
            1 => (0usize..12).prop_map(Action::PickPoint),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::practice::proptest_cases(64)))]

        /// Random seats, ticks, points typed, picked or none, retries or
        /// next cards, with a trainer or without: at the reveal the point
        /// shown is the one just given, to this therapist; on the retry it
        /// stays, to the same therapist; on a new card there is none.
        #[test]
        fn a_point_given_goes_with_its_therapist_into_the_retry(
            plays in proptest::collection::vec(
                (proptest::collection::vec(0usize..6, 0..4), 0u8..3, 0usize..12,
                 "[a-z ]{0,12}", any::<bool>()),
                0..30),
            people in 2usize..6, set in 1u32..4, rounds in 1u32..10,
            trainer in any::<bool>(), seed in 0u64..20,
        ) {
            let now = Instant::now();
            let mut r = start(people, rounds, set, seed);
            if trainer {
                r.options.trainer = Some("Dee".into());
            }
            for (ticks, how, pick, typed, retry) in plays {
                if *r.phase() == Phase::Closing {
                    break;
                }
                while !matches!(r.phase(), Phase::Review(Stage::Criteria)) {
                    r.apply(Action::Next, now);
                }
                for i in ticks {
                    r.apply(Action::ToggleCriterion(i), now);
                }
                // Past every page of criteria, then the feedback.
                while *r.phase() == Phase::Review(Stage::Criteria) {
                    r.apply(Action::Next, now);
                }
                r.apply(Action::Next, now);
                prop_assert_eq!(
                    *r.phase() == Phase::Review(Stage::Point),
                    trainer,
                    "the point's stage comes with a trainer only"
                );
                let earlier = r.point_on_screen().map(|(seat, p)| (seat, p.clone()));
                match how {
                    0 => {
                        r.apply(Action::SetPoint(typed), now);
                    }
                    1 => {
                        r.apply(Action::PickPoint(pick), now);
                    }
                    _ => {}
                }
                let given = r.round().point.clone();
                while *r.phase() != Phase::Review(Stage::Reveal) {
                    r.apply(Action::Next, now);
                }
                let therapist = r.round().therapist;
                let expected = given.clone().map(|p| (therapist, p)).or(earlier);
                prop_assert_eq!(
                    r.point_on_screen().map(|(seat, p)| (seat, p.clone())),
                    expected.clone()
                );
                r.apply(if retry { Action::Retry } else { Action::Next }, now);
                if retry {
                    prop_assert_eq!(r.phase().clone(), Phase::Ready);
                    prop_assert_eq!(
                        r.point_on_screen().map(|(seat, p)| (seat, p.clone())),
                        expected
                    );
                } else {
                    prop_assert_eq!(r.point_on_screen(), None);
                }
            }
        }

        /// Random seats, a trainer or none, points typed or picked among any
        /// other actions: nothing panics; without a trainer there is no
        /// point's stage and no point; a point on screen is always shown to
        /// the therapist it was given to, on the card it was given for; a
        /// picked point names a criterion the response did not meet; the
        /// summary has a line per point.
        #[test]
        fn a_point_is_shown_to_the_therapist_it_was_given_to(
            actions in proptest::collection::vec(trainer_action(), 0..300),
            people in 2usize..6, set in 1u32..5, rounds in 1u32..12,
            trainer in any::<bool>(), seed in 0u64..20,
        ) {
            let now = Instant::now();
            let mut r = start(people, rounds, set, seed);
            if trainer {
                r.options.trainer = Some("Dee".into());
            }
            for action in actions {
                r.apply(action, now);
                if !trainer {
                    prop_assert_ne!(r.phase(), &Phase::Review(Stage::Point));
                    prop_assert!(r.round().point.is_none());
                }
                if let Some((seat, point)) = r.point_on_screen() {
                    let round = r.round();
                    prop_assert_eq!(seat, round.therapist);
                    let given = round.point.as_ref() == Some(point)
                        || r.reviewed().iter().any(|d| {
                            d.card_number == round.card_number
                                && d.therapist == seat
                                && d.point.as_ref() == Some(point)
                        });
                    prop_assert!(given, "{:?} was not given to seat {}", point, seat);
                }
                for done in r.reviewed().iter().chain([r.round()]) {
                    if let Some(i) = done.point.as_ref().and_then(|p| p.criterion) {
                        prop_assert!(!done.criteria[i], "a point picked from a criterion met");
                    }
                }
            }
            let points = r.reviewed().iter().filter(|d| d.point.is_some()).count();
            let lines = r.summary_lines();
            prop_assert_eq!(
                lines.iter().filter(|l| l.starts_with("  Trainer's point for ")).count(),
                points
            );
            let session = r.session(None);
            prop_assert_eq!(
                session.extra.rounds.iter().filter(|x| x.trainer_point.is_some()).count(),
                points
            );
        }
    }
}
