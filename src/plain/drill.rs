//! `repair drill` as plain lines, over the same [`Drill`] state machine as
//! the full screen.
//!
//! Every card prints `Card N of M (new|due|again)`, the scene and the
//! client's line, then reads one line at each prompt: the breath (Enter goes
//! on early), the response (Enter when done; with `--type`, the response
//! itself), the marker seen (a number from the list; empty: not sure), the
//! criteria met (numbers; empty: none) or the self-report (one line; empty:
//! nothing noted), and the rating (0 to 10, `a` to try the card again;
//! empty: 5). These lines are a public interface, listed in the README.
//!
//! Recording (`--record`): `Recording your response.` before the response
//! prompt, `Recorded.` after it, and `p` at the rating question plays the
//! recording back (as often as wanted) before the rating is given.

use std::io::{self, Write};
use std::time::Instant;

use super::ask::{LastSave, SavedExit, answer, last_save, numbers, say};
use super::lines::{Lines, Read};
use crate::journal::Journal;
use crate::practice::drill::{
    Action, DEFAULT_RATING, Drill, MarkerGuess, Phase, SCAN_CUE, SELF_REPORT_PROMPT, card_name,
    card_origin, focus_words,
};
use crate::practice::level::{MAX_RATING, WARM_UP_LINE};
use crate::practice::reveal::Shape;

/// How a plain drill ended: saved under an id (unless nothing is kept), or
/// the save failed.
pub type DrillExit = SavedExit;

/// Records spoken responses, when on (played back with `p` before the
/// rating).
pub use super::tape::Tape as Taping;

/// Runs the drill, reading answers from `lines` and writing to `out`. Each
/// kept attempt is saved at once when `journal` keeps anything; with a
/// recorder in `taping`, each spoken response is recorded.
pub fn run<W: Write>(
    mut drill: Drill,
    journal: &mut dyn Journal,
    lines: Lines,
    mut out: W,
    mut taping: Taping,
) -> io::Result<DrillExit> {
    let out = &mut out;
    intro(out, &drill)?;
    if let Some(r) = &taping.recorder {
        say(
            out,
            &format!(
                "Recording is on: each spoken response is recorded with {}; p at the rating plays it back.",
                r.tool.name()
            ),
        )?;
    }
    let taping = &mut taping;
    let mut ended = false;
    // Whether the marker list was printed already (once per drill).
    let mut listed = false;
    while !ended {
        let kept = drill.records().len();
        ended = match drill.phase().clone() {
            // The intro above is plain mode's first screen.
            Phase::Intro => {
                drill.apply(Action::Begin, Instant::now());
                false
            }
            Phase::Notice => !notice(out, &mut drill, &lines)?,
            Phase::Scan(_) => !card(out, &mut drill, &lines)?,
            Phase::Respond { .. } => !respond(out, &mut drill, &lines, taping)?,
            Phase::Guess => {
                let going = guess(out, &mut drill, &lines, !listed)?;
                listed = true;
                !going
            }
            Phase::Reveal => {
                reveal(out, &drill)?;
                drill.apply(Action::Assess, Instant::now());
                false
            }
            Phase::Assess => {
                let going = assess(out, &mut drill, &lines, taping)?;
                if going && journal.keeps() {
                    // A failure here is reported by the final save.
                    let _ = journal.save(&drill.session(crate::journal::local_now()));
                }
                !going
            }
            Phase::Closing => true,
        };
        if drill.records().len() < kept {
            took_back(out, &drill, journal)?;
        }
    }
    if *drill.phase() != Phase::Closing {
        writeln!(out)?;
        say(out, "Input ended; stopping here.")?;
        drill.apply(Action::Stop, Instant::now());
    }
    summary(out, &drill)?;
    let session = (!drill.records().is_empty()).then(|| drill.session(crate::journal::local_now()));
    let words = LastSave {
        off: crate::journal::SAVING_OFF,
        empty: "Nothing to save: no card was assessed.",
        noun: "drill",
    };
    last_save(out, journal, session, &words)
}

fn intro(out: &mut impl Write, d: &Drill) -> io::Result<()> {
    let o = d.options();
    say(out, &format!("Drill: {}", d.protocol().title))?;
    say(
        out,
        &format!(
            "Up to {} {} or {} {}, whichever comes first. Seed {} (give --seed {} to deal the same cards again).",
            o.cards,
            if o.cards == 1 { "card" } else { "cards" },
            o.minutes,
            if o.minutes == 1 { "minute" } else { "minutes" },
            o.seed,
            o.seed
        ),
    )?;
    say(out, &format!("Drilling {}.", focus_words(d)))?;
    if o.typed {
        say(out, "Type each response on one line.")
    } else {
        say(out, "Say each response out loud, briefly.")
    }
}

/// The word that takes back the last rating at the next prompt.
pub const UNDO_WORD: &str = "undo";

/// Whether `line` asks to take back the last rating, and there is one.
fn undoes(d: &Drill, line: &str) -> bool {
    d.can_undo() && line.trim().eq_ignore_ascii_case(UNDO_WORD)
}

/// After an undo: says so, and saves the drill again without that attempt
/// (or removes its file, when it was the only one).
fn took_back(out: &mut impl Write, d: &Drill, journal: &mut dyn Journal) -> io::Result<()> {
    let a = d.current();
    say(
        out,
        &format!(
            "Rating taken back: card {}, {}. Rate it again.",
            a.number,
            card_name(&a.card.client)
        ),
    )?;
    let session = (!d.records().is_empty()).then(|| d.session(crate::journal::local_now()));
    if journal.keeps() {
        // A failure here is reported by the final save.
        let _ = match &session {
            Some(session) => journal.save(session),
            None => journal.discard(&d.session(crate::journal::local_now()).id),
        };
    }
    crate::signals::confirm(String::new(), move |_| session.clone());
    Ok(())
}

/// ", or undo to take back the last rating" while there is one to take back.
fn undo_offer(d: &Drill) -> &'static str {
    if d.can_undo() {
        "; undo takes back the last rating"
    } else {
        ""
    }
}

/// A card's content note, before the card is dealt: Enter deals it, `s`
/// leaves it out. False when input ended.
fn notice(out: &mut impl Write, d: &mut Drill, lines: &Lines) -> io::Result<bool> {
    writeln!(out)?;
    if let Some(note) = d.current().card.content_note() {
        say(out, &note)?;
    }
    say(
        out,
        &format!(
            "Enter deals this card; s leaves it out and another comes instead{}.",
            undo_offer(d)
        ),
    )?;
    out.flush()?;
    let Some(line) = lines.next() else {
        return Ok(false);
    };
    let action = if undoes(d, &line) {
        Action::Undo
    } else if line.trim().eq_ignore_ascii_case("s") {
        say(out, "Left out.")?;
        Action::Skip
    } else {
        Action::Deal
    };
    d.apply(action, Instant::now());
    Ok(true)
}

/// The card and the breath. False when input ended.
fn card(out: &mut impl Write, d: &mut Drill, lines: &Lines) -> io::Result<bool> {
    writeln!(out)?;
    let a = d.current().clone();
    say(
        out,
        &format!(
            "Card {} of {} ({})",
            a.number,
            d.options().cards,
            card_origin(d)
        ),
    )?;
    if let Some(scene) = &a.card.scene {
        say(out, &format!("Scene: {}", scene.trim()))?;
    }
    say(out, &format!("Client: \"{}\"", a.card.client.trim()))?;
    let Phase::Scan(timer) = d.phase().clone() else {
        return Ok(true);
    };
    say(
        out,
        &format!(
            "One breath ({}): {SCAN_CUE} (Enter goes on{})",
            crate::practice::length_words(timer.length().as_secs() as u32),
            undo_offer(d)
        ),
    )?;
    out.flush()?;
    let deadline = Instant::now() + timer.length();
    let read = lines.next_before(deadline);
    match &read {
        Read::Line(line) if undoes(d, line) => {
            d.apply(Action::Undo, Instant::now());
        }
        _ => {
            d.apply(Action::EndScan, Instant::now());
        }
    }
    Ok(read != Read::End)
}

/// The response (recorded when taping). False when input ended.
fn respond(
    out: &mut impl Write,
    d: &mut Drill,
    lines: &Lines,
    taping: &mut Taping,
) -> io::Result<bool> {
    if let Some(model) = d.warm_up_model() {
        say(out, WARM_UP_LINE)?;
        say(out, &format!("Model: \"{model}\""))?;
    }
    if d.options().typed {
        say(out, "Your response, one line:")?;
        out.flush()?;
        let Some(line) = lines.next() else {
            return Ok(false);
        };
        d.apply(Action::SetResponse(line), Instant::now());
        d.apply(Action::EndResponse, Instant::now());
        return Ok(true);
    }
    let recording = taping.start(out, d.current().number, d.current().attempt)?;
    // A response being recorded belongs to the next card: no undo there.
    let offer = if recording.is_some() {
        ""
    } else {
        undo_offer(d)
    };
    let read = match d.respond_length() {
        Some(length) => {
            say(
                out,
                &format!(
                    "Respond out loud now ({}). Press Enter when done{}.",
                    crate::practice::length_words(length.as_secs() as u32),
                    offer
                ),
            )?;
            out.flush()?;
            lines.next_before(Instant::now() + length)
        }
        None => {
            say(
                out,
                &format!("Respond out loud now. Press Enter when done{offer}."),
            )?;
            out.flush()?;
            lines.next().map_or(Read::End, Read::Line)
        }
    };
    if read == Read::Timeout {
        say(out, "Time.")?;
    }
    taping.finish(out, recording)?;
    match &read {
        Read::Line(line) if !offer.is_empty() && undoes(d, line) => {
            d.apply(Action::Undo, Instant::now())
        }
        _ => d.apply(Action::EndResponse, Instant::now()),
    };
    Ok(read != Read::End)
}

/// The one-line reminder before every marker question after the first.
pub const MARKERS_REMINDER: &str = "markers: ? for the list";

/// Which marker was it. The numbered list is printed the first time only
/// (it is long); after that a one-line reminder, and `?` prints it again.
/// False when input ended.
fn guess(out: &mut impl Write, d: &mut Drill, lines: &Lines, first: bool) -> io::Result<bool> {
    let choices = MarkerGuess::choices();
    fn list(out: &mut impl Write, choices: &[MarkerGuess]) -> io::Result<()> {
        for (i, choice) in choices.iter().enumerate() {
            say(out, &format!("  {i}. {}", choice.label()))?;
        }
        Ok(())
    }
    say(
        out,
        "Which marker did you see? Its number (empty: not sure).",
    )?;
    if first {
        list(out, &choices)?;
    } else {
        say(out, MARKERS_REMINDER)?;
    }
    let again = format!(
        "Give a number from 0 to {}, or an empty line for not sure.",
        choices.len() - 1
    );
    loop {
        out.flush()?;
        let Some(line) = lines.next() else {
            return Ok(false);
        };
        let choice = match line.trim() {
            "" => Some(MarkerGuess::Unsure),
            "?" => {
                list(out, &choices)?;
                continue;
            }
            line => line
                .parse::<usize>()
                .ok()
                .and_then(|n| choices.get(n))
                .copied(),
        };
        match choice {
            Some(choice) => {
                d.apply(Action::Guess(choice), Instant::now());
                return Ok(true);
            }
            None => say(out, &again)?,
        }
    }
}

/// The reveal, as lines: the drill's one reveal model, with a part of one
/// item on one line (`Heading: item`) and a list under its heading.
fn reveal(out: &mut impl Write, d: &Drill) -> io::Result<()> {
    let r = crate::practice::reveal::drill(d);
    say(out, "Reveal.")?;
    let markers = if r.markers.is_empty() {
        String::new()
    } else {
        format!("; markers: {}", r.markers.join(", "))
    };
    say(
        out,
        &format!("Kind: {} ({}){markers}.", r.kind.as_str(), r.level.as_str()),
    )?;
    say(out, &r.verdict)?;
    for part in &r.parts {
        if !part.is_list() {
            for item in &part.items {
                say(out, &format!("{}: {}", part.heading, item.line("\"", "\"")))?;
            }
            continue;
        }
        say(out, &format!("{}:", part.heading))?;
        for (i, item) in part.items.iter().enumerate() {
            let lead = match part.shape {
                Shape::Numbered => format!("{}.", i + 1),
                _ => "-".to_string(),
            };
            say(out, &format!("  {lead} {}", item.line("\"", "\"")))?;
            if let Some(under) = part.under_item(i) {
                say(out, &format!("    {under}"))?;
            }
        }
    }
    Ok(())
}

/// Criteria met (or the self-report) and the rating; `p` plays the
/// recorded response first. False when input ended.
fn assess(
    out: &mut impl Write,
    d: &mut Drill,
    lines: &Lines,
    taping: &mut Taping,
) -> io::Result<bool> {
    let count = d.criteria().len();
    if count > 0 {
        say(
            out,
            "Which criteria did your response meet? Their numbers, like 1 3 (empty: none).",
        )?;
        let again = format!(
            "Give criterion numbers from 1 to {count} separated by spaces, or an empty line for none."
        );
        let Some(ticked) = answer(out, lines, &again, |line| numbers(line, count))? else {
            return Ok(false);
        };
        for i in ticked {
            d.apply(Action::Toggle(i), Instant::now());
        }
    }
    if d.asks_self_report() {
        say(
            out,
            &format!("{SELF_REPORT_PROMPT} One line (empty: nothing noted)."),
        )?;
        out.flush()?;
        let Some(line) = lines.next() else {
            return Ok(false);
        };
        d.apply(
            Action::SetSelfReport(line.trim().to_string()),
            Instant::now(),
        );
    }
    let playable = taping.playable();
    if playable {
        say(out, "p plays back your recorded response.")?;
    }
    say(
        out,
        &format!(
            "How hard was it, 0 to {MAX_RATING}? Add a to try this card again, like 7a (empty: {DEFAULT_RATING})."
        ),
    )?;
    let again_words = format!(
        "Type a number from 0 to {MAX_RATING} (optionally with a, like 7a), or an empty line for {DEFAULT_RATING}."
    );
    let (rating, again) = loop {
        let parsed = answer(out, lines, &again_words, |line| {
            if playable && line.trim().eq_ignore_ascii_case("p") {
                Some(None)
            } else {
                rating_answer(line).map(Some)
            }
        })?;
        match parsed {
            None => return Ok(false),
            Some(Some(rated)) => break rated,
            Some(None) => taping.play(out, "Played. Your rating:")?,
        }
    };
    d.apply(Action::SetRating(rating), Instant::now());
    d.apply(
        if again { Action::Again } else { Action::Next },
        Instant::now(),
    );
    // The attempt is kept from here, before anything says so: a signal
    // before its save (just after this) saves it then.
    let kept = d.session(crate::journal::local_now());
    crate::signals::confirm(String::new(), move |_| Some(kept));
    if let Some(change) = d.last_change() {
        say(out, &change.sentence(d.options().rule))?;
    }
    if again {
        say(out, "The same card again, now.")?;
    }
    Ok(true)
}

/// "7", "7a", "a", "" ...; `None` if it is none of those.
fn rating_answer(line: &str) -> Option<(u8, bool)> {
    let text: String = line
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let again = text.ends_with('a');
    let number = text.trim_end_matches('a');
    if text.matches('a').count() > 1 {
        return None;
    }
    let rating = match number {
        "" => DEFAULT_RATING,
        n => n.parse::<u8>().ok().filter(|r| *r <= MAX_RATING)?,
    };
    Some((rating, again))
}

/// The summary: one line per kept attempt, then the marker rate.
fn summary(out: &mut impl Write, d: &Drill) -> io::Result<()> {
    writeln!(out)?;
    let records = d.records();
    let attempts = records.len();
    say(
        out,
        &format!(
            "Summary: {} {}, {} {}.",
            d.cards_done(),
            if d.cards_done() == 1 { "card" } else { "cards" },
            attempts,
            if attempts == 1 { "attempt" } else { "attempts" }
        ),
    )?;
    for r in records {
        let offered = r.criteria_met.len() + r.criteria_missed.len();
        let criteria = if offered > 0 {
            format!("; {} of {offered} criteria met", r.criteria_met.len())
        } else {
            String::new()
        };
        // "Not sure" is an answer, not a miss.
        let marker = match (&r.marker_guess, r.marker_right) {
            (None, _) => "marker: not sure",
            (Some(_), true) => "marker seen",
            (Some(_), false) => "marker missed",
        };
        say(
            out,
            &format!(
                "Card {} try {}: {} ({}, {}); rated {}{criteria}; {marker}.",
                r.number,
                r.attempt,
                card_name(&r.client),
                r.kind,
                r.level,
                r.rating
            ),
        )?;
    }
    let firsts: Vec<_> = records.iter().filter(|r| r.attempt == 1).collect();
    if !firsts.is_empty() {
        let right = firsts.iter().filter(|r| r.marker_right).count();
        say(
            out,
            &format!(
                "Markers recognised on the first try: {right} of {}.",
                firsts.len()
            ),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_read_forgivingly() {
        assert_eq!(rating_answer(""), Some((DEFAULT_RATING, false)));
        assert_eq!(rating_answer("9"), Some((9, false)));
        assert_eq!(rating_answer(" 7 A"), Some((7, true)));
        assert_eq!(rating_answer("a"), Some((DEFAULT_RATING, true)));
        assert_eq!(rating_answer("11"), None);
        assert_eq!(rating_answer("aa"), None);
        assert_eq!(rating_answer("x"), None);
    }

    /// Plain mode prints every part of the drill's one reveal model: each
    /// heading and each item, the spoken words in straight quotes.
    #[test]
    fn the_reveal_prints_every_part_of_the_model() {
        use crate::practice::drill::tests::{options, start};
        let now = Instant::now();
        let mut d = start(options(), now);
        d.apply(Action::EndScan, now);
        d.apply(Action::EndResponse, now);
        d.apply(Action::Guess(MarkerGuess::Unsure), now);
        assert_eq!(*d.phase(), Phase::Reveal);
        let mut out = Vec::new();
        reveal(&mut out, &d).unwrap();
        let text = String::from_utf8(out).unwrap();
        let model = crate::practice::reveal::drill(&d);
        assert!(model.parts.len() >= 3, "{model:?}");
        assert!(text.contains(&model.verdict), "{text}");
        for part in &model.parts {
            assert!(text.contains(&part.heading), "{} in:\n{text}", part.heading);
            for item in &part.items {
                let line = item.line("\"", "\"");
                assert!(text.contains(&line), "{line} in:\n{text}");
            }
        }
        assert!(
            text.contains("\n  1. names the experience as a guess\n"),
            "{text}"
        );
        assert!(
            text.contains("\n  - \"A worse one.\": it defends\n"),
            "{text}"
        );
    }

    #[test]
    fn criterion_numbers() {
        assert_eq!(numbers("", 3), Some(vec![]));
        assert_eq!(numbers("3 1,3", 3), Some(vec![0, 2]));
        assert_eq!(numbers("4", 3), None);
    }
}
