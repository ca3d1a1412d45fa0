//! Two things done once, when the program is built, instead of at every
//! start:
//!
//! * The built-in protocol's cards' ids are read (`src/protocol/deck_aside.rs`,
//!   shared with the crate's tests): a walk needs its steps (kept as Rust in
//!   `src/protocol/builtin_steps.rs`) and only the ids of its cards, and the
//!   cards are most of the file. The tests check that the steps and ids
//!   read this way equal the whole file's.
//! * `--features portable` is another way to ask for `--cfg repair_portable`,
//!   the general path macOS and Windows take (named temporary files, signal
//!   flags), built on Linux. A feature changes only this crate, so CI reuses
//!   the dependencies it has already built; RUSTFLAGS would rebuild them all
//!   in a second target directory. Both spellings give the same build.

#[path = "src/protocol/deck_aside.rs"]
mod deck_aside;

use std::path::PathBuf;
use std::{env, fs};

const BUILTIN: &str = "steps/rupture-repair.toml";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={BUILTIN}");
    println!("cargo::rerun-if-changed=src/protocol/deck_aside.rs");
    if env::var_os("CARGO_FEATURE_PORTABLE").is_some() {
        println!("cargo::rustc-cfg=repair_portable");
    }
    let text = fs::read_to_string(BUILTIN).expect("the built-in protocol is readable");
    let (_, ids) = deck_aside::set_deck_aside(&text);
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("builtin-deck-ids.txt"), ids.join("\n")).expect("OUT_DIR is writable");
}
