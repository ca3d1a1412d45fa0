//! Recording in plain mode, shared by the drill and rehearse: the
//! recorder, the response recorded last, and the lines that say what
//! became of it (`Recording your response.`, `Recorded.`, `Playing.`...),
//! which scripts wait for.

use std::io::{self, Write};
use std::path::PathBuf;

use super::ask::say;
use crate::journal::audio::{Recorder, Recording};

/// The recorder, when recording is on, and the last response it kept.
#[derive(Default)]
pub struct Tape {
    pub recorder: Option<Recorder>,
    last: Option<PathBuf>,
}

impl Tape {
    pub fn new(recorder: Option<Recorder>) -> Tape {
        Tape {
            recorder,
            last: None,
        }
    }

    /// Starts recording the response to card `card` (its `attempt`),
    /// saying so; `None` when recording is off or the recorder would not
    /// start (also said). The last recording is no longer the one to play.
    pub fn start(
        &mut self,
        out: &mut impl Write,
        card: usize,
        attempt: u32,
    ) -> io::Result<Option<Recording>> {
        self.last = None;
        let Some(recorder) = &self.recorder else {
            return Ok(None);
        };
        match recorder.start(card, attempt) {
            Ok(recording) => {
                say(out, "Recording your response.")?;
                Ok(Some(recording))
            }
            Err(e) => {
                say(
                    out,
                    &format!(
                        "Could not start {} ({e}); this response is not recorded.",
                        recorder.tool.name()
                    ),
                )?;
                Ok(None)
            }
        }
    }

    /// A response not recorded: nothing is left to play back.
    pub fn skip(&mut self) {
        self.last = None;
    }

    /// Ends `recording` (if one runs) and keeps it to play back, saying how
    /// it went.
    pub fn finish(&mut self, out: &mut impl Write, recording: Option<Recording>) -> io::Result<()> {
        let Some(recording) = recording else {
            return Ok(());
        };
        match recording.finish() {
            Ok(Some(path)) => {
                self.last = Some(path);
                say(out, "Recorded.")
            }
            Ok(None) => say(out, "Nothing was recorded (the recorder sent no sound)."),
            Err(e) => say(out, &format!("The recording could not be kept: {e}.")),
        }
    }

    /// Whether a recorded response waits to be played back.
    pub fn playable(&self) -> bool {
        self.recorder.is_some() && self.last.is_some()
    }

    /// Plays the last response back, saying so, then `then` (the question
    /// asked again); nothing when there is none.
    pub fn play(&self, out: &mut impl Write, then: &str) -> io::Result<()> {
        let (Some(recorder), Some(path)) = (&self.recorder, &self.last) else {
            return Ok(());
        };
        say(out, "Playing.")?;
        out.flush()?;
        match recorder.play(path) {
            Ok(()) => say(out, then),
            Err(why) => say(out, &why.to_string()),
        }
    }
}
