//! Callouts: GitHub's alert syntax (`> [!WARNING] Title`) turned into marked-up notes.
//!
//! A blockquote whose first line is `[!KIND]`, optionally followed by a title, becomes
//! `<div class="callout callout-KIND" data-callout="KIND" role="note">` with a title paragraph
//! and then the quote's content. A `div` with `role="note"`, not an `aside`: an `aside` inside
//! `<main>` is a landmark of its own, which a page of several callouts would be cluttered with.
//!
//! The markup this pass writes comes back as [`Piece::Markup`], apart from the page's events, so
//! that the raw-HTML policy (which escapes or sanitizes the HTML a writer typed) never applies
//! to it. Everything inside a callout stays an event, so citations, internal links, lists and
//! code in it are handled as they are anywhere else.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Origin, escape_text};
use crate::diagnostics::{Code, Diagnostic, closest};

/// A parser event with its byte range in the markdown body.
type Spanned<'e> = (Event<'e>, Range<usize>);

/// A stretch of the page: the writer's events, or HTML this pass wrote.
#[derive(Debug)]
pub enum Piece<'e> {
    Events(Vec<Spanned<'e>>),
    Markup(String),
}

/// The kinds of callout: GitHub's five and two of Signpost's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
    /// An emergency: what to do now.
    Urgent,
    /// A quiet aside, like NHS.UK's inset text. It has no visible label unless given a title.
    Inset,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Note,
        Kind::Tip,
        Kind::Important,
        Kind::Warning,
        Kind::Caution,
        Kind::Urgent,
        Kind::Inset,
    ];

    /// The marker as written in `[!NOTE]`; any case is accepted.
    pub fn marker(self) -> &'static str {
        match self {
            Kind::Note => "NOTE",
            Kind::Tip => "TIP",
            Kind::Important => "IMPORTANT",
            Kind::Warning => "WARNING",
            Kind::Caution => "CAUTION",
            Kind::Urgent => "URGENT",
            Kind::Inset => "INSET",
        }
    }

    /// The name in the class and `data-callout`: "warning".
    pub fn name(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Tip => "tip",
            Kind::Important => "important",
            Kind::Warning => "warning",
            Kind::Caution => "caution",
            Kind::Urgent => "urgent",
            Kind::Inset => "inset",
        }
    }

    /// What the callout is called to a reader: its title when it has none of its own, and
    /// otherwise spoken (not shown) before that title. An inset's is never shown, as NHS.UK's
    /// inset text says "Information: " only to screen readers.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Note => "Note",
            Kind::Tip => "Tip",
            Kind::Important => "Important",
            Kind::Warning => "Warning",
            Kind::Caution => "Caution",
            Kind::Urgent => "Urgent",
            Kind::Inset => "Information",
        }
    }

    fn from_marker(marker: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.marker().eq_ignore_ascii_case(marker))
    }
}

/// The body's events in pieces, with every callout blockquote turned into a callout; other
/// events pass through unchanged. Offsets are into `origin`'s body. A marker of an unknown
/// kind (`> [!DANGERR]`) is an error, and its blockquote stays a blockquote.
pub fn callouts<'e>(
    events: Vec<Spanned<'e>>,
    origin: &Origin<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Piece<'e>> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::BlockQuote(_))))
    {
        return vec![Piece::Events(events)];
    }
    let body = origin.body();
    let mut out = Pieces::default();
    // For each open blockquote, whether it became a callout.
    let mut open: Vec<bool> = Vec::new();
    let mut events = events.into_iter().peekable();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                let first_line = match events.peek() {
                    Some((Event::Start(Tag::Paragraph), paragraph)) => marker(body, paragraph),
                    _ => None,
                };
                match first_line {
                    Some(Marker::Known(line)) => {
                        open.push(true);
                        callout_start(line, &mut events, body, &mut out);
                    }
                    Some(Marker::Unknown { name, offset }) => {
                        diagnostics.push(unknown_kind(origin, name, offset));
                        open.push(false);
                        out.event(event, range);
                    }
                    None => {
                        open.push(false);
                        out.event(event, range);
                    }
                }
            }
            Event::End(TagEnd::BlockQuote(_)) if open.pop() == Some(true) => out.markup("</div>\n"),
            event => out.event(event, range),
        }
    }
    out.finish()
}

/// The pieces made so far and the run of events not yet closed into one.
#[derive(Default)]
struct Pieces<'e> {
    done: Vec<Piece<'e>>,
    run: Vec<Spanned<'e>>,
}

impl<'e> Pieces<'e> {
    fn event(&mut self, event: Event<'e>, range: Range<usize>) {
        self.run.push((event, range));
    }

    fn markup(&mut self, html: &str) {
        if !self.run.is_empty() {
            self.done.push(Piece::Events(std::mem::take(&mut self.run)));
        }
        match self.done.last_mut() {
            Some(Piece::Markup(last)) => last.push_str(html),
            _ => self.done.push(Piece::Markup(html.to_string())),
        }
    }

    fn finish(mut self) -> Vec<Piece<'e>> {
        if !self.run.is_empty() {
            self.done.push(Piece::Events(self.run));
        }
        self.done
    }
}

/// The first line of a blockquote's first paragraph, when it starts with a marker.
#[derive(Debug, PartialEq, Eq)]
enum Marker<'b> {
    Known(MarkerLine),
    /// `[!` + letters + `]` naming no kind; `offset` is the `[` in the body.
    Unknown {
        name: &'b str,
        offset: usize,
    },
}

/// Where a known marker and the line it is on end, in the body.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct MarkerLine {
    kind: Kind,
    marker_end: usize,
    line_end: usize,
}

/// Reads the marker from the source, not from the events: the parser splits `[!WARNING]` into
/// several text events. A marker is `[!`, letters and `]`, then the end of the line or a space
/// and a title; `\[!NOTE]` or `[!NOTE]x` is text.
fn marker<'b>(body: &'b str, paragraph: &Range<usize>) -> Option<Marker<'b>> {
    let text = body.get(paragraph.clone())?;
    let line = text.split('\n').next().unwrap_or(text);
    let rest = line.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let name = &rest[..close];
    let after = &rest[close + 1..];
    if name.is_empty()
        || !name.bytes().all(|b| b.is_ascii_alphabetic())
        || after.chars().next().is_some_and(|c| !c.is_whitespace())
    {
        return None;
    }
    Some(match Kind::from_marker(name) {
        Some(kind) => Marker::Known(MarkerLine {
            kind,
            marker_end: paragraph.start + "[!".len() + close + "]".len(),
            line_end: paragraph.start + line.len(),
        }),
        None => Marker::Unknown {
            name,
            offset: paragraph.start,
        },
    })
}

/// Writes a callout's opening markup and its first paragraph without the marker line, taking
/// that paragraph from `events` (whose next event starts it).
fn callout_start<'e>(
    line: MarkerLine,
    events: &mut impl Iterator<Item = Spanned<'e>>,
    body: &str,
    out: &mut Pieces<'e>,
) {
    let Some(paragraph_start) = events.next() else {
        return;
    };
    let mut title = String::new();
    let mut rest = Vec::new();
    for (event, range) in events.by_ref() {
        if matches!(event, Event::End(TagEnd::Paragraph)) {
            rest.push((event, range));
            break;
        }
        // Events that start on the marker line (an emphasis opened there is closed by an end
        // event with the same range) and the line break after it.
        let on_marker_line = range.start < line.line_end
            || (range.start == line.line_end && matches!(event, Event::SoftBreak | Event::HardBreak));
        if on_marker_line {
            title_text(&event, &range, body, line.marker_end, &mut title);
        } else {
            rest.push((event, range));
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    out.markup(&opening(line.kind, &title));
    // Only the end tag left: the marker line was the whole paragraph.
    if rest.len() > 1 {
        out.event(paragraph_start.0, paragraph_start.1);
        for (event, range) in rest {
            out.event(event, range);
        }
    }
}

/// Adds to `title` the text of an event on the marker line after the marker. A title is plain
/// text: emphasis, links and HTML tags in it are dropped and their text kept. The event's own
/// text is used (smart punctuation, entities and escapes already applied); an event holding
/// the marker's end too is cut where the marker ends.
fn title_text(event: &Event<'_>, range: &Range<usize>, body: &str, marker_end: usize, title: &mut String) {
    let (Event::Text(text) | Event::Code(text)) = event else {
        return;
    };
    if range.end <= marker_end {
        return;
    }
    if range.start >= marker_end {
        title.push_str(text);
        return;
    }
    let cut = marker_end - range.start;
    let source_before = body.get(range.start..marker_end);
    match text.get(..cut) {
        Some(before) if Some(before) == source_before => title.push_str(&text[cut..]),
        _ => title.push_str(body.get(marker_end..range.end).unwrap_or("")),
    }
}

/// The callout's opening tag and its title paragraph. With a title of its own, the kind's
/// label is still spoken first ("Warning: Stopping drinking suddenly"), so that a screen
/// reader says what kind of callout it is.
fn opening(kind: Kind, title: &str) -> String {
    let name = kind.name();
    let label = kind.label();
    let heading = if !title.is_empty() {
        format!(
            "<p class=\"callout-title\"><span class=\"visually-hidden\">{label}: </span>{}</p>",
            escape_text(title)
        )
    } else if kind == Kind::Inset {
        format!("<p class=\"callout-title visually-hidden\">{label}</p>")
    } else {
        format!("<p class=\"callout-title\">{label}</p>")
    };
    format!("<div class=\"callout callout-{name}\" data-callout=\"{name}\" role=\"note\">\n{heading}\n")
}

fn unknown_kind(origin: &Origin<'_>, name: &str, offset: usize) -> Diagnostic {
    let markers = Kind::ALL.map(Kind::marker);
    let hint = match closest(name, markers) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("callout kinds are {}, in any case", markers.join(", ")),
    };
    Diagnostic::error(origin.file, format!("unknown callout kind `{name}`"))
        .code(Code::UnknownCalloutKind)
        .at(origin.text, origin.body_start + offset)
        .with_hint(hint)
}

/// A page's HTML split after the URGENT callout it begins with: (that callout, the rest), or
/// ("", the whole page) when it begins with none. Templates show the first part right after
/// the page's heading, before any summary or facts, so an emergency is read first.
///
/// The callout ends at the `</div>` that closes its opening tag. Every `<` in text is written
/// as `&lt;`, and the HTML inside is markdown's own or sanitized (so its elements are closed);
/// when it does not balance (trusted raw HTML), nothing is split off and no text is lost.
pub fn split_leading_urgent(html: &str) -> (&str, &str) {
    const URGENT: &str = "<div class=\"callout callout-urgent\"";
    // A snippet that opens with an urgent callout (one a rule puts at the top of the page)
    // leads the page just as the page's own would.
    let in_snippet = html.starts_with("<div class=\"snippet\"")
        && html.split_once('\n').is_some_and(|(_, rest)| rest.starts_with(URGENT));
    if !html.starts_with(URGENT) && !in_snippet {
        return ("", html);
    }
    let mut depth = 0usize;
    for at in memchr::memchr_iter(b'<', html.as_bytes()) {
        let tag = &html[at..];
        if tag.starts_with("</div>") {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                let mut end = at + "</div>".len();
                if html[end..].starts_with('\n') {
                    end += 1;
                }
                return html.split_at(end);
            }
        } else if tag.starts_with("<div") && tag[4..].starts_with([' ', '>', '\n', '\t', '/']) {
            depth += 1;
        }
    }
    ("", html)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::markdown::tests::config;
    use crate::markdown::{Highlighter, Rendered, render};

    /// `text` rendered as a page whose body starts at `body_start`, with `extra` in site.toml.
    fn render_page(text: &str, body_start: usize, extra: &str) -> Rendered {
        render(
            text,
            body_start,
            Path::new("content/a.md"),
            &config(extra),
            &Highlighter::new("InspiredGitHub"),
        )
    }

    /// The HTML of `markdown`, which must render without a problem.
    fn html(markdown: &str) -> String {
        let rendered = render_page(markdown, 0, "");
        assert_eq!(rendered.diagnostics, [], "problems rendering {markdown:?}");
        rendered.html
    }

    fn check(markdown: &str, expected: &str) {
        assert_eq!(html(markdown), expected, "HTML of {markdown:?}");
    }

    #[test]
    fn every_kind_has_its_class_data_attribute_role_and_title() {
        for kind in Kind::ALL {
            let (marker, name, label) = (kind.marker(), kind.name(), kind.label());
            let title = if kind == Kind::Inset {
                "<p class=\"callout-title visually-hidden\">Information</p>".to_string()
            } else {
                format!("<p class=\"callout-title\">{label}</p>")
            };
            check(
                &format!("> [!{marker}]\n> Body text.\n"),
                &format!(
                    "<div class=\"callout callout-{name}\" data-callout=\"{name}\" role=\"note\">\n{title}\n<p>Body text.</p>\n</div>\n"
                ),
            );
        }
        let labels = Kind::ALL.map(Kind::label);
        assert_eq!(
            labels,
            [
                "Note",
                "Tip",
                "Important",
                "Warning",
                "Caution",
                "Urgent",
                "Information"
            ]
        );
    }

    #[test]
    fn a_title_on_the_marker_line_is_shown_after_the_spoken_kind() {
        check(
            "> [!WARNING] Don't stop drinking \\<suddenly> -- & <b>why</b>\n> It can cause fits.\n",
            "<div class=\"callout callout-warning\" data-callout=\"warning\" role=\"note\">\n\
             <p class=\"callout-title\"><span class=\"visually-hidden\">Warning: </span>Don’t stop drinking &lt;suddenly&gt; – &amp; why</p>\n\
             <p>It can cause fits.</p>\n</div>\n",
        );
        // An inset with a title shows it, and is announced like the others.
        check(
            "> [!INSET] If you are pregnant\n> Tell your keyworker.\n",
            "<div class=\"callout callout-inset\" data-callout=\"inset\" role=\"note\">\n\
             <p class=\"callout-title\"><span class=\"visually-hidden\">Information: </span>If you are pregnant</p>\n\
             <p>Tell your keyworker.</p>\n</div>\n",
        );
        // Formatting in a title is kept as its text; a hard break after it is removed with it.
        check(
            "> [!TIP] Use `naloxone` *now*  \n> Text.\n",
            "<div class=\"callout callout-tip\" data-callout=\"tip\" role=\"note\">\n\
             <p class=\"callout-title\"><span class=\"visually-hidden\">Tip: </span>Use naloxone now</p>\n\
             <p>Text.</p>\n</div>\n",
        );
    }

    #[test]
    fn the_marker_is_read_in_any_case() {
        for marker in ["note", "Note", "nOtE"] {
            let out = html(&format!("> [!{marker}]\n> Text.\n"));
            assert!(
                out.starts_with("<div class=\"callout callout-note\" data-callout=\"note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n"),
                "{marker}: {out}"
            );
        }
    }

    #[test]
    fn a_paragraph_left_empty_by_the_marker_is_dropped() {
        let only_title = "<div class=\"callout callout-tip\" data-callout=\"tip\" role=\"note\">\n<p class=\"callout-title\"><span class=\"visually-hidden\">Tip: </span>Eat first</p>\n";
        check("> [!TIP] Eat first\n", &format!("{only_title}</div>\n"));
        check(
            "> [!TIP] Eat first\n>\n> Then take it.\n",
            &format!("{only_title}<p>Then take it.</p>\n</div>\n"),
        );
        // An emphasis opened on the marker line is removed whole; its text on the next line stays.
        check(
            "> [!NOTE] *a\n> b* c\n",
            "<div class=\"callout callout-note\" data-callout=\"note\" role=\"note\">\n\
             <p class=\"callout-title\"><span class=\"visually-hidden\">Note: </span>a</p>\n<p>b c</p>\n</div>\n",
        );
    }

    #[test]
    fn a_callout_in_a_list_item_and_a_list_in_a_callout() {
        check(
            "- First\n\n  > [!caution]\n  > - one\n  > - two\n- Second\n",
            "<ul>\n<li>\n<p>First</p>\n\
             <div class=\"callout callout-caution\" data-callout=\"caution\" role=\"note\">\n\
             <p class=\"callout-title\">Caution</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</div>\n\
             </li>\n<li>\n<p>Second</p>\n</li>\n</ul>\n",
        );
    }

    #[test]
    fn citations_and_internal_links_in_a_callout_still_work() {
        let rendered = render_page(
            "Before [@frank].\n\n> [!IMPORTANT]\n> See [the dose](@/t/m.md#dose) [@frank].\n",
            0,
            "",
        );
        assert_eq!(rendered.diagnostics, []);
        assert_eq!(rendered.citations, ["frank"]);
        assert_eq!(rendered.links.len(), 1);
        assert_eq!(rendered.links[0].target, "t/m.md");
        assert!(
            rendered.html.contains(
                "<p class=\"callout-title\">Important</p>\n<p>See <a href=\"@link:0\">the dose</a> \
                 <sup class=\"citation\">[<a href=\"#ref-1\">1</a>]</sup>.</p>\n</div>\n"
            ),
            "{}",
            rendered.html
        );
        // An unknown source in a callout is reported where it is written.
        let bad = render_page("> [!NOTE]\n> Text [@nope].\n", 0, "");
        assert_eq!(bad.diagnostics.len(), 1);
        assert_eq!(bad.diagnostics[0].code, Code::UnknownSource);
        assert_eq!(
            bad.diagnostics[0].location.as_ref().map(|l| (l.line, l.column)),
            Some((2, 8))
        );
    }

    #[test]
    fn callouts_and_blockquotes_nest() {
        check(
            "> [!URGENT]\n> Call 999.\n>\n> > [!TIP]\n> > Stay with them.\n>\n> > Said a nurse.\n",
            "<div class=\"callout callout-urgent\" data-callout=\"urgent\" role=\"note\">\n\
             <p class=\"callout-title\">Urgent</p>\n<p>Call 999.</p>\n\
             <div class=\"callout callout-tip\" data-callout=\"tip\" role=\"note\">\n\
             <p class=\"callout-title\">Tip</p>\n<p>Stay with them.</p>\n</div>\n\
             <blockquote>\n<p>Said a nurse.</p>\n</blockquote>\n</div>\n",
        );
        check(
            "> Quoted.\n>\n> > [!NOTE]\n> > Inside.\n",
            "<blockquote>\n<p>Quoted.</p>\n\
             <div class=\"callout callout-note\" data-callout=\"note\" role=\"note\">\n\
             <p class=\"callout-title\">Note</p>\n<p>Inside.</p>\n</div>\n</blockquote>\n",
        );
    }

    #[test]
    fn an_unknown_kind_is_an_error_at_the_marker_and_stays_a_quote() {
        let text = "+++\ntitle = \"A\"\n+++\n\nIntro.\n\n- Item\n\n  > [!Warnnig] Careful\n  > Text.\n";
        let rendered = render_page(text, text.find("\nIntro").unwrap_or(0), "");
        assert_eq!(rendered.diagnostics.len(), 1, "{:?}", rendered.diagnostics);
        let problem = &rendered.diagnostics[0];
        assert_eq!(problem.code, Code::UnknownCalloutKind);
        assert_eq!(problem.code.id(), "SP070");
        assert_eq!(problem.file, Path::new("content/a.md"));
        assert_eq!(problem.message, "unknown callout kind `Warnnig`");
        assert_eq!(problem.hint.as_deref(), Some("did you mean `WARNING`?"));
        let location = problem
            .location
            .as_ref()
            .map(|l| (l.line, l.column, l.line_text.as_str()));
        assert_eq!(location, Some((9, 5, "  > [!Warnnig] Careful")));
        assert!(
            rendered
                .html
                .contains("<blockquote>\n<p>[!Warnnig] Careful\nText.</p>\n</blockquote>"),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("callout"));

        // Nothing near: the hint lists the kinds.
        let far = render_page("> [!ZZZ]\n", 0, "");
        assert_eq!(
            far.diagnostics[0].hint.as_deref(),
            Some("callout kinds are NOTE, TIP, IMPORTANT, WARNING, CAUTION, URGENT, INSET, in any case")
        );
    }

    #[test]
    fn quotes_without_a_marker_at_their_start_are_untouched() {
        for markdown in [
            "> A plain quote.\n",
            "> Some text [!NOTE] here.\n",
            "> First paragraph.\n>\n> [!NOTE]\n> Second.\n",
            "> \\[!NOTE] escaped\n",
            "> [!NOTE]: not a marker\n",
            "> [! NOTE]\n",
            "> [!NOTE2]\n",
            "> # [!NOTE]\n",
            "[!NOTE] outside a quote\n",
        ] {
            let plain = html(markdown);
            assert!(!plain.contains("callout"), "{markdown:?} became a callout: {plain}");
        }
        check(
            "> A plain quote.\n",
            "<blockquote>\n<p>A plain quote.</p>\n</blockquote>\n",
        );
    }

    #[test]
    fn raw_html_on_the_page_keeps_the_callout_through_the_sanitizer() {
        let markdown = "> [!WARNING] Mixing\n> <span onclick=\"x()\">Alcohol</span> and <b>opioids</b>.\n\n<script>alert(1)</script>\n";
        let rendered = render_page(markdown, 0, "");
        let removed: Vec<_> = rendered.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(removed, [Code::HtmlRemoved, Code::HtmlRemoved]);
        let out = rendered.html;
        assert!(!out.contains("onclick") && !out.contains("<script"), "{out}");
        assert!(
            out.starts_with(
                "<div class=\"callout callout-warning\" data-callout=\"warning\" role=\"note\">\n\
                 <p class=\"callout-title\"><span class=\"visually-hidden\">Warning: </span>Mixing</p>\n\
                 <p><span>Alcohol</span> and <b>opioids</b>.</p>\n</div>\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn callout_markup_is_never_escaped_as_raw_html() {
        let rendered = render_page(
            "> [!URGENT]\n> Call 999. <b>now</b>\n",
            0,
            "[markdown]\nraw_html = \"escape\"\n",
        );
        assert_eq!(
            rendered.html,
            "<div class=\"callout callout-urgent\" data-callout=\"urgent\" role=\"note\">\n\
             <p class=\"callout-title\">Urgent</p>\n<p>Call 999. &lt;b&gt;now&lt;/b&gt;</p>\n</div>\n"
        );
    }

    #[test]
    fn a_leading_urgent_callout_is_split_off() {
        let markdown = "> [!URGENT] If they will not wake\n> Call 999.\n>\n> | a |\n> |---|\n> | b |\n\nThe rest.\n";
        let out = html(markdown);
        let (urgent, rest) = split_leading_urgent(&out);
        assert!(urgent.starts_with("<div class=\"callout callout-urgent\""), "{urgent}");
        assert!(urgent.ends_with("</table></div>\n</div>\n"), "{urgent}");
        assert_eq!(rest, "<p>The rest.</p>\n");

        // With the sanitizer run over it, and with a callout nested inside.
        let out = html("> [!URGENT]\n> > [!NOTE]\n> > Inner.\n>\n> Call.\n\n<b>x</b>\n");
        let (urgent, rest) = split_leading_urgent(&out);
        assert!(urgent.ends_with("<p>Call.</p>\n</div>\n"), "{urgent}");
        assert_eq!(rest, "<p><b>x</b></p>\n");

        for markdown in ["Intro.\n\n> [!URGENT]\n> Call.\n", "> [!WARNING]\n> Text.\n", "Text.\n"] {
            let out = html(markdown);
            assert_eq!(split_leading_urgent(&out), ("", out.as_str()), "{markdown:?}");
        }
        // A snippet a rule puts first, when it opens with an urgent callout, leads too.
        let placed = format!(
            "<div class=\"snippet\" data-snippet=\"overdose\">\n{}</div>\n<p>Page.</p>\n",
            html("> [!URGENT]\n> Call 999.\n")
        );
        let (urgent, rest) = split_leading_urgent(&placed);
        assert!(
            urgent.starts_with("<div class=\"snippet\"") && urgent.ends_with("</div>\n</div>\n"),
            "{urgent}"
        );
        assert_eq!(rest, "<p>Page.</p>\n");
        let warning = format!(
            "<div class=\"snippet\" data-snippet=\"w\">\n{}</div>\n",
            html("> [!WARNING]\n> Careful.\n")
        );
        assert_eq!(split_leading_urgent(&warning), ("", warning.as_str()));
        // Unbalanced HTML (only possible with trusted raw HTML) splits nothing off.
        let broken = "<div class=\"callout callout-urgent\" data-callout=\"urgent\" role=\"note\">\n<div>\n</div>\n";
        assert_eq!(split_leading_urgent(broken), ("", broken));
    }
}
