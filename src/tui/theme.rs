//! Colours and emphasis. Colour is only ever an aid: every state also shows
//! as text, a symbol, bold or reverse video, so the monochrome palette (used
//! for NO_COLOR and `--color never`) loses nothing.
//!
//! Three palettes, chosen by the `theme` setting and `--color`
//! (see [`crate::settings`]):
//!
//! * [`Palette::Default`]: quiet colours, grey for the less important text;
//! * [`Palette::HighContrast`]: no grey and no dim text; body text in the
//!   terminal's own colour (so it keeps whatever contrast the terminal has),
//!   and bright colours with bold for everything that carries meaning. The
//!   bright colours suit a dark background; on a light one, monochrome is
//!   usually the clearest;
//! * [`Palette::Monochrome`]: no colours at all, only bold, italic and
//!   reverse video.

use ratatui::style::{Color, Modifier, Style};

pub use crate::palette::Palette;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub palette: Palette,
}

impl Theme {
    /// The default palette unless NO_COLOR is set to anything non-empty
    /// (no-color.org). The settings file and `--color` are applied by
    /// [`crate::settings::resolve`]; this is for callers without settings.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color {
            Theme::monochrome()
        } else {
            Theme::new(Palette::Default)
        }
    }

    pub fn new(palette: Palette) -> Self {
        Theme { palette }
    }

    pub fn monochrome() -> Self {
        Theme::new(Palette::Monochrome)
    }

    /// A foreground colour: the quiet one, the bright one for high
    /// contrast, or none.
    fn fg(&self, quiet: Color, bright: Color) -> Style {
        match self.palette {
            Palette::Default => Style::new().fg(quiet),
            Palette::HighContrast => Style::new().fg(bright).add_modifier(Modifier::BOLD),
            Palette::Monochrome => Style::new(),
        }
    }

    /// The protocol title and headings.
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan, Color::LightCyan)
            .add_modifier(Modifier::BOLD)
    }

    /// The current step's title.
    pub fn step(&self) -> Style {
        match self.palette {
            Palette::HighContrast => {
                Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            }
            _ => Style::new().add_modifier(Modifier::BOLD),
        }
    }

    /// Quieter text: hints, labels, the footer. High contrast never dims:
    /// it shows these in the terminal's own foreground colour.
    pub fn dim(&self) -> Style {
        match self.palette {
            Palette::Default => Style::new().fg(Color::Gray),
            Palette::HighContrast | Palette::Monochrome => Style::new(),
        }
    }

    /// A key name in the footer and help.
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow, Color::LightYellow)
            .add_modifier(Modifier::BOLD)
    }

    /// Sentence stems to say aloud. High contrast drops the italic, which
    /// many terminal fonts draw thin.
    pub fn stem(&self) -> Style {
        match self.palette {
            Palette::HighContrast => self.fg(Color::Green, Color::LightGreen),
            _ => self
                .fg(Color::Green, Color::LightGreen)
                .add_modifier(Modifier::ITALIC),
        }
    }

    /// Something that needs attention (a failed save).
    pub fn warn(&self) -> Style {
        self.fg(Color::Red, Color::LightRed)
            .add_modifier(Modifier::BOLD)
    }

    /// The filled part of the pause gauge and the pacer.
    pub fn gauge(&self) -> Style {
        match self.palette {
            Palette::Monochrome => Style::new().add_modifier(Modifier::BOLD),
            _ => self.fg(Color::Cyan, Color::LightCyan),
        }
    }

    /// The "Type your notes here." hint in an empty notes box: grey, or
    /// italic where grey is not allowed.
    pub fn placeholder(&self) -> Style {
        match self.palette {
            Palette::Default => Style::new().fg(Color::DarkGray),
            Palette::HighContrast | Palette::Monochrome => {
                Style::new().add_modifier(Modifier::ITALIC)
            }
        }
    }

    /// Borders. High contrast draws them bold in the terminal's own
    /// colour, not dark grey.
    pub fn border(&self) -> Style {
        match self.palette {
            Palette::Default => Style::new().fg(Color::DarkGray),
            Palette::HighContrast => Style::new().add_modifier(Modifier::BOLD),
            Palette::Monochrome => Style::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_styles(theme: Theme) -> Vec<Style> {
        vec![
            theme.title(),
            theme.step(),
            theme.dim(),
            theme.key(),
            theme.stem(),
            theme.warn(),
            theme.gauge(),
            theme.border(),
            theme.placeholder(),
        ]
    }

    #[test]
    fn monochrome_uses_no_colour_at_all() {
        for style in all_styles(Theme::monochrome()) {
            assert_eq!(style.fg, None, "{style:?}");
            assert_eq!(style.bg, None, "{style:?}");
        }
    }

    #[test]
    fn high_contrast_has_no_grey_and_bolds_what_carries_meaning() {
        let theme = Theme::new(Palette::HighContrast);
        for style in all_styles(theme) {
            assert!(
                !matches!(style.fg, Some(Color::Gray | Color::DarkGray)),
                "{style:?}"
            );
        }
        for style in [
            theme.title(),
            theme.step(),
            theme.key(),
            theme.stem(),
            theme.warn(),
        ] {
            assert!(style.add_modifier.contains(Modifier::BOLD), "{style:?}");
        }
    }
}
