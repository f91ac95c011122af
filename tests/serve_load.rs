//! The dev server under load: 10,000 requests from 100 concurrent connections, all answered
//! correctly while rebuilds run, and traversal attempts refused throughout. Not timed: the
//! figures for docs/benchmarks.md come from the same client run by hand (see there).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const CONNECTIONS: usize = 100;
const REQUESTS_PER_CONNECTION: usize = 100;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Sends `requests` on one keep-alive connection; returns each (status, body).
fn session(port: u16, targets: &[&str]) -> Vec<(u16, Vec<u8>)> {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    let mut responses = Vec::new();
    for target in targets {
        write!(writer, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
        let mut status_line = String::new();
        reader.read_line(&mut status_line).expect("status line");
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0;
        let mut close = false;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).expect("header");
            if header == "\r\n" || header.is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
            close |= lower.starts_with("connection: close");
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("body");
        responses.push((status, body));
        if close {
            break;
        }
    }
    responses
}

#[test]
fn ten_thousand_requests_from_a_hundred_connections_during_rebuilds() {
    let root = std::env::temp_dir().join(format!("signpost-serve-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"),
        &root,
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let port: u16 = loop {
        let line = lines.next().expect("address").expect("utf-8");
        if let Some(rest) = line.strip_prefix("Serving at http://127.0.0.1:") {
            break rest.split('/').next().and_then(|p| p.parse().ok()).expect("port");
        }
    };
    std::thread::spawn(move || for _ in lines {});

    // Keep editing a page so rebuilds run while the requests are answered.
    let editing = Arc::new(AtomicBool::new(true));
    let editor = {
        let editing = Arc::clone(&editing);
        let page = root.join("content/notes/first.md");
        std::thread::spawn(move || {
            let mut n = 0;
            while editing.load(Ordering::Relaxed) {
                n += 1;
                let text = format!("+++\ntitle = \"First note\"\n+++\nEdit number {n}.\n");
                std::fs::write(&page, text).expect("edit");
                std::thread::sleep(Duration::from_millis(40));
            }
        })
    };

    let targets = [
        "/guidance/",
        "/guidance/notes/",
        "/guidance/notes/first/",
        "/guidance/style.css",
    ];
    let hostile = [
        "/guidance/../site.toml",
        "/guidance/%2e%2e/site.toml",
        "/guidance/..%5csite.toml",
    ];
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|c| {
            std::thread::spawn(move || {
                let mut plan: Vec<&str> = (0..REQUESTS_PER_CONNECTION)
                    .map(|i| targets[(c + i) % targets.len()])
                    .collect();
                // One connection in ten ends with a traversal attempt, which closes it.
                if c % 10 == 0 {
                    plan.pop();
                    plan.push(hostile[c / 10 % hostile.len()]);
                }
                (plan.clone(), session(port, &plan))
            })
        })
        .collect();
    let mut answered = 0;
    for client in clients {
        let (plan, responses) = client.join().expect("client thread");
        assert_eq!(
            responses.len(),
            plan.len(),
            "every request on the connection was answered"
        );
        for (target, (status, body)) in plan.iter().zip(&responses) {
            answered += 1;
            if hostile.contains(target) {
                assert!(*status == 400 || *status == 404, "{target}: {status}");
                assert!(
                    !String::from_utf8_lossy(body).contains("base_url"),
                    "{target} leaked site.toml"
                );
                continue;
            }
            assert_eq!(*status, 200, "{target}");
            let text = String::from_utf8_lossy(body);
            if target.ends_with(".css") {
                assert!(text.contains("body"), "{target}");
            } else {
                assert!(text.contains("</html>"), "{target}: a complete page");
            }
            if *target == "/guidance/notes/first/" {
                assert!(
                    text.contains("The first version of the note.") || text.contains("Edit number"),
                    "the page is one of its real versions"
                );
            }
        }
    }
    editing.store(false, Ordering::Relaxed);
    let _ = editor.join();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&root);
    assert_eq!(answered, CONNECTIONS * REQUESTS_PER_CONNECTION);
}
