//! placeholder
use std::path::Path;
pub fn run(_: Option<&Path>, _: &crate::cli::PrepArgs) -> Result<u8, crate::error::Error> {
    Ok(0)
}
