//! The geometry of a horizontal bar chart, computed here from the numbers and drawn as SVG by
//! the `bar_chart` macro of `stats_macros.html`. Each value's label sits on its own line above
//! its bar, so that long names (qualifications, means of control) need no margin and the
//! chart stays readable when a small screen scales it down.
//!
//! A suppressed cell has no count here at all, so nothing drawn can reveal it: its bar is a
//! hatched swatch of fixed width, and the scale is set by the published counts alone.

use serde::Serialize;

/// One value of a table, as the chart needs it.
pub struct Entry<'a> {
    /// The value as the registry writes it (kept in `data-cell` for programs and tests).
    pub value: &'a str,
    /// The value as the reader reads it.
    pub label: &'a str,
    /// `None` when suppressed.
    pub count: Option<i64>,
}

/// How large a chart is drawn: on a table's own page, or among others on the overview.
#[derive(Clone, Copy, Debug)]
pub enum Size {
    Full,
    Compact,
}

/// The measures of a chart, in user units of its viewBox. A full chart has larger type, so
/// that scaled down to a telephone's width its words stay legible.
struct Metrics {
    width: f64,
    font: f64,
}

impl Size {
    fn metrics(self) -> Metrics {
        match self {
            Size::Full => Metrics {
                width: 480.0,
                font: 16.0,
            },
            Size::Compact => Metrics {
                width: 400.0,
                font: 14.0,
            },
        }
    }
}

impl Metrics {
    /// An average advance of a character, Latin or Cyrillic, in common sans-serif faces:
    /// long labels are shortened to what fits (the table under the chart has them whole).
    fn character(&self) -> f64 {
        0.52 * self.font
    }
    fn label_line(&self) -> f64 {
        1.3 * self.font
    }
    fn bar(&self) -> f64 {
        1.15 * self.font
    }
    fn row(&self) -> f64 {
        self.label_line() + BAR_GAP + self.bar() + ROW_GAP
    }
    /// Room right of the longest bar for its count.
    fn count_room(&self) -> f64 {
        4.5 * self.font
    }
}

const BAR_GAP: f64 = 2.0;
const ROW_GAP: f64 = 12.0;
const MARGIN: f64 = 4.0;
/// The fixed width of a suppressed cell's swatch: never a length that could be read.
const SWATCH: f64 = 28.0;

/// A chart ready to draw.
#[derive(Debug, Serialize)]
pub struct BarChart {
    /// Unique on the page: the prefix of the ids of the title, the description, the hatching.
    pub id: String,
    pub width: f64,
    pub height: f64,
    pub font: f64,
    pub title: String,
    pub desc: String,
    pub swatch: f64,
    /// Where the word for a suppressed cell starts.
    pub suppressed_x: f64,
    pub suppressed_label: String,
    pub bars: Vec<Bar>,
}

/// One row of the chart: the label line and the bar under it.
#[derive(Debug, Serialize)]
pub struct Bar {
    pub value: String,
    /// The label, shortened with an ellipsis when it would not fit.
    pub label: String,
    /// The whole label when `label` was shortened (shown as the row's tooltip).
    pub full_label: Option<String>,
    pub count: Option<i64>,
    pub label_y: f64,
    pub bar_y: f64,
    pub bar_height: f64,
    pub length: f64,
    pub count_x: f64,
    pub count_y: f64,
}

/// A tenth of a unit is finer than any screen shows; shorter numbers keep the markup small.
fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `label`, cut to at most `room` characters with an ellipsis, and whether it was cut.
fn fit(label: &str, room: usize) -> (String, bool) {
    if label.chars().count() <= room {
        return (label.to_owned(), false);
    }
    let kept: String = label.chars().take(room.saturating_sub(1)).collect();
    (format!("{}…", kept.trim_end()), true)
}

/// Lays out `entries` as horizontal bars scaled to the largest published count.
pub fn bar_chart(
    id: &str,
    title: String,
    desc: String,
    suppressed_label: String,
    entries: &[Entry<'_>],
    size: Size,
) -> BarChart {
    let m = size.metrics();
    let longest = m.width - m.count_room();
    let largest = entries.iter().filter_map(|e| e.count).max().unwrap_or(0);
    let room = (m.width / m.character()).floor() as usize;
    let bars = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let top = MARGIN + i as f64 * m.row();
            let bar_y = top + m.label_line() + BAR_GAP;
            let length = match e.count {
                // A count above zero always shows at least a sliver.
                Some(n) if largest > 0 && n > 0 => (n as f64 / largest as f64 * longest).max(2.0),
                _ => 0.0,
            };
            let (label, shortened) = fit(e.label, room);
            Bar {
                value: e.value.to_owned(),
                label,
                full_label: shortened.then(|| e.label.to_owned()),
                count: e.count,
                label_y: round(top + m.font),
                bar_y: round(bar_y),
                bar_height: round(m.bar()),
                length: round(length),
                count_x: round(length + 6.0),
                count_y: round(bar_y + 0.8 * m.bar()),
            }
        })
        .collect::<Vec<_>>();
    let height = if bars.is_empty() {
        0.0
    } else {
        2.0 * MARGIN + bars.len() as f64 * m.row() - ROW_GAP
    };
    BarChart {
        id: id.to_owned(),
        width: m.width,
        height: round(height),
        font: m.font,
        title,
        desc,
        swatch: SWATCH,
        suppressed_x: SWATCH + 8.0,
        suppressed_label,
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(entries: &[Entry<'_>]) -> BarChart {
        bar_chart("c", "t".into(), "d".into(), "s".into(), entries, Size::Full)
    }

    #[test]
    fn bars_scale_to_the_largest_published_count() {
        let c = chart(&[
            Entry {
                value: "a",
                label: "A",
                count: Some(40),
            },
            Entry {
                value: "b",
                label: "B",
                count: Some(20),
            },
            Entry {
                value: "c",
                label: "C",
                count: None,
            },
        ]);
        let m = Size::Full.metrics();
        assert_eq!(c.bars[0].length, m.width - m.count_room());
        assert_eq!(c.bars[1].length * 2.0, c.bars[0].length);
        // A suppressed cell draws no length and carries no count.
        assert_eq!((c.bars[2].length, c.bars[2].count), (0.0, None));
        assert!(c.bars[1].bar_y > c.bars[0].bar_y);
        assert!(c.height >= c.bars[2].bar_y + c.bars[2].bar_height);
    }

    #[test]
    fn long_labels_are_shortened_and_kept_whole_as_a_tooltip() {
        let long = "Trafficking in persons, Tajik Criminal Code art. 130¹, with a much longer tail than fits";
        let c = bar_chart(
            "c",
            "t".into(),
            "d".into(),
            "s".into(),
            &[Entry {
                value: "x",
                label: long,
                count: Some(1),
            }],
            Size::Compact,
        );
        let bar = &c.bars[0];
        assert!(bar.label.ends_with('…'));
        let m = Size::Compact.metrics();
        assert!(bar.label.chars().count() as f64 * m.character() <= m.width);
        assert_eq!(bar.full_label.as_deref(), Some(long));
        assert_eq!(fit("short", 10), ("short".to_owned(), false));
    }

    #[test]
    fn an_empty_table_draws_nothing() {
        let c = chart(&[]);
        assert!(c.bars.is_empty());
        assert_eq!(c.height, 0.0);
    }
}
