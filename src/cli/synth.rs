//! `paperkg synth`: write a deterministic synthetic corpus (arXiv-metadata JSON Lines) for
//! benchmarks. The generator is the library's [`paperkg::synth`]; this file only parses the
//! arguments, opens the output and prints a one-line summary on stderr.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use paperkg::synth::{self, SynthConfig, SynthSummary};

use super::thousands;

/// Arguments of `paperkg synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Records to write (duplicates included).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub papers: usize,
    /// Seed: the same seed writes the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Output file; standard output when absent or `-`.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Share of records repeating a recent record's id, 0 to 1.
    #[arg(long, value_name = "RATE", default_value_t = 0.01, value_parser = rate)]
    pub duplicates: f64,
    /// Share of papers coining a name of their own, 0 to 1.
    #[arg(long, value_name = "RATE", default_value_t = 0.7, value_parser = rate)]
    pub coin: f64,
    /// Write each abstract on one line instead of wrapping it as arXiv metadata does.
    #[arg(long)]
    pub no_wrap: bool,
}

fn rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{s:?} is not a rate between 0 and 1")),
    }
}

/// Runs `paperkg synth`.
pub fn run(args: SynthArgs) -> anyhow::Result<ExitCode> {
    let config = SynthConfig {
        papers: args.papers,
        seed: args.seed,
        duplicate_rate: args.duplicates,
        coin_rate: args.coin,
        wrap: !args.no_wrap,
    };
    let started = Instant::now();
    let summary = match args.out.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            let file =
                File::create(path).with_context(|| format!("creating {}", path.display()))?;
            synth::write_corpus(BufWriter::with_capacity(1 << 20, file), &config)
                .with_context(|| format!("writing {}", path.display()))?
        }
        _ => synth::write_corpus(BufWriter::new(std::io::stdout().lock()), &config)
            .context("writing standard output")?,
    };
    report(&summary, started.elapsed().as_secs_f64())?;
    Ok(ExitCode::SUCCESS)
}

fn report(s: &SynthSummary, seconds: f64) -> std::io::Result<()> {
    let mb = s.bytes as f64 / 1e6;
    writeln!(
        std::io::stderr(),
        "paperkg synth: {} records ({} duplicate(s)), {mb:.1} MB in {seconds:.2} s ({:.0} MB/s)",
        thousands(s.records),
        thousands(s.duplicates),
        mb / seconds.max(1e-9)
    )
}
