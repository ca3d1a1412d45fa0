//! The full-screen front end: terminal setup and restore, the event loop,
//! and the views. The loop sleeps until the next key, signal or deadline
//! (the pause's next visible change, an autosave), so an idle walk-through
//! costs nothing.

pub mod app;
pub mod theme;
pub mod view;

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::Instant;

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{self, Clear, ClearType, EnterAlternateScreen};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::journal::Journal;
use crate::practice::Walk;
use app::{App, Effect, Exit, Msg};
use theme::Theme;

/// Restores the terminal when dropped: on every exit path, `?` included.
/// (ratatui's init also installs a panic hook that does the same.)
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Runs the walk-through full screen until the clinician finishes or quits,
/// or a signal arrives. `signals` delivers SIGTERM, SIGHUP and SIGINT.
pub fn run(
    walk: Walk,
    journal: &mut dyn Journal,
    status: Option<String>,
    signals: Receiver<i32>,
) -> io::Result<Exit> {
    let mut app = App::new(walk, journal.keeps());
    app.status = status;
    let theme = Theme::from_env();
    let (tx, rx) = mpsc::channel();
    forward_signals(signals, tx.clone());
    // Raw mode and ratatui's panic hook (which restores the terminal first).
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::default()),
    };
    let _ = ratatui::try_init_with_options(options)?;
    let _guard = TerminalGuard;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    forward_terminal_events(tx);
    let mut screen = Screen::new()?;
    match event_loop(&mut screen, &mut app, journal, &theme, &rx) {
        Ok(exit) => Ok(exit),
        // The terminal failed under us: keep the notes before giving up.
        Err(error) => Ok(app.rescue(journal, error.to_string(), Instant::now())),
    }
}

/// The terminal as ratatui sees it: a fixed viewport the size of the window,
/// rebuilt when the window changes. (A full-screen viewport would ask the
/// terminal where its cursor is on every resize, and a terminal that never
/// answers would end the walk-through with an error.)
struct Screen {
    terminal: Terminal<CrosstermBackend<io::Stdout>>,
    size: (u16, u16),
}

impl Screen {
    fn new() -> io::Result<Self> {
        let size = terminal::size()?;
        let area = Rect::new(0, 0, size.0, size.1);
        let terminal = Terminal::with_options(
            CrosstermBackend::new(io::stdout()),
            TerminalOptions {
                viewport: Viewport::Fixed(area),
            },
        )?;
        execute!(io::stdout(), Clear(ClearType::All))?;
        Ok(Screen { terminal, size })
    }

    /// Draws a frame, first fitting the viewport to the window.
    fn draw(&mut self, app: &App, theme: &Theme) -> io::Result<()> {
        if terminal::size()? != self.size {
            *self = Screen::new()?;
        }
        self.terminal
            .draw(|frame| view::draw(frame, app, theme, Instant::now()))?;
        Ok(())
    }
}

fn event_loop(
    screen: &mut Screen,
    app: &mut App,
    journal: &mut dyn Journal,
    theme: &Theme,
    rx: &Receiver<Msg>,
) -> io::Result<Exit> {
    let mut bell = false;
    loop {
        // Drawn once per message: messages only come from keys, signals,
        // resizes and deadlines, so an idle walk-through never redraws.
        screen.draw(app, theme)?;
        if bell {
            let mut out = io::stdout();
            out.write_all(b"\x07")?;
            out.flush()?;
            bell = false;
        }
        let now = Instant::now();
        let msg = match app.deadline(now) {
            Some(at) => match rx.recv_timeout(at.saturating_duration_since(now)) {
                Ok(msg) => msg,
                Err(RecvTimeoutError::Timeout) => Msg::Tick,
                Err(RecvTimeoutError::Disconnected) => Msg::Signal(libc_sighup()),
            },
            None => rx.recv().unwrap_or(Msg::Signal(libc_sighup())),
        };
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in app.update(msg, Instant::now()) {
                match effect {
                    Effect::Save(session, kind) => {
                        let result = journal.save(&session).map_err(|e| e.to_string());
                        queue.push(Msg::Saved(kind, result));
                    }
                    Effect::Discard(id) => {
                        // A failed discard leaves an unfinished session on
                        // disk, which loses nothing; say so and go on.
                        if let Err(e) = journal.discard(&id) {
                            app.status = Some(format!("Could not remove the draft: {e}"));
                        }
                    }
                    Effect::Bell => bell = true,
                    Effect::Quit(exit) => return Ok(exit),
                }
            }
        }
    }
}

/// The terminal hung up: the input thread is gone, which only happens when
/// the terminal itself went away.
fn libc_sighup() -> i32 {
    signal_hook::consts::SIGHUP
}

fn forward_signals(signals: Receiver<i32>, tx: Sender<Msg>) {
    thread::spawn(move || {
        for number in signals {
            if tx.send(Msg::Signal(number)).is_err() {
                break;
            }
        }
    });
}

/// Reads terminal events on their own thread so the loop can wait on one
/// channel for keys, signals and deadlines together.
fn forward_terminal_events(tx: Sender<Msg>) {
    thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(Event::Resize(..)) => Msg::Resize,
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
}
