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
}

impl Extra {
    pub fn is_empty(&self) -> bool {
        self.intention.is_none() && self.rounds.is_empty() && self.at_step.is_none()
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
