//! Turning encryption at rest on and off, one session at a time, so that a
//! kill at any instant loses nothing. The on-disk forms, the modes and the
//! order of the steps are set out in [`super::crypt`]; this module holds the
//! migrations themselves (depending on the store and the key, with neither
//! depending on it).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use super::crypt::{Encryption, IDENTITY, Key, Migrated, RECIPIENT, RETIRING, SEALED};
use super::store::{
    Store, StoreError, check_id, io_err, parse_session, remove_if_present, sessions_in, sync_dir,
    write_atomic,
};

impl Store {
    /// Turns encryption on from *off*: a new identity, wrapped with
    /// `passphrase`, written atomically as `identity.age`. Call
    /// [`Store::seal_all`] next.
    pub fn begin_encryption(&mut self, passphrase: &SecretString) -> Result<(), StoreError> {
        self.settle()?;
        self.new_key(passphrase)
    }

    /// [`Store::begin_encryption`] over sealed sessions whose key is
    /// missing or was set aside (`encrypt --force`): nothing is settled,
    /// since a sealed twin may be the newest form of a session and must
    /// stay for the day its key comes back.
    pub fn begin_encryption_over_sealed(
        &mut self,
        passphrase: &SecretString,
    ) -> Result<(), StoreError> {
        self.new_key(passphrase)
    }

    fn new_key(&mut self, passphrase: &SecretString) -> Result<(), StoreError> {
        let mut key = Key::generate();
        let path = self.dir.join(IDENTITY);
        let wrapped = key.wrap(passphrase).map_err(io_err(&path))?;
        // The recipient first: a kill before the identity lands leaves the
        // store off (no identity file), and the next encrypt replaces it.
        let recipient = self.dir.join(RECIPIENT);
        write_atomic(&recipient, key.recipient_line().as_bytes())?;
        write_atomic(&path, &wrapped)?;
        key.remember_wrapped(wrapped);
        self.mode = Encryption::On;
        self.key = Some(key);
        Ok(())
    }

    /// Whether the identity file of the current mode is there but cannot
    /// be an identity file at all (see [`super::crypt::looks_like_identity`]).
    pub fn identity_damaged(&self) -> bool {
        self.mode
            .identity_file()
            .and_then(|name| fs::read(self.dir.join(name)).ok())
            .is_some_and(|bytes| !super::crypt::looks_like_identity(&bytes))
    }

    /// Moves a damaged identity file aside (never deleted: a copy may yet
    /// be repaired) as `identity-damaged.age` (or `-2`, `-3`…), for
    /// `encrypt --force` to make a new key; the store is then *off*. Call
    /// under the store's lock.
    pub fn set_aside_damaged_identity(&mut self) -> Result<PathBuf, StoreError> {
        let Some(name) = self.mode.identity_file() else {
            return Err(StoreError::Locked);
        };
        let from = self.dir.join(name);
        let mut n = 1;
        let to = loop {
            let to = self.dir.join(if n == 1 {
                "identity-damaged.age".to_string()
            } else {
                format!("identity-damaged-{n}.age")
            });
            if !to.exists() && fs::symlink_metadata(&to).is_err() {
                break to;
            }
            n += 1;
        };
        fs::rename(&from, &to).map_err(io_err(&from))?;
        sync_dir(&self.dir)?;
        self.mode = Encryption::Off;
        self.key = None;
        Ok(to)
    }

    /// Writes the recipient file for the unlocked key if it is not there
    /// (a store encrypted before it existed), so later saves compare keys,
    /// not identity files. Call under the store's lock.
    pub fn ensure_recipient(&self) -> Result<(), StoreError> {
        let key = self.require_key()?;
        let path = self.dir.join(RECIPIENT);
        match fs::read_to_string(&path) {
            Ok(text) if text == key.recipient_line() => Ok(()),
            _ => write_atomic(&path, key.recipient_line().as_bytes()),
        }
    }

    /// Turns an interrupted `decrypt` back into *on* (the store must be
    /// unlocked). Call [`Store::seal_all`] next.
    pub fn resume_encryption(&mut self) -> Result<(), StoreError> {
        self.move_identity(RETIRING, IDENTITY, Encryption::On)
    }

    /// Starts turning encryption off (the store must be unlocked): the
    /// identity file is renamed so saves write plain from now on. Call
    /// [`Store::unseal_all`] next, then [`Store::finish_decryption`].
    pub fn begin_decryption(&mut self) -> Result<(), StoreError> {
        self.move_identity(IDENTITY, RETIRING, Encryption::TurningOff)
    }

    /// Renames the identity file durably (the store must be unlocked and is
    /// settled first); the store is in `mode` from then on.
    fn move_identity(&mut self, from: &str, to: &str, mode: Encryption) -> Result<(), StoreError> {
        self.require_key()?;
        self.settle()?;
        let from = self.dir.join(from);
        fs::rename(&from, self.dir.join(to)).map_err(io_err(&from))?;
        sync_dir(&self.dir)?;
        self.mode = mode;
        Ok(())
    }

    /// Removes the retiring identity once no sealed session is left. If one
    /// is (it could not be read), the identity is kept so nothing is lost.
    pub fn finish_decryption(&mut self) -> Result<bool, StoreError> {
        let sealed_left = sessions_in(&self.sessions_dir())?
            .into_iter()
            .any(|(_, forms)| forms.sealed.is_some());
        if sealed_left {
            return Ok(false);
        }
        for name in [RETIRING, RECIPIENT] {
            let path = self.dir.join(name);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_err(&path)(e)),
            }
        }
        sync_dir(&self.dir)?;
        self.mode = Encryption::Off;
        self.key = None;
        Ok(true)
    }

    /// Seals every plain session, one at a time: the sealed file is written
    /// atomically before the plain one is removed.
    pub fn seal_all(&mut self) -> Result<Migrated, StoreError> {
        self.convert_all(true)
    }

    /// Unseals every sealed session: the plain file is written atomically
    /// before the sealed one is removed.
    pub fn unseal_all(&mut self) -> Result<Migrated, StoreError> {
        self.convert_all(false)
    }

    /// Turns every session into the sealed form (`seal`) or the plain one,
    /// one at a time: the new file is written atomically before the old one
    /// is removed; one that cannot be read is left as it is, and listed.
    fn convert_all(&mut self, seal: bool) -> Result<Migrated, StoreError> {
        let key = self.require_key()?;
        let mut done = Migrated::default();
        for (id, forms) in sessions_in(&self.sessions_dir())? {
            let (from, twin) = if seal {
                (forms.plain, forms.sealed)
            } else {
                (forms.sealed, forms.plain)
            };
            let Some(from) = from else {
                continue;
            };
            if let Some(twin) = twin {
                // A sealed twin this key cannot open was sealed to a key
                // now missing: the plain form may be the only readable one.
                if seal && fs::read(&twin).map_or(true, |raw| key.open(&raw).is_err()) {
                    done.left.push(from);
                    continue;
                }
                // Settled before the mode changed, so the twin in the new
                // form is the newer (or an equal) copy.
                remove_if_present(&from)?;
                continue;
            }
            let plain = if seal {
                read_checked(&from, &id, |b| Ok(Zeroizing::new(b)))
            } else {
                read_checked(&from, &id, |b| key.open(&b))
            };
            let Some(plain) = plain else {
                done.left.push(from);
                continue;
            };
            let to = from.with_file_name(if seal {
                format!("{id}{SEALED}")
            } else {
                format!("{id}.json")
            });
            let bytes = if seal {
                Zeroizing::new(key.seal(&plain).map_err(io_err(&to))?)
            } else {
                plain
            };
            write_atomic(&to, &bytes)?;
            remove_if_present(&from)?;
            done.converted += 1;
        }
        // Recorded responses follow their notes into the new form.
        let sessions = self.sessions_dir();
        super::audio::convert_all(&sessions, key, seal).map_err(io_err(&sessions))?;
        Ok(done)
    }

    /// Removes, for every id saved in both forms, the form that does not
    /// match the current mode (the stale one, see the module docs).
    pub fn settle(&self) -> Result<(), StoreError> {
        for (_, forms) in sessions_in(&self.sessions_dir())? {
            if let (Some(plain), Some(sealed)) = (forms.plain, forms.sealed) {
                remove_if_present(if self.mode.seals() { &plain } else { &sealed })?;
            }
        }
        Ok(())
    }
}

/// Reads a session file, turns it into plain JSON with `open`, and checks it
/// is a session under `id`; None (leave it alone) if any of that fails.
fn read_checked(
    path: &Path,
    id: &str,
    open: impl FnOnce(Vec<u8>) -> Result<Zeroizing<Vec<u8>>, super::Unreadable>,
) -> Option<Zeroizing<Vec<u8>>> {
    check_id(id).ok()?;
    let raw = fs::read(path).ok()?;
    let plain = open(raw).ok()?;
    parse_session(&plain, id).ok()?;
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::fixtures::{self, names_in, step};
    use crate::journal::{Listed, Session, StepStatus};

    fn pass() -> SecretString {
        SecretString::from("correct horse".to_string())
    }

    fn session(id: &str, notes: &str) -> Session {
        Session {
            steps: vec![step("scan", "Scan", StepStatus::Done, notes, None)],
            ..fixtures::session(id, "2024-01-01T09:00:00+01:00")
        }
    }

    fn only_sessions(store: &Store) -> Vec<Session> {
        store
            .list()
            .into_iter()
            .map(|l| match l {
                Listed::Session(s) => s,
                Listed::Unreadable { path, reason } => {
                    panic!("{} unreadable: {reason}", path.display())
                }
            })
            .collect()
    }

    /// What `notes decrypt` does, whole.
    fn turn_off(store: &mut Store) {
        store.begin_decryption().expect("begin off");
        store.unseal_all().expect("unseal");
        assert!(store.finish_decryption().expect("finish"));
    }

    /// A command that opened the store while notes were encrypted, then
    /// found the key file gone when it came to unlock (a decrypt finished
    /// in between), goes on with the notes as they are now: plain.
    #[test]
    fn a_key_file_gone_since_the_open_means_encryption_was_turned_off() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let id = "20240101-090000-abcd";
        let mut first = Store::open(tmp.path()).expect("open");
        first.begin_encryption(&pass()).expect("on");
        first.save_over(&session(id, "notes")).expect("save");

        let mut late = Store::open(tmp.path()).expect("open while encrypted");
        assert!(late.needs_unlocking());
        turn_off(&mut first);

        late.unlock(&pass()).expect("nothing left to unlock");
        assert!(!late.needs_unlocking());
        assert_eq!(late.encryption(), Encryption::Off);
        assert_eq!(late.load(id).expect("load").steps[0].notes, "notes");
    }

    /// Encryption turned off and on again while a walk had its session
    /// open: the new key sealed it, the walk cannot tell whether its content
    /// changed, and its save says the key changed (not that another window
    /// changed the notes); the session stays as the other command left it.
    /// A file sealed to a stranger key while the key file is still the
    /// walk's is a change of content, as before.
    #[test]
    fn a_walk_whose_key_was_replaced_meanwhile_is_told_the_key_changed() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let id = "20240101-090000-abcd";
        let mut walk = Store::open(tmp.path()).expect("open");
        walk.begin_encryption(&pass()).expect("on");
        walk.save_walk(&session(id, "first"))
            .expect("the walk's save");

        let mut other = Store::open(tmp.path()).expect("open");
        other.unlock(&pass()).expect("unlock");
        turn_off(&mut other);
        other
            .begin_encryption(&pass())
            .expect("on again, a new key");
        other.seal_all().expect("seal");

        let refused = walk.save_walk(&session(id, "second"));
        assert!(
            matches!(refused, Err(StoreError::KeyChanged)),
            "{refused:?}"
        );
        assert_eq!(other.load(id).expect("load").steps[0].notes, "first");

        // The walk's own key file again, but the session sealed to a
        // stranger key: that is another version of the notes.
        let mut mine = Store::open(tmp.path()).expect("open");
        mine.unlock(&pass()).expect("unlock");
        mine.save_walk(&session("20240102-090000-efgh", "mine"))
            .expect("save");
        let stranger = Key::generate().seal(b"{}").expect("seal to a stranger key");
        let path = tmp
            .path()
            .join("sessions")
            .join(format!("20240102-090000-efgh{SEALED}"));
        fs::write(&path, stranger).expect("write");
        let refused = mine.save_walk(&session("20240102-090000-efgh", "mine, more"));
        assert!(
            matches!(refused, Err(StoreError::ChangedMeanwhile { .. })),
            "{refused:?}"
        );
    }

    #[test]
    fn a_stale_twin_left_by_a_kill_is_never_preferred_and_is_settled_away() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        store
            .save_over(&session(id, "old plain"))
            .expect("save plain");
        store.begin_encryption(&pass()).expect("on");
        let new = session(id, "newer sealed");
        store.save_over(&new).expect("save sealed");
        let sessions = tmp.path().join("sessions");
        assert_eq!(names_in(&sessions), [format!("{id}.json.age")]);
        // A save killed after writing the sealed file, before removing the
        // plain one: both forms, the sealed one newer.
        fs::write(
            store.session_path(id),
            serde_json::to_vec(&session(id, "old plain")).expect("json"),
        )
        .expect("write");
        assert_eq!(store.load(id).expect("load"), new);
        assert_eq!(only_sessions(&store), std::slice::from_ref(&new));
        // Turning off settles first, so the stale plain copy never wins.
        store.begin_decryption().expect("begin off");
        assert_eq!(names_in(&sessions), [format!("{id}.json.age")]);
        assert_eq!(store.unseal_all().expect("unseal").converted, 1);
        assert!(store.finish_decryption().expect("finish"));
        assert_eq!(names_in(tmp.path()), ["sessions"]);
        assert_eq!(names_in(&sessions), [format!("{id}.json")]);
        assert_eq!(store.load(id).expect("load"), new);
    }

    #[test]
    fn an_interrupted_decrypt_reads_both_forms_and_encrypt_takes_it_back() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(tmp.path()).expect("open");
        let (a, b) = ("20240101-090000-aaaa", "20240102-090000-bbbb");
        store.begin_encryption(&pass()).expect("on");
        store.save_over(&session(a, "first")).expect("save");
        store.save_over(&session(b, "second")).expect("save");
        store.begin_decryption().expect("begin off");
        // Killed here: one session converted by a save, one still sealed.
        store
            .save_over(&session(a, "first, edited"))
            .expect("save plain");
        drop(store);

        let mut store = Store::open(tmp.path()).expect("reopen");
        assert_eq!(store.encryption(), Encryption::TurningOff);
        assert!(store.needs_unlocking());
        assert!(matches!(
            store.save_over(&session(a, "x")),
            Err(StoreError::Locked)
        ));
        assert!(matches!(store.load(b), Err(StoreError::Locked)));
        assert_eq!(
            store.load(a).expect("plain needs no key").steps[0].notes,
            "first, edited"
        );
        store.unlock(&pass()).expect("unlock");
        let listed = only_sessions(&store);
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[1].steps[0].notes, "second");

        store.resume_encryption().expect("back on");
        assert_eq!(store.seal_all().expect("seal").converted, 1);
        assert_eq!(
            names_in(tmp.path()),
            ["identity.age", "identity.pub", "sessions"]
        );
        assert_eq!(
            names_in(&tmp.path().join("sessions")),
            [format!("{a}.json.age"), format!("{b}.json.age")]
        );
        assert_eq!(store.load(a).expect("load").steps[0].notes, "first, edited");
    }

    #[test]
    fn a_locked_store_reads_and_writes_nothing_of_the_notes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(tmp.path()).expect("open");
        let id = "20240101-090000-abcd";
        store.begin_encryption(&pass()).expect("on");
        store.save_over(&session(id, "sealed away")).expect("save");
        drop(store);
        let before = names_in(&tmp.path().join("sessions"));
        let store = Store::open(tmp.path()).expect("reopen");
        assert!(store.needs_unlocking());
        assert!(matches!(
            store.save_over(&session(id, "x")),
            Err(StoreError::Locked)
        ));
        assert!(matches!(store.load(id), Err(StoreError::Locked)));
        match &store.list()[..] {
            [Listed::Unreadable { reason, .. }] => {
                assert!(reason.contains("passphrase"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(names_in(&tmp.path().join("sessions")), before);
        let wrong = SecretString::from("nope".to_string());
        let mut store = store;
        assert!(matches!(
            store.unlock(&wrong),
            Err(StoreError::WrongPassphrase)
        ));
        assert!(store.needs_unlocking());
    }
}
