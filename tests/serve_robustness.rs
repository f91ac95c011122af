//! `signpost serve` against clients that misbehave and pages that break it: a live-reload
//! client that stops reading, a panic in a build, requests for other host names (DNS
//! rebinding), too many or too slow connections, and requests that a loose HTTP parser would
//! misread. Each drives the real binary over TCP. Timeouts only keep a failing test from
//! hanging; nothing here is timed.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::serve::{Events, get_raw, page, send_raw, start, start_with_env, status_of, subscribe};

/// A page with `count` links to missing pages: its build error is about 220 bytes a link.
fn page_with_broken_links(round: usize, count: usize) -> String {
    let links: Vec<String> = (0..count).map(|i| format!("[x](@/missing-{round}-{i}.md)")).collect();
    page("First note", &links.join("\n"))
}

/// A live-reload client that stops reading must not hold up the builder, the other clients or
/// new subscribers.
#[test]
fn a_client_that_stops_reading_does_not_hold_up_rebuilds() {
    let server = start("stuck-client", &[]);
    // Subscribed, then never read again: once its socket buffers are full, a blocking write to
    // it waits for ever.
    let _stuck = subscribe(server.port);
    let mut reader = subscribe(server.port);
    // About 700 KB of error text a build: twelve builds are more than the socket buffers of a
    // loopback connection hold (4 MB for the sender, 128 KB for a receiver that never reads).
    for round in 0..12 {
        server.write("content/notes/first.md", &page_with_broken_links(round, 3000));
        let error = reader.next_event("build-error");
        assert!(error.contains("link to a missing page"), "{error:.300}");
    }
    server.write("content/notes/first.md", &page("First note", "Fixed."));
    reader.next_event("ok");
    let mut late = subscribe(server.port);
    server.write("content/notes/first.md", &page("First note", "Fixed again."));
    let reload = late.next_event("reload");
    assert!(reload.contains("/guidance/notes/first/"), "{reload}");
    server.wait_for("/guidance/notes/first/", 200, "Fixed again.");
}

/// A tab opened while the build is broken gets the error, and no other tab does.
#[test]
fn a_new_subscriber_gets_the_build_error_alone() {
    let server = start("error-fan-out", &[]);
    let mut first = subscribe(server.port);
    server.write("content/notes/first.md", "+++\ntitle = \"unclosed\n+++\nBroken.\n");
    first.next_event("build-error");
    let mut later: Vec<Events> = Vec::new();
    for _ in 0..3 {
        let mut tab = subscribe(server.port);
        let error = tab.next_event("build-error");
        assert!(error.contains("content/notes/first.md:2:"), "{error}");
        later.push(tab);
    }
    server.write("content/notes/first.md", &page("First note", "Fixed."));
    let seen = first.until("ok");
    let names: Vec<&str> = seen.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["ok"], "the first tab was sent events meant for the new ones");
    for tab in &mut later {
        let seen = tab.until("ok");
        assert_eq!(seen.len(), 1, "{seen:?}");
    }
}

/// A panic while building is shown as an internal error, in the browser and the terminal, and
/// the server goes on serving, watching and rebuilding. The panic comes from a hook that only
/// debug builds have (`SIGNPOST_TEST_PANIC_ON` in src/markdown/mod.rs).
#[test]
fn a_panic_while_building_is_reported_and_serving_goes_on() {
    let server = start_with_env("serve", "panic", &[], &[("SIGNPOST_TEST_PANIC_ON", "PANIC-HERE")]);
    let mut events = subscribe(server.port);
    server.write(
        "content/notes/first.md",
        &page("First note", "This text has PANIC-HERE in it."),
    );
    let error = events.next_event("build-error");
    assert!(
        error.contains("internal error while building content/notes/first.md: ") && error.contains("test hook"),
        "{error}"
    );
    let line = server.wait_for_line(&server.errors, "internal error while building");
    assert!(line.contains("content/notes/first.md"), "{line}");
    server.wait_for("/guidance/notes/first/", 200, "The first version of the note.");

    server.write("content/notes/first.md", &page("First note", "Saved after the panic."));
    events.next_event("ok");
    server.wait_for("/guidance/notes/first/", 200, "Saved after the panic.");
    // And a second panic is caught as well as the first.
    server.write("content/notes/first.md", &page("First note", "PANIC-HERE again."));
    events.next_event("build-error");
    server.write("content/notes/first.md", &page("First note", "Saved once more."));
    server.wait_for("/guidance/notes/first/", 200, "Saved once more.");
}

/// DNS rebinding: a page on another site whose name now points at 127.0.0.1 sends its own name
/// as Host; only names that mean this server are answered.
#[test]
fn requests_for_other_host_names_are_refused() {
    let server = start("host", &[]);
    let port = server.port;
    let ask = |host: Option<&str>, path: &str| {
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        get_raw(port, &format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n")).0
    };
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(ask(Some(&host), "/guidance/"), 200, "{host}");
    }
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("127.0.0.2:{port}"),
        format!("localhost.attacker.example:{port}"),
        format!("localhost:{port}x"),
        String::new(),
    ] {
        assert_eq!(ask(Some(&host), "/guidance/"), 421, "{host:?}");
        assert_eq!(ask(Some(&host), "/__signpost/events"), 421, "{host:?}");
    }
    assert_eq!(ask(None, "/guidance/"), 400, "HTTP/1.1 without Host");
    let (status, _) = get_raw(port, "GET /guidance/ HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200, "HTTP/1.0 may leave Host out");
}

/// The connection cap. Event streams count toward it and stay open, so the cap can be filled
/// without racing the request deadline.
#[test]
fn connections_over_the_cap_are_answered_503_until_some_close() {
    const CAP: usize = 256;
    let server = start("cap", &[]);
    let streams: Vec<Events> = (0..CAP).map(|_| subscribe(server.port)).collect();
    let mut extra = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    extra.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let _ = extra.write_all(b"GET /guidance/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    let mut answer = Vec::new();
    let _ = extra.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert_eq!(status_of(&answer), 503, "{answer}");
    assert!(answer.to_ascii_lowercase().contains("retry-after:"), "{answer}");
    drop(streams);
    // The server sees the streams close within a moment, and answers again.
    server.wait_for("/guidance/", 200, "</html>");
}

/// A request whose bytes trickle in is cut off when its deadline passes, however often a byte
/// arrives.
#[test]
fn a_trickled_request_is_cut_off_at_its_deadline() {
    let server = start("trickle", &[]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream.write_all(b"GET /guidance/ HTTP/1.1\r\nX-Slow: ").expect("send");
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("timeout");
    let mut answer = Vec::new();
    // A byte every half second for up to a minute; the server's deadline is 10 s.
    for _ in 0..120 {
        let sent = stream.write_all(b"a").is_ok();
        let mut buffer = [0; 1024];
        match stream.read(&mut buffer) {
            Ok(n) => {
                answer.extend_from_slice(&buffer[..n]);
                break;
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
        if !sent {
            break;
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert_eq!(status_of(&answer), 408, "the trickle was never cut off: {answer:?}");
}

/// A request's body is read and dropped, never taken for the next request.
#[test]
fn request_bodies_are_not_read_as_requests() {
    let server = start("bodies", &[]);
    let hidden = "GET /guidance/notes/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
    let last = "GET /guidance/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let with_length = format!(
        "GET /guidance/notes/first/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n{hidden}{last}",
        hidden.len()
    );
    let chunked = format!(
        "GET /guidance/notes/first/ HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{hidden}\r\n0\r\n\r\n{last}",
        hidden.len()
    );
    for request in [with_length, chunked] {
        let (status, text) = get_raw(server.port, &request);
        assert_eq!(status, 200);
        assert_eq!(text.matches("HTTP/1.1 ").count(), 2, "{request:?} got {text:.2000}");
    }
    // Both lengths at once are refused: a proxy in front could read either.
    let both = "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(get_raw(server.port, both).0, 400);
}

/// A header line longer than 8 KB is one header, not the end of the request.
#[test]
fn a_long_header_is_not_split_into_a_second_request() {
    let server = start("long-header", &[]);
    // The line is exactly 8 KB before its CRLF, which a reader that stops at 8 KB took for
    // the blank line that ends the request.
    let name = "X-Long: ";
    let value = "a".repeat(8192 - name.len());
    let request = format!("GET /guidance/ HTTP/1.1\r\n{name}{value}\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let (status, text) = get_raw(server.port, &request);
    assert_eq!(status, 200);
    assert_eq!(text.matches("HTTP/1.1 ").count(), 1, "{:.500}", text);
    // Headers past the limit are refused whole.
    let huge = format!(
        "GET /guidance/ HTTP/1.1\r\nHost: localhost\r\nX-Huge: {}\r\n\r\n",
        "a".repeat(100_000)
    );
    assert_eq!(get_raw(server.port, &huge).0, 431);
}

/// HEAD on the event stream answers its headers and nothing else; it does not become a
/// subscriber that is kept open.
#[test]
fn head_on_the_event_stream_has_no_body_and_subscribes_nothing() {
    let server = start("head-events", &[]);
    let (status, text) = get_raw(
        server.port,
        "HEAD /__signpost/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200);
    assert!(text.contains("text/event-stream"), "{text}");
    assert!(text.ends_with("\r\n\r\n"), "a body after the headers: {text:?}");
}

/// Bytes that are not UTF-8 in the request line get a 400, not a silent close.
#[test]
fn invalid_utf8_in_the_request_line_gets_400() {
    let server = start("utf8", &[]);
    let (status, _) = send_raw(
        server.port,
        b"GET /guidance/\xff\xfe HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(status, 400);
    let (status, _) = send_raw(server.port, b"G\xc3T /guidance/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 400);
}
