//! `repair rehearse` as plain lines, over the same [`Rehearsal`] state
//! machine as the full screen.
//!
//! Each round prints `Round N of M: therapist NAME, client NAME, observers
//! NAME, NAME.`, then `Card ID (KIND, LEVEL)` and the client's line, then
//! reads one line to start (or, with no timer, to end) the round. The
//! checklist, the feedback and the difficulty are then read as one line each;
//! an empty line takes the default (nothing ticked, no feedback, about
//! right). These lines are a public interface: scripts wait for them.

use std::io::{self, Write};
use std::time::Instant;

use super::lines::{Lines, Read};
use crate::journal::Journal;
use crate::practice::rehearse::{Action, Difficulty, Phase, Rehearsal, Role, Round};
use crate::sanitize::escape;

/// How a plain rehearsal ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RehearseExit {
    /// Every round was played (or input ended); saved under this id with `--save`.
    Done { saved: Option<String> },
    /// `--save` was given and the save failed.
    Unsaved { error: String },
}

/// Runs the rehearsal, reading answers from `lines` and writing to `out`.
/// `journal` saves after every reviewed round when it keeps anything.
pub fn run<W: Write>(
    mut rehearsal: Rehearsal,
    journal: &mut dyn Journal,
    lines: Lines,
    mut out: W,
) -> io::Result<RehearseExit> {
    let out = &mut out;
    intro(out, &rehearsal)?;
    loop {
        match rehearsal.phase().clone() {
            Phase::Ready => {
                writeln!(out)?;
                round_heading(out, &rehearsal, rehearsal.round())?;
                if !play(out, &mut rehearsal, &lines)? {
                    break;
                }
            }
            Phase::Review => {
                if !review(out, &mut rehearsal, &lines)? {
                    break;
                }
                // Saved after every round with --save, so a signal or a
                // crash loses at most the round under way. A failure here
                // is reported by the final save.
                if journal.keeps() {
                    let _ = journal.save(&rehearsal.session(None));
                }
            }
            Phase::Playing(_) => {
                // `play` always leaves the round reviewed or stopped.
                rehearsal.apply(Action::EndRound, Instant::now());
            }
            Phase::Closing => break,
        }
    }
    if *rehearsal.phase() != Phase::Closing {
        writeln!(out)?;
        say(out, "Input ended; stopping here.")?;
        rehearsal.apply(Action::Stop, Instant::now());
    }
    summary(out, &rehearsal)?;
    if !journal.keeps() {
        say(
            out,
            "Nothing was saved (add --save to keep the rounds; names are never kept).",
        )?;
        out.flush()?;
        return Ok(RehearseExit::Done { saved: None });
    }
    let session = rehearsal.session(Some(crate::journal::local_now()));
    match journal.save(&session).map_err(|e| e.to_string()) {
        Ok(()) => {
            say(out, &format!("Saved rehearsal {}.", session.id))?;
            out.flush()?;
            Ok(RehearseExit::Done {
                saved: Some(session.id),
            })
        }
        Err(error) => {
            say(out, &format!("Could not save the rehearsal: {error}"))?;
            out.flush()?;
            Ok(RehearseExit::Unsaved { error })
        }
    }
}

fn say(out: &mut impl Write, text: &str) -> io::Result<()> {
    writeln!(out, "{}", escape(text))
}

/// A length in words: "3 minutes", "90 seconds", "1 minute 30 seconds".
pub fn length_words(seconds: u32) -> String {
    let plural = |n: u32, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    match (seconds / 60, seconds % 60) {
        (0, s) => plural(s, "second"),
        (m, 0) => plural(m, "minute"),
        (m, s) => format!("{} {}", plural(m, "minute"), plural(s, "second")),
    }
}

fn intro(out: &mut impl Write, r: &Rehearsal) -> io::Result<()> {
    let o = r.options();
    let rounds = if o.rounds == 1 {
        "1 round".to_string()
    } else {
        format!("{} rounds", o.rounds)
    };
    let timer = match o.round_seconds {
        0 => "no timer".to_string(),
        s => format!("{} each", length_words(s)),
    };
    say(out, &format!("Rehearsal: {}", r.protocol().title))?;
    say(
        out,
        &format!(
            "{} people, {rounds}, {timer}. Seed {} (give --seed {} to deal the same cards again).",
            o.people.len(),
            o.seed,
            o.seed
        ),
    )?;
    say(
        out,
        "Play the cards as written; leave real clients out of it.",
    )
}

/// "therapist Ana, client Ben, observers Cy, Di"
pub fn roles_text(r: &Rehearsal, number: usize) -> String {
    let mut parts = vec![
        format!("therapist {}", r.who(Role::Therapist, number).join(", ")),
        format!("client {}", r.who(Role::Client, number).join(", ")),
    ];
    let observers = r.who(Role::Observer, number);
    match observers.len() {
        0 => {}
        1 => parts.push(format!("observer {}", observers[0])),
        _ => parts.push(format!("observers {}", observers.join(", "))),
    }
    parts.join(", ")
}

fn round_heading(out: &mut impl Write, r: &Rehearsal, round: &Round) -> io::Result<()> {
    say(
        out,
        &format!(
            "Round {} of {}: {}.",
            round.number,
            r.total_rounds(),
            roles_text(r, round.number)
        ),
    )?;
    let again = if round.repeated { ", again" } else { "" };
    say(
        out,
        &format!(
            "Card {} ({}, {}{again})",
            round.card.id,
            round.card.kind.as_str(),
            round.card.level.as_str()
        ),
    )?;
    say(out, &format!("Client: \"{}\"", round.card.client.trim()))?;
    if let Some(context) = &round.card.scene {
        say(out, &format!("Context: {}", context.trim()))?;
    }
    Ok(())
}

/// Starts and plays the round. False when input ended.
fn play(out: &mut impl Write, r: &mut Rehearsal, lines: &Lines) -> io::Result<bool> {
    let Some(length) = r.round_length() else {
        say(out, "No timer. Press Enter when the round is done.")?;
        out.flush()?;
        if lines.next().is_none() {
            return Ok(false);
        }
        r.apply(Action::Start, Instant::now());
        r.apply(Action::EndRound, Instant::now());
        say(out, "Round over.")?;
        return Ok(true);
    };
    let words = length_words(length.as_secs() as u32);
    say(out, &format!("Press Enter to start the round ({words})."))?;
    out.flush()?;
    if lines.next().is_none() {
        return Ok(false);
    }
    let start = Instant::now();
    r.apply(Action::Start, start);
    say(
        out,
        &format!("Round: {words}. Press Enter to end it early."),
    )?;
    out.flush()?;
    let ended = match lines.next_before(start + length) {
        Read::Line(_) | Read::Timeout => true,
        Read::End => false,
    };
    r.apply(Action::EndRound, Instant::now());
    say(out, "Round over.")?;
    Ok(ended)
}

/// Reads the checklist, feedback and difficulty. False when input ended.
fn review(out: &mut impl Write, r: &mut Rehearsal, lines: &Lines) -> io::Result<bool> {
    let steps: Vec<String> = r.protocol().steps.iter().map(|s| s.title.clone()).collect();
    say(
        out,
        "Observers: which steps did the therapist take? Their numbers, like 1 3 (empty: none).",
    )?;
    for (i, title) in steps.iter().enumerate() {
        say(out, &format!("  {}. {title}", i + 1))?;
    }
    let ticked = loop {
        out.flush()?;
        let Some(line) = lines.next() else {
            return Ok(false);
        };
        match step_numbers(&line, steps.len()) {
            Some(ticked) => break ticked,
            None => say(
                out,
                &format!(
                    "Give step numbers from 1 to {} separated by spaces, or an empty line for none.",
                    steps.len()
                ),
            )?,
        }
    };
    for i in ticked {
        r.apply(Action::Toggle(i), Instant::now());
    }
    say(out, "Feedback for the therapist, one line (empty: none):")?;
    out.flush()?;
    let Some(feedback) = lines.next() else {
        return Ok(false);
    };
    r.apply(
        Action::SetFeedback(feedback.trim().to_string()),
        Instant::now(),
    );
    say(
        out,
        "Difficulty: 1 too easy, 2 about right, 3 too hard; add r to play this card again (empty: about right):",
    )?;
    let (difficulty, repeat) = loop {
        out.flush()?;
        let Some(line) = lines.next() else {
            return Ok(false);
        };
        match difficulty_answer(&line) {
            Some(answer) => break answer,
            None => say(
                out,
                "Type 1, 2 or 3 (optionally with r, like 3r), or an empty line for about right.",
            )?,
        }
    };
    r.apply(Action::SetDifficulty(difficulty), Instant::now());
    r.apply(Action::SetRepeat(repeat), Instant::now());
    let round = r.round().clone();
    r.apply(Action::Next, Instant::now());
    if *r.phase() == Phase::Ready {
        let next = if repeat {
            "The same card again next round.".to_string()
        } else {
            format!(
                "Next card: {}.",
                difficulty.next_level(round.card.level).as_str()
            )
        };
        say(out, &next)?;
    }
    Ok(true)
}

/// Step numbers (1-based) as positions; `None` if any is not a step.
fn step_numbers(line: &str, steps: usize) -> Option<Vec<usize>> {
    let mut ticked = Vec::new();
    for word in line.split([' ', ',', '\t']).filter(|w| !w.is_empty()) {
        let n: usize = word.parse().ok()?;
        if !(1..=steps).contains(&n) {
            return None;
        }
        if !ticked.contains(&(n - 1)) {
            ticked.push(n - 1);
        }
    }
    ticked.sort_unstable();
    Some(ticked)
}

/// "2", "3r", "r", "" ...; `None` if it is none of those.
fn difficulty_answer(line: &str) -> Option<(Difficulty, bool)> {
    let text: String = line
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let repeat = text.contains('r');
    let rest = text.replace('r', "");
    let difficulty = match rest.as_str() {
        "" | "2" => Difficulty::AboutRight,
        "1" => Difficulty::TooEasy,
        "3" => Difficulty::TooHard,
        _ => return None,
    };
    if text.matches('r').count() > 1 {
        return None;
    }
    Some((difficulty, repeat))
}

/// The closing summary, one block per round.
fn summary(out: &mut impl Write, r: &Rehearsal) -> io::Result<()> {
    writeln!(out)?;
    let rounds = r.reviewed();
    say(
        out,
        &format!(
            "Summary: {} of {} rounds played.",
            rounds.len(),
            r.total_rounds()
        ),
    )?;
    let steps = &r.protocol().steps;
    for round in rounds {
        let ticked: Vec<&str> = steps
            .iter()
            .zip(&round.checklist)
            .filter(|(_, t)| **t)
            .map(|(s, _)| s.title.as_str())
            .collect();
        let steps_text = if ticked.is_empty() {
            "no steps ticked".to_string()
        } else {
            format!(
                "{} of {} steps: {}",
                ticked.len(),
                steps.len(),
                ticked.join("; ")
            )
        };
        say(
            out,
            &format!(
                "Round {}: {} ({}, {}); therapist {}; {steps_text}; {}.",
                round.number,
                round.card.id,
                round.card.kind.as_str(),
                round.card.level.as_str(),
                r.who(Role::Therapist, round.number).join(", "),
                round.difficulty.label()
            ),
        )?;
        if !round.feedback.is_empty() {
            say(out, &format!("  Feedback: {}", round.feedback))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_numbers_are_read_forgivingly() {
        assert_eq!(step_numbers("", 6), Some(vec![]));
        assert_eq!(step_numbers(" 3 1,3 ", 6), Some(vec![0, 2]));
        assert_eq!(step_numbers("7", 6), None);
        assert_eq!(step_numbers("one", 6), None);
    }

    #[test]
    fn difficulty_answers() {
        assert_eq!(difficulty_answer(""), Some((Difficulty::AboutRight, false)));
        assert_eq!(difficulty_answer("3"), Some((Difficulty::TooHard, false)));
        assert_eq!(difficulty_answer("1 R"), Some((Difficulty::TooEasy, true)));
        assert_eq!(difficulty_answer("r"), Some((Difficulty::AboutRight, true)));
        assert_eq!(difficulty_answer("4"), None);
        assert_eq!(difficulty_answer("rr"), None);
    }
}
