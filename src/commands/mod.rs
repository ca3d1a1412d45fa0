//! One module per command: each takes its parsed arguments and returns an
//! exit status or an [`Error`], which `main` prints in one place.

pub mod deck;
pub mod drill;
pub mod encryption;
pub mod follow_up;
pub mod history;
pub mod manual;
pub mod notes;
pub mod practice;
pub mod prep;
pub mod protocols;
pub mod recording;
pub mod rehearse;
pub mod report;
pub mod sessions;
pub mod shell;

use std::io::{self, IsTerminal};
use std::path::Path;

use crate::error::Error;
use crate::journal::crypt::Encryption;
use crate::journal::{self, Store, StoreError};
use crate::protocol::{self, NotFound, Protocol, ProtocolError};
use crate::settings::{Choices, Settings};
use crate::tui::Presentation;
use crate::tui::passphrase::Asked;
use crate::tui::terminal::Ended;
use crate::tui::theme::Theme;
use crate::{passphrase, sanitize, tui};

/// What every command runs with, built once in `main`: the data directory
/// (as the flags, environment and settings chose it), the settings file,
/// the choices weighed from flags, environment and file, and the look.
#[derive(Debug, Clone)]
pub struct Context {
    pub settings: Settings,
    pub choices: Choices,
    pub presentation: Presentation,
}

impl Context {
    pub fn new(settings: Settings, choices: Choices) -> Self {
        let presentation = Presentation::from_choices(&choices);
        Context {
            settings,
            choices,
            presentation,
        }
    }

    /// The data directory named by a flag, the environment or the settings
    /// (`None`: the platform's data folder).
    pub fn data_dir(&self) -> Option<&Path> {
        self.choices.data_dir.as_deref()
    }

    /// The protocol this run uses: the flag, else the setting, else the
    /// built-in one. A protocol named in the settings that does not exist is
    /// a mistake in the settings: the error points at its line.
    pub fn protocol(&self) -> Result<Protocol, Error> {
        let Some(name) = &self.choices.protocol else {
            return Ok(protocol::builtin());
        };
        match self.named_protocol(name) {
            Err(error) if self.choices.protocol_from_file && is_unknown_name(&error, name) => {
                let message = match error.not_found {
                    Some(NotFound::File) => format!(
                        "there is no protocol file at {}; check the path",
                        sanitize::one_line(name)
                    ),
                    _ => error.first().map_or(String::new(), |p| p.message.clone()),
                };
                match self.settings.problem("protocol", &message) {
                    Some(problem) => Err(Error::Settings(problem.into())),
                    None => Err(error.into()),
                }
            }
            found => Ok(found?),
        }
    }

    /// [`Context::protocol`] for a mode that deals no cards, with the ids
    /// of its deck (to count the cards due). The built-in protocol's cards
    /// are then not read at all, which keeps them off the first frame.
    pub fn protocol_and_deck_ids(&self) -> Result<(Protocol, Vec<String>), Error> {
        if self.choices.protocol.is_none() {
            return Ok(protocol::builtin_without_deck());
        }
        let protocol = self.protocol()?;
        let deck = protocol.scenarios.iter().map(|s| s.id.clone()).collect();
        Ok((protocol, deck))
    }

    /// The protocol called `name` (built in, in the data directory's
    /// protocols, or a file's path): the one place a name becomes a protocol.
    pub fn named_protocol(&self, name: &str) -> Result<Protocol, ProtocolError> {
        protocol::resolve(name, journal::data_dir(self.data_dir()).ok().as_deref())
    }

    /// Opens the data directory for a run on `front`: encrypted notes are
    /// unlocked on the full screen's masked prompt or on the terminal's
    /// line, to match.
    /// A store whose key file is missing is refused here, before anything
    /// is typed: nothing may be written in plain text beside sealed notes.
    pub fn open_store(&self, front: Front) -> Result<Store, Error> {
        let store = match front {
            Front::Screen => open_store_on(self.data_dir(), Some(&self.presentation.theme)),
            Front::Plain => open_store(self.data_dir()),
        }?;
        match store.key_missing() {
            Some(missing) => Err(missing.into()),
            None => Ok(store),
        }
    }

    /// [`Context::open_store`] when `save` (the flag or setting that keeps
    /// anything) says so; `None`, with nothing on disk touched, otherwise.
    pub fn store_if(&self, save: bool, front: Front) -> Result<Option<Store>, Error> {
        save.then(|| self.open_store(front)).transpose()
    }
}

/// Which front end runs a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    Screen,
    Plain,
}

impl Front {
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

/// The step to drill: `--step`, else with `--focus` the protocol's step of
/// the month, else `otherwise`; checked against the protocol.
pub fn pick_step(
    protocol: &Protocol,
    step: Option<&str>,
    focus: bool,
    otherwise: Option<String>,
) -> Result<Option<String>, Error> {
    let wanted = match (step, focus) {
        (Some(id), _) => Some(id.to_string()),
        (None, true) => match &protocol.focus {
            Some(id) => Some(id.clone()),
            None => return Err(Error::NoFocus(protocol.id.clone())),
        },
        (None, false) => otherwise,
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

/// Whether resolving `name` failed only because no protocol has that name,
/// or no file is at that path (rather than because its file has mistakes,
/// which point into the file).
fn is_unknown_name(error: &ProtocolError, name: &str) -> bool {
    error.not_found.is_some()
        && error
            .first()
            .is_some_and(|p| p.path == sanitize::one_line(name))
}

/// Opens the data directory, printing any notice (such as tightened modes),
/// and, if the notes are encrypted, asks for the passphrase (once per run)
/// on the terminal's own line.
pub fn open_store(flag: Option<&Path>) -> Result<Store, Error> {
    open_store_on(flag, None)
}

/// [`open_store`] for a command about to open the full screen: the
/// passphrase, if needed, is asked in a masked box on the full screen
/// (`theme`), unless it comes from `--passphrase-fd`. With `None`, it is
/// asked on a masked line of the terminal, as plain mode does.
pub fn open_store_on(flag: Option<&Path>, screen: Option<&Theme>) -> Result<Store, Error> {
    let mut store = open_store_locked(flag)?;
    if store.needs_unlocking() {
        match screen {
            Some(theme) if passphrase::from_terminal() => unlock_on_screen(&mut store, theme)?,
            _ => unlock(&mut store)?,
        }
    }
    Ok(store)
}

/// The full-screen prompt's answer, as an error where it is one.
fn unlock_on_screen(store: &mut Store, theme: &Theme) -> Result<(), Error> {
    match tui::passphrase::ask(store, *theme).map_err(Error::Terminal)? {
        Ended::Done(Asked::Unlocked) => Ok(()),
        Ended::Done(Asked::Wrong) => Err(Error::WrongPassphrase),
        Ended::Done(Asked::Cancelled) => Err(Error::PassphraseInterrupted),
        Ended::Failed { error, .. } => Err(Error::Terminal(error)),
        // Nothing was open yet, so there is nothing to save: the terminal is
        // already restored, and the exit status says which signal it was.
        Ended::Signal { number, .. } => std::process::exit(128 + number),
    }
}

/// [`open_store`] without unlocking: for turning encryption on and off.
pub fn open_store_locked(flag: Option<&Path>) -> Result<Store, Error> {
    let dir = journal::data_dir(flag)?;
    let store = Store::open(&dir)?;
    for notice in store.notices() {
        eprintln!("repair: {}", sanitize::one_line(notice));
    }
    Ok(store)
}

/// Takes the data directory's lock for a command that changes the store as
/// a whole (encrypt, decrypt, import, delete), saying on stderr, once, when
/// it waits for another repair command to finish first.
pub fn hold(store: &mut Store) -> Result<(), Error> {
    let dir = sanitize::one_line(&store.dir().display().to_string()).into_owned();
    store.hold(|| {
        eprintln!(
            "repair: another repair command is changing the notes in {dir}; waiting for it to finish."
        )
    })?;
    Ok(())
}

/// [`hold`] for a command that had unlocked the store before: if the
/// encryption changed while it waited, the passphrase is asked again.
pub fn hold_unlocked(store: &mut Store) -> Result<(), Error> {
    hold(store)?;
    if store.needs_unlocking() {
        unlock(store)?;
    }
    Ok(())
}

/// [`open_store`] for a command that only reads (list, show, export,
/// stats): a read-only data directory (a backup, a snapshot) works.
pub fn open_store_to_read(flag: Option<&Path>) -> Result<Store, Error> {
    let dir = journal::data_dir(flag)?;
    let mut store = Store::open_to_read(&dir)?;
    for notice in store.notices() {
        eprintln!("repair: {}", sanitize::one_line(notice));
    }
    if store.needs_unlocking() {
        unlock(&mut store)?;
    }
    Ok(store)
}

/// How many times a wrong passphrase may be given.
const TRIES: usize = 3;

/// Asks for the passphrase until it opens the key, at most three times.
/// Nothing is written in between.
pub fn unlock(store: &mut Store) -> Result<(), Error> {
    for attempt in 1..=TRIES {
        let passphrase = passphrase::ask("Passphrase for your notes: ")?;
        match store.unlock(&passphrase) {
            Ok(()) => return Ok(()),
            Err(StoreError::WrongPassphrase) if attempt < TRIES => {
                let left = TRIES - attempt;
                eprintln!(
                    "repair: that passphrase is not right; try again ({left} {} left).",
                    if left == 1 { "try" } else { "tries" }
                );
            }
            Err(StoreError::WrongPassphrase) => return Err(Error::WrongPassphrase),
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::WrongPassphrase)
}

/// When notes are encrypted, says on stderr that what is printed is not.
pub fn say_plaintext(store: &Store, what: &str) {
    if store.encryption() != Encryption::Off {
        eprintln!(
            "repair: {what} plaintext: your notes are encrypted on disk, but this copy is not."
        );
    }
}
