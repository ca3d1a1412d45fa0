//! The one path text takes to the terminal, and the one rule for what
//! protocol text may hold, character by character ([`class`]).
//!
//! Protocol files can come from anyone and notes can hold anything typed or
//! pasted. Before any of it is printed or drawn, control characters (C0 but
//! newline and tab, DEL, and C1) are replaced by visible escapes such as `\x1b`,
//! so a shared file cannot retitle the window, move the cursor or redraw the
//! screen; characters that could reorder text or hide in it (see
//! [`CharClass`]) are escaped the same way, as `\u{202e}`. Notes on disk and
//! in exports to files keep their bytes; only what reaches a terminal goes
//! through here.

use std::borrow::Cow;

/// What one character of protocol text (or anything shown) is, for the one
/// rule [`class`] applies everywhere: `repair validate`, the full screen and
/// plain mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// Shown as it is: ordinary text, and the characters that only join or
    /// shape glyphs (ZWJ U+200D, ZWNJ U+200C, the variation selectors), which
    /// emoji sequences such as 👩🏽‍⚕️, Persian and Indic scripts need.
    Text,
    /// A control character (C0 but newline and tab, DEL, C1): refused in a
    /// protocol, escaped on screen.
    Control,
    /// A bidirectional embedding, override or isolate (U+202A–U+202E,
    /// U+2066–U+2069): it can show a line in another order than it is
    /// stored (the "Trojan Source" trick). Refused in a protocol, escaped on
    /// screen.
    BidiControl,
    /// Any other character that shows as nothing (Unicode's
    /// `Default_Ignorable_Code_Point`: tag characters, the zero width space,
    /// word joiner, byte order mark, soft hyphen, Hangul fillers, the
    /// direction marks U+200E, U+200F and U+061C...) and the line and
    /// paragraph separators U+2028/U+2029. Legitimate now and then, so only a
    /// warning in `repair validate`; always escaped on screen, so nothing
    /// hidden can change what a line seems to say.
    Invisible,
}

/// The class of `c` (see [`CharClass`]).
///
/// The direction marks (LRM U+200E, RLM U+200F, ALM U+061C) are
/// `Bidi_Control` in Unicode but are marks, not embeddings: they set the
/// direction of neighbouring punctuation in right-to-left text and cannot
/// reorder a run, so all three are [`CharClass::Invisible`], not refused.
pub fn class(c: char) -> CharClass {
    // Below U+00A0 a character is text or a control: the common case, and
    // every character of a protocol file passes through here.
    if c < '\u{a0}' {
        return if is_forbidden(c) {
            CharClass::Control
        } else {
            CharClass::Text
        };
    }
    by_property(c)
}

/// [`class`] by the Unicode properties, for any character.
fn by_property(c: char) -> CharClass {
    if is_forbidden(c) {
        CharClass::Control
    } else if matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
        CharClass::BidiControl
    } else if is_shaping(c) {
        CharClass::Text
    } else if is_default_ignorable(c) || matches!(c, '\u{2028}' | '\u{2029}') {
        CharClass::Invisible
    } else {
        CharClass::Text
    }
}

/// The joiners and variation selectors: default-ignorable, but they only
/// join or shape glyphs and cannot hide text (the Mongolian free variation
/// selectors included, which Mongolian script needs as Indic needs ZWJ).
fn is_shaping(c: char) -> bool {
    matches!(
        c,
        '\u{200c}'
            | '\u{200d}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{e0100}'..='\u{e01ef}'
            | '\u{180b}'..='\u{180d}'
            | '\u{180f}'
    )
}

/// Unicode's `Default_Ignorable_Code_Point` property: the ranges of
/// DerivedCoreProperties.txt, Unicode 16.0.0 (unchanged since 14.0, which
/// added U+180F), written out here because nothing is fetched.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// True for characters that must never reach a terminal raw.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// True for the characters shown as escapes though they are not control
/// characters: the bidirectional controls and every other invisible
/// character ([`CharClass::BidiControl`], [`CharClass::Invisible`]).
pub fn is_invisible_format(c: char) -> bool {
    matches!(class(c), CharClass::BidiControl | CharClass::Invisible)
}

fn needs_escape(c: char) -> bool {
    class(c) != CharClass::Text
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
    fn one_rule_for_every_hidden_character() {
        // Shaping characters pass raw: emoji, Persian, a variation selector.
        for c in ['\u{200c}', '\u{200d}', '\u{fe0f}', '\u{e0100}', '\u{180b}'] {
            assert_eq!(class(c), CharClass::Text, "U+{:04X}", c as u32);
        }
        for c in ['\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}'] {
            assert_eq!(class(c), CharClass::BidiControl, "U+{:04X}", c as u32);
        }
        for c in [
            '\u{e0000}',
            '\u{e0069}',
            '\u{e007f}',
            '\u{2060}',
            '\u{feff}',
            '\u{3164}',
            '\u{115f}',
            '\u{180e}',
            '\u{00ad}',
            '\u{200b}',
            '\u{200e}',
            '\u{200f}',
            '\u{061c}',
            '\u{2028}',
            '\u{2029}',
        ] {
            assert_eq!(class(c), CharClass::Invisible, "U+{:04X}", c as u32);
        }
        assert_eq!(class('\u{1b}'), CharClass::Control);
        // "Safe" and tag characters spelling "ignore": shown as escapes, not
        // as a word that looks like "Safe".
        let tagged: String = "Safe"
            .chars()
            .chain(
                "ignore"
                    .chars()
                    .map(|c| char::from_u32(0xe0000 + c as u32).unwrap()),
            )
            .collect();
        assert_eq!(
            escape(&tagged),
            "Safe\\u{e0069}\\u{e0067}\\u{e006e}\\u{e006f}\\u{e0072}\\u{e0065}"
        );
    }

    /// Any character, weighted towards the ranges the rule is about.
    fn tricky_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            any::<char>(),
            (0x0u32..0x100).prop_filter_map("char", char::from_u32),
            (0x2000u32..0x2070).prop_filter_map("char", char::from_u32),
            (0xfe00u32..0xff00).prop_filter_map("char", char::from_u32),
            (0xe0000u32..0xe1000).prop_filter_map("char", char::from_u32),
            proptest::sample::select(vec![
                '\u{061c}',
                '\u{115f}',
                '\u{1160}',
                '\u{17b4}',
                '\u{180e}',
                '\u{3164}',
                '\u{ffa0}',
                '\u{1bca0}',
                '\u{1d173}',
                '\u{034f}',
                'a',
                ' ',
                '\n',
                '\t',
            ]),
        ]
    }

    #[test]
    fn the_quick_answer_below_a0_is_the_properties_answer() {
        for c in '\0'..'\u{a0}' {
            assert_eq!(class(c), by_property(c), "{:?}", c);
        }
    }

    proptest::proptest! {
        /// Nothing invisible reaches the terminal raw: after `escape`, only
        /// text that shows (and the joiners) is left, and each character
        /// that is not is there as its own visible escape.
        #[test]
        fn nothing_invisible_reaches_the_terminal_raw(
            chars in proptest::collection::vec(tricky_char(), 0..40)
        ) {
            let text: String = chars.iter().collect();
            let shown = escape(&text);
            proptest::prop_assert!(shown.chars().all(|c| class(c) == CharClass::Text));
            for c in chars.iter().filter(|&&c| class(c) != CharClass::Text) {
                let n = *c as u32;
                let written = if n < 0x80 { format!("\\x{n:02x}") } else { format!("\\u{{{n:x}}}") };
                proptest::prop_assert!(shown.contains(&written), "{written} missing from {shown:?}");
            }
            if chars.iter().all(|&c| class(c) == CharClass::Text) {
                proptest::prop_assert_eq!(shown.as_ref(), text.as_str());
            }
            proptest::prop_assert!(!one_line(&text).chars().any(|c| c == '\n' || class(c) != CharClass::Text));
            proptest::prop_assert!(!for_screen(&text).contains('\t'));
        }
    }

    #[test]
    fn nothing_forbidden_survives() {
        let all: String = (0u32..0x200).filter_map(char::from_u32).collect();
        assert!(!escape(&all).chars().any(is_forbidden));
        assert!(!for_screen(&all).contains('\t'));
        assert!(!one_line(&all).contains('\n'));
    }
}
