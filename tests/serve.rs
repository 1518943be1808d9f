//! `banmian serve` as the desk uses it: the binary serves a copy of an example, a real browser
//! (headless Chromium through chromedriver) shows it, the test edits the issue's files and
//! watches the page change — and a plain HTTP client checks that nothing but the proof is served.
//!
//! The browser tests need Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use banmian::BuildOptions;
use banmian::check::lines::{Rule, Violation};
use banmian::serve::View;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

mod common;

/// Long enough for a cold build of the debug binary on a slow machine; nothing is timed by it.
const PATIENCE: Duration = Duration::from_secs(120);

/// `banmian serve` running on a copy of an example, stopped when dropped.
struct Served {
    child: Child,
    url: String,
    /// The example's copy.
    folder: PathBuf,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start(example: &str) -> Served {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(example)).unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(example),
            &dir.path().join(example),
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_banmian"))
            .current_dir(dir.path())
            .args(["--no-system-fonts", "serve", "--port", "0"])
            .arg(Path::new(example).join("issue.toml"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("serve prints where it serves").unwrap();
        let url = first.split(" at ").nth(1).and_then(|rest| rest.split(' ').next()).unwrap().to_string();
        // Keep reading what it prints, so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Served { child, url, folder: dir.path().join(example), _dir: dir }
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.folder.join(rel)
    }

    fn address(&self) -> String {
        self.url.trim_start_matches("http://").trim_end_matches('/').to_string()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies the example's sources (not its previews or PDFs).
fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "preview" {
                std::fs::create_dir_all(&target).unwrap();
                copy_dir(&entry.path(), &target);
            }
        } else if entry.path().extension().is_none_or(|e| e != "pdf") {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Sends one request exactly as written (a client library would tidy the path) and returns
/// the status code and the body.
fn request(address: &str, head: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

#[test]
fn the_view_puts_fill_jumps_holes_and_marks_where_they_are_on_the_page() {
    let options = BuildOptions { allow_overset: true, ..BuildOptions::default() };
    let mut build = common::engine().build(&common::example("kaifaqu-2023-10"), &options).unwrap();
    // A line-composition warning on line 3 of the second text column of page 1's first frame.
    let article = build.plan.pages[0].frames[0].article;
    let violation = Violation {
        rule: Rule::ClosingAtStart,
        article,
        slot: 0,
        column: 1,
        page: 1,
        line: 3,
        text: "，".into(),
        detail: None,
    };
    build.violations.push(violation);
    let view = View::of(&build, vec!["/page/1.svg".into(), "/page/2.svg".into()], 1, 0.0);

    let frame = &view.pages[0].frames[0];
    let part = &build.report.articles[article].parts[0];
    assert_eq!((frame.article.as_str(), frame.used, frame.lines), ("xingxian", part.used_lines, part.lines));
    let jump = frame.jump_to.as_ref().unwrap();
    assert_eq!((jump.page, jump.target.as_str()), (2, "p1-f0"));
    assert!(jump.label.contains("下转"), "{}", jump.label);
    assert_eq!(view.pages[1].frames[0].jump_from.as_ref().unwrap().target, "p0-f0");

    let mark = view.pages[0].marks.iter().find(|m| m.text.ends_with("“，”")).expect("the injected mark");
    let third = frame.rect.w / 3.0;
    assert!(
        mark.rect.x > frame.rect.x + third - 1.0
            && mark.rect.x + mark.rect.w < frame.rect.x + 2.0 * third + 1.0
    );
    assert!((mark.rect.y - (frame.rect.y + 2.0 * mark.rect.h)).abs() < 0.01, "{mark:?} in {frame:?}");
    assert!(view.warnings.is_empty(), "the mark's warning is on the page: {:?}", view.warnings);

    // The example leaves no hole; without the picture under the notice on page 2, columns
    // 4–5 stay empty below it, to the page's foot.
    assert!(view.pages.iter().all(|p| p.holes.is_empty()));
    let dir = tempfile::tempdir().unwrap();
    let example = common::example("kaifaqu-2023-10");
    copy_dir(example.parent().unwrap(), dir.path());
    let issue = dir.path().join("issue.toml");
    let text = std::fs::read_to_string(&issue).unwrap();
    let picture = text.find("[[pages.pictures]]               # illustrative: the same drawing").unwrap();
    let next = picture + text[picture..].find("\n[[").unwrap();
    std::fs::write(&issue, format!("{}{}", &text[..picture], &text[next + 1..])).unwrap();
    let build = common::engine().build(&issue, &options).unwrap();
    let view = View::of(&build, vec!["/page/1.svg".into(), "/page/2.svg".into()], 1, 0.0);
    let holes = &view.pages[1].holes;
    let right = view.pages[1].frames.iter().find(|f| f.article == "zhenggao").unwrap();
    assert_eq!(holes.iter().map(|h| h.columns).collect::<Vec<_>>(), [2]);
    assert!(
        (holes[0].rect.x - right.rect.x).abs() < 0.01
            && (holes[0].rect.y - (right.rect.y + right.rect.h)).abs() < 0.01
    );
    assert!(
        view.pages.iter().all(|p| p
            .frames
            .iter()
            .all(|f| f.rect.x + f.rect.w <= p.width && f.rect.y + f.rect.h <= p.height))
    );
}

#[test]
fn serves_the_proof_and_nothing_of_the_file_system() {
    let served = Served::start("kaifaqu-2023-10");
    let address = served.address();
    let get = |target: &str| request(&address, &format!("GET {target} HTTP/1.1\r\nHost: {address}"));
    let (status, page) = get("/");
    assert_eq!(status, 200);
    assert!(page.contains("/proof.js") && page.contains("Content-Security-Policy"), "{page}");
    assert_eq!(get("/proof.js").0, 200);
    for target in [
        "/../issue.toml",
        "/%2e%2e/issue.toml",
        "/%2E%2E/issue.toml",
        "/..%2fissue.toml",
        "/..%5cissue.toml",
        "/page/../../issue.toml",
        "/page/..%2f..%2fissue.toml.svg",
        "/issue.toml",
        "/articles/xingxian.md",
        "//etc/passwd",
        "/page/0.svg",
        "/proof.js/../issue.toml",
    ] {
        let (status, body) = get(target);
        assert_eq!(status, 404, "{target}");
        assert!(!body.contains("[paper]") && !body.contains("兴县"), "{target} leaked a file: {body}");
    }
    let (status, _) = request(&address, &format!("POST / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0"));
    assert_eq!(status, 405);
    // Another site's name for this address, and another site's page opening the socket.
    assert_eq!(request(&address, "GET / HTTP/1.1\r\nHost: attacker.example").0, 403);
    let upgrade = format!(
        "GET /live HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://attacker.example"
    );
    assert_eq!(request(&address, &upgrade).0, 400);
}

/// chromedriver on a free loopback port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Starts chromedriver; fails with what to install when the browser is missing.
fn chromedriver() -> Driver {
    for program in [CHROMEDRIVER, CHROMIUM] {
        assert!(
            Path::new(program).exists(),
            "{program} is missing: the browser tests need Chromium and its WebDriver \
             (Debian: apt-get install -y chromium chromium-driver)"
        );
    }
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, url: format!("http://127.0.0.1:{port}"), _profile: tempfile::tempdir().unwrap() }
}

/// A headless Chromium that talks to loopback only.
async fn browser(driver: &Driver) -> Client {
    let profile = driver._profile.path().display();
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1600,1200",
        &format!("--user-data-dir={profile}"),
    ];
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("chromedriver starts a browser")
}

/// Runs `script` (which returns a value) until the value is truthy; returns it.
async fn wait_for(client: &Client, script: &str) -> Value {
    let started = Instant::now();
    loop {
        let value = client.execute(script, vec![]).await.unwrap();
        let truthy =
            !matches!(&value, Value::Null | Value::Bool(false)) && value != json!(0) && value != json!("");
        if truthy {
            return value;
        }
        assert!(started.elapsed() < PATIENCE, "waited in vain for: {script}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every page's image loaded and drawn, when there are `pages` of them.
fn drawn(pages: usize) -> String {
    format!(
        "const imgs = [...document.querySelectorAll('.sheet > img')];
         return imgs.length === {pages} && imgs.every(i => i.complete && i.naturalWidth > 0);"
    )
}

#[tokio::test(flavor = "current_thread")]
async fn the_proof_updates_in_the_browser_without_a_reload() {
    let served = Served::start("kaifaqu-2023-10");
    let driver = chromedriver();
    let client = browser(&driver).await;
    client.goto(&served.url).await.unwrap();
    wait_for(&client, &drawn(2)).await;
    wait_for(&client, "return document.querySelectorAll('.thumb img').length === 2").await;

    // The overlay: every frame outlined with its fill.
    assert_eq!(
        client
            .execute("return getComputedStyle(document.querySelector('.overlay')).display", vec![])
            .await
            .unwrap(),
        "none"
    );
    client.find(Locator::Id("overlay-toggle")).await.unwrap().click().await.unwrap();
    let label = client.find(Locator::Css("#p0-f0 .label.fill")).await.unwrap();
    assert!(label.is_displayed().await.unwrap());
    let text = label.text().await.unwrap();
    assert!(text.starts_with("xingxian 1/2") && text.contains(" 行"), "{text}");

    // The keyboard goes to the next page.
    client.find(Locator::Css("body")).await.unwrap().send_keys("j").await.unwrap();
    wait_for(&client, "return document.querySelectorAll('.thumb')[1].classList.contains('active')").await;

    // An edit that runs the article over: the page changes, drawn red, without a reload.
    client.execute("window.notReloaded = true", vec![]).await.unwrap();
    // (yuanqu's frame reaches the page's foot; an auto frame would grow instead.)
    let body = served.file("articles/yuanqu.md");
    let text = std::fs::read_to_string(&body).unwrap();
    std::fs::write(&body, format!("{text}\n\n{text}")).unwrap();
    let overset =
        wait_for(&client, "return document.querySelector('.frame.over .overset')?.textContent").await;
    assert!(
        overset.as_str().unwrap().contains("差 ") && overset.as_str().unwrap().contains(" 行 / "),
        "{overset}"
    );
    wait_for(&client, &drawn(2)).await;
    assert_eq!(client.execute("return window.notReloaded === true", vec![]).await.unwrap(), true);
    // The report's overset row leads to the red frame.
    client.find(Locator::Css(".parts tr.bad")).await.unwrap().click().await.unwrap();
    wait_for(&client, "return document.querySelector('.frame.over').classList.contains('flash')").await;
    if let Ok(path) = std::env::var("BANMIAN_SCREENSHOT") {
        // The whole of page 2: its overset frame, its hole and its jump heads.
        let keys = client.find(Locator::Css("body")).await.unwrap();
        keys.send_keys("---").await.unwrap();
        tokio::time::sleep(Duration::from_millis(1600)).await; // the highlight fades
        std::fs::write(path, client.screenshot().await.unwrap()).unwrap();
    }

    // A build that stops before layout: its errors above the last good pages.
    let issue = served.file("issue.toml");
    let good = std::fs::read_to_string(&issue).unwrap();
    std::fs::write(&issue, good.replace("[paper]", "[paper")).unwrap();
    let banner =
        wait_for(&client, "const b = document.getElementById('banner'); return !b.hidden && b.textContent")
            .await;
    assert!(banner.as_str().unwrap().contains("issue.toml"), "{banner}");
    wait_for(&client, &drawn(2)).await;
    wait_for(&client, "return document.getElementById('pages').classList.contains('stale')").await;
    std::fs::write(&issue, good).unwrap();
    wait_for(&client, "return document.getElementById('banner').hidden").await;
    assert_eq!(client.execute("return window.notReloaded === true", vec![]).await.unwrap(), true);
    client.close().await.unwrap();
}

/// Times saving an article to the updated page in the browser, and the page's size over the
/// wire, for both examples. Run with
/// `cargo test --test serve -- --ignored --nocapture update_time_and_size`.
#[tokio::test(flavor = "current_thread")]
#[ignore = "a measurement, not a check"]
async fn update_time_and_size() {
    for (example, article, pages) in
        [("kaifaqu-2023-10", "articles/shouyang.md", 2), ("broadsheet-demo", "articles/shouyang.md", 4)]
    {
        let served = Served::start(example);
        let driver = chromedriver();
        let client = browser(&driver).await;
        client.goto(&served.url).await.unwrap();
        wait_for(&client, &drawn(pages)).await;
        let load = wire_bytes(&client, 0.0).await;
        let body = served.file(article);
        let original = std::fs::read_to_string(&body).unwrap();
        // Each edit changes one full stop of the original, so each is new to the browser's cache.
        let stops: Vec<usize> = original.match_indices('。').map(|(at, _)| at).collect();
        let (mut times, mut served_in, mut update_bytes) = (Vec::new(), Vec::new(), Vec::new());
        for edit in 0..7 {
            let before = client
                .execute(
                    "return [window.proof.updated.version, performance.now(), window.proof.bytes]",
                    vec![],
                )
                .await
                .unwrap();
            let saved = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0;
            let at = stops[edit % stops.len()];
            std::fs::write(&body, format!("{}！{}", &original[..at], &original[at + '。'.len_utf8()..]))
                .unwrap();
            let script = format!("const u = window.proof.updated; return u.version > {} && u", before[0]);
            let updated = wait_for(&client, &script).await;
            times.push(updated["at"].as_f64().unwrap() - saved);
            served_in.push(updated["received"].as_f64().unwrap() - saved);
            let (fetched, _) = wire_bytes(&client, before[1].as_f64().unwrap()).await;
            let socket = client.execute("return window.proof.bytes", vec![]).await.unwrap();
            update_bytes.push(fetched + socket.as_f64().unwrap() - before[2].as_f64().unwrap());
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "{example}: save → updated page, median of {} edits: {:.0} ms (view received after {:.0} ms); \
             first load {:.0} KiB over the wire ({:.0} KiB unpacked); an update {:.0} KiB",
            times.len(),
            median(times),
            median(served_in),
            load.0 / 1024.0,
            load.1 / 1024.0,
            median(update_bytes) / 1024.0,
        );
        client.close().await.unwrap();
    }
}

/// Bytes over the wire (headers included) and unpacked of what the page fetched since
/// `since` (ms on the page's clock): the document, its assets and SVGs; the WebSocket's
/// messages are counted apart.
async fn wire_bytes(client: &Client, since: f64) -> (f64, f64) {
    let script = format!(
        "const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
            .filter(e => e.startTime >= {since});
         const sum = (key) => all.reduce((n, e) => n + e[key], 0);
         return [sum('transferSize') + (window.proof.bytes * ({since} === 0)), sum('decodedBodySize')];"
    );
    let value = client.execute(&script, vec![]).await.unwrap();
    (value[0].as_f64().unwrap(), value[1].as_f64().unwrap())
}
