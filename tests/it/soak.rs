//! A bounded concurrency soak: walks, imports, deletes, and
//! encrypt/decrypt flipping, all against one data directory at once for
//! about twelve seconds. Afterwards nothing that was reported saved,
//! imported or kept is missing or different, nothing reported deleted is
//! back, and no command claimed a success that did not happen.

// The passphrase goes to the writers on fd 3 (dup2 before exec): Unix's.
#![cfg(unix)]

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::{MINI, Sandbox, session};
use serde_json::Value;

const PASS: &str = "soak passphrase";
const SOAK: Duration = Duration::from_secs(12);

/// Runs `repair --data-dir D --passphrase-fd 3 ARGS` with `stdin`, fd 3 a
/// file of passphrase lines (read only if the store asks).
fn repair(sb: &Sandbox, passes: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let pass_file = fs::File::open(passes).expect("passes");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_repair"));
    cmd.args([
        "--data-dir",
        &sb.data().display().to_string(),
        "--passphrase-fd",
        "3",
    ])
    .args(args)
    .envs(sb.env())
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let fd = std::os::fd::AsRawFd::as_raw_fd(&pass_file);
    // A test harness may: the rule that only `src/platform` uses unsafe
    // code is for the program.
    // SAFETY: dup2 is async-signal-safe; fd stays open until spawn returns.
    #[allow(unsafe_code)]
    unsafe {
        cmd.pre_exec(move || {
            // dup2 onto itself would keep close-on-exec set.
            let rc = if fd == 3 {
                libc::fcntl(3, libc::F_SETFD, 0)
            } else {
                libc::dup2(fd, 3)
            };
            if rc == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    let writer = thread::spawn(move || {
        use std::io::Write;
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

#[derive(Default)]
struct Ledger {
    /// Walks that said "Saved session ID.": id -> (step one, step two).
    walks: Vec<(String, String, String)>,
    /// Walks that said they could not save (and printed their notes).
    unsaved_walks: usize,
    /// Import claims: id -> the content of the importer that added it.
    imported: BTreeMap<String, String>,
    /// Ids an import said it left alone, with the content it offered.
    left_alone: Vec<(String, String)>,
    /// Pre-existing sessions `notes delete` said were deleted.
    deleted: Vec<String>,
    /// Encrypt and decrypt runs that succeeded.
    flips: usize,
    /// Resumes of the one shared session that said "Saved unfinished
    /// session ID.": (id, the line they added).
    resumes: Vec<(String, String)>,
    /// Resumes refused because the session was open in the other window.
    resumes_refused: usize,
    /// Resumes that said they could not save (and printed their notes).
    resumes_unsaved: usize,
    /// Sessions deleted while a resume of them was open.
    deleted_while_open: Vec<String>,
}

/// An unfinished walk of MINI, open on its first step.
fn unfinished_mini(id: &str, note: &str) -> Value {
    serde_json::json!({
        "id": id, "mode": "practice", "protocol": "mini", "protocol_title": "Mini",
        "drill": null, "started_at": "2026-11-01T09:00:00+01:00",
        "finished_at": null, "complete": false, "at_step": "one",
        "steps": [
            {"id": "one", "title": "One", "status": "done", "notes": note, "pause_seconds": null},
            {"id": "two", "title": "Two", "status": "not-reached", "notes": "", "pause_seconds": null}
        ]
    })
}

/// The shared session two windows keep resuming.
const SHARED: &str = "20261104-090000-0000dddd";

#[test]
#[ignore = "slow: a 12-second soak; .ci/run runs it with --include-ignored"]
fn a_soak_of_every_writer_at_once_loses_nothing_and_claims_nothing_falsely() {
    let sb = Sandbox::new();
    let passes = sb.write("passes.txt", format!("{PASS}\n").repeat(64));
    let protocol = sb.write("mini.toml", MINI).display().to_string();
    let kept: Vec<Value> = (0..30)
        .map(|i| {
            session(
                &format!("20261101-0900{i:02}-0000aaaa"),
                &format!("kept {i}"),
            )
        })
        .collect();
    sb.put_sessions(&kept);
    let mut more = vec![unfinished_mini(SHARED, "shared base")];
    more.extend(
        (0..10).map(|i| unfinished_mini(&format!("20261105-0900{i:02}-0000eeee"), "doomed")),
    );
    sb.put_sessions(&more);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let deadline = Instant::now() + SOAK;
    let sb = Arc::new(sb);
    let mut workers = Vec::new();

    // Three walkers, each walk two steps of distinct lines.
    for w in 0..3 {
        let (sb, ledger, passes, protocol) = (
            Arc::clone(&sb),
            Arc::clone(&ledger),
            passes.clone(),
            protocol.clone(),
        );
        workers.push(thread::spawn(move || {
            let mut k = 0;
            while Instant::now() < deadline {
                k += 1;
                let one = format!("walk {w}-{k} first\nwalk {w}-{k} second");
                let two = format!("walk {w}-{k} third");
                let input = format!("{one}\n.\n{two}\n.\n");
                let out = repair(
                    &sb,
                    &passes,
                    &["--plain", "--protocol", &protocol],
                    input.as_bytes(),
                );
                let stdout = text(&out.stdout);
                let mut ledger = ledger.lock().unwrap();
                if out.status.code() == Some(0) {
                    let id = stdout
                        .lines()
                        .find_map(|l| l.strip_prefix("Saved session "))
                        .and_then(|l| l.strip_suffix('.'))
                        .unwrap_or_else(|| panic!("exit 0 without Saved\n{}", describe(&out)))
                        .to_string();
                    ledger.walks.push((id, one, two));
                } else {
                    assert!(
                        stdout.contains("Could not save your notes") && stdout.contains(&two),
                        "a walk failed without saying so and showing its notes\n{}",
                        describe(&out)
                    );
                    ledger.unsaved_walks += 1;
                }
            }
        }));
    }

    // Two importers offering the same ids with different content.
    for who in ["A", "B"] {
        let (sb, ledger, passes) = (Arc::clone(&sb), Arc::clone(&ledger), passes.clone());
        workers.push(thread::spawn(move || {
            let mut round = 0;
            while Instant::now() < deadline {
                round += 1;
                let ids: Vec<String> = (0..3)
                    .map(|i| format!("20261102-09{round:02}{i:02}-0000bbbb"))
                    .collect();
                let file = sb.write(
                    &format!("import-{who}-{round}.json"),
                    Value::Array(
                        ids.iter()
                            .map(|id| session(id, &format!("{who} {id}")))
                            .collect(),
                    )
                    .to_string(),
                );
                let out = repair(
                    &sb,
                    &passes,
                    &["notes", "import", &file.display().to_string()],
                    b"",
                );
                let stdout = text(&out.stdout);
                let stderr = text(&out.stderr);
                let summary = stdout
                    .lines()
                    .find(|l| l.starts_with("Imported "))
                    .unwrap_or_else(|| panic!("no summary\n{}", describe(&out)))
                    .to_string();
                let mut ledger = ledger.lock().unwrap();
                let mut left = 0;
                for id in &ids {
                    if stderr.contains(&format!("session {id} is already here")) {
                        ledger.left_alone.push((id.clone(), format!("{who} {id}")));
                        left += 1;
                    } else {
                        let previous = ledger.imported.insert(id.clone(), format!("{who} {id}"));
                        assert!(previous.is_none(), "{id} claimed imported twice: {summary}");
                    }
                }
                assert!(
                    summary.ends_with(&format!("{left} left alone.")),
                    "{summary} but {left} were reported left alone\n{}",
                    describe(&out)
                );
                assert_eq!(
                    out.status.code(),
                    Some(i32::from(left > 0)),
                    "{}",
                    describe(&out)
                );
            }
        }));
    }

    // A deleter, removing the pre-existing sessions one by one.
    {
        let (sb, ledger, passes) = (Arc::clone(&sb), Arc::clone(&ledger), passes.clone());
        workers.push(thread::spawn(move || {
            for i in (0..30).step_by(3) {
                if Instant::now() >= deadline {
                    break;
                }
                let id = format!("20261101-0900{i:02}-0000aaaa");
                let out = repair(&sb, &passes, &["notes", "delete", &id, "--yes"], b"");
                assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
                assert!(text(&out.stdout).contains(&format!("Deleted session {id}.")));
                ledger.lock().unwrap().deleted.push(id);
                thread::sleep(Duration::from_millis(300));
            }
        }));
    }

    // Encryption flipping on and off.
    {
        let (sb, ledger, passes) = (Arc::clone(&sb), Arc::clone(&ledger), passes.clone());
        workers.push(thread::spawn(move || {
            let mut on = false;
            while Instant::now() < deadline {
                let (command, input) = if on {
                    ("decrypt", format!("{PASS}\n"))
                } else {
                    ("encrypt", format!("{PASS}\n{PASS}\n"))
                };
                let out = repair(&sb, &passes, &["notes", command], input.as_bytes());
                assert_eq!(out.status.code(), Some(0), "{command}: {}", describe(&out));
                on = !on;
                ledger.lock().unwrap().flips += 1;
                thread::sleep(Duration::from_millis(400));
            }
            if on {
                let out = repair(
                    &sb,
                    &passes,
                    &["notes", "decrypt"],
                    format!("{PASS}\n").as_bytes(),
                );
                assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
            }
        }));
    }

    // Two windows resuming the same session over and over: one at a time
    // has it; the other is told it is open elsewhere.
    for w in 0..2 {
        let (sb, ledger, passes, protocol) = (
            Arc::clone(&sb),
            Arc::clone(&ledger),
            passes.clone(),
            protocol.clone(),
        );
        workers.push(thread::spawn(move || {
            let mut k = 0;
            while Instant::now() < deadline {
                k += 1;
                let line = format!("resume {w}-{k}");
                let out = repair(
                    &sb,
                    &passes,
                    &["--plain", "--protocol", &protocol, "--resume", SHARED],
                    format!("{line}\n").as_bytes(),
                );
                let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
                assert!(
                    !stdout.contains("conflict copy"),
                    "a conflict reported falsely\n{}",
                    describe(&out)
                );
                let mut ledger = ledger.lock().unwrap();
                if out.status.code() == Some(0) {
                    let id = stdout
                        .lines()
                        .find_map(|l| l.split("Saved unfinished session ").nth(1))
                        .and_then(|l| l.strip_suffix('.'))
                        .unwrap_or_else(|| panic!("exit 0 without Saved\n{}", describe(&out)))
                        .to_string();
                    ledger.resumes.push((id, line));
                } else if stderr.contains("open in another repair window") {
                    assert!(!stdout.contains("Saved"), "{}", describe(&out));
                    ledger.resumes_refused += 1;
                } else {
                    assert!(
                        stdout.contains("Could not save your notes") && stdout.contains(&line),
                        "a resume failed without saying so and showing its notes\n{}",
                        describe(&out)
                    );
                    ledger.resumes_unsaved += 1;
                }
            }
        }));
    }

    // A delete while a resume of that session is open: the resume never
    // brings it back, and says so.
    {
        let (sb, ledger, passes, protocol) = (
            Arc::clone(&sb),
            Arc::clone(&ledger),
            passes.clone(),
            protocol.clone(),
        );
        workers.push(thread::spawn(move || {
            for i in 0..10 {
                if Instant::now() >= deadline {
                    break;
                }
                let id = format!("20261105-0900{i:02}-0000eeee");
                let dir = sb.data().display().to_string();
                let mut window = common::Piped::spawn(
                    &sb,
                    &[
                        "--data-dir",
                        &dir,
                        "--passphrase-fd",
                        "0",
                        "--plain",
                        "--protocol",
                        &protocol,
                        "--resume",
                        &id,
                    ],
                );
                // Read as the passphrase if the notes are encrypted now,
                // else as a first line of notes (which are deleted anyway).
                window.write(format!("{PASS}\n").as_bytes());
                window.wait_stdout(|s| s.contains("Notes so far"), "the resumed notes");
                let out = repair(&sb, &passes, &["notes", "delete", &id, "--yes"], b"");
                assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
                assert!(text(&out.stdout).contains(&format!("Deleted session {id}.")));
                window.write(b"typed after the delete\n");
                let out = window.finish();
                assert_eq!(out.code(), Some(1), "{}", out.describe());
                assert!(
                    out.stdout().contains("was deleted while it was open here")
                        && out.stdout().contains("typed after the delete"),
                    "{}",
                    out.describe()
                );
                ledger.lock().unwrap().deleted_while_open.push(id);
            }
        }));
    }

    for worker in workers {
        worker.join().expect("a soak worker failed");
    }

    // Everything is plain again: read it all back.
    let out = repair(&sb, &passes, &["notes", "export", "--format", "json"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        !text(&out.stderr).contains("skipped"),
        "something unreadable\n{}",
        describe(&out)
    );
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).expect("export JSON");
    let by_id: BTreeMap<String, &Value> = all
        .iter()
        .map(|s| (s["id"].as_str().unwrap().to_string(), s))
        .collect();
    let notes = |id: &str, step: usize| -> Option<String> {
        by_id
            .get(id)
            .and_then(|s| s["steps"][step]["notes"].as_str())
            .map(str::to_owned)
    };
    let ledger = ledger.lock().unwrap();
    assert!(ledger.flips >= 2, "the soak never flipped encryption");
    assert!(!ledger.walks.is_empty(), "no walk was saved");
    for (id, one, two) in &ledger.walks {
        assert_eq!(
            notes(id, 0).as_deref(),
            Some(one.as_str()),
            "walk {id} lost"
        );
        assert_eq!(
            notes(id, 1).as_deref(),
            Some(two.as_str()),
            "walk {id} lost"
        );
    }
    for (id, content) in &ledger.imported {
        assert_eq!(
            notes(id, 0).as_deref(),
            Some(content.as_str()),
            "import {id} lost"
        );
    }
    for (id, _) in &ledger.left_alone {
        assert!(
            ledger.imported.contains_key(id),
            "{id} left alone, yet nobody imported it"
        );
    }
    for i in 0..30 {
        let id = format!("20261101-0900{i:02}-0000aaaa");
        if ledger.deleted.contains(&id) {
            assert!(!by_id.contains_key(&id), "{id} deleted, yet back");
        } else {
            assert_eq!(notes(&id, 0), Some(format!("kept {i}")), "{id} lost");
        }
    }
    assert!(!ledger.resumes.is_empty(), "no resume was saved");
    for (id, line) in &ledger.resumes {
        let notes = notes(id, 0).unwrap_or_else(|| panic!("resume {id} lost"));
        assert!(
            notes.lines().any(|l| l == line),
            "resume line {line:?} lost from {id}"
        );
    }
    for id in &ledger.deleted_while_open {
        assert!(!by_id.contains_key(id), "{id} deleted while open, yet back");
    }
    assert!(
        !ledger.deleted_while_open.is_empty(),
        "no delete during a resume"
    );
    let sessions_dir: PathBuf = sb.data().join("sessions");
    for entry in fs::read_dir(&sessions_dir).expect("read_dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            !name.ends_with(".age"),
            "{name} still sealed after the last decrypt"
        );
        assert!(!name.starts_with('.'), "{name} left behind");
    }
    println!(
        "soak: {} resumes of one session saved, {} refused as open elsewhere, {} could not save; {} deleted while open",
        ledger.resumes.len(),
        ledger.resumes_refused,
        ledger.resumes_unsaved,
        ledger.deleted_while_open.len()
    );
    println!(
        "soak: {} walks saved, {} walks said they could not save, {} sessions imported, {} left alone, {} deleted, {} encryption flips",
        ledger.walks.len(),
        ledger.unsaved_walks,
        ledger.imported.len(),
        ledger.left_alone.len(),
        ledger.deleted.len(),
        ledger.flips
    );
}
