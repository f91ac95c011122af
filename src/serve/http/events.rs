//! The live-reload event stream (Server-Sent Events) and the clients listening to it.
//!
//! Each client's own connection thread writes its events, from a short queue of its own: the
//! builder only puts events in queues, under a lock held for no I/O, so a client that stops
//! reading holds up neither rebuilds nor other clients. A client whose queue is full is
//! dropped; its browser reconnects by itself and is sent the current state.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The headers of the event stream.
const STREAM_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
/// How many events a client may fall behind by before it is dropped. A browser takes each
/// at once; only a client that has stopped reading gets near this.
const QUEUE: usize = 16;
/// How often an idle stream checks that its client is still there, so that a closed tab's
/// connection ends without waiting for the next event.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The clients listening for reload events.
#[derive(Default)]
pub struct Listeners {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    queues: Vec<SyncSender<Arc<str>>>,
    /// The `build-error` event while the build is broken, for clients that subscribe then.
    error: Option<Arc<str>>,
}

impl Inner {
    fn send(&mut self, message: Arc<str>) {
        // Full: the client has fallen behind. Disconnected: it has gone.
        self.queues.retain(|queue| queue.try_send(Arc::clone(&message)).is_ok());
    }
}

impl Listeners {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends one event to every client.
    pub fn send(&self, event: &str, data: &str) {
        let message = event_message(event, data);
        self.lock().send(message);
    }

    /// Shows a build error on every page open now, and on those opened until it is fixed.
    pub fn build_failed(&self, text: &str) {
        let message = event_message("build-error", text);
        let mut inner = self.lock();
        inner.error = Some(Arc::clone(&message));
        inner.send(message);
    }

    /// Tells every page that the build works again, if it was broken.
    pub fn build_fixed(&self) {
        let mut inner = self.lock();
        if inner.error.take().is_some() {
            inner.send(event_message("ok", ""));
        }
    }

    /// Serves the event stream on a connection until the client goes or falls behind. A client
    /// that subscribes while the build is broken is sent the error, and no other client is.
    pub fn stream_to(&self, stream: &TcpStream) {
        let (queue, events) = sync_channel(QUEUE);
        {
            let mut inner = self.lock();
            if let Some(error) = &inner.error {
                let _ = queue.try_send(Arc::clone(error));
            }
            inner.queues.push(queue);
        }
        write_events(stream, &events);
    }
}

/// Writes the stream's headers, then each event as it comes; returns when the client has gone
/// or a write failed (the connection's write timeout bounds each).
fn write_events(mut stream: &TcpStream, events: &Receiver<Arc<str>>) {
    if stream
        .write_all(format!("{STREAM_HEAD}: connected\n\n").as_bytes())
        .is_err()
    {
        return;
    }
    loop {
        let message = match events.recv_timeout(CHECK_EVERY) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) if client_gone(stream) => return,
            Err(RecvTimeoutError::Timeout) => continue,
            // Dropped for falling behind.
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if stream.write_all(message.as_bytes()).is_err() {
            return;
        }
    }
}

/// Whether the client has closed the connection. It sends nothing after its request, so
/// anything else it sends is read and dropped.
fn client_gone(mut stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let gone = match stream.read(&mut [0; 512]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).is_err() || gone
}

/// One Server-Sent Event. It always has a data line, even an empty one: browsers drop an event
/// without one, so a bare `ok` would never reach the page.
fn event_message(event: &str, data: &str) -> Arc<str> {
    let mut message = format!("event: {event}\n");
    for line in data.lines().chain(data.is_empty().then_some("")) {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    message.push('\n');
    message.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_a_data_line() {
        assert_eq!(&*event_message("ok", ""), "event: ok\ndata: \n\n");
        assert_eq!(
            &*event_message("build-error", "a\n\nb"),
            "event: build-error\ndata: a\ndata: \ndata: b\n\n"
        );
    }

    #[test]
    fn a_client_that_falls_behind_is_dropped_and_the_error_goes_to_new_clients_alone() {
        let listeners = Listeners::default();
        let (slow, _slow_events) = sync_channel(QUEUE);
        let (quick, quick_events) = sync_channel(QUEUE);
        listeners.lock().queues.extend([slow, quick]);
        for n in 0..QUEUE {
            listeners.send("reload", &n.to_string());
            assert!(quick_events.try_recv().is_ok());
        }
        assert_eq!(listeners.lock().queues.len(), 2);
        listeners.build_failed("broken");
        assert_eq!(listeners.lock().queues.len(), 1, "the slow client is dropped");
        assert!(quick_events.try_recv().is_ok());
        listeners.build_fixed();
        listeners.build_fixed();
        assert_eq!(quick_events.try_iter().count(), 1, "one ok, sent once");
    }
}
