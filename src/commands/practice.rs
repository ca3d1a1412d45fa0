//! `repair` and `repair practice`: the walk-through, full screen or plain.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use super::open_store;
use crate::cli::{Cli, PracticeArgs};
use crate::error::Error;
use crate::journal::review;
use crate::journal::{self, Journal, Listed, NoSave, Session, Store};
use crate::plain::{self, Plain, PlainExit};
use crate::practice::{Walk, WalkOptions};
use crate::protocol::{self, Protocol};
use crate::sanitize;
use crate::settings::{self, Choices, Settings};
use crate::tui::theme::Theme;
use crate::tui::{
    self, Presentation,
    app::{Exit, Offer},
};

/// The flags that have a setting behind them, from the command line.
pub fn flags(cli: &Cli, args: &PracticeArgs) -> settings::Flags {
    settings::Flags {
        data_dir: cli.data_dir.clone(),
        color: cli.color,
        protocol: args.protocol.clone(),
        pause_seconds: args.scan_seconds,
        save: if args.save {
            Some(true)
        } else if args.no_save {
            Some(false)
        } else {
            None
        },
    }
}

/// The walk-through. `choices` holds the protocol, pause length, saving and
/// look, already weighed against the settings `file`.
pub fn run(
    data_dir: Option<&Path>,
    args: &PracticeArgs,
    file: &Settings,
    choices: &Choices,
) -> Result<u8, Error> {
    if let Some(id) = &args.resume {
        return resume(data_dir, args, id, file, choices);
    }
    // The command line is checked first, so a typo creates nothing on disk.
    let protocol = match &choices.protocol {
        Some(name) => {
            let found = protocol::resolve(name, journal::data_dir(data_dir).ok().as_deref());
            match found {
                // A protocol named in the settings that does not exist is a
                // mistake in the settings: point at the line.
                Err(error) if choices.protocol_from_file && is_unknown_name(&error, name) => {
                    let mut message = error.first().map_or(String::new(), |p| p.message.clone());
                    if message.starts_with("there is no file here") {
                        message = format!(
                            "there is no protocol file at {}; check the path",
                            sanitize::one_line(name)
                        );
                    }
                    match file.problem("protocol", &message) {
                        Some(problem) => return Err(Error::Settings(problem.into())),
                        None => return Err(error.into()),
                    }
                }
                found => found?,
            }
        }
        None => protocol::builtin(),
    };
    let drill = drill(&protocol, args)?;
    let deck: Vec<String> = protocol.scenarios.iter().map(|s| s.id.clone()).collect();
    // Then the data dir, before anything is typed: nobody should write for
    // ten minutes and then learn the notes cannot be kept.
    let front = Front::choose(args.plain);
    let store = if choices.save {
        Some(front.open_store(data_dir, &Presentation::from_choices(choices).theme)?)
    } else {
        None
    };
    let started_at = journal::local_now();
    let walk = Walk::new(
        protocol,
        WalkOptions {
            drill,
            pause_seconds: choices.pause_seconds,
        },
        journal::new_session_id(&started_at),
        started_at,
    );
    let notice = match (&store, front) {
        (Some(store), Front::Screen) => start_notice(store, started_at, &deck),
        _ => None,
    };
    let first_run = store.as_ref().is_some_and(no_sessions_yet);
    let encrypted = store
        .as_ref()
        .is_some_and(|s| s.encryption() != crate::journal::lock::Mode::Off);
    walk_through_with(
        walk,
        store,
        front,
        None,
        None,
        Start {
            notice,
            first_run,
            encrypted,
        },
        file,
        choices,
    )
}

/// Which front end runs a walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    Screen,
    Plain,
}

impl Front {
    /// Opens the data directory; encrypted notes are unlocked on the full
    /// screen's masked prompt (drawn in `theme`) or on the terminal's line,
    /// to match.
    pub fn open_store(self, data_dir: Option<&Path>, theme: &Theme) -> Result<Store, Error> {
        match self {
            Front::Screen => super::open_store_on(data_dir, Some(theme)),
            Front::Plain => open_store(data_dir),
        }
    }

    /// Plain lines when asked, or when stdin or stdout is not a terminal.
    pub fn choose(plain: bool) -> Front {
        let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
        if plain || !interactive {
            Front::Plain
        } else {
            Front::Screen
        }
    }
}

/// How far back the start screen looks for follow-ups and unfinished
/// sessions: ids begin with the date, so older files are not even read and
/// the first frame stays fast with years of sessions on disk.
/// (`repair follow-up` and `repair notes` show all of them.)
pub const NOTICE_DAYS: i64 = 28;

/// The start screen's quiet line: follow-ups waiting (Ctrl-F opens the
/// newest), the newest unfinished session (Ctrl-R resumes it), and drill
/// cards due today (of `deck`).
fn start_notice(
    store: &Store,
    now: chrono::DateTime<chrono::FixedOffset>,
    deck: &[String],
) -> Option<(String, Vec<Offer>)> {
    let since = (now - chrono::Duration::days(NOTICE_DAYS))
        .format("%Y%m%d")
        .to_string();
    let sessions: Vec<Session> = store
        .list_where(|id| id.get(..8).is_some_and(|day| day >= since.as_str()))
        .into_iter()
        .filter_map(|l| match l {
            Listed::Session(s) => Some(s),
            Listed::Unreadable { .. } => None,
        })
        // An empty walk (kept by an older version: no notes, no pause)
        // is nothing to come back to.
        .filter(|s| s.mode != "practice" || !is_empty_walk(s))
        .collect();
    let pending: Vec<&Session> = sessions
        .iter()
        .filter(|s| review::is_pending_follow_up(s))
        .collect();
    // Only a walk resumes as a walk: an unfinished prep or rehearsal is
    // not offered here.
    let unfinished = sessions
        .iter()
        .rev()
        .find(|s| review::is_unfinished(s) && s.mode == "practice");
    let mut parts = Vec::new();
    let mut offers = Vec::new();
    if let Some(text) = review::follow_up_notice(&pending)
        && let Some(newest) = pending.last()
    {
        parts.push(format!("{text} · Ctrl-F opens it"));
        offers.push(Offer::FollowUp(newest.id.clone()));
    }
    if let Some(session) = unfinished {
        parts.push(format!(
            "Unfinished from {} · Ctrl-R resumes it",
            review::day(session)
        ));
        offers.push(Offer::Resume(session.id.clone()));
    }
    let due = super::drill::due_today(store, deck, now);
    if due > 0 {
        let cards = if due == 1 { "card" } else { "cards" };
        parts.push(format!("{due} {cards} due · repair drill"));
    }
    (!parts.is_empty()).then(|| (parts.join(" · "), offers))
}

/// What the start screen of a new walk says besides the walk itself.
#[derive(Default)]
struct Start {
    /// The quiet line about follow-ups waiting or an unfinished walk.
    notice: Option<(String, Vec<Offer>)>,
    /// No session saved yet: the first screen says once more, plainly,
    /// what to do.
    first_run: bool,
    /// Notes are encrypted at rest already (so the first screen does not
    /// offer to turn it on).
    encrypted: bool,
}

/// Whether the store holds no session at all (decided from the file names;
/// no file is read).
fn no_sessions_yet(store: &Store) -> bool {
    let seen = std::cell::Cell::new(false);
    store.list_where(|_| {
        seen.set(true);
        false
    });
    !seen.get()
}

/// A practice session with no notes and no pause taken on any step.
fn is_empty_walk(session: &Session) -> bool {
    session
        .steps
        .iter()
        .all(|s| s.notes.trim().is_empty() && s.pause_seconds.is_none())
}

/// `--resume ID`: the unfinished session, continued where it stopped.
fn resume(
    data_dir: Option<&Path>,
    args: &PracticeArgs,
    id: &str,
    file: &Settings,
    choices: &Choices,
) -> Result<u8, Error> {
    let front = Front::choose(args.plain);
    let store = front.open_store(data_dir, &Presentation::from_choices(choices).theme)?;
    let session = store.load(id)?;
    if !review::is_unfinished(&session) {
        return Err(Error::NotUnfinished(session.id));
    }
    if session.mode != "practice" {
        return Err(Error::ResumeOtherMode {
            id: session.id,
            mode: session.mode,
        });
    }
    let protocol = protocol_of(&session, args.protocol.as_deref(), data_dir)?;
    let walk = Walk::resume(protocol, &session, choices.pause_seconds);
    let intro = format!("Resuming the session of {}.", review::when(&session));
    // --no-save: continue, but keep nothing of this run.
    let store = choices.save.then_some(store);
    walk_through(
        walk,
        store,
        front,
        Some(intro),
        Some(session),
        file,
        choices,
    )
}

/// The protocol a saved session was made with: `--protocol` if given, else
/// the built-in one or the data dir's file of that name.
pub fn protocol_of(
    session: &Session,
    flag: Option<&str>,
    data_dir: Option<&Path>,
) -> Result<Protocol, Error> {
    let name = flag.unwrap_or(&session.protocol);
    protocol::resolve(name, journal::data_dir(data_dir).ok().as_deref()).map_err(|e| {
        Error::ProtocolGone {
            id: session.id.clone(),
            protocol: name.to_string(),
            reason: e.to_string(),
        }
    })
}

/// Runs a walk on the chosen front end, saving into `store` (none for
/// `--no-save`). `intro` is said first; `original` is the saved session a
/// resumed or follow-up walk started from (a discard puts it back).
/// `file` and `choices` are the settings, for the look and for any walk the
/// full screen hands over to.
pub fn walk_through(
    walk: Walk,
    store: Option<Store>,
    front: Front,
    intro: Option<String>,
    original: Option<Session>,
    file: &Settings,
    choices: &Choices,
) -> Result<u8, Error> {
    walk_through_with(
        walk,
        store,
        front,
        intro,
        original,
        Start::default(),
        file,
        choices,
    )
}

#[allow(clippy::too_many_arguments)]
fn walk_through_with(
    walk: Walk,
    mut store: Option<Store>,
    front: Front,
    intro: Option<String>,
    original: Option<Session>,
    start: Start,
    file: &Settings,
    choices: &Choices,
) -> Result<u8, Error> {
    let store_dir = store.as_ref().map(|s| s.dir().to_path_buf());
    let encrypted = store
        .as_ref()
        .is_some_and(|s| s.encryption() != crate::journal::lock::Mode::Off);
    let mut no_save = NoSave;
    let journal: &mut dyn Journal = match store.as_mut() {
        Some(store) => store,
        None => &mut no_save,
    };
    let signals = crate::signals::listen().map_err(Error::Terminal)?;
    if front == Front::Plain {
        plain::exit_on_signal(signals);
        if let Some(intro) = &intro {
            println!("{}", sanitize::one_line(intro));
        }
        let stdin = io::stdin().lock();
        let dir = store_dir.clone();
        let exit = Plain::new(walk, journal, stdin, io::stdout().lock())
            .with_dir(dir)
            .with_encrypted(encrypted)
            .run()
            .map_err(Error::Output)?;
        return Ok(match exit {
            PlainExit::Unsaved { .. } => 1,
            _ => 0,
        });
    }
    let presentation = Presentation::from_choices(choices);
    let exit = tui::run_with(walk, journal, intro, signals, presentation, |app| {
        app.original = original;
        app.notice = start.notice;
        app.first_run = start.first_run;
        app.encrypted = start.encrypted;
    })
    .map_err(Error::Terminal)?;
    if let Exit::Open(offer) = &exit {
        let data_dir = store.as_ref().map(|s| s.dir().to_path_buf());
        if let Some(store) = &store {
            super::hand_over(store);
        }
        drop(store);
        return match offer {
            Offer::FollowUp(id) => {
                super::follow_up::run(data_dir.as_deref(), Some(id), false, file, choices)
            }
            Offer::Resume(id) => run(
                data_dir.as_deref(),
                &PracticeArgs {
                    resume: Some(id.clone()),
                    ..PracticeArgs::default()
                },
                file,
                choices,
            ),
        };
    }
    let dir = store.as_ref().map(|s| s.dir().to_path_buf());
    after_full_screen(exit, dir.as_deref())
}

/// One line after a save: where the notes are and how to find them again.
pub fn where_notes_are(out: &mut impl Write, dir: Option<&Path>) -> io::Result<()> {
    match dir {
        Some(dir) => writeln!(
            out,
            "Your notes are in {}; `repair notes` shows them.",
            sanitize::one_line(&dir.display().to_string())
        ),
        None => writeln!(out, "`repair notes` shows your notes."),
    }
}

/// Whether resolving `name` failed only because no protocol has that name
/// (rather than because its file has mistakes, which point into the file).
fn is_unknown_name(error: &protocol::ProtocolError, name: &str) -> bool {
    error.first().is_some_and(|p| {
        p.path == sanitize::one_line(name)
            && (p.message.starts_with("no protocol named")
                // A path in the settings with no file there.
                || p.message.starts_with("there is no file here"))
    })
}

/// The step to drill, checked against the protocol.
fn drill(protocol: &Protocol, args: &PracticeArgs) -> Result<Option<String>, Error> {
    let wanted = if args.focus {
        match &protocol.focus {
            Some(id) => Some(id.clone()),
            None => return Err(Error::NoFocus(protocol.id.clone())),
        }
    } else {
        args.step.clone()
    };
    if let Some(id) = &wanted
        && protocol.step(id).is_none()
    {
        return Err(Error::UnknownStep {
            protocol: protocol.id.clone(),
            step: id.clone(),
            known: protocol
                .steps
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(wanted)
}

/// What to say once the full screen has closed.
pub(crate) fn after_full_screen(exit: Exit, dir: Option<&Path>) -> Result<u8, Error> {
    let mut out = io::stdout().lock();
    let result = match exit {
        Exit::Finished { id, saved: true } => writeln!(out, "Saved session {id}.")
            .and_then(|_| where_notes_are(&mut out, dir))
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
        .and_then(|_| where_notes_are(&mut out, dir))
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
            eprintln!(
                "repair: the terminal stopped working: {}",
                sanitize::one_line(&error)
            );
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
            Ok((128 + number) as u8)
        }
    };
    result.map_err(Error::Output)
}
