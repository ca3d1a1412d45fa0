//! `repair deck --plain`: the deck as lines, for screen readers and pipes. A
//! first line says what is shown (`Deck: TITLE: N cards.`, or `N of M cards
//! (FILTERS)`), then one line per card ([`Deck::line`]); with a card id, that
//! card in full ([`Deck::full`]). The line formats are a public interface,
//! documented in docs/guide.md.

use std::io::{self, Write};

use crate::practice::deck::{Deck, Filter, History, Part};

/// The cards `filter` keeps, one line each, after the heading (and the
/// drill's level, or why there is no practice history).
pub fn list(out: &mut impl Write, deck: &Deck, filter: &Filter) -> io::Result<()> {
    let chosen = deck.chosen(filter);
    writeln!(out, "{}", deck.heading(filter, chosen.len()))?;
    match deck.history {
        History::NotUnlocked => writeln!(out, "{}", Deck::NOT_UNLOCKED)?,
        History::Read => {
            if let Some(levels) = deck.levels_line() {
                writeln!(out, "{levels}")?;
            }
        }
    }
    for &i in &chosen {
        writeln!(out, "{}", deck.line(i))?;
    }
    if chosen.is_empty() {
        let why = if filter.due && deck.history == History::Read {
            "No card is due today. `repair deck` without --due lists them all."
        } else if filter.due {
            "Nothing is due: no practice history was read."
        } else {
            "No card matches those choices; `repair deck` with fewer of them shows more."
        };
        writeln!(out, "{why}")?;
    }
    Ok(())
}

/// Card `i` in full: a line per part, models numbered, each criterion they
/// meet on its own indented line, an empty line between sections.
pub fn card(out: &mut impl Write, deck: &Deck, i: usize) -> io::Result<()> {
    for (part, text) in deck.full(i) {
        match part {
            Part::Meets => writeln!(out, "     {text}")?,
            _ => writeln!(out, "{text}")?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_list_is_a_heading_then_one_line_per_card() {
        let deck = Deck::without_history(
            crate::protocol::builtin(),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        );
        let mut out = Vec::new();
        list(&mut out, &deck, &Filter::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 + deck.len());
        assert!(lines[0].starts_with("Deck: "), "{}", lines[0]);
        assert_eq!(lines[1], Deck::NOT_UNLOCKED);
        assert_eq!(lines[2], deck.line(0));
    }
}
