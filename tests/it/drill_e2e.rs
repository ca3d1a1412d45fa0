//! `repair drill` end to end: plain mode through pipes, the full screen
//! through a pseudo-terminal, the schedule across sessions, and the drill
//! fields through export and import. Each test has its own temporary data
//! directory; waits poll for conditions, never for a time.

use crate::common;

use common::{Pty, Sandbox, keys, run};

fn fixture() -> String {
    format!(
        "{}/tests/fixtures/drill-protocol.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn data(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

/// `drill --plain` on the fixture, no response timer, with `extra` flags.
fn drill(sb: &Sandbox, extra: &[&str], input: &str) -> common::Output {
    let dir = data(sb);
    let protocol = fixture();
    let mut args = vec![
        "--data-dir",
        dir.as_str(),
        "drill",
        "--plain",
        "--protocol",
        protocol.as_str(),
        "--scan-seconds",
        "1",
        "--respond-seconds",
        "0",
    ];
    args.extend_from_slice(extra);
    run(sb, &args, input.as_bytes())
}

/// One attempt's answers on the reflect step (three criteria, no
/// self-report): breath, response, marker, criteria, rating.
fn attempt(marker: &str, criteria: &str, rating: &str) -> String {
    format!("\n\n{marker}\n{criteria}\n{rating}\n")
}

/// The long marker list is printed once; each later card and retry gets a
/// one-line reminder, and `?` prints the list again before the answer.
/// The reveal says how a rupture of the card's kind tends to resolve in the
/// same words as rehearse's reveal (one wording, made in `practice/`).
#[test]
fn plain_drill_reveal_says_how_the_kind_tends_to_resolve() {
    let sb = Sandbox::new();
    let out = drill(
        &sb,
        &["--cards", "1", "--seed", "3", "--step", "reflect"],
        &attempt("", "", "5"),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("How a "))
        .expect("the resolution line");
    assert!(
        line.starts_with("How a withdrawal tends to resolve: Invite the feeling")
            || line.starts_with("How a confrontation tends to resolve: Step out of"),
        "{line:?} in:\n{stdout}"
    );
    assert!(!stdout.contains("rupture resolves"), "{stdout}");
}

#[test]
fn plain_drill_lists_the_markers_once_then_reminds() {
    let sb = Sandbox::new();
    let input = [
        attempt("1", "", "6a"),
        attempt("?\n2", "", "5"),
        attempt("", "", "5"),
    ]
    .concat();
    let out = drill(
        &sb,
        &["--cards", "2", "--seed", "3", "--step", "reflect"],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let listed = stdout
        .lines()
        .filter(|l| *l == "  1. withdrawal, not sure which marker")
        .count();
    // Once at the first card, once more for the `?`.
    assert_eq!(listed, 2, "{stdout}");
    let reminders = stdout
        .lines()
        .filter(|l| *l == "markers: ? for the list")
        .count();
    assert_eq!(reminders, 2, "the retry and the second card: {stdout}");
    let first_question = stdout
        .find("Which marker did you see?")
        .expect("the question");
    assert!(
        !stdout[..first_question].contains("markers: ? for the list"),
        "{stdout}"
    );
    let (_, json) = sb.only_session();
    assert_eq!(json["drill_cards"][1]["marker_guess"], "denial", "{json}");
}

#[test]
fn plain_drill_runs_cards_retries_and_saves_every_field() {
    let sb = Sandbox::new();
    let input = [
        attempt("1", "1 2", "9"),
        attempt("", "", "6a"),
        attempt("", "1 2 3", "2"),
    ]
    .concat();
    let out = drill(
        &sb,
        &["--cards", "2", "--seed", "3", "--step", "reflect"],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    for line in [
        "Drill: Drill fixture",
        "Up to 2 cards or 15 minutes, whichever comes first. Seed 3 (give --seed 3 to deal the same cards again).",
        "Drilling the step \"Reflect tentatively, and check\".",
        "Card 1 of 2 (new)",
        "One breath (1 second): What do I notice in me, right now? (Enter goes on)",
        "Respond out loud now. Press Enter when done.",
        "Which marker did you see? Its number (empty: not sure).",
        "  1. withdrawal, not sure which marker",
        "Criteria for the step \"Reflect tentatively, and check\":",
        "  1. Names the client's experience as a guess.",
        "Which criteria did your response meet? Their numbers, like 1 3 (empty: none).",
        "How hard was it, 0 to 10? Add a to try this card again, like 7a (empty: 5).",
        "The same card again, now.",
        "Card 2 of 2 (again)",
        "Summary: 2 cards, 3 attempts.",
        // The second card's first try was answered "not sure".
        "; marker: not sure.",
    ] {
        assert!(stdout.contains(line), "{line:?} missing:\n{stdout}");
    }
    assert!(
        stdout.contains("; 8 or more moves down, 3 or less up."),
        "the rule is stated when it moves:\n{stdout}"
    );
    let (_, json) = sb.only_session();
    assert_eq!(json["mode"], "drill");
    assert_eq!(json["drill"], "reflect");
    assert_eq!(json["complete"], true);
    let cards = json["drill_cards"].as_array().unwrap();
    assert_eq!(cards.len(), 3);
    let first = &cards[0];
    assert_eq!(first["attempt"], 1);
    assert_eq!(first["rating"], 9);
    assert_eq!(
        first["criteria_met"],
        serde_json::json!([
            "Names the client's experience as a guess.",
            "Asks whether it fits."
        ])
    );
    assert_eq!(
        first["criteria_missed"],
        serde_json::json!(["Stops and listens to the answer."])
    );
    // The fixture writes its criteria as plain text, as files did before
    // criteria had ids: each is saved under its place in the step's list.
    assert_eq!(
        first["criteria_met_ids"],
        serde_json::json!(["reflect.1", "reflect.2"])
    );
    assert_eq!(
        first["criteria_missed_ids"],
        serde_json::json!(["reflect.3"])
    );
    assert_eq!(first["marker_guess"], "withdrawal");
    assert!(first["marker_right"].is_boolean());
    assert!(first["respond_seconds"].is_u64());
    assert!(first.get("response").is_none(), "spoken: no response field");
    // The second card, then its retry: the same card, a second attempt.
    assert_ne!(cards[1]["card"], cards[0]["card"]);
    assert_eq!(cards[1]["number"], 2);
    assert_eq!(cards[1]["marker_guess"], serde_json::Value::Null);
    assert_eq!(cards[2]["card"], cards[1]["card"]);
    assert_eq!(cards[2]["number"], 2);
    assert_eq!(cards[2]["attempt"], 2);
    assert_eq!(
        cards[2]["criteria_met"].as_array().unwrap().len(),
        3,
        "a fresh assessment for the retry"
    );
}

#[test]
fn the_reveal_shows_the_criteria_each_model_meets_and_ticks_are_saved_by_id() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let args = [
        "--data-dir",
        dir.as_str(),
        "drill",
        "--plain",
        "--scan-seconds",
        "1",
        "--respond-seconds",
        "0",
        "--cards",
        "1",
        "--step",
        "reflect",
        // One card without a content note (whose Enter would take a line
        // of the answers below), the same every run.
        "--seed",
        "3",
    ];
    let out = run(&sb, &args, attempt("", "1 3", "5").as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    // Under each model of the built-in deck: what it meets, and its strategy.
    let models = stdout
        .split("Model responses (models, not scripts):")
        .nth(1)
        .expect("the reveal shows model responses");
    let mut lines = models
        .trim_start_matches('\n')
        .lines()
        .take_while(|l| l.starts_with("  "));
    let first = lines.next().expect("a model");
    assert!(first.starts_with("  - \""), "{stdout}");
    let meets = lines.next().expect("the line under it");
    assert!(
        meets.starts_with("    Meets: reflect.guess, reflect.check, reflect.room")
            && meets.contains(". Strategy: "),
        "{meets:?} in:\n{stdout}"
    );
    let (_, json) = sb.only_session();
    let card = &json["drill_cards"][0];
    assert_eq!(
        card["criteria_met_ids"],
        serde_json::json!(["reflect.guess", "reflect.room"])
    );
    assert_eq!(
        card["criteria_missed_ids"],
        serde_json::json!(["reflect.check"])
    );
}

#[test]
fn plain_drill_typed_with_the_self_report_and_defaults_on_empty_lines() {
    let sb = Sandbox::new();
    // The fixture's focus is the scan, which observers cannot see: alone,
    // the trainee checks its criteria and writes what they noticed. Bad
    // answers are asked again.
    let input = "\nI hear that you felt pushed.\n99\n\n1\nshoulders up\nten\n\n";
    let out = drill(&sb, &["--cards", "1", "--seed", "1", "--type"], input);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    for line in [
        "Drilling the step \"Pause and scan inward\".",
        "Type each response on one line.",
        "Your response, one line:",
        "Give a number from 0 to 17, or an empty line for not sure.",
        "What did I notice in my body, my feelings, my urge? One line (empty: nothing noted).",
        "Type a number from 0 to 10 (optionally with a, like 7a), or an empty line for 5.",
        "Rated 5:",
    ] {
        assert!(stdout.contains(line), "{line:?} missing:\n{stdout}");
    }
    assert!(
        stdout.contains(
            "  1. Slows down before answering.\n  2. Can name one thing they noticed in themselves."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("Which criteria did your response meet?"),
        "{stdout}"
    );
    assert!(stdout.contains("rated 5; 1 of 2 criteria met"), "{stdout}");
    let (_, json) = sb.only_session();
    let card = &json["drill_cards"][0];
    assert_eq!(card["response"], "I hear that you felt pushed.");
    assert_eq!(card["self_report"], "shoulders up");
    assert_eq!(card["rating"], 5);
    // Saved by criterion id, like every other step's self-check.
    assert_eq!(card["criteria_met_ids"], serde_json::json!(["scan.1"]));
    assert_eq!(card["criteria_missed_ids"], serde_json::json!(["scan.2"]));
}

#[test]
fn plain_drill_with_no_save_keeps_nothing_and_end_of_input_stops() {
    let sb = Sandbox::new();
    let out = drill(&sb, &["--no-save", "--seed", "2"], "\n\n");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stdout().contains("Input ended; stopping here."));
    assert!(out.stdout().contains("Summary: 0 cards, 0 attempts."));
    assert!(out.stdout().contains(repair_practice::journal::SAVING_OFF));
    assert!(sb.session_files().is_empty());
    // Saving, but no card assessed: nothing to keep.
    let out = drill(&sb, &["--seed", "2"], "\n");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("Nothing to save: no card was assessed.")
    );
    assert!(sb.session_files().is_empty());
}

/// A saved drill from `days_ago` days back, first attempts at these cards
/// with (rating, criteria met, criteria missed).
fn past_drill(days_ago: i64, cards: &[(&str, u8, usize, usize)]) -> serde_json::Value {
    let at = chrono::Local::now().fixed_offset() - chrono::Duration::days(days_ago);
    let records: Vec<serde_json::Value> = cards
        .iter()
        .enumerate()
        .map(|(i, (card, rating, met, missed))| {
            serde_json::json!({
                "number": i + 1,
                "card": card,
                "kind": "withdrawal",
                "level": "beginner",
                "attempt": 1,
                "rating": rating,
                "criteria_met": vec!["met"; *met],
                "criteria_missed": vec!["missed"; *missed],
                "marker_guess": null,
                "marker_right": false,
                "respond_seconds": 20,
                "next_level": "beginner",
            })
        })
        .collect();
    serde_json::json!({
        "id": format!("{}-090000-00aa", at.format("%Y%m%d")),
        "mode": "drill",
        "protocol": "drill-fixture",
        "protocol_title": "Drill fixture",
        "drill": null,
        "started_at": at.to_rfc3339(),
        "finished_at": at.to_rfc3339(),
        "complete": true,
        "steps": [],
        "drill_cards": records,
    })
}

#[test]
fn the_next_day_the_card_you_struggled_with_comes_back_first() {
    for seed in ["1", "2", "3"] {
        let sb = Sandbox::new();
        sb.put_sessions(&[past_drill(
            1,
            &[("quiet-yes", 2, 3, 0), ("whatever-you-think", 9, 1, 2)],
        )]);
        // Breath, response, marker, the scan's criteria, the self-report,
        // the rating.
        let input = "\n\n\n\n\n\n";
        let out = drill(&sb, &["--cards", "1", "--seed", seed], input);
        assert_eq!(out.code(), Some(0), "{}", out.describe());
        let stdout = out.stdout();
        assert!(stdout.contains("Card 1 of 1 (due)"), "{stdout}");
        // The summary names the card by its client line, not its id.
        let client = repair_practice::protocol::builtin()
            .scenarios
            .iter()
            .find(|c| c.id == "whatever-you-think")
            .map(|c| repair_practice::practice::drill::card_name(&c.client))
            .unwrap();
        assert!(
            stdout.contains(&format!("Card 1 try 1: {client} (")),
            "seed {seed}:\n{stdout}"
        );
        assert!(!stdout.contains("whatever-you-think"), "{stdout}");
    }
}

#[test]
fn drill_sessions_survive_export_and_import_and_read_as_markdown() {
    let sb = Sandbox::new();
    let input = [attempt("1", "1", "8"), attempt("", "1 2 3", "3")].concat();
    let out = drill(
        &sb,
        &["--cards", "2", "--seed", "3", "--step", "reflect"],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let (_, original) = sb.only_session();
    let dir = data(&sb);
    let export = run(
        &sb,
        &["--data-dir", &dir, "notes", "export", "--format", "json"],
        b"",
    );
    assert_eq!(export.code(), Some(0), "{}", export.describe());
    let file = sb.write("export.json", export.stdout());
    // Into a fresh data directory, and back out the same.
    let other = Sandbox::new();
    let other_dir = data(&other);
    let import = run(
        &other,
        &[
            "--data-dir",
            &other_dir,
            "notes",
            "import",
            &file.display().to_string(),
        ],
        b"",
    );
    assert_eq!(import.code(), Some(0), "{}", import.describe());
    let (_, imported) = other.only_session();
    assert_eq!(imported, original);
    // The Markdown: the client's line, what was met, the rating.
    let md = run(&other, &["--data-dir", &other_dir, "notes", "export"], b"");
    let text = md.stdout();
    assert!(text.contains("- Mode: drill (drilling reflect)"), "{text}");
    assert!(text.contains("### Card 1: "), "{text}");
    assert!(text.contains("- Client: \""), "{text}");
    assert!(
        text.contains("- Met 1 of 3: Names the client's experience as a guess."),
        "{text}"
    );
    assert!(text.contains("- Rated 8 of 10"), "{text}");
}

#[test]
fn full_screen_drill_plays_a_card_retries_and_saves() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let protocol = fixture();
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "drill",
            "--protocol",
            &protocol,
            "--seed",
            "3",
            "--cards",
            "1",
            "--step",
            "reflect",
            "--scan-seconds",
            "1",
            "--respond-seconds",
            "1",
        ],
    );
    // The first screen: nothing runs until Enter.
    pty.wait_for_all(
        &[
            "Drilling the step",
            "Say each response out loud, briefly.",
            "Enter begins the first card.",
        ],
        &["Card 1 of 1"],
    );
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Card 1 of 1", "What do I notice in me, right now?"], &[]);
    // The breath and the response end by themselves.
    pty.wait_for_text("Which marker did you see?");
    pty.send("\x1b[B"); // Down: withdrawal
    pty.wait_stable();
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Model responses", "Enter assess"], &[]);
    pty.send(keys::F1);
    pty.wait_for_text("Drill keys");
    pty.send("x");
    pty.wait_gone("Drill keys");
    pty.send(keys::ENTER);
    pty.wait_for_text("Did your response");
    pty.send(" ");
    pty.wait_for_text("[x] Names the client");
    pty.send("a");
    pty.wait_for_text("What do I notice in me, right now?");
    pty.wait_for_text("Which marker did you see?");
    pty.send(keys::ENTER);
    pty.wait_for_text("Enter assess");
    pty.send(keys::ENTER);
    pty.wait_for_text("Did your response");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Drill: summary", "1 card, 2 attempts."], &[]);
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert!(!pty.alternate_screen(), "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "{}", pty.dump());
    assert!(pty.screen().contains("Saved drill "), "{}", pty.dump());
    let (_, json) = sb.only_session();
    let cards = json["drill_cards"].as_array().unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0]["marker_guess"], "withdrawal");
    assert_eq!(cards[0]["criteria_met"].as_array().unwrap().len(), 1);
    assert_eq!(cards[1]["attempt"], 2);
    assert_eq!(json["complete"], true);
}

#[test]
fn notes_stats_shows_practice_in_text_and_json() {
    let sb = Sandbox::new();
    sb.put_sessions(&[past_drill(
        1,
        &[("quiet-yes", 2, 3, 0), ("whatever-you-think", 9, 1, 2)],
    )]);
    let dir = data(&sb);
    let text = run(&sb, &["--data-dir", &dir, "notes", "stats"], b"");
    assert_eq!(text.code(), Some(0), "{}", text.describe());
    let out = text.stdout();
    for line in [
        "Practice (drill and rehearse):",
        "Level now: withdrawal beginner; confrontation not drilled yet",
        "Criteria most often not yet met:",
        "Markers recognised: 0 of 2 first tries (0%)",
    ] {
        assert!(out.contains(line), "{line:?} missing:\n{out}");
    }
    let json = run(&sb, &["--data-dir", &dir, "notes", "stats", "--json"], b"");
    assert_eq!(json.code(), Some(0), "{}", json.describe());
    let value: serde_json::Value = serde_json::from_str(&json.stdout()).expect("JSON");
    assert_eq!(value["sessions"], 1);
    let practice = &value["practice"];
    assert_eq!(practice["weeks"].as_array().unwrap().len(), 12);
    assert_eq!(practice["marker_first_attempts"], 2);
    assert_eq!(practice["criteria_not_yet_met"][0]["criterion"], "missed");
    assert_eq!(practice["criteria_not_yet_met"][0]["times"], 2);
    assert_eq!(practice["levels"]["withdrawal"], "beginner");
    assert!(practice["cards_due_today"].is_u64());
}

#[test]
fn the_start_screen_says_when_cards_are_due() {
    let sb = Sandbox::new();
    // Yesterday: one card found hard (due today), one easy (due in a week).
    sb.put_sessions(&[past_drill(
        1,
        &[("quiet-yes", 9, 0, 0), ("whatever-you-think", 2, 0, 0)],
    )]);
    let dir = data(&sb);
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir]);
    pty.wait_for_text("1 card due · repair drill --due");
    pty.kill();
}

/// The start screen reads the notice's four weeks and the drills' longer
/// window in one go: a card found hard six weeks ago is still counted due.
#[test]
fn the_start_screen_counts_a_card_from_beyond_the_notices_weeks() {
    let sb = Sandbox::new();
    sb.put_sessions(&[past_drill(42, &[("quiet-yes", 9, 0, 0)])]);
    let dir = data(&sb);
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir]);
    pty.wait_for_text("1 card due · repair drill --due");
    pty.kill();
}

/// Seeded random keys on the full-screen drill, at 40x12 and then at
/// projector size: nothing panics, the program leaves by what its screen
/// says, the terminal is restored, and every session file still reads.
#[test]
fn full_screen_drill_survives_random_keys() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let protocol = fixture();
    let mut pty = Pty::spawn_sized(
        &sb,
        &[
            "--data-dir",
            &dir,
            "drill",
            "--protocol",
            &protocol,
            "--seed",
            "5",
            "--cards",
            "50",
            "--scan-seconds",
            "1",
            "--respond-seconds",
            "0",
        ],
        40,
        12,
    );
    pty.wait_for_text("Enter begin");
    pty.send(keys::ENTER);
    pty.wait_for_text("Card 1 of");
    let keys_to_send = [
        keys::ENTER,
        keys::ENTER,
        keys::ENTER,
        " ",
        "a",
        "x",
        "\x1b[A",
        "\x1b[B",
        "\x1b[C",
        "\x1b[D",
        "\x1b[5~",
        "\x1b[6~",
        keys::TAB,
        "\x7f",
        keys::F1,
    ];
    // A fixed pseudo-random sequence (a linear congruential generator), so
    // a failure can be replayed.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..300 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let pick = (state >> 33) as usize % keys_to_send.len();
        pty.send(keys_to_send[pick]);
        if i == 150 {
            pty.resize(160, 45);
        }
    }
    pty.resize(120, 40);
    // Under load an arrow key's bytes can arrive apart and read as a lone
    // Esc, so the random keys may already have finished the drill: leave
    // from wherever it stands, by what the screen says.
    let start = std::time::Instant::now();
    while !pty.has_exited() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "could not leave: {}",
            pty.dump()
        );
        let screen = pty.wait_stable();
        if screen.contains("Drill: summary") {
            pty.send(keys::ENTER);
        } else {
            pty.send(keys::ESC);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert!(!pty.alternate_screen(), "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "{}", pty.dump());
    assert!(!pty.cursor_hidden(), "{}", pty.dump());
    for path in sb.session_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).expect("a readable session");
    }
}

#[test]
fn plain_drill_due_practises_only_the_due_cards() {
    let sb = Sandbox::new();
    // Yesterday: one card found hard (due today), one easy (due later).
    sb.put_sessions(&[past_drill(
        1,
        &[("quiet-yes", 9, 0, 0), ("whatever-you-think", 2, 3, 0)],
    )]);
    let input = [attempt("", "", "5"), attempt("", "", "5")].concat();
    let out = drill(&sb, &["--due", "--step", "reflect", "--seed", "4"], &input);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(stdout.contains("Card 1 of 10 (due)"), "{stdout}");
    assert!(
        !stdout.contains("Card 2 of 10"),
        "only the due card:\n{stdout}"
    );
    let sessions = sb.session_files();
    let newest = sessions.last().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(newest).unwrap()).unwrap();
    let cards = json["drill_cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["card"], "quiet-yes");
}

#[test]
fn plain_drill_due_with_nothing_due_says_so_calmly() {
    let sb = Sandbox::new();
    let out = drill(&sb, &["--due"], "");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_eq!(
        out.stdout().trim(),
        "No cards are due today. `repair drill` deals new cards at your level."
    );
    assert!(sb.session_files().is_empty());
}

#[test]
fn plain_drill_too_hard_at_beginner_is_warm_up_and_only_first_tries_move_it() {
    let sb = Sandbox::new();
    let input = [
        attempt("", "", "9"),  // beginner, too hard: warm-up
        attempt("", "", "2a"), // warm-up, easy on the first try: beginner
        attempt("", "", "9"),  // the retry, still hard: the level stays
    ]
    .concat();
    let out = drill(
        &sb,
        &[
            "--cards",
            "2",
            "--seed",
            "5",
            "--step",
            "reflect",
            "--kind",
            "withdrawal",
            "--level",
            "beginner",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    for line in [
        "Rated 9: the next withdrawal card is a level easier (warm-up); 8 or more moves down, 3 or less up.",
        "Warm-up: first read this model response aloud, then answer in your own words.",
        "Rated 2: the next withdrawal card is a level harder (beginner); 8 or more moves down, 3 or less up.",
        "Retry rated 9: still hard after the models: worth a slower look next time. Only the first try moves the level: the next withdrawal card stays beginner.",
    ] {
        assert!(stdout.contains(line), "{line:?} missing:\n{stdout}");
    }
    // The model is read first on the card dealt at warm-up, and again on
    // its retry (the same card, still played as a warm-up).
    assert_eq!(stdout.matches("\nModel: \"").count(), 2, "{stdout}");
    let first_card = stdout.split("Card 2 of 2").next().unwrap();
    assert!(
        !first_card.contains("Warm-up:"),
        "not at beginner:\n{stdout}"
    );
    let (_, json) = sb.only_session();
    let levels: Vec<&str> = json["drill_cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["next_level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["warm-up", "beginner", "beginner"]);
    // The next drill starts where this one left the kind.
    let again = drill(&sb, &["--cards", "1", "--kind", "withdrawal"], "");
    assert!(!again.stdout().contains("Warm-up:"), "{}", again.stdout());
}
