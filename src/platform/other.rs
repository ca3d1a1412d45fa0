//! The non-Unix side of [`crate::platform`] (Windows): no permission bits
//! (the profile's access list protects the data directory), no directory
//! handles for locking or syncing, and no raw terminal for a passphrase.
//! CI checks it (`cargo clippy --target x86_64-pc-windows-msvc`) but cannot
//! run it; kept to what the standard library does everywhere.

use std::ffi::OsStr;
use std::fs::{DirBuilder, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use super::RawError;

/// Nothing to add: the new directory inherits the profile's access list.
pub(crate) fn owner_only_dir(builder: &mut DirBuilder) -> &mut DirBuilder {
    builder
}

/// Nothing to add: the new file inherits the profile's access list.
pub(crate) fn owner_only_file(options: &mut OpenOptions) -> &mut OpenOptions {
    options
}

/// No permission bits to set.
pub(crate) fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Every file counts as the user's own (see the module docs).
pub(crate) fn owner(_meta: &Metadata) -> u32 {
    effective_uid()
}

/// Every file counts as owner-only (see the module docs).
pub(crate) fn mode(meta: &Metadata) -> u32 {
    if meta.is_dir() { 0o700 } else { 0o600 }
}

pub(crate) fn effective_uid() -> u32 {
    0
}

/// `FILE_FLAG_BACKUP_SEMANTICS` (a directory can be opened at all) and
/// `FILE_FLAG_OPEN_REPARSE_POINT` (a link is opened, not followed).
const DIRECTORY_FLAGS: u32 = 0x0200_0000 | 0x0020_0000;
const NOFOLLOW_FLAGS: u32 = 0x0020_0000;

pub(crate) fn open_dir_nofollow(path: &Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    let dir = OpenOptions::new()
        .read(true)
        .custom_flags(DIRECTORY_FLAGS)
        .open(path)?;
    if !dir.metadata()?.is_dir() {
        return Err(io::ErrorKind::NotADirectory.into());
    }
    Ok(dir)
}

pub(crate) fn open_file_nofollow(path: &Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(NOFOLLOW_FLAGS)
        .open(path)
}

pub(crate) fn create_lock_file(path: &Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(NOFOLLOW_FLAGS)
        .open(path)
}

/// The standard library has no stable file identity here, so a directory
/// replaced under a running command is not noticed by identity.
pub(crate) fn file_identity(_meta: &Metadata) -> Option<(u64, u64)> {
    None
}

/// The standard library has no stable file identity here; a lock file
/// replaced between the lock and this check is taken as the same, which at
/// worst lets two windows open one session in a race the store's
/// generation check still catches at save.
pub(crate) fn same_file(_a: &Metadata, _b: &Metadata) -> bool {
    true
}

/// A link is opened as itself here, never refused: callers check for one
/// first.
pub(crate) fn refused_link(_e: &io::Error) -> bool {
    false
}

/// Files are not opened inside an open directory here: callers open them
/// by path.
pub(crate) fn dir_for_opening_in(_dir: &Path) -> Option<File> {
    None
}

/// Never reached: directory handles are not used to open files here, so
/// callers open by path.
pub(crate) fn open_in(_dir: &File, _name: &OsStr) -> io::Result<File> {
    Err(io::ErrorKind::Unsupported.into())
}

/// No file is ever open to others here (see the module docs).
pub(crate) fn loose_file_in(_handle: Option<&File>, _dir: &Path, _name: &OsStr) -> bool {
    false
}

/// A directory cannot be synced here; NTFS journals its renames.
pub(crate) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// The file in a data directory that its lock is taken on.
/// Tests leave it out of a folder's listing.
#[cfg(test)]
pub(crate) const LOCK_FILE: Option<&str> = Some(LOCK_NAME);
const LOCK_NAME: &str = ".repair-lock";

/// A directory cannot be locked here: a lock file in it is.
pub(crate) fn lock_target(dir: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(LOCK_NAME))
}

/// Whether process `pid` is still running, asked of Windows by opening the
/// process for the least access there is. Elsewhere off Unix (no such call)
/// nobody can tell, and a temporary file is judged by its age instead.
#[cfg(windows)]
pub(crate) fn process_is_running(pid: u32) -> Option<bool> {
    use windows_sys::Win32::Foundation::{
        CloseHandle, ERROR_ACCESS_DENIED, ERROR_INVALID_PARAMETER, GetLastError, STILL_ACTIVE,
    };
    use windows_sys::Win32::System::Threading::{
        GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
    };
    // SAFETY: OpenProcess takes plain values and returns a handle or null;
    // no memory of ours is lent to it.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if handle.is_null() {
        // SAFETY: reads this thread's last error; takes nothing.
        let error = unsafe { GetLastError() };
        return match error {
            // No process has that number.
            ERROR_INVALID_PARAMETER => Some(false),
            // It exists but belongs to someone we may not look at.
            ERROR_ACCESS_DENIED => Some(true),
            _ => None,
        };
    }
    let mut code = 0u32;
    // SAFETY: `handle` was just opened and is closed once, below; `code`
    // is a live u32 the call writes into.
    let asked = unsafe { GetExitCodeProcess(handle, &mut code) };
    // SAFETY: `handle` is open and not used after this.
    unsafe { CloseHandle(handle) };
    // A process that exited but whose handle someone still holds is gone
    // for our purpose; STILL_ACTIVE is what a running one reports.
    (asked != 0).then_some(code == STILL_ACTIVE as u32)
}

#[cfg(not(windows))]
pub(crate) fn process_is_running(_pid: u32) -> Option<bool> {
    None
}

/// Cannot tell without waiting: say no, so a piped walk saves each line.
pub(crate) fn stdin_has_input() -> bool {
    false
}

pub(crate) fn unnamed_file(_dir: &Path) -> io::Result<File> {
    Err(io::ErrorKind::Unsupported.into())
}

pub(crate) fn link_unnamed(_file: &File, _to: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Standard input, the one descriptor a passphrase can come from here.
pub(crate) struct BorrowedReader(io::Stdin);

impl Read for BorrowedReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

pub(crate) fn passphrase_fd(fd: i32) -> io::Result<BorrowedReader> {
    if fd == 0 {
        Ok(BorrowedReader(io::stdin()))
    } else {
        Err(io::ErrorKind::Unsupported.into())
    }
}

/// No raw terminal here (none is ever made): a passphrase comes from
/// `--passphrase-fd 0`.
pub(crate) enum RawTerminal {}

impl RawTerminal {
    pub(crate) fn open() -> Result<RawTerminal, RawError> {
        Err(RawError::NoTerminal)
    }

    pub(crate) fn file(&mut self) -> &mut File {
        match *self {}
    }
}

/// Callers drop the terminal to put it back, as on Unix; with no value
/// ever made there is nothing to put back.
impl Drop for RawTerminal {
    fn drop(&mut self) {
        match *self {}
    }
}

/// There is no gentle stop here: the caller kills the child.
pub(crate) fn ask_to_stop(_child: &std::process::Child) -> bool {
    false
}
