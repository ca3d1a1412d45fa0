//! Draws the README's picture, `docs/screen.svg`, from the real walk-through
//! screen (see `picture.rs`). `cargo run --example screen_svg` (from the
//! repository's root) makes it again; a test fails when the screen has
//! changed and the picture was not made again.

mod picture;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(picture::PATH);
    std::fs::write(&path, picture::picture()?)?;
    println!("Wrote {}.", picture::PATH);
    Ok(())
}
