//! Shared by the `signpost serve` tests: start the real binary on a private copy of a fixture,
//! on a free port, and talk to it over TCP as a browser (or an attacker) would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running server on a private copy of a fixture; stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub root: PathBuf,
    /// The lines the server printed on stdout after its address.
    pub log: Arc<Mutex<Vec<String>>>,
    /// The lines the server printed on stderr.
    pub errors: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Serves a copy of `tests/fixtures/serve` (under the sub-path /guidance/).
pub fn start(name: &str, extra_args: &[&str]) -> Server {
    start_fixture("serve", name, extra_args)
}

pub fn start_fixture(fixture: &str, name: &str, extra_args: &[&str]) -> Server {
    start_with_env(fixture, name, extra_args, &[])
}

/// [`start_fixture`], with these environment variables set for the server.
pub fn start_with_env(fixture: &str, name: &str, extra_args: &[&str], env: &[(&str, &str)]) -> Server {
    let root = std::env::temp_dir().join(format!("signpost-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    super::copy_dir(&super::fixtures_dir().join(fixture), &root);
    let mut child = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .args(extra_args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start signpost serve");
    let errors = drain(BufReader::new(child.stderr.take().expect("stderr")));
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let port = loop {
        let mut line = String::new();
        let n = stdout.read_line(&mut line).expect("utf-8");
        assert!(n > 0, "serve stopped before printing its address");
        if let Some(rest) = line.trim_end().strip_prefix("Serving at http://127.0.0.1:") {
            break rest.split('/').next().and_then(|p| p.parse().ok()).expect("a port");
        }
    };
    let log = drain(stdout);
    Server {
        child,
        port,
        root,
        log,
        errors,
    }
}

/// Keeps reading a pipe, so that the server never blocks on it, and keeps its lines.
fn drain(pipe: impl BufRead + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&log);
    std::thread::spawn(move || {
        for line in pipe.lines().map_while(Result::ok) {
            kept.lock().expect("log").push(line);
        }
    });
    log
}

impl Server {
    pub fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }

    /// Waits until `path` answers with `status` and a body containing `needle`.
    pub fn wait_for(&self, path: &str, status: u16, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (got, body) = self.get(path);
            if got == status && body.contains(needle) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "{path}: wanted {status} with {needle:?}, got {got}: {body:.300}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until a line of `log` contains `needle`, and returns it.
    pub fn wait_for_line(&self, log: &Mutex<Vec<String>>, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(line) = log.lock().expect("log").iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            assert!(Instant::now() < deadline, "no line with {needle:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A raw HTTP/1.1 GET; the request target is sent exactly as given.
pub fn get(port: u16, target: &str) -> (u16, String) {
    let (status, text) = get_raw(
        port,
        &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    );
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Sends `request` as it is and reads until the server closes: the first status and all the
/// text received (every response, if several).
pub fn get_raw(port: u16, request: &str) -> (u16, String) {
    send_raw(port, request.as_bytes())
}

pub fn send_raw(port: u16, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream.write_all(request).expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    (status_of(&text), text)
}

/// The status code of a response's status line, or 0.
pub fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

pub fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}\n")
}

/// A connection to the live-reload event stream.
pub struct Events {
    reader: BufReader<TcpStream>,
}

/// Subscribes to the event stream and waits until the server says it is connected.
pub fn subscribe(port: u16) -> Events {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(stream, "GET /__signpost/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    // Status line, headers, then the ": connected" comment.
    loop {
        line.clear();
        let n = reader.read_line(&mut line).expect("subscribed");
        assert!(n > 0, "the event stream closed before it was connected");
        if line.starts_with(": connected") {
            return Events { reader };
        }
    }
}

impl Events {
    /// The data of the next event called `name`, skipping others.
    pub fn next_event(&mut self, name: &str) -> String {
        self.until(name).pop().map(|(_, data)| data).unwrap_or_default()
    }

    /// Every event up to and including the next one called `name`: (name, data).
    pub fn until(&mut self, name: &str) -> Vec<(String, String)> {
        let mut seen = Vec::new();
        let mut event = String::new();
        let mut data = String::new();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("event stream open");
            assert!(n > 0, "event stream closed while waiting for {name}");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(rest) = line.strip_prefix("event: ") {
                event = rest.to_string();
            } else if let Some(rest) = line.strip_prefix("data: ") {
                data.push_str(rest);
                data.push('\n');
            } else if line.is_empty() && !event.is_empty() {
                let done = event == name;
                seen.push((std::mem::take(&mut event), std::mem::take(&mut data)));
                if done {
                    return seen;
                }
            }
        }
    }
}
