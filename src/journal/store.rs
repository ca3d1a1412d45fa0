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

use std::ffi::OsString;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::lock::{Key, Mode, SEALED};
use super::record::Session;
use crate::sanitize;

/// The environment variable that names the data directory.
pub const DATA_DIR_ENV: &str = "REPAIR_DATA_DIR";

/// Owner-only permissions for directories and files the store creates.
const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

/// Marks the store's temporary files: `.<target name>.repair-tmp-<pid>-<n>`.
/// The sweep removes only names of exactly this shape.
const TEMP_MARK: &str = ".repair-tmp-";

/// Longest target-name prefix kept in a temporary file's name, so the temp
/// name stays under the usual 255-byte file-name limit.
const TEMP_NAME_PREFIX_MAX: usize = 96;

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
    #[error("could not read or write {} ({source}); check that it exists and that you may use it", shown(.path))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the data directory {} is a symbolic link; for privacy repair-practice only uses a real directory: pass --data-dir with another path", shown(.path))]
    Symlink { path: PathBuf },
    #[error("the data directory {} is not a directory: pass --data-dir with another path", shown(.path))]
    NotADirectory { path: PathBuf },
    #[error("the data directory {} belongs to another user (uid {owner}; you are uid {you}); for privacy repair-practice only uses a directory you own: pass --data-dir with another path", shown(.path))]
    WrongOwner { path: PathBuf, owner: u32, you: u32 },
    #[error("{} is not a valid session id; ids use only letters, digits and '-'", shown_id(.id))]
    BadId { id: String },
    #[error("cannot save in {} ({source}); free some space or fix its permissions, or pass --data-dir with another path", shown(.path))]
    NotWritable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the saved session {} cannot be read ({reason}); it has been left untouched", shown(.path))]
    Corrupt { path: PathBuf, reason: String },
    #[error("there is no saved session {} (looked for {})", shown_id(.id), shown(.path))]
    NoSuchSession { id: String, path: PathBuf },
    #[error("your notes are encrypted and have not been unlocked; give the passphrase when asked")]
    Locked,
    #[error("that passphrase is not the one that protects your notes; nothing was changed")]
    WrongPassphrase,
    #[error("the key file {} is damaged and cannot be opened; restore it from a backup, as without it the encrypted notes cannot be read", shown(.path))]
    IdentityDamaged { path: PathBuf },
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

/// The data directory: `--data-dir`, else `$REPAIR_DATA_DIR` (if set and not
/// empty), else the platform's per-user data directory
/// (`~/.local/share/repair-practice` on Linux).
pub fn data_dir(flag: Option<&Path>) -> Result<PathBuf, DataDirError> {
    resolve_data_dir(flag, std::env::var_os(DATA_DIR_ENV), platform_data_dir)
}

/// [`data_dir`] with the environment and platform lookups passed in, so the
/// precedence can be tested without touching the process environment or the
/// real home directory.
fn resolve_data_dir(
    flag: Option<&Path>,
    env: Option<OsString>,
    platform: impl FnOnce() -> Option<PathBuf>,
) -> Result<PathBuf, DataDirError> {
    if let Some(flag) = flag {
        if flag.as_os_str().is_empty() {
            return Err(DataDirError::EmptyFlag);
        }
        return Ok(flag.to_path_buf());
    }
    if let Some(env) = env.filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(env));
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
    /// Whether notes are encrypted at rest (see [`super::lock`]).
    pub(super) mode: Mode,
    /// The unlocked identity, when the mode needs one and it was given.
    pub(super) key: Option<Key>,
}

impl Store {
    /// Opens (creating if needed) the private data directory and `sessions/`
    /// inside it, sweeps leftovers of killed writes, and proves a save will
    /// work, so a problem shows before the user has typed anything.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let mut notices = Vec::new();
        ensure_private_dir(dir, &mut notices)?;
        let sessions = dir.join(SESSIONS);
        if ensure_private_dir(&sessions, &mut notices)? {
            // Make the new `sessions/` entry itself durable.
            sync_dir(dir)?;
        }
        sweep_temp_files(dir, &mut notices);
        sweep_temp_files(&sessions, &mut notices);
        probe_writable(&sessions)?;
        let mode = Mode::of(dir)?;
        Ok(Store {
            dir: dir.to_path_buf(),
            notices,
            mode,
            key: None,
        })
    }

    /// Whether notes are encrypted at rest.
    pub fn encryption(&self) -> Mode {
        self.mode
    }

    /// Whether the passphrase is needed before notes can be read or saved.
    pub fn is_locked(&self) -> bool {
        self.mode != Mode::Off && self.key.is_none()
    }

    /// A copy of the unlocked key, for a second store of the same directory
    /// opened later in the same run (see [`Store::unlock_with`]).
    pub fn hand_over(&self) -> Option<Key> {
        self.key.clone()
    }

    /// Unlocks with a key handed over from another store of this directory.
    pub fn unlock_with(&mut self, key: Key) {
        if self.mode != Mode::Off {
            self.key = Some(key);
        }
    }

    /// Opens the identity file with `passphrase`. Nothing is written.
    pub fn unlock(&mut self, passphrase: &age::secrecy::SecretString) -> Result<(), StoreError> {
        let Some(name) = self.mode.identity_file() else {
            return Ok(());
        };
        let path = self.dir.join(name);
        let wrapped = fs::read(&path).map_err(io_err(&path))?;
        match Key::unwrap(&wrapped, passphrase) {
            Ok(key) => {
                self.key = Some(key);
                Ok(())
            }
            Err(super::lock::UnwrapError::WrongPassphrase) => Err(StoreError::WrongPassphrase),
            Err(super::lock::UnwrapError::Damaged) => Err(StoreError::IdentityDamaged { path }),
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
        self.dir.join("protocols")
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

    /// Writes the session atomically and durably, replacing any earlier
    /// version with the same id.
    pub fn save(&self, session: &Session) -> Result<(), StoreError> {
        check_id(&session.id)?;
        let plain = self.session_path(&session.id);
        let sealed = self.sealed_path(&session.id);
        let mut bytes = Zeroizing::new(
            serde_json::to_vec_pretty(session).map_err(|e| io_err(&plain)(io::Error::other(e)))?,
        );
        bytes.push(b'\n');
        if self.mode == Mode::Off {
            write_atomic(&plain, &bytes)?;
            return remove_if_present(&sealed);
        }
        let key = self.require_key()?;
        if self.mode.seals() {
            let ciphertext = key.seal(&bytes).map_err(io_err(&sealed))?;
            write_atomic(&sealed, &ciphertext)?;
            remove_if_present(&plain)
        } else {
            write_atomic(&plain, &bytes)?;
            remove_if_present(&sealed)
        }
    }

    /// Removes the saved session; a session that was never saved is fine.
    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        check_id(id)?;
        remove_if_present(&self.session_path(id))?;
        remove_if_present(&self.sealed_path(id))
    }

    /// Reads one saved session.
    pub fn load(&self, id: &str) -> Result<Session, StoreError> {
        check_id(id)?;
        let plain = self.session_path(id);
        let sealed = self.sealed_path(id);
        let order = if self.mode.seals() {
            [(sealed, true), (plain, false)]
        } else {
            [(plain, false), (sealed, true)]
        };
        for (path, is_sealed) in order {
            let raw = match fs::read(&path) {
                Ok(raw) => raw,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_err(&path)(e)),
            };
            if is_sealed && self.is_locked() {
                return Err(StoreError::Locked);
            }
            return self
                .decode(raw, is_sealed, id)
                .map_err(|reason| StoreError::Corrupt { path, reason });
        }
        Err(StoreError::NoSuchSession {
            id: id.to_string(),
            path: self.session_path(id),
        })
    }

    /// A session from a file's bytes, opening a sealed one with the key.
    fn decode(&self, raw: Vec<u8>, sealed: bool, id: &str) -> Result<Session, String> {
        if !sealed {
            return parse_session(&raw, id);
        }
        let key = self.key.as_ref().ok_or_else(|| {
            "it is encrypted, and the passphrase is needed to read it".to_string()
        })?;
        parse_session(&key.open(&raw)?, id)
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
        let dir = self.sessions_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                return vec![Listed::Unreadable {
                    path: dir,
                    reason: format!("cannot list the directory: {e}"),
                }];
            }
        };
        let mut sessions = Vec::new();
        let mut unreadable = Vec::new();
        // Each id's plain and sealed file; the mode's own form is read.
        let mut found: BTreeMap<String, [Option<fs::DirEntry>; 2]> = BTreeMap::new();
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    unreadable.push((dir.clone(), format!("cannot list the directory: {e}")));
                    continue;
                }
            };
            let Some((id, sealed)) = listed_id(&entry.path()) else {
                continue;
            };
            if !wanted(&id) {
                continue;
            }
            found.entry(id).or_default()[usize::from(sealed)] = Some(entry);
        }
        for (id, [plain, sealed]) in found {
            let (entry, is_sealed) = match (plain, sealed) {
                (Some(_), Some(s)) if self.mode.seals() => (s, true),
                (Some(p), _) => (p, false),
                (None, Some(s)) => (s, true),
                (None, None) => continue,
            };
            let path = entry.path();
            match self.read_listed(&entry, &path, &id, is_sealed) {
                Ok(session) => sessions.push(session),
                Err(reason) => unreadable.push((path, reason)),
            }
        }
        sessions.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
        unreadable.sort();
        let sessions = sessions.into_iter().map(Listed::Session);
        let unreadable = unreadable
            .into_iter()
            .map(|(path, reason)| Listed::Unreadable { path, reason });
        sessions.chain(unreadable).collect()
    }
}

impl Store {
    /// Reads one listed file, or says in a few words why it cannot be shown.
    fn read_listed(
        &self,
        entry: &fs::DirEntry,
        path: &Path,
        id: &str,
        sealed: bool,
    ) -> Result<Session, String> {
        // A name save/load/delete would refuse could never be managed here.
        if check_id(id).is_err() {
            return Err("the file name is not a session id".to_string());
        }
        // Only regular files: a symlink or directory here was not made by us.
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        if !kind.is_file() {
            return Err("not a regular file".to_string());
        }
        let bytes = fs::read(path).map_err(|e| e.to_string())?;
        self.decode(bytes, sealed, id)
    }
}

/// The id part of a visible `<id>.json` or `<id>.json.age` file name and
/// whether it is the sealed form, or None for anything the listing should
/// not show (temporary files, other files).
fn listed_id(path: &Path) -> Option<(String, bool)> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with('.') {
        return None;
    }
    if let Some(id) = name.strip_suffix(SEALED) {
        return Some((id.to_string(), true));
    }
    Some((name.strip_suffix(".json")?.to_string(), false))
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
    let mut found: BTreeMap<String, Forms> = BTreeMap::new();
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        let Some((id, sealed)) = listed_id(&path) else {
            continue;
        };
        if check_id(&id).is_err() || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let forms = found.entry(id).or_default();
        if sealed {
            forms.sealed = Some(path);
        } else {
            forms.plain = Some(path);
        }
    }
    Ok(found)
}

/// Removes a file if it is there, durably.
fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(parent_dir(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Parses a session file and checks it belongs under this id. The reason
/// given on failure names only the kind and place of the problem: serde's own
/// messages can quote values from the file, which may be note text.
pub(super) fn parse_session(bytes: &[u8], id: &str) -> Result<Session, String> {
    let session: Session = serde_json::from_slice(bytes).map_err(|e| parse_reason(&e))?;
    if session.id != id {
        return Err("the session id inside does not match the file name".to_string());
    }
    Ok(session)
}

fn parse_reason(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "the file ends early, probably cut off",
        Category::Syntax => "not valid JSON",
        Category::Data => "JSON that is not a session",
        Category::Io => "could not be read",
    };
    format!("{what}, at line {} column {}", e.line(), e.column())
}

/// Whether `id` may name a session file (see [`check_id`]).
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
fn ensure_private_dir(path: &Path, notices: &mut Vec<String>) -> Result<bool, StoreError> {
    let created = match fs::symlink_metadata(path) {
        Ok(_) => false,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // The mode is applied by mkdir itself, so there is no moment when
            // the directory is open to others.
            DirBuilder::new()
                .recursive(true)
                .mode(DIR_MODE)
                .create(path)
                .map_err(io_err(path))?;
            true
        }
        Err(e) => return Err(io_err(path)(e)),
    };
    let dir = open_dir_nofollow(path)?;
    let meta = dir.metadata().map_err(io_err(path))?;
    check_owner(path, meta.uid(), effective_uid())?;
    if needs_tightening(meta.mode()) {
        // fchmod on the handle we checked, not chmod on a path that could
        // have been swapped since.
        dir.set_permissions(fs::Permissions::from_mode(DIR_MODE))
            .map_err(io_err(path))?;
        notices.push(format!(
            "Tightened permissions on {} to owner-only (0700).",
            shown(path)
        ));
    }
    Ok(created)
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
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_DIRECTORY)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => StoreError::Symlink {
                path: path.to_path_buf(),
            },
            Some(libc::ENOTDIR) => StoreError::NotADirectory {
                path: path.to_path_buf(),
            },
            _ => io_err(path)(e),
        })
}

fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
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

/// Writes `bytes` to `path` so that, whatever happens, `path` holds either its
/// old content or all of the new: a new owner-only (0600) temporary file in
/// the same directory, fully written and synced, renamed over `path`, then the
/// directory synced so the rename itself survives a power cut. The file ends
/// up 0600 even if an older `path` was more open.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let name = path.file_name().ok_or_else(|| {
        io_err(path)(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not name a file",
        ))
    })?;
    let dir = parent_dir(path);
    let (tmp, file) = create_temp(dir, name).map_err(io_err(path))?;
    let written = fill_and_sync(file, bytes).and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = written {
        // Best effort: a leftover would be swept at the next open anyway.
        let _ = fs::remove_file(&tmp);
        return Err(io_err(path)(e));
    }
    sync_dir(dir)
}

/// The directory a file lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates a new temporary file for `name` in `dir`, owner-only from the
/// start. `create_new` never opens someone else's file; a name left behind by
/// an earlier process with the same pid is skipped.
fn create_temp(dir: &Path, name: &std::ffi::OsStr) -> io::Result<(PathBuf, File)> {
    let mut last_err = None;
    for _ in 0..8 {
        let tmp = dir.join(temp_name(name));
        let opened = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&tmp);
        match opened {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// `.<name>.repair-tmp-<pid>-<n>`: hidden, unique within this process, and
/// recognisable by [`temp_file_pid`].
fn temp_name(name: &std::ffi::OsStr) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = name.to_string_lossy();
    let prefix: String = name.chars().take(TEMP_NAME_PREFIX_MAX).collect();
    format!(".{prefix}{TEMP_MARK}{}-{n}", std::process::id())
}

/// The pid of the process that made a temporary file with this name, or None
/// if the name is not one of ours.
fn temp_file_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (_, tail) = rest.rsplit_once(TEMP_MARK)?;
    let (pid, n) = tail.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    // A pid too long to parse cannot be a running process.
    Some(pid.parse().unwrap_or(0))
}

fn fill_and_sync(mut file: File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// fsyncs a directory so a rename, creation or removal in it is durable.
pub(super) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    let synced = File::open(dir).and_then(|d| d.sync_all());
    match synced {
        Ok(()) => Ok(()),
        // Some file systems cannot sync a directory; the data itself is
        // already synced, so this is not worth failing a save over.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(io_err(dir)(e)),
    }
}

/// Removes temporary files left in `dir` by writes that were killed. Only our
/// own temp-name pattern is touched, and only when the process that made the
/// file is gone, so a second copy of the program saving right now is not
/// disturbed.
fn sweep_temp_files(dir: &Path, notices: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_file_pid) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !is_file || process_is_running(pid) {
            continue;
        }
        let path = entry.path();
        if let Err(e) = fs::remove_file(&path)
            && e.kind() != io::ErrorKind::NotFound
        {
            notices.push(format!(
                "Could not remove the leftover temporary file {} ({e}).",
                shown(&path)
            ));
        }
    }
}

/// Whether a process with this pid exists (it may be someone else's).
fn process_is_running(pid: u32) -> bool {
    // 0 and values past i32 would make kill() address a group or fail.
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Proves a save in `dir` will work by doing one: a small file written the
/// same atomic way as a session, then removed. Its name is itself a temp
/// name, so a probe left by a kill is swept like any other.
fn probe_writable(dir: &Path) -> Result<(), StoreError> {
    let probe = dir.join(temp_name("write-probe".as_ref()));
    let not_writable = |source| StoreError::NotWritable {
        path: dir.to_path_buf(),
        source,
    };
    match write_atomic(&probe, b"ok\n") {
        Ok(()) => {}
        Err(StoreError::Io { source, .. }) => return Err(not_writable(source)),
        Err(other) => return Err(other),
    }
    fs::remove_file(&probe).map_err(not_writable)?;
    sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{StepRecord, StepStatus};
    use chrono::DateTime;

    fn session(id: &str, started: &str, notes: &str) -> Session {
        let started_at = DateTime::parse_from_rfc3339(started).expect("test timestamp");
        Session {
            id: id.to_string(),
            mode: "practice".to_string(),
            protocol: "rupture-repair".to_string(),
            protocol_title: "Rupture repair".to_string(),
            drill: None,
            started_at,
            finished_at: None,
            complete: false,
            steps: vec![StepRecord {
                id: "notice".to_string(),
                title: "Notice the rupture".to_string(),
                status: StepStatus::Done,
                notes: notes.to_string(),
                pause_seconds: Some(30),
            }],
            extra: Default::default(),
        }
    }

    fn mode_of(path: &Path) -> u32 {
        fs::symlink_metadata(path).expect("metadata").mode() & 0o7777
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    // A pid no system hands out (above the Linux maximum of 2^22).
    const DEAD_PID: u32 = 999_999_999;

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
        store.save(&s).expect("save");
        assert_eq!(mode_of(&store.session_path(&s.id)), 0o600);

        let export = dir.join("export.json");
        write_atomic(&export, b"[]\n").expect("write");
        assert_eq!(mode_of(&export), 0o600);
    }

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

    #[test]
    fn an_unwritable_dir_fails_at_open_naming_the_path() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        Store::open(&dir).expect("open");
        let sessions = dir.join("sessions");
        fs::set_permissions(&sessions, fs::Permissions::from_mode(0o500)).expect("chmod");
        let result = Store::open(&dir);
        fs::set_permissions(&sessions, fs::Permissions::from_mode(0o700)).expect("chmod back");
        if effective_uid() == 0 {
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

    #[test]
    fn save_replace_load_delete_round_trip() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        let first = session(id, "2024-01-01T09:00:00+01:00", "first");
        store.save(&first).expect("save");
        assert_eq!(store.load(id).expect("load"), first);

        let mut second = first.clone();
        second.steps[0].notes = "second, longer than the first".to_string();
        second.complete = true;
        store.save(&second).expect("replace");
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
        store.save(&s).expect("save");
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
                matches!(store.save(&s), Err(StoreError::BadId { .. })),
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
            store.save(&s).expect("save");
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
            store.save(s).expect("save");
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
        store.save(&s).expect("save");
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
    fn data_dir_prefers_flag_then_env_then_platform() {
        let platform = || Some(PathBuf::from("/home/u/.local/share/repair-practice"));
        let flag = Path::new("/flag");
        let env = || Some(OsString::from("/env"));
        assert_eq!(
            resolve_data_dir(Some(flag), env(), platform).ok(),
            Some(flag.into())
        );
        assert_eq!(
            resolve_data_dir(None, env(), platform).ok(),
            Some("/env".into())
        );
        assert_eq!(
            resolve_data_dir(None, Some(OsString::new()), platform).ok(),
            platform()
        );
        assert_eq!(resolve_data_dir(None, None, platform).ok(), platform());
        assert!(matches!(
            resolve_data_dir(None, None, || None),
            Err(DataDirError::NotFound)
        ));
        assert!(matches!(
            resolve_data_dir(Some(Path::new("")), env(), platform),
            Err(DataDirError::EmptyFlag)
        ));
        let message = DataDirError::NotFound.to_string();
        assert!(message.contains("--data-dir") && message.contains(DATA_DIR_ENV));
    }

    #[test]
    fn platform_default_is_named_for_the_program() {
        // Only computes the path; nothing is created there.
        if let Some(dir) = platform_data_dir() {
            assert!(dir.ends_with("repair-practice"), "{}", dir.display());
        }
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
