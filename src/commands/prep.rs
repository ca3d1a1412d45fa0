//! `repair prep`: before a difficult session, full screen or plain.

use std::io::{self, Write};
use std::path::Path;

use crate::cli::PrepArgs;
use crate::error::Error;
use crate::journal::{self, Journal, NoSave, Session, Store};
use crate::plain::prep::{self as plain_prep, PrepExit, write_pocket_card};
use crate::practice::prep::Prep;
use crate::protocol::{self, Protocol};
use crate::sanitize;
use crate::settings::Settings;
use crate::tui::Presentation;
use crate::tui::prep::{self as tui_prep, Outcome};

/// `settings` gives the defaults (protocol, the prep pause, saving) that
/// flags did not; `presentation` the theme and bell.
pub fn run(
    data_dir: Option<&Path>,
    args: &PrepArgs,
    settings: &Settings,
    presentation: Presentation,
) -> Result<u8, Error> {
    let protocol = match args.protocol.as_ref().or(settings.protocol.as_ref()) {
        Some(name) => protocol::resolve(name, journal::data_dir(data_dir).ok().as_deref())?,
        None => protocol::builtin(),
    };
    // The data dir is checked before the scan, not after five minutes of it.
    let front = super::practice::Front::choose(args.plain);
    let store = if args.no_save || !settings.save {
        None
    } else {
        Some(front.open_store(data_dir, &presentation.theme)?)
    };
    let started_at = journal::local_now();
    let prep = Prep::new(
        protocol,
        Some(args.scan_seconds.unwrap_or(settings.prep_pause())),
        journal::new_session_id(&started_at),
        started_at,
    );
    go(prep, store, front, presentation)
}

/// Continues an unfinished prep session as a prep (issue 9 item 4), for
/// `repair practice --resume ID` and Ctrl-R to hand over to when the session
/// they were given is a prep. `store` is where it is saved back (the same
/// id, replacing the unfinished version); `None` keeps nothing of this run.
/// The protocol is the one the session was made with.
pub fn resume(
    session: &Session,
    protocol: Protocol,
    store: Option<Store>,
    plain: bool,
    settings: &Settings,
    presentation: Presentation,
) -> Result<u8, Error> {
    let front = super::practice::Front::choose(plain);
    let prep = Prep::resume(protocol, session, Some(settings.prep_pause()));
    go(prep, store, front, presentation)
}

/// Runs `prep` on the chosen front end, saving into `store` if any.
fn go(
    prep: Prep,
    mut store: Option<Store>,
    front: super::practice::Front,
    presentation: Presentation,
) -> Result<u8, Error> {
    let mut no_save = NoSave;
    let journal: &mut dyn Journal = match store.as_mut() {
        Some(store) => store,
        None => &mut no_save,
    };
    let signals = crate::signals::listen().map_err(Error::Terminal)?;
    if front == super::practice::Front::Plain {
        // Nothing is saved before the end of a plain prep, so a signal
        // simply ends it.
        std::thread::spawn(move || {
            if let Ok(number) = signals.recv() {
                eprintln!("Stopped by a signal; nothing was saved.");
                std::process::exit(128 + number);
            }
        });
        let exit = plain_prep::run(prep, journal, io::stdin().lock(), io::stdout().lock())
            .map_err(Error::Output)?;
        return Ok(match exit {
            PrepExit::Unsaved { .. } => 1,
            _ => 0,
        });
    }
    let outcome = tui_prep::run(prep, journal, signals, presentation).map_err(Error::Terminal)?;
    after_full_screen(outcome).map_err(Error::Output)
}

/// Prints the pocket card on the main screen, where it stays after the
/// full screen has closed, and says what was saved.
fn after_full_screen(outcome: Outcome) -> io::Result<u8> {
    let mut out = io::stdout().lock();
    let saved_line =
        |out: &mut io::StdoutLock, saved: &Option<Result<String, String>>, what| match saved {
            Some(Ok(id)) => writeln!(out, "Saved {what}session {id}.").map(|_| 0),
            Some(Err(error)) => {
                eprintln!(
                    "repair: the prep could not be saved: {}",
                    sanitize::one_line(error)
                );
                Ok(1)
            }
            None => Ok(0),
        };
    match outcome {
        Outcome::Finished { prep, saved } => {
            if prep.is_empty() {
                writeln!(out, "{}", plain_prep::NOTHING_KEPT)?;
                return Ok(0);
            }
            write_pocket_card(&mut out, &prep)?;
            if saved.is_none() {
                writeln!(out, "{}", journal::SAVING_OFF)?;
            }
            saved_line(&mut out, &saved, "")
        }
        Outcome::Left { prep, saved } => {
            if prep.is_empty() {
                writeln!(out, "{}", plain_prep::NOTHING_KEPT)?;
                return Ok(0);
            }
            if prep.has_answers() {
                write_pocket_card(&mut out, &prep)?;
            }
            if saved.is_none() {
                writeln!(out, "{}", journal::SAVING_OFF)?;
            }
            saved_line(&mut out, &saved, "unfinished ")
        }
        Outcome::Signal { number, saved } => {
            match saved {
                Some(Ok(id)) => eprintln!("repair: stopped; saved unfinished session {id}."),
                _ => eprintln!("repair: stopped."),
            }
            Ok((128 + number) as u8)
        }
        Outcome::Failed(error) => {
            eprintln!(
                "repair: the terminal stopped working: {}",
                sanitize::one_line(&error)
            );
            Ok(1)
        }
    }
}
