//! The shell every mode runs in: which front end (plain lines or the full
//! screen), whether anything is kept (the store, or [`NoSave`]), and the
//! lines said once the run is over. Commands build a state machine and hand
//! it here; nothing in this module knows about another command.

use std::io::{self, Write};
use std::path::Path;

use super::{Context, Front};
use crate::error::Error;
use crate::journal::lock::Mode;
use crate::journal::{self, Journal, NoSave, Session, Store};
use crate::plain::{self, Plain, PlainExit};
use crate::practice::Walk;
use crate::protocol::Protocol;
use crate::sanitize;
use crate::tui::{
    self,
    app::{Exit, Offer},
};

/// The protocol a saved session was made with: `--protocol` if given, else
/// the built-in one or the data dir's file of that name.
pub fn protocol_of(
    ctx: &Context,
    session: &Session,
    flag: Option<&str>,
) -> Result<Protocol, Error> {
    let name = flag.unwrap_or(&session.protocol);
    ctx.named_protocol(name).map_err(|e| Error::ProtocolGone {
        id: session.id.clone(),
        protocol: name.to_string(),
        reason: e.to_string(),
    })
}

/// What the start screen of a new walk says besides the walk itself.
#[derive(Default)]
pub struct Start {
    /// The quiet line about follow-ups waiting or an unfinished walk.
    pub notice: Option<(String, Vec<Offer>)>,
    /// No session saved yet: the first screen says once more, plainly,
    /// what to do.
    pub first_run: bool,
    /// Notes are encrypted at rest already (so the first screen does not
    /// offer to turn it on).
    pub encrypted: bool,
}

/// How a walk is opened: `intro` is said first; `original` is the saved
/// session a resumed or follow-up walk started from (a discard puts it
/// back); `start` is the start screen's extras (new walks only).
#[derive(Default)]
pub struct Opening {
    pub intro: Option<String>,
    pub original: Option<Session>,
    pub start: Start,
}

/// How a walk ended, once reported.
#[derive(Debug)]
pub enum Walked {
    /// Over, with this exit status; everything has been said.
    Code(u8),
    /// The start screen's offer was taken: open this next, on the same
    /// store.
    Open(Offer),
}

/// Runs a walk on `front`, saving into `store` (none: nothing is kept),
/// and says what became of it.
pub fn walk(
    ctx: &Context,
    walk: Walk,
    store: Option<&mut Store>,
    front: Front,
    opening: Opening,
) -> Result<Walked, Error> {
    let dir = store.as_ref().map(|s| s.dir().to_path_buf());
    let encrypted = store.as_ref().is_some_and(|s| s.encryption() != Mode::Off);
    let mut no_save = NoSave;
    let journal: &mut dyn Journal = match store {
        Some(store) => store,
        None => &mut no_save,
    };
    let signals = crate::signals::listen().map_err(Error::Terminal)?;
    if front == Front::Plain {
        plain::exit_on_signal(signals);
        if let Some(intro) = &opening.intro {
            println!("{}", sanitize::one_line(intro));
        }
        let stdin = io::stdin().lock();
        let exit = Plain::new(walk, journal, stdin, io::stdout().lock())
            .with_dir(dir)
            .with_encrypted(encrypted)
            .run()
            .map_err(Error::Output)?;
        return Ok(Walked::Code(match exit {
            PlainExit::Unsaved { .. } => 1,
            _ => 0,
        }));
    }
    let Opening {
        intro,
        original,
        start,
    } = opening;
    let exit = tui::run_with(walk, journal, intro, signals, ctx.presentation, |app| {
        app.original = original;
        app.notice = start.notice;
        app.first_run = start.first_run;
        app.encrypted = start.encrypted;
    })
    .map_err(Error::Terminal)?;
    match exit {
        Exit::Open(offer) => Ok(Walked::Open(offer)),
        exit => after_full_screen(exit, dir.as_deref()).map(Walked::Code),
    }
}

/// What to say once the full screen of a walk has closed.
pub fn after_full_screen(exit: Exit, dir: Option<&Path>) -> Result<u8, Error> {
    let mut out = io::stdout().lock();
    let result = match exit {
        Exit::Finished { id, saved: true } => writeln!(out, "Saved session {id}.")
            .and_then(|_| plain::where_notes_are(&mut out, dir))
            .map(|_| 0),
        Exit::NothingKept => writeln!(
            out,
            "Nothing was written and no pause was taken, so nothing was kept."
        )
        .map(|_| 0),
        Exit::Finished { saved: false, .. } => writeln!(out, "{}", journal::SAVING_OFF).map(|_| 0),
        Exit::Unfinished { id } => writeln!(
            out,
            "Saved unfinished session {id}. It is kept with your notes."
        )
        .and_then(|_| plain::where_notes_are(&mut out, dir))
        .map(|_| 0),
        Exit::Discarded => Ok(0),
        // Handled before the full screen's result is reported.
        Exit::Open(_) => Ok(0),
        Exit::Unsaved { session, error } => {
            eprintln!(
                "repair: your notes could not be saved: {}",
                sanitize::one_line(&error)
            );
            writeln!(out, "Your notes, so nothing is lost:")
                .and_then(|_| plain::write_notes(&mut out, &session))
                .map(|_| 1)
        }
        Exit::Failed { error, id, unsaved } => {
            terminal_failed(&error);
            match (id, unsaved) {
                (Some(id), _) => {
                    eprintln!("repair: your notes are saved as unfinished session {id}.")
                }
                (None, Some(session)) => {
                    eprintln!("repair: your notes could not be saved either; here they are:");
                    let _ = plain::write_notes(&mut out, &session);
                }
                (None, None) => {}
            }
            Ok(1)
        }
        Exit::Signal {
            number,
            id,
            unsaved,
        } => {
            match (id, unsaved) {
                (Some(id), _) => eprintln!("repair: stopped; saved unfinished session {id}."),
                (None, Some(session)) => {
                    eprintln!("repair: stopped, and the notes could not be saved:");
                    let _ = plain::write_notes(&mut out, &session);
                }
                (None, None) => eprintln!("repair: stopped."),
            }
            Ok(signal_code(number))
        }
    };
    result.map_err(Error::Output)
}

/// Says that the terminal stopped working (the full screen's end status is
/// then 1).
pub fn terminal_failed(error: &str) {
    eprintln!(
        "repair: the terminal stopped working: {}",
        sanitize::one_line(error)
    );
}

/// The exit status for a run stopped by signal `number`.
pub fn signal_code(number: i32) -> u8 {
    (128 + number) as u8
}
