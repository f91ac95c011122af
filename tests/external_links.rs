//! `signpost check --external` (docs/reference.md, "Links and images") against a server on
//! this machine, never the internet: a 200, a 404, a 301 and a 308 with `Location`, a
//! temporary redirect, a server that refuses HEAD, one that answers too slowly, and one that
//! is not there. Requests are counted, to show each URL is asked once and the cache skips
//! fresh answers.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Run, Site};

/// A local HTTP server; `requests` counts "METHOD /path" lines.
struct Server {
    port: u16,
    requests: Arc<Mutex<BTreeMap<String, usize>>>,
    /// When each request arrived.
    times: Arc<Mutex<Vec<Instant>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = listener.local_addr().expect("address").port();
        let requests = Arc::new(Mutex::new(BTreeMap::new()));
        let times = Arc::new(Mutex::new(Vec::new()));
        let (counted, timed) = (Arc::clone(&requests), Arc::clone(&times));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                timed.lock().expect("times").push(Instant::now());
                let counted = Arc::clone(&counted);
                std::thread::spawn(move || answer(stream, &counted));
            }
        });
        Server { port, requests, times }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// How many times "HEAD /ok" (say) was asked.
    fn count(&self, request: &str) -> usize {
        self.requests.lock().expect("counts").get(request).copied().unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.requests.lock().expect("counts").values().sum()
    }
}

fn answer(mut stream: TcpStream, counted: &Mutex<BTreeMap<String, usize>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let line = head.lines().next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let mut counts = counted.lock().expect("counts");
    *counts.entry(format!("{method} {path}")).or_default() += 1;
    if !head.to_ascii_lowercase().contains("\r\nuser-agent: signpost/") {
        *counts.entry("without a Signpost User-Agent".to_string()).or_default() += 1;
    }
    drop(counts);
    let (status, location) = match (method, path) {
        (_, "/ok" | "/new" | "/also-ok" | "/caf%C3%A9") => ("200 OK", None),
        (_, "/gone") => ("404 Not Found", None),
        (_, "/busy") => ("429 Too Many Requests", None),
        (_, "/old") => ("301 Moved Permanently", Some("/new")),
        (_, "/old-308") => ("308 Permanent Redirect", Some("/new")),
        (_, "/for-now") => ("302 Found", Some("/ok")),
        (_, "/for-now-to-gone") => ("307 Temporary Redirect", Some("/gone")),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", None),
        ("GET", "/no-head") => ("200 OK", None),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(4));
            ("200 OK", None)
        }
        _ => ("500 Internal Server Error", None),
    };
    let location = location.map(|to| format!("Location: {to}\r\n")).unwrap_or_default();
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{location}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

fn page(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nsummary = \"Links to other sites.\"\ntreatment_type = \"talking-therapy\"\n\
         sources = [\"frank\"]\nlast_reviewed = 2026-01-01\nnext_review = 2027-01-01\n+++\n\n{body}\n"
    )
}

/// The guidance site with its one external URL (a source's) and links to every kind of
/// answer, on two pages; a 1 s timeout and no delay between requests.
fn site(server: &Server) -> Site {
    let site = Site::fixture("guidance-site");
    site.edit(
        "site.toml",
        "https://www.talktofrank.com/get-help/types-of-treatment",
        &server.url("/gone"),
    );
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        toml.replace(
            "hours = \"24 hours a day\"\n",
            &format!("hours = \"24 hours a day\"\nurl = \"{}\"\n", server.url("/ok")),
        ) + "\n[links]\nexternal_timeout = 1\nexternal_host_delay_ms = 0\n",
    );
    let one = format!(
        "## Elsewhere\n\n[Fine]({ok}) and [fine again]({ok}#section).\n[gone]({gone}).\n\
         [Moved]({old})\n[Moved too]({old308})\n\
         [Temporary]({temp}), [no HEAD]({no_head}).\n[temporary to gone]({temp_gone})\n\
         [Slow]({slow})\n[nobody](http://127.0.0.1:1/)\n[café](<{cafe}>)",
        ok = server.url("/ok"),
        gone = server.url("/gone"),
        old = server.url("/old"),
        old308 = server.url("/old-308"),
        temp = server.url("/for-now"),
        temp_gone = server.url("/for-now-to-gone"),
        no_head = server.url("/no-head"),
        slow = server.url("/slow"),
        cafe = server.url("/café"),
    );
    site.write("content/treatments/elsewhere.md", page("Elsewhere", &one));
    let two = format!(
        "## Also\n\nSee [the same page]({gone}) and [another]({ok}).",
        gone = server.url("/gone"),
        ok = server.url("/also-ok"),
    );
    site.write("content/about.md", page("About", &two));
    site
}

/// The warning printed at `place`, as its first line.
fn warning<'a>(run: &'a Run, place: &str) -> &'a str {
    let head = format!("{place}: warning: ");
    let start = run
        .stderr
        .find(&head)
        .unwrap_or_else(|| panic!("no warning at {place} in:\n{}", run.stderr));
    run.stderr[start..].lines().next().unwrap_or_default()
}

#[test]
fn dead_and_moved_links_are_warnings_at_every_place_they_are_written() {
    let server = Server::start();
    let site = site(&server);
    // build never fetches anything.
    site.build(&[]).success();
    assert_eq!(server.total(), 0, "build made requests");
    let run = site.check(&["--external"]).success();
    let url = |path: &str| server.url(path);
    let expected = [
        (
            "content/treatments/elsewhere.md:13:1",
            format!("the link {} is broken: 404 Not Found [SP033]", url("/gone")),
        ),
        (
            "content/about.md:12:5",
            format!("the link {} is broken: 404 Not Found [SP033]", url("/gone")),
        ),
        (
            "site.toml:",
            format!("the link {} is broken: 404 Not Found [SP033]", url("/gone")),
        ),
        (
            "content/treatments/elsewhere.md:14:1",
            format!(
                "the link {} has moved permanently (301 Moved Permanently) to {} [SP034]",
                url("/old"),
                url("/new")
            ),
        ),
        (
            "content/treatments/elsewhere.md:15:1",
            format!(
                "the link {} has moved permanently (308 Permanent Redirect) to {} [SP034]",
                url("/old-308"),
                url("/new")
            ),
        ),
        (
            "content/treatments/elsewhere.md:17:1",
            format!("the link {} is broken: 404 Not Found [SP033]", url("/for-now-to-gone")),
        ),
        (
            "content/treatments/elsewhere.md:18:1",
            format!(
                "the link {} could not be reached: no answer within 1 s [SP033]",
                url("/slow")
            ),
        ),
        (
            "content/treatments/elsewhere.md:19:1",
            "the link http://127.0.0.1:1/ could not be reached: the connection was refused".to_string(),
        ),
    ];
    for (place, message) in &expected {
        let found = run
            .stderr
            .lines()
            .any(|line| line.starts_with(place) && line.contains(&format!("warning: {message}")));
        assert!(found, "no `{place}…: warning: {message}` in:\n{}", run.stderr);
    }
    // The place of a use in site.toml is its value's line.
    let toml_line = site
        .read("site.toml")
        .lines()
        .position(|l| l.contains("/gone"))
        .map(|i| i + 1);
    let place = format!("site.toml:{}:7", toml_line.unwrap_or_default());
    assert!(warning(&run, &place).contains("/gone is broken"), "{}", run.stderr);
    // Fine links, temporary redirects to a fine page and a refused HEAD are not reported.
    for fine in ["/ok", "/also-ok", "/for-now", "/no-head", "/new"] {
        let reported = format!("warning: the link {} ", server.url(fine));
        assert!(!run.stderr.contains(&reported), "{fine}: {}", run.stderr);
    }
    assert_eq!(run.stderr.matches("warning: the link").count(), 8, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("External links: 11 URLs (11 asked, 0 from .signpost-link-cache.json)"),
        "{}",
        run.stdout
    );
    // Each distinct URL once (the fragment is not sent), HEAD first, GET only when refused.
    assert_eq!(server.count("HEAD /ok"), 2, "once for itself, once after /for-now");
    assert_eq!(
        server.count("HEAD /gone"),
        2,
        "once for itself, once after /for-now-to-gone"
    );
    assert_eq!(server.count("GET /ok"), 0);
    assert_eq!(server.count("HEAD /no-head"), 1);
    assert_eq!(server.count("GET /no-head"), 1);
    assert_eq!(
        server.count("HEAD /new"),
        0,
        "a permanent redirect is reported, not followed"
    );
    assert_eq!(server.count("without a Signpost User-Agent"), 0);
    assert_eq!(
        server.count("HEAD /caf%C3%A9"),
        1,
        "a URL is sent as a browser sends it"
    );
    // --strict fails on them.
    site.check(&["--strict", "--external", "--base-url", "https://example.org/"])
        .code(1);
}

#[test]
fn fresh_answers_come_from_the_cache_and_old_ones_are_asked_again() {
    let server = Server::start();
    let site = site(&server);
    site.write(
        "content/treatments/elsewhere.md",
        page(
            "Elsewhere",
            &format!(
                "## Elsewhere\n\n[Fine]({}) and [gone]({}).",
                server.url("/ok"),
                server.url("/gone")
            ),
        ),
    );
    site.write("content/about.md", page("About", "## About\n\nNo links."));
    let first = site.check(&["--external"]).success();
    assert!(
        first.stdout.contains("External links: 2 URLs (2 asked, 0 from"),
        "{}",
        first.stdout
    );
    let cache = site.read(".signpost-link-cache.json");
    assert!(cache.contains("\"checked\": \"2026-06-01\""), "{cache}");
    assert_eq!(server.total(), 2);

    // Within the max age nothing is asked, and the dead link is still reported.
    let second = site.check(&["--external"]).success();
    assert_eq!(server.total(), 2, "a fresh answer was asked again");
    assert!(second.stdout.contains("(0 asked, 2 from"), "{}", second.stdout);
    assert!(
        second.stderr.contains("/gone is broken: 404 Not Found [SP033]"),
        "{}",
        second.stderr
    );

    // Seven days later (the default) they are asked again; --external-max-age 0 always asks.
    let later = common::signpost_in_on(site.temp(), "2026-06-08", &["check", "--external", "--root", "site"]);
    assert!(later.stdout.contains("(2 asked, 0 from"), "{}", later.stdout);
    assert_eq!(server.total(), 4);
    site.check(&["--external", "--external-max-age", "0"]).success();
    assert_eq!(server.total(), 6);
    // A damaged cache is only a lost saving.
    site.write(".signpost-link-cache.json", "{ not json");
    site.check(&["--external"]).success();
    assert_eq!(server.total(), 8);
}

/// A server that asks for fewer requests (429) has said nothing about the page: the link is
/// not called broken, and it is asked again on the next run, not taken from the cache.
#[test]
fn a_site_asking_for_fewer_requests_is_asked_again_not_called_broken() {
    let server = Server::start();
    let site = site(&server);
    let body = format!("## Elsewhere\n\n[Busy]({}).", server.url("/busy"));
    site.write("content/treatments/elsewhere.md", page("Elsewhere", &body));
    site.write("content/about.md", page("About", "## About\n\nNo links."));
    let first = site.check(&["--external"]).success();
    let message = warning(&first, "content/treatments/elsewhere.md:12:1");
    assert!(
        message.ends_with(&format!(
            "the link {} could not be reached: 429 Too Many Requests (the site asked for fewer requests) [SP033]",
            server.url("/busy")
        )),
        "{message}"
    );
    assert!(!first.stderr.contains("/busy is broken"), "{}", first.stderr);
    let asked = server.count("HEAD /busy");
    site.check(&["--external"]).success();
    assert_eq!(server.count("HEAD /busy"), asked + 1, "a 429 was taken from the cache");
}

#[test]
fn link_check_settings_are_checked_against_their_ranges() {
    let site = Site::fixture("guidance-site");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        toml + "\n[links]\nexternal_timeout = 0\nexternal_concurrency = 1000\n",
    );
    let run = site.check(&[]).code(1);
    let line = site
        .read("site.toml")
        .lines()
        .position(|l| l.starts_with("external_timeout"))
        .map_or(0, |i| i + 1);
    let first = run
        .diagnostic(&format!("site.toml:{line}:20"))
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        first.ends_with("error: [links] external_timeout is 0, which is out of range [SP007]"),
        "{first}"
    );
    assert!(
        run.stderr
            .contains("[links] external_concurrency is 1000, which is out of range [SP007]"),
        "{}",
        run.stderr
    );
}

#[test]
fn requests_to_one_host_wait_their_turn() {
    let server = Server::start();
    let site = Site::fixture("guidance-site");
    site.edit(
        "site.toml",
        "https://www.talktofrank.com/get-help/types-of-treatment",
        &server.url("/ok"),
    );
    let toml = site.read("site.toml");
    site.write("site.toml", toml + "\n[links]\nexternal_host_delay_ms = 300\n");
    let links = format!(
        "## Elsewhere\n\n[a]({}), [b]({}), [c]({}).",
        server.url("/new"),
        server.url("/also-ok"),
        server.url("/ok?x=1")
    );
    site.write("content/about.md", page("About", &links));
    site.check(&["--external"]).success();
    let times = server.times.lock().expect("times").clone();
    assert_eq!(times.len(), 4, "each distinct URL once");
    for pair in times.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        assert!(gap >= Duration::from_millis(280), "requests {gap:?} apart");
    }
}
