//! Sessions read for counting, not for reading: what the drill's schedule,
//! the stats and the start screen need of a session, and none of its text.
//!
//! A drill history can hold hundreds of megabytes of typed responses, and
//! none of it decides which card comes next. Here each file is parsed
//! straight into a [`Session`] whose text the parser skips without storing
//! it, so memory follows the number of cards drilled, not the size of what
//! was typed, and the pure code (schedule, progress, stats, notices) runs
//! on it unchanged. What is left out:
//!
//! * a step's notes are `""`, or `"…"` when they held anything but blanks
//!   (so "was anything written" still reads true);
//! * a drill card's client line, typed response and self-report are empty,
//!   and its criteria met are counted (empty strings), not kept; the
//!   criteria missed are kept (the stats name them);
//! * a rehearsal's rounds are counted (default rounds), not kept;
//! * fields from a newer version are not kept.
//!
//! So such a session is never shown, saved or exported: load it by id for
//! that ([`super::Store::load`]).

use super::unreadable::Unreadable;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::groups::{DrillCardRecord, Extra, RoundRecord, Sighting, Word};
use super::record::{Session, SessionMode, StepRecord, StepStatus};
use crate::protocol::{Level, ScenarioKind};

/// What a note becomes when it held anything but blanks.
pub const WRITTEN: &str = "…";

#[derive(Deserialize)]
struct LeanSession {
    id: String,
    mode: SessionMode,
    protocol: String,
    #[serde(default)]
    protocol_title: String,
    #[serde(default)]
    drill: Option<String>,
    started_at: chrono::DateTime<chrono::FixedOffset>,
    finished_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    complete: bool,
    steps: Vec<LeanStep>,
    #[serde(default)]
    intention: Option<String>,
    #[serde(default)]
    rounds: Count,
    #[serde(default)]
    at_step: Option<Box<str>>,
    #[serde(default)]
    drill_cards: Vec<LeanCard>,
}

#[derive(Deserialize)]
struct LeanStep {
    id: String,
    title: String,
    status: StepStatus,
    notes: Written,
    pause_seconds: Option<u64>,
}

/// A drill card without its text (unknown fields, and the client line,
/// response and self-report, are skipped by the parser).
#[derive(Deserialize)]
struct LeanCard {
    number: usize,
    card: String,
    kind: Word<ScenarioKind>,
    level: Word<Level>,
    attempt: u32,
    rating: u8,
    #[serde(default)]
    criteria_met: Count,
    #[serde(default)]
    criteria_missed: Vec<String>,
    #[serde(default)]
    criteria_met_ids: Vec<String>,
    #[serde(default)]
    criteria_missed_ids: Vec<String>,
    #[serde(default)]
    marker_guess: Option<Word<Sighting>>,
    #[serde(default)]
    marker_right: bool,
    respond_seconds: u64,
    next_level: Word<Level>,
}

/// Whether a text held anything but blanks; the text itself is not kept.
#[derive(Serialize)]
struct Written(bool);

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl Visitor<'_> for Visit {
            type Value = Written;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Written, E> {
                Ok(Written(!text.trim().is_empty()))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

/// How many elements a list has; the elements are skipped.
#[derive(Default)]
struct Count(usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
        }
        deserializer.deserialize_seq(Visit)
    }
}

/// Parses a session file for counting and checks it belongs under this id
/// (the reason given on failure never quotes the file, as in
/// `store::parse_session`).
pub(super) fn parse_lean(bytes: &[u8], id: &str) -> Result<Session, Unreadable> {
    let lean: LeanSession = serde_json::from_slice(bytes).map_err(|e| Unreadable::parsing(&e))?;
    if lean.id != id {
        return Err(Unreadable::IdMismatch);
    }
    Ok(lean.into_session())
}

impl LeanSession {
    fn into_session(self) -> Session {
        let steps = self
            .steps
            .into_iter()
            .map(|s| StepRecord {
                id: s.id,
                title: s.title,
                status: s.status,
                notes: if s.notes.0 { WRITTEN } else { "" }.to_string(),
                pause_seconds: s.pause_seconds,
                newer: Default::default(),
            })
            .collect();
        let drill_cards = self
            .drill_cards
            .into_iter()
            .map(|c| DrillCardRecord {
                number: c.number,
                card: c.card,
                kind: c.kind,
                level: c.level,
                client: String::new(),
                attempt: c.attempt,
                rating: c.rating,
                criteria_met: vec![String::new(); c.criteria_met.0],
                criteria_missed: c.criteria_missed,
                criteria_met_ids: c.criteria_met_ids,
                criteria_missed_ids: c.criteria_missed_ids,
                self_report: None,
                marker_guess: c.marker_guess,
                marker_right: c.marker_right,
                respond_seconds: c.respond_seconds,
                response: None,
                next_level: c.next_level,
                newer: Default::default(),
            })
            .collect();
        Session {
            id: self.id,
            mode: self.mode,
            protocol: self.protocol,
            protocol_title: self.protocol_title,
            drill: self.drill,
            started_at: self.started_at,
            finished_at: self.finished_at,
            complete: self.complete,
            steps,
            extra: Extra {
                intention: self.intention,
                rounds: vec![RoundRecord::default(); self.rounds.0],
                at_step: self.at_step,
                drill_cards,
                ..Extra::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::level::LevelRule;
    use crate::practice::progress::Progress;
    use crate::practice::schedule::Schedule;

    fn card(n: usize, attempt: u32, rating: u8, missed: &[&str]) -> DrillCardRecord {
        DrillCardRecord {
            number: n,
            card: format!("card-{n}"),
            kind: if n.is_multiple_of(2) {
                ScenarioKind::Withdrawal.into()
            } else {
                ScenarioKind::Confrontation.into()
            },
            level: Level::Intermediate.into(),
            client: "what the client said".repeat(20),
            attempt,
            rating,
            criteria_met: vec!["met one".into(), "met two".into()],
            criteria_missed: missed.iter().map(|m| m.to_string()).collect(),
            criteria_met_ids: vec!["reflect.guess".into()],
            criteria_missed_ids: Vec::new(),
            self_report: Some("tight chest".into()),
            marker_guess: Some(Word::read("withdrawal")),
            marker_right: n.is_multiple_of(3),
            respond_seconds: 30,
            response: Some("a typed response ".repeat(100)),
            next_level: Level::Advanced.into(),
            newer: Default::default(),
        }
    }

    /// The figures and the schedule from sessions read without their text
    /// are the figures and the schedule from the whole sessions.
    #[test]
    fn counting_from_lean_sessions_gives_what_whole_ones_give() {
        let mut drill =
            crate::journal::fixtures::session("20261101-090000-aaaa", "2026-11-01T09:00:00+01:00");
        drill.mode = SessionMode::Drill;
        drill.extra.drill_cards = (1..=9)
            .map(|n| {
                card(
                    n,
                    1 + u32::from(n % 4 == 0),
                    (n * 3 % 11) as u8,
                    &["stops and listens"][..n % 2],
                )
            })
            .collect();
        let mut walk =
            crate::journal::fixtures::session("20261102-090000-bbbb", "2026-11-02T09:00:00+01:00");
        walk.steps = vec![
            crate::journal::fixtures::step("scan", "Scan", StepStatus::Done, "  notes  ", Some(30)),
            crate::journal::fixtures::step(
                "reflect",
                "Reflect",
                StepStatus::FollowUp,
                " \n ",
                None,
            ),
            crate::journal::fixtures::step(
                "own",
                "Own",
                StepStatus::Other("revisited".into()),
                "",
                None,
            ),
        ];
        walk.extra.rounds = vec![RoundRecord::default(); 3];
        walk.extra.intention = Some("stay".into());
        let whole = vec![drill, walk];
        let lean: Vec<Session> = whole
            .iter()
            .map(|s| {
                let bytes = serde_json::to_vec_pretty(s).expect("bytes");
                parse_lean(&bytes, &s.id).expect("lean")
            })
            .collect();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
        assert_eq!(
            Schedule::from_sessions(&lean, LevelRule::default(), today),
            Schedule::from_sessions(&whole, LevelRule::default(), today)
        );
        assert_eq!(
            Progress::compute(&lean, today, None),
            Progress::compute(&whole, today, None)
        );
        assert_eq!(
            crate::journal::review::Stats::compute(&lean, today),
            crate::journal::review::Stats::compute(&whole, today)
        );
        assert_eq!(lean[1].steps[0].notes, WRITTEN);
        assert_eq!(lean[1].steps[1].notes, "");
        assert!(lean[0].extra.drill_cards[0].response.is_none());
        assert!(parse_lean(&serde_json::to_vec(&whole[0]).expect("bytes"), "other").is_err());
    }
}
