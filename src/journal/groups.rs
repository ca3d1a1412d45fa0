//! The parts of a session record that only `repair prep` and `repair
//! rehearse` fill in: the intention line of a prep, and the rounds of a
//! rehearsal. Kept apart from [`super::Session`]'s own fields and flattened
//! into it, so a practice session's JSON stays exactly as it was (every field
//! here is left out when empty).
//!
//! A rehearsal round records roles by seat (the order people were given on
//! the command line), never names: the group's names stay on the screen.

use serde::{Deserialize, Serialize};

/// Fields some modes add to a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    /// `prep`: the one line of intention for the session ahead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intention: Option<String>,
    /// `rehearse`: every round played, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<RoundRecord>,
    /// `practice`: the id of the step that was showing when an unfinished
    /// walk was saved, so a resume opens on it. Absent once finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_step: Option<Box<str>>,
    /// `drill`: every attempt at a card, in order (a retry is a second
    /// attempt at the same card).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drill_cards: Vec<DrillCardRecord>,
}

impl Extra {
    pub fn is_empty(&self) -> bool {
        self.intention.is_none()
            && self.rounds.is_empty()
            && self.at_step.is_none()
            && self.drill_cards.is_empty()
    }
}

/// One round of a rehearsal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRecord {
    /// 1-based.
    pub number: usize,
    /// The card's id, kind and level.
    pub card: String,
    pub kind: String,
    pub level: String,
    /// This round played the same card as the round before (the repeat key).
    pub repeated: bool,
    /// The role of each seat, in seat order: "therapist", "client" or
    /// "observer". Seats stand in for people; names are never kept.
    pub roles: Vec<String>,
    /// The ids of the steps the observers ticked, in protocol order.
    pub checklist: Vec<String>,
    /// The one-line feedback note, exactly as typed (may be empty).
    pub feedback: String,
    /// "too-easy", "about-right" or "too-hard". Since the 0-10 rating: the
    /// way the rating moved the therapist's level (up: "too-easy", down:
    /// "too-hard"), so older readers still understand it.
    pub difficulty: String,
    // The deliberate-practice answers (issue 12). A version-1 record has none
    // of them and reads with these defaults.
    /// Which try at this card by the same therapist, from 1 (`r` retries).
    #[serde(default = "first_attempt")]
    pub attempt: u32,
    /// The therapist's seat, from 1 (seats, never names).
    #[serde(default)]
    pub therapist_seat: Option<usize>,
    /// The therapist's own level when the card was dealt.
    #[serde(default)]
    pub therapist_level: Option<String>,
    /// The therapist's level for their next card, after this rating.
    #[serde(default)]
    pub next_level: Option<String>,
    /// The kind of marker the therapist named ("withdrawal",
    /// "confrontation"), or null for "not sure".
    #[serde(default)]
    pub guess_kind: Option<String>,
    /// Whether the kind named was the card's; null when none was named.
    #[serde(default)]
    pub guess_kind_right: Option<bool>,
    /// The marker the therapist named, if any (an id like "shifting-topic").
    #[serde(default)]
    pub guess_marker: Option<String>,
    /// Whether that marker is one of the card's; null when none was named.
    #[serde(default)]
    pub guess_marker_right: Option<bool>,
    /// The therapist's own difficulty rating, 0 (easy) to 10 (very hard).
    #[serde(default)]
    pub rating: Option<u8>,
    /// The reactions the therapist ticked ("heart-racing", "urge-to-explain",
    /// "went-blank", "shame", "irritation", "something-else").
    #[serde(default)]
    pub reactions: Vec<String>,
    /// The criteria the observers ticked as met.
    #[serde(default)]
    pub criteria_met: Vec<CriterionRecord>,
}

fn first_attempt() -> u32 {
    1
}

/// A criterion of a good response, ticked as met in a round's review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionRecord {
    /// The step's id.
    pub step: String,
    /// The criterion's place in the step's list, from 1 (0: the step itself,
    /// for a step written without criteria).
    pub number: usize,
    /// The criterion as shown.
    pub text: String,
}

/// One attempt at a card in a solo drill (`repair drill`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillCardRecord {
    /// The card's place in the session, from 1 (a retry keeps the number).
    pub number: usize,
    /// The card's id, kind and level.
    pub card: String,
    pub kind: String,
    pub level: String,
    /// The client's statement, as the card had it (for a readable export).
    #[serde(default)]
    pub client: String,
    /// 1 for the first try, 2 for the retry right after, and so on.
    pub attempt: u32,
    /// How hard it was, 0 to 10, as the clinician rated it.
    pub rating: u8,
    /// The criteria of the focused step(s) the response met, and those not
    /// yet met, as written in the protocol.
    #[serde(default)]
    pub criteria_met: Vec<String>,
    #[serde(default)]
    pub criteria_missed: Vec<String>,
    /// For a step nobody can see (the scan): what the clinician noticed in
    /// their body, feelings and urge, exactly as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_report: Option<String>,
    /// The marker the clinician saw before the reveal: a marker id, a kind
    /// ("withdrawal", "confrontation"), or null for "not sure".
    #[serde(default)]
    pub marker_guess: Option<String>,
    /// Whether the guess matched the card (a kind matches its markers).
    #[serde(default)]
    pub marker_right: bool,
    /// Seconds from the start of the response to Enter (or the timer's end).
    pub respond_seconds: u64,
    /// The typed response (`--type`), exactly as typed; null when spoken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// The level the next card of this kind is dealt at, after this rating.
    pub next_level: String,
}
