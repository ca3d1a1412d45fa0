//! What one line of a list needs of a session, read without its notes.
//!
//! `repair notes list` over tens of thousands of sessions keeps only these
//! rows in memory, never the notes: each file is parsed straight into a
//! [`Row`], and the notes and rounds are skipped by the parser without
//! being stored. A row holds its id and its few words (the mode, the
//! protocol, its title, the step drilled): a couple of hundred bytes, so
//! ten thousand rows are a few megabytes.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::record::{Session, SessionMode, StepStatus};
use super::review::SessionState;
use super::unreadable::Unreadable;

/// One session as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    /// What it was (mode, protocol, title, step drilled).
    kind: Kind,
    pub started_at: DateTime<FixedOffset>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    pub complete: bool,
    /// What the steps' statuses add up to.
    pub counts: StepCounts,
    /// What a drill's cards or a rehearsal's rounds add up to.
    pub practice: PracticeCounts,
}

/// What kind of session a row is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kind {
    mode: SessionMode,
    protocol: String,
    /// Empty when the session did not record one.
    protocol_title: String,
    drill: Option<String>,
}

/// Steps done, steps in all, and whether a follow-up step was left open
/// right after a done step (what [`super::review::follow_up_after`] finds;
/// the session must also be finished for the follow-up to be due).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepCounts {
    pub done: u32,
    pub total: u32,
    pub follow_up: bool,
    /// Whether the last step counted was never reached: all the
    /// follow-up rule asks of the step before (kept as a flag so the
    /// counts stay `Copy`).
    last_not_reached: bool,
}

/// What a drill's cards or a rehearsal's rounds add up to, for a list
/// line (`6 cards · median 6/10`): read without their text, a few bytes a
/// row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PracticeCounts {
    /// Cards dealt, retries not counted (a drill's cards, a rehearsal's
    /// rounds).
    pub cards: u32,
    /// Seats at the table: the most roles any round gave out.
    pub seats: u16,
    /// The median rating of the first tries, in halves (13 is 6.5).
    median: Option<u8>,
}

impl PracticeCounts {
    /// The median rating of the first attempts, in halves (13 is 6.5), or
    /// `None` when none was rated. First tries only, as in the stats: the
    /// cold try is what counts.
    pub fn median_halves(&self) -> Option<u32> {
        self.median.map(u32::from)
    }

    /// "6/10" or "6.5/10", when any first attempt was rated.
    pub fn median_text(&self) -> Option<String> {
        self.median_halves().map(|h| {
            if h % 2 == 0 {
                format!("{}/10", h / 2)
            } else {
                format!("{}.5/10", h / 2)
            }
        })
    }
}

/// [`PracticeCounts`] being added up: how many first tries had each
/// rating, 0 to 10 (above 10 counts as 10), until the median is taken.
#[derive(Debug, Clone, Copy, Default)]
struct Tallying {
    cards: u32,
    seats: u16,
    ratings: [u32; 11],
}

impl Tallying {
    /// One card or round: the first try counts as a card, and its rating.
    fn add(&mut self, first: bool, rating: Option<u8>, seats: usize) {
        self.seats = self.seats.max(u16::try_from(seats).unwrap_or(u16::MAX));
        if !first {
            return;
        }
        self.cards = self.cards.saturating_add(1);
        if let Some(rating) = rating {
            let at = usize::from(rating.min(10));
            self.ratings[at] = self.ratings[at].saturating_add(1);
        }
    }

    /// Another tally's cards and ratings added to this one.
    fn merge(mut self, other: &Tallying) -> Tallying {
        self.cards = self.cards.saturating_add(other.cards);
        self.seats = self.seats.max(other.seats);
        for (mine, theirs) in self.ratings.iter_mut().zip(other.ratings) {
            *mine = mine.saturating_add(theirs);
        }
        self
    }

    fn done(&self) -> PracticeCounts {
        let n: u32 = self.ratings.iter().sum();
        // The ratings at places (n-1)/2 and n/2 (from 0), added.
        let nth = |k: u32| {
            let mut seen = 0u32;
            for (rating, &count) in self.ratings.iter().enumerate() {
                seen = seen.saturating_add(count);
                if seen > k {
                    return rating as u8;
                }
            }
            10
        };
        PracticeCounts {
            cards: self.cards,
            seats: self.seats,
            median: (n > 0).then(|| nth((n - 1) / 2) + nth(n / 2)),
        }
    }
}

/// A session file's fields as they are in the file, borrowed from its
/// bytes where they need no unescaping (what [`parse_row`] reads).
#[derive(Deserialize)]
struct RawRow<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    mode: SessionMode,
    #[serde(borrow)]
    protocol: Cow<'a, str>,
    #[serde(borrow, default)]
    protocol_title: Cow<'a, str>,
    #[serde(borrow, default)]
    drill: Option<Cow<'a, str>>,
    started_at: DateTime<FixedOffset>,
    finished_at: Option<DateTime<FixedOffset>>,
    complete: bool,
    #[serde(rename = "steps")]
    counts: StepCounts,
    #[serde(default)]
    drill_cards: Tally<CardHead>,
    #[serde(default)]
    rounds: Tally<RoundHead>,
}

impl Row {
    /// The row of a session already in memory.
    pub fn of(session: &Session) -> Row {
        let mut counts = StepCounts::default();
        for step in &session.steps {
            counts.add(&step.status);
        }
        let mut tally = Tallying::default();
        for card in &session.extra.drill_cards {
            tally.add(card.attempt <= 1, Some(card.rating), 0);
        }
        for round in &session.extra.rounds {
            let first = round.attempt <= 1 && !round.repeated;
            tally.add(first, round.rating, round.roles.len());
        }
        let practice = tally.done();
        Row {
            id: session.id.clone(),
            kind: Kind {
                mode: session.mode.clone(),
                protocol: session.protocol.clone(),
                protocol_title: session.protocol_title.clone(),
                drill: session.drill.clone(),
            },
            started_at: session.started_at,
            finished_at: session.finished_at,
            complete: session.complete,
            counts,
            practice,
        }
    }

    /// What kind of session it is.
    pub fn mode(&self) -> &SessionMode {
        &self.kind.mode
    }

    /// The protocol's id.
    pub fn protocol(&self) -> &str {
        &self.kind.protocol
    }

    /// The protocol's title when the session was made (may be empty).
    pub fn protocol_title(&self) -> &str {
        &self.kind.protocol_title
    }

    /// The step drilled, or None for a whole walk-through.
    pub fn drill(&self) -> Option<&str> {
        self.kind.drill.as_deref()
    }

    /// What the session adds up to, as lists say it: each mode its own.
    /// A walk or a prep `3/6 done`; a drill `6 cards · median 6/10`; a
    /// rehearsal `3 seats · 9 cards · median 5/10` (the median of first
    /// tries, left out when none was rated).
    pub fn summary(&self) -> String {
        let mut text = String::with_capacity(32);
        self.push_summary(&mut text);
        text
    }

    /// [`Row::summary`] added to `text`.
    pub fn push_summary(&self, text: &mut String) {
        use fmt::Write;
        let p = &self.practice;
        let cards = |text: &mut String| {
            let _ = write!(
                text,
                "{} card{}",
                p.cards,
                if p.cards == 1 { "" } else { "s" }
            );
            if let Some(median) = p.median_text() {
                let _ = write!(text, " · median {median}");
            }
        };
        match super::review::allows(self.mode()).counts {
            super::review::Counts::Cards { seats, .. } if self.counts_cards() => {
                if seats {
                    let _ = write!(
                        text,
                        "{} seat{} · ",
                        p.seats,
                        if p.seats == 1 { "" } else { "s" }
                    );
                }
                cards(text);
            }
            _ => {
                let _ = write!(text, "{}/{} done", self.counts.done, self.counts.total);
            }
        }
    }

    /// A drill's or rehearsal's cards and median alone (`1 card · median
    /// 6/10`), for a line with little room: the browser's list, which
    /// shows the seats in its preview.
    pub fn cards_summary(&self) -> String {
        let p = &self.practice;
        let mut text = format!("{} card{}", p.cards, if p.cards == 1 { "" } else { "s" });
        if let Some(median) = p.median_text() {
            text.push_str(" · median ");
            text.push_str(&median);
        }
        text
    }

    /// [`Row::summary`] for a narrow line: `3/6` for a walk or a prep,
    /// `6 cards` for a drill or a rehearsal.
    pub fn short_summary(&self) -> String {
        let p = &self.practice;
        if self.counts_cards() {
            format!("{} card{}", p.cards, if p.cards == 1 { "" } else { "s" })
        } else {
            format!("{}/{}", self.counts.done, self.counts.total)
        }
    }

    /// A drill or a rehearsal is summed up by its cards; one that holds
    /// steps and no cards (or any other mode) by its steps.
    pub fn counts_cards(&self) -> bool {
        matches!(
            super::review::allows(self.mode()).counts,
            super::review::Counts::Cards { .. }
        ) && (self.practice.cards > 0 || self.practice.seats > 0 || self.counts.total == 0)
    }

    /// Where the session stands: one state (see [`SessionState::of`]).
    pub fn state(&self) -> SessionState {
        SessionState::of(
            self.complete || self.finished_at.is_some(),
            self.counts.follow_up && super::review::allows(self.mode()).follow_up,
        )
    }

    /// Finished, with a follow-up step waiting.
    pub fn is_pending_follow_up(&self) -> bool {
        self.state() == SessionState::FollowUpWaiting
    }

    /// Quit or killed part-way (no `finished_at`).
    pub fn is_unfinished(&self) -> bool {
        self.state() == SessionState::Unfinished
    }

    /// Unfinished, and of a mode that resumes (as [`Session::resumable`]).
    pub fn resumable(&self) -> bool {
        self.is_unfinished() && super::review::allows(self.mode()).resume
    }

    /// The title the session is known by (its protocol's, or its id).
    pub fn title(&self) -> &str {
        if self.kind.protocol_title.is_empty() {
            &self.kind.protocol
        } else {
            &self.kind.protocol_title
        }
    }

    /// "Tue 24 Nov 2026 09:00".
    pub fn when(&self) -> String {
        let mut when = String::with_capacity(24);
        self.push_when(&mut when);
        when
    }

    /// [`Row::when`] added to `text`, the format read once for all rows.
    pub fn push_when(&self, text: &mut String) {
        use chrono::format::{Item, StrftimeItems};
        use std::fmt::Write;
        static WHEN: std::sync::OnceLock<Vec<Item<'static>>> = std::sync::OnceLock::new();
        let items = WHEN.get_or_init(|| {
            StrftimeItems::new("%a %-d %b %Y %H:%M")
                .parse_to_owned()
                .unwrap_or_default()
        });
        let _ = write!(text, "{}", self.started_at.format_with_items(items.iter()));
    }
}

impl StepCounts {
    fn add(&mut self, status: &StepStatus) {
        self.total = self.total.saturating_add(1);
        if *status == StepStatus::Done {
            self.done = self.done.saturating_add(1);
        }
        let previous = self.last_not_reached.then_some(&StepStatus::NotReached);
        self.follow_up |= super::review::follow_up_after(previous, status);
        self.last_not_reached = *status == StepStatus::NotReached;
    }
}

/// One step, of which only the status is kept; its notes are skipped.
#[derive(Deserialize)]
struct StepHead {
    status: StepStatus,
}

impl<'de> Deserialize<'de> for StepCounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Counting;
        impl<'de> Visitor<'de> for Counting {
            type Value = StepCounts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of steps")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StepCounts, A::Error> {
                let mut counts = StepCounts::default();
                while let Some(step) = seq.next_element::<StepHead>()? {
                    counts.add(&step.status);
                }
                Ok(counts)
            }
        }
        deserializer.deserialize_seq(Counting)
    }
}

/// A drill's card, of which only whether it is a first try and its
/// rating are kept.
#[derive(Deserialize)]
struct CardHead {
    attempt: u32,
    rating: u8,
}

/// A rehearsal's round, of which only whether it is a first try, its
/// rating and how many seats it had are kept.
#[derive(Deserialize)]
struct RoundHead {
    #[serde(default = "first_try")]
    attempt: u32,
    #[serde(default)]
    repeated: bool,
    #[serde(default)]
    rating: Option<u8>,
    roles: Counted,
}

fn first_try() -> u32 {
    1
}

/// A list of which only the length is kept.
struct Counted(usize);

impl<'de> Deserialize<'de> for Counted {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Counting;
        impl<'de> Visitor<'de> for Counting {
            type Value = Counted;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Counted, A::Error> {
                let mut n = 0;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Counted(n))
            }
        }
        deserializer.deserialize_seq(Counting)
    }
}

/// Cards or rounds added up as they are read, none of them kept.
struct Tally<T>(Tallying, std::marker::PhantomData<T>);

impl<T> Default for Tally<T> {
    fn default() -> Self {
        Tally(Tallying::default(), std::marker::PhantomData)
    }
}

/// What a card or a round adds to the tally.
trait Counts {
    fn add_to(&self, counts: &mut Tallying);
}

impl Counts for CardHead {
    fn add_to(&self, counts: &mut Tallying) {
        counts.add(self.attempt <= 1, Some(self.rating), 0);
    }
}

impl Counts for RoundHead {
    fn add_to(&self, counts: &mut Tallying) {
        let first = self.attempt <= 1 && !self.repeated;
        counts.add(first, self.rating, self.roles.0);
    }
}

impl<'de, T: Deserialize<'de> + Counts> Deserialize<'de> for Tally<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Adding<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Counts> Visitor<'de> for Adding<T> {
            type Value = Tally<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of cards or rounds")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tally<T>, A::Error> {
                let mut tally = Tally::default();
                while let Some(head) = seq.next_element::<T>()? {
                    head.add_to(&mut tally.0);
                }
                Ok(tally)
            }
        }
        deserializer.deserialize_seq(Adding(std::marker::PhantomData))
    }
}

/// Parses a session file's row and checks it belongs under this id; the
/// reason given on failure never quotes the file (see `parse_session`).
pub(super) fn parse_row(bytes: &[u8], id: &str) -> Result<Row, Unreadable> {
    let raw: RawRow = serde_json::from_slice(bytes).map_err(|e| Unreadable::parsing(&e))?;
    check_shape(bytes)?;
    if raw.id != id {
        return Err(Unreadable::IdMismatch);
    }
    Ok(Row {
        id: id.to_string(),
        kind: Kind {
            mode: raw.mode,
            protocol: raw.protocol.into_owned(),
            protocol_title: raw.protocol_title.into_owned(),
            drill: raw.drill.map(Cow::into_owned),
        },
        started_at: raw.started_at,
        finished_at: raw.finished_at,
        complete: raw.complete,
        counts: raw.counts,
        // A file holds cards or rounds, not both; added up all the same.
        practice: raw.rounds.0.merge(&raw.drill_cards.0).done(),
    })
}

/// The row a session file's bytes give, for tests outside the journal.
#[cfg(test)]
pub(crate) fn row_from_file(bytes: &[u8], id: &str) -> Row {
    parse_row(bytes, id).expect("a row")
}

/// Checks that what a row skips is what a session holds, so a file the
/// list shows as a row is one `show` and `export` can read (a step's notes
/// that are not text, a round that is not a round): the fields
/// [`RawRow`] does not keep, typed as [`Session`] types them. Text (and a
/// word, which may be any text) is checked without being stored
/// ([`Text`]), so a session costs a second pass over its bytes and no
/// allocation for what was typed (thousands of typed responses included).
fn check_shape(bytes: &[u8]) -> Result<(), Unreadable> {
    // Read only to be checked.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Shape {
        steps: Vec<StepShape>,
        #[serde(default)]
        intention: Option<Text>,
        #[serde(default)]
        at_step: Option<Text>,
        #[serde(default)]
        rounds: Vec<RoundShape>,
        #[serde(default)]
        drill_cards: Vec<CardShape>,
    }
    /// [`super::groups::RoundRecord`], field for field.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct RoundShape {
        number: usize,
        card: Text,
        kind: Text,
        level: Text,
        repeated: bool,
        roles: Vec<Text>,
        checklist: Vec<Text>,
        feedback: Text,
        difficulty: Text,
        #[serde(default)]
        attempt: u32,
        #[serde(default)]
        therapist_seat: Option<usize>,
        #[serde(default)]
        therapist_level: Option<Text>,
        #[serde(default)]
        next_level: Option<Text>,
        #[serde(default)]
        guess_kind: Option<Text>,
        #[serde(default)]
        guess_kind_right: Option<bool>,
        #[serde(default)]
        guess_marker: Option<Text>,
        #[serde(default)]
        guess_marker_right: Option<bool>,
        #[serde(default)]
        rating: Option<u8>,
        #[serde(default)]
        reactions: Vec<Text>,
        #[serde(default)]
        criteria_met: Vec<CriterionShape>,
    }
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct CriterionShape {
        step: Text,
        number: usize,
        text: Text,
    }
    /// [`super::groups::DrillCardRecord`], field for field.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct CardShape {
        number: usize,
        card: Text,
        kind: Text,
        level: Text,
        #[serde(default)]
        client: Text,
        attempt: u32,
        rating: u8,
        #[serde(default)]
        criteria_met: Vec<Text>,
        #[serde(default)]
        criteria_missed: Vec<Text>,
        #[serde(default)]
        self_report: Option<Text>,
        #[serde(default)]
        marker_guess: Option<Text>,
        #[serde(default)]
        marker_right: bool,
        respond_seconds: u64,
        #[serde(default)]
        response: Option<Text>,
        next_level: Text,
    }
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct StepShape {
        id: Text,
        title: Text,
        notes: Text,
        pause_seconds: Option<u64>,
    }
    serde_json::from_slice::<Shape>(bytes)
        .map(drop)
        .map_err(|e| Unreadable::parsing(&e))
}

/// A string in the file, checked to be one and not kept.
#[derive(Default)]
struct Text;

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl Visitor<'_> for Visit {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Text, E> {
                Ok(Text)
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

/// The fields of `repair notes list --json`, in the order they are printed.
#[derive(Serialize)]
pub struct RowJson<'a> {
    pub drill: Option<&'a str>,
    pub finished_at: &'a Option<DateTime<FixedOffset>>,
    pub follow_up_waiting: bool,
    pub id: &'a str,
    pub mode: &'a str,
    pub protocol: &'a str,
    pub protocol_title: &'a str,
    pub started_at: &'a DateTime<FixedOffset>,
    pub steps_done: u32,
    pub steps_total: u32,
    pub unfinished: bool,
}

impl<'a> From<&'a Row> for RowJson<'a> {
    fn from(row: &'a Row) -> Self {
        RowJson {
            drill: row.drill(),
            finished_at: &row.finished_at,
            follow_up_waiting: row.is_pending_follow_up(),
            id: &row.id,
            mode: row.mode().as_str(),
            protocol: row.protocol(),
            protocol_title: row.protocol_title(),
            started_at: &row.started_at,
            steps_done: row.counts.done,
            steps_total: row.counts.total,
            unfinished: row.is_unfinished(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_what_the_session_says_without_its_notes() {
        let json = r#"{"id":"20240101-090000-abcd","mode":"practice","protocol":"p",
            "started_at":"2024-01-01T09:00:00+01:00","finished_at":null,"complete":false,
            "steps":[{"id":"a","title":"A","status":"done","notes":"secret","pause_seconds":3},
                     {"id":"b","title":"B","status":"follow-up","notes":"","pause_seconds":null}]}"#;
        let row = parse_row(json.as_bytes(), "20240101-090000-abcd").expect("row");
        assert_eq!(
            (row.counts.done, row.counts.total, row.counts.follow_up),
            (1, 2, true)
        );
        // Unfinished, so not also waiting for its follow-up.
        assert!(row.is_unfinished());
        assert!(!row.is_pending_follow_up());
        let session: Session = serde_json::from_str(json).expect("session");
        assert_eq!(Row::of(&session), row);
        assert!(parse_row(json.as_bytes(), "other").is_err());
    }

    /// A file the list shows as a row is one a session can be read from:
    /// each of these was a normal row before, and failed only in `show`
    /// and `export`.
    #[test]
    fn a_row_is_read_only_from_a_file_that_holds_a_session() {
        let good: serde_json::Value = serde_json::from_str(
            r#"{"id":"20240101-090000-abcd","mode":"practice","protocol":"p",
            "started_at":"2024-01-01T09:00:00+01:00","finished_at":null,"complete":false,
            "steps":[{"id":"a","title":"A","status":"done","notes":"n","pause_seconds":3}]}"#,
        )
        .expect("json");
        let id = "20240101-090000-abcd";
        use serde_json::json;
        let with = |mut base: serde_json::Value, over: serde_json::Value| {
            for (k, v) in over.as_object().expect("an object") {
                base[k] = v.clone();
            }
            base
        };
        let card = |over| {
            with(
                json!({"number": 1, "card": "c", "kind": "withdrawal", "level": "beginner",
                    "client": "said", "attempt": 1, "rating": 5, "criteria_met": ["m"],
                    "criteria_missed": [], "marker_guess": null, "marker_right": false,
                    "respond_seconds": 3, "response": "typed", "next_level": "beginner"}),
                over,
            )
        };
        let round = |over| {
            with(
                json!({"number": 1, "card": "c", "kind": "withdrawal", "level": "beginner",
                    "repeated": false, "roles": ["therapist"], "checklist": [], "feedback": "f",
                    "difficulty": "about-right",
                    "criteria_met": [{"step": "a", "number": 1, "text": "t"}]}),
                over,
            )
        };
        let bad: [(&str, serde_json::Value); 15] = [
            ("/steps/0/notes", serde_json::json!(5)),
            ("/steps/0/title", serde_json::Value::Null),
            ("/steps/0/id", serde_json::json!(["a"])),
            ("/steps/0/pause_seconds", serde_json::json!("ninety")),
            ("/steps/0/pause_seconds", serde_json::json!(-1)),
            ("/intention", serde_json::json!(3)),
            ("/at_step", serde_json::json!({})),
            ("/rounds", serde_json::json!([1])),
            ("/drill_cards", serde_json::json!([{"number": 1}])),
            (
                "/drill_cards",
                serde_json::json!([card(json!({"response": 7}))]),
            ),
            (
                "/drill_cards",
                serde_json::json!([card(json!({"client": null}))]),
            ),
            (
                "/drill_cards",
                serde_json::json!([card(json!({"criteria_met": [1]}))]),
            ),
            (
                "/drill_cards",
                serde_json::json!([card(json!({"rating": 300}))]),
            ),
            (
                "/rounds",
                serde_json::json!([round(json!({"feedback": false}))]),
            ),
            (
                "/rounds",
                serde_json::json!([round(json!({"criteria_met": [{"step": "a"}]}))]),
            ),
        ];
        // A whole card and round pass both.
        let mut whole = good.clone();
        whole["drill_cards"] = serde_json::json!([card(json!({}))]);
        whole["rounds"] = serde_json::json!([round(json!({}))]);
        let bytes = serde_json::to_vec(&whole).expect("bytes");
        assert!(super::super::store::parse_session(&bytes, id).is_ok());
        assert!(parse_row(&bytes, id).is_ok());
        let bytes = serde_json::to_vec(&good).expect("bytes");
        assert!(parse_row(&bytes, id).is_ok());
        for (at, value) in bad {
            let mut broken = good.clone();
            let (parent, last) = at.rsplit_once('/').expect("a path");
            broken
                .pointer_mut(if parent.is_empty() { "" } else { parent })
                .and_then(|p| p.as_object_mut())
                .expect("an object")
                .insert(last.to_string(), value);
            let bytes = serde_json::to_vec(&broken).expect("bytes");
            assert!(
                super::super::store::parse_session(&bytes, id).is_err(),
                "{at}: not a session"
            );
            assert!(parse_row(&bytes, id).is_err(), "{at}: listed as a row");
        }
    }

    #[test]
    fn drills_and_rehearsals_add_up_their_cards_read_as_whole_sessions_do() {
        let drill = r#"{"id":"20240101-090000-abcd","mode":"drill","protocol":"p",
            "started_at":"2024-01-01T09:00:00+01:00","finished_at":null,"complete":false,
            "steps":[],"drill_cards":[
            {"number":1,"card":"a","kind":"withdrawal","level":"beginner","attempt":1,"rating":6,"respond_seconds":1,"next_level":"beginner"},
            {"number":1,"card":"a","kind":"withdrawal","level":"beginner","attempt":2,"rating":0,"respond_seconds":1,"next_level":"beginner"},
            {"number":2,"card":"b","kind":"withdrawal","level":"beginner","attempt":1,"rating":7,"respond_seconds":1,"next_level":"beginner"}]}"#;
        let row = parse_row(drill.as_bytes(), "20240101-090000-abcd").expect("row");
        let session: Session = serde_json::from_str(drill).expect("session");
        assert_eq!(Row::of(&session), row);
        assert_eq!(row.summary(), "2 cards · median 6.5/10");
        let rehearsal = r#"{"id":"20240101-090000-abce","mode":"rehearse","protocol":"p",
            "started_at":"2024-01-01T09:00:00+01:00","finished_at":null,"complete":false,
            "steps":[],"rounds":[
            {"number":1,"card":"a","kind":"withdrawal","level":"beginner","repeated":false,"roles":["therapist","client","observer"],"checklist":[],"feedback":"","difficulty":"too-hard","rating":9},
            {"number":2,"card":"a","kind":"withdrawal","level":"beginner","repeated":false,"roles":["client","therapist","observer"],"checklist":[],"feedback":"","difficulty":"too-hard","attempt":2,"rating":2},
            {"number":3,"card":"b","kind":"withdrawal","level":"beginner","repeated":true,"roles":["therapist","client"],"checklist":[],"feedback":"","difficulty":"too-hard"}]}"#;
        let row = parse_row(rehearsal.as_bytes(), "20240101-090000-abce").expect("row");
        let session: Session = serde_json::from_str(rehearsal).expect("session");
        assert_eq!(Row::of(&session), row);
        assert_eq!(row.summary(), "3 seats · 1 card · median 9/10");
        let version_1 = rehearsal
            .replace(r#","rating":9"#, "")
            .replace(r#","attempt":2,"rating":2"#, "");
        let row = parse_row(version_1.as_bytes(), "20240101-090000-abce").expect("row");
        assert_eq!(row.summary(), "3 seats · 2 cards");
        // What a list holds per row for this stays small: no ratings kept.
        assert!(std::mem::size_of::<PracticeCounts>() <= 8);
    }
}
