//! Process-level tests of the session store: a writer killed with SIGKILL at
//! any instant never leaves a torn session file.
//!
//! The parent test re-runs this test binary as a child that saves in a tight
//! loop (`writer_child`: an ignored test that is the child's body, run only
//! by name with `--ignored`, and refusing to run without the parent's
//! directory), kills it at varied moments, and checks what is left on disk.
//! Every test works in its own temporary directory, never the real data
//! directory. The loop is slow, so it is ignored too: `.ci/run` runs it with
//! `--include-ignored` (and skips the child's body).

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use chrono::DateTime;
use repair_practice::journal::{Session, StepRecord, StepStatus, Store};

/// Set in the child: the data directory to save into.
const WRITER_ENV: &str = "REPAIR_TEST_WRITER_DIR";
/// Set in the child: a file it creates once its first save has finished.
const READY_ENV: &str = "REPAIR_TEST_WRITER_READY";
const ID: &str = "20240101-090000-abcd";
const KILLS: u64 = 30;

/// One of the two contents the writer alternates between. They differ in
/// length and in every note, so any mix of the two would not parse or would
/// match neither. The files are about 8 and 20 KB: a long session's notes,
/// and small enough that (in a debug build) writing and syncing, rather than
/// serialising, fill much of each save, so many kills land mid-write.
fn content(which: usize) -> Session {
    let (fill, len) = match which {
        0 => ("aaaa ", 2_000),
        _ => ("ב😀e\u{301}\r\n\u{1b}[0m", 3_000),
    };
    let steps = (0..4)
        .map(|i| StepRecord {
            id: format!("step-{i}"),
            title: format!("Step {i}"),
            status: if which == 0 {
                StepStatus::Done
            } else {
                StepStatus::FollowUp
            },
            notes: fill.repeat(len / fill.len() + i),
            pause_seconds: Some(which as u64 * 10 + i as u64),
            newer: Default::default(),
        })
        .collect();
    Session {
        id: ID.to_string(),
        mode: repair_practice::journal::SessionMode::Practice,
        protocol: "rupture-repair".to_string(),
        protocol_title: "Rupture repair".to_string(),
        drill: None,
        started_at: DateTime::parse_from_rfc3339("2024-01-01T09:00:00+01:00")
            .expect("test timestamp"),
        finished_at: None,
        complete: which == 1,
        steps,
        extra: Default::default(),
    }
}

/// Not a test: the body of the child process, which the parent starts by
/// name. Run any other way, it says so and fails rather than pass having
/// checked nothing.
#[test]
#[ignore = "helper: the writer child of sigkill_during_saves_never_leaves_a_torn_file, started only by it"]
fn writer_child() {
    let Some(dir) = std::env::var_os(WRITER_ENV) else {
        panic!(
            "storage::writer_child is the body of a child process; it runs only when started by storage::sigkill_during_saves_never_leaves_a_torn_file"
        );
    };
    let store = Store::open(Path::new(&dir)).expect("child: open");
    let contents = [content(0), content(1)];
    store.save_over(&contents[0]).expect("child: save");
    if let Some(ready) = std::env::var_os(READY_ENV) {
        fs::write(ready, "").expect("child: ready");
    }
    // Runs until the parent kills it; the bound is only a safety net.
    let deadline = Instant::now() + Duration::from_secs(20);
    for which in (0..2).cycle() {
        if Instant::now() > deadline {
            break;
        }
        store.save_over(&contents[which]).expect("child: save");
    }
}

fn spawn_writer(dir: &Path, ready: &Path) -> Child {
    let exe = std::env::current_exe().expect("current_exe");
    Command::new(exe)
        // The test's name in the one test binary, tests/it/main.rs.
        .args([
            "storage::writer_child",
            "--exact",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .env(WRITER_ENV, dir)
        .env(READY_ENV, ready)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the writer child")
}

/// Waits (briefly) for the child's first save, so most kills land among the
/// saves rather than during start-up.
fn wait_for(ready: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !ready.exists() && Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("writer child exited early: {status}");
        }
        sleep(Duration::from_millis(1));
    }
    assert!(ready.exists(), "writer child never saved");
}

fn temp_files_in(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".repair-tmp-"))
        .collect()
}

#[test]
#[ignore = "slow: a SIGKILL loop; .ci/run runs it with --include-ignored"]
fn sigkill_during_saves_never_leaves_a_torn_file() {
    if std::env::var_os(WRITER_ENV).is_some() {
        return; // never recurse from inside a child
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let contents = [content(0), content(1)];
    let session_file = dir.join("sessions").join(format!("{ID}.json"));
    let mut mid_save = 0;
    for i in 0..KILLS {
        let ready = tmp.path().join(format!("ready-{i}"));
        let mut child = spawn_writer(&dir, &ready);
        // Every fifth kill may land during start-up, open or the first save.
        if i % 5 != 0 {
            wait_for(&ready, &mut child);
        }
        sleep(Duration::from_millis(i * 7 % 31));
        child.kill().expect("SIGKILL the writer"); // SIGKILL on Unix
        child.wait().expect("reap the writer");

        match fs::read(&session_file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => panic!("kill {i}: cannot read the session file: {e}"),
            Ok(bytes) => {
                let saved: Session = serde_json::from_slice(&bytes)
                    .unwrap_or_else(|e| panic!("kill {i}: torn session file: {e}"));
                assert!(
                    contents.contains(&saved),
                    "kill {i}: the file holds neither content"
                );
            }
        }
        // A temporary file left behind: the kill landed inside a save.
        let sessions = dir.join("sessions");
        if sessions.is_dir() && !temp_files_in(&sessions).is_empty() {
            mid_save += 1;
        }
        let store = Store::open(&dir).expect("reopen after kill");
        assert_eq!(temp_files_in(&dir), Vec::<String>::new(), "kill {i}");
        assert_eq!(temp_files_in(&dir.join("sessions")), Vec::<String>::new());
        if let Ok(bytes) = fs::read(&session_file) {
            let loaded = store.load(ID).expect("load after kill");
            assert_eq!(serde_json::from_slice::<Session>(&bytes).ok(), Some(loaded));
        }
    }
    assert!(session_file.exists(), "no kill happened after a save");
    // Else the timing drifted and the loop checked only the easy moments.
    assert!(mid_save > 0, "no kill of {KILLS} landed inside a save");
}
