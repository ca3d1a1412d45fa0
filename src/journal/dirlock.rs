//! The one advisory lock over a data directory.
//!
//! The lock is `flock(2)` on the data directory itself (opened read-only,
//! without following a symbolic link), so there is no lock file to create,
//! sweep or leave behind, it works on a read-only file system, and the kernel
//! drops it when the process ends, however it ends (a SIGKILL included).
//!
//! Every change to the store happens under it (see the rule in
//! `store.rs`): a save or a delete holds it for that one write; `notes
//! encrypt`, `notes decrypt`, `notes import` and `notes delete` hold it from
//! before they look at the store until they are done. Reading needs no lock:
//! every file is replaced atomically, so a reader sees the old or the new one.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub struct DirLock {
    dir: File,
}

impl DirLock {
    /// Takes the lock, waiting for whoever holds it. `on_wait` is called once,
    /// before waiting, if the lock is not free at once (to say so).
    pub fn acquire(dir: &Path, on_wait: impl FnOnce()) -> io::Result<DirLock> {
        let file = open_dir(dir)?;
        if flock(&file, libc::LOCK_EX | libc::LOCK_NB)? {
            return Ok(DirLock { dir: file });
        }
        on_wait();
        loop {
            if flock(&file, libc::LOCK_EX)? {
                return Ok(DirLock { dir: file });
            }
        }
    }

    /// Takes the lock only if it is free now.
    pub fn try_acquire(dir: &Path) -> io::Result<Option<DirLock>> {
        let file = open_dir(dir)?;
        Ok(flock(&file, libc::LOCK_EX | libc::LOCK_NB)?.then_some(DirLock { dir: file }))
    }
}

/// The directory itself, to lock (never through a link).
fn open_dir(dir: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(dir)
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Closing the descriptor releases the lock too; this just says so.
        // SAFETY: the descriptor is open for as long as `self.dir` lives.
        unsafe { libc::flock(self.dir.as_raw_fd(), libc::LOCK_UN) };
    }
}

/// One flock call: Ok(true) when taken, Ok(false) when busy (non-blocking)
/// or interrupted by a signal (blocking; the caller tries again).
fn flock(file: &File, how: libc::c_int) -> io::Result<bool> {
    // SAFETY: flock on a descriptor we own; no memory is passed.
    let rc = unsafe { libc::flock(file.as_raw_fd(), how) };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EWOULDBLOCK) | Some(libc::EINTR) => Ok(false),
        _ => Err(e),
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
