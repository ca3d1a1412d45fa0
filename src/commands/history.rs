//! `repair notes` in a terminal: the history browser, and what it hands on
//! (a follow-up or a resume, which run as their own walk-throughs).

use std::path::Path;

use super::notes::load;
use super::practice;
use crate::cli::PracticeArgs;
use crate::error::Error;
use crate::journal::Store;
use crate::settings::{Choices, Settings};
use crate::tui::Presentation;
use crate::tui::history::{self, model::History, model::Output};

pub fn browse(
    store: &Store,
    data_dir: Option<&Path>,
    file: &Settings,
    choices: &Choices,
) -> Result<u8, Error> {
    let (sessions, unreadable) = load(store);
    let unreadable = unreadable
        .into_iter()
        .map(|(path, reason)| (path.display().to_string(), reason))
        .collect();
    let model = History::new(
        sessions,
        unreadable,
        crate::journal::local_now().date_naive(),
    );
    let signals = crate::signals::listen().map_err(Error::Terminal)?;
    let theme = Presentation::from_choices(choices).theme;
    let output = history::run(model, store, signals, theme).map_err(Error::Terminal)?;
    if matches!(output, Output::FollowUp(_) | Output::Resume(_)) {
        super::hand_over(store);
    }
    match output {
        Output::Closed => Ok(0),
        Output::Signal(n) => Ok((128 + n) as u8),
        Output::Failed(error) => Err(Error::Terminal(std::io::Error::other(error))),
        Output::FollowUp(id) => super::follow_up::run(data_dir, Some(&id), false, file, choices),
        Output::Resume(id) => practice::run(
            data_dir,
            &PracticeArgs {
                resume: Some(id),
                ..PracticeArgs::default()
            },
            file,
            choices,
        ),
    }
}
