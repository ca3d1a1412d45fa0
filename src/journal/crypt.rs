//! Encryption of notes at rest: the key that seals session files, the file
//! that holds it, and the rules for turning encryption on and off without
//! ever costing a note (the migrations themselves are in `reseal.rs`; this
//! module depends on nothing else of the store).
//!
//! # On disk
//!
//! * `<data>/identity.age`: an age x25519 identity, itself encrypted with the
//!   passphrase (age's scrypt recipient). Its presence means *on*.
//! * `<data>/identity-retiring.age`: the same file, renamed at the start of
//!   `repair notes decrypt`. Its presence means *turning off*.
//! * `sessions/<id>.json.age`: a session sealed to the identity (binary age
//!   format); `sessions/<id>.json`: a session in plain JSON, as before.
//!
//! * `<data>/identity.pub`: the identity's public recipient (`age1…`), in
//!   the clear (it can only encrypt). A save compares the key it holds with
//!   it, so a passphrase change (which re-wraps the same key) does not stop
//!   an open walk from saving, while a new key does. Stores made before it
//!   existed compare the identity file's bytes instead, until `encrypt` or
//!   `passphrase` writes it.
//!
//! Neither identity file: *off*, exactly as before encryption existed,
//! unless sealed sessions are there: then the key file is *missing* (taken
//! away, or lost), and nothing is written in plain text beside them (see
//! [`sealed_sessions_in`]); the store says what is missing and how to
//! restore it.
//!
//! # Which form of a session is current
//!
//! Every save writes the form of the current mode atomically (see
//! [`super::write_atomic`]: temp file, fsync, rename, fsync of the directory)
//! and only then removes the other form. A migration does the same, one
//! session at a time. So within one mode, whenever both forms of an id exist,
//! the form matching the mode is the newer (or an identical copy), and reads
//! prefer it. Before the mode changes, [`super::Store::settle`] (in `reseal.rs`) removes every such
//! stale twin, so the rule still holds in the next mode.
//!
//! # Crash safety
//!
//! `encrypt` (from *off*): settle; write `identity.age` atomically (mode is
//! now *on*); seal each plain session (write `.json.age`, then remove
//! `.json`); done. A kill before `identity.age` lands leaves everything plain
//! and unchanged. A kill after leaves *on* with a mix of forms, each readable
//! (reads accept both); running `encrypt` again asks for the passphrase once
//! and seals the rest.
//!
//! `decrypt` (from *on*): unlock; settle; rename `identity.age` to
//! `identity-retiring.age` (atomic; mode is now *turning off*: saves write
//! plain, reads prefer plain and can still open sealed files); unseal each
//! sealed session (write `.json`, then remove `.json.age`); remove
//! `identity-retiring.age` last. A kill at any point leaves each session in
//! at least one complete form and the identity that opens it; running
//! `decrypt` again finishes. `encrypt` during *turning off* renames the file
//! back and seals again.
//!
//! Nothing is written before the passphrase has been checked, and a plain
//! copy of a note only ever exists in memory (in [`Zeroizing`] buffers) while
//! encryption is on.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::{ExposeSecret, SecretString};
use age::x25519;
use zeroize::Zeroizing;

/// The passphrase-protected identity: its presence means encryption is on.
pub const IDENTITY: &str = "identity.age";
/// The identity during `repair notes decrypt`.
pub const RETIRING: &str = "identity-retiring.age";
/// The suffix of a sealed session file.
pub const SEALED: &str = ".json.age";
/// The identity's public recipient, written beside the identity file.
pub const RECIPIENT: &str = "identity.pub";

/// How many sealed session files `sessions` holds (0 when it cannot be
/// listed: the caller's own reads report that). With no identity file,
/// any at all means the key is missing, not that encryption is off.
pub fn sealed_sessions_in(sessions: &Path) -> usize {
    fs::read_dir(sessions)
        .map(|entries| sealed_among(&entries.filter_map(Result::ok).collect::<Vec<_>>()))
        .unwrap_or(0)
}

/// [`sealed_sessions_in`] over the entries of `sessions/` already read.
pub fn sealed_among(entries: &[fs::DirEntry]) -> usize {
    entries
        .iter()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && name.ends_with(SEALED)
        })
        .count()
}

/// Whether `bytes` can be an identity file: an age file encrypted to a
/// passphrase. Damage found without the passphrase (a truncated or
/// overwritten file); the rest shows when it is opened.
pub fn looks_like_identity(bytes: &[u8]) -> bool {
    age::Decryptor::new(bytes).is_ok_and(|d| d.is_scrypt())
}

/// Whether notes are encrypted at rest, decided by which identity file exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    /// Sessions are plain JSON.
    Off,
    /// Sessions are written sealed.
    On,
    /// A `decrypt` is under way (or was interrupted): sessions are written
    /// plain, and sealed ones can still be read.
    TurningOff,
}

impl Encryption {
    /// The mode of the data directory `dir`.
    pub fn of(dir: &Path) -> io::Result<Encryption> {
        if exists(&dir.join(IDENTITY))? {
            Ok(Encryption::On)
        } else if exists(&dir.join(RETIRING))? {
            Ok(Encryption::TurningOff)
        } else {
            Ok(Encryption::Off)
        }
    }

    /// Whether saves write sealed files.
    pub fn seals(self) -> bool {
        self == Encryption::On
    }

    /// The identity file of this mode, if any.
    pub fn identity_file(self) -> Option<&'static str> {
        match self {
            Encryption::Off => None,
            Encryption::On => Some(IDENTITY),
            Encryption::TurningOff => Some(RETIRING),
        }
    }
}

fn exists(path: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// The unlocked identity. Its secret is zeroized when it is dropped (every
/// copy: a clone only exists to hand the key from the browser to the walk it
/// opens); it is never printed (its `Debug` shows nothing of it).
#[derive(Clone)]
pub struct Key {
    identity: x25519::Identity,
    recipient: x25519::Recipient,
    /// The identity file this key was opened from (or written as): a save
    /// seals only while that file is still the store's key.
    wrapped: Vec<u8>,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(..)")
    }
}

/// Why an identity file could not be opened.
#[derive(Debug, PartialEq, Eq)]
pub enum UnwrapError {
    WrongPassphrase,
    Damaged,
}

impl Key {
    /// A new random identity.
    pub fn generate() -> Key {
        let identity = x25519::Identity::generate();
        let recipient = identity.to_public();
        Key {
            identity,
            recipient,
            wrapped: Vec::new(),
        }
    }

    /// Records the identity file just written for this key (see
    /// [`Key::matches`]).
    pub(super) fn remember_wrapped(&mut self, wrapped: Vec<u8>) {
        self.wrapped = wrapped;
    }

    /// Whether the data directory `dir` (whose identity file is `identity`)
    /// still has this key (read under the store's lock before each sealed
    /// save): its recipient file names this key's recipient; or, in a store
    /// without one, the identity file is the one this key came from.
    pub fn matches(&self, dir: &Path, identity: &str) -> bool {
        match fs::read_to_string(dir.join(RECIPIENT)) {
            Ok(text) => text.trim() == self.recipient.to_string(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::read(dir.join(identity))
                .is_ok_and(|bytes| !bytes.is_empty() && bytes == self.wrapped),
            Err(_) => false,
        }
    }

    /// The content of the recipient file for this key.
    pub fn recipient_line(&self) -> String {
        format!("{}\n", self.recipient)
    }

    /// Encrypts a session file's bytes to this identity.
    pub fn seal(&self, plain: &[u8]) -> io::Result<Vec<u8>> {
        age::encrypt(&self.recipient, plain).map_err(io::Error::other)
    }

    /// An age stream sealed to this identity, written to `out` as the
    /// bytes arrive (a recorded response: never whole in memory, never in
    /// the clear on disk). `finish` writes the last chunk.
    pub fn seal_stream<W: io::Write>(&self, out: W) -> io::Result<age::stream::StreamWriter<W>> {
        let recipient: &dyn age::Recipient = &self.recipient;
        age::Encryptor::with_recipients(std::iter::once(recipient))
            .map_err(io::Error::other)?
            .wrap_output(out)
    }

    /// Decrypts a sealed session file, or says why not.
    pub fn open(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, super::Unreadable> {
        age::decrypt(&self.identity, sealed)
            .map(Zeroizing::new)
            .map_err(|_| super::Unreadable::OtherKey)
    }

    /// The identity file's content: the identity encrypted with `passphrase`.
    pub fn wrap(&self, passphrase: &SecretString) -> io::Result<Vec<u8>> {
        let secret = self.identity.to_string();
        let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
        if let Some(log_n) = test_work_factor() {
            recipient.set_work_factor(log_n);
        }
        age::encrypt(&recipient, secret.expose_secret().as_bytes()).map_err(io::Error::other)
    }

    /// Opens an identity file's content with `passphrase`.
    pub fn unwrap(wrapped: &[u8], passphrase: &SecretString) -> Result<Key, UnwrapError> {
        let scrypt = age::scrypt::Identity::new(passphrase.clone());
        let plain = match age::decrypt(&scrypt, wrapped) {
            Ok(plain) => Zeroizing::new(plain),
            Err(
                age::DecryptError::DecryptionFailed
                | age::DecryptError::KeyDecryptionFailed
                | age::DecryptError::NoMatchingKeys,
            ) => return Err(UnwrapError::WrongPassphrase),
            Err(_) => return Err(UnwrapError::Damaged),
        };
        let text = std::str::from_utf8(&plain).map_err(|_| UnwrapError::Damaged)?;
        let identity = x25519::Identity::from_str(text.trim()).map_err(|_| UnwrapError::Damaged)?;
        let recipient = identity.to_public();
        Ok(Key {
            identity,
            recipient,
            wrapped: wrapped.to_vec(),
        })
    }
}

/// The environment variable that lowers scrypt's work factor for the
/// test suite (see `test_work_factor` below).
pub const TEST_WORK_FACTOR_ENV: &str = "REPAIR_TEST_SCRYPT_LOG_N";

/// A lower scrypt work factor (log2 of N) for wrapping the key, for tests
/// only: age tunes scrypt to about a second per use, which made the
/// encryption tests take most of a minute.
///
/// This cannot weaken a user's real store: it is compiled only into debug
/// builds (`cfg(debug_assertions)`: `cargo test` and `cargo build`, never
/// `cargo install` or `--release`) and then read only from
/// `REPAIR_TEST_SCRYPT_LOG_N`, which the tests set for the commands they
/// run and nothing else sets. It only changes how a *new* identity file is
/// wrapped; unwrapping reads the factor from the file, so a test store and
/// a real one are opened the same way. Unit tests of this crate use it
/// without the variable.
fn test_work_factor() -> Option<u8> {
    if cfg!(test) {
        return Some(10);
    }
    if !cfg!(debug_assertions) {
        return None;
    }
    match TEST_WORK_FACTOR.load(std::sync::atomic::Ordering::Relaxed) {
        0 => {}
        n => return Some(n),
    }
    std::env::var(TEST_WORK_FACTOR_ENV)
        .ok()?
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=20).contains(n))
}

static TEST_WORK_FACTOR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// The lower work factor (see `test_work_factor`) for a test that uses the library in its own
/// process (the integration tests); does nothing in a release build.
pub fn lower_work_factor_for_tests(log_n: u8) {
    if cfg!(debug_assertions) && (1..=20).contains(&log_n) {
        TEST_WORK_FACTOR.store(log_n, std::sync::atomic::Ordering::Relaxed);
    }
}

/// What a migration did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Migrated {
    /// Sessions converted to the new form.
    pub converted: usize,
    /// Files that could not be read, left exactly as they were.
    pub left: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_round_trips_and_a_wrong_passphrase_is_told_apart() {
        let key = Key::generate();
        let pass = SecretString::from("correct horse".to_string());
        let wrapped = key.wrap(&pass).expect("wrap");
        let back = Key::unwrap(&wrapped, &pass).expect("unwrap");
        let sealed = key.seal(b"{\"a\":1}").expect("seal");
        assert_eq!(back.open(&sealed).expect("open").as_slice(), b"{\"a\":1}");
        let wrong = SecretString::from("wrong".to_string());
        assert_eq!(
            Key::unwrap(&wrapped, &wrong).err(),
            Some(UnwrapError::WrongPassphrase)
        );
        assert_eq!(
            Key::unwrap(b"not age", &pass).err(),
            Some(UnwrapError::Damaged)
        );
        assert!(Key::generate().open(&sealed).is_err());
        assert_eq!(format!("{key:?}"), "Key(..)");
    }
}
