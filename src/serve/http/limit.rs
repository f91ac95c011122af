//! The cap on open connections. Each connection, event streams included, holds a slot while it
//! is open; one that finds none free is answered 503 and closed, so that a crowd of slow or
//! idle connections cannot use up the threads or the file descriptors of the process (1,024 by
//! default on Linux).

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::time::{Duration, Instant};

/// Far more than a developer's browser tabs need (a browser opens six connections to a host at
/// most), and with the refused connections still lingering, well under 1,024 descriptors.
pub const MAX_CONNECTIONS: usize = 256;
/// How many refused connections may linger at once, and for how long.
const LINGERING: usize = 64;
const LINGER: Duration = Duration::from_secs(1);
const POLL: Duration = Duration::from_millis(50);

/// The count of open connections.
#[derive(Default)]
pub struct Slots(Arc<AtomicUsize>);

/// One open connection's place in the count, given back when dropped.
pub struct Slot(Arc<AtomicUsize>);

impl Slots {
    /// A slot, if fewer than [`MAX_CONNECTIONS`] are taken.
    pub fn take(&self) -> Option<Slot> {
        self.0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |open| {
                (open < MAX_CONNECTIONS).then_some(open + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(&self.0)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Answers connections over the cap with 503 and closes them. Each lingers for a moment on
/// one thread, which reads and drops what the client still sends: closing a socket with unread
/// bytes resets the connection, and a reset can destroy the 503 before the client reads it.
pub struct Refuser {
    lingering: SyncSender<(TcpStream, Instant)>,
}

impl Refuser {
    pub fn start() -> Refuser {
        let (lingering, refused) = sync_channel(LINGERING);
        // Without the thread, refused connections are closed at once.
        let _ = std::thread::Builder::new()
            .name("refused".into())
            .spawn(move || linger(&refused));
        Refuser { lingering }
    }

    pub fn refuse(&self, stream: TcpStream) {
        let body = "Too many connections; try again in a moment.\n";
        let reply = format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        // Never blocks the accept loop; a new connection's buffer takes so short a reply whole.
        let _ = stream.set_nonblocking(true);
        let _ = (&stream).write_all(reply.as_bytes());
        let _ = stream.shutdown(Shutdown::Write);
        // When too many linger already, this one closes now.
        let _ = self.lingering.try_send((stream, Instant::now() + LINGER));
    }
}

/// Holds refused connections until each client closes or its moment is up, reading and
/// dropping what they send; never more than [`LINGERING`] at once.
fn linger(refused: &Receiver<(TcpStream, Instant)>) {
    let mut held: Vec<(TcpStream, Instant)> = Vec::new();
    loop {
        if held.len() < LINGERING {
            let next = match held.is_empty() {
                true => refused.recv().map_err(|_| RecvTimeoutError::Disconnected),
                false => refused.recv_timeout(POLL),
            };
            match next {
                Ok(connection) => held.push(connection),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            std::thread::sleep(POLL);
        }
        let now = Instant::now();
        held.retain(|(stream, until)| now < *until && still_open(stream));
    }
}

/// Reads and drops what a refused client has sent; false once it has closed.
fn still_open(mut stream: &TcpStream) -> bool {
    let mut sink = [0; 4096];
    for _ in 0..16 {
        match stream.read(&mut sink) {
            Ok(0) => return false,
            Ok(_) => {}
            Err(e) => return e.kind() == ErrorKind::WouldBlock,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_run_out_and_come_back() {
        let slots = Slots::default();
        let taken: Vec<Slot> = (0..MAX_CONNECTIONS).map_while(|_| slots.take()).collect();
        assert_eq!(taken.len(), MAX_CONNECTIONS);
        assert!(slots.take().is_none());
        drop(taken);
        assert!(slots.take().is_some());
    }
}
