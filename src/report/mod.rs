//! `repair report`: one page about practice in a date range, for the
//! trainee to read and, if they choose, to hand to a supervisor.
//!
//! This module owns the figures ([`Report::compute`], pure: sessions, the
//! protocol and the range in, numbers out); [`html`] and [`markdown`] lay
//! them out and the JSON form is their serde form. Only first attempts
//! count for difficulty, markers and criteria: the cold try is what shows
//! change; a retry straight after the models is easier by design.
//!
//! Nothing from outside the range is read, and no note text is included
//! unless asked ([`Report::notes`] stays empty otherwise). Rehearsals
//! store no names, so the report has none.

pub mod deck;
pub mod html;
pub mod markdown;
mod markup;
pub mod sample;
mod svg;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::journal::review::is_pending_follow_up;
use crate::journal::{Session, SessionMode};
use crate::journal::{Sighting, Word};
use crate::practice::progress::median;
use crate::protocol::{Marker, Protocol, ScenarioKind};

/// The version of the JSON form; bumped only when a field changes meaning.
pub const FORMAT: u32 = 1;

/// How many cards the "rated hardest" list shows.
pub const HARDEST_SHOWN: usize = 5;

/// How many criteria each step's "most often missed" list shows.
pub const MISSED_SHOWN: usize = 3;

/// A session's minutes count up to this much: a walk left open over lunch
/// is not an hour of practice.
pub const SESSION_MINUTES_CAP: i64 = 120;

/// Ranges longer than this many days are charted by month, shorter ones by
/// week, so a chart never has more than about 26 bars for a half-year and
/// stays readable for years.
pub const WEEKLY_UP_TO_DAYS: i64 = 26 * 7;

/// The days a report covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Range {
    /// The range a `--since` length gives, ending `today`: `4w` is the 28
    /// days up to and including today.
    pub fn since(length: Since, today: NaiveDate) -> Range {
        let days = length.days().max(1);
        Range {
            from: today - Duration::days(days - 1),
            to: today,
        }
    }

    /// Whether a session's start falls inside.
    pub fn holds(&self, date: NaiveDate) -> bool {
        date >= self.from && date <= self.to
    }

    /// The first and last `YYYYMMDD` an id in range can start with (ids
    /// begin with their local start date), so files outside are never
    /// opened.
    pub fn id_days(&self) -> (String, String) {
        (
            self.from.format("%Y%m%d").to_string(),
            self.to.format("%Y%m%d").to_string(),
        )
    }

    fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// A length back from today: `30d`, `4w`, `6m` (months of 30 days),
/// `1y` (365 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    pub count: u32,
    pub unit: SinceUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinceUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Since {
    pub fn days(self) -> i64 {
        let per = match self.unit {
            SinceUnit::Days => 1,
            SinceUnit::Weeks => 7,
            SinceUnit::Months => 30,
            SinceUnit::Years => 365,
        };
        i64::from(self.count) * per
    }
}

/// Why a `--since` length cannot be read; the words show how to write one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinceError {
    #[error("'{0}' is not a length; write a number and d, w, m or y, like 4w")]
    NoUnit(String),
    #[error("'{0}' needs a whole number of at least 1, like 4w")]
    NoCount(String),
}

impl std::str::FromStr for Since {
    type Err = SinceError;

    fn from_str(text: &str) -> Result<Self, SinceError> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (digits, unit) = text.split_at(split);
        let unit = match unit {
            "d" => SinceUnit::Days,
            "w" => SinceUnit::Weeks,
            "m" => SinceUnit::Months,
            "y" => SinceUnit::Years,
            _ => {
                return Err(SinceError::NoUnit(text.to_owned()));
            }
        };
        let count: u32 = digits
            .parse()
            .ok()
            .filter(|n| (1..=100 * 365).contains(n))
            .ok_or_else(|| SinceError::NoCount(text.to_owned()))?;
        Ok(Since { count, unit })
    }
}

/// How the charts group days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    Week,
    Month,
}

impl Period {
    fn for_range(range: Range) -> Period {
        if range.days() <= WEEKLY_UP_TO_DAYS {
            Period::Week
        } else {
            Period::Month
        }
    }

    /// The first day of the period holding `date`: a Monday, or the 1st.
    fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            Period::Month => date.with_day(1).unwrap_or(date),
        }
    }

    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Period::Week => start + Duration::weeks(1),
            Period::Month => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// How a period is named in tables: "week of 2 Nov 2026", "Nov 2026".
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Week => format!("week of {}", start.format("%-d %b %Y")),
            Period::Month => start.format("%b %Y").to_string(),
        }
    }

    /// The column heading of a table of periods: "Week" or "Month".
    pub fn heading(self) -> &'static str {
        match self {
            Period::Week => "Week",
            Period::Month => "Month",
        }
    }

    /// A short axis label: "2 Nov", "Nov 26".
    pub fn tick(self, start: NaiveDate) -> String {
        match self {
            Period::Week => start.format("%-d %b").to_string(),
            Period::Month => start.format("%b %y").to_string(),
        }
    }
}

/// Totals over the whole range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub sessions: usize,
    pub walks: usize,
    pub preps: usize,
    pub drills: usize,
    pub rehearsals: usize,
    pub minutes: i64,
    /// First attempts at cards, drilled or rehearsed.
    pub first_attempts: usize,
}

/// One chart period of practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PracticePeriod {
    /// The period's first day (a Monday, or the 1st of a month).
    pub start: NaiveDate,
    pub walks: usize,
    pub preps: usize,
    pub drills: usize,
    pub rehearsals: usize,
    pub minutes: i64,
}

impl PracticePeriod {
    pub fn sessions(&self) -> usize {
        self.walks + self.preps + self.drills + self.rehearsals
    }
}

/// A line of the difficulty chart: the median first-attempt rating (0 to
/// 10) in each period, null where nothing was rated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// A kind's word, or a step's id.
    pub id: String,
    /// How it is shown: the kind, or the step's title.
    pub name: String,
    pub points: Vec<Option<f64>>,
    /// Ratings behind the line.
    pub ratings: usize,
}

impl Series {
    /// The first and last rated periods' medians, for the sentence under
    /// the chart.
    pub fn ends(&self) -> Option<(f64, f64)> {
        let mut rated = self.points.iter().flatten();
        let first = *rated.next()?;
        let last = rated.last().copied().unwrap_or(first);
        Some((first, last))
    }
}

/// One row of the kinds table: first attempts at cards of one kind, by what
/// was named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindRow {
    pub kind: String,
    pub named_withdrawal: usize,
    pub named_confrontation: usize,
    pub not_named: usize,
}

impl KindRow {
    pub fn tries(&self) -> usize {
        self.named_withdrawal + self.named_confrontation + self.not_named
    }
    pub fn right(&self) -> usize {
        match self.kind.as_str() {
            "withdrawal" => self.named_withdrawal,
            "confrontation" => self.named_confrontation,
            _ => 0,
        }
    }
}

/// One row of the markers table: first attempts at cards showing this
/// marker, by what was named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MarkerRow {
    /// The marker's id.
    pub marker: String,
    pub kind: String,
    /// Named this marker (or another of the card's own).
    pub named_it: usize,
    /// Named a marker the card does not show.
    pub named_other: usize,
    /// Named only a kind.
    pub kind_only: usize,
    pub not_named: usize,
}

impl MarkerRow {
    pub fn tries(&self) -> usize {
        self.named_it + self.named_other + self.kind_only + self.not_named
    }
}

/// Marker recognition in one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthShare {
    /// `YYYY-MM`.
    pub month: String,
    pub tries: usize,
    /// Named the card's marker or, with only a kind named, its kind.
    pub right: usize,
}

/// A criterion and how many first attempts left it not yet met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missed {
    pub criterion: String,
    pub times: usize,
}

/// A step's criteria most often not yet met in drills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepMisses {
    pub step: String,
    pub title: String,
    /// First attempts at this step that answered its criteria.
    pub checked: usize,
    /// Most often first, at most [`MISSED_SHOWN`].
    pub criteria: Vec<Missed>,
}

/// A first-attempt rating of a card, on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rated {
    pub date: NaiveDate,
    pub rating: u8,
}

/// A card rated among the hardest, and how its ratings moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardTrend {
    pub card: String,
    /// The client's line, as saved with the attempt (empty for rehearsals,
    /// which keep only the id, unless the deck has it).
    pub client: String,
    pub kind: String,
    /// Oldest first.
    pub ratings: Vec<Rated>,
}

impl CardTrend {
    pub fn hardest(&self) -> u8 {
        self.ratings.iter().map(|r| r.rating).max().unwrap_or(0)
    }
    pub fn first(&self) -> u8 {
        self.ratings.first().map_or(0, |r| r.rating)
    }
    pub fn latest(&self) -> u8 {
        self.ratings.last().map_or(0, |r| r.rating)
    }
    /// The mean rating, what "hardest" ranks by.
    pub fn mean(&self) -> f64 {
        if self.ratings.is_empty() {
            return 0.0;
        }
        self.ratings
            .iter()
            .map(|r| f64::from(r.rating))
            .sum::<f64>()
            / self.ratings.len() as f64
    }
    /// The ratings as read in a table: all of them when few, else the last
    /// [`RATINGS_SHOWN`] after an ellipsis.
    pub fn ratings_words(&self) -> String {
        let skip = self.ratings.len().saturating_sub(RATINGS_SHOWN);
        let shown: Vec<String> = self.ratings[skip..]
            .iter()
            .map(|r| r.rating.to_string())
            .collect();
        let mut words = shown.join(" → ");
        if skip > 0 {
            words.insert_str(0, "… ");
        }
        words
    }
}

/// How many of a card's latest ratings a table shows.
pub const RATINGS_SHOWN: usize = 10;

/// A session in range still waiting for its follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiting {
    pub id: String,
    pub started: NaiveDate,
    /// The open step's title.
    pub step: String,
}

/// A session's own words, only with `--include-notes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionNotes {
    pub id: String,
    pub mode: String,
    pub started: NaiveDate,
    /// (heading, text) pairs, in the session's order; empty texts left out.
    pub entries: Vec<(String, String)>,
}

/// The report's figures. Its serde form is `repair report --format json`
/// (the fields are documented in the README).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: u32,
    /// The day the report was made.
    pub made: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The protocol whose steps, cards and markers name things.
    pub protocol: String,
    pub period: Period,
    pub include_notes: bool,
    pub totals: Totals,
    pub practice: Vec<PracticePeriod>,
    pub difficulty_by_kind: Vec<Series>,
    pub difficulty_by_step: Vec<Series>,
    pub kinds: Vec<KindRow>,
    pub markers: Vec<MarkerRow>,
    pub recognition_by_month: Vec<MonthShare>,
    pub criteria_missed: Vec<StepMisses>,
    pub hardest_cards: Vec<CardTrend>,
    pub follow_ups_waiting: Vec<Waiting>,
    pub notes: Vec<SessionNotes>,
}

/// What a first attempt named before the reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Marker(Marker),
    Kind(ScenarioKind),
    Nothing,
}

impl Named {
    fn kind(self) -> Option<ScenarioKind> {
        match self {
            Named::Marker(m) => Some(m.kind()),
            Named::Kind(k) => Some(k),
            Named::Nothing => None,
        }
    }
}

/// One first attempt at a card, drilled or rehearsed, as the report counts it.
struct Attempt<'a> {
    date: NaiveDate,
    card: &'a str,
    client: &'a str,
    kind: Option<ScenarioKind>,
    kind_word: &'a str,
    step: Option<&'a str>,
    rating: Option<u8>,
    named: Named,
    right: bool,
}

fn attempts(session: &Session) -> Vec<Attempt<'_>> {
    let date = session.started_at.date_naive();
    let step = session.drill.as_deref();
    let mut out = Vec::new();
    for card in session.extra.drill_cards.iter().filter(|c| c.attempt == 1) {
        let named = match card.marker_guess.as_ref().and_then(Word::known) {
            Some(Sighting::Marker(m)) => Named::Marker(m),
            Some(Sighting::Kind(k)) => Named::Kind(k),
            None => Named::Nothing,
        };
        out.push(Attempt {
            date,
            card: &card.card,
            client: &card.client,
            kind: card.kind.known(),
            kind_word: card.kind.as_str(),
            step,
            rating: Some(card.rating),
            named,
            right: card.marker_right,
        });
    }
    for round in session.extra.rounds.iter().filter(|r| r.attempt == 1) {
        let named = match (
            round.guess_marker.as_ref().and_then(Word::known),
            round.guess_kind.as_ref().and_then(Word::known),
        ) {
            (Some(m), _) => Named::Marker(m),
            (None, Some(k)) => Named::Kind(k),
            (None, None) => Named::Nothing,
        };
        let right = match named {
            Named::Marker(_) => round.guess_marker_right == Some(true),
            Named::Kind(_) => round.guess_kind_right == Some(true),
            Named::Nothing => false,
        };
        out.push(Attempt {
            date,
            card: &round.card,
            client: "",
            kind: round.kind.known(),
            kind_word: round.kind.as_str(),
            step,
            rating: round.rating,
            named,
            right,
        });
    }
    out
}

/// A session's minutes: start to finish, up to [`SESSION_MINUTES_CAP`];
/// an unfinished one counts its pauses only.
fn minutes(session: &Session) -> i64 {
    match session.finished_at {
        Some(end) => (end - session.started_at)
            .num_minutes()
            .clamp(0, SESSION_MINUTES_CAP),
        None => {
            let seconds: u64 = session
                .steps
                .iter()
                .filter_map(|s| s.pause_seconds)
                .fold(0u64, u64::saturating_add);
            i64::try_from(seconds / 60)
                .unwrap_or(SESSION_MINUTES_CAP)
                .min(SESSION_MINUTES_CAP)
        }
    }
}

fn session_notes(session: &Session) -> SessionNotes {
    let mut entries = Vec::new();
    let mut push = |heading: String, text: &str| {
        if !text.trim().is_empty() {
            entries.push((heading, text.to_string()));
        }
    };
    if let Some(intention) = &session.extra.intention {
        push("Intention".into(), intention);
    }
    for step in &session.steps {
        push(step.title.clone(), &step.notes);
    }
    for card in &session.extra.drill_cards {
        let which = format!("Card {} (try {})", card.number, card.attempt);
        if let Some(said) = &card.response {
            push(format!("{which}: response"), said);
        }
        if let Some(noticed) = &card.self_report {
            push(format!("{which}: what you noticed"), noticed);
        }
    }
    for round in &session.extra.rounds {
        push(format!("Round {}: feedback", round.number), &round.feedback);
    }
    SessionNotes {
        id: session.id.clone(),
        mode: session.mode.as_str().to_string(),
        started: session.started_at.date_naive(),
        entries,
    }
}

impl Report {
    /// The figures for the sessions in `range` (others are ignored), named
    /// with `protocol`'s steps and cards.
    pub fn compute(
        sessions: &[Session],
        range: Range,
        protocol: &Protocol,
        include_notes: bool,
        made: NaiveDate,
    ) -> Report {
        let period = Period::for_range(range);
        let mut starts = Vec::new();
        let mut start = period.start_of(range.from);
        while start <= range.to {
            starts.push(start);
            start = period.next(start);
        }
        let slot_of = |date: NaiveDate| starts.binary_search(&period.start_of(date)).ok();
        let mut practice: Vec<PracticePeriod> = starts
            .iter()
            .map(|&start| PracticePeriod {
                start,
                walks: 0,
                preps: 0,
                drills: 0,
                rehearsals: 0,
                minutes: 0,
            })
            .collect();
        let mut totals = Totals::default();
        let mut in_range: Vec<&Session> = sessions
            .iter()
            .filter(|s| range.holds(s.started_at.date_naive()))
            .collect();
        in_range.sort_by(|a, b| a.started_at.cmp(&b.started_at).then(a.id.cmp(&b.id)));

        // Per kind and per step: a rating list per period.
        let mut by_kind: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
        let mut by_step: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
        let mut kinds: BTreeMap<String, KindRow> = ScenarioKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_string(),
                    KindRow {
                        kind: k.as_str().to_string(),
                        ..KindRow::default()
                    },
                )
            })
            .collect();
        let mut markers: BTreeMap<Marker, MarkerRow> = BTreeMap::new();
        let mut months: BTreeMap<String, MonthShare> = BTreeMap::new();
        let mut missed: BTreeMap<String, (usize, Vec<Missed>)> = BTreeMap::new();
        let mut cards: BTreeMap<&str, CardTrend> = BTreeMap::new();
        let mut waiting = Vec::new();
        let mut notes = Vec::new();

        for session in &in_range {
            let date = session.started_at.date_naive();
            let slot = slot_of(date);
            let mins = minutes(session);
            totals.sessions += 1;
            totals.minutes += mins;
            if let Some(i) = slot {
                let p = &mut practice[i];
                p.minutes += mins;
                match session.mode {
                    SessionMode::Practice => p.walks += 1,
                    SessionMode::Prep => p.preps += 1,
                    SessionMode::Drill => p.drills += 1,
                    SessionMode::Rehearse => p.rehearsals += 1,
                    SessionMode::Other(_) => {}
                }
            }
            match session.mode {
                SessionMode::Practice => totals.walks += 1,
                SessionMode::Prep => totals.preps += 1,
                SessionMode::Drill => totals.drills += 1,
                SessionMode::Rehearse => totals.rehearsals += 1,
                SessionMode::Other(_) => {}
            }
            if is_pending_follow_up(session) {
                let step = session
                    .steps
                    .iter()
                    .find(|s| s.status == crate::journal::StepStatus::FollowUp)
                    .map_or_else(String::new, |s| s.title.clone());
                waiting.push(Waiting {
                    id: session.id.clone(),
                    started: date,
                    step,
                });
            }
            if include_notes {
                notes.push(session_notes(session));
            }
            if session.mode == SessionMode::Drill {
                let step = session.drill.clone().unwrap_or_default();
                for card in session.extra.drill_cards.iter().filter(|c| c.attempt == 1) {
                    let answered =
                        !card.criteria_met.is_empty() || !card.criteria_missed.is_empty();
                    if !answered {
                        continue;
                    }
                    let entry = missed.entry(step.clone()).or_default();
                    entry.0 += 1;
                    for criterion in &card.criteria_missed {
                        match entry.1.iter_mut().find(|m| &m.criterion == criterion) {
                            Some(m) => m.times += 1,
                            None => entry.1.push(Missed {
                                criterion: criterion.clone(),
                                times: 1,
                            }),
                        }
                    }
                }
            }
            for attempt in attempts(session) {
                totals.first_attempts += 1;
                if let (Some(rating), Some(i)) = (attempt.rating, slot) {
                    let lists = by_kind
                        .entry(attempt.kind_word.to_string())
                        .or_insert_with(|| vec![Vec::new(); starts.len()]);
                    lists[i].push(rating);
                    let step = attempt.step.unwrap_or(ALL_STEPS).to_string();
                    let lists = by_step
                        .entry(step)
                        .or_insert_with(|| vec![Vec::new(); starts.len()]);
                    lists[i].push(rating);
                }
                if let Some(kind) = attempt.kind {
                    let row = kinds.entry(kind.as_str().to_string()).or_default();
                    match attempt.named.kind() {
                        Some(ScenarioKind::Withdrawal) => row.named_withdrawal += 1,
                        Some(ScenarioKind::Confrontation) => row.named_confrontation += 1,
                        None => row.not_named += 1,
                    }
                }
                let month = months
                    .entry(attempt.date.format("%Y-%m").to_string())
                    .or_insert_with(|| MonthShare {
                        month: attempt.date.format("%Y-%m").to_string(),
                        tries: 0,
                        right: 0,
                    });
                month.tries += 1;
                month.right += usize::from(attempt.right);
                if let Some(card) = protocol.scenarios.iter().find(|c| c.id == attempt.card)
                    && let Some(&first) = card.markers.first()
                {
                    let shown = match attempt.named {
                        Named::Marker(m) if card.markers.contains(&m) => m,
                        _ => first,
                    };
                    let row = markers.entry(shown).or_insert_with(|| MarkerRow {
                        marker: shown.as_str().to_string(),
                        kind: shown.kind().as_str().to_string(),
                        ..MarkerRow::default()
                    });
                    match attempt.named {
                        Named::Marker(m) if card.markers.contains(&m) => row.named_it += 1,
                        Named::Marker(_) => row.named_other += 1,
                        Named::Kind(_) => row.kind_only += 1,
                        Named::Nothing => row.not_named += 1,
                    }
                }
                if let Some(rating) = attempt.rating {
                    let client = if attempt.client.is_empty() {
                        protocol
                            .scenarios
                            .iter()
                            .find(|c| c.id == attempt.card)
                            .map_or("", |c| c.client.as_str())
                    } else {
                        attempt.client
                    };
                    cards
                        .entry(attempt.card)
                        .or_insert_with(|| CardTrend {
                            card: attempt.card.to_string(),
                            client: client.to_string(),
                            kind: attempt.kind_word.to_string(),
                            ratings: Vec::new(),
                        })
                        .ratings
                        .push(Rated {
                            date: attempt.date,
                            rating,
                        });
                }
            }
        }

        let series = |lists: BTreeMap<String, Vec<Vec<u8>>>, name: &dyn Fn(&str) -> String| {
            lists
                .into_iter()
                .map(|(id, lists)| {
                    let ratings = lists.iter().map(Vec::len).sum();
                    Series {
                        name: name(&id),
                        points: lists.into_iter().map(|mut l| median(&mut l)).collect(),
                        id,
                        ratings,
                    }
                })
                .collect::<Vec<_>>()
        };
        let step_title = |id: &str| -> String {
            if id == ALL_STEPS {
                return "all steps (rehearsals)".to_string();
            }
            protocol
                .step(id)
                .map_or_else(|| id.to_string(), |s| s.title.clone())
        };
        let difficulty_by_kind = series(by_kind, &|id: &str| id.to_string());
        let mut difficulty_by_step = series(by_step, &step_title);
        // Protocol order, then anything else.
        difficulty_by_step.sort_by_key(|s| {
            protocol
                .steps
                .iter()
                .position(|p| p.id == s.id)
                .unwrap_or(usize::MAX)
        });

        let mut criteria_missed: Vec<StepMisses> = missed
            .into_iter()
            .map(|(step, (checked, mut criteria))| {
                // Most often first; ties keep the order they were first missed in.
                criteria.sort_by_key(|m| std::cmp::Reverse(m.times));
                criteria.truncate(MISSED_SHOWN);
                StepMisses {
                    title: step_title(&step),
                    step,
                    checked,
                    criteria,
                }
            })
            .collect();
        criteria_missed.sort_by_key(|s| {
            protocol
                .steps
                .iter()
                .position(|p| p.id == s.step)
                .unwrap_or(usize::MAX)
        });

        let mut hardest: Vec<CardTrend> = cards.into_values().collect();
        hardest.sort_by(|a, b| {
            b.mean()
                .total_cmp(&a.mean())
                .then(b.latest().cmp(&a.latest()))
                .then(b.ratings.len().cmp(&a.ratings.len()))
                .then(a.card.cmp(&b.card))
        });
        hardest.truncate(HARDEST_SHOWN);

        let mut markers: Vec<MarkerRow> = markers.into_values().collect();
        markers.sort_by(|a, b| b.tries().cmp(&a.tries()).then(a.marker.cmp(&b.marker)));

        Report {
            format: FORMAT,
            made,
            from: range.from,
            to: range.to,
            protocol: protocol.title.clone(),
            period,
            include_notes,
            totals,
            practice,
            difficulty_by_kind,
            difficulty_by_step,
            kinds: kinds.into_values().filter(|k| k.tries() > 0).collect(),
            markers,
            recognition_by_month: months.into_values().collect(),
            criteria_missed,
            hardest_cards: hardest,
            follow_ups_waiting: waiting,
            notes,
        }
    }

    /// The JSON form, pretty-printed, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The range in words: "1 Nov 2026 to 28 Nov 2026".
    pub fn range_words(&self) -> String {
        format!(
            "{} to {}",
            self.from.format("%-d %b %Y"),
            self.to.format("%-d %b %Y")
        )
    }

    /// The sentence that opens a report with notes, so a reader handed it
    /// knows at once that it holds private words.
    pub fn notes_warning(&self) -> Option<String> {
        self.include_notes.then(|| {
            format!(
                "This report includes the text of your notes from {} session{} in this range.",
                self.notes.len(),
                if self.notes.len() == 1 { "" } else { "s" }
            )
        })
    }

    /// One sentence for the practice chart, for readers who cannot see it.
    pub fn practice_sentence(&self) -> String {
        let busiest = self
            .practice
            .iter()
            .max_by_key(|p| (p.sessions(), std::cmp::Reverse(p.start)));
        let t = &self.totals;
        let mut s = format!(
            "{} in all: {} walk{}, {} prep{}, {} drill{} and {} rehearsal{}, about {} minute{}.",
            crate::words::count(t.sessions, "session", "sessions"),
            t.walks,
            plural(t.walks),
            t.preps,
            plural(t.preps),
            t.drills,
            plural(t.drills),
            t.rehearsals,
            plural(t.rehearsals),
            t.minutes,
            plural_i(t.minutes),
        );
        if let Some(b) = busiest.filter(|b| b.sessions() > 0) {
            s.push_str(&format!(
                " The busiest {} was the {}, with {}.",
                match self.period {
                    Period::Week => "week",
                    Period::Month => "month",
                },
                self.period.label(b.start),
                crate::words::count(b.sessions(), "session", "sessions")
            ));
        }
        s
    }

    /// One sentence for a difficulty chart.
    pub fn difficulty_sentence(lines: &[Series]) -> String {
        if lines.is_empty() {
            return "No first attempts were rated in this range.".to_string();
        }
        lines
            .iter()
            .filter_map(|s| {
                let (first, last) = s.ends()?;
                let moved = if first == last {
                    format!("stayed at {}", number(first))
                } else {
                    format!("from {} to {}", number(first), number(last))
                };
                Some(format!(
                    "{}: {moved} (median of first attempts, 0 easy to 10 very hard; {}).",
                    s.name,
                    crate::words::count(s.ratings, "rating", "ratings")
                ))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The step key for rehearsal rounds, which play every step at once.
pub const ALL_STEPS: &str = "all-steps";

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn plural_i(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A median as written: "6" or "6.5".
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// A percentage, rounded down, of `part` in `whole` ("-" for none).
pub fn share(part: usize, whole: usize) -> String {
    (part * 100)
        .checked_div(whole)
        .map_or_else(|| "-".to_string(), |p| format!("{p}%"))
}

/// A marker's words ("shifting the topic") from the protocol's vocabulary.
pub fn marker_words(id: &str) -> String {
    Marker::from_word(id).map_or_else(
        || id.replace('-', " "),
        |m| crate::practice::drill::marker_words(m).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::fixtures;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn protocol() -> Protocol {
        crate::protocol::builtin()
    }

    #[test]
    fn since_reads_days_weeks_months_and_years_and_refuses_anything_else() {
        let four_weeks: Since = "4w".parse().expect("reads");
        assert_eq!(four_weeks.days(), 28);
        assert_eq!("30d".parse::<Since>().expect("reads").days(), 30);
        assert_eq!("6m".parse::<Since>().expect("reads").days(), 180);
        assert_eq!("1y".parse::<Since>().expect("reads").days(), 365);
        for bad in ["", "w", "4", "4x", "-4w", "0w", "4 weeks"] {
            assert!(bad.parse::<Since>().is_err(), "{bad:?} was read");
        }
        let range = Range::since(four_weeks, day("2026-11-28"));
        assert_eq!(range.from, day("2026-11-01"));
        assert_eq!(range.to, day("2026-11-28"));
    }

    #[test]
    fn only_sessions_in_range_count_and_notes_stay_out_unless_asked() {
        let p = protocol();
        let sessions = sample::history(&p, day("2026-09-01"), day("2026-11-30"));
        let range = Range {
            from: day("2026-10-01"),
            to: day("2026-10-31"),
        };
        let report = Report::compute(&sessions, range, &p, false, day("2026-12-01"));
        let inside = sessions
            .iter()
            .filter(|s| range.holds(s.started_at.date_naive()))
            .count();
        assert_eq!(report.totals.sessions, inside);
        assert!(report.notes.is_empty());
        assert!(!markdown::render(&report).contains("Noticed my shoulders"));
        assert!(!html::render(&report).contains("Noticed my shoulders"));
        let with = Report::compute(&sessions, range, &p, true, day("2026-12-01"));
        assert_eq!(with.notes.len(), inside);
        let md = markdown::render(&with);
        assert!(
            md.starts_with("**This report includes the text of your notes"),
            "{md}"
        );
        assert!(md.contains("Noticed my shoulders"));
        // October only: no date outside it anywhere in the notes.
        assert!(with.notes.iter().all(|n| range.holds(n.started)));
    }

    #[test]
    fn a_retry_is_not_a_first_attempt() {
        let p = protocol();
        let card = &p.scenarios[0];
        let mut s = fixtures::on_day(SessionMode::Drill, "2026-11-02");
        s.drill = Some("reflect".into());
        let mut first = fixtures::drill_card(&card.id);
        first.rating = 9;
        first.criteria_missed = vec!["x".into()];
        let mut retry = first.clone();
        retry.attempt = 2;
        retry.rating = 1;
        s.extra.drill_cards = vec![first, retry];
        let range = Range {
            from: day("2026-11-02"),
            to: day("2026-11-02"),
        };
        let report = Report::compute(&[s], range, &p, false, day("2026-11-03"));
        assert_eq!(report.totals.first_attempts, 1);
        assert_eq!(report.difficulty_by_kind[0].points, vec![Some(9.0)]);
        assert_eq!(report.hardest_cards[0].ratings.len(), 1);
        assert_eq!(report.criteria_missed[0].criteria[0].times, 1);
        assert_eq!(report.criteria_missed[0].checked, 1);
    }

    #[test]
    fn a_marker_named_is_sorted_against_what_the_card_showed() {
        let p = protocol();
        let card = p
            .scenarios
            .iter()
            .find(|c| !c.markers.is_empty())
            .expect("a card with markers");
        let shown = card.markers[0];
        let other = Marker::ALL
            .iter()
            .copied()
            .find(|m| !card.markers.contains(m))
            .expect("another marker");
        let mut s = fixtures::on_day(SessionMode::Drill, "2026-11-02");
        let guesses: [Option<&str>; 4] = [
            Some(shown.as_str()),
            Some(other.as_str()),
            Some(card.kind.as_str()),
            None,
        ];
        s.extra.drill_cards = guesses
            .iter()
            .map(|g| {
                let mut c = fixtures::drill_card(&card.id);
                c.kind = card.kind.as_str().into();
                c.marker_guess = g.map(Into::into);
                c
            })
            .collect();
        let range = Range {
            from: day("2026-11-01"),
            to: day("2026-11-30"),
        };
        let report = Report::compute(&[s], range, &p, false, day("2026-12-01"));
        let row = report
            .markers
            .iter()
            .find(|r| r.marker == shown.as_str())
            .expect("the card's marker has a row");
        assert_eq!(
            (row.named_it, row.named_other, row.kind_only, row.not_named),
            (1, 1, 1, 1)
        );
        let kinds = &report.kinds;
        assert_eq!(kinds.len(), 1);
        assert_eq!(kinds[0].tries(), 4);
        assert_eq!(kinds[0].not_named, 1);
    }

    #[test]
    fn long_ranges_are_charted_by_month_short_ones_by_week() {
        let p = protocol();
        let week = Report::compute(
            &[],
            Range {
                from: day("2026-11-01"),
                to: day("2026-11-28"),
            },
            &p,
            false,
            day("2026-11-28"),
        );
        assert_eq!(week.period, Period::Week);
        // 1 Nov 2026 is a Sunday: its week starts on Monday 26 Oct.
        assert_eq!(week.practice[0].start, day("2026-10-26"));
        assert_eq!(week.practice.len(), 5);
        let year = Report::compute(
            &[],
            Range {
                from: day("2025-12-01"),
                to: day("2026-11-30"),
            },
            &p,
            false,
            day("2026-11-30"),
        );
        assert_eq!(year.period, Period::Month);
        assert_eq!(year.practice.len(), 12);
    }

    #[test]
    fn an_empty_range_still_makes_a_whole_report() {
        let p = protocol();
        let range = Range::since("4w".parse().expect("reads"), day("2026-11-28"));
        let report = Report::compute(&[], range, &p, false, day("2026-11-28"));
        let md = markdown::render(&report);
        assert!(md.contains("0 sessions in all"), "{md}");
        assert!(md.contains("No cards were answered in this range."));
        let page = html::render(&report);
        assert!(page.contains("No first attempts were rated in this range."));
    }

    #[test]
    fn minutes_are_capped_and_never_overflow() {
        let mut s = fixtures::on_day(SessionMode::Practice, "2026-11-02");
        s.finished_at = Some(s.started_at + Duration::days(3));
        assert_eq!(minutes(&s), SESSION_MINUTES_CAP);
        s.finished_at = None;
        s.steps = vec![
            fixtures::step(
                "a",
                "A",
                crate::journal::StepStatus::Done,
                "",
                Some(u64::MAX),
            ),
            fixtures::step(
                "b",
                "B",
                crate::journal::StepStatus::Done,
                "",
                Some(u64::MAX),
            ),
        ];
        assert_eq!(minutes(&s), SESSION_MINUTES_CAP);
        s.finished_at = Some(s.started_at - Duration::hours(1));
        assert_eq!(minutes(&s), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Over random ranges of a generated history: the periods add up to
        /// the totals, every line has a point per period, medians stay on
        /// the 0-10 scale, and the tables never count more tries than
        /// first attempts.
        #[test]
        fn figures_add_up(start in 0i64..400, length in 1i64..500, notes: bool) {
            let p = protocol();
            let first = day("2025-01-01");
            let sessions = sample::history(&p, first, first + Duration::days(400));
            let from = first + Duration::days(start);
            let range = Range { from, to: from + Duration::days(length - 1) };
            let report = Report::compute(&sessions, range, &p, notes, range.to);
            let t = &report.totals;
            prop_assert_eq!(report.practice.iter().map(PracticePeriod::sessions).sum::<usize>(), t.walks + t.preps + t.drills + t.rehearsals);
            prop_assert_eq!(report.practice.iter().map(|p| p.minutes).sum::<i64>(), t.minutes);
            for s in report.difficulty_by_kind.iter().chain(&report.difficulty_by_step) {
                prop_assert_eq!(s.points.len(), report.practice.len());
                prop_assert!(s.points.iter().flatten().all(|v| (0.0..=10.0).contains(v)));
            }
            prop_assert!(report.kinds.iter().map(KindRow::tries).sum::<usize>() <= t.first_attempts);
            prop_assert!(report.markers.iter().map(MarkerRow::tries).sum::<usize>() <= t.first_attempts);
            prop_assert_eq!(report.recognition_by_month.iter().map(|m| m.tries).sum::<usize>(), t.first_attempts);
            prop_assert!(report.hardest_cards.len() <= HARDEST_SHOWN);
            prop_assert_eq!(report.notes.len(), if notes { t.sessions } else { 0 });
            let first_start = report.practice.first().map(|p| p.start);
            prop_assert!(first_start.is_some_and(|s| s <= range.from));
            // Rendering never fails, whatever the figures.
            prop_assert!(html::render(&report).ends_with("</html>\n"));
            prop_assert!(markdown::render(&report).contains("# Practice report"));
        }
    }
}
