//! `repair rehearse`: group rehearsal on scenario cards, full screen or plain.

use std::io::{self, Write};

use super::Context;
use super::Front;
use super::shell::{self, Fronts, Said};
use crate::cli::RehearseArgs;
use crate::error::Error;
use crate::journal::{self, Journal, Saved};
use crate::plain::lines::Lines;
use crate::plain::rehearse as plain_rehearse;
use crate::practice::exclude::Exclusions;
use crate::practice::level::{HardReactions, LevelRule};
use crate::practice::rehearse::{
    DEFAULT_BEATS, DEFAULT_ROUND_SECONDS, DEFAULT_SCAN_SECONDS, DEFAULT_SET, MAX_ROUNDS, Rehearsal,
    RehearseOptions,
};
use crate::practice::rng::seed_from_clock;
use crate::protocol::{self, Level, ScenarioKind};
use crate::sanitize;
use crate::tui;

/// `--step all`: every step observers can see, as before one step could be
/// chosen.
const ALL_STEPS: &str = "all";

/// The context gives the look. Neither the `save` nor the `protocol`
/// setting applies: a group rehearsal keeps nothing unless `--save` is
/// given or the group asks at the end (the data directory is opened only
/// then), and uses the built-in protocol unless `--protocol` names another.
pub fn run(ctx: &Context, args: &RehearseArgs) -> Result<u8, Error> {
    let protocol = match &args.protocol {
        Some(name) => ctx.named_protocol(name)?,
        None => protocol::builtin(),
    };
    // The trainer (if any) is not among the people who play.
    let (people, trainer) = args.seats();
    // As the drill resolves it; `all` keeps every step observers can see.
    let step = match args.step.as_deref().map(str::trim) {
        Some(all) if all.eq_ignore_ascii_case(ALL_STEPS) => None,
        step => super::pick_step(&protocol, step, false, protocol.focus.clone())?,
    };
    let kind: Option<ScenarioKind> = args.kind.map(Into::into);
    // Checked after parsing (`Cli::check_values`): harder-at is below easier-at.
    let rule = args.level_rule();
    let mut options = RehearseOptions::new(people, args.seed.unwrap_or_else(seed_from_clock));
    options.set = args.set.unwrap_or(DEFAULT_SET);
    options.rounds = args
        .rounds
        .unwrap_or((options.people.len() as u32 * options.set).min(MAX_ROUNDS));
    options.round_seconds = args.round_seconds.unwrap_or(DEFAULT_ROUND_SECONDS);
    options.kind = kind;
    options.level = args.level.map_or(Level::Beginner, Into::into);
    options.show_kind = args.show_kind;
    options.exclude = Exclusions::of(&ctx.settings.exclude_tags, &args.exclude_tag);
    let exclude = options.exclude.clone();
    options.trainer = trainer;
    options.step = step;
    options.scan_seconds = args.scan_seconds.unwrap_or(DEFAULT_SCAN_SECONDS);
    options.beats = args.beats.unwrap_or(DEFAULT_BEATS);
    options.improvise_minutes = args.improvise.unwrap_or(0);
    options.rule = LevelRule {
        reactions: HardReactions::new(
            &ctx.settings.hard_reactions,
            ctx.settings.hard_reactions_from,
        ),
        ..rule
    };
    let protocol_id = protocol.id.clone();
    let started_at = journal::local_now();
    let rehearsal = Rehearsal::new(
        protocol,
        options,
        journal::new_session_id(&started_at),
        started_at,
    )
    .ok_or_else(|| Error::NoScenarios {
        protocol: protocol_id,
        kind: kind.map_or(String::new(), |k| format!(" of kind \"{}\"", k.as_str()))
            + &exclude.no_cards_words(),
    })?;
    // Nothing touches the disk without --save; with it, the data directory
    // is checked before the group starts.
    let front = Front::choose(args.plain);
    let mut store = ctx.store_if(args.save, front)?;
    let seed = rehearsal.options().seed;
    shell::run(
        ctx,
        rehearsal,
        store.as_mut(),
        front,
        Fronts {
            // With --save, the rounds reviewed so far were saved as each
            // ended.
            plain_kept: "the rounds reviewed so far",
            plain: |rehearsal: crate::practice::rehearse::Rehearsal, journal: &mut dyn Journal| {
                let out = crate::plain::Stdout::lock();
                // Asked for at the end: the data directory is opened only
                // then.
                let mut save_at_end = |session: &journal::Session| {
                    let store = ctx.open_store(Front::Plain)?;
                    store
                        .save_walk(session)
                        .map(|_| session.id.clone())
                        .map_err(Into::into)
                };
                let id = rehearsal.session(None).id;
                let (recorder, off) =
                    super::recording::recorder(&ctx.settings, args.record, false, journal, &id);
                if let Some(off) = off {
                    eprintln!("{off}");
                }
                let exit = plain_rehearse::run(
                    rehearsal,
                    journal,
                    Lines::stdin(),
                    out,
                    &mut save_at_end,
                    plain_rehearse::Taping::new(recorder),
                )?;
                Ok(exit.code())
            },
            screen: |rehearsal: crate::practice::rehearse::Rehearsal,
                     journal: &mut dyn Journal,
                     presentation| {
                let id = rehearsal.session(None).id;
                let (recorder, off) =
                    super::recording::recorder(&ctx.settings, args.record, false, journal, &id);
                if let Some(off) = off {
                    eprintln!("{off}");
                }
                tui::rehearse::run_recording(rehearsal, journal, presentation, recorder)
            },
            report: |outcome: tui::rehearse::Outcome, _| {
                let mut out = io::stdout().lock();
                // The summary stays on the terminal once the screen has
                // closed, as prep's pocket card does.
                for line in &outcome.summary {
                    writeln!(out, "{}", sanitize::one_line(line))?;
                }
                if let Some(session) = &outcome.save {
                    // Asked for on the closing screen: the data directory
                    // is opened only now (unlocked first if encrypted).
                    let saved = match ctx.open_store(Front::Screen) {
                        Ok(store) => Saved::of(store.save_walk(session), &session.id),
                        Err(error) => Saved::of(Err(error), &session.id),
                    };
                    if shell::say_saved(&mut out, saved, "rehearsal")? == Said::Failed {
                        return Ok(1);
                    }
                    writeln!(
                        out,
                        "Seed {seed} (give --seed {seed} to deal the same cards again)."
                    )?;
                    return Ok(0);
                }
                match shell::say_saved(&mut out, outcome.saved, "rehearsal")? {
                    Said::Saved => {}
                    Said::Failed => return Ok(1),
                    Said::Nothing if args.save && !outcome.played => writeln!(
                        out,
                        "Rehearsal over. No response was reviewed, so nothing was kept."
                    )?,
                    Said::Nothing => writeln!(out, "Rehearsal over. Nothing was saved.")?,
                }
                writeln!(
                    out,
                    "Seed {seed} (give --seed {seed} to deal the same cards again)."
                )?;
                Ok(0)
            },
        },
    )
}
