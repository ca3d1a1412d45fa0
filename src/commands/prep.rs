//! `repair prep`: before a difficult session, full screen or plain; and
//! `repair prep --resume ID` (also Ctrl-R on the first screen, the
//! browser's `r`, `repair --resume ID` on a prep): an unfinished prep
//! continued where it stopped, saved into the same session.

use std::io::{self, Write};

use super::Context;
use super::Front;
use super::shell::{self, Fronts};
use crate::cli::PrepArgs;
use crate::error::Error;
use crate::journal::{self, Journal, Listed, Saved, Session, SessionMode, Store, review};
use crate::plain::prep::{self as plain_prep, PrepExit, write_pocket_card_in};
use crate::practice::prep::Prep;
use crate::sanitize;
use crate::tui::prep::{self as tui_prep, Opening, Outcome};

/// The context gives the protocol, the prep pause and saving (flag, else
/// setting), and the look.
pub fn run(ctx: &Context, args: &PrepArgs) -> Result<u8, Error> {
    let front = Front::choose(args.plain);
    if let Some(id) = &args.resume {
        let mut store = ctx.open_store(front)?;
        return resume(ctx, &mut store, id, front);
    }
    let protocol = ctx.protocol()?;
    // The data dir is checked before the scan, not after five minutes of it.
    let mut store = ctx.store_if(ctx.choices.save, front)?;
    let started_at = journal::local_now();
    let prep = Prep::new(
        protocol,
        Some(ctx.choices.prep_pause_seconds),
        journal::new_session_id(&started_at),
        started_at,
    );
    let opening = Opening {
        resumed: false,
        resume_offer: match (&store, front) {
            (Some(store), Front::Screen) => unfinished_offer(store, started_at),
            _ => None,
        },
    };
    match (go(ctx, prep, store.as_mut(), front, opening)?, store) {
        (Next::Resume(id), Some(mut store)) => resume(ctx, &mut store, &id, front),
        (Next::Resume(_), None) => Ok(0),
        (Next::Code(code), _) => Ok(code),
    }
}

/// `--resume ID` on the store already open: an unfinished prep continues as
/// a prep. An unfinished walk is named with the command that opens it
/// (`repair --resume ID` opens either kind; prep does not reach into the
/// walk's command, so the two stay one-way).
pub fn resume(ctx: &Context, store: &mut Store, id: &str, front: Front) -> Result<u8, Error> {
    let session = store.load(id)?;
    if !review::is_unfinished(&session) {
        return Err(Error::NotUnfinished(session.id));
    }
    match session.mode {
        SessionMode::Prep => {}
        SessionMode::Practice => return Err(Error::ResumeWalkAsPrep(session.id)),
        _ => {
            return Err(Error::ResumeOtherMode {
                id: session.id,
                mode: session.mode.as_str().to_string(),
            });
        }
    }
    let prep = resumed(ctx, &session)?;
    if front == Front::Plain {
        println!(
            "Resuming the prep of {}.",
            sanitize::one_line(&review::when(&session))
        );
    }
    let opening = Opening {
        resumed: true,
        resume_offer: None,
    };
    // --no-save: continue, but keep nothing of this run.
    let store = ctx.choices.save.then_some(store);
    match go(ctx, prep, store, front, opening)? {
        Next::Code(code) => Ok(code),
        Next::Resume(_) => Ok(0),
    }
}

/// The prep of an unfinished prep session, with its protocol.
fn resumed(ctx: &Context, session: &Session) -> Result<Prep, Error> {
    let protocol = shell::protocol_of(ctx, session, None)?;
    Ok(Prep::resume(
        protocol,
        session,
        Some(ctx.choices.prep_pause_seconds),
    ))
}

/// The first screen's offer: the newest unfinished prep of the last four
/// weeks (as far back as the walk's start screen looks), as the line shown
/// and its id.
fn unfinished_offer(
    store: &Store,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Option<(String, String)> {
    let since = (now - chrono::Duration::days(review::NOTICE_DAYS))
        .format("%Y%m%d")
        .to_string();
    let newest = store
        .list_where(|id| id.get(..8).is_some_and(|day| day >= since.as_str()))
        .into_iter()
        .filter_map(|l| match l {
            Listed::Session(s) => Some(s),
            Listed::Unreadable { .. } => None,
        })
        .filter(|s| s.mode == SessionMode::Prep && s.resumable())
        .max_by_key(|s| (s.started_at, s.id.clone()))?;
    Some((
        format!(
            "Unfinished prep from {} · Ctrl-R resumes it",
            review::day(&newest)
        ),
        newest.id,
    ))
}

/// What comes after a prep run.
enum Next {
    /// Over, with this exit status; everything has been said.
    Code(u8),
    /// Ctrl-R on the first screen: resume this prep next, on the same store.
    Resume(String),
}

/// Runs `prep` on the chosen front end, saving into `store` if any.
fn go(
    ctx: &Context,
    prep: Prep,
    store: Option<&mut Store>,
    front: Front,
    opening: Opening,
) -> Result<Next, Error> {
    let resumed = opening.resumed;
    let next = std::cell::RefCell::new(None);
    let code = shell::run(
        ctx,
        prep,
        store,
        front,
        Fronts {
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
            screen: |prep, journal: &mut dyn Journal, presentation| {
                tui_prep::run_opened(prep, journal, presentation, opening)
            },
            report: |outcome, _| match outcome {
                Outcome::Resume(id) => {
                    *next.borrow_mut() = Some(id);
                    Ok(0)
                }
                outcome => after_full_screen(outcome, resumed),
            },
        },
    )?;
    Ok(match next.into_inner() {
        Some(id) => Next::Resume(id),
        None => Next::Code(code),
    })
}

/// Prints the pocket card on the main screen, where it stays after the
/// full screen has closed, and says what was saved.
fn after_full_screen(outcome: Outcome, resumed: bool) -> io::Result<u8> {
    let mut out = io::stdout().lock();
    // The card is wrapped to the terminal, so it never breaks mid-word.
    let width = ratatui::crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w));
    let write_pocket_card =
        |out: &mut io::StdoutLock, prep: &Prep| write_pocket_card_in(out, prep, width);
    let saved_line = |out: &mut io::StdoutLock, saved: &Saved, what| match saved {
        Saved::As(id) => writeln!(out, "Saved {what}session {id}.").map(|_| 0),
        Saved::Failed(error) => {
            eprintln!(
                "repair: the prep could not be saved: {}",
                sanitize::one_line(&error.to_string())
            );
            Ok(1)
        }
        Saved::Nothing => Ok(0),
    };
    match outcome {
        Outcome::Finished { prep, saved } => {
            if prep.is_empty() {
                writeln!(out, "{}", plain_prep::NOTHING_KEPT)?;
                return Ok(0);
            }
            write_pocket_card(&mut out, &prep)?;
            if matches!(saved, Saved::Nothing) {
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
            if matches!(saved, Saved::Nothing) {
                writeln!(out, "{}", journal::SAVING_OFF)?;
            }
            let code = saved_line(&mut out, &saved, "unfinished ")?;
            if let Saved::As(id) = &saved {
                writeln!(out, "`repair prep --resume {id}` goes on with it.")?;
            }
            Ok(code)
        }
        Outcome::Discarded { prep } if resumed => {
            let id = prep.session_id().to_string();
            writeln!(
                out,
                "Nothing changed: prep {id} is still unfinished (`repair prep --resume {id}` goes on with it)."
            )
            .map(|_| 0)
        }
        Outcome::Discarded { .. } => {
            writeln!(out, "Discarded: nothing of this prep was kept.").map(|_| 0)
        }
        // Taken by `go` before this is called.
        Outcome::Resume(_) => Ok(0),
    }
}
