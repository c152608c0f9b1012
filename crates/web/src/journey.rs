//! A case's timeline drawn as a journey: its events in order along a line, the stage each
//! belongs to as a band behind them, the borders crossed, and the actors at each event.
//! SVG drawn on the server, so it shows without script and prints.

use delimit_case::derive::{Stage, journey};
use delimit_case::timeline::{TimelineCase, When};
use delimit_i18n::Localizer;
use std::fmt::Write;

const STEP: usize = 150;
const MARGIN: usize = 40;
const LINE_Y: usize = 90;
const HEIGHT: usize = 210;

/// Text made safe for SVG markup, as the templates escape it.
fn escape(text: &str) -> String {
    minijinja::HtmlEscape(text).to_string()
}

/// The message that names a stage.
pub fn stage_key(stage: Stage) -> &'static str {
    match stage {
        Stage::Recruitment => "stage-recruitment",
        Stage::Transit => "stage-transit",
        Stage::Destination => "stage-destination",
        Stage::Exit => "stage-exit",
    }
}

fn stage_fill(stage: Stage) -> &'static str {
    match stage {
        Stage::Recruitment => "#e8f0fa",
        Stage::Transit => "#fdf3e1",
        Stage::Destination => "#fbe9e9",
        Stage::Exit => "#e9f5ec",
    }
}

/// One line for an event in the viewer's language: when, what, where.
pub fn event_line(e: &delimit_case::timeline::Event, t: &Localizer) -> String {
    let kind = serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let what = t.text(&format!("event-{}", kind.replace('_', "-")), &[]);
    let place = match (&e.from, &e.to, &e.place) {
        (Some(from), Some(to), _) => format!(" {from} → {to}"),
        (_, _, Some(p)) => format!(" ({})", p.country),
        _ => String::new(),
    };
    format!("{} {what}{place}", when(&e.date))
}

fn when(date: &When) -> String {
    match date {
        When::Exact(d) => d.to_string(),
        When::Range { from, to } => format!("{from}…{to}"),
        When::Unknown => "?".to_owned(),
    }
}

/// The SVG of the journey of the case's first person (every event, in the case's order).
pub fn journey_svg(case: &TimelineCase, t: &Localizer) -> String {
    let events = &case.events;
    // Nothing to draw where the case tells no journey (a case made from an interview).
    if events
        .iter()
        .all(|e| e.kind == delimit_case::timeline::EventKind::Identification)
    {
        return String::new();
    }
    let stages = case
        .persons
        .first()
        .map(|p| journey(case, &p.id).stages)
        .unwrap_or_default();
    let width = MARGIN * 2 + STEP * events.len().saturating_sub(1) + 80;
    let title = t.text("case-journey", &[]);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}" role="img" aria-labelledby="journey-title"><title id="journey-title">{}</title>"#,
        escape(&title)
    );
    let x = |i: usize| MARGIN + 40 + i * STEP;
    // Stage bands: a run of events of the same stage shares one band, labelled once.
    let mut i = 0;
    while i < events.len() {
        let stage = stages.get(i).copied().flatten();
        let mut j = i;
        while j + 1 < events.len() && stages.get(j + 1).copied().flatten() == stage {
            j += 1;
        }
        // A stage is drawn where the journey's own events put it; an identification alone (an
        // interview, say) belongs to no stage of a journey the case does not tell.
        let told = events[i..=j]
            .iter()
            .any(|e| e.kind != delimit_case::timeline::EventKind::Identification);
        if let Some(stage) = stage.filter(|_| told) {
            let left = x(i) - STEP / 2 + 5;
            let band = (j - i + 1) * STEP - 10;
            let _ = write!(
                svg,
                r##"<rect x="{left}" y="8" width="{band}" height="{}" fill="{}" rx="6"/><text x="{}" y="26" font-size="13" font-weight="600" fill="#1b1f24">{}</text>"##,
                HEIGHT - 16,
                stage_fill(stage),
                left + 8,
                escape(&t.text(stage_key(stage), &[]))
            );
        }
        i = j + 1;
    }
    let _ = write!(
        svg,
        r##"<line x1="{}" y1="{LINE_Y}" x2="{}" y2="{LINE_Y}" stroke="#4a5560" stroke-width="2"/>"##,
        x(0),
        x(events.len() - 1)
    );
    for (i, e) in events.iter().enumerate() {
        let cx = x(i);
        // A crossing from one state into another: the border, dashed, with the two codes.
        if let (Some(from), Some(to)) = (&e.from, &e.to)
            && from != to
        {
            let _ = write!(
                svg,
                r##"<line x1="{cx}" y1="38" x2="{cx}" y2="{}" stroke="#8a1c1c" stroke-width="2" stroke-dasharray="5 4"/><text x="{cx}" y="52" font-size="12" text-anchor="middle" fill="#8a1c1c">{} → {}</text>"##,
                HEIGHT - 12,
                escape(from),
                escape(to)
            );
        }
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let label = t.text(&format!("event-{}", kind.replace('_', "-")), &[]);
        // (the same words as `event_line`, drawn on three lines)
        let place = e
            .place
            .as_ref()
            .map(|p| p.country.clone())
            .or_else(|| e.to.clone())
            .unwrap_or_default();
        let _ = write!(
            svg,
            r##"<circle cx="{cx}" cy="{LINE_Y}" r="8" fill="#0b5cad"><title>{}</title></circle><text x="{cx}" y="{}" font-size="12" text-anchor="middle" fill="#1b1f24">{}</text><text x="{cx}" y="{}" font-size="13" font-weight="600" text-anchor="middle" fill="#1b1f24">{}</text><text x="{cx}" y="{}" font-size="12" text-anchor="middle" fill="#4a5560">{}</text>"##,
            escape(&e.id),
            LINE_Y - 16,
            escape(&when(&e.date)),
            LINE_Y + 26,
            escape(&label),
            LINE_Y + 44,
            escape(&place)
        );
        for (k, actor) in e.actors.iter().take(3).enumerate() {
            let _ = write!(
                svg,
                r##"<text x="{cx}" y="{}" font-size="11" text-anchor="middle" fill="#4a5560">◆ {}</text>"##,
                LINE_Y + 64 + k * 15,
                escape(actor)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_case_text_is_escaped() {
        assert_eq!(
            escape(r#"<script>"x"&'y'</script>"#),
            "&lt;script&gt;&quot;x&quot;&amp;&#x27;y&#x27;&lt;&#x2f;script&gt;"
        );
    }
}
