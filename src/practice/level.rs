//! The difficulty rule shared by rehearse and drill: a trainee rates how hard
//! a card was, 0 to 10, and their next card's level moves to stay hard but
//! possible (the deliberate-practice books' rule of thumb).
//!
//! Three choices the books make, kept here so both modes make them alike:
//! - only the **first attempt** at a card moves the level: a retry made
//!   straight after reading the models says how well the feedback landed
//!   ([`landed`]), not how hard the card is cold;
//! - the **reactions** a trainee ticks count: "went blank" or "shame" with a
//!   rating of 6 or more is too hard, whatever the rating ([`HardReactions`],
//!   a setting);
//! - below beginner there is **warm-up**: reading a model aloud first, then
//!   answering in one's own words ([`WARM_UP_LINE`]).

use crate::journal::Reaction;
use crate::protocol::Level;

/// The highest difficulty rating.
pub const MAX_RATING: u8 = 10;

/// The rating a card or a review starts at (and an empty plain answer
/// gives): the middle, which leaves the level where it is.
pub const DEFAULT_RATING: u8 = 5;

/// What the therapist does first at warm-up, said where they respond.
pub const WARM_UP_LINE: &str =
    "Warm-up: first read this model response aloud, then answer in your own words.";

/// Which reactions, ticked with a rating of at least `from`, make a card
/// count as too hard (the `hard_reactions` and `hard_reactions_from`
/// settings). Held as a set over [`Reaction::ALL`] so the rule stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HardReactions {
    set: u8,
    pub from: u8,
}

impl HardReactions {
    /// These reactions, from this rating.
    pub fn new(reactions: &[Reaction], from: u8) -> Self {
        let set = reactions.iter().fold(0, |set, r| set | bit(*r));
        HardReactions { set, from }
    }

    /// No reaction counts.
    pub fn none() -> Self {
        HardReactions::new(&[], MAX_RATING)
    }

    /// The reactions that count, in [`Reaction::ALL`] order.
    pub fn reactions(self) -> Vec<Reaction> {
        Reaction::ALL
            .into_iter()
            .filter(|r| self.set & bit(*r) != 0)
            .collect()
    }

    /// Whether `rating` with `ticked` counts as too hard by this rule.
    pub fn too_hard(self, rating: u8, ticked: &[Reaction]) -> bool {
        rating >= self.from && ticked.iter().any(|r| self.set & bit(*r) != 0)
    }
}

/// The reactions that, ticked with a rating of at least
/// [`DEFAULT_HARD_REACTIONS_FROM`], make a card count as too hard when the
/// settings do not say otherwise.
pub const DEFAULT_HARD_REACTIONS: [Reaction; 2] = [Reaction::WentBlank, Reaction::Shame];
/// See [`DEFAULT_HARD_REACTIONS`].
pub const DEFAULT_HARD_REACTIONS_FROM: u8 = 6;

impl Default for HardReactions {
    /// "went blank" or "shame" with a rating of 6 or more.
    fn default() -> Self {
        HardReactions::new(&DEFAULT_HARD_REACTIONS, DEFAULT_HARD_REACTIONS_FROM)
    }
}

fn bit(reaction: Reaction) -> u8 {
    let i = Reaction::ALL
        .iter()
        .position(|r| *r == reaction)
        .unwrap_or(0);
    1 << i
}

/// When a rating moves the level. A rating of `down_at` or more moves the
/// next card down a level; `up_at` or less moves it up; in between it stays.
/// A hard reaction (see [`HardReactions`]) moves it down too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelRule {
    pub down_at: u8,
    pub up_at: u8,
    pub reactions: HardReactions,
}

impl Default for LevelRule {
    fn default() -> Self {
        LevelRule {
            down_at: 8,
            up_at: 3,
            reactions: HardReactions::default(),
        }
    }
}

/// Which way a rating moved the level (a word the records keep, so defined
/// with them).
pub use crate::journal::Move;

impl LevelRule {
    /// Which way `rating` moves the level (no reactions ticked).
    pub fn movement(self, rating: u8) -> Move {
        self.movement_with(rating, &[])
    }

    /// Which way `rating` with the reactions `ticked` moves the level.
    pub fn movement_with(self, rating: u8, ticked: &[Reaction]) -> Move {
        if rating >= self.down_at || self.reactions.too_hard(rating, ticked) {
            Move::Down
        } else if rating <= self.up_at {
            Move::Up
        } else {
            Move::Stay
        }
    }

    /// Whether the reactions, not the rating alone, made this too hard.
    pub fn hard_by_reaction(self, rating: u8, ticked: &[Reaction]) -> bool {
        rating < self.down_at && self.reactions.too_hard(rating, ticked)
    }

    /// The level after a card at `level` was rated `rating`.
    pub fn next(self, level: Level, rating: u8) -> Level {
        self.next_with(level, rating, &[])
    }

    /// The level after a first attempt at `level` rated `rating` with the
    /// reactions `ticked`: one step at most, never past warm-up or advanced.
    pub fn next_with(self, level: Level, rating: u8, ticked: &[Reaction]) -> Level {
        match self.movement_with(rating, ticked) {
            Move::Down => level.down(),
            Move::Up => level.up(),
            Move::Stay => level,
        }
    }

    /// The level after an attempt: a first attempt moves it; a retry leaves
    /// it where the first attempt put it.
    pub fn after(self, level: Level, attempt: u32, rating: u8, ticked: &[Reaction]) -> Level {
        if attempt <= 1 {
            self.next_with(level, rating, ticked)
        } else {
            level
        }
    }
}

/// How well the feedback landed, from a retry's rating: said instead of a
/// level move, since a retry right after the models never moves the level.
pub fn landed(rule: LevelRule, rating: u8, ticked: &[Reaction]) -> &'static str {
    match rule.movement_with(rating, ticked) {
        Move::Up => "the models landed: it came much easier",
        Move::Stay => "the models partly landed",
        Move::Down => "still hard after the models: worth a slower look next time",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_moves_down_easy_moves_up_middle_stays() {
        let rule = LevelRule::default();
        assert_eq!(rule.next(Level::Intermediate, 8), Level::Beginner);
        assert_eq!(rule.next(Level::Intermediate, 10), Level::Beginner);
        assert_eq!(rule.next(Level::Intermediate, 3), Level::Advanced);
        assert_eq!(rule.next(Level::Intermediate, 0), Level::Advanced);
        assert_eq!(rule.next(Level::Intermediate, 5), Level::Intermediate);
        assert_eq!(rule.next(Level::Advanced, 1), Level::Advanced);
    }

    #[test]
    fn too_hard_at_beginner_is_warm_up_and_easy_at_warm_up_is_beginner() {
        let rule = LevelRule::default();
        assert_eq!(rule.next(Level::Beginner, 9), Level::WarmUp);
        assert_eq!(rule.next(Level::WarmUp, 9), Level::WarmUp);
        assert_eq!(rule.next(Level::WarmUp, 2), Level::Beginner);
        assert_eq!(Level::WarmUp.pool(), Level::Beginner);
        assert_eq!(Level::from_word("warm-up"), Some(Level::WarmUp));
        assert_eq!(Level::card_from_word("warm-up"), None);
    }

    #[test]
    fn went_blank_or_shame_from_six_counts_as_too_hard() {
        let rule = LevelRule::default();
        let blank = [Reaction::WentBlank];
        let shame = [Reaction::HeartRacing, Reaction::Shame];
        assert_eq!(rule.movement_with(6, &blank), Move::Down);
        assert_eq!(rule.movement_with(7, &shame), Move::Down);
        assert!(rule.hard_by_reaction(6, &blank));
        assert_eq!(rule.movement_with(5, &blank), Move::Stay);
        assert_eq!(rule.movement_with(6, &[Reaction::Irritation]), Move::Stay);
        assert_eq!(
            rule.next_with(Level::Intermediate, 6, &shame),
            Level::Beginner
        );
        let off = LevelRule {
            reactions: HardReactions::none(),
            ..rule
        };
        assert_eq!(off.movement_with(7, &blank), Move::Stay);
        assert_eq!(
            HardReactions::default().reactions(),
            [Reaction::WentBlank, Reaction::Shame]
        );
    }

    #[test]
    fn only_the_first_attempt_moves_the_level() {
        let rule = LevelRule::default();
        assert_eq!(rule.after(Level::Beginner, 1, 0, &[]), Level::Intermediate);
        assert_eq!(rule.after(Level::Beginner, 2, 0, &[]), Level::Beginner);
        assert_eq!(rule.after(Level::Beginner, 3, 10, &[]), Level::Beginner);
    }
}
