//! `repair notes encrypt` and `repair notes decrypt`: turning encryption of
//! notes at rest on and off. The order of the steps, and why a kill at any
//! instant loses nothing, is set out in [`crate::journal::crypt`]; running
//! either command again finishes an interrupted one.

use std::path::Path;

use age::secrecy::{ExposeSecret, SecretString};

use super::{hold, open_store_locked, unlock};
use crate::error::Error;
use crate::journal::crypt::{Encryption, IDENTITY, Migrated, sealed_sessions_in};
use crate::journal::{Store, StoreError, write_atomic};
use crate::passphrase;
use crate::sanitize;

/// `repair notes encrypt`.
///
/// The passphrase is asked before the data directory's lock is taken, so
/// no other window waits on typing; under the lock the mode is read again,
/// since another command may have changed it meanwhile.
///
/// A new key is never made over sealed sessions whose key file is missing
/// or damaged unless `force` says so (with a warning): those sessions could
/// then be read by nothing but the old key file, so the first thing to try
/// is restoring it from a backup.
pub fn encrypt(data_dir: Option<&Path>, force: bool) -> Result<u8, Error> {
    let mut store = open_store_locked(data_dir)?;
    let trouble = key_trouble(&store);
    if let Some(trouble) = &trouble {
        if !force {
            return Err(trouble.refusal(&store));
        }
        eprintln!(
            "repair: warning: making a new key. The {} encrypted session{} here cannot be read with it; they are kept as they are, and open again only if the old identity.age is put back.",
            trouble.sealed,
            if trouble.sealed == 1 { "" } else { "s" }
        );
    }
    // Already on: only an interrupted encrypt (plain files left) needs the
    // passphrase; otherwise there is nothing to do.
    if trouble.is_none() && store.encryption() == Encryption::On && plain_files_left(&store) == 0 {
        println!(
            "Your notes are already encrypted; nothing to do. `repair notes passphrase` changes the passphrase."
        );
        return Ok(0);
    }
    let mut chosen = None;
    match (store.encryption(), &trouble) {
        (Encryption::Off, _) | (_, Some(_)) => chosen = Some(new_passphrase()?),
        (Encryption::On | Encryption::TurningOff, None) => unlock(&mut store)?,
    }
    // Held from here to the end: a second encrypt, a decrypt or an import
    // waits, and no save lands meanwhile.
    hold(&mut store)?;
    // Read again under the lock: if another command mended the key
    // meanwhile, this goes on as an ordinary encrypt below.
    if trouble.is_some()
        && let Some(now) = key_trouble(&store)
    {
        if now.damaged {
            let aside = store.set_aside_damaged_identity()?;
            eprintln!(
                "repair: the damaged key file was moved aside as {}.",
                sanitize::one_line(&aside.display().to_string())
            );
        }
        let first = match chosen.take() {
            Some(first) => first,
            None => new_passphrase()?,
        };
        store.begin_encryption_over_sealed(&first)?;
        let done = store.seal_all()?;
        report_left(&done, "encrypted");
        println!(
            "Your notes are encrypted with a new key ({} session{} converted now). Keep your passphrase safe: it cannot be recovered.",
            done.converted,
            if done.converted == 1 { "" } else { "s" }
        );
        return Ok(0);
    }
    if store.encryption() != Encryption::Off && store.needs_unlocking() {
        // Turned on by another command while this one waited: the
        // passphrase just chosen may well be the one it used.
        let opened = chosen.as_ref().is_some_and(|p| store.unlock(p).is_ok());
        if !opened {
            unlock(&mut store)?;
        }
    }
    match store.encryption() {
        Encryption::Off => {
            let first = match chosen {
                Some(first) => first,
                None => new_passphrase()?,
            };
            store.begin_encryption(&first)?;
        }
        Encryption::On => store.ensure_recipient()?,
        Encryption::TurningOff => store.resume_encryption()?,
    }
    let done = store.seal_all()?;
    report_left(&done, "encrypted");
    println!(
        "Your notes are encrypted ({} session{} converted now). Keep your passphrase safe: it cannot be recovered.",
        done.converted,
        if done.converted == 1 { "" } else { "s" }
    );
    Ok(0)
}

/// Sealed sessions whose key cannot be had: the identity file is missing
/// (none is there, yet sealed sessions are) or damaged (it is not an
/// identity file at all).
struct KeyTrouble {
    sealed: usize,
    damaged: bool,
}

impl KeyTrouble {
    fn refusal(&self, store: &Store) -> Error {
        Error::NewKeyOverSealed {
            dir: store.dir().to_path_buf(),
            sealed: self.sealed,
            damaged: self.damaged,
        }
    }
}

fn key_trouble(store: &Store) -> Option<KeyTrouble> {
    let sealed = sealed_sessions_in(&store.dir().join("sessions"));
    if store.encryption() == Encryption::Off {
        return (sealed > 0).then_some(KeyTrouble {
            sealed,
            damaged: false,
        });
    }
    store.identity_damaged().then_some(KeyTrouble {
        sealed,
        damaged: true,
    })
}

/// Asks for a new passphrase twice; it must be long enough and the same.
/// One too short (or empty) is said so and asked again, three times in all,
/// as a wrong passphrase is.
fn new_passphrase() -> Result<SecretString, Error> {
    eprintln!(
        "Choose a passphrase for your notes. Keep it safe: if it is lost, the notes cannot be recovered."
    );
    eprintln!(
        "At least {} characters; a few words are easy to remember and hard to guess.",
        passphrase::MIN_LEN
    );
    let mut tries = 0;
    let first = loop {
        tries += 1;
        let first = passphrase::ask("New passphrase: ")?;
        match passphrase::check_new(&first) {
            Ok(()) => break first,
            Err(e @ (Error::PassphraseTooShort { .. } | Error::PassphraseEmpty))
                if tries < NEW_TRIES =>
            {
                let left = NEW_TRIES - tries;
                eprintln!(
                    "repair: {}; try again ({left} {} left).",
                    short_reason(&e),
                    if left == 1 { "try" } else { "tries" }
                );
            }
            Err(e) => return Err(e),
        }
    };
    let again = passphrase::ask("The same passphrase again: ")?;
    if first.expose_secret() != again.expose_secret() {
        return Err(Error::PassphrasesDiffer);
    }
    Ok(first)
}

/// How many times a new passphrase may be given too short.
const NEW_TRIES: usize = 3;

/// The error's first clause (what was wrong), without "nothing was
/// changed": the question is asked again.
fn short_reason(e: &Error) -> String {
    let text = e.to_string();
    let cut = text
        .find("; nothing was changed")
        .or_else(|| text.find("; choose one"));
    text[..cut.unwrap_or(text.len())].to_string()
}

/// Session files still stored plain in an encrypted data directory (left by
/// an interrupted `encrypt`).
fn plain_files_left(store: &Store) -> usize {
    std::fs::read_dir(store.dir().join("sessions"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                .count()
        })
        .unwrap_or(0)
}

/// `repair notes passphrase`: the key that seals the notes is wrapped anew
/// with a new passphrase and written in one atomic step; the sessions are
/// sealed to the key, not the passphrase, so none is rewritten. A kill at
/// any instant leaves either the old identity file or the new one.
pub fn change_passphrase(data_dir: Option<&Path>) -> Result<u8, Error> {
    let mut store = open_store_locked(data_dir)?;
    if let Some(missing) = store.key_missing() {
        return Err(missing.into());
    }
    match store.encryption() {
        Encryption::Off => return Err(Error::NotEncrypted),
        Encryption::TurningOff => return Err(Error::DecryptUnderWay),
        Encryption::On => {}
    }
    eprintln!("First the passphrase you use now.");
    unlock(&mut store)?;
    let new = new_passphrase()?;
    // The identity file is rewritten under the data directory's lock, so
    // no encrypt or decrypt can change the key in between; the mode is
    // read again under it.
    hold(&mut store)?;
    match store.encryption() {
        Encryption::Off => return Err(Error::NotEncrypted),
        Encryption::TurningOff => return Err(Error::DecryptUnderWay),
        Encryption::On => {}
    }
    if store.needs_unlocking() {
        unlock(&mut store)?;
    }
    let key = store
        .hand_over()
        .ok_or_else(|| Error::Terminal(std::io::Error::other("the notes did not unlock")))?;
    // The recipient first (a store encrypted before it existed has none),
    // so open walks compare the key, which stays, not this file.
    store.ensure_recipient()?;
    let path = store.dir().join(IDENTITY);
    let wrapped = key.wrap(&new).map_err(|e| {
        Error::Store(StoreError::Io {
            path: path.clone(),
            source: e,
        })
    })?;
    write_atomic(&path, &wrapped)?;
    println!(
        "Your passphrase is changed; the old one no longer opens your notes. Keep the new one safe: it cannot be recovered."
    );
    Ok(0)
}

/// `repair notes decrypt` (the passphrase asked before the lock, as for
/// encrypt).
pub fn decrypt(data_dir: Option<&Path>) -> Result<u8, Error> {
    let mut store = open_store_locked(data_dir)?;
    // "Not encrypted" would be untrue: sealed sessions are here, their key
    // file is not.
    if let Some(missing) = store.key_missing() {
        return Err(missing.into());
    }
    if store.encryption() != Encryption::Off {
        unlock(&mut store)?;
    }
    hold(&mut store)?;
    if store.encryption() != Encryption::Off && store.needs_unlocking() {
        unlock(&mut store)?;
    }
    match store.encryption() {
        Encryption::Off => {
            println!("Your notes are not encrypted; there is nothing to do.");
            return Ok(0);
        }
        Encryption::On => store.begin_decryption()?,
        Encryption::TurningOff => {}
    }
    let done = store.unseal_all()?;
    report_left(&done, "decrypted");
    if !store.finish_decryption()? {
        return Err(still_sealed(&store));
    }
    println!(
        "Your notes are stored as plain files again ({} session{} converted now).",
        done.converted,
        if done.converted == 1 { "" } else { "s" }
    );
    Ok(0)
}

fn report_left(done: &Migrated, what: &str) {
    for path in &done.left {
        eprintln!(
            "repair: {} cannot be read, so it was not {what}; it is left exactly as it was.",
            sanitize::one_line(&path.display().to_string())
        );
    }
}

fn still_sealed(store: &Store) -> Error {
    Error::StillSealed(store.dir().to_path_buf())
}
