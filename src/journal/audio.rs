//! Recorded responses: finding a recorder and a player already on the
//! system, recording a spoken response into the folder beside its session,
//! playing one back, and listing, counting and removing a session's
//! recordings.
//!
//! # On disk
//!
//! `sessions/<id>.audio/` (owner-only, 0700) holds `<card>-<attempt>.wav`
//! (0600), or `<card>-<attempt>.wav.age` when notes are encrypted: the
//! recorder writes WAV to a pipe and a thread seals the stream to the
//! store's key as it arrives, so no clear audio ever reaches the disk. While
//! recording, the file has a hidden temporary name (see
//! [`super::files::temp_name`]); it is renamed into place when the response
//! ends, so a kill mid-recording leaves no named partial file, and the next
//! open sweeps the hidden one.
//!
//! Playback feeds the audio to the player on its standard input, so a
//! decrypted copy never touches the disk either.

use std::ffi::OsStr;
use std::fs::{self, DirBuilder};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use super::crypt::Key;
use super::files;
use crate::platform;

/// The folder beside a session holding its recordings: `<id>.audio`.
pub const AUDIO_SUFFIX: &str = ".audio";

/// A command and its arguments: a recorder (WAV on its standard output) or
/// a player (WAV on its standard input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    pub program: String,
    pub args: Vec<String>,
}

impl Tool {
    /// A command from a setting (`record_command`, `play_command`): split on
    /// whitespace, the first word the program. `None` for a blank one.
    pub fn from_setting(text: &str) -> Option<Tool> {
        let mut words = text.split_whitespace().map(str::to_string);
        let program = words.next()?;
        Some(Tool {
            program,
            args: words.collect(),
        })
    }

    fn of(program: &str, args: &[&str]) -> Tool {
        Tool {
            program: program.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// The program's name, as said on screen.
    pub fn name(&self) -> &str {
        Path::new(&self.program)
            .file_name()
            .and_then(OsStr::to_str)
            .unwrap_or(&self.program)
    }
}

/// The recorder: the setting's command if given, else the first found on
/// `PATH` of SoX's `rec`, `arecord` and `ffmpeg` (whose input device is
/// platform-specific: on Windows it needs the setting).
pub fn find_recorder(setting: Option<&str>) -> Option<Tool> {
    if let Some(text) = setting {
        return Tool::from_setting(text);
    }
    let mut known = vec![
        Tool::of("rec", &["-q", "-t", "wav", "-"]),
        Tool::of("arecord", &["-q", "-f", "cd", "-t", "wav", "-"]),
    ];
    let input: Option<[&str; 4]> = if cfg!(target_os = "macos") {
        Some(["-f", "avfoundation", "-i", ":0"])
    } else if cfg!(windows) {
        None
    } else {
        Some(["-f", "alsa", "-i", "default"])
    };
    if let Some(input) = input {
        let mut args = vec!["-loglevel", "error", "-nostdin"];
        args.extend(input);
        args.extend(["-f", "wav", "-"]);
        known.push(Tool::of("ffmpeg", &args));
    }
    known.into_iter().find(|t| on_path(&t.program))
}

/// The player: the setting's command if given, else the first found on
/// `PATH` of SoX's `play`, `aplay` and `ffplay`, each reading WAV from its
/// standard input.
pub fn find_player(setting: Option<&str>) -> Option<Tool> {
    if let Some(text) = setting {
        return Tool::from_setting(text);
    }
    [
        Tool::of("play", &["-q", "-t", "wav", "-"]),
        Tool::of("aplay", &["-q", "-"]),
        Tool::of(
            "ffplay",
            &["-nodisp", "-autoexit", "-loglevel", "error", "-i", "-"],
        ),
    ]
    .into_iter()
    .find(|t| on_path(&t.program))
}

/// Whether `program` is a file in one of `PATH`'s directories (with
/// `.exe` on Windows).
fn on_path(program: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        dir.join(program).is_file()
            || (cfg!(windows) && dir.join(format!("{program}.exe")).is_file())
    })
}

/// Where one session's recordings go, and the key that seals them (when
/// notes are encrypted).
#[derive(Debug, Clone)]
pub struct Audio {
    dir: PathBuf,
    key: Option<Key>,
}

/// The folder of session `id`'s recordings in `sessions`.
pub fn folder(sessions: &Path, id: &str) -> PathBuf {
    sessions.join(format!("{id}{AUDIO_SUFFIX}"))
}

impl Audio {
    /// Session `id`'s recordings in `sessions`, sealed to `key` if given.
    pub fn new(sessions: &Path, id: &str, key: Option<Key>) -> Audio {
        Audio {
            dir: folder(sessions, id),
            key,
        }
    }

    /// Whether recordings are sealed (notes are encrypted).
    pub fn seals(&self) -> bool {
        self.key.is_some()
    }

    /// The file a recording of attempt `attempt` at card `card` ends up as.
    pub fn path_of(&self, card: u32, attempt: u32) -> PathBuf {
        let sealed = if self.key.is_some() { ".age" } else { "" };
        self.dir.join(format!("{card}-{attempt}.wav{sealed}"))
    }

    /// Starts `recorder` and streams what it writes into a hidden temporary
    /// file beside the session (sealed as it arrives when notes are
    /// encrypted). [`Recording::finish`] names it.
    pub fn record(&self, recorder: &Tool, card: u32, attempt: u32) -> io::Result<Recording> {
        platform::owner_only_dir(DirBuilder::new().recursive(true)).create(&self.dir)?;
        let path = self.path_of(card, attempt);
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::other("no file name"))?;
        let (tmp, file) = files::create_temp(&self.dir, name)?;
        let spawned = Command::new(&recorder.program)
            .args(&recorder.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        };
        let Some(mut stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            let _ = fs::remove_file(&tmp);
            return Err(io::Error::other("the recorder gave no output"));
        };
        let key = self.key.clone();
        let copier = std::thread::spawn(move || -> io::Result<u64> {
            let out = BufWriter::new(file);
            let (count, file) = match key {
                Some(key) => {
                    let mut sealed = key.seal_stream(out)?;
                    let count = io::copy(&mut stdout, &mut sealed)?;
                    (
                        count,
                        sealed.finish()?.into_inner().map_err(|e| e.into_error())?,
                    )
                }
                None => {
                    let mut out = out;
                    let count = io::copy(&mut stdout, &mut out)?;
                    (count, out.into_inner().map_err(|e| e.into_error())?)
                }
            };
            file.sync_all()?;
            Ok(count)
        });
        Ok(Recording {
            child: Some(child),
            copier: Some(copier),
            tmp,
            path,
        })
    }

    /// The bytes of a recording, opened with the key if it is sealed. Kept
    /// in memory only (and wiped when dropped).
    pub fn read(&self, path: &Path) -> io::Result<Zeroizing<Vec<u8>>> {
        let bytes = fs::read(path)?;
        if path.extension().is_some_and(|e| e == "age") {
            let key = self.key.as_ref().ok_or_else(|| {
                io::Error::other("the recording is encrypted and the notes are locked")
            })?;
            return key.open(&bytes).map_err(io::Error::other);
        }
        Ok(Zeroizing::new(bytes))
    }
}

/// A recording under way: the recorder, and the thread writing what it
/// sends. Dropped without [`Recording::finish`], the recorder is stopped
/// and the temporary file removed.
#[derive(Debug)]
pub struct Recording {
    child: Option<Child>,
    copier: Option<JoinHandle<io::Result<u64>>>,
    tmp: PathBuf,
    path: PathBuf,
}

/// How long a recorder has to close its output after being asked to stop,
/// before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(2);

impl Recording {
    /// Stops the recorder, waits for the last bytes to be written, and gives
    /// the file its name. `None` when the recorder sent nothing (no file is
    /// kept then).
    pub fn finish(mut self) -> io::Result<Option<PathBuf>> {
        self.stop();
        let count = match self.copier.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(io::Error::other("the recording stopped unexpectedly")),
        };
        let count = match count {
            Ok(count) => count,
            Err(e) => {
                let _ = fs::remove_file(&self.tmp);
                return Err(e);
            }
        };
        if count == 0 {
            let _ = fs::remove_file(&self.tmp);
            return Ok(None);
        }
        if let Err(e) = fs::rename(&self.tmp, &self.path) {
            let _ = fs::remove_file(&self.tmp);
            return Err(e);
        }
        files::sync_dir(files::parent_dir(&self.path))?;
        Ok(Some(self.path.clone()))
    }

    /// Asks the recorder to stop, gives it a moment to close its output,
    /// then kills it if it has not.
    fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if platform::ask_to_stop(&child) {
            let until = Instant::now() + STOP_GRACE;
            while Instant::now() < until {
                if matches!(child.try_wait(), Ok(Some(_)) | Err(_)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if self.child.is_some() || self.copier.is_some() {
            self.stop();
            if let Some(copier) = self.copier.take() {
                let _ = copier.join();
            }
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// What a drill or rehearsal records with: where, the recorder, and the
/// player (none found: recordings are kept, `p` says it cannot play).
#[derive(Debug, Clone)]
pub struct Recorder {
    pub audio: Audio,
    pub tool: Tool,
    pub player: Option<Tool>,
}

impl Recorder {
    /// Starts recording attempt `attempt` at card `card`.
    pub fn start(&self, card: usize, attempt: u32) -> io::Result<Recording> {
        self.audio
            .record(&self.tool, u32::try_from(card).unwrap_or(u32::MAX), attempt)
    }

    /// Plays the recording at `path`, or says (in one sentence) why it
    /// could not.
    pub fn play(&self, path: &Path) -> Result<(), PlayError> {
        let Some(player) = &self.player else {
            return Err(PlayError::NoPlayer);
        };
        let bytes = self.audio.read(path).map_err(PlayError::Read)?;
        play(player, &bytes).map_err(|source| PlayError::Play {
            player: player.name().to_string(),
            source,
        })
    }
}

/// Why a recording was not played back; each says it in one sentence.
#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    #[error("No player found (play, aplay or ffplay); docs/guide.md says how to install one.")]
    NoPlayer,
    #[error("Could not read the recording: {0}.")]
    Read(#[source] io::Error),
    #[error("Could not play the recording with {player}: {source}.")]
    Play {
        player: String,
        #[source]
        source: io::Error,
    },
}

/// Plays `audio` with `player`, fed on its standard input; waits until it
/// ends. The player's own output is discarded (it would spoil the screen).
pub fn play(player: &Tool, audio: &[u8]) -> io::Result<()> {
    let mut child = Command::new(&player.program)
        .args(&player.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        match stdin.write_all(audio) {
            // A player may stop reading early (it has what it needs).
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
            _ => {}
        }
    }
    let status = child.wait()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "{} ended with {status}",
            player.name()
        )))
    }
}

/// Session `id`'s recordings (visible files only), sorted by name.
pub fn files_of(sessions: &Path, id: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder(sessions, id)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Every recording in `sessions`: how many, and their bytes together.
pub fn count_all(sessions: &Path) -> (usize, u64) {
    let mut count = 0;
    let mut bytes = 0;
    for dir in audio_dirs(sessions) {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if let Ok(meta) = entry.metadata()
                && meta.is_file()
            {
                count += 1;
                bytes += meta.len();
            }
        }
    }
    (count, bytes)
}

/// Removes session `id`'s recordings and their folder (none is fine).
pub fn remove(sessions: &Path, id: &str) -> io::Result<()> {
    match fs::remove_dir_all(folder(sessions, id)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Sweeps what killed recordings left (hidden temporary files) from every
/// recordings folder in `sessions`.
pub fn sweep(entries: &[fs::DirEntry]) {
    for dir in audio_dirs_among(entries) {
        files::sweep_temp_files(&dir, None);
    }
}

fn audio_dirs(sessions: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(sessions) else {
        return Vec::new();
    };
    audio_dirs_among(&entries.flatten().collect::<Vec<_>>())
}

/// The recordings folders among the entries of `sessions/`.
fn audio_dirs_among(entries: &[fs::DirEntry]) -> Vec<PathBuf> {
    entries
        .iter()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.file_name().to_string_lossy().ends_with(AUDIO_SUFFIX))
        .map(|e| e.path())
        .collect()
}

/// Turns every recording in `sessions` into the sealed form (`seal`) or the
/// plain one, as `notes encrypt` and `decrypt` do for sessions: the new
/// file is written atomically (0600) before the old one is removed; one
/// that cannot be opened is left as it is. How many were converted.
pub fn convert_all(sessions: &Path, key: &Key, seal: bool) -> io::Result<usize> {
    let mut converted = 0;
    for dir in audio_dirs(sessions) {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let from = entry.path();
            let (to, bytes) = match (seal, name.strip_suffix(".age")) {
                (true, None) => {
                    let plain = Zeroizing::new(fs::read(&from)?);
                    (
                        dir.join(format!("{name}.age")),
                        Zeroizing::new(key.seal(&plain)?),
                    )
                }
                (false, Some(plain_name)) => match key.open(&fs::read(&from)?) {
                    Ok(plain) => (dir.join(plain_name), plain),
                    Err(_) => continue,
                },
                _ => continue,
            };
            files::write_atomic(&to, &bytes)?;
            fs::remove_file(&from)?;
            converted += 1;
        }
    }
    Ok(converted)
}

/// Copies session `id`'s recordings into `to` (created 0700), each in the
/// clear when `key` can open it (an export is the user's own copy), else as
/// it is. Returns how many were copied.
pub fn export_to(sessions: &Path, id: &str, key: Option<&Key>, to: &Path) -> io::Result<usize> {
    let found = files_of(sessions, id);
    if found.is_empty() {
        return Ok(0);
    }
    let target = to.join(id);
    platform::owner_only_dir(DirBuilder::new().recursive(true)).create(&target)?;
    let audio = Audio {
        dir: folder(sessions, id),
        key: key.cloned(),
    };
    for path in &found {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let (name, bytes) = match (name.strip_suffix(".age"), key) {
            (Some(plain), Some(_)) => (plain.to_string(), audio.read(path)?),
            _ => (name.to_string(), Zeroizing::new(fs::read(path)?)),
        };
        files::create_new_file(&target.join(name), &bytes, false)?;
    }
    Ok(found.len())
}

/// Reads all of `reader` (used by tests of a player's input).
#[cfg(all(test, unix))]
fn slurp(mut reader: impl std::io::Read) -> Vec<u8> {
    let mut out = Vec::new();
    reader.read_to_end(&mut out).expect("read");
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs::File;
    use std::os::unix::fs::PermissionsExt;

    /// A small WAV-looking payload, recognisable anywhere on disk.
    fn known_wav() -> Vec<u8> {
        let mut wav = b"RIFF\x24\x10\x00\x00WAVEfmt ".to_vec();
        wav.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
        wav
    }

    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("script");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    fn record_once(key: Option<Key>) -> (tempfile::TempDir, Audio, PathBuf) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let wav = tmp.path().join("known.wav");
        fs::write(&wav, known_wav()).expect("wav");
        let ready = tmp.path().join("ready");
        let rec = script(
            tmp.path(),
            "rec",
            &format!("cat '{}'; : > '{}'", wav.display(), ready.display()),
        );
        let sessions = tmp.path().join("sessions");
        fs::create_dir(&sessions).expect("sessions");
        let audio = Audio::new(&sessions, "20240101-090000-abcd", key);
        let recorder = Tool::from_setting(&rec.display().to_string()).expect("tool");
        let recording = audio.record(&recorder, 2, 1).expect("record");
        // Stopped only once the stand-in has written it all (a stop before
        // it began would record nothing, as with a real recorder).
        while !ready.exists() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let path = recording.finish().expect("finish").expect("a file");
        (tmp, audio, path)
    }

    #[test]
    fn an_unsealed_recording_is_owner_only_and_plays_back_the_same_bytes() {
        let (tmp, audio, path) = record_once(None);
        assert_eq!(path.file_name().unwrap(), "2-1.wav");
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let out = tmp.path().join("played");
        let player = script(tmp.path(), "player", &format!("cat > '{}'", out.display()));
        let player = Tool::from_setting(&player.display().to_string()).unwrap();
        play(&player, &audio.read(&path).unwrap()).expect("play");
        assert_eq!(slurp(File::open(&out).unwrap()), known_wav());
        let sessions = tmp.path().join("sessions");
        assert_eq!(files_of(&sessions, "20240101-090000-abcd"), vec![path]);
        assert_eq!(count_all(&sessions).0, 1);
        remove(&sessions, "20240101-090000-abcd").unwrap();
        assert!(files_of(&sessions, "20240101-090000-abcd").is_empty());
        assert!(!folder(&sessions, "20240101-090000-abcd").exists());
    }

    #[test]
    fn a_sealed_recording_has_no_clear_audio_on_disk() {
        let key = Key::generate();
        let (tmp, audio, path) = record_once(Some(key));
        assert_eq!(path.file_name().unwrap(), "2-1.wav.age");
        let on_disk = fs::read(&path).unwrap();
        let wav = known_wav();
        assert!(!on_disk.windows(64).any(|w| w == &wav[..64]));
        assert!(!on_disk.windows(4).any(|w| w == b"RIFF"));
        assert_eq!(&audio.read(&path).unwrap()[..], &wav[..]);
        drop(tmp);
    }

    #[test]
    fn encrypting_and_decrypting_the_notes_converts_recordings_too() {
        let (tmp, _, path) = record_once(None);
        let sessions = tmp.path().join("sessions");
        let key = Key::generate();
        assert_eq!(convert_all(&sessions, &key, true).unwrap(), 1);
        let sealed = files_of(&sessions, "20240101-090000-abcd");
        assert_eq!(sealed.len(), 1);
        assert!(sealed[0].to_string_lossy().ends_with("2-1.wav.age"));
        let on_disk = fs::read(&sealed[0]).unwrap();
        assert!(!on_disk.windows(4).any(|w| w == b"RIFF"));
        assert_eq!(
            fs::metadata(&sealed[0]).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(convert_all(&sessions, &key, false).unwrap(), 1);
        assert_eq!(
            files_of(&sessions, "20240101-090000-abcd"),
            vec![path.clone()]
        );
        assert_eq!(fs::read(&path).unwrap(), known_wav());
    }

    #[test]
    fn a_recorder_that_sends_nothing_leaves_no_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let rec = script(tmp.path(), "rec", "exit 1");
        let audio = Audio::new(tmp.path(), "x", None);
        let recorder = Tool::from_setting(&rec.display().to_string()).unwrap();
        let recording = audio.record(&recorder, 1, 1).unwrap();
        assert_eq!(recording.finish().unwrap(), None);
        assert_eq!(fs::read_dir(folder(tmp.path(), "x")).unwrap().count(), 0);
    }

    #[test]
    fn a_recorder_that_runs_on_is_stopped_and_its_output_kept() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let ready = tmp.path().join("ready");
        let rec = script(
            tmp.path(),
            "rec",
            &format!(
                "printf 'RIFFdata'; : > '{}'; exec sleep 600",
                ready.display()
            ),
        );
        let audio = Audio::new(tmp.path(), "x", None);
        let recorder = Tool::from_setting(&rec.display().to_string()).unwrap();
        let recording = audio.record(&recorder, 1, 2).unwrap();
        while !ready.exists() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let path = recording.finish().unwrap().expect("file");
        assert_eq!(fs::read(path).unwrap(), b"RIFFdata");
    }

    #[test]
    fn settings_commands_split_on_whitespace() {
        let tool = Tool::from_setting("  ffmpeg -f dshow   -i audio=Mic -f wav - ").unwrap();
        assert_eq!(tool.program, "ffmpeg");
        assert_eq!(
            tool.args,
            ["-f", "dshow", "-i", "audio=Mic", "-f", "wav", "-"]
        );
        assert_eq!(Tool::from_setting("   "), None);
        assert_eq!(find_recorder(Some("my-rec -x")).unwrap().name(), "my-rec");
    }
}
