//! A group rehearsal: rounds of role-play on scenario cards, for a
//! supervision group or a triad sharing one screen.
//!
//! Each round has a therapist, a client and (with three or more people)
//! observers; the roles move on by one seat every round, so over as many
//! rounds as there are people everyone plays each role. A round is read
//! (`Ready`), played (`Playing`, with an optional countdown), then reviewed
//! (`Review`): the observers tick the protocol's steps the therapist took,
//! add a line of feedback, and say how hard the card was, which moves the
//! next card's level up or down. The repeat choice plays the same card again
//! in the next round (the roles still move on, so someone else tries it).
//!
//! Cards are dealt from the protocol's deck, shuffled once by a seeded
//! generator, so the same seed and the same answers deal the same cards.
//! A pure state machine: time is an input.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use super::pause::PauseTimer;
use super::rng::SplitMix64;
use crate::journal::{Extra, RoundRecord, Session};
use crate::protocol::{Level, Protocol, Scenario, ScenarioKind};

/// The fewest people a rehearsal needs: a therapist and a client.
pub const MIN_PEOPLE: usize = 2;
/// More than this is more than one screen can show a role for.
pub const MAX_PEOPLE: usize = 12;
/// The most rounds one rehearsal may have.
pub const MAX_ROUNDS: u32 = 100;
/// How long a round is when `--round-seconds` is not given: long enough for
/// a rupture and a first try at repair, short enough to keep the group moving.
pub const DEFAULT_ROUND_SECONDS: u32 = 180;

/// A role in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Therapist,
    Client,
    Observer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Therapist => "therapist",
            Role::Client => "client",
            Role::Observer => "observer",
        }
    }
}

/// How hard the card felt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Difficulty {
    TooEasy,
    #[default]
    AboutRight,
    TooHard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [
        Difficulty::TooEasy,
        Difficulty::AboutRight,
        Difficulty::TooHard,
    ];

    /// The word kept in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::TooEasy => "too-easy",
            Difficulty::AboutRight => "about-right",
            Difficulty::TooHard => "too-hard",
        }
    }

    /// As shown on screen.
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::TooEasy => "too easy",
            Difficulty::AboutRight => "about right",
            Difficulty::TooHard => "too hard",
        }
    }

    /// The level of the card after one of `level` felt like this.
    pub fn next_level(self, level: Level) -> Level {
        match self {
            Difficulty::TooEasy => level.up(),
            Difficulty::AboutRight => level,
            Difficulty::TooHard => level.down(),
        }
    }
}

/// Who roles rotate among.
///
/// Round `r` (from 0): seat `r mod n` is the therapist, the next seat the
/// client, everyone else observes.
pub fn role_of(seat: usize, round: usize, people: usize) -> Role {
    let people = people.max(1);
    match (seat + people - round % people) % people {
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
    pub rounds: u32,
    /// 0: no timer.
    pub round_seconds: u32,
    /// Only cards of this kind.
    pub kind: Option<ScenarioKind>,
    /// The first card's level.
    pub level: Level,
    pub seed: u64,
}

/// Where the current round is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The roles and the card are shown; the round has not begun.
    Ready,
    /// The round is being played; the timer, if there is one.
    Playing(Option<PauseTimer>),
    /// The observers' checklist, feedback and difficulty.
    Review,
    /// Every round is done (or the group stopped): the closing summary.
    Closing,
}

/// One round: its card, roles and review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// From 1.
    pub number: usize,
    pub card: Scenario,
    /// The same card as the round before.
    pub repeated: bool,
    /// Ticked steps, one per protocol step.
    pub checklist: Vec<bool>,
    pub feedback: String,
    pub difficulty: Difficulty,
    /// Play this card again next round.
    pub repeat_next: bool,
}

/// Something the group does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Begin the round (and its timer).
    Start,
    /// Hold or resume the timer.
    ToggleHold,
    /// End the round now.
    EndRound,
    /// Tick or untick a step (by position).
    Toggle(usize),
    SetFeedback(String),
    SetDifficulty(Difficulty),
    SetRepeat(bool),
    /// Done with the review: the next round, or the closing summary.
    Next,
    /// Stop early: the closing summary of the rounds reviewed so far.
    Stop,
}

/// What an action or the passing of time did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    pub changed: bool,
    /// The timer ran out just now: ring the bell once.
    pub time_up: bool,
}

/// The cards in dealing order, and which have been dealt.
#[derive(Debug, Clone)]
struct Deck {
    cards: Vec<Scenario>,
    dealt: Vec<bool>,
}

impl Deck {
    fn new(protocol: &Protocol, kind: Option<ScenarioKind>, rng: &mut SplitMix64) -> Self {
        let mut cards: Vec<Scenario> = protocol
            .scenarios
            .iter()
            .filter(|s| kind.is_none_or(|k| s.kind == k))
            .cloned()
            .collect();
        rng.shuffle(&mut cards);
        let dealt = vec![false; cards.len()];
        Deck { cards, dealt }
    }

    /// The next card at `level`, or at the nearest level that has one
    /// (easier first). Once every card has been dealt the deck starts over.
    fn deal(&mut self, level: Level) -> Option<Scenario> {
        let mut levels = vec![level, level.down(), level.up()];
        levels.extend(Level::ALL);
        for _ in 0..2 {
            for wanted in &levels {
                let found = (0..self.cards.len())
                    .find(|&i| !self.dealt[i] && self.cards[i].level == *wanted);
                if let Some(i) = found {
                    self.dealt[i] = true;
                    return Some(self.cards[i].clone());
                }
            }
            self.dealt.iter_mut().for_each(|d| *d = false);
        }
        None
    }
}

/// A rehearsal in progress.
#[derive(Debug, Clone)]
pub struct Rehearsal {
    protocol: Protocol,
    options: RehearseOptions,
    deck: Deck,
    /// Rounds reviewed, then the current one last.
    rounds: Vec<Round>,
    phase: Phase,
    session_id: String,
    started_at: DateTime<FixedOffset>,
}

impl Rehearsal {
    /// A rehearsal at the first round, or `None` when the deck (after the
    /// kind filter) has no cards.
    pub fn new(
        protocol: Protocol,
        options: RehearseOptions,
        session_id: String,
        started_at: DateTime<FixedOffset>,
    ) -> Option<Self> {
        let mut rng = SplitMix64::new(options.seed);
        let mut deck = Deck::new(&protocol, options.kind, &mut rng);
        let card = deck.deal(options.level)?;
        let steps = protocol.steps.len();
        Some(Rehearsal {
            protocol,
            options,
            deck,
            rounds: vec![Round {
                number: 1,
                card,
                repeated: false,
                checklist: vec![false; steps],
                feedback: String::new(),
                difficulty: Difficulty::AboutRight,
                repeat_next: false,
            }],
            phase: Phase::Ready,
            session_id,
            started_at,
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

    /// The current round (the last one, on the closing screen).
    pub fn round(&self) -> &Round {
        // `new` makes one round and none is ever removed.
        &self.rounds[self.rounds.len() - 1]
    }

    /// Rounds that have been reviewed (on the closing screen: all of them).
    pub fn reviewed(&self) -> &[Round] {
        match self.phase {
            Phase::Closing => &self.rounds,
            _ => &self.rounds[..self.rounds.len() - 1],
        }
    }

    pub fn total_rounds(&self) -> u32 {
        self.options.rounds
    }

    /// The role of each seat in a round (from 1).
    pub fn roles(&self, number: usize) -> Vec<Role> {
        let n = self.options.people.len();
        (0..n).map(|seat| role_of(seat, number - 1, n)).collect()
    }

    /// The name of the person with `role` in round `number` (the first, for
    /// observers).
    pub fn who(&self, role: Role, number: usize) -> Vec<&str> {
        self.roles(number)
            .iter()
            .zip(&self.options.people)
            .filter(|(r, _)| **r == role)
            .map(|(_, name)| name.as_str())
            .collect()
    }

    /// The length of a round, if it has a timer.
    pub fn round_length(&self) -> Option<Duration> {
        (self.options.round_seconds > 0)
            .then(|| Duration::from_secs(u64::from(self.options.round_seconds)))
    }

    fn current(&mut self) -> &mut Round {
        let last = self.rounds.len() - 1;
        &mut self.rounds[last]
    }

    pub fn apply(&mut self, action: Action, now: Instant) -> Outcome {
        let changed = Outcome {
            changed: true,
            time_up: false,
        };
        match (&mut self.phase, action) {
            (Phase::Ready, Action::Start) => {
                let timer = self.round_length().map(|d| PauseTimer::start(d, now));
                self.phase = Phase::Playing(timer);
                changed
            }
            (Phase::Playing(Some(timer)), Action::ToggleHold) => {
                timer.toggle(now);
                changed
            }
            (Phase::Playing(_), Action::EndRound) => {
                self.phase = Phase::Review;
                changed
            }
            (Phase::Review, Action::Toggle(i)) => match self.current().checklist.get_mut(i) {
                Some(tick) => {
                    *tick = !*tick;
                    changed
                }
                None => Outcome::default(),
            },
            (Phase::Review, Action::SetFeedback(text)) => {
                self.current().feedback = text;
                changed
            }
            (Phase::Review, Action::SetDifficulty(d)) => {
                self.current().difficulty = d;
                changed
            }
            (Phase::Review, Action::SetRepeat(on)) => {
                self.current().repeat_next = on;
                changed
            }
            (Phase::Review, Action::Next) => {
                self.next_round();
                changed
            }
            (Phase::Closing, Action::Stop) => Outcome::default(),
            (_, Action::Stop) => {
                // A round stopped before its review is not kept.
                if self.phase != Phase::Review {
                    self.rounds.pop();
                } else {
                    self.current().repeat_next = false;
                }
                self.phase = Phase::Closing;
                changed
            }
            _ => Outcome::default(),
        }
    }

    /// The passing of time: ends a round whose timer ran out.
    pub fn tick(&mut self, now: Instant) -> Outcome {
        if let Phase::Playing(Some(timer)) = &self.phase
            && timer.is_over(now)
        {
            self.phase = Phase::Review;
            return Outcome {
                changed: true,
                time_up: true,
            };
        }
        Outcome::default()
    }

    /// When the display next changes: the next whole second of the timer.
    pub fn next_change(&self, now: Instant) -> Option<Instant> {
        let Phase::Playing(Some(timer)) = &self.phase else {
            return None;
        };
        if !timer.is_running() {
            return None;
        }
        let remaining = timer.remaining(now);
        let into_second = Duration::from_nanos(u64::from(remaining.subsec_nanos()));
        let wait = if into_second.is_zero() {
            Duration::from_secs(1).min(remaining)
        } else {
            into_second
        };
        Some(now + wait)
    }

    fn next_round(&mut self) {
        let (repeat, card, level, number) = {
            let round = self.round();
            (
                round.repeat_next,
                round.card.clone(),
                round.difficulty.next_level(round.card.level),
                round.number,
            )
        };
        if number as u32 >= self.options.rounds {
            self.current().repeat_next = false;
            self.phase = Phase::Closing;
            return;
        }
        let card = if repeat {
            card
        } else {
            // `new` checked the deck has cards, and `deal` starts the deck
            // over when it runs out, so this always finds one.
            self.deck.deal(level).unwrap_or(card)
        };
        let steps = self.protocol.steps.len();
        self.rounds.push(Round {
            number: number + 1,
            card,
            repeated: repeat,
            checklist: vec![false; steps],
            feedback: String::new(),
            difficulty: Difficulty::AboutRight,
            repeat_next: false,
        });
        self.phase = Phase::Ready;
    }

    /// The session to save (`--save`): roles by seat, never names.
    pub fn session(&self, finished_at: Option<DateTime<FixedOffset>>) -> Session {
        let rounds = self
            .reviewed()
            .iter()
            .map(|round| RoundRecord {
                number: round.number,
                card: round.card.id.clone(),
                kind: round.card.kind.as_str().into(),
                level: round.card.level.as_str().into(),
                repeated: round.repeated,
                roles: self
                    .roles(round.number)
                    .iter()
                    .map(|r| r.as_str().to_string())
                    .collect(),
                checklist: self
                    .protocol
                    .steps
                    .iter()
                    .zip(&round.checklist)
                    .filter(|(_, ticked)| **ticked)
                    .map(|(step, _)| step.id.clone())
                    .collect(),
                feedback: round.feedback.clone(),
                difficulty: round.difficulty.as_str().into(),
            })
            .collect();
        Session {
            id: self.session_id.clone(),
            mode: "rehearse".into(),
            protocol: self.protocol.id.clone(),
            protocol_title: self.protocol.title.clone(),
            drill: None,
            started_at: self.started_at,
            complete: finished_at.is_some() && self.reviewed().len() as u32 >= self.options.rounds,
            finished_at,
            steps: Vec::new(),
            extra: Extra {
                intention: None,
                rounds,
                ..Extra::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::builtin;

    fn start(people: usize, rounds: u32, seed: u64) -> Rehearsal {
        let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        Rehearsal::new(
            builtin(),
            RehearseOptions {
                people: (1..=people).map(|i| format!("P{i}")).collect(),
                rounds,
                round_seconds: 0,
                kind: None,
                level: Level::Beginner,
                seed,
            },
            "id".into(),
            started,
        )
        .expect("the built-in deck has cards")
    }

    /// Plays the current round through with a difficulty.
    fn play(r: &mut Rehearsal, difficulty: Difficulty, now: Instant) {
        r.apply(Action::Start, now);
        r.apply(Action::EndRound, now);
        r.apply(Action::SetDifficulty(difficulty), now);
        r.apply(Action::Next, now);
    }

    #[test]
    fn roles_rotate_so_everyone_plays_each_role_over_more_rounds_than_people() {
        let people = 3;
        let mut seen = vec![Vec::new(); people];
        for round in 0..7 {
            let roles: Vec<Role> = (0..people).map(|s| role_of(s, round, people)).collect();
            assert_eq!(roles.iter().filter(|r| **r == Role::Therapist).count(), 1);
            assert_eq!(roles.iter().filter(|r| **r == Role::Client).count(), 1);
            for (seat, role) in roles.into_iter().enumerate() {
                seen[seat].push(role);
            }
        }
        // Seat 0: therapist in rounds 1, 4, 7; the client's seat is the next.
        assert_eq!(
            seen[0],
            [
                Role::Therapist,
                Role::Observer,
                Role::Client,
                Role::Therapist,
                Role::Observer,
                Role::Client,
                Role::Therapist
            ]
        );
        for roles in &seen {
            for role in [Role::Therapist, Role::Client, Role::Observer] {
                assert!(roles.contains(&role));
            }
        }
        // Two people swap each round.
        assert_eq!(role_of(0, 0, 2), Role::Therapist);
        assert_eq!(role_of(0, 1, 2), Role::Client);
        assert_eq!(role_of(1, 1, 2), Role::Therapist);
    }

    #[test]
    fn difficulty_moves_the_next_card_up_or_down() {
        let now = Instant::now();
        let mut r = start(3, 6, 42);
        assert_eq!(r.round().card.level, Level::Beginner);
        play(&mut r, Difficulty::TooEasy, now);
        assert_eq!(r.round().card.level, Level::Intermediate);
        play(&mut r, Difficulty::TooEasy, now);
        assert_eq!(r.round().card.level, Level::Advanced);
        play(&mut r, Difficulty::TooEasy, now);
        assert_eq!(r.round().card.level, Level::Advanced, "stays at the top");
        play(&mut r, Difficulty::TooHard, now);
        assert_eq!(r.round().card.level, Level::Intermediate);
        play(&mut r, Difficulty::AboutRight, now);
        assert_eq!(r.round().card.level, Level::Intermediate);
        play(&mut r, Difficulty::TooHard, now);
        assert_eq!(*r.phase(), Phase::Closing);
        assert_eq!(r.reviewed().len(), 6);
    }

    #[test]
    fn repeat_plays_the_same_card_with_the_roles_moved_on() {
        let now = Instant::now();
        let mut r = start(3, 3, 1);
        let first = r.round().card.clone();
        r.apply(Action::Start, now);
        r.apply(Action::EndRound, now);
        r.apply(Action::SetRepeat(true), now);
        r.apply(Action::Next, now);
        assert_eq!(r.round().card, first);
        assert!(r.round().repeated);
        assert_eq!(r.who(Role::Therapist, 2), ["P2"]);
        play(&mut r, Difficulty::AboutRight, now);
        assert_ne!(r.round().card, first);
    }

    #[test]
    fn no_card_is_dealt_twice_until_the_deck_runs_out() {
        let now = Instant::now();
        // Every beginner card of the deck comes before any repeats.
        let beginners = builtin()
            .scenarios
            .iter()
            .filter(|c| c.level == Level::Beginner)
            .count();
        let mut r = start(2, beginners as u32 + 10, 9);
        let mut ids = vec![r.round().card.id.clone()];
        for _ in 1..beginners {
            play(&mut r, Difficulty::AboutRight, now);
            ids.push(r.round().card.id.clone());
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), beginners, "{ids:?}");
        play(&mut r, Difficulty::AboutRight, now);
        assert_eq!(
            r.round().card.level,
            Level::Intermediate,
            "nearest level next"
        );
    }

    #[test]
    fn the_same_seed_deals_the_same_cards() {
        let deal = |seed| {
            let now = Instant::now();
            let mut r = start(3, 5, seed);
            let mut ids = vec![r.round().card.id.clone()];
            for _ in 0..4 {
                play(&mut r, Difficulty::TooEasy, now);
                ids.push(r.round().card.id.clone());
            }
            ids
        };
        assert_eq!(deal(5), deal(5));
        assert_ne!(deal(5), deal(6));
    }

    #[test]
    fn the_timer_ends_the_round_and_rings_once() {
        let now = Instant::now();
        let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
        let mut r = Rehearsal::new(
            builtin(),
            RehearseOptions {
                people: vec!["A".into(), "B".into()],
                rounds: 1,
                round_seconds: 60,
                kind: Some(ScenarioKind::Confrontation),
                level: Level::Advanced,
                seed: 3,
            },
            "id".into(),
            started,
        )
        .unwrap();
        assert_eq!(r.round().card.kind, ScenarioKind::Confrontation);
        assert_eq!(r.round().card.level, Level::Advanced);
        r.apply(Action::Start, now);
        assert!(!r.tick(now + Duration::from_secs(59)).time_up);
        assert_eq!(
            r.next_change(now + Duration::from_millis(59_500)),
            Some(now + Duration::from_secs(60))
        );
        assert!(r.tick(now + Duration::from_secs(60)).time_up);
        assert_eq!(*r.phase(), Phase::Review);
        assert!(!r.tick(now + Duration::from_secs(61)).time_up);
    }

    #[test]
    fn the_session_keeps_roles_and_checklists_but_no_names() {
        let now = Instant::now();
        let mut r = start(3, 2, 4);
        r.apply(Action::Start, now);
        r.apply(Action::EndRound, now);
        r.apply(Action::Toggle(0), now);
        r.apply(Action::Toggle(2), now);
        r.apply(Action::SetFeedback("Slowed right down.".into()), now);
        r.apply(Action::Next, now);
        r.apply(Action::Start, now);
        r.apply(Action::Stop, now);
        let session = r.session(Some(crate::journal::local_now()));
        assert_eq!(session.mode, "rehearse");
        assert!(!session.complete, "one of two rounds");
        assert_eq!(session.extra.rounds.len(), 1);
        let round = &session.extra.rounds[0];
        assert_eq!(round.roles, ["therapist", "client", "observer"]);
        assert_eq!(round.checklist, ["scan", "validate"]);
        assert_eq!(round.difficulty, "about-right");
        let json = serde_json::to_string(&session).unwrap();
        assert!(!json.contains("P1") && !json.contains("P2"), "{json}");
    }
}
