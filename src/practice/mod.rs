//! The walk-through: where the clinician is in the protocol, the pause timer,
//! and the notes of each step. A pure state machine: it takes actions and the
//! current time as inputs and never touches the clock, the terminal or the
//! disk, so the full screen and the plain mode drive the same walk.
//!
//! [`prep`] (before a difficult session) and [`rehearse`] (group rehearsal
//! on scenario cards) are state machines of the same kind; [`rng`] deals
//! the rehearsal cards reproducibly. [`drill`] is the solo drill and
//! [`schedule`] its spaced repetition, [`deck`] the deck with where each
//! card stands in it; [`progress`] the practice figures read back from
//! saved drills and rehearsals; [`reveal`] what the drill's and
//! rehearse's reveal shows, for both front ends.

pub mod deck;
pub mod drill;
pub mod exclude;
pub mod level;
mod pause;
pub mod prep;
pub mod progress;
pub mod rehearse;
pub mod reveal;
pub mod rng;
pub mod schedule;
mod walk;

pub use pause::{BreathPhase, PACER_FRAME, PauseTimer, length_words};
pub use walk::{Action, Outcome, Stage, StepState, Walk, WalkOptions};

/// How many cases a property test runs: `PROPTEST_CASES` when set (a slower
/// run goes deeper), else `default`, kept small for CI.
#[cfg(test)]
pub(crate) fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
