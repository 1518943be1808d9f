//! The live proof (`banmian serve`): the issue's pages in a browser, with the fit drawn on them.
//!
//! The desk judges a page by looking at it, next to the text being edited; a list of warnings
//! in a terminal makes them match line numbers against pictures by eye. So every build is
//! turned into a [`View`] — each page as SVG and, in pt on the page, every frame with its fill,
//! overset, jump lines, holes and line-check marks — and pushed to every open browser
//! over a WebSocket, without reloading the page. A build that stops before layout leaves the
//! last good pages on show under its errors.
//!
//! The server is a local tool's: it serves only what builds produced, kept in memory, and the
//! page's own assets, compiled into the binary (the desk may be offline); no URL reaches the
//! file system. See [`start`].

mod http;
mod pages;
pub mod view;

use std::path::Path;
use std::sync::{Arc, Mutex};

use tungstenite::{Message, WebSocket};

use crate::engine::Build;
use crate::error::{Error, Result};
pub use http::start;
pub use view::View;

/// A browser's connection, on which new views are sent.
type Socket = WebSocket<Box<dyn tiny_http::ReadWrite + Send>>;

/// What the proof shows, shared by the builds that update it and the server that sends it.
pub struct Proof {
    shared: Mutex<Shared>,
}

struct Shared {
    store: pages::PageStore,
    view: View,
    /// The view as sent, JSON.
    message: Arc<String>,
    sockets: Vec<Socket>,
}

impl Proof {
    /// A proof of the issue at `issue` with nothing built yet.
    pub fn new(issue: &Path) -> Proof {
        let view = View {
            version: 0,
            issue: issue.display().to_string(),
            status: view::Status { current: false, errors: Vec::new(), ms: 0.0 },
            pages: Vec::new(),
            warnings: Vec::new(),
        };
        let message = Arc::new(serde_json::to_string(&view).expect("a view serialises"));
        Proof {
            shared: Mutex::new(Shared {
                store: pages::PageStore::default(),
                view,
                message,
                sockets: Vec::new(),
            }),
        }
    }

    /// Shows a build's outcome, which took `ms`, in every open browser: its pages when it laid
    /// them out, else its errors over the pages on show.
    pub fn publish(&self, outcome: &Result<Build>, ms: f64) {
        let mut shared = self.lock();
        let version = shared.view.version + 1;
        let view = match outcome {
            Ok(build) => {
                let names = shared.store.update(&build.document);
                let svgs = names.iter().map(|name| format!("/page/{name}.svg")).collect();
                View::of(build, svgs, version, ms)
            }
            Err(error) => {
                let mut view = shared.view.clone();
                view.version = version;
                view.status = view::Status { current: false, errors: messages(error), ms };
                view
            }
        };
        shared.message = Arc::new(serde_json::to_string(&view).expect("a view serialises"));
        shared.view = view;
        let message = shared.message.clone();
        shared.sockets.retain_mut(|socket| socket.send(Message::text(message.as_str())).is_ok());
    }

    /// A page's SVG, gzipped, by the name its URL carries.
    fn page(&self, name: &str) -> Option<Arc<Vec<u8>>> {
        self.lock().store.get(name)
    }

    /// Sends the view on show to a newly connected browser and keeps it for the views to come.
    fn connect(&self, mut socket: Socket) {
        let mut shared = self.lock();
        if socket.send(Message::text(shared.message.as_str())).is_ok() {
            shared.sockets.push(socket);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().expect("the proof is never left half-updated")
    }
}

/// An error's messages, one per finding.
fn messages(error: &Error) -> Vec<String> {
    match error {
        Error::Invalid(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    }
}
