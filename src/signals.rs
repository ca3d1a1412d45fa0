//! SIGTERM, SIGHUP and SIGINT, delivered as messages on a channel so each
//! front end decides how to save and leave (the full screen restores the
//! terminal first). Exit status is 128 + the signal's number.

use std::io;
use std::sync::mpsc::{self, Receiver};
use std::thread;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Starts listening; the returned channel yields each signal's number.
pub fn listen() -> io::Result<Receiver<i32>> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for number in signals.forever() {
            if tx.send(number).is_err() {
                break;
            }
        }
    });
    Ok(rx)
}
