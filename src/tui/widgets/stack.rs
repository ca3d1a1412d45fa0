//! Cutting an area into rows (or columns) of fixed size and one part that
//! takes the rest, the shape nearly every view is made of, without
//! ratatui's constraint solver: solving the walk's five layouts was a third
//! of the work of its first frame. The result is what ratatui's `Layout`
//! gives for the same `Length` and `Min` constraints (a property test
//! holds the two together), and where the fixed parts do not fit, `Layout`
//! itself decides how they give way.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// One part of a [`stack`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// So many rows (or columns): `Constraint::Length`.
    Fixed(u16),
    /// What the fixed parts leave: `Constraint::Min(0)`.
    Rest,
    /// What the fixed parts leave, and no fewer than so many:
    /// `Constraint::Min`.
    AtLeast(u16),
}

impl Part {
    fn constraint(self) -> Constraint {
        match self {
            Part::Fixed(n) => Constraint::Length(n),
            Part::Rest => Constraint::Min(0),
            Part::AtLeast(n) => Constraint::Min(n),
        }
    }

    /// What the part needs at least, and whether it takes the rest.
    fn need(self) -> (u32, bool) {
        match self {
            Part::Fixed(n) => (u32::from(n), false),
            Part::Rest => (0, true),
            Part::AtLeast(n) => (u32::from(n), true),
        }
    }
}

/// `area` cut into `parts`, top to bottom ([`Direction::Vertical`]) or left
/// to right. Worked out directly when the fixed parts fit exactly, or fit
/// beside one part that takes the rest (with its least); otherwise
/// ratatui's `Layout` cuts it.
pub(crate) fn stack<const N: usize>(
    area: Rect,
    direction: Direction,
    parts: [Part; N],
) -> [Rect; N] {
    let room = u32::from(match direction {
        Direction::Vertical => area.height,
        Direction::Horizontal => area.width,
    });
    let needed: u32 = parts.iter().map(|part| part.need().0).sum();
    let rests = parts.iter().filter(|part| part.need().1).count();
    let direct = match rests {
        0 => needed == room,
        1 => needed <= room,
        _ => false,
    };
    if !direct {
        return Layout::new(direction, parts.map(Part::constraint)).areas(area);
    }
    let fixed: u32 = parts
        .iter()
        .filter_map(|part| match part {
            Part::Fixed(n) => Some(u32::from(*n)),
            _ => None,
        })
        .sum();
    // Fits in a u16: `room` came from one.
    let rest = (room - fixed) as u16;
    let mut at = 0;
    parts.map(|part| {
        let size = match part {
            Part::Fixed(n) => n,
            Part::Rest | Part::AtLeast(_) => rest,
        };
        let cut = match direction {
            Direction::Vertical => Rect {
                y: area.y.saturating_add(at),
                height: size,
                ..area
            },
            Direction::Horizontal => Rect {
                x: area.x.saturating_add(at),
                width: size,
                ..area
            },
        };
        at = at.saturating_add(size);
        cut
    })
}

/// [`stack`] top to bottom.
pub(crate) fn rows<const N: usize>(area: Rect, parts: [Part; N]) -> [Rect; N] {
    stack(area, Direction::Vertical, parts)
}

/// [`stack`] left to right.
pub(crate) fn columns<const N: usize>(area: Rect, parts: [Part; N]) -> [Rect; N] {
    stack(area, Direction::Horizontal, parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn part() -> impl Strategy<Value = Part> {
        prop_oneof![
            4 => (0u16..40).prop_map(Part::Fixed),
            1 => Just(Part::Rest),
            1 => (0u16..60).prop_map(Part::AtLeast),
        ]
    }

    fn same_as_layout<const N: usize>(area: Rect, direction: Direction, parts: [Part; N]) {
        let ours = stack(area, direction, parts);
        let theirs: [Rect; N] = Layout::new(direction, parts.map(Part::constraint)).areas(area);
        assert_eq!(ours, theirs, "{area:?} {direction:?} {parts:?}");
    }

    proptest! {
        /// Whatever the window and the parts, the cut is ratatui's.
        #[test]
        fn the_cut_is_what_ratatuis_layout_gives(
            x in 0u16..50,
            y in 0u16..50,
            width in 0u16..250,
            height in 0u16..80,
            vertical in any::<bool>(),
            parts in prop::collection::vec(part(), 1..6),
        ) {
            let area = Rect { x, y, width, height };
            let direction = if vertical { Direction::Vertical } else { Direction::Horizontal };
            match parts.as_slice() {
                [a] => same_as_layout(area, direction, [*a]),
                [a, b] => same_as_layout(area, direction, [*a, *b]),
                [a, b, c] => same_as_layout(area, direction, [*a, *b, *c]),
                [a, b, c, d] => same_as_layout(area, direction, [*a, *b, *c, *d]),
                [a, b, c, d, e] => same_as_layout(area, direction, [*a, *b, *c, *d, *e]),
                _ => unreachable!("one to five parts"),
            }
        }
    }

    /// The shapes the walk is drawn with, where they fit: worked out
    /// directly, each part where it should be.
    #[test]
    fn fixed_parts_keep_their_size_and_the_rest_takes_what_is_left() {
        let area = Rect::new(3, 2, 80, 24);
        let [header, status, body, footer] = rows(
            area,
            [Part::Fixed(2), Part::Fixed(1), Part::Rest, Part::Fixed(1)],
        );
        assert_eq!(header, Rect::new(3, 2, 80, 2));
        assert_eq!(status, Rect::new(3, 4, 80, 1));
        assert_eq!(body, Rect::new(3, 5, 80, 20));
        assert_eq!(footer, Rect::new(3, 25, 80, 1));
        let [left, right] = columns(area, [Part::Rest, Part::Fixed(9)]);
        assert_eq!(left, Rect::new(3, 2, 71, 24));
        assert_eq!(right, Rect::new(74, 2, 9, 24));
    }
}
