//! `repair drill`: the solo drill, full screen or plain.

use std::io::{self, Write};
use std::time::Instant;

use super::Context;
use super::Front;
use super::recording;
use super::shell::{self, Fronts, Said};
use crate::cli::DrillArgs;
use crate::error::Error;
use crate::journal::{self, Journal, Session, Store};
use crate::plain::drill as plain_drill;
use crate::plain::lines::Lines;
use crate::practice::drill::{
    DEFAULT_CARDS, DEFAULT_MINUTES, DEFAULT_RESPOND_SECONDS, DEFAULT_SCAN_SECONDS, Drill,
    DrillOptions,
};
use crate::practice::exclude::Exclusions;
use crate::practice::level::LevelRule;
use crate::practice::rng::seed_from_clock;
use crate::practice::schedule::Schedule;
use crate::protocol::{self, Protocol, ScenarioKind};
use crate::tui;

/// The context gives the protocol and whether to save (flag, else
/// setting), and the look.
pub fn run(ctx: &Context, args: &DrillArgs) -> Result<u8, Error> {
    let protocol = ctx.protocol()?;
    let step = focus_step(&protocol, args)?;
    let front = Front::choose(args.plain);
    // The history is read from the store the drill saves to; with nothing
    // saved, cards are dealt without it.
    let mut store = ctx.store_if(ctx.choices.save, front)?;
    let rule = LevelRule::default();
    let started_at = journal::local_now();
    let schedule = match &store {
        Some(store) => Schedule::from_sessions(
            &recent_drills(store, started_at),
            rule,
            started_at.date_naive(),
        ),
        None => Schedule::default(),
    };
    let kind: Option<ScenarioKind> = args.kind.map(Into::into);
    let options = DrillOptions {
        cards: args.cards.unwrap_or(DEFAULT_CARDS),
        minutes: args.minutes.unwrap_or(DEFAULT_MINUTES),
        scan_seconds: args.scan_seconds.unwrap_or(DEFAULT_SCAN_SECONDS),
        respond_seconds: args.respond_seconds.unwrap_or(DEFAULT_RESPOND_SECONDS),
        typed: args.typed,
        kind,
        tag: args.tag,
        level: args.level.map(Into::into),
        step,
        seed: args.seed.unwrap_or_else(seed_from_clock),
        rule,
        today: started_at.date_naive(),
        due_only: args.due,
        exclude: Exclusions::of(&ctx.settings.exclude_tags, &args.exclude_tag),
    };
    let exclude = options.exclude.clone();
    let protocol_id = protocol.id.clone();
    let any_card = protocol.scenarios.iter().any(|s| {
        kind.is_none_or(|k| s.kind == k)
            && args.tag.is_none_or(|t| s.tags.contains(&t))
            && exclude.allows(s)
    });
    let id = journal::new_session_id(&started_at);
    let drill = Drill::new(
        protocol,
        options,
        schedule,
        id.clone(),
        started_at,
        Instant::now(),
    );
    let Some(drill) = drill else {
        if args.due && any_card {
            // Nothing due is good news, not a mistake.
            let mut out = io::stdout().lock();
            writeln!(out, "{}", nothing_due(ctx.choices.save)).map_err(Error::Output)?;
            return Ok(0);
        }
        return Err(no_cards(protocol_id, kind, args, &exclude));
    };
    shell::run(
        ctx,
        drill,
        store.as_mut(),
        front,
        Fronts {
            plain_kept: "the cards assessed so far",
            plain: |drill: Drill, journal: &mut dyn Journal| {
                let (recorder, off) =
                    recording::recorder(&ctx.settings, args.record, args.typed, journal, &id);
                if let Some(off) = off {
                    eprintln!("{off}");
                }
                let taping = plain_drill::Taping::new(recorder);
                Ok(plain_drill::run(
                    drill,
                    journal,
                    Lines::stdin(),
                    crate::plain::Stdout::lock(),
                    taping,
                )?
                .code())
            },
            screen: |drill: Drill, journal: &mut dyn Journal, presentation| {
                let (recorder, off) =
                    recording::recorder(&ctx.settings, args.record, args.typed, journal, &id);
                if let Some(off) = off {
                    eprintln!("{off}");
                }
                tui::drill::run_recording(drill, journal, presentation, recorder)
            },
            report: |outcome: tui::drill::Outcome, saving: bool| {
                let mut out = io::stdout().lock();
                match shell::say_saved(&mut out, outcome.saved, "drill")? {
                    Said::Saved => {}
                    Said::Failed => return Ok(1),
                    Said::Nothing if !saving => {
                        writeln!(out, "Drill over. {}", journal::SAVING_OFF)?
                    }
                    Said::Nothing => writeln!(out, "Drill over. Nothing was saved.")?,
                }
                Ok(0)
            },
        },
    )
}

/// No card of the kind and tag asked for.
fn no_cards(
    protocol: String,
    kind: Option<ScenarioKind>,
    args: &DrillArgs,
    exclude: &Exclusions,
) -> Error {
    let which = match (kind, args.tag) {
        (Some(k), Some(t)) => format!(" of kind \"{}\" tagged \"{}\"", k.as_str(), t.as_str()),
        (Some(k), None) => format!(" of kind \"{}\"", k.as_str()),
        (None, Some(t)) => format!(" tagged \"{}\"", t.as_str()),
        (None, None) => String::new(),
    };
    Error::NoScenarios {
        protocol,
        kind: which + &exclude.no_cards_words(),
    }
}

/// Said by `repair drill --due` when no card is due today.
pub fn nothing_due(saving: bool) -> &'static str {
    if saving {
        "No cards are due today. `repair drill` deals new cards at your level."
    } else {
        "No cards are due: with saving off, your past drills are not read. `repair drill` deals new cards at your level."
    }
}

/// How far back the schedule reads: four times the longest interval.
/// Session ids begin with their date, so older files are not even opened,
/// and `repair drill` and the start screen stay fast with years of drills on
/// disk. A card's box depends only on its reviews since it was last found
/// hard (at most five), which a clinician drilling regularly makes well
/// within this time; a box built from fewer reviews is never higher, so a
/// card may come back a little early, never late, and a card untouched for
/// longer is dealt as new.
pub const DUE_WINDOW_DAYS: i64 = 120;

/// The drill sessions saved in the last [`DUE_WINDOW_DAYS`] before `now`
/// (other modes and unreadable files are left out), read for scheduling
/// only: without their text ([`Store::history_where`]).
pub fn recent_drills(store: &Store, now: chrono::DateTime<chrono::FixedOffset>) -> Vec<Session> {
    let since = (now - chrono::Duration::days(DUE_WINDOW_DAYS))
        .format("%Y%m%d")
        .to_string();
    let (mut sessions, _) =
        store.history_where(|id| id.get(..8).is_some_and(|day| day >= since.as_str()));
    sessions.retain(|s| s.mode == crate::journal::SessionMode::Drill);
    sessions
}

/// How many cards of `deck` are due on `now`'s day, from `drills` (those
/// [`recent_drills`] would read): for the start screen's quiet line.
pub fn due_today(
    drills: &[Session],
    deck: &[String],
    now: chrono::DateTime<chrono::FixedOffset>,
) -> usize {
    if deck.is_empty() {
        return 0;
    }
    Schedule::from_sessions(drills, LevelRule::default(), now.date_naive())
        .due_count(deck.iter().map(String::as_str), now.date_naive())
}

/// The card ids of the protocol `repair drill` would use (the protocol
/// setting, else the built-in one), for what is due; `None` when that
/// protocol cannot be read.
pub fn deck_ids(ctx: &Context) -> Option<Vec<String>> {
    let protocol = match ctx.settings.protocol.as_ref() {
        Some(name) => ctx.named_protocol(name).ok()?,
        None => protocol::builtin(),
    };
    Some(protocol.scenarios.into_iter().map(|s| s.id).collect())
}

/// The step whose criteria are drilled: `--step`, `--focus`, else the
/// protocol's step of the month when it names one, else every step.
fn focus_step(protocol: &Protocol, args: &DrillArgs) -> Result<Option<String>, Error> {
    super::pick_step(
        protocol,
        args.step.as_deref(),
        args.focus,
        protocol.focus.clone(),
    )
}
