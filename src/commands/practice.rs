//! `repair` and `repair practice`: the walk-through, full screen or plain.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use super::open_store;
use crate::cli::{Cli, PracticeArgs};
use crate::error::Error;
use crate::journal::{self, Journal, NoSave};
use crate::plain::{self, Plain, PlainExit};
use crate::practice::{Walk, WalkOptions};
use crate::protocol::{self, Protocol};
use crate::sanitize;
use crate::settings::{self, Choices, Settings};
use crate::tui::{self, Presentation, app::Exit};

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
    // The command line is checked first, so a typo creates nothing on disk.
    let protocol = match &choices.protocol {
        Some(name) => {
            let found = protocol::resolve(name, journal::data_dir(data_dir).ok().as_deref());
            match found {
                // A protocol named in the settings that does not exist is a
                // mistake in the settings: point at the line.
                Err(error) if choices.protocol_from_file && is_unknown_name(&error, name) => {
                    let message = error.first().map_or(String::new(), |p| p.message.clone());
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
    // Then the data dir, before anything is typed: nobody should write for
    // ten minutes and then learn the notes cannot be kept.
    let mut store = if choices.save {
        Some(open_store(data_dir)?)
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
    let mut no_save = NoSave;
    let journal: &mut dyn Journal = match store.as_mut() {
        Some(store) => store,
        None => &mut no_save,
    };
    let signals = crate::signals::listen().map_err(Error::Terminal)?;
    let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
    if args.plain || !interactive {
        plain::exit_on_signal(signals);
        let stdin = io::stdin().lock();
        let exit = Plain::new(walk, journal, stdin, io::stdout().lock())
            .run()
            .map_err(Error::Output)?;
        return Ok(match exit {
            PlainExit::Unsaved { .. } => 1,
            _ => 0,
        });
    }
    let presentation = Presentation::from_choices(choices);
    let exit =
        tui::run_with(walk, journal, None, signals, presentation).map_err(Error::Terminal)?;
    after_full_screen(exit)
}

/// Whether resolving `name` failed only because no protocol has that name
/// (rather than because its file has mistakes, which point into the file).
fn is_unknown_name(error: &protocol::ProtocolError, name: &str) -> bool {
    error.first().is_some_and(|p| {
        p.path == sanitize::one_line(name) && p.message.starts_with("no protocol named")
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
fn after_full_screen(exit: Exit) -> Result<u8, Error> {
    let mut out = io::stdout().lock();
    let result = match exit {
        Exit::Finished { id, saved: true } => writeln!(out, "Saved session {id}.").map(|_| 0),
        Exit::Finished { saved: false, .. } => {
            writeln!(out, "Nothing was saved (--no-save).").map(|_| 0)
        }
        Exit::Unfinished { id } => writeln!(
            out,
            "Saved unfinished session {id}. It is kept with your notes."
        )
        .map(|_| 0),
        Exit::Discarded => Ok(0),
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
