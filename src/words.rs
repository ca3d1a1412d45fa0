//! How numbers read in the lines people see: "1 card", "2 cards". One place,
//! so plurals do not drift between the plain lines and the full screen.

/// `n thing` or `n things`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `text` as paragraphs to be reflowed: a blank line ends a paragraph, and
/// the lines within one are joined with a space, so the hard line breaks of
/// a protocol file (written to read well in an editor) never show on a
/// screen or a terminal of another width.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{count, paragraphs};

    #[test]
    fn lines_join_into_paragraphs_and_blank_lines_part_them() {
        assert_eq!(
            paragraphs("One line\n  and the next.\n\n\nA second\nparagraph.\n"),
            ["One line and the next.", "A second paragraph."]
        );
        assert!(paragraphs(" \n\n").is_empty());
    }

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(0, "card", "cards"), "0 cards");
        assert_eq!(count(1, "card", "cards"), "1 card");
        assert_eq!(count(2, "response", "responses"), "2 responses");
    }
}
