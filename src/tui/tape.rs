//! Recording spoken responses on a full screen, shared by the drill and
//! the rehearsal: the recorder, the recording under way, and the last one
//! kept (for `p` to play back). Each mode says when a response is being
//! spoken ([`Tape::sync`]); the tape starts one recording per response and
//! names it when the response ends. Files, sealing and playback are
//! [`crate::journal::audio`]'s.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::journal::audio::{Recorder, Recording};

/// The recorder, the recording under way (shared so a mode's model stays
/// `Clone`), and the last one kept.
#[derive(Debug, Clone)]
pub struct Tape {
    recorder: Recorder,
    under_way: Arc<Mutex<Option<Recording>>>,
    /// The response (number, attempt) the last recording was started for:
    /// one recording per response.
    for_attempt: Option<(usize, u32)>,
    last: Option<PathBuf>,
    note: Option<String>,
}

impl Tape {
    pub fn new(recorder: Recorder) -> Tape {
        Tape {
            recorder,
            under_way: Arc::new(Mutex::new(None)),
            for_attempt: None,
            last: None,
            note: None,
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Recording>> {
        self.under_way.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether a response is being recorded now (the screen says so).
    pub fn running(&self) -> bool {
        self.slot().is_some()
    }

    /// The recorder's name, as said on screen (`rec`, `arecord`, ...).
    pub fn name(&self) -> &str {
        self.recorder.tool.name()
    }

    /// Starts a recording as response `(number, attempt)` begins to be
    /// spoken (`responding`), once per response, and names it as the
    /// response ends (by Enter, the timer, Esc or a signal's stop).
    pub fn sync(&mut self, responding: bool, number: usize, attempt: u32) {
        // Taken at once, so the lock is not held while the file is named.
        let ended = if responding { None } else { self.slot().take() };
        if responding && !self.running() && self.for_attempt != Some((number, attempt)) {
            self.for_attempt = Some((number, attempt));
            self.last = None;
            self.note = None;
            match self.recorder.start(number, attempt) {
                Ok(recording) => *self.slot() = Some(recording),
                Err(e) => {
                    self.note = Some(format!(
                        "Could not start {} ({e}); this response is not recorded.",
                        self.recorder.tool.name()
                    ));
                }
            }
        } else if let Some(recording) = ended {
            match recording.finish() {
                Ok(Some(path)) => self.last = Some(path),
                Ok(None) => self.note = Some("Nothing was recorded.".to_string()),
                Err(e) => self.note = Some(format!("The recording could not be kept: {e}.")),
            }
        }
    }

    /// The last recording kept, if any.
    pub fn last(&self) -> Option<&Path> {
        self.last.as_deref()
    }

    /// The recording kept for response `(number, attempt)`, if that is the
    /// last one (a response not recorded has none, whatever came before).
    pub fn recorded(&self, number: usize, attempt: u32) -> Option<&Path> {
        (self.for_attempt == Some((number, attempt)))
            .then_some(self.last.as_deref())
            .flatten()
    }

    /// What the last recording or playback said, when it went wrong.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The same, only when it was about response `(number, attempt)`.
    pub fn note_for(&self, number: usize, attempt: u32) -> Option<&str> {
        (self.for_attempt == Some((number, attempt)))
            .then_some(self.note.as_deref())
            .flatten()
    }

    /// Plays the last recording back (the player's stdin; nothing decrypted
    /// reaches the disk); a failure becomes the note.
    pub fn play(&mut self) {
        if let Some(path) = &self.last {
            self.note = self.recorder.play(path).err().map(|e| e.to_string());
        }
    }
}
