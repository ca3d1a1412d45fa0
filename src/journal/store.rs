//! The private data directory and the session files in it.
//!
//! Notes written here are clinical reflections, so the store is strict:
//!
//! * the data directory and `sessions/` are created owner-only (0700) at
//!   creation, never loosened afterwards; an existing directory that is open
//!   to others is tightened (with a notice), and one that is a symbolic link
//!   or belongs to another user is refused;
//! * every file is written atomically and durably ([`write_atomic`]): a new
//!   0600 temporary file beside the target, synced, renamed over it, then the
//!   directory synced, so a kill or power cut at any instant leaves either the
//!   old file or the new one, never a torn one;
//! * [`Store::open`] sweeps temporary files left by a killed write and proves
//!   the directory is writable before the user starts typing;
//! * unreadable files are reported, never modified or deleted;
//! * note text is never logged, printed, or put into an error message.
//!
//! # Who may change what: the store's one rule
//!
//! Every change to the data directory is made under one advisory lock,
//! `flock` on the directory itself ([`super::dirlock`]). A save or delete
//! takes it for that one write; a command that changes the store as a whole
//! (`notes encrypt`, `decrypt`, `import`, `delete`) takes it with
//! [`Store::hold`] before it looks at the store and keeps it until it ends,
//! so such commands never interleave (the second waits, saying so) and no
//! save lands in the middle of one. Under the lock, each save:
//!
//! * reads the encryption mode *now* (not the one at open): after a
//!   `decrypt` it writes plain; sealed writes happen only while the store's
//!   key is still the one this window holds (its recipient, so a passphrase
//!   change is not a new key), else the save is refused
//!   ([`StoreError::KeyChanged`], [`StoreError::EncryptedMeanwhile`]) and the
//!   walk keeps its notes on screen; with no identity file but sealed
//!   sessions, the key is missing and nothing is written in plain text
//!   beside them ([`StoreError::KeyMissing`]);
//! * for a walk's own session ([`Store::save_walk`], what the `Journal`
//!   trait calls): holds the session open in this window (below); refuses a
//!   first save whose id is already on disk unless this store read it (a
//!   resume or follow-up), so a colliding id never replaces another session
//!   ([`StoreError::IdTaken`]); and refuses a later save unless the file is
//!   still the one this store read or last wrote (its JSON's length and
//!   hash, decrypted, so a migration is no change): a delete is not undone
//!   ([`StoreError::DeletedMeanwhile`]) and another writer's version is not
//!   replaced ([`StoreError::ChangedMeanwhile`]); the window then offers to
//!   keep its notes as a new session, a conflict copy naming the original.
//!
//! # One window per session
//!
//! Besides the directory lock, each session open in a window holds its own
//! lock, `flock` on `<data>/open/<id>.lock` ([`SessionLock`], released by
//! the kernel however the process ends): a resume or follow-up takes it
//! when it opens the session ([`Store::open_session`]), a new walk at its
//! first save; it is let go when the walk ends ([`Store::release_all`]). A
//! second window that finds it held says the session is open elsewhere
//! instead of opening or offering it ([`Store::open_elsewhere`]). It is
//! only ever tried, never waited for, so it cannot deadlock with the
//! directory lock (a save holds that one, then tries the session's).
//!
//! Reading takes no lock: files are only ever replaced atomically.

use std::ffi::{OsStr, OsString};
use std::fs::{self, DirBuilder, File};
use std::io;
use std::path::{Path, PathBuf};

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use zeroize::Zeroizing;

use super::crypt::{Encryption, Key, SEALED, sealed_among, sealed_sessions_in};
use super::dirlock::{DirLock, OPEN, SessionLock};
use super::files;
use super::record::Session;
use super::row::{Row, parse_row};
use super::unreadable::Unreadable;
use crate::{platform, sanitize};

mod undelete;
pub use undelete::Deleted;

/// The environment variable that names the data directory.
pub const DATA_DIR_ENV: &str = "REPAIR_DATA_DIR";

/// Owner-only permissions for directories the store creates.
const DIR_MODE: u32 = files::DIR_MODE;

/// The subdirectory holding the user's own protocol files.
const PROTOCOLS: &str = "protocols";

/// The subdirectory holding one `<id>.json` per session.
const SESSIONS: &str = "sessions";

/// Longest session id accepted (ids are `YYYYMMDD-HHMMSS-xxxx`).
const ID_MAX: usize = 100;

/// Why the store could not do what was asked. Each message is one sentence
/// naming the path and what to do; paths are escaped for the terminal and no
/// message ever contains note text. The `Io` and `NotWritable` messages
/// already include their cause, so print the error alone, not its chain.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", io_sentence(.path, .source))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the data directory {} is a symbolic link; for privacy repair-practice only uses a real directory: pass --data-dir with another path", shown(.path))]
    Symlink { path: PathBuf },
    #[error("{} is a symbolic link; for privacy repair-practice keeps your protocols only in a real directory inside the data directory: replace the link with a directory", shown(.path))]
    ProtocolsSymlink { path: PathBuf },
    #[error("the data directory {} is not a directory: pass --data-dir with another path", shown(.path))]
    NotADirectory { path: PathBuf },
    #[error("the data directory {} belongs to another user (uid {owner}; you are uid {you}); for privacy repair-practice only uses a directory you own: pass --data-dir with another path", shown(.path))]
    WrongOwner { path: PathBuf, owner: u32, you: u32 },
    #[error("{} is not a valid session id; ids use only letters, digits and '-'", shown_id(.id))]
    BadId { id: String },
    #[error("{}", not_writable_sentence(.path, .source))]
    NotWritable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the saved session {} cannot be read ({reason}); it has been left untouched", shown(.path))]
    Corrupt { path: PathBuf, reason: Unreadable },
    #[error("there is no saved session {} (looked for {})", shown_id(.id), shown(.path))]
    NoSuchSession { id: String, path: PathBuf },
    #[error("your notes are encrypted and have not been unlocked; give the passphrase when asked")]
    Locked,
    #[error("that passphrase is not the one that protects your notes; nothing was changed")]
    WrongPassphrase,
    #[error("the key file {} is damaged and cannot be opened; restore it from a backup, as without it the encrypted notes cannot be read", shown(.path))]
    IdentityDamaged { path: PathBuf },
    #[error("{sealed} session{} in {} {} encrypted, but the key file identity.age that opens them is missing; copy identity.age back into that directory from a backup (nothing is written in plain text beside encrypted notes meanwhile)", if *.sealed == 1 { "" } else { "s" }, shown(.path), if *.sealed == 1 { "is" } else { "are" })]
    KeyMissing { path: PathBuf, sealed: usize },
    #[error(
        "another repair command turned encryption on while this one ran, and this one has no key; this session was not saved, so copy its notes from the screen and add them in a new session"
    )]
    EncryptedMeanwhile,
    #[error(
        "another repair command changed the key that encrypts your notes while this one ran; this session was not saved with the old key, so copy its notes from the screen and add them in a new session"
    )]
    KeyChanged,
    /// Only from [`Store::save_walk_if_free`]: nothing was written.
    #[error(
        "another repair command is changing your notes right now; this save waits until it is done"
    )]
    Busy,
    #[error("another session already has the id {}; this one was not saved over it, so copy its notes from the screen and add them in a new session", shown_id(.id))]
    IdTaken { id: String },
    #[error("session {} was deleted while it was open here, so it was not saved again", shown_id(.id))]
    DeletedMeanwhile { id: String },
    #[error("session {} was changed by another program or window since this one opened it, so it was not saved over", shown_id(.id))]
    ChangedMeanwhile { id: String },
    #[error("session {} is open in another repair window; finish or close it there first (it is saved as you go)", shown_id(.id))]
    OpenElsewhere { id: String },
    #[error("the data directory {} was replaced or emptied while this window was open, so this session was not saved into it; your notes are still here, to copy into a new session", shown(.path))]
    DirReplaced { path: PathBuf },
    #[error("session {} is larger than {} MB, the most one session may hold; it was not saved, so copy the end of its notes from the screen into a new session", shown_id(.id), SESSION_MAX / 1_000_000)]
    SessionTooLarge { id: String },
}

/// From this many session files on, a list is read by two threads (see
/// `Store::scan`); fewer are read in well under the budget by one.
const SCAN_SPLIT_AT: usize = 2_000;

/// The most one session file may hold (its notes, in JSON): far above any
/// real session (a book is about 1 MB), low enough that listing thousands of
/// sessions stays fast. Larger files are listed as unreadable, never read.
pub const SESSION_MAX: u64 = 32_000_000;

impl StoreError {
    /// Whether a save was refused because the session on disk is no longer
    /// the one this window opened or last wrote (changed elsewhere, or
    /// deleted): the notes can still be kept as a new session.
    pub fn is_stale(&self) -> bool {
        matches!(
            self,
            StoreError::ChangedMeanwhile { .. } | StoreError::DeletedMeanwhile { .. }
        )
    }
}

/// What a store knows about a session it has read or saved: the length and
/// a hash of the session's JSON as it was then (decrypted, so a migration
/// between plain and sealed, which keeps those bytes, is not a change). A
/// save compares it with the file on disk under the lock (see the rule in
/// the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Known {
    len: usize,
    hash: u64,
}

impl Known {
    fn of(json: &[u8]) -> Known {
        use std::hash::{Hash, Hasher};
        // Compared only within this process, so the std hasher's fixed
        // keys are enough: what it guards against is another writer, not
        // a forger.
        let mut hasher = std::hash::DefaultHasher::new();
        json.hash(&mut hasher);
        Known {
            len: json.len(),
            hash: hasher.finish(),
        }
    }
}

/// Whose session a save writes, which decides whether the save rule (the
/// module docs) applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    /// A walk's own: held open in this window, and saved only over the
    /// file this store read or last wrote.
    Walk,
    /// Any session, written over whatever is there (an import, a test).
    Any,
}

/// What a save does while another command holds the directory lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WhenBusy {
    /// Waits for it.
    Wait,
    /// Writes nothing and says so ([`StoreError::Busy`]).
    Refuse,
}

/// A session file as a save finds it under the lock.
enum OnDisk {
    /// Neither form is there.
    Absent,
    /// There, with this content.
    Is(Known),
    /// Sealed, and this store has no key to read it (the mode checks that
    /// follow refuse the save).
    Unreadable,
    /// Sealed to another key than this store's: nothing can be said of its
    /// content from here.
    OtherKey,
}

/// No data directory could be determined.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    #[error(
        "cannot find a home directory to keep sessions in: pass --data-dir with a directory, or set {DATA_DIR_ENV}"
    )]
    NotFound,
    #[error("--data-dir was given an empty path: pass --data-dir with a directory")]
    EmptyFlag,
}

/// Whether an error means the disk (or the user's quota) is full.
pub fn is_disk_full(e: &io::Error) -> bool {
    // The standard library reads ENOSPC and EDQUOT (and their Windows
    // equivalents) as these two kinds.
    e.kind() == io::ErrorKind::StorageFull || e.kind() == io::ErrorKind::QuotaExceeded
}

fn io_sentence(path: &Path, source: &io::Error) -> String {
    if is_disk_full(source) {
        return format!(
            "could not write {}: the disk is full; free some space and try again",
            shown(path)
        );
    }
    format!(
        "could not read or write {} ({source}); check that it exists and that you may use it",
        shown(path)
    )
}

fn not_writable_sentence(path: &Path, source: &io::Error) -> String {
    if is_disk_full(source) {
        return format!(
            "cannot save in {}: the disk is full; free some space, or pass --data-dir with another path",
            shown(path)
        );
    }
    format!(
        "cannot save in {} ({source}); free some space or fix its permissions, or pass --data-dir with another path",
        shown(path)
    )
}

/// A path as it may appear on a terminal: one line, control characters escaped.
fn shown(path: &Path) -> String {
    sanitize::one_line(&path.display().to_string()).into_owned()
}

/// An id from the command line or a file, quoted and escaped, length-capped.
fn shown_id(id: &str) -> String {
    let capped: String = id.chars().take(ID_MAX).collect();
    format!("\"{}\"", sanitize::one_line(&capped))
}

pub(super) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The data directory: the one chosen (`--data-dir`, else
/// `$REPAIR_DATA_DIR`, else the `data_dir` setting, weighed once by
/// [`crate::settings::resolve`] and passed in here), else the platform's
/// per-user data directory (`~/.local/share/repair-practice` on Linux).
/// The environment is not read again here.
pub fn data_dir(chosen: Option<&Path>) -> Result<PathBuf, DataDirError> {
    resolve_data_dir(chosen, platform_data_dir)
}

/// [`data_dir`] with the platform lookup passed in, so the precedence can
/// be tested without touching the real home directory.
fn resolve_data_dir(
    chosen: Option<&Path>,
    platform: impl FnOnce() -> Option<PathBuf>,
) -> Result<PathBuf, DataDirError> {
    if let Some(chosen) = chosen {
        if chosen.as_os_str().is_empty() {
            return Err(DataDirError::EmptyFlag);
        }
        return Ok(chosen.to_path_buf());
    }
    platform().ok_or(DataDirError::NotFound)
}

fn platform_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "repair-practice").map(|d| d.data_dir().to_path_buf())
}

/// One entry of [`Store::list`].
// Most entries are sessions, so boxing them would only add allocations.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    Session(Session),
    /// A `*.json` file that could not be read as a session. It is left as it
    /// is on disk; `reason` is short and never quotes the file's content.
    Unreadable {
        path: PathBuf,
        reason: String,
    },
}

/// The opened data directory.
#[derive(Debug)]
pub struct Store {
    pub(super) dir: PathBuf,
    notices: Vec<String>,
    /// Whether notes are encrypted at rest (see [`super::crypt`]).
    pub(super) mode: Encryption,
    /// The unlocked identity, when the mode needs one and it was given.
    pub(super) key: Option<Key>,
    /// The directory lock, when this store holds it for its whole life
    /// ([`Store::hold`]); otherwise each write takes it for itself.
    held: Option<DirLock>,
    /// The sessions this store has saved or read, for the save rule.
    known: Mutex<HashMap<String, Known>>,
    /// The sessions open in this window ([`SessionLock`]): a resumed or
    /// followed-up session from when it is opened, a new one from its
    /// first save, each until [`Store::release_all`] or the end.
    claims: Mutex<HashMap<String, SessionLock>>,
    /// Sealed sessions found at open with no identity file to open them
    /// (the key file is missing; see [`StoreError::KeyMissing`]).
    sealed_without_key: usize,
    /// The data directory's identity (device, inode) at open, so a save
    /// into a directory replaced meanwhile is told apart from a delete.
    identity: Option<(u64, u64)>,
}

impl Store {
    /// Opens (creating if needed) the private data directory and `sessions/`
    /// inside it, sweeps leftovers of killed writes, and proves a save will
    /// work, so a problem shows before the user has typed anything.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_as(dir, true)
    }

    /// [`Store::open`] for a command that only reads (list, show, export,
    /// stats): no write is probed, so a read-only data directory (a backup,
    /// a snapshot) can still be read; modes that cannot be tightened there
    /// are said in a notice instead of stopping the command.
    pub fn open_to_read(dir: &Path) -> Result<Store, StoreError> {
        Store::open_as(dir, false)
    }

    fn open_as(dir: &Path, writing: bool) -> Result<Store, StoreError> {
        let mut notices = Vec::new();
        ensure_private_dir(dir, &mut notices, writing)?;
        let sessions = dir.join(SESSIONS);
        if ensure_private_dir(&sessions, &mut notices, writing)? {
            // Make the new `sessions/` entry itself durable.
            sync_dir(dir)?;
        }
        check_protocols_dir(&dir.join(PROTOCOLS), &mut notices, writing)?;
        // One reading of `sessions/` serves the sweeps, the modes and the
        // count of sealed files: a long history lists it once, not four
        // times, before the first frame.
        let listed = writing.then(|| {
            fs::read_dir(&sessions)
                .map(|entries| entries.flatten().collect::<Vec<_>>())
                .unwrap_or_default()
        });
        if let Some(listed) = &listed {
            note_leftovers(files::sweep_temp_files(dir, None), &mut notices);
            note_leftovers(files::sweep_listed(listed, None), &mut notices);
            super::audio::sweep(listed);
            tighten_session_files(&sessions, listed, &mut notices);
            probe_writable(&sessions)?;
        }
        let mode = Encryption::of(dir).map_err(io_err(dir))?;
        let sealed_without_key = match (mode, &listed) {
            (Encryption::Off, Some(listed)) => sealed_among(listed),
            (Encryption::Off, None) => sealed_sessions_in(&sessions),
            _ => 0,
        };
        // A command that writes decides itself (a walk refuses to start,
        // `encrypt` asks for --force); one that reads says it here.
        if sealed_without_key > 0 && !writing {
            notices.push(
                StoreError::KeyMissing {
                    path: dir.to_path_buf(),
                    sealed: sealed_without_key,
                }
                .to_string(),
            );
        }
        Ok(Store {
            sealed_without_key,
            dir: dir.to_path_buf(),
            notices,
            mode,
            key: None,
            held: None,
            known: Mutex::new(HashMap::new()),
            claims: Mutex::new(HashMap::new()),
            identity: dir_identity(dir),
        })
    }

    /// Takes the data directory's lock for the rest of this store's life,
    /// for a command that changes the store as a whole (encrypt, decrypt,
    /// import, delete). `on_wait` is called once if another command holds
    /// it, before waiting for that one to finish. The encryption mode is
    /// read again under the lock (another command may have changed it while
    /// this one waited), and a key that no longer opens the store is
    /// dropped: check [`Store::needs_unlocking`] afterwards and unlock again.
    pub fn hold(&mut self, on_wait: impl FnOnce()) -> Result<(), StoreError> {
        if self.held.is_some() {
            return Ok(());
        }
        let lock = DirLock::acquire(&self.dir, on_wait).map_err(io_err(&self.dir))?;
        let now = Encryption::of(&self.dir).map_err(io_err(&self.dir))?;
        if let Some(key) = &self.key {
            let still = match now.identity_file() {
                Some(name) => key.matches(&self.dir, name),
                None => true,
            };
            if !still {
                self.key = None;
            }
        }
        self.mode = now;
        self.held = Some(lock);
        Ok(())
    }

    /// The lock for one write: none to take when the store holds it.
    fn write_guard(&self) -> Result<Option<DirLock>, StoreError> {
        if self.held.is_some() {
            return Ok(None);
        }
        DirLock::acquire(&self.dir, || {})
            .map(Some)
            .map_err(io_err(&self.dir))
    }

    /// The lock for one write if it is free now, else [`StoreError::Busy`];
    /// none to take when the store holds it.
    fn try_write_guard(&self) -> Result<Option<DirLock>, StoreError> {
        if self.held.is_some() {
            return Ok(None);
        }
        match DirLock::try_acquire(&self.dir).map_err(io_err(&self.dir))? {
            Some(lock) => Ok(Some(lock)),
            None => Err(StoreError::Busy),
        }
    }

    /// Holds session `id` open in this window (see [`SessionLock`]), or
    /// [`StoreError::OpenElsewhere`] if another window has it.
    fn claim(&self, id: &str) -> Result<(), StoreError> {
        let mut claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        if claims.contains_key(id) {
            return Ok(());
        }
        match SessionLock::try_acquire(&self.dir, id).map_err(io_err(&self.dir.join(OPEN)))? {
            Some(lock) => {
                claims.insert(id.to_string(), lock);
                Ok(())
            }
            None => Err(StoreError::OpenElsewhere { id: id.to_string() }),
        }
    }

    /// Opens session `id` to continue it in this window (a resume or a
    /// follow-up): it is held open here, so no other window offers or opens
    /// it, until [`Store::release_all`] or the end of the process; refused
    /// with [`StoreError::OpenElsewhere`] while another window has it.
    pub fn open_session(&self, id: &str) -> Result<Session, StoreError> {
        check_id(id)?;
        self.claim(id)?;
        let session = self.load(id);
        if session.is_err() {
            self.release(id);
        }
        session
    }

    /// Whether session `id` is open in another window now (so it must not
    /// be offered here).
    pub fn open_elsewhere(&self, id: &str) -> bool {
        let mine = self
            .claims
            .lock()
            .map(|c| c.contains_key(id))
            .unwrap_or(false);
        !mine && check_id(id).is_ok() && SessionLock::held_elsewhere(&self.dir, id)
    }

    /// Lets go of session `id` in this window (one opened with
    /// [`Store::open_session`] that cannot be continued after all).
    pub fn release(&self, id: &str) {
        if let Ok(mut claims) = self.claims.lock() {
            claims.remove(id);
        }
    }

    /// Lets go of every session open in this window (a walk has ended and
    /// its window goes back to the browser or the start screen).
    pub fn release_all(&self) {
        if let Ok(mut claims) = self.claims.lock() {
            claims.clear();
        }
    }

    fn know(&self, id: &str, what: Option<Known>) {
        if let Ok(mut known) = self.known.lock() {
            match what {
                Some(what) => {
                    known.insert(id.to_string(), what);
                }
                None => {
                    known.remove(id);
                }
            }
        }
    }

    fn known(&self, id: &str) -> Option<Known> {
        self.known.lock().ok().and_then(|k| k.get(id).copied())
    }

    /// The unlocked key, or [`StoreError::Locked`].
    pub(super) fn require_key(&self) -> Result<&Key, StoreError> {
        self.key.as_ref().ok_or(StoreError::Locked)
    }

    /// The key file is missing: sealed sessions were found at open with no
    /// identity file (this error, to stop a command that would write).
    pub fn key_missing(&self) -> Option<StoreError> {
        (self.sealed_without_key > 0).then(|| StoreError::KeyMissing {
            path: self.dir.clone(),
            sealed: self.sealed_without_key,
        })
    }

    /// Whether notes are encrypted at rest.
    pub fn encryption(&self) -> Encryption {
        self.mode
    }

    /// Whether notes are encrypted and this store holds no key yet: the
    /// passphrase is needed before they can be read or saved.
    pub fn needs_unlocking(&self) -> bool {
        self.mode != Encryption::Off && self.key.is_none()
    }

    /// A copy of the unlocked key, for a second store of the same directory
    /// opened later in the same run (see [`Store::unlock_with`]).
    pub fn hand_over(&self) -> Option<Key> {
        self.key.clone()
    }

    /// Unlocks with a key handed over from another store of this directory.
    pub fn unlock_with(&mut self, key: Key) {
        if self.mode != Encryption::Off {
            self.key = Some(key);
        }
    }

    /// Opens the identity file with `passphrase`. Nothing is written.
    ///
    /// A key file gone since the store was opened means another command
    /// turned encryption off (or began to) meanwhile: the mode is read
    /// again and the key it names is opened, or none if notes are plain now.
    pub fn unlock(&mut self, passphrase: &age::secrecy::SecretString) -> Result<(), StoreError> {
        // Each turn follows one change of mode by another command; three
        // is more than a decrypt makes (on, turning off, off).
        let mut turns = 0;
        let (path, wrapped) = loop {
            let Some(name) = self.mode.identity_file() else {
                return Ok(());
            };
            let path = self.dir.join(name);
            match fs::read(&path) {
                Ok(wrapped) => break (path, wrapped),
                Err(e) if e.kind() == io::ErrorKind::NotFound && turns < 3 => {
                    let now = Encryption::of(&self.dir).map_err(io_err(&self.dir))?;
                    if now == self.mode {
                        return Err(io_err(&path)(e));
                    }
                    self.mode = now;
                    turns += 1;
                }
                Err(e) => return Err(io_err(&path)(e)),
            }
        };
        match Key::unwrap(&wrapped, passphrase) {
            Ok(key) => {
                self.key = Some(key);
                Ok(())
            }
            Err(super::crypt::UnwrapError::WrongPassphrase) => Err(StoreError::WrongPassphrase),
            Err(super::crypt::UnwrapError::Damaged) => Err(StoreError::IdentityDamaged { path }),
        }
    }

    /// One-line notices for the user about what `open` changed or found.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `<dir>/protocols`, where the user's own protocol files live.
    pub fn protocols_dir(&self) -> PathBuf {
        self.dir.join(PROTOCOLS)
    }

    /// `<dir>/sessions/<id>.json`. The id is not checked here; every method
    /// that touches the file checks it first.
    pub fn session_path(&self, id: &str) -> PathBuf {
        self.sessions_dir().join(format!("{id}.json"))
    }

    /// `<dir>/sessions/<id>.json.age`, the sealed form of a session.
    pub fn sealed_path(&self, id: &str) -> PathBuf {
        self.sessions_dir().join(format!("{id}{SEALED}"))
    }

    pub(super) fn sessions_dir(&self) -> PathBuf {
        self.dir.join(SESSIONS)
    }

    /// Writes the session atomically and durably over any earlier version
    /// with the same id, whoever wrote it, in the form the store has now
    /// (read under the lock, see the module docs): for an import and for
    /// tests. A walk saves through [`Store::save_walk`] (what
    /// [`super::Journal::save`] calls), which keeps the save rule; the names
    /// differ so that a `store.save(…)` never skips it unseen.
    pub fn save_over(&self, session: &Session) -> Result<(), StoreError> {
        self.save_under_lock(session, Whose::Any, WhenBusy::Wait)
    }

    /// [`Store::save_over`] for a walk's own session (what [`super::Journal`]
    /// calls): the session is held open in this window from here on; the
    /// first save of an id this store has not read must not find it taken,
    /// and a later one must find it as this store read or last wrote it
    /// (not deleted, nor changed by another window, meanwhile).
    pub fn save_walk(&self, session: &Session) -> Result<(), StoreError> {
        self.save_under_lock(session, Whose::Walk, WhenBusy::Wait)
    }

    /// [`Store::save_walk`] that does not wait: while another command holds
    /// the lock (an encrypt of thousands of sessions takes a while) it writes
    /// nothing and returns [`StoreError::Busy`], so a full screen can say so
    /// and try again, instead of freezing while the clinician types.
    pub fn save_walk_if_free(&self, session: &Session) -> Result<(), StoreError> {
        self.save_under_lock(session, Whose::Walk, WhenBusy::Refuse)
    }

    fn save_under_lock(
        &self,
        session: &Session,
        whose: Whose,
        when_busy: WhenBusy,
    ) -> Result<(), StoreError> {
        check_id(&session.id)?;
        let id = &session.id;
        let plain = self.session_path(id);
        let sealed = self.sealed_path(id);
        let mut bytes = Zeroizing::new(
            serde_json::to_vec_pretty(session).map_err(|e| io_err(&plain)(io::Error::other(e)))?,
        );
        bytes.push(b'\n');
        if bytes.len() as u64 > SESSION_MAX {
            return Err(StoreError::SessionTooLarge { id: id.clone() });
        }
        let _guard = match when_busy {
            WhenBusy::Wait => self.write_guard()?,
            WhenBusy::Refuse => self.try_write_guard()?,
        };
        // The mode now, not the one at open: an encrypt or decrypt may have
        // run since.
        let mode = Encryption::of(&self.dir).map_err(io_err(&self.dir))?;
        if whose == Whose::Walk {
            self.check_still_mine(id, mode)?;
        }
        match mode {
            Encryption::Off => {
                // No identity file, yet sealed sessions: the key is missing,
                // not encryption off. Nothing goes beside them in the clear.
                let sealed_here = sealed_sessions_in(&self.sessions_dir());
                if sealed_here > 0 {
                    return Err(StoreError::KeyMissing {
                        path: self.dir.clone(),
                        sealed: sealed_here,
                    });
                }
                write_atomic(&plain, &bytes)?;
                remove_if_present(&sealed)?;
            }
            Encryption::TurningOff => {
                if self.mode == Encryption::Off {
                    return Err(StoreError::EncryptedMeanwhile);
                }
                self.require_key()?;
                write_atomic(&plain, &bytes)?;
                remove_if_present(&sealed)?;
            }
            Encryption::On => {
                let key = match (&self.key, self.mode) {
                    (Some(key), _) => key,
                    (None, Encryption::Off) => return Err(StoreError::EncryptedMeanwhile),
                    (None, _) => return Err(StoreError::Locked),
                };
                if !key.matches(&self.dir, super::crypt::IDENTITY) {
                    return Err(StoreError::KeyChanged);
                }
                let ciphertext = key.seal(&bytes).map_err(io_err(&sealed))?;
                write_atomic(&sealed, &ciphertext)?;
                remove_if_present(&plain)?;
            }
        }
        if whose == Whose::Walk {
            self.know(id, Some(Known::of(&bytes)));
        }
        Ok(())
    }

    /// The save rule for a walk's own session, under the lock: this window
    /// holds it open, and the file on disk is the one it read or last
    /// wrote (or, for a new session, there is none).
    fn check_still_mine(&self, id: &str, mode: Encryption) -> Result<(), StoreError> {
        self.claim(id)?;
        let known = self.known(id);
        let on_disk = self.on_disk(id, mode)?;
        let stale = match (known, on_disk) {
            (None, OnDisk::Absent) => None,
            (None, _) => Some(StoreError::IdTaken { id: id.to_string() }),
            // Gone with the whole directory (replaced, or emptied): said
            // as that, not as a delete. (A walk with nothing saved yet just
            // saves into the directory as it is now, a remounted disk say.)
            (Some(_), OnDisk::Absent)
                if dir_identity(&self.dir) != self.identity || !self.sessions_dir().is_dir() =>
            {
                Some(StoreError::DirReplaced {
                    path: self.dir.clone(),
                })
            }
            (Some(_), OnDisk::Absent) => Some(StoreError::DeletedMeanwhile { id: id.to_string() }),
            (Some(was), OnDisk::Is(now)) if was != now => {
                Some(StoreError::ChangedMeanwhile { id: id.to_string() })
            }
            // Encryption was turned off and on again while this window had
            // the session: a new key sealed it, and whether its content
            // changed cannot be told without that key. Said as what is
            // known (the key changed), not as a change of content.
            (Some(_), OnDisk::OtherKey)
                if self
                    .key
                    .as_ref()
                    .is_some_and(|key| !key.matches(&self.dir, super::crypt::IDENTITY)) =>
            {
                Some(StoreError::KeyChanged)
            }
            // Sealed to another key though the key file is still this
            // window's: a file put in its place from elsewhere.
            (Some(_), OnDisk::OtherKey) => {
                Some(StoreError::ChangedMeanwhile { id: id.to_string() })
            }
            (Some(_), _) => None,
        };
        match stale {
            Some(e) => {
                if known.is_none() {
                    // Never this window's: do not keep it from its owner.
                    self.release(id);
                }
                Err(e)
            }
            None => Ok(()),
        }
    }

    /// Session `id` as it is on disk now, in the form `mode` prefers (as
    /// [`Store::load`] reads it).
    fn on_disk(&self, id: &str, mode: Encryption) -> Result<OnDisk, StoreError> {
        let plain = self.session_path(id);
        let sealed = self.sealed_path(id);
        let order = if mode.seals() {
            [(sealed, true), (plain, false)]
        } else {
            [(plain, false), (sealed, true)]
        };
        for (path, is_sealed) in order {
            if !exists(&path)? {
                continue;
            }
            let raw = match read_session_file(&path) {
                Ok(Ok(raw)) => raw,
                // Something unreadable in its place: not what was written.
                Ok(Err(_)) => return Ok(OnDisk::Is(Known::of(b"\0unreadable"))),
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_err(&path)(e)),
            };
            if !is_sealed {
                return Ok(OnDisk::Is(Known::of(&raw)));
            }
            let Some(key) = &self.key else {
                return Ok(OnDisk::Unreadable);
            };
            return Ok(match key.open(&raw) {
                Ok(json) => OnDisk::Is(Known::of(&json)),
                Err(_) => OnDisk::OtherKey,
            });
        }
        Ok(OnDisk::Absent)
    }

    /// Removes the saved session; a session that was never saved is fine.
    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        check_id(id)?;
        let _guard = self.write_guard()?;
        remove_if_present(&self.session_path(id))?;
        remove_if_present(&self.sealed_path(id))?;
        super::audio::remove(&self.sessions_dir(), id).map_err(io_err(&self.sessions_dir()))?;
        self.know(id, None);
        self.release(id);
        Ok(())
    }

    /// Where session `id`'s recorded responses go, sealed to the key when
    /// notes are encrypted; `None` when they are encrypted but locked (no
    /// recording is then ever written in the clear).
    pub fn audio(&self, id: &str) -> Option<super::audio::Audio> {
        let key = match (self.mode, &self.key) {
            (Encryption::On, None) => return None,
            (Encryption::On, Some(key)) => Some(key.clone()),
            _ if self.sealed_without_key > 0 => return None,
            _ => None,
        };
        Some(super::audio::Audio::new(&self.sessions_dir(), id, key))
    }

    /// Session `id`'s recorded responses, by name.
    pub fn audio_files(&self, id: &str) -> Vec<PathBuf> {
        super::audio::files_of(&self.sessions_dir(), id)
    }

    /// Copies session `id`'s recorded responses into `to/<id>/`, opened
    /// (an export is the user's own copy, in the clear); how many.
    pub fn export_audio(&self, id: &str, to: &Path) -> io::Result<usize> {
        super::audio::export_to(&self.sessions_dir(), id, self.key.as_ref(), to)
    }

    /// How many recorded responses the store holds, and their bytes.
    pub fn audio_count(&self) -> (usize, u64) {
        super::audio::count_all(&self.sessions_dir())
    }

    /// Removes a walk's own draft (what [`super::Journal::discard`]
    /// calls): only the file this store read or last wrote; one another
    /// program or window has changed meanwhile is not this window's to
    /// throw away, and stays.
    pub fn discard_walk(&self, id: &str) -> Result<(), StoreError> {
        check_id(id)?;
        let _guard = self.write_guard()?;
        let mode = Encryption::of(&self.dir).map_err(io_err(&self.dir))?;
        // Not this window's: never read nor written here, changed since,
        // or sealed to a key this store does not hold.
        let mine = matches!(
            (self.known(id), self.on_disk(id, mode)?),
            (Some(was), OnDisk::Is(now)) if was == now
        );
        if mine {
            remove_if_present(&self.session_path(id))?;
            remove_if_present(&self.sealed_path(id))?;
        }
        self.know(id, None);
        self.release(id);
        Ok(())
    }

    /// Reads one saved session.
    /// What was read is remembered for the save rule, so a walk of this
    /// store may save over it while it is unchanged on disk.
    pub fn load(&self, id: &str) -> Result<Session, StoreError> {
        let mut read = None;
        let remember = |text: &[u8]| {
            if self.known(id).is_none() {
                read = Some(Known::of(text));
            }
        };
        let session = load_in(
            &self.sessions_dir(),
            None,
            self.mode,
            self.key.as_ref(),
            id,
            remember,
        )?;
        if let Some(read) = read {
            self.know(id, Some(read));
        }
        Ok(session)
    }

    /// A reader of this store's sessions that owns what it needs (the
    /// directory, the mode and a copy of the unlocked key): the notes
    /// browser reads one session at a time through it, and never writes.
    pub fn reader(&self) -> Reader {
        let sessions = self.sessions_dir();
        Reader {
            dir: files::dir_for_opening_in(&sessions).map(std::sync::Arc::new),
            sessions,
            mode: self.mode,
            key: self.key.clone(),
        }
    }

    /// Every `*.json` in `sessions/`: sessions oldest first (by start time,
    /// then id), then the unreadable ones by path. Never modifies a file and
    /// never panics; a problem with the directory itself becomes one
    /// `Unreadable` entry.
    pub fn list(&self) -> Vec<Listed> {
        self.list_where(|_| true)
    }

    /// [`Store::list`] of only the files whose id passes `wanted`, decided
    /// from the file name before the file is read (ids begin with the date,
    /// so this finds recent sessions without reading old ones).
    pub fn list_where(&self, wanted: impl Fn(&str) -> bool) -> Vec<Listed> {
        let (mut sessions, unreadable) = self.scan(wanted, parse_session);
        sessions.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
        let sessions = sessions.into_iter().map(Listed::Session);
        let unreadable = unreadable
            .into_iter()
            .map(|(path, reason)| Listed::Unreadable { path, reason });
        sessions.chain(unreadable).collect()
    }

    /// [`Store::list_where`] for counting (the drill's schedule, the stats,
    /// the start screen): the readable sessions oldest first, with their
    /// text left out as the parser reads them (see `journal::lean`), so
    /// memory follows the number of sessions and cards, not the size of
    /// their notes and responses; and the unreadable files by path. Never
    /// show, save or export such a session: load it by id for that.
    pub fn history_where(
        &self,
        wanted: impl Fn(&str) -> bool,
    ) -> (Vec<Session>, Vec<(PathBuf, String)>) {
        let (mut sessions, unreadable) = self.scan(wanted, super::lean::parse_lean);
        sessions.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
        (sessions, unreadable)
    }

    /// What a list needs of every session ([`Row`]: no notes), newest
    /// first, and the unreadable files by path. Each file is read into one
    /// reused buffer and only its row is kept, so memory stays flat in the
    /// size of the notes and time linear in the number of sessions.
    pub fn rows(&self) -> (Vec<Row>, Vec<(PathBuf, String)>) {
        let (mut rows, unreadable) = self.scan(|_| true, parse_row);
        // Ids are unique in a directory, so no two rows compare equal and
        // the unstable sort (which needs no second buffer) gives the one order.
        rows.sort_unstable_by(|a, b| (b.started_at, &b.id).cmp(&(a.started_at, &a.id)));
        (rows, unreadable)
    }

    /// The one directory scan of `sessions/`: every visible `<id>.json` or
    /// `<id>.json.age` whose id passes `wanted`, the mode's own form read
    /// (into one reused buffer per reader) and turned into a `T` by
    /// `parse`; the rest (and any problem with the directory) as
    /// unreadable, sorted by path.
    fn scan<T: Send>(
        &self,
        wanted: impl Fn(&str) -> bool,
        parse: impl Fn(&[u8], &str) -> Result<T, Unreadable> + Sync,
    ) -> (Vec<T>, Vec<(PathBuf, String)>) {
        let dir = self.sessions_dir();
        let (names, problems) = match scan_names(&dir, &wanted) {
            Ok(found) => found,
            Err(e) => {
                return (
                    Vec::new(),
                    vec![(dir, format!("cannot list the directory: {e}"))],
                );
            }
        };
        let mut unreadable: Vec<(PathBuf, String)> = problems
            .into_iter()
            .map(|e| (dir.clone(), format!("cannot list the directory: {e}")))
            .collect();
        // Files are opened relative to the listed directory.
        let dir_handle = files::dir_for_opening_in(&dir);
        let read_part = |part: &[Found]| {
            let mut buffer = Vec::new();
            let mut name = String::new();
            let mut items = Vec::with_capacity(part.len());
            let mut bad = Vec::new();
            for found in part {
                let id = names.id(found);
                // The mode's own form when both are there.
                let sealed = match (found.plain, found.sealed) {
                    (Some(_), Some(_)) => self.mode.seals(),
                    (Some(_), None) => false,
                    (None, _) => true,
                };
                let is_file = if sealed { found.sealed } else { found.plain } == Some(true);
                name.clear();
                name.push_str(id);
                name.push_str(if sealed { SEALED } else { ".json" });
                match self.read_listed(
                    dir_handle.as_ref(),
                    &dir,
                    &name,
                    id,
                    (sealed, is_file),
                    &mut buffer,
                    &mut |bytes, id| parse(bytes, id),
                ) {
                    Ok(item) => items.push(item),
                    Err(reason) => bad.push((dir.join(&name), reason.to_string())),
                }
            }
            (items, bad)
        };
        // Reading is mostly the kernel opening and reading each file: one
        // thread takes about 60 ms of processor time for 10,000 sessions,
        // over the 50 ms a list may take, so a long list is read in two
        // halves, one per core of a modest laptop (`benches/speed.rs`).
        let found = names.found.as_slice();
        let (items, mut bad) = if found.len() >= SCAN_SPLIT_AT {
            let (first, second) = found.split_at(found.len() / 2);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| read_part(second));
                let (mut items, mut bad) = read_part(first);
                match other.join() {
                    Ok((mut more, mut more_bad)) => {
                        items.append(&mut more);
                        bad.append(&mut more_bad);
                    }
                    Err(_) => bad.push((dir.clone(), "a reader thread failed".to_string())),
                }
                (items, bad)
            })
        } else {
            read_part(found)
        };
        unreadable.append(&mut bad);
        unreadable.sort();
        (items, unreadable)
    }
}

impl Store {
    /// Reads one listed file (`name` in `dir`, which is open as `handle`),
    /// or says in a few words why it cannot be shown.
    #[allow(clippy::too_many_arguments)]
    fn read_listed<T>(
        &self,
        handle: Option<&File>,
        dir: &Path,
        name: &str,
        id: &str,
        (sealed, is_file): (bool, bool),
        buffer: &mut Vec<u8>,
        parse: &mut impl FnMut(&[u8], &str) -> Result<T, Unreadable>,
    ) -> Result<T, Unreadable> {
        // A name save/load/delete would refuse could never be managed here.
        if check_id(id).is_err() {
            return Err(Unreadable::NotAnId);
        }
        // Only regular files: a symlink or directory here was not made by us.
        if !is_file {
            return Err(Unreadable::NotAFile);
        }
        let opened = match handle {
            Some(handle) => files::open_in(handle, OsStr::new(name)),
            None => File::open(dir.join(name)),
        };
        opened
            .and_then(|f| read_session_into(f, buffer))
            .map_err(Unreadable::from)??;
        if !sealed {
            return parse(buffer, id);
        }
        let key = self.key.as_ref().ok_or(Unreadable::NeedsPassphrase)?;
        parse(&key.open(buffer)?, id)
    }
}

/// Reads sessions one at a time by id, for a view that shows one session
/// at a time (see [`Store::reader`]).
#[derive(Debug, Clone)]
pub struct Reader {
    sessions: PathBuf,
    /// `sessions` opened, where the system opens files inside an open
    /// directory (not Windows): the browser's search reads every session,
    /// and a path's every component was looked up again for each.
    dir: Option<std::sync::Arc<File>>,
    mode: Encryption,
    key: Option<Key>,
}

impl Reader {
    /// One session in full, as [`Store::load`] reads it.
    pub fn load(&self, id: &str) -> Result<Session, StoreError> {
        // No save rule here, so nothing to remember of what was read: the
        // browser's search loads every session, and hashing each file's
        // text was a sixteenth of its work.
        load_in(
            &self.sessions,
            self.dir.as_deref(),
            self.mode,
            self.key.as_ref(),
            id,
            |_| {},
        )
    }
}

/// Reads one saved session from a `sessions/` directory: the mode's own
/// form first, then the other. With the directory open (`handle`), the file
/// is opened inside it, one path component to look up and no link
/// followed; without, by its path. `read` is shown the text it was parsed
/// from (decrypted, if sealed), for the save rule ([`Known::of`]); the text
/// itself never leaves.
fn load_in(
    sessions: &Path,
    handle: Option<&File>,
    mode: Encryption,
    key: Option<&Key>,
    id: &str,
    read: impl FnOnce(&[u8]),
) -> Result<Session, StoreError> {
    check_id(id)?;
    let order = if mode.seals() {
        [true, false]
    } else {
        [false, true]
    };
    let mut name = String::with_capacity(id.len() + SEALED.len());
    for is_sealed in order {
        name.clear();
        name.push_str(id);
        name.push_str(if is_sealed { SEALED } else { ".json" });
        // The path is made only to open by it, or to say where a problem is.
        let path = || sessions.join(&name);
        let opened = match handle {
            Some(dir) => files::open_in(dir, OsStr::new(&name)),
            None => File::open(path()),
        };
        let mut raw = Vec::new();
        let raw = match opened.and_then(|file| read_session_into(file, &mut raw)) {
            Ok(Ok(())) => raw,
            Ok(Err(reason)) => {
                return Err(StoreError::Corrupt {
                    path: path(),
                    reason,
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_err(&path())(e)),
        };
        let decoded = if is_sealed {
            let Some(key) = key else {
                if mode != Encryption::Off {
                    return Err(StoreError::Locked);
                }
                return Err(StoreError::Corrupt {
                    path: path(),
                    reason: Unreadable::NeedsPassphrase,
                });
            };
            key.open(&raw).and_then(|bytes| {
                let session = parse_session(&bytes, id)?;
                read(&bytes);
                Ok(session)
            })
        } else {
            parse_session(&raw, id).inspect(|_| read(&raw))
        };
        return decoded.map_err(|reason| StoreError::Corrupt {
            path: path(),
            reason,
        });
    }
    Err(StoreError::NoSuchSession {
        id: id.to_string(),
        path: sessions.join(format!("{id}.json")),
    })
}

/// The session file names of a directory, as [`scan_names`] finds them:
/// every id's text in one string, so listing tens of thousands of files
/// makes no allocation per file.
#[derive(Debug, Default)]
struct Names {
    /// The ids, one after another.
    text: String,
    /// Each id once, sorted by id, with its forms on disk.
    found: Vec<Found>,
}

/// One id of [`Names`]: where its text is, and whether each form is on
/// disk (`Some(true)` a regular file, not followed if a link; `Some(false)`
/// anything else).
#[derive(Debug, Clone, Copy)]
struct Found {
    start: u32,
    len: u32,
    plain: Option<bool>,
    sealed: Option<bool>,
}

impl Names {
    fn id(&self, found: &Found) -> &str {
        let start = found.start as usize;
        &self.text[start..start + found.len as usize]
    }
}

/// The one listing of a sessions directory: for every visible session file
/// name whose id passes `wanted`, its plain and sealed form, by id. Entries
/// that could not be read are returned apart, so a caller that must not
/// decide from a partial listing can refuse.
fn scan_names(dir: &Path, wanted: &dyn Fn(&str) -> bool) -> io::Result<(Names, Vec<io::Error>)> {
    let mut names = Names::default();
    let mut problems = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let name = entry.file_name();
        let Some((id, sealed)) = name.to_str().and_then(listed_id) else {
            continue;
        };
        if !wanted(id) {
            continue;
        }
        let (Ok(start), Ok(len)) = (u32::try_from(names.text.len()), u32::try_from(id.len()))
        else {
            problems.push(io::Error::other("too many file names to list"));
            break;
        };
        names.text.push_str(id);
        let is_file = Some(entry.file_type().is_ok_and(|t| t.is_file()));
        let (plain, sealed) = if sealed {
            (None, is_file)
        } else {
            (is_file, None)
        };
        names.found.push(Found {
            start,
            len,
            plain,
            sealed,
        });
    }
    // By id, and an id's two forms (`x.json`, `x.json.age`) made one.
    let Names { text, mut found } = names;
    let id = |f: &Found| &text[f.start as usize..(f.start + f.len) as usize];
    found.sort_unstable_by(|a, b| {
        id(a)
            .cmp(id(b))
            .then(a.sealed.is_some().cmp(&b.sealed.is_some()))
    });
    found.dedup_by(|later, kept| {
        if id(later) != id(kept) {
            return false;
        }
        kept.plain = kept.plain.or(later.plain);
        kept.sealed = kept.sealed.or(later.sealed);
        true
    });
    // Held while every file is read: no room to spare (the rows grow then).
    let mut text = text;
    text.shrink_to_fit();
    found.shrink_to_fit();
    Ok((Names { text, found }, problems))
}

/// A session file's bytes into `buffer` (reused from file to file), or
/// (inner error) why it is not read at all: one larger than
/// [`SESSION_MAX`] is measured and refused, never read.
fn read_session_into(mut file: File, buffer: &mut Vec<u8>) -> io::Result<Result<(), Unreadable>> {
    use std::io::Read;
    buffer.clear();
    let len = file.metadata()?.len();
    if len > SESSION_MAX {
        return Ok(Err(Unreadable::TooLarge {
            max_mb: SESSION_MAX / 1_000_000,
        }));
    }
    // The file is only ever replaced whole, never grown in place; the
    // limit holds even so.
    buffer.reserve(len as usize);
    (&mut file).take(SESSION_MAX + 1).read_to_end(buffer)?;
    if buffer.len() as u64 > SESSION_MAX {
        buffer.clear();
        return Ok(Err(Unreadable::TooLarge {
            max_mb: SESSION_MAX / 1_000_000,
        }));
    }
    Ok(Ok(()))
}

/// A session file's bytes, or (inner error) why it is not read at all.
pub(super) fn read_session_file(path: &Path) -> io::Result<Result<Vec<u8>, Unreadable>> {
    let mut buffer = Vec::new();
    Ok(read_session_into(File::open(path)?, &mut buffer)?.map(|()| buffer))
}

/// The id part of a visible `<id>.json` or `<id>.json.age` file name and
/// whether it is the sealed form, or None for anything the listing should
/// not show (temporary files, other files).
fn listed_id(name: &str) -> Option<(&str, bool)> {
    if name.starts_with('.') {
        return None;
    }
    if let Some(id) = name.strip_suffix(SEALED) {
        return Some((id, true));
    }
    Some((name.strip_suffix(".json")?, false))
}

/// The two forms of one session id found on disk (regular files only).
#[derive(Debug, Default)]
pub(super) struct Forms {
    pub plain: Option<PathBuf>,
    pub sealed: Option<PathBuf>,
}

/// Every session id in `dir` with a valid name, and its forms on disk. A
/// directory that cannot be fully listed is an error: a migration must never
/// decide from a partial listing (that no sealed file is left, say).
pub(super) fn sessions_in(dir: &Path) -> Result<BTreeMap<String, Forms>, StoreError> {
    let (names, problems) = scan_names(dir, &|id| check_id(id).is_ok()).map_err(io_err(dir))?;
    if let Some(e) = problems.into_iter().next() {
        return Err(io_err(dir)(e));
    }
    let mut sessions = BTreeMap::new();
    for found in &names.found {
        let id = names.id(found);
        let file = |form: Option<bool>, suffix: &str| {
            (form == Some(true)).then(|| dir.join(format!("{id}{suffix}")))
        };
        let forms = Forms {
            plain: file(found.plain, ".json"),
            sealed: file(found.sealed, SEALED),
        };
        if forms.plain.is_some() || forms.sealed.is_some() {
            sessions.insert(id.to_string(), forms);
        }
    }
    Ok(sessions)
}

/// A directory's device and inode, to tell it from one put in its place.
fn dir_identity(dir: &Path) -> Option<(u64, u64)> {
    fs::symlink_metadata(dir)
        .ok()
        .and_then(|m| crate::platform::file_identity(&m))
}

/// Whether anything (a file, a link, a directory) has this name.
fn exists(path: &Path) -> Result<bool, StoreError> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Removes a file if it is there, durably.
pub(super) fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(files::parent_dir(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Parses a session file and checks it belongs under this id. The reason
/// given on failure names only the kind and place of the problem: serde's own
/// messages can quote values from the file, which may be note text.
pub(super) fn parse_session(bytes: &[u8], id: &str) -> Result<Session, Unreadable> {
    let session: Session = serde_json::from_slice(bytes).map_err(|e| Unreadable::parsing(&e))?;
    if session.id != id {
        return Err(Unreadable::IdMismatch);
    }
    Ok(session)
}

/// Whether `id` may name a session file (see `check_id`).
pub fn is_valid_id(id: &str) -> bool {
    check_id(id).is_ok()
}

/// Ids become file names, so only `[0-9A-Za-z-]` is allowed: nothing that
/// could name another directory (`/`, `..`) or hide a file (leading `.`).
pub(super) fn check_id(id: &str) -> Result<(), StoreError> {
    let ok = !id.is_empty()
        && id.len() <= ID_MAX
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(StoreError::BadId { id: id.to_string() })
    }
}

/// Makes sure `path` is a private directory of ours, creating it (and any
/// missing parents) owner-only if absent. Returns whether it was created.
fn ensure_private_dir(
    path: &Path,
    notices: &mut Vec<String>,
    writing: bool,
) -> Result<bool, StoreError> {
    let created = match fs::symlink_metadata(path) {
        Ok(_) => false,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // The mode is applied by mkdir itself, so there is no moment when
            // the directory is open to others.
            platform::owner_only_dir(DirBuilder::new().recursive(true))
                .create(path)
                .map_err(io_err(path))?;
            true
        }
        Err(e) => return Err(io_err(path)(e)),
    };
    let dir = open_dir_nofollow(path)?;
    let meta = dir.metadata().map_err(io_err(path))?;
    check_owner(path, platform::owner(&meta), platform::effective_uid())?;
    if needs_tightening(platform::mode(&meta)) {
        // fchmod on the handle we checked, not chmod on a path that could
        // have been swapped since.
        match platform::set_mode(&dir, DIR_MODE) {
            Ok(()) => notices.push(format!(
                "Tightened permissions on {} to owner-only (0700).",
                shown(path)
            )),
            Err(e) if !writing => notices.push(format!(
                "{} is open to others, and its permissions could not be tightened ({e}).",
                shown(path)
            )),
            Err(e) => return Err(io_err(path)(e)),
        }
    }
    Ok(created)
}

/// `<data>/protocols`, if it exists, must be a real directory of ours (a
/// symbolic link would make `protocols new` write outside the data
/// directory); one open to others is tightened like the data directory.
fn check_protocols_dir(
    path: &Path,
    notices: &mut Vec<String>,
    writing: bool,
) -> Result<(), StoreError> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(path)(e)),
        Ok(meta) if meta.file_type().is_symlink() => Err(StoreError::ProtocolsSymlink {
            path: path.to_path_buf(),
        }),
        Ok(_) => ensure_private_dir(path, notices, writing).map(|_| ()),
    }
}

/// Session files open to group or others (copied in, or made by an old
/// version) are made owner-only, with one notice for all of them.
/// `entries` are `dir`'s, already read.
fn tighten_session_files(dir: &Path, entries: &[fs::DirEntry], notices: &mut Vec<String>) {
    // Only regular files (the listing says which, not following links),
    // and of them only those open to others are tightened.
    let handle = File::open(dir).ok();
    let found: Vec<OsString> = entries
        .iter()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name())
        .filter(|name| platform::loose_file_in(handle.as_ref(), dir, name))
        .collect();
    let mut tightened = 0usize;
    for name in found {
        // fchmod on a handle opened without following a link.
        let opened = platform::open_file_nofollow(&dir.join(name));
        if let Ok(file) = opened
            && platform::set_mode(&file, files::FILE_MODE).is_ok()
        {
            tightened += 1;
        }
    }
    if tightened > 0 {
        notices.push(format!(
            "Tightened permissions on {tightened} file{} in {} to owner-only (0600).",
            if tightened == 1 { "" } else { "s" },
            shown(dir)
        ));
    }
}

/// Opens a directory without following a final symbolic link, mapping the
/// refusals to clear errors.
fn open_dir_nofollow(path: &Path) -> Result<File, StoreError> {
    let meta = fs::symlink_metadata(path).map_err(io_err(path))?;
    if meta.file_type().is_symlink() {
        return Err(StoreError::Symlink {
            path: path.to_path_buf(),
        });
    }
    if !meta.is_dir() {
        return Err(StoreError::NotADirectory {
            path: path.to_path_buf(),
        });
    }
    // O_NOFOLLOW closes the gap between the check above and the open.
    platform::open_dir_nofollow(path).map_err(|e| {
        if platform::refused_link(&e) {
            StoreError::Symlink {
                path: path.to_path_buf(),
            }
        } else if e.kind() == io::ErrorKind::NotADirectory {
            StoreError::NotADirectory {
                path: path.to_path_buf(),
            }
        } else {
            io_err(path)(e)
        }
    })
}

/// Refuses a directory owned by anyone but the user running the program: its
/// owner could read every note, whatever the permission bits say.
fn check_owner(path: &Path, owner: u32, you: u32) -> Result<(), StoreError> {
    if owner == you {
        Ok(())
    } else {
        Err(StoreError::WrongOwner {
            path: path.to_path_buf(),
            owner,
            you,
        })
    }
}

/// Whether a directory's mode lets group or others in.
fn needs_tightening(mode: u32) -> bool {
    mode & 0o077 != 0
}

/// Writes `bytes` to `path` atomically and durably ([`files::write_atomic`]):
/// whatever happens, `path` holds its old content or all of the new, 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    files::write_atomic(path, bytes).map_err(io_err(path))
}

/// fsyncs a directory so a rename, creation or removal in it is durable.
pub(super) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    files::sync_dir(dir).map_err(io_err(dir))
}

/// A notice for each temporary file a sweep (see
/// [`files::sweep_temp_files`]) could not remove.
fn note_leftovers(failed: Vec<(PathBuf, io::Error)>, notices: &mut Vec<String>) {
    for (path, e) in failed {
        notices.push(format!(
            "Could not remove the leftover temporary file {} ({e}).",
            shown(&path)
        ));
    }
}

/// Proves a save in `dir` will work by doing its steps once: a small
/// owner-only temporary file created, written, renamed and removed. Not
/// synced: nothing of it is meant to last, and three syncs were most of the
/// time before the first frame. Its names are temp names, so a probe left
/// by a kill is swept like any other.
fn probe_writable(dir: &Path) -> Result<(), StoreError> {
    use std::io::Write;
    let not_writable = |source| StoreError::NotWritable {
        path: dir.to_path_buf(),
        source,
    };
    let name = files::temp_name("write-probe".as_ref());
    let (tmp, mut file) = files::create_temp(dir, name.as_ref()).map_err(not_writable)?;
    let probe = dir.join(&name);
    let tried = file
        .write_all(b"ok\n")
        .and_then(|()| fs::rename(&tmp, &probe));
    drop(file);
    if let Err(e) = tried {
        let _ = fs::remove_file(&tmp);
        return Err(not_writable(e));
    }
    fs::remove_file(&probe).map_err(not_writable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::files::{TEMP_MARK, temp_file_pid, temp_name};
    use crate::journal::fixtures::{self, names_in, step};
    use crate::journal::{StepRecord, StepStatus};
    use chrono::DateTime;
    // Modes, chmod and symbolic links: the tests using them are Unix's.
    #[cfg(unix)]
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    /// Files of every size come back whole, into a reused buffer; an empty
    /// one is empty; one over the limit is measured and refused, never read.
    #[test]
    fn session_files_read_whole_and_the_oversized_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let mut buffer = Vec::new();
        for len in [
            0,
            1,
            3000,
            64 * 1024 - 1,
            64 * 1024,
            3 * 64 * 1024 + 7,
            1000,
        ] {
            let path = dir.path().join(format!("f{len}"));
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            fs::write(&path, &bytes).unwrap();
            read_session_into(File::open(&path).unwrap(), &mut buffer)
                .unwrap()
                .unwrap();
            assert_eq!(buffer, bytes, "length {len}");
            assert_eq!(read_session_file(&path).unwrap().unwrap(), bytes);
        }
        let huge = dir.path().join("huge");
        File::create(&huge)
            .unwrap()
            .set_len(SESSION_MAX + 1)
            .unwrap();
        let mut buffer = Vec::new();
        let refused = read_session_into(File::open(&huge).unwrap(), &mut buffer).unwrap();
        assert!(
            matches!(
                refused,
                Err(Unreadable::TooLarge { max_mb }) if max_mb == SESSION_MAX / 1_000_000
            ),
            "{refused:?}"
        );
        assert!(buffer.is_empty());
    }

    fn session(id: &str, started: &str, notes: &str) -> Session {
        let notice = step(
            "notice",
            "Notice the rupture",
            StepStatus::Done,
            notes,
            Some(30),
        );
        Session {
            steps: vec![notice],
            ..fixtures::session(id, started)
        }
    }

    #[cfg(unix)]
    fn mode_of(path: &Path) -> u32 {
        fs::symlink_metadata(path).expect("metadata").mode() & 0o7777
    }

    // A pid no system hands out (above the Linux maximum of 2^22).
    const DEAD_PID: u32 = 999_999_999;

    #[cfg(unix)]
    #[test]
    fn new_dirs_are_0700_and_files_0600() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("a").join("data");
        let store = Store::open(&dir).expect("open");
        assert_eq!(mode_of(&tmp.path().join("a")), 0o700);
        assert_eq!(mode_of(&dir), 0o700);
        assert_eq!(mode_of(&dir.join("sessions")), 0o700);
        assert!(store.notices().is_empty());

        let s = session("20240101-090000-abcd", "2024-01-01T09:00:00+01:00", "n");
        store.save_over(&s).expect("save");
        assert_eq!(mode_of(&store.session_path(&s.id)), 0o600);

        let export = dir.join("export.json");
        write_atomic(&export, b"[]\n").expect("write");
        assert_eq!(mode_of(&export), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn replacing_a_loose_file_leaves_it_0600() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("out.json");
        fs::write(&path, "old").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&path, b"new").expect("write_atomic");
        assert_eq!(mode_of(&path), 0o600);
        assert_eq!(fs::read(&path).expect("read"), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn an_open_existing_dir_is_tightened_with_a_notice() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        fs::create_dir(&dir).expect("mkdir");
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
        let store = Store::open(&dir).expect("open");
        assert_eq!(mode_of(&dir), 0o700);
        assert_eq!(
            store.notices(),
            [format!(
                "Tightened permissions on {} to owner-only (0700).",
                dir.display()
            )]
        );
        // Reopening finds nothing more to do.
        assert!(Store::open(&dir).expect("reopen").notices().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn an_open_sessions_dir_is_tightened_too() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        Store::open(&dir).expect("open");
        let sessions = dir.join("sessions");
        fs::set_permissions(&sessions, fs::Permissions::from_mode(0o770)).expect("chmod");
        let store = Store::open(&dir).expect("reopen");
        assert_eq!(mode_of(&sessions), 0o700);
        assert_eq!(store.notices().len(), 1);
        assert!(store.notices()[0].contains("sessions"));
    }

    #[cfg(unix)]
    #[test]
    fn among_many_files_only_the_loose_regular_ones_are_tightened() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        Store::open(&dir).expect("open");
        let sessions = dir.join("sessions");
        let mut loose = Vec::new();
        for n in 0..775 {
            let path = sessions.join(format!("20240101-000000-{n:04x}.json"));
            fs::write(&path, b"{}").expect("write");
            let mode = if n % 5 == 0 { 0o644 } else { 0o600 };
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).expect("chmod");
            if mode == 0o644 {
                loose.push(path);
            }
        }
        // Neither a directory nor a link (nor what it points at) is touched.
        let other = tmp.path().join("other.json");
        fs::write(&other, b"{}").expect("write");
        fs::set_permissions(&other, fs::Permissions::from_mode(0o644)).expect("chmod");
        std::os::unix::fs::symlink(&other, sessions.join("link.json")).expect("symlink");
        let sub = sessions.join("sub.json");
        fs::create_dir(&sub).expect("mkdir");
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o755)).expect("chmod");
        let store = Store::open(&dir).expect("reopen");
        for path in &loose {
            assert_eq!(mode_of(path), 0o600, "{}", path.display());
        }
        assert_eq!(mode_of(&other), 0o644);
        assert_eq!(mode_of(&sub), 0o755);
        let notice = format!("Tightened permissions on {} files in", loose.len());
        assert!(
            store.notices().iter().any(|n| n.contains(&notice)),
            "{:?}",
            store.notices()
        );
        // Once tight, nothing more to say.
        let again = Store::open(&dir).expect("reopen");
        assert!(again.notices().is_empty(), "{:?}", again.notices());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_data_dir_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let real = tmp.path().join("real");
        fs::create_dir(&real).expect("mkdir");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let err = Store::open(&link).expect_err("symlink must be refused");
        assert!(matches!(err, StoreError::Symlink { ref path } if *path == link));
        let message = err.to_string();
        assert!(message.contains("is a symbolic link"), "{message}");
        assert!(message.contains("--data-dir"), "{message}");
        // Nothing was created through the link.
        assert!(names_in(&real).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_symlink_is_refused_not_followed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), &link).expect("symlink");
        assert!(matches!(
            Store::open(&link),
            Err(StoreError::Symlink { .. })
        ));
        assert!(!tmp.path().join("nowhere").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_sessions_dir_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        fs::create_dir(&dir).expect("mkdir");
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("mkdir");
        std::os::unix::fs::symlink(&elsewhere, dir.join("sessions")).expect("symlink");
        assert!(matches!(Store::open(&dir), Err(StoreError::Symlink { .. })));
    }

    #[test]
    fn a_file_as_data_dir_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = tmp.path().join("file");
        fs::write(&file, "x").expect("write");
        let err = Store::open(&file).expect_err("a file is not a directory");
        assert!(matches!(err, StoreError::NotADirectory { .. }));
    }

    #[test]
    fn owner_check_accepts_only_the_running_user() {
        let path = Path::new("/d");
        assert!(check_owner(path, 1000, 1000).is_ok());
        assert!(check_owner(path, 0, 0).is_ok());
        let err = check_owner(path, 0, 1000).expect_err("root's dir");
        assert_eq!(
            err.to_string(),
            "the data directory /d belongs to another user (uid 0; you are uid 1000); for privacy \
             repair-practice only uses a directory you own: pass --data-dir with another path"
        );
        assert!(check_owner(path, 1000, 0).is_err());
    }

    #[test]
    fn tightening_is_needed_for_any_group_or_other_bit() {
        assert!(!needs_tightening(0o40700));
        assert!(!needs_tightening(0o700));
        assert!(needs_tightening(0o710));
        assert!(needs_tightening(0o701));
        assert!(needs_tightening(0o755));
    }

    #[cfg(unix)]
    #[test]
    fn an_unwritable_dir_fails_at_open_naming_the_path() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        Store::open(&dir).expect("open");
        let sessions = dir.join("sessions");
        fs::set_permissions(&sessions, fs::Permissions::from_mode(0o500)).expect("chmod");
        let result = Store::open(&dir);
        fs::set_permissions(&sessions, fs::Permissions::from_mode(0o700)).expect("chmod back");
        if platform::effective_uid() == 0 {
            return; // root writes anyway
        }
        let err = result.expect_err("read-only sessions dir");
        assert!(matches!(err, StoreError::NotWritable { ref path, .. } if *path == sessions));
        let message = err.to_string();
        assert!(
            message.contains(&sessions.display().to_string()),
            "{message}"
        );
        assert!(message.contains("--data-dir"), "{message}");
    }

    #[test]
    fn open_leaves_no_probe_behind() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        Store::open(&dir).expect("open");
        assert_eq!(names_in(&dir), ["sessions"]);
        assert!(names_in(&dir.join("sessions")).is_empty());
    }

    /// While another command holds the lock, the walk's save that does not
    /// wait writes nothing and says Busy; the store's own held lock is no
    /// obstacle; once the other lets go, the save goes through.
    #[test]
    fn a_save_that_does_not_wait_is_busy_while_another_holds_the_lock() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        let first = session(id, "2024-01-01T09:00:00+01:00", "first");
        let other = DirLock::acquire(tmp.path(), || {}).expect("lock");
        assert!(matches!(
            store.save_walk_if_free(&first),
            Err(StoreError::Busy)
        ));
        assert!(!store.session_path(id).exists());
        drop(other);
        store.save_walk_if_free(&first).expect("free now");
        assert_eq!(store.load(id).expect("load"), first);

        let mut holding = Store::open(tmp.path()).expect("open");
        holding.hold(|| {}).expect("hold");
        let mut second = first.clone();
        second.steps[0].notes = "second".into();
        assert!(matches!(
            store.save_walk_if_free(&second),
            Err(StoreError::Busy)
        ));
        let mut own = second.clone();
        own.id = "20240101-090001-abce".into();
        holding
            .save_walk_if_free(&own)
            .expect("its own lock is no obstacle");
    }

    #[test]
    fn save_replace_load_delete_round_trip() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        let first = session(id, "2024-01-01T09:00:00+01:00", "first");
        store.save_over(&first).expect("save");
        assert_eq!(store.load(id).expect("load"), first);

        let mut second = first.clone();
        second.steps[0].notes = "second, longer than the first".to_string();
        second.complete = true;
        store.save_over(&second).expect("replace");
        assert_eq!(store.load(id).expect("load"), second);
        assert_eq!(
            names_in(&tmp.path().join("sessions")),
            [format!("{id}.json")]
        );

        store.delete(id).expect("delete");
        assert!(!store.session_path(id).exists());
        assert!(matches!(
            store.load(id),
            Err(StoreError::NoSuchSession { .. })
        ));
        store.delete(id).expect("deleting twice is fine");
    }

    #[test]
    fn notes_survive_byte_for_byte() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let notes = "emoji 😀🧑‍⚕️ | CJK 漢字かな한국어 | RTL עברית العربية | combining e\u{301} \
                     a\u{308}\u{323} | NUL \0 | ESC \x1b[31mred\x1b[0m | CR \r | CRLF \r\n | \
                     tab \t | DEL \x7f | C1 \u{9b} | BOM \u{feff} | max \u{10ffff}";
        let mut s = session("20240101-090000-abcd", "2024-01-01T09:00:00+01:00", notes);
        s.steps.push(StepRecord {
            notes: "\r\n".to_string(),
            ..s.steps[0].clone()
        });
        store.save_over(&s).expect("save");
        let back = store.load(&s.id).expect("load");
        assert_eq!(back.steps[0].notes.as_bytes(), notes.as_bytes());
        assert_eq!(back.steps[1].notes.as_bytes(), b"\r\n");
        assert_eq!(back, s);
        // Control characters are escaped in the file, never raw.
        let raw = fs::read(store.session_path(&s.id)).expect("read");
        assert!(!raw.iter().any(|&b| b == 0 || b == 0x1b || b == b'\r'));
    }

    #[test]
    fn bad_ids_cannot_escape_the_directory() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        for id in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "a.b",
            "x\0y",
            "é",
            " a",
            &"a".repeat(101),
        ] {
            let s = session(id, "2024-01-01T09:00:00+01:00", "n");
            assert!(
                matches!(store.save_over(&s), Err(StoreError::BadId { .. })),
                "{id:?}"
            );
            assert!(
                matches!(store.load(id), Err(StoreError::BadId { .. })),
                "{id:?}"
            );
            assert!(
                matches!(store.delete(id), Err(StoreError::BadId { .. })),
                "{id:?}"
            );
        }
        assert!(names_in(&tmp.path().join("sessions")).is_empty());
        let err = store.load("a\x1b[2Jb").expect_err("bad id");
        assert_eq!(
            err.to_string(),
            "\"a\\x1b[2Jb\" is not a valid session id; ids use only letters, digits and '-'"
        );
    }

    #[test]
    fn many_saves_always_leave_a_valid_file_and_no_temp() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let mut s = session("20240101-090000-abcd", "2024-01-01T09:00:00+01:00", "");
        for i in 0..200 {
            s.steps[0].notes = "x".repeat(i * 37 % 1000);
            store.save_over(&s).expect("save");
            assert_eq!(store.load(&s.id).expect("load"), s);
        }
        assert_eq!(
            names_in(&tmp.path().join("sessions")),
            [format!("{}.json", s.id)]
        );
    }

    #[test]
    fn temp_names_are_recognised_and_nothing_else() {
        let name = temp_name("20240101-090000-abcd.json".as_ref());
        assert_eq!(temp_file_pid(&name), Some(std::process::id()));
        assert_eq!(temp_file_pid(".a.json.repair-tmp-12-3"), Some(12));
        assert_eq!(temp_file_pid("..x.repair-tmp-1-2.repair-tmp-5-6"), Some(5));
        assert_eq!(
            temp_file_pid(".x.repair-tmp-99999999999999999999-1"),
            Some(0)
        );
        for other in [
            "a.json",
            "a.json.repair-tmp-12-3",
            ".a.json.repair-tmp-12",
            ".a.json.repair-tmp-12-",
            ".a.json.repair-tmp--3",
            ".a.json.repair-tmp-1x-3",
            ".a.json.repair-tmp-12-3.bak",
            ".a.json.tmp",
            ".DS_Store",
        ] {
            assert_eq!(temp_file_pid(other), None, "{other}");
        }
        let long = temp_name("n".repeat(300).as_ref());
        assert!(long.len() < 160, "{}", long.len());
    }

    #[test]
    fn open_sweeps_stale_temp_files_and_leaves_others() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        Store::open(dir).expect("open");
        let sessions = dir.join("sessions");
        let stale = [
            sessions.join(format!(".a.json{TEMP_MARK}{DEAD_PID}-0")),
            sessions.join(format!(".write-probe{TEMP_MARK}{DEAD_PID}-7")),
            dir.join(format!(".export.json{TEMP_MARK}{DEAD_PID}-1")),
        ];
        // Ours (a live pid): another save may be writing it right now.
        let live = sessions.join(format!(".b.json{TEMP_MARK}{}-0", std::process::id()));
        let keep = [
            sessions.join("notes.txt"),
            sessions.join(".a.json.tmp"),
            sessions.join(format!("a.json{TEMP_MARK}{DEAD_PID}-0")),
            dir.join("protocols.toml"),
            live.clone(),
        ];
        for path in stale.iter().chain(&keep) {
            fs::write(path, "half a session").expect("write");
        }
        fs::create_dir(sessions.join(format!(".d{TEMP_MARK}{DEAD_PID}-0"))).expect("mkdir");

        Store::open(dir).expect("reopen");
        for path in &stale {
            assert!(!path.exists(), "{} should be swept", path.display());
        }
        for path in &keep {
            assert_eq!(fs::read(path).expect("kept"), b"half a session");
        }
        assert!(sessions.join(format!(".d{TEMP_MARK}{DEAD_PID}-0")).is_dir());
    }

    #[test]
    fn list_reports_corrupt_files_and_leaves_them_alone() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let newest = session("20240301-090000-cccc", "2024-03-01T09:00:00+00:00", "c");
        let oldest = session("20240101-090000-aaaa", "2024-01-01T09:00:00+00:00", "a");
        // The same instant in two offsets: the id breaks the tie.
        let middle_a = session("20240201-090000-aaaa", "2024-02-01T09:00:00+00:00", "b");
        let middle_b = session("20240201-100000-bbbb", "2024-02-01T10:00:00+01:00", "b");
        // Started earlier than both, though its (local-time) id sorts later.
        let travelled = session("20240201-120000-9999", "2024-02-01T12:00:00+05:00", "t");
        for s in [&newest, &oldest, &middle_b, &travelled, &middle_a] {
            store.save_over(s).expect("save");
        }
        let full = fs::read(store.session_path(&newest.id)).expect("read");
        let corrupt_path = store.session_path("20240115-090000-dddd");
        let truncated_path = store.session_path("20240116-090000-eeee");
        let mismatched_path = store.session_path("20240117-090000-ffff");
        let corrupt = b"{ this is \"secret note\" not json".to_vec();
        let truncated = full[..full.len() / 2].to_vec();
        fs::write(&corrupt_path, &corrupt).expect("write");
        fs::write(&truncated_path, &truncated).expect("write");
        fs::write(&mismatched_path, &full).expect("write");
        // serde's own message would quote this string.
        let wrong_type = br#"{"id": "x", "steps": "secret note text"}"#.to_vec();
        let wrong_type_path = store.session_path("20240118-090000-9999");
        fs::write(&wrong_type_path, &wrong_type).expect("write");

        let listed = store.list();
        let sessions: Vec<&str> = listed
            .iter()
            .filter_map(|l| match l {
                Listed::Session(s) => Some(s.id.as_str()),
                Listed::Unreadable { .. } => None,
            })
            .collect();
        assert_eq!(
            sessions,
            [&oldest, &travelled, &middle_a, &middle_b, &newest].map(|s| s.id.as_str())
        );
        let unreadable: Vec<(&PathBuf, &String)> = listed
            .iter()
            .filter_map(|l| match l {
                Listed::Unreadable { path, reason } => Some((path, reason)),
                Listed::Session(_) => None,
            })
            .collect();
        let paths: Vec<&PathBuf> = unreadable.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            paths,
            [
                &corrupt_path,
                &truncated_path,
                &mismatched_path,
                &wrong_type_path
            ]
        );
        assert!(
            unreadable[0].1.starts_with("not valid JSON"),
            "{}",
            unreadable[0].1
        );
        assert!(
            unreadable[1].1.contains("ends early"),
            "{}",
            unreadable[1].1
        );
        assert!(
            unreadable[2].1.contains("does not match"),
            "{}",
            unreadable[2].1
        );
        for (_, reason) in &unreadable {
            assert!(!reason.contains("secret"), "{reason}");
        }
        // Listing is the unreadable ones last, after all the sessions.
        assert!(matches!(listed[5], Listed::Unreadable { .. }));

        assert_eq!(fs::read(&corrupt_path).expect("read"), corrupt);
        assert_eq!(fs::read(&truncated_path).expect("read"), truncated);
        assert_eq!(fs::read(&mismatched_path).expect("read"), full);
        assert_eq!(fs::read(&wrong_type_path).expect("read"), wrong_type);

        let err = store.load("20240116-090000-eeee").expect_err("truncated");
        assert!(matches!(err, StoreError::Corrupt { ref path, .. } if *path == truncated_path));
        assert!(err.to_string().contains("left untouched"));
    }

    #[test]
    fn list_ignores_temp_and_other_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let s = session("20240101-090000-abcd", "2024-01-01T09:00:00+01:00", "n");
        store.save_over(&s).expect("save");
        let sessions = tmp.path().join("sessions");
        fs::write(sessions.join(format!(".x.json{TEMP_MARK}1-1")), "{").expect("write");
        fs::write(sessions.join("readme.txt"), "hi").expect("write");
        fs::write(sessions.join(".hidden.json"), "{").expect("write");
        fs::create_dir(sessions.join("dir.json")).expect("mkdir");
        let mut copy = s.clone();
        copy.id = "a b".to_string();
        let copy_json = serde_json::to_vec(&copy).expect("json");
        fs::write(sessions.join("a b.json"), &copy_json).expect("write");
        let listed = store.list();
        assert_eq!(listed.len(), 3);
        assert_eq!(listed[0], Listed::Session(s));
        assert_eq!(
            listed[1],
            Listed::Unreadable {
                path: sessions.join("a b.json"),
                reason: "the file name is not a session id".to_string()
            }
        );
        assert_eq!(
            listed[2],
            Listed::Unreadable {
                path: sessions.join("dir.json"),
                reason: "not a regular file".to_string()
            }
        );
        assert_eq!(
            fs::read(sessions.join("a b.json")).expect("kept"),
            copy_json
        );
    }

    /// A list long enough to be read in two halves misses no file, keeps
    /// the order, and still names an unreadable one.
    #[test]
    fn a_long_list_read_in_two_halves_misses_nothing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let count = SCAN_SPLIT_AT + 1;
        for n in 0..count {
            let id = format!("20240101-000000-{n:05}");
            let bytes = serde_json::to_vec(&fixtures::session(&id, "2024-01-01T09:00:00+01:00"))
                .expect("json");
            fs::write(store.session_path(&id), bytes).expect("write");
        }
        fs::write(store.session_path("20240101-000000-zzzzz"), b"{").expect("write");
        let (rows, unreadable) = store.rows();
        assert_eq!(rows.len(), count);
        assert!(rows.windows(2).all(|w| w[0].id > w[1].id), "newest first");
        assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    }

    #[test]
    fn list_of_a_missing_sessions_dir_does_not_panic() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        fs::remove_dir(tmp.path().join("sessions")).expect("rmdir");
        let listed = store.list();
        assert_eq!(listed.len(), 1);
        assert!(matches!(listed[0], Listed::Unreadable { .. }));
    }

    #[test]
    fn data_dir_is_the_chosen_one_else_the_platform_s() {
        let platform = || Some(PathBuf::from("/home/u/.local/share/repair-practice"));
        let chosen = Path::new("/chosen");
        assert_eq!(
            resolve_data_dir(Some(chosen), platform).ok(),
            Some(chosen.into())
        );
        assert_eq!(resolve_data_dir(None, platform).ok(), platform());
        assert!(matches!(
            resolve_data_dir(None, || None),
            Err(DataDirError::NotFound)
        ));
        assert!(matches!(
            resolve_data_dir(Some(Path::new("")), platform),
            Err(DataDirError::EmptyFlag)
        ));
        let message = DataDirError::NotFound.to_string();
        assert!(message.contains("--data-dir") && message.contains(DATA_DIR_ENV));
    }

    #[test]
    fn platform_default_is_named_for_the_program() {
        // Only computes the path; nothing is created there.
        if let Some(dir) = platform_data_dir() {
            // Windows keeps a program's data in a `data` folder of its own
            // (`%APPDATA%\repair-practice\data`).
            let named = if cfg!(windows) {
                dir.ends_with("repair-practice/data")
            } else {
                dir.ends_with("repair-practice")
            };
            assert!(named, "{}", dir.display());
        }
    }

    /// `store.save(…)` is the journal's save, with the save rule: the
    /// store's own save without it has another name, so a method call
    /// cannot pick it unseen.
    #[test]
    fn store_save_is_the_walk_s_save_with_its_rule() {
        use crate::journal::Journal;
        let tmp = tempfile::tempdir().expect("tempdir");
        let id = "20240101-090000-abcd";
        let theirs = session(id, "2024-01-01T09:00:00+01:00", "theirs");
        Store::open(tmp.path())
            .expect("open")
            .save_over(&theirs)
            .expect("their save");
        let mut mine = Store::open(tmp.path()).expect("open");
        let colliding = session(id, "2024-01-01T09:00:00+01:00", "mine");
        let refused = mine.save(&colliding);
        assert!(
            matches!(refused, Err(StoreError::IdTaken { .. })),
            "{refused:?}"
        );
        assert_eq!(mine.load(id).expect("load"), theirs);
    }

    /// The browser's reader opens each session inside the directory it
    /// opened: it reads what the store reads, says which is missing by the
    /// file's path, and, where it opens inside the
    /// directory, does not follow a link put in a session's place.
    #[test]
    fn the_reader_reads_inside_its_directory_as_the_store_reads() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        let saved = session(id, "2024-01-01T09:00:00+01:00", "kept");
        store.save_over(&saved).expect("save");
        let reader = store.reader();
        assert_eq!(reader.load(id).expect("reads"), saved);
        assert_eq!(
            reader.load(id).expect("reads"),
            store.load(id).expect("reads")
        );
        let missing = "20240102-090000-abcd";
        match reader.load(missing) {
            Err(StoreError::NoSuchSession { path, .. }) => {
                assert_eq!(path, store.sessions_dir().join(format!("{missing}.json")))
            }
            other => panic!("{other:?}"),
        }
        #[cfg(unix)]
        {
            let elsewhere = tmp.path().join("elsewhere.json");
            let file = store.sessions_dir().join(format!("{id}.json"));
            fs::rename(&file, &elsewhere).expect("move");
            std::os::unix::fs::symlink(&elsewhere, &file).expect("link");
            assert!(reader.load(id).is_err(), "a link is not followed");
        }
    }

    #[test]
    fn a_walk_saves_only_over_the_file_it_left_and_discards_only_its_own() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let id = "20240101-090000-abcd";
        let walk = Store::open(tmp.path()).expect("open");
        let other = Store::open(tmp.path()).expect("open");
        let mine = session(id, "2024-01-01T09:00:00+01:00", "mine");
        walk.save_walk(&mine).expect("first save");
        // Held open by the walk: another store cannot open it to continue.
        assert!(matches!(
            other.open_session(id),
            Err(StoreError::OpenElsewhere { .. })
        ));
        // Another writer (not a walk of this program) changes it.
        let theirs = session(id, "2024-01-01T09:00:00+01:00", "theirs");
        other.save_over(&theirs).expect("their save");
        let later = session(id, "2024-01-01T09:00:00+01:00", "mine, later");
        let refused = walk.save_walk(&later);
        assert!(
            matches!(refused, Err(StoreError::ChangedMeanwhile { .. })),
            "{refused:?}"
        );
        assert!(refused.unwrap_err().is_stale());
        assert_eq!(other.load(id).expect("load"), theirs);
        // Nor does the walk's discard throw their version away.
        walk.discard_walk(id).expect("discard");
        assert_eq!(other.load(id).expect("load"), theirs);
        // Its own, unchanged draft it does remove; and lets go of it.
        let own = "20240101-090000-beef";
        walk.save_walk(&session(own, "2024-01-01T09:00:00+01:00", "draft"))
            .expect("save");
        assert!(!walk.open_elsewhere(own) && other.open_elsewhere(own));
        walk.discard_walk(own).expect("discard");
        assert!(!walk.session_path(own).exists());
        assert!(!other.open_elsewhere(own));
        // A migration keeps the JSON, so it is no change.
        let plain = "20240101-090000-cafe";
        walk.save_walk(&session(plain, "2024-01-01T09:00:00+01:00", "x"))
            .expect("save");
        let bytes = fs::read(walk.session_path(plain)).expect("read");
        write_atomic(&walk.session_path(plain), &bytes).expect("rewrite");
        walk.save_walk(&session(plain, "2024-01-01T09:00:00+01:00", "y"))
            .expect("the same bytes rewritten are no change");
    }

    #[test]
    fn a_walk_never_saves_over_a_session_it_did_not_read_nor_revives_a_deleted_one() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let id = "20240101-090000-abcd";
        let theirs = session(id, "2024-01-01T09:00:00+01:00", "theirs");
        Store::open(tmp.path())
            .expect("open")
            .save_over(&theirs)
            .expect("save");
        // A second walk whose new id collided: refused, theirs kept.
        let mine = Store::open(tmp.path()).expect("open");
        let colliding = session(id, "2024-01-01T09:00:00+01:00", "mine");
        assert!(matches!(
            mine.save_walk(&colliding),
            Err(StoreError::IdTaken { .. })
        ));
        assert_eq!(mine.load(id).expect("load"), theirs);
        // Read first (a resume): then saving replaces it.
        mine.save_walk(&colliding).expect("resume saves");
        // Deleted by another command meanwhile: not brought back.
        Store::open(tmp.path())
            .expect("open")
            .delete(id)
            .expect("delete");
        assert!(matches!(
            mine.save_walk(&colliding),
            Err(StoreError::DeletedMeanwhile { .. })
        ));
        assert!(names_in(&tmp.path().join("sessions")).is_empty());
        // A new id is the start second and 32 random bits, and differs.
        let at = DateTime::parse_from_rfc3339("2024-01-01T09:00:00+01:00").expect("time");
        let ids: std::collections::HashSet<String> = (0..1000)
            .map(|_| crate::journal::new_session_id(&at))
            .collect();
        assert_eq!(ids.len(), 1000);
        for id in &ids {
            assert!(is_valid_id(id));
            assert_eq!(id.len(), "20240101-090000-".len() + 8, "{id}");
            assert!(id.starts_with("20240101-090000-"));
        }
    }

    #[test]
    fn a_full_disk_is_called_full() {
        // What the standard library makes of ENOSPC and EDQUOT.
        for kind in [io::ErrorKind::StorageFull, io::ErrorKind::QuotaExceeded] {
            let err = StoreError::Io {
                path: PathBuf::from("/data/sessions/x.json"),
                source: io::Error::from(kind),
            };
            assert_eq!(
                err.to_string(),
                "could not write /data/sessions/x.json: the disk is full; free some space and try again"
            );
        }
        let err = StoreError::NotWritable {
            path: PathBuf::from("/data/sessions"),
            source: io::Error::from(io::ErrorKind::StorageFull),
        };
        assert!(err.to_string().contains("the disk is full"), "{err}");
    }

    #[test]
    fn error_messages_escape_paths() {
        let err = StoreError::Symlink {
            path: PathBuf::from("/tmp/a\x1b]0;x\x07\nb"),
        };
        let message = err.to_string();
        assert!(
            !message.contains('\x1b') && !message.contains('\n'),
            "{message}"
        );
        assert!(
            message.starts_with("the data directory /tmp/a\\x1b]0;x\\x07\\nb is a symbolic link")
        );
    }
}
