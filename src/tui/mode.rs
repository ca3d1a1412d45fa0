//! What the full-screen modes share on top of the runtime ([`terminal`]):
//! the walk's update convention ([`Model`]: a message in, the effect out,
//! for the program to carry out), and for the modes that save as they go
//! (the drill and the rehearsal) the one [`Program`] that carries out their
//! [`SavingEffect`]s. A new mode of that kind is a state machine, a view and an
//! `impl SavesAsItGoes`.

use std::io;
use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::Presentation;
use super::terminal::{self, Ended, Input, Kept, Program};
use super::theme::Theme;
use crate::journal::{Journal, Saved, Session};

/// A full-screen mode's model in the walk's convention: [`Model::update`]
/// takes every message (a key, a paste, a tick, a signal) and returns the
/// effect for the program to carry out. No terminal and no disk here.
pub trait Model {
    /// What the program must do after a message.
    type Effect: ModeEffect;
    /// A key press.
    fn key(&mut self, key: KeyEvent, now: Instant) -> Self::Effect;
    /// Pasted text, for the line being typed, if any.
    fn paste(&mut self, text: &str, now: Instant);
    /// The passing of time (a deadline came, or the window changed size).
    fn tick(&mut self, now: Instant);

    /// The model's one entry: a message in, the effect out.
    fn update(&mut self, msg: Input, now: Instant) -> Self::Effect {
        match msg {
            Input::Key(key) => self.key(key, now),
            Input::Paste(text) => {
                self.paste(&text, now);
                Self::Effect::NOTHING
            }
            Input::Tick | Input::Resize => {
                self.tick(now);
                Self::Effect::NOTHING
            }
            Input::Signal(number) => Self::Effect::stopped(number),
        }
    }
}

/// The effects every mode has besides its own.
pub trait ModeEffect {
    /// Nothing to do.
    const NOTHING: Self;
    /// A signal (its number) ends the mode.
    fn stopped(number: i32) -> Self;
}

impl ModeEffect for SavingEffect {
    const NOTHING: SavingEffect = SavingEffect::None;

    fn stopped(number: i32) -> SavingEffect {
        SavingEffect::Stop(number)
    }
}

/// What a mode that saves as it goes asks of its program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavingEffect {
    None,
    /// Something was kept (an attempt, a reviewed response), or the mode
    /// stopped: save what there is.
    Save,
    /// Leave the closing screen.
    Quit,
    /// A signal (its number) ends the mode: what was kept is saved (again,
    /// the save being the last word) before it ends.
    Stop(i32),
}

/// A mode that saves the whole session again each time it keeps something,
/// run by the one program below.
pub trait SavesAsItGoes: Model<Effect = SavingEffect> {
    /// How the full screen ended, for the command to report.
    type Outcome;
    fn draw(&mut self, frame: &mut Frame, theme: &Theme, now: Instant);
    /// When the screen next changes if nothing else happens.
    fn deadline(&self, now: Instant) -> Option<Instant>;
    /// Whether the model asked for the bell since the last frame (asked
    /// once per frame; the bell setting is applied by the program).
    fn take_bell(&mut self) -> bool;
    /// The session to save now; `None` when there is nothing to keep.
    fn session(&self) -> Option<Session>;
    /// The outcome, given what became of the last save.
    fn outcome(&self, saved: Saved) -> Self::Outcome;
}

/// A mode that saves as it goes, with the journal its saves go to.
struct Saving<'a, M> {
    model: M,
    journal: &'a mut dyn Journal,
    theme: Theme,
    /// The bell setting: ring when the model asks.
    bell: bool,
    /// What became of the last save, for the closing message.
    saved: Saved,
}

impl<M: SavesAsItGoes> Saving<'_, M> {
    fn save(&mut self) {
        if !self.journal.keeps() {
            return;
        }
        if let Some(session) = self.model.session() {
            self.saved = Saved::of(self.journal.save(&session), &session.id);
        } else if let Saved::As(id) = &self.saved {
            // Everything kept was taken back (an undone rating): the file
            // this run saved goes too.
            self.saved = match self.journal.discard(id) {
                Ok(()) => Saved::Nothing,
                Err(e) => Saved::Failed(std::sync::Arc::new(e)),
            };
        }
    }
}

impl<M: SavesAsItGoes> Program for Saving<'_, M> {
    type Output = Ended<M::Outcome>;

    fn draw(&mut self, frame: &mut Frame, now: Instant) {
        self.model.draw(frame, &self.theme, now);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        self.model.deadline(now)
    }

    fn handle(&mut self, input: Input, now: Instant) -> Option<Self::Output> {
        match self.model.update(input, now) {
            SavingEffect::Quit => return Some(Ended::Done(self.model.outcome(self.saved.clone()))),
            SavingEffect::Save => self.save(),
            SavingEffect::Stop(number) => {
                // Saves are made here, on this thread, so none is under way
                // now; saving again keeps whatever the model confirmed last.
                self.save();
                let id = self.saved.id().map(str::to_string);
                return Some(Ended::Signal {
                    number,
                    kept: Kept { id, unsaved: None },
                });
            }
            SavingEffect::None => {}
        }
        None
    }

    fn take_bell(&mut self) -> bool {
        self.model.take_bell() && self.bell
    }

    fn rescue(&mut self, error: io::Error, _now: Instant) -> Self::Output {
        Ended::Failed {
            error,
            kept: Kept::default(),
        }
    }
}

/// Runs a mode that saves as it goes full screen until it quits, saving
/// into `journal`.
pub fn run<M: SavesAsItGoes>(
    model: M,
    journal: &mut dyn Journal,
    presentation: Presentation,
) -> io::Result<Ended<M::Outcome>> {
    let mut program = Saving {
        model,
        journal,
        theme: presentation.theme,
        bell: presentation.bell,
        saved: Saved::Nothing,
    };
    terminal::run(&mut program, &presentation.theme)
}
