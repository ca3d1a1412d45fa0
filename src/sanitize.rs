//! The one path text takes to the terminal.
//!
//! Protocol files can come from anyone and notes can hold anything typed or
//! pasted. Before any of it is printed or drawn, control characters (C0 but
//! newline and tab, DEL, and C1) are replaced by visible escapes such as `\x1b`,
//! so a shared file cannot retitle the window, move the cursor or redraw the
//! screen. Notes on disk and in exports to files keep their bytes; only what
//! reaches a terminal goes through here.

use std::borrow::Cow;

/// True for characters that must never reach a terminal raw.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// Escapes every forbidden character as `\xNN` (or `\u{NN}` for C1), keeping
/// newline and tab. Borrows when there is nothing to change.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_forbidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_forbidden(c) {
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
    fn nothing_forbidden_survives() {
        let all: String = (0u32..0x200).filter_map(char::from_u32).collect();
        assert!(!escape(&all).chars().any(is_forbidden));
        assert!(!for_screen(&all).contains('\t'));
        assert!(!one_line(&all).contains('\n'));
    }
}
