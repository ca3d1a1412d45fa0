//! `repair prep` and `repair rehearse` end to end: plain mode through pipes,
//! and the full screen through a pseudo-terminal. Each test has its own
//! temporary data directory; waits poll for conditions, never for a time.

mod common;

use common::{Piped, Pty, Sandbox, keys, mode_of, run};

fn data(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// The `Card ...` lines of a plain rehearsal.
fn cards(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("Card "))
        .map(str::to_owned)
        .collect()
}

/// `rehearse` in plain mode with no timer, with `extra` flags.
fn rehearse(sb: &Sandbox, extra: &[&str], input: &str) -> common::Output {
    let dir = data(sb);
    let mut args = vec![
        "--data-dir",
        dir.as_str(),
        "rehearse",
        "--round-seconds",
        "0",
    ];
    args.extend_from_slice(extra);
    run(sb, &args, input.as_bytes())
}

/// One round's answers: done, checklist, feedback, difficulty.
fn round(checklist: &str, feedback: &str, difficulty: &str) -> String {
    format!("\n{checklist}\n{feedback}\n{difficulty}\n")
}

#[test]
fn plain_rehearsal_rotates_roles_over_more_rounds_than_people() {
    let sb = Sandbox::new();
    let input = round("", "", "").repeat(5);
    let out = rehearse(
        &sb,
        &["--people", "Ana,Ben,Cy", "--rounds", "5", "--seed", "3"],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    let rounds: Vec<&str> = lines(&stdout)
        .into_iter()
        .filter(|l| l.starts_with("Round ") && l.contains(" of 5: "))
        .collect();
    assert_eq!(
        rounds,
        [
            "Round 1 of 5: therapist Ana, client Ben, observer Cy.",
            "Round 2 of 5: therapist Ben, client Cy, observer Ana.",
            "Round 3 of 5: therapist Cy, client Ana, observer Ben.",
            "Round 4 of 5: therapist Ana, client Ben, observer Cy.",
            "Round 5 of 5: therapist Ben, client Cy, observer Ana.",
        ],
        "{}",
        out.describe()
    );
    // Each round's card follows its line, with kind and level.
    for card in cards(&stdout) {
        assert!(
            card.contains("(withdrawal, ") || card.contains("(confrontation, "),
            "{card}"
        );
    }
    assert!(stdout.contains("Summary: 5 of 5 rounds played."));
    assert!(stdout.contains("Nothing was saved"));
    assert!(
        !sb.data().exists(),
        "rehearse without --save touched the disk"
    );
}

#[test]
fn plain_rehearsal_difficulty_moves_the_next_card_and_r_repeats_it() {
    let sb = Sandbox::new();
    let input = [
        round("", "", "1"),  // too easy: intermediate next
        round("", "", "1"),  // too easy: advanced next
        round("", "", "3r"), // too hard, but play this card again
        round("", "", "3"),  // too hard: intermediate next
        round("", "", ""),
    ]
    .concat();
    let out = rehearse(
        &sb,
        &[
            "--people",
            "2",
            "--rounds",
            "5",
            "--seed",
            "8",
            "--kind",
            "withdrawal",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let cards = cards(&out.stdout());
    assert_eq!(cards.len(), 5, "{}", out.describe());
    let levels: Vec<&str> = cards
        .iter()
        .map(|c| c.split_once("(withdrawal, ").map_or("", |(_, rest)| rest))
        .collect();
    assert_eq!(
        levels,
        [
            "beginner)",
            "intermediate)",
            "advanced)",
            "advanced, again)",
            "intermediate)"
        ],
        "{cards:?}"
    );
    let id = |c: &str| c.split(' ').nth(1).unwrap_or("").to_string();
    assert_eq!(id(&cards[2]), id(&cards[3]), "the repeated card");
    assert!(
        cards.iter().all(|c| c.contains("(withdrawal, ")),
        "{cards:?}"
    );
    let stdout = out.stdout();
    assert!(stdout.contains("Next card: intermediate."));
    assert!(stdout.contains("The same card again next round."));
    assert!(stdout.contains("Round 1 of 5: therapist Person 1, client Person 2."));
}

#[test]
fn plain_rehearsal_same_seed_and_answers_give_the_same_output() {
    let input = [
        round("1 3", "Slowed right down.", "1"),
        round("", "", "2"),
        round("2", "", "3"),
    ]
    .concat();
    let args = ["--people", "Ana,Ben,Cy", "--seed", "42"];
    let first = rehearse(&Sandbox::new(), &args, &input);
    let second = rehearse(&Sandbox::new(), &args, &input);
    assert_eq!(first.code(), Some(0), "{}", first.describe());
    assert_eq!(first.stdout(), second.stdout());
    assert!(first.stdout().contains("Seed 42"));
    let other = rehearse(
        &Sandbox::new(),
        &["--people", "Ana,Ben,Cy", "--seed", "43"],
        &input,
    );
    assert_ne!(cards(&first.stdout()), cards(&other.stdout()));
}

#[test]
fn plain_rehearsal_reprompts_bad_answers_and_takes_defaults_on_empty_lines() {
    let sb = Sandbox::new();
    let input = "\n7\n1 x\n2 4\nGood.\nmaybe\n2\n\n\n\n\n";
    let out = rehearse(
        &sb,
        &["--people", "2", "--rounds", "2", "--seed", "1", "--save"],
        input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert_eq!(
        stdout
            .matches("Give step numbers from 1 to 6 separated by spaces")
            .count(),
        2,
        "{stdout}"
    );
    assert!(stdout.contains("Type 1, 2 or 3"), "{stdout}");
    let (path, json) = sb.only_session();
    assert_eq!(mode_of(&path), 0o600);
    let rounds = json["rounds"].as_array().expect("rounds");
    assert_eq!(rounds.len(), 2);
    assert_eq!(
        rounds[0]["checklist"],
        serde_json::json!(["reflect", "mend"])
    );
    assert_eq!(rounds[0]["feedback"], "Good.");
    assert_eq!(rounds[1]["checklist"], serde_json::json!([]));
    assert_eq!(rounds[1]["feedback"], "");
    assert_eq!(rounds[1]["difficulty"], "about-right");
}

#[test]
fn saved_rehearsal_keeps_roles_and_checklists_but_never_names() {
    let sb = Sandbox::new();
    let input = [round("1 3", "Kind and slow.", "3"), round("", "", "")].concat();
    let out = rehearse(
        &sb,
        &[
            "--people",
            "Zelda,Yusuf,Xiomara",
            "--rounds",
            "2",
            "--seed",
            "9",
            "--save",
        ],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let (path, json) = sb.only_session();
    let text = std::fs::read_to_string(&path).unwrap();
    for name in ["Zelda", "Yusuf", "Xiomara"] {
        assert!(!text.contains(name), "{name} was written to disk: {text}");
    }
    assert_eq!(json["mode"], "rehearse");
    assert_eq!(json["complete"], true);
    assert_eq!(json["steps"], serde_json::json!([]));
    let r = &json["rounds"][0];
    assert_eq!(r["number"], 1);
    assert_eq!(
        r["roles"],
        serde_json::json!(["therapist", "client", "observer"])
    );
    assert_eq!(r["checklist"], serde_json::json!(["scan", "validate"]));
    assert_eq!(r["difficulty"], "too-hard");
    assert_eq!(r["repeated"], false);
    assert_eq!(
        json["rounds"][1]["roles"],
        serde_json::json!(["observer", "therapist", "client"])
    );
    let id = json["id"].as_str().unwrap();
    assert!(out.stdout().contains(&format!("Saved rehearsal {id}.")));
    // Visible in the export like any other session.
    let dir = data(&sb);
    let export = run(
        &sb,
        &["--data-dir", &dir, "notes", "export", "--format", "json"],
        b"",
    );
    assert!(
        export.stdout().contains("\"mode\": \"rehearse\""),
        "{}",
        export.describe()
    );
}

#[test]
fn plain_rehearsal_with_a_timer_ends_the_round_when_time_is_up() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut child = Piped::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--people",
            "2",
            "--rounds",
            "1",
            "--round-seconds",
            "1",
            "--seed",
            "2",
        ],
    );
    child.wait_stdout(
        |s| s.contains("Press Enter to start the round (1 second)."),
        "the start prompt",
    );
    child.write(b"\n");
    child.wait_stdout(|s| s.contains("Round over."), "the round to end by itself");
    child.write(b"\n\n\n");
    child.close_stdin();
    let out = child.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("Round: 1 second. Press Enter to end it early.")
    );
    assert!(out.stdout().contains("Summary: 1 of 1 rounds played."));
}

/// A protocol with one step and the given text after it.
fn protocol_with(after: &str) -> String {
    format!(
        "[protocol]\nid = \"june\"\ntitle = \"June\"\n\n[[step]]\nid = \"scan\"\ntitle = \"Scan\"\n\
         guidance = \"Slow down.\"\nstems = [\"Let's pause.\"]\n\n{after}"
    )
}

#[test]
fn deck_errors_are_reported_with_line_and_column() {
    let sb = Sandbox::new();
    let file = sb.write(
        "june.toml",
        protocol_with(
            "[[scenario]]\nid = \"a\"\nkind = \"withdrawl\"\nlevel = \"beginner\"\nclient = \"Fine.\"\n\n\
             [[scenario]]\nid = \"a\"\nkind = \"confrontation\"\nlevel = \"hard\"\n",
        ),
    );
    let path = file.display().to_string();
    let out = run(&sb, &["validate", &path], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let stderr = out.stderr();
    for expected in [
        format!(
            "{path}:13:8: \"kind\" must be \"withdrawal\" or \"confrontation\", found \"withdrawl\""
        ),
        format!("{path}:17:1: [[scenario]] 2 is missing \"client\""),
        format!("{path}:18:6: duplicate scenario id \"a\" (first used on line 12)"),
        format!(
            "{path}:20:9: \"level\" must be \"beginner\", \"intermediate\" or \"advanced\", found \"hard\""
        ),
    ] {
        assert!(
            stderr.contains(&expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    // Rehearse refuses the file the same way, before anything starts.
    let dir = data(&sb);
    let out = run(
        &sb,
        &["--data-dir", &dir, "rehearse", "--protocol", &path],
        b"",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(out.stderr().contains(":13:8:"), "{}", out.describe());
    assert!(out.stdout().is_empty());
}

#[test]
fn a_protocol_without_cards_of_the_kind_asked_for_is_explained() {
    let sb = Sandbox::new();
    let file = sb.write(
        "june.toml",
        protocol_with("[[scenario]]\nid = \"a\"\nkind = \"withdrawal\"\nlevel = \"advanced\"\nclient = \"Fine.\"\n"),
    );
    let path = file.display().to_string();
    let dir = data(&sb);
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--protocol",
            &path,
            "--kind",
            "confrontation",
        ],
        b"",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("has no scenario cards of kind \"confrontation\""),
        "{}",
        out.describe()
    );
    // A beginner start with only an advanced card deals the nearest level.
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--protocol",
            &path,
            "--round-seconds",
            "0",
            "--rounds",
            "1",
        ],
        b"\n\n\n\n",
    );
    assert!(
        out.stdout().contains("Card a (withdrawal, advanced)"),
        "{}",
        out.describe()
    );
    let bad = run(&sb, &["rehearse", "--people", "Ana"], b"");
    assert_eq!(bad.code(), Some(2), "{}", bad.describe());
    assert!(
        bad.stderr().contains("give 2 to 12 people"),
        "{}",
        bad.describe()
    );
}

#[test]
fn plain_prep_scans_picks_words_and_prints_a_pocket_card() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let input = "\n2\nMy own words.\n9\n\n3\n\n\nGo slowly.\n";
    let out = run(
        &sb,
        &["--data-dir", &dir, "prep", "--scan-seconds", "1"],
        input.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    for line in [
        "The internal scan: 1 second.",
        "Press Enter to begin the pause.",
        "Pause complete.",
        "Your words for this step (1 of 6): Pause and scan inward",
        "There is no stem 9; type 1 to 4, your own words, or an empty line.",
        "One line of intention for the session (empty: none):",
        "Pocket card: Rupture and Repair",
        "  Pause and scan inward: I want to pause here.",
        "  Reflect tentatively, and check: My own words.",
        "  Make it better: Would it help if we...?",
        "  Intention: Go slowly.",
    ] {
        assert!(
            lines(&stdout).contains(&line),
            "no line {line:?}\n{}",
            out.describe()
        );
    }
    assert!(!stdout.contains("Notes"), "prep asks for no notes");
    let (path, json) = sb.only_session();
    assert_eq!(mode_of(&path), 0o600);
    assert!(stdout.contains(&format!("Saved session {}.", json["id"].as_str().unwrap())));
    assert_eq!(json["mode"], "prep");
    assert_eq!(json["complete"], true);
    assert_eq!(json["intention"], "Go slowly.");
    assert_eq!(json["steps"][0]["notes"], "I want to pause here.");
    assert_eq!(json["steps"][0]["pause_seconds"], 1);
    assert_eq!(json["steps"][1]["notes"], "My own words.");
    assert_eq!(json["steps"][2]["status"], "skipped");
}

#[test]
fn plain_prep_with_no_save_keeps_nothing() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let out = run(
        &sb,
        &["--data-dir", &dir, "prep", "--no-save"],
        b"skip\n1\n\n\n\n\n\n\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stdout().contains("Pause skipped."));
    assert!(out.stdout().contains("Nothing was saved (--no-save)."));
    assert!(!sb.data().exists());
}

/// After the exit: off the alternate screen, out of raw mode.
fn assert_restored(pty: &Pty) {
    assert!(
        !pty.alternate_screen(),
        "still on the alternate screen\n{}",
        pty.dump()
    );
    assert!(pty.termios_restored(), "left in raw mode\n{}", pty.dump());
    assert!(!pty.cursor_hidden(), "the cursor is hidden\n{}", pty.dump());
}

#[test]
fn full_screen_prep_leaves_the_pocket_card_in_the_terminal() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "prep", "--scan-seconds", "1"]);
    pty.wait_for_text("First, the internal scan");
    pty.send(keys::ENTER);
    pty.wait_for_text("Your words for this step (1 of 6)");
    pty.send("\x1b[B"); // Down: the second stem
    pty.wait_stable();
    pty.send(keys::ENTER);
    pty.wait_for_text("(2 of 6)");
    pty.type_text("Tell me if I have it wrong.");
    pty.wait_for_text("Tell me if I have it wrong.");
    pty.send(keys::ENTER);
    pty.wait_for_text("(3 of 6)");
    for n in 4..=7 {
        pty.send(keys::TAB);
        if n <= 6 {
            pty.wait_for_text(&format!("({n} of 6)"));
        }
    }
    pty.wait_for_text("One line of intention");
    pty.type_text("Stay with them.");
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Pocket card", "I want to pause here."], &[]);
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    let screen = pty.screen();
    for text in [
        "Pocket card: Rupture and Repair",
        "Pause and scan inward: I want to pause here.",
        "Reflect tentatively, and check: Tell me if I have it wrong.",
        "Intention: Stay with them.",
        "Saved session ",
    ] {
        assert!(
            screen.contains(text),
            "{text:?} is not left on the main screen\n{}",
            pty.dump()
        );
    }
    let (_, json) = sb.only_session();
    assert_eq!(json["mode"], "prep");
    assert_eq!(json["steps"][0]["pause_seconds"], 1);
}

#[test]
fn full_screen_rehearsal_plays_reviews_and_closes() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--people",
            "Ana,Ben,Cy",
            "--rounds",
            "2",
            "--round-seconds",
            "1",
            "--seed",
            "4",
            "--save",
        ],
    );
    pty.wait_for_all(
        &[
            "Round 1 of 2",
            "Therapist Ana",
            "Client    Ben",
            "Observing Cy",
        ],
        &[],
    );
    pty.send(keys::ENTER);
    // The one-second timer ends the round by itself.
    pty.wait_for_text("Round 1 of 2: review");
    pty.send("1");
    pty.send("3");
    for _ in 0..6 {
        pty.send("\x1b[B");
    }
    pty.type_text("Lovely pause");
    pty.wait_for_all(
        &["[x] 1 Pause", "[x] 3 Validate", "Feedback: Lovely pause"],
        &[],
    );
    pty.send(keys::ENTER);
    pty.wait_for_all(&["Round 2 of 2", "Therapist Ben"], &["review"]);
    pty.send(keys::ENTER);
    pty.wait_for_text("left");
    pty.send(keys::ENTER);
    pty.wait_for_text("Round 2 of 2: review");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &["Rehearsal over", "2 of 2 rounds played", "Lovely pause"],
        &[],
    );
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    assert!(pty.screen().contains("Saved rehearsal "), "{}", pty.dump());
    let (path, json) = sb.only_session();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("Ana") && !text.contains("Ben"), "{text}");
    assert_eq!(
        json["rounds"][0]["checklist"],
        serde_json::json!(["scan", "validate"])
    );
    assert_eq!(json["rounds"][0]["feedback"], "Lovely pause");
    assert_eq!(json["complete"], true);
}
