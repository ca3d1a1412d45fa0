//! `repair notes import` and `notes export` telling the truth, through the
//! real binary on temporary data directories: all or nothing, fields and
//! words from a newer version kept, the same id twice said, a Markdown
//! export recognised, a FIFO refused before the lock, an export or list
//! that meets an unreadable file saying so. Waits poll for output with a
//! generous deadline; nothing depends on timing.

use crate::common;

use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use common::{MINI, Piped, Sandbox, dir_of, run, session};
use repair_practice::journal::dirlock::DirLock;
use serde_json::{Value, json};

fn repair(sb: &Sandbox, rest: &[&str]) -> common::Output {
    let dir = dir_of(sb);
    let mut args = vec!["--data-dir", dir.as_str()];
    args.extend_from_slice(rest);
    run(sb, &args, b"")
}

fn import(sb: &Sandbox, file: &std::path::Path) -> common::Output {
    repair(sb, &["notes", "import", &file.display().to_string()])
}

fn export_json(sb: &Sandbox) -> String {
    let out = repair(sb, &["notes", "export", "--format", "json"]);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    out.stdout()
}

fn wait_until(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

const A: &str = "20261101-090000-aaaa";
const B: &str = "20261102-090000-bbbb";

/// One session too large for the store (its notes alone are over the 32 MB
/// a session may hold) after one that fits: before, the first was saved and
/// then the import stopped; now nothing is written, and the error names
/// the session.
#[test]
fn an_oversized_session_imports_nothing_not_even_the_ones_before_it() {
    let sb = Sandbox::new();
    let mut big = session(B, "x");
    big["steps"][0]["notes"] = json!("a".repeat(33_000_000));
    let file = sb.write(
        "two.json",
        serde_json::to_vec(&json!([session(A, "fits"), big])).unwrap(),
    );
    let out = import(&sb, &file);
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let err = out.stderr();
    assert!(
        err.contains(&format!("session {B} in it is larger than 32 MB"))
            && err.contains("nothing was imported"),
        "{err}"
    );
    assert!(sb.session_files().is_empty(), "{:?}", sb.session_files());
}

/// A session from a newer version: a field this version does not know, a
/// mode and a step status it does not know. All are imported, listed,
/// shown as they are, and written back by the export.
#[test]
fn fields_and_words_from_a_newer_version_survive_import_and_export() {
    let sb = Sandbox::new();
    let mut newer = session(A, "kept note");
    newer["mode"] = json!("shadowing");
    newer["steps"][0]["status"] = json!("revisited");
    newer["steps"][0]["tone"] = json!("gentle");
    newer["mood_after"] = json!({"scale": [1, 2], "word": "lighter"});
    let file = sb.write("newer.json", serde_json::to_vec(&json!([newer])).unwrap());
    let out = import(&sb, &file);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_eq!(
        out.stdout(),
        "Imported 1 session; 0 already here; 0 left alone.\n"
    );

    let back: Value = serde_json::from_str(&export_json(&sb)).unwrap();
    assert_eq!(back, json!([newer]), "every field written back as read");

    let list = repair(&sb, &["notes", "list"]);
    assert_eq!(list.code(), Some(0), "{}", list.describe());
    assert!(list.stdout().contains("shadowing"), "{}", list.stdout());
    let show = repair(&sb, &["notes", "show", A]);
    assert_eq!(show.code(), Some(0), "{}", show.describe());
    assert!(show.stdout().contains("(revisited"), "{}", show.stdout());
    // Importing the same file again finds it here, unchanged.
    let again = import(&sb, &file);
    assert_eq!(
        again.stdout(),
        "Imported 0 sessions; 1 already here; 0 left alone.\n"
    );
}

/// The same id twice in one file: said for what it is, not as "already
/// here with different content".
#[test]
fn the_same_id_twice_in_one_file_says_what_happened() {
    let sb = Sandbox::new();
    let same = sb.write(
        "same.json",
        serde_json::to_vec(&json!([session(A, "one"), session(A, "one")])).unwrap(),
    );
    let out = import(&sb, &same);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stderr().contains(&format!(
            "session {A} is in the file more than once, the same each time"
        )),
        "{}",
        out.describe()
    );
    assert!(!out.stderr().contains("already here"), "{}", out.describe());
    assert_eq!(
        out.stdout(),
        "Imported 1 session; 0 already here; 0 left alone.\n"
    );

    let sb = Sandbox::new();
    let differ = sb.write(
        "differ.json",
        serde_json::to_vec(&json!([session(A, "first"), session(A, "second")])).unwrap(),
    );
    let out = import(&sb, &differ);
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let err = out.stderr();
    assert!(
        err.contains(&format!(
            "session {A} is in the file more than once with different content; the first copy was used"
        )),
        "{err}"
    );
    assert!(!err.contains("already here"), "{err}");
    assert_eq!(
        out.stdout(),
        "Imported 1 session; 0 already here; 1 left alone.\n"
    );
    let kept = export_json(&sb);
    assert!(kept.contains("\"first\"") && !kept.contains("\"second\""));
}

/// A Markdown export given to import: recognised, and the way to the JSON
/// export named, instead of "not valid JSON, at line 1 column 1".
#[test]
fn a_markdown_export_is_recognised_and_the_json_export_named() {
    let from = Sandbox::new();
    from.put_sessions(&[session(A, "a note")]);
    let markdown = repair(&from, &["notes", "export"]);
    assert_eq!(markdown.code(), Some(0), "{}", markdown.describe());
    assert!(markdown.stdout().starts_with('#'));
    let to = Sandbox::new();
    let file = to.write("notes.md", markdown.stdout());
    let out = import(&to, &file);
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let err = out.stderr();
    assert!(
        err.contains("is a Markdown export")
            && err.contains("repair notes export --format json")
            && err.contains("nothing was imported"),
        "{err}"
    );
    assert!(!err.contains("not valid JSON"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(to.session_files().is_empty());
}

/// A FIFO is refused before it is opened: before, the import took the data
/// directory's lock and then waited on the FIFO forever (and every save
/// with it; this test then ran into the harness's deadline).
#[test]
fn a_fifo_is_refused_without_taking_the_lock() {
    let sb = Sandbox::new();
    // Creates the data directory.
    assert_eq!(repair(&sb, &["notes", "list"]).code(), Some(0));
    let fifo = sb.path().join("backup.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let out = import(&sb, &fifo);
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("is not a regular file"),
        "{}",
        out.describe()
    );
    assert!(
        DirLock::try_acquire(&sb.data()).expect("lock").is_some(),
        "the lock is free"
    );
}

/// A plain walk whose save waits on another command's lock says so on
/// stderr (before, it said nothing), then saves once the lock is free.
#[test]
fn a_plain_walk_waiting_for_the_lock_says_so() {
    let sb = Sandbox::new();
    let protocol = sb.write("mini.toml", MINI).display().to_string();
    let dir = dir_of(&sb);
    let mut child = Piped::spawn(
        &sb,
        &["--data-dir", &dir, "--plain", "--protocol", &protocol],
    );
    child.wait_stdout(|s| s.contains("Step 1 of 2: One"), "the first step");
    let held = DirLock::acquire(&sb.data(), || {}).expect("lock");
    child.write(b"marigold first line\n");
    wait_until("the waiting line", || {
        child
            .stderr_now()
            .contains("another repair command is changing your notes right now; this save waits until it is done.")
    });
    assert!(sb.session_files().is_empty());
    drop(held);
    wait_until("the save after the lock is free", || {
        !sb.session_files().is_empty()
    });
    child.write(b".\n.\n");
    let out = child.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(export_json(&sb).contains("marigold first line"));
    assert_eq!(
        out.stderr()
            .matches("this save waits until it is done")
            .count(),
        1,
        "said once: {}",
        out.stderr()
    );
}

/// A file that reads as a list row but holds no session (a step's notes
/// that are not text): before, `notes list` showed it as a normal row and
/// `notes export` said `Exported 1 session`, exit 0, leaving it out. Now the
/// list marks it unreadable and the export says it is not complete, with 1.
#[test]
fn an_export_that_leaves_a_file_out_says_so_and_the_list_marks_it() {
    let sb = Sandbox::new();
    let mut broken = session(B, "x");
    broken["steps"][0]["notes"] = json!(5);
    sb.put_sessions(&[session(A, "fine"), broken]);

    let list = repair(&sb, &["notes", "list"]);
    assert_eq!(list.code(), Some(0), "{}", list.describe());
    let lines: Vec<String> = list.stdout().lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with(A), "{lines:?}");
    assert!(
        lines[1].starts_with("unreadable  ") && lines[1].contains(&format!("{B}.json")),
        "{lines:?}"
    );

    let out = repair(&sb, &["notes", "export", "--format", "json"]);
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let err = out.stderr();
    assert!(
        err.contains("skipped") && err.contains(&format!("{B}.json")),
        "{err}"
    );
    assert!(
        err.contains("the export is not complete: 1 session file could not be read and was left out (named above); it holds the other 1."),
        "{err}"
    );
    let back: Value = serde_json::from_str(&out.stdout()).expect("valid JSON");
    assert_eq!(back.as_array().map(Vec::len), Some(1));

    let file = sb.path().join("backup.md");
    let out = repair(&sb, &["notes", "export", "-o", &file.display().to_string()]);
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("Exported 1 session to"),
        "{}",
        out.describe()
    );
    assert!(out.stderr().contains("not complete"), "{}", out.describe());
    assert!(fs::read_to_string(&file).expect("written").contains("fine"));

    // Asking only for the readable one: complete, 0.
    let out = repair(&sb, &["notes", "export", "--format", "json", A]);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(!out.stderr().contains("skipped"), "{}", out.describe());
}
