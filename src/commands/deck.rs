//! `repair deck` (without `print`): the deck view, full screen or plain
//! lines, or JSON for scripts. Reads the protocol and the saved drills (the
//! same window `repair drill` reads, so "due" means the same); writes
//! nothing.

use std::io::{self, Write};

use super::{Context, Front};
use crate::cli::DeckArgs;
use crate::error::Error;
use crate::journal::{self, Session, Store};
use crate::plain::deck as plain_deck;
use crate::practice::deck::{Deck, Filter, History};
use crate::practice::level::LevelRule;
use crate::sanitize;
use crate::tui::deck::{self as screen, DeckView};
use crate::tui::terminal::Ended;

pub fn run(ctx: &Context, args: &DeckArgs) -> Result<u8, Error> {
    let protocol = ctx.protocol()?;
    if protocol.scenarios.is_empty() {
        return Err(Error::NoScenarios {
            protocol: protocol.id.clone(),
            kind: String::new(),
        });
    }
    let filter = Filter {
        tags: args.tag.clone(),
        kind: args.kind.map(Into::into),
        level: args.level.map(Into::into),
        due: args.due,
    };
    let front = if args.json {
        Front::Plain
    } else {
        Front::choose(args.plain)
    };
    let now = journal::local_now();
    let (drills, history) = drills(ctx, front, now)?;
    let deck = Deck::new(
        protocol,
        &drills,
        LevelRule::default(),
        now.date_naive(),
        history,
    );
    let card = match &args.card {
        Some(id) => Some(deck.find(id).ok_or_else(|| Error::NoCard {
            protocol: deck.protocol.id.clone(),
            card: id.clone(),
        })?),
        None => None,
    };
    if history == History::NotUnlocked && front == Front::Plain {
        eprintln!(
            "repair: the passphrase was not given, so the deck is shown without your practice history."
        );
    }
    if args.json {
        let chosen = match card {
            Some(i) => vec![i],
            None => deck.chosen(&filter),
        };
        let text = serde_json::to_string_pretty(&deck.to_json(&filter, &chosen))
            .map_err(|e| Error::Output(io::Error::other(e)))?;
        let mut out = io::stdout().lock();
        writeln!(out, "{text}").map_err(Error::Output)?;
        return Ok(0);
    }
    if front == Front::Plain {
        let mut out = io::stdout().lock();
        match card {
            Some(i) => plain_deck::card(&mut out, &deck, i),
            None => plain_deck::list(&mut out, &deck, &filter),
        }
        .map_err(Error::Output)?;
        return Ok(0);
    }
    let mut model = DeckView::new(deck, filter, 80, 24);
    if let Some(i) = card {
        model.open(i);
    }
    match screen::run(&mut model, ctx.presentation.theme).map_err(Error::Terminal)? {
        Ended::Done(_) => Ok(0),
        Ended::Signal { number, .. } => Ok(super::shell::signal_code(number)),
        Ended::Failed { error, .. } => Err(Error::Terminal(error)),
    }
}

/// The saved drills `repair drill` would read now, and whether they could be
/// read. Encrypted notes ask for the passphrase (a masked box on the full
/// screen, a masked line otherwise); a prompt interrupted or cancelled is
/// taken as "not now": the deck is shown without practice history.
fn drills(
    ctx: &Context,
    front: Front,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<(Vec<Session>, History), Error> {
    let dir = journal::data_dir(ctx.data_dir())?;
    let mut store = Store::open_to_read(&dir)?;
    for notice in store.notices() {
        eprintln!("repair: {}", sanitize::one_line(notice));
    }
    if store.needs_unlocking() {
        let asked = match front {
            Front::Screen if crate::passphrase::from_terminal() => {
                super::unlock_on_screen(&mut store, &ctx.presentation.theme)
            }
            _ => super::unlock(&mut store),
        };
        match asked {
            Ok(()) => {}
            Err(Error::PassphraseInterrupted) => return Ok((Vec::new(), History::NotUnlocked)),
            Err(e) => return Err(e),
        }
    }
    Ok((super::drill::recent_drills(&store, now), History::Read))
}
