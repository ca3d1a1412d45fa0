//! The trainer's seat in `repair rehearse` (`--trainer`): the point's stage
//! drawn at every size (TestBackend + insta), the point kept on screen for a
//! retry and listed per trainee at the close; then end to end, plain mode
//! through pipes and the full screen through a pseudo-terminal, each with
//! its own temporary data directory.

use crate::common::{Pty, Sandbox, assert_restored, keys, run};
use crate::rehearse_fixture;
use crate::screens::{drawn, key, snap_sizes, text};

use std::time::Instant;

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use repair_practice::practice::rehearse::{Phase, Rehearsal, RehearseOptions, Stage};
use repair_practice::tui::mode::{Model, SavesAsItGoes};
use repair_practice::tui::rehearse::{RehearseApp, Row};
use repair_practice::tui::theme::Theme;

/// Ana, Ben and Cy play; Tess trains.
fn app() -> RehearseApp {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut options = RehearseOptions::new(vec!["Ana".into(), "Ben".into(), "Cy".into()], 11);
    options.rounds = 2;
    options.trainer = Some("Tess".into());
    // The trainer's part is what these screens are about: no breath.
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
            [(40, 12), (80, 24), (120, 40), (200, 60)]
        );
    };
}

fn press(app: &mut RehearseApp, code: KeyCode, now: Instant) {
    app.key(key(code), now);
}

/// Enter until the review reaches `stage`.
fn to(app: &mut RehearseApp, stage: Stage, now: Instant) {
    while *app.rehearsal.phase() != Phase::Review(stage) {
        press(app, KeyCode::Enter, now);
    }
}

/// The point's stage: the line to type on first, then the criteria the
/// observers did not tick; a pick is shown as what the therapist will see;
/// typing replaces it. The reveal leads with it, a retry keeps it under the
/// statement, and the closing lists it under the trainee.
#[test]
fn the_trainers_point_is_typed_or_picked_shown_kept_for_the_retry_and_summed_up() {
    let t0 = Instant::now();
    let mut app = app();
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Enter, t0);
    assert!(
        screen(&mut app, 80, 24, t0).contains("Trainer Tess"),
        "the trainer is named beside the roles"
    );
    to(&mut app, Stage::Criteria, t0);
    // The observers tick the first criterion.
    press(&mut app, KeyCode::Char(' '), t0);
    to(&mut app, Stage::Point, t0);
    assert_eq!(app.row(), Some(Row::Point));
    let text = screen(&mut app, 80, 24, t0);
    assert!(
        text.contains("review 5 of 6: The trainer's point"),
        "{text}"
    );
    assert!(text.contains("Tess (trainer): one point for Ana"), "{text}");
    assert!(text.contains("Next time, try:"), "{text}");
    assert!(
        !text.contains("names the client's experience as a guess"),
        "a criterion met is not offered:\n{text}"
    );
    assert!(text.contains("asks whether it fits"), "{text}");
    snap_all!("trainer_point", app, t0);
    press(&mut app, KeyCode::Down, t0);
    assert!(matches!(app.row(), Some(Row::Pick(_))));
    press(&mut app, KeyCode::Char(' '), t0);
    let text = screen(&mut app, 80, 24, t0);
    assert!(
        text.contains("(•) asks whether it fits")
            && text.contains("Ana will see: Next time, try: asks whether it fits"),
        "{text}"
    );
    snap_all!("trainer_point_picked", app, t0);
    // Typing on the line replaces the pick.
    press(&mut app, KeyCode::Up, t0);
    for c in "one breath before answering".chars() {
        press(&mut app, KeyCode::Char(c), t0);
    }
    let point = app.rehearsal.round().point.clone().expect("typed");
    assert_eq!(
        (point.text.as_str(), point.criterion),
        ("one breath before answering", None)
    );
    assert!(screen(&mut app, 80, 24, t0).contains("( ) asks whether it fits"));
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Reveal));
    let text = screen(&mut app, 80, 24, t0);
    assert!(
        text.contains("The trainer's point")
            && text.contains("Next time, try: one breath before answering"),
        "{text}"
    );
    // Shift-Tab back to the point: the line still holds what was typed.
    press(&mut app, KeyCode::BackTab, t0);
    assert_eq!(app.point_typed(), "one breath before answering");
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Char('r'), t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Ready);
    for (w, h) in [(40, 12), (80, 24), (120, 40), (200, 60)] {
        let text = screen(&mut app, w, h, t0);
        assert!(text.contains("point for Ana"), "{w}x{h}:\n{text}");
    }
    snap_all!("trainer_retry_keeps_the_point", app, t0);
    press(&mut app, KeyCode::Esc, t0);
    press(&mut app, KeyCode::Char('y'), t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Closing);
    let text = screen(&mut app, 120, 40, t0);
    assert!(
        text.contains("Trainer's point on") && text.contains("one breath before answering"),
        "{text}"
    );
    snap_all!("trainer_closing", app, t0);
    let lines = app.rehearsal.summary_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  Trainer's point for Ana on ")
                && l.ends_with("Next time, try: one breath before answering")),
        "{lines:?}"
    );
}

/// Without a trainer the review has five parts and no point's stage.
#[test]
fn without_a_trainer_there_is_no_point() {
    let t0 = Instant::now();
    let mut app = app();
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut options = RehearseOptions::new(vec!["Ana".into(), "Ben".into()], 11);
    options.rounds = 1;
    app.rehearsal = Rehearsal::new(
        rehearse_fixture::protocol(),
        options,
        "20261124-090000-abcd".into(),
        started,
    )
    .unwrap();
    to(&mut app, Stage::Feedback, t0);
    assert!(screen(&mut app, 80, 24, t0).contains("review 4 of 5"));
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Review(Stage::Reveal));
}

fn data(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

/// Plain mode: the trainer is named, plays no role, picks a point by its
/// number; the point is shown, leads the reveal, comes back on the retry's
/// first lines, is listed in the summary and saved without any name.
#[test]
fn plain_trainer_picks_a_point_that_stays_for_the_retry_and_is_saved() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let args = [
        "--data-dir",
        &dir,
        "rehearse",
        "--beats",
        "1",
        "--step",
        "all",
        "--scan-seconds",
        "0",
        "--plain",
        "--people",
        "Ana,Ben,Tess,Cy",
        "--trainer",
        "Tess",
        "--rounds",
        "1",
        "--round-seconds",
        "0",
        "--seed",
        "3",
        "--save",
    ];
    // Safety; direction; response; marker; rating; reactions; criteria 1;
    // feedback; point: 1 was met, so it is asked again, then 2; retry; the
    // retry's response and review with a typed point; next.
    let input = "\n\n\n\n\n\n1\n\n1\n2\nr\n\n\n\n\n\n\nnext time, try: slowing down\n\n";
    let out = run(&sb, &args, input.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    for line in [
        "3 people, 1 card in sets of 4, no timer.",
        "Trainer: Tess, who plays no role and gives one point after each response, before the reveal.",
        "): therapist Ana, client Ben, observer Cy, trainer Tess.",
        "Tess (trainer): one point for Ana, \"Next time, try: ...\": a criterion not met by its number, or type it (empty: none).",
        "Type the number of a criterion listed, the point in words, or an empty line for none.",
        "Point for Ana: Next time, try: Asks whether the guess fits (\"Am I close?\").",
        "The trainer's point:\n  Next time, try: Asks whether the guess fits",
        "Trainer's point for Ana: Next time, try: Asks whether the guess fits",
        "Point for Ana: Next time, try: slowing down",
        "  Trainer's point for Ana on \u{201c}",
    ] {
        assert!(stdout.contains(line), "{line:?} missing:\n{stdout}");
    }
    // The first criterion was met, so it is not offered as a point.
    let offer = stdout.find("Tess (trainer): one point").unwrap();
    let listed = &stdout[offer..stdout[offer..].find("Point for Ana").unwrap() + offer];
    assert!(!listed.contains("  1. "), "{listed}");
    assert!(listed.contains("  2. "), "{listed}");
    // The retry's heading, then the point, before the scene.
    let retry = stdout
        .find("(1 of 4 in Ana's set, try 2)")
        .expect("a retry");
    let kept = stdout[retry..]
        .find("Trainer's point for Ana: Next time, try: Asks whether")
        .expect("the point on the retry");
    let scene = stdout[retry..].find("Scene: ").expect("the scene");
    assert!(kept < scene, "{stdout}");
    let (path, json) = sb.only_session();
    let saved = std::fs::read_to_string(path).unwrap();
    for name in ["Ana", "Ben", "Cy", "Tess"] {
        assert!(!saved.contains(name), "{name} saved: {saved}");
    }
    let rounds = json["rounds"].as_array().unwrap();
    assert_eq!(rounds[0]["roles"].as_array().unwrap().len(), 3, "{json}");
    assert_eq!(
        rounds[0]["trainer_point"],
        "Asks whether the guess fits (\"Am I close?\")."
    );
    assert_eq!(rounds[0]["trainer_point_criterion"], "reflect.check");
    assert_eq!(rounds[1]["trainer_point"], "slowing down");
    assert!(rounds[1].get("trainer_point_criterion").is_none(), "{json}");
    // notes show reads the point for each round.
    let shown = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "notes",
            "show",
            json["id"].as_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(shown.code(), Some(0), "{}", shown.describe());
    assert!(
        shown
            .stdout()
            .contains("Trainer's point: Next time, try: slowing down"),
        "{}",
        shown.stdout()
    );
}

/// `--trainer` alone names the trainer "Trainer", on top of a count; a
/// trainer who leaves fewer than two to play is a one-line error.
#[test]
fn a_count_and_a_trainer_and_too_few_left_to_play() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--step",
            "all",
            "--scan-seconds",
            "0",
            "--plain",
            "--people",
            "2",
            "--trainer",
            "--rounds",
            "1",
            "--round-seconds",
            "0",
            "--seed",
            "1",
        ],
        b"\n\n\n\n\n\n\n\n\n\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(stdout.contains("2 people, 1 card"), "{stdout}");
    assert!(
        stdout.contains("therapist Person 1, client Person 2, trainer Trainer."),
        "{stdout}"
    );
    assert!(stdout.contains("No point this time."), "{stdout}");
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--step",
            "all",
            "--scan-seconds",
            "0",
            "--plain",
            "--people",
            "Ana,Tess",
            "--trainer",
            "tess",
        ],
        b"",
    );
    assert_eq!(out.code(), Some(2), "{}", out.describe());
    assert!(
        out.stderr().contains(
            "the trainer plays no role, so --people leaves 1 person to play; give at least 2 people besides the trainer"
        ),
        "{}",
        out.stderr()
    );
}

/// The full screen through a pseudo-terminal: the point's stage after the
/// feedback, a point typed, the reveal leading with it, the retry keeping
/// it, the closing listing it, and the summary printed on leaving.
#[test]
fn full_screen_trainer_gives_a_point_that_stays_for_the_retry() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--step",
            "reflect",
            "--scan-seconds",
            "0",
            "--people",
            "Ana,Ben,Cy",
            "--trainer",
            "Tess",
            "--rounds",
            "1",
            "--round-seconds",
            "0",
            "--seed",
            "4",
            "--save",
        ],
    );
    pty.wait_for_text("Play each card as written");
    pty.send(keys::ENTER);
    pty.wait_for_text("look away");
    pty.send(keys::ENTER);
    pty.wait_for_text("Trainer Tess");
    pty.send(keys::ENTER);
    pty.send(keys::ENTER);
    pty.wait_for_text("review 1 of 6");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 2 of 6");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 3 of 6");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 4 of 6");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "review 5 of 6: The trainer's point",
            "Tess (trainer): one point for Ana",
            "type · Enter next",
        ],
        &[],
    );
    pty.type_text("naming the pull to explain");
    pty.wait_for_text("Ana will see: Next time, try: naming the pull to explain");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "review 6 of 6",
            "The trainer's point",
            "Next time, try: naming the pull to explain",
        ],
        &[],
    );
    pty.send("r");
    pty.wait_for_all(
        &[
            "try 2",
            "The trainer's point for Ana:",
            "Next time, try: naming the pull to explain",
        ],
        &[],
    );
    pty.send(keys::ESC);
    pty.wait_for_text("End the rehearsal now");
    pty.send("y");
    pty.wait_for_all(&["Rehearsal over", "Trainer's point on"], &[]);
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    assert!(
        pty.screen().contains("Trainer's point for Ana on"),
        "the printed summary lists the point: {}",
        pty.dump()
    );
    let (path, json) = sb.only_session();
    let saved = std::fs::read_to_string(path).unwrap();
    assert!(!saved.contains("Tess"), "{saved}");
    assert_eq!(
        json["rounds"][0]["trainer_point"],
        "naming the pull to explain"
    );
}

/// Recording in the full screen, drawn: the consent question at the
/// therapist's first card (its choices are the table's rows), and the
/// marker on the card's top line while the response is recorded. The
/// recorder is `true` (it records nothing), in a store of its own.
#[test]
fn the_consent_question_and_the_recording_marker() {
    use repair_practice::journal::Store;
    use repair_practice::journal::audio::{Recorder, Tool};
    let t0 = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let recorder = Recorder {
        audio: store.audio("20261124-090000-abcd").unwrap(),
        tool: Tool::from_setting("true").unwrap(),
        player: None,
    };
    let mut app = app().with_recorder(Some(recorder));
    assert!(screen(&mut app, 80, 24, t0).contains("Recording is on (true)"));
    press(&mut app, KeyCode::Enter, t0);
    press(&mut app, KeyCode::Enter, t0);
    assert!(app.asking_consent());
    let text = screen(&mut app, 80, 24, t0);
    assert!(
        text.contains("Ana, may your responses be recorded") && text.contains("y  record"),
        "{text}"
    );
    snap_all!("record_consent", app, t0);
    press(&mut app, KeyCode::Char('y'), t0);
    assert!(!app.asking_consent());
    assert_eq!(app.consent.get(&0), Some(&true));
    press(&mut app, KeyCode::Enter, t0);
    assert!(app.recording_now());
    let text = screen(&mut app, 80, 24, t0);
    assert!(text.contains("● Recording · Card 1 of 2"), "{text}");
    snap_sizes!(
        "record_marker",
        |w, h| draw(&mut app, w, h, t0),
        [(40, 12), (80, 24)]
    );
    press(&mut app, KeyCode::Enter, t0);
    assert!(
        !app.recording_now(),
        "the response ended, so did the recording"
    );
    let text = screen(&mut app, 80, 24, t0);
    assert!(text.contains("Nothing was recorded."), "{text}");
    assert!(!text.contains("p play back"), "nothing to play: {text}");
}

fn any_key() -> impl proptest::strategy::Strategy<Value = ratatui::crossterm::event::KeyEvent> {
    use proptest::prelude::*;
    prop_oneof![
        4 => Just(key(KeyCode::Enter)),
        1 => Just(key(KeyCode::Esc)),
        2 => Just(key(KeyCode::Char(' '))),
        1 => Just(key(KeyCode::Char('r'))),
        1 => Just(key(KeyCode::Char('y'))),
        1 => Just(key(KeyCode::Char('p'))),
        1 => Just(key(KeyCode::Left)),
        1 => Just(key(KeyCode::Right)),
        2 => Just(key(KeyCode::Up)),
        2 => Just(key(KeyCode::Down)),
        1 => Just(key(KeyCode::BackTab)),
        1 => Just(key(KeyCode::Backspace)),
        1 => Just(key(KeyCode::F(1))),
        1 => proptest::char::range('a', 'z').prop_map(|c| key(KeyCode::Char(c))),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::common::proptest_cases(48)))]

    /// The screen with a trainer (or none) under random keys at random
    /// sizes: nothing panics; the point on screen is always the current
    /// therapist's; on the point's stage the typed line and the model agree
    /// (a typed point is what the line holds, trimmed).
    #[test]
    fn random_keys_with_a_trainer_keep_the_point_with_its_therapist(
        keys in proptest::collection::vec(any_key(), 0..250),
        w in 40u16..170, h in 12u16..50, trainer in proptest::prelude::any::<bool>(),
    ) {
        let t0 = Instant::now();
        let mut app = app();
        if !trainer {
            let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
            let mut options = RehearseOptions::new(vec!["Ana".into(), "Ben".into(), "Cy".into()], 11);
            options.rounds = 2;
            app.rehearsal = Rehearsal::new(
                rehearse_fixture::protocol(),
                options,
                "20261124-090000-abcd".into(),
                started,
            )
            .unwrap();
        }
        for k in keys {
            let _ = app.key(k, t0);
            let _ = draw(&mut app, w, h, t0);
            proptest::prop_assert!(app.cursor < app.rows().len().max(1));
            if let Some((seat, _)) = app.rehearsal.point_on_screen() {
                proptest::prop_assert_eq!(seat, app.rehearsal.round().therapist);
            }
            if !trainer {
                proptest::prop_assert!(app.rehearsal.round().point.is_none());
            }
            if app.row() == Some(Row::Point)
                && let Some(point) = &app.rehearsal.round().point
                && point.criterion.is_none()
            {
                proptest::prop_assert!(app.point_typed().contains(point.text.as_str()));
            }
            if *app.rehearsal.phase() == Phase::Closing {
                break;
            }
        }
    }
}
