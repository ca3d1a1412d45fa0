//! `repair follow-up [ID]`: the sessions waiting for their follow-up step
//! ("later, once safety is restored, ask what it was like for them"), and
//! walking just the open steps of one of them, saved into the same session.

use std::io::{self, Write};
use std::path::Path;

use super::notes::{list_line, load};
use super::open_store;
use super::practice::{self, Front};
use crate::error::Error;
use crate::journal::review;
use crate::practice::Walk;
use crate::sanitize;
use crate::settings::{Choices, Settings};

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
