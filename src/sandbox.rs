//! Risky parsing in a child process. `citewatch` re-executes itself with a
//! hidden first argument ([`ARG`]) to read one PDF: the child gets the bytes on
//! stdin, writes its result on stdout, and runs under limits on memory (address
//! space), CPU time and core files, with a wall-clock limit enforced by the
//! parent. A file that makes the reader loop, recurse without end or allocate
//! without bound kills the child only; the parent reports why.
//!
//! The binary turns this on with [`enable`]; elsewhere (the library's own
//! tests, other programs linking it) the work runs in process.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The hidden first argument that makes the binary a sandboxed reader.
pub const ARG: &str = "__sandbox";

/// Address space the child may map.
pub const MEMORY_LIMIT: u64 = 400 * 1024 * 1024;
/// CPU seconds the child may use.
pub const CPU_LIMIT_SECS: u64 = 45;
/// Wall-clock time the parent waits for the child.
pub const WALL_LIMIT: Duration = Duration::from_secs(50);

static EXE: OnceLock<PathBuf> = OnceLock::new();

/// What the child does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The text of a PDF (for `check`).
    PdfText,
    /// The text and link annotations of each page of a PDF (for `import`).
    PdfPages,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::PdfText => "pdf-text",
            Job::PdfPages => "pdf-pages",
        }
    }
}

/// Makes later work run in child processes of this executable.
pub fn enable() {
    if let Ok(exe) = std::env::current_exe() {
        let _ = EXE.set(exe);
    }
}

/// When the process was started as a sandboxed reader: does the job and
/// returns the exit code. `None` for a normal start.
pub fn child_main() -> Option<ExitCode> {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some(ARG) {
        return None;
    }
    let job = args.next().unwrap_or_default();
    let cap: u64 = args.next().and_then(|c| c.parse().ok()).unwrap_or(20 * 1024 * 1024);
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut input) {
        eprintln!("error: cannot read the input: {e}");
        return Some(ExitCode::from(2));
    }
    let result: Result<Vec<u8>, String> = match job.as_str() {
        "pdf-text" => crate::extract::pdf::text_in_process(&input, cap).map(String::into_bytes),
        "pdf-pages" => crate::import::pdf::pages_in_process(&input, cap)
            .map(|p| serde_json::to_vec(&p).expect("strings serialise")),
        other => Err(format!("unknown sandbox job {other:?}")),
    };
    match result {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(&out).and_then(|_| stdout.flush()).is_err() {
                return Some(ExitCode::from(3));
            }
            Some(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Some(ExitCode::from(2))
        }
    }
}

/// Runs `job` on `input` in a child process, its output at most `cap` bytes
/// (plus room for framing). `None` when sandboxing is not enabled.
pub fn run(job: Job, input: &[u8], cap: u64) -> Option<Result<Vec<u8>, String>> {
    let exe = EXE.get()?;
    Some(run_child(exe, job, input, cap))
}

#[cfg(unix)]
fn limit(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    fn lim(value: u64) -> libc::rlimit {
        libc::rlimit { rlim_cur: value as libc::rlim_t, rlim_max: value as libc::rlim_t }
    }
    // SAFETY: the closure only calls setrlimit, which is async-signal-safe
    // and only reads the values given.
    unsafe {
        cmd.pre_exec(|| {
            libc::setrlimit(libc::RLIMIT_AS, &lim(MEMORY_LIMIT));
            libc::setrlimit(libc::RLIMIT_CPU, &lim(CPU_LIMIT_SECS));
            libc::setrlimit(libc::RLIMIT_CORE, &lim(0));
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim(0));
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit(_cmd: &mut Command) {}

fn run_child(exe: &PathBuf, job: Job, input: &[u8], cap: u64) -> Result<Vec<u8>, String> {
    let mut cmd = Command::new(exe);
    cmd.arg(ARG)
        .arg(job.name())
        .arg(cap.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| format!("cannot start the sandboxed reader ({}): {e}", exe.display()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let owned = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&owned);
    });
    let out_cap = cap.saturating_mul(2).saturating_add(1 << 20);
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let r = (&mut stdout).take(out_cap + 1).read_to_end(&mut out);
        // Drain the rest so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        r.map(|_| out)
    });
    let errs = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut out);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        String::from_utf8_lossy(&out).into_owned()
    });
    let start = Instant::now();
    let mut killed = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Ok(s),
            Ok(None) if start.elapsed() > WALL_LIMIT => {
                let _ = child.kill();
                killed = true;
                break child.wait();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => break Err(e),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_else(|_| Ok(Vec::new()));
    let err = errs.join().unwrap_or_default();
    let status = status.map_err(|e| format!("the sandboxed reader could not be waited for: {e}"))?;
    if killed {
        return Err(format!("reading it took longer than {} s; gave up", WALL_LIMIT.as_secs()));
    }
    if status.success() {
        let out = out.map_err(|e| format!("cannot read the sandboxed reader's output: {e}"))?;
        if out.len() as u64 > out_cap {
            return Err(format!("its text is larger than the {} MiB cap", cap / (1024 * 1024)));
        }
        return Ok(out);
    }
    if let Some(msg) = err.lines().rev().find_map(|l| l.strip_prefix("error: ")) {
        return Err(msg.to_string());
    }
    Err(why_it_died(&status, &err))
}

fn why_it_died(status: &std::process::ExitStatus, err: &str) -> String {
    let mib = MEMORY_LIMIT / (1024 * 1024);
    if err.contains("memory allocation") || err.contains("out of memory") || err.contains("capacity overflow") {
        return format!("the reader ran out of memory (limit {mib} MiB); the file is too large or hostile");
    }
    if err.contains("overflowed its stack") {
        return "the reader overflowed its stack (structure nested too deep or in a loop); the file is broken or hostile".into();
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return match sig {
                libc::SIGXCPU | libc::SIGKILL => {
                    format!("the reader used more than {CPU_LIMIT_SECS} s of CPU; gave up")
                }
                libc::SIGSEGV | libc::SIGBUS => {
                    "the reader crashed (a stack overflow?); the file is broken or hostile".into()
                }
                libc::SIGABRT => format!(
                    "the reader aborted (out of memory under the {mib} MiB limit?); the file is broken or hostile"
                ),
                s => format!("the reader was killed by signal {s}"),
            };
        }
    }
    let last = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    if last.is_empty() {
        format!("the reader failed ({status})")
    } else {
        format!("the reader failed: {}", last.chars().take(300).collect::<String>())
    }
}
