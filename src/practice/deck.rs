//! The deck as `repair deck` shows it: every card of the protocol with where
//! it stands in the drill's spaced repetition (when it was last practised,
//! its last first-attempt ratings, when it is next due), the filters that
//! choose cards (tag, kind, level, due), and the words both front ends show:
//! one line per card, and a card in full with its models and the criteria
//! each one meets. The JSON for scripts is made here too.
//!
//! Where a card stands comes from [`Schedule`], built from the same saved
//! drills `repair drill --due` reads, so "due" here is due there. Pure: the
//! protocol, the drill sessions and today in.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::drill::marker_words;
use super::level::LevelRule;
use super::schedule::{INTERVAL_DAYS, Schedule};
use crate::journal::{Session, SessionMode};
use crate::protocol::{Level, Protocol, Scenario, ScenarioKind, Tag};

/// How many of a card's latest first-attempt ratings are kept and shown.
pub const RATINGS_KEPT: usize = 5;

/// Whether the saved drills could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// Read: every card says where it stands.
    Read,
    /// The notes are encrypted and the passphrase was not given: the deck is
    /// shown without practice history.
    NotUnlocked,
}

/// One first attempt at a card: its day and its rating (0 to 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rated {
    pub day: NaiveDate,
    pub rating: u8,
}

/// Where a card drilled before stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practised {
    /// The day of its latest drill.
    pub last: NaiveDate,
    /// Its latest first attempts, oldest first, at most [`RATINGS_KEPT`].
    pub ratings: Vec<Rated>,
    /// Its Leitner box, 1 to 5.
    pub boxed: usize,
    /// The day it is due again (today or earlier: due now).
    pub due: NaiveDate,
}

/// When a card comes up in the drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Never drilled (in the schedule's window): dealt as new.
    New,
    /// Due on or before today: `repair drill --due` deals it.
    Now { since: NaiveDate },
    /// Not yet: due on this day.
    Later(NaiveDate),
    /// The history was not read.
    Unknown,
}

/// The deck with each card's practice: the protocol's cards in deck order.
#[derive(Debug, Clone)]
pub struct Deck {
    pub protocol: Protocol,
    /// One per card of `protocol.scenarios`, in the same order.
    practised: Vec<Option<Practised>>,
    /// The level the drill deals each kind at next (as the last drill left it).
    levels: [Option<Level>; 2],
    pub today: NaiveDate,
    pub history: History,
}

/// Which cards to show: every one of `tags`, the kind, the level, and only
/// those due today. The default shows every card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub tags: Vec<Tag>,
    pub kind: Option<ScenarioKind>,
    pub level: Option<Level>,
    pub due: bool,
}

impl Filter {
    /// Whether any choice narrows the deck.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The choices in words, for the header and the plain first line:
    /// `withdrawal, beginner, tagged telehealth, due today`.
    pub fn words(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if let Some(kind) = self.kind {
            parts.push(kind.as_str().into());
        }
        if let Some(level) = self.level {
            parts.push(level.as_str().into());
        }
        if !self.tags.is_empty() {
            let tags: Vec<&str> = self.tags.iter().map(|t| t.as_str()).collect();
            parts.push(format!("tagged {}", tags.join(" and ")));
        }
        if self.due {
            parts.push("due today".into());
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

impl Deck {
    /// The deck of `protocol` with the practice the saved `drills` record as
    /// of `today` (any order; other modes are left out), read with the same
    /// rule and the same [`Schedule`] as `repair drill`.
    pub fn new(
        protocol: Protocol,
        drills: &[Session],
        rule: LevelRule,
        today: NaiveDate,
        history: History,
    ) -> Deck {
        let schedule = Schedule::from_sessions(drills, rule, today);
        // First attempts per card, in the schedule's own order (sessions
        // dated after today count as the oldest), so the latest ratings are
        // the ones that set the box.
        let mut sessions: Vec<&Session> = drills
            .iter()
            .filter(|s| s.mode == SessionMode::Drill)
            .collect();
        let dated_right = |s: &Session| s.started_at.date_naive() <= today;
        sessions.sort_by(|a, b| {
            (dated_right(a), a.started_at, &a.id).cmp(&(dated_right(b), b.started_at, &b.id))
        });
        let mut ratings: std::collections::HashMap<&str, Vec<Rated>> = Default::default();
        for session in &sessions {
            let day = session.started_at.date_naive();
            for record in session.extra.drill_cards.iter().filter(|r| r.attempt == 1) {
                let kept = ratings.entry(record.card.as_str()).or_default();
                kept.push(Rated {
                    day,
                    rating: record.rating,
                });
                if kept.len() > RATINGS_KEPT {
                    kept.remove(0);
                }
            }
        }
        let practised = protocol
            .scenarios
            .iter()
            .map(|card| {
                let state = schedule.state(&card.id)?;
                Some(Practised {
                    last: state.last,
                    ratings: ratings.remove(card.id.as_str()).unwrap_or_default(),
                    boxed: state.boxed,
                    due: state.due_on(today),
                })
            })
            .collect();
        let levels = ScenarioKind::ALL.map(|k| schedule.level(k));
        Deck {
            protocol,
            practised,
            levels,
            today,
            history,
        }
    }

    /// The deck with no practice history read.
    pub fn without_history(protocol: Protocol, today: NaiveDate) -> Deck {
        Deck::new(
            protocol,
            &[],
            LevelRule::default(),
            today,
            History::NotUnlocked,
        )
    }

    pub fn len(&self) -> usize {
        self.protocol.scenarios.len()
    }

    pub fn is_empty(&self) -> bool {
        self.protocol.scenarios.is_empty()
    }

    pub fn card(&self, i: usize) -> &Scenario {
        &self.protocol.scenarios[i]
    }

    pub fn practised(&self, i: usize) -> Option<&Practised> {
        self.practised.get(i).and_then(Option::as_ref)
    }

    /// The position of the card with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.protocol.scenarios.iter().position(|c| c.id == id)
    }

    /// When card `i` comes up in the drill.
    pub fn due(&self, i: usize) -> Due {
        if self.history != History::Read {
            return Due::Unknown;
        }
        match self.practised(i) {
            None => Due::New,
            Some(p) if p.due <= self.today => Due::Now { since: p.due },
            Some(p) => Due::Later(p.due),
        }
    }

    /// The level the drill deals a card of `kind` at next, if a drill left one.
    pub fn level(&self, kind: ScenarioKind) -> Option<Level> {
        self.levels[super::schedule::kind_index(kind)]
    }

    /// Whether card `i` passes `filter`.
    pub fn keeps(&self, filter: &Filter, i: usize) -> bool {
        let card = self.card(i);
        filter.kind.is_none_or(|k| card.kind == k)
            && filter.level.is_none_or(|l| card.level == l)
            && filter.tags.iter().all(|t| card.tags.contains(t))
            && (!filter.due || matches!(self.due(i), Due::Now { .. }))
    }

    /// The cards `filter` keeps, as positions in deck order.
    pub fn chosen(&self, filter: &Filter) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.keeps(filter, i)).collect()
    }

    /// The tags some card has, in the vocabulary's order: what the tag
    /// filter steps through.
    pub fn tags_used(&self) -> Vec<Tag> {
        Tag::ALL
            .iter()
            .copied()
            .filter(|t| self.protocol.scenarios.iter().any(|c| c.tags.contains(t)))
            .collect()
    }

    /// The drill's next level per kind in words, when a drill left one:
    /// `Drill level: withdrawal beginner, confrontation intermediate.`
    pub fn levels_line(&self) -> Option<String> {
        let parts: Vec<String> = ScenarioKind::ALL
            .iter()
            .filter_map(|&k| Some(format!("{} {}", k.as_str(), self.level(k)?.as_str())))
            .collect();
        (!parts.is_empty()).then(|| format!("Drill level: {}.", parts.join(", ")))
    }

    /// What the practice part of a line says when the history is not read.
    pub const NOT_UNLOCKED: &'static str =
        "Practice history not shown: your notes are encrypted and the passphrase was not given.";

    /// The first plain line: what is shown, out of how many.
    pub fn heading(&self, filter: &Filter, shown: usize) -> String {
        let title = crate::sanitize::one_line(&self.protocol.title).into_owned();
        let count = if filter.is_empty() {
            crate::words::count(shown, "card", "cards")
        } else {
            format!(
                "{shown} of {} ({})",
                crate::words::count(self.len(), "card", "cards"),
                filter.words().unwrap_or_default()
            )
        };
        format!("Deck: {title}: {count}.")
    }

    /// One card as one plain line (the format `repair deck --plain` prints
    /// and docs/guide.md documents):
    /// `ID: KIND, LEVEL; tags T, T (or no tags); PRACTICE; DUE.`
    pub fn line(&self, i: usize) -> String {
        let card = self.card(i);
        let tags = if card.tags.is_empty() {
            "no tags".to_string()
        } else {
            let words: Vec<&str> = card.tags.iter().map(|t| t.as_str()).collect();
            format!("tags {}", words.join(", "))
        };
        let id = crate::sanitize::one_line(&card.id);
        let head = format!(
            "{id}: {}, {}; {tags}",
            card.kind.as_str(),
            card.level.as_str()
        );
        match (self.due(i), self.practised(i)) {
            (Due::Unknown, _) => format!("{head}."),
            (_, Some(p)) => format!(
                "{head}; last practised {}, {}; {}.",
                p.last.format("%Y-%m-%d"),
                ratings_words(&p.ratings),
                self.due_words(i)
            ),
            (_, None) => format!("{head}; never practised; {}.", self.due_words(i)),
        }
    }

    /// When card `i` is due, in words: `due today`, `due since 2026-12-01`,
    /// `due 2026-12-09`, `new` (never drilled), or empty when unknown.
    pub fn due_words(&self, i: usize) -> String {
        match self.due(i) {
            Due::New => "new".into(),
            Due::Now { since } if since == self.today => "due today".into(),
            Due::Now { since } => format!("due since {}", since.format("%Y-%m-%d")),
            Due::Later(day) => format!("due {}", day.format("%Y-%m-%d")),
            Due::Unknown => String::new(),
        }
    }

    /// Card `i` in full, as lines with what each one is: shown by the full
    /// screen (wrapped, styled by part) and printed by plain mode. Every text
    /// from the protocol file passes [`crate::sanitize`] here.
    pub fn full(&self, i: usize) -> Vec<(Part, String)> {
        use crate::sanitize::one_line;
        let card = self.card(i);
        let mut out: Vec<(Part, String)> = Vec::new();
        let mut push = |part: Part, text: String| out.push((part, text));
        push(
            Part::Title,
            format!(
                "{} · {} · {}",
                one_line(&card.id),
                card.kind.as_str(),
                card.level.as_str()
            ),
        );
        let tags: Vec<&str> = card.tags.iter().map(|t| t.as_str()).collect();
        push(
            Part::Text,
            if tags.is_empty() {
                "Tags: none.".into()
            } else {
                format!("Tags: {}.", tags.join(", "))
            },
        );
        if let Some(note) = card.content_note() {
            push(Part::Warn, note);
        }
        if !card.markers.is_empty() {
            let words: Vec<&str> = card.markers.iter().map(|m| marker_words(*m)).collect();
            push(Part::Text, format!("Markers: {}.", words.join(", ")));
        }
        match (self.history, self.practised(i)) {
            (History::NotUnlocked, _) => push(Part::Text, Deck::NOT_UNLOCKED.into()),
            (History::Read, None) => push(
                Part::Text,
                "Never practised in the last 120 days: the drill deals it as new.".into(),
            ),
            (History::Read, Some(p)) => {
                push(
                    Part::Text,
                    format!(
                        "Last practised {}; {} (box {} of {}).",
                        p.last.format("%Y-%m-%d"),
                        self.due_words(i),
                        p.boxed,
                        INTERVAL_DAYS.len()
                    ),
                );
                let tries: Vec<String> = p
                    .ratings
                    .iter()
                    .map(|r| format!("{} rated {}", r.day.format("%Y-%m-%d"), r.rating))
                    .collect();
                if !tries.is_empty() {
                    push(Part::Text, format!("First tries: {}.", tries.join(", ")));
                }
            }
        }
        push(Part::Gap, String::new());
        if let Some(scene) = &card.scene {
            push(Part::Text, format!("Scene: {}", one_line(scene)));
        }
        push(
            Part::Client,
            format!("Client: “{}”", one_line(&card.client)),
        );
        if let Some(direction) = &card.direction {
            push(
                Part::Text,
                format!("For the client player: {}", one_line(direction)),
            );
        }
        if let Some(line) = &card.escalate {
            push(
                Part::Text,
                format!("If the therapist defends or explains: “{}”", one_line(line)),
            );
        }
        if let Some(line) = &card.soften {
            push(
                Part::Text,
                format!(
                    "If the therapist owns their part or validates: “{}”",
                    one_line(line)
                ),
            );
        }
        push(Part::Gap, String::new());
        push(
            Part::Heading,
            if card.examples.is_empty() {
                "No model responses on this card.".into()
            } else {
                "Model responses (models, not scripts):".into()
            },
        );
        for (n, model) in card.examples.iter().enumerate() {
            push(
                Part::Model,
                format!("{}. “{}”", n + 1, one_line(&model.says)),
            );
            if let Some(strategy) = model.strategy {
                push(Part::Meets, format!("Strategy: {}.", strategy.as_str()));
            }
            for id in &model.meets {
                let text = self.protocol.criterion(id).map_or(
                    "(not a criterion of this protocol)".to_string(),
                    |(_, c)| one_line(&c.text).into_owned(),
                );
                push(Part::Meets, format!("Meets {}: {text}", one_line(id)));
            }
        }
        if !card.pitfalls.is_empty() {
            push(Part::Gap, String::new());
            push(Part::Heading, "Pitfalls:".into());
            for pitfall in &card.pitfalls {
                push(
                    Part::Pitfall,
                    format!(
                        "- “{}”: {}",
                        one_line(&pitfall.response),
                        one_line(&pitfall.why)
                    ),
                );
            }
        }
        out
    }

    /// The cards `chosen` as JSON for scripts (fields in docs/guide.md).
    /// A card's schedule fields are always present: null when never drilled
    /// or when the history was not read.
    pub fn to_json(&self, filter: &Filter, chosen: &[usize]) -> Value {
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let cards: Vec<Value> = chosen
            .iter()
            .map(|&i| {
                let card = self.card(i);
                let p = self.practised(i);
                let models: Vec<Value> = card
                    .examples
                    .iter()
                    .map(|m| {
                        json!({
                            "says": m.says,
                            "strategy": m.strategy.map(|s| s.as_str()),
                            "meets": m.meets.iter().map(|id| json!({
                                "id": id,
                                "text": self.protocol.criterion(id).map(|(_, c)| c.text.clone()),
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                json!({
                    "id": card.id,
                    "kind": card.kind.as_str(),
                    "level": card.level.as_str(),
                    "tags": card.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                    "content": card.content.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                    "markers": card.markers.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                    "scene": card.scene,
                    "client": card.client,
                    "last_practised": p.map(|p| day(p.last)),
                    "ratings": p.map(|p| p.ratings.iter().map(|r| json!({
                        "date": day(r.day),
                        "rating": r.rating,
                    })).collect::<Vec<_>>()),
                    "box": p.map(|p| p.boxed),
                    "due": p.map(|p| day(p.due)),
                    "due_today": match self.due(i) {
                        Due::Now { .. } => Some(true),
                        Due::Unknown => None,
                        _ => Some(false),
                    },
                    "models": models,
                })
            })
            .collect();
        json!({
            "protocol": self.protocol.id,
            "today": day(self.today),
            "history_read": self.history == History::Read,
            "levels": {
                "withdrawal": self.level(ScenarioKind::Withdrawal).map(|l| l.as_str()),
                "confrontation": self.level(ScenarioKind::Confrontation).map(|l| l.as_str()),
            },
            "filter": {
                "tags": filter.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                "kind": filter.kind.map(|k| k.as_str()),
                "level": filter.level.map(|l| l.as_str()),
                "due": filter.due,
            },
            "cards": cards,
        })
    }
}

/// What a line of a card in full is, for the full screen's styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Title,
    Heading,
    Text,
    /// A content note.
    Warn,
    Client,
    Model,
    /// Under a model: its strategy and each criterion it meets (indented).
    Meets,
    /// A response that makes things worse, and why.
    Pitfall,
    /// An empty line between sections.
    Gap,
}

/// `first tries rated 7 5 3` (oldest first), or `no first try rated`.
fn ratings_words(ratings: &[Rated]) -> String {
    if ratings.is_empty() {
        return "no first try rated".into();
    }
    let numbers: Vec<String> = ratings.iter().map(|r| r.rating.to_string()).collect();
    format!("first tries rated {}", numbers.join(" "))
}

/// The ratings as a short column for the full screen: `7 5 3`.
pub fn ratings_short(ratings: &[Rated], at_most: usize) -> String {
    let skip = ratings.len().saturating_sub(at_most);
    let numbers: Vec<String> = ratings[skip..]
        .iter()
        .map(|r| r.rating.to_string())
        .collect();
    numbers.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{DrillCardRecord, fixtures};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    use crate::journal::fixtures::drill_on as drill;

    fn record(card: &str, rating: u8, attempt: u32) -> DrillCardRecord {
        DrillCardRecord {
            rating,
            attempt,
            criteria_met: vec!["a".into(), "b".into()],
            ..fixtures::drill_card(card)
        }
    }

    #[test]
    fn a_card_says_when_it_was_practised_its_first_tries_and_when_it_is_due() {
        let protocol = crate::protocol::builtin();
        let first = protocol.scenarios[0].id.clone();
        let history = [
            drill("2026-11-20", vec![record(&first, 5, 1)]),
            // A retry does not count as a first try.
            drill(
                "2026-11-23",
                vec![record(&first, 9, 1), record(&first, 2, 2)],
            ),
        ];
        let today = date("2026-11-25");
        let deck = Deck::new(
            protocol,
            &history,
            LevelRule::default(),
            today,
            History::Read,
        );
        let p = deck.practised(0).unwrap();
        assert_eq!(p.last, date("2026-11-23"));
        assert_eq!(
            p.ratings.iter().map(|r| r.rating).collect::<Vec<_>>(),
            [5, 9]
        );
        // Rated 9: back to box 1, due the next day, so due since then.
        assert_eq!(
            deck.due(0),
            Due::Now {
                since: date("2026-11-24")
            }
        );
        assert!(deck.line(0).ends_with(
            "; last practised 2026-11-23, first tries rated 5 9; due since 2026-11-24."
        ));
        assert_eq!(deck.due(1), Due::New);
        assert!(deck.line(1).ends_with("; never practised; new."));
        // Only the due card passes the due filter, as `drill --due` deals it.
        let due = Filter {
            due: true,
            ..Filter::default()
        };
        assert_eq!(deck.chosen(&due), [0]);
        let json = deck.to_json(&due, &deck.chosen(&due));
        assert_eq!(json["cards"][0]["last_practised"], "2026-11-23");
        assert_eq!(json["cards"][0]["ratings"][1]["rating"], 9);
        assert_eq!(json["cards"][0]["due_today"], true);
    }

    #[test]
    fn without_history_every_card_is_shown_and_none_is_due() {
        let deck = Deck::without_history(crate::protocol::builtin(), date("2026-11-25"));
        assert_eq!(deck.due(0), Due::Unknown);
        assert!(
            deck.chosen(&Filter {
                due: true,
                ..Filter::default()
            })
            .is_empty()
        );
        let json = deck.to_json(&Filter::default(), &[0]);
        let card = &json["cards"][0];
        for field in ["last_practised", "ratings", "box", "due", "due_today"] {
            assert!(card.get(field).is_some_and(Value::is_null), "{field}");
        }
        assert_eq!(json["history_read"], false);
        assert!(!deck.line(0).contains("practised"));
    }

    #[test]
    fn filters_keep_every_tag_the_kind_and_the_level() {
        let deck = Deck::without_history(crate::protocol::builtin(), date("2026-11-25"));
        let filter = Filter {
            tags: vec![Tag::Telehealth],
            kind: Some(ScenarioKind::Confrontation),
            level: Some(Level::Advanced),
            due: false,
        };
        let chosen = deck.chosen(&filter);
        assert!(!chosen.is_empty());
        for i in chosen {
            let c = deck.card(i);
            assert!(c.tags.contains(&Tag::Telehealth));
            assert_eq!(
                (c.kind, c.level),
                (ScenarioKind::Confrontation, Level::Advanced)
            );
        }
        assert_eq!(
            filter.words().unwrap(),
            "confrontation, advanced, tagged telehealth"
        );
    }

    #[test]
    fn a_card_in_full_names_each_criterion_its_models_meet() {
        let deck = Deck::without_history(crate::protocol::builtin(), date("2026-11-25"));
        let full = deck.full(0);
        let card = deck.card(0);
        let model = &card.examples[0];
        let id = &model.meets[0];
        let (_, criterion) = deck.protocol.criterion(id).unwrap();
        let wanted = format!("Meets {id}: {}", criterion.text);
        assert!(
            full.iter()
                .any(|(part, text)| *part == Part::Meets && *text == wanted)
        );
        assert!(full.iter().any(|(_, t)| t.starts_with("Client: ")));
    }
}
