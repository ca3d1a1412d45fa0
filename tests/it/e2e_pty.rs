//! The full screen, end to end, through a real pseudo-terminal: keys typed
//! one at a time, the screen read back through a vt100 emulator, the saved
//! session read from a temporary data directory.
//!
//! No assertion depends on timing: every step waits (up to a generous
//! deadline) for something to show on the screen or on disk.

use crate::common;

use common::{
    Pty, PtyOptions, Sandbox, assert_mode, count, escaped, find, keys, read_json, rfind, step,
};

const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const ENTER_ALT: &[u8] = b"\x1b[?1049h";

/// Starts a walk in its own sandbox with `--scan-seconds 1`.
fn start(sb: &Sandbox, extra: &[&str]) -> Pty {
    start_with(sb, extra, PtyOptions::default())
}

fn start_with(sb: &Sandbox, extra: &[&str], options: PtyOptions) -> Pty {
    let [flag, dir] = sb.data_arg();
    let mut args = vec![flag.as_str(), dir.as_str(), "--scan-seconds", "1"];
    args.extend_from_slice(extra);
    let pty = Pty::spawn_with(sb, &args, options);
    pty.wait_for_text("Step 1 of 6");
    pty
}

/// After the exit: the alternate screen was left after the last frame was
/// drawn, nothing but the cursor being shown again (and the closing message)
/// came after it, and the line discipline is back to normal.
fn assert_terminal_restored(pty: &Pty) {
    let raw = pty.raw();
    let entered = rfind(&raw, ENTER_ALT)
        .unwrap_or_else(|| panic!("the alternate screen was never entered\n{}", pty.dump()));
    let left = rfind(&raw, LEAVE_ALT)
        .unwrap_or_else(|| panic!("the alternate screen was never left\n{}", pty.dump()));
    assert!(
        left > entered,
        "the last alternate-screen switch is an enter, not a leave\n{}",
        pty.dump()
    );
    // What follows the leave: at most "show the cursor" and plain text.
    let after = &raw[left + LEAVE_ALT.len()..];
    let after_text = String::from_utf8_lossy(after).replace("\x1b[?25h", "");
    assert!(
        !after_text.contains('\x1b'),
        "escape sequences were written after leaving the alternate screen: {}\n{}",
        escaped(after),
        pty.dump()
    );
    assert!(
        !pty.alternate_screen(),
        "still on the alternate screen\n{}",
        pty.dump()
    );
    assert!(
        !pty.cursor_hidden(),
        "the cursor is still hidden\n{}",
        pty.dump()
    );
    assert!(
        !pty.bracketed_paste(),
        "bracketed paste is still on\n{}",
        pty.dump()
    );
    #[cfg(unix)]
    assert!(
        pty.termios_restored(),
        "the terminal was left in raw mode: local flags {:?}\n{}",
        pty.local_flags(),
        pty.dump()
    );
}

/// The id in a "... session ID." line on the screen.
fn id_on_screen(screen: &str, prefix: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} on screen:\n{screen}"));
    line[prefix.len()..]
        .split(['.', ' '])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Esc, then "d" on the question: leaves with nothing kept.
fn quit_discarding(pty: &mut Pty) {
    pty.send(keys::ESC);
    pty.wait_for_text("Quit?");
    pty.send("d");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_terminal_restored(pty);
}

fn file_stem(path: &std::path::Path) -> String {
    path.file_stem()
        .expect("file stem")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_whole_walk_typed_key_by_key_is_saved_and_the_terminal_restored() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    assert!(
        pty.alternate_screen(),
        "not on the alternate screen\n{}",
        pty.dump()
    );
    pty.wait_for_text(" Pause ");
    // Raw mode is on while the full screen runs (so the restored check
    // after the exit means something).
    #[cfg(unix)]
    assert!(
        !pty.termios_restored(),
        "the terminal is not in raw mode: {:?}",
        pty.local_flags()
    );

    // Step 1: Tab walks all six (Enter would drill this month's step);
    // the pause, then notes with CJK, emoji and a second line.
    pty.send(keys::TAB);
    pty.send(keys::ENTER);
    pty.wait_for_text(" Your notes ");
    let scan_notes = "Felt my jaw tighten 日本語 🌿 e\u{301}\nwanted to explain; stayed";
    pty.type_text(scan_notes);
    pty.wait_for_text("wanted to explain; stayed");

    // Step 2: a note with right-to-left text.
    pty.send(keys::TAB);
    pty.wait_for_text("Step 2 of 6");
    let reflect_notes = "Guessed it felt dismissive — שלום 🙂";
    pty.type_text(reflect_notes);
    pty.wait_for_text("Guessed it felt dismissive");

    // Step 3: visited, nothing written.
    pty.send(keys::TAB);
    pty.wait_for_text("Step 3 of 6");

    // Step 4: a note, with trailing spaces kept.
    pty.send(keys::TAB);
    pty.wait_for_text("Step 4 of 6");
    let mend_notes = "Owned rushing; offered more say.  ";
    pty.type_text(mend_notes);
    pty.wait_for_text("Owned rushing; offered more say.");

    // Step 5 (the follow-up step): left empty. Step 6 is never reached.
    pty.send(keys::TAB);
    pty.wait_for_text("Step 5 of 6");
    pty.wait_for_text("Later, ask what it was like");

    pty.send(keys::CTRL_S);
    // The summary: the pause taken, the follow-up left open, the last step
    // not reached.
    pty.wait_for_all(
        &[
            "Summary",
            "paused 0:01",
            "stays open as a follow-up",
            "not reached",
        ],
        &[],
    );

    pty.send(keys::ENTER);
    let code = pty.exit_code();
    assert_eq!(code, 0, "{}", pty.dump());
    assert_terminal_restored(&pty);

    let screen = pty.screen();
    let shown_id = id_on_screen(&screen, "Saved session ");

    // Exactly one private file in private directories.
    let (path, session) = sb.only_session();
    assert_eq!(file_stem(&path), shown_id, "{}", pty.dump());
    assert_mode(&path, 0o600);
    assert_mode(&sb.data(), 0o700);
    assert_mode(&sb.data().join("sessions"), 0o700);
    assert_eq!(
        sb.all_session_entries(),
        vec![format!("{shown_id}.json")],
        "temporary files were left behind"
    );

    assert_eq!(session["id"], shown_id.as_str());
    assert_eq!(session["mode"], "practice");
    assert_eq!(session["protocol"], "rupture-repair");
    assert_eq!(session["complete"], true, "{session:#}");
    assert!(session["finished_at"].is_string(), "{session:#}");
    assert_eq!(session["drill"], serde_json::Value::Null);

    let scan = step(&session, "scan");
    assert_eq!(scan["notes"], scan_notes, "scan notes byte for byte");
    assert_eq!(scan["status"], "done");
    assert_eq!(scan["pause_seconds"], 1, "{scan:#}");

    let reflect = step(&session, "reflect");
    assert_eq!(reflect["notes"], reflect_notes);
    assert_eq!(reflect["status"], "done");
    assert_eq!(reflect["pause_seconds"], serde_json::Value::Null);

    let validate = step(&session, "validate");
    assert_eq!(validate["notes"], "");
    assert_eq!(validate["status"], "skipped");

    let mend = step(&session, "mend");
    assert_eq!(mend["notes"], mend_notes, "trailing spaces kept");
    assert_eq!(mend["status"], "done");

    let ask = step(&session, "ask-later");
    assert_eq!(ask["notes"], "");
    assert_eq!(ask["status"], "follow-up");

    let enjoy = step(&session, "enjoy");
    assert_eq!(enjoy["status"], "not-reached");
    assert_eq!(enjoy["pause_seconds"], serde_json::Value::Null);

    // One pause completed: one bell.
    assert_eq!(count(&pty.raw(), b"\x07"), 1, "{}", pty.dump());
}

/// Types a note, sends `signal`, and checks the exit status, the restored
/// terminal and the unfinished session on disk.
fn signal_saves_and_restores(signal: &str, expected: u32) {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    let note = "kept when the terminal goes away 🌿";
    pty.type_text(note);
    pty.wait_for_text("kept when the terminal goes away");
    pty.wait_stable();

    pty.signal(signal);
    let status = pty.wait_exit();
    assert!(
        status.signal().is_none(),
        "killed by {status} instead of exiting\n{}",
        pty.dump()
    );
    assert_eq!(status.exit_code(), expected, "{}", pty.dump());
    assert_terminal_restored(&pty);
    let screen = pty.screen();
    assert!(
        screen.contains("stopped; saved unfinished session"),
        "{}",
        pty.dump()
    );

    let (path, session) = sb.only_session();
    assert_mode(&path, 0o600);
    assert_eq!(session["complete"], false, "{session:#}");
    assert_eq!(
        session["finished_at"],
        serde_json::Value::Null,
        "{session:#}"
    );
    assert_eq!(step(&session, "scan")["notes"], note);
    assert_eq!(
        step(&session, "scan")["pause_seconds"],
        serde_json::Value::Null
    );
    assert_eq!(step(&session, "reflect")["status"], "not-reached");
}

#[test]
fn sigterm_restores_the_terminal_and_saves_the_notes() {
    signal_saves_and_restores("TERM", 143);
}

#[test]
fn sighup_restores_the_terminal_and_saves_the_notes() {
    signal_saves_and_restores("HUP", 129);
}

#[test]
fn sigterm_without_notes_saves_nothing() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    pty.wait_stable();
    pty.signal("TERM");
    assert_eq!(pty.exit_code(), 143, "{}", pty.dump());
    assert_terminal_restored(&pty);
    assert!(sb.session_files().is_empty(), "{:?}", sb.session_files());
}

#[test]
fn a_tiny_window_asks_to_be_made_larger_and_recovers() {
    let sb = Sandbox::new();
    let [flag, dir] = sb.data_arg();
    let mut pty = Pty::spawn_sized(&sb, &[&flag, &dir, "--scan-seconds", "1"], 30, 10);
    pty.wait_for_text("Make the window larger");
    assert!(!pty.wait_stable().contains("Step 1 of 6"), "{}", pty.dump());

    pty.resize(80, 24);
    pty.wait_for(
        |s| s.contains("Step 1 of 6") && !s.contains("Make the window larger"),
        "the walk-through at 80x24",
    );

    pty.resize(39, 11);
    pty.wait_for(
        |s| s.contains("Make the window larger") && !s.contains("Step 1 of 6"),
        "the too-small message at 39x11",
    );

    // The smallest size the layout is made for.
    pty.resize(40, 12);
    pty.wait_for(
        |s| s.contains("Step 1 of 6") && !s.contains("Make the window larger"),
        "the walk-through at 40x12",
    );

    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_terminal_restored(&pty);
}

#[test]
fn quit_asks_when_there_are_notes_keep_going_then_save_unfinished() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    let note = "half a thought";
    pty.type_text(note);
    pty.wait_for_text(note);

    // Esc asks; k keeps going with the notes intact.
    pty.send(keys::ESC);
    pty.wait_for_all(&["Quit?", "save as unfinished", "discard these notes"], &[]);
    pty.send("k");
    pty.wait_gone("Quit?");
    pty.wait_for_text(note);

    // Ctrl-C is a key in the full screen: it asks too. Esc on the question
    // keeps going.
    pty.send(keys::CTRL_C);
    pty.wait_for_text("Quit?");
    pty.send(keys::ESC);
    pty.wait_gone("Quit?");

    // Ctrl-Q asks; s saves the unfinished session.
    pty.send(keys::CTRL_Q);
    pty.wait_for_text("Quit?");
    pty.send("s");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_terminal_restored(&pty);

    let screen = pty.screen();
    let id = id_on_screen(&screen, "Saved unfinished session ");
    let (path, session) = sb.only_session();
    assert_eq!(file_stem(&path), id);
    assert_eq!(session["complete"], false, "{session:#}");
    assert_eq!(session["finished_at"], serde_json::Value::Null);
    assert_eq!(step(&session, "scan")["notes"], note);
}

#[test]
fn quit_and_discard_removes_the_autosaved_draft() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    let note = "not for keeping";
    pty.type_text(note);
    pty.wait_for_text(note);

    // The autosave comes about a second after typing.
    let draft = sb.wait_for_session_file();
    let saved = common::read_json(&draft);
    assert_eq!(step(&saved, "scan")["notes"], note, "{saved:#}");
    assert_eq!(saved["complete"], false);

    pty.send(keys::ESC);
    pty.wait_for_text("Quit?");
    pty.send("d");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_terminal_restored(&pty);
    assert!(
        sb.all_session_entries().is_empty(),
        "the discarded draft is still on disk: {:?}",
        sb.all_session_entries()
    );
    assert!(!pty.screen().contains("Saved"), "{}", pty.dump());
}

#[test]
fn quit_without_notes_leaves_at_once_and_saves_nothing() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    pty.wait_stable();
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_terminal_restored(&pty);
    assert!(!pty.screen().contains("Quit?"), "{}", pty.dump());
    assert!(
        sb.all_session_entries().is_empty(),
        "{:?}",
        sb.all_session_entries()
    );
}

#[test]
fn f1_shows_the_keys_and_any_key_closes_them() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    pty.wait_for_text("This step begins with a pause");
    pty.send(keys::F1);
    pty.wait_for_all(&[" Keys ", "any key", "Ctrl-S"], &[]);

    // The closing key does nothing else: it is not typed into the notes,
    // so the pause is still on offer.
    pty.send("x");
    pty.wait_for_all(&["This step begins with a pause"], &[" Keys "]);
    let screen = pty.wait_stable();
    assert!(
        screen.contains("This step begins with a pause") && !screen.contains(" Your notes "),
        "{}",
        pty.dump()
    );

    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert!(
        sb.session_files().is_empty(),
        "the closing key became a note"
    );
}

#[test]
fn a_completed_pause_rings_the_bell_exactly_once() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    assert_eq!(count(&pty.raw(), b"\x07"), 0, "a bell before any pause");
    // Tab walks all six; Enter begins the first step's pause.
    pty.send(keys::TAB);
    pty.send(keys::ENTER);
    pty.wait_for_text(" Your notes ");
    pty.wait_raw(|raw| raw.contains(&0x07), "the bell");
    pty.wait_stable();
    // More drawing after the pause rings nothing more.
    pty.type_text("after the bell");
    pty.wait_for_text("after the bell");
    pty.wait_stable();
    assert_eq!(count(&pty.raw(), b"\x07"), 1, "{}", pty.dump());
    quit_discarding(&mut pty);
    assert_eq!(count(&pty.raw(), b"\x07"), 1, "{}", pty.dump());
}

#[test]
fn wide_characters_put_the_cursor_on_the_right_cell() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    // Typing on the offered pause goes straight to the notes.
    pty.type_text("日本語🌿");
    pty.wait_for_text(" Your notes ");
    pty.wait_for(
        |_| pty.find("日本語🌿").is_some(),
        "the wide text on screen",
    );
    let (row, left) = pty.find("日本語🌿").expect("found");
    // Three CJK characters and an emoji: eight cells.
    pty.wait_cursor(
        |at| at == (row, left + 8),
        &format!("cursor at ({row}, {}) after 4 wide characters", left + 8),
    );
    assert!(!pty.cursor_hidden(), "the cursor is hidden in the editor");

    // Two narrow ones more: 4*2+2 = 10 cells from the editor's left edge.
    pty.type_text("ab");
    pty.wait_for(|_| pty.find("日本語🌿ab").is_some(), "the text with ab");
    pty.wait_cursor(
        |at| at == (row, left + 10),
        &format!("cursor at ({row}, {}) after 4 wide + 2 narrow", left + 10),
    );
    quit_discarding(&mut pty);
}

#[test]
fn no_color_draws_without_colours() {
    // With colour: at least one colour sequence is drawn.
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    pty.wait_stable();
    let raw = pty.raw();
    assert!(
        common::find(&raw, b"38;5;").is_some(),
        "no colour drawn without NO_COLOR: {}",
        escaped(&raw)
    );
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0);

    // NO_COLOR=1: the same screen, monochrome.
    let sb = Sandbox::new();
    let mut pty = start_with(
        &sb,
        &[],
        PtyOptions {
            no_color: true,
            ..PtyOptions::default()
        },
    );
    pty.send(keys::TAB);
    pty.send(keys::ENTER);
    pty.wait_for_text(" Your notes ");
    pty.wait_stable();
    let raw = pty.raw();
    for colour in [&b"38;5;"[..], b"48;5;", b"38;2;", b"48;2;"] {
        assert!(
            common::find(&raw, colour).is_none(),
            "NO_COLOR output has {}: {}",
            escaped(colour),
            escaped(&raw)
        );
    }
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0);
}

#[test]
fn notes_stay_with_their_step_when_moving_back_and_forth() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    pty.type_text("scan words");
    pty.wait_for_text("scan words");
    pty.send(keys::TAB);
    pty.wait_for_text("Step 2 of 6");
    pty.type_text("reflect words");
    pty.wait_for_text("reflect words");
    pty.send(keys::SHIFT_TAB);
    pty.wait_for_all(&["Step 1 of 6", "scan words"], &["reflect words"]);
    pty.send(keys::TAB);
    pty.wait_for_all(&["Step 2 of 6", "reflect words"], &["scan words"]);

    pty.send(keys::ESC);
    pty.wait_for_text("Quit?");
    pty.send("s");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let (_, session) = sb.only_session();
    assert_eq!(step(&session, "scan")["notes"], "scan words");
    assert_eq!(step(&session, "reflect")["notes"], "reflect words");
}

#[test]
fn a_paste_keeps_newlines_and_drops_control_characters() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    pty.send("\x1b[200~pasted \x1b]0;pwned\x07 text\r\nline two end\x1b[201~");
    pty.wait_for_text("line two end");
    pty.wait_stable();
    let raw = pty.raw();
    assert!(
        common::find(&raw, b"\x1b]0;").is_none() && !raw.contains(&0x07),
        "the pasted escape sequence reached the terminal: {}",
        escaped(&raw)
    );

    pty.send(keys::ESC);
    pty.wait_for_text("Quit?");
    pty.send("s");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let (_, session) = sb.only_session();
    assert_eq!(
        step(&session, "scan")["notes"],
        "pasted ]0;pwned text\nline two end"
    );
}

#[test]
fn no_save_in_the_full_screen_keeps_nothing() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &["--no-save"]);
    pty.type_text("not kept");
    pty.wait_for_text("not kept");

    // The question offers no save; "s" does nothing there.
    pty.send(keys::ESC);
    pty.wait_for_all(&["Quit?", "saving is off"], &[]);
    assert!(
        !pty.wait_stable().contains("save as unfinished"),
        "{}",
        pty.dump()
    );
    pty.send("s");
    pty.send("k");
    pty.wait_gone("Quit?");

    pty.send(keys::CTRL_S);
    pty.wait_for_text("Summary");
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_terminal_restored(&pty);
    assert!(
        pty.screen().contains(
            "Nothing was saved: saving is off (--no-save or save = false in the settings)."
        ),
        "{}",
        pty.dump()
    );
    assert!(
        !sb.data().exists(),
        "--no-save created {}",
        sb.data().display()
    );
}

/// Replaces the data directory with a regular file, so every save fails
/// (whoever runs the tests, root included).
fn break_the_data_dir(sb: &Sandbox) {
    std::fs::remove_dir_all(sb.data()).expect("remove the data dir");
    std::fs::write(sb.data(), "in the way").expect("put a file in its place");
}

fn mend_the_data_dir(sb: &Sandbox) {
    std::fs::remove_file(sb.data()).expect("remove the file");
    std::fs::create_dir(sb.data()).expect("mkdir data");
    std::fs::create_dir(sb.data().join("sessions")).expect("mkdir sessions");
}

#[test]
fn a_failed_save_keeps_the_notes_and_can_be_retried() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    break_the_data_dir(&sb);
    pty.type_text("written while the disk is away");
    pty.wait_for_text("written while the disk is away");
    // The autosave fails and says so, and the walk goes on.
    pty.wait_for_text("Autosave failed");

    pty.send(keys::CTRL_S);
    pty.wait_for_text("Summary");
    pty.send(keys::ENTER);
    // The notes stay on screen with the error.
    pty.wait_for_all(
        &["could not be saved", "written while the disk is away"],
        &[],
    );

    mend_the_data_dir(&sb);
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert_terminal_restored(&pty);
    let id = id_on_screen(&pty.screen(), "Saved session ");
    let (path, session) = sb.only_session();
    assert_eq!(file_stem(&path), id);
    assert_eq!(session["complete"], true);
    assert_eq!(
        step(&session, "scan")["notes"],
        "written while the disk is away"
    );
}

#[test]
fn quitting_after_a_failed_save_prints_the_notes() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    break_the_data_dir(&sb);
    pty.type_text("first line kept\nsecond line kept");
    pty.wait_for_text("second line kept");
    pty.send(keys::CTRL_S);
    pty.wait_for_text("Summary");
    pty.send(keys::ENTER);
    pty.wait_for_text("could not be saved");
    pty.send("q");
    assert_eq!(pty.exit_code(), 1, "{}", pty.dump());
    assert_terminal_restored(&pty);
    let screen = pty.screen();
    assert!(screen.contains("could not be saved"), "{}", pty.dump());
    assert!(screen.contains("Pause and scan inward"), "{}", pty.dump());
    assert!(screen.contains("first line kept"), "{}", pty.dump());
    assert!(screen.contains("second line kept"), "{}", pty.dump());
}

/// The editor puts the terminal's own cursor where typing goes (for screen
/// readers and wide characters). When a line fills the editor's width
/// exactly, the cursor must still be shown.
#[test]
fn the_cursor_stays_visible_when_a_line_fills_the_editor_exactly() {
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    // The editor spans the 76 reading columns: 75 characters, then the 76th.
    pty.type_text(&"word ".repeat(14));
    pty.type_text("1234");
    pty.wait_for_text("word 1234");
    pty.wait_stable();
    assert!(
        !pty.cursor_hidden(),
        "cursor hidden with 79 characters\n{}",
        pty.dump()
    );
    pty.type_text("56");
    pty.wait_for_text("word 123456");
    pty.wait_stable();
    assert!(
        !pty.cursor_hidden(),
        "the cursor disappears when the line is exactly 76 columns wide \
         (it is at {:?})\n{}",
        pty.cursor(),
        pty.dump()
    );
    quit_discarding(&mut pty);
}

/// Random keys through the real terminal: nothing panics, the terminal is
/// restored however the walk ends, and every file left in the data
/// directory can be read. The keys come from a fixed seed (set
/// REPAIR_RANDOM_SEED to try another).
#[test]
fn random_keys_never_break_the_walk() {
    const KEYS: &[&str] = &[
        keys::TAB,
        keys::TAB,
        keys::SHIFT_TAB,
        keys::ENTER,
        " ",
        "+",
        "a",
        "b",
        "1",
        "3",
        "\x1b1",   // Alt-1
        "\x1b4",   // Alt-4
        "\x14",    // Ctrl-T
        "\x15",    // Ctrl-U
        "\x0b",    // Ctrl-K
        "\x1b[5~", // PgUp
        "\x1b[6~", // PgDn
        "\x1b[A",  // Up
        "\x1b[B",  // Down
        keys::F1,
        "\x1bOQ", // F2
        keys::CTRL_S,
        "\x7f", // Backspace
        "é",
    ];
    let seed: u64 = std::env::var("REPAIR_RANDOM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed);
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    'keys: for _ in 0..12 {
        for _ in 0..8 {
            pty.send(KEYS[next() % KEYS.len()]);
        }
        pty.wait_stable();
        if !pty.alternate_screen() {
            break 'keys;
        }
    }
    // However it stands, leave: Esc backs out of overlays and the summary,
    // and the quit question keeps the notes.
    for _ in 0..8 {
        let screen = pty.wait_stable();
        if !pty.alternate_screen() {
            break;
        }
        if screen.contains("Quit?") {
            pty.send("s");
        } else {
            pty.send(keys::ESC);
        }
    }
    let code = pty.exit_code();
    assert!(code == 0 || code == 1, "exit {code}\n{}", pty.dump());
    assert_terminal_restored(&pty);
    assert!(
        !String::from_utf8_lossy(&pty.raw()).contains("panicked"),
        "a panic\n{}",
        pty.dump()
    );
    for file in sb.session_files() {
        let value = read_json(&file);
        assert!(
            value.get("id").is_some(),
            "{} is not a session",
            file.display()
        );
    }
}

/// An empty walk kept by an older version (no notes, no pause) does not nag
/// on the start screen.
#[test]
fn an_empty_walk_does_not_nag_on_the_start_screen() {
    let sb = Sandbox::new();
    let today = chrono::Local::now().format("%Y%m%d").to_string();
    let steps: Vec<serde_json::Value> = ["scan", "reflect", "validate", "mend", "ask", "enjoy"]
        .iter()
        .map(|id| {
            serde_json::json!({
                "id": id,
                "title": id,
                "status": if *id == "ask" { "follow-up" } else { "skipped" },
                "notes": "",
                "pause_seconds": null
            })
        })
        .collect();
    sb.put_sessions(&[serde_json::json!({
        "id": format!("{today}-080000-abcd"),
        "mode": "practice",
        "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair",
        "drill": null,
        "started_at": chrono::Local::now().fixed_offset().to_rfc3339(),
        "finished_at": chrono::Local::now().fixed_offset().to_rfc3339(),
        "complete": true,
        "steps": steps
    })]);
    let mut pty = start(&sb, &[]);
    let screen = pty.wait_stable();
    assert!(
        !screen.contains("waiting for its follow-up"),
        "{}",
        pty.dump()
    );
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
}

/// The walk reads the mouse unless `mouse = false`; either way mouse
/// reporting is off again when it ends.
#[test]
fn mouse_capture_follows_the_setting_and_is_turned_off_on_exit() {
    const ON: &[u8] = b"\x1b[?1000h";
    const OFF: &[u8] = b"\x1b[?1000l";
    let sb = Sandbox::new();
    let mut pty = start(&sb, &[]);
    pty.wait_stable();
    assert!(
        find(&pty.raw(), ON).is_some(),
        "mouse capture on\n{}",
        pty.dump()
    );
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let raw = pty.raw();
    assert!(
        rfind(&raw, OFF) > rfind(&raw, ON),
        "turned off\n{}",
        pty.dump()
    );
    assert_terminal_restored(&pty);

    let sb = Sandbox::new();
    sb.write_settings("mouse = false\n");
    let mut pty = start(&sb, &[]);
    pty.wait_stable();
    assert!(
        find(&pty.raw(), ON).is_none(),
        "no mouse capture\n{}",
        pty.dump()
    );
    pty.send(keys::ESC);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
}

/// A walk of the builtin protocol from today, started `minutes` past eight:
/// finished with its follow-up waiting, or unfinished after the first step.
fn walk_record(minutes: u32, follow_up: bool) -> serde_json::Value {
    let now = chrono::Local::now().fixed_offset();
    let id = format!("{}-08{minutes:02}00-abcd", now.format("%Y%m%d"));
    let steps: Vec<serde_json::Value> = ["scan", "reflect", "validate", "mend", "ask", "enjoy"]
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let status = match (follow_up, i) {
                (_, 0) => "done",
                (true, 4) => "follow-up",
                (true, _) => "done",
                (false, _) => "not-reached",
            };
            serde_json::json!({
                "id": id,
                "title": id,
                "status": status,
                "notes": if i == 0 { "shoulders up" } else { "" },
                "pause_seconds": null
            })
        })
        .collect();
    serde_json::json!({
        "id": id,
        "mode": "practice",
        "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair",
        "drill": null,
        "started_at": now.to_rfc3339(),
        "finished_at": if follow_up { serde_json::json!(now.to_rfc3339()) } else { serde_json::Value::Null },
        "complete": follow_up,
        "steps": steps
    })
}

/// Every row but the footer (the last non-blank one).
fn above_the_footer(screen: &str) -> String {
    let rows: Vec<&str> = screen.lines().collect();
    let last = rows.iter().rposition(|r| !r.trim().is_empty()).unwrap_or(0);
    rows[..last].join("\n")
}

/// With a follow-up waiting and an unfinished walk, the start screen offers
/// both, each with its key, at every size (not only in the footer).
#[test]
fn the_start_screen_offers_a_follow_up_and_an_unfinished_walk_together() {
    let sb = Sandbox::new();
    sb.put_sessions(&[walk_record(0, true), walk_record(10, false)]);
    for (cols, rows) in [(80, 24), (160, 45), (120, 40), (120, 24), (40, 12)] {
        let mut pty = start_with(
            &sb,
            &[],
            PtyOptions {
                cols,
                rows,
                ..PtyOptions::default()
            },
        );
        let screen = pty.wait_stable();
        let body = above_the_footer(&screen);
        if rows >= 40 {
            // Room to wrap: every word of both offers shows.
            let words = body.split_whitespace().collect::<Vec<_>>().join(" ");
            for whole in ["waiting for its follow-up, from", "Unfinished from"] {
                assert!(words.contains(whole), "{cols}x{rows}: {whole}\n{screen}");
            }
        }
        if cols >= 80 {
            for whole in ["Ctrl-F opens it", "Ctrl-R resumes it", "Unfinished from"] {
                assert!(body.contains(whole), "{cols}x{rows}: {whole}\n{screen}");
            }
        }
        for key in ["Ctrl-F", "Ctrl-R"] {
            assert!(body.contains(key), "{cols}x{rows}: {key}\n{screen}");
        }
        pty.send(keys::ESC);
        assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    }
}
