//! Shared helpers for the end-to-end tests: a sandbox directory per test, a
//! pseudo-terminal harness for the full screen, and a piped-process helper
//! for plain mode.
//!
//! Nothing here ever uses the real data directory: every child gets its own
//! HOME, XDG_DATA_HOME and REPAIR_DATA_DIR inside the test's temporary
//! directory. Nothing waits for a fixed time either: every wait polls for a
//! condition with a generous deadline and fails with what it saw.

#![allow(dead_code)]

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child as StdChild, Command, ExitStatus as StdExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_repair");

/// How long any wait may take before the test fails. Generous: the tests
/// run on a small, busy machine.
pub const WAIT: Duration = Duration::from_secs(20);

/// How often waits poll.
const POLL: Duration = Duration::from_millis(20);

/// Keys as a terminal sends them.
pub mod keys {
    pub const TAB: &str = "\t";
    pub const SHIFT_TAB: &str = "\x1b[Z";
    pub const ENTER: &str = "\r";
    /// A lone ESC: send it on its own and wait for its effect before sending
    /// anything else, or it may be read as the start of a sequence.
    pub const ESC: &str = "\x1b";
    pub const CTRL_S: &str = "\x13";
    pub const CTRL_Q: &str = "\x11";
    pub const CTRL_C: &str = "\x03";
    pub const F1: &str = "\x1bOP";
}

/// Locks a mutex, ignoring poisoning (a panicking reader must not hide the
/// screen from the failure message).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Bytes shown with control characters escaped, for failure messages.
pub fn escaped(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).escape_debug().to_string()
}

/// Where `needle` last occurs in `haystack`.
pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The names in a folder, sorted; none if it cannot be read. The data
/// directory's lock file on Windows (`.repair-lock`, where a directory
/// cannot be locked itself) is left out: no test is about it.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| !(cfg!(windows) && name == ".repair-lock"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// How often `needle` occurs in `haystack`.
pub fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

// ---------------------------------------------------------------------------
// The sandbox
// ---------------------------------------------------------------------------

/// One test's private directory: `data/` (not created: the program makes it)
/// and `home/` (created).
pub struct Sandbox {
    root: TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("tempdir");
        fs::create_dir(root.path().join("home")).expect("mkdir home");
        let sandbox = Sandbox { root };
        // Windows finds its config folder without asking HOME, so the
        // settings file is named by REPAIR_CONFIG there (see `env`), which
        // must name a file that exists: an empty one is no settings.
        if cfg!(windows) {
            sandbox.write_settings("");
        }
        sandbox
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }

    /// The data directory the program is told to use.
    pub fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// `--data-dir` and its value, as strings.
    pub fn data_arg(&self) -> [String; 2] {
        ["--data-dir".to_string(), self.data().display().to_string()]
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// Environment every child gets, so nothing can reach the real data dir.
    pub fn env(&self) -> Vec<(String, String)> {
        let home = self.home().display().to_string();
        vec![
            ("HOME".into(), home.clone()),
            ("XDG_DATA_HOME".into(), format!("{home}/.local/share")),
            ("REPAIR_DATA_DIR".into(), self.data().display().to_string()),
            // The settings file is looked for under this HOME only: an empty
            // REPAIR_CONFIG counts as not set. Windows's config folder is not
            // under HOME, so there it is named outright.
            ("XDG_CONFIG_HOME".into(), format!("{home}/.config")),
            (
                "REPAIR_CONFIG".into(),
                if cfg!(windows) {
                    self.settings_path().display().to_string()
                } else {
                    String::new()
                },
            ),
            // A fast scrypt for new keys; honoured by debug builds only.
            ("REPAIR_TEST_SCRYPT_LOG_N".into(), "10".into()),
        ]
    }

    /// Where the program looks for its settings file in this sandbox.
    pub fn settings_path(&self) -> PathBuf {
        let under_home = if cfg!(target_os = "macos") {
            "Library/Application Support/repair-practice/config.toml"
        } else if cfg!(windows) {
            "config.toml"
        } else {
            ".config/repair-practice/config.toml"
        };
        self.home().join(under_home)
    }

    /// Writes the settings file the program will read.
    pub fn write_settings(&self, text: &str) -> PathBuf {
        let path = self.settings_path();
        fs::create_dir_all(path.parent().unwrap()).expect("mkdir config");
        fs::write(&path, text).expect("write settings");
        path
    }

    /// The session files (`*.json`, not hidden) under `data/sessions/`,
    /// sorted by name.
    pub fn session_files(&self) -> Vec<PathBuf> {
        let dir = self.data().join("sessions");
        let Ok(entries) = fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.expect("dir entry").path())
            .filter(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                name.ends_with(".json") && !name.starts_with('.')
            })
            .collect();
        files.sort();
        files
    }

    /// Every entry under `data/sessions/`, hidden ones included.
    pub fn all_session_entries(&self) -> Vec<String> {
        let dir = self.data().join("sessions");
        let Ok(entries) = fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    /// The one saved session, parsed; fails unless there is exactly one.
    pub fn only_session(&self) -> (PathBuf, serde_json::Value) {
        let files = self.session_files();
        assert_eq!(
            files.len(),
            1,
            "expected exactly one session file, found {files:?} (all entries: {:?})",
            self.all_session_entries()
        );
        let path = files[0].clone();
        let json = read_json(&path);
        (path, json)
    }

    /// Waits until at least one session file exists.
    pub fn wait_for_session_file(&self) -> PathBuf {
        let start = Instant::now();
        loop {
            if let Some(path) = self.session_files().into_iter().next() {
                return path;
            }
            assert!(
                start.elapsed() < WAIT,
                "no session file appeared under {} within {WAIT:?}",
                self.data().display()
            );
            thread::sleep(POLL);
        }
    }

    /// Puts session records in the data dir as plain JSON files, with the
    /// data dir, sessions/ and the files private as the store makes them.
    pub fn put_sessions(&self, sessions: &[serde_json::Value]) {
        let dir = self.data().join("sessions");
        fs::create_dir_all(&dir).expect("mkdir sessions");
        // Owner-only, as the store makes them (a looser file is tightened
        // with a notice, which tests of exact stderr would see); Windows
        // has no such bits.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).expect("chmod");
            fs::set_permissions(self.data(), fs::Permissions::from_mode(0o700)).expect("chmod");
        }
        for session in sessions {
            let id = session["id"].as_str().expect("a session id");
            let bytes = serde_json::to_vec_pretty(session).expect("JSON");
            let path = dir.join(format!("{id}.json"));
            fs::write(&path, bytes).expect("write session");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
            }
        }
    }

    /// Writes a file under the sandbox root and returns its path.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&path, contents).expect("write");
        path
    }
}

/// The data directory of a sandbox, as the string `--data-dir` takes.
pub fn dir_of(sb: &Sandbox) -> String {
    sb.data().display().to_string()
}

/// Two steps without pauses, so a walk is only lines of notes.
pub const MINI: &str = r#"[protocol]
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
"#;

/// An unfinished practice session record with one done step holding `note`.
pub fn session(id: &str, note: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "mode": "practice",
        "protocol": "rupture-repair",
        "protocol_title": "Rupture repair",
        "drill": null,
        "started_at": "2026-11-01T09:00:00+01:00",
        "finished_at": null,
        "complete": false,
        "steps": [{
            "id": "notice", "title": "Notice", "status": "done",
            "notes": note, "pause_seconds": null
        }]
    })
}

/// A JSON file, parsed.
pub fn read_json(path: &Path) -> serde_json::Value {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{} is not JSON ({e}): {}", path.display(), escaped(&bytes)))
}

/// The permission bits of a path (not following a symlink): Unix's alone;
/// a test that only checks them uses [`assert_mode`], which builds
/// everywhere.
#[cfg(unix)]
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()))
        .mode()
        & 0o7777
}

/// Asserts that `path`'s permission bits (not following a symlink) are
/// `mode` (0o600, 0o700), on Unix; elsewhere files have no such bits, and
/// the test around it still checks everything else.
pub fn assert_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    assert_eq!(
        mode_of(path),
        mode,
        "the mode of {} is {:o}, not {mode:o}",
        path.display(),
        mode_of(path)
    );
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// A step of a session's JSON by id.
pub fn step<'a>(session: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    session["steps"]
        .as_array()
        .expect("steps is an array")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step {id} in {session:#}"))
}

/// Whether the tests run as root (permission bits do not stop root).
pub fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Sends a signal by name (TERM, HUP, INT, ...) to a process.
pub fn send_signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{name} {pid} failed: {status}");
}

// ---------------------------------------------------------------------------
// The pseudo-terminal harness
// ---------------------------------------------------------------------------

/// How to start the program in a pseudo-terminal.
#[derive(Debug, Clone)]
pub struct PtyOptions {
    pub cols: u16,
    pub rows: u16,
    /// Set NO_COLOR=1 for the child (it is removed otherwise).
    pub no_color: bool,
    /// Extra environment, applied last.
    pub env: Vec<(String, String)>,
}

impl Default for PtyOptions {
    fn default() -> Self {
        PtyOptions {
            cols: 80,
            rows: 24,
            no_color: false,
            env: Vec::new(),
        }
    }
}

/// The program running in a pseudo-terminal, its output parsed by a vt100
/// emulator on a reader thread.
pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    reader_done: Arc<AtomicBool>,
    status: Option<ExitStatus>,
    pid: u32,
}

impl Pty {
    /// Starts `repair ARGS` at 80x24.
    pub fn spawn(sandbox: &Sandbox, args: &[&str]) -> Pty {
        Self::spawn_with(sandbox, args, PtyOptions::default())
    }

    /// Starts `repair ARGS` at the given size.
    pub fn spawn_sized(sandbox: &Sandbox, args: &[&str], cols: u16, rows: u16) -> Pty {
        Self::spawn_with(
            sandbox,
            args,
            PtyOptions {
                cols,
                rows,
                ..PtyOptions::default()
            },
        )
    }

    pub fn spawn_with(sandbox: &Sandbox, args: &[&str], options: PtyOptions) -> Pty {
        let size = PtySize {
            rows: options.rows,
            cols: options.cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("openpty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(sandbox.path());
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("COLORTERM");
        if options.no_color {
            cmd.env("NO_COLOR", "1");
        }
        for (key, value) in sandbox.env().into_iter().chain(options.env) {
            cmd.env(key, value);
        }
        let child = pair
            .slave
            .spawn_command(cmd)
            .expect("spawn repair in a pty");
        // Only the child may hold the slave: then reading the master ends
        // (EIO) once the child and its output are gone.
        drop(pair.slave);
        let pid = child.process_id().expect("child pid");
        let master = pair.master;
        let writer = Arc::new(Mutex::new(master.take_writer().expect("pty writer")));
        let mut reader = master.try_clone_reader().expect("pty reader");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            options.rows,
            options.cols,
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let reader_done = Arc::new(AtomicBool::new(false));
        {
            let parser = Arc::clone(&parser);
            let raw = Arc::clone(&raw);
            let writer = Arc::clone(&writer);
            let done = Arc::clone(&reader_done);
            thread::spawn(move || {
                let mut buf = [0u8; 8192];
                // Cursor-position requests already answered, by offset.
                let mut scanned = 0usize;
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            let mut raw = lock(&raw);
                            raw.extend_from_slice(&buf[..n]);
                            let mut parser = lock(&parser);
                            parser.process(&buf[..n]);
                            // Answer "where is the cursor?" (DSR 6) like a
                            // real terminal, so nothing waits on a reply.
                            let from = scanned.saturating_sub(3);
                            let requests = count(&raw[from..], b"\x1b[6n");
                            scanned = raw.len();
                            for _ in 0..requests {
                                let (row, col) = parser.screen().cursor_position();
                                let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                                let mut w = lock(&writer);
                                let _ = w.write_all(reply.as_bytes());
                                let _ = w.flush();
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(_) => break,
                    }
                }
                done.store(true, Ordering::SeqCst);
            });
        }
        Pty {
            parser,
            raw,
            writer,
            master,
            child,
            reader_done,
            status: None,
            pid,
        }
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    // -- input -------------------------------------------------------------

    /// Sends bytes as typed.
    pub fn send_bytes(&self, bytes: &[u8]) {
        let mut w = lock(&self.writer);
        w.write_all(bytes).expect("write to pty");
        w.flush().expect("flush pty");
    }

    /// Sends a key or a string.
    pub fn send(&self, keys: &str) {
        self.send_bytes(keys.as_bytes());
    }

    /// Types text one character (one key) at a time; a newline is Enter.
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            if c == '\n' {
                self.send(keys::ENTER);
            } else {
                let mut buf = [0u8; 4];
                self.send(c.encode_utf8(&mut buf));
            }
        }
    }

    /// Resizes the terminal (emulator first, so the redraw is parsed at the
    /// new size), which sends SIGWINCH to the child.
    pub fn resize(&self, cols: u16, rows: u16) {
        lock(&self.parser).screen_mut().set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// Sends a signal by name (TERM, HUP, INT) to the child.
    pub fn signal(&self, name: &str) {
        send_signal(self.pid, name);
    }

    /// Kills the child outright (SIGKILL-like).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
    }

    // -- the screen --------------------------------------------------------

    /// Runs `f` on the emulated screen.
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        f(lock(&self.parser).screen())
    }

    /// The screen's text.
    pub fn screen(&self) -> String {
        self.with_screen(|s| s.contents())
    }

    /// The cursor as (row, col), from 0.
    pub fn cursor(&self) -> (u16, u16) {
        self.with_screen(|s| s.cursor_position())
    }

    pub fn alternate_screen(&self) -> bool {
        self.with_screen(|s| s.alternate_screen())
    }

    pub fn cursor_hidden(&self) -> bool {
        self.with_screen(|s| s.hide_cursor())
    }

    pub fn bracketed_paste(&self) -> bool {
        self.with_screen(|s| s.bracketed_paste())
    }

    /// Everything the child wrote so far.
    pub fn raw(&self) -> Vec<u8> {
        lock(&self.raw).clone()
    }

    /// Where `needle` starts on the screen, as (row, column in cells): wide
    /// characters count two columns.
    pub fn find(&self, needle: &str) -> Option<(u16, u16)> {
        self.with_screen(|s| {
            let (rows, cols) = s.size();
            for row in 0..rows {
                let mut text = String::new();
                let mut col_of_byte = Vec::new();
                for col in 0..cols {
                    let Some(cell) = s.cell(row, col) else {
                        continue;
                    };
                    if cell.is_wide_continuation() {
                        continue;
                    }
                    let contents = if cell.has_contents() {
                        cell.contents()
                    } else {
                        " "
                    };
                    col_of_byte.extend(std::iter::repeat_n(col, contents.len()));
                    text.push_str(contents);
                }
                if let Some(at) = text.find(needle) {
                    return Some((row, col_of_byte[at]));
                }
            }
            None
        })
    }

    /// The terminal's line settings (ECHO, ICANON, ...) as the child left
    /// them: a restored terminal has both ECHO and ICANON. Unix's alone
    /// (portable-pty has termios only there; a Windows console has none).
    #[cfg(unix)]
    pub fn local_flags(&self) -> Vec<String> {
        let termios = self.master.get_termios().expect("termios of the pty");
        format!("{:?}", termios.local_flags)
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// True when the line discipline is back to cooked mode with echo
    /// (Unix's alone, as [`Pty::local_flags`]).
    #[cfg(unix)]
    pub fn termios_restored(&self) -> bool {
        let flags = self.local_flags();
        flags.iter().any(|f| f == "ICANON") && flags.iter().any(|f| f == "ECHO")
    }

    /// Screen, cursor, modes and the tail of the raw output, for failures.
    pub fn dump(&self) -> String {
        let raw = self.raw();
        let tail = &raw[raw.len().saturating_sub(600)..];
        let exited = self.reader_done.load(Ordering::SeqCst);
        self.with_screen(|s| {
            let rows: Vec<String> = s.rows(0, s.size().1).collect();
            format!(
                "--- screen ({}x{}, cursor {:?}, alternate {}, child output ended {exited}) ---\n{}\n--- last raw bytes ---\n{}\n",
                s.size().1,
                s.size().0,
                s.cursor_position(),
                s.alternate_screen(),
                rows.join("\n"),
                escaped(tail)
            )
        })
    }

    // -- waiting -----------------------------------------------------------

    /// Polls the screen text until `cond` holds; returns that screen. Fails
    /// with the screen after [`WAIT`], or once the child's output has ended
    /// without the condition holding.
    pub fn wait_for(&self, cond: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let ended = self.reader_done.load(Ordering::SeqCst);
            let screen = self.screen();
            if cond(&screen) {
                return screen;
            }
            if ended {
                panic!("the program's output ended before: {what}\n{}", self.dump());
            }
            if start.elapsed() > WAIT {
                panic!(
                    "timed out after {WAIT:?} waiting for: {what}\n{}",
                    self.dump()
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Waits for text to be on the screen.
    pub fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(|s| s.contains(text), &format!("{text:?} on screen"))
    }

    /// Waits until every one of `present` is on the screen and none of
    /// `absent` is. Use this rather than asserting on the screen returned by
    /// a wait for one text: a frame may be only partly written when the
    /// first text shows.
    pub fn wait_for_all(&self, present: &[&str], absent: &[&str]) -> String {
        self.wait_for(
            |s| present.iter().all(|t| s.contains(t)) && !absent.iter().any(|t| s.contains(t)),
            &format!("{present:?} on screen and {absent:?} not"),
        )
    }

    /// Waits for text to leave the screen.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_for(
            |s| !s.contains(text),
            &format!("{text:?} to leave the screen"),
        )
    }

    /// Polls everything written so far until `cond` holds.
    pub fn wait_raw(&self, cond: impl Fn(&[u8]) -> bool, what: &str) {
        let start = Instant::now();
        loop {
            let ended = self.reader_done.load(Ordering::SeqCst);
            if cond(&lock(&self.raw)) {
                return;
            }
            if ended {
                panic!("the program's output ended before: {what}\n{}", self.dump());
            }
            if start.elapsed() > WAIT {
                panic!(
                    "timed out after {WAIT:?} waiting for: {what}\n{}",
                    self.dump()
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Polls until the cursor satisfies `cond`.
    pub fn wait_cursor(&self, cond: impl Fn((u16, u16)) -> bool, what: &str) -> (u16, u16) {
        let start = Instant::now();
        loop {
            let at = self.cursor();
            if cond(at) {
                return at;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "timed out after {WAIT:?} waiting for the cursor: {what}\n{}",
                    self.dump()
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Waits until two polls 100 ms apart see the same output (no new bytes,
    /// same screen and cursor); returns the screen.
    pub fn wait_stable(&self) -> String {
        let start = Instant::now();
        let snapshot = || (lock(&self.raw).len(), self.screen(), self.cursor());
        let mut last = snapshot();
        loop {
            thread::sleep(Duration::from_millis(100));
            let now = snapshot();
            if now == last {
                return now.1;
            }
            if start.elapsed() > WAIT {
                panic!("the screen never settled within {WAIT:?}\n{}", self.dump());
            }
            last = now;
        }
    }

    /// Waits up to `within` for the screen to differ from `before`, or for
    /// the program's output to end; says whether either happened. For loops
    /// that act on what the last key did, where a key may do nothing (a lone
    /// Esc read as the start of a sequence): it never fails by itself.
    pub fn wait_change(&self, before: &str, within: Duration) -> bool {
        let start = Instant::now();
        loop {
            if self.reader_done.load(Ordering::SeqCst) || self.screen() != before {
                return true;
            }
            if start.elapsed() > within {
                return false;
            }
            thread::sleep(POLL);
        }
    }

    /// Waits for the child to exit and for all its output to be read.
    pub fn wait_exit(&mut self) -> ExitStatus {
        if let Some(status) = &self.status {
            return status.clone();
        }
        let start = Instant::now();
        let status = loop {
            match self.child.try_wait().expect("try_wait") {
                Some(status) => break status,
                None if start.elapsed() > WAIT => {
                    let dump = self.dump();
                    let _ = self.child.kill();
                    panic!("the program did not exit within {WAIT:?}\n{dump}");
                }
                None => thread::sleep(POLL),
            }
        };
        let start = Instant::now();
        while !self.reader_done.load(Ordering::SeqCst) {
            assert!(
                start.elapsed() < WAIT,
                "the pty output never ended after the program exited\n{}",
                self.dump()
            );
            thread::sleep(POLL);
        }
        self.status = Some(status.clone());
        status
    }

    /// Whether the program has exited (without waiting).
    pub fn has_exited(&mut self) -> bool {
        self.status.is_some() || matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Waits for the exit and returns its code; fails if a signal ended it.
    pub fn exit_code(&mut self) -> u32 {
        let status = self.wait_exit();
        assert!(
            status.signal().is_none(),
            "the program was killed by a signal ({status}) instead of exiting\n{}",
            self.dump()
        );
        status.exit_code()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// After a full-screen program's exit: off the alternate screen, out of raw
/// mode, the cursor shown.
pub fn assert_restored(pty: &Pty) {
    assert!(
        !pty.alternate_screen(),
        "still on the alternate screen\n{}",
        pty.dump()
    );
    #[cfg(unix)]
    assert!(pty.termios_restored(), "left in raw mode\n{}", pty.dump());
    assert!(!pty.cursor_hidden(), "the cursor is hidden\n{}", pty.dump());
}

// ---------------------------------------------------------------------------
// Plain mode through pipes
// ---------------------------------------------------------------------------

/// What a finished piped run produced.
#[derive(Debug)]
pub struct Output {
    pub status: StdExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    pub fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.stderr.clone()).expect("stderr is UTF-8")
    }

    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// Everything, for failure messages.
    pub fn describe(&self) -> String {
        format!(
            "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status,
            String::from_utf8_lossy(&self.stdout),
            String::from_utf8_lossy(&self.stderr)
        )
    }
}

/// `repair ARGS` with stdin, stdout and stderr as pipes, read on threads so
/// the child never blocks on a full pipe.
pub struct Piped {
    child: StdChild,
    stdin: Option<std::process::ChildStdin>,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<thread::JoinHandle<()>>,
}

impl Piped {
    pub fn spawn(sandbox: &Sandbox, args: &[&str]) -> Piped {
        Self::spawn_with_env(sandbox, args, Vec::new())
    }

    /// [`Piped::spawn`] with `extra` environment variables on top of the
    /// sandbox's (a `PATH` with stand-in programs first, say).
    pub fn spawn_with_env(sandbox: &Sandbox, args: &[&str], extra: Vec<(String, String)>) -> Piped {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(sandbox.path())
            .env_remove("NO_COLOR")
            .envs(sandbox.env())
            .envs(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn repair");
        let stdin = child.stdin.take();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut readers = Vec::new();
        let out_pipe = child.stdout.take().expect("stdout pipe");
        let err_pipe = child.stderr.take().expect("stderr pipe");
        readers.push(Self::drain(out_pipe, Arc::clone(&stdout)));
        readers.push(Self::drain(err_pipe, Arc::clone(&stderr)));
        Piped {
            child,
            stdin,
            stdout,
            stderr,
            readers,
        }
    }

    fn drain(
        mut pipe: impl Read + Send + 'static,
        into: Arc<Mutex<Vec<u8>>>,
    ) -> thread::JoinHandle<()> {
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => lock(&into).extend_from_slice(&buf[..n]),
                }
            }
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes to the child's stdin (ignoring a closed pipe: the child may
    /// have stopped reading).
    pub fn write(&mut self, bytes: &[u8]) {
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = stdin.write_all(bytes);
            let _ = stdin.flush();
        }
    }

    /// Closes stdin: end of input.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    pub fn stdout_now(&self) -> String {
        String::from_utf8_lossy(&lock(&self.stdout)).into_owned()
    }

    pub fn stderr_now(&self) -> String {
        String::from_utf8_lossy(&lock(&self.stderr)).into_owned()
    }

    /// Waits for stdout to satisfy `cond`.
    pub fn wait_stdout(&mut self, cond: impl Fn(&str) -> bool, what: &str) {
        let start = Instant::now();
        loop {
            if cond(&self.stdout_now()) {
                return;
            }
            let exited = matches!(self.child.try_wait(), Ok(Some(_)));
            if exited && start.elapsed() > Duration::from_millis(500) && !cond(&self.stdout_now()) {
                panic!(
                    "the program exited before: {what}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    self.stdout_now(),
                    self.stderr_now()
                );
            }
            if start.elapsed() > WAIT {
                panic!(
                    "timed out after {WAIT:?} waiting for: {what}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    self.stdout_now(),
                    self.stderr_now()
                );
            }
            thread::sleep(POLL);
        }
    }

    pub fn signal(&self, name: &str) {
        send_signal(self.pid(), name);
    }

    /// Waits until the child's main thread sleeps reading an empty pipe:
    /// everything written to its stdin has been read and handled as far as
    /// it can be (Linux: `/proc/PID/wchan`). The state is read twice so a
    /// thread just woken is not taken for one still asleep.
    pub fn wait_reading_stdin(&mut self) {
        let pid = self.pid();
        let asleep_in_read = || {
            let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let state = stat
                .rsplit(") ")
                .next()
                .and_then(|rest| rest.split(' ').next());
            wchan.contains("pipe_read") && state == Some("S")
        };
        let start = Instant::now();
        while !(asleep_in_read() && {
            thread::sleep(POLL);
            asleep_in_read()
        }) {
            assert!(
                start.elapsed() < WAIT,
                "timed out waiting for the program to wait for input\n--- stdout ---\n{}\n--- stderr ---\n{}",
                self.stdout_now(),
                self.stderr_now()
            );
            thread::sleep(POLL);
        }
    }

    /// Closes stdin, waits for the exit (killing the child after [`WAIT`])
    /// and for all output.
    pub fn finish(mut self) -> Output {
        self.close_stdin();
        let start = Instant::now();
        let status = loop {
            match self.child.try_wait().expect("try_wait") {
                Some(status) => break status,
                None if start.elapsed() > WAIT => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!(
                        "the program did not exit within {WAIT:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                        self.stdout_now(),
                        self.stderr_now()
                    );
                }
                None => thread::sleep(POLL),
            }
        };
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        Output {
            status,
            stdout: lock(&self.stdout).clone(),
            stderr: lock(&self.stderr).clone(),
        }
    }
}

impl Drop for Piped {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `repair ARGS` with `stdin` as its whole input, then end of input.
pub fn run(sandbox: &Sandbox, args: &[&str], stdin: &[u8]) -> Output {
    let mut piped = Piped::spawn(sandbox, args);
    let mut pipe = piped.stdin.take();
    let input = stdin.to_vec();
    // Written on a thread so a child that stops reading cannot block us.
    let writer = thread::spawn(move || {
        if let Some(pipe) = pipe.as_mut() {
            let _ = pipe.write_all(&input);
        }
    });
    let output = piped.finish();
    let _ = writer.join();
    output
}

/// How many cases a property test runs: `PROPTEST_CASES` when set (a slower
/// run goes deeper), else `default`, kept small for CI.
#[allow(dead_code)]
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
