//! `repair prep`: before a difficult session, full screen or plain.

use std::io::{self, Write};

use super::Context;
use super::Front;
use super::shell::{self, Mode};
use crate::cli::PrepArgs;
use crate::error::Error;
use crate::journal::{self, Journal, Store};
use crate::plain::prep::{self as plain_prep, PrepExit, write_pocket_card};
use crate::practice::prep::Prep;
use crate::sanitize;
use crate::tui::prep::{self as tui_prep, Outcome};

/// The context gives the protocol, the prep pause and saving (flag, else
/// setting), and the look.
pub fn run(ctx: &Context, args: &PrepArgs) -> Result<u8, Error> {
    let protocol = ctx.protocol()?;
    // The data dir is checked before the scan, not after five minutes of it.
    let front = Front::choose(args.plain);
    let mut store = ctx.store_if(ctx.choices.save, front)?;
    let started_at = journal::local_now();
    let prep = Prep::new(
        protocol,
        Some(ctx.choices.prep_pause_seconds),
        journal::new_session_id(&started_at),
        started_at,
    );
    go(ctx, prep, store.as_mut(), front)
}

/// Runs `prep` on the chosen front end, saving into `store` if any.
/// (A prep resumed as a prep, issue 9 item 4, would come here too, with
/// `Prep::resume` and the store already open.)
fn go(ctx: &Context, prep: Prep, store: Option<&mut Store>, front: Front) -> Result<u8, Error> {
    shell::run(
        ctx,
        prep,
        store,
        front,
        Mode {
            // Each answer is confirmed as it is given (see the plain prep),
            // so a signal saves an unfinished prep.
            plain_kept: "the answers given so far",
            plain: |prep, journal: &mut dyn Journal| {
                let exit = plain_prep::run(
                    prep,
                    journal,
                    io::stdin().lock(),
                    crate::plain::Stdout::lock(),
                )?;
                Ok(match exit {
                    PrepExit::Unsaved { .. } => 1,
                    _ => 0,
                })
            },
            screen: tui_prep::run,
            report: |outcome, _| after_full_screen(outcome),
        },
    )
}

/// Prints the pocket card on the main screen, where it stays after the
/// full screen has closed, and says what was saved.
fn after_full_screen(outcome: Outcome) -> io::Result<u8> {
    let mut out = io::stdout().lock();
    let saved_line =
        |out: &mut io::StdoutLock, saved: &Option<Result<String, String>>, what| match saved {
            Some(Ok(id)) => writeln!(out, "Saved {what}session {id}.").map(|_| 0),
            Some(Err(error)) => {
                eprintln!(
                    "repair: the prep could not be saved: {}",
                    sanitize::one_line(error)
                );
                Ok(1)
            }
            None => Ok(0),
        };
    match outcome {
        Outcome::Finished { prep, saved } => {
            if prep.is_empty() {
                writeln!(out, "{}", plain_prep::NOTHING_KEPT)?;
                return Ok(0);
            }
            write_pocket_card(&mut out, &prep)?;
            if saved.is_none() {
                writeln!(out, "{}", journal::SAVING_OFF)?;
            }
            saved_line(&mut out, &saved, "")
        }
        Outcome::Left { prep, saved } => {
            if prep.is_empty() {
                writeln!(out, "{}", plain_prep::NOTHING_KEPT)?;
                return Ok(0);
            }
            if prep.has_answers() {
                write_pocket_card(&mut out, &prep)?;
            }
            if saved.is_none() {
                writeln!(out, "{}", journal::SAVING_OFF)?;
            }
            saved_line(&mut out, &saved, "unfinished ")
        }
    }
}
