//! The full-screen front end: the shared runtime ([`terminal`]), the
//! walk-through's model ([`app`]) and views ([`view`]), and the theme.

pub mod app;
pub mod history;
pub mod terminal;
pub mod theme;
pub mod view;

use std::io;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use ratatui::Frame;

use crate::journal::Journal;
use crate::practice::Walk;
use app::{App, Effect, Exit, Msg};
use terminal::{Input, Program};
use theme::Theme;

/// The walk-through as a full-screen program: the pure [`App`] plus the
/// journal its effects are carried out on.
struct WalkProgram<'a> {
    app: App,
    journal: &'a mut dyn Journal,
    theme: Theme,
    bell: bool,
}

impl Program for WalkProgram<'_> {
    type Output = Exit;

    fn draw(&self, frame: &mut Frame, now: Instant) {
        view::draw(frame, &self.app, &self.theme, now);
    }

    fn deadline(&self, now: Instant) -> Option<Instant> {
        self.app.deadline(now)
    }

    fn handle(&mut self, input: Input, now: Instant) -> Option<Exit> {
        let msg = match input {
            Input::Key(key) => Msg::Key(key),
            Input::Paste(text) => Msg::Paste(text),
            Input::Resize => Msg::Resize,
            Input::Tick => Msg::Tick,
            Input::Signal(n) => Msg::Signal(n),
        };
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in self.app.update(msg, now) {
                match effect {
                    Effect::Save(session, kind) => {
                        let result = self.journal.save(&session).map_err(|e| e.to_string());
                        queue.push(Msg::Saved(kind, result));
                    }
                    Effect::Discard(id) => {
                        // A failed discard leaves an unfinished session on
                        // disk, which loses nothing; say so and go on.
                        if let Err(e) = self.journal.discard(&id) {
                            self.app.status = Some(format!("Could not remove the draft: {e}"));
                        }
                    }
                    Effect::Bell => self.bell = true,
                    Effect::Quit(exit) => return Some(exit),
                }
            }
        }
        None
    }

    fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell)
    }

    fn rescue(&mut self, error: io::Error, now: Instant) -> Exit {
        self.app.rescue(self.journal, error.to_string(), now)
    }
}

/// Runs the walk-through full screen until the clinician finishes or quits,
/// or a signal arrives. `status` is a line shown at the top, if any.
pub fn run(
    walk: Walk,
    journal: &mut dyn Journal,
    status: Option<String>,
    signals: Receiver<i32>,
) -> io::Result<Exit> {
    run_with(walk, journal, status, signals, |_| {})
}

/// [`run`], with `setup` given the app before it starts (a resumed
/// session's original, the start screen's notice).
pub fn run_with(
    walk: Walk,
    journal: &mut dyn Journal,
    status: Option<String>,
    signals: Receiver<i32>,
    setup: impl FnOnce(&mut App),
) -> io::Result<Exit> {
    let mut app = App::new(walk, journal.keeps());
    app.status = status;
    setup(&mut app);
    let mut program = WalkProgram {
        app,
        journal,
        theme: Theme::from_env(),
        bell: false,
    };
    terminal::run(&mut program, signals)
}
