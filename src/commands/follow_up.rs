//! `repair follow-up [ID]`: the sessions waiting for their follow-up step
//! ("later, once safety is restored, ask what it was like for them"), and
//! walking just the open steps of one of them, saved into the same session.

use std::io::{self, Write};

use super::Context;
use super::Front;
use super::open_store_to_read;
use super::sessions::{list_line, load};
use super::shell::{self, Opening, Walked};
use crate::error::Error;
use crate::journal::{Store, review};
use crate::practice::Walk;
use crate::sanitize;
use crate::tui::terminal::Ended;
use crate::tui::walk::model::Exit;

/// The walk over the open steps of session `id`, with what to say first and
/// the session as it is (a discard puts it back).
pub fn prepare(ctx: &Context, store: &Store, id: &str) -> Result<(Walk, Opening), Error> {
    let session = store.open_session(id)?;
    let prepared = follow_up_walk(ctx, session);
    if prepared.is_err() {
        // Not continued after all: not open in this window either.
        store.release(id);
    }
    prepared
}

/// The follow-up walk of `session` (opened in this window).
fn follow_up_walk(
    ctx: &Context,
    session: crate::journal::Session,
) -> Result<(Walk, Opening), Error> {
    if !review::is_pending_follow_up(&session) {
        return Err(Error::NoFollowUp(session.id));
    }
    let protocol = shell::protocol_of(ctx, &session, None)?;
    let walk = Walk::follow_up(protocol, &session, ctx.choices.pause_seconds).ok_or_else(|| {
        Error::ProtocolGone {
            id: session.id.clone(),
            protocol: session.protocol.clone(),
            reason: "it no longer has the open step".into(),
        }
    })?;
    Ok((walk, Opening::reopened("Follow-up for", session)))
}

/// How a follow-up opened from the browser ended.
pub enum Back {
    /// Back to the browser, with this line of news.
    Browser(String),
    /// Leave altogether with this exit status (a signal, or notes that could
    /// not be saved and were printed).
    Leave(u8),
}

/// The follow-up of session `id` as a view on top of the browser: it runs on
/// the browser's own store and hands back a short confirmation.
pub fn from_browser(ctx: &Context, store: &mut Store, id: &str) -> Result<Back, Error> {
    let (walk, opening) = prepare(ctx, store, id)?;
    let ended = crate::tui::walk::run_with(walk, store, opening.intro, ctx.presentation, |app| {
        app.original = opening.original;
    })
    .map_err(Error::Terminal)?;
    // Back in the browser: the session is no longer open in this window.
    store.release_all();
    let news = match &ended {
        Ended::Done(Exit::Finished { saved: true, .. }) => "Saved · follow-up done.",
        Ended::Done(Exit::Unfinished { .. }) => "Saved · follow-up still open.",
        Ended::Done(
            Exit::Finished { saved: false, .. }
            | Exit::NothingKept
            | Exit::Discarded
            | Exit::Open(_),
        ) => "Nothing changed · follow-up open.",
        _ => {
            let dir = store.dir().to_path_buf();
            return Ok(Back::Leave(shell::finish(ended, |exit| {
                shell::after_walk(exit, Some(&dir))
            })?));
        }
    };
    Ok(Back::Browser(news.into()))
}

pub fn run(ctx: &Context, id: Option<&str>, plain: bool) -> Result<u8, Error> {
    let Some(id) = id else {
        // Only reading: a read-only data directory (a backup) lists too.
        let store = open_store_to_read(ctx.data_dir())?;
        let (sessions, _) = load(&store);
        let pending: Vec<_> = sessions
            .iter()
            .rev()
            .filter(|s| review::is_pending_follow_up(s))
            .collect();
        let mut out = io::stdout().lock();
        let write = |out: &mut io::StdoutLock, line: &str| {
            writeln!(out, "{}", sanitize::one_line(line)).map_err(Error::Output)
        };
        if pending.is_empty() {
            write(&mut out, "No repair is waiting for its follow-up.")?;
        }
        for session in pending {
            write(&mut out, &list_line(session))?;
            for step in &session.steps {
                if step.status == crate::journal::StepStatus::FollowUp {
                    write(&mut out, &format!("    open: {}", step.title))?;
                }
            }
        }
        return Ok(0);
    };
    let front = Front::choose(plain);
    let mut store = ctx.open_store(front)?;
    let (walk, opening) = prepare(ctx, &store, id)?;
    match shell::walk(ctx, walk, Some(&mut store), front, opening)? {
        Walked::Code(code) => Ok(code),
        Walked::Open(_) => Ok(0),
    }
}
