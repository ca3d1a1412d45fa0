//! `repair prep` end to end, and the rehearsal deck errors (the rehearsal
//! itself is in tests/it/rehearse_e2e.rs): plain mode through pipes,
//! and the full screen through a pseudo-terminal. Each test has its own
//! temporary data directory; waits poll for conditions, never for a time.

use crate::common;

use common::{Pty, Sandbox, assert_mode, assert_restored, keys, run};

fn data(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
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
            "--show-kind",
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
        "  Pause and scan inward: Notice your breath, without changing it.",
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
    // The scan is inner: its cues are offered, never the stems said aloud.
    assert!(
        stdout.contains("  1. \"Let your feet find the floor.\"")
            && !stdout.contains("Can we slow down"),
        "{stdout}"
    );
    let (path, json) = sb.only_session();
    assert_mode(&path, 0o600);
    assert!(stdout.contains(&format!("Saved session {}.", json["id"].as_str().unwrap())));
    assert_eq!(json["mode"], "prep");
    assert_eq!(json["complete"], true);
    assert_eq!(json["intention"], "Go slowly.");
    assert_eq!(
        json["steps"][0]["notes"],
        "Notice your breath, without changing it."
    );
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
    assert!(out.stdout().contains(repair_practice::journal::SAVING_OFF));
    assert!(!sb.data().exists());
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
    pty.wait_for_all(
        &["Pocket card", "Notice your breath, without changing it."],
        &[],
    );
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    let screen = pty.screen();
    for text in [
        "Pocket card: Rupture and Repair",
        "Pause and scan inward: Notice your breath, without changing it.",
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
