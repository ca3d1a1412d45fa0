//! One module per command: each takes its parsed arguments and returns an
//! exit status or an [`Error`], which `main` prints in one place.

pub mod drill;
pub mod encryption;
pub mod follow_up;
pub mod history;
pub mod manual;
pub mod notes;
pub mod practice;
pub mod prep;
pub mod protocols;
pub mod rehearse;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Error;
use crate::journal::lock::{Key, Mode};
use crate::journal::{self, Store, StoreError};
use crate::tui::passphrase::Asked;
use crate::tui::theme::Theme;
use crate::{passphrase, sanitize, tui};

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
    if store.is_locked() {
        let handed = HANDED_OVER
            .lock()
            .ok()
            .and_then(|mut slot| slot.take())
            .filter(|(dir, _)| dir == store.dir());
        match (handed, screen) {
            (Some((_, key)), _) => store.unlock_with(key),
            (None, Some(theme)) if passphrase::from_terminal() => {
                unlock_on_screen(&mut store, theme)?
            }
            (None, _) => unlock(&mut store)?,
        }
    }
    Ok(store)
}

/// The full-screen prompt's answer, as an error where it is one.
fn unlock_on_screen(store: &mut Store, theme: &Theme) -> Result<(), Error> {
    match tui::passphrase::ask(store, *theme).map_err(Error::Terminal)? {
        Asked::Unlocked => Ok(()),
        Asked::Wrong => Err(Error::WrongPassphrase),
        Asked::Cancelled => Err(Error::PassphraseInterrupted),
        Asked::Failed(reason) => Err(Error::Terminal(std::io::Error::other(reason))),
        // Nothing was open yet, so there is nothing to save: the terminal is
        // already restored, and the exit status says which signal it was.
        Asked::Signal(number) => std::process::exit(128 + number),
    }
}

/// The key the history browser unlocked, waiting for the walk it hands over
/// to (a follow-up or a resume opens the store again), so the passphrase is
/// asked once per run. The next [`open_store`] takes it out; it never stays.
static HANDED_OVER: Mutex<Option<(PathBuf, Key)>> = Mutex::new(None);

/// Leaves this store's key for the next [`open_store`] of the same run.
pub fn hand_over(store: &Store) {
    if let (Some(key), Ok(mut slot)) = (store.hand_over(), HANDED_OVER.lock()) {
        *slot = Some((store.dir().to_path_buf(), key));
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
    if store.is_locked() {
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
    if store.is_locked() {
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
    if store.encryption() != Mode::Off {
        eprintln!(
            "repair: {what} plaintext: your notes are encrypted on disk, but this copy is not."
        );
    }
}
