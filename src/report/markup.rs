//! Text made safe inside the report's and the printed deck's markup (HTML
//! and its inline SVG), in one place.

/// Text made safe for HTML: the five markup characters escaped, control
/// characters other than newline and tab dropped (they are not allowed in
/// a document, and a note can hold anything).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
