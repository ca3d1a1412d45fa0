//! Every walk-through view in each theme (default, high contrast,
//! monochrome), and the reduce-motion pacer.
//!
//! TestBackend snapshots hold text only, so these snapshots add a list of
//! the styled runs on screen (row, columns, style, text): a change of colour
//! or emphasis shows in review like a change of words. On top of that, the
//! themes' promises are asserted cell by cell: monochrome uses no colour at
//! all, high contrast no grey, and the text is the same in every theme.

use std::time::{Duration, Instant};

use chrono::DateTime;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

use repair_practice::practice::{Walk, WalkOptions};
use repair_practice::protocol::builtin;
use repair_practice::tui::theme::{Palette, Theme};
use repair_practice::tui::walk;
use repair_practice::tui::walk::model::{App, Msg, SaveError, SaveKind};

use crate::screens::{drawn, styled, text};

fn app() -> App {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let walk = Walk::new(
        builtin_with_pacer_on(),
        WalkOptions::default(),
        "20261124-090000-abcd".into(),
        started,
    );
    let mut app = App::new(walk, true)
        .with_wall_clock(|| DateTime::parse_from_rfc3339("2026-11-24T09:20:00+01:00").unwrap());
    // Past the start screen's offer of this month's step (shown on its own).
    app.start_open = false;
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn type_text(app: &mut App, text: &str, now: Instant) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)), now);
    }
}

/// Every view of the walk-through, as (name, app, the instant to draw at).
fn views() -> Vec<(&'static str, App, Instant)> {
    let t0 = Instant::now();
    let mut views = vec![("pause_offered", app(), t0)];

    let mut running = app();
    running.update(key(KeyCode::Enter), t0);
    views.push(("pause_running", running, t0 + Duration::from_millis(31_500)));

    let mut held = app();
    held.update(key(KeyCode::Enter), t0);
    held.update(key(KeyCode::Char(' ')), t0 + Duration::from_secs(10));
    views.push(("pause_held", held, t0 + Duration::from_secs(50)));

    let mut notes = app();
    notes.update(key(KeyCode::Tab), t0);
    type_text(
        &mut notes,
        "Tight chest. Wanted to explain myself fast.",
        t0,
    );
    views.push(("notes", notes, t0));

    let mut quit = app();
    type_text(&mut quit, "a note", t0);
    quit.update(key(KeyCode::Esc), t0);
    views.push(("confirm_quit", quit, t0));

    let mut start = app();
    start.start_open = true;
    views.push(("start_screen", start, t0));

    let mut help = app();
    help.update(key(KeyCode::F(1)), t0);
    views.push(("help", help, t0));

    let mut empty_step = app();
    empty_step.update(key(KeyCode::Tab), t0);
    views.push(("empty_notes", empty_step, t0));

    views.push(("summary", summary(t0), t0));

    let mut failed = summary(t0);
    failed.update(key(KeyCode::Enter), t0);
    failed.update(
        Msg::Saved(
            SaveKind::Finish,
            Err(SaveError::new(std::io::Error::other("disk full"))),
        ),
        t0,
    );
    views.push(("save_failed", failed, t0));
    views
}

/// A walk with one note, at the summary.
fn summary(t0: Instant) -> App {
    let mut app = app();
    type_text(&mut app, "Heat in my face.", t0);
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        t0,
    );
    app
}

fn render(app: &App, theme: Theme, now: Instant) -> Buffer {
    let terminal = drawn(80, 24, |frame| {
        walk::draw(frame, app, &theme, now);
    });
    terminal.backend().buffer().clone()
}

fn colours(buffer: &Buffer) -> Vec<Color> {
    buffer
        .content()
        .iter()
        .flat_map(|cell| [cell.fg, cell.bg])
        .filter(|c| *c != Color::Reset)
        .collect()
}

#[test]
fn every_view_in_every_theme() {
    for (name, app, now) in views() {
        let plain_text = text(&render(&app, Theme::monochrome(), now));
        for palette in Palette::ALL {
            let buffer = render(&app, Theme::new(palette), now);
            assert_eq!(
                text(&buffer),
                plain_text,
                "{name}: the words differ in {palette:?}"
            );
            insta::assert_snapshot!(format!("{name}_{}", palette.name()), styled(&buffer));
        }
    }
}

#[test]
fn monochrome_draws_no_colour_anywhere() {
    for (name, app, now) in views() {
        let found = colours(&render(&app, Theme::monochrome(), now));
        assert!(found.is_empty(), "{name} uses colours {found:?}");
    }
}

#[test]
fn high_contrast_draws_no_grey_and_bolds_titles_and_keys() {
    for (name, app, now) in views() {
        let buffer = render(&app, Theme::new(Palette::HighContrast), now);
        let grey: Vec<Color> = colours(&buffer)
            .into_iter()
            .filter(|c| matches!(c, Color::Gray | Color::DarkGray))
            .collect();
        assert!(grey.is_empty(), "{name} uses grey: {grey:?}");
        let bold_coloured = buffer.content().iter().any(|cell| {
            cell.modifier.contains(Modifier::BOLD)
                && matches!(cell.fg, Color::LightCyan | Color::LightYellow)
        });
        assert!(bold_coloured, "{name} has no bold bright colour");
    }
}

#[test]
fn the_default_theme_uses_colour() {
    for (name, app, now) in views() {
        let found = colours(&render(&app, Theme::new(Palette::Default), now));
        assert!(found.contains(&Color::Cyan), "{name}: {found:?}");
    }
}

#[test]
fn reduce_motion_draws_the_breath_as_words_and_wakes_once_a_second() {
    let t0 = Instant::now();
    let mut moving = app();
    moving.update(key(KeyCode::Enter), t0);
    let mut still = app();
    still.reduce_motion = true;
    still.update(key(KeyCode::Enter), t0);
    let at = t0 + Duration::from_millis(31_500);

    let screen = text(&render(&still, Theme::monochrome(), at));
    assert!(screen.contains("Breathe in… 3"), "{screen}");
    assert!(!screen.contains('▮'), "{screen}");
    let bar = text(&render(&moving, Theme::monochrome(), at));
    assert!(bar.contains('▮'), "{bar}");
    insta::assert_snapshot!(
        "pause_running_reduce_motion",
        styled(&render(&still, Theme::new(Palette::Default), at))
    );

    // With the moving pacer the loop wakes every 100 ms; without it, only
    // when the clock's second changes.
    assert_eq!(moving.deadline(at), Some(at + Duration::from_millis(100)));
    assert_eq!(still.deadline(at), Some(at + Duration::from_millis(500)));
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
