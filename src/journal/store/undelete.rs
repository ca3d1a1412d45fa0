//! Undoing a delete while the history browser is open.
//!
//! The choice, for privacy: a delete in the browser removes the files at
//! once, exactly as `repair notes delete` does, and the bytes it removed
//! (the session file as it was on disk, sealed when notes are encrypted,
//! and its recorded responses) are held in memory, zeroed when dropped.
//! Undo writes them back as new owner-only files (never over a file that
//! has taken the name meanwhile). Nothing waits on disk for the browser to
//! close: a crash or a kill after a delete leaves the session deleted, as
//! the clinician asked, and closing the browser drops the bytes.

use std::fs::{self, DirBuilder};
use std::io;
use std::path::PathBuf;

use zeroize::Zeroizing;

use super::{Store, StoreError, check_id, io_err, remove_if_present};
use crate::journal::{audio, files};
use crate::platform;

/// A deleted session's files as they were on disk, to put back.
pub struct Deleted {
    id: String,
    files: Vec<(PathBuf, Zeroizing<Vec<u8>>)>,
}

impl Deleted {
    /// The session's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

// Never prints the bytes.
impl std::fmt::Debug for Deleted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deleted")
            .field("id", &self.id)
            .field("files", &self.files.len())
            .finish()
    }
}

impl PartialEq for Deleted {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.files.len() == other.files.len()
            && self.files.iter().zip(&other.files).all(|(a, b)| a.0 == b.0)
    }
}

impl Eq for Deleted {}

impl Store {
    /// [`Store::delete`], keeping in memory what was removed so
    /// [`Store::restore`] can put it back.
    pub fn delete_keeping(&self, id: &str) -> Result<Deleted, StoreError> {
        check_id(id)?;
        let _guard = self.write_guard()?;
        let sessions = self.sessions_dir();
        let mut kept = Vec::new();
        let paths = [self.session_path(id), self.sealed_path(id)]
            .into_iter()
            .chain(audio::files_of(&sessions, id));
        for path in paths {
            match fs::read(&path) {
                Ok(bytes) => kept.push((path, Zeroizing::new(bytes))),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_err(&path)(e)),
            }
        }
        remove_if_present(&self.session_path(id))?;
        remove_if_present(&self.sealed_path(id))?;
        audio::remove(&sessions, id).map_err(io_err(&sessions))?;
        self.know(id, None);
        self.release(id);
        Ok(Deleted {
            id: id.to_string(),
            files: kept,
        })
    }

    /// Puts back what [`Store::delete_keeping`] removed, each file new and
    /// owner-only, written whole or not at all. Refuses (with nothing
    /// written over) when a file of that name exists again.
    pub fn restore(&self, deleted: &Deleted) -> Result<(), StoreError> {
        check_id(&deleted.id)?;
        let _guard = self.write_guard()?;
        let audio_dir = audio::folder(&self.sessions_dir(), &deleted.id);
        let mut written: Vec<&PathBuf> = Vec::new();
        for (path, bytes) in &deleted.files {
            if path.starts_with(&audio_dir) {
                platform::owner_only_dir(DirBuilder::new().recursive(true))
                    .create(&audio_dir)
                    .map_err(io_err(&audio_dir))?;
            }
            if let Err(e) = files::create_new_file(path, bytes, false) {
                // All or nothing: what this call wrote goes again.
                for done in written {
                    let _ = fs::remove_file(done);
                }
                return Err(io_err(path)(e));
            }
            written.push(path);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::fixtures::{assert_mode, session};

    #[test]
    fn a_delete_kept_in_memory_puts_back_the_same_bytes_owner_only() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        store
            .save_over(&session(id, "2024-01-01T09:00:00+01:00"))
            .expect("save");
        let audio_dir = audio::folder(&store.sessions_dir(), id);
        platform::owner_only_dir(DirBuilder::new().recursive(true))
            .create(&audio_dir)
            .unwrap();
        let take = audio_dir.join("card-1-try-1.wav");
        files::create_new_file(&take, b"RIFF....WAVE", false).unwrap();
        let before = fs::read(store.session_path(id)).unwrap();

        let deleted = store.delete_keeping(id).expect("delete");
        assert_eq!(deleted.id(), id);
        assert!(!store.session_path(id).exists());
        assert!(!audio_dir.exists(), "nothing of it left on disk");
        assert!(!format!("{deleted:?}").contains("RIFF"), "{deleted:?}");

        store.restore(&deleted).expect("restore");
        assert_eq!(fs::read(store.session_path(id)).unwrap(), before);
        assert_eq!(fs::read(&take).unwrap(), b"RIFF....WAVE");
        assert_mode(&store.session_path(id), 0o600);
        assert_mode(&take, 0o600);
        assert_mode(&audio_dir, 0o700);
        assert!(store.load(id).is_ok());
        // Never over a file that took the name meanwhile.
        assert!(store.restore(&deleted).is_err());
        assert_eq!(fs::read(store.session_path(id)).unwrap(), before);
    }
}
