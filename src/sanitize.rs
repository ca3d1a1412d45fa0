//! The one path text takes to the terminal.
//!
//! Protocol files can come from anyone and notes can hold anything typed or
//! pasted. Before any of it is printed or drawn, control characters (C0 but
//! newline and tab, DEL, and C1) are replaced by visible escapes such as `\x1b`,
//! so a shared file cannot retitle the window, move the cursor or redraw the
//! screen; invisible format characters that could reorder or hide text
//! (bidirectional overrides and isolates, see [`is_invisible_format`]) are
//! escaped the same way. Notes on disk and in exports to files keep their bytes; only what
//! reaches a terminal goes through here.

use std::borrow::Cow;

/// True for characters that must never reach a terminal raw.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// True for the invisible format characters that can reorder or hide what
/// a line displays (the "Trojan Source" trick): the bidirectional embeddings
/// and overrides U+202A-U+202E, the isolates U+2066-U+2069, the marks
/// U+200E/U+200F and U+061C, the zero-width space U+200B, and the line and
/// paragraph separators U+2028/U+2029. They are shown as visible escapes.
///
/// The zero-width joiners U+200C and U+200D are left alone: they only join
/// or part glyphs (emoji sequences such as 👩‍⚕️, Persian and Indic
/// scripts need them) and cannot move or hide text.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn needs_escape(c: char) -> bool {
    is_forbidden(c) || is_invisible_format(c)
}

/// Escapes every forbidden character as `\xNN` (or `\u{NN}` for C1), and
/// every invisible format character as `\u{NNNN}`, keeping newline and tab.
/// Borrows when there is nothing to change.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let n = c as u32;
            if n < 0x80 {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{{{n:x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape`], and tabs become four spaces: for text drawn in the full screen,
/// where a raw tab would leave the layout and the cursor out of step.
pub fn for_screen(text: &str) -> Cow<'_, str> {
    let escaped = escape(text);
    if escaped.contains('\t') {
        Cow::Owned(escaped.replace('\t', "    "))
    } else {
        escaped
    }
}

/// [`escape`] for a single line: newlines are escaped too (`\n`), for error
/// messages and list rows that must stay on one line.
pub fn one_line(text: &str) -> Cow<'_, str> {
    let escaped = escape(text);
    if escaped.contains('\n') {
        Cow::Owned(escaped.replace('\n', "\\n"))
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_untouched() {
        let text = "Pause, and feel. 停一下 🌿\n\tthen breathe";
        assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn escape_sequences_are_made_visible() {
        assert_eq!(escape("a\x1b]0;pwned\x07b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(escape("del\x7f"), "del\\x7f");
        assert_eq!(escape("csi\u{9b}2J"), "csi\\u{9b}2J");
        assert_eq!(escape("cr\rlf"), "cr\\x0dlf");
    }

    #[test]
    fn bidi_and_invisible_characters_are_made_visible() {
        // The Trojan Source line: an override that would show the text reversed.
        assert_eq!(
            escape("access\u{202e}level\u{2066}x\u{2069}"),
            "access\\u{202e}level\\u{2066}x\\u{2069}"
        );
        for c in [
            '\u{200b}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}', '\u{202a}',
        ] {
            assert!(escape(&c.to_string()).starts_with("\\u{"), "{:x}", c as u32);
        }
        assert_eq!(one_line("a\u{2028}b"), "a\\u{2028}b");
        // Joiners only join glyphs: emoji and Persian text keep them.
        let joined = "👩\u{200d}⚕\u{fe0f} می\u{200c}خواهم";
        assert!(matches!(escape(joined), Cow::Borrowed(_)));
    }

    #[test]
    fn nothing_forbidden_survives() {
        let all: String = (0u32..0x200).filter_map(char::from_u32).collect();
        assert!(!escape(&all).chars().any(is_forbidden));
        assert!(!for_screen(&all).contains('\t'));
        assert!(!one_line(&all).contains('\n'));
    }
}
