//! `--features portable` is another way to ask for `--cfg repair_portable`,
//! the general path macOS and Windows take (named temporary files, signal
//! flags), built on Linux. A feature changes only this crate, so CI reuses
//! the dependencies it has already built; RUSTFLAGS would rebuild them all
//! in a second target directory. Both spellings give the same build.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_PORTABLE").is_some() {
        println!("cargo::rustc-cfg=repair_portable");
    }
}
