//! Notes encrypted at rest, through the real binary on a temporary data
//! directory: `repair notes encrypt` / `decrypt`, every notes command across
//! them, the passphrase from `--passphrase-fd 0` and from the terminal, wrong
//! and interrupted passphrases, and a SIGKILL loop during `encrypt`.
//!
//! Each passphrase check costs a second of scrypt (age picks the work factor
//! by timing), so the tests keep the number of unlocks small.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use age::secrecy::SecretString;
use common::{Pty, Sandbox, assert_mode, keys, names_in, run};
use repair_practice::journal::crypt::{Encryption, Key};
use repair_practice::journal::{Listed, Store};
use serde_json::{Value, json};

const PASS: &str = "a calm harbour 7";

/// Words that appear only in notes, so finding one on disk is a leak.
const SECRET_WORDS: [&str; 4] = ["marigold", "lighthouse", "tangerine", "quillwort"];

fn session(id: &str, started: &str, note: &str) -> Value {
    let steps: Vec<Value> = ["scan", "reflect"]
        .iter()
        .map(|sid| {
            json!({"id": sid, "title": sid, "status": "done",
                   "notes": format!("{note} in {sid}"), "pause_seconds": null})
        })
        .collect();
    json!({
        "id": id, "mode": "practice", "protocol": "rupture-repair",
        "protocol_title": "Rupture and Repair", "drill": null,
        "started_at": started, "finished_at": started, "complete": true, "steps": steps,
    })
}

fn three(sandbox: &Sandbox) {
    sandbox.put_sessions(&[
        session(
            "20261101-090000-aaaa",
            "2026-11-01T09:00:00+01:00",
            "marigold",
        ),
        session(
            "20261102-090000-bbbb",
            "2026-11-02T09:00:00+01:00",
            "lighthouse",
        ),
        session(
            "20261103-090000-cccc",
            "2026-11-03T09:00:00+01:00",
            "tangerine",
        ),
    ]);
}

fn args<'a>(sb: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--data-dir", sb, "--passphrase-fd", "0"];
    all.extend_from_slice(rest);
    all
}

/// Every regular file under `dir`, with its content.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                found.insert(entry.path(), fs::read(entry.path()).unwrap());
            }
        }
    }
    found
}

fn assert_no_note_words_on_disk(sb: &Sandbox, words: &[&str]) {
    for (path, bytes) in files_under(&sb.data()) {
        for word in words {
            assert!(
                common::find(&bytes, word.as_bytes()).is_none(),
                "{} holds the note word {word:?}",
                path.display()
            );
        }
    }
}

#[test]
fn with_encryption_on_no_file_holds_a_note_word_and_every_notes_command_works() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let before = run(
        &sb,
        &["--data-dir", &dir, "notes", "export", "--format", "json"],
        b"",
    );
    assert_eq!(before.code(), Some(0), "{}", before.describe());

    let twice = format!("{PASS}\n{PASS}\n");
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("3 sessions converted"),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr().contains("cannot be recovered"),
        "{}",
        out.describe()
    );
    assert_mode(&sb.data().join("identity.age"), 0o600);
    assert_eq!(
        names_in(&sb.data().join("sessions")),
        [
            "20261101-090000-aaaa.json.age",
            "20261102-090000-bbbb.json.age",
            "20261103-090000-cccc.json.age"
        ]
    );
    for name in names_in(&sb.data().join("sessions")) {
        assert_mode(&sb.data().join("sessions").join(name), 0o600);
    }
    assert_no_note_words_on_disk(&sb, &SECRET_WORDS);

    // A plain walk-through, its passphrase the first line of stdin: the
    // walk's own lines follow it untouched.
    let walk = format!("{PASS}\nskip\nquillwort scanned\n.\n");
    let out = run(
        &sb,
        &args(&dir, &["--scan-seconds", "1", "--focus"]),
        walk.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_no_note_words_on_disk(&sb, &SECRET_WORDS);
    assert_eq!(names_in(&sb.data().join("sessions")).len(), 4);

    // Import encrypts what it imports.
    let mut extra = session(
        "20261104-090000-dddd",
        "2026-11-04T09:00:00+01:00",
        "importedword",
    );
    extra["complete"] = json!(true);
    let import = sb.write("import.json", serde_json::to_vec(&json!([extra])).unwrap());
    let out = run(
        &sb,
        &args(&dir, &["notes", "import", &import.display().to_string()]),
        format!("{PASS}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    fs::remove_file(&import).unwrap();
    assert_no_note_words_on_disk(&sb, &["importedword", "quillwort"]);

    let pass_line = format!("{PASS}\n");
    let out = run(&sb, &args(&dir, &["notes", "list"]), pass_line.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    for id in ["20261101-090000-aaaa", "20261104-090000-dddd"] {
        assert!(out.stdout().contains(id), "{}", out.describe());
    }

    let out = run(
        &sb,
        &args(&dir, &["notes", "show", "20261102-090000-bbbb"]),
        pass_line.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("lighthouse in reflect"),
        "{}",
        out.describe()
    );
    assert!(out.stderr().contains("plaintext"), "{}", out.describe());

    let exported = sb.path().join("out.md");
    let out = run(
        &sb,
        &args(
            &dir,
            &["notes", "export", "-o", &exported.display().to_string()],
        ),
        pass_line.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stderr().contains("plaintext"), "{}", out.describe());
    assert!(fs::read_to_string(&exported).unwrap().contains("marigold"));

    let out = run(&sb, &args(&dir, &["notes", "stats"]), pass_line.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());

    let out = run(
        &sb,
        &args(&dir, &["notes", "delete", "--yes", "20261104-090000-dddd"]),
        pass_line.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert_eq!(names_in(&sb.data().join("sessions")).len(), 4);

    // Off again: the same sessions, byte for byte, plus the walk's one.
    let out = run(
        &sb,
        &args(&dir, &["notes", "decrypt"]),
        pass_line.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(!sb.data().join("identity.age").exists());
    assert!(!sb.data().join("identity-retiring.age").exists());
    let files = names_in(&sb.data().join("sessions"));
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.iter().all(|f| f.ends_with(".json")), "{files:?}");
    // No passphrase is asked any more (stdin is empty).
    let after = run(
        &sb,
        &["--data-dir", &dir, "notes", "export", "--format", "json"],
        b"",
    );
    assert_eq!(after.code(), Some(0), "{}", after.describe());
    assert!(
        !after.stderr().contains("plaintext"),
        "{}",
        after.describe()
    );
    let before: Vec<Value> = serde_json::from_str(&before.stdout()).unwrap();
    let after: Vec<Value> = serde_json::from_str(&after.stdout()).unwrap();
    assert_eq!(after.len(), 4);
    for session in &before {
        assert!(after.contains(session), "{session} lost or changed");
    }
    assert!(
        after
            .iter()
            .any(|s| s.to_string().contains("quillwort scanned"))
    );

    // Decrypting again has nothing to do.
    let out = run(&sb, &["--data-dir", &dir, "notes", "decrypt"], b"");
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(out.stdout().contains("not encrypted"), "{}", out.describe());
}

#[test]
fn a_wrong_passphrase_gets_three_tries_and_nothing_is_written_meanwhile() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();

    // Two different passphrases: nothing changes.
    let out = run(
        &sb,
        &args(&dir, &["notes", "encrypt"]),
        b"one calm day\ntwo calm days\n",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(out.stderr().contains("not the same"), "{}", out.describe());
    assert!(!sb.data().join("identity.age").exists());
    // An empty one is refused too.
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), b"\n\n");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(out.stderr().contains("empty"), "{}", out.describe());
    assert!(!sb.data().join("identity.age").exists());

    let twice = format!("{PASS}\n{PASS}\n");
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let on_disk = files_under(&sb.data());

    let out = run(
        &sb,
        &args(&dir, &["notes", "decrypt"]),
        b"wrong\nstill wrong\nnope\n",
    );
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    let err = out.stderr();
    assert_eq!(err.matches("try again").count(), 2, "{err}");
    assert!(
        err.contains("(2 tries left)") && err.contains("(1 try left)"),
        "{err}"
    );
    assert!(
        err.lines()
            .last()
            .unwrap()
            .contains("not right three times"),
        "{err}"
    );
    assert_eq!(files_under(&sb.data()), on_disk, "something was written");

    // The fd runs out before a right one: also nothing written.
    let out = run(&sb, &args(&dir, &["notes", "list"]), b"wrong\n");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert!(
        out.stderr().contains("ended before a passphrase"),
        "{}",
        out.describe()
    );
    assert_eq!(files_under(&sb.data()), on_disk, "something was written");

    // Wrong once, then right.
    let out = run(
        &sb,
        &args(&dir, &["notes", "list"]),
        format!("wrong\n{PASS}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("20261103-090000-cccc"),
        "{}",
        out.describe()
    );
}

// A process with no controlling terminal (setsid) is Unix's.
#[cfg(unix)]
#[test]
fn with_no_terminal_and_no_fd_the_passphrase_cannot_be_asked_and_it_says_so() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());

    // A new session without a controlling terminal: /dev/tty cannot open.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_repair"));
    cmd.args(["--data-dir", &dir, "notes", "list"])
        .envs(sb.env())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A test harness may: the rule that only `src/platform` uses unsafe
    // code is for the program.
    // SAFETY: setsid is async-signal-safe.
    #[allow(unsafe_code)]
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--passphrase-fd N"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn the_terminal_prompt_is_masked_retries_and_is_interrupted_by_ctrl_c() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());

    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "notes", "list"]);
    pty.wait_for_text("Passphrase for your notes:");
    pty.type_text("wrong");
    pty.wait_for_text("*****");
    assert!(!pty.screen().contains("wrong"), "{}", pty.dump());
    #[cfg(unix)]
    assert!(
        !pty.termios_restored(),
        "no echo while asking\n{}",
        pty.dump()
    );
    pty.send(keys::ENTER);
    pty.wait_for_text("2 tries left");
    pty.wait_for(
        |s| s.matches("Passphrase for your notes:").count() == 2,
        "the second prompt",
    );
    pty.type_text(PASS);
    pty.send(keys::ENTER);
    pty.wait_for_text("20261101-090000-aaaa");
    assert!(!pty.screen().contains(PASS), "{}", pty.dump());
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "left without echo\n{}", pty.dump());

    // Ctrl-C at the prompt: it stops, says so, and the terminal is restored.
    let args = ["--data-dir", &dir, "notes", "show", "20261101-090000-aaaa"];
    let mut pty = Pty::spawn(&sb, &args);
    pty.wait_for_text("Passphrase for your notes:");
    pty.type_text("half");
    pty.wait_for_text("****");
    pty.send(keys::CTRL_C);
    pty.wait_for_text("prompt was interrupted");
    assert_eq!(pty.exit_code(), 1, "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "left without echo\n{}", pty.dump());
    assert!(!pty.screen().contains("marigold"), "{}", pty.dump());

    // SIGTERM at the prompt: the terminal is restored too.
    let mut pty = Pty::spawn(&sb, &args);
    pty.wait_for_text("Passphrase for your notes:");
    pty.type_text("x");
    pty.wait_for_text("*");
    #[cfg(unix)]
    assert!(!pty.termios_restored(), "{}", pty.dump());
    pty.signal("TERM");
    assert_eq!(pty.exit_code(), 128 + 15, "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "left without echo\n{}", pty.dump());

    // And SIGINT sent by another program (Ctrl-C itself sends none here).
    let mut pty = Pty::spawn(&sb, &args);
    pty.wait_for_text("Passphrase for your notes:");
    pty.type_text("x");
    pty.wait_for_text("*");
    pty.signal("INT");
    assert_eq!(pty.exit_code(), 128 + 2, "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "left without echo\n{}", pty.dump());
}

/// A store on `dir` that can read whatever is there now, reusing the last
/// unlocked key while the identity file is unchanged (each unlock is slow).
fn readable_store(dir: &Path, cache: &mut Option<(Vec<u8>, Key)>) -> Store {
    let mut store = Store::open(dir).expect("open");
    let Some(name) = store.encryption().identity_file() else {
        return store;
    };
    let identity = fs::read(dir.join(name)).expect("identity");
    if let Some((bytes, key)) = cache.as_ref()
        && *bytes == identity
    {
        store.unlock_with(key.clone());
        return store;
    }
    store
        .unlock(&SecretString::from(PASS.to_string()))
        .expect("unlock");
    *cache = Some((identity, store.hand_over().expect("unlocked")));
    store
}

/// Kills `repair notes encrypt` (or `decrypt`) with SIGKILL, early (during
/// the scrypt work) or just after the first session was converted, and
/// checks after every kill that every session reads back unchanged.
fn kill_loop(encrypting: bool) {
    repair_practice::journal::crypt::lower_work_factor_for_tests(10);
    let sb = Sandbox::new();
    let originals: Vec<Value> = (0..40)
        .map(|i| {
            session(
                &format!("20261101-0900{i:02}-abcd"),
                &format!("2026-11-01T09:00:{i:02}+01:00"),
                &format!("marigold {i} {}", "x".repeat(4000)),
            )
        })
        .collect();
    sb.put_sessions(&originals);
    let dir = sb.data();
    let sessions_dir = dir.join("sessions");
    let (command, input, new_form) = if encrypting {
        ("encrypt", format!("{PASS}\n{PASS}\n"), ".json.age")
    } else {
        ("decrypt", format!("{PASS}\n"), ".json")
    };
    let count_new = || {
        names_in(&sessions_dir)
            .iter()
            .filter(|f| f.ends_with(new_form))
            .count()
    };
    let mut cache = None;
    let mut mixed = 0;
    const ROUNDS: u64 = 8;
    for round in 0..ROUNDS {
        // Each round starts from the other mode, every session in the old
        // form, unless the last kill left a half-finished job to carry on.
        if count_new() == originals.len() {
            let mut store = readable_store(&dir, &mut cache);
            if encrypting {
                store.begin_decryption().expect("begin decrypt");
                store.unseal_all().expect("unseal");
                assert!(store.finish_decryption().expect("finish"));
            } else {
                store
                    .begin_encryption(&SecretString::from(PASS.to_string()))
                    .expect("begin encrypt");
                store.seal_all().expect("seal");
            }
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_repair"))
            .args([
                "--data-dir",
                &dir.display().to_string(),
                "--passphrase-fd",
                "0",
            ])
            .args(["notes", command])
            .envs(sb.env())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write;
        let converted_before = count_new();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        if round % 4 == 0 {
            // Early: during the scrypt work, before or as the key changes.
            sleep(Duration::from_millis(100 + round * 50));
        } else {
            // As soon as one more session has been converted, then a few
            // more milliseconds each round: in the middle of the migration.
            while child.try_wait().unwrap().is_none() && count_new() <= converted_before {
                std::thread::yield_now();
            }
            sleep(Duration::from_millis(round % 4 * 3));
        }
        let _ = child.kill();
        let _ = child.wait();

        let converted = count_new();
        if converted > 0 && converted < originals.len() {
            mixed += 1;
        }
        let store = readable_store(&dir, &mut cache);
        let sessions: Vec<Value> = store
            .list()
            .iter()
            .map(|l| match l {
                Listed::Session(s) => serde_json::to_value(s).unwrap(),
                Listed::Unreadable { path, reason } => {
                    panic!("round {round}: {} unreadable: {reason}", path.display())
                }
            })
            .collect();
        assert_eq!(sessions, originals, "round {round}: sessions differ");
    }
    // Else the timing drifted and the loop checked only the easy states.
    assert!(
        mixed > 0,
        "no kill of {ROUNDS} landed mid-migration (a mix of plain and sealed files)"
    );

    // Running it once more to the end finishes the job.
    let out = run(
        &sb,
        &[
            "--data-dir",
            &dir.display().to_string(),
            "--passphrase-fd",
            "0",
            "notes",
            command,
        ],
        input.as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    let files = names_in(&sessions_dir);
    assert_eq!(files.len(), 40);
    assert!(files.iter().all(|f| f.ends_with(new_form)), "{files:?}");
    let store = readable_store(&dir, &mut cache);
    assert_eq!(store.list().len(), 40);
    if encrypting {
        assert_eq!(store.encryption(), Encryption::On);
        assert_no_note_words_on_disk(&sb, &["marigold"]);
    } else {
        assert_eq!(store.encryption(), Encryption::Off);
        assert_eq!(names_in(&dir), ["sessions"]);
    }
}

#[test]
#[ignore = "slow: a SIGKILL loop; .ci/run runs it with --include-ignored"]
fn sigkill_during_encrypt_never_loses_a_session() {
    kill_loop(true);
}

#[test]
#[ignore = "slow: a SIGKILL loop; .ci/run runs it with --include-ignored"]
fn sigkill_during_decrypt_never_loses_a_session() {
    kill_loop(false);
}

#[test]
fn the_full_screen_walk_asks_before_it_opens_and_its_autosave_is_sealed() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());

    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "--scan-seconds", "1"]);
    // The full screen asks first, in a masked box of its own.
    pty.wait_for_text("Passphrase for your notes:");
    pty.wait_for_text("Your notes are encrypted.");
    assert!(pty.alternate_screen(), "{}", pty.dump());
    // A wrong one is said so, with the tries left; nothing shows what was typed.
    pty.type_text("not it");
    pty.wait_for_text("******");
    assert!(!pty.screen().contains("not it"), "{}", pty.dump());
    pty.send(keys::ENTER);
    pty.wait_for_text("2 tries left");
    pty.type_text(PASS);
    pty.send(keys::ENTER);
    pty.wait_for_text("Step 1 of 6");
    pty.type_text("quillwort draft");
    pty.wait_for_text("quillwort draft");
    // The autosave, about a second after typing, is a fourth sealed file.
    let sessions = sb.data().join("sessions");
    let start = std::time::Instant::now();
    while names_in(&sessions).len() < 4 {
        assert!(
            start.elapsed() < common::WAIT,
            "no autosave\n{}",
            pty.dump()
        );
        sleep(Duration::from_millis(50));
    }
    assert_no_note_words_on_disk(&sb, &["quillwort"]);
    pty.send(keys::ESC);
    pty.wait_for_text("save as unfinished");
    pty.send("s");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    #[cfg(unix)]
    assert!(pty.termios_restored(), "{}", pty.dump());
    let files = names_in(&sessions);
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.iter().all(|f| f.ends_with(".json.age")), "{files:?}");
    assert_no_note_words_on_disk(&sb, &SECRET_WORDS);

    // And the kept session reads back with its notes.
    let out = run(
        &sb,
        &args(&dir, &["notes", "export", "--format", "json"]),
        format!("{PASS}\n").as_bytes(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stdout().contains("quillwort draft"),
        "{}",
        out.describe()
    );
}

#[test]
fn a_resume_offered_by_the_full_screen_does_not_ask_for_the_passphrase_again() {
    let sb = Sandbox::new();
    let yesterday = chrono::Local::now().fixed_offset() - chrono::Duration::days(1);
    let recent = format!("{}-abcd", yesterday.format("%Y%m%d-%H%M%S"));
    let mut unfinished = session(
        &recent,
        &yesterday.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        "marigold",
    );
    unfinished["finished_at"] = Value::Null;
    unfinished["complete"] = json!(false);
    unfinished["steps"][1]["status"] = json!("not-reached");
    sb.put_sessions(&[unfinished]);
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());

    let mut pty = Pty::spawn(&sb, &["--data-dir", &dir, "--scan-seconds", "1"]);
    pty.wait_for_text("Passphrase for your notes:");
    pty.type_text(PASS);
    pty.send(keys::ENTER);
    pty.wait_for_text("Ctrl-R resumes it");
    let drawn = String::from_utf8_lossy(&pty.raw())
        .matches("Passphrase")
        .count();
    pty.send("\x12");
    pty.wait_for_text("Resuming the session of");
    assert!(!pty.screen().contains("Passphrase"), "{}", pty.dump());
    pty.send(keys::ESC);
    pty.wait_for_text("save as unfinished");
    pty.send("s");
    assert_eq!(pty.exit_code(), 0, "{}", pty.dump());
    // The prompt was drawn once, before the start screen, and never again.
    let asked = String::from_utf8_lossy(&pty.raw())
        .matches("Passphrase")
        .count();
    assert_eq!(asked, drawn, "{}", pty.dump());
    assert_no_note_words_on_disk(&sb, &["marigold"]);
}

/// `encrypt` when already on said "0 sessions converted"
/// after asking for the passphrase; a one-character passphrase was taken;
/// there was no way to change the passphrase.
#[test]
fn encrypt_when_on_says_so_short_passphrases_are_refused_and_the_passphrase_changes() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let short = run(&sb, &args(&dir, &["notes", "encrypt"]), b"x\nx\n");
    assert_eq!(short.code(), Some(1), "{}", short.describe());
    assert!(
        short.stderr().contains("has 1 character; use at least 8"),
        "{}",
        short.describe()
    );
    assert!(!sb.data().join("identity.age").exists(), "nothing changed");

    let twice = format!("{PASS}\n{PASS}\n");
    let on = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(on.code(), Some(0), "{}", on.describe());
    let sealed = files_under(&sb.data().join("sessions"));

    // Again: nothing asked (no stdin at all), nothing done, and it says so.
    let again = run(&sb, &["--data-dir", &dir, "notes", "encrypt"], b"");
    assert_eq!(again.code(), Some(0), "{}", again.describe());
    assert!(
        again.stdout().contains("already encrypted"),
        "{}",
        again.describe()
    );

    // A new passphrase: the old, then the new twice. Sessions stay as they are.
    let new = "a quiet river 12";
    let change = format!("{PASS}\n{new}\n{new}\n");
    let changed = run(
        &sb,
        &args(&dir, &["notes", "passphrase"]),
        change.as_bytes(),
    );
    assert_eq!(changed.code(), Some(0), "{}", changed.describe());
    assert_eq!(
        files_under(&sb.data().join("sessions")),
        sealed,
        "no session rewritten"
    );
    assert_mode(&sb.data().join("identity.age"), 0o600);
    let old = run(
        &sb,
        &args(&dir, &["notes", "list"]),
        format!("{PASS}\n{PASS}\n{PASS}\n").as_bytes(),
    );
    assert_ne!(old.code(), Some(0), "the old passphrase no longer opens");
    let list = run(
        &sb,
        &args(&dir, &["notes", "list"]),
        format!("{new}\n").as_bytes(),
    );
    assert_eq!(list.code(), Some(0), "{}", list.describe());
    assert_eq!(list.stdout().lines().count(), 3, "{}", list.describe());
}

/// The sessions directory's file names that end in `.json` (plain notes).
fn plain_names(sb: &Sandbox) -> Vec<String> {
    names_in(&sb.data().join("sessions"))
        .into_iter()
        .filter(|n| n.ends_with(".json"))
        .collect()
}

/// With `identity.age` gone from an encrypted store, nothing is written in
/// plain text beside the sealed sessions: a walk refuses to start and says
/// what is missing and how to restore it; `decrypt` does not claim the
/// notes are unencrypted; `encrypt` makes no new key without `--force`, and
/// with it warns and leaves the old sealed sessions as they are.
#[test]
fn a_missing_key_file_is_said_and_no_plain_text_or_new_key_is_made_unasked() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let on = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(on.code(), Some(0), "{}", on.describe());
    let identity = sb.data().join("identity.age");
    let backup = fs::read(&identity).expect("identity");
    let sealed = files_under(&sb.data().join("sessions"));
    fs::remove_file(&identity).expect("rm");

    let protocol = sb.write("mini.toml", common::MINI).display().to_string();
    let walk = run(
        &sb,
        &["--data-dir", &dir, "--plain", "--protocol", &protocol],
        b"quillwort words\n.\n.\n",
    );
    assert_ne!(walk.code(), Some(0), "{}", walk.describe());
    assert!(
        walk.stderr()
            .contains("identity.age that opens them is missing")
            && walk.stderr().contains("from a backup"),
        "{}",
        walk.describe()
    );
    assert!(plain_names(&sb).is_empty(), "{:?}", plain_names(&sb));
    assert_no_note_words_on_disk(&sb, &["quillwort"]);

    let decrypt = run(&sb, &args(&dir, &["notes", "decrypt"]), b"");
    assert_ne!(decrypt.code(), Some(0), "{}", decrypt.describe());
    assert!(
        !decrypt.stdout().contains("not encrypted") && decrypt.stderr().contains("missing"),
        "{}",
        decrypt.describe()
    );

    let encrypt = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(encrypt.code(), Some(1), "{}", encrypt.describe());
    assert!(
        encrypt.stderr().contains("3 sessions")
            && encrypt.stderr().contains("--force")
            && encrypt.stderr().contains("no new key was made"),
        "{}",
        encrypt.describe()
    );
    assert!(!identity.exists(), "no new key unasked");
    assert_eq!(files_under(&sb.data().join("sessions")), sealed);

    // Put back from the backup, everything opens again.
    fs::write(&identity, &backup).expect("restore");
    let list = run(
        &sb,
        &args(&dir, &["notes", "list"]),
        format!("{PASS}\n").as_bytes(),
    );
    assert_eq!(list.code(), Some(0), "{}", list.describe());
    assert_eq!(list.stdout().lines().count(), 3, "{}", list.describe());

    // With --force: warned, a new key, the old sealed files untouched.
    fs::remove_file(&identity).expect("rm");
    let forced = run(
        &sb,
        &args(&dir, &["notes", "encrypt", "--force"]),
        b"a brand new key 9\na brand new key 9\n",
    );
    assert_eq!(forced.code(), Some(0), "{}", forced.describe());
    assert!(forced.stderr().contains("warning"), "{}", forced.describe());
    assert!(identity.exists());
    assert_eq!(files_under(&sb.data().join("sessions")), sealed);
}

/// A damaged `identity.age` is said as such: `encrypt` does not report
/// "already encrypted", and makes a new key only with `--force`, moving the
/// damaged file aside rather than deleting it.
#[test]
fn a_damaged_key_file_is_said_and_replaced_only_with_force() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let twice = format!("{PASS}\n{PASS}\n");
    let on = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(on.code(), Some(0), "{}", on.describe());
    let identity = sb.data().join("identity.age");
    fs::write(&identity, b"scribbled over\n").expect("damage");

    let again = run(&sb, &args(&dir, &["notes", "encrypt"]), twice.as_bytes());
    assert_eq!(again.code(), Some(1), "{}", again.describe());
    assert!(
        !again.stdout().contains("already encrypted")
            && again.stderr().contains("is damaged")
            && again.stderr().contains("--force"),
        "{}",
        again.describe()
    );
    assert_eq!(fs::read(&identity).unwrap(), b"scribbled over\n");

    let forced = run(
        &sb,
        &args(&dir, &["notes", "encrypt", "--force"]),
        twice.as_bytes(),
    );
    assert_eq!(forced.code(), Some(0), "{}", forced.describe());
    assert_eq!(
        fs::read(sb.data().join("identity-damaged.age")).unwrap(),
        b"scribbled over\n"
    );
    assert_ne!(fs::read(&identity).unwrap(), b"scribbled over\n");
}

/// A new passphrase that is too short is asked again (three tries in all),
/// as a wrong one is, instead of ending the command.
#[test]
fn a_too_short_new_passphrase_is_asked_again() {
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let input = format!("short\n{PASS}\n{PASS}\n");
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), input.as_bytes());
    assert_eq!(out.code(), Some(0), "{}", out.describe());
    assert!(
        out.stderr()
            .contains("that passphrase has 5 characters; use at least 8")
            && out.stderr().contains("try again (2 tries left)"),
        "{}",
        out.describe()
    );
    assert!(sb.data().join("identity.age").exists());
    // Three too short: it stops, nothing changed.
    let sb = Sandbox::new();
    three(&sb);
    let dir = sb.data().display().to_string();
    let out = run(&sb, &args(&dir, &["notes", "encrypt"]), b"a\nbb\nccc\n");
    assert_eq!(out.code(), Some(1), "{}", out.describe());
    assert_eq!(
        out.stderr().matches("try again").count(),
        2,
        "{}",
        out.describe()
    );
    assert!(!sb.data().join("identity.age").exists());
}
