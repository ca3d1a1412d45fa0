//! Every call into the operating system that the standard library does not
//! make the same way everywhere: the only module that may use `unsafe`,
//! `libc` or `rustix`. The rest of the crate asks it for what it needs in
//! words (an owner-only file, a directory opened without following a link,
//! the terminal in raw mode) and stays the same on every platform.
//!
//! The standard library comes first (the data directory's lock is
//! `File::lock`, in `journal::dirlock`), then a kept crate (`rustix`, which
//! crossterm already brings: termios, `openat`, `poll`), and `libc` last,
//! only for the passphrase prompt's signal handler.
//!
//! Three builds:
//! * **Unix** (Linux, macOS, the BSDs): files 0600 and directories 0700
//!   from the moment they are made, owner checks, links never followed.
//! * **Linux** adds one call on top: an export is written into an unnamed
//!   file (`O_TMPFILE`) and given its name with `linkat`, so a kill leaves
//!   nothing at all. Everywhere else (and on Linux built with
//!   `--features portable`, or `RUSTFLAGS="--cfg repair_portable"`, which CI does so the general path
//!   is compiled and tested here) the export goes through a named
//!   owner-only temporary file, renamed or linked into place; one a kill
//!   left behind is swept by the next run.
//! * **Windows**: Unix permission bits do not exist. The data directory
//!   lives under the user's profile (`%APPDATA%`), whose access list lets in
//!   only the user, SYSTEM and administrators, and the files repair-practice
//!   makes inherit it; so the owner and permission checks report every
//!   file as the user's own and owner-only. The lock is a `.repair-lock`
//!   file in the data directory (a directory cannot be locked there), a
//!   passphrase comes only from `--passphrase-fd 0` (standard input), and
//!   directories are not synced (NTFS journals its renames). Signals come
//!   from signal-hook's flags rather than its iterator (see `signals`):
//!   Ctrl-C and Ctrl-Break stop a plain run as SIGINT and SIGTERM do on
//!   Unix; there is no SIGHUP.

// The feature CI builds with must reach the code as the cfg it reads
// (build.rs), or CI would test the Linux path twice and the general one never.
#[cfg(all(feature = "portable", not(repair_portable)))]
compile_error!("--features portable must set --cfg repair_portable (build.rs)");

use std::time::{Duration, SystemTime};

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(not(unix))]
mod other;
#[cfg(not(unix))]
pub(crate) use other::*;

mod signals;
pub(crate) use signals::{HANG_UP, listen_for_stop};

/// Why the terminal could not be put in raw mode for a passphrase.
#[derive(Debug)]
pub(crate) enum RawError {
    /// There is no terminal to ask on (or it is not a terminal).
    NoTerminal,
    /// The terminal is there but refused the change. Only a Unix terminal
    /// is ever changed (see `other`), so elsewhere nothing makes this.
    #[cfg_attr(not(unix), allow(dead_code))]
    Refused(std::io::Error),
}

/// Whether a temporary file made by process `pid`, last written at
/// `modified`, may be removed: only when that process is gone; where the
/// platform cannot tell, when the file is older than any write takes.
pub(crate) fn temp_file_is_stale(pid: u32, modified: Option<SystemTime>, now: SystemTime) -> bool {
    match process_is_running(pid) {
        Some(running) => !running,
        None => old_enough(modified, now),
    }
}

/// A write holds its temporary file for milliseconds; an hour is past any
/// of them, however slow the disk.
const STALE_AFTER: Duration = Duration::from_secs(3600);

fn old_enough(modified: Option<SystemTime>, now: SystemTime) -> bool {
    modified
        .and_then(|m| now.duration_since(m).ok())
        .is_some_and(|age| age >= STALE_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_writer_keeps_its_temp_file_and_a_dead_one_loses_it() {
        let now = SystemTime::now();
        assert!(!temp_file_is_stale(std::process::id(), Some(now), now));
        assert!(temp_file_is_stale(i32::MAX as u32 - 1, Some(now), now));
    }

    #[test]
    fn only_linux_outside_the_portable_build_makes_unnamed_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let made = unnamed_file(tmp.path());
        if cfg!(all(target_os = "linux", not(repair_portable))) {
            // Made, or refused by the file system itself (then the caller
            // falls back to a named file): the call was made.
            assert!(
                made.as_ref()
                    .map_or_else(|e| e.raw_os_error().is_some(), |_| true)
            );
        } else {
            // Refused without asking the system.
            let refused = made.expect_err("no unnamed files here");
            assert_eq!(refused.kind(), std::io::ErrorKind::Unsupported);
            assert_eq!(refused.raw_os_error(), None);
        }
    }

    #[test]
    fn without_a_process_check_only_an_old_file_is_stale() {
        let now = SystemTime::now();
        assert!(!old_enough(Some(now), now));
        assert!(!old_enough(Some(now - STALE_AFTER / 2), now));
        assert!(old_enough(Some(now - STALE_AFTER), now));
        // A clock set back, or no time at all: kept.
        assert!(!old_enough(Some(now + STALE_AFTER), now));
        assert!(!old_enough(None, now));
    }
}
