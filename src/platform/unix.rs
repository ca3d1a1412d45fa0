//! The Unix side of [`crate::platform`]: `rustix` for the system calls the
//! standard library does not make, `libc` only for the passphrase prompt's
//! signal handler; Linux's unnamed files behind `target_os = "linux"`.

use std::cell::UnsafeCell;
use std::ffi::OsStr;
use std::fs::{DirBuilder, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::mem::{ManuallyDrop, MaybeUninit};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, RawFd};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;
use rustix::termios::{LocalModes, OptionalActions, SpecialCodeIndex, Termios};

use super::RawError;

/// Owner-only permissions, given at creation so there is no moment when a
/// file or directory is open to others.
const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

/// Makes a directory builder create owner-only (0700) directories.
pub(crate) fn owner_only_dir(builder: &mut DirBuilder) -> &mut DirBuilder {
    builder.mode(DIR_MODE)
}

/// Makes an open-options create an owner-only (0600) file.
pub(crate) fn owner_only_file(options: &mut OpenOptions) -> &mut OpenOptions {
    options.mode(FILE_MODE)
}

/// Sets the permission bits of an open file or directory (fchmod on the
/// handle, so a path swapped since it was checked is not changed).
pub(crate) fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

/// The owner (user id) of a file.
pub(crate) fn owner(meta: &Metadata) -> u32 {
    meta.uid()
}

/// The permission bits (and type) of a file, as `st_mode`.
pub(crate) fn mode(meta: &Metadata) -> u32 {
    meta.mode()
}

/// The user this program runs as.
pub(crate) fn effective_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Opens a directory for reading, refusing a final symbolic link in the
/// same step (`O_NOFOLLOW`): no gap between a check and the open.
pub(crate) fn open_dir_nofollow(path: &Path) -> io::Result<File> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::open(path, flags, Mode::empty())?))
}

/// Opens a file for reading without following a symbolic link and without
/// waiting on a FIFO.
pub(crate) fn open_file_nofollow(path: &Path) -> io::Result<File> {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::open(path, flags, Mode::empty())?))
}

/// Opens (creating it owner-only if missing) a lock file for reading and
/// writing, without following a symbolic link.
pub(crate) fn create_lock_file(path: &Path) -> io::Result<File> {
    let flags = OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::open(
        path,
        flags,
        Mode::from_raw_mode(FILE_MODE as _),
    )?))
}

/// A file's device and inode, which tell it from another put in its place.
pub(crate) fn file_identity(meta: &Metadata) -> Option<(u64, u64)> {
    Some((meta.dev(), meta.ino()))
}

/// Whether two metadata describe the same file (device and inode).
pub(crate) fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Whether an open failed because the last part of the path is a symbolic
/// link that was not followed.
pub(crate) fn refused_link(e: &io::Error) -> bool {
    Errno::from_io_error(e) == Some(Errno::LOOP)
}

/// `dir` opened, to open files inside it with [`open_in`]; None if it
/// cannot be opened (the caller then opens by path, and says what failed).
pub(crate) fn dir_for_opening_in(dir: &Path) -> Option<File> {
    File::open(dir).ok()
}

/// Opens `name` inside the open directory `dir` for reading, never
/// following a symbolic link (`openat` with `O_NOFOLLOW`): one path
/// component to look up instead of the whole path, and no link swapped in
/// since the directory was listed is followed.
pub(crate) fn open_in(dir: &File, name: &OsStr) -> io::Result<File> {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(File::from(rustix::fs::openat(
        dir,
        name,
        flags,
        Mode::empty(),
    )?))
}

/// Whether `name` in `dir` is a regular file open to group or others, not
/// following a link. With the directory open (`handle`) this is one
/// `fstatat` of one path component.
pub(crate) fn loose_file_in(handle: Option<&File>, dir: &Path, name: &OsStr) -> bool {
    let mode = match handle {
        Some(handle) => rustix::fs::statat(handle, name, AtFlags::SYMLINK_NOFOLLOW)
            .map(|st| {
                (
                    FileType::from_raw_mode(st.st_mode),
                    Mode::from_raw_mode(st.st_mode),
                )
            })
            .map_err(io::Error::from),
        None => std::fs::symlink_metadata(dir.join(name)).map(|m| {
            (
                FileType::from_raw_mode(m.mode() as _),
                Mode::from_raw_mode(m.mode() as _),
            )
        }),
    };
    let open_to_others = Mode::RWXG | Mode::RWXO;
    mode.is_ok_and(|(kind, mode)| kind == FileType::RegularFile && mode.intersects(open_to_others))
}

/// fsyncs a directory, so a rename, creation or removal in it is durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// No file in a data directory holds its lock (see [`lock_target`]).
/// Tests leave it out of a folder's listing.
#[cfg(test)]
pub(crate) const LOCK_FILE: Option<&str> = None;

/// What the data directory's lock is taken on: the directory itself, so
/// there is no lock file to create or leave behind.
pub(crate) fn lock_target(dir: &Path) -> io::Result<File> {
    open_dir_nofollow(dir)
}

/// Whether process `pid` exists (it may be someone else's); never `None`
/// here. A pid of 0 or past `i32` is no process (`kill` would address a
/// group or fail).
pub(crate) fn process_is_running(pid: u32) -> Option<bool> {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return Some(false);
    };
    // Signal 0 only checks that the process exists; nothing is sent.
    Some(match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == Errno::PERM,
    })
}

/// Whether more input is ready on stdin without waiting (data, or its end).
pub(crate) fn stdin_has_input() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let ready = rustix::event::poll(&mut fds, Some(&now)).unwrap_or(0);
    ready > 0 && fds[0].revents().intersects(PollFlags::IN | PollFlags::HUP)
}

#[cfg(all(target_os = "linux", not(repair_portable)))]
mod unnamed {
    use super::*;

    /// An unnamed owner-only file in `dir` (Linux `O_TMPFILE`): a kill
    /// before it is linked leaves nothing behind.
    pub(crate) fn unnamed_file(dir: &Path) -> io::Result<File> {
        let flags = OFlags::RDWR | OFlags::TMPFILE | OFlags::CLOEXEC;
        Ok(File::from(rustix::fs::open(
            dir,
            flags,
            Mode::from_raw_mode(FILE_MODE as _),
        )?))
    }

    /// Gives the unnamed file the name `to` (`linkat` of
    /// `/proc/self/fd/N`, following that link to the file), failing with
    /// `AlreadyExists` if the name is taken: never replaces.
    pub(crate) fn link_unnamed(file: &File, to: &Path) -> io::Result<()> {
        let from = format!("/proc/self/fd/{}", file.as_raw_fd());
        let cwd = rustix::fs::CWD;
        Ok(rustix::fs::linkat(
            cwd,
            from.as_str(),
            cwd,
            to,
            AtFlags::SYMLINK_FOLLOW,
        )?)
    }
}

#[cfg(not(all(target_os = "linux", not(repair_portable))))]
mod unnamed {
    use super::*;

    /// No unnamed files outside Linux: the caller takes the named path.
    pub(crate) fn unnamed_file(_dir: &Path) -> io::Result<File> {
        Err(io::ErrorKind::Unsupported.into())
    }

    /// Never reached: [`unnamed_file`] gave no file to link.
    pub(crate) fn link_unnamed(_file: &File, _to: &Path) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }
}

pub(crate) use unnamed::{link_unnamed, unnamed_file};

/// A file descriptor someone else opened (`--passphrase-fd N`), read
/// without ever closing it.
pub(crate) struct BorrowedReader(ManuallyDrop<File>);

impl Read for BorrowedReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

/// Reads from descriptor `fd`, which must be open; it stays open afterwards.
pub(crate) fn passphrase_fd(fd: i32) -> io::Result<BorrowedReader> {
    if fd < 0 {
        return Err(Errno::BADF.into());
    }
    // SAFETY: fcntl(F_GETFD) only asks whether the number is an open
    // descriptor; the borrow lasts for that one call.
    rustix::io::fcntl_getfd(unsafe { BorrowedFd::borrow_raw(fd) })?;
    // SAFETY: the descriptor is open (checked above), and ManuallyDrop
    // keeps it open afterwards: it belongs to whoever passed it to us.
    Ok(BorrowedReader(ManuallyDrop::new(unsafe {
        File::from_raw_fd(fd)
    })))
}

/// The terminal (`/dev/tty`) in a raw-ish mode for typing a passphrase: no
/// echo, no line editing, no signals from keys (Ctrl-C arrives as a byte).
/// Dropping it puts the terminal back as it was; so does a SIGTERM, SIGHUP
/// or SIGINT while it is held, which then ends the program with 128 + the
/// signal's number, as elsewhere.
pub(crate) struct RawTerminal {
    tty: File,
    saved: Termios,
    handlers: SignalGuard,
}

impl RawTerminal {
    pub(crate) fn open() -> Result<RawTerminal, RawError> {
        let tty = OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .map_err(|_| RawError::NoTerminal)?;
        let saved = rustix::termios::tcgetattr(&tty).map_err(|_| RawError::NoTerminal)?;
        let mut raw = saved.clone();
        raw.local_modes &=
            !(LocalModes::ICANON | LocalModes::ECHO | LocalModes::ISIG | LocalModes::IEXTEN);
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        let handlers = SignalGuard::install(tty.as_raw_fd(), &saved);
        // Built before the change, so a failed change is undone too.
        let terminal = RawTerminal {
            tty,
            saved,
            handlers,
        };
        rustix::termios::tcsetattr(&terminal.tty, OptionalActions::Now, &raw)
            .map_err(|e| RawError::Refused(e.into()))?;
        Ok(terminal)
    }

    /// The terminal, to read keys from and write the prompt to.
    pub(crate) fn file(&mut self) -> &mut File {
        &mut self.tty
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        let _ = rustix::termios::tcsetattr(&self.tty, OptionalActions::Now, &self.saved);
        self.handlers.restore();
    }
}

/// The terminal and its settings, for the signal handler below. Written
/// only before the handler is installed, read only by it.
struct PromptTerminal {
    fd: AtomicI32,
    saved: UnsafeCell<MaybeUninit<Termios>>,
}

// SAFETY: `saved` is written before the handler that reads it is installed
// (sigaction orders the two) and never while it is installed.
unsafe impl Sync for PromptTerminal {}

static PROMPT_TERMINAL: PromptTerminal = PromptTerminal {
    fd: AtomicI32::new(-1),
    saved: UnsafeCell::new(MaybeUninit::uninit()),
};

const PROMPT_SIGNALS: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGHUP, libc::SIGINT];

/// While the prompt is up, SIGTERM, SIGHUP or SIGINT (sent by `kill`; the
/// keys send no signal in this mode) restores the terminal, then ends the
/// program. Restoring puts back whatever handled those signals before.
struct SignalGuard {
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

extern "C" fn restore_and_exit(signal: libc::c_int) {
    let fd: RawFd = PROMPT_TERMINAL.fd.load(Ordering::SeqCst);
    // SAFETY: tcsetattr (one ioctl) and _exit are async-signal-safe;
    // `saved` was fully written before this handler was installed, and the
    // descriptor stays open while it is installed.
    unsafe {
        if fd >= 0 {
            let saved = (*PROMPT_TERMINAL.saved.get()).assume_init_ref();
            let _ =
                rustix::termios::tcsetattr(BorrowedFd::borrow_raw(fd), OptionalActions::Now, saved);
        }
        libc::_exit(128 + signal);
    }
}

impl SignalGuard {
    fn install(fd: RawFd, saved: &Termios) -> SignalGuard {
        // SAFETY: no handler reading it is installed yet (the last guard
        // restored the earlier handlers before it was dropped).
        unsafe { (*PROMPT_TERMINAL.saved.get()).write(saved.clone()) };
        PROMPT_TERMINAL.fd.store(fd, Ordering::SeqCst);
        let mut previous = Vec::new();
        for signal in PROMPT_SIGNALS {
            // SAFETY: a zeroed sigaction is valid; the handler is a plain
            // extern "C" fn(c_int); `old` receives the earlier action.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = restore_and_exit as *const () as libc::sighandler_t;
                libc::sigemptyset(&mut action.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, &action, &mut old) == 0 {
                    previous.push((signal, old));
                }
            }
        }
        SignalGuard { previous }
    }

    /// Puts back the earlier handlers (once).
    fn restore(&mut self) {
        for (signal, old) in self.previous.drain(..) {
            // SAFETY: `old` is the action sigaction gave back for `signal`.
            unsafe { libc::sigaction(signal, &old, std::ptr::null_mut()) };
        }
        PROMPT_TERMINAL.fd.store(-1, Ordering::SeqCst);
    }
}

/// Asks a child process to stop (SIGTERM), so a recorder closes its output
/// cleanly; false if it could not be asked (then it is killed).
pub(crate) fn ask_to_stop(child: &std::process::Child) -> bool {
    let Some(pid) = i32::try_from(child.id())
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).is_ok()
}
