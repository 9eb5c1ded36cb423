//! JUnit XML, the test-result format most CI tools read, in the dialects real tools write.
//!
//! Checked against (see the corpus `HOW.md` files): pytest 9.2 (`--junitxml`, xunit1 and xunit2),
//! jest-junit 17.0 (with and without `reportTestSuiteErrors`), cargo-nextest 0.9.143, gotestsum
//! 1.8 (go 1.19), and, from their documented output, vitest 3 (`--reporter=junit`) and Maven
//! surefire 3 (`TEST-*.xml`, with `rerunFailingTestsCount`).
//!
//! The file is streamed (quick-xml, one reused buffer); memory does not grow with the number of
//! cases, only with the longest single text node and with the first [`MAX_FAILING_CASES`] failing
//! cases kept for display.
//!
//! # Figures
//!
//! Counts are always recomputed from the `<testcase>` elements; the `tests`/`failures`/... attributes
//! of `<testsuite>` are used only for a suite that lists no case at all (summary-only suites).
//!
//! - a case with a `<failure>` child is **failed**; with an `<error>` child it is an **error**
//!   (pytest reports a case that failed and then errored in teardown as both, and so do we);
//! - a case with a `<skipped>` child (and no failure or error) is **skipped**: pytest skips and
//!   xfails, jest `it.skip` and `it.todo`, vitest skip and todo, surefire `@Disabled`;
//! - every other case **passed**, including surefire's flaky cases (`<flakyFailure>`/`<flakyError>`
//!   only: they failed, then passed on a rerun). `<rerunFailure>`/`<rerunError>` only accompany a
//!   `<failure>`/`<error>` and are not counted again;
//! - jest-junit with `reportTestSuiteErrors: true` writes a suite that failed to run as a
//!   `<testsuite tests="0" errors="1">` holding one or two `<testcase classname="Test suite failed
//!   to run">`: jest counts that as one suite error and no test, and so do we (`errors` += 1 per
//!   such suite, its cases are not tests). jest-junit's default omits such a suite altogether: the
//!   XML then carries no trace of it, and no reader of it can count it;
//! - nested `<testsuite>` elements (surefire, some Karma and PHPUnit reporters) are walked; only
//!   cases count, so nothing is counted twice;
//! - `total` = `passed + failed + errors + skipped`.
//!
//! cargo-nextest lists only the tests that ran: `#[ignore]`d tests are in its summary line but not
//! in the XML, so they cannot be counted from it.
//!
//! `duration_s` is the sum of the `time` attributes of the outermost elements that have one (the
//! `<testsuites>` root when it has a `time`, else each top-level `<testsuite>`, else each case).
//!
//! A failing case carries its suite (innermost `<testsuite name>`), name, the `file`/`line`
//! attributes where the tool writes them (pytest, jest-junit `addFileAttribute`), and the first
//! non-empty line of the `message` attribute or, without one, of the element's text.

use super::MAX_FAILING_CASES;
use crate::xml_scan::{self, Bounded, Scanner, Token};
use crate::{FailingCase, Location, ReadError, TestFigures};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::io::BufReader;
use std::path::Path;

/// Deeper element nesting than this is rejected (JUnit reports nest a handful of levels).
const MAX_DEPTH: usize = 256;
/// At most this many lines of a failure's text are looked at for its message and location.
const MAX_TEXT_LINES: usize = 64;
/// A failure message is cut to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;
/// jest-junit's class name for the cases of a suite that failed to run.
const JEST_SUITE_ERROR_CLASS: &str = "Test suite failed to run";
/// What a JUnit file must start with.
const EXPECTED_ROOT: &str = "a JUnit `<testsuites>` or `<testsuite>` element";

/// True when the head of a file is JUnit XML: after the XML prolog, the first element is
/// `<testsuites>` or `<testsuite>`.
pub(super) fn sniff(head: &[u8]) -> bool {
    let rest = skip_prolog(head);
    rest.starts_with(b"<testsuites") || rest.starts_with(b"<testsuite")
}

/// Skips a byte-order mark, whitespace, `<?...?>`, comments and a doctype.
fn skip_prolog(mut head: &[u8]) -> &[u8] {
    head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    loop {
        head = trim_start(head);
        let end_marker: &[u8] = if head.starts_with(b"<?") {
            b"?>"
        } else if head.starts_with(b"<!--") {
            b"-->"
        } else if head.starts_with(b"<!DOCTYPE") || head.starts_with(b"<!doctype") {
            b">"
        } else {
            return head;
        };
        match memchr::memmem::find(head, end_marker) {
            Some(at) => head = head.get(at + end_marker.len()..).unwrap_or_default(),
            None => return &[],
        }
    }
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Reads one JUnit file and adds its figures to `figures`: with the hand-written scanner
/// ([`crate::xml_scan`]), and again from the start with quick-xml when the scanner gives up on
/// something unusual or the file has an error (whose message quick-xml's reading then gives).
pub(super) fn read_into(path: &Path, figures: &mut TestFigures) -> Result<(), ReadError> {
    let checkpoint = Checkpoint::of(figures);
    match read_fast(path, figures) {
        Ok(()) => Ok(()),
        Err(GiveUp) => {
            checkpoint.restore(figures);
            read_with_quick_xml(path, figures)
        }
    }
}

/// The figures before a file was read, to undo a fast read that gave up half-way.
struct Checkpoint {
    counts: TestFigures,
    failures: usize,
}

impl Checkpoint {
    fn of(figures: &TestFigures) -> Self {
        Checkpoint {
            counts: TestFigures {
                failures: Vec::new(),
                ..*figures
            },
            failures: figures.failures.len(),
        }
    }

    fn restore(self, figures: &mut TestFigures) {
        let mut failures = std::mem::take(&mut figures.failures);
        failures.truncate(self.failures);
        *figures = TestFigures {
            failures,
            ..self.counts
        };
    }
}

/// The fast path gave up: read the file again with quick-xml.
pub(crate) struct GiveUp;

impl From<ReadError> for GiveUp {
    fn from(_: ReadError) -> Self {
        GiveUp
    }
}

impl From<xml_scan::Stop> for GiveUp {
    fn from(_: xml_scan::Stop) -> Self {
        GiveUp
    }
}

/// Reads one file with the hand-written scanner only; `Err(GiveUp)` for anything it leaves to
/// quick-xml (also any error in the file).
pub(crate) fn read_fast(path: &Path, figures: &mut TestFigures) -> Result<(), GiveUp> {
    let file = crate::files::open_artifact(path).map_err(|_| GiveUp)?;
    let mut scanner = Scanner::new(file);
    let mut state = State::new(path, figures);
    while let Some((token, position)) = scanner.next_token()? {
        match token {
            Token::Empty { content, name_len } => {
                if !state.passing_empty_case(content.get(..name_len).unwrap_or_default()) {
                    let element = element_of(content, name_len)?;
                    state.start(&element, position)?;
                    state.end(position)?;
                }
            }
            Token::Start { content, name_len } => {
                state.start(&element_of(content, name_len)?, position)?;
            }
            Token::End { .. } => state.end(position)?,
            Token::Text { raw } => {
                let start = position.saturating_sub(raw.len() as u64);
                let raw = std::str::from_utf8(raw).map_err(|_| GiveUp)?;
                state.text(raw, true, start)?;
            }
            Token::CData { data } => {
                let start = position.saturating_sub(data.len() as u64);
                let data = std::str::from_utf8(data).map_err(|_| GiveUp)?;
                state.text(data, false, start)?;
            }
            Token::Comment { .. } | Token::Instruction | Token::DocType => state.saw_markup = true,
        }
    }
    state.finish(scanner.position())?;
    Ok(())
}

/// A start tag from the scanner as quick-xml's type, which the attribute reading uses.
fn element_of(content: &[u8], name_len: usize) -> Result<BytesStart<'_>, GiveUp> {
    let content = std::str::from_utf8(content).map_err(|_| GiveUp)?;
    Ok(BytesStart::from_content(content, name_len))
}

/// Reads one JUnit file with quick-xml (the reference path) and adds its figures to `figures`.
pub(crate) fn read_with_quick_xml(path: &Path, figures: &mut TestFigures) -> Result<(), ReadError> {
    let file = crate::files::open_artifact(path)?;
    let mut reader = Reader::from_reader(BufReader::with_capacity(64 * 1024, Bounded::new(file)));
    {
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
    }
    let mut state = State::new(path, figures);
    let mut buf = Vec::with_capacity(16 * 1024);
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(error) if xml_scan::is_too_long(&error) => {
                return Err(state.error(
                    reader.buffer_position(),
                    "tags and texts of at most 16 MiB each",
                    xml_scan::TOO_LONG,
                ));
            }
            Err(error) => {
                return Err(state.error(
                    reader.error_position(),
                    "well-formed XML",
                    xml_error_text(&error),
                ));
            }
        };
        let position = reader.buffer_position();
        match event {
            Event::Start(element) => state.start(&element, position)?,
            Event::Empty(element) => {
                if !state.passing_empty_case(element.name().into_inner()) {
                    state.start(&element, position)?;
                    state.end(position)?;
                }
            }
            Event::End(_) => state.end(position)?,
            Event::Text(text) => {
                let start = position.saturating_sub(text.len() as u64);
                let raw = std::str::from_utf8(&text).map_err(|error| {
                    state.error(
                        start + error.valid_up_to() as u64,
                        "UTF-8 text",
                        "bytes that are not UTF-8",
                    )
                })?;
                state.text(raw, true, start)?;
            }
            Event::CData(data) => {
                let start = position.saturating_sub(data.len() as u64);
                let raw = std::str::from_utf8(&data).map_err(|error| {
                    state.error(
                        start + error.valid_up_to() as u64,
                        "UTF-8 text",
                        "bytes that are not UTF-8",
                    )
                })?;
                state.text(raw, false, start)?;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {
                state.saw_markup = true;
            }
            Event::Eof => break,
        }
        buf.clear();
        reader.get_mut().get_mut().event_done();
    }
    state.finish(reader.buffer_position())
}

fn xml_error_text(error: &quick_xml::Error) -> String {
    match error {
        quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag) => {
            "a tag cut off by the end of the file".to_string()
        }
        other => other.to_string(),
    }
}

/// The elements the reader is inside of.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Frame {
    Suites {
        timed: bool,
    },
    Suite {
        timed: bool,
        /// Index of this suite's name in `State::suite_names`.
        level: usize,
        cases: u64,
        has_child_suites: bool,
        /// jest-junit "Test suite failed to run" cases were seen in this suite.
        suite_error: bool,
        declared: Declared,
    },
    Case,
    Outcome,
    Other,
}

impl Frame {
    fn element(&self) -> &'static str {
        match self {
            Frame::Suites { .. } => "`</testsuites>`",
            Frame::Suite { .. } => "`</testsuite>`",
            Frame::Case => "`</testcase>`",
            Frame::Outcome | Frame::Other => "a closing tag",
        }
    }

    fn timed(&self) -> bool {
        matches!(
            self,
            Frame::Suites { timed: true } | Frame::Suite { timed: true, .. }
        )
    }
}

/// The counts a `<testsuite>` declares in its attributes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Declared {
    /// Where the suite's start tag ends, for errors.
    position: u64,
    tests: Option<u64>,
    failures: Option<u64>,
    errors: Option<u64>,
    skipped: Option<u64>,
}

/// The case being read (cases do not nest; the buffers are reused from case to case).
#[derive(Debug, Default)]
struct Case {
    /// The start tag's bytes (name and attributes), parsed only when the case fails.
    raw: Vec<u8>,
    name_len: usize,
    position: u64,
    parsed: bool,
    name: String,
    classname_is_suite_error: bool,
    file: Option<String>,
    line: Option<u32>,
    failed: bool,
    errored: bool,
    skipped: bool,
    message: String,
    /// The message is still to be taken from the text of a `<failure>`/`<error>`.
    message_from_text: bool,
    /// `path:line` found in the failure text, for cases without a `file` attribute.
    text_location: Option<(String, u32)>,
}

impl Case {
    fn wants_location(&self) -> bool {
        self.file.is_none() && self.text_location.is_none()
    }

    /// Looks for a location (`src/lib.rs:64:9`, `(/repo/a.test.ts:48:24)`) in one line of text.
    fn look_for_location(&mut self, line: &str) {
        if self.wants_location() {
            if let Some((file, line)) = find_location(line) {
                self.text_location = Some((file.to_string(), line));
            }
        }
    }
}

struct State<'a> {
    path: &'a Path,
    figures: &'a mut TestFigures,
    stack: Vec<Frame>,
    /// Names of the open suites, by nesting level (buffers reused).
    suite_names: Vec<String>,
    suite_level: usize,
    case: Case,
    in_case: bool,
    saw_root: bool,
    /// Anything but whitespace was seen (an XML declaration, a comment...).
    saw_markup: bool,
    duration: Option<f64>,
    /// pytest writes 0-based `line` attributes.
    pytest: bool,
}

impl<'a> State<'a> {
    fn new(path: &'a Path, figures: &'a mut TestFigures) -> Self {
        State {
            path,
            figures,
            stack: Vec::with_capacity(16),
            suite_names: Vec::new(),
            suite_level: 0,
            case: Case::default(),
            in_case: false,
            saw_root: false,
            saw_markup: false,
            duration: None,
            pytest: false,
        }
    }

    fn error(&self, offset: u64, expected: &str, found: impl Into<String>) -> ReadError {
        ReadError::Malformed {
            path: self.path.to_path_buf(),
            location: Some(Location::ByteOffset(offset)),
            expected: expected.to_string(),
            found: found.into(),
        }
    }

    /// A `time` attribute in seconds: an unreadable one is left out of the duration, a negative
    /// one (no clock runs backwards) is an error rather than a figure.
    fn duration_of(&self, value: Option<&str>, position: u64) -> Result<Option<f64>, ReadError> {
        let Some(value) = value else {
            return Ok(None);
        };
        match parse_time(value) {
            Some(time) if !time.is_finite() || time < 0.0 => Err(self.error(
                position,
                "a duration of at least 0 seconds in attribute `time`",
                format!("`{}`", clip(value.trim())),
            )),
            time => Ok(time),
        }
    }

    fn ancestors_timed(&self) -> bool {
        self.stack.iter().any(Frame::timed)
    }

    fn add_time(&mut self, time: Option<f64>) {
        if let Some(time) = time {
            self.duration = Some(self.duration.unwrap_or(0.0) + time);
        }
    }

    fn start(&mut self, element: &BytesStart<'_>, position: u64) -> Result<(), ReadError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                position,
                "JUnit elements nested at most 256 deep",
                "deeper nesting",
            ));
        }
        let name = local_name(element.name().into_inner());
        if self.stack.is_empty() && name != b"testsuites" && name != b"testsuite" {
            return Err(self.error(
                position,
                EXPECTED_ROOT,
                format!("`<{}>`", String::from_utf8_lossy(name)),
            ));
        }
        self.saw_root = true;
        let frame = match name {
            b"testsuites" if !self.in_case => {
                if self.stack.is_empty() {
                    let name = self.attribute(element, b"name", position)?;
                    self.pytest |= name.as_deref() == Some("pytest tests");
                }
                let time = self.attribute(element, b"time", position)?;
                let time = self.duration_of(time.as_deref(), position)?;
                let timed = time.is_some();
                if !self.ancestors_timed() {
                    self.add_time(time);
                }
                Frame::Suites { timed }
            }
            b"testsuite" if !self.in_case => self.start_suite(element, position)?,
            b"testcase" if !self.in_case => self.start_case(element, position)?,
            b"failure" | b"error" if self.in_case && self.stack.last() == Some(&Frame::Case) => {
                self.parse_case_attributes()?;
                if name == b"failure" {
                    self.case.failed = true;
                } else {
                    self.case.errored = true;
                }
                if self.case.message.is_empty() {
                    let message = self.attribute(element, b"message", position)?;
                    // gotestsum's message is always "Failed": the text says more.
                    match message.as_deref().and_then(first_line) {
                        Some(line) if line != "Failed" => {
                            set_message(&mut self.case.message, line);
                            self.case.look_for_location(line);
                        }
                        _ => self.case.message_from_text = true,
                    }
                }
                Frame::Outcome
            }
            b"skipped" if self.in_case && self.stack.last() == Some(&Frame::Case) => {
                self.case.skipped = true;
                Frame::Other
            }
            _ => Frame::Other,
        };
        self.stack.push(frame);
        Ok(())
    }

    fn start_suite(&mut self, element: &BytesStart<'_>, position: u64) -> Result<Frame, ReadError> {
        let level = self.suite_level;
        if let Some(Frame::Suite {
            has_child_suites, ..
        }) = self
            .stack
            .iter_mut()
            .rev()
            .find(|frame| matches!(frame, Frame::Suite { .. }))
        {
            *has_child_suites = true;
        }
        if self.suite_names.len() <= level {
            self.suite_names.push(String::new());
        }
        let mut declared = Declared {
            position,
            ..Declared::default()
        };
        let mut time = None;
        let mut suite_name = None;
        for attribute in element.attributes().with_checks(false) {
            let attribute = attribute.map_err(|error| {
                self.error(position, "well-formed attributes", error.to_string())
            })?;
            let key = local_name(attribute.key.into_inner());
            let slot = match key {
                b"name" => {
                    suite_name = Some(self.unescape(&attribute, position)?.into_owned());
                    continue;
                }
                b"time" => {
                    time =
                        self.duration_of(Some(&self.unescape(&attribute, position)?), position)?;
                    continue;
                }
                b"tests" => &mut declared.tests,
                b"failures" => &mut declared.failures,
                b"errors" => &mut declared.errors,
                b"skipped" | b"skip" => &mut declared.skipped,
                _ => continue,
            };
            let value = attribute.unescape_value().map_err(|error| {
                self.error(position, "a well-formed attribute value", error.to_string())
            })?;
            *slot = Some(parse_count(&value).ok_or_else(|| {
                self.error(
                    position,
                    &format!(
                        "a whole number of tests in attribute `{}`",
                        String::from_utf8_lossy(key)
                    ),
                    format!("`{}`", clip(&value)),
                )
            })?);
        }
        // pytest's default suite name (`junit_suite_name`).
        self.pytest |= suite_name.as_deref() == Some("pytest");
        if let Some(slot) = self.suite_names.get_mut(level) {
            slot.clear();
            slot.push_str(suite_name.as_deref().unwrap_or_default());
        }
        let timed = time.is_some();
        if !self.ancestors_timed() {
            self.add_time(time);
        }
        self.suite_level += 1;
        Ok(Frame::Suite {
            timed,
            level,
            cases: 0,
            has_child_suites: false,
            suite_error: false,
            declared,
        })
    }

    /// The hot path: an empty `<testcase .../>` passed, and when no time is wanted from it,
    /// its attributes need not be read at all.
    fn passing_empty_case(&mut self, name: &[u8]) -> bool {
        if self.in_case
            || self.stack.is_empty()
            || local_name(name) != b"testcase"
            || !self.ancestors_timed()
        {
            return false;
        }
        self.count_case_in_suite();
        self.figures.passed += 1;
        self.figures.total += 1;
        true
    }

    fn count_case_in_suite(&mut self) {
        if let Some(Frame::Suite { cases, .. }) = self
            .stack
            .iter_mut()
            .rev()
            .find(|frame| matches!(frame, Frame::Suite { .. }))
        {
            *cases += 1;
        }
    }

    fn start_case(&mut self, element: &BytesStart<'_>, position: u64) -> Result<Frame, ReadError> {
        let want_time = !self.ancestors_timed();
        self.count_case_in_suite();
        self.in_case = true;
        let case = &mut self.case;
        case.raw.clear();
        case.raw.extend_from_slice(element);
        case.name_len = element.name().as_ref().len();
        case.position = position;
        case.parsed = false;
        case.name.clear();
        case.classname_is_suite_error = false;
        case.file = None;
        case.line = None;
        case.failed = false;
        case.errored = false;
        case.skipped = false;
        case.message.clear();
        case.message_from_text = false;
        case.text_location = None;
        if want_time {
            let time = self.attribute(element, b"time", position)?;
            let time = self.duration_of(time.as_deref(), position)?;
            self.add_time(time);
        }
        Ok(Frame::Case)
    }

    /// Reads the attributes of the current case (once, and only for a failing case).
    fn parse_case_attributes(&mut self) -> Result<(), ReadError> {
        if self.case.parsed {
            return Ok(());
        }
        self.case.parsed = true;
        let raw = std::mem::take(&mut self.case.raw);
        let result = self.parse_raw_case(&raw);
        self.case.raw = raw;
        result
    }

    fn parse_raw_case(&mut self, raw: &[u8]) -> Result<(), ReadError> {
        let position = self.case.position;
        let content = std::str::from_utf8(raw)
            .map_err(|_| self.error(position, "UTF-8 attributes", "bytes that are not UTF-8"))?;
        let element = BytesStart::from_content(content, self.case.name_len);
        for attribute in element.attributes().with_checks(false) {
            let attribute = attribute.map_err(|error| {
                self.error(position, "well-formed attributes", error.to_string())
            })?;
            match local_name(attribute.key.into_inner()) {
                b"name" => {
                    let value = self.unescape(&attribute, position)?;
                    self.case.name.push_str(&value);
                }
                b"classname" => {
                    let value = self.unescape(&attribute, position)?;
                    self.case.classname_is_suite_error = value == JEST_SUITE_ERROR_CLASS;
                }
                b"file" => {
                    let value = self.unescape(&attribute, position)?;
                    self.case.file = Some(value.into_owned());
                }
                b"line" => {
                    let value = self.unescape(&attribute, position)?;
                    self.case.line = value.trim().parse().ok();
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn attribute(
        &self,
        element: &BytesStart<'_>,
        wanted: &[u8],
        position: u64,
    ) -> Result<Option<String>, ReadError> {
        for attribute in element.attributes().with_checks(false) {
            let attribute = attribute.map_err(|error| {
                self.error(position, "well-formed attributes", error.to_string())
            })?;
            if local_name(attribute.key.into_inner()) == wanted {
                return Ok(Some(self.unescape(&attribute, position)?.into_owned()));
            }
        }
        Ok(None)
    }

    fn unescape<'v>(
        &self,
        attribute: &quick_xml::events::attributes::Attribute<'v>,
        position: u64,
    ) -> Result<Cow<'v, str>, ReadError> {
        attribute.unescape_value().map_err(|error| {
            self.error(
                position,
                "a well-formed UTF-8 attribute value",
                error.to_string(),
            )
        })
    }

    fn text(&mut self, raw: &str, escaped: bool, start: u64) -> Result<(), ReadError> {
        if self.stack.is_empty() {
            let trimmed = raw.trim();
            if !trimmed.is_empty() {
                return Err(self.error(start, EXPECTED_ROOT, format!("text `{}`", clip(trimmed))));
            }
            return Ok(());
        }
        if self.stack.last() != Some(&Frame::Outcome)
            || !(self.case.message_from_text || self.case.wants_location())
        {
            return Ok(());
        }
        // Entities never span a raw line break, so each raw line can be unescaped on its own.
        for raw_line in raw.split('\n').take(MAX_TEXT_LINES) {
            if raw_line.trim().is_empty() {
                continue;
            }
            let clipped = clip_raw(raw_line, 4 * MAX_MESSAGE_CHARS);
            let unescaped = if escaped {
                // A line clipped inside an entity fails to unescape: fall back to the raw text.
                quick_xml::escape::unescape(clipped).unwrap_or(Cow::Borrowed(clipped))
            } else {
                Cow::Borrowed(clipped)
            };
            for line in unescaped
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .take(MAX_TEXT_LINES)
            {
                if self.case.message_from_text && !is_framing(line) {
                    set_message(&mut self.case.message, line);
                    self.case.message_from_text = false;
                }
                self.case.look_for_location(line);
                if !self.case.message_from_text && !self.case.wants_location() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn end(&mut self, position: u64) -> Result<(), ReadError> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.error(position, EXPECTED_ROOT, "a closing tag"));
        };
        match frame {
            Frame::Suite {
                level,
                cases,
                has_child_suites,
                suite_error,
                declared,
                ..
            } => {
                self.suite_level = level;
                if suite_error {
                    self.figures.errors += 1;
                } else if cases == 0 && !has_child_suites {
                    self.add_declared(declared)?;
                }
            }
            Frame::Case => {
                self.in_case = false;
                self.finish_case();
            }
            Frame::Suites { .. } | Frame::Outcome | Frame::Other => {}
        }
        Ok(())
    }

    /// A suite that lists no cases: its declared counts are all there is.
    /// More failures or skips than tests is no tool's output: an error, not a figure.
    fn add_declared(&mut self, declared: Declared) -> Result<(), ReadError> {
        if let Some(tests) = declared.tests {
            for (count, name) in [
                (declared.failures, "failures"),
                (declared.skipped, "skipped"),
            ] {
                if let Some(count) = count.filter(|count| *count > tests) {
                    return Err(self.error(
                        declared.position,
                        &format!("a suite's `{name}` at most its `tests`"),
                        format!("`{name}=\"{count}\"` with `tests=\"{tests}\"`"),
                    ));
                }
            }
        }
        let tests = declared.tests.unwrap_or(0);
        let failed = declared.failures.unwrap_or(0);
        let errors = declared.errors.unwrap_or(0);
        let skipped = declared.skipped.unwrap_or(0);
        let not_passed = failed.saturating_add(errors).saturating_add(skipped);
        let figures = &mut *self.figures;
        figures.failed = figures.failed.saturating_add(failed);
        figures.errors = figures.errors.saturating_add(errors);
        figures.skipped = figures.skipped.saturating_add(skipped);
        figures.passed = figures
            .passed
            .saturating_add(tests.saturating_sub(not_passed));
        figures.total = figures.total.saturating_add(tests.max(not_passed));
        Ok(())
    }

    fn finish_case(&mut self) {
        let suite_level = self.suite_level.checked_sub(1);
        if self.case.classname_is_suite_error && (self.case.failed || self.case.errored) {
            let mut first_in_suite = false;
            if let Some(Frame::Suite { suite_error, .. }) = self
                .stack
                .iter_mut()
                .rev()
                .find(|frame| matches!(frame, Frame::Suite { .. }))
            {
                first_in_suite = !*suite_error;
                *suite_error = true;
            }
            if first_in_suite {
                let file = Some(self.case.name.clone());
                self.record(suite_level, JEST_SUITE_ERROR_CLASS.to_string(), file);
            }
            return;
        }
        let figures = &mut *self.figures;
        let mut outcomes = 0;
        if self.case.failed {
            figures.failed += 1;
            outcomes += 1;
        }
        if self.case.errored {
            figures.errors += 1;
            outcomes += 1;
        }
        if outcomes == 0 {
            if self.case.skipped {
                figures.skipped += 1;
            } else {
                figures.passed += 1;
            }
            figures.total += 1;
            return;
        }
        figures.total += outcomes;
        let name = self.case.name.clone();
        let file = self.case.file.clone();
        self.record(suite_level, name, file);
    }

    fn record(&mut self, suite_level: Option<usize>, name: String, file: Option<String>) {
        if self.figures.failures.len() >= MAX_FAILING_CASES {
            return;
        }
        let suite = suite_level
            .and_then(|level| self.suite_names.get(level))
            .cloned()
            .unwrap_or_default();
        let (file, line) = match (file, &self.case.text_location) {
            (Some(file), _) => {
                let line = match self.case.line {
                    Some(line) if self.pytest => line.checked_add(1),
                    line => line,
                };
                (Some(file), line)
            }
            (None, Some((file, line))) => (Some(file.clone()), Some(*line)),
            (None, None) => (None, None),
        };
        self.figures.failures.push(FailingCase {
            suite,
            name,
            file,
            line,
            message: self.case.message.clone(),
        });
    }

    fn finish(self, position: u64) -> Result<(), ReadError> {
        if let Some(open) = self.stack.last() {
            return Err(self.error(position, open.element(), "the end of the file"));
        }
        if !self.saw_root && !self.saw_markup {
            return Err(ReadError::Empty {
                path: self.path.to_path_buf(),
                expected: EXPECTED_ROOT.to_string(),
            });
        }
        if !self.saw_root {
            return Err(self.error(position, EXPECTED_ROOT, "no XML element"));
        }
        if let Some(duration) = self.duration {
            self.figures.duration_s = Some(self.figures.duration_s.unwrap_or(0.0) + duration);
        }
        Ok(())
    }
}

/// An element or attribute name without its namespace prefix (after the first `:`), as
/// quick-xml's `local_name` gives it, without its `memchr` (whose vector set-up costs more than
/// it saves on a name of a few bytes).
#[inline]
fn local_name(name: &[u8]) -> &[u8] {
    match name.iter().position(|b| *b == b':') {
        Some(colon) => name.get(colon + 1..).unwrap_or_default(),
        None => name,
    }
}

/// A `time` attribute as a number of seconds (also with a decimal comma); `None` when unreadable.
fn parse_time(value: &str) -> Option<f64> {
    let value = value.trim();
    value
        .parse()
        .ok()
        .or_else(|| value.replace(',', ".").parse().ok())
}

fn parse_count(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// Lines of a failure's text that frame it rather than say what failed.
fn is_framing(line: &str) -> bool {
    line == "● Test suite failed to run"
        || line.starts_with("=== RUN")
        || line.starts_with("=== PAUSE")
        || line.starts_with("=== CONT")
        || line.starts_with("--- FAIL")
}

/// Source file extensions a location in failure text may name.
const SOURCE_EXTENSIONS: &[&str] = &[
    "rs", "go", "py", "ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "java", "kt", "scala",
    "rb", "cs", "php", "swift", "c", "cc", "cpp", "h", "hpp", "ex", "exs", "vue", "svelte",
];

/// The first `path:line` in a line of failure text whose path is a source file outside
/// dependencies and toolchains (`node_modules/`, `/rustc/`, `node:`).
fn find_location(text: &str) -> Option<(&str, u32)> {
    for (colon, _) in text.match_indices(':') {
        let after = text.get(colon + 1..).unwrap_or_default();
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            continue;
        }
        let before = text.get(..colon).unwrap_or_default();
        let start = before
            .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '\'' | '"' | '['))
            .map_or(0, |at| at + 1);
        let path = before.get(start..).unwrap_or_default();
        let path = path.strip_prefix("file://").unwrap_or(path);
        let is_source = path.rsplit_once('.').is_some_and(|(stem, extension)| {
            !stem.is_empty() && SOURCE_EXTENSIONS.contains(&extension)
        });
        if !is_source
            || path.contains("node_modules/")
            || path.starts_with("/rustc/")
            || path.starts_with("node:")
        {
            continue;
        }
        let line = after.get(..digits).and_then(|digits| digits.parse().ok())?;
        return Some((path, line));
    }
    None
}

/// The first non-empty line, trimmed.
fn first_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|line| !line.is_empty())
}

fn set_message(message: &mut String, line: &str) {
    message.clear();
    message.extend(line.chars().take(MAX_MESSAGE_CHARS));
}

/// At most `max` bytes of `text`, cut on a character boundary.
fn clip_raw(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// User text shortened for an error message.
fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(40).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}
