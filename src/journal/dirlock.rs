//! The advisory locks of a data directory: the one lock over the whole
//! directory ([`DirLock`]) and the lock that keeps one session open in one
//! window at a time ([`SessionLock`]).
//!
//! The lock is the standard library's `File::lock` (`flock(2)` on Unix) on
//! the data directory itself (opened read-only, without following a
//! symbolic link), so there is no lock file to create, sweep or leave
//! behind, it works on a read-only file system, and the kernel drops it
//! when the process ends, however it ends (a SIGKILL included). Where a
//! directory cannot be locked (Windows), [`platform::lock_target`] names a
//! lock file in it instead.
//!
//! Every change to the store happens under it (see the rule in
//! `store.rs`): a save or a delete holds it for that one write; `notes
//! encrypt`, `notes decrypt`, `notes import` and `notes delete` hold it from
//! before they look at the store until they are done. Reading needs no lock:
//! every file is replaced atomically, so a reader sees the old or the new one.

use std::fs::{self, DirBuilder, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use crate::platform;

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub struct DirLock {
    dir: File,
}

impl DirLock {
    /// Takes the lock, waiting for whoever holds it. `on_wait` is called once,
    /// before waiting, if the lock is not free at once (to say so).
    pub fn acquire(dir: &Path, on_wait: impl FnOnce()) -> io::Result<DirLock> {
        let file = platform::lock_target(dir)?;
        if try_lock(&file)? {
            return Ok(DirLock { dir: file });
        }
        on_wait();
        loop {
            match file.lock() {
                Ok(()) => return Ok(DirLock { dir: file }),
                // A signal interrupted the wait: wait again.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Takes the lock only if it is free now.
    pub fn try_acquire(dir: &Path) -> io::Result<Option<DirLock>> {
        let file = platform::lock_target(dir)?;
        Ok(try_lock(&file)?.then_some(DirLock { dir: file }))
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; this just says so.
        let _ = self.dir.unlock();
    }
}

/// Ok(true) when taken, Ok(false) when someone else holds it (or a signal
/// interrupted the attempt).
fn try_lock(file: &File) -> io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Interrupted => Ok(false),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// The subdirectory of the data directory holding one lock file per
/// session that is open in a window.
pub const OPEN: &str = "open";

/// A session open in this window: an exclusive lock (`File::try_lock`, so
/// `flock`) on `<data>/open/<id>.lock`, a 0600 file in a 0700 directory.
/// The kernel drops the lock when the process ends, however it ends; a
/// second window that finds it held says the session is open elsewhere
/// instead of opening it.
///
/// The lock file is removed while the lock is still held, when this is
/// dropped, so the directory does not fill with them; a taker therefore
/// checks, once it holds the lock, that the name still leads to the file it
/// locked (else it raced a removal and takes the new file instead). A file
/// left by a killed process holds no lock and is simply taken over.
#[derive(Debug)]
pub struct SessionLock {
    file: File,
    path: PathBuf,
}

impl SessionLock {
    /// Takes the lock of session `id` in the data directory `dir` if no
    /// other window holds it: `Ok(None)` when one does.
    pub fn try_acquire(dir: &Path, id: &str) -> io::Result<Option<SessionLock>> {
        let open = dir.join(OPEN);
        ensure_open_dir(&open)?;
        let path = open.join(format!("{id}.lock"));
        // A removal can only win a race a few times in a row if another
        // window keeps opening and closing this session; give up then.
        for _ in 0..8 {
            let file = platform::create_lock_file(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(e),
            }
            let held = file.metadata()?;
            match fs::symlink_metadata(&path) {
                Ok(named) if platform::same_file(&named, &held) => {
                    return Ok(Some(SessionLock { file, path }));
                }
                // Removed (or replaced) by the holder just before it let
                // go: lock the file that has the name now.
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// Whether session `id` is open in another window now (its lock is
    /// held by another process). A lock this process holds is not seen
    /// here: ask the store that holds it.
    pub fn held_elsewhere(dir: &Path, id: &str) -> bool {
        let path = dir.join(OPEN).join(format!("{id}.lock"));
        // Opened without creating: no lock file means nobody holds it.
        let Ok(file) = platform::open_file_nofollow(&path) else {
            return false;
        };
        match file.try_lock_shared() {
            Ok(()) => false,
            Err(TryLockError::WouldBlock) => true,
            Err(TryLockError::Error(_)) => false,
        }
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        // Removed while still held (see the type's docs); the lock goes
        // with the descriptor right after. A failed removal leaves an
        // unlocked file, which the next taker simply locks.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// `<data>/open`, created owner-only if missing; a symbolic link there is
/// refused, as everywhere in the data directory.
fn ensure_open_dir(open: &Path) -> io::Result<()> {
    match fs::symlink_metadata(open) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(io::Error::other(format!(
            "{} is not a directory",
            open.display()
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            match platform::owner_only_dir(&mut DirBuilder::new()).create(open) {
                Ok(()) => Ok(()),
                // Made by another window just now.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_and_a_drop_releases() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let first = DirLock::acquire(tmp.path(), || panic!("free")).expect("lock");
        assert!(DirLock::try_acquire(tmp.path()).expect("try").is_none());
        drop(first);
        assert!(DirLock::try_acquire(tmp.path()).expect("try").is_some());
    }

    // Made as Unix makes one; Windows needs a privilege for it.
    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_not_followed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(tmp.path(), &link).expect("symlink");
        assert!(DirLock::acquire(&link, || {}).is_err());
    }

    #[test]
    fn a_session_is_open_in_one_holder_at_a_time_and_its_file_goes_with_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let first = SessionLock::try_acquire(tmp.path(), "a")
            .expect("lock")
            .expect("free");
        let file = tmp.path().join(OPEN).join("a.lock");
        crate::journal::fixtures::assert_mode(&file, 0o600);
        crate::journal::fixtures::assert_mode(&tmp.path().join(OPEN), 0o700);
        assert!(
            SessionLock::try_acquire(tmp.path(), "a")
                .expect("try")
                .is_none()
        );
        assert!(SessionLock::held_elsewhere(tmp.path(), "a"));
        assert!(
            SessionLock::try_acquire(tmp.path(), "b")
                .expect("try")
                .is_some()
        );
        drop(first);
        assert!(!file.exists());
        assert!(!SessionLock::held_elsewhere(tmp.path(), "a"));
        assert!(
            SessionLock::try_acquire(tmp.path(), "a")
                .expect("try")
                .is_some()
        );
    }

    #[test]
    fn a_lock_file_left_by_a_killed_holder_is_taken_over() {
        let tmp = tempfile::tempdir().expect("tempdir");
        fs::create_dir(tmp.path().join(OPEN)).unwrap();
        fs::write(tmp.path().join(OPEN).join("a.lock"), b"").unwrap();
        assert!(!SessionLock::held_elsewhere(tmp.path(), "a"));
        assert!(
            SessionLock::try_acquire(tmp.path(), "a")
                .expect("try")
                .is_some()
        );
    }
}
