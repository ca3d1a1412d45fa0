//! Leaving part-way. Signals end every mode the same way: a save under way is waited for,
//! what was confirmed is saved, stderr says what was kept, and the exit
//! status is 128 + N. Real processes: pipes for plain mode, a
//! pseudo-terminal for the full screen. Each test has its own data
//! directory; waits poll for conditions, never for a time. A plain run
//! whose output is closed early keeps reading and saving.

use crate::common;

use common::{MINI, Piped, Pty, Sandbox, dir_of, step};

/// Sends `signal` and waits until the child says it stopped, with its
/// input still open: closing it first would race the signal with the end
/// of input.
fn stop(child: &mut Piped, signal: &str) {
    child.signal(signal);
    let start = std::time::Instant::now();
    while !child.stderr_now().contains("Stopped by a signal") {
        assert!(
            start.elapsed() < common::WAIT,
            "no word of the signal\n--- stdout ---\n{}\n--- stderr ---\n{}",
            child.stdout_now(),
            child.stderr_now()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn drill_fixture() -> String {
    format!(
        "{}/tests/fixtures/drill-protocol.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn plain_prep_stopped_by_a_signal_saves_the_answers_given() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let mut child = Piped::spawn(&sb, &["--data-dir", &dir, "prep", "--plain"]);
    child.write(b"skip\n1\n");
    child.wait_stdout(
        |s| s.contains("Your words for this step (2 of"),
        "the second step's words asked",
    );
    stop(&mut child, "TERM");
    let out = child.finish();
    assert_eq!(out.code(), Some(143), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("Stopped by a signal; the answers given so far are saved (session "),
        "{}",
        out.describe()
    );
    let (_, session) = sb.only_session();
    assert_eq!(session["mode"], "prep", "{session:#}");
    assert_eq!(session["finished_at"], serde_json::Value::Null);
    assert!(
        session
            .to_string()
            .contains("Let your feet find the floor."),
        "the chosen words are kept: {session:#}"
    );
    let entries = sb.all_session_entries();
    assert_eq!(entries.len(), 1, "temporary files left behind: {entries:?}");
}

#[test]
fn plain_walk_stopped_while_piped_lines_wait_saves_those_lines() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let protocol = sb.write("mini.toml", MINI);
    let protocol = protocol.to_str().unwrap();
    let mut child = Piped::spawn(&sb, &["--data-dir", &dir, "--protocol", protocol]);
    child.wait_stdout(|s| s.contains("Notes (end with"), "step 1's notes asked");
    // Two lines arrive together with the start of a third: more input is
    // waiting after each, so they are held for the once-a-second save
    // while the walk waits for the rest of the third line.
    child.write(b"first line\nsecond line\nthe third, unfinis");
    child.wait_reading_stdin();
    stop(&mut child, "TERM");
    let out = child.finish();
    assert_eq!(out.code(), Some(143), "{}", out.describe());
    assert!(
        out.stderr().contains(
            "Stopped by a signal; your notes up to the last full line are saved (session "
        ),
        "{}",
        out.describe()
    );
    let (_, session) = sb.only_session();
    assert_eq!(step(&session, "one")["notes"], "first line\nsecond line");
    assert_eq!(session["finished_at"], serde_json::Value::Null);
    let entries = sb.all_session_entries();
    assert_eq!(entries.len(), 1, "temporary files left behind: {entries:?}");
}

#[test]
fn plain_walk_with_saving_off_says_so_on_a_signal() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let protocol = sb.write("mini.toml", MINI);
    let protocol = protocol.to_str().unwrap();
    let mut child = Piped::spawn(
        &sb,
        &["--data-dir", &dir, "--no-save", "--protocol", protocol],
    );
    child.wait_stdout(|s| s.contains("Notes (end with"), "step 1's notes asked");
    child.write(b"a note\n");
    child.wait_reading_stdin();
    stop(&mut child, "INT");
    let out = child.finish();
    assert_eq!(out.code(), Some(130), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("Stopped by a signal; what you entered was not kept, because saving is off"),
        "{}",
        out.describe()
    );
    assert!(sb.session_files().is_empty());
}

/// Every attempt a plain drill has confirmed on screen is on disk after a
/// signal, however soon after the rating the signal comes.
#[test]
fn plain_drill_stopped_right_after_a_rating_keeps_every_attempt_shown() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let protocol = drill_fixture();
    let mut child = Piped::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "drill",
            "--plain",
            "--protocol",
            &protocol,
            "--scan-seconds",
            "1",
            "--respond-seconds",
            "0",
            "--seed",
            "3",
            "--step",
            "reflect",
            "--cards",
            "5",
        ],
    );
    for next in ["Card 2 of 5", "Card 3 of 5"] {
        child.write(b"\n\n1\n1 2\n9\n");
        child.wait_stdout(|s| s.contains(next), next);
    }
    // The third rating and the signal at once: the attempt is either not
    // yet taken (nothing shown for it) or kept.
    child.write(b"\n\n1\n1 2\n9\n");
    stop(&mut child, "HUP");
    let out = child.finish();
    assert_eq!(out.code(), Some(129), "{}", out.describe());
    let (_, session) = sb.only_session();
    let saved = session["drill_cards"].as_array().unwrap().len();
    // Each card header after the first follows an attempt kept.
    let shown = out
        .stdout()
        .lines()
        .filter(|l| l.starts_with("Card ") && l.contains(" of 5"))
        .count()
        .saturating_sub(1);
    assert!(
        saved >= 2 && saved >= shown,
        "{saved} attempts saved, {shown} confirmed on screen\n{}",
        out.describe()
    );
    assert!(
        out.stderr()
            .contains("Stopped by a signal; the cards assessed so far are saved (session "),
        "{}",
        out.describe()
    );
    let entries = sb.all_session_entries();
    assert_eq!(entries.len(), 1, "temporary files left behind: {entries:?}");
}

/// The full-screen drill says which session holds the attempts when a
/// signal ends it, and restores the terminal.
#[test]
fn full_screen_drill_stopped_by_a_signal_says_what_is_saved() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let protocol = drill_fixture();
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
            "2",
            "--step",
            "reflect",
            "--scan-seconds",
            "1",
            "--respond-seconds",
            "1",
        ],
    );
    // The drill's first screen: nothing runs until Enter.
    pty.wait_for_text("Enter begins the first card.");
    pty.send(common::keys::ENTER);
    pty.wait_for_text("Which marker did you see?");
    pty.send(common::keys::ENTER);
    pty.wait_for_text("Enter assess");
    pty.send(common::keys::ENTER);
    pty.wait_for_text("Did your response");
    pty.send(common::keys::ENTER);
    pty.wait_for_text("Card 2 of 2");
    pty.signal("TERM");
    assert_eq!(pty.exit_code(), 143, "{}", pty.dump());
    assert!(!pty.alternate_screen(), "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "{}", pty.dump());
    let (path, session) = sb.only_session();
    assert_eq!(session["drill_cards"].as_array().unwrap().len(), 1);
    let id = path.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(
        pty.screen()
            .contains(&format!("saved unfinished session {id}")),
        "{}",
        pty.dump()
    );
}

/// `printf 'skip\nnotes to keep\n.\n' | repair --plain | head -c 10`: the
/// reader of stdout is gone before the walk prints; the walk still reads
/// its input and saves, and says on stderr what it kept.
#[test]
fn plain_walk_whose_output_is_closed_still_saves_and_says_so() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let protocol = sb.write("mini.toml", MINI);
    let mut child = Command::new(common::BIN)
        .args(["--data-dir", &dir, "--plain", "--protocol"])
        .arg(&protocol)
        .envs(sb.env())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn repair");
    // Closed before anything is printed: every write to stdout fails.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"notes to keep\n.\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let (path, session) = sb.only_session();
    assert_eq!(step(&session, "one")["notes"], "notes to keep");
    let id = path.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(
        stderr.contains("the output was closed early, so printing stopped there")
            && stderr.contains(&format!("Saved session {id}.")),
        "{stderr}"
    );
}

/// A signal before anything worth keeping was written keeps nothing, as
/// the walk itself would.
#[test]
fn plain_walk_stopped_before_any_notes_saves_nothing() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let protocol = sb.write("mini.toml", MINI);
    let protocol = protocol.to_str().unwrap();
    let mut child = Piped::spawn(&sb, &["--data-dir", &dir, "--protocol", protocol]);
    child.write(b".\n");
    child.wait_stdout(|s| s.contains("Step 2 of 2"), "step 2");
    child.wait_reading_stdin();
    stop(&mut child, "TERM");
    let out = child.finish();
    assert_eq!(out.code(), Some(143), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("Stopped by a signal; nothing had been entered yet, so nothing was saved."),
        "{}",
        out.describe()
    );
    assert!(sb.session_files().is_empty(), "{:?}", sb.session_files());
}

/// The full-screen prep, stopped by a signal after a stem was chosen: the
/// terminal is restored and the unfinished prep is saved and named.
#[test]
fn full_screen_prep_stopped_by_a_signal_saves_the_answers_given() {
    let sb = Sandbox::new();
    let dir = dir_of(&sb);
    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "prep"]);
    pty.wait_for_text("First, the internal scan");
    pty.send(common::keys::TAB);
    pty.wait_for_text("(1 of 6)");
    pty.send(common::keys::ENTER);
    pty.wait_for_text("(2 of 6)");
    pty.signal("HUP");
    assert_eq!(pty.exit_code(), 129, "{}", pty.dump());
    assert!(!pty.alternate_screen(), "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "{}", pty.dump());
    let (path, session) = sb.only_session();
    assert_eq!(session["mode"], "prep", "{session:#}");
    assert_eq!(session["finished_at"], serde_json::Value::Null);
    let id = path.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(
        pty.screen()
            .contains(&format!("saved unfinished session {id}")),
        "{}",
        pty.dump()
    );
}
