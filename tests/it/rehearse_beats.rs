//! `repair rehearse` with a second beat (`--beats`, the client's next line
//! and a second response) and improvised segments (`--improvise`): plain
//! mode through pipes, the full screen through a pseudo-terminal, the new
//! screens snapshotted on ratatui's TestBackend, and random keys on the
//! screen model with both turned on. Each test has its own data directory;
//! waits poll for conditions, never for a time.

use crate::common;
use crate::rehearse_fixture;
use crate::screens::{drawn, key, snap_sizes, text};

use std::time::{Duration, Instant};

use chrono::DateTime;
use common::{Pty, Sandbox, assert_restored, keys, run};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use repair_practice::practice::rehearse::{Improv, Phase, Rehearsal, RehearseOptions, Stage};
use repair_practice::tui::mode::{Model, SavesAsItGoes, SavingEffect};
use repair_practice::tui::rehearse::RehearseApp;
use repair_practice::tui::theme::Theme;

const STARTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/steps/starter.toml");
const RIGHT: &str = "\x1b[C";

fn data(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

/// `rehearse --plain` on the starter deck (one card, with both next
/// lines), no timer, two people, saved; `extra` flags after.
fn plain(sb: &Sandbox, extra: &[&str], input: &str) -> common::Output {
    let dir = data(sb);
    let mut args = vec![
        "--data-dir",
        dir.as_str(),
        "rehearse",
        "--step",
        "all",
        "--scan-seconds",
        "0",
        "--plain",
        "--protocol",
        STARTER,
        "--people",
        "Ana,Ben",
        "--round-seconds",
        "0",
        "--seed",
        "3",
        "--save",
    ];
    args.extend_from_slice(extra);
    run(sb, &args, input.as_bytes())
}

/// The review's five answers with their defaults, then the next card.
const REVIEW: &str = "\n\n\n\n\n\n";

#[test]
fn plain_second_beat_gives_the_lines_at_the_direction_asks_which_was_played_and_saves_it() {
    let sb = Sandbox::new();
    // Safety, direction, first response; a bad answer, then "soften"; the
    // second response; the review.
    let input = format!("\n\n\n7\n2\n\n{REVIEW}");
    let out = plain(&sb, &["--rounds", "1"], &input);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let at = |needle: &str| {
        stdout
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing:\n{stdout}"))
    };
    // The lines go to the client player privately, with the direction,
    // before the card is shown to everyone.
    assert!(
        at("Direction (client only): You felt brushed aside.")
            < at("After the first response, say the line that fits, or improvise (client only):")
    );
    assert!(
        at("  If the therapist defends or explains: \"I said it's fine.\"")
            < at("Client: \"It's fine.")
    );
    assert!(
        at("  If the therapist owns their part or validates: \"I guess it did feel")
            < at("Client: \"It's fine.")
    );
    // After the first response: which line was played, then the second.
    assert!(
        at("Response over.")
            < at(
                "Ben, say the line that fits, or improvise; then Ana answers once more. Which did you play? 1 escalate, 2 soften, 3 improvised (empty: not marked)."
            )
    );
    at("Type a number from 1 to 3, the word, or an empty line for not marked.");
    assert!(
        at("No timer. Press Enter when the second response is done.")
            < at("Ana, what did you see?")
    );
    // The review says which line was played.
    assert!(
        at(
            "The second beat:\n  The client played the line for when the therapist owns their part or validates: \u{201c}I guess it did feel"
        ) < at("Model responses")
    );
    let (_, json) = sb.only_session();
    let round = &json["rounds"][0];
    assert_eq!(round["beats"], 2, "{json}");
    assert_eq!(round["continuation"], "soften", "{json}");
}

#[test]
fn plain_card_without_next_lines_has_one_response_and_says_so() {
    let sb = Sandbox::new();
    let starter = std::fs::read_to_string(STARTER).unwrap();
    let without: String = starter
        .lines()
        .filter(|l| !l.starts_with("escalate =") && !l.starts_with("soften ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = sb.write("no-lines.toml", without);
    let dir = data(&sb);
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--step",
            "all",
            "--scan-seconds",
            "0",
            "--plain",
            "--protocol",
            &path.display().to_string(),
            "--people",
            "2",
            "--rounds",
            "1",
            "--round-seconds",
            "0",
            "--save",
        ],
        format!("\n\n\n{REVIEW}").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(
        stdout.contains("This card has no next line for the client: one response."),
        "{stdout}"
    );
    assert!(!stdout.contains("Which did you play?"), "{stdout}");
    assert!(!stdout.contains("The second beat"), "{stdout}");
    let (_, json) = sb.only_session();
    assert_eq!(json["rounds"][0]["beats"], 1, "{json}");
    assert!(json["rounds"][0].get("continuation").is_none(), "{json}");
}

#[test]
fn plain_improvised_segment_after_each_set_is_rated_skippable_and_saved() {
    let sb = Sandbox::new();
    // Sets of one: card 1 (Ana), its segment rated 10 (a bad rating
    // first); card 2 (Ben) and card 3 (Ana again), their segments skipped.
    let card = format!("\n\n{REVIEW}");
    // An empty line after each set but the last: the client steps out of
    // the role.
    let input = format!("\n{card}\n\n11\n10\n\n{card}s\n\n{card}s\n");
    let out = plain(
        &sb,
        &[
            "--beats",
            "1",
            "--set",
            "1",
            "--rounds",
            "3",
            "--improvise",
            "2",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let at = |needle: &str| {
        stdout
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing:\n{stdout}"))
    };
    assert!(
        at("Enter: next card; r: the same card again")
            < at(
                "Improvised segment (2 minutes): Ben goes on freely from the last scene, as that client; Ana responds."
            )
    );
    at("Last scene: Halfway through a session.");
    at("Last line: \"It's fine. Whatever.");
    at("Keep doing: ");
    at("Press Enter to start the improvised segment (s: skip).");
    at("Improvising: 2 minutes. Press Enter to end it early.");
    at("How hard was the improvised segment, from 0 (easy) to 10 (very hard)? (empty: 5)");
    at("Improvised segment rated 10: kept; it does not move a level.");
    assert!(
        at("Improvised segment (2 minutes): Ana goes on freely") < at("Skipped."),
        "{stdout}"
    );
    assert!(stdout.contains("Ana (seat 1): ") && stdout.contains("improvised, rated 10"));
    assert_eq!(stdout.matches("improvised, rated").count(), 1, "{stdout}");
    let (_, json) = sb.only_session();
    let kept = json["improvised"].as_array().expect("improvised saved");
    assert_eq!(kept.len(), 1, "{json}");
    assert_eq!(kept[0]["after_round"], 1);
    assert_eq!(kept[0]["therapist_seat"], 1);
    assert_eq!(kept[0]["minutes"], 2);
    assert_eq!(kept[0]["rating"], 10);
    assert_eq!(kept[0]["roles"], serde_json::json!(["therapist", "client"]));
    // A 10 on a card would move Ana's next card down to warm-up; on the
    // segment it moves nothing: her second card is dealt at beginner.
    let rounds = json["rounds"].as_array().unwrap();
    assert_eq!(rounds[2]["therapist_seat"], 1, "{json}");
    assert_eq!(rounds[2]["therapist_level"], "beginner", "{json}");
}

#[test]
fn beats_and_improvise_out_of_range_are_refused_in_one_line() {
    let sb = Sandbox::new();
    for (flag, value) in [("--beats", "3"), ("--beats", "0"), ("--improvise", "11")] {
        let out = run(&sb, &["rehearse", "--plain", flag, value], b"");
        assert_eq!(out.code(), Some(2), "{}", out.describe());
        assert!(
            out.stderr().contains(flag) && out.stderr().contains(value),
            "{}",
            out.describe()
        );
    }
}

/// The full screen: the lines at the direction, which line was played
/// (Right: escalate), the second response, the reveal saying so, then the
/// improvised segment started, ended and rated 7, and the closing.
#[test]
fn full_screen_second_beat_then_an_improvised_segment() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--step",
            "reflect",
            "--scan-seconds",
            "0",
            "--protocol",
            STARTER,
            "--people",
            "Ana,Ben",
            "--rounds",
            "1",
            "--round-seconds",
            "0",
            "--improvise",
            "1",
            "--seed",
            "4",
            "--save",
        ],
    );
    pty.wait_for_text("Play each card as written");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "After the first response, say the line that fits",
            "defends or explains: “I said it's fine.”",
        ],
        &[],
    );
    pty.send(keys::ENTER);
    pty.wait_for_all(&["response 1 of 2", "Enter start"], &["I said it's fine"]);
    pty.send(keys::ENTER);
    pty.wait_for_text("Enter end the response");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "the client's next line",
            "‹not marked›",
            "Enter second response",
        ],
        &[],
    );
    pty.send(RIGHT);
    pty.wait_for_text("‹escalate›");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["response 2 of 2"], &["‹escalate›"]);
    pty.send(keys::ENTER);
    pty.wait_for_text("review 1 of 5");
    for _ in 0..4 {
        pty.send(keys::ENTER);
    }
    pty.wait_for_all(
        &[
            "review 5 of 5",
            "The second beat",
            "The client played the line for when the therapist defends",
        ],
        &[],
    );
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "Improvised segment · Ana's set is done",
            "s skip",
            "Enter start",
        ],
        &[],
    );
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Improvising", "What to keep doing", "Space hold"], &[]);
    pty.send(keys::ENTER);
    pty.wait_for_text("how hard was it?");
    pty.send(RIGHT);
    pty.send(RIGHT);
    pty.wait_for_text("[7]");
    pty.send(keys::ENTER);
    pty.wait_for_text("Rehearsal over");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    let (_, json) = sb.only_session();
    assert_eq!(json["rounds"][0]["continuation"], "escalate", "{json}");
    assert_eq!(json["rounds"][0]["beats"], 2, "{json}");
    assert_eq!(json["improvised"][0]["rating"], 7, "{json}");
}

/// `s` skips the improvised segment, and nothing of it is kept.
#[test]
fn full_screen_s_skips_the_improvised_segment() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--step",
            "reflect",
            "--scan-seconds",
            "0",
            "--protocol",
            STARTER,
            "--people",
            "2",
            "--rounds",
            "1",
            "--round-seconds",
            "0",
            "--beats",
            "1",
            "--improvise",
            "10",
            "--save",
        ],
    );
    pty.wait_for_text("Play each card as written");
    for _ in 0..3 {
        pty.send(keys::ENTER);
    }
    pty.wait_for_text("Enter end the response");
    pty.send(keys::ENTER);
    pty.wait_for_text("review 1 of 5");
    for _ in 0..5 {
        pty.send(keys::ENTER);
    }
    pty.wait_for_all(&["Improvised segment", "10 minutes", "s skip"], &[]);
    pty.send("s");
    pty.wait_for_all(&["Rehearsal over"], &["Improvised segment"]);
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    let (_, json) = sb.only_session();
    assert!(json.get("improvised").is_none(), "{json}");
    assert_eq!(json["rounds"][0]["beats"], 1, "{json}");
}

/// Two people on the fixture deck (every card with both next lines), two
/// beats, and an improvised segment of `minutes` after each set of one.
fn app(minutes: u32) -> RehearseApp {
    let started = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+01:00").unwrap();
    let mut options = RehearseOptions::new(vec!["Ana".into(), "Ben".into()], 11);
    options.rounds = 2;
    options.set = 1;
    options.beats = 2;
    options.improvise_minutes = minutes;
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
            [(80, 24), (40, 12), (160, 45)]
        )
    };
}

fn press(app: &mut RehearseApp, code: KeyCode, now: Instant) {
    app.key(key(code), now);
}

/// Enter until `phase`.
fn until(app: &mut RehearseApp, phase: impl Fn(&Phase) -> bool, now: Instant) {
    for _ in 0..40 {
        if phase(app.rehearsal.phase()) {
            return;
        }
        press(app, KeyCode::Enter, now);
    }
    panic!("never reached: at {:?}", app.rehearsal.phase());
}

#[test]
fn the_direction_gives_the_client_player_the_next_lines_and_the_card_hides_them() {
    let t0 = Instant::now();
    let mut app = app(0);
    press(&mut app, KeyCode::Enter, t0);
    assert_eq!(*app.rehearsal.phase(), Phase::Direction);
    snap_all!("rehearse_beats_direction", app, t0);
    let card = app.rehearsal.round().card.clone();
    let escalate = card.escalate.as_deref().unwrap().trim();
    assert!(screen(&mut app, 160, 45, t0).contains(escalate));
    press(&mut app, KeyCode::Enter, t0);
    let shared = screen(&mut app, 160, 45, t0);
    assert!(!shared.contains(escalate), "{shared}");
    assert!(shared.contains("response 1 of 2"), "{shared}");
}

#[test]
fn between_the_responses_the_screen_asks_which_line_was_played() {
    let t0 = Instant::now();
    let mut app = app(0);
    until(&mut app, |p| *p == Phase::Continuation, t0);
    snap_all!("rehearse_beats_which_line", app, t0);
    press(&mut app, KeyCode::Right, t0);
    press(&mut app, KeyCode::Right, t0);
    snap_sizes!(
        "rehearse_beats_which_line_soften",
        |w, h| draw(&mut app, w, h, t0),
        [(80, 24)]
    );
    press(&mut app, KeyCode::Enter, t0);
    assert!(screen(&mut app, 80, 24, t0).contains("response 2 of 2"));
    until(&mut app, |p| *p == Phase::Review(Stage::Reveal), t0);
    let reveal = screen(&mut app, 160, 45, t0);
    assert!(reveal.contains("The second beat"), "{reveal}");
    assert!(
        reveal.contains("The client played the line for when the therapist owns"),
        "{reveal}"
    );
}

#[test]
fn the_improvised_segment_offers_runs_with_criteria_and_is_rated() {
    let t0 = Instant::now();
    let mut app = app(3);
    until(&mut app, |p| *p == Phase::Improvise(Improv::Offer), t0);
    snap_all!("rehearse_improvise_offer", app, t0);
    press(&mut app, KeyCode::Enter, t0);
    let later = t0 + Duration::from_secs(75);
    app.tick(later);
    snap_all!("rehearse_improvise_running", app, later);
    press(&mut app, KeyCode::Char(' '), later);
    assert!(screen(&mut app, 80, 24, later).contains("1:45 held"));
    app.tick(t0 + Duration::from_secs(600));
    assert!(
        matches!(
            app.rehearsal.phase(),
            Phase::Improvise(Improv::Playing(Some(_)))
        ),
        "held: the time does not run out"
    );
    press(&mut app, KeyCode::Enter, later);
    press(&mut app, KeyCode::Right, later);
    snap_all!("rehearse_improvise_rating", app, later);
    assert_eq!(app.key(key(KeyCode::Enter), later), SavingEffect::Save);
    assert_eq!(app.rehearsal.improvisations()[0].rating, 6);
    // Then the client steps out of the role before the next set.
    assert_eq!(*app.rehearsal.phase(), Phase::Derole);
    press(&mut app, KeyCode::Enter, later);
    assert_eq!(*app.rehearsal.phase(), Phase::Direction);
}

fn any_key() -> impl Strategy<Value = KeyEvent> {
    prop_oneof![
        4 => Just(KeyCode::Enter),
        2 => Just(KeyCode::Right),
        1 => Just(KeyCode::Left),
        1 => Just(KeyCode::Up),
        1 => Just(KeyCode::Down),
        1 => Just(KeyCode::BackTab),
        1 => Just(KeyCode::Char(' ')),
        1 => Just(KeyCode::Char('s')),
        1 => Just(KeyCode::Char('r')),
        1 => Just(KeyCode::Char('q')),
        1 => Just(KeyCode::Esc),
        1 => Just(KeyCode::F(1)),
        1 => Just(KeyCode::PageDown),
    ]
    .prop_map(|code| KeyEvent::new(code, KeyModifiers::NONE))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random keys with two beats and improvised segments, at random
    /// sizes: nothing panics, the focused row is one of the stage's, the
    /// rating of a segment stays 0-10, only the closing screen is left,
    /// and a segment's rating never moves a level.
    #[test]
    fn random_keys_with_beats_and_improvisation_hold(
        keys in proptest::collection::vec(any_key(), 0..150),
        w in 40u16..170, h in 12u16..50, secs in 0u64..400, minutes in 1u32..=10,
    ) {
        let t0 = Instant::now();
        let mut app = app(minutes);
        for (i, k) in keys.into_iter().enumerate() {
            let now = t0 + Duration::from_secs(secs * i as u64 / 20);
            app.tick(now);
            let closing = *app.rehearsal.phase() == Phase::Closing;
            let improvising = matches!(app.rehearsal.phase(), Phase::Improvise(_));
            let levels = app.rehearsal.levels().to_vec();
            let effect = app.key(k, now);
            let _ = draw(&mut app, w, h, now);
            if effect == SavingEffect::Quit {
                prop_assert!(closing, "{:?} quit from {:?}", k, app.rehearsal.phase());
                break;
            }
            if improvising {
                prop_assert_eq!(&levels, app.rehearsal.levels());
            }
            prop_assert!(app.cursor < app.rows().len().max(1));
            prop_assert!(app.rehearsal.improvise_rating() <= 10);
            let round = app.rehearsal.round();
            prop_assert!(round.beat >= 1 && round.beat <= round.beats);
        }
    }
}
