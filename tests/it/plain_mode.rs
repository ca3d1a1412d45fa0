//! Plain mode and the other commands, end to end through pipes (stdin is not
//! a terminal, so the walk is plain lines), plus `--plain` in a terminal.
//!
//! Every test uses its own temporary data directory; nothing depends on
//! timing (waits poll for output with a generous deadline).

use crate::common;

use std::fs;
use std::path::Path;

use common::{Output, Piped, Pty, Sandbox, assert_mode, run, step};

/// `--data-dir D --scan-seconds 1` followed by `extra`.
fn walk_args<'a>(dir: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--data-dir", dir, "--scan-seconds", "1"];
    args.extend_from_slice(extra);
    args
}

fn data_dir(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

fn stdout_lines(out: &Output) -> Vec<String> {
    out.stdout().lines().map(str::to_owned).collect()
}

/// The index of the first line equal to `line`, failing with the output.
fn line_index(out: &Output, line: &str) -> usize {
    stdout_lines(out)
        .iter()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("no line {line:?} in the output\n{}", out.describe()))
}

/// The id in the last line starting with `prefix` and ending with ".".
fn id_after(out: &Output, prefix: &str) -> String {
    let lines = stdout_lines(out);
    let line = lines
        .iter()
        .rev()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}\n{}", out.describe()));
    line[prefix.len()..]
        .strip_suffix('.')
        .unwrap_or_else(|| panic!("{line:?} does not end with '.'"))
        .to_string()
}

fn assert_no_escape(bytes: &[u8], what: &str) {
    assert!(
        !bytes.contains(&0x1b),
        "{what} holds an ESC byte: {}",
        common::escaped(bytes)
    );
}

/// Notes with what a terminal could choke on: CJK, emoji (with a ZWJ
/// sequence), a combining accent, right-to-left scripts, escape sequences,
/// a BEL, a tab and trailing spaces.
const TRICKY_LINES: [&str; 4] = [
    "Ĉu? 日本語 🌿 👩\u{200d}⚕\u{fe0f} e\u{301}",
    "مرحبا بالعالم — שלום",
    "esc: \u{1b}]0;pwned\u{7} \u{1b}[31mred\u{1b}[0m",
    "\ttab and trailing  ",
];

/// A small protocol: a step without a pause, then one with a pause.
const MINI: &str = r#"[protocol]
id = "mini"
title = "Mini"

[[step]]
id = "one"
title = "One"
guidance = "First."

[[step]]
id = "two"
title = "Two"
guidance = "Second."

[step.pause]
seconds = 30
cues = ["Breathe."]
"#;

#[test]
fn a_whole_walk_fed_by_stdin_is_saved_byte_for_byte() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let scan_lines = ["first line 日本語 🌿", "..", "שלום and  spaces  "];
    let mut input = String::from("\n"); // begin the pause
    for line in scan_lines {
        input.push_str(line);
        input.push('\n');
    }
    input.push_str(".\n");
    input.push_str("reflected\n.\n"); // step 2
    input.push_str(".\n"); // step 3: nothing
    input.push_str("mended\r\n.\n"); // step 4, a CRLF line
    input.push_str(".\n"); // step 5: left open
    input.push_str("last one\nand its second line"); // step 6 ends at EOF
    let out = run(&sb, &walk_args(&dir, &[]), input.as_bytes());

    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_no_escape(&out.stdout, "stdout");
    let lines = stdout_lines(&out);
    for k in 1..=6 {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("Step {k} of 6: "))),
            "no Step {k} line\n{}",
            out.describe()
        );
    }
    let step1 = line_index(&out, "Step 1 of 6: Pause and scan inward");
    let press = line_index(&out, "Press Enter to begin the pause.");
    let pause = lines
        .iter()
        .position(|l| l.starts_with("Pause:"))
        .unwrap_or_else(|| panic!("no Pause: line\n{}", out.describe()));
    let complete = line_index(&out, "Pause complete.");
    let notes = line_index(&out, "Notes (end with a line holding only \".\"):");
    assert!(
        step1 < press && press < pause && pause < complete && complete < notes,
        "lines out of order\n{}",
        out.describe()
    );
    let notes_prompts = lines
        .iter()
        .filter(|l| *l == "Notes (end with a line holding only \".\"):")
        .count();
    assert_eq!(notes_prompts, 6, "{}", out.describe());
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("Pause:")).count(),
        1,
        "only the first step has a pause\n{}",
        out.describe()
    );

    let id = id_after(&out, "Saved session ");
    let (path, session) = sb.only_session();
    assert_eq!(path.file_stem().unwrap().to_string_lossy(), id);
    assert_mode(&path, 0o600);
    assert_mode(&sb.data(), 0o700);
    assert_mode(&sb.data().join("sessions"), 0o700);
    assert_eq!(session["complete"], true, "{session:#}");
    assert!(session["finished_at"].is_string());

    let scan = step(&session, "scan");
    // ".." is stored as "."; lines are joined with \n; bytes kept exactly.
    assert_eq!(scan["notes"], "first line 日本語 🌿\n.\nשלום and  spaces  ");
    assert_eq!(scan["pause_seconds"], 1, "{scan:#}");
    assert_eq!(scan["status"], "done");
    assert_eq!(step(&session, "reflect")["notes"], "reflected");
    assert_eq!(step(&session, "validate")["status"], "skipped");
    assert_eq!(
        step(&session, "mend")["notes"],
        "mended",
        "CRLF ending dropped"
    );
    assert_eq!(step(&session, "ask-later")["status"], "follow-up");
    assert_eq!(
        step(&session, "enjoy")["notes"],
        "last one\nand its second line"
    );
    assert!(
        out.stdout()
            .contains("Open as a follow-up: Later, ask what it was like."),
        "{}",
        out.describe()
    );
}

#[test]
fn skip_at_the_pause_prompt_skips_the_pause() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let out = run(
        &sb,
        &walk_args(&dir, &["--focus"]),
        b"skip\nno pause today\n.\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let lines = stdout_lines(&out);
    assert!(
        !lines.iter().any(|l| l.starts_with("Pause:")),
        "{}",
        out.describe()
    );
    assert!(
        !lines.iter().any(|l| l == "Pause complete."),
        "{}",
        out.describe()
    );
    line_index(&out, "Pause skipped.");
    let (_, session) = sb.only_session();
    let scan = step(&session, "scan");
    assert_eq!(scan["pause_seconds"], serde_json::Value::Null, "{scan:#}");
    assert_eq!(scan["notes"], "no pause today");
    assert_eq!(scan["status"], "done");
    assert_eq!(session["complete"], true);
}

#[test]
fn end_of_input_part_way_saves_an_unfinished_session() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    // The pause, step 1's notes, step 2's notes, then nothing more.
    let out = run(
        &sb,
        &walk_args(&dir, &[]),
        "\nscan note 🌿\n.\nreflect note\nsecond\n.\n".as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let id = id_after(&out, "Input ended part-way. Saved unfinished session ");
    let (path, session) = sb.only_session();
    assert_eq!(path.file_stem().unwrap().to_string_lossy(), id);
    assert_eq!(session["complete"], false, "{session:#}");
    assert_eq!(session["finished_at"], serde_json::Value::Null);
    assert_eq!(step(&session, "scan")["notes"], "scan note 🌿");
    assert_eq!(step(&session, "reflect")["notes"], "reflect note\nsecond");
    assert_eq!(step(&session, "mend")["status"], "not-reached");
    assert_eq!(step(&session, "enjoy")["status"], "not-reached");
}

#[test]
fn end_of_input_before_anything_is_typed_saves_nothing() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let out = run(&sb, &walk_args(&dir, &[]), b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("nothing was saved"),
        "{}",
        out.describe()
    );
    assert!(
        sb.all_session_entries().is_empty(),
        "{:?}",
        sb.all_session_entries()
    );
}

#[test]
fn no_save_creates_nothing_at_all() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let out = run(
        &sb,
        &walk_args(&dir, &["--no-save"]),
        "\nscan\n.\nreflect\n.\n.\n.\n.\nthe end".as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains(
            "Nothing was saved: saving is off (--no-save or save = false in the settings)."
        ),
        "{}",
        out.describe()
    );
    assert!(
        !out.stdout().contains("Saved session"),
        "{}",
        out.describe()
    );
    assert!(
        !sb.data().exists(),
        "--no-save created the data directory {}",
        sb.data().display()
    );
    let home: Vec<_> = fs::read_dir(sb.home()).unwrap().collect();
    assert!(home.is_empty(), "--no-save wrote under HOME: {home:?}");

    // Input ending part-way with --no-save keeps nothing either.
    let out = run(&sb, &walk_args(&dir, &["--no-save"]), b"\nhalf\n.\n");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("Nothing was saved"),
        "{}",
        out.describe()
    );
    assert!(!sb.data().exists());
}

#[test]
fn step_drills_one_step() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let out = run(
        &sb,
        &walk_args(&dir, &["--step", "validate"]),
        b"makes sense\n.\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    line_index(&out, "Step 1 of 1: Validate");
    // A one-step walk is practised alone, never called a drill (that is
    // `repair drill`).
    line_index(&out, "Practising one step alone: Validate.");
    assert!(
        !out.stdout().to_lowercase().contains("drill"),
        "{}",
        out.describe()
    );
    assert!(!out.stdout().contains("Step 2"), "{}", out.describe());
    let (_, session) = sb.only_session();
    assert_eq!(session["drill"], "validate");
    assert_eq!(session["steps"].as_array().unwrap().len(), 1, "{session:#}");
    assert_eq!(step(&session, "validate")["notes"], "makes sense");
}

#[test]
fn focus_drills_the_scan() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let out = run(&sb, &walk_args(&dir, &["--focus"]), b"\nscanned\n.\n");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    line_index(&out, "Step 1 of 1: Pause and scan inward");
    line_index(&out, "Pause complete.");
    let (_, session) = sb.only_session();
    assert_eq!(session["drill"], "scan");
    assert_eq!(step(&session, "scan")["pause_seconds"], 1);
}

#[test]
fn an_unknown_step_is_a_one_line_error_naming_the_known_steps() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let out = run(&sb, &walk_args(&dir, &["--step", "nope"]), b"typed\n.\n");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(out.stdout.is_empty(), "{}", out.describe());
    let stderr = out.stderr();
    assert_eq!(stderr.lines().count(), 1, "{}", out.describe());
    assert!(stderr.starts_with("repair: "), "{}", out.describe());
    assert!(stderr.contains("\"nope\""), "{}", out.describe());
    for id in ["scan", "reflect", "validate", "mend", "ask-later", "enjoy"] {
        assert!(stderr.contains(id), "{id} not named\n{}", out.describe());
    }
    assert!(sb.session_files().is_empty());

    // A step name holding an escape sequence is shown escaped.
    let out = run(
        &sb,
        &walk_args(&dir, &["--step", "bad\u{1b}]0;pwned\u{7}step"]),
        b"",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        !out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07),
        "raw control bytes on stderr: {}",
        common::escaped(&out.stderr)
    );
    assert_eq!(out.stderr().lines().count(), 1, "{}", out.describe());
}

#[test]
fn scan_seconds_out_of_range_is_a_usage_error() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    for bad in ["0", "3601", "-1", "ten"] {
        let out = run(&sb, &["--data-dir", &dir, "--scan-seconds", bad], b"");
        assert_eq!(
            out.code(),
            Some(2),
            "--scan-seconds {bad}\n{}",
            out.describe()
        );
        assert!(out.stdout.is_empty(), "{}", out.describe());
        assert!(!out.stderr.is_empty(), "{}", out.describe());
    }
    assert!(!sb.data().exists(), "a usage error touched the data dir");
    // The limits themselves are fine.
    let out = run(
        &sb,
        &["--data-dir", &dir, "--scan-seconds", "3600", "--no-save"],
        b"",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
}

#[test]
fn notes_export_json_gives_every_session_oldest_first_byte_for_byte() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);

    // A finished walk with a 1-second pause (so the next one starts later).
    let first = run(
        &sb,
        &walk_args(&dir, &["--step", "scan"]),
        b"\nfirst session\n.\n",
    );
    assert_eq!(first.code(), Some(0), "{}", first.describe());
    let first_id = id_after(&first, "Saved session ");

    // An unfinished one, with notes a terminal would choke on.
    let mut input = String::from("skip\n");
    for line in TRICKY_LINES {
        input.push_str(line);
        input.push('\n');
    }
    input.push_str(".\n");
    let second = run(&sb, &walk_args(&dir, &[]), input.as_bytes());
    assert_eq!(second.code(), Some(0), "{}", second.describe());
    assert_no_escape(&second.stdout, "plain stdout");
    let second_id = id_after(&second, "Input ended part-way. Saved unfinished session ");

    // A damaged file is skipped with a word on stderr, never quoted.
    sb.write(
        "data/sessions/20200101-000000-dead.json",
        "{ \"secret note\": ",
    );

    let out = run(
        &sb,
        &["notes", "export", "--format", "json", "--data-dir", &dir],
        b"",
    );
    // An export that leaves a file out says so and ends with 1.
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(out.stderr().contains("skipped"), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("the export is not complete: 1 session file"),
        "{}",
        out.describe()
    );
    assert!(!out.stderr().contains("secret"), "{}", out.describe());
    assert_no_escape(&out.stdout, "the JSON export");
    let export: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.describe()));
    let sessions = export.as_array().expect("a JSON array");
    assert_eq!(sessions.len(), 2, "{export:#}");
    assert_eq!(sessions[0]["id"], first_id.as_str(), "oldest first");
    assert_eq!(sessions[1]["id"], second_id.as_str());

    for session in sessions {
        assert_eq!(session["mode"], "practice");
        assert_eq!(session["protocol"], "rupture-repair");
        let started = session["started_at"].as_str().expect("started_at");
        chrono::DateTime::parse_from_rfc3339(started)
            .unwrap_or_else(|e| panic!("started_at {started:?} is not RFC 3339: {e}"));
        for s in session["steps"].as_array().expect("steps") {
            for field in ["id", "title", "status", "notes", "pause_seconds"] {
                assert!(s.get(field).is_some(), "step without {field}: {s:#}");
            }
        }
    }
    let finished = sessions[0]["finished_at"].as_str().expect("finished_at");
    chrono::DateTime::parse_from_rfc3339(finished)
        .unwrap_or_else(|e| panic!("finished_at {finished:?} is not RFC 3339: {e}"));
    assert_eq!(sessions[0]["complete"], true);
    assert_eq!(step(&sessions[0], "scan")["notes"], "first session");
    assert_eq!(step(&sessions[0], "scan")["pause_seconds"], 1);

    assert_eq!(sessions[1]["complete"], false);
    assert_eq!(sessions[1]["finished_at"], serde_json::Value::Null);
    let tricky = step(&sessions[1], "scan")["notes"]
        .as_str()
        .expect("notes")
        .to_owned();
    // Plain mode drops control characters as the full screen does (keeping
    // tab); everything else is kept byte for byte.
    let mut typed = TRICKY_LINES.join("\n");
    typed.retain(|c| c == '\t' || c == '\n' || !c.is_control());
    assert_eq!(
        tricky.as_bytes(),
        typed.as_bytes(),
        "notes not kept byte for byte"
    );
    assert_eq!(
        step(&sessions[1], "scan")["pause_seconds"],
        serde_json::Value::Null
    );
}

#[test]
fn validate_says_ok_once_for_a_good_file() {
    let sb = Sandbox::new();
    let good = sb.write("good.toml", MINI);
    let good = good.to_str().unwrap();
    let out = run(&sb, &["validate", good], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let steps = MINI.matches("[[step]]").count();
    let noun = if steps == 1 { "step" } else { "steps" };
    assert_eq!(
        out.stdout(),
        format!("{good}: ok, {steps} {noun}, 0 cards\n")
    );
    assert!(out.stderr.is_empty(), "{}", out.describe());
}

/// A file with several problems, one of them an escape sequence written as
/// TOML escapes ("\u001b]0;pwned\u0007": a request to retitle the window).
const BAD_ESCAPED: &str = "[protocol]\nid = \"bad\"\ntitle = \"Evil \\u001b]0;pwned\\u0007 title\"\n\n[[step]]\nid = \"Bad Id\"\ntitle = \"x\"\nguidance = \"\"\ncolour = 3\n";

/// A file with the same sequence as raw bytes, and a step missing guidance.
const BAD_RAW: &str = "[protocol]\nid = \"raw\"\ntitle = \"Raw \u{1b}]0;pwned\u{7} title\"\n\n[[step]]\nid = \"a\"\ntitle = \"A\"\n";

#[test]
fn validate_prints_every_problem_as_path_line_col_and_no_raw_control_bytes() {
    let sb = Sandbox::new();
    let escaped = sb.write("escaped.toml", BAD_ESCAPED);
    let raw = sb.write("raw.toml", BAD_RAW);
    let good = sb.write("good.toml", MINI);
    let (escaped, raw, good) = (
        escaped.to_str().unwrap(),
        raw.to_str().unwrap(),
        good.to_str().unwrap(),
    );
    let out = run(&sb, &["validate", escaped, good, raw], b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    // Only the good file is said to be ok.
    let stdout = out.stdout();
    assert_eq!(stdout.lines().count(), 1, "{}", out.describe());
    assert!(
        stdout.starts_with(&format!("{good}: ok, ")),
        "{}",
        out.describe()
    );
    assert!(
        !out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07),
        "raw control bytes on stderr: {}",
        common::escaped(&out.stderr)
    );
    let stderr = out.stderr();
    let problems: Vec<(String, usize, usize, String)> = stderr
        .lines()
        .map(|line| parse_problem(line, &[escaped, raw]))
        .collect();
    let expected: &[(&str, usize, usize, &str)] = &[
        (escaped, 3, 9, "control character"),
        (escaped, 6, 6, "Bad Id"),
        (escaped, 8, 12, "\"guidance\" is empty"),
        (escaped, 9, 1, "colour"),
        (raw, 3, 9, "control character"),
        (raw, 5, 1, "guidance"),
    ];
    for (path, line, col, says) in expected {
        assert!(
            problems
                .iter()
                .any(|(p, l, c, m)| p == path && l == line && c == col && m.contains(says)),
            "no problem {path}:{line}:{col} saying {says:?}\n{stderr}"
        );
    }
    assert!(
        !stderr.contains(good),
        "the good file was complained about\n{stderr}"
    );
    // The escape sequence is shown, escaped, so it can be found and fixed.
    assert!(stderr.contains("\\x1b"), "{stderr}");
}

/// Splits `PATH:LINE:COL: message`, checking PATH is one of `paths`.
fn parse_problem(line: &str, paths: &[&str]) -> (String, usize, usize, String) {
    let path = paths
        .iter()
        .find(|p| line.starts_with(&format!("{p}:")))
        .unwrap_or_else(|| panic!("{line:?} does not start with one of {paths:?}"));
    let rest = &line[path.len() + 1..];
    let mut parts = rest.splitn(3, ':');
    let number = |s: Option<&str>| -> usize {
        s.and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{line:?} is not PATH:LINE:COL: message"))
    };
    let l = number(parts.next());
    let c = number(parts.next());
    let message = parts.next().unwrap_or_default();
    assert!(
        message.starts_with(' ') && message.trim().len() > 3,
        "{line:?} has no message"
    );
    (path.to_string(), l, c, message.trim().to_string())
}

#[test]
fn protocols_lists_the_builtin_one_and_invalid_files_with_their_error() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    sb.write("data/protocols/mini.toml", MINI);
    sb.write("data/protocols/broken.toml", BAD_ESCAPED);
    let out = run(&sb, &["protocols", "--data-dir", &dir], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_no_escape(&out.stdout, "the protocol list");
    let lines = stdout_lines(&out);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("rupture-repair") && l.contains("6 steps")),
        "{}",
        out.describe()
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("mini") && l.contains("2 steps")),
        "{}",
        out.describe()
    );
    let broken_line = lines
        .iter()
        .find(|l| l.starts_with("broken"))
        .unwrap_or_else(|| panic!("the invalid file is not listed\n{}", out.describe()));
    assert!(broken_line.contains("invalid"), "{broken_line}");
    assert!(
        // Said as the program finds it: the data folder, then its parts
        // joined in the platform's way.
        broken_line.contains(&format!(
            "{}:3:9:",
            sb.data().join("protocols").join("broken.toml").display()
        )),
        "{broken_line}"
    );
}

#[test]
fn sigterm_during_a_plain_pause_exits_143_and_keeps_the_notes() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let protocol = sb.write("mini.toml", MINI);
    let protocol = protocol.to_str().unwrap();
    let mut child = Piped::spawn(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--scan-seconds",
            "30",
            "--protocol",
            protocol,
        ],
    );
    child.write("note one 🌿\nsecond line\n.\n".as_bytes());
    child.wait_stdout(
        |s| s.contains("Step 2 of 2: Two") && s.contains("Press Enter to begin the pause."),
        "step 2 offering its pause",
    );
    child.write(b"\n");
    child.wait_stdout(|s| s.contains("Pause: 30 seconds"), "the pause under way");
    // Plain mode saves after every line: the notes are on disk already.
    sb.wait_for_session_file();

    child.signal("TERM");
    let out = child.finish();
    assert_eq!(out.code(), Some(143), "{}", out.describe());
    assert!(
        !out.stdout().contains("Pause complete."),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr().contains("Stopped by a signal"),
        "{}",
        out.describe()
    );
    let (_, session) = sb.only_session();
    assert_eq!(session["protocol"], "mini");
    assert_eq!(session["complete"], false, "{session:#}");
    assert_eq!(session["finished_at"], serde_json::Value::Null);
    assert_eq!(step(&session, "one")["notes"], "note one 🌿\nsecond line");
    let entries = sb.all_session_entries();
    assert_eq!(entries.len(), 1, "temporary files left behind: {entries:?}");
}

// Symbolic links as Unix makes them (Windows needs a privilege for one).
#[cfg(unix)]
#[test]
fn a_symlinked_data_dir_is_refused_before_anything_is_asked() {
    let sb = Sandbox::new();
    let real = sb.path().join("real");
    fs::create_dir(&real).unwrap();
    let link = sb.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let link = link.display().to_string();
    let out = run(&sb, &walk_args(&link, &[]), b"\nnote\n.\n");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stdout.is_empty(),
        "asked before refusing\n{}",
        out.describe()
    );
    let stderr = out.stderr();
    assert_eq!(stderr.lines().count(), 1, "{}", out.describe());
    assert!(stderr.starts_with("repair: "), "{}", out.describe());
    assert!(stderr.contains("symbolic link"), "{}", out.describe());
    assert_eq!(
        fs::read_dir(&real).unwrap().count(),
        0,
        "something was written through the link"
    );

    // The path in the message is escaped: a link named with an escape
    // sequence cannot retitle the terminal.
    let evil = sb.path().join("evil\u{1b}]0;pwned\u{7}link");
    std::os::unix::fs::symlink(&real, &evil).unwrap();
    let evil = evil.display().to_string();
    let out = run(&sb, &walk_args(&evil, &[]), b"");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        !out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07),
        "raw control bytes on stderr: {}",
        common::escaped(&out.stderr)
    );
    assert!(out.stderr().contains("\\x1b"), "{}", out.describe());
}

#[test]
fn an_unusable_data_dir_fails_before_the_walk_starts() {
    let sb = Sandbox::new();
    // Under a regular file: cannot be created, even by root.
    sb.write("file", "not a directory");
    let under_file = sb.path().join("file").join("sub").display().to_string();
    let out = run(&sb, &walk_args(&under_file, &[]), b"\nnote\n.\n");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stdout.is_empty(),
        "asked before failing\n{}",
        out.describe()
    );
    assert_eq!(out.stderr().lines().count(), 1, "{}", out.describe());
    assert!(out.stderr().starts_with("repair: "), "{}", out.describe());

    // A directory without write permission (meaningless for root), by
    // Unix's mode bits.
    #[cfg(unix)]
    {
        if common::running_as_root() {
            eprintln!("note: running as root; skipping the read-only (0500) data dir check");
            return;
        }
        use std::os::unix::fs::PermissionsExt;
        let locked = sb.path().join("locked");
        fs::create_dir(&locked).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o500)).unwrap();
        let locked_arg = locked.display().to_string();
        let out = run(&sb, &walk_args(&locked_arg, &[]), b"\nnote\n.\n");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o700)).unwrap();
        assert_eq!(out.code(), Some(1), "{}", out.describe());
        assert!(out.stdout.is_empty(), "{}", out.describe());
        assert_eq!(out.stderr().lines().count(), 1, "{}", out.describe());
    }
}

#[test]
fn the_data_dir_comes_from_the_flag_else_the_environment() {
    let sb = Sandbox::new();
    // No --data-dir: REPAIR_DATA_DIR (set by the sandbox) is used.
    let out = run(&sb, &["--step", "validate"], b"from the environment\n.\n");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let (_, session) = sb.only_session();
    assert_eq!(step(&session, "validate")["notes"], "from the environment");

    // --data-dir wins over the environment.
    let other = sb.path().join("other");
    let other_arg = other.display().to_string();
    let out = run(
        &sb,
        &["--data-dir", &other_arg, "--step", "validate"],
        b"from the flag\n.\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_eq!(sb.session_files().len(), 1, "the flag was ignored");
    let files: Vec<_> = fs::read_dir(other.join("sessions")).unwrap().collect();
    assert_eq!(files.len(), 1, "{files:?}");

    let out = run(&sb, &["notes", "path", "--data-dir", &other_arg], b"");
    assert_eq!(out.stdout().trim_end(), other_arg, "{}", out.describe());
    let out = run(&sb, &["notes", "path"], b"");
    assert_eq!(
        Path::new(out.stdout().trim_end()),
        sb.data(),
        "{}",
        out.describe()
    );
}

#[test]
fn plain_flag_in_a_terminal_writes_plain_lines() {
    let sb = Sandbox::new();
    let [flag, dir] = sb.data_arg();
    let mut pty = Pty::spawn(
        &sb,
        &[
            &flag,
            &dir,
            "--plain",
            "--step",
            "validate",
            "--scan-seconds",
            "1",
        ],
    );
    pty.wait_for_text("Step 1 of 1: Validate");
    pty.wait_for_text("Notes (end with a line holding only \".\"):");
    pty.type_text("typed in a terminal 🌿\n.\n");
    let code = pty.exit_code();
    assert_eq!(code, 0, "{}", pty.dump());
    let screen = pty.screen();
    assert!(screen.contains("Saved session "), "{}", pty.dump());
    let raw = pty.raw();
    assert!(
        !raw.contains(&0x1b),
        "--plain wrote an escape sequence: {}",
        common::escaped(&raw)
    );
    let (_, session) = sb.only_session();
    assert_eq!(
        step(&session, "validate")["notes"],
        "typed in a terminal 🌿"
    );
}

/// `--data-dir` is a global option (`repair [OPTIONS] <COMMAND>`), so it must
/// be accepted before a subcommand as well as after it.
#[test]
fn data_dir_before_a_subcommand_is_accepted() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let mut refused = Vec::new();
    for command in [
        &["notes", "path"][..],
        &["notes", "export", "--format", "json"],
        &["protocols"],
        &["practice", "--no-save", "--step", "validate"],
    ] {
        let mut args = vec!["--data-dir", dir.as_str()];
        args.extend_from_slice(command);
        let out = run(&sb, &args, b"");
        if out.code() != Some(0) {
            refused.push(format!("repair {}\n{}", args.join(" "), out.describe()));
        }
    }
    assert!(refused.is_empty(), "{}", refused.join("\n\n"));
}

/// Every flag `repair --help` shows works before the command as after it:
/// the global ones anywhere, the walk's before any command that has a flag
/// of that name (`repair --no-save drill`), by that command's rules; one
/// the command does not have is refused in words.
#[test]
fn top_level_flags_work_before_or_after_the_command() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let same = [
        (
            &[
                "--no-save",
                "drill",
                "--plain",
                "--cards",
                "1",
                "--seed",
                "4",
            ][..],
            &[
                "drill",
                "--no-save",
                "--plain",
                "--cards",
                "1",
                "--seed",
                "4",
            ][..],
        ),
        (
            &[
                "--no-save",
                "--step",
                "validate",
                "--plain",
                "drill",
                "--cards",
                "1",
                "--seed",
                "4",
            ],
            &[
                "drill",
                "--no-save",
                "--step",
                "validate",
                "--plain",
                "--cards",
                "1",
                "--seed",
                "4",
            ],
        ),
        (
            &[
                "--focus",
                "--no-save",
                "drill",
                "--plain",
                "--cards",
                "1",
                "--seed",
                "4",
            ],
            &[
                "drill",
                "--focus",
                "--no-save",
                "--plain",
                "--cards",
                "1",
                "--seed",
                "4",
            ],
        ),
        (
            &[
                "--plain",
                "--protocol",
                "rupture-repair",
                "--scan-seconds=5",
                "prep",
                "--no-save",
            ],
            &[
                "prep",
                "--plain",
                "--protocol",
                "rupture-repair",
                "--scan-seconds=5",
                "--no-save",
            ],
        ),
        (
            &[
                "--save", "--plain", "rehearse", "--rounds", "1", "--seed", "1",
            ],
            &[
                "rehearse", "--save", "--plain", "--rounds", "1", "--seed", "1",
            ],
        ),
        (&["--plain", "follow-up"], &["follow-up", "--plain"]),
        (
            &["--color", "never", "--passphrase-fd", "9", "notes", "path"],
            &["notes", "path", "--color", "never", "--passphrase-fd", "9"],
        ),
    ];
    for (before, after) in same {
        let run_with = |args: &[&str]| {
            let mut all = vec!["--data-dir", dir.as_str()];
            all.extend_from_slice(args);
            run(&sb, &all, b"")
        };
        let (a, b) = (run_with(before), run_with(after));
        assert_eq!(a.code(), Some(0), "repair {before:?}\n{}", a.describe());
        assert_eq!(a.code(), b.code(), "{before:?} / {after:?}");
        // The rehearsal's seed, the drill's cards: the same run either way.
        assert_eq!(a.stdout(), b.stdout(), "{before:?} / {after:?}");
    }
    assert!(sb.session_files().is_empty(), "--no-save kept nothing");
    // The command's own rules apply: a drill's breath is at most 120 s.
    let out = run(&sb, &["--scan-seconds", "500", "drill", "--plain"], b"");
    assert_eq!(out.code(), Some(2), "{}", out.describe());
    assert!(
        out.stderr().contains("500 is not in 1..=120"),
        "{}",
        out.describe()
    );
    // A flag the command does not have is said, with where it goes.
    let out = run(&sb, &["--resume", "x", "drill"], b"");
    assert_eq!(out.code(), Some(2), "{}", out.describe());
    assert!(
        out.stderr().contains("`repair drill` has no --resume"),
        "{}",
        out.describe()
    );
}

#[test]
fn ctrl_c_in_plain_mode_in_a_terminal_exits_130_keeping_the_notes() {
    let sb = Sandbox::new();
    let [flag, dir] = sb.data_arg();
    let mut pty = Pty::spawn(&sb, &[&flag, &dir, "--plain", "--step", "mend"]);
    pty.wait_for_text("Notes (end with a line holding only \".\"):");
    pty.type_text("a full line\n");
    // Saved after every full line.
    sb.wait_for_session_file();
    pty.type_text("half a li");
    pty.send(common::keys::CTRL_C);
    let code = pty.exit_code();
    assert_eq!(code, 130, "{}", pty.dump());
    let (_, session) = sb.only_session();
    assert_eq!(session["complete"], false, "{session:#}");
    assert_eq!(step(&session, "mend")["notes"], "a full line");
}

/// With saving off, Ctrl-C after notes were typed says they were not kept
/// and why, not that "nothing had been written".
#[test]
fn ctrl_c_in_plain_mode_with_no_save_says_the_notes_were_not_kept() {
    let sb = Sandbox::new();
    let [flag, dir] = sb.data_arg();
    let mut pty = Pty::spawn(
        &sb,
        &[&flag, &dir, "--plain", "--no-save", "--step", "mend"],
    );
    pty.wait_for_text("Notes (end with a line holding only \".\"):");
    pty.type_text("a full line\n");
    pty.wait_for_text("a full line");
    pty.send(common::keys::CTRL_C);
    let code = pty.exit_code();
    assert_eq!(code, 130, "{}", pty.dump());
    let screen = pty.dump();
    assert!(
        screen.contains("what you entered was not kept, because saving is off (--no-save"),
        "{screen}"
    );
    assert!(!screen.contains("nothing had been written"), "{screen}");
    assert!(sb.session_files().is_empty(), "nothing on disk");
}

#[cfg(unix)]
#[test]
fn an_open_data_dir_is_tightened_with_a_notice() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    fs::create_dir_all(sb.data().join("sessions")).unwrap();
    for dir in [sb.data(), sb.data().join("sessions")] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let dir = data_dir(&sb);
    let out = run(
        &sb,
        &walk_args(&dir, &["--step", "mend"]),
        b"kept private\n.\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_mode(&sb.data(), 0o700);
    assert_mode(&sb.data().join("sessions"), 0o700);
    assert_eq!(
        out.stderr().matches("Tightened permissions").count(),
        2,
        "{}",
        out.describe()
    );
    let (path, _) = sb.only_session();
    assert_mode(&path, 0o600);
}

#[cfg(unix)]
#[test]
fn a_data_dir_of_another_user_is_refused() {
    let sb = Sandbox::new();
    fs::create_dir(sb.data()).unwrap();
    // Only root can give a directory away; elsewhere there is nothing to test.
    if std::os::unix::fs::chown(sb.data(), Some(65534), Some(65534)).is_err() {
        eprintln!("note: cannot chown (not root); skipping the other-owner check");
        return;
    }
    let dir = data_dir(&sb);
    let out = run(&sb, &walk_args(&dir, &[]), b"\nnote\n.\n");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stdout.is_empty(),
        "asked before refusing\n{}",
        out.describe()
    );
    assert_eq!(out.stderr().lines().count(), 1, "{}", out.describe());
    assert!(
        out.stderr().contains("belongs to another user"),
        "{}",
        out.describe()
    );
    assert!(!sb.data().join("sessions").exists());
}

/// Cosmetic: a one-second pause (`--scan-seconds 1`) is announced as
/// "1 seconds" in plain mode (and "a pause of 1 seconds" on the full
/// screen), though minutes are already made singular ("1 minute").
#[test]
fn a_one_second_pause_is_announced_in_the_singular() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let out = run(
        &sb,
        &walk_args(&dir, &["--focus", "--no-save"]),
        b"\nok\n.\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let pause = stdout_lines(&out)
        .into_iter()
        .find(|l| l.starts_with("Pause:"))
        .unwrap_or_else(|| panic!("no Pause: line\n{}", out.describe()));
    assert!(
        pause.starts_with("Pause: 1 second.") || pause.starts_with("Pause: 1 second "),
        "{pause:?}"
    );
}

// ---------------------------------------------------------------------------
// Resume position, empty walks, prep not resumed as a walk
// ---------------------------------------------------------------------------

#[test]
fn a_resume_opens_on_the_step_that_was_showing() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    // Step 1's notes ended, then the input stops on step 2's offer.
    let out = run(&sb, &walk_args(&dir, &[]), b"skip\nfirst notes\n.\n");
    assert!(out.stdout().contains("Step 2 of 6"), "{}", out.describe());
    let id = id_after(&out, "Input ended part-way. Saved unfinished session ");
    let again = run(&sb, &walk_args(&dir, &["practice", "--resume", &id]), b"");
    let text = again.stdout();
    let first_step = text.lines().find(|l| l.starts_with("Step "));
    assert_eq!(
        first_step,
        Some("Step 2 of 6: Reflect tentatively, and check"),
        "{}",
        again.describe()
    );
}

#[test]
fn a_walk_with_nothing_written_keeps_nothing() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    // Only the first step offers a pause.
    let input = format!("skip\n.\n{}", ".\n".repeat(5));
    let out = run(&sb, &walk_args(&dir, &[]), input.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout()
            .contains("Nothing was written and no pause was taken, so nothing was kept."),
        "{}",
        out.describe()
    );
    assert!(
        !out.stdout().contains("Open as a follow-up"),
        "{}",
        out.describe()
    );
    assert!(sb.session_files().is_empty(), "no empty session saved");
}

#[test]
fn the_pause_prompt_mentions_skip() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    let out = run(&sb, &walk_args(&dir, &[]), b"");
    let lines = stdout_lines(&out);
    let at = line_index(&out, "Press Enter to begin the pause.");
    assert!(lines[at + 1].contains("skip"), "{}", out.describe());
}

/// `repair practice --resume ID` on an unfinished prep resumes it as a
/// prep (here in plain lines), saving into the same session.
#[test]
fn an_unfinished_prep_resumes_as_a_prep() {
    let sb = Sandbox::new();
    let dir = data_dir(&sb);
    sb.put_sessions(&[serde_json::json!({
        "id": "20261124-090000-abcd",
        "mode": "prep",
        "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair",
        "drill": null,
        "started_at": "2026-11-24T09:00:00+01:00",
        "finished_at": null,
        "complete": false,
        "steps": [],
        "intention": "stay curious"
    })]);
    let out = run(
        &sb,
        &walk_args(&dir, &["practice", "--resume", "20261124-090000-abcd"]),
        b"1\n\n\n\n\n\nstay curious still\n",
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let said = out.stdout();
    assert!(
        said.contains("Resuming the prep of Tue 24 Nov 2026 09:00.")
            && said.contains("Your words for this step (1 of 6)"),
        "{}",
        out.describe()
    );
    let (_, session) = sb.only_session();
    assert_eq!(session["id"], "20261124-090000-abcd");
    assert_eq!(session["mode"], "prep");
    assert_eq!(session["intention"], "stay curious still");
    assert_eq!(session["complete"], true);
}
