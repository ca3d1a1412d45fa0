//! The plain front ends: every mode as plain lines on stdout, for screen
//! readers, pipes and scripts. No escape sequences are ever written; every
//! text from a protocol or a note passes through [`crate::sanitize`]. Each
//! mode has its file ([`walk`], [`prep`], [`rehearse`], [`drill`]); this one
//! holds what they all share: standard output that survives a closed pipe,
//! one line reader, the pause offer and the pause itself, and the lines said
//! after a save or when the input ends part-way ([`ask`] and [`lines`] hold
//! the rest).

pub mod ask;
pub mod deck;
pub mod drill;
pub mod lines;
pub mod prep;
pub mod rehearse;
pub mod tape;
pub mod walk;

use std::io::{self, BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Instant;

use crate::sanitize::escape;

/// Whether a plain run's output lost its reader (see [`Stdout`]).
static OUTPUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Standard output for a plain run. Once its reader is gone (a pipe closed
/// early, as `| head` does), what is printed is let go and the run goes on:
/// a closed output stops the printing, never the reading or the saving.
/// [`output_closed`] then says so, for a line on stderr at the end.
pub struct Stdout<W = io::StdoutLock<'static>> {
    inner: W,
}

impl Stdout {
    /// The process's standard output, locked for the run.
    pub fn lock() -> Self {
        Stdout::new(io::stdout().lock())
    }
}

impl<W: Write> Stdout<W> {
    pub fn new(inner: W) -> Self {
        Stdout { inner }
    }

    fn gone<T>(&self, result: io::Result<T>, all: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                OUTPUT_CLOSED.store(true, Ordering::SeqCst);
                Ok(all)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if OUTPUT_CLOSED.load(Ordering::SeqCst) {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.gone(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if OUTPUT_CLOSED.load(Ordering::SeqCst) {
            return Ok(());
        }
        let result = self.inner.flush();
        self.gone(result, ())
    }
}

/// Whether a plain run's output was closed by its reader before the end.
pub fn output_closed() -> bool {
    OUTPUT_CLOSED.load(Ordering::SeqCst)
}

/// The longest line read in plain mode; a longer one (say `/dev/zero`,
/// which has no line ends) stops the input there.
pub const LINE_MAX: usize = 1_000_000;

/// One line of input without its line ending (LF or CRLF); `None` at the
/// end of input. Bytes that are not UTF-8 become U+FFFD (the replacement
/// character); control characters (C0 but tab, DEL, C1) are dropped, as the
/// full screen drops them, so notes never hold an escape sequence. A line
/// longer than [`LINE_MAX`] bytes ends the input there, said on stderr.
pub(crate) fn read_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    let read = io::Read::take(&mut *input, LINE_MAX as u64 + 1).read_until(b'\n', &mut bytes)?;
    if read == 0 {
        return Ok(None);
    }
    if !bytes.ends_with(b"\n") && bytes.len() > LINE_MAX {
        eprintln!(
            "repair: a line of input is longer than {} MB, the most one line may hold; input stopped there.",
            LINE_MAX / 1_000_000
        );
        return Ok(None);
    }
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    let mut line = String::from_utf8_lossy(&bytes).into_owned();
    line.retain(|c| c == '\t' || !(c.is_control()));
    Ok(Some(line))
}

/// One line after a save: where the notes are and how to find them again.
pub fn where_notes_are(out: &mut impl Write, dir: Option<&std::path::Path>) -> io::Result<()> {
    match dir {
        Some(dir) => writeln!(
            out,
            "Your notes are in {}; `repair notes` shows them.",
            crate::sanitize::one_line(&dir.display().to_string())
        ),
        None => writeln!(out, "`repair notes` shows your notes."),
    }
}

/// The answer to "Press Enter to begin the pause."
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Offered {
    Begin,
    /// The word `skip`.
    Skip,
    /// The input ended.
    End,
}

/// Offers a pause, as every plain mode does: "Press Enter to begin the
/// pause." (and `hint`, if any), then one line.
pub(crate) fn offer_pause(
    out: &mut impl Write,
    input: &mut impl BufRead,
    hint: Option<&str>,
) -> io::Result<Offered> {
    writeln!(out, "Press Enter to begin the pause.")?;
    if let Some(hint) = hint {
        writeln!(out, "{}", escape(hint))?;
    }
    out.flush()?;
    Ok(match read_line(input)? {
        None => Offered::End,
        Some(answer) if answer.trim().eq_ignore_ascii_case("skip") => Offered::Skip,
        Some(_) => Offered::Begin,
    })
}

/// A state machine with a pause running in it (the walk's pause, the
/// prep's scan).
pub(crate) trait Pausing {
    /// The pause's timer while it runs.
    fn timer(&self) -> Option<&crate::practice::PauseTimer>;
    /// Ends the pause if its time is up.
    fn tick(&mut self, now: Instant);
}

/// The pause in plain lines, the same for every mode: its length and
/// breath, then each cue as its turn comes (sleeping in between: plain mode
/// has no pacer frames), then "Pause complete."
pub(crate) fn run_pause(
    out: &mut impl Write,
    state: &mut impl Pausing,
    seconds: u64,
    breath: Option<crate::protocol::Breath>,
    cues: &[String],
) -> io::Result<()> {
    let unit = if seconds == 1 { "second" } else { "seconds" };
    writeln!(out, "Pause: {seconds} {unit}. Slow down, and feel.")?;
    if let Some(b) = breath {
        writeln!(
            out,
            "Breathe in for {} seconds and out for {}.",
            b.inhale, b.exhale
        )?;
    }
    let mut shown = None;
    loop {
        let now = Instant::now();
        let Some(timer) = state.timer() else {
            break;
        };
        let cue = timer.cue_index(now, cues.len());
        let wake = timer.next_change(now, cues.len(), false);
        if cue != shown {
            if let Some(i) = cue {
                writeln!(out, "  {}", escape(&cues[i]))?;
            }
            shown = cue;
        }
        out.flush()?;
        match wake {
            Some(at) => thread::sleep(at.saturating_duration_since(now)),
            None => {
                state.tick(Instant::now());
                break;
            }
        }
        state.tick(Instant::now());
    }
    writeln!(out, "Pause complete.")
}

/// The line scripts look for when the input ends part-way: the unfinished
/// session's id, or (`None`) that saving is off.
pub(crate) fn say_part_way(out: &mut impl Write, saved: Option<&str>) -> io::Result<()> {
    match saved {
        Some(id) => writeln!(
            out,
            "Input ended part-way. Saved unfinished session {}.",
            escape(id)
        ),
        None => writeln!(
            out,
            "Input ended part-way. {}",
            escape(crate::journal::SAVING_OFF)
        ),
    }
}
