//! The full-screen runtime shared by every full-screen program (the
//! walk-through and any later view): raw mode and the alternate screen, a
//! guard that restores the terminal on every exit path, one channel for keys,
//! signals and deadlines, and a loop that sleeps until one of them comes.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::Instant;

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEvent, KeyEventKind, MouseEvent,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{self, Clear, ClearType, EnterAlternateScreen};
use ratatui::layout::Rect;
use ratatui::{Frame, Terminal, TerminalOptions, Viewport};

use super::theme::{Palette, Theme};

/// How a full-screen run of any mode ended: its own result, or stopped by a
/// signal, or the terminal failed under it, with what was kept by then.
#[derive(Debug)]
pub enum Ended<T> {
    Done(T),
    Signal { number: i32, kept: Kept },
    Failed { error: io::Error, kept: Kept },
}

/// What a run stopped part-way had kept: saved under `id`, or an `unsaved`
/// session that must be printed so nothing is lost (neither: nothing was
/// kept, or nothing needed keeping).
#[derive(Debug, Default)]
pub struct Kept {
    pub id: Option<String>,
    pub unsaved: Option<crate::journal::Session>,
}

/// Something that happened, for a program to handle.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A key press (releases are filtered out here).
    Key(KeyEvent),
    /// Bracketed paste.
    Paste(String),
    /// The window changed size; the next frame fits it.
    Resize,
    /// A deadline the program asked for came.
    Tick,
    /// SIGTERM, SIGHUP or SIGINT.
    Signal(i32),
}

/// A full-screen program: draws itself, says when it next needs waking, and
/// handles inputs until it returns its output.
pub trait Program {
    type Output;
    /// Draws a frame; the program keeps what the view measured (how far
    /// a page can scroll), so its keys stop at the end.
    fn draw(&mut self, frame: &mut Frame, now: Instant);
    /// When to wake if nothing else happens; `None` sleeps until an input.
    fn deadline(&self, now: Instant) -> Option<Instant>;
    /// Handles one input; `Some` ends the program.
    fn handle(&mut self, input: Input, now: Instant) -> Option<Self::Output>;
    /// Whether to ring the bell after this frame (asked once per frame).
    fn take_bell(&mut self) -> bool {
        false
    }
    /// The terminal failed under the program: keep what must be kept and
    /// return an output describing it.
    fn rescue(&mut self, error: io::Error, now: Instant) -> Self::Output;
    /// Whether the program reads the mouse (the terminal then reports it,
    /// and selecting text needs Shift in most terminals).
    fn wants_mouse(&self) -> bool {
        false
    }
    /// A mouse event, for a program that [wants the mouse](Program::wants_mouse).
    fn mouse(&mut self, _event: MouseEvent, _now: Instant) -> Option<Self::Output> {
        None
    }
}

/// What the loop waits for: an input every program handles, or a mouse
/// event for the programs that asked for it.
enum Incoming {
    Input(Input),
    Mouse(MouseEvent),
}

/// Restores the terminal when dropped: on every exit path, `?` included.
/// (ratatui's init also installs a panic hook that does the same.)
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Runs `program` full screen, in `theme`'s colours, until it ends. SIGTERM,
/// SIGHUP and SIGINT are listened for here, and the program handles them
/// like any other input.
pub fn run<P: Program>(program: &mut P, theme: &Theme) -> io::Result<P::Output> {
    let signals = crate::signals::listen()?;
    // Dropped last, once the terminal is restored and anything rescued is
    // saved: from then on a signal ends the process at once (nothing is
    // left unsaved) instead of going to a loop that is over.
    let _listening = crate::signals::Listening;
    // Colours as the theme says, whatever the terminal claims (a monochrome
    // theme writes none).
    ratatui::crossterm::style::force_color_output(theme.palette != Palette::Monochrome);
    let (tx, rx) = mpsc::channel();
    // Raw mode and ratatui's panic hook (which restores the terminal first).
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::default()),
    };
    let _ = ratatui::try_init_with_options(options)?;
    let guard = TerminalGuard;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    if program.wants_mouse() {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    // Keys go to this program from now on (a reader left running by an
    // earlier program in this process must not let them go), but the
    // forwarding threads start once the first frame is out, so starting them
    // does not delay it: a signal meanwhile waits in its channel, a key in
    // the terminal, and neither is lost.
    *EVENT_SINK.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx.clone());
    let forward = move || {
        forward_signals(signals, tx);
        read_terminal_events();
    };
    let result = event_loop(program, &rx, forward);
    *EVENT_SINK.lock().unwrap_or_else(|e| e.into_inner()) = None;
    drop(guard);
    Ok(match result {
        Ok(output) => output,
        Err(error) => program.rescue(error, Instant::now()),
    })
}

/// The terminal as ratatui sees it: a fixed viewport the size of the window,
/// rebuilt when the window changes. (A full-screen viewport would ask the
/// terminal where its cursor is on every resize, and a terminal that never
/// answers would end the program with an error.)
struct FixedTerminal {
    terminal: Terminal<CrosstermBackend<io::Stdout>>,
    size: (u16, u16),
}

impl FixedTerminal {
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
        Ok(FixedTerminal { terminal, size })
    }

    /// Draws a frame, first fitting the viewport to the window.
    fn draw<P: Program>(&mut self, program: &mut P) -> io::Result<()> {
        if terminal::size()? != self.size {
            *self = FixedTerminal::new()?;
        }
        self.terminal
            .draw(|frame| program.draw(frame, Instant::now()))?;
        Ok(())
    }
}

/// Draws and feeds `program` until it ends; `forward` starts what feeds
/// `rx`, right after the first frame.
fn event_loop<P: Program>(
    program: &mut P,
    rx: &Receiver<Incoming>,
    forward: impl FnOnce(),
) -> io::Result<P::Output> {
    let mut screen = FixedTerminal::new()?;
    let mut forward = Some(forward);
    loop {
        // Drawn once per input: inputs only come from keys, signals, resizes
        // and deadlines, so an idle program never redraws.
        screen.draw(program)?;
        if let Some(forward) = forward.take() {
            forward();
        }
        if program.take_bell() {
            let mut out = io::stdout();
            out.write_all(b"\x07")?;
            out.flush()?;
        }
        let now = Instant::now();
        let hang_up = Incoming::Input(Input::Signal(crate::platform::HANG_UP));
        let incoming = match program.deadline(now) {
            Some(at) => match rx.recv_timeout(at.saturating_duration_since(now)) {
                Ok(incoming) => incoming,
                Err(RecvTimeoutError::Timeout) => Incoming::Input(Input::Tick),
                Err(RecvTimeoutError::Disconnected) => hang_up,
            },
            // The signal thread holds a sender for the life of the process,
            // so this only fails if it died: treat it as a hang-up.
            None => rx.recv().unwrap_or(hang_up),
        };
        let output = match incoming {
            Incoming::Input(input) => program.handle(input, Instant::now()),
            Incoming::Mouse(event) => program.mouse(event, Instant::now()),
        };
        if let Some(output) = output {
            return Ok(output);
        }
    }
}

fn forward_signals(signals: Receiver<i32>, tx: Sender<Incoming>) {
    thread::spawn(move || {
        for number in signals {
            if tx.send(Incoming::Input(Input::Signal(number))).is_err() {
                break;
            }
        }
    });
}

/// Where terminal events go: the program running now, if any.
static EVENT_SINK: Mutex<Option<Sender<Incoming>>> = Mutex::new(None);
static EVENT_READER: OnceLock<()> = OnceLock::new();

/// Reads terminal events on their own thread so the loop can wait on one
/// channel for keys, signals and deadlines together. One reader serves the
/// whole process: when one full-screen program hands over to another (the
/// browser opening a follow-up), a second reader would race the first for
/// keys and a keystroke would be lost. It sends to [`EVENT_SINK`], which
/// `run` points at the program running now.
fn read_terminal_events() {
    EVENT_READER.get_or_init(|| {
        thread::spawn(move || {
            loop {
                let input = match event::read() {
                    Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                        Incoming::Input(Input::Key(key))
                    }
                    Ok(Event::Paste(text)) => Incoming::Input(Input::Paste(text)),
                    Ok(Event::Resize(..)) => Incoming::Input(Input::Resize),
                    Ok(Event::Mouse(mouse)) => Incoming::Mouse(mouse),
                    Ok(_) => continue,
                    Err(_) => break,
                };
                let sink = EVENT_SINK.lock().unwrap_or_else(|e| e.into_inner());
                // Between programs nobody listens; the event is let go.
                if let Some(tx) = sink.as_ref() {
                    let _ = tx.send(input);
                }
            }
        });
    });
}
