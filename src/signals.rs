//! SIGTERM, SIGHUP and SIGINT: one listener for the life of the process,
//! and one way every mode leaves on them. Exit status is 128 + the
//! signal's number. Where the signals come from, and which of them a
//! platform has (Windows: SIGINT, SIGBREAK and SIGTERM, no SIGHUP), is
//! `platform`'s business.
//!
//! The full screen gets each signal as a message on its channel
//! ([`listen`]): it saves, restores the terminal and returns. A plain run
//! goes through [`keeping`]: a signal waits for a save under way, then saves
//! what the mode has [confirmed](confirm) since its last save, says on
//! stderr what was kept, and exits. A signal while no mode listens (between
//! two screens, while a closing report is printed) ends the process at
//! once with the same status: nothing is waiting to be saved then.

use std::io;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread;

use crate::journal::{Journal, SAVING_OFF, Session, StoreError};

/// Where signals go: the mode running now, if any.
static SINK: Mutex<Option<Sender<i32>>> = Mutex::new(None);

/// What the plain mode running now has confirmed but not saved yet.
static CONFIRMED: Mutex<Option<Confirmed>> = Mutex::new(None);

/// Something was entered in a run that keeps nothing (`--no-save`): a
/// signal then says it was not kept.
static ENTERED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks that something was entered in a run whose journal keeps nothing.
pub fn entered() {
    ENTERED.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Confirmed input not saved yet: a text that may grow a piece at a time
/// (notes piped in faster than they are saved), and how to make the
/// session from it.
struct Confirmed {
    text: String,
    session: Box<dyn FnOnce(String) -> Option<Session> + Send>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the one listener, the first time only.
fn start() -> io::Result<()> {
    // Shared, so every later call gets the first call's error again.
    static STARTED: OnceLock<Result<(), std::sync::Arc<io::Error>>> = OnceLock::new();
    let started = STARTED.get_or_init(|| {
        crate::platform::listen_for_stop(|number| {
            let delivered = lock(&SINK)
                .as_ref()
                .is_some_and(|tx| tx.send(number).is_ok());
            if !delivered {
                std::process::exit(128 + number);
            }
        })
        .map_err(std::sync::Arc::new)
    });
    started.clone().map_err(|e| io::Error::new(e.kind(), e))
}

/// From now on signals come on the returned channel (and no longer to
/// whoever listened before), until [`stop_listening`].
pub fn listen() -> io::Result<Receiver<i32>> {
    start()?;
    let (tx, rx) = mpsc::channel();
    *lock(&SINK) = Some(tx);
    Ok(rx)
}

/// Nobody listens any more: a signal now ends the process at once.
pub fn stop_listening() {
    *lock(&SINK) = None;
}

/// Calls [`stop_listening`] when dropped: on every way out of a run that
/// listened, an error returned with `?` included.
pub struct Listening;

impl Drop for Listening {
    fn drop(&mut self) {
        stop_listening();
    }
}

/// Says that `text`, made into a session by `session`, is confirmed: if a
/// signal comes before the next save, it is saved then (unless `session`
/// finds nothing worth keeping: `None`). Replaces whatever was confirmed
/// before; a save through [`keeping`]'s journal clears it.
pub fn confirm(text: String, session: impl FnOnce(String) -> Option<Session> + Send + 'static) {
    *lock(&CONFIRMED) = Some(Confirmed {
        text,
        session: Box::new(session),
    });
}

/// Adds `piece` to the confirmed text; false (and nothing added) when
/// nothing is confirmed, so the caller confirms the whole text instead.
pub fn confirm_more(piece: &str) -> bool {
    match lock(&CONFIRMED).as_mut() {
        Some(confirmed) => {
            confirmed.text.push_str(piece);
            true
        }
        None => false,
    }
}

/// What a plain run holds: its journal, and the id of the last session
/// saved, for the line said on a signal.
struct Held<'j> {
    journal: &'j mut (dyn Journal + Send),
    saved: Option<String>,
    /// Something was offered for saving, kept or not: with saving off, the
    /// line on a signal then says that what was entered was not kept.
    offered: bool,
}

/// Whether a save waits while another command holds the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// Waits its turn (the saves a signal makes, and a mode's own).
    Yes,
    /// Says the store is busy instead ([`StoreError::Busy`]).
    IfFree,
}

impl Held<'_> {
    fn save(&mut self, session: &Session, wait: Wait) -> Result<(), StoreError> {
        let result = match wait {
            Wait::Yes => self.journal.save(session),
            Wait::IfFree => self.journal.save_if_free(session),
        };
        self.offered |= result.is_ok();
        if result.is_ok() && self.journal.keeps() {
            self.saved = Some(session.id.clone());
            // What was confirmed is in what was just saved.
            *lock(&CONFIRMED) = None;
        }
        result
    }
}

/// The journal a plain mode saves through: every save holds the lock a
/// signal waits for.
struct Guarded<'h, 'j>(&'h Mutex<Held<'j>>);

impl Journal for Guarded<'_, '_> {
    fn save(&mut self, session: &Session) -> Result<(), StoreError> {
        lock(self.0).save(session, Wait::Yes)
    }

    fn save_if_free(&mut self, session: &Session) -> Result<(), StoreError> {
        lock(self.0).save(session, Wait::IfFree)
    }

    fn discard(&mut self, id: &str) -> Result<(), StoreError> {
        let mut held = lock(self.0);
        let result = held.journal.discard(id);
        if result.is_ok() && held.saved.as_deref() == Some(id) {
            held.saved = None;
        }
        result
    }

    fn keeps(&self) -> bool {
        lock(self.0).journal.keeps()
    }

    fn audio(&self, id: &str) -> Option<crate::journal::audio::Audio> {
        lock(self.0).journal.audio(id)
    }
}

/// Runs a plain mode (`run`, on this thread) saving into `journal`, so that
/// a signal waits for a save under way, saves what was confirmed since,
/// says on stderr what was kept (`kept` names it: "the cards assessed so
/// far") and ends the process with 128 + the signal's number. Returns what
/// `run` returned and the id of the last session saved, if any.
pub fn keeping<T>(
    journal: &mut (dyn Journal + Send),
    kept: &str,
    run: impl FnOnce(&mut dyn Journal) -> T,
) -> io::Result<(T, Option<String>)> {
    let signals = listen()?;
    *lock(&CONFIRMED) = None;
    let held = Mutex::new(Held {
        journal,
        saved: None,
        offered: false,
    });
    let held = &held;
    let out = thread::scope(|scope| {
        scope.spawn(move || {
            if let Ok(number) = signals.recv() {
                stop(held, kept, number);
            }
        });
        // Drops the sender when `run` returns (or panics): the waiting
        // thread ends, and the scope with it.
        let _listening = Listening;
        run(&mut Guarded(held))
    });
    *lock(&CONFIRMED) = None;
    let saved = lock(held).saved.clone();
    Ok((out, saved))
}

/// A signal came: wait for a save under way (the lock), save what was
/// confirmed, say what was kept, and leave. The lock is held to the end,
/// so the mode cannot start another save.
fn stop(held: &Mutex<Held>, kept: &str, number: i32) -> ! {
    let (line, _held) = settle(held, kept);
    eprintln!("{}", crate::sanitize::one_line(&line));
    std::process::exit(128 + number)
}

/// The saving part of [`stop`]: waits for the lock, saves what was
/// confirmed and returns the line to say, with the lock still held.
fn settle<'h, 'j>(held: &'h Mutex<Held<'j>>, kept: &str) -> (String, MutexGuard<'h, Held<'j>>) {
    let mut held = lock(held);
    let confirmed = lock(&CONFIRMED).take();
    let entered =
        held.offered || confirmed.is_some() || ENTERED.load(std::sync::atomic::Ordering::SeqCst);
    let mut failed = None;
    if let Some(Confirmed { text, session }) = confirmed
        && held.journal.keeps()
        && let Some(session) = session(text)
        && let Err(error) = held.save(&session, Wait::Yes)
    {
        failed = Some(error.to_string());
    }
    let line = if held.journal.keeps() {
        stopped_line(held.saved.as_deref(), failed, kept)
    } else {
        not_kept_line(entered)
    };
    (line, held)
}

/// What is said on stderr when a plain run that saves is stopped by a
/// signal.
fn stopped_line(saved: Option<&str>, failed: Option<String>, kept: &str) -> String {
    match (saved, failed) {
        (_, Some(error)) => format!("Stopped by a signal; {kept} could not be saved: {error}"),
        (Some(id), None) => format!("Stopped by a signal; {kept} are saved (session {id})."),
        (None, None) => {
            "Stopped by a signal; nothing had been entered yet, so nothing was saved.".to_string()
        }
    }
}

/// What is said when a run with saving off is stopped by a signal: what
/// was entered was not kept, and why, so nobody goes looking for notes
/// that were never written.
fn not_kept_line(entered: bool) -> String {
    if entered {
        "Stopped by a signal; what you entered was not kept, because saving is off (--no-save or save = false in the settings).".to_string()
    } else {
        format!("Stopped by a signal. {SAVING_OFF}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::fixtures;
    use std::sync::mpsc::SyncSender;

    /// A journal whose save waits to be let go, saying when it has begun.
    struct Slow {
        begun: SyncSender<()>,
        go_on: Receiver<()>,
        saved: Vec<String>,
    }

    impl Journal for Slow {
        fn save(&mut self, session: &Session) -> Result<(), StoreError> {
            // Only the first save waits (so nothing else can hang here).
            if self.saved.is_empty() {
                let _ = self.begun.try_send(());
                let _ = self.go_on.recv();
            }
            self.saved.push(session.id.clone());
            Ok(())
        }
        fn discard(&mut self, _: &str) -> Result<(), StoreError> {
            Ok(())
        }
    }

    #[test]
    fn a_signal_waits_for_the_save_under_way_and_says_what_it_kept() {
        let (begun_tx, begun) = mpsc::sync_channel(1);
        let (go_on, go_on_rx) = mpsc::channel();
        let mut journal = Slow {
            begun: begun_tx,
            go_on: go_on_rx,
            saved: Vec::new(),
        };
        let held = Mutex::new(Held {
            journal: &mut journal,
            saved: None,
            offered: false,
        });
        thread::scope(|scope| {
            let saving = scope.spawn(|| {
                let session = fixtures::session("s-under-way", "2026-11-01T09:00:00+01:00");
                Guarded(&held).save(&session)
            });
            begun.recv().unwrap();
            // The save holds the lock now; the signal comes.
            assert!(held.try_lock().is_err());
            let stopping = scope.spawn(|| settle(&held, "the cards assessed so far").0);
            go_on.send(()).unwrap();
            saving.join().unwrap().unwrap();
            assert_eq!(
                stopping.join().unwrap(),
                "Stopped by a signal; the cards assessed so far are saved (session s-under-way)."
            );
        });
        assert_eq!(journal.saved, ["s-under-way"]);
    }

    #[test]
    fn the_stopped_line_says_what_was_kept() {
        let kept = "the cards assessed so far";
        assert_eq!(
            stopped_line(Some("s1"), None, kept),
            "Stopped by a signal; the cards assessed so far are saved (session s1)."
        );
        assert!(not_kept_line(false).contains("saving is off"));
        assert!(not_kept_line(true).contains("what you entered was not kept"));
        assert!(stopped_line(None, None, kept).contains("nothing was saved"));
        assert!(stopped_line(Some("s1"), Some("disk full".into()), kept).contains("disk full"));
    }
}
