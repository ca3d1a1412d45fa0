//! `repair follow-up [ID]`: the sessions waiting for their follow-up step
//! ("later, once safety is restored, ask what it was like for them"), and
//! walking just the open steps of one of them, saved into the same session.

use std::io::{self, Write};
use std::path::Path;

use super::notes::{list_line, load};
use super::open_store;
use super::practice::{self, Front};
use crate::error::Error;
use crate::journal::{Session, Store, review};
use crate::practice::Walk;
use crate::sanitize;
use crate::settings::{Choices, Settings};
use crate::tui::app::Exit;

/// The walk over the open steps of session `id`, what to say first, and the
/// session as it is (a discard puts it back).
fn prepare(
    store: &Store,
    id: &str,
    data_dir: Option<&Path>,
    choices: &Choices,
) -> Result<(Walk, String, Session), Error> {
    let session = store.load(id)?;
    if !review::is_pending_follow_up(&session) {
        return Err(Error::NoFollowUp(session.id));
    }
    let protocol = practice::protocol_of(&session, None, data_dir)?;
    let walk = Walk::follow_up(protocol, &session, choices.pause_seconds).ok_or_else(|| {
        Error::ProtocolGone {
            id: session.id.clone(),
            protocol: session.protocol.clone(),
            reason: "it no longer has the open step".into(),
        }
    })?;
    let intro = format!("Follow-up for the session of {}.", review::when(&session));
    Ok((walk, intro, session))
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
pub fn from_browser(
    store: &mut Store,
    id: &str,
    data_dir: Option<&Path>,
    choices: &Choices,
) -> Result<Back, Error> {
    let (walk, intro, session) = prepare(store, id, data_dir, choices)?;
    let signals = crate::signals::listen().map_err(Error::Terminal)?;
    let presentation = crate::tui::Presentation::from_choices(choices);
    let exit = crate::tui::run_with(walk, store, Some(intro), signals, presentation, |app| {
        app.original = Some(session);
    })
    .map_err(Error::Terminal)?;
    Ok(match exit {
        Exit::Finished { saved: true, .. } => Back::Browser("Saved · follow-up done.".into()),
        Exit::Unfinished { .. } => Back::Browser("Saved · follow-up still open.".into()),
        Exit::Finished { saved: false, .. }
        | Exit::NothingKept
        | Exit::Discarded
        | Exit::Open(_) => Back::Browser("Nothing changed · follow-up open.".into()),
        other => Back::Leave(practice::after_full_screen(other, data_dir)?),
    })
}

pub fn run(
    data_dir: Option<&Path>,
    id: Option<&str>,
    plain: bool,
    file: &Settings,
    choices: &Choices,
) -> Result<u8, Error> {
    let front = Front::choose(plain);
    let store = match id {
        Some(_) => front.open_store(
            data_dir,
            &crate::tui::Presentation::from_choices(choices).theme,
        )?,
        None => open_store(data_dir)?,
    };
    let Some(id) = id else {
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
    let (walk, intro, session) = prepare(&store, id, data_dir, choices)?;
    practice::walk_through(
        walk,
        Some(store),
        front,
        Some(intro),
        Some(session),
        file,
        choices,
    )
}
