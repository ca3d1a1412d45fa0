//! Render tests for `repair rehearse`: every screen drawn into ratatui's
//! TestBackend at 80x24, 40x12 and a projector size (160x45) and
//! snapshotted; the round screen never shows the client's private
//! direction, nor the card's kind and level (unless `--show-kind`); and
//! property tests driving the screen model with random keys.

use crate::rehearse_fixture;
use crate::screens::{drawn, key, snap_sizes, text};

use std::time::{Duration, Instant};

use chrono::DateTime;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::practice::rehearse::{Phase, Rehearsal, RehearseOptions, Stage};
use repair_practice::tui::mode::{Model, SavesAsItGoes, SavingEffect};
use repair_practice::tui::rehearse::{RehearseApp, Row};
use repair_practice::tui::theme::Theme;

fn app_with(show_kind: bool) -> RehearseApp {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut options = RehearseOptions::new(
        vec!["Ana".into(), "Ben".into(), "Cy".into(), "Dee".into()],
        11,
    );
    options.show_kind = show_kind;
    options.rounds = 3;
    // The breath has screens of its own (below); these go straight on.
    options.scan_seconds = 0;
    let r = Rehearsal::new(
        rehearse_fixture::protocol(),
        options,
        "20261124-090000-abcd".into(),
        started,
    )
    .unwrap();
    RehearseApp::new(r, false)
}

fn app() -> RehearseApp {
    app_with(false)
}

/// A rehearsal of `names`, `rounds` cards, saving or not.
fn app_of(names: &[&str], rounds: u32, saving: bool) -> RehearseApp {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut options = RehearseOptions::new(names.iter().map(|n| n.to_string()).collect(), 11);
    options.rounds = rounds;
    options.scan_seconds = 0;
    let r = Rehearsal::new(
        rehearse_fixture::protocol(),
        options,
        "20261124-090000-abcd".into(),
        started,
    )
    .unwrap();
    RehearseApp::new(r, saving)
}

/// Enter until the closing screen (every card reviewed with the defaults).
fn to_closing(app: &mut RehearseApp, now: Instant) {
    while *app.rehearsal.phase() != Phase::Closing {
        app.key(key(KeyCode::Enter), now);
    }
}

/// Drawn as the program draws it: what the view measured is kept.
fn draw(app: &mut RehearseApp, w: u16, h: u16, now: Instant) -> Terminal<TestBackend> {
    drawn(w, h, |f| {
        SavesAsItGoes::draw(app, f, &Theme::monochrome(), now)
    })
}

fn screen(app: &mut RehearseApp, w: u16, h: u16, now: Instant) -> String {
    text(draw(app, w, h, now).backend().buffer())
}

macro_rules! snap_all {
    ($name:literal, $app:expr, $now:expr) => {
        snap_sizes!(
            $name,
            |w, h| draw(&mut $app, w, h, $now),
            [(80, 24), (40, 12), (160, 45)]
        );
        insta::assert_snapshot!(
            concat!($name, "_120x40"),
            draw(&mut $app, 120, 40, $now).backend()
        );
        insta::assert_snapshot!(
            concat!($name, "_200x60"),
            draw(&mut $app, 200, 60, $now).backend()
        );
    };
}

fn press(app: &mut RehearseApp, code: KeyCode, now: Instant) {
    app.key(key(code), now);
}

fn type_text(app: &mut RehearseApp, text: &str, now: Instant) {
    for c in text.chars() {
        press(app, KeyCode::Char(c), now);
    }
}

#[test]
fn safety_line_and_private_direction() {
    let t0 = Instant::now();
    let mut app = app();
    snap_all!("rehearse_safety", app, t0);
    for (w, h) in [(40, 12), (80, 24), (160, 45)] {
        assert!(screen(&mut app, w, h, t0).contains("Seed 11"), "{w}x{h}");
    }
    press(&mut app, KeyCode::Enter, t0);
    snap_all!("rehearse_direction", app, t0);
    assert!(screen(&mut app, 80, 24, t0).contains(rehearse_fixture::DIRECTION));
}

#[test]
fn the_round_screen_hides_the_direction_and_the_kind() {
    let t0 = Instant::now();
    let mut app = app();
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Ready);
    snap_all!("rehearse_round_ready", app, t0);
    press(&mut app, KeyCode::Enter, t0);
    // 0:24 into a one-minute response: 0:36 left.
    snap_all!("rehearse_round_playing", app, t0 + Duration::from_secs(24));
    let card = app.rehearsal.round().card.clone();
    for (w, h) in [(40, 12), (80, 24), (160, 45)] {
        let text = screen(&mut app, w, h, t0);
        assert!(
            !text.contains(rehearse_fixture::DIRECTION),
            "{w}x{h}:\n{text}"
        );
        assert!(!text.contains(card.kind.as_str()), "{w}x{h}:\n{text}");
        assert!(!text.contains(card.level.as_str()), "{w}x{h}:\n{text}");
        assert!(
            text.contains("Ana") && text.contains("Ben"),
            "roles on one line"
        );
    }
    let mut shown = app_with(true);
    for _ in 0..3 {
        press(&mut shown, KeyCode::Enter, t0);
    }
    let text = screen(&mut shown, 80, 24, t0);
    assert!(
        text.contains(shown.rehearsal.round().card.kind.as_str()),
        "{text}"
    );
}

#[test]
fn held_response_says_resume() {
    let t0 = Instant::now();
    let mut app = app();
    for _ in 0..3 {
        press(&mut app, KeyCode::Enter, t0);
    }
    press(&mut app, KeyCode::Char(' '), t0);
    let text = screen(&mut app, 80, 24, t0);
    assert!(text.contains("Space resume"), "{text}");
    assert!(!text.contains("Space hold"), "{text}");
}

#[test]
fn every_review_stage_in_order() {
    let t0 = Instant::now();
    let mut app = app();
    for _ in 0..4 {
        press(&mut app, KeyCode::Enter, t0);
    }
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Marker));
    press(&mut app, KeyCode::Right, t0);
    press(&mut app, KeyCode::Down, t0);
    press(&mut app, KeyCode::Right, t0);
    snap_all!("rehearse_review_marker", app, t0);
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Rating));
    for _ in 0..3 {
        press(&mut app, KeyCode::Right, t0);
    }
    let text = screen(&mut app, 80, 24, t0);
    assert!(text.contains("← → choose"), "{text}");
    press(&mut app, KeyCode::Down, t0);
    press(&mut app, KeyCode::Char(' '), t0);
    snap_all!("rehearse_review_rating", app, t0);
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Criteria));
    press(&mut app, KeyCode::Char(' '), t0);
    press(&mut app, KeyCode::Down, t0);
    press(&mut app, KeyCode::Down, t0);
    press(&mut app, KeyCode::Char(' '), t0);
    snap_all!("rehearse_review_criteria", app, t0);
    // Eight criteria, three at a time: PgDn shows the next three, Enter
    // pages on to the last, then goes on.
    press(&mut app, KeyCode::PageDown, t0);
    assert_eq!(app.rehearsal.shown_criteria(), 3..6);
    assert_eq!(app.row(), Some(Row::Criterion(3)));
    press(&mut app, KeyCode::Char(' '), t0);
    assert!(app.rehearsal.round().criteria[3]);
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(app.rehearsal.shown_criteria(), 6..8);
    assert!(screen(&mut app, 80, 24, t0).contains("Criteria 7 to 8 of 8"));
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Feedback));
    assert_eq!(app.row(), Some(Row::Feedback));
    let text = screen(&mut app, 80, 24, t0);
    assert!(text.contains("type · Enter next"), "{text}");
    assert!(
        !text.contains("Space tick") && !text.contains("same card"),
        "{text}"
    );
    // Space and r type into the line; a long line scrolls sideways.
    type_text(
        &mut app,
        "Slowed right down and asked; the rest of this line runs well past the edge of the window",
        t0,
    );
    assert!(
        app.rehearsal
            .round()
            .feedback
            .ends_with("edge of the window")
    );
    snap_all!("rehearse_review_feedback", app, t0);
    assert!(
        screen(&mut app, 40, 12, t0).contains("of the window"),
        "the end stays in view"
    );
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Reveal));
    snap_all!("rehearse_reveal", app, t0);
    let text = screen(&mut app, 160, 45, t0);
    // Markers are named in words, as the drill names them, not by id.
    assert!(text.contains("complaint about the therapist"), "{text}");
    assert!(!text.contains("complaint-therapist"), "{text}");
    assert!(
        text.contains("If the therapist defends or explains"),
        "{text}"
    );
    assert!(text.contains("r try again"), "{text}");
    assert!(screen(&mut app, 40, 12, t0).contains("r try again"));
}

#[test]
fn retry_and_closing() {
    let t0 = Instant::now();
    let mut app = app();
    for _ in 0..4 {
        press(&mut app, KeyCode::Enter, t0);
    }
    // Marker, rating, three pages of criteria, feedback.
    for _ in 0..6 {
        press(&mut app, KeyCode::Enter, t0);
    }
    press(&mut app, KeyCode::Char('r'), t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Ready);
    assert_eq!(app.rehearsal.round().attempt, 2);
    assert!(screen(&mut app, 80, 24, t0).contains("try 2"));
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Enter, t0);
    // Marker, rating, three pages of criteria.
    for _ in 0..5 {
        press(&mut app, KeyCode::Enter, t0);
    }
    type_text(&mut app, "Owned the lateness plainly.", t0);
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Esc, t0);
    assert!(app.asking_stop);
    press(&mut app, KeyCode::Char('y'), t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Closing);
    snap_all!("rehearse_closing", app, t0);
    let text = screen(&mut app, 160, 45, t0);
    assert!(text.contains("seed 11"), "{text}");
    assert!(text.contains("say your own name"), "{text}");
}

#[test]
fn f1_lists_every_key_on_every_screen() {
    let t0 = Instant::now();
    let mut app = app();
    for _ in 0..9 {
        press(&mut app, KeyCode::F(1), t0);
        assert!(app.help);
        let text = screen(&mut app, 80, 24, t0);
        for binding in repair_practice::tui::rehearse::KEYS {
            assert!(
                text.contains(binding.help),
                "{} missing:\n{text}",
                binding.help
            );
        }
        press(&mut app, KeyCode::Char('x'), t0);
        assert!(!app.help, "any key closes");
        press(&mut app, KeyCode::Enter, t0);
    }
}

/// On a window too short for the review's rows, the rows out of sight are
/// said as every list says them ("↓ 4 more below"), right above the rows,
/// and the numbers add up to the rows there are (the rating and six
/// reactions) wherever the focus is.
#[test]
fn review_rows_out_of_sight_are_said_above_them() {
    let t0 = Instant::now();
    let mut app = app();
    for _ in 0..4 {
        press(&mut app, KeyCode::Enter, t0);
    }
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Rating));
    let number = |text: &str, word: &str| -> usize {
        text.split(" · ")
            .find(|part| part.contains(word))
            .and_then(|part| part.split_whitespace().nth(1))
            .map_or(0, |n| n.parse().unwrap())
    };
    for row in 0..7 {
        let text = screen(&mut app, 40, 12, t0);
        let sign = text
            .lines()
            .find(|l| l.contains("more above") || l.contains("more below"))
            .unwrap_or_else(|| panic!("no sign at row {row}:\n{text}"))
            .trim();
        let (above, below) = (number(sign, "above"), number(sign, "below"));
        let shown = text
            .lines()
            .filter(|l| l.contains("Difficulty") || l.contains("[ ]") || l.contains("[x]"))
            .count();
        assert_eq!(above + shown + below, 7, "row {row}: {sign}\n{text}");
        match row {
            0 => assert_eq!((above, below), (0, 4), "{sign}"),
            6 => assert_eq!((above, below), (4, 0), "{sign}"),
            _ => {}
        }
        press(&mut app, KeyCode::Down, t0);
    }
    let text = screen(&mut app, 80, 24, t0);
    assert!(!text.contains("more below"), "all of it fits: {text}");
}

/// F1 says any key closes it: where the help fits in its box that holds
/// for the arrows and page keys too (they have nothing to scroll); where it
/// is a page of its own (40x12) they scroll it, as its footer says, and
/// every other key closes it.
#[test]
fn f1_help_that_fits_closes_on_any_key_and_a_long_one_scrolls() {
    let t0 = Instant::now();
    for code in [
        KeyCode::Down,
        KeyCode::Up,
        KeyCode::PageDown,
        KeyCode::PageUp,
    ] {
        let mut app = app();
        press(&mut app, KeyCode::F(1), t0);
        let text = screen(&mut app, 80, 24, t0);
        assert!(text.contains("┌ Keys"), "the box: {text}");
        press(&mut app, code, t0);
        assert!(!app.help, "{code:?} closes the help box");
    }
    let mut app = app();
    press(&mut app, KeyCode::F(1), t0);
    let text = screen(&mut app, 40, 12, t0);
    assert!(text.contains("↑ ↓ scroll · any other key closes"), "{text}");
    press(&mut app, KeyCode::Down, t0);
    assert!(app.help, "↓ scrolls the help page");
    let text = screen(&mut app, 40, 12, t0);
    assert!(text.contains("lines 2–"), "{text}");
    press(&mut app, KeyCode::Char('x'), t0);
    assert!(!app.help);
}

/// The closing screen: Enter (pressed all session) does not close it but
/// says what does; without saving it offers `s`, which closes with the
/// rounds to save (no names) and the summary to print; `q` closes.
#[test]
fn the_closing_screen_is_not_skipped_by_enter_and_offers_to_save() {
    let t0 = Instant::now();
    let mut app = app_of(&["Ana", "Ben", "Cy"], 2, false);
    to_closing(&mut app, t0);
    for _ in 0..5 {
        assert_eq!(app.key(key(KeyCode::Enter), t0), SavingEffect::None);
    }
    assert_eq!(*app.rehearsal.phase(), Phase::Closing);
    snap_all!("rehearse_closing_offers_save", app, t0);
    for (w, h) in [(40, 12), (80, 24), (120, 40), (200, 60)] {
        let text = screen(&mut app, w, h, t0);
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            joined.contains("Enter does not close this page: s saves and closes, q closes."),
            "{w}x{h}:\n{text}"
        );
        let footer = text.lines().last().unwrap();
        assert!(footer.contains("s save and close"), "{w}x{h}: {footer}");
        assert!(!footer.contains("Enter"), "{w}x{h}: {footer}");
    }
    let mut saving = app.clone();
    assert_eq!(app.key(key(KeyCode::Char('s')), t0), SavingEffect::Quit);
    let outcome = app.outcome(repair_practice::journal::Saved::Nothing);
    let session = outcome.save.expect("the rounds to save");
    assert_eq!(session.extra.rounds.len(), 2);
    assert!(session.complete);
    let json = serde_json::to_string(&session).unwrap();
    assert!(!json.contains("Ana") && !json.contains("Ben"), "{json}");
    assert!(outcome.summary[0].starts_with("Summary: 2 of 2 cards"));
    assert!(
        outcome
            .summary
            .iter()
            .any(|l| l.starts_with("Ana (seat 1): 2 cards"))
    );
    // q closes without saving.
    assert_eq!(saving.key(key(KeyCode::Char('q')), t0), SavingEffect::Quit);
    assert_eq!(
        saving
            .outcome(repair_practice::journal::Saved::Nothing)
            .save,
        None
    );
    // With --save there is nothing to offer: s does nothing, q closes.
    let mut kept = app_of(&["Ana", "Ben", "Cy"], 1, true);
    to_closing(&mut kept, t0);
    let text = screen(&mut kept, 80, 24, t0);
    assert!(!text.contains("s save"), "{text}");
    assert!(text.contains("q close"), "{text}");
    assert_eq!(kept.key(key(KeyCode::Char('s')), t0), SavingEffect::None);
    assert_eq!(kept.key(key(KeyCode::Char('q')), t0), SavingEffect::Quit);
    assert_eq!(
        kept.outcome(repair_practice::journal::Saved::Nothing).save,
        None
    );
}

/// The first screen says whether the rounds will be kept.
#[test]
fn the_first_screen_says_whether_the_rounds_are_kept() {
    let t0 = Instant::now();
    // Without scrolling, at the smallest size too.
    let joined = |mut app: RehearseApp| {
        let text = screen(&mut app, 40, 12, t0);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let off = joined(app_of(&["Ana", "Ben"], 1, false));
    assert!(
        off.contains("Nothing is saved as you go; you can save at the end (never names)."),
        "{off}"
    );
    let on = joined(app_of(&["Ana", "Ben"], 1, true));
    assert!(
        on.contains("The rounds are saved as you go (never names)."),
        "{on}"
    );
}

/// With two people nobody observes: the therapist ticks the criteria.
#[test]
fn with_two_people_the_therapist_ticks_the_criteria() {
    let t0 = Instant::now();
    let mut app = app_of(&["Ana", "Ben"], 1, false);
    while *app.rehearsal.phase() != Phase::Review(Stage::Criteria) {
        press(&mut app, KeyCode::Enter, t0);
    }
    let text = screen(&mut app, 80, 24, t0);
    assert!(text.contains("Ana, tick what your response did"), "{text}");
    assert!(!text.contains("Observers"), "{text}");
    let mut three = app_of(&["Ana", "Ben", "Cy"], 1, false);
    while *three.rehearsal.phase() != Phase::Review(Stage::Criteria) {
        press(&mut three, KeyCode::Enter, t0);
    }
    assert!(screen(&mut three, 80, 24, t0).contains("Observers: tick"));
}

/// At 40x12 the marker stage shows every kind to choose from, not only
/// the one chosen, and the marker in words.
#[test]
fn the_marker_row_shows_the_choices_at_40_columns() {
    let t0 = Instant::now();
    let mut app = app();
    while *app.rehearsal.phase() != Phase::Review(Stage::Marker) {
        press(&mut app, KeyCode::Enter, t0);
    }
    let text = screen(&mut app, 40, 12, t0);
    for word in [
        "‹not sure›",
        "withdrawal",
        "confrontation",
        "‹none (optional)›",
    ] {
        assert!(text.contains(word), "{word}:\n{text}");
    }
    press(&mut app, KeyCode::Right, t0);
    press(&mut app, KeyCode::Down, t0);
    press(&mut app, KeyCode::Right, t0);
    snap_sizes!(
        "rehearse_marker_narrow",
        |w, h| draw(&mut app, w, h, t0),
        [(40, 12)]
    );
    let text = screen(&mut app, 40, 12, t0);
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("‹denial›"), "{text}");
    press(&mut app, KeyCode::Right, t0);
    let text = screen(&mut app, 40, 12, t0);
    assert!(text.contains("minimal response"), "{text}");
    assert!(!text.contains("minimal-response"), "{text}");
}

/// At 80x24 the reveal shows where the rating moves the therapist's level
/// without scrolling.
#[test]
fn the_reveal_shows_the_level_outcome_without_scrolling() {
    let t0 = Instant::now();
    let mut app = app();
    while *app.rehearsal.phase() != Phase::Review(Stage::Rating) {
        press(&mut app, KeyCode::Enter, t0);
    }
    for _ in 0..5 {
        press(&mut app, KeyCode::Left, t0);
    }
    while *app.rehearsal.phase() != Phase::Review(Stage::Reveal) {
        press(&mut app, KeyCode::Enter, t0);
    }
    let text = screen(&mut app, 80, 24, t0);
    assert!(
        text.contains("Rated 0: 3 or less moves Ana's next confrontation card up a level"),
        "{text}"
    );
}

fn any_key() -> impl Strategy<Value = KeyEvent> {
    prop_oneof![
        Just(key(KeyCode::Enter)),
        Just(key(KeyCode::Esc)),
        Just(key(KeyCode::Char(' '))),
        Just(key(KeyCode::Char('r'))),
        Just(key(KeyCode::Char('y'))),
        Just(key(KeyCode::Left)),
        Just(key(KeyCode::Right)),
        Just(key(KeyCode::Up)),
        Just(key(KeyCode::Down)),
        Just(key(KeyCode::Tab)),
        Just(key(KeyCode::BackTab)),
        Just(key(KeyCode::PageDown)),
        Just(key(KeyCode::PageUp)),
        Just(key(KeyCode::Backspace)),
        Just(key(KeyCode::F(1))),
        Just(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::CONTROL)),
        Just(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        proptest::char::range('a', 'z').prop_map(|c| key(KeyCode::Char(c))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(64)))]

    /// Random keys at random sizes: nothing panics, the focused row is always
    /// one of the stage's rows, a rating stays 0-10, and the feedback line
    /// the model holds is what the editor shows.
    #[test]
    fn random_keys_hold(keys in proptest::collection::vec(any_key(), 0..200),
                        w in 40u16..170, h in 12u16..50, secs in 0u64..200) {
        let t0 = Instant::now();
        let mut app = app();
        for (i, k) in keys.into_iter().enumerate() {
            let now = t0 + Duration::from_secs(secs * i as u64 / 50);
            app.tick(now);
            let closing = *app.rehearsal.phase() == Phase::Closing;
            let effect = app.key(k, now);
            let _ = draw(&mut app, w, h, now);
            // Only the closing screen is left, and never by Enter.
            if effect == SavingEffect::Quit {
                prop_assert!(closing, "{:?} quit from {:?}", k, app.rehearsal.phase());
                prop_assert!(k.code != KeyCode::Enter);
                break;
            }
            if closing && k.code == KeyCode::Enter {
                prop_assert_eq!(effect, SavingEffect::None);
            }
            let rows = app.rows().len();
            prop_assert!(app.cursor < rows.max(1));
            prop_assert!(app.rehearsal.round().rating <= 10);
            prop_assert!(!app.rehearsal.round().feedback.contains('\n'));
            if *app.rehearsal.phase() == Phase::Review(Stage::Feedback) {
                prop_assert_eq!(app.feedback(), app.rehearsal.round().feedback.clone());
            }
            for round in app.rehearsal.reviewed() {
                prop_assert_eq!(round.criteria.len(), app.rehearsal.criteria().len());
            }
        }
    }

    /// The closing screen under random keys, saving or not: Enter never
    /// leaves it; it is left only by q, s (when it offers to save) or the
    /// leaving keys; a save asked for carries every reviewed response.
    #[test]
    fn the_closing_screen_holds_against_random_keys(
        keys in proptest::collection::vec(any_key(), 0..60),
        saving in any::<bool>(), people in 2usize..5, w in 40u16..170, h in 12u16..50,
    ) {
        let t0 = Instant::now();
        let names: Vec<String> = (1..=people).map(|i| format!("P{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut app = app_of(&names, 2, saving);
        to_closing(&mut app, t0);
        for k in keys {
            let offered = app.offers_save();
            let effect = app.key(k, t0);
            let _ = draw(&mut app, w, h, t0);
            prop_assert_eq!(app.rehearsal.phase().clone(), Phase::Closing);
            let leaving = matches!(k.code, KeyCode::Char('q' | 'Q') | KeyCode::Esc)
                || (offered && matches!(k.code, KeyCode::Char('s' | 'S')))
                || (k.modifiers == KeyModifiers::CONTROL && matches!(k.code, KeyCode::Char('q' | 'c')));
            if app.help {
                continue;
            }
            if effect == SavingEffect::Quit {
                prop_assert!(leaving, "{:?} left the closing screen", k);
                let outcome = app.outcome(repair_practice::journal::Saved::Nothing);
                prop_assert_eq!(outcome.summary.is_empty(), false);
                if let Some(session) = outcome.save {
                    prop_assert!(!saving);
                    prop_assert_eq!(session.extra.rounds.len(), app.rehearsal.reviewed().len());
                }
                break;
            }
            prop_assert!(k.code != KeyCode::Enter || effect == SavingEffect::None);
        }
    }

    /// Whatever is typed on the feedback line is kept, to the letter.
    #[test]
    fn nothing_typed_is_lost(text in "[a-zA-Z ,.;'!?-]{0,120}") {
        let t0 = Instant::now();
        let mut app = app();
        for _ in 0..4 { app.key(key(KeyCode::Enter), t0); }
        // Marker, rating, three pages of criteria.
        for _ in 0..5 { app.key(key(KeyCode::Enter), t0); }
        for c in text.chars() { app.key(key(KeyCode::Char(c)), t0); }
        app.key(key(KeyCode::BackTab), t0);
        app.key(key(KeyCode::Enter), t0);
        app.key(key(KeyCode::Enter), t0);
        prop_assert_eq!(app.rehearsal.phase().clone(), Phase::Review(Stage::Reveal));
        prop_assert_eq!(app.rehearsal.round().feedback.clone(), text);
    }
}

/// The guide's table of rehearse keys names every key of the table.
#[test]
fn the_readme_lists_every_rehearse_key() {
    let readme = include_str!("../../docs/guide.md");
    let start = readme
        .find("| Key (rehearse) |")
        .expect("the rehearse keys table");
    let table: Vec<&str> = readme[start..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.split('|').nth(1).unwrap_or("").trim())
        .collect();
    for binding in repair_practice::tui::rehearse::KEYS {
        let label = if binding.label == "type" {
            "typing"
        } else {
            binding.label
        };
        for word in label.split([' ', ',']).filter(|w| !w.is_empty()) {
            assert!(
                table
                    .iter()
                    .any(|cell| cell.replace('`', "").contains(word)),
                "{word} (from {label}) is not in the guide's rehearse keys: {table:?}"
            );
        }
    }
}

/// A statement too long for a 40x12 window is not cut: it scrolls, and
/// says so, to its last word.
#[test]
fn a_card_too_long_for_the_window_scrolls_to_its_end() {
    let t0 = Instant::now();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut protocol = rehearse_fixture::protocol();
    for card in &mut protocol.scenarios {
        card.client = "I keep coming back to this, week after week, and every time we get close to it you move us on to something else, and I go home feeling like I said too much and not enough at the same time, and I don't know what to do with that.".into();
    }
    let r = Rehearsal::new(
        protocol,
        RehearseOptions::new(vec!["Ana".into(), "Ben".into()], 3),
        "20261124-090000-abcd".into(),
        started,
    )
    .unwrap();
    let mut app = RehearseApp::new(r, false);
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Enter, t0);
    let small = screen(&mut app, 40, 12, t0);
    // The statement is never cut (the card line at the top may be).
    let body: Vec<&str> = small.lines().skip(1).collect();
    assert!(!body.concat().contains('…'), "{small}");
    assert!(small.contains("PgDn more"), "{small}");
    for _ in 0..3 {
        press(&mut app, KeyCode::PageDown, t0);
        let _ = screen(&mut app, 40, 12, t0);
    }
    let end = screen(&mut app, 40, 12, t0);
    assert!(
        end.contains("that.”") && end.contains("end · lines"),
        "{end}"
    );
    // The breath and the response go on from there; the window's size
    // changes nothing.
    press(&mut app, KeyCode::Enter, t0);
    assert!(matches!(app.rehearsal.phase(), Phase::Scan(_)));
    let breath = screen(&mut app, 40, 12, t0);
    assert!(breath.contains("one breath"), "{breath}");
    press(&mut app, KeyCode::Enter, t0);
    assert!(matches!(app.rehearsal.phase(), Phase::Playing(_)));
    // Wide but below projector size: the whole statement in normal text.
    let wide = screen(&mut app, 110, 45, t0);
    assert!(wide.contains("what to do with"), "{wide}");
    assert!(wide.contains("that.”") && !wide.contains('…'), "{wide}");
    // At projector size it still fits, in big letters, nothing cut.
    let large = screen(&mut app, 160, 45, t0);
    assert!(!large.contains('…'), "{large}");
    assert!(large.contains('▀'), "{large}");
}

/// The draw keeps how far the page it drew can scroll: PgDn past the end
/// stays at the end, and the next PgUp moves back at once.
#[test]
fn pgup_after_scrolling_past_the_end_moves_back_at_once() {
    let t0 = Instant::now();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut protocol = rehearse_fixture::protocol();
    for card in &mut protocol.scenarios {
        card.client = "I keep coming back to this, week after week, and every time we get close to it you move us on to something else, and I go home feeling like I said too much and not enough at the same time, and I don't know what to do with that.".into();
    }
    let r = Rehearsal::new(
        protocol,
        RehearseOptions::new(vec!["Ana".into(), "Ben".into()], 3),
        "20261124-090000-abcd".into(),
        started,
    )
    .unwrap();
    let mut app = RehearseApp::new(r, false);
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Enter, t0);
    let top = screen(&mut app, 40, 12, t0);
    assert!(top.contains("PgDn more"), "{top}");
    let max = app.page_max;
    assert!(max > 0 && max < 20, "the page measured {max}");
    for _ in 0..8 {
        press(&mut app, KeyCode::PageDown, t0);
        let _ = screen(&mut app, 40, 12, t0);
        assert!(
            app.scroll <= app.page_max,
            "{} past {}",
            app.scroll,
            app.page_max
        );
    }
    let end = screen(&mut app, 40, 12, t0);
    assert!(end.contains("end · lines"), "{end}");
    press(&mut app, KeyCode::PageUp, t0);
    let back = screen(&mut app, 40, 12, t0);
    assert!(
        !back.contains("end · lines"),
        "one PgUp leaves the end: {back}"
    );
}

/// At projector size the statement is drawn in big letters; one that does
/// not fit so (here, a word wider than a big line) falls back to the normal
/// bold text, whole.
#[test]
fn a_projector_draws_the_statement_big_when_it_fits() {
    let t0 = Instant::now();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut protocol = rehearse_fixture::protocol();
    for card in &mut protocol.scenarios {
        card.client = "This is pneumonoultramicroscopicsilicovolcanoconiosis to me.".into();
    }
    let r = Rehearsal::new(
        protocol,
        RehearseOptions::new(vec!["Ana".into(), "Ben".into()], 3),
        "20261124-090000-abcd".into(),
        started,
    )
    .unwrap();
    let mut long = RehearseApp::new(r, false);
    press(&mut long, KeyCode::Enter, t0);
    press(&mut long, KeyCode::Enter, t0);
    let large = screen(&mut long, 160, 45, t0);
    assert!(large.contains("silicovolcanoconiosis to me.”"), "{large}");
    assert!(!large.contains('▀'), "{large}");
    // The fixture's own statement is drawn big at 160x45 and 200x60, and
    // not below projector size.
    let mut app = {
        let mut app = app();
        press(&mut app, KeyCode::Enter, t0);
        press(&mut app, KeyCode::Enter, t0);
        app
    };
    let card = app.rehearsal.round().card.clone();
    let first_word = card.client.split_whitespace().next().unwrap().to_owned();
    for (w, h) in [(160, 45), (200, 60)] {
        let text = screen(&mut app, w, h, t0);
        assert!(text.contains('▀'), "{w}x{h}:\n{text}");
        assert!(!text.contains(&first_word), "{w}x{h}:\n{text}");
    }
    for (w, h) in [(119, 45), (160, 35)] {
        let text = screen(&mut app, w, h, t0);
        assert!(!text.contains('▀'), "{w}x{h}:\n{text}");
    }
}

/// The stop question's footer and its dialog offer the same keys, and the
/// keys do what both say: `y` or Enter ends, any other key keeps going.
#[test]
fn the_stop_question_footer_and_dialog_agree_with_the_keys() {
    let t0 = Instant::now();
    let mut app = app();
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Esc, t0);
    assert!(app.asking_stop);
    for (w, h) in [(80, 24), (40, 12)] {
        let text = screen(&mut app, w, h, t0);
        let footer = text.lines().last().unwrap().trim();
        assert_eq!(
            footer, "y, Enter end now · other keys keep going",
            "{w}x{h}"
        );
        assert!(text.contains(" y, Enter  end now"), "{w}x{h}:\n{text}");
        assert!(text.contains(" other keys  keep going"), "{w}x{h}:\n{text}");
    }
    press(&mut app, KeyCode::Char('x'), t0);
    assert!(!app.asking_stop);
    assert_eq!(
        *app.rehearsal.phase(),
        Phase::Ready,
        "other keys keep going"
    );
    press(&mut app, KeyCode::Esc, t0);
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Closing, "Enter ends");
}

/// The rehearsal keeps within the walk's reading column at every width
/// around 80 columns, footer included (the projector layout's large text and
/// countdown aside, from 100 columns).
#[test]
fn the_rehearsal_keeps_the_walk_reading_width() {
    use crate::screens::{outside, reading_column};
    let t0 = Instant::now();
    let mut app = app();
    let mut states = vec![app.clone()];
    for _ in 0..8 {
        press(&mut app, KeyCode::Enter, t0);
        states.push(app.clone());
    }
    let mut asking = app.clone();
    press(&mut asking, KeyCode::Esc, t0);
    states.push(asking);
    press(&mut app, KeyCode::Esc, t0);
    press(&mut app, KeyCode::Char('y'), t0);
    states.push(app.clone());
    for (i, a) in states.iter_mut().enumerate() {
        for w in [40, 60, 76, 77, 78, 80, 83, 84, 90, 99] {
            let t = draw(a, w, 24, t0);
            let mut stray = outside(t.backend().buffer(), reading_column(w));
            // A footer with more keys than the column holds may be wider,
            // centred with a margin each side (as before).
            stray.retain(|row| {
                let Some(text) = row.strip_prefix("row 23: ") else {
                    return true;
                };
                let text = text.trim_matches('"');
                let left = text.len() - text.trim_start().len();
                let right = text.len() - text.trim_end().len();
                left < 2 || left.abs_diff(right) > 1
            });
            assert!(
                stray.is_empty(),
                "state {i} ({:?}) at {w}x24:\n{}",
                a.rehearsal.phase(),
                stray.join("\n")
            );
        }
    }
}

/// At 40x12 the first screen's seed line is not cut silently: it wraps,
/// so every word of it shows.
#[test]
fn the_seed_line_is_whole_at_40_columns() {
    let t0 = Instant::now();
    let mut app = app();
    let text = screen(&mut app, 40, 12, t0);
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    assert!(
        joined.contains("Seed 11 (--seed 11 deals the same cards again)"),
        "{text}"
    );
}

/// At warm-up the round screen shows the line to read a model aloud first,
/// then the card's first model, at every size (the projector draws the
/// statement in normal text then, so the model fits under it).
#[test]
fn at_warm_up_the_round_screen_shows_a_model_to_read_aloud_first() {
    let t0 = Instant::now();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut options = RehearseOptions::new(vec!["Ana".into(), "Ben".into()], 11);
    options.level = repair_practice::protocol::Level::WarmUp;
    options.rounds = 2;
    let r = Rehearsal::new(
        rehearse_fixture::protocol(),
        options,
        "20261124-090000-abcd".into(),
        started,
    )
    .unwrap();
    let mut app = RehearseApp::new(r, false);
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Ready);
    let card = app.rehearsal.round().card.clone();
    assert_eq!(card.level, repair_practice::protocol::Level::Beginner);
    let model = card.examples[0].says.trim();
    let opening: String = model
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    for (w, h) in [(40, 12), (80, 24), (120, 40), (160, 45), (200, 60)] {
        for now in [t0, t0 + Duration::from_secs(5)] {
            let text = screen(&mut app, w, h, now);
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains("Warm-up: first read"), "{w}x{h}:\n{text}");
            assert!(flat.contains(&opening), "{w}x{h}:\n{text}");
            assert!(
                !text.contains(rehearse_fixture::DIRECTION),
                "{w}x{h}:\n{text}"
            );
            if std::env::var_os("SHOW_SCREENS").is_some() {
                eprintln!("=== {w}x{h}\n{text}");
            }
        }
        if *app.rehearsal.phase() == Phase::Ready {
            press(&mut app, KeyCode::Enter, t0);
        }
    }
}

/// One step at a time, with the built-in protocol's step of the month (the
/// scan): the breath before the response in the drill's countdown, only the
/// scan's criteria with the line for a step inside the therapist, and the
/// client stepping out of role after a set.
#[test]
fn one_step_a_breath_and_stepping_out_of_role() {
    let t0 = Instant::now();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut options = RehearseOptions::new(vec!["Ana".into(), "Ben".into(), "Cy".into()], 11);
    options.rounds = 2;
    options.set = 1;
    options.step = Some("scan".into());
    let r = Rehearsal::new(
        repair_practice::protocol::builtin(),
        options,
        "20261124-090000-abcd".into(),
        started,
    )
    .unwrap();
    let mut app = RehearseApp::new(r, false);
    assert!(screen(&mut app, 80, 24, t0).contains("Practising one step: Pause and scan inward"));
    for _ in 0..3 {
        press(&mut app, KeyCode::Enter, t0);
    }
    assert!(matches!(app.rehearsal.phase(), Phase::Scan(_)));
    snap_all!("rehearse_breath", app, t0);
    let text = screen(&mut app, 80, 24, t0);
    assert!(text.contains("Enter end the breath"), "{text}");
    // The breath ends by itself into the response.
    app.tick(t0 + Duration::from_secs(8));
    assert!(matches!(app.rehearsal.phase(), Phase::Playing(_)));
    for _ in 0..3 {
        press(&mut app, KeyCode::Enter, t0);
    }
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Criteria));
    assert_eq!(app.rehearsal.criteria().len(), 3);
    press(&mut app, KeyCode::Char(' '), t0);
    snap_all!("rehearse_one_step_criteria", app, t0);
    let text = screen(&mut app, 80, 24, t0);
    assert!(text.contains("Pauses before answering"), "{text}");
    assert!(!text.contains("PgUp PgDn"), "one page: {text}");
    for _ in 0..3 {
        press(&mut app, KeyCode::Enter, t0);
    }
    assert_eq!(*app.rehearsal.phase(), Phase::Derole);
    snap_all!("rehearse_derole", app, t0);
    let text = screen(&mut app, 80, 24, t0);
    assert!(
        text.contains("Ben, step out of the client's role"),
        "{text}"
    );
    assert!(text.contains("Enter next set"), "{text}");
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Direction);
    assert_eq!(app.rehearsal.round().therapist, 1);
}

/// Rehearse's card, criteria and reveal in the default theme, with their
/// styled runs; the words are the monochrome screen's.
#[test]
fn rehearse_screens_in_colour() {
    use crate::screens::styled;
    use repair_practice::tui::theme::Palette;
    let t0 = Instant::now();
    let mut app = app();
    let mut shots = Vec::new();
    let mut shoot = |name: &str, app: &mut RehearseApp| {
        let colour = drawn(80, 24, |f| {
            SavesAsItGoes::draw(app, f, &Theme::new(Palette::Default), t0)
        });
        let buffer = colour.backend().buffer().clone();
        assert_eq!(text(&buffer), screen(app, 80, 24, t0), "{name}");
        shots.push((name.to_string(), styled(&buffer)));
    };
    press(&mut app, KeyCode::Enter, t0);
    shoot("direction", &mut app);
    while *app.rehearsal.phase() != Phase::Review(Stage::Criteria) {
        press(&mut app, KeyCode::Enter, t0);
    }
    press(&mut app, KeyCode::Char(' '), t0);
    shoot("criteria", &mut app);
    while *app.rehearsal.phase() != Phase::Review(Stage::Reveal) {
        press(&mut app, KeyCode::Enter, t0);
    }
    shoot("reveal", &mut app);
    for (name, screen) in shots {
        insta::assert_snapshot!(format!("rehearse_styled_{name}"), screen);
    }
}

/// The key table is the rehearsal's only source of truth: the two keys of
/// each pair (Up and Down, Left and Right, PgUp and PgDn) give commands of
/// their own, so the command alone says the direction, while F1 still
/// lists each pair once.
#[test]
fn each_direction_is_a_command_of_its_own() {
    use repair_practice::tui::rehearse::KEYS;
    let commands = |code| -> Vec<_> {
        KEYS.iter()
            .filter(|b| b.keys.iter().any(|k| k.matches(&key(code))))
            .map(|b| b.command)
            .collect()
    };
    for (one, other) in [
        (KeyCode::Up, KeyCode::Down),
        (KeyCode::Left, KeyCode::Right),
        (KeyCode::PageUp, KeyCode::PageDown),
        (KeyCode::Up, KeyCode::Tab),
    ] {
        let (one, other) = (commands(one), commands(other));
        assert!(!one.is_empty() && !other.is_empty());
        assert!(
            one.iter().all(|c| !other.contains(c)),
            "one command for both directions: {one:?} {other:?}"
        );
    }
    let listed: Vec<&str> = KEYS
        .iter()
        .filter(|b| !b.help.is_empty())
        .map(|b| b.label)
        .collect();
    for pair in ["↑ ↓ Tab", "← →", "PgUp PgDn"] {
        assert_eq!(listed.iter().filter(|l| **l == pair).count(), 1, "{pair}");
    }
}
