//! Spaced repetition for `repair drill`: which card comes next.
//!
//! Leitner boxes (Leitner, 1972): every card drilled sits in a box, and a
//! box says how long until the card is due again (1, 3, 7, 14, 30 days). A
//! card found hard (rated 8 or more) or with most criteria missed goes back
//! to the first box; a card with some criteria missed stays where it is; a
//! card done well moves up a box, and one done well and found easy (rated 3
//! or less) moves up two. Cards never drilled are new.
//!
//! Why not FSRS or SM-2 from a crate: the kept implementations (`fsrs`,
//! `rs-fsrs`) model the recall of facts from a four-grade answer and bring a
//! dependency tree (the optimiser of `fsrs` pulls in a tensor library); a
//! drill card is a skill rated 0 to 10 against criteria, and five boxes say
//! what the clinician needs ("hard ones come back tomorrow") in a few lines
//! anyone can check.
//!
//! The schedule is never stored: it is derived from the saved drill sessions
//! (their first attempt at each card, oldest first), so it survives export
//! and import and needs no second store. Pure: sessions and "today" in.
//!
//! Today is the latest moment: no session counts as later than now. A
//! session dated after today (taken while the clock was wrong) still counts,
//! but as older than every correctly dated one, so later real ratings
//! overrule it (its levels included), and a card it reviewed is due at once
//! rather than when that date comes.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::level::LevelRule;
use crate::journal::{DrillCardRecord, Session, SessionMode};
use crate::protocol::{Level, Scenario, ScenarioKind};

/// Days until a card in each box is due again (box 1 first).
pub const INTERVAL_DAYS: [i64; 5] = [1, 3, 7, 14, 30];

/// How one review of a card went, as far as the schedule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    /// Rated hard, or fewer than half the criteria met: back to box 1.
    Hard,
    /// Some criteria missed: stays in its box.
    Partial,
    /// Every criterion met, rating in the middle: up one box.
    Good,
    /// Every criterion met and rated easy: up two boxes.
    Easy,
}

impl Grade {
    /// The grade of a rating with `met` of `offered` criteria met.
    pub fn of(rating: u8, met: usize, offered: usize, rule: LevelRule) -> Grade {
        if rating >= rule.down_at || met * 2 < offered {
            Grade::Hard
        } else if met < offered {
            Grade::Partial
        } else if rating <= rule.up_at {
            Grade::Easy
        } else {
            Grade::Good
        }
    }

    /// The grade a saved first attempt earned.
    pub fn of_record(record: &DrillCardRecord, rule: LevelRule) -> Grade {
        let met = record.criteria_met.len();
        Grade::of(record.rating, met, met + record.criteria_missed.len(), rule)
    }
}

/// Where one card stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardState {
    /// 1 to 5.
    pub boxed: usize,
    /// The day it was last drilled.
    pub last: NaiveDate,
}

impl CardState {
    /// The day it is due again.
    pub fn due(&self) -> NaiveDate {
        self.last + Duration::days(INTERVAL_DAYS[self.boxed.clamp(1, 5) - 1])
    }

    /// The day it is due again, as of `today`: a card last drilled in a
    /// session dated after `today` is due today, not after that date.
    pub fn due_on(&self, today: NaiveDate) -> NaiveDate {
        if self.last > today { today } else { self.due() }
    }

    /// After a review on `day` that went as `grade`.
    fn after(previous: Option<CardState>, grade: Grade, day: NaiveDate) -> CardState {
        let boxed = previous.map_or(1, |s| s.boxed);
        let boxed = match (previous, grade) {
            (_, Grade::Hard) => 1,
            (None, Grade::Partial) => 1,
            (Some(_), Grade::Partial) => boxed,
            (None, Grade::Good) => 2,
            (None, Grade::Easy) => 3,
            (Some(_), Grade::Good) => boxed + 1,
            (Some(_), Grade::Easy) => boxed + 2,
        }
        .min(INTERVAL_DAYS.len());
        CardState { boxed, last: day }
    }
}

/// Every card drilled so far, and the level each kind of card has reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    cards: HashMap<String, CardState>,
    /// The level of the next card of each kind, as the last drill left it.
    levels: [Option<Level>; 2],
}

/// Where a kind's level is kept in a `[_; 2]` of levels (drill's too).
pub(super) fn kind_index(kind: ScenarioKind) -> usize {
    match kind {
        ScenarioKind::Withdrawal => 0,
        ScenarioKind::Confrontation => 1,
    }
}

impl Schedule {
    /// The schedule the saved `sessions` leave as of `today` (any order;
    /// only drill sessions count). Sessions dated after `today` count as
    /// the oldest (see the module docs).
    pub fn from_sessions<'a>(
        sessions: impl IntoIterator<Item = &'a Session>,
        rule: LevelRule,
        today: NaiveDate,
    ) -> Schedule {
        let mut drills: Vec<&Session> = sessions
            .into_iter()
            .filter(|s| s.mode == SessionMode::Drill && !s.extra.drill_cards.is_empty())
            .collect();
        let dated_right = |s: &Session| s.started_at.date_naive() <= today;
        drills.sort_by(|a, b| {
            (dated_right(a), a.started_at, &a.id).cmp(&(dated_right(b), b.started_at, &b.id))
        });
        let mut schedule = Schedule::default();
        for session in drills {
            let day = session.started_at.date_naive();
            for record in &session.extra.drill_cards {
                if let Some(kind) = record.kind.known()
                    && let Some(level) = record.next_level.known()
                {
                    schedule.levels[kind_index(kind)] = Some(level);
                }
                // Only the cold first try says how the card is held; a retry
                // right after the reveal says how well feedback landed.
                if record.attempt == 1 {
                    schedule.review(&record.card, Grade::of_record(record, rule), day);
                }
            }
        }
        schedule
    }

    /// Records one review.
    pub fn review(&mut self, card: &str, grade: Grade, day: NaiveDate) {
        let previous = self.cards.get(card).copied();
        self.cards
            .insert(card.to_string(), CardState::after(previous, grade, day));
    }

    pub fn state(&self, card: &str) -> Option<CardState> {
        self.cards.get(card).copied()
    }

    /// The level the last drill left for this kind of card.
    pub fn level(&self, kind: ScenarioKind) -> Option<Level> {
        self.levels[kind_index(kind)]
    }

    /// Whether `card` is due on `today`.
    pub fn is_due(&self, card: &str, today: NaiveDate) -> bool {
        self.cards
            .get(card)
            .is_some_and(|s| s.due_on(today) <= today)
    }

    /// How many of `deck`'s cards are due on `today`.
    pub fn due_count<'a>(
        &self,
        deck: impl IntoIterator<Item = &'a str>,
        today: NaiveDate,
    ) -> usize {
        deck.into_iter().filter(|id| self.is_due(id, today)).count()
    }

    /// The position in `deck` of the card to drill next: due cards first
    /// (the longest overdue, then the lowest box), then new cards at the
    /// level for their kind (`levels`, then the nearest level), then the
    /// card due soonest. Cards in `skip` (drilled this session) are never
    /// chosen; ties go to deck order, so a shuffled deck varies them.
    pub fn next(
        &self,
        deck: &[Scenario],
        skip: &[bool],
        levels: impl Fn(ScenarioKind) -> Level,
        today: NaiveDate,
    ) -> Option<usize> {
        let open = |i: &usize| !skip.get(*i).copied().unwrap_or(false);
        let due = (0..deck.len())
            .filter(open)
            .filter_map(|i| {
                let state = self.cards.get(&deck[i].id)?;
                let due = state.due_on(today);
                (due <= today).then_some((due, state.boxed, i))
            })
            .min();
        if let Some((_, _, i)) = due {
            return Some(i);
        }
        let distance = |s: &Scenario| (s.level as i32 - levels(s.kind) as i32).unsigned_abs();
        let new = (0..deck.len())
            .filter(open)
            .filter(|&i| !self.cards.contains_key(&deck[i].id))
            .min_by_key(|&i| (distance(&deck[i]), deck[i].level, i));
        if new.is_some() {
            return new;
        }
        (0..deck.len())
            .filter(open)
            .min_by_key(|&i| (self.cards.get(&deck[i].id).map(|s| s.due_on(today)), i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Session, fixtures};

    fn card(id: &str, kind: ScenarioKind, level: Level) -> Scenario {
        Scenario {
            id: id.into(),
            kind,
            level,
            client: "…".into(),
            scene: None,
            direction: None,
            escalate: None,
            soften: None,
            markers: Vec::new(),
            examples: Vec::new(),
            pitfalls: Vec::new(),
            tags: Vec::new(),
            content: Vec::new(),
        }
    }

    fn record(card: &str, rating: u8, met: usize, missed: usize) -> DrillCardRecord {
        DrillCardRecord {
            client: "…".into(),
            rating,
            criteria_met: (0..met).map(|i| format!("c{i}")).collect(),
            criteria_missed: (0..missed).map(|i| format!("m{i}")).collect(),
            ..fixtures::drill_card(card)
        }
    }

    use crate::journal::fixtures::drill_on as drill;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn deck() -> Vec<Scenario> {
        use Level::*;
        use ScenarioKind::*;
        vec![
            card("easy", Withdrawal, Beginner),
            card("hard", Withdrawal, Beginner),
            card("partial", Withdrawal, Beginner),
            card("new-b", Withdrawal, Beginner),
            card("new-i", Withdrawal, Intermediate),
            card("new-a", Confrontation, Advanced),
        ]
    }

    #[test]
    fn grades_follow_rating_and_criteria() {
        let rule = LevelRule::default();
        assert_eq!(Grade::of(9, 3, 3, rule), Grade::Hard);
        assert_eq!(
            Grade::of(5, 1, 3, rule),
            Grade::Hard,
            "most criteria missed"
        );
        assert_eq!(Grade::of(5, 2, 3, rule), Grade::Partial);
        assert_eq!(Grade::of(5, 3, 3, rule), Grade::Good);
        assert_eq!(Grade::of(2, 3, 3, rule), Grade::Easy);
        assert_eq!(Grade::of(2, 0, 0, rule), Grade::Easy, "no criteria offered");
    }

    #[test]
    fn the_next_day_the_hard_card_comes_back_first_and_the_easy_one_later() {
        let rule = LevelRule::default();
        let history = [drill(
            "2026-11-01",
            vec![
                record("easy", 2, 3, 0),
                record("hard", 9, 3, 0),
                record("partial", 5, 2, 1),
            ],
        )];
        let schedule = Schedule::from_sessions(&history, rule, date("2026-12-01"));
        let deck = deck();
        let beginner = |_| Level::Beginner;
        let next_day = date("2026-11-02");
        let skip = vec![false; deck.len()];
        // Day 2: only the hard card (box 1) and the partial one (box 1,
        // first seen) are due; the hard one was reviewed first, both are
        // box 1, so deck order decides.
        assert!(schedule.is_due("hard", next_day));
        assert!(schedule.is_due("partial", next_day));
        assert!(!schedule.is_due("easy", next_day));
        assert_eq!(schedule.next(&deck, &skip, beginner, next_day), Some(1));
        let mut skip2 = skip.clone();
        skip2[1] = true;
        assert_eq!(schedule.next(&deck, &skip2, beginner, next_day), Some(2));
        skip2[2] = true;
        // Then new cards at the level, before the easy card that is not due.
        assert_eq!(schedule.next(&deck, &skip2, beginner, next_day), Some(3));
        assert_eq!(
            schedule.due_count(deck.iter().map(|c| c.id.as_str()), next_day),
            2
        );
        // The easy card (box 3, seven days) is due a week later.
        assert_eq!(schedule.state("easy").unwrap().due(), date("2026-11-08"));
        assert!(schedule.is_due("easy", date("2026-11-08")));
    }

    #[test]
    fn boxes_climb_with_good_reviews_and_fall_on_a_hard_one() {
        let rule = LevelRule::default();
        let days = ["2026-01-01", "2026-01-03", "2026-01-06", "2026-01-13"];
        let mut history: Vec<Session> = days
            .iter()
            .map(|d| drill(d, vec![record("easy", 5, 3, 0)]))
            .collect();
        let s = Schedule::from_sessions(&history, rule, date("2026-12-01"));
        assert_eq!(s.state("easy").unwrap().boxed, 5);
        assert_eq!(s.state("easy").unwrap().due(), date("2026-02-12"));
        history.push(drill("2026-02-12", vec![record("easy", 8, 3, 0)]));
        // Given in any order: sorted by time.
        history.reverse();
        let s = Schedule::from_sessions(&history, rule, date("2026-12-01"));
        assert_eq!(s.state("easy").unwrap().boxed, 1);
        assert!(s.is_due("easy", date("2026-02-13")));
    }

    #[test]
    fn a_kind_left_at_warm_up_starts_there_and_is_dealt_beginner_cards() {
        let mut first = record("w-hard", 9, 0, 3);
        first.next_level = "warm-up".into();
        let s = Schedule::from_sessions(
            &[drill("2026-11-01", vec![first])],
            LevelRule::default(),
            date("2026-11-05"),
        );
        assert_eq!(s.level(ScenarioKind::Withdrawal), Some(Level::WarmUp));
        let deck = deck();
        let skip = vec![false; deck.len()];
        let next = s
            .next(&deck, &skip, |_| Level::WarmUp.pool(), date("2026-11-01"))
            .unwrap();
        assert_eq!(deck[next].level, Level::Beginner);
    }

    #[test]
    fn retries_do_not_move_the_box_but_the_level_follows_the_last_rating() {
        let rule = LevelRule::default();
        let mut retry = record("hard", 1, 3, 0);
        retry.attempt = 2;
        retry.next_level = "intermediate".into();
        let s = Schedule::from_sessions(
            &[drill("2026-11-01", vec![record("hard", 9, 3, 0), retry])],
            rule,
            date("2026-11-02"),
        );
        assert_eq!(s.state("hard").unwrap().boxed, 1);
        assert_eq!(s.level(ScenarioKind::Withdrawal), Some(Level::Intermediate));
        assert_eq!(s.level(ScenarioKind::Confrontation), None);
    }

    #[test]
    fn new_cards_come_at_your_level_for_their_kind_then_the_nearest() {
        let s = Schedule::default();
        let deck = deck();
        let skip = vec![false; deck.len()];
        let levels = |k| match k {
            ScenarioKind::Withdrawal => Level::Intermediate,
            ScenarioKind::Confrontation => Level::Beginner,
        };
        let today = date("2026-11-02");
        assert_eq!(s.next(&deck, &skip, levels, today), Some(4));
        let mut skip = skip;
        skip[4] = true;
        // Beginner withdrawal cards are one level off, as is nothing else
        // closer; the first of them in deck order.
        assert_eq!(s.next(&deck, &skip, levels, today), Some(0));
        let all = vec![true; deck.len()];
        assert_eq!(s.next(&deck, &all, levels, today), None);
    }

    /// A record at a level, moving the next card to `next`.
    fn leveled(card: &str, rating: u8, next: &str) -> DrillCardRecord {
        DrillCardRecord {
            next_level: next.into(),
            ..record(card, rating, 3, 0)
        }
    }

    #[test]
    fn a_session_dated_a_year_ahead_does_not_steer_the_schedule() {
        let rule = LevelRule::default();
        let today = date("2026-12-07");
        // Taken with the clock a year ahead: rated easy, level up.
        let ahead = drill("2027-12-05", vec![leveled("easy", 1, "advanced")]);
        let s = Schedule::from_sessions(std::slice::from_ref(&ahead), rule, today);
        assert_eq!(s.level(ScenarioKind::Withdrawal), Some(Level::Advanced));
        assert!(s.is_due("easy", today), "due now, not in 2027");
        // Later real drills, dated correctly but before the wrong date:
        // their ratings of 9 move the level back.
        let real = drill("2026-12-06", vec![leveled("easy", 9, "beginner")]);
        let s = Schedule::from_sessions(&[real, ahead], rule, today);
        assert_eq!(s.level(ScenarioKind::Withdrawal), Some(Level::Beginner));
        assert_eq!(s.state("easy").unwrap().boxed, 1);
        assert_eq!(s.state("easy").unwrap().due(), today);
    }

    proptest::proptest! {
        /// Over random drill histories, some dated after today: no card is
        /// put off beyond the longest interval from today, a future-dated
        /// session's date tells nothing (moving it to any other future day
        /// changes nothing), and the levels are those of the latest
        /// correctly dated session whenever there is one.
        #[test]
        fn no_session_counts_as_later_than_today(
            history in proptest::collection::vec(
                (
                    -60i64..400,
                    proptest::collection::vec((0usize..4, 0u8..=10, 0usize..4, 0usize..3), 1..4),
                ),
                0..8,
            ),
            shift in 1i64..300,
        ) {
            let today = date("2026-12-07");
            let levels = ["beginner", "intermediate", "advanced"];
            let make = |offset: i64, cards: &Vec<(usize, u8, usize, usize)>, n: usize| {
                let day = today + Duration::days(offset);
                let mut session = drill(&day.format("%Y-%m-%d").to_string(), cards
                    .iter()
                    .map(|&(card, rating, met, level)| DrillCardRecord {
                        next_level: levels[level].into(),
                        ..record(&format!("c{card}"), rating, met.min(3), 3 - met.min(3))
                    })
                    .collect());
                session.id = format!("{}-{n}", session.id);
                session
            };
            let sessions: Vec<Session> = history
                .iter()
                .enumerate()
                .map(|(n, (offset, cards))| make(*offset, cards, n))
                .collect();
            let s = Schedule::from_sessions(&sessions, LevelRule::default(), today);
            let latest = today + Duration::days(INTERVAL_DAYS[INTERVAL_DAYS.len() - 1]);
            for card in 0..4 {
                if let Some(state) = s.state(&format!("c{card}")) {
                    proptest::prop_assert!(state.due_on(today) <= latest);
                }
            }
            // The future-dated sessions moved further into the future, in
            // the same order among themselves.
            let moved: Vec<Session> = history
                .iter()
                .enumerate()
                .map(|(n, (offset, cards))| {
                    let offset = if *offset > 0 { offset + shift } else { *offset };
                    make(offset, cards, n)
                })
                .collect();
            let m = Schedule::from_sessions(&moved, LevelRule::default(), today);
            for card in 0..4 {
                let id = format!("c{card}");
                proptest::prop_assert_eq!(s.is_due(&id, today), m.is_due(&id, today));
                proptest::prop_assert_eq!(
                    s.state(&id).map(|c| c.boxed),
                    m.state(&id).map(|c| c.boxed)
                );
            }
            proptest::prop_assert_eq!(s.level(ScenarioKind::Withdrawal), m.level(ScenarioKind::Withdrawal));
            // The latest correctly dated session's last record sets the level.
            let mut dated_right: Vec<&Session> = sessions
                .iter()
                .filter(|x| x.started_at.date_naive() <= today)
                .collect();
            dated_right.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
            if let Some(last) = dated_right.last() {
                let expected = last.extra.drill_cards.last().unwrap().next_level.known();
                proptest::prop_assert_eq!(s.level(ScenarioKind::Withdrawal), expected);
            }
        }
    }

    #[test]
    fn other_modes_are_ignored() {
        let mut other = drill("2026-11-01", vec![record("hard", 9, 0, 3)]);
        other.mode = SessionMode::Practice;
        let s = Schedule::from_sessions(&[other], LevelRule::default(), date("2026-11-02"));
        assert_eq!(s, Schedule::default());
    }
}
