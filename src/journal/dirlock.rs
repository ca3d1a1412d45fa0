//! The one advisory lock over a data directory.
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

use std::fs::{File, TryLockError};
use std::io;
use std::path::Path;

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

    #[test]
    fn a_symbolic_link_is_not_followed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(tmp.path(), &link).expect("symlink");
        assert!(DirLock::acquire(&link, || {}).is_err());
    }
}
