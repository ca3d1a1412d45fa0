//! The integration tests, as one test binary: one link against the library
//! and the dev-dependencies instead of one per file.
//! Each file below is a module; `cargo test --test it render` runs one of
//! them, `cargo test --test it render::` only its tests.
//!
//! Render snapshots live in `tests/it/snapshots/`, named `it__FILE__NAME.snap`
//! after the module path, as insta names them.

#[path = "../common/mod.rs"]
mod common;
mod rehearse_fixture;
mod schema_check;
mod screens;

mod app_flow;
mod architecture;
// The stand-in recorder and player are shell scripts made executable.
#[cfg(unix)]
mod audio;
mod browser_undo;
mod clock_ahead;
mod concurrency;
mod deck;
mod deck_view;
mod drill_choices;
mod drill_e2e;
mod drill_render;
mod e2e_pty;
mod encryption;
mod export_golden;
mod groups_e2e;
mod groups_render;
mod hidden_characters;
mod history_props;
mod history_render;
mod imports;
mod key_notation;
mod lean_rows;
mod limits;
mod notes_cli;
mod notes_items;
mod plain_mode;
mod prep_e2e;
mod prep_screen;
mod protocol_files;
mod protocol_schema;
mod readme_picture;
mod rehearse_beats;
mod rehearse_e2e;
mod rehearse_render;
mod rehearse_trainer;
mod render;
mod report;
mod settings;
mod signals;
mod soak;
mod start_offers;
mod storage;
mod store_promises;
mod themes;
