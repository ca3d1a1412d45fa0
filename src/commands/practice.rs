//! `repair` and `repair practice`: the walk-through, full screen or plain.

use super::Front;
use super::shell::{self, Opening, Start, Walked};
use super::{Context, follow_up};
use crate::cli::PracticeArgs;
use crate::error::Error;
use crate::journal::crypt::Encryption;
use crate::journal::review;
use crate::journal::{self, Session, SessionMode, Store};
use crate::practice::{Walk, WalkOptions};
use crate::protocol::Protocol;
use crate::tui::walk::model::Offer;

/// The walk-through, with the protocol, pause length, saving and look the
/// context chose.
pub fn run(ctx: &Context, args: &PracticeArgs) -> Result<u8, Error> {
    let front = Front::choose(args.plain);
    if let Some(id) = &args.resume {
        let mut store = ctx.open_store(front)?;
        let offer = Offer::Resume(id.clone());
        return hand_over(ctx, &mut store, offer, front, args.protocol.as_deref());
    }
    // The command line is checked first, so a typo creates nothing on disk.
    // The walk deals no cards: of the deck, it needs only the ids.
    let (protocol, deck) = ctx.protocol_and_deck_ids()?;
    let drill = drill(&protocol, args)?;
    // Then the data dir, before anything is typed: nobody should write for
    // ten minutes and then learn the notes cannot be kept.
    let mut store = ctx.store_if(ctx.choices.save, front)?;
    let started_at = journal::local_now();
    let walk = Walk::new(
        protocol,
        WalkOptions {
            drill,
            pause_seconds: ctx.choices.pause_seconds,
        },
        journal::new_session_id(&started_at),
        started_at,
    );
    let notice = match (&store, front) {
        (Some(store), Front::Screen) => start_notice(store, started_at, &deck),
        _ => None,
    };
    let start = Start {
        notice,
        first_run: store.as_ref().is_some_and(no_sessions_yet),
        encrypted: store
            .as_ref()
            .is_some_and(|s| s.encryption() != Encryption::Off),
    };
    let opening = Opening {
        start,
        ..Opening::default()
    };
    match shell::walk(ctx, walk, store.as_mut(), front, opening)? {
        Walked::Code(code) => Ok(code),
        // The start screen's offers are only made with a store open.
        Walked::Open(offer) => match store {
            Some(mut store) => hand_over(ctx, &mut store, offer, front, None),
            None => Ok(0),
        },
    }
}

/// Opens what the start screen offered (or `--resume` asked for) on the
/// store that is already open, so the passphrase is asked once per run.
pub fn hand_over(
    ctx: &Context,
    store: &mut Store,
    offer: Offer,
    front: Front,
    protocol: Option<&str>,
) -> Result<u8, Error> {
    // An unfinished prep resumes as a prep, whichever way it was asked for.
    if let Offer::Resume(id) = &offer
        && store.load(id)?.mode == SessionMode::Prep
    {
        return super::prep::resume(ctx, store, id, front);
    }
    let (walk, opening) = match &offer {
        Offer::FollowUp(id) => follow_up::prepare(ctx, store, id)?,
        Offer::Resume(id) => resume(ctx, store, id, protocol)?,
    };
    // --no-save: continue, but keep nothing of this run.
    let store = ctx.choices.save.then_some(store);
    match shell::walk(ctx, walk, store, front, opening)? {
        Walked::Code(code) => Ok(code),
        Walked::Open(_) => Ok(0),
    }
}

/// The start screen's quiet lines, one a line: follow-ups waiting (Ctrl-F
/// opens the newest), the newest unfinished session (Ctrl-R resumes it), and
/// drill cards due today (of `deck`). Each line that offers a key ends in
/// ` · KEY words`.
fn start_notice(
    store: &Store,
    now: chrono::DateTime<chrono::FixedOffset>,
    deck: &[String],
) -> Option<(String, Vec<Offer>)> {
    let day = |days: i64| {
        (now - chrono::Duration::days(days))
            .format("%Y%m%d")
            .to_string()
    };
    let (since, drills_since) = (day(review::NOTICE_DAYS), day(super::drill::DUE_WINDOW_DAYS));
    let window = since.as_str().min(drills_since.as_str());
    // Read once, without their text (what is offered is loaded whole by
    // id): the drills of the schedule's window for the cards due, the
    // notice's own days for the rest.
    let (mut sessions, _) = store.history_where(|id| id.get(..8).is_some_and(|day| day >= window));
    let drills: Vec<Session> = sessions
        .iter()
        .filter(|s| s.mode == SessionMode::Drill && s.id.get(..8) >= Some(drills_since.as_str()))
        .cloned()
        .collect();
    // An empty walk (kept by an older version: no notes, no pause) is
    // nothing to come back to.
    sessions.retain(|s| {
        s.id.get(..8) >= Some(since.as_str())
            && (s.mode != SessionMode::Practice || !is_empty_walk(s))
    });
    let pending: Vec<&Session> = sessions
        .iter()
        .filter(|s| review::is_pending_follow_up(s))
        .collect();
    // A session open in another window is named, never offered: two
    // windows on one session would each keep only their own notes.
    let newest_here = pending.iter().rev().find(|s| !store.open_elsewhere(&s.id));
    // Only a walk resumes as a walk: an unfinished prep is offered on
    // prep's own first screen, a rehearsal not at all.
    let unfinished = sessions
        .iter()
        .rev()
        .find(|s| s.resumable() && s.mode == SessionMode::Practice);
    let mut parts = Vec::new();
    let mut offers = Vec::new();
    if let Some(text) = review::follow_up_notice(&pending) {
        match newest_here {
            Some(newest) => {
                parts.push(format!("{text} · Ctrl-F opens it"));
                offers.push(Offer::FollowUp(newest.id.clone()));
            }
            // Said first, so a narrow window's cut takes the date, not this.
            None => parts.push(format!("Open in another window: {}", lower_first(&text))),
        }
    }
    if let Some(session) = unfinished {
        if store.open_elsewhere(&session.id) {
            parts.push(format!(
                "Open in another window: unfinished from {}",
                review::day(session)
            ));
        } else {
            parts.push(format!(
                "Unfinished from {} · Ctrl-R resumes it",
                review::day(session)
            ));
            offers.push(Offer::Resume(session.id.clone()));
        }
    }
    let due = super::drill::due_today(&drills, deck, now);
    if due > 0 {
        let cards = if due == 1 { "card" } else { "cards" };
        parts.push(format!("{due} {cards} due · repair drill --due"));
    }
    // One line each, so every offer (and its key) stays readable.
    (!parts.is_empty()).then(|| (parts.join("\n"), offers))
}

/// `text` with its first letter in lower case, to follow a colon.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether the store holds no session at all (decided from the file names;
/// no file is read).
fn no_sessions_yet(store: &Store) -> bool {
    let seen = std::cell::Cell::new(false);
    store.list_where(|_| {
        seen.set(true);
        false
    });
    !seen.get()
}

/// A practice session with no notes and no pause taken on any step.
fn is_empty_walk(session: &Session) -> bool {
    session
        .steps
        .iter()
        .all(|s| s.notes.trim().is_empty() && s.pause_seconds.is_none())
}

/// `--resume ID`: the unfinished session, continued where it stopped.
pub fn resume(
    ctx: &Context,
    store: &Store,
    id: &str,
    protocol: Option<&str>,
) -> Result<(Walk, Opening), Error> {
    let session = store.open_session(id)?;
    let prepared = resume_walk(ctx, session, protocol);
    if prepared.is_err() {
        // Not continued after all: not open in this window either.
        store.release(id);
    }
    prepared
}

/// The walk that continues `session` (opened in this window).
fn resume_walk(
    ctx: &Context,
    session: Session,
    protocol: Option<&str>,
) -> Result<(Walk, Opening), Error> {
    if !review::is_unfinished(&session) {
        return Err(Error::NotUnfinished(session.id));
    }
    if session.mode != SessionMode::Practice {
        return Err(Error::ResumeOtherMode {
            id: session.id,
            mode: session.mode.as_str().to_string(),
        });
    }
    let protocol = shell::protocol_of(ctx, &session, protocol)?;
    let walk = Walk::resume(protocol, &session, ctx.choices.pause_seconds);
    Ok((walk, Opening::reopened("Resuming", session)))
}

/// The step to drill, checked against the protocol.
fn drill(protocol: &Protocol, args: &PracticeArgs) -> Result<Option<String>, Error> {
    super::pick_step(protocol, args.step.as_deref(), args.focus, None)
}
