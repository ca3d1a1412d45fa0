//! The README's picture is the real screen: drawn again here the way
//! `cargo run --example screen_svg` draws it, it must match `docs/screen.svg`
//! byte for byte, so a change to the walk's screen that forgets the picture
//! fails here and says which command to run.

#[path = "../../examples/screen_svg/picture.rs"]
#[allow(dead_code)]
mod picture;

#[test]
fn docs_screen_svg_is_the_screen_as_it_is_now() {
    let now = picture::picture().expect("the picture draws");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(picture::PATH);
    let kept = std::fs::read_to_string(&path).expect("docs/screen.svg");
    assert!(
        now == kept,
        "the walk's screen changed: run `cargo run --example screen_svg`, look at docs/screen.svg, and commit it"
    );
    assert!(now.contains("Pause and scan inward"));
}
