//! `repair rehearse` as plain lines, over the same [`Rehearsal`] state
//! machine as the full screen, for a screen reader or a script.
//!
//! Every answer is one line and an empty line takes the default. The prompts
//! (each listed in the README, in order) are a public interface: scripts wait
//! for them.
//!
//! 1. `Press Enter to begin.` after the safety line (first card only);
//! 2. `Client, read your direction; therapist, look away.` then
//!    `Direction (client only): ...` and `Press Enter when the client has read it.`;
//! 3. the scene and the statement, then `Press Enter to start the response (1 minute).`
//!    (without a timer `No timer. Press Enter when the response is done.`);
//!    before the response, one breath: the drill's line `One breath (8
//!    seconds): ... (Enter goes on)`, ended by its time or by a line
//!    (`--scan-seconds 0`: none);
//!    With two beats, after `Response over.`: `Client, say the line that
//!    fits, or improvise. Which did you play? ...` then the second response
//!    (`Second response: 1 minute. Press Enter to end it early.`);
//! 4. the review: `What did you see?`, `How hard was it?`, `Reactions`,
//!    `Criteria met`, `Feedback`, then the reveal and
//!    `Enter: next card; r: the same card again (empty: next card).`;
//!    the criteria in one list with one line of numbers (the screen shows
//!    them three at a time, for watching);
//!    With `--improvise`, after a set's last reveal: `Improvised segment
//!    (N minutes): ...`, `Press Enter to start the improvised segment (s:
//!    skip).`, `Improvising: ...`, and `How hard was the improvised
//!    segment, ...`;
//! 5. after each set but the last, the client steps out of the role:
//!    `End of Ana's set. Ben, step out of ...` and `Press Enter for the next set.`;
//! 6. after the summary, without `--save` and with a response reviewed,
//!    [`OFFER_TO_SAVE`] (`y` saves).
//!
//! With `--record`, each therapist is asked at their first card whether
//! their responses may be recorded ([`CONSENT_QUESTION`]; only `y` agrees,
//! and the answer is kept for this run only, by seat, never by name); an
//! agreed response says `Recording your response.` and `Recorded.`, and `p`
//! at `How hard was it?` plays it back.

use std::collections::HashMap;
use std::io::{self, Write};
use std::time::Instant;

use super::ask::{self, LastSave, SavedExit, ask, last_save, numbers, say};
use super::lines::{Lines, Read};
use super::tape::Tape;
use crate::journal::audio::{Recorder, Recording};
use crate::journal::{Journal, Session};
use crate::practice::drill::marker_words;
use crate::practice::length_words;
use crate::practice::level::{MAX_RATING, WARM_UP_LINE};
use crate::practice::rehearse::{
    Action, Continuation, DEFAULT_RATING, DEROLE_LINE, Improv, ONE_BEAT_LINE, POINT_LEAD,
    PRIVATE_LINE, Phase, Reaction, Rehearsal, Role, SAFETY_LINE, SCAN_CUE, SET_DEROLE_LINE, Stage,
    inner_step_line,
};
use crate::protocol::{Marker, ScenarioKind};

/// How a plain rehearsal ended: every card was played (or input ended),
/// saved under an id with `--save`, or the save failed.
pub type RehearseExit = SavedExit;

/// Saves the rounds when the group asks at the end (nothing was being
/// saved): the session's id, or what went wrong (opening the store or
/// saving in it; its words say what to do).
pub type SaveAtEnd<'a> =
    &'a mut dyn FnMut(&Session) -> Result<String, Box<dyn std::error::Error + Send + Sync>>;

/// The question asked at the end when nothing was being saved.
pub const OFFER_TO_SAVE: &str =
    "Save these rounds with your notes? Seats and answers, never names. y saves (empty: no).";

/// The question asked of each therapist at their first card, with
/// `--record`: `{}` is the therapist's name (or seat) on screen.
pub const CONSENT_QUESTION: &str = "{}, may your responses be recorded, to play back at the review? Only you decide: y records (empty: no).";

/// Recording with consent: the tape and each seat's answer (this run
/// only).
#[derive(Default)]
pub struct Taping {
    tape: Tape,
    consent: HashMap<usize, bool>,
}

impl Taping {
    pub fn new(recorder: Option<Recorder>) -> Taping {
        Taping {
            tape: Tape::new(recorder),
            ..Taping::default()
        }
    }

    /// Starts recording this round's response if its therapist agreed.
    fn start(&mut self, out: &mut impl Write, r: &Rehearsal) -> io::Result<Option<Recording>> {
        let round = r.round();
        if self.consent.get(&round.therapist) != Some(&true) {
            self.tape.skip();
            return Ok(None);
        }
        self.tape.start(out, round.number, round.attempt)
    }

    fn finish(&mut self, out: &mut impl Write, recording: Option<Recording>) -> io::Result<()> {
        self.tape.finish(out, recording)
    }
}

/// Runs the rehearsal, reading answers from `lines` and writing to `out`.
/// `journal` saves after every reviewed response when it keeps anything;
/// when it keeps nothing, the end offers to save through `save_at_end`.
/// With a recorder in `taping`, agreed responses are recorded.
pub fn run<W: Write>(
    mut rehearsal: Rehearsal,
    journal: &mut dyn Journal,
    lines: Lines,
    mut out: W,
    save_at_end: SaveAtEnd,
    mut taping: Taping,
) -> io::Result<RehearseExit> {
    let out = &mut out;
    intro(out, &rehearsal, journal.keeps())?;
    if let Some(recorder) = &taping.tape.recorder {
        say(
            out,
            &format!(
                "Recording is on ({}), for each therapist who agrees at their first card.",
                recorder.tool.name()
            ),
        )?;
    }
    let taping = &mut taping;
    let mut saved_count = 0;
    let mut saved_improvised = 0;
    loop {
        let going = match rehearsal.phase().clone() {
            Phase::Safety => {
                say(out, SAFETY_LINE)?;
                ask(out, "Press Enter to begin.")?;
                next_line(&lines).is_some_and(|_| {
                    rehearsal.apply(Action::Next, Instant::now());
                    true
                })
            }
            Phase::Direction => direction(out, &mut rehearsal, &lines)?,
            Phase::Ready => play(out, &mut rehearsal, &lines, taping)?,
            Phase::Playing(_) => {
                // `play` always leaves the response ended or stopped.
                rehearsal.apply(Action::Next, Instant::now());
                true
            }
            Phase::Review(stage) => review(out, &mut rehearsal, stage, &lines, taping)?,
            Phase::Continuation => continuation(out, &mut rehearsal, &lines)?,
            Phase::Improvise(_) => improvise(out, &mut rehearsal, &lines)?,
            Phase::Closing => break,
            // `play` always leaves the breath ended.
            Phase::Scan(_) => {
                rehearsal.apply(Action::Next, Instant::now());
                true
            }
            Phase::Derole => derole(out, &mut rehearsal, &lines)?,
        };
        // Saved after every response with --save, so a signal or a crash
        // loses at most the one under way. A failure here is reported by the
        // final save.
        if journal.keeps()
            && (rehearsal.reviewed().len() > saved_count
                || rehearsal.improvisations().len() > saved_improvised)
        {
            saved_count = rehearsal.reviewed().len();
            saved_improvised = rehearsal.improvisations().len();
            let _ = journal.save(&rehearsal.session(None));
        }
        if !going {
            break;
        }
    }
    if *rehearsal.phase() != Phase::Closing {
        writeln!(out)?;
        say(out, "Input ended; stopping here.")?;
        rehearsal.apply(Action::Stop, Instant::now());
    }
    summary(out, &rehearsal)?;
    let session = rehearsal
        .has_rounds()
        .then(|| rehearsal.session(Some(crate::journal::local_now())));
    if let (false, Some(session)) = (journal.keeps(), &session) {
        ask(out, OFFER_TO_SAVE)?;
        let yes = next_line(&lines)
            .is_some_and(|l| matches!(l.trim().to_lowercase().as_str(), "y" | "yes"));
        if yes {
            return match save_at_end(session) {
                Ok(id) => {
                    say(out, &format!("Saved rehearsal {id}."))?;
                    out.flush()?;
                    Ok(SavedExit::Done { saved: Some(id) })
                }
                Err(error) => {
                    say(out, &format!("Could not save the rehearsal: {error}"))?;
                    out.flush()?;
                    Ok(SavedExit::Unsaved { error })
                }
            };
        }
    }
    let words = LastSave {
        off: "Nothing was saved (add --save to keep the rounds; names are never kept).",
        empty: "No response was reviewed, so nothing was kept.",
        noun: "rehearsal",
    };
    last_save(out, journal, session, &words)
}

fn next_line(lines: &Lines) -> Option<String> {
    lines.next()
}

/// Says before the first card, as the full screen's first page does,
/// whether the rounds will be kept.
pub const KEPT_AS_YOU_GO: &str =
    "The rounds are saved with your notes as each is reviewed: seats and answers, never names.";
/// The same, when nothing is saved.
pub const NOT_KEPT: &str =
    "Nothing is saved (add --save to keep the rounds; names are never kept).";

fn intro(out: &mut impl Write, r: &Rehearsal, saving: bool) -> io::Result<()> {
    let o = r.options();
    let cards = if o.rounds == 1 {
        "1 card".to_string()
    } else {
        format!("{} cards", o.rounds)
    };
    let timer = match o.round_seconds {
        0 => "no timer".to_string(),
        s => format!("{} per response", length_words(s)),
    };
    say(out, &format!("Rehearsal: {}", r.protocol().title))?;
    say(
        out,
        &format!(
            "{} people, {cards} in sets of {}, {timer}. Seed {} (give --seed {} to deal the same cards again).",
            o.people.len(),
            o.set,
            o.seed,
            o.seed
        ),
    )?;
    if let Some(trainer) = r.trainer_name() {
        say(
            out,
            &format!(
                "Trainer: {trainer}, who plays no role and gives one point after each response, before the reveal."
            ),
        )?;
    }
    say(
        out,
        &format!(
            "Each person's level moves with their own rating: {} or more, the next card is easier; {} or less, harder.",
            o.rule.down_at, o.rule.up_at
        ),
    )?;
    say(out, if saving { KEPT_AS_YOU_GO } else { NOT_KEPT })?;
    say(out, &r.practising())
}

/// The client player steps out of the role after a set. False when input
/// ended.
fn derole(out: &mut impl Write, r: &mut Rehearsal, lines: &Lines) -> io::Result<bool> {
    let round = r.round();
    writeln!(out)?;
    say(
        out,
        &format!(
            "End of {}'s set. {}",
            r.name(round.therapist),
            SET_DEROLE_LINE.replace("{}", r.name(round.client))
        ),
    )?;
    ask(out, "Press Enter for the next set.")?;
    if next_line(lines).is_none() {
        return Ok(false);
    }
    r.apply(Action::Next, Instant::now());
    Ok(true)
}

/// From the card to the response: the breath first, when there is one,
/// ended by its time or by a line. False when input ended.
fn begin(out: &mut impl Write, r: &mut Rehearsal, lines: &Lines) -> io::Result<bool> {
    r.apply(Action::Next, Instant::now());
    let Phase::Scan(timer) = r.phase().clone() else {
        return Ok(true);
    };
    // The drill's line, so one script serves both.
    say(
        out,
        &format!(
            "One breath ({}): {SCAN_CUE} (Enter goes on)",
            length_words(timer.length().as_secs() as u32)
        ),
    )?;
    out.flush()?;
    let read = lines.next_before(Instant::now() + timer.length());
    r.apply(Action::Next, Instant::now());
    Ok(read != Read::End)
}

/// "therapist Ana, client Ben, observers Cy, Di"
pub fn roles_text(r: &Rehearsal) -> String {
    let round = r.round();
    let mut parts = vec![
        format!("therapist {}", r.who(Role::Therapist, round).join(", ")),
        format!("client {}", r.who(Role::Client, round).join(", ")),
    ];
    let observers = r.who(Role::Observer, round);
    match observers.len() {
        0 => {}
        1 => parts.push(format!("observer {}", observers[0])),
        _ => parts.push(format!("observers {}", observers.join(", "))),
    }
    if let Some(trainer) = r.trainer_name() {
        parts.push(format!("trainer {trainer}"));
    }
    parts.join(", ")
}

fn heading(out: &mut impl Write, r: &Rehearsal) -> io::Result<()> {
    let round = r.round();
    let (at, set) = r.place_in_set(round);
    let attempt = if round.attempt > 1 {
        format!(", try {}", round.attempt)
    } else {
        String::new()
    };
    writeln!(out)?;
    say(
        out,
        &format!(
            "Card {} of {} ({} of {set} in {}'s set{attempt}): {}.",
            round.card_number,
            r.total_rounds(),
            at,
            r.name(round.therapist),
            roles_text(r)
        ),
    )
}

/// The private moment for the client player. False when input ended.
fn direction(out: &mut impl Write, r: &mut Rehearsal, lines: &Lines) -> io::Result<bool> {
    heading(out, r)?;
    if let Some(note) = r.round().card.content_note() {
        say(out, &note)?;
    }
    say(out, PRIVATE_LINE)?;
    match &r.round().card.direction {
        Some(direction) => say(
            out,
            &format!("Direction (client only): {}", direction.trim()),
        )?,
        None => say(
            out,
            "Direction (client only): none on this card; play the statement as written.",
        )?,
    }
    let round = r.round().clone();
    if round.beats >= 2 {
        say(
            out,
            "After the first response, say the line that fits, or improvise (client only):",
        )?;
        for c in r.continuations(&round) {
            if let Some(line) = r.continuation_line(&round, c) {
                let when = match c {
                    Continuation::Escalate => "If the therapist defends or explains",
                    _ => "If the therapist owns their part or validates",
                };
                say(out, &format!("  {when}: \"{line}\""))?;
            }
        }
    } else if r.options().beats >= 2 {
        say(out, ONE_BEAT_LINE)?;
    }
    ask(out, "Press Enter when the client has read it.")?;
    if next_line(lines).is_none() {
        return Ok(false);
    }
    r.apply(Action::Next, Instant::now());
    Ok(true)
}

/// Shows the scene and statement, then plays the response. False when
/// input ended.
fn play(
    out: &mut impl Write,
    r: &mut Rehearsal,
    lines: &Lines,
    taping: &mut Taping,
) -> io::Result<bool> {
    let round = r.round().clone();
    if round.attempt > 1 {
        heading(out, r)?;
        // The trainer's point stays with the therapist for the retry.
        if let Some((seat, point)) = r.point_on_screen() {
            say(
                out,
                &format!("Trainer's point for {}: {}", r.name(seat), point.words()),
            )?;
        }
    }
    // Asked on screen at the therapist's first card; nothing is recorded
    // without a `y`.
    if taping.tape.recorder.is_some() && !taping.consent.contains_key(&round.therapist) {
        ask(
            out,
            &CONSENT_QUESTION.replace("{}", r.name(round.therapist)),
        )?;
        let Some(line) = next_line(lines) else {
            return Ok(false);
        };
        let yes = matches!(line.trim().to_lowercase().as_str(), "y" | "yes");
        taping.consent.insert(round.therapist, yes);
        say(
            out,
            if yes {
                "Your responses will be recorded."
            } else {
                "Not recording your responses."
            },
        )?;
    }
    if r.options().show_kind {
        say(
            out,
            &format!(
                "Card {} ({}, {})",
                round.card.id,
                round.card.kind.as_str(),
                round.card.level.as_str()
            ),
        )?;
    }
    if let Some(scene) = &round.card.scene {
        say(out, &format!("Scene: {}", scene.trim()))?;
    }
    say(out, &format!("Client: \"{}\"", round.card.client.trim()))?;
    if let Some(model) = r.warm_up_model(&round) {
        say(out, WARM_UP_LINE)?;
        say(out, &format!("Model: \"{model}\""))?;
    }
    let Some(length) = r.round_length() else {
        if !begin(out, r, lines)? {
            return Ok(false);
        }
        let recording = taping.start(out, r)?;
        ask(out, "No timer. Press Enter when the response is done.")?;
        let read = next_line(lines);
        taping.finish(out, recording)?;
        if read.is_none() {
            return Ok(false);
        }
        r.apply(Action::Next, Instant::now());
        say(out, "Response over.")?;
        return Ok(true);
    };
    let words = length_words(length.as_secs() as u32);
    ask(
        out,
        &format!("Press Enter to start the response ({words})."),
    )?;
    if next_line(lines).is_none() || !begin(out, r, lines)? {
        return Ok(false);
    }
    let recording = taping.start(out, r)?;
    let start = Instant::now();
    ask(
        out,
        &format!("Response: {words}. Press Enter to end it early."),
    )?;
    let read = lines.next_before(start + length);
    taping.finish(out, recording)?;
    response_over(out, r, read)
}

/// A timed response ended by a line, by its time (said) or by the end of
/// input (false): the rehearsal moves on to what follows it.
fn response_over(out: &mut impl Write, r: &mut Rehearsal, read: Read) -> io::Result<bool> {
    let going = match read {
        Read::Line(_) => true,
        Read::Timeout => {
            say(out, "Time.")?;
            true
        }
        Read::End => false,
    };
    r.apply(Action::Next, Instant::now());
    say(out, "Response over.")?;
    Ok(going)
}

/// Between the two responses: which line the client played, then the
/// second response. False when input ended.
fn continuation(out: &mut impl Write, r: &mut Rehearsal, lines: &Lines) -> io::Result<bool> {
    let round = r.round().clone();
    let choices = r.continuations(&round);
    let listed: Vec<String> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} {}", i + 1, c.as_str()))
        .collect();
    ask(
        out,
        &format!(
            "{}, say the line that fits, or improvise; then {} answers once more. Which did you play? {} (empty: not marked).",
            r.name(round.client),
            r.name(round.therapist),
            listed.join(", ")
        ),
    )?;
    let Some(played) = answer(
        out,
        lines,
        &format!(
            "Type a number from 1 to {}, the word, or an empty line for not marked.",
            choices.len()
        ),
        |line| {
            if line.is_empty() {
                return Some(None);
            }
            let lower = line.to_lowercase();
            if let Ok(n) = lower.parse::<usize>() {
                return choices.get(n.checked_sub(1)?).copied().map(Some);
            }
            choices
                .iter()
                .find(|c| c.as_str() == lower)
                .copied()
                .map(Some)
        },
    )?
    else {
        return Ok(false);
    };
    let now = Instant::now();
    r.apply(Action::Played(played), now);
    let Some(length) = r.round_length() else {
        r.apply(Action::Next, now);
        ask(
            out,
            "No timer. Press Enter when the second response is done.",
        )?;
        let read = next_line(lines);
        if read.is_none() {
            return Ok(false);
        }
        r.apply(Action::Next, Instant::now());
        say(out, "Response over.")?;
        return Ok(true);
    };
    r.apply(Action::Next, now);
    let words = length_words(length.as_secs() as u32);
    ask(
        out,
        &format!("Second response: {words}. Press Enter to end it early."),
    )?;
    response_over(out, r, lines.next_before(now + length))
}

/// The improvised segment after a set: what it is, the segment (timed),
/// its rating. False when input ended.
fn improvise(out: &mut impl Write, r: &mut Rehearsal, lines: &Lines) -> io::Result<bool> {
    let round = r.round().clone();
    if *r.phase() == Phase::Improvise(Improv::Offer) {
        let minutes = r.options().improvise_minutes;
        writeln!(out)?;
        say(
            out,
            &format!(
                "Improvised segment ({}): {} goes on freely from the last scene, as that client; {} responds.",
                length_words(minutes * 60),
                r.name(round.client),
                r.name(round.therapist)
            ),
        )?;
        if let Some(scene) = &round.card.scene {
            say(out, &format!("Last scene: {}", scene.trim()))?;
        }
        say(out, &format!("Last line: \"{}\"", round.card.client.trim()))?;
        let criteria: Vec<String> = r.criteria().iter().map(|c| c.text.clone()).collect();
        if !criteria.is_empty() {
            say(out, &format!("Keep doing: {}.", criteria.join("; ")))?;
        }
        ask(
            out,
            "Press Enter to start the improvised segment (s: skip).",
        )?;
        let Some(skip) = answer(
            out,
            lines,
            "Press Enter to start, or type s to skip.",
            |line| match line.to_lowercase().as_str() {
                "" => Some(false),
                "s" | "skip" => Some(true),
                _ => None,
            },
        )?
        else {
            return Ok(false);
        };
        if skip {
            r.apply(Action::Skip, Instant::now());
            say(out, "Skipped.")?;
            return Ok(true);
        }
        let start = Instant::now();
        r.apply(Action::Next, start);
        let words = length_words(minutes * 60);
        ask(
            out,
            &format!("Improvising: {words}. Press Enter to end it early."),
        )?;
        let read = match r.improvise_length() {
            Some(length) => lines.next_before(start + length),
            None => next_line(lines).map_or(Read::End, Read::Line),
        };
        match read {
            Read::Line(_) => {}
            Read::Timeout => say(out, "Time.")?,
            Read::End => return Ok(false),
        }
    }
    if let Phase::Improvise(Improv::Playing(_)) = r.phase() {
        r.apply(Action::Next, Instant::now());
    }
    ask(
        out,
        &format!(
            "How hard was the improvised segment, from 0 (easy) to {MAX_RATING} (very hard)? (empty: {DEFAULT_RATING})"
        ),
    )?;
    let Some(rating) = answer(
        out,
        lines,
        &format!(
            "Type a whole number from 0 to {MAX_RATING}, or an empty line for {DEFAULT_RATING}."
        ),
        |line| {
            if line.is_empty() {
                return Some(DEFAULT_RATING);
            }
            line.parse::<u8>().ok().filter(|n| *n <= MAX_RATING)
        },
    )?
    else {
        return Ok(false);
    };
    let now = Instant::now();
    r.apply(Action::Rate(rating), now);
    r.apply(Action::Next, now);
    say(
        out,
        &format!("Improvised segment rated {rating}: kept; it does not move a level."),
    )?;
    Ok(true)
}

/// Asks until `parse` accepts the line, trimmed. `None` when input ended.
fn answer<T>(
    out: &mut impl Write,
    lines: &Lines,
    again: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> io::Result<Option<T>> {
    ask::answer(out, lines, again, |line| parse(line.trim()))
}

/// One stage of the review. False when input ended.
fn review(
    out: &mut impl Write,
    r: &mut Rehearsal,
    stage: Stage,
    lines: &Lines,
    taping: &mut Taping,
) -> io::Result<bool> {
    let now = Instant::now;
    match stage {
        Stage::Marker => {
            let therapist = r.name(r.round().therapist).to_string();
            say(
                out,
                &format!(
                    "{therapist}, what did you see? 1 withdrawal, 2 confrontation, optionally a marker id (like 1 shifting-topic, or the id alone); empty: not sure."
                ),
            )?;
            if r.round().number == 1 {
                say(out, &format!("Markers: {}", marker_list()))?;
            }
            let Some((kind, marker)) = answer(
                out,
                lines,
                "Type 1 or 2, a marker id, both, or an empty line for not sure.",
                marker_answer,
            )?
            else {
                return Ok(false);
            };
            r.apply(Action::GuessKind(kind), now());
            if marker.is_some() {
                r.apply(Action::GuessMarker(marker), now());
            }
        }
        Stage::Rating => {
            let playable = taping.tape.playable();
            if playable {
                say(out, "p plays back the recorded response.")?;
            }
            ask(
                out,
                &format!(
                    "How hard was it, from 0 (easy) to {MAX_RATING} (very hard)? (empty: {DEFAULT_RATING})"
                ),
            )?;
            let again = format!(
                "Type a whole number from 0 to {MAX_RATING}, or an empty line for {DEFAULT_RATING}."
            );
            let rating = loop {
                let parsed = answer(out, lines, &again, |line| {
                    if playable && line.eq_ignore_ascii_case("p") {
                        return Some(None);
                    }
                    if line.is_empty() {
                        return Some(Some(DEFAULT_RATING));
                    }
                    line.parse::<u8>()
                        .ok()
                        .filter(|n| *n <= MAX_RATING)
                        .map(Some)
                })?;
                match parsed {
                    None => return Ok(false),
                    Some(Some(rating)) => break rating,
                    Some(None) => taping.tape.play(out, "Played. How hard was it?")?,
                }
            };
            r.apply(Action::Rate(rating), now());
            let choices: Vec<String> = Reaction::ALL
                .iter()
                .enumerate()
                .map(|(i, reaction)| format!("{} {}", i + 1, reaction.label()))
                .collect();
            ask(
                out,
                &format!(
                    "Reactions, by number, like 1 3 (empty: none): {}.",
                    choices.join(", ")
                ),
            )?;
            let Some(ticked) = answer(
                out,
                lines,
                &format!(
                    "Give numbers from 1 to {} separated by spaces, or an empty line for none.",
                    Reaction::ALL.len()
                ),
                |line| numbers(line, Reaction::ALL.len()),
            )?
            else {
                return Ok(false);
            };
            for i in ticked {
                r.apply(Action::ToggleReaction(Reaction::ALL[i]), now());
            }
        }
        Stage::Criteria => {
            let criteria = r.criteria().to_vec();
            if criteria.is_empty() {
                say(out, "This protocol has no criteria to tick.")?;
            } else {
                let therapist = r.name(r.round().therapist).to_string();
                let who = if r.has_observers() {
                    "Observers".to_string()
                } else {
                    // Two people: nobody observes, so the therapist ticks.
                    therapist.clone()
                };
                if let Some(step) = r.practised_step() {
                    say(out, &format!("Practising: {}.", step.title))?;
                    if !step.observable {
                        say(out, &inner_step_line(&therapist))?;
                    }
                }
                say(
                    out,
                    &format!(
                        "{who}: which criteria did the response meet? Their numbers, like 1 3 (empty: none)."
                    ),
                )?;
                // One list and one line of numbers, as a screen reader
                // reads it: the screen's three at a time are for watching.
                for (i, c) in criteria.iter().enumerate() {
                    if c.number == 0 {
                        say(out, &format!("  {}. {}", i + 1, c.text))?;
                    } else {
                        say(out, &format!("  {}. {}: {}", i + 1, c.step_title, c.text))?;
                    }
                }
                let Some(ticked) = answer(
                    out,
                    lines,
                    &format!(
                        "Give numbers from 1 to {} separated by spaces, or an empty line for none.",
                        criteria.len()
                    ),
                    |line| numbers(line, criteria.len()),
                )?
                else {
                    return Ok(false);
                };
                for i in ticked {
                    // The model ticks only what is shown: turn to its three.
                    while !r.shown_criteria().contains(&i) {
                        let by = if i < r.shown_criteria().start { -1 } else { 1 };
                        if !r.apply(Action::CriteriaPage(by), now()).changed {
                            break;
                        }
                    }
                    r.apply(Action::ToggleCriterion(i), now());
                }
                // Past every page to the feedback.
                while *r.phase() == Phase::Review(Stage::Criteria) {
                    r.apply(Action::Next, now());
                }
                return Ok(true);
            }
        }
        Stage::Feedback => {
            ask(out, "Feedback for the therapist, one line (empty: none):")?;
            let Some(feedback) = next_line(lines) else {
                return Ok(false);
            };
            r.apply(Action::SetFeedback(feedback.trim().to_string()), now());
        }
        Stage::Point => {
            if !trainer_point(out, r, lines)? {
                return Ok(false);
            }
        }
        Stage::Reveal => {
            let round = r.round().clone();
            for part in r.reveal(&round) {
                say(out, &format!("{}:", part.heading))?;
                let bullet = if part.is_list() { "  - " } else { "  " };
                for (i, item) in part.items.iter().enumerate() {
                    say(
                        out,
                        &format!("{bullet}{}", item.line("\u{201c}", "\u{201d}")),
                    )?;
                    if let Some(under) = part.under_item(i) {
                        say(out, &format!("    {under}"))?;
                    }
                }
            }
            ask(
                out,
                "Enter: next card; r: the same card again (empty: next card).",
            )?;
            let Some(retry) = answer(
                out,
                lines,
                "Type r to try the same card again, or an empty line for the next card.",
                |line| match line.to_lowercase().as_str() {
                    "" | "n" | "next" => Some(false),
                    "r" => Some(true),
                    _ => None,
                },
            )?
            else {
                return Ok(false);
            };
            r.apply(if retry { Action::Retry } else { Action::Next }, now());
            return Ok(true);
        }
    }
    r.apply(Action::Next, now());
    Ok(true)
}

/// The trainer's one point: a criterion not met by its number, or typed.
/// False when input ended.
fn trainer_point(out: &mut impl Write, r: &mut Rehearsal, lines: &Lines) -> io::Result<bool> {
    let round = r.round().clone();
    let therapist = r.name(round.therapist).to_string();
    let trainer = r.trainer_name().unwrap_or("Trainer").to_string();
    let choices = r.point_choices(&round);
    let how = if choices.is_empty() {
        "type it"
    } else {
        "a criterion not met by its number, or type it"
    };
    say(
        out,
        &format!(
            "{trainer} (trainer): one point for {therapist}, \"{POINT_LEAD} ...\": {how} (empty: none)."
        ),
    )?;
    for &i in &choices {
        let c = &r.criteria()[i];
        if c.number == 0 {
            say(out, &format!("  {}. {}", i + 1, c.text))?;
        } else {
            say(out, &format!("  {}. {}: {}", i + 1, c.step_title, c.text))?;
        }
    }
    // A number picks; any other words are the point as typed.
    let Some(answer) = answer(
        out,
        lines,
        "Type the number of a criterion listed, the point in words, or an empty line for none.",
        |line| match line.parse::<usize>() {
            Ok(n) if n >= 1 && choices.contains(&(n - 1)) => Some(Action::PickPoint(n - 1)),
            Ok(_) => None,
            Err(_) => Some(Action::SetPoint(line.to_string())),
        },
    )?
    else {
        return Ok(false);
    };
    r.apply(answer, Instant::now());
    match &r.round().point {
        Some(point) => say(out, &format!("Point for {therapist}: {}", point.words()))?,
        None => say(out, "No point this time.")?,
    }
    Ok(true)
}

/// Every marker in words, grouped by kind, each with the id to type.
fn marker_list() -> String {
    ScenarioKind::ALL
        .iter()
        .map(|kind| {
            let ids: Vec<String> = Marker::ALL
                .iter()
                .filter(|m| m.kind() == *kind)
                .map(|m| format!("{} [{}]", marker_words(*m), m.as_str()))
                .collect();
            format!("{}: {}", kind.as_str(), ids.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "1", "2 shifting-topic", "denial", "" ...; `None` if it is none of those.
fn marker_answer(line: &str) -> Option<(Option<ScenarioKind>, Option<Marker>)> {
    let mut kind = None;
    let mut marker = None;
    for word in line.split_whitespace() {
        let word = word.to_lowercase();
        match word.as_str() {
            "1" | "w" | "withdrawal" => kind = Some(ScenarioKind::Withdrawal),
            "2" | "c" | "confrontation" => kind = Some(ScenarioKind::Confrontation),
            other => marker = Some(Marker::from_word(other)?),
        }
    }
    if let (Some(k), Some(m)) = (kind, marker)
        && m.kind() != k
    {
        return None;
    }
    Some((kind.or(marker.map(Marker::kind)), marker))
}

/// The closing: a summary per seat, the seed, the de-roling line.
fn summary(out: &mut impl Write, r: &Rehearsal) -> io::Result<()> {
    writeln!(out)?;
    for line in r.summary_lines() {
        say(out, &line)?;
    }
    say(out, &format!("Seed {}.", r.options().seed))?;
    say(out, DEROLE_LINE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_forgivingly() {
        assert_eq!(numbers("", 6), Some(vec![]));
        assert_eq!(numbers(" 3 1,3 ", 6), Some(vec![0, 2]));
        assert_eq!(numbers("7", 6), None);
        assert_eq!(numbers("one", 6), None);
    }

    #[test]
    fn marker_answers() {
        use Marker::*;
        use ScenarioKind::*;
        assert_eq!(marker_answer(""), Some((None, None)));
        assert_eq!(marker_answer("1"), Some((Some(Withdrawal), None)));
        assert_eq!(marker_answer("C"), Some((Some(Confrontation), None)));
        assert_eq!(
            marker_answer("shifting-topic"),
            Some((Some(Withdrawal), Some(ShiftingTopic)))
        );
        assert_eq!(
            marker_answer("2 pressing-control"),
            Some((Some(Confrontation), Some(PressingControl)))
        );
        assert_eq!(
            marker_answer("2 denial"),
            None,
            "a marker of the other kind"
        );
        assert_eq!(marker_answer("3"), None);
    }
}
