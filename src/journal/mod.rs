//! The journal: saved practice sessions and where they live.
//!
//! This module owns the session record ([`Session`], [`StepRecord`]), the
//! store on disk ([`Store`]: the private data directory, atomic durable
//! writes, listing), the [`Journal`] trait the front ends save through (with
//! [`NoSave`] for `--no-save`), and export.

pub mod audio;
pub mod cards;
pub mod crypt;
pub mod dirlock;
mod export;
pub mod files;
mod groups;
pub mod import;
mod lean;
mod markdown;
mod newer;
mod record;
mod reseal;
pub mod review;
mod row;
mod store;
mod unreadable;

pub use export::{escape_del_and_c1, export_json};
pub use groups::{
    Continuation, CriterionRecord, DrillCardRecord, Extra, ImprovisedRecord, Move, Named, Reaction,
    Role, RoundRecord, Sighting, Word,
};
pub use lean::WRITTEN;
pub use markdown::{export_markdown, session_markdown, write_markdown_export};
pub use record::{Session, SessionMode, StepRecord, StepStatus, local_now, new_session_id};
#[cfg(test)]
pub(crate) use row::row_from_file;
pub use row::{Row, RowJson, StepCounts};
pub use store::{
    DATA_DIR_ENV, DataDirError, Deleted, Listed, Reader, SESSION_MAX, Store, StoreError, data_dir,
    is_valid_id, write_atomic,
};
pub use unreadable::Unreadable;

/// Where a walk-through puts its session. The front ends only ever save
/// through this, so `--no-save` and tests need no special paths.
pub trait Journal {
    /// Writes the session, replacing any earlier version with the same id.
    /// The store refuses (with an error to show, notes kept on screen) a
    /// first save whose id another session already has, and a later save
    /// of a session deleted meanwhile.
    fn save(&mut self, session: &Session) -> Result<(), StoreError>;
    /// [`Journal::save`] without waiting for another command that holds the
    /// store's lock: [`StoreError::Busy`] then, and nothing written.
    fn save_if_free(&mut self, session: &Session) -> Result<(), StoreError> {
        self.save(session)
    }
    /// Removes the session with this id, if this run saved it and it is
    /// still as it was saved (never another writer's version).
    fn discard(&mut self, id: &str) -> Result<(), StoreError>;
    /// Whether saving keeps anything at all (false for `--no-save`).
    fn keeps(&self) -> bool {
        true
    }
    /// Where session `id`'s recorded responses go (`None`: nowhere, as
    /// with `--no-save` or locked notes).
    fn audio(&self, _id: &str) -> Option<audio::Audio> {
        None
    }
}

/// What became of a mode's last save, for what is said when it ends.
#[derive(Debug, Clone)]
pub enum Saved {
    /// Nothing was saved: saving is off, or there was nothing to keep.
    Nothing,
    /// Saved, as the session with this id.
    As(String),
    /// The save failed: the error says why and what to do (a store's, or
    /// the opening of the store's for a save asked for at the end; shared,
    /// so an outcome holding it can be copied).
    Failed(std::sync::Arc<dyn std::error::Error + Send + Sync>),
}

impl Saved {
    /// What a save of session `id` came to.
    pub fn of(
        result: Result<(), impl std::error::Error + Send + Sync + 'static>,
        id: &str,
    ) -> Saved {
        match result {
            Ok(()) => Saved::As(id.to_string()),
            Err(error) => Saved::Failed(std::sync::Arc::new(error)),
        }
    }

    /// The id saved under, if the save went through.
    pub fn id(&self) -> Option<&str> {
        match self {
            Saved::As(id) => Some(id),
            _ => None,
        }
    }
}

/// What is said when a run keeps nothing because saving is off, by
/// `--no-save` or by `save = false` in the settings.
pub const SAVING_OFF: &str =
    "Nothing was saved: saving is off (--no-save or save = false in the settings).";

/// `--no-save`: nothing touches the disk.
#[derive(Debug, Default)]
pub struct NoSave;

impl Journal for NoSave {
    fn save(&mut self, _: &Session) -> Result<(), StoreError> {
        Ok(())
    }
    fn discard(&mut self, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    fn keeps(&self) -> bool {
        false
    }
}

impl Journal for Store {
    fn save(&mut self, session: &Session) -> Result<(), StoreError> {
        Store::save_walk(self, session)
    }
    fn save_if_free(&mut self, session: &Session) -> Result<(), StoreError> {
        Store::save_walk_if_free(self, session)
    }
    fn discard(&mut self, id: &str) -> Result<(), StoreError> {
        Store::discard_walk(self, id)
    }
    fn audio(&self, id: &str) -> Option<audio::Audio> {
        Store::audio(self, id)
    }
}

#[cfg(test)]
pub(crate) mod fixtures;
