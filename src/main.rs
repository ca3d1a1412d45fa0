//! `repair`: parse the command line, run the command, and turn the outcome
//! into one line on stderr and an exit status. Errors are printed here only.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use repair_practice::cli::{Cli, Command, ExportFormat, NotesCommand, PracticeArgs};
use repair_practice::error::Error;
use repair_practice::journal::{self, Journal, Listed, NoSave, Store};
use repair_practice::plain::{self, Plain, PlainExit};
use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::{self, Protocol};
use repair_practice::sanitize;
use repair_practice::tui::{self, app::Exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.practice_flags_given() && !matches!(cli.command, None | Some(Command::Practice(_))) {
        Cli::command()
            .error(
                ErrorKind::ArgumentConflict,
                "the practice flags (--protocol, --step, --focus, --scan-seconds, --no-save, --plain) \
                 go with `repair` or `repair practice` only",
            )
            .exit();
    }
    let result = match cli.command {
        None => practice(cli.data_dir.as_deref(), &cli.practice),
        Some(Command::Practice(ref args)) => {
            let args = args.or(&cli.practice);
            if args.step.is_some() && args.focus {
                Cli::command()
                    .error(
                        ErrorKind::ArgumentConflict,
                        "--step and --focus both pick the step to drill; give only one",
                    )
                    .exit();
            }
            practice(cli.data_dir.as_deref(), &args)
        }
        Some(Command::Validate { ref files }) => Ok(validate(files)),
        Some(Command::Protocols) => protocols(cli.data_dir.as_deref()),
        Some(Command::Notes { ref command }) => notes(cli.data_dir.as_deref(), command),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("repair: {}", sanitize::one_line(&error.to_string()));
            ExitCode::from(error.exit_code() as u8)
        }
    }
}

/// Opens the data directory, printing any notice (such as tightened modes).
fn open_store(flag: Option<&Path>) -> Result<Store, Error> {
    let dir = journal::data_dir(flag)?;
    let store = Store::open(&dir)?;
    for notice in store.notices() {
        eprintln!("repair: {}", sanitize::one_line(notice));
    }
    Ok(store)
}

fn practice(data_dir: Option<&Path>, args: &PracticeArgs) -> Result<u8, Error> {
    // The command line is checked first, so a typo creates nothing on disk.
    let protocol = match &args.protocol {
        Some(name) => protocol::resolve(name, journal::data_dir(data_dir).ok().as_deref())?,
        None => protocol::builtin(),
    };
    let drill = drill(&protocol, args)?;
    // Then the data dir, before anything is typed: nobody should write for
    // ten minutes and then learn the notes cannot be kept.
    let mut store = if args.no_save {
        None
    } else {
        Some(open_store(data_dir)?)
    };
    let started_at = journal::local_now();
    let walk = Walk::new(
        protocol,
        WalkOptions {
            drill,
            pause_seconds: args.scan_seconds,
        },
        journal::new_session_id(&started_at),
        started_at,
    );
    let mut no_save = NoSave;
    let journal: &mut dyn Journal = match store.as_mut() {
        Some(store) => store,
        None => &mut no_save,
    };
    let signals = repair_practice::signals::listen().map_err(Error::Terminal)?;
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
    let exit = tui::run(walk, journal, None, signals).map_err(Error::Terminal)?;
    after_full_screen(exit)
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

/// `repair validate FILE...`: every problem, one per line, on stderr.
fn validate(files: &[std::path::PathBuf]) -> u8 {
    let mut ok = true;
    for file in files {
        if let Err(error) = protocol::load_file(file) {
            ok = false;
            for problem in &error.problems {
                eprintln!("{problem}");
            }
        }
    }
    u8::from(!ok)
}

/// `repair protocols`: the built-in one, then the data dir's, errors shown.
fn protocols(data_dir: Option<&Path>) -> Result<u8, Error> {
    let dir = journal::data_dir(data_dir).ok();
    let mut out = io::stdout().lock();
    for entry in protocol::catalogue(dir.as_deref()) {
        let place = entry
            .path
            .as_ref()
            .map_or("built in".to_owned(), |p| p.display().to_string());
        let line = match &entry.outcome {
            Ok(s) => format!(
                "{}  {} step{}  {}  ({})",
                entry.name,
                s.steps,
                if s.steps == 1 { "" } else { "s" },
                s.title,
                place
            ),
            Err(problem) => format!("{}  invalid: {}", entry.name, problem),
        };
        writeln!(out, "{}", sanitize::one_line(&line)).map_err(Error::Output)?;
    }
    Ok(0)
}

fn notes(data_dir: Option<&Path>, command: &NotesCommand) -> Result<u8, Error> {
    match command {
        NotesCommand::Path => {
            let dir = journal::data_dir(data_dir)?;
            println!("{}", sanitize::one_line(&dir.display().to_string()));
            Ok(0)
        }
        NotesCommand::Export {
            format: ExportFormat::Json,
        } => {
            let store = open_store(data_dir)?;
            let mut sessions = Vec::new();
            for listed in store.list() {
                match listed {
                    Listed::Session(s) => sessions.push(s),
                    Listed::Unreadable { path, reason } => eprintln!(
                        "repair: skipped {}: {}",
                        sanitize::one_line(&path.display().to_string()),
                        sanitize::one_line(&reason)
                    ),
                }
            }
            let json = journal::export_json(&sessions);
            // JSON escapes every control character, so this is safe on a
            // terminal and byte-exact in a file.
            io::stdout()
                .lock()
                .write_all(json.as_bytes())
                .map_err(Error::Output)?;
            Ok(0)
        }
    }
}
