//! Recorded responses end to end, with stand-in `rec` and `play` scripts put
//! first on `PATH` (the recorder writes a known WAV to its standard output,
//! the player copies its standard input to a file), so these need nothing
//! but the Rust toolchain. Waits poll for files the stand-ins write, never
//! for a time.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{self, Piped, Sandbox, run};

const PASS: &str = "correct horse battery";

/// A WAV-looking payload, recognisable anywhere on disk.
fn known_wav() -> Vec<u8> {
    let mut wav = b"RIFF\x24\x40\x00\x00WAVEfmt \x10\x00\x00\x00".to_vec();
    wav.extend((0..16_000u32).map(|i| (i * 13 % 251) as u8));
    wav
}

/// The stand-ins: `bin/rec` writes the known WAV, then touches `ready`
/// (and, with `linger`, stays running as the same process, its pid in
/// `rec.pid`); `bin/play` copies its input to `played`.
struct StandIns {
    bin: PathBuf,
    ready: PathBuf,
    played: PathBuf,
    pid: PathBuf,
}

fn stand_ins(sb: &Sandbox, linger: bool) -> StandIns {
    let root = sb.path();
    let bin = root.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let wav = sb.write("known.wav", known_wav());
    let ready = root.join("ready");
    let played = root.join("played");
    let pid = root.join("rec.pid");
    let tail = if linger { "exec sleep 600" } else { "exit 0" };
    let script = |name: &str, body: String| {
        let path = bin.join(name);
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    };
    script(
        "rec",
        format!(
            "echo $$ > '{}'\ncat '{}'\n: > '{}'\n{tail}",
            pid.display(),
            wav.display(),
            ready.display()
        ),
    );
    script("play", format!("cat > '{}'", played.display()));
    StandIns {
        bin,
        ready,
        played,
        pid,
    }
}

fn path_env(s: &StandIns) -> Vec<(String, String)> {
    let old = std::env::var("PATH").unwrap_or_default();
    vec![("PATH".into(), format!("{}:{old}", s.bin.display()))]
}

fn wait_for(path: &Path) {
    let start = Instant::now();
    while !path.exists() {
        assert!(
            start.elapsed() < common::WAIT,
            "{} never appeared",
            path.display()
        );
        thread::sleep(Duration::from_millis(10));
    }
}

fn fixture() -> String {
    format!(
        "{}/tests/fixtures/drill-protocol.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Every regular file under `dir`, hidden ones included.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

fn audio_files(sb: &Sandbox) -> Vec<PathBuf> {
    files_under(&sb.data().join("sessions"))
        .into_iter()
        .filter(|p| p.parent().unwrap().to_string_lossy().ends_with(".audio"))
        .collect()
}

/// One card of `drill --plain --record` on the fixture's reflect step: the
/// breath, then (once the stand-in has recorded) Enter, not sure, no
/// criteria, `p` to play back, rating 5. `before` goes first on stdin (a
/// passphrase).
fn drill_one(sb: &Sandbox, s: &StandIns, before: &str) -> common::Output {
    let dir = sb.data().display().to_string();
    let protocol = fixture();
    let mut args = vec!["--data-dir", dir.as_str()];
    if !before.is_empty() {
        args.extend(["--passphrase-fd", "0"]);
    }
    args.extend([
        "drill",
        "--plain",
        "--record",
        "--protocol",
        protocol.as_str(),
        "--cards",
        "1",
        "--seed",
        "3",
        "--step",
        "reflect",
        "--scan-seconds",
        "1",
        "--respond-seconds",
        "0",
    ]);
    let mut piped = Piped::spawn_with_env(sb, &args, path_env(s));
    piped.write(format!("{before}\n").as_bytes());
    wait_for(&s.ready);
    piped.write(b"\n\n\np\n5\n");
    piped.finish()
}

#[test]
fn a_recorded_response_is_owner_only_plays_back_and_goes_with_its_session() {
    let sb = Sandbox::new();
    let s = stand_ins(&sb, false);
    let out = drill_one(&sb, &s, "");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(stdout.contains("Recording is on"), "{stdout}");
    assert!(stdout.contains("Recording your response."), "{stdout}");
    assert!(stdout.contains("Recorded."), "{stdout}");
    assert!(
        stdout.contains("p plays back your recorded response."),
        "{stdout}"
    );
    assert!(stdout.contains("Played."), "{stdout}");

    let files = audio_files(&sb);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].file_name().unwrap(), "1-1.wav");
    assert_eq!(fs::read(&files[0]).unwrap(), known_wav());
    assert_eq!(common::mode_of(&files[0]), 0o600);
    assert_eq!(common::mode_of(files[0].parent().unwrap()), 0o700);
    assert_eq!(
        fs::read(&s.played).unwrap(),
        known_wav(),
        "playback gets the same bytes"
    );

    let (path, session) = sb.only_session();
    let id = session["id"].as_str().unwrap().to_string();
    assert!(files[0].starts_with(path.parent().unwrap().join(format!("{id}.audio"))));

    let dir = sb.data().display().to_string();
    let show = run(&sb, &["--data-dir", &dir, "notes", "show", &id], b"");
    assert_eq!(show.code(), Some(0), "{}", show.describe());
    assert!(
        show.stdout()
            .contains(&format!("Recorded responses:\n- {}\n", files[0].display())),
        "{}",
        show.describe()
    );
    let path = run(&sb, &["--data-dir", &dir, "notes", "path"], b"");
    assert_eq!(path.stdout().lines().count(), 1, "{}", path.describe());
    assert!(
        path.stderr().contains("1 recorded response ("),
        "{}",
        path.describe()
    );
    let stats = run(&sb, &["--data-dir", &dir, "notes", "stats"], b"");
    assert!(
        stats.stdout().contains("1 recorded response ("),
        "{}",
        stats.describe()
    );
    let stats = run(&sb, &["--data-dir", &dir, "notes", "stats", "--json"], b"");
    let json: serde_json::Value = serde_json::from_str(&stats.stdout()).unwrap();
    assert_eq!(json["recorded_responses"], 1);

    // Encrypting the notes seals the recordings made before.
    let twice = format!("{PASS}\n{PASS}\n");
    let on = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--passphrase-fd",
            "0",
            "notes",
            "encrypt",
        ],
        twice.as_bytes(),
    );
    assert_eq!(on.code(), Some(0), "{}", on.describe());
    let sealed = audio_files(&sb);
    assert_eq!(sealed.len(), 1, "{sealed:?}");
    assert_eq!(sealed[0].file_name().unwrap(), "1-1.wav.age");
    assert!(
        !fs::read(&sealed[0])
            .unwrap()
            .windows(4)
            .any(|w| w == b"RIFF")
    );

    let deleted = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--passphrase-fd",
            "0",
            "notes",
            "delete",
            &id,
            "--yes",
        ],
        format!("{PASS}\n").as_bytes(),
    );
    assert_eq!(deleted.code(), Some(0), "{}", deleted.describe());
    assert!(audio_files(&sb).is_empty(), "{:?}", audio_files(&sb));
    assert!(!sb.data().join(format!("sessions/{id}.audio")).exists());
}

#[test]
fn with_notes_encrypted_no_clear_audio_is_on_disk_and_playback_is_the_same() {
    let sb = Sandbox::new();
    let s = stand_ins(&sb, false);
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let on = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--passphrase-fd",
            "0",
            "notes",
            "encrypt",
        ],
        twice.as_bytes(),
    );
    assert_eq!(on.code(), Some(0), "{}", on.describe());

    let out = drill_one(&sb, &s, PASS);
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stdout().contains("Recorded."), "{}", out.describe());
    let files = audio_files(&sb);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].file_name().unwrap(), "1-1.wav.age");
    let wav = known_wav();
    for file in files_under(sb.path()) {
        if file.starts_with(&s.bin) || file == s.played || file.ends_with("known.wav") {
            continue;
        }
        let bytes = fs::read(&file).unwrap();
        assert!(
            !bytes.windows(32).any(|w| w == &wav[..32])
                && !bytes.windows(64).any(|w| w == &wav[1000..1064]),
            "clear audio in {}",
            file.display()
        );
    }
    assert_eq!(
        fs::read(&s.played).unwrap(),
        wav,
        "playback gets the same bytes"
    );

    // Left out of an export unless asked for; then opened, owner-only.
    let file = sb.path().join("out.json");
    let file_arg = file.display().to_string();
    let export = |extra: &[&str]| {
        let mut args = vec![
            "--data-dir",
            &dir,
            "--passphrase-fd",
            "0",
            "notes",
            "export",
            "--format",
            "json",
            "-o",
            &file_arg,
        ];
        args.extend_from_slice(extra);
        run(&sb, &args, format!("{PASS}\n").as_bytes())
    };
    let plain_export = export(&[]);
    assert_eq!(plain_export.code(), Some(0), "{}", plain_export.describe());
    let folder = sb.path().join("out.json.audio");
    assert!(!folder.exists());
    fs::remove_file(&file).unwrap();
    let with_audio = export(&["--with-audio"]);
    assert_eq!(with_audio.code(), Some(0), "{}", with_audio.describe());
    assert!(
        with_audio
            .stderr()
            .contains("Copied 1 recorded response to"),
        "{}",
        with_audio.describe()
    );
    let copied = files_under(&folder);
    assert_eq!(copied.len(), 1, "{copied:?}");
    assert_eq!(copied[0].file_name().unwrap(), "1-1.wav");
    assert_eq!(fs::read(&copied[0]).unwrap(), wav);
    assert_eq!(common::mode_of(&copied[0]), 0o600);
    assert_eq!(common::mode_of(&folder), 0o700);
}

#[test]
fn a_kill_mid_recording_leaves_no_named_file_and_the_next_write_sweeps() {
    let sb = Sandbox::new();
    let s = stand_ins(&sb, true);
    let dir = sb.data().display().to_string();
    let protocol = fixture();
    let args = [
        "--data-dir",
        dir.as_str(),
        "drill",
        "--plain",
        "--record",
        "--protocol",
        protocol.as_str(),
        "--cards",
        "1",
        "--scan-seconds",
        "1",
        "--respond-seconds",
        "0",
    ];
    let mut piped = Piped::spawn_with_env(&sb, &args, path_env(&s));
    piped.write(b"\n");
    wait_for(&s.ready);
    common::send_signal(piped.pid(), "KILL");
    let _ = piped.finish();
    let rec_pid = fs::read_to_string(&s.pid).unwrap();
    common::send_signal(rec_pid.trim().parse().unwrap(), "KILL");

    let left = audio_files(&sb);
    assert!(
        left.iter()
            .all(|p| p.file_name().unwrap().to_string_lossy().starts_with('.')),
        "a named partial recording: {left:?}"
    );
    assert_eq!(
        left.len(),
        1,
        "the hidden partial is there until the next open: {left:?}"
    );
    // The next command that writes (a drill ended at once) sweeps it.
    let next = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "drill",
            "--plain",
            "--protocol",
            &protocol,
        ],
        b"",
    );
    assert_eq!(next.code(), Some(0), "{}", next.describe());
    assert!(audio_files(&sb).is_empty(), "{:?}", audio_files(&sb));
}

#[test]
fn without_a_recorder_record_says_so_in_one_line_and_the_drill_runs() {
    let sb = Sandbox::new();
    let empty = sb.path().join("empty-bin");
    fs::create_dir_all(&empty).unwrap();
    let dir = sb.data().display().to_string();
    let protocol = fixture();
    let args = [
        "--data-dir",
        dir.as_str(),
        "drill",
        "--plain",
        "--record",
        "--protocol",
        protocol.as_str(),
        "--cards",
        "1",
        "--step",
        "reflect",
        "--scan-seconds",
        "1",
        "--respond-seconds",
        "0",
    ];
    let mut piped = Piped::spawn_with_env(
        &sb,
        &args,
        vec![("PATH".into(), empty.display().to_string())],
    );
    piped.write(b"\n\n\n\n5\n");
    let out = piped.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stderr = out.stderr();
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains("recorder")).collect();
    assert_eq!(
        lines,
        [
            "Not recording: no recorder found (rec, arecord or ffmpeg); docs/guide.md says how to install one."
        ],
        "{}",
        out.describe()
    );
    assert!(!out.stdout().contains("Recording"), "{}", out.stdout());
    assert_eq!(sb.session_files().len(), 1);
    assert!(audio_files(&sb).is_empty());
}

/// The full screen: `● Recording` shows while the response is recorded, `p`
/// at the self-assessment plays the same bytes back, and the file is kept
/// beside the session.
#[test]
fn full_screen_drill_marks_the_recording_and_p_plays_it_back() {
    use crate::common::{Pty, PtyOptions, keys};
    let sb = Sandbox::new();
    let s = stand_ins(&sb, false);
    let dir = sb.data().display().to_string();
    let protocol = fixture();
    let pty = Pty::spawn_with(
        &sb,
        &[
            "--data-dir",
            &dir,
            "drill",
            "--record",
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
            "0",
        ],
        PtyOptions {
            env: path_env(&s),
            ..PtyOptions::default()
        },
    );
    let mut pty = pty;
    pty.wait_for_text("Enter begins the first card.");
    pty.send(keys::ENTER);
    pty.wait_for_text("● Recording · Respond out loud now");
    wait_for(&s.ready);
    pty.send(keys::ENTER);
    pty.wait_for_text("Which marker did you see?");
    pty.send(keys::ENTER);
    pty.wait_for_text("Enter assess");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "Your response was recorded: p plays it back.",
            "p play back",
        ],
        &[],
    );
    pty.send("p");
    let start = Instant::now();
    while fs::read(&s.played).map_or(true, |b| b != known_wav()) {
        assert!(
            start.elapsed() < common::WAIT,
            "nothing played: {}",
            pty.dump()
        );
        thread::sleep(Duration::from_millis(10));
    }
    pty.send(keys::ENTER);
    pty.wait_for_text("Drill: summary");
    pty.send(keys::ENTER);
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let files = audio_files(&sb);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(fs::read(&files[0]).unwrap(), known_wav());
}

/// A group rehearsal records only the therapist who agreed, asked at their
/// first card; `p` at the rating plays it back.
#[test]
fn a_rehearsal_records_only_with_the_therapists_consent() {
    let sb = Sandbox::new();
    let s = stand_ins(&sb, false);
    let dir = sb.data().display().to_string();
    let args = [
        "--data-dir",
        dir.as_str(),
        "rehearse",
        "--plain",
        // One response per card: the flow these answers were written for.
        "--beats",
        "1",
        "--scan-seconds",
        "0",
        "--people",
        "Ana,Ben",
        "--set",
        "1",
        "--rounds",
        "2",
        "--round-seconds",
        "0",
        "--seed",
        "1",
        "--save",
        "--record",
    ];
    let mut piped = Piped::spawn_with_env(&sb, &args, path_env(&s));
    // Safety, direction read, Ana agrees.
    piped.write(b"\n\ny\n");
    wait_for(&s.ready);
    // Response done; review with p before the rating; next card: direction
    // read, Ben declines, response done, review.
    piped.write(b"\n\np\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n");
    let out = piped.finish();
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let stdout = out.stdout();
    assert!(
        stdout.contains(
            "Ana, may your responses be recorded, to play back at the review? Only you decide: y records (empty: no)."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("Ben, may your responses be recorded"),
        "{stdout}"
    );
    assert!(!stdout.contains("Ana, may") || stdout.matches("Ana, may").count() == 1);
    assert_eq!(stdout.matches("Recorded.").count(), 1, "{stdout}");
    assert!(stdout.contains("Not recording your responses."), "{stdout}");
    assert_eq!(fs::read(&s.played).unwrap(), known_wav(), "{stdout}");
    let files = audio_files(&sb);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].file_name().unwrap(), "1-1.wav");
    let (_, json) = sb.only_session();
    assert!(
        !json.to_string().contains("Ana") && !json.to_string().contains("Ben"),
        "names are never stored"
    );
}

/// The rehearsal's full screen through a pseudo-terminal: `--record` asks
/// each therapist on screen at their first card; Ana agrees and is recorded
/// (marked while it runs, `p` in the review plays the same bytes back), Ben
/// declines and is not (no marker, nothing to play, no file); the old "not
/// recorded here" line is gone.
#[test]
fn full_screen_rehearsal_records_only_with_consent_asked_on_screen() {
    use crate::common::{Pty, PtyOptions, keys};
    let sb = Sandbox::new();
    let s = stand_ins(&sb, false);
    let dir = sb.data().display().to_string();
    let mut pty = Pty::spawn_with(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--step",
            "reflect",
            "--scan-seconds",
            "0",
            "--record",
            "--save",
            "--people",
            "Ana,Ben",
            "--set",
            "1",
            "--rounds",
            "2",
            "--round-seconds",
            "0",
            "--seed",
            "1",
        ],
        PtyOptions {
            env: path_env(&s),
            ..PtyOptions::default()
        },
    );
    pty.wait_for_text("Recording is on (rec), for each therapist who agrees");
    pty.send(keys::ENTER);
    pty.wait_for_text("look away");
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "Ana, may your responses be recorded",
            "y record",
            "other keys do not record",
        ],
        &[],
    );
    pty.send("y");
    pty.wait_for_all(&["Enter start"], &["may your responses"]);
    pty.send(keys::ENTER);
    pty.wait_for_text("● Recording · Card 1 of 2");
    wait_for(&s.ready);
    pty.send(keys::ENTER);
    pty.wait_for_all(
        &[
            "review 1 of 5",
            "Ana's response was recorded: p plays it back.",
            "p play back",
        ],
        &["● Recording"],
    );
    pty.send("p");
    let start = Instant::now();
    while fs::read(&s.played).map_or(true, |b| b != known_wav()) {
        assert!(
            start.elapsed() < common::WAIT,
            "nothing played: {}",
            pty.dump()
        );
        thread::sleep(Duration::from_millis(10));
    }
    fs::remove_file(&s.played).unwrap();
    for part in ["review 2 of 5", "review 3 of 5", "review 4 of 5"] {
        pty.send(keys::ENTER);
        pty.wait_for_text(part);
    }
    // On the feedback line p is typed, not played.
    pty.send("p");
    pty.wait_for_all(&["type · Enter next"], &["p play back"]);
    pty.send(keys::ENTER);
    pty.wait_for_all(&["review 5 of 5", "p play back"], &[]);
    pty.send(keys::ENTER);
    // The client steps out of role between the sets.
    pty.wait_for_text("End of Ana's set");
    pty.send(keys::ENTER);
    pty.wait_for_text("look away");
    pty.send(keys::ENTER);
    pty.wait_for_text("Ben, may your responses be recorded");
    pty.send("n");
    pty.wait_for_all(&["Enter start"], &["may your responses"]);
    pty.send(keys::ENTER);
    pty.send(keys::ENTER);
    pty.wait_for_all(&["review 1 of 5"], &["was recorded", "p play back"]);
    pty.send("p");
    for _ in 0..5 {
        pty.send(keys::ENTER);
    }
    pty.wait_for_text("Rehearsal over");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    assert!(!s.played.exists(), "Ben's review played nothing");
    let dump = pty.dump();
    assert!(!dump.contains("does not record"), "{dump}");
    let files = audio_files(&sb);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].file_name().unwrap(), "1-1.wav");
    assert_eq!(fs::read(&files[0]).unwrap(), known_wav());
    let (path, json) = sb.only_session();
    let saved = fs::read_to_string(path).unwrap();
    assert!(!saved.contains("Ana") && !saved.contains("Ben"), "{json}");
}

/// With notes encrypted, the full-screen rehearsal's recording is sealed as
/// it arrives (no clear audio anywhere on disk), and `p` plays the same
/// bytes back.
#[test]
fn full_screen_rehearsal_recording_is_sealed_when_notes_are_encrypted() {
    use crate::common::{Pty, PtyOptions, keys};
    let sb = Sandbox::new();
    let s = stand_ins(&sb, false);
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let on = run(
        &sb,
        &[
            "--data-dir",
            &dir,
            "--passphrase-fd",
            "0",
            "notes",
            "encrypt",
        ],
        twice.as_bytes(),
    );
    assert_eq!(on.code(), Some(0), "{}", on.describe());
    let mut pty = Pty::spawn_with(
        &sb,
        &[
            "--data-dir",
            &dir,
            "rehearse",
            "--beats",
            "1",
            "--step",
            "reflect",
            "--scan-seconds",
            "0",
            "--record",
            "--save",
            "--people",
            "Ana,Ben",
            "--rounds",
            "1",
            "--round-seconds",
            "0",
            "--seed",
            "1",
        ],
        PtyOptions {
            env: path_env(&s),
            ..PtyOptions::default()
        },
    );
    pty.wait_for_text("Passphrase for your notes:");
    pty.type_text(PASS);
    pty.send(keys::ENTER);
    pty.wait_for_text("Recording is on (rec)");
    pty.send(keys::ENTER);
    pty.send(keys::ENTER);
    pty.wait_for_text("Ana, may your responses be recorded");
    pty.send("y");
    pty.send(keys::ENTER);
    pty.wait_for_text("● Recording");
    wait_for(&s.ready);
    pty.send(keys::ENTER);
    pty.wait_for_text("p play back");
    pty.send("p");
    let start = Instant::now();
    while fs::read(&s.played).map_or(true, |b| b != known_wav()) {
        assert!(
            start.elapsed() < common::WAIT,
            "nothing played: {}",
            pty.dump()
        );
        thread::sleep(Duration::from_millis(10));
    }
    for _ in 0..5 {
        pty.send(keys::ENTER);
    }
    pty.wait_for_text("Rehearsal over");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    let files = audio_files(&sb);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].file_name().unwrap(), "1-1.wav.age");
    let wav = known_wav();
    for file in files_under(sb.path()) {
        if file.starts_with(&s.bin) || file == s.played || file.ends_with("known.wav") {
            continue;
        }
        let bytes = fs::read(&file).unwrap();
        assert!(
            !bytes.windows(32).any(|w| w == &wav[..32])
                && !bytes.windows(64).any(|w| w == &wav[1000..1064]),
            "clear audio in {}",
            file.display()
        );
    }
}
