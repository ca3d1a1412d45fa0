//! The full-screen front end: the shared runtime ([`terminal`]), the
//! walk-through's model ([`app`]) and views ([`view`]), and the theme;
//! [`drill`], [`rehearse`] and [`prep`] are modes of their own on the same
//! runtime, their models in the walk's update convention ([`mode`]: a message
//! in, the effect out), and [`big`] draws their big countdown digits.

pub mod app;
pub mod big;
pub mod deck;
pub mod drill;
pub mod history;
pub mod keys;
pub mod mode;
pub mod passphrase;
pub mod prep;
pub mod rehearse;
pub mod terminal;
pub mod theme;
pub mod view;

use std::io;
use std::time::Instant;

use ratatui::Frame;

use crate::journal::Journal;
use crate::practice::Walk;
use app::{App, Effect, Exit, Msg};
use terminal::{Ended, Input, Kept, Program};
use theme::Theme;

/// The walk-through as a full-screen program: the pure [`App`] plus the
/// journal its effects are carried out on.
struct WalkProgram<'a> {
    app: App,
    journal: &'a mut dyn Journal,
    theme: Theme,
    bell: bool,
    /// Whether the bell may ring at all (the `bell` setting).
    ring: bool,
    /// Whether the mouse is read (the `mouse` setting).
    mouse: bool,
}

impl Program for WalkProgram<'_> {
    type Output = Ended<Exit>;

    fn draw(&self, frame: &mut Frame, now: Instant) {
        view::draw(frame, &self.app, &self.theme, now);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        self.app.deadline(now)
    }

    fn handle(&mut self, input: Input, now: Instant) -> Option<Ended<Exit>> {
        let msg = match input {
            Input::Key(key) => Msg::Key(key),
            Input::Paste(text) => Msg::Paste(text),
            Input::Resize => Msg::Resize,
            Input::Tick => Msg::Tick,
            Input::Signal(n) => Msg::Signal(n),
        };
        self.process(msg, now)
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell)
    }

    fn wants_mouse(&self) -> bool {
        self.mouse
    }

    fn mouse(
        &mut self,
        event: ratatui::crossterm::event::MouseEvent,
        now: Instant,
    ) -> Option<Ended<Exit>> {
        self.process(Msg::Mouse(event), now)
    }

    fn rescue(&mut self, error: io::Error, now: Instant) -> Ended<Exit> {
        ended(self.app.rescue(self.journal, error.to_string(), now))
    }
}

/// The walk's own end, as every mode's: a signal or a failed terminal
/// carry what was kept.
fn ended(exit: Exit) -> Ended<Exit> {
    match exit {
        Exit::Signal {
            number,
            id,
            unsaved,
        } => Ended::Signal {
            number,
            kept: Kept { id, unsaved },
        },
        Exit::Failed { error, id, unsaved } => Ended::Failed {
            error,
            kept: Kept { id, unsaved },
        },
        exit => Ended::Done(exit),
    }
}

impl WalkProgram<'_> {
    /// Hands a message to the app and carries out its effects (a save's
    /// result goes back in as a message) until it settles or quits.
    fn process(&mut self, msg: Msg, now: Instant) -> Option<Ended<Exit>> {
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in self.app.update(msg, now) {
                match effect {
                    Effect::Save(session, kind) => {
                        let result = if kind.waits() {
                            self.journal.save(&session)
                        } else {
                            self.journal.save_if_free(&session)
                        };
                        match result {
                            Err(crate::journal::StoreError::Busy) => {
                                queue.push(Msg::SaveWaiting(Box::new(session), kind));
                            }
                            Err(e) if e.is_stale() => queue.push(Msg::Stale {
                                kind,
                                error: e.to_string(),
                                deleted: matches!(
                                    e,
                                    crate::journal::StoreError::DeletedMeanwhile { .. }
                                ),
                            }),
                            result => {
                                queue.push(Msg::Saved(kind, result.map_err(|e| e.to_string())))
                            }
                        }
                    }
                    Effect::Discard(id) => {
                        // A failed discard leaves an unfinished session on
                        // disk, which loses nothing; say so and go on.
                        if let Err(e) = self.journal.discard(&id) {
                            self.app.status = Some(format!("Could not remove the draft: {e}"));
                        }
                    }
                    Effect::Bell => self.bell = self.ring,
                    Effect::Quit(exit) => return Some(ended(exit)),
                }
            }
        }
        None
    }
}

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

/// Runs the walk-through full screen until the clinician finishes or quits,
/// or a signal arrives, looking and sounding as `presentation` says. `status`
/// is a line shown at the top, if any; `setup` is given the app before it
/// starts (a resumed session's original, the start screen's notice).
pub fn run_with(
    walk: Walk,
    journal: &mut dyn Journal,
    status: Option<String>,
    presentation: Presentation,
    setup: impl FnOnce(&mut App),
) -> io::Result<Ended<Exit>> {
    let mut app = App::new(walk, journal.keeps());
    app.status = status;
    app.reduce_motion = presentation.reduce_motion;
    setup(&mut app);
    let mut program = WalkProgram {
        app,
        journal,
        theme: presentation.theme,
        bell: false,
        ring: presentation.bell,
        mouse: presentation.mouse,
    };
    terminal::run(&mut program, &presentation.theme)
}
