//! A bounded concurrency soak (issue 15): walks, imports, deletes, and
//! encrypt/decrypt flipping, all against one data directory at once for
//! about twelve seconds. Afterwards nothing that was reported saved,
//! imported or kept is missing or different, nothing reported deleted is
//! back, and no command claimed a success that did not happen.

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
}

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
        "soak: {} walks saved, {} walks said they could not save, {} sessions imported, {} left alone, {} deleted, {} encryption flips",
        ledger.walks.len(),
        ledger.unsaved_walks,
        ledger.imported.len(),
        ledger.left_alone.len(),
        ledger.deleted.len(),
        ledger.flips
    );
}
