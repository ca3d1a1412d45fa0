//! The full-screen front end: the shared runtime ([`terminal`]), the key
//! tables' machinery ([`keys`]), the widgets every view shares ([`widgets`])
//! and the theme. Each mode is a room of its own on the runtime: [`walk`],
//! [`drill`], [`rehearse`], [`prep`] and the notes browser ([`history`]);
//! the drill, rehearse and prep models share one update convention
//! ([`mode`]: a message in, the effect out), and [`big`] draws their big
//! countdown digits.

pub mod big;
pub mod deck;
pub mod drill;
pub mod history;
pub mod keys;
pub mod mode;
pub mod passphrase;
pub mod prep;
pub mod rehearse;
pub mod tape;
pub mod terminal;
pub mod theme;
pub mod walk;
pub mod widgets;

use theme::Theme;

/// How the walk-through looks and sounds: from the settings and `--color`
/// (see [`crate::settings::resolve`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presentation {
    pub theme: Theme,
    /// Ring the bell when a pause runs its full length.
    pub bell: bool,
    /// No moving pacer: the breathing cue is text only.
    pub reduce_motion: bool,
    /// Read the mouse: the wheel scrolls, a click on a step goes there.
    pub mouse: bool,
}

impl Presentation {
    /// The look and sound the settings, environment and flags chose.
    pub fn from_choices(choices: &crate::settings::Choices) -> Self {
        Presentation {
            theme: Theme::new(choices.palette),
            bell: choices.bell,
            reduce_motion: choices.reduce_motion,
            mouse: choices.mouse,
        }
    }
}

impl Default for Presentation {
    /// As with no settings file: colour unless NO_COLOR, bell on, motion on.
    fn default() -> Self {
        Presentation {
            theme: Theme::from_env(),
            bell: true,
            reduce_motion: false,
            mouse: true,
        }
    }
}
