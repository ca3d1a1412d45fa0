//! `repair prep` as plain lines, over the same [`Prep`] state machine as the
//! full screen. The scan is begun with Enter (or skipped with the word
//! `skip`), as in the walk-through; every answer is one line. The pocket card
//! is printed at the end, and [`write_pocket_card`] prints the same card
//! after the full screen closes.

use super::{Offered, Pausing, offer_pause, read_line, run_pause, say_part_way};
use std::io::{self, BufRead, Write};
use std::time::Instant;

use super::ask::say;
use crate::journal::Journal;
use crate::practice::prep::{Action, Prep, Stage};

/// How a plain prep ended.
#[derive(Debug)]
pub enum PrepExit {
    /// Finished; saved under this id unless `--no-save`.
    Finished { saved: Option<String> },
    /// Input ended part-way; what was chosen was saved under this id, if anything.
    Ended { saved: Option<String> },
    /// The save failed; the card was printed so nothing is lost.
    Unsaved { error: crate::journal::StoreError },
}

/// The one line for a prep with nothing chosen and no scan taken.
pub const NOTHING_KEPT: &str = "Nothing was chosen and no scan was taken, so nothing was kept.";

/// What the scan is for, and how to skip it (before the prompt).
pub const SCAN_WHAT: &str = "Slow down and feel, if needed: to notice what is there, not to fix it. The word skip skips it.";

/// The pocket card as plain lines: `Pocket card`, then `TITLE: WORDS` for
/// each step given words, then `Intention: ...` if one was written.
pub fn write_pocket_card(out: &mut impl Write, prep: &Prep) -> io::Result<()> {
    write_pocket_card_in(out, prep, None)
}

/// [`write_pocket_card`] for a terminal `width` columns wide: each line
/// word-wrapped there, going on four spaces in, so the card never breaks
/// mid-word. `None` (a pipe, a file): one line each, as the plain lines
/// promise.
pub fn write_pocket_card_in(
    out: &mut impl Write,
    prep: &Prep,
    width: Option<usize>,
) -> io::Result<()> {
    fn line(out: &mut impl Write, text: &str, width: Option<usize>) -> io::Result<()> {
        for part in wrap_card_line(text, width) {
            say(out, &part)?;
        }
        Ok(())
    }
    line(
        out,
        &format!("Pocket card: {}", prep.protocol().title),
        width,
    )?;
    let card = prep.card();
    if card.is_empty() {
        line(out, "  (no words chosen)", width)?;
    }
    for (title, words) in card {
        line(out, &format!("  {title}: {words}"), width)?;
    }
    if !prep.intention().is_empty() {
        line(out, &format!("  Intention: {}", prep.intention()), width)?;
    }
    out.flush()
}

/// `text` wrapped at spaces to `width` display columns (a word longer than
/// a line stands alone on it), every line after the first four spaces in.
fn wrap_card_line(text: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width.filter(|&w| w > 8) else {
        return vec![text.to_string()];
    };
    let cells = |s: &str| ratatui::text::Span::raw(s).width();
    let mut lines = Vec::new();
    // The line's own indent is kept as it is.
    let body = text.trim_start_matches(' ');
    let mut current = text[..text.len() - body.len()].to_string();
    for word in body.split(' ') {
        if current.trim().is_empty() {
            current.push_str(word);
            continue;
        }
        if cells(&current) + 1 + cells(word) > width && !current.trim().is_empty() {
            lines.push(std::mem::replace(&mut current, format!("    {word}")));
        } else {
            current.push(' ');
            current.push_str(word);
        }
    }
    lines.push(current);
    lines
}

/// Runs the prep, reading from `input` and writing to `out`.
pub fn run<R: BufRead, W: Write>(
    mut prep: Prep,
    journal: &mut dyn Journal,
    mut input: R,
    mut out: W,
) -> io::Result<PrepExit> {
    let out = &mut out;
    say(out, &format!("Prep: {}", prep.protocol().title))?;
    say(
        out,
        "A few minutes before a difficult session: the internal scan, your words for each step, \
         and an intention.",
    )?;
    loop {
        confirm(&prep);
        match prep.stage().clone() {
            Stage::ScanOffer => {
                writeln!(out)?;
                let seconds = prep.scan_length().as_secs();
                let unit = if seconds == 1 { "second" } else { "seconds" };
                say(out, &format!("The internal scan: {seconds} {unit}."))?;
                say(out, SCAN_WHAT)?;
                say(out, crate::practice::prep::ABOUT_SCAN)?;
                match offer_pause(out, &mut input, None)? {
                    Offered::End => return ended(out, &prep, journal),
                    Offered::Skip => {
                        prep.apply(Action::SkipScan, Instant::now());
                        say(out, "Pause skipped.")?;
                    }
                    Offered::Begin => scan(out, &mut prep)?,
                }
            }
            Stage::Scanning(_) => scan(out, &mut prep)?,
            Stage::Words(n) => {
                writeln!(out)?;
                let step = prep.word_step(n).clone();
                let offered = crate::practice::prep::offered(&step);
                say(
                    out,
                    &format!(
                        "Your words for this step ({} of {}): {}",
                        n + 1,
                        prep.word_count(),
                        step.title
                    ),
                )?;
                for (i, stem) in offered.iter().enumerate() {
                    say(out, &format!("  {}. \"{stem}\"", i + 1))?;
                }
                say(
                    out,
                    &format!(
                        "Type a number (1 to {}), or your own words (empty: none for this step):",
                        offered.len()
                    ),
                )?;
                out.flush()?;
                let Some(line) = read_line(&mut input)? else {
                    return ended(out, &prep, journal);
                };
                let answer = line.trim();
                let words = match answer.parse::<usize>() {
                    Ok(k) if (1..=offered.len()).contains(&k) => offered[k - 1].clone(),
                    Ok(_) => {
                        say(
                            out,
                            &format!(
                                "There is no stem {answer}; type 1 to {}, your own words, or an empty line.",
                                offered.len()
                            ),
                        )?;
                        continue;
                    }
                    Err(_) => answer.to_string(),
                };
                prep.apply(Action::Choose(words), Instant::now());
            }
            Stage::Intention => {
                writeln!(out)?;
                say(out, "One line of intention for the session (empty: none):")?;
                out.flush()?;
                let Some(line) = read_line(&mut input)? else {
                    return ended(out, &prep, journal);
                };
                prep.apply(Action::SetIntention(line), Instant::now());
            }
            Stage::Card => break,
        }
    }
    writeln!(out)?;
    if prep.is_empty() {
        say(out, NOTHING_KEPT)?;
        return Ok(PrepExit::Finished { saved: None });
    }
    write_pocket_card(out, &prep)?;
    if !journal.keeps() {
        say(out, crate::journal::SAVING_OFF)?;
        return Ok(PrepExit::Finished { saved: None });
    }
    let session = prep.session(Instant::now(), Some(crate::journal::local_now()));
    match journal.save(&session) {
        Ok(()) => {
            say(out, &format!("Saved session {}.", session.id))?;
            Ok(PrepExit::Finished {
                saved: Some(session.id),
            })
        }
        Err(error) => {
            // The card is printed just above, so nothing chosen is lost.
            say(out, &format!("Could not save the prep: {error}"))?;
            Ok(PrepExit::Unsaved { error })
        }
    }
}

/// Runs the scan in real time, printing each cue as its turn comes.
fn scan(out: &mut impl Write, prep: &mut Prep) -> io::Result<()> {
    if *prep.stage() == Stage::ScanOffer {
        prep.apply(Action::BeginScan, Instant::now());
    }
    let seconds = prep.scan_length().as_secs();
    let breath = prep.breath();
    let cues = prep.cues().to_vec();
    run_pause(out, prep, seconds, breath, &cues)
}

impl Pausing for Prep {
    fn timer(&self) -> Option<&crate::practice::PauseTimer> {
        match self.stage() {
            Stage::Scanning(timer) => Some(timer),
            _ => None,
        }
    }

    fn tick(&mut self, now: Instant) {
        Prep::tick(self, now);
    }
}

/// What was chosen so far is confirmed: a signal before the end saves it
/// as an unfinished prep, as input ending part-way does.
fn confirm(prep: &Prep) {
    if prep.is_empty() {
        return;
    }
    let session = prep.session(Instant::now(), None);
    crate::signals::confirm(String::new(), move |_| Some(session));
}

/// Input ended part-way: keep what was chosen as an unfinished session.
fn ended(out: &mut impl Write, prep: &Prep, journal: &mut dyn Journal) -> io::Result<PrepExit> {
    writeln!(out)?;
    if prep.is_empty() {
        say(out, &format!("Input ended. {NOTHING_KEPT}"))?;
        return Ok(PrepExit::Ended { saved: None });
    }
    if prep.has_answers() {
        write_pocket_card(out, prep)?;
    }
    if !journal.keeps() {
        say_part_way(out, None)?;
        return Ok(PrepExit::Ended { saved: None });
    }
    let session = prep.session(Instant::now(), None);
    match journal.save(&session) {
        Ok(()) => {
            say_part_way(out, Some(&session.id))?;
            Ok(PrepExit::Ended {
                saved: Some(session.id),
            })
        }
        Err(error) => {
            say(out, &format!("Could not save the prep: {error}"))?;
            Ok(PrepExit::Unsaved { error })
        }
    }
}
