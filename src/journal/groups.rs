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
    /// `drill`: every attempt at a card, in order (a retry is a second
    /// attempt at the same card).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drill_cards: Vec<DrillCardRecord>,
}

impl Extra {
    pub fn is_empty(&self) -> bool {
        self.intention.is_none() && self.rounds.is_empty() && self.drill_cards.is_empty()
    }
}

/// One round of a rehearsal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// "too-easy", "about-right" or "too-hard".
    pub difficulty: String,
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
