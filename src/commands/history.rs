//! `repair notes` in a terminal: the history browser, and the views it
//! opens on top of itself. A follow-up (`f`) or a resume (`r`) runs as its
//! own walk-through and then the browser comes back, on the same session,
//! with a short line saying what happened.

use super::Context;
use super::Front;
use super::follow_up::{self, Back};
use super::practice;
use super::shell::signal_code;
use crate::error::Error;
use crate::journal::{Row, Store, review};
use crate::tui::history::{self, model::History, model::Output};
use crate::tui::terminal::Ended;
use crate::tui::walk::model::Offer;

/// The rows (no notes) and unreadable files on disk now, as the browser
/// takes them; it reads a session in full only when it shows one.
fn sessions(store: &Store) -> (Vec<Row>, Vec<(String, String)>) {
    let (rows, unreadable) = store.rows();
    let unreadable = unreadable
        .into_iter()
        .map(|(path, reason)| (path.display().to_string(), reason))
        .collect();
    (rows, unreadable)
}

pub fn browse(ctx: &Context, store: &mut Store) -> Result<u8, Error> {
    let (list, unreadable) = sessions(store);
    let mut model = History::open(
        list,
        unreadable,
        crate::journal::local_now().date_naive(),
        Box::new(store.reader()),
    )
    // Exports go to the folder repair was started from: a name there that
    // is taken (even by a dangling link) is not offered.
    .with_name_check(|path| std::fs::symlink_metadata(path).is_ok())
    // A session open in another window is named, not offered.
    .with_open_check({
        let dir = store.dir().to_path_buf();
        move |id| crate::journal::dirlock::SessionLock::held_elsewhere(&dir, id)
    });
    let theme = ctx.presentation.theme;
    loop {
        // The browser holds nothing unsaved (every change is on disk when
        // made), so a signal or a failed terminal has nothing to report but
        // itself.
        let output = match history::run(&mut model, store, theme).map_err(Error::Terminal)? {
            Ended::Done(output) => output,
            Ended::Signal { number, .. } => return Ok(signal_code(number)),
            Ended::Failed { error, .. } => return Err(Error::Terminal(error)),
        };
        let news = match output {
            Output::Closed => return Ok(0),
            // Two windows on one session would each keep only their own
            // notes: the browser says where it is instead of opening it.
            // Short enough for a 40-column window; the session is the one
            // selected.
            Output::FollowUp(id) | Output::Resume(id) if store.open_elsewhere(&id) => {
                "This session is open in another window.".to_string()
            }
            Output::FollowUp(id) => match follow_up::from_browser(ctx, store, &id) {
                Ok(Back::Browser(news)) => news,
                Ok(Back::Leave(code)) => return Ok(code),
                // A follow-up that cannot start (its protocol is gone, say)
                // is said in the browser, which stays open.
                Err(error) => format!("The follow-up could not start: {error}"),
            },
            Output::Resume(id) => {
                let before = store.load(&id).ok();
                let offer = Offer::Resume(id.clone());
                let code = practice::hand_over(ctx, store, offer, Front::Screen, None)?;
                if code != 0 {
                    return Ok(code);
                }
                match store.load(&id) {
                    Ok(s) if Some(&s) == before.as_ref() => "Nothing changed.".to_string(),
                    Ok(s) if review::is_unfinished(&s) => "Saved · still unfinished.".to_string(),
                    Ok(_) => "Saved · session finished.".to_string(),
                    Err(_) => "That session is no longer kept.".to_string(),
                }
            }
        };
        let (list, unreadable) = sessions(store);
        model.reload_rows(list, unreadable);
        model.status = Some(news);
    }
}
