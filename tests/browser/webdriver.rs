//! A small W3C WebDriver client for chromedriver: the few commands the checks use, spoken as
//! JSON over plain HTTP with `ureq` (11 crates, blocking) rather than fantoccini or thirtyfour
//! (140 to 180 crates, tokio and hyper) so the test build stays lean on two cores.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The key under which WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver, killed when dropped.
pub struct Driver {
    child: Child,
    url: String,
    agent: ureq::Agent,
    chromium: PathBuf,
    /// Where chromedriver writes its log (kept for failure messages).
    pub log: PathBuf,
}

impl Driver {
    /// Start `chromedriver` on a free loopback port and wait until it answers.
    pub fn start(chromedriver: &Path, chromium: &Path, log: PathBuf) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let driver = Driver { child, url: format!("http://127.0.0.1:{port}"), agent, chromium: chromium.into(), log };
        let ready = wait_for(Duration::from_secs(30), || {
            let status = driver.request("GET", "/status", None).ok()?;
            status["ready"].as_bool().filter(|r| *r)
        });
        assert!(ready.is_some(), "chromedriver did not become ready; see {}", driver.log.display());
        driver
    }

    /// One HTTP exchange with chromedriver; `Err` carries WebDriver's error and message.
    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.cloned().unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.map_err(|e| format!("{method} {path}: {e}"))?;
        let ok = response.status().is_success();
        let text = response.body_mut().read_to_string().map_err(|e| format!("{method} {path}: {e}"))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{method} {path}: {e}: {text}"))?;
        let value = value.get("value").cloned().unwrap_or(Value::Null);
        if ok {
            Ok(value)
        } else {
            Err(format!("{method} {path}: {}: {}", value["error"], value["message"]))
        }
    }

    /// A new browser session: headless Chromium with a fresh profile.
    pub fn session(&self, options: SessionOptions) -> Session<'_> {
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            format!("--user-data-dir={}", profile.path().display()),
            "--window-size=1280,900".into(),
        ];
        let mut prefs = serde_json::Map::new();
        if !options.javascript {
            prefs.insert("profile.managed_default_content_settings.javascript".into(), json!(2));
        }
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": { "implicit": 0, "pageLoad": 60000, "script": 60000 },
                    "goog:chromeOptions": {
                        "binary": self.chromium,
                        "args": args,
                        "prefs": prefs,
                    },
                    "goog:loggingPrefs": { "browser": "ALL" },
                }
            }
        });
        let value = self
            .request("POST", "/session", Some(&caps))
            .unwrap_or_else(|e| panic!("cannot open a Chromium session: {e}; see {}", self.log.display()));
        let id = value["sessionId"].as_str().expect("session id").to_string();
        Session { driver: self, id, _profile: profile }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How to open a session.
pub struct SessionOptions {
    /// Whether pages may run scripts.
    pub javascript: bool,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions { javascript: true }
    }
}

/// A browser session, closed when dropped.
pub struct Session<'d> {
    driver: &'d Driver,
    id: String,
    _profile: tempfile::TempDir,
}

/// An element reference.
#[derive(Clone, Debug)]
pub struct Element(pub String);

impl Session<'_> {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.id);
        self.driver.request(method, &path, body.as_ref()).unwrap_or_else(|e| panic!("WebDriver {e}"))
    }

    /// Navigate and wait for the load event.
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    /// The current URL.
    pub fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap_or_default().to_string()
    }

    /// The document's title.
    pub fn title(&self) -> String {
        self.cmd("GET", "/title", None).as_str().unwrap_or_default().to_string()
    }

    /// Run a synchronous script (`return ...`) in the page.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Run a synchronous script; `None` if it failed (the page was being replaced, say).
    pub fn try_js(&self, script: &str, args: Value) -> Option<Value> {
        let path = format!("/session/{}/execute/sync", self.id);
        self.driver.request("POST", &path, Some(&json!({ "script": script, "args": args }))).ok()
    }

    /// Run an asynchronous script: its last argument is the callback to call with the result.
    pub fn js_async(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/async", Some(json!({ "script": script, "args": args })))
    }

    /// Every element matching a CSS selector.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self.cmd("POST", "/elements", Some(json!({ "using": "css selector", "value": css })));
        found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[ELEMENT_KEY].as_str())
            .map(|id| Element(id.into()))
            .collect()
    }

    /// The first element matching a CSS selector, if any.
    pub fn find(&self, css: &str) -> Option<Element> {
        self.find_all(css).into_iter().next()
    }

    /// An element as a script argument.
    pub fn arg(e: &Element) -> Value {
        json!({ ELEMENT_KEY: e.0 })
    }

    /// Click like a user (scrolls into view, fails if covered).
    pub fn click(&self, e: &Element) {
        self.cmd("POST", &format!("/element/{}/click", e.0), Some(json!({})));
    }

    /// Type into an element.
    pub fn type_text(&self, e: &Element, text: &str) {
        self.cmd("POST", &format!("/element/{}/value", e.0), Some(json!({ "text": text })));
    }

    /// The rendered (visible) text of an element.
    pub fn text(&self, e: &Element) -> String {
        self.cmd("GET", &format!("/element/{}/text", e.0), None).as_str().unwrap_or_default().to_string()
    }

    /// Whether WebDriver considers the element displayed.
    pub fn displayed(&self, e: &Element) -> bool {
        self.cmd("GET", &format!("/element/{}/displayed", e.0), None).as_bool().unwrap_or(false)
    }

    /// The element's computed ARIA role, as the accessibility tree sees it.
    pub fn role(&self, e: &Element) -> String {
        self.cmd("GET", &format!("/element/{}/computedrole", e.0), None).as_str().unwrap_or_default().to_string()
    }

    /// The element's computed accessible name.
    pub fn label(&self, e: &Element) -> String {
        self.cmd("GET", &format!("/element/{}/computedlabel", e.0), None).as_str().unwrap_or_default().to_string()
    }

    /// Drain the browser console log: `(level, message)` pairs.
    pub fn console(&self) -> Vec<(String, String)> {
        let entries = self.cmd("POST", "/se/log", Some(json!({ "type": "browser" })));
        entries
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| (e["level"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string()))
            .collect()
    }

    /// Press and release one key (a WebDriver key code such as `\u{E004}`, Tab) on whatever
    /// has the focus, as a user would.
    pub fn press(&self, key: &str) {
        let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
        ] }] });
        self.cmd("POST", "/actions", Some(actions));
    }

    /// A Chrome DevTools Protocol command (for media emulation).
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd("POST", "/goog/cdp/execute", Some(json!({ "cmd": cmd, "params": params })))
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.request("DELETE", &format!("/session/{}", self.id), None);
    }
}

/// Poll `probe` every 100 ms until it gives a value or `limit` passes. The limit only bounds a
/// wait for something the page does asynchronously; nothing asserts on how long it took.
pub fn wait_for<T>(limit: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = probe() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
