//! The shell every mode runs in: which front end (plain lines or the full
//! screen), whether anything is kept (the store, or [`NoSave`]), and the
//! lines said once the run is over. Commands build a state machine and hand
//! it here; nothing in this module knows about another command.

use std::io::{self, Write};
use std::path::Path;

use super::{Context, Front};
use crate::error::Error;
use crate::journal::crypt::Encryption;
use crate::journal::{self, Journal, NoSave, Saved, Session, Store};
use crate::plain;
use crate::plain::walk::{Plain, PlainExit, write_notes};
use crate::practice::Walk;
use crate::protocol::Protocol;
use crate::sanitize;
use crate::tui::terminal::{Ended, Kept};
use crate::tui::{
    self, Presentation,
    walk::model::{Exit, Offer},
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

impl Opening {
    /// A walk opened from a saved `session` (resumed, or its follow-up):
    /// `LEAD the session of WHEN.` is said first, and a discard puts the
    /// session back.
    pub fn reopened(lead: &str, session: Session) -> Opening {
        Opening {
            intro: Some(format!(
                "{lead} the session of {}.",
                journal::review::when(&session)
            )),
            original: Some(session),
            ..Opening::default()
        }
    }
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

/// A mode as the shell runs it: its plain lines, its full screen, and what
/// is said once the full screen has closed. `S` is the mode's state
/// machine, `T` what its full screen ends with.
pub struct Fronts<P, F, R> {
    /// What a signal during the plain run keeps, in "Stopped by a signal;
    /// KEPT are saved" ("the cards assessed so far").
    pub plain_kept: &'static str,
    /// The plain run, to its exit status.
    pub plain: P,
    /// The full screen, with the look chosen.
    pub screen: F,
    /// What to say once the full screen is done (`saving`: whether
    /// anything is kept), to its exit status.
    pub report: R,
}

/// Runs one mode: saving into `store` (none: nothing is kept, and every
/// mode says [`journal::SAVING_OFF`] the same way), on `front`, and reports.
/// Signals and a failed terminal are reported here for every mode.
pub fn run<S, T, P, F, R>(
    ctx: &Context,
    state: S,
    store: Option<&mut Store>,
    front: Front,
    mode: Fronts<P, F, R>,
) -> Result<u8, Error>
where
    P: FnOnce(S, &mut dyn Journal) -> io::Result<u8>,
    F: FnOnce(S, &mut dyn Journal, Presentation) -> io::Result<Ended<T>>,
    R: FnOnce(T, bool) -> io::Result<u8>,
{
    let mut no_save = NoSave;
    let journal: &mut (dyn Journal + Send) = match store {
        Some(store) => store,
        None => &mut no_save,
    };
    let saving = journal.keeps();
    if front == Front::Plain {
        // One path on a signal for every plain mode: wait for a save under
        // way, save what is confirmed, say so, exit 128 + N.
        let ran = crate::signals::keeping(journal, mode.plain_kept, |journal| {
            (mode.plain)(state, journal)
        });
        let (code, saved) = ran.map_err(Error::Terminal)?;
        if plain::output_closed() {
            eprintln!("{}", output_closed_line(saving, saved.as_deref()));
        }
        return code.map_err(Error::Output);
    }
    let ended = (mode.screen)(state, journal, ctx.presentation).map_err(Error::Terminal)?;
    finish(ended, |done| (mode.report)(done, saving))
}

/// Said on stderr when a plain run's output was closed before the end
/// (`repair --plain | head`): the run went on without printing, and this
/// says what it kept.
fn output_closed_line(saving: bool, saved: Option<&str>) -> String {
    let kept = match saved {
        _ if !saving => journal::SAVING_OFF.to_string(),
        Some(id) => format!("Saved session {}.", sanitize::one_line(id)),
        None => "Nothing was written, so nothing was saved.".to_string(),
    };
    format!(
        "repair: the output was closed early, so printing stopped there; reading and saving went on. {kept}"
    )
}

/// Says how a full-screen run ended: `report` says what is done; a signal
/// or a failed terminal is said here, the same for every mode, with what was
/// kept by then.
pub fn finish<T>(ended: Ended<T>, report: impl FnOnce(T) -> io::Result<u8>) -> Result<u8, Error> {
    match ended {
        Ended::Done(done) => report(done).map_err(Error::Output),
        Ended::Signal { number, kept } => {
            match kept {
                Kept { id: Some(id), .. } => {
                    eprintln!("repair: stopped; saved unfinished session {id}.")
                }
                Kept {
                    unsaved: Some(session),
                    ..
                } => {
                    eprintln!("repair: stopped, and the notes could not be saved:");
                    let _ = write_notes(&mut io::stdout().lock(), &session);
                }
                _ => eprintln!("repair: stopped."),
            }
            Ok(signal_code(number))
        }
        Ended::Failed { error, kept } => {
            eprintln!(
                "repair: the terminal stopped working: {}",
                sanitize::one_line(&error.to_string())
            );
            match kept {
                Kept { id: Some(id), .. } => {
                    eprintln!("repair: your notes are saved as unfinished session {id}.")
                }
                Kept {
                    unsaved: Some(session),
                    ..
                } => {
                    eprintln!("repair: your notes could not be saved either; here they are:");
                    let _ = write_notes(&mut io::stdout().lock(), &session);
                }
                _ => {}
            }
            Ok(1)
        }
    }
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
    let encrypted = store
        .as_ref()
        .is_some_and(|s| s.encryption() != Encryption::Off);
    let offer = std::cell::RefCell::new(None);
    let Opening {
        intro,
        original,
        start,
    } = opening;
    let mut store = store;
    // What a discard leaves, said once the screen has closed.
    let discarded = discarded_line(original.as_ref());
    let code = run(
        ctx,
        walk,
        store.as_deref_mut(),
        front,
        Fronts {
            plain_kept: "your notes up to the last full line",
            plain: |walk, journal: &mut dyn Journal| {
                let mut out = plain::Stdout::lock();
                if let Some(intro) = &intro {
                    writeln!(out, "{}", sanitize::one_line(intro))?;
                }
                let exit = Plain::new(walk, journal, io::stdin().lock(), out)
                    .with_dir(dir.clone())
                    .with_encrypted(encrypted)
                    .run()?;
                Ok(match exit {
                    PlainExit::Unsaved { .. } => 1,
                    _ => 0,
                })
            },
            screen: |walk, journal: &mut dyn Journal, presentation| {
                tui::walk::run_with(walk, journal, intro.clone(), presentation, |app| {
                    app.original = original;
                    app.notice = start.notice;
                    app.first_run = start.first_run;
                    app.encrypted = start.encrypted;
                })
            },
            report: |exit, _| match exit {
                Exit::Open(next) => {
                    *offer.borrow_mut() = Some(next);
                    Ok(0)
                }
                Exit::Discarded => writeln!(io::stdout().lock(), "{discarded}").map(|_| 0),
                exit => after_walk(exit, dir.as_deref()),
            },
        },
    );
    // The walk is over: its session is no longer open in this window (the
    // browser or the start screen may offer it again, here or elsewhere).
    if let Some(store) = store {
        store.release_all();
    }
    let code = code?;
    Ok(match offer.into_inner() {
        Some(next) => Walked::Open(next),
        None => Walked::Code(code),
    })
}

/// What a walk left with nothing kept says: a new walk kept nothing; a
/// resumed walk or a follow-up left its session as it was, and the line
/// says how to come back to it.
pub fn discarded_line(original: Option<&Session>) -> String {
    use journal::review::{SessionState, state};
    let Some(session) = original else {
        return "Nothing was kept.".to_string();
    };
    let id = sanitize::one_line(&session.id);
    match state(session) {
        SessionState::FollowUpWaiting => format!(
            "Nothing changed: session {id} still waits for its follow-up (repair follow-up {id} opens it)."
        ),
        SessionState::Unfinished => format!(
            "Nothing changed: session {id} is still unfinished (repair --resume {id} goes on with it)."
        ),
        SessionState::Finished => format!("Nothing changed: session {id} is as it was."),
    }
}

/// What to say once the full screen of a walk has closed (a signal or a
/// failed terminal is said by [`run`]).
pub fn after_walk(exit: Exit, dir: Option<&Path>) -> io::Result<u8> {
    let mut out = io::stdout().lock();
    match exit {
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
        Exit::Discarded | Exit::Open(_) => Ok(0),
        Exit::Unsaved { session, error } => {
            eprintln!(
                "repair: your notes could not be saved: {}",
                sanitize::one_line(&error.to_string())
            );
            writeln!(out, "Your notes, so nothing is lost:")
                .and_then(|_| write_notes(&mut out, &session))
                .map(|_| 1)
        }
        // Made into `Ended::Signal` by the walk's program.
        Exit::Signal { .. } => Ok(1),
    }
}

/// The exit status for a run stopped by signal `number`.
pub fn signal_code(number: i32) -> u8 {
    (128 + number) as u8
}

/// What [`say_saved`] said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    /// `Saved NOUN ID.`
    Saved,
    /// The save failed: said on stderr; the exit status is 1.
    Failed,
    /// Nothing was saved: the mode says why.
    Nothing,
}

/// Says the last save of a full-screen mode that saves as it goes (its
/// program's `saved`): `Saved NOUN ID.`, or on stderr `repair: the NOUN
/// could not be saved: ERROR`.
pub fn say_saved(out: &mut impl Write, saved: Saved, noun: &str) -> io::Result<Said> {
    match saved {
        Saved::As(id) => writeln!(out, "Saved {noun} {id}.").map(|_| Said::Saved),
        Saved::Failed(error) => {
            eprintln!(
                "repair: the {noun} could not be saved: {}",
                sanitize::one_line(&error.to_string())
            );
            Ok(Said::Failed)
        }
        Saved::Nothing => Ok(Said::Nothing),
    }
}
