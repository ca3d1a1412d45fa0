//! `repair prep` end to end: an empty prep keeps nothing,
//! plain mode through pipes and the full screen in a pty; F1 in the real
//! terminal; and random keys through the pty (no panic, the terminal
//! restored, every file in the data dir readable afterwards).

use crate::common;

use std::fs;
use std::path::Path;

use common::{Pty, Sandbox, assert_restored, keys, run};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const NOTHING_KEPT: &str = "Nothing was chosen and no scan was taken, so nothing was kept.";

fn data(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

#[test]
fn plain_prep_with_nothing_chosen_keeps_nothing_and_says_so() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let out = run(&sb, &["--data-dir", &dir, "prep"], b"skip\n\n\n\n\n\n\n\n");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(
        stdout.lines().any(|l| l == NOTHING_KEPT),
        "{}",
        out.describe()
    );
    assert!(!stdout.contains("Pocket card"), "{}", out.describe());
    assert!(
        sb.session_files().is_empty(),
        "{:?}",
        sb.all_session_entries()
    );
}

#[test]
fn plain_prep_says_what_the_scan_is_and_where_it_comes_from() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let out = run(&sb, &["--data-dir", &dir, "prep", "--no-save"], b"skip\n");
    let stdout = out.stdout();
    assert!(stdout.contains("not to fix it"), "{}", out.describe());
    assert!(
        stdout.contains("Dunn, Callahan, Swift & Ivanovic, 2013"),
        "{}",
        out.describe()
    );
    assert!(!stdout.contains("length studied"), "{}", out.describe());
    assert!(stdout.contains("Input ended."), "{}", out.describe());
}

#[test]
fn full_screen_prep_with_nothing_chosen_keeps_nothing_and_says_so() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    // Through every step to the card with Tab, then close it.
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "prep"]);
    pty.wait_for_text("First, the internal scan");
    pty.send(keys::TAB);
    pty.wait_for_text("(1 of 6)");
    for n in 2..=6 {
        pty.send(keys::TAB);
        pty.wait_for_text(&format!("({n} of 6)"));
    }
    pty.send(keys::TAB);
    pty.wait_for_text("One line of intention");
    pty.send(keys::ENTER);
    pty.wait_for_text("No words chosen.");
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
    assert!(pty.screen().contains(NOTHING_KEPT), "{}", pty.dump());
    assert!(
        sb.session_files().is_empty(),
        "{:?}",
        sb.all_session_entries()
    );

    // Esc on the first screen: the same one line.
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "prep"]);
    pty.wait_for_text("First, the internal scan");
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert!(pty.screen().contains(NOTHING_KEPT), "{}", pty.dump());
    assert!(
        sb.session_files().is_empty(),
        "{:?}",
        sb.all_session_entries()
    );
}

#[test]
fn full_screen_prep_back_and_forward_keeps_the_stem() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "prep"]);
    pty.wait_for_text("First, the internal scan");
    pty.send(keys::TAB);
    pty.wait_for_text("(1 of 6)");
    pty.send(keys::ENTER);
    pty.wait_for_text("(2 of 6)");
    pty.send(keys::SHIFT_TAB);
    pty.wait_for_text("(1 of 6)");
    for n in 2..=6 {
        pty.send(keys::TAB);
        pty.wait_for_text(&format!("({n} of 6)"));
    }
    pty.send(keys::TAB);
    pty.wait_for_text("One line of intention");
    pty.send(keys::ENTER);
    pty.wait_for_text("Pocket card");
    let screen = pty.screen();
    assert!(!screen.contains("No words chosen"), "{}", pty.dump());
    assert!(
        screen.contains("Let your feet find the floor."),
        "{}",
        pty.dump()
    );
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let (_, json) = sb.only_session();
    assert_eq!(json["steps"][0]["notes"], "Let your feet find the floor.");
}

#[test]
fn f1_shows_the_keys_of_each_prep_screen() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let mut pty = Pty::spawn_sized(&sb, &["--data-dir", &dir, "prep", "--no-save"], 40, 12);
    pty.wait_for_text("First, the internal scan");
    pty.send(keys::F1);
    pty.wait_for_all(&["Keys", "begin the scan", "skip the scan"], &[]);
    pty.send(keys::ENTER); // closes the help, does nothing else
    pty.wait_gone("begin the scan");
    pty.send(keys::TAB);
    pty.wait_for_text("(1 of 6)");
    pty.send(keys::F1);
    pty.wait_for_all(&["take the selected words", "leave step empty"], &[]);
    pty.send(keys::ESC);
    pty.wait_gone("take the selected words");
    assert!(
        pty.screen().contains("(1 of 6)"),
        "Esc closed the help only\n{}",
        pty.dump()
    );
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_restored(&pty);
}

/// Every file under `dir` can be read, and every session is JSON.
fn all_readable(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            all_readable(&path);
            continue;
        }
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        }
    }
}

const KEYS: &[&str] = &[
    keys::TAB,
    keys::SHIFT_TAB,
    keys::ENTER,
    keys::F1,
    "\x1b[A", // Up
    "\x1b[B", // Down
    "\x7f",   // Backspace
    "\x04",   // Ctrl-D
    " ",
    "i",
    "q",
    "a",
    "Z",
    "é",
];

#[test]
fn random_keys_through_the_pty_never_crash_and_leave_readable_files() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4u32)
        .min(64);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        prop::collection::vec(0..KEYS.len(), 1..40),
        prop::sample::select(vec![(40u16, 12u16), (80, 24), (120, 40)]),
        any::<bool>(),
    );
    runner
        .run(&strategy, |(picks, (cols, rows), end_with_esc)| {
            let sb = Sandbox::new();
            let dir = data(&sb);
            let mut pty = Pty::spawn_sized(
                &sb,
                &["--data-dir", &dir, "prep", "--scan-seconds", "2"],
                cols,
                rows,
            );
            pty.wait_for_text("Before the session");
            for &i in &picks {
                pty.send(KEYS[i]);
            }
            pty.wait_stable();
            // Leave however the screen is: Esc (the first may only close a
            // box), or Ctrl-C, which also ends from anywhere; a key is sent
            // only while the full screen is still up.
            let leave = if end_with_esc {
                keys::ESC
            } else {
                keys::CTRL_C
            };
            // The leave question (something chosen) is answered with save
            // or discard.
            for _ in 0..4 {
                if !pty.alternate_screen() {
                    break;
                }
                if pty.screen().contains("Leave the prep?") {
                    pty.send(if end_with_esc { "s" } else { "d" });
                } else {
                    pty.send(leave);
                }
                pty.wait_stable();
            }
            let code = pty.exit_code();
            prop_assert!(
                code == 0 || code == 1 || code == 130,
                "exit {code}\n{}",
                pty.dump()
            );
            prop_assert!(!pty.screen().contains("panicked"), "{}", pty.dump());
            assert_restored(&pty);
            all_readable(&sb.data());
            Ok(())
        })
        .unwrap();
}

/// Takes the first stem of step 1 and leaves with Esc: the question, then
/// `s`. Returns the id of the unfinished prep saved.
fn leave_a_prep_part_way(sb: &Sandbox) -> String {
    let dir = data(sb);
    let mut pty = Pty::spawn(sb, &["--data-dir", &dir, "prep"]);
    pty.wait_for_text("First, the internal scan");
    pty.send(keys::TAB);
    pty.wait_for_text("(1 of 6)");
    pty.send(keys::ENTER);
    pty.wait_for_text("(2 of 6)");
    pty.send(keys::ESC);
    pty.wait_for_all(
        &["Leave the prep?", "save as unfinished", "keep going"],
        &[],
    );
    // k keeps going: nothing was left.
    pty.send("k");
    pty.wait_gone("Leave the prep?");
    assert!(pty.alternate_screen(), "still in the prep");
    pty.send(keys::CTRL_C);
    pty.wait_for_text("Leave the prep?");
    pty.send("s");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let (_, json) = sb.only_session();
    let id = json["id"].as_str().unwrap().to_string();
    let said = pty.screen();
    assert!(
        said.contains(&format!("Saved unfinished session {id}."))
            && said.contains(&format!("repair prep --resume {id}")),
        "{}",
        pty.dump()
    );
    assert!(json["finished_at"].is_null());
    id
}

/// Esc mid-prep asks before leaving; the prep saved unfinished resumes with
/// `repair prep --resume ID` on the step where it stopped, and finishing it
/// finishes the same session.
#[test]
fn a_prep_left_part_way_asks_first_and_resumes_where_it_stopped() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let id = leave_a_prep_part_way(&sb);
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "prep", "--resume", &id]);
    pty.wait_for_text("(2 of 6)");
    pty.send(keys::SHIFT_TAB);
    pty.wait_for_text("(1 of 6)");
    assert!(
        pty.screen().contains('✓'),
        "the stem taken is marked: {}",
        pty.dump()
    );
    for n in 2..=6 {
        pty.send(keys::TAB);
        pty.wait_for_text(&format!("({n} of 6)"));
    }
    pty.send(keys::TAB);
    pty.wait_for_text("One line of intention");
    pty.type_text("go slowly");
    pty.send(keys::ENTER);
    pty.wait_for_text("Pocket card");
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let (_, json) = sb.only_session();
    assert_eq!(json["id"], id.as_str(), "the same session");
    assert_eq!(json["steps"][0]["notes"], "Let your feet find the floor.");
    assert_eq!(json["intention"], "go slowly");
    assert!(!json["finished_at"].is_null(), "finished now");
}

/// Ctrl-R on prep's first screen resumes the unfinished prep; `d` there
/// leaves it as it was and says so; `repair --resume ID` opens a prep as a
/// prep.
#[test]
fn ctrl_r_and_repair_resume_open_an_unfinished_prep() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let id = leave_a_prep_part_way(&sb);
    let (_, before) = sb.only_session();
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "prep"]);
    pty.wait_for_text("Ctrl-R resumes it");
    pty.send("\x12");
    pty.wait_for_text("(2 of 6)");
    pty.send(keys::ESC);
    pty.wait_for_text("Leave the prep?");
    pty.send("d");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert!(
        pty.screen()
            .contains(&format!("Nothing changed: prep {id} is still unfinished")),
        "{}",
        pty.dump()
    );
    let (_, after) = sb.only_session();
    assert_eq!(after, before, "discard leaves the prep as it was");

    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "--resume", &id]);
    pty.wait_for_all(&["Before the session", "(2 of 6)"], &[]);
    pty.send(keys::ESC);
    pty.wait_for_text("Leave the prep?");
    pty.send("s");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_eq!(sb.session_files().len(), 1);
}

/// The card printed after the full screen closes is wrapped to the
/// terminal at spaces, going on four spaces in: at 40 columns no word of
/// it is broken across two rows.
#[test]
fn the_printed_pocket_card_never_breaks_a_word_at_40_columns() {
    let sb = Sandbox::new();
    let dir = data(&sb);
    let words = "acknowledging misunderstanding strengthens relationship understanding";
    let mut pty = Pty::spawn_sized(&sb, &["--data-dir", &dir, "prep", "--no-save"], 40, 12);
    pty.wait_for_text("First, the internal scan");
    pty.send(keys::TAB);
    pty.wait_for_text("(1 of 6)");
    pty.type_text(words);
    pty.send(keys::ENTER);
    pty.wait_for_text("(2 of 6)");
    for n in 3..=6 {
        pty.send(keys::TAB);
        pty.wait_for_text(&format!("({n} of 6)"));
    }
    pty.send(keys::TAB);
    pty.wait_for_text("One line of intention");
    pty.type_text("patience");
    pty.send(keys::ENTER);
    pty.wait_for_text("Pocket card");
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let screen = pty.screen();
    for word in words.split(' ') {
        assert!(
            screen.lines().any(|row| row.contains(word)),
            "{word} broken across rows:\n{screen}"
        );
    }
    assert!(
        screen
            .lines()
            .any(|r| r.starts_with("  Pause and scan inward: ")),
        "each step two spaces in:\n{screen}"
    );
    let at = screen
        .lines()
        .position(|r| r.contains("acknowledging"))
        .unwrap();
    let next = screen.lines().nth(at + 1).unwrap();
    assert!(
        next.starts_with("    "),
        "goes on four spaces in:\n{screen}"
    );
}
