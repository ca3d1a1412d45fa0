//! What a drill's cards and a rehearsal's rounds say, in words: one model
//! ([`Entry`], a heading and its facts) that the Markdown (`repair notes
//! show`, exports) and the history browser (its reading page and preview)
//! each lay out in their own way, so both always say the same things. Also
//! every text a session holds ([`each_text`]), which the browser's search
//! looks through.
//!
//! Pure: a session in, words out. Text is exactly as recorded; whoever
//! prints it to a terminal sanitises it.

use super::groups::{DrillCardRecord, RoundRecord};
use super::record::Session;

/// What every trainer's point begins with, wherever it is read.
pub const POINT_LEAD: &str = "Next time, try:";

/// Whether an entry is a drill's card or a rehearsal's round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Card,
    Round,
}

/// One card of a drill or one round of a rehearsal, as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub what: EntryKind,
    /// The card's place in the session (a retry keeps it), or the round's.
    pub number: usize,
    /// The card's id.
    pub card: String,
    /// The client's line, when the record kept it (a drill's cards do).
    pub client: Option<String>,
    /// The card's kind and level, as words.
    pub kind: String,
    pub level: String,
    /// Which try at this card, from 1.
    pub attempt: u32,
    /// A version-1 rehearsal's "played the same card again".
    pub repeated: bool,
    /// The difficulty rating, 0 to 10, when one was given.
    pub rating: Option<u8>,
    /// What happened, in order: the response, the marker, the criteria,
    /// the self-report, the rating, the feedback.
    pub facts: Vec<Fact>,
}

/// One line of an entry: `label: value` (the value may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub label: String,
    pub value: String,
    /// Words the clinician or the group typed (a response, a self-report,
    /// feedback): what a short preview keeps.
    pub typed: bool,
}

impl Fact {
    fn new(label: impl Into<String>, value: impl Into<String>) -> Fact {
        Fact {
            label: label.into(),
            value: value.into(),
            typed: false,
        }
    }

    fn typed(label: impl Into<String>, value: impl Into<String>) -> Fact {
        Fact {
            typed: true,
            ..Fact::new(label, value)
        }
    }

    /// `label: value`, or the label alone when there is no value.
    pub fn line(&self) -> String {
        if self.value.is_empty() {
            self.label.clone()
        } else {
            format!("{}: {}", self.label, self.value)
        }
    }
}

impl Entry {
    /// ", try 2" for a retry, ", repeated" for a version-1 repeat, else "".
    pub fn tried(&self) -> String {
        if self.attempt > 1 {
            format!(", try {}", self.attempt)
        } else if self.repeated {
            ", repeated".to_string()
        } else {
            String::new()
        }
    }

    /// A retry (or a repeat): the same card again.
    pub fn is_retry(&self) -> bool {
        self.attempt > 1 || self.repeated
    }

    /// The heading the Markdown gives it: `Card 1: ID (kind, level, try 2)`
    /// or `Round 2: card ID (kind, level)`.
    pub fn heading(&self) -> String {
        let (word, card) = match self.what {
            EntryKind::Card => ("Card", self.card.clone()),
            EntryKind::Round => ("Round", format!("card {}", self.card)),
        };
        format!(
            "{word} {}: {card} ({}, {}{})",
            self.number,
            self.kind,
            self.level,
            self.tried()
        )
    }

    /// What the card is called when read: its client line in quotes when
    /// the record has one, else its id.
    pub fn named(&self) -> String {
        match &self.client {
            Some(client) => format!("\"{client}\""),
            None => format!("card {}", self.card),
        }
    }
}

/// Every card of a drill and every round of a rehearsal, in order.
pub fn entries(session: &Session) -> Vec<Entry> {
    let rounds = session.extra.rounds.iter().map(round_entry);
    let cards = session.extra.drill_cards.iter().map(card_entry);
    rounds.chain(cards).collect()
}

fn card_entry(card: &DrillCardRecord) -> Entry {
    let mut facts = Vec::new();
    // An empty typed response (Enter alone) says nothing worth a line.
    if let Some(response) = card.response.as_deref().filter(|r| !r.trim().is_empty()) {
        facts.push(Fact::typed("You said", format!("\"{}\"", response.trim())));
    }
    let marker = match &card.marker_guess {
        None => "not sure".to_string(),
        Some(guess) if card.marker_right => format!("{guess} (fits)"),
        Some(guess) => format!("{guess} (not this time)"),
    };
    facts.push(Fact::new("Marker seen", marker));
    let offered = card.criteria_met.len() + card.criteria_missed.len();
    if offered > 0 {
        facts.push(Fact::new(
            format!("Met {} of {offered}", card.criteria_met.len()),
            card.criteria_met.join("; "),
        ));
        if !card.criteria_missed.is_empty() {
            facts.push(Fact::new("Not yet", card.criteria_missed.join("; ")));
        }
    }
    if let Some(report) = &card.self_report
        && !report.trim().is_empty()
    {
        facts.push(Fact::typed("Noticed in yourself", report.trim()));
    }
    facts.push(Fact::new(
        format!("Rated {} of 10; next {} card", card.rating, card.kind),
        card.next_level.to_string(),
    ));
    facts.push(Fact::new(
        "Time to respond",
        format!(
            "{}:{:02}",
            card.respond_seconds / 60,
            card.respond_seconds % 60
        ),
    ));
    let client = card.client.trim();
    Entry {
        what: EntryKind::Card,
        number: card.number,
        card: card.card.clone(),
        client: (!client.is_empty()).then(|| client.to_string()),
        kind: card.kind.to_string(),
        level: card.level.to_string(),
        attempt: card.attempt,
        repeated: false,
        rating: Some(card.rating),
        facts,
    }
}

fn round_entry(round: &RoundRecord) -> Entry {
    let mut facts = Vec::new();
    if let Some(seat) = round.therapist_seat {
        let levels = match (&round.therapist_level, &round.next_level) {
            (Some(at), Some(next)) => format!(" (at {at}; next card {next})"),
            _ => String::new(),
        };
        facts.push(Fact::new("Therapist", format!("seat {seat}{levels}")));
    }
    let seats: Vec<String> = round
        .roles
        .iter()
        .enumerate()
        .map(|(i, role)| format!("seat {} {role}", i + 1))
        .collect();
    facts.push(Fact::new("Roles", seats.join(", ")));
    if round.rating.is_some() {
        let right = |r: Option<bool>| match r {
            Some(true) => " (right)",
            Some(false) => " (not the card's)",
            None => "",
        };
        let mut named = match &round.guess_kind {
            Some(kind) => format!("{kind}{}", right(round.guess_kind_right)),
            None => "not sure".to_string(),
        };
        if let Some(marker) = &round.guess_marker {
            named.push_str(&format!(
                "; marker {marker}{}",
                right(round.guess_marker_right)
            ));
        }
        facts.push(Fact::new("Named", named));
    }
    let difficulty = match round.rating {
        Some(rating) => format!("{rating} of 10 ({})", round.difficulty),
        None => round.difficulty.to_string(),
    };
    facts.push(Fact::new("Difficulty", difficulty));
    if !round.reactions.is_empty() {
        let words: Vec<String> = round
            .reactions
            .iter()
            .map(|r| r.as_str().replace('-', " "))
            .collect();
        facts.push(Fact::new("Reactions", words.join(", ")));
    }
    if round.rating.is_some() {
        let met = if round.criteria_met.is_empty() {
            "none ticked".to_string()
        } else {
            round
                .criteria_met
                .iter()
                .map(|c| format!("{} ({})", c.text, c.step))
                .collect::<Vec<_>>()
                .join("; ")
        };
        facts.push(Fact::new("Criteria met", met));
    } else {
        let ticked = if round.checklist.is_empty() {
            "nothing ticked".to_string()
        } else {
            round.checklist.join(", ")
        };
        facts.push(Fact::new("Observers ticked", ticked));
    }
    if !round.feedback.trim().is_empty() {
        facts.push(Fact::typed("Feedback", round.feedback.clone()));
    }
    if let Some(point) = round.trainer_point.as_deref().map(str::trim)
        && !point.is_empty()
    {
        let words = format!("{POINT_LEAD} {point}");
        // Typed by the trainer, or one of the criteria picked.
        facts.push(match round.trainer_point_criterion {
            None => Fact::typed("Trainer's point", words),
            Some(_) => Fact::new("Trainer's point", words),
        });
    }
    Entry {
        what: EntryKind::Round,
        number: round.number,
        card: round.card.clone(),
        client: None,
        kind: round.kind.to_string(),
        level: round.level.to_string(),
        attempt: round.attempt,
        repeated: round.repeated,
        rating: round.rating,
        facts,
    }
}

/// Every text a session holds, each passed to `found` as recorded: its id,
/// mode, protocol, title and the step drilled; each step's title and
/// notes; a prep's intention; each card's id, client line, typed
/// response, self-report, criteria and the marker named; each round's
/// card, what was named, reactions, criteria ticked and feedback.
pub fn each_text(session: &Session, mut found: impl FnMut(&str)) {
    found(&session.id);
    found(session.mode.as_str());
    found(&session.protocol);
    found(&session.protocol_title);
    if let Some(step) = &session.drill {
        found(step);
    }
    for step in &session.steps {
        found(&step.title);
        found(&step.notes);
    }
    if let Some(intention) = &session.extra.intention {
        found(intention);
    }
    for card in &session.extra.drill_cards {
        for text in [&card.card, &card.client] {
            found(text);
        }
        found(card.kind.as_str());
        found(card.level.as_str());
        for text in [&card.response, &card.self_report].into_iter().flatten() {
            found(text);
        }
        for text in card.criteria_met.iter().chain(&card.criteria_missed) {
            found(text);
        }
        if let Some(guess) = &card.marker_guess {
            found(guess.as_str());
        }
    }
    for round in &session.extra.rounds {
        found(&round.card);
        found(round.kind.as_str());
        found(round.level.as_str());
        found(&round.feedback);
        if let Some(point) = &round.trainer_point {
            found(point);
        }
        for step in &round.checklist {
            found(step);
        }
        for criterion in &round.criteria_met {
            found(&criterion.text);
        }
        if let Some(kind) = &round.guess_kind {
            found(kind.as_str());
        }
        if let Some(marker) = &round.guess_marker {
            found(marker.as_str());
        }
        for reaction in &round.reactions {
            found(reaction.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drill() -> Session {
        serde_json::from_str(
            r#"{"id":"20261104-090000-eeeeeeee","mode":"drill","protocol":"rupture-repair",
            "protocol_title":"Rupture and Repair","drill":"validate",
            "started_at":"2026-11-04T09:00:00+01:00","finished_at":null,"complete":false,
            "steps":[],"drill_cards":[{"number":1,"card":"file-read","kind":"confrontation",
            "level":"beginner","client":"You haven't even read my file.","attempt":2,"rating":7,
            "criteria_met":[],"criteria_missed":["names the complaint"],
            "self_report":"tight jaw","marker_guess":"complaint-therapist","marker_right":false,
            "respond_seconds":65,"response":"You're right to ask.","next_level":"beginner"}]}"#,
        )
        .expect("reads")
    }

    #[test]
    fn a_card_is_named_by_its_client_line_and_says_what_was_typed() {
        let entries = entries(&drill());
        let [card] = entries.as_slice() else {
            panic!("{entries:?}")
        };
        assert_eq!(card.named(), "\"You haven't even read my file.\"");
        assert_eq!(
            card.heading(),
            "Card 1: file-read (confrontation, beginner, try 2)"
        );
        assert!(card.is_retry());
        let lines: Vec<String> = card.facts.iter().map(Fact::line).collect();
        assert_eq!(
            lines,
            [
                "You said: \"You're right to ask.\"",
                "Marker seen: complaint-therapist (not this time)",
                "Met 0 of 1",
                "Not yet: names the complaint",
                "Noticed in yourself: tight jaw",
                "Rated 7 of 10; next confrontation card: beginner",
                "Time to respond: 1:05",
            ]
        );
        let typed: Vec<&str> = card
            .facts
            .iter()
            .filter(|f| f.typed)
            .map(|f| f.label.as_str())
            .collect();
        assert_eq!(typed, ["You said", "Noticed in yourself"]);
    }

    /// A typed response left empty (Enter alone) gives no "You said" line.
    #[test]
    fn an_empty_typed_response_says_nothing() {
        let mut session = drill();
        session.extra.drill_cards[0].response = Some("  ".into());
        let entries = entries(&session);
        let lines: Vec<String> = entries[0].facts.iter().map(Fact::line).collect();
        assert!(
            !lines.iter().any(|l| l.starts_with("You said")),
            "{lines:?}"
        );
    }

    #[test]
    fn every_text_is_offered_to_the_search() {
        let mut all = String::new();
        each_text(&drill(), |t| {
            all.push_str(t);
            all.push('\n');
        });
        for word in [
            "file-read",
            "read my file",
            "tight jaw",
            "right to ask",
            "validate",
        ] {
            assert!(all.contains(word), "{word} in {all}");
        }
    }

    fn rehearsal(point: &str) -> Session {
        serde_json::from_str(&format!(
            r#"{{"id":"20261104-100000-ffffffff","mode":"rehearse","protocol":"rupture-repair",
            "protocol_title":"Rupture and Repair","started_at":"2026-11-04T10:00:00+01:00",
            "finished_at":null,"complete":false,"steps":[],"rounds":[{{"number":1,
            "card":"quiz","kind":"confrontation","level":"beginner","repeated":false,
            "roles":["therapist","client"],"checklist":[],"feedback":"",
            "difficulty":"about-right","attempt":1,"therapist_seat":1,"rating":5{point}}}]}}"#
        ))
        .expect("reads")
    }

    /// A round's trainer's point is one of its facts (typed, or picked
    /// from a criterion), searched like the feedback; a round saved before
    /// trainers reads without one.
    #[test]
    fn a_rounds_trainer_point_is_read_and_an_older_round_has_none() {
        let older = rehearsal("");
        assert_eq!(older.extra.rounds[0].trainer_point, None);
        let lines =
            |s: &Session| -> Vec<String> { entries(s)[0].facts.iter().map(Fact::line).collect() };
        assert!(!lines(&older).iter().any(|l| l.contains("Trainer")));
        let json = serde_json::to_string(&older).unwrap();
        assert!(!json.contains("trainer_point"), "absent, not null: {json}");

        let typed = rehearsal(r#","trainer_point":"one breath first""#);
        assert!(
            lines(&typed).contains(&"Trainer's point: Next time, try: one breath first".into()),
            "{:?}",
            lines(&typed)
        );
        let fact = entries(&typed)[0]
            .facts
            .iter()
            .find(|f| f.label == "Trainer's point")
            .cloned()
            .unwrap();
        assert!(fact.typed);
        let mut all = String::new();
        each_text(&typed, |t| all.push_str(t));
        assert!(all.contains("one breath first"));

        let picked = rehearsal(
            r#","trainer_point":"asks whether it fits","trainer_point_criterion":"reflect.check""#,
        );
        let fact = entries(&picked)[0]
            .facts
            .iter()
            .find(|f| f.label == "Trainer's point")
            .cloned()
            .unwrap();
        assert!(!fact.typed, "a criterion picked is not typed words");
        let back = serde_json::to_value(&picked).unwrap();
        assert_eq!(
            back["rounds"][0]["trainer_point_criterion"],
            "reflect.check"
        );
    }
}
