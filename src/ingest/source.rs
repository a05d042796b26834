//! Inputs → byte streams → format readers: files, gzip, directories, and [`Records`].
//!
//! [`Records`] walks the inputs in the order given (a directory's files sorted by path,
//! symlinks followed, loops reported), opens each file, decompresses gzip (by `.gz` extension
//! or by magic bytes) with a streaming `MultiGzDecoder`, rejects binary data, strips a UTF-8
//! BOM, picks the format (by extension, else by sniffing the first non-space byte) and hands
//! the stream to the listing or JSON reader. Every problem becomes an [`IngestError`] item and
//! reading goes on with the next line or file. Memory is bounded: one buffered block per
//! stage, one line (or JSON array element) and an 8 KiB head for sniffing.
//!
//! This module does not parse formats (see `listing.rs`, `json.rs`) and does not deduplicate.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::bufread::MultiGzDecoder;
use walkdir::WalkDir;

use super::json::{JsonArrayReader, JsonLinesReader};
use super::listing::ListingReader;
use super::{IngestError, Record};

/// Size of the read buffers.
const BUF_SIZE: usize = 64 * 1024;
/// How much of a file's (decompressed) start is examined for binary data and format.
const HEAD_SIZE: usize = 8 * 1024;
/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Extensions read inside directories, each optionally followed by `.gz`.
const EXTENSIONS: &[&str] = &["txt", "jsonl", "ndjson", "json"];

/// Options for reading: the limits that keep hostile input from exhausting memory or time.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// The longest line (or JSON array element) read, in bytes; a longer one is an
    /// [`IngestError::LineTooLong`] for that line and is skipped. Also bounds memory per
    /// line. Default [`IngestOptions::DEFAULT_MAX_LINE_BYTES`] (8 MiB).
    pub max_line_bytes: usize,
    /// The most bytes read from one file (after decompression, so a gzip bomb stops here
    /// too); `None` for no limit (the default). The records before the limit are kept and
    /// an [`IngestError::FileTooLarge`] names the line reached; the rest is skipped.
    pub max_file_bytes: Option<u64>,
}

impl IngestOptions {
    /// The default [`IngestOptions::max_line_bytes`]: 8 MiB, a thousand times a long
    /// abstract.
    pub const DEFAULT_MAX_LINE_BYTES: usize = 8 * 1024 * 1024;
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_line_bytes: Self::DEFAULT_MAX_LINE_BYTES,
            max_file_bytes: None,
        }
    }
}

/// What the format readers need to know about the file they read.
#[derive(Clone, Debug)]
pub(crate) struct FileCtx {
    /// The file, as given or as found under a directory.
    pub path: PathBuf,
    /// Whether the stream is being decompressed (read errors are then gzip errors).
    pub gzip: bool,
    /// [`IngestOptions::max_line_bytes`].
    pub max_line_bytes: usize,
    /// [`IngestOptions::max_file_bytes`], to name it in [`IngestError::FileTooLarge`].
    pub max_file_bytes: Option<u64>,
}

impl FileCtx {
    /// A context for `path`.
    pub fn new(path: PathBuf, gzip: bool, max_line_bytes: usize) -> Self {
        FileCtx {
            path,
            gzip,
            max_line_bytes,
            max_file_bytes: None,
        }
    }

    /// The error for a failed read at `line`: the file size limit when [`Limited`] stopped
    /// it, corrupt gzip when decompressing, else I/O.
    pub fn read_error(&self, e: io::Error, line: Option<usize>) -> IngestError {
        if e.get_ref().is_some_and(|inner| inner.is::<LimitReached>()) {
            return IngestError::FileTooLarge {
                path: self.path.clone(),
                line,
                max: self.max_file_bytes.unwrap_or(0),
            };
        }
        let data_error = matches!(
            e.kind(),
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
        );
        if self.gzip && data_error {
            IngestError::CorruptGzip {
                path: self.path.clone(),
                line,
                message: e.to_string(),
            }
        } else {
            IngestError::Read {
                path: self.path.clone(),
                line,
                source: e,
            }
        }
    }
}

/// Whether a path is a file this module reads: by extension, `.txt`, `.jsonl`, `.ndjson` or
/// `.json`, each optionally followed by `.gz` (case-insensitive).
///
/// Inside a directory only these files are read; a file named explicitly is read whatever its
/// name (its format is then sniffed).
pub fn is_supported(path: &Path) -> bool {
    inner_extension(path).is_some_and(|ext| EXTENSIONS.contains(&ext.as_str()))
}

/// The lowercased extension, ignoring a final `.gz`: `a.JSONL.gz` → `jsonl`.
fn inner_extension(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_owned())
}

/// Whether the name ends in `.gz` (case-insensitive).
fn has_gz_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Total size in bytes of the files the inputs name (directories walked, as [`Records`]
/// walks them), for a progress bar's length. Unreadable entries count 0.
///
/// For gzip files this is the compressed size, matching [`Records::bytes_read`].
pub fn total_bytes(inputs: &[PathBuf]) -> u64 {
    InputPaths::new(inputs)
        .filter_map(Result::ok)
        .map(|path| {
            fs::metadata(path)
                .map(|m| if m.is_file() { m.len() } else { 0 })
                .unwrap_or(0)
        })
        .sum()
}

/// The files named by the inputs, in order: a file as given, a directory's supported files
/// sorted by path; walk problems as errors.
struct InputPaths {
    inputs: std::vec::IntoIter<PathBuf>,
    walk: Option<(PathBuf, walkdir::IntoIter)>,
}

impl InputPaths {
    fn new(inputs: &[PathBuf]) -> Self {
        InputPaths {
            inputs: Vec::from(inputs).into_iter(),
            walk: None,
        }
    }
}

impl Iterator for InputPaths {
    type Item = Result<PathBuf, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((dir, walk)) = &mut self.walk {
                match walk.next() {
                    Some(Ok(entry)) => {
                        if entry.file_type().is_file() && is_supported(entry.path()) {
                            return Some(Ok(entry.into_path()));
                        }
                        continue;
                    }
                    Some(Err(e)) => {
                        let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                        let message = match (e.loop_ancestor(), e.io_error()) {
                            (Some(ancestor), _) => {
                                format!("symlink loop back to {}", ancestor.display())
                            }
                            (None, Some(io)) => io.to_string(),
                            (None, None) => e.to_string(),
                        };
                        return Some(Err(IngestError::Walk { path, message }));
                    }
                    None => self.walk = None,
                }
            }
            let input = self.inputs.next()?;
            if input.is_dir() {
                let walk = WalkDir::new(&input)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter();
                self.walk = Some((input, walk));
            } else {
                // Missing or unreadable: opening it reports the problem.
                return Some(Ok(input));
            }
        }
    }
}

/// Counts the bytes read through it into a shared counter.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The format of a file's contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Listing,
    JsonLines,
    JsonArray,
}

/// The format by extension (ignoring `.gz`), else by the first non-space byte of `head`.
fn detect_format(path: &Path, head: &[u8]) -> Format {
    let first = head.iter().copied().find(|b| !b.is_ascii_whitespace());
    let sniff_json = || match first {
        Some(b'[') => Format::JsonArray,
        _ => Format::JsonLines,
    };
    match inner_extension(path).as_deref() {
        Some("txt") => Format::Listing,
        Some("jsonl" | "ndjson") => Format::JsonLines,
        Some("json") => sniff_json(),
        _ => match first {
            Some(b'{' | b'[') => sniff_json(),
            _ => Format::Listing,
        },
    }
}

/// Whether the start of a file looks binary: NUL bytes making more than 1/64 of it (UTF-16
/// text, images, archives, zero-filled blocks), or more than 30% of bytes that are control
/// characters (NUL included) or not valid UTF-8.
///
/// A few stray NUL bytes in a text file do not make it binary: the lines holding them are
/// dealt with one by one (NUL is a control character, read as a space), so one bad byte
/// does not lose the whole file.
fn looks_binary(head: &[u8]) -> bool {
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls * 64 > head.len() {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| {
            (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1b)) || b == 0x7f
        })
        .count();
    let mut invalid = 0;
    let mut rest = head;
    while let Err(e) = std::str::from_utf8(rest) {
        match e.error_len() {
            Some(n) => {
                invalid += n;
                rest = &rest[e.valid_up_to() + n..];
            }
            // A character cut at the end of the head.
            None => break,
        }
    }
    (controls + invalid) * 10 > head.len() * 3
}

/// Reads up to `limit` bytes; on error returns what was read with it.
fn read_head(reader: &mut dyn Read, limit: usize) -> Result<Vec<u8>, (io::Error, Vec<u8>)> {
    let mut head = Vec::with_capacity(limit);
    let mut chunk = [0u8; 4096];
    while head.len() < limit {
        let want = (limit - head.len()).min(chunk.len());
        match reader.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err((e, head)),
        }
    }
    Ok(head)
}

/// The payload of the error [`Limited`] returns once its limit is reached.
#[derive(Debug)]
struct LimitReached;

impl std::fmt::Display for LimitReached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("file size limit reached")
    }
}

impl std::error::Error for LimitReached {}

/// Passes at most `remaining` bytes through, then fails with [`LimitReached`] (if there is
/// more to read), so the format reader reports the line it reached.
struct Limited<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.remaining == 0 {
            // Only an error if the file really goes on.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(LimitReached)),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// A reader that fails once with a saved error, then reads as empty.
struct FailAfter(Option<io::Error>);

impl Read for FailAfter {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// The items of one file.
type Items = Box<dyn Iterator<Item = Result<Record, IngestError>> + Send>;

/// The file being read.
struct Current {
    path: PathBuf,
    items: Items,
    /// Raw bytes read from the file so far.
    counter: Arc<AtomicU64>,
    /// Its size, for a regular file.
    size: Option<u64>,
    /// Items yielded so far (records and errors).
    yielded: usize,
    /// Whether the file could be opened.
    opened: bool,
}

impl Current {
    /// Bytes of this file to count as read.
    fn bytes_read(&self) -> u64 {
        let n = self.counter.load(Ordering::Relaxed);
        self.size.map_or(n, |size| n.min(size))
    }
}

/// Opens `path` and sets up the reader for its format; problems become the file's only item.
fn open(path: PathBuf, options: &IngestOptions) -> Current {
    let counter = Arc::new(AtomicU64::new(0));
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(source) => {
            return Current {
                path: path.clone(),
                items: Box::new(std::iter::once(Err(IngestError::Open { path, source }))),
                counter,
                size: None,
                yielded: 0,
                opened: false,
            }
        }
    };
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let counted = Counting {
        inner: file,
        count: counter.clone(),
    };
    Current {
        items: stream_items(path.clone(), Box::new(counted), options),
        path,
        counter,
        size,
        yielded: 0,
        opened: true,
    }
}

/// Reads records from any byte stream as [`Records`] reads a file named `path`: gzip
/// (by `.gz` or magic bytes), binary detection, BOM, format by `path`'s extension or by
/// sniffing, and `options`' limits. `path` only names the input in records and errors; it
/// is not opened.
///
/// Unlike [`Records`], an empty stream yields nothing rather than [`IngestError::Empty`].
/// This is the entry point for reading from memory or a pipe, and for fuzzing.
///
/// # Example
/// ```
/// use paperkg::ingest::{read_stream, IngestOptions};
/// use std::path::PathBuf;
///
/// let data = &b"{\"title\":\"T\",\"abstract\":\"A.\"}\n{\"title\":1}\n"[..];
/// let items: Vec<_> = read_stream(PathBuf::from("mem.jsonl"), data, &IngestOptions::default())
///     .collect();
/// assert_eq!(items[0].as_ref().map(|r| r.title.as_str()).ok(), Some("T"));
/// assert_eq!(
///     items[1].as_ref().err().map(ToString::to_string).as_deref(),
///     Some("mem.jsonl:2: bad field `title`: expected a string, found a number")
/// );
/// ```
pub fn read_stream<R: Read + Send + 'static>(
    path: PathBuf,
    reader: R,
    options: &IngestOptions,
) -> impl Iterator<Item = Result<Record, IngestError>> + Send {
    stream_items(path, Box::new(reader), options)
}

/// The body of [`read_stream`] and [`open`].
fn stream_items(path: PathBuf, reader: Box<dyn Read + Send>, options: &IngestOptions) -> Items {
    let fail = |error: IngestError| -> Items { Box::new(std::iter::once(Err(error))) };
    let mut raw = BufReader::with_capacity(BUF_SIZE, reader);
    let magic = loop {
        match raw.fill_buf() {
            Ok(buf) => break buf.starts_with(&[0x1f, 0x8b]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(source) => {
                return fail(IngestError::Read {
                    path,
                    line: None,
                    source,
                })
            }
        }
    };
    let gzip = magic || has_gz_extension(&path);
    let mut ctx = FileCtx::new(path, gzip, options.max_line_bytes);
    ctx.max_file_bytes = options.max_file_bytes;
    let decoded: Box<dyn Read + Send> = if ctx.gzip {
        Box::new(MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let mut reader: Box<dyn Read + Send> = match options.max_file_bytes {
        Some(max) => Box::new(Limited {
            inner: decoded,
            remaining: max,
        }),
        None => decoded,
    };
    let mut head = match read_head(&mut reader, HEAD_SIZE) {
        Ok(head) => head,
        Err((e, head)) if head.is_empty() => return fail(ctx.read_error(e, Some(1))),
        Err((e, head)) => {
            // Read what arrived (a gzip stream often fails after yielding data), then let the
            // format reader meet the error on the line it was reading.
            reader = Box::new(FailAfter(Some(e)));
            head
        }
    };
    if head.is_empty() {
        return Box::new(std::iter::empty());
    }
    if looks_binary(&head) {
        return fail(IngestError::Binary { path: ctx.path });
    }
    if head.starts_with(BOM) {
        head.drain(..BOM.len());
    }
    let format = detect_format(&ctx.path, &head);
    let stream = BufReader::with_capacity(BUF_SIZE, Cursor::new(head).chain(reader));
    match format {
        Format::Listing => Box::new(ListingReader::new(stream, ctx)),
        Format::JsonLines => Box::new(JsonLinesReader::new(stream, ctx)),
        Format::JsonArray => Box::new(JsonArrayReader::new(stream, ctx)),
    }
}

/// Streams records from files and directories, in the order given (directory contents
/// sorted by path).
///
/// Each item is a [`Record`] or an [`IngestError`]; errors are not fatal, the caller decides
/// whether to go on (for example, stop on the first with `--strict`). A file that yields
/// neither records nor errors gives [`IngestError::Empty`].
///
/// Memory is bounded by [`IngestOptions::max_line_bytes`] plus fixed buffers, whatever the
/// input size: files are streamed line by line (JSON arrays element by element).
///
/// # Example
/// ```no_run
/// use paperkg::ingest::{IngestOptions, Records};
/// use std::path::PathBuf;
///
/// let mut records = Records::new(&[PathBuf::from("data/samples")], IngestOptions::default());
/// for item in &mut records {
///     match item {
///         Ok(record) => println!("{}", record.title),
///         Err(e) => eprintln!("warning: {e}"),
///     }
/// }
/// eprintln!("{} files, {} bytes", records.files_read(), records.bytes_read());
/// ```
pub struct Records {
    options: IngestOptions,
    paths: InputPaths,
    current: Option<Current>,
    files_read: usize,
    done_bytes: u64,
}

impl Records {
    /// Reads `inputs` (files or directories) with `options`. Nothing is opened until the
    /// first call to `next`.
    pub fn new(inputs: &[PathBuf], options: IngestOptions) -> Records {
        Records {
            options,
            paths: InputPaths::new(inputs),
            current: None,
            files_read: 0,
            done_bytes: 0,
        }
    }

    /// Raw file bytes consumed so far (compressed bytes for gzip), for a progress bar whose
    /// length is [`total_bytes`]. A finished file counts its whole size.
    pub fn bytes_read(&self) -> u64 {
        self.done_bytes + self.current.as_ref().map_or(0, Current::bytes_read)
    }

    /// Files opened so far, including the one being read (files that could not be opened
    /// are not counted).
    pub fn files_read(&self) -> usize {
        self.files_read
    }
}

impl Iterator for Records {
    type Item = Result<Record, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.items.next() {
                    current.yielded += 1;
                    return Some(item);
                }
                let empty = current.yielded == 0;
                let path = std::mem::take(&mut current.path);
                self.done_bytes += current
                    .size
                    .unwrap_or_else(|| current.counter.load(Ordering::Relaxed));
                self.current = None;
                if empty {
                    return Some(Err(IngestError::Empty { path }));
                }
            }
            let path = match self.paths.next()? {
                Ok(path) => path,
                Err(e) => return Some(Err(e)),
            };
            let current = open(path, &self.options);
            if current.opened {
                self.files_read += 1;
            }
            self.current = Some(current);
        }
    }
}

impl std::iter::FusedIterator for Records {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::Compression;
    use tempfile::TempDir;

    const ABSTRACT: &str = "We study how to train large models efficiently. Our method reduces \
        compute by half while keeping accuracy on standard benchmarks. Experiments on GLUE and \
        SuperGLUE confirm the gains, and we release code and checkpoints for the community.";

    fn manifest_path(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
    }

    fn fixture(name: &str) -> PathBuf {
        manifest_path("tests/fixtures/ingest").join(name)
    }

    fn read_all(inputs: &[PathBuf]) -> (Vec<Record>, Vec<IngestError>) {
        let mut records = Vec::new();
        let mut errors = Vec::new();
        for item in Records::new(inputs, IngestOptions::default()) {
            match item {
                Ok(r) => records.push(r),
                Err(e) => errors.push(e),
            }
        }
        (records, errors)
    }

    fn titles(records: &[Record]) -> Vec<&str> {
        records.iter().map(|r| r.title.as_str()).collect()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).expect("in-memory write");
        enc.finish().expect("in-memory write")
    }

    fn jsonl(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "{{\"id\":\"{i}\",\"title\":\"Paper {i}\",\"abstract\":\"Abstract {i}.\"}}\n"
                )
            })
            .collect()
    }

    #[test]
    fn bundled_samples_yield_447_records_395_papers_no_errors() {
        let dir = manifest_path("data/samples");
        let mut records = Records::new(std::slice::from_ref(&dir), IngestOptions::default());
        let mut got = Vec::new();
        for item in &mut records {
            match item {
                Ok(r) => got.push(r),
                Err(e) => panic!("unexpected error: {e}"),
            }
        }
        assert_eq!(got.len(), 447);
        let keys: HashSet<String> = got.iter().map(Record::key).collect();
        assert_eq!(keys.len(), 395);
        assert_eq!(records.files_read(), 4);
        assert_eq!(records.bytes_read(), total_bytes(&[dir]));
        assert_eq!(records.bytes_read(), 216_417 + 144_016 + 162_501 + 196_583);

        let mut first: Vec<(String, &str)> = Vec::new();
        for r in &got {
            let name = r
                .source
                .file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            if first.last().is_none_or(|(f, _)| *f != name) {
                first.push((name, &r.title));
            }
        }
        let expected = [
            (
                "000_44ea3c20c369b1e8.txt",
                "Stacking Your Transformers: A Closer Look at Model Growth for Efficient LLM \
                 Pre-Training",
            ),
            (
                "001_775518b66059720b.txt",
                "On the Usage of Continual Learning for Out-of-Distribution Generalization in \
                 Pre-trained Language Models of Code",
            ),
            (
                "002_ec0a44f74af75c17.txt",
                "Scaling Optimal LR Across Token Horizons",
            ),
            (
                "003_a5d0b13695da33ef.txt",
                "Prompting Large Language Models with Answer Heuristics for Knowledge-based \
                 Visual Question Answering",
            ),
        ];
        let first: Vec<(&str, &str)> = first.iter().map(|(f, t)| (f.as_str(), *t)).collect();
        assert_eq!(first, expected);
        assert!(got
            .iter()
            .all(|r| r.id.is_none() && r.abstract_text.len() >= 600));
        assert!(got.iter().all(|r| !r.title.starts_with("Subscribe")));
        assert_eq!(got[0].source.line, 11);
    }

    #[test]
    fn fixtures_give_the_documented_results() {
        let one = |name: &str| read_all(&[fixture(name)]);

        let (r, e) = one("good.txt");
        assert_eq!(
            titles(&r),
            [
                "Stacking Your Transformers",
                "Dense Passage Retrieval",
                "Data-efficient Image Transformers"
            ]
        );
        assert!(e.is_empty(), "{e:?}");

        let (r, e) = one("dense_crlf_bom.txt");
        assert_eq!(
            titles(&r),
            ["Stacking Your Transformers", "Dense Passage Retrieval"]
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(r[0].source.line, 3);
        assert!(!r[0].abstract_text.contains('\r'));

        let (r, e) = one("no_abstract.txt");
        assert_eq!(r.len(), 2);
        assert!(
            matches!(&e[..], [IngestError::MissingAbstract { line: 3, .. }]),
            "{e:?}"
        );

        let (r, e) = one("orphan_abstract.txt");
        assert_eq!(titles(&r), ["Dense Passage Retrieval"]);
        assert!(
            matches!(&e[..], [IngestError::OrphanAbstract { line: 1, .. }]),
            "{e:?}"
        );

        let (r, e) = one("invalid_utf8.txt");
        assert_eq!(
            titles(&r),
            [
                "Stacking Your Transformers",
                "Data-efficient Image Transformers"
            ]
        );
        assert!(
            matches!(&e[..], [IngestError::InvalidUtf8 { line: 5, .. }]),
            "{e:?}"
        );

        for name in ["empty.txt", "chrome_only.txt"] {
            let (r, e) = one(name);
            assert!(r.is_empty());
            assert!(
                matches!(&e[..], [IngestError::Empty { .. }]),
                "{name}: {e:?}"
            );
        }
        for name in ["junk.txt", "binary.bin"] {
            let (r, e) = one(name);
            assert!(r.is_empty());
            assert!(
                matches!(&e[..], [IngestError::Binary { .. }]),
                "{name}: {e:?}"
            );
            assert_eq!(
                e[0].to_string(),
                format!("{}: not a text file (binary data)", fixture(name).display())
            );
        }

        let (plain, e) = one("papers.jsonl");
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(plain.len(), 3);
        assert_eq!(
            plain[0].title,
            "Stacking Your Transformers: A Closer Look at Model Growth"
        );
        assert_eq!(
            plain[0].abstract_text,
            "Large language models are expensive to pre-train. We study model growth."
        );
        assert_eq!(plain[1].id.as_deref(), Some("2004.04906"));
        assert_eq!(
            plain[1].authors.as_deref(),
            Some("Vladimir Karpukhin, Barlas Oguz")
        );
        assert_eq!(plain[2].source.line, 4);
        for name in ["papers.jsonl.gz", "papers.json"] {
            let (r, e) = one(name);
            assert!(e.is_empty(), "{name}: {e:?}");
            let strip = |v: &[Record]| {
                v.iter()
                    .map(|r| (r.key(), r.title.clone(), r.abstract_text.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(&r), strip(&plain), "{name}");
        }

        let (r, e) = one("bad.jsonl");
        assert_eq!(r.len(), 2);
        assert!(
            matches!(&e[..], [IngestError::MalformedJson { line: 2, .. }]),
            "{e:?}"
        );

        let (r, e) = one("wrong_types.jsonl");
        assert_eq!(r.len(), 1);
        assert!(
            matches!(
                &e[..],
                [
                    IngestError::BadField {
                        line: 2,
                        field: "title",
                        ..
                    },
                    IngestError::MissingField {
                        line: 3,
                        field: "abstract",
                        ..
                    },
                    IngestError::NotAnObject { line: 4, .. },
                    IngestError::InvalidUtf8 { line: 5, .. },
                ]
            ),
            "{e:?}"
        );

        let (r, e) = one("corrupt.jsonl.gz");
        assert!(r.is_empty(), "{r:?}");
        assert!(
            matches!(&e[..], [IngestError::CorruptGzip { line: Some(_), .. }]),
            "{e:?}"
        );

        let (r, e) = one("not_gzip.txt.gz");
        assert!(r.is_empty());
        assert!(
            matches!(&e[..], [IngestError::CorruptGzip { line: Some(1), .. }]),
            "{e:?}"
        );
    }

    #[test]
    fn fixture_directory_reads_only_supported_files_in_order() {
        let dir = fixture("");
        let (r, e) = read_all(std::slice::from_ref(&dir));
        assert_eq!((r.len(), e.len()), (22, 13), "{e:#?}");
        // binary.bin, make_fixtures.sh and README.md are not read inside a directory.
        assert!(e
            .iter()
            .all(|e| e.path().extension().is_some_and(|x| x != "bin")));
        let files: Vec<_> = e
            .iter()
            .map(|e| e.path().to_path_buf())
            .chain(r.iter().map(|r| r.source.file.clone()))
            .collect();
        assert!(files.iter().all(|f| is_supported(f)), "{files:?}");
        let mut order: Vec<PathBuf> = Vec::new();
        for item in Records::new(&[dir], IngestOptions::default()) {
            let path = match &item {
                Ok(r) => r.source.file.clone(),
                Err(e) => e.path().to_path_buf(),
            };
            if order.last() != Some(&path) {
                order.push(path);
            }
        }
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
    }

    #[test]
    fn jsonl_gz_and_multi_member_gz_stream() {
        let dir = TempDir::new().expect("temp dir");
        let mut data = gzip(jsonl(3).as_bytes());
        data.extend(gzip(
            b"{\"title\":\"Second member\",\"abstract\":\"More.\"}\n",
        ));
        let path = dir.path().join("p.ndjson.gz");
        fs::write(&path, &data).expect("write fixture");
        let (r, e) = read_all(&[path]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            titles(&r),
            ["Paper 0", "Paper 1", "Paper 2", "Second member"]
        );
        assert_eq!(r[3].source.line, 4);
    }

    #[test]
    fn gzip_without_gz_name_is_detected_by_magic() {
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("p.jsonl");
        fs::write(&path, gzip(jsonl(2).as_bytes())).expect("write fixture");
        let (r, e) = read_all(&[path]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn truncated_gzip_keeps_the_records_before_the_damage() {
        let dir = TempDir::new().expect("temp dir");
        // Incompressible-ish ids so the stream is long enough to cut in the middle.
        let text: String = (0..3000)
            .map(|i| {
                format!(
                    "{{\"id\":\"{}\",\"title\":\"P{i}\",\"abstract\":\"A.\"}}\n",
                    i * 7919 % 100_003
                )
            })
            .collect();
        let gz = gzip(text.as_bytes());
        let path = dir.path().join("cut.jsonl.gz");
        fs::write(&path, &gz[..gz.len() / 2]).expect("write fixture");
        let (r, e) = read_all(std::slice::from_ref(&path));
        assert!(r.len() > 100 && r.len() < 3000, "{}", r.len());
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            matches!(e[0], IngestError::CorruptGzip { line: Some(l), .. } if l == r.len() + 1),
            "{:?}",
            e[0]
        );
        assert!(e[0].to_string().starts_with(&format!(
            "{}:{}: corrupt gzip data",
            path.display(),
            r.len() + 1
        )));
    }

    #[test]
    fn json_extension_sniffs_array_or_lines() {
        let dir = TempDir::new().expect("temp dir");
        let array = dir.path().join("a.json");
        fs::write(
            &array,
            "\u{feff} [{\"title\":\"A\",\"abstract\":\"a\",\"authors\":[\"X\",\"Y\"]}]",
        )
        .expect("write");
        let lines = dir.path().join("b.json");
        fs::write(&lines, jsonl(2)).expect("write");
        let (r, e) = read_all(&[array, lines]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(titles(&r), ["A", "Paper 0", "Paper 1"]);
        assert_eq!(r[0].authors.as_deref(), Some("X, Y"));
    }

    #[test]
    fn unsupported_extension_given_explicitly_is_sniffed() {
        let dir = TempDir::new().expect("temp dir");
        let json = dir.path().join("dump.data");
        fs::write(&json, jsonl(1)).expect("write");
        let page = dir.path().join("page.md");
        fs::write(&page, format!("Some Title\n\n{ABSTRACT}\n")).expect("write");
        let (r, e) = read_all(&[json, page]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(titles(&r), ["Paper 0", "Some Title"]);
        // …but inside a directory they are not read.
        let (r, e) = read_all(&[dir.path().to_path_buf()]);
        assert!(r.is_empty() && e.is_empty(), "{r:?} {e:?}");
    }

    #[test]
    fn missing_file_is_reported_and_reading_goes_on() {
        let missing = manifest_path("tests/fixtures/ingest/does-not-exist.jsonl");
        let mut records = Records::new(
            &[missing.clone(), fixture("papers.jsonl")],
            IngestOptions::default(),
        );
        let first = records.next();
        assert!(
            matches!(&first, Some(Err(IngestError::Open { path, .. })) if *path == missing),
            "{first:?}"
        );
        let rest: Vec<_> = records.by_ref().collect();
        assert_eq!(rest.len(), 3);
        assert!(rest.iter().all(Result::is_ok));
        assert_eq!(records.files_read(), 1);
        assert!(records.next().is_none());
        assert_eq!(total_bytes(&[missing]), 0);
    }

    #[test]
    fn crlf_jsonl_with_bom() {
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("p.jsonl");
        fs::write(&path, format!("\u{feff}{}", jsonl(2).replace('\n', "\r\n"))).expect("write");
        let (r, e) = read_all(&[path]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(titles(&r), ["Paper 0", "Paper 1"]);
    }

    #[test]
    fn binary_without_nul_bytes_is_detected() {
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("noise.txt");
        let noise: Vec<u8> = (0u32..4096)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 1)
            .collect();
        fs::write(&path, noise).expect("write");
        let (r, e) = read_all(&[path]);
        assert!(r.is_empty());
        assert!(matches!(&e[..], [IngestError::Binary { .. }]), "{e:?}");
    }

    #[test]
    fn latin1_text_is_not_binary_but_its_lines_are_reported() {
        let mut page = b"Caf\xe9 Models\n\n".to_vec();
        page.extend_from_slice(ABSTRACT.as_bytes());
        page.extend_from_slice(b"\n\nGood Title\n\n");
        page.extend_from_slice(ABSTRACT.as_bytes());
        assert!(!looks_binary(&page));
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("latin1.txt");
        fs::write(&path, page).expect("write");
        let (r, e) = read_all(&[path]);
        assert_eq!(titles(&r), ["Good Title"]);
        assert!(
            matches!(&e[..], [IngestError::InvalidUtf8 { line: 1, .. }]),
            "{e:?}"
        );
    }

    #[test]
    fn directory_is_walked_sorted_and_nested_and_bytes_add_up() {
        let dir = TempDir::new().expect("temp dir");
        let root = dir.path();
        fs::create_dir_all(root.join("b/inner")).expect("mkdir");
        fs::write(root.join("c.jsonl"), jsonl(1)).expect("write");
        fs::write(root.join("a.TXT"), format!("A Title\n{ABSTRACT}\n")).expect("write");
        fs::write(root.join("b/inner/z.jsonl.gz"), gzip(jsonl(2).as_bytes())).expect("write");
        fs::write(root.join("b/notes.md"), "ignored").expect("write");
        let inputs = vec![root.to_path_buf()];
        let mut records = Records::new(&inputs, IngestOptions::default());
        let mut files = Vec::new();
        let mut last_bytes = 0;
        while let Some(item) = records.next() {
            let r = item.expect("no errors");
            assert!(records.bytes_read() >= last_bytes);
            last_bytes = records.bytes_read();
            files.push(
                r.source
                    .file
                    .strip_prefix(root)
                    .expect("under root")
                    .to_path_buf(),
            );
        }
        let names: Vec<_> = files
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        assert_eq!(
            names,
            [
                "a.TXT",
                "b/inner/z.jsonl.gz",
                "b/inner/z.jsonl.gz",
                "c.jsonl"
            ]
        );
        assert_eq!(records.files_read(), 3);
        assert_eq!(records.bytes_read(), total_bytes(&inputs));
        assert!(total_bytes(&inputs) > 0);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_reported_not_followed_forever() {
        let dir = TempDir::new().expect("temp dir");
        fs::write(dir.path().join("p.jsonl"), jsonl(1)).expect("write");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("symlink");
        let (r, e) = read_all(&[dir.path().to_path_buf()]);
        assert_eq!(r.len(), 1);
        assert!(matches!(&e[..], [IngestError::Walk { .. }]), "{e:?}");
    }

    #[test]
    fn is_supported_by_extension() {
        for p in [
            "a.txt",
            "a.jsonl",
            "a.ndjson",
            "a.json",
            "a.JSONL.GZ",
            "dir/x.txt.gz",
        ] {
            assert!(is_supported(Path::new(p)), "{p}");
        }
        for p in [
            "a.md",
            "a.gz",
            "a.bin",
            "json",
            ".json",
            "a.tar.gz",
            "a.json.gz.gz",
        ] {
            assert!(!is_supported(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn records_is_send() {
        fn check<T: Send>() {}
        check::<Records>();
    }

    #[test]
    fn line_limit_applies_per_line() {
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("p.jsonl");
        let long = format!(
            "{{\"title\":\"L\",\"abstract\":\"{}\"}}\n",
            "x".repeat(5000)
        );
        fs::write(&path, format!("{long}{}", jsonl(1))).expect("write");
        let options = IngestOptions {
            max_line_bytes: 1000,
            ..IngestOptions::default()
        };
        let items: Vec<_> = Records::new(&[path], options).collect();
        assert_eq!(items.len(), 2);
        assert!(matches!(
            items[0],
            Err(IngestError::LineTooLong {
                line: 1,
                max: 1000,
                ..
            })
        ));
        assert!(items[1].is_ok());
    }

    #[test]
    fn a_stray_nul_byte_costs_nothing_but_a_space() {
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("nul.txt");
        let page = format!("Stray\u{0}NUL Title\n\n{ABSTRACT}\n\nClean Title\n\n{ABSTRACT}\n");
        fs::write(&path, page).expect("write");
        let (r, e) = read_all(&[path]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(titles(&r), ["Stray NUL Title", "Clean Title"]);
        // A raw NUL inside a JSON string is invalid JSON: that line only.
        let path = dir.path().join("nul.jsonl");
        fs::write(
            &path,
            format!("{{\"title\":\"A\u{0}B\",\"abstract\":\"x\"}}\n{}", jsonl(1)),
        )
        .expect("write");
        let (r, e) = read_all(&[path]);
        assert_eq!(titles(&r), ["Paper 0"]);
        assert!(
            matches!(&e[..], [IngestError::MalformedJson { line: 1, .. }]),
            "{e:?}"
        );
    }

    #[test]
    fn file_limit_keeps_what_came_before_and_names_the_line() {
        let dir = TempDir::new().expect("temp dir");
        let text = jsonl(100);
        let plain = dir.path().join("p.jsonl");
        fs::write(&plain, &text).expect("write");
        let packed = dir.path().join("p.jsonl.gz");
        fs::write(&packed, gzip(text.as_bytes())).expect("write");
        let line_len = text.lines().next().map_or(0, str::len) as u64 + 1;
        let options = IngestOptions {
            max_file_bytes: Some(line_len * 3 + 5),
            ..IngestOptions::default()
        };
        for path in [plain.clone(), packed] {
            let items: Vec<_> =
                Records::new(std::slice::from_ref(&path), options.clone()).collect();
            assert_eq!(items.len(), 4, "{items:?}");
            assert!(items[..3].iter().all(Result::is_ok));
            let error = items[3].as_ref().expect_err("limit reported");
            assert!(
                matches!(error, IngestError::FileTooLarge { line: Some(4), .. }),
                "{error:?}"
            );
            assert!(error.to_string().contains(":4: file larger than the limit"));
        }
        // Exactly at the limit is not over it; a limit inside the head works too.
        let exact = IngestOptions {
            max_file_bytes: Some(text.len() as u64),
            ..IngestOptions::default()
        };
        let items: Vec<_> = Records::new(std::slice::from_ref(&plain), exact).collect();
        assert_eq!(items.len(), 100);
        assert!(items.iter().all(Result::is_ok));
        let tiny = IngestOptions {
            max_file_bytes: Some(0),
            ..IngestOptions::default()
        };
        let items: Vec<_> = Records::new(&[plain], tiny).collect();
        assert!(
            matches!(
                &items[..],
                [Err(IngestError::FileTooLarge {
                    line: Some(1),
                    max: 0,
                    ..
                })]
            ),
            "{items:?}"
        );
    }

    #[test]
    fn read_stream_reads_memory_like_a_file() {
        let page = format!("Subscribe\n\nSome Title\n\n{ABSTRACT}\n");
        let items: Vec<_> = read_stream(
            PathBuf::from("mem.txt"),
            Cursor::new(gzip(page.as_bytes())),
            &IngestOptions::default(),
        )
        .collect();
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].as_ref().map(|r| r.title.as_str()).ok(),
            Some("Some Title")
        );
        let nothing = read_stream(
            PathBuf::from("x.txt"),
            io::empty(),
            &IngestOptions::default(),
        );
        assert_eq!(nothing.count(), 0);
    }

    /// A tiny xorshift generator, so the test needs no extra dependency.
    fn next_rand(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn mangled_fixtures_never_panic() {
        const SPICE: &[u8] = b"[]{},:\"\\\n\r \t\xff\xef\xbb\xbf0aZ.";
        let names = [
            "good.txt",
            "dense_crlf_bom.txt",
            "papers.jsonl",
            "papers.json",
            "bad.jsonl",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for name in names {
            let original = fs::read(fixture(name)).expect("fixture");
            for _ in 0..300 {
                let mut data = original.clone();
                let edits = 1 + next_rand(&mut state) % 8;
                for _ in 0..edits {
                    let r = next_rand(&mut state) as usize;
                    let at = r % (data.len() + 1);
                    let b = SPICE[(r >> 20) % SPICE.len()];
                    match (r >> 40) % 3 {
                        0 if at < data.len() => data[at] = b,
                        1 if at < data.len() => {
                            data.remove(at);
                        }
                        _ => data.insert(at, b),
                    }
                }
                let cut = next_rand(&mut state) as usize % (data.len() + 1);
                for input in [&data[..], &data[..cut]] {
                    for max in [1 << 20, 64] {
                        let ctx = FileCtx::new(PathBuf::from(name), false, max);
                        let _ = ListingReader::new(input, ctx.clone()).count();
                        let _ = JsonLinesReader::new(input, ctx.clone()).count();
                        let _ = JsonArrayReader::new(input, ctx).count();
                    }
                    let _ = looks_binary(input);
                    let _ = detect_format(Path::new(name), input);
                }
            }
        }
    }
}
