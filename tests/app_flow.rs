//! The full-screen app's update, driven key by key with an injected clock:
//! autosave, quitting, finishing, failed saves and signals. No terminal.

use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::journal::StepStatus;
use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::builtin;
use repair_practice::tui::app::{App, Effect, Exit, Msg, SaveKind, Screen};

fn app(keeps: bool) -> App {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let options = WalkOptions {
        pause_seconds: Some(2),
        ..Default::default()
    };
    let walk = Walk::new(builtin(), options, "20261124-090000-abcd".into(), started);
    App::new(walk, keeps)
        .with_wall_clock(|| DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap())
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str, now: Instant) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| app.update(key(KeyCode::Char(c)), now))
        .collect()
}

fn saves(effects: &[Effect]) -> Vec<SaveKind> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Save(_, kind) => Some(*kind),
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
    let [Effect::Save(session, SaveKind::Autosave)] = effects.as_slice() else {
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
            .filter(|e| **e == Effect::Bell)
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
    assert_eq!(app.screen, Screen::Summary);
    app.update(key(KeyCode::Esc), t0);
    assert_eq!(app.screen, Screen::Walk, "Esc on the summary goes back");
    app.update(ctrl('s'), t0);
    let effects = app.update(key(KeyCode::Enter), t0);
    let [Effect::Save(session, SaveKind::Finish)] = effects.as_slice() else {
        panic!("expected the final save, got {effects:?}");
    };
    assert!(session.complete);
    assert_eq!(session.steps[4].status, StepStatus::FollowUp);
    let effects = app.update(Msg::Saved(SaveKind::Finish, Ok(())), t0);
    assert_eq!(
        effects,
        [Effect::Quit(Exit::Finished {
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
    assert_eq!(app.screen, Screen::Summary);
}

#[test]
fn quitting_with_notes_asks_first() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "a", t0);
    for quit in [key(KeyCode::Esc), ctrl('q'), ctrl('c')] {
        assert!(app.update(quit, t0).is_empty());
        assert_eq!(app.screen, Screen::ConfirmQuit);
        app.update(key(KeyCode::Char('k')), t0);
        assert_eq!(app.screen, Screen::Walk, "keep going");
    }
    app.update(key(KeyCode::Esc), t0);
    let effects = app.update(key(KeyCode::Char('s')), t0);
    assert_eq!(saves(&effects), [SaveKind::Unfinished]);
    let effects = app.update(Msg::Saved(SaveKind::Unfinished, Ok(())), t0);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Quit(Exit::Unfinished { .. })]
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
            Effect::Discard("20261124-090000-abcd".into()),
            Effect::Quit(Exit::Discarded)
        ]
    );
}

#[test]
fn quitting_without_notes_is_immediate() {
    let mut app = app(true);
    let effects = app.update(key(KeyCode::Esc), Instant::now());
    assert_eq!(effects, [Effect::Quit(Exit::Discarded)]);
}

#[test]
fn a_failed_final_save_keeps_the_notes_and_prints_them_on_quit() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "keep me", t0);
    app.update(ctrl('s'), t0);
    app.update(key(KeyCode::Enter), t0);
    app.update(Msg::Saved(SaveKind::Finish, Err("disk full".into())), t0);
    assert!(matches!(app.screen, Screen::SaveFailed(..)));
    // Enter retries the same save.
    let effects = app.update(key(KeyCode::Enter), t0);
    assert_eq!(saves(&effects), [SaveKind::Finish]);
    app.update(Msg::Saved(SaveKind::Finish, Err("disk full".into())), t0);
    let effects = app.update(key(KeyCode::Char('q')), t0);
    let [Effect::Quit(Exit::Unsaved { session, error })] = effects.as_slice() else {
        panic!("expected an unsaved exit, got {effects:?}");
    };
    assert_eq!(error, "disk full");
    assert_eq!(session.steps[0].notes, "keep me");
}

#[test]
fn a_failed_autosave_is_shown_and_retried() {
    let mut app = app(true);
    let t0 = Instant::now();
    type_text(&mut app, "a", t0);
    let due = app.deadline(t0).unwrap();
    app.update(Msg::Tick, due);
    app.update(Msg::Saved(SaveKind::Autosave, Err("disk full".into())), due);
    assert!(app.status.as_deref().unwrap().contains("Autosave failed"));
    assert!(app.deadline(due).is_some(), "another autosave is scheduled");
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
        [Effect::Quit(Exit::Signal {
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
        [Effect::Quit(Exit::Signal {
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
        [Effect::Quit(Exit::Finished { saved: false, .. })]
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
    assert!(app.help);
    app.update(key(KeyCode::Char('x')), t0);
    assert!(!app.help);
    assert!(
        app.walk.state().notes.is_empty(),
        "the key only closed the help"
    );
}
