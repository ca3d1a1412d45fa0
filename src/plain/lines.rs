//! Lines of input read on their own thread, so a flow can wait for a line
//! and a timer at once (Enter ends a rehearsal round early) and still read
//! plainly otherwise.

use std::io::BufRead;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Instant;

/// One line, end of input, or "the deadline came first".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    Line(String),
    End,
    Timeout,
}

/// Input lines, without their line endings.
pub struct Lines {
    rx: Receiver<String>,
}

impl Lines {
    /// Starts reading `input` on a thread of its own.
    pub fn spawn<R: BufRead + Send + 'static>(mut input: R) -> Self {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            // The one line reader of plain mode: line endings, control
            // characters and over-long lines are handled as everywhere.
            while let Ok(Some(line)) = super::read_line(&mut input) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Lines { rx }
    }

    /// Starts reading standard input on a thread of its own.
    pub fn stdin() -> Self {
        Lines::spawn(std::io::BufReader::new(std::io::stdin()))
    }

    /// The next line, or `None` at the end of input.
    pub fn next(&self) -> Option<String> {
        self.rx.recv().ok()
    }

    /// The next line if one comes before `deadline`.
    pub fn next_before(&self, deadline: Instant) -> Read {
        match self
            .rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(line) => Read::Line(line),
            Err(RecvTimeoutError::Timeout) => Read::Timeout,
            Err(RecvTimeoutError::Disconnected) => Read::End,
        }
    }
}
