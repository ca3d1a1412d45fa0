//! Render tests for `repair prep` (the rehearsal's are in
//! tests/it/rehearse_render.rs): the scan, the words and the pocket card, drawn into ratatui's TestBackend at 80x24 and 40x12 and snapshotted.
//! Time is fixed by passing instants relative to one start.

use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use repair_practice::practice::prep::Prep;
use repair_practice::protocol::builtin;
use repair_practice::tui::mode::Model;
use repair_practice::tui::prep::PrepApp;
use repair_practice::tui::theme::Theme;

use crate::screens::{drawn, key, snap_sizes};

fn started() -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap()
}

/// Drawn as the program draws it (on a copy: a snapshot keeps nothing).
fn draw_prep(app: &PrepApp, w: u16, h: u16, now: Instant) -> Terminal<TestBackend> {
    let mut app = app.clone();
    drawn(w, h, |f| app.draw(f, &Theme::monochrome(), now))
}

macro_rules! snap_both {
    ($name:literal, $draw:ident, $app:expr, $now:expr) => {
        snap_sizes!($name, |w, h| $draw(&$app, w, h, $now), [(80, 24), (40, 12)]);
    };
}

fn prep() -> PrepApp {
    PrepApp::new(Prep::new(
        builtin(),
        None,
        "20261124-090000-abcd".into(),
        started(),
    ))
}

#[test]
fn prep_scan_and_words() {
    let t0 = Instant::now();
    let mut app = prep();
    app.key(key(KeyCode::Enter), t0);
    snap_both!("prep_scan", draw_prep, app, t0 + Duration::from_secs(100));
    app.key(key(KeyCode::Enter), t0 + Duration::from_secs(100));
    app.key(key(KeyCode::Down), t0);
    snap_both!("prep_words", draw_prep, app, t0);
}

#[test]
fn prep_pocket_card() {
    let t0 = Instant::now();
    let mut app = prep();
    app.key(key(KeyCode::Tab), t0);
    app.key(key(KeyCode::Down), t0);
    app.key(key(KeyCode::Enter), t0);
    for c in "I'd like to check I've understood.".chars() {
        app.key(key(KeyCode::Char(c)), t0);
    }
    app.key(key(KeyCode::Enter), t0);
    app.key(key(KeyCode::Enter), t0);
    app.key(key(KeyCode::Tab), t0);
    app.key(key(KeyCode::Down), t0);
    app.key(key(KeyCode::Down), t0);
    app.key(key(KeyCode::Enter), t0);
    app.key(key(KeyCode::Enter), t0);
    for c in "Go slowly; stay curious.".chars() {
        app.key(key(KeyCode::Char(c)), t0);
    }
    app.key(key(KeyCode::Enter), t0);
    snap_both!("prep_pocket_card", draw_prep, app, t0);
}
