//! The difficulty rule shared by rehearse and drill: a trainee rates how hard
//! a card was, 0 to 10, and their next card's level moves to stay hard but
//! possible (the deliberate-practice books' rule of thumb).

use crate::protocol::Level;

/// The highest difficulty rating.
pub const MAX_RATING: u8 = 10;

/// The rating a card or a review starts at (and an empty plain answer
/// gives): the middle, which leaves the level where it is.
pub const DEFAULT_RATING: u8 = 5;

/// When a rating moves the level. A rating of `down_at` or more moves the
/// next card down a level; `up_at` or less moves it up; in between it stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelRule {
    pub down_at: u8,
    pub up_at: u8,
}

impl Default for LevelRule {
    fn default() -> Self {
        LevelRule {
            down_at: 8,
            up_at: 3,
        }
    }
}

/// Which way a rating moved the level (a word the records keep, so defined
/// with them).
pub use crate::journal::Move;

impl LevelRule {
    /// Which way `rating` moves the level.
    pub fn movement(self, rating: u8) -> Move {
        if rating >= self.down_at {
            Move::Down
        } else if rating <= self.up_at {
            Move::Up
        } else {
            Move::Stay
        }
    }

    /// The level after a card at `level` was rated `rating`.
    pub fn next(self, level: Level, rating: u8) -> Level {
        match self.movement(rating) {
            Move::Down => level.down(),
            Move::Up => level.up(),
            Move::Stay => level,
        }
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
        assert_eq!(rule.next(Level::Beginner, 9), Level::Beginner);
        assert_eq!(rule.next(Level::Advanced, 1), Level::Advanced);
    }
}
