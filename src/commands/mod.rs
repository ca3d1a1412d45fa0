//! One module per command: each takes its parsed arguments and returns an
//! exit status or an [`Error`], which `main` prints in one place.

pub mod follow_up;
pub mod history;
pub mod manual;
pub mod notes;
pub mod practice;
pub mod prep;
pub mod protocols;
pub mod rehearse;

use std::path::Path;

use crate::error::Error;
use crate::journal::{self, Store};
use crate::sanitize;

/// Opens the data directory, printing any notice (such as tightened modes).
pub fn open_store(flag: Option<&Path>) -> Result<Store, Error> {
    let dir = journal::data_dir(flag)?;
    let store = Store::open(&dir)?;
    for notice in store.notices() {
        eprintln!("repair: {}", sanitize::one_line(notice));
    }
    Ok(store)
}
