//! The names of the screen's colour palettes, as the `theme` setting writes
//! them: "default", "high-contrast", "monochrome".
//!
//! This sits below both the settings (which read the name) and the full
//! screen (whose `Theme`, in the TUI's theme module, turns a palette into
//! styles), so neither has to reach into the other.

/// Which set of colours the screen uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    #[default]
    Default,
    HighContrast,
    Monochrome,
}

impl Palette {
    /// Every palette, in the order the README lists them.
    pub const ALL: [Palette; 3] = [Palette::Default, Palette::HighContrast, Palette::Monochrome];

    /// The name used in the settings file.
    pub fn name(self) -> &'static str {
        match self {
            Palette::Default => "default",
            Palette::HighContrast => "high-contrast",
            Palette::Monochrome => "monochrome",
        }
    }

    /// The palette a settings-file name stands for.
    pub fn from_name(name: &str) -> Option<Palette> {
        Palette::ALL.into_iter().find(|p| p.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for palette in Palette::ALL {
            assert_eq!(Palette::from_name(palette.name()), Some(palette));
        }
        assert_eq!(Palette::from_name("dark"), None);
    }
}
