//! Where the signals that stop a run come from: [`listen_for_stop`] hands
//! each one, by number, to whoever started listening, on a thread of its
//! own. `crate::signals` decides what a signal does; this module only
//! fetches them.
//!
//! Two sources:
//! * **Unix**: signal-hook's iterator, which wakes the moment a signal
//!   lands (a self-pipe). SIGTERM, SIGHUP and SIGINT.
//! * **Everywhere else** (Windows, and Unix built with
//!   `--features portable` or `RUSTFLAGS="--cfg repair_portable"`, so CI compiles and tests this
//!   path on Linux): signal-hook's flags, the part of it Windows has. Each
//!   signal sets one shared number from its handler, and the listening
//!   thread looks at it ten times a second, so a signal is acted on within
//!   a tenth of a second. Windows has only SIGINT (Ctrl-C in a plain run;
//!   in the full screen Ctrl-C comes as a key, as on Unix), SIGBREAK
//!   (Ctrl-Break) and SIGTERM (which Windows itself never sends); there is
//!   no SIGHUP, so closing the console window ends the program at once,
//!   keeping every save already made but not text confirmed since.

use std::io;

#[cfg(any(not(unix), repair_portable))]
pub(crate) use flags::listen_for_stop;
#[cfg(all(unix, not(repair_portable)))]
pub(crate) use iterator::listen_for_stop;

/// The number a full screen that lost its signal listener stops with, as
/// if the terminal had hung up: SIGHUP on Unix; elsewhere, where there is
/// no SIGHUP, SIGTERM.
#[cfg(unix)]
pub(crate) const HANG_UP: i32 = signal_hook::consts::SIGHUP;
#[cfg(not(unix))]
pub(crate) const HANG_UP: i32 = signal_hook::consts::SIGTERM;

/// The signals that stop a run, where the platform has them.
#[cfg(unix)]
pub(crate) const STOP_SIGNALS: &[i32] = {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    &[SIGTERM, SIGHUP, SIGINT]
};
#[cfg(windows)]
pub(crate) const STOP_SIGNALS: &[i32] = {
    use signal_hook::consts::{SIGBREAK, SIGINT, SIGTERM};
    &[SIGTERM, SIGBREAK, SIGINT]
};
#[cfg(not(any(unix, windows)))]
pub(crate) const STOP_SIGNALS: &[i32] = {
    use signal_hook::consts::{SIGINT, SIGTERM};
    &[SIGTERM, SIGINT]
};

#[cfg(all(unix, not(repair_portable)))]
mod iterator {
    use super::*;
    use signal_hook::iterator::Signals;

    /// From now on every signal in [`STOP_SIGNALS`] goes to `deliver`,
    /// called on a thread of its own, in the order they come.
    pub(crate) fn listen_for_stop(mut deliver: impl FnMut(i32) + Send + 'static) -> io::Result<()> {
        let mut signals = Signals::new(STOP_SIGNALS)?;
        std::thread::spawn(move || {
            for number in signals.forever() {
                deliver(number);
            }
        });
        Ok(())
    }
}

#[cfg(any(not(unix), repair_portable))]
mod flags {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// How often the listening thread looks for a signal: quick enough
    /// that nobody waits on a stop, rare enough to cost nothing.
    const LOOK_EVERY: Duration = Duration::from_millis(100);

    /// From now on every signal in [`STOP_SIGNALS`] goes to `deliver`,
    /// called on a thread of its own. Two signals within one look count
    /// as the later one: the first stop ends the run either way.
    pub(crate) fn listen_for_stop(mut deliver: impl FnMut(i32) + Send + 'static) -> io::Result<()> {
        // 0 is no signal (no signal has that number).
        let last = Arc::new(AtomicUsize::new(0));
        for &number in STOP_SIGNALS {
            let value = usize::try_from(number).map_err(io::Error::other)?;
            signal_hook::flag::register_usize(number, Arc::clone(&last), value)?;
        }
        std::thread::spawn(move || {
            loop {
                match last.swap(0, Ordering::SeqCst) {
                    0 => std::thread::sleep(LOOK_EVERY),
                    // Came from a signal number, so it fits back.
                    number => deliver(number as i32),
                }
            }
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Not a timing check: only a bound so that a lost signal fails the
    /// test instead of hanging it.
    const LOST_AFTER: Duration = Duration::from_secs(60);

    #[test]
    fn a_stop_signal_reaches_the_listener_by_its_number() {
        let (tx, rx) = mpsc::channel();
        listen_for_stop(move |number| {
            let _ = tx.send(number);
        })
        .expect("listening");
        // SIGTERM is a stop signal on every platform, and the handler just
        // registered keeps it from ending the test process.
        let sigterm = signal_hook::consts::SIGTERM;
        assert!(STOP_SIGNALS.contains(&sigterm));
        signal_hook::low_level::raise(sigterm).expect("raise");
        assert_eq!(rx.recv_timeout(LOST_AFTER), Ok(sigterm));
    }

    #[test]
    fn a_hang_up_stops_with_a_number_the_platform_knows() {
        assert!(STOP_SIGNALS.contains(&HANG_UP));
        assert!((1..128).contains(&HANG_UP));
    }
}
