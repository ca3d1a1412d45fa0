//! Never lose a note: real processes against one data directory at once
//!, with the store's lock held by the test where an
//! order must be forced. Nothing here depends on timing: every wait polls
//! for output or files with a generous deadline.

use crate::common;

use std::fs;
use std::path::PathBuf;
use std::thread;
use std::time::{Duration, Instant};

use common::{MINI, Piped, Sandbox, dir_of, names_in, run, session};
use repair_practice::journal::dirlock::DirLock;
use serde_json::{Value, json};

const PASS: &str = "correct horse battery";

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

fn wait_stderr(child: &Piped, text: &str) {
    wait_until(text, || child.stderr_now().contains(text));
}

fn encrypt(sb: &Sandbox) {
    let out = run(
        sb,
        &[
            "--data-dir",
            &dir_of(sb),
            "--passphrase-fd",
            "0",
            "notes",
            "encrypt",
        ],
        format!("{PASS}\n{PASS}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
}

/// A plain walk of MINI (the passphrase first when `pass`).
fn walk(sb: &Sandbox, pass: bool) -> Piped {
    let protocol = sb.write("mini.toml", MINI).display().to_string();
    let dir = dir_of(sb);
    let mut args = vec!["--data-dir", &dir, "--plain", "--protocol", &protocol];
    if pass {
        args.extend(["--passphrase-fd", "0"]);
    }
    let mut child = Piped::spawn(sb, &args);
    if pass {
        child.write(format!("{PASS}\n").as_bytes());
    }
    child.wait_stdout(|s| s.contains("Step 1 of 2: One"), "the first step");
    child
}

/// The one session file whose name contains none of `others`.
fn new_file(sb: &Sandbox, others: &[String]) -> Option<PathBuf> {
    names_in(&sb.data().join("sessions"))
        .into_iter()
        .find(|n| !n.starts_with('.') && !others.iter().any(|o| n.starts_with(o.as_str())))
        .map(|n| sb.data().join("sessions").join(n))
}

fn export(sb: &Sandbox, pass: bool) -> String {
    let dir = dir_of(sb);
    let mut args = vec!["--data-dir", dir.as_str()];
    if pass {
        args.extend(["--passphrase-fd", "0"]);
    }
    args.extend(["notes", "export", "--format", "json"]);
    let out = run(sb, &args, format!("{PASS}\n").as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(!out.stderr().contains("skipped"), "{}", out.describe());
    out.stdout()
}

#[test]
fn a_walk_running_during_decrypt_saves_plain_and_loses_nothing() {
    let sb = Sandbox::new();
    sb.put_sessions(&[session("20261101-090000-aaaa", "older")]);
    encrypt(&sb);
    let mut child = walk(&sb, true);
    child.write(b"marigold first line\n");
    let old = vec!["20261101-090000-aaaa".to_string()];
    wait_until("the walk's sealed autosave", || {
        new_file(&sb, &old).is_some_and(|p| p.to_string_lossy().ends_with(".json.age"))
    });

    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir_of(&sb),
            "--passphrase-fd",
            "0",
            "notes",
            "decrypt",
        ],
        format!("{PASS}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    // (`open/` holds the lock of the walk's session, open in its window.)
    assert_eq!(names_in(&sb.data()), ["open", "sessions"]);

    child.write(b"marigold second line\n.\nmarigold step two\n.\n");
    let out = child.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stdout().contains("Saved session"), "{}", out.describe());
    for name in names_in(&sb.data().join("sessions")) {
        assert!(name.ends_with(".json"), "{name} is not plain");
    }
    let all = export(&sb, false);
    for word in [
        "older",
        "marigold first line",
        "marigold second line",
        "marigold step two",
    ] {
        assert!(all.contains(word), "{word} lost:\n{all}");
    }
}

#[test]
fn a_walk_running_during_encrypt_does_not_save_plain_and_says_so() {
    let sb = Sandbox::new();
    let mut child = walk(&sb, false);
    child.write(b"marigold first line\n");
    wait_until("the walk's autosave", || new_file(&sb, &[]).is_some());
    encrypt(&sb);
    child.write(b"marigold second line\n.\nmarigold step two\n.\n");
    let out = child.finish();
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("turned encryption on")
            || out.stdout().contains("turned encryption on"),
        "{}",
        out.describe()
    );
    // The notes are printed, since they could not be saved.
    assert!(
        out.stdout().contains("marigold step two"),
        "{}",
        out.describe()
    );
    // Nothing plain on disk; what was saved before is sealed and readable.
    for name in names_in(&sb.data().join("sessions")) {
        assert!(name.ends_with(".json.age"), "{name} is not sealed");
    }
    assert!(export(&sb, true).contains("marigold first line"));
}

#[test]
fn a_delete_while_the_walk_runs_is_not_undone() {
    let sb = Sandbox::new();
    let mut child = walk(&sb, false);
    child.write(b"marigold first line\n");
    wait_until("the walk's autosave", || new_file(&sb, &[]).is_some());
    let file = new_file(&sb, &[]).expect("file");
    let id = file
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".json"))
        .expect("id")
        .to_string();
    let out = run(
        &sb,
        &["--data-dir", &dir_of(&sb), "notes", "delete", &id, "--yes"],
        b"",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stdout().contains("Deleted"), "{}", out.describe());

    child.write(b"marigold second line\n.\nmarigold step two\n.\n");
    let out = child.finish();
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let said = format!("{}{}", out.stdout(), out.stderr());
    assert!(said.contains("was deleted"), "{}", out.describe());
    assert!(names_in(&sb.data().join("sessions")).is_empty());
}

#[test]
fn imports_wait_for_a_held_lock_and_two_that_disagree_are_reported_honestly() {
    let sb = Sandbox::new();
    // Create the data directory, then hold its lock as another command would.
    let out = run(&sb, &["--data-dir", &dir_of(&sb), "notes", "list"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let id = "20261101-090000-abcd";
    let a = sb.write("a.json", json!([session(id, "version a")]).to_string());
    let b = sb.write("b.json", json!([session(id, "version b")]).to_string());
    let held = DirLock::acquire(&sb.data(), || {}).expect("lock");
    let dir = dir_of(&sb);
    let children: Vec<Piped> = [a, b]
        .iter()
        .map(|file| {
            let file = file.display().to_string();
            Piped::spawn(&sb, &["--data-dir", &dir, "notes", "import", &file])
        })
        .collect();
    for child in &children {
        wait_stderr(child, "waiting for it to finish");
    }
    assert!(names_in(&sb.data().join("sessions")).is_empty());
    drop(held);
    let outs: Vec<_> = children.into_iter().map(Piped::finish).collect();
    let mut codes: Vec<_> = outs.iter().map(|o| o.code()).collect();
    codes.sort();
    assert_eq!(
        codes,
        [Some(0), Some(1)],
        "{}\n{}",
        outs[0].describe(),
        outs[1].describe()
    );
    let winner = outs
        .iter()
        .position(|o| o.code() == Some(0))
        .expect("winner");
    assert!(
        outs[winner]
            .stdout()
            .contains("Imported 1 session; 0 already here; 0 left alone.")
    );
    let loser = &outs[1 - winner];
    assert!(
        loser
            .stdout()
            .contains("Imported 0 sessions; 0 already here; 1 left alone.")
    );
    let kept = export(&sb, false);
    let version = if winner == 0 {
        "version a"
    } else {
        "version b"
    };
    assert!(kept.contains(version), "{kept}");
}

#[test]
fn two_encrypts_at_once_make_one_key_that_opens_everything() {
    let sb = Sandbox::new();
    let sessions: Vec<Value> = (0..30)
        .map(|i| session(&format!("20261101-0900{i:02}-abcd"), &format!("note {i}")))
        .collect();
    sb.put_sessions(&sessions);
    let held = DirLock::acquire(&sb.data(), || {}).expect("lock");
    let dir = dir_of(&sb);
    let mut children = Vec::new();
    for _ in 0..2 {
        let mut child = Piped::spawn(
            &sb,
            &[
                "--data-dir",
                &dir,
                "--passphrase-fd",
                "0",
                "notes",
                "encrypt",
            ],
        );
        child.write(format!("{PASS}\n{PASS}\n").as_bytes());
        children.push(child);
    }
    for child in &children {
        wait_stderr(child, "waiting for it to finish");
    }
    drop(held);
    for child in children {
        let out = child.finish();
        assert_eq!(out.code(), Some(0), "{}", out.describe());
    }
    let all = export(&sb, true);
    for i in 0..30 {
        assert!(all.contains(&format!("\"note {i}\"")), "note {i} lost");
    }
}

#[test]
fn a_walk_saves_after_a_held_lock_is_released() {
    let sb = Sandbox::new();
    let mut child = walk(&sb, false);
    let held = DirLock::acquire(&sb.data(), || {}).expect("lock");
    child.write(b"marigold first line\n");
    // The autosave waits for the lock; nothing is written meanwhile.
    thread::sleep(Duration::from_millis(300));
    assert!(new_file(&sb, &[]).is_none());
    drop(held);
    wait_until("the walk's autosave", || new_file(&sb, &[]).is_some());
    child.write(b".\n.\n");
    let out = child.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(export(&sb, false).contains("marigold first line"));
}

/// The full screen never freezes on the lock: while another command holds
/// it, the autosave and then the finishing save each say they are waiting,
/// typing still shows, nothing is written, and both saves land once the
/// lock is free.
#[test]
fn the_full_screen_stays_live_and_says_so_while_the_store_is_busy() {
    use common::{Pty, keys};
    let sb = Sandbox::new();
    let [flag, dir] = sb.data_arg();
    let pty = Pty::spawn(&sb, &[&flag, &dir, "--scan-seconds", "1"]);
    pty.wait_for_text("Step 1 of 6");
    // Tab walks all six steps; Tab again skips the offered pause.
    pty.send("\t");
    pty.wait_for_text("Enter or Space: begin");
    pty.send("\t");
    pty.wait_for_text("Type your notes here");

    let held = DirLock::acquire(&sb.data(), || {}).expect("lock");
    pty.type_text("marigold");
    pty.wait_for_text("Waiting to save");
    pty.type_text(" and more");
    pty.wait_for_text("marigold and more");
    assert!(new_file(&sb, &[]).is_none(), "{}", pty.dump());
    drop(held);
    wait_until("the autosave after the lock is free", || {
        new_file(&sb, &[]).is_some()
    });
    pty.wait_for(|s| !s.contains("Waiting to save"), "the waiting line gone");

    let held = DirLock::acquire(&sb.data(), || {}).expect("lock");
    pty.send(keys::CTRL_S);
    pty.wait_for_text("Enter");
    pty.send("\r");
    pty.wait_for_text("Waiting to save");
    let draft = common::read_json(&new_file(&sb, &[]).expect("the draft"));
    assert_eq!(draft["complete"], false, "{draft:#}");
    drop(held);
    let mut pty = pty;
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let (_, session) = sb.only_session();
    assert_eq!(session["complete"], true, "{session:#}");
    assert!(export(&sb, false).contains("marigold and more"));
}

/// An unfinished walk of MINI, its first step holding `words`; its id.
fn unfinished(sb: &Sandbox, words: &str) -> String {
    let protocol = sb.write("mini.toml", MINI).display().to_string();
    let out = run(
        sb,
        &[
            "--data-dir",
            &dir_of(sb),
            "--plain",
            "--protocol",
            &protocol,
        ],
        format!("{words}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    out.stdout()
        .lines()
        .find_map(|l| l.split("Saved unfinished session ").nth(1))
        .and_then(|l| l.strip_suffix('.'))
        .unwrap_or_else(|| panic!("no id\n{}", out.describe()))
        .to_string()
}

/// `--resume ID` in plain mode (a second window), waiting for the notes.
fn resume(sb: &Sandbox, id: &str) -> Piped {
    let protocol = sb.write("mini.toml", MINI).display().to_string();
    let dir = dir_of(sb);
    let args = [
        "--data-dir",
        &dir,
        "--plain",
        "--protocol",
        &protocol,
        "--resume",
        id,
    ];
    let mut child = Piped::spawn(sb, &args);
    child.wait_stdout(|s| s.contains("Notes so far"), "the resumed notes");
    child
}

fn session_file(sb: &Sandbox, id: &str) -> PathBuf {
    sb.data().join("sessions").join(format!("{id}.json"))
}

/// The sessions on disk now, parsed, by id.
fn on_disk(sb: &Sandbox) -> Vec<Value> {
    let mut all: Vec<Value> = names_in(&sb.data().join("sessions"))
        .into_iter()
        .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
        .map(|n| common::read_json(&sb.data().join("sessions").join(n)))
        .collect();
    all.sort_by_key(|s| s["id"].as_str().unwrap_or_default().to_string());
    all
}

/// A session is open in one window at a time: while one window has it, a
/// second `--resume` of it says where it is and opens nothing; once the
/// first window is gone (even killed) it opens again.
#[test]
fn a_session_open_in_one_window_is_not_opened_in_a_second() {
    let sb = Sandbox::new();
    let id = unfinished(&sb, "marigold first words");
    let mut first = resume(&sb, &id);
    first.write(b"marigold from the first window\n");
    wait_until("the first window's save", || {
        fs::read_to_string(session_file(&sb, &id))
            .is_ok_and(|t| t.contains("marigold from the first window"))
    });

    let protocol = sb.write("mini.toml", MINI).display().to_string();
    let dir = dir_of(&sb);
    let second = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--plain",
            "--protocol",
            &protocol,
            "--resume",
            &id,
        ],
        b"marigold from the second window\n.\n.\n",
    );
    assert_ne!(second.code(), Some(0), "{}", second.describe());
    assert!(
        second.stderr().contains("open in another repair window"),
        "{}",
        second.describe()
    );
    assert!(!second.stdout().contains("Saved"), "{}", second.describe());

    // Killed, the first window lets go (the kernel drops its lock).
    common::send_signal(first.pid(), "KILL");
    let _ = first.finish();
    let mut again = resume(&sb, &id);
    again.write(b"marigold after the kill\n.\n.\n");
    let out = again.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let notes = on_disk(&sb)[0]["steps"][0]["notes"].clone();
    assert_eq!(
        notes,
        "marigold first words\nmarigold from the first window\nmarigold after the kill"
    );
    assert_eq!(on_disk(&sb).len(), 1);
}

/// Every save compares the file with the one this window read or last
/// wrote: a session changed on disk by another writer meanwhile is left as
/// that writer made it, and this window's notes become a new session, a
/// conflict copy naming the original, said so.
#[test]
fn a_session_changed_while_open_is_kept_and_the_notes_become_a_conflict_copy() {
    let sb = Sandbox::new();
    let id = unfinished(&sb, "marigold first words");
    let mut window = resume(&sb, &id);
    window.write(b"marigold typed here\n");
    wait_until("the window's save", || {
        fs::read_to_string(session_file(&sb, &id)).is_ok_and(|t| t.contains("marigold typed here"))
    });
    // Another writer (a copy restored from a backup, an older version)
    // replaces the file meanwhile.
    let mut other = common::read_json(&session_file(&sb, &id));
    other["steps"][0]["notes"] = json!("the other writer's words");
    fs::write(session_file(&sb, &id), other.to_string()).expect("write");

    window.write(b"marigold typed after\n.\nmarigold step two\n.\n");
    let out = window.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("conflict copy of"),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr().contains("was changed by another"),
        "{}",
        out.describe()
    );
    let all = on_disk(&sb);
    assert_eq!(all.len(), 2, "{all:#?}");
    let original = all
        .iter()
        .find(|s| s["id"] == id.as_str())
        .expect("original");
    assert_eq!(original["steps"][0]["notes"], "the other writer's words");
    let copy = all.iter().find(|s| s["id"] != id.as_str()).expect("copy");
    assert_eq!(copy["copy_of"], id.as_str(), "{copy:#}");
    assert_eq!(
        copy["steps"][0]["notes"],
        "marigold first words\nmarigold typed here\nmarigold typed after"
    );
    assert_eq!(copy["steps"][1]["notes"], "marigold step two");
    let saved = format!("Saved session {}.", copy["id"].as_str().unwrap());
    assert!(out.stdout().contains(&saved), "{}", out.describe());
}

/// A session deleted while its resume is open never comes back at that
/// window's next save (before or after the window's own first save): the
/// window says so and prints the notes.
#[test]
fn a_session_deleted_during_its_resume_is_not_brought_back() {
    let sb = Sandbox::new();
    let id = unfinished(&sb, "marigold first words");
    let window = resume(&sb, &id);
    let out = run(
        &sb,
        &["--data-dir", &dir_of(&sb), "notes", "delete", &id, "--yes"],
        b"",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let mut window = window;
    window.write(b"marigold typed after\n.\nmarigold step two\n.\n");
    let out = window.finish();
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(out.stdout().contains("was deleted"), "{}", out.describe());
    assert!(on_disk(&sb).is_empty(), "{:#?}", on_disk(&sb));

    let id = unfinished(&sb, "marigold first words");
    let mut window = resume(&sb, &id);
    window.write(b"marigold typed here\n");
    wait_until("the window's save", || {
        fs::read_to_string(session_file(&sb, &id)).is_ok_and(|t| t.contains("marigold typed here"))
    });
    let out = run(
        &sb,
        &["--data-dir", &dir_of(&sb), "notes", "delete", &id, "--yes"],
        b"",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());

    window.write(b"marigold typed after\n.\nmarigold step two\n.\n");
    let out = window.finish();
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(out.stdout().contains("was deleted"), "{}", out.describe());
    assert!(
        out.stdout().contains("marigold typed after"),
        "{}",
        out.describe()
    );
    assert!(on_disk(&sb).is_empty(), "{:#?}", on_disk(&sb));
}

/// The start screen of a second window names a session open in the first
/// instead of offering it (no Ctrl-R), and the key does nothing there.
#[test]
fn the_start_screen_says_a_session_is_open_in_another_window() {
    use common::Pty;
    let sb = Sandbox::new();
    let mut first = walk(&sb, false);
    first.write(b"marigold first line\n");
    wait_until("the first window's autosave", || {
        new_file(&sb, &[]).is_some()
    });

    let [flag, dir] = sb.data_arg();
    let mut second = Pty::spawn(&sb, &[&flag, &dir]);
    let screen = second.wait_for_text("unfinished from");
    assert!(screen.contains("Open in another window"), "{screen}");
    assert!(!screen.contains("Ctrl-R"), "{screen}");
    second.send("\x12");
    second.send("\x1b");
    let _ = second.exit_code();
    assert!(!second.screen().contains("Resuming"), "{}", second.dump());

    // Left unfinished there, it is offered again.
    first.close_stdin();
    let out = first.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let mut third = Pty::spawn(&sb, &[&flag, &dir]);
    let screen = third.wait_for_text("Unfinished from");
    assert!(screen.contains("Ctrl-R resumes it"), "{screen}");
    assert!(!screen.contains("Open in another window"), "{screen}");
    third.send("\x1b");
    let _ = third.exit_code();
}

/// The full screen, resuming a session that another writer changes on
/// disk meanwhile: nothing is written over it; the notes stay on screen
/// with `n` to keep them as a new session, which names the original.
#[test]
fn the_full_screen_offers_a_conflict_copy_when_its_session_changed_on_disk() {
    use common::{Pty, keys};
    let sb = Sandbox::new();
    let id = unfinished(&sb, "marigold first words");
    let protocol = sb.write("mini.toml", MINI).display().to_string();
    let [flag, dir] = sb.data_arg();
    let mut pty = Pty::spawn(
        &sb,
        &[&flag, &dir, "--protocol", &protocol, "--resume", &id],
    );
    pty.wait_for_text("marigold first words");
    pty.type_text(" plus typed");
    wait_until("the autosave", || {
        fs::read_to_string(session_file(&sb, &id)).is_ok_and(|t| t.contains("plus typed"))
    });
    let mut other = common::read_json(&session_file(&sb, &id));
    other["steps"][0]["notes"] = json!("the other writer's words");
    fs::write(session_file(&sb, &id), other.to_string()).expect("write");

    pty.type_text(" and more");
    let screen = pty.wait_for_text("keep as a new session");
    assert!(screen.contains("changed by another"), "{screen}");
    assert!(!screen.contains("retry"), "{screen}");
    pty.send("n");
    pty.wait_for_text("a conflict copy of");
    pty.send(keys::CTRL_S);
    pty.wait_for_text("Enter");
    pty.send("\r");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let all = on_disk(&sb);
    assert_eq!(all.len(), 2, "{all:#?}");
    let original = all
        .iter()
        .find(|s| s["id"] == id.as_str())
        .expect("original");
    assert_eq!(original["steps"][0]["notes"], "the other writer's words");
    let copy = all.iter().find(|s| s["id"] != id.as_str()).expect("copy");
    assert_eq!(copy["copy_of"], id.as_str(), "{copy:#}");
    assert_eq!(
        copy["steps"][0]["notes"],
        "marigold first words plus typed and more"
    );
}

/// A passphrase change re-wraps the same key, so a walk open meanwhile
/// still saves (sealed), and its notes open with the new passphrase.
#[test]
fn a_passphrase_change_does_not_stop_an_open_walk_from_saving() {
    let sb = Sandbox::new();
    encrypt(&sb);
    let mut child = walk(&sb, true);
    child.write(b"marigold first line\n");
    wait_until("the walk's sealed autosave", || {
        new_file(&sb, &[]).is_some()
    });
    let new = "a quiet river 12";
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir_of(&sb),
            "--passphrase-fd",
            "0",
            "notes",
            "passphrase",
        ],
        format!("{PASS}\n{new}\n{new}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    child.write(b"marigold after the change\n.\nmarigold two\n.\n");
    let out = child.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        !out.stderr().contains("changed the key"),
        "{}",
        out.describe()
    );
    let export = run(
        &sb,
        &[
            "--data-dir",
            &dir_of(&sb),
            "--passphrase-fd",
            "0",
            "notes",
            "export",
            "--format",
            "json",
        ],
        format!("{new}\n").as_bytes(),
    );
    assert_eq!(export.code(), Some(0), "{}", export.describe());
    assert!(
        export.stdout().contains("marigold after the change"),
        "{}",
        export.describe()
    );
}

/// A data directory replaced by an empty one while a walk is open is said
/// as what it is, not as a delete by another command; nothing is written
/// into the new directory and the notes are printed.
#[test]
fn a_data_directory_replaced_meanwhile_is_said_truthfully() {
    let sb = Sandbox::new();
    let mut child = walk(&sb, false);
    child.write(b"marigold first line\n");
    wait_until("the walk's autosave", || new_file(&sb, &[]).is_some());
    let old = sb.path().join("data-before");
    fs::rename(sb.data(), &old).expect("move away");
    fs::create_dir(sb.data()).expect("new dir");
    #[cfg(unix)]
    fs::set_permissions(
        sb.data(),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .expect("chmod");

    child.write(b"marigold second line\n.\nmarigold two\n.\n");
    let out = child.finish();
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let said = format!("{}{}", out.stdout(), out.stderr());
    assert!(
        said.contains("was replaced or emptied"),
        "{}",
        out.describe()
    );
    assert!(!said.contains("deleted by another"), "{}", out.describe());
    assert!(
        out.stdout().contains("marigold second line"),
        "{}",
        out.describe()
    );
    assert!(
        names_in(&sb.data()).is_empty(),
        "{:?}",
        names_in(&sb.data())
    );
}

/// `repair follow-up` (the list) only reads, so it works on a read-only
/// data directory (a backup, a snapshot).
// Read-only by Unix's mode bits (or, for root, Linux's immutable attribute).
#[cfg(unix)]
#[test]
fn the_follow_up_list_reads_a_read_only_data_directory() {
    let sb = Sandbox::new();
    let mut waiting = session("20261101-090000-0000aaaa", "marigold");
    waiting["complete"] = json!(true);
    waiting["finished_at"] = json!("2026-11-01T09:30:00+01:00");
    waiting["steps"][0]["status"] = json!("follow-up");
    waiting["steps"][0]["notes"] = json!("");
    sb.put_sessions(&[waiting]);
    let sessions = sb.data().join("sessions");
    let out = {
        let _read_only = ReadOnly::new(&[sb.data(), sessions]);
        run(&sb, &["--data-dir", &dir_of(&sb), "follow-up"], b"")
    };
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("20261101-090000-0000aaaa") && out.stdout().contains("open: Notice"),
        "{}",
        out.describe()
    );
}

/// Directories nobody may write in, for as long as this lives: mode 0500,
/// or, for root (whom modes do not stop), the immutable attribute.
#[cfg(unix)]
struct ReadOnly(Vec<PathBuf>);

#[cfg(unix)]
impl ReadOnly {
    fn new(dirs: &[PathBuf]) -> ReadOnly {
        use std::os::unix::fs::PermissionsExt;
        for dir in dirs {
            if common::running_as_root() {
                let ok = std::process::Command::new("chattr")
                    .arg("+i")
                    .arg(dir)
                    .status()
                    .is_ok_and(|s| s.success());
                assert!(ok, "chattr +i {} (needed to test as root)", dir.display());
            } else {
                fs::set_permissions(dir, fs::Permissions::from_mode(0o500)).expect("chmod");
            }
        }
        let guard = ReadOnly(dirs.to_vec());
        assert!(
            fs::write(dirs[0].join("probe"), b"").is_err(),
            "{} is still writable",
            dirs[0].display()
        );
        guard
    }
}

#[cfg(unix)]
impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        for dir in self.0.iter().rev() {
            if common::running_as_root() {
                let _ = std::process::Command::new("chattr")
                    .arg("-i")
                    .arg(dir)
                    .status();
            } else {
                let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
            }
        }
    }
}

/// The notes browser's `r` on a session open in another window says so
/// and stays open, instead of opening it a second time.
#[test]
fn the_browser_says_a_session_is_open_in_another_window() {
    use common::Pty;
    let sb = Sandbox::new();
    let id = unfinished(&sb, "marigold first words");
    let first = resume(&sb, &id);
    let [flag, dir] = sb.data_arg();
    let mut browser = Pty::spawn(&sb, &[&flag, &dir, "notes"]);
    browser.wait_for_text("Mini");
    browser.send("r");
    let screen = browser.wait_for_text("open in another window");
    assert!(!screen.contains("Resuming"), "{screen}");
    assert!(!screen.contains("Notes so far"), "{screen}");
    browser.send("q");
    assert_eq!(browser.exit_code(), 0, "{}", browser.dump());
    let out = first.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
}
