//! The shipped guidance's safety floor: what a reader in an emergency must find on every page,
//! and the snippets the site's `[[rules]]` promise on the pages they match.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use signpost::config::{Config, Facet, Overrides};
use signpost::content::Content;

/// The shipped site's configuration, content and HTML pages by output path.
struct Shipped {
    config: Config,
    content: Content,
}

fn built() -> &'static (Shipped, BTreeMap<String, String>) {
    static BUILT: OnceLock<(Shipped, BTreeMap<String, String>)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let built = signpost::pipeline::build(root, &Overrides::default(), &|_| {})
            .unwrap_or_else(|d| panic!("the shipped site does not build: {:?}", d.sorted()));
        let pages = built
            .site
            .files
            .into_iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .map(|(path, contents)| (path, String::from_utf8_lossy(&contents.into_bytes()).into_owned()))
            .collect();
        let shipped = Shipped {
            config: built.config,
            content: built.content,
        };
        (shipped, pages)
    })
}

#[test]
fn every_page_shows_the_emergency_line_with_999() {
    let (_, pages) = built();
    assert!(pages.len() > 50);
    for (path, html) in pages {
        let start = html
            .find("<section class=\"emergency\"")
            .unwrap_or_else(|| panic!("{path}: no emergency line"));
        let box_html = &html[start..start + html[start..].find("</section>").expect("the box closes")];
        assert!(box_html.contains("href=\"tel:999\""), "{path}: {box_html}");
        assert!(box_html.contains("999"), "{path}");
    }
}

#[test]
fn every_page_a_rule_matches_carries_its_snippet() {
    let (built, pages) = built();
    for rule in &built.config.rules {
        let mut reached = 0;
        for page in &built.content.pages {
            if !rule.matches(page.dir(), |f| page.meta.facet_values(f)) {
                continue;
            }
            reached += 1;
            let html = &pages[&format!("{}index.html", page.path)];
            assert!(
                html.contains(&format!("data-snippet=\"{}\"", rule.snippet)),
                "{} matches the rule for `{}` but does not show it",
                page.file.display.display(),
                rule.snippet
            );
        }
        assert!(reached > 0, "the rule for `{}` reaches no page", rule.snippet);
    }
}

#[test]
fn every_page_about_opioids_links_to_what_to_do_in_an_overdose() {
    let (built, pages) = built();
    let mut opioid_pages = 0;
    for page in &built.content.pages {
        if !page.meta.facet_values(Facet::Substances).iter().any(|s| s == "opioids") {
            continue;
        }
        opioid_pages += 1;
        let html = &pages[&format!("{}index.html", page.path)];
        let main = &html[html.find("<main").expect("main")..];
        assert!(
            main.contains("href=\"/if-someone-has-collapsed/\""),
            "{} does not link to the overdose page in its text",
            page.file.display.display()
        );
    }
    assert!(opioid_pages > 10);
}

#[test]
fn pros_cons_and_who_it_suits_are_about_the_treatment_not_the_sources() {
    let (built, _) = built();
    for page in &built.content.pages {
        let meta = &page.meta;
        for item in meta
            .pros
            .iter()
            .chain(&meta.cons)
            .chain(&meta.suits)
            .chain(&meta.not_suited)
        {
            assert!(
                !item.to_lowercase().contains("source"),
                "{}: `{item}` is about the sources: say it in the text",
                page.file.display.display()
            );
        }
    }
}

#[test]
fn every_guidance_page_cites_a_source_in_its_text() {
    let (built, pages) = built();
    for page in &built.content.pages {
        if !built.content.sections[page.section].meta.guidance {
            continue;
        }
        let html = &pages[&format!("{}index.html", page.path)];
        assert!(
            html.contains("<sup class=\"citation\">"),
            "{} cites no source in its text",
            page.file.display.display()
        );
        assert!(page.meta.treatment_type.is_some() || !page.meta.facet_values(Facet::Settings).is_empty());
    }
}

/// The paragraphs of a page's markdown body, by the section (`## ` heading) they sit in: the
/// lead (before any heading) first, under the name "".
fn sections(body: &str) -> Vec<(String, Vec<String>)> {
    let mut out = vec![(String::new(), Vec::new())];
    let mut paragraph = String::new();
    let end_paragraph = |paragraph: &mut String, out: &mut Vec<(String, Vec<String>)>| {
        if !paragraph.trim().is_empty()
            && let Some((_, paragraphs)) = out.last_mut()
        {
            paragraphs.push(paragraph.trim().to_string());
        }
        paragraph.clear();
    };
    for line in body.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            end_paragraph(&mut paragraph, &mut out);
            out.push((heading.to_string(), Vec::new()));
        } else if line.trim().is_empty() {
            end_paragraph(&mut paragraph, &mut out);
        } else {
            paragraph.push_str(line);
            paragraph.push('\n');
        }
    }
    end_paragraph(&mut paragraph, &mut out);
    out
}

fn body_of(text: &str) -> &str {
    text.splitn(3, "+++").nth(2).unwrap_or("")
}

/// Readable in a crisis: every guidance page opens, before its first section, with words of
/// its own (a lead paragraph, or a callout saying what to do), not with a heading or only a
/// snippet placed on many pages.
#[test]
fn every_guidance_page_opens_with_a_lead_before_its_first_section() {
    let (built, _) = built();
    for page in &built.content.pages {
        if !built.content.sections[page.section].meta.guidance {
            continue;
        }
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&page.file.display))
            .expect("read the page");
        let (_, lead) = &sections(body_of(&text))[0];
        let own_words = lead.iter().any(|p| !p.starts_with("{{") && !p.starts_with("{%"));
        assert!(
            own_words,
            "{} has no lead paragraph before its first section",
            page.file.display.display()
        );
    }
}

/// A section that only says the sources are silent tells a reader nothing: fill it or leave
/// it out (a page may say so once, beside what it does know).
#[test]
fn no_section_only_says_the_sources_are_silent() {
    let (built, _) = built();
    // Every sentence of the paragraph is about what the sources leave out.
    let silent = |paragraph: &str| {
        paragraph
            .split_inclusive(['.', '!', '?'])
            .filter(|sentence| !sentence.trim().is_empty())
            .all(|sentence| {
                let lower = sentence.to_lowercase();
                ["not say", "not describe", "no detail", "not give"]
                    .iter()
                    .any(|phrase| lower.contains(phrase))
            })
    };
    for page in &built.content.pages {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&page.file.display))
            .expect("read the page");
        for (heading, paragraphs) in sections(body_of(&text)).iter().skip(1) {
            assert!(
                paragraphs.is_empty() || !paragraphs.iter().all(|p| silent(p)),
                "{}: section `{heading}` only says the sources are silent",
                page.file.display.display()
            );
        }
    }
}
