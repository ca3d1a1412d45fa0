//! Encryption of notes at rest: the key that seals session files, the file
//! that holds it, and turning encryption on and off without ever costing a
//! note.
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
//! Neither identity file: *off*, exactly as before encryption existed.
//!
//! # Which form of a session is current
//!
//! Every save writes the form of the current mode atomically (see
//! [`super::write_atomic`]: temp file, fsync, rename, fsync of the directory)
//! and only then removes the other form. A migration does the same, one
//! session at a time. So within one mode, whenever both forms of an id exist,
//! the form matching the mode is the newer (or an identical copy), and reads
//! prefer it. Before the mode changes, [`Store::settle`] removes every such
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

use super::store::{
    Store, StoreError, check_id, io_err, parse_session, sessions_in, sync_dir, write_atomic,
};

/// The passphrase-protected identity: its presence means encryption is on.
pub const IDENTITY: &str = "identity.age";
/// The identity during `repair notes decrypt`.
pub const RETIRING: &str = "identity-retiring.age";
/// The suffix of a sealed session file.
pub const SEALED: &str = ".json.age";

/// Whether notes are encrypted at rest, decided by which identity file exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Sessions are plain JSON.
    Off,
    /// Sessions are written sealed.
    On,
    /// A `decrypt` is under way (or was interrupted): sessions are written
    /// plain, and sealed ones can still be read.
    TurningOff,
}

impl Mode {
    /// The mode of the data directory `dir`.
    pub fn of(dir: &Path) -> Result<Mode, StoreError> {
        if exists(&dir.join(IDENTITY))? {
            Ok(Mode::On)
        } else if exists(&dir.join(RETIRING))? {
            Ok(Mode::TurningOff)
        } else {
            Ok(Mode::Off)
        }
    }

    /// Whether saves write sealed files.
    pub fn seals(self) -> bool {
        self == Mode::On
    }

    /// The identity file of this mode, if any.
    pub fn identity_file(self) -> Option<&'static str> {
        match self {
            Mode::Off => None,
            Mode::On => Some(IDENTITY),
            Mode::TurningOff => Some(RETIRING),
        }
    }
}

fn exists(path: &Path) -> Result<bool, StoreError> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(path)(e)),
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

    /// Whether the identity file at `path` is still the one this key came
    /// from (read under the store's lock before each sealed save).
    pub fn matches(&self, path: &Path) -> bool {
        fs::read(path).is_ok_and(|bytes| !bytes.is_empty() && bytes == self.wrapped)
    }

    /// Encrypts a session file's bytes to this identity.
    pub fn seal(&self, plain: &[u8]) -> io::Result<Vec<u8>> {
        age::encrypt(&self.recipient, plain).map_err(io::Error::other)
    }

    /// Decrypts a sealed session file, or says in a few words why not.
    pub fn open(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
        age::decrypt(&self.identity, sealed)
            .map(Zeroizing::new)
            .map_err(|_| "it is encrypted, but not with this data directory's key".to_string())
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
/// test suite (see [`test_work_factor`]).
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

/// [`test_work_factor`] for a test that uses the library in its own
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

impl Store {
    /// Turns encryption on from *off*: a new identity, wrapped with
    /// `passphrase`, written atomically as `identity.age`. Call
    /// [`Store::seal_all`] next.
    pub fn begin_encryption(&mut self, passphrase: &SecretString) -> Result<(), StoreError> {
        self.settle()?;
        let mut key = Key::generate();
        let path = self.dir.join(IDENTITY);
        let wrapped = key.wrap(passphrase).map_err(io_err(&path))?;
        write_atomic(&path, &wrapped)?;
        key.wrapped = wrapped;
        self.mode = Mode::On;
        self.key = Some(key);
        Ok(())
    }

    /// Turns an interrupted `decrypt` back into *on* (the store must be
    /// unlocked). Call [`Store::seal_all`] next.
    pub fn resume_encryption(&mut self) -> Result<(), StoreError> {
        self.require_key()?;
        self.settle()?;
        let from = self.dir.join(RETIRING);
        let to = self.dir.join(IDENTITY);
        fs::rename(&from, &to).map_err(io_err(&from))?;
        sync_dir(&self.dir)?;
        self.mode = Mode::On;
        Ok(())
    }

    /// Starts turning encryption off (the store must be unlocked): the
    /// identity file is renamed so saves write plain from now on. Call
    /// [`Store::unseal_all`] next, then [`Store::finish_decryption`].
    pub fn begin_decryption(&mut self) -> Result<(), StoreError> {
        self.require_key()?;
        self.settle()?;
        let from = self.dir.join(IDENTITY);
        let to = self.dir.join(RETIRING);
        fs::rename(&from, &to).map_err(io_err(&from))?;
        sync_dir(&self.dir)?;
        self.mode = Mode::TurningOff;
        Ok(())
    }

    /// Removes the retiring identity once no sealed session is left. If one
    /// is (it could not be read), the identity is kept so nothing is lost.
    pub fn finish_decryption(&mut self) -> Result<bool, StoreError> {
        let sealed_left = sessions_in(&self.sessions_dir())?
            .into_iter()
            .any(|(_, forms)| forms.sealed.is_some());
        if sealed_left {
            return Ok(false);
        }
        let path = self.dir.join(RETIRING);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&path)(e)),
        }
        sync_dir(&self.dir)?;
        self.mode = Mode::Off;
        self.key = None;
        Ok(true)
    }

    /// Seals every plain session, one at a time: the sealed file is written
    /// atomically before the plain one is removed.
    pub fn seal_all(&mut self) -> Result<Migrated, StoreError> {
        let key = self.require_key()?;
        let mut done = Migrated::default();
        for (id, forms) in sessions_in(&self.sessions_dir())? {
            let Some(plain_path) = forms.plain else {
                continue;
            };
            if forms.sealed.is_some() {
                // Settled before the mode changed, so the sealed twin is the
                // newer (or an equal) copy.
                remove_durably(&plain_path)?;
                continue;
            }
            let Some(bytes) = read_checked(&plain_path, &id, |b| Ok(Zeroizing::new(b))) else {
                done.left.push(plain_path);
                continue;
            };
            let sealed_path = plain_path.with_file_name(format!("{id}{SEALED}"));
            let sealed = key.seal(&bytes).map_err(io_err(&sealed_path))?;
            write_atomic(&sealed_path, &sealed)?;
            remove_durably(&plain_path)?;
            done.converted += 1;
        }
        Ok(done)
    }

    /// Unseals every sealed session: the plain file is written atomically
    /// before the sealed one is removed.
    pub fn unseal_all(&mut self) -> Result<Migrated, StoreError> {
        let key = self.require_key()?;
        let mut done = Migrated::default();
        for (id, forms) in sessions_in(&self.sessions_dir())? {
            let Some(sealed_path) = forms.sealed else {
                continue;
            };
            if forms.plain.is_some() {
                remove_durably(&sealed_path)?;
                continue;
            }
            let Some(bytes) = read_checked(&sealed_path, &id, |b| key.open(&b)) else {
                done.left.push(sealed_path);
                continue;
            };
            let plain_path = sealed_path.with_file_name(format!("{id}.json"));
            write_atomic(&plain_path, &bytes)?;
            remove_durably(&sealed_path)?;
            done.converted += 1;
        }
        Ok(done)
    }

    /// Removes, for every id saved in both forms, the form that does not
    /// match the current mode (the stale one, see the module docs).
    pub fn settle(&self) -> Result<(), StoreError> {
        for (_, forms) in sessions_in(&self.sessions_dir())? {
            if let (Some(plain), Some(sealed)) = (forms.plain, forms.sealed) {
                remove_durably(if self.mode.seals() { &plain } else { &sealed })?;
            }
        }
        Ok(())
    }

    pub(super) fn require_key(&self) -> Result<&Key, StoreError> {
        self.key.as_ref().ok_or(StoreError::Locked)
    }
}

/// Reads a session file, turns it into plain JSON with `open`, and checks it
/// is a session under `id`; None (leave it alone) if any of that fails.
fn read_checked(
    path: &Path,
    id: &str,
    open: impl FnOnce(Vec<u8>) -> Result<Zeroizing<Vec<u8>>, String>,
) -> Option<Zeroizing<Vec<u8>>> {
    check_id(id).ok()?;
    let raw = fs::read(path).ok()?;
    let plain = open(raw).ok()?;
    parse_session(&plain, id).ok()?;
    Some(plain)
}

fn remove_durably(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(path)(e)),
    }
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Listed, Session, StepRecord, StepStatus};

    fn pass() -> SecretString {
        SecretString::from("correct horse".to_string())
    }

    fn session(id: &str, notes: &str) -> Session {
        Session {
            id: id.to_string(),
            mode: "practice".to_string(),
            protocol: "rupture-repair".to_string(),
            protocol_title: "Rupture repair".to_string(),
            drill: None,
            started_at: chrono::DateTime::parse_from_rfc3339("2024-01-01T09:00:00+01:00")
                .expect("test timestamp"),
            finished_at: None,
            complete: false,
            steps: vec![StepRecord {
                id: "scan".to_string(),
                title: "Scan".to_string(),
                status: StepStatus::Done,
                notes: notes.to_string(),
                pause_seconds: None,
            }],
            extra: Default::default(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn only_sessions(store: &Store) -> Vec<Session> {
        store
            .list()
            .into_iter()
            .map(|l| match l {
                Listed::Session(s) => s,
                Listed::Unreadable { path, reason } => {
                    panic!("{} unreadable: {reason}", path.display())
                }
            })
            .collect()
    }

    #[test]
    fn a_stale_twin_left_by_a_kill_is_never_preferred_and_is_settled_away() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        store.save(&session(id, "old plain")).expect("save plain");
        store.begin_encryption(&pass()).expect("on");
        let new = session(id, "newer sealed");
        store.save(&new).expect("save sealed");
        let sessions = tmp.path().join("sessions");
        assert_eq!(names(&sessions), [format!("{id}.json.age")]);
        // A save killed after writing the sealed file, before removing the
        // plain one: both forms, the sealed one newer.
        fs::write(
            store.session_path(id),
            serde_json::to_vec(&session(id, "old plain")).expect("json"),
        )
        .expect("write");
        assert_eq!(store.load(id).expect("load"), new);
        assert_eq!(only_sessions(&store), std::slice::from_ref(&new));
        // Turning off settles first, so the stale plain copy never wins.
        store.begin_decryption().expect("begin off");
        assert_eq!(names(&sessions), [format!("{id}.json.age")]);
        assert_eq!(store.unseal_all().expect("unseal").converted, 1);
        assert!(store.finish_decryption().expect("finish"));
        assert_eq!(names(tmp.path()), ["sessions"]);
        assert_eq!(names(&sessions), [format!("{id}.json")]);
        assert_eq!(store.load(id).expect("load"), new);
    }

    #[test]
    fn an_interrupted_decrypt_reads_both_forms_and_encrypt_takes_it_back() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(tmp.path()).expect("open");
        let (a, b) = ("20240101-090000-aaaa", "20240102-090000-bbbb");
        store.begin_encryption(&pass()).expect("on");
        store.save(&session(a, "first")).expect("save");
        store.save(&session(b, "second")).expect("save");
        store.begin_decryption().expect("begin off");
        // Killed here: one session converted by a save, one still sealed.
        store
            .save(&session(a, "first, edited"))
            .expect("save plain");
        drop(store);

        let mut store = Store::open(tmp.path()).expect("reopen");
        assert_eq!(store.encryption(), Mode::TurningOff);
        assert!(store.is_locked());
        assert!(matches!(
            store.save(&session(a, "x")),
            Err(StoreError::Locked)
        ));
        assert!(matches!(store.load(b), Err(StoreError::Locked)));
        assert_eq!(
            store.load(a).expect("plain needs no key").steps[0].notes,
            "first, edited"
        );
        store.unlock(&pass()).expect("unlock");
        let listed = only_sessions(&store);
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[1].steps[0].notes, "second");

        store.resume_encryption().expect("back on");
        assert_eq!(store.seal_all().expect("seal").converted, 1);
        assert_eq!(names(tmp.path()), ["identity.age", "sessions"]);
        assert_eq!(
            names(&tmp.path().join("sessions")),
            [format!("{a}.json.age"), format!("{b}.json.age")]
        );
        assert_eq!(store.load(a).expect("load").steps[0].notes, "first, edited");
    }

    #[test]
    fn a_locked_store_reads_and_writes_nothing_of_the_notes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        store.begin_encryption(&pass()).expect("on");
        store.save(&session(id, "sealed away")).expect("save");
        drop(store);
        let before = names(&tmp.path().join("sessions"));
        let store = Store::open(tmp.path()).expect("reopen");
        assert!(store.is_locked());
        assert!(matches!(
            store.save(&session(id, "x")),
            Err(StoreError::Locked)
        ));
        assert!(matches!(store.load(id), Err(StoreError::Locked)));
        match &store.list()[..] {
            [Listed::Unreadable { reason, .. }] => {
                assert!(reason.contains("passphrase"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(names(&tmp.path().join("sessions")), before);
        let wrong = SecretString::from("nope".to_string());
        let mut store = store;
        assert!(matches!(
            store.unlock(&wrong),
            Err(StoreError::WrongPassphrase)
        ));
        assert!(store.is_locked());
    }

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
