//! `dialback tzdata`: look at a zoneinfo directory, or compile it into the compact table that
//! `--tzdata`, the npm package's `loadTzdata` and `GET /tzdata` use.

use std::path::PathBuf;

use dialback_core::{Tzdata, TzdataVersion};

#[derive(clap::Subcommand)]
pub enum TzdataCommand {
    /// Which release a directory of zone files (or a compact table) is, and how it compares
    /// with the one compiled in.
    Show {
        /// A zoneinfo directory (`/usr/share/zoneinfo`) or a compact table; default: the
        /// compiled-in table.
        #[arg(long)]
        from: Option<PathBuf>,
        /// The release, when the directory does not say.
        #[arg(long)]
        version: Option<String>,
    },
    /// Compile a zoneinfo directory into one compact table (about 180 KB, 17 KB gzip), with
    /// every zone name the compiled-in table has.
    Compile {
        /// A zoneinfo directory, such as `/usr/share/zoneinfo`.
        #[arg(long)]
        from: PathBuf,
        /// The release, when the directory does not say.
        #[arg(long)]
        version: Option<String>,
        /// Where to write the table.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(command: TzdataCommand) -> Result<(), String> {
    match command {
        TzdataCommand::Show { from: None, .. } => {
            println!(
                "tzdata {} (compiled in), {} zones",
                Tzdata::embedded_version(),
                Tzdata::embedded().zone_count()
            );
            Ok(())
        }
        TzdataCommand::Show {
            from: Some(from),
            version,
        } => {
            let (table, loaded) = dialback_server::tzdata::read(&from, version.as_deref())?;
            println!("{loaded}");
            println!("{}", compared(table.version()));
            Ok(())
        }
        TzdataCommand::Compile { from, version, out } => {
            let (table, loaded) = dialback_server::tzdata::read(&from, version.as_deref())?;
            let bytes = table.to_compact();
            std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
            println!("{loaded}");
            println!("wrote {} ({} bytes)", out.display(), bytes.len());
            println!("{}", compared(table.version()));
            Ok(())
        }
    }
}

/// How a release compares with the compiled-in one, in words.
fn compared(version: &TzdataVersion) -> String {
    let embedded = Tzdata::embedded_version();
    match TzdataVersion::parse(embedded).map(|e| version.cmp_release(&e)) {
        Ok(std::cmp::Ordering::Less) => format!(
            "older than the {embedded} compiled in: `serve --tzdata` refuses it without \
             --tzdata-allow-older"
        ),
        Ok(std::cmp::Ordering::Equal) => format!("the release compiled in ({embedded})"),
        _ => format!("newer than the {embedded} compiled in"),
    }
}
