//! The walk-through full screen: its model ([`model`]), key tables
//! ([`keys`]), views ([`view`], [`pause`], [`summary`], [`dialogs`]) and
//! the program that runs it on the shared runtime, carrying out its effects
//! on the journal.

pub(crate) mod dialogs;
pub mod keys;
pub mod model;
pub(crate) mod pause;
pub(crate) mod summary;
pub mod view;

use std::io;
use std::time::Instant;

use ratatui::Frame;

use crate::journal::Journal;
use crate::practice::Walk;
use crate::tui::Presentation;
use crate::tui::terminal::{self, Ended, Input, Kept, Program};
use crate::tui::theme::Theme;
use crate::tui::widgets::fits;
use model::{App, Exit, Measured, Msg, SaveError, Status, WalkEffect, WalkScreen};

/// The walk-through as a full-screen program: the pure [`App`] plus the
/// journal its effects are carried out on. [`run_with`] runs it on the
/// terminal; tests drive [`WalkProgram::process`] directly, the same loop.
pub struct WalkProgram<'a> {
    app: App,
    journal: &'a mut dyn Journal,
    theme: Theme,
    bell: bool,
    /// Whether the bell may ring at all (the `bell` setting).
    ring: bool,
    /// Whether the mouse is read (the `mouse` setting).
    mouse: bool,
}

/// Draws the whole walk-through: the screen showing and any overlay on it.
/// Returns what it measured, for [`App::measured`]: the view never writes
/// into the app.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, now: Instant) -> Measured {
    let mut m = app.last_measured();
    let area = frame.area();
    if !fits(frame, theme) {
        return m;
    }
    match &app.screen {
        WalkScreen::Walk => view::draw(frame, area, app, theme, now, &mut m),
        WalkScreen::ConfirmQuit => {
            view::draw(frame, area, app, theme, now, &mut m);
            dialogs::confirm_quit(frame, area, app, theme);
        }
        WalkScreen::Summary => m.scroll_max = summary::draw(frame, area, app, theme, now),
        WalkScreen::SaveFailed(error, _) => {
            m.scroll_max = summary::save_failed(frame, area, app, &error.to_string(), theme, now)
        }
    }
    if let Some(scroll) = app.help {
        m.overlay_max = dialogs::help(frame, area, app, scroll, theme);
    } else if let Some(scroll) = app.about {
        m.overlay_max = dialogs::about(frame, area, app, scroll, theme);
    }
    m
}

impl Program for WalkProgram<'_> {
    type Output = Ended<Exit>;

    fn draw(&mut self, frame: &mut Frame, now: Instant) {
        let measured = draw(frame, &self.app, &self.theme, now);
        self.app.measured(measured);
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
        Ended::Failed {
            error,
            kept: self.app.rescue(self.journal, now),
        }
    }
}

/// The walk's own end, as every mode's: a signal carries what was kept (a
/// failed terminal is [`WalkProgram::rescue`]'s).
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
        exit => Ended::Done(exit),
    }
}

impl<'a> WalkProgram<'a> {
    /// The program around `app`, saving through `journal`, looking and
    /// sounding as `presentation` says.
    pub fn new(app: App, journal: &'a mut dyn Journal, presentation: Presentation) -> Self {
        WalkProgram {
            app,
            journal,
            theme: presentation.theme,
            bell: false,
            ring: presentation.bell,
            mouse: presentation.mouse,
        }
    }

    /// The walk-through's state, as the program holds it.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Hands a message to the app and carries out its effects (a save's
    /// result goes back in as a message) until it settles or quits.
    pub fn process(&mut self, msg: Msg, now: Instant) -> Option<Ended<Exit>> {
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in self.app.update(msg, now) {
                match effect {
                    WalkEffect::Save(session, kind) => {
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
                                deleted: matches!(
                                    e,
                                    crate::journal::StoreError::DeletedMeanwhile { .. }
                                ),
                                error: e.into(),
                            }),
                            result => queue.push(Msg::Saved(kind, result.map_err(SaveError::from))),
                        }
                    }
                    WalkEffect::Discard(id) => {
                        // A failed discard leaves an unfinished session on
                        // disk, which loses nothing; say so and go on.
                        if let Err(e) = self.journal.discard(&id) {
                            self.app.status =
                                Some(Status::notice(format!("Could not remove the draft: {e}")));
                        }
                    }
                    WalkEffect::Bell => self.bell = self.ring,
                    WalkEffect::Quit(exit) => return Some(ended(exit)),
                }
            }
        }
        None
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
    app.status = status.map(Status::notice);
    app.reduce_motion = presentation.reduce_motion;
    setup(&mut app);
    let mut program = WalkProgram::new(app, journal, presentation);
    terminal::run(&mut program, &presentation.theme)
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;

    use super::*;
    use crate::journal::{Session, StoreError};
    use crate::practice::WalkOptions;
    use crate::tui::theme::Theme;

    /// A store whose every save fails, or keeps the sessions it is given.
    struct Saves {
        fail: bool,
        saved: Vec<String>,
    }

    impl Journal for Saves {
        fn save(&mut self, session: &Session) -> Result<(), StoreError> {
            if self.fail {
                return Err(StoreError::Locked);
            }
            self.saved.push(session.id.clone());
            Ok(())
        }
        fn discard(&mut self, _: &str) -> Result<(), StoreError> {
            Ok(())
        }
    }

    /// A failed terminal ends the walk with the terminal's own error (its
    /// kind and its inner error, not only its words), beside what was
    /// kept: saved when the store takes it, handed back to print when not.
    #[test]
    fn a_failed_terminal_ends_with_its_own_error_and_what_was_kept() {
        for fail in [false, true] {
            let started =
                chrono::DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
            let walk = Walk::new(
                crate::protocol::builtin(),
                WalkOptions::default(),
                "20261124-090000-abcd".into(),
                started,
            );
            let mut app = App::new(walk, true);
            app.start_open = false;
            let mut journal = Saves {
                fail,
                saved: Vec::new(),
            };
            let presentation = Presentation {
                theme: Theme::monochrome(),
                bell: false,
                reduce_motion: false,
                mouse: false,
            };
            let mut program = WalkProgram::new(app, &mut journal, presentation);
            let now = Instant::now();
            program.process(Msg::Paste("it felt tense".into()), now);
            let gone = io::Error::new(ErrorKind::BrokenPipe, StoreError::Locked);
            let Ended::Failed { error, kept } = program.rescue(gone, now) else {
                panic!("a failed terminal ends as Failed");
            };
            assert_eq!(error.kind(), ErrorKind::BrokenPipe);
            let inner = error.get_ref().and_then(|e| e.downcast_ref::<StoreError>());
            assert!(matches!(inner, Some(StoreError::Locked)), "{error:?}");
            if fail {
                assert_eq!(kept.id, None);
                let unsaved = kept.unsaved.expect("the notes are handed back to print");
                assert_eq!(unsaved.steps[0].notes, "it felt tense");
            } else {
                assert_eq!(kept.id.as_deref(), Some("20261124-090000-abcd"));
                assert!(kept.unsaved.is_none());
                assert_eq!(journal.saved, ["20261124-090000-abcd"]);
            }
        }
    }
}
