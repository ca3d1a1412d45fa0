//! Render tests: each view drawn into ratatui's TestBackend at 80x24 and
//! 40x12 (and below), snapshotted with insta. Time is fixed by passing
//! instants relative to one start, so every frame is reproducible.

use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::builtin;
use repair_practice::tui::app::{App, Effect, Msg, SaveKind, Screen};
use repair_practice::tui::theme::Theme;
use repair_practice::tui::view;

fn app(options: WalkOptions) -> App {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(
        builtin_with_pacer_on(),
        options,
        "20261124-090000-abcd".into(),
        started,
    );
    App::new(walk, true)
        .with_wall_clock(|| DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap())
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str, now: Instant) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        app.update(key(code), now);
    }
}

fn render(app: &App, width: u16, height: u16, now: Instant) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| view::draw(frame, app, &Theme::monochrome(), now))
        .unwrap();
    terminal
}

/// Snapshots a view at both sizes the layout is made for.
macro_rules! snap_both {
    ($name:literal, $app:expr, $now:expr) => {
        insta::assert_snapshot!(
            concat!($name, "_80x24"),
            render(&$app, 80, 24, $now).backend()
        );
        insta::assert_snapshot!(
            concat!($name, "_40x12"),
            render(&$app, 40, 12, $now).backend()
        );
    };
}

#[test]
fn pause_offered() {
    let app = app(WalkOptions::default());
    snap_both!("pause_offered", app, Instant::now());
}

#[test]
fn pause_running_with_cue_and_pacer() {
    let mut app = app(WalkOptions::default());
    let t0 = Instant::now();
    app.update(key(KeyCode::Enter), t0);
    // 31.5 s into 90: the third of six cues, breathing out.
    snap_both!("pause_running", app, t0 + Duration::from_millis(31_500));
}

#[test]
fn pause_held() {
    let mut app = app(WalkOptions::default());
    let t0 = Instant::now();
    app.update(key(KeyCode::Enter), t0);
    app.update(key(KeyCode::Char(' ')), t0 + Duration::from_secs(10));
    snap_both!("pause_held", app, t0 + Duration::from_secs(50));
}

#[test]
fn notes_with_wide_characters() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    app.update(key(KeyCode::Tab), now);
    type_text(
        &mut app,
        "Tight chest, jaw clenched. 停一下 🌿\nWanted to explain myself fast.",
        now,
    );
    snap_both!("notes", app, now);
}

#[test]
fn a_step_without_a_pause_in_a_drill() {
    let app = app(WalkOptions {
        drill: Some("validate".into()),
        pause_seconds: None,
    });
    snap_both!("drill_validate", app, Instant::now());
}

#[test]
fn summary_before_saving() {
    let mut app = app(WalkOptions {
        pause_seconds: Some(60),
        ..Default::default()
    });
    let t0 = Instant::now();
    app.update(key(KeyCode::Enter), t0);
    let t1 = t0 + Duration::from_secs(61);
    app.update(Msg::Tick, t1);
    type_text(&mut app, "Heat in my face. Stayed with it.", t1);
    app.update(key(KeyCode::Tab), t1);
    type_text(&mut app, "It sounds like that landed as dismissive?", t1);
    app.update(ctrl('s'), t1);
    assert_eq!(app.screen, Screen::Summary);
    snap_both!("summary", app, t1);
}

#[test]
fn quit_question() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    type_text(&mut app, "a note", now);
    app.update(key(KeyCode::Esc), now);
    assert_eq!(app.screen, Screen::ConfirmQuit);
    snap_both!("confirm_quit", app, now);
}

#[test]
fn help_overlay() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    app.update(key(KeyCode::F(1)), now);
    snap_both!("help", app, now);
}

#[test]
fn save_failed_keeps_the_notes_on_screen() {
    let mut app = app(WalkOptions::default());
    let now = Instant::now();
    type_text(&mut app, "Notes that must not be lost.", now);
    app.update(ctrl('s'), now);
    let effects = app.update(key(KeyCode::Enter), now);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Save(_, SaveKind::Finish)]
    ));
    app.update(Msg::Saved(SaveKind::Finish, Err("disk full".into())), now);
    snap_both!("save_failed", app, now);
}

#[test]
fn too_small_says_so_and_recovers() {
    let app = app(WalkOptions::default());
    let now = Instant::now();
    insta::assert_snapshot!("too_small_39x11", render(&app, 39, 11, now).backend());
    insta::assert_snapshot!("too_small_20x3", render(&app, 20, 3, now).backend());
    // The same app draws normally once the window is large enough again.
    let big = render(&app, 40, 12, now);
    assert!(format!("{:?}", big.backend()).contains("Step 1 of 6"));
}

#[test]
fn large_window() {
    let app = app(WalkOptions::default());
    let terminal = render(&app, 200, 60, Instant::now());
    let text = format!("{:?}", terminal.backend());
    assert!(text.contains("Step 1 of 6"));
    assert!(text.contains("Try saying"), "everything fits at 200x60");
    assert!(!text.contains("more ↓"));
}

#[test]
fn passphrase_prompt_is_masked() {
    use repair_practice::journal::Store;
    use repair_practice::tui::passphrase::Prompt;
    use repair_practice::tui::terminal::{Input, Program};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut prompt = Prompt::new(&mut store, Theme::monochrome());
    let now = Instant::now();
    for c in "tender".chars() {
        prompt.handle(
            Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            now,
        );
    }
    for (name, w, h) in [("passphrase_80x24", 80, 24), ("passphrase_40x12", 40, 12)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|frame| prompt.draw(frame, now)).unwrap();
        let text = format!("{:?}", terminal.backend());
        assert!(!text.contains("tender"), "the passphrase is never shown");
        insta::assert_snapshot!(name, terminal.backend());
    }
}

/// The built-in protocol with the scan's breathing pacer on, as a user who
/// turned it on sees it (it ships off: the scan is to feel, not to fix).
fn builtin_with_pacer_on() -> repair_practice::protocol::Protocol {
    let mut protocol = builtin();
    for pause in protocol.steps.iter_mut().filter_map(|s| s.pause.as_mut()) {
        pause.breath = pause.pacer;
    }
    protocol
}
