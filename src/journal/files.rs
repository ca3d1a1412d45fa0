//! The hardened file primitives every write of repair-practice goes through:
//! atomic durable writes, directory fsync, owner-only temporary files and
//! the sweeping of ones a killed write left, and creating a new file (an
//! export) with no moment between checking that the name is free and
//! taking it.
//!
//! These know nothing of sessions or encryption; they return `io::Error`,
//! and the store turns those into its own one-sentence errors.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use crate::platform;

/// Owner-only permissions for directories and files repair-practice creates
/// (on Unix; see `platform` for what protects them elsewhere).
pub const DIR_MODE: u32 = 0o700;
pub const FILE_MODE: u32 = 0o600;

/// Marks our temporary files: `.<target name>.repair-tmp-<pid>-<n>`.
/// The sweep removes only names of exactly this shape.
pub const TEMP_MARK: &str = ".repair-tmp-";

/// Longest target-name prefix kept in a temporary file's name, so the temp
/// name stays under the usual 255-byte file-name limit.
const TEMP_NAME_PREFIX_MAX: usize = 96;

/// Writes `bytes` to `path` so that, whatever happens, `path` holds either its
/// old content or all of the new: a new owner-only (0600) temporary file in
/// the same directory, fully written and synced, renamed over `path`, then the
/// directory synced so the rename itself survives a power cut. The file ends
/// up 0600 even if an older `path` was more open.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = file_name(path)?;
    let dir = parent_dir(path);
    let (tmp, file) = create_temp(dir, name)?;
    let written = fill_and_sync(file, bytes).and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = written {
        // Best effort: a leftover would be swept at the next open anyway.
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir)
}

/// Writes a new file `path` (an export) holding all of `bytes`, 0600, so
/// that a kill at any instant leaves either nothing named at all or the
/// whole file:
///
/// * the content is written and synced into an unnamed file (Linux
///   `O_TMPFILE`), which a kill simply discards;
/// * without `replace`, it is then linked in as `path`, which fails with
///   `AlreadyExists` if the name is taken: checking and creating are one
///   step, so nothing is ever overwritten;
/// * with `replace`, it is linked under a temporary name and renamed over
///   `path` (the temporary name exists only between those two calls, and a
///   leftover is swept by the next export to the same name).
///
/// Where `O_TMPFILE` is not supported (a file system without it, any system
/// but Linux, or a `repair_portable` build), a named owner-only temporary
/// file is used instead, linked or renamed the same way; one a kill left
/// behind is swept by the next export to the same name.
pub fn create_new_file(path: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    create_new_file_with(path, replace, |file| file.write_all(bytes))
}

/// [`create_new_file`] with the content written by `fill` as it is made
/// (an export streamed one session at a time), with the same promises:
/// until `fill` has returned and the file is synced, nothing is named.
pub fn create_new_file_with(
    path: &Path,
    replace: bool,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let name = file_name(path)?;
    let dir = parent_dir(path);
    sweep_temp_files(dir, Some(name));
    match platform::unnamed_file(dir) {
        Ok(mut file) => {
            fill(&mut file)?;
            file.sync_all()?;
            if replace {
                let tmp = dir.join(temp_name(name));
                platform::link_unnamed(&file, &tmp)?;
                if let Err(e) = fs::rename(&tmp, path) {
                    let _ = fs::remove_file(&tmp);
                    return Err(e);
                }
            } else {
                platform::link_unnamed(&file, path)?;
            }
        }
        Err(_) => {
            let (tmp, mut file) = create_temp(dir, name)?;
            let placed = fill(&mut file)
                .and_then(|()| file.sync_all())
                .and_then(|()| {
                    if replace {
                        fs::rename(&tmp, path)
                    } else {
                        // link() never replaces: EEXIST if the name is taken.
                        fs::hard_link(&tmp, path).and_then(|()| fs::remove_file(&tmp))
                    }
                });
            if let Err(e) = placed {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        }
    }
    sync_dir(dir)
}

/// `dir` opened for [`open_in`], or None where files are opened by path
/// (Windows) or the directory cannot be opened.
pub fn dir_for_opening_in(dir: &Path) -> Option<File> {
    platform::dir_for_opening_in(dir)
}

/// Opens `name` inside the open directory `dir` for reading, never
/// following a symbolic link (see [`platform::open_in`]).
pub fn open_in(dir: &File, name: &OsStr) -> io::Result<File> {
    platform::open_in(dir, name)
}

fn file_name(path: &Path) -> io::Result<&OsStr> {
    path.file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path does not name a file"))
}

/// The directory a file lives in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates a new temporary file for `name` in `dir`, owner-only from the
/// start. `create_new` never opens someone else's file; a name left behind by
/// an earlier process with the same pid is skipped.
pub(super) fn create_temp(dir: &Path, name: &OsStr) -> io::Result<(PathBuf, File)> {
    let mut last_err = None;
    for _ in 0..8 {
        let tmp = dir.join(temp_name(name));
        let opened =
            platform::owner_only_file(OpenOptions::new().write(true).create_new(true)).open(&tmp);
        match opened {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// `.<name>.repair-tmp-<pid>-<n>`: hidden, unique within this process, and
/// recognisable by [`temp_file_pid`].
pub fn temp_name(name: &OsStr) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}{}-{n}", temp_prefix(name), std::process::id())
}

/// `.<name>.repair-tmp-`: what every temp name for `name` starts with.
fn temp_prefix(name: &OsStr) -> String {
    let name = name.to_string_lossy();
    let prefix: String = name.chars().take(TEMP_NAME_PREFIX_MAX).collect();
    format!(".{prefix}{TEMP_MARK}")
}

/// The pid of the process that made a temporary file with this name, or None
/// if the name is not one of ours.
pub fn temp_file_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (_, tail) = rest.rsplit_once(TEMP_MARK)?;
    let (pid, n) = tail.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    // A pid too long to parse cannot be a running process.
    Some(pid.parse().unwrap_or(0))
}

fn fill_and_sync(mut file: File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// fsyncs a directory so a rename, creation or removal in it is durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    let synced = platform::sync_dir(dir);
    match synced {
        Ok(()) => Ok(()),
        // Some file systems cannot sync a directory; the data itself is
        // already synced, so this is not worth failing a save over.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Removes temporary files left in `dir` by writes that were killed (only
/// those for the target `only`, if given). Only our own temp-name pattern is
/// touched, and only when the process that made the file is gone, so a
/// second copy of the program saving right now is not disturbed. Returns
/// the files that could not be removed.
pub fn sweep_temp_files(dir: &Path, only: Option<&OsStr>) -> Vec<(PathBuf, io::Error)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    sweep_listed(&entries.flatten().collect::<Vec<_>>(), only)
}

/// [`sweep_temp_files`] over the entries of one directory already read, so
/// one listing can serve several passes over a long `sessions/`.
pub fn sweep_listed(entries: &[fs::DirEntry], only: Option<&OsStr>) -> Vec<(PathBuf, io::Error)> {
    let mut failed = Vec::new();
    let prefix = only.map(temp_prefix);
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if prefix.as_deref().is_some_and(|p| !name.starts_with(p)) {
            continue;
        }
        let Some(pid) = temp_file_pid(name) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let modified = || entry.metadata().and_then(|m| m.modified()).ok();
        if !is_file || !platform::temp_file_is_stale(pid, modified(), SystemTime::now()) {
            continue;
        }
        let path = entry.path();
        if let Err(e) = fs::remove_file(&path)
            && e.kind() != io::ErrorKind::NotFound
        {
            failed.push((path, e));
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::fixtures::{assert_mode, names_in};

    #[test]
    fn a_new_file_never_replaces_and_leaves_no_temp() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("export.json");
        create_new_file(&path, b"first", false).expect("create");
        assert_eq!(fs::read(&path).expect("read"), b"first");
        assert_mode(&path, 0o600);
        let err = create_new_file(&path, b"second", false).expect_err("taken");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).expect("read"), b"first");
        create_new_file(&path, b"third", true).expect("replace");
        assert_eq!(fs::read(&path).expect("read"), b"third");
        assert_eq!(names_in(tmp.path()), ["export.json"]);
        // A dangling symbolic link is a taken name too, never followed
        // (made here as Unix makes one; Windows needs a privilege for it).
        #[cfg(unix)]
        {
            let link = tmp.path().join("link.json");
            std::os::unix::fs::symlink(tmp.path().join("nowhere"), &link).expect("symlink");
            assert!(create_new_file(&link, b"x", false).is_err());
            assert!(!tmp.path().join("nowhere").exists());
        }
    }

    #[test]
    fn an_export_sweeps_its_own_dead_temp_files_only() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dead = i32::MAX as u32 - 1;
        let own = tmp.path().join(format!(".out.md{TEMP_MARK}{dead}-0"));
        let other = tmp.path().join(format!(".else.md{TEMP_MARK}{dead}-0"));
        fs::write(&own, "old notes").expect("write");
        fs::write(&other, "old notes").expect("write");
        create_new_file(&tmp.path().join("out.md"), b"new", false).expect("create");
        assert!(!own.exists());
        assert!(other.exists());
    }
}
