//! The full-screen walk's update, driven key by key with an injected clock:
//! autosave, quitting, finishing, failed saves and signals. No terminal; the
//! property test drives the program the terminal runs, effects and all.

use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::journal::StepStatus;
use repair_practice::practice::Stage;
use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::builtin;
use repair_practice::tui::keys::Hint;
use repair_practice::tui::walk::keys::{QuitCmd, WalkCmd};
use repair_practice::tui::walk::model::{
    App, Exit, Msg, SaveError, SaveKind, WalkEffect, WalkScreen,
};

fn app(keeps: bool) -> App {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let options = WalkOptions {
        pause_seconds: Some(2),
        ..Default::default()
    };
    let walk = Walk::new(builtin(), options, "20261124-090000-abcd".into(), started);
    let mut app = App::new(walk, keeps)
        .with_wall_clock(|| DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap());
    // Past the start screen's offer of this month's step (tested on its own).
    app.start_open = false;
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str, now: Instant) -> Vec<WalkEffect> {
    text.chars()
        .flat_map(|c| app.update(key(KeyCode::Char(c)), now))
        .collect()
}

fn saves(effects: &[WalkEffect]) -> Vec<SaveKind> {
    effects
        .iter()
        .filter_map(|e| match e {
            WalkEffect::Save(_, kind) => Some(*kind),
            _ => None,
        })
        .collect()
}

#[test]
fn typing_is_autosaved_within_the_deadline() {
    let mut app = app(true);
    let t0 = Instant::now();
    assert!(saves(&type_text(&mut app, "tight", t0)).is_empty());
    let due = app.deadline(t0).expect("an autosave is scheduled");
    assert!(
        due <= t0 + Duration::from_secs(2),
        "within 2 s of the keystroke"
    );
    let effects = app.update(Msg::Tick, due);
    let [WalkEffect::Save(session, SaveKind::Autosave)] = effects.as_slice() else {
        panic!("expected one autosave, got {effects:?}");
    };
    assert!(!session.complete);
    assert_eq!(session.steps[0].notes, "tight");
    app.update(Msg::Saved(SaveKind::Autosave, Ok(())), due);
    assert_eq!(app.deadline(due), None, "idle: nothing to wake for");
}

#[test]
fn a_step_change_autosaves_at_once() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "x", t0);
    let effects = app.update(key(KeyCode::Tab), t0);
    assert_eq!(saves(&effects), [SaveKind::Autosave]);
}

#[test]
fn the_bell_rings_once_when_the_pause_runs_out() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(key(KeyCode::Enter), t0);
    let end = app.deadline(t0).unwrap();
    assert!(end <= t0 + Duration::from_secs(2));
    let mut bells = 0;
    let mut now = t0;
    while let Some(at) = app.deadline(now) {
        now = at;
        bells += app
            .update(Msg::Tick, now)
            .iter()
            .filter(|e| **e == WalkEffect::Bell)
            .count();
        assert!(now < t0 + Duration::from_secs(5), "the pause ends");
    }
    assert_eq!(bells, 1);
    assert!(
        app.editor().is_empty(),
        "the notes editor is open and empty"
    );
}

#[test]
fn finishing_saves_then_quits() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(key(KeyCode::Tab), t0); // skip the pause
    type_text(&mut app, "noticed heat", t0);
    app.update(ctrl('s'), t0);
    assert_eq!(app.screen, WalkScreen::Summary);
    app.update(key(KeyCode::Esc), t0);
    assert_eq!(app.screen, WalkScreen::Walk, "Esc on the summary goes back");
    app.update(ctrl('s'), t0);
    let effects = app.update(key(KeyCode::Enter), t0);
    let [WalkEffect::Save(session, SaveKind::Finish)] = effects.as_slice() else {
        panic!("expected the final save, got {effects:?}");
    };
    assert!(session.complete);
    // Finished on step 1: the follow-up step was never opened, so it leaves
    // no reminder.
    assert_eq!(session.steps[4].status, StepStatus::NotReached);
    let effects = app.update(Msg::Saved(SaveKind::Finish, Ok(())), t0);
    assert_eq!(
        effects,
        [WalkEffect::Quit(Exit::Finished {
            id: "20261124-090000-abcd".into(),
            saved: true
        })]
    );
}

#[test]
fn tab_on_the_last_step_opens_the_summary() {
    let mut app = app(true);
    let t0 = Instant::now();
    for _ in 0..7 {
        app.update(key(KeyCode::Tab), t0);
    }
    assert_eq!(app.walk.position(), 5);
    assert_eq!(app.screen, WalkScreen::Summary);
}

#[test]
fn quitting_with_notes_asks_first() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "a", t0);
    for quit in [key(KeyCode::Esc), ctrl('q'), ctrl('c')] {
        assert!(app.update(quit, t0).is_empty());
        assert_eq!(app.screen, WalkScreen::ConfirmQuit);
        app.update(key(KeyCode::Char('k')), t0);
        assert_eq!(app.screen, WalkScreen::Walk, "keep going");
    }
    app.update(key(KeyCode::Esc), t0);
    let effects = app.update(key(KeyCode::Char('s')), t0);
    assert_eq!(saves(&effects), [SaveKind::Unfinished]);
    let effects = app.update(Msg::Saved(SaveKind::Unfinished, Ok(())), t0);
    assert!(matches!(
        effects.as_slice(),
        [WalkEffect::Quit(Exit::Unfinished { .. })]
    ));
}

#[test]
fn discarding_removes_the_autosaved_copy() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "a", t0);
    let due = app.deadline(t0).unwrap();
    app.update(Msg::Tick, due);
    app.update(Msg::Saved(SaveKind::Autosave, Ok(())), due);
    app.update(key(KeyCode::Esc), due);
    let effects = app.update(key(KeyCode::Char('d')), due);
    assert_eq!(
        effects,
        [
            WalkEffect::Discard("20261124-090000-abcd".into()),
            WalkEffect::Quit(Exit::Discarded)
        ]
    );
}

#[test]
fn quitting_without_notes_is_immediate() {
    let mut app = app(true);
    let effects = app.update(key(KeyCode::Esc), Instant::now());
    assert_eq!(effects, [WalkEffect::Quit(Exit::Discarded)]);
}

#[test]
fn a_failed_final_save_keeps_the_notes_and_prints_them_on_quit() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "keep me", t0);
    app.update(ctrl('s'), t0);
    app.update(key(KeyCode::Enter), t0);
    app.update(
        Msg::Saved(
            SaveKind::Finish,
            Err(SaveError::new(std::io::Error::other("disk full"))),
        ),
        t0,
    );
    assert!(matches!(app.screen, WalkScreen::SaveFailed(..)));
    // Enter retries the same save.
    let effects = app.update(key(KeyCode::Enter), t0);
    assert_eq!(saves(&effects), [SaveKind::Finish]);
    app.update(
        Msg::Saved(
            SaveKind::Finish,
            Err(SaveError::new(std::io::Error::other("disk full"))),
        ),
        t0,
    );
    let effects = app.update(key(KeyCode::Char('q')), t0);
    let [WalkEffect::Quit(Exit::Unsaved { session, error })] = effects.as_slice() else {
        panic!("expected an unsaved exit, got {effects:?}");
    };
    assert_eq!(error.to_string(), "disk full");
    assert_eq!(session.steps[0].notes, "keep me");
}

#[test]
fn a_failed_autosave_is_shown_and_retried() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "a", t0);
    let due = app.deadline(t0).unwrap();
    app.update(Msg::Tick, due);
    app.update(
        Msg::Saved(
            SaveKind::Autosave,
            Err(SaveError::new(std::io::Error::other("disk full"))),
        ),
        due,
    );
    assert!(app.status_line().unwrap().contains("Autosave failed"));
    assert!(app.deadline(due).is_some(), "another autosave is scheduled");
}

#[test]
fn a_busy_store_delays_the_autosave_and_says_so() {
    use repair_practice::tui::walk::model::{BUSY_RETRY, WAITING_LINE};
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "a", t0);
    let due = app.deadline(t0).unwrap();
    let effects = app.update(Msg::Tick, due);
    let [WalkEffect::Save(session, SaveKind::Autosave)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    app.update(
        Msg::SaveWaiting(Box::new(session.clone()), SaveKind::Autosave),
        due,
    );
    assert_eq!(app.status_line(), Some(WAITING_LINE));
    let again = app.deadline(due).expect("tried again");
    assert!(again <= due + BUSY_RETRY, "soon");
    // Typing meanwhile goes into the next try.
    type_text(&mut app, "b", due);
    let effects = app.update(Msg::Tick, again);
    let [WalkEffect::Save(session, SaveKind::Autosave)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(session.steps[0].notes, "ab");
    app.update(Msg::Saved(SaveKind::Autosave, Ok(())), again);
    assert_eq!(app.status_line(), None, "the waiting line goes once saved");
}

#[test]
fn a_saved_autosave_clears_only_a_save_line_whatever_the_words() {
    use repair_practice::tui::walk::model::Status;
    let mut app = app(true);
    let t0 = Instant::now();
    // A notice that happens to begin like a save problem stays: what
    // clears the line is its kind, not its words.
    app.status = Some(Status::notice(
        "Autosave is on: notes are kept as you type.",
    ));
    type_text(&mut app, "a", t0);
    let due = app.deadline(t0).unwrap();
    app.update(Msg::Tick, due);
    app.update(Msg::Saved(SaveKind::Autosave, Ok(())), due);
    assert_eq!(
        app.status_line(),
        Some("Autosave is on: notes are kept as you type.")
    );
    // A failed autosave's line goes once the next one succeeds.
    type_text(&mut app, "b", due);
    let next = app.deadline(due).unwrap();
    app.update(Msg::Tick, next);
    app.update(
        Msg::Saved(
            SaveKind::Autosave,
            Err(SaveError::new(std::io::Error::other("disk full"))),
        ),
        next,
    );
    assert!(app.status_line().unwrap().starts_with("Autosave failed"));
    let retry = app.deadline(next).unwrap();
    app.update(Msg::Tick, retry);
    app.update(Msg::Saved(SaveKind::Autosave, Ok(())), retry);
    assert_eq!(app.status_line(), None);
}

#[test]
fn a_busy_store_delays_the_finishing_save_until_a_key_cancels_it() {
    use repair_practice::tui::walk::model::WAITING_LINE;
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "keep me", t0);
    app.update(ctrl('s'), t0);
    let effects = app.update(key(KeyCode::Enter), t0);
    let [WalkEffect::Save(session, SaveKind::Finish)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let session = session.clone();
    app.update(
        Msg::SaveWaiting(Box::new(session.clone()), SaveKind::Finish),
        t0,
    );
    assert_eq!(app.status_line(), Some(WAITING_LINE));
    assert_eq!(app.screen, WalkScreen::Summary, "nothing moves");
    // The same session is tried again when the retry is due...
    let due = app.deadline(t0).expect("a retry");
    let effects = app.update(Msg::Tick, due);
    assert_eq!(
        effects,
        [WalkEffect::Save(session.clone(), SaveKind::Finish)]
    );
    // ...and a key while it waits cancels it, and says so.
    app.update(Msg::SaveWaiting(Box::new(session), SaveKind::Finish), due);
    app.update(key(KeyCode::Esc), due);
    assert!(app.status_line().unwrap().starts_with("Not saved yet"));
    let later = saves(&app.update(Msg::Tick, due + Duration::from_secs(5)));
    assert!(!later.contains(&SaveKind::Finish), "{later:?}");
}

#[test]
fn only_the_saves_on_the_way_out_wait_for_the_store() {
    assert!(SaveKind::Signal(15).waits());
    assert!(SaveKind::Restore.waits());
    assert!(!SaveKind::Autosave.waits());
    assert!(!SaveKind::Finish.waits());
    assert!(!SaveKind::Unfinished.waits());
}

#[test]
fn a_signal_saves_the_unfinished_session_then_quits() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "a", t0);
    let effects = app.update(Msg::Signal(15), t0);
    assert_eq!(saves(&effects), [SaveKind::Signal(15)]);
    let effects = app.update(Msg::Saved(SaveKind::Signal(15), Ok(())), t0);
    assert!(matches!(
        effects.as_slice(),
        [WalkEffect::Quit(Exit::Signal {
            number: 15,
            id: Some(_),
            unsaved: None
        })]
    ));
}

#[test]
fn a_signal_without_notes_just_quits() {
    let mut app = app(true);
    let effects = app.update(Msg::Signal(1), Instant::now());
    assert!(matches!(
        effects.as_slice(),
        [WalkEffect::Quit(Exit::Signal {
            number: 1,
            id: None,
            unsaved: None
        })]
    ));
}

#[test]
fn no_save_never_asks_the_disk() {
    let mut app = app(false);
    let t0 = Instant::now();
    let mut effects = type_text(&mut app, "private", t0);
    effects.extend(app.update(key(KeyCode::Tab), t0));
    effects.extend(app.update(Msg::Tick, t0 + Duration::from_secs(5)));
    assert!(saves(&effects).is_empty());
    app.update(ctrl('s'), t0);
    let effects = app.update(key(KeyCode::Enter), t0);
    assert!(matches!(
        effects.as_slice(),
        [WalkEffect::Quit(Exit::Finished { saved: false, .. })]
    ));
}

#[test]
fn pasted_text_lands_in_the_notes_without_control_characters() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(key(KeyCode::Tab), t0);
    app.update(Msg::Paste("line one\r\nline\x1b[2J two\ttab".into()), t0);
    assert_eq!(app.walk.state().notes, "line one\nline[2J two\ttab");
}

#[test]
fn help_opens_with_f1_and_any_key_closes_it() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(key(KeyCode::F(1)), t0);
    assert!(app.help.is_some());
    app.update(key(KeyCode::Char('x')), t0);
    assert!(app.help.is_none());
    assert!(
        app.walk.state().notes.is_empty(),
        "the key only closed the help"
    );
}

// ---------------------------------------------------------------------------
// Reproductions of earlier bugs, the keys and the start screen
// ---------------------------------------------------------------------------

#[test]
fn space_on_an_offered_pause_begins_it() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(key(KeyCode::Char(' ')), t0);
    assert!(
        matches!(app.walk.state().stage, Stage::Pausing(_)),
        "Space begins the pause, like Enter"
    );
    assert!(
        app.walk.state().notes.is_empty(),
        "no space typed into notes"
    );
}

#[test]
fn finishing_with_nothing_written_keeps_nothing() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(ctrl('s'), t0);
    let effects = app.update(key(KeyCode::Enter), t0);
    assert_eq!(effects, [WalkEffect::Quit(Exit::NothingKept)]);
}

#[test]
fn a_pause_taken_is_worth_keeping() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(key(KeyCode::Enter), t0);
    app.update(key(KeyCode::Enter), t0 + Duration::from_secs(1));
    app.update(ctrl('s'), t0 + Duration::from_secs(1));
    let effects = app.update(key(KeyCode::Enter), t0 + Duration::from_secs(1));
    assert_eq!(saves(&effects), [SaveKind::Finish]);
}

#[test]
fn the_autosave_keeps_the_step_that_was_showing() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(key(KeyCode::Tab), t0);
    type_text(&mut app, "x", t0);
    app.update(key(KeyCode::Tab), t0);
    app.update(key(KeyCode::Tab), t0);
    let effects = app.update(key(KeyCode::BackTab), t0);
    let session = effects
        .iter()
        .find_map(|e| match e {
            WalkEffect::Save(s, SaveKind::Autosave) => Some(s.clone()),
            _ => None,
        })
        .expect("moving back autosaves");
    assert_eq!(session.extra.at_step.as_deref(), Some("reflect"));
    let resumed = Walk::resume(builtin(), &session, None);
    assert_eq!(resumed.position(), 1, "resume opens on the step showing");
}

#[test]
fn the_last_step_offers_one_way_to_finish() {
    let mut app = app(true);
    let t0 = Instant::now();
    for _ in 0..6 {
        app.update(key(KeyCode::Tab), t0);
    }
    assert!(app.walk.is_last());
    assert_eq!(app.walk_hint(WalkCmd::Next), Hint::shown("finish"));
    assert_eq!(app.walk_hint(WalkCmd::Finish), Hint::Quiet);
}

#[test]
fn alt_number_jumps_and_a_pause_can_be_taken_again() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::ALT)),
        t0,
    );
    assert_eq!(app.walk.position(), 2);
    type_text(&mut app, "4", t0);
    assert_eq!(
        app.walk.position(),
        2,
        "a digit alone is text while writing"
    );
    assert_eq!(app.walk.state().notes, "4");
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('1'), KeyModifiers::ALT)),
        t0,
    );
    app.update(key(KeyCode::Enter), t0);
    app.update(key(KeyCode::Enter), t0 + Duration::from_secs(1));
    assert_eq!(app.walk.state().stage, Stage::Notes);
    app.update(ctrl('t'), t0 + Duration::from_secs(1));
    assert_eq!(app.walk.state().stage, Stage::Offer, "the pause again");
}

#[test]
fn scrolling_stops_at_the_end() {
    let mut app = app(true);
    let t0 = Instant::now();
    app.scroll_max = 7;
    for _ in 0..10 {
        app.update(key(KeyCode::PageDown), t0);
    }
    assert_eq!(app.scroll, 7);
    app.update(key(KeyCode::PageUp), t0);
    assert_eq!(app.scroll, 2, "one PgUp moves at once");
    // During a pause the guidance still scrolls.
    app.update(key(KeyCode::Enter), t0);
    assert!(matches!(app.walk.state().stage, Stage::Pausing(_)));
    app.update(key(KeyCode::PageDown), t0);
    assert_eq!(app.scroll, 7);
}

#[test]
fn the_start_screen_offers_this_months_step() {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(
        builtin(),
        WalkOptions::default(),
        "20261124-090000-abcd".into(),
        started,
    );
    let mut app = App::new(walk.clone(), true);
    let t0 = Instant::now();
    assert_eq!(app.focus_offer().map(|s| s.id.as_str()), Some("scan"));
    app.update(key(KeyCode::Enter), t0);
    assert_eq!(app.walk.drill(), Some("scan"), "Enter practises it alone");
    assert_eq!(app.walk.len(), 1);
    assert_eq!(app.walk.session_id(), "20261124-090000-abcd");
    assert!(app.focus_offer().is_none());
    // The drilled step's pause is offered; Enter now begins it.
    assert_eq!(app.walk.state().stage, Stage::Offer);
    app.update(key(KeyCode::Enter), t0);
    assert!(matches!(app.walk.state().stage, Stage::Pausing(_)));

    // Ctrl-D practises it too.
    let mut app = App::new(walk.clone(), true);
    app.update(ctrl('d'), t0);
    assert_eq!(app.walk.drill(), Some("scan"), "Ctrl-D practises it alone");

    // Tab walks all six, from step 1 with its pause offered.
    let mut app = App::new(walk.clone(), true);
    app.update(key(KeyCode::Tab), t0);
    assert_eq!(app.walk.drill(), None, "Tab walks them all");
    assert_eq!(app.walk.len(), 6);
    assert!(app.focus_offer().is_none());
    assert_eq!(app.walk.position(), 0);
    assert_eq!(app.walk.state().stage, Stage::Offer);
    app.update(key(KeyCode::Enter), t0);
    assert!(matches!(app.walk.state().stage, Stage::Pausing(_)));

    // Typing closes the offer and writes the notes of a walk through all.
    let mut app = App::new(walk, true);
    type_text(&mut app, "x", t0);
    assert_eq!(app.walk.drill(), None);
    assert!(app.focus_offer().is_none());
    assert_eq!(app.walk.state().notes, "x");
}

#[test]
fn the_quit_question_has_its_own_keys() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "a note", t0);
    app.update(key(KeyCode::Esc), t0);
    assert_eq!(app.screen, WalkScreen::ConfirmQuit);
    assert_eq!(
        app.quit_hint(QuitCmd::Save),
        Hint::shown("save as unfinished")
    );
    // Tab does nothing here: only the dialog's keys answer it.
    app.update(key(KeyCode::Tab), t0);
    assert_eq!(app.screen, WalkScreen::ConfirmQuit);
    assert_eq!(app.walk.position(), 0);
    // F1 works here too, and the key that closes it does nothing else.
    app.update(key(KeyCode::F(1)), t0);
    assert!(app.help.is_some());
    app.update(key(KeyCode::Char('d')), t0);
    assert!(app.help.is_none());
    assert_eq!(app.screen, WalkScreen::ConfirmQuit);
}

// ---------------------------------------------------------------------------
// Property tests: random keys, pastes, ticks and window sizes
// ---------------------------------------------------------------------------

mod props {
    use super::*;
    use proptest::prelude::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use repair_practice::journal::{Journal, Session, Store, StoreError};
    use repair_practice::tui::Presentation;
    use repair_practice::tui::terminal::Program;
    use repair_practice::tui::theme::Theme;
    use repair_practice::tui::walk::WalkProgram;

    fn any_key() -> impl Strategy<Value = KeyEvent> {
        let code = prop_oneof![
            Just(KeyCode::Tab),
            Just(KeyCode::BackTab),
            Just(KeyCode::Enter),
            Just(KeyCode::Esc),
            Just(KeyCode::Backspace),
            Just(KeyCode::PageUp),
            Just(KeyCode::PageDown),
            Just(KeyCode::Up),
            Just(KeyCode::Down),
            Just(KeyCode::Home),
            Just(KeyCode::End),
            Just(KeyCode::F(1)),
            Just(KeyCode::F(2)),
            prop::char::range('0', 'z').prop_map(KeyCode::Char),
            Just(KeyCode::Char(' ')),
            Just(KeyCode::Char('+')),
        ];
        let mods = prop_oneof![
            6 => Just(KeyModifiers::NONE),
            1 => Just(KeyModifiers::CONTROL),
            1 => Just(KeyModifiers::ALT),
        ];
        (code, mods).prop_map(|(c, m)| KeyEvent::new(c, m))
    }

    #[derive(Debug, Clone)]
    enum Step {
        Key(KeyEvent),
        Paste(String),
        Wait(u64),
        Draw(u16, u16),
        /// Another command takes (true) or lets go of (false) the store.
        Busy(bool),
        /// Another program changes the walk's session on disk.
        Changed,
    }

    fn any_step() -> impl Strategy<Value = Step> {
        prop_oneof![
            8 => any_key().prop_map(Step::Key),
            1 => "[a-z \n]{0,12}".prop_map(Step::Paste),
            1 => (0u64..5000).prop_map(Step::Wait),
            1 => (1u16..220, 1u16..70).prop_map(|(w, h)| Step::Draw(w, h)),
            1 => any::<bool>().prop_map(Step::Busy),
            1 => Just(Step::Changed),
        ]
    }

    /// The store, as the program saves to it, with another command taking
    /// the store's lock (`busy`: a save that does not wait is refused, as
    /// the store refuses it while an encrypt holds the lock) and every save
    /// read back at once to check it round-trips.
    struct Watched {
        store: Rc<RefCell<Store>>,
        busy: Rc<Cell<bool>>,
        saved_once: Rc<Cell<bool>>,
        /// A save that did not read back as written.
        mismatch: Rc<RefCell<Option<String>>>,
    }

    impl Journal for Watched {
        fn save(&mut self, session: &Session) -> Result<(), StoreError> {
            Journal::save(&mut *self.store.borrow_mut(), session)?;
            let back = self.store.borrow().load(&session.id).unwrap();
            if back != *session {
                *self.mismatch.borrow_mut() = Some(format!("{:?} read back changed", session.id));
            }
            self.saved_once.set(true);
            Ok(())
        }
        fn save_if_free(&mut self, session: &Session) -> Result<(), StoreError> {
            if self.busy.get() {
                return Err(StoreError::Busy);
            }
            self.save(session)
        }
        fn discard(&mut self, id: &str) -> Result<(), StoreError> {
            Journal::discard(&mut *self.store.borrow_mut(), id)
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(64)))]

        /// Nothing panics at any size; no notes typed disappear except by
        /// an explicit discard; every save asked for round-trips; a save
        /// that found the store busy is made once it is free, so the notes
        /// on disk end up as the notes on screen. Driven through the
        /// program the terminal runs ([`WalkProgram::process`]), so the
        /// effects are carried out by the real loop.
        #[test]
        fn the_walk_holds_under_random_input(steps in prop::collection::vec(any_step(), 1..120)) {
            let mut app = app(true);
            app.start_open = true;
            let dir = tempfile::tempdir().unwrap();
            let store = Rc::new(RefCell::new(Store::open(dir.path()).unwrap()));
            let busy = Rc::new(Cell::new(false));
            let saved_once = Rc::new(Cell::new(false));
            let mismatch = Rc::new(RefCell::new(None));
            let mut journal = Watched {
                store: store.clone(),
                busy: busy.clone(),
                saved_once: saved_once.clone(),
                mismatch: mismatch.clone(),
            };
            let presentation = Presentation {
                theme: Theme::monochrome(),
                bell: true,
                reduce_motion: false,
                mouse: true,
            };
            let mut program = WalkProgram::new(app, &mut journal, presentation);
            let t0 = Instant::now();
            let mut now = t0;
            let mut quit = false;
            // The other program's version, which must never be replaced.
            let mut theirs: Option<Session> = None;
            for step in steps {
                if quit {
                    break;
                }
                let app = program.app();
                let notes_before: Vec<String> =
                    (0..app.walk.len()).map(|i| app.walk.state_at(i).notes.clone()).collect();
                let was_len = app.walk.len();
                let msg = match step {
                    Step::Key(k) => Msg::Key(k),
                    Step::Paste(text) => Msg::Paste(text),
                    Step::Wait(ms) => {
                        now += Duration::from_millis(ms);
                        Msg::Tick
                    }
                    Step::Draw(w, h) => {
                        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
                        terminal.draw(|frame| program.draw(frame, now)).unwrap();
                        continue;
                    }
                    Step::Busy(b) => {
                        busy.set(b);
                        continue;
                    }
                    Step::Changed => {
                        let store = store.borrow();
                        if let Ok(mut other) = store.load(program.app().walk.session_id()) {
                            other.steps[0].notes = "changed elsewhere".into();
                            store.save_over(&other).unwrap();
                            theirs = Some(other);
                        }
                        continue;
                    }
                };
                let typed = matches!(&msg, Msg::Key(_) | Msg::Paste(_));
                quit = program.process(msg, now).is_some();
                if let Some(wrong) = mismatch.borrow().as_ref() {
                    prop_assert!(false, "{}", wrong);
                }
                // Notes change only by typing into the step showing (or a
                // drill chosen before anything was written).
                let app = program.app();
                if app.walk.len() == was_len {
                    for (i, before) in notes_before.iter().enumerate() {
                        let after = &app.walk.state_at(i).notes;
                        if i != app.walk.position() || !typed {
                            prop_assert_eq!(after, before);
                        }
                    }
                }
                prop_assert!(app.walk.position() < app.walk.len());
            }
            // Nothing this window did replaced or removed the other
            // program's version.
            if let Some(theirs) = &theirs {
                prop_assert_eq!(&store.borrow().load(&theirs.id).unwrap(), theirs);
            }
            // The store is free again and time passes: whatever waited is
            // saved, and what is on disk is what is on screen.
            busy.set(false);
            let app = program.app();
            if !quit && saved_once.get() && !app.copy_offer && theirs.as_ref().is_none_or(|t| t.id != app.walk.session_id()) {
                for _ in 0..4 {
                    now += Duration::from_secs(6);
                    if program.process(Msg::Tick, now).is_some() {
                        break;
                    }
                }
                prop_assert!(mismatch.borrow().is_none());
                let app = program.app();
                if let Ok(back) = store.borrow().load(app.walk.session_id()) {
                    for (i, step) in back.steps.iter().enumerate() {
                        prop_assert_eq!(&step.notes, &app.walk.state_at(i).notes);
                    }
                }
            }
        }
    }
}

/// The saved session changed elsewhere: nothing is retried over it; the
/// notes stay, `n` keeps them as a new session naming the original, and
/// the autosave goes on under the new id.
#[test]
fn a_session_changed_elsewhere_offers_a_conflict_copy_not_a_retry() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "keep me", t0);
    let original = app.walk.session_id().to_owned();
    let due = app.deadline(t0).unwrap();
    app.update(Msg::Tick, due);
    app.update(
        Msg::Stale {
            kind: SaveKind::Autosave,
            error: SaveError::new(std::io::Error::other("changed")),
            deleted: false,
        },
        due,
    );
    assert!(matches!(app.screen, WalkScreen::SaveFailed(..)));
    assert!(app.copy_offer);
    assert!(app.deadline(due).is_none(), "no autosave retried over it");
    assert!(app.update(key(KeyCode::Enter), due).is_empty(), "no retry");
    let effects = app.update(key(KeyCode::Char('n')), due);
    let [WalkEffect::Save(copy, SaveKind::Autosave)] = effects.as_slice() else {
        panic!("expected the copy's autosave, got {effects:?}");
    };
    assert_ne!(copy.id, original);
    assert_eq!(copy.extra.copy_of.as_deref(), Some(original.as_str()));
    assert_eq!(copy.steps[0].notes, "keep me");
    assert_eq!(app.screen, WalkScreen::Walk);
    assert!(app.status_line().unwrap().contains("a conflict copy of"));
}

/// On a signal there is no time to ask: a session changed elsewhere is
/// kept as a conflict copy at once; one deleted elsewhere is not brought
/// back, and its notes go out to be printed.
#[test]
fn a_signal_keeps_a_changed_session_as_a_copy_and_prints_a_deleted_one() {
    let t0 = Instant::now();
    let mut app = app(true);
    type_text(&mut app, "keep me", t0);
    let original = app.walk.session_id().to_owned();
    let stale = |deleted| Msg::Stale {
        kind: SaveKind::Signal(15),
        error: SaveError::new(std::io::Error::other("gone")),
        deleted,
    };
    let effects = app.update(stale(false), t0);
    let [WalkEffect::Save(copy, SaveKind::Signal(15))] = effects.as_slice() else {
        panic!("expected the copy saved, got {effects:?}");
    };
    assert_eq!(copy.extra.copy_of.as_deref(), Some(original.as_str()));

    let mut app = self::app(true);
    type_text(&mut app, "keep me", t0);
    let effects = app.update(stale(true), t0);
    let [
        WalkEffect::Quit(Exit::Signal {
            unsaved: Some(s),
            id: None,
            ..
        }),
    ] = effects.as_slice()
    else {
        panic!("expected the notes printed, got {effects:?}");
    };
    assert_eq!(s.steps[0].notes, "keep me");
}
