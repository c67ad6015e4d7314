//! The command line: `demarche [SCENARIO]` opens the app; `demarche check FILE...` validates files;
//! `demarche export` writes pictures (see [`crate::export::command`]); `demarche import` turns event
//! datasets into a scenario (see [`crate::import`]).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::{Report, plural};
use crate::export::View;
use crate::export::args as export;
use crate::export::command::{self as export_command, ExportRequest, When};
use crate::export::{Layout, Place};
use crate::geo_math::projection::ProjectionKind;
use crate::io::map_file::{
    DEFAULT_MAX_MAP_BYTES, MapReadProgress, load_map_file, looks_like_map_file,
};
use crate::io::scenario;

const EXAMPLES: &str = "\
Examples:
  demarche                                  Open the app on the embedded Ankara-channel scenario
  demarche my-crisis.toml                   Open the app on your own scenario file
  demarche --basemap rivers.geojson         Add a GeoJSON or TopoJSON layer over the embedded basemap
  demarche check my-crisis.toml             Validate a scenario: every problem, with file:line:column
  demarche check generated.json             A scenario in JSON (the same schema, for large generated files)
  demarche check --short a.toml b.toml      One line per problem, for scripts and editors
  demarche check countries.geojson          Check a map file (GeoJSON or TopoJSON): every defect, with its place
  demarche export --at 2026-01-31T18:00:00Z -o map.png
                                            Export the map at that moment as a PNG (or .svg), without a window
  demarche export --from 2026-01-30 --to 2026-02-01 -o week.gif
                                            Export an animation (GIF, APNG, or numbered PNGs in a folder/)
  demarche import events.export.CSV -o candidates.json
                                            Import GDELT, ACLED or ICEWS rows as candidate contacts

Exit status of `check`: 0 when every file is valid (warnings allowed), 1 when one is not, 2 on usage errors.
Exit status of `export`: 0 when the file is written, 1 when an input has errors or writing fails, 2 on usage
errors (reported before any work).
The scenario format is described in the README (section \"The scenario format\").";

/// A desktop map viewer for diplomacy in motion: who meets whom, where, when, through which mediator.
#[derive(Debug, Parser)]
#[command(name = "demarche", version, about, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Scenario file to open (TOML, or JSON); without one, the embedded Ankara-channel scenario.
    pub scenario: Option<PathBuf>,

    /// A map file (GeoJSON or TopoJSON) to draw over the embedded Natural Earth basemap; repeatable.
    #[arg(long, value_name = "FILE")]
    pub basemap: Vec<PathBuf>,

    /// Refuse map files larger than this many MiB before reading them (they take about five times their
    /// size in memory once loaded).
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_map_size: u64,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate scenario files and map files (GeoJSON, TopoJSON) and report every problem, compiler-style.
    ///
    /// A JSON file whose top-level `format` is "demarche-scenario" (or whose first key is a scenario's) is a
    /// scenario. Other files named `.geojson`, `.topojson` or `.json`, or starting with `{`, are map files (a
    /// TopoJSON file's `type` is "Topology"); anything else is a TOML scenario.
    #[command(
        after_help = "Exit status: 0 when every file is valid (warnings allowed), 1 when one is not, 2 on usage errors."
    )]
    Check {
        /// Files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// One line per problem (`file:line:col: error: message [path] (hint: ...)`) instead of excerpts.
        #[arg(long)]
        short: bool,
    },
    /// Export the map as a PNG or SVG snapshot, or a time range as an animation (GIF, APNG, numbered PNGs),
    /// with no window: the same map as the app's, with a title, the date, the legend, a scale bar, the credit
    /// and a stamp of the scenario.
    #[command(after_help = EXPORT_HELP)]
    Export(Box<ExportArgs>),
    /// Import event datasets (GDELT 2.0/1.0 events and mentions, their BigQuery exports, ACLED, ICEWS; as
    /// text or Parquet) as a scenario of candidate contacts, each with its provenance; the format is told
    /// from the content.
    #[command(after_help = IMPORT_HELP)]
    Import(Box<ImportArgs>),
    /// Write the empty spreadsheet template for a story (`story.xlsx`, or a folder of CSV files): sheets for
    /// the scenario, sources, venues, actors, contacts and the contacts' other accounts, each with a header
    /// row and an example row, and a notes sheet. Fill it, then `demarche import story.xlsx -o story.json`.
    #[command(
        after_help = "Examples:\n  demarche template story.xlsx\n  demarche template story/            CSV files, one per table\n\nXLSX and ODS workbooks and CSV files in the template are read by `demarche import`."
    )]
    Template {
        /// `story.xlsx`, or a folder for CSV files.
        #[arg(value_name = "FILE.xlsx|DIR")]
        output: PathBuf,
    },
}

const IMPORT_HELP: &str = "\
Examples:
  demarche import 20150218230000.export.CSV -o gdelt.json
  demarche import events.CSV mentions.CSV -o gdelt.json      Mentions give first reports and sources
  demarche import acled.csv --kinds 05,19 -o acled.json       Agreements and battles
  demarche import icews.tab --from 2018-06-01 --to 2018-06-02 --countries RU,IL -o calls.json
  demarche import big.export.CSV --bbox 26,34,45,42 --min-sources 3 -o turkey.json
  demarche import newer.csv --into acled.json -o acled.json   Update, keeping decisions
  demarche import bq-result.parquet -o week.json              A BigQuery or DuckDB result

Every row not kept is counted with why; every problem is printed as file:line:column
(a Parquet file's row and column number).
The output is a JSON scenario (see the README, section \"demarche import\"): open it with
`demarche OUT.json`, check it with `demarche check OUT.json`. It is written whole or not
at all. With --into, the new contacts are merged into that scenario by their dataset row
ids: changed ones are updated (keeping the analyst's accept/reject), new ones added as
candidates, and the analyst's own contacts and the others kept; OUT may be the same file. Exit status: 0 when written, 1 when a file cannot be read or no row is kept, 2 on
usage errors.";

/// The arguments of `demarche import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Event files: GDELT events or mentions (with or without a header), ACLED CSV, ICEWS.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The scenario to write (JSON).
    #[arg(short = 'o', long = "output", value_name = "OUT.json")]
    pub output: PathBuf,

    /// Merge into this scenario (TOML or JSON), matching contacts by their dataset row ids: updated,
    /// added and kept, never duplicated, the analyst's decisions and own contacts kept.
    #[arg(long, value_name = "EXISTING")]
    pub into: Option<PathBuf>,

    /// First day kept (YYYY-MM-DD), by the event's date.
    #[arg(long, value_name = "DATE")]
    pub from: Option<jiff::civil::Date>,

    /// Last day kept (YYYY-MM-DD), inclusive.
    #[arg(long, value_name = "DATE")]
    pub to: Option<jiff::civil::Date>,

    /// Keep rows placed in this box: west, south, east, north in degrees.
    #[arg(long, value_name = "W,S,E,N", value_parser = export::parse_bbox)]
    pub bbox: Option<[f64; 4]>,

    /// Keep rows with an actor or a place of these countries (ISO alpha-2: TR,IR,US).
    #[arg(long, value_name = "CC,...", value_delimiter = ',', value_parser = parse_country)]
    pub countries: Vec<String>,

    /// CAMEO code prefixes to keep (ACLED types count by their code: agreements 057, battles 19).
    #[arg(long, value_name = "CODES", value_delimiter = ',', default_value = "03,04,05", value_parser = parse_cameo_prefix)]
    pub kinds: Vec<String>,

    /// Drop contacts reported by fewer distinct sources.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub min_sources: u32,
}

fn parse_country(s: &str) -> Result<String, String> {
    crate::import::countries::from_iso2(s)
        .map(|c| c.iso2.to_owned())
        .ok_or_else(|| format!("`{s}` is not an ISO 3166 alpha-2 country code (TR, IR, US)"))
}

fn parse_cameo_prefix(s: &str) -> Result<String, String> {
    let s = s.trim();
    if (1..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "`{s}` is not a CAMEO code prefix: 1 to 4 digits with the leading zero (04, 042)"
        ))
    }
}

/// `demarche import`: 0 when the scenario is written, 1 otherwise.
pub fn import(args: &ImportArgs) -> ExitCode {
    let options = crate::import::Options {
        from: args.from,
        to: args.to,
        bbox: args.bbox,
        countries: args.countries.clone(),
        kinds: args.kinds.clone(),
        min_sources: args.min_sources,
    };
    // The scenario to merge into is read first: a broken one stops the import before any work.
    let existing = match &args.into {
        Some(path) => match scenario::load(path) {
            Ok(loaded) => Some(loaded.scenario),
            Err(report) => {
                report.eprint_lines();
                eprintln!(
                    "error: {} does not load, so nothing is imported into it",
                    path.display()
                );
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let imported = match crate::import::import(&args.files, &options) {
        Ok(imported) => imported,
        Err(err) => {
            eprintln!(
                "error: {}",
                crate::diagnostics::terminal_safe(&err.to_string())
            );
            if let Some(hint) = err.hint() {
                eprintln!("  hint: {hint}");
            }
            return ExitCode::FAILURE;
        }
    };
    for line in imported.problems.lines() {
        eprintln!("{}", crate::diagnostics::terminal_safe(&line));
    }
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "{}",
        crate::diagnostics::terminal_safe(&imported.summary.to_string())
    );
    if imported.scenario.contacts.is_empty() {
        eprintln!(
            "error: no row was kept, so {} is not written (the counts above say why)",
            args.output.display()
        );
        return ExitCode::FAILURE;
    }
    let out = match existing {
        Some(existing) => {
            let (merged, counts) = crate::import::update::merge(existing, imported.scenario);
            let _ = writeln!(stdout, "update: {counts}");
            merged
        }
        None => imported.scenario,
    };
    match write_whole(&args.output, |file| {
        scenario::write::to_writer(&out, std::io::BufWriter::new(file))
    }) {
        Ok(()) => {
            let _ = writeln!(stdout, "wrote {}", args.output.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", args.output.display());
            ExitCode::FAILURE
        }
    }
}

/// `demarche template`: 0 when the template is written.
pub fn template(output: &std::path::Path) -> ExitCode {
    match crate::import::sheet::write_template(output) {
        Ok(written) => {
            for path in written {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {}", crate::diagnostics::terminal_safe(&err));
            ExitCode::FAILURE
        }
    }
}

/// Writes a temporary file beside `path` with `write`, then renames it into place: never a half file.
fn write_whole(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".demarche-import-")
        .suffix(".part")
        .tempfile_in(dir)?;
    write(file.as_file_mut())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

const EXPORT_HELP: &str = "\
Examples:
  demarche export --at 2026-01-31T18:00:00Z -o map.png
  demarche export crisis.toml --at 2026-01-31 --size 1200x800 --scale 2 --theme dark -o map.png
  demarche export --at 2026-01-31T21:30:00+03:30 --tz Asia/Tehran -o map.svg
  demarche export --at 2026-01-31 --bbox 26,34,45,42 -o turkey.png
  demarche export --at 2026-01-31 --center 32.85,39.93 --zoom 6 -o ankara.png
  demarche export --from 2026-01-30 --to 2026-02-01 --fps 30 --duration 10s -o weekend.gif
  demarche export --from 2026-01-30 --to 2026-02-01 -o frames/
  demarche export --whole-story --duration 20s -o story.gif
  demarche export --at 2026-01-31 --tz Tehran --title-at bottom-left --no-stamp -o map.png
  demarche export --at 2026-01-31 --projection web-mercator --no-legend -o map.svg

TIME is RFC 3339 with Z or an offset (2026-01-31T18:00:00Z, 2026-01-31T21:30:00+03:30),
or a date alone (2026-01-31): the start of that day in the zone of --tz (for --to, its end).
ZONE is a city as the app's zone picker finds it (Tehran, \"New York\"), an IANA name
(Asia/Tehran) or UTC. The title, the legend, the scale bar and the credit go where they
cover least of the map; --title-at and --legend-at fix their place (top-left, top,
top-right, left, right, bottom-left, bottom, bottom-right, or auto). --title takes at
most 500 characters.

The output's extension chooses the format (.png, .svg, .gif, .apng); numbered PNGs go
into an existing folder only when the path ends with / (an existing folder named x.gif is
refused, not filled with frames). Files are written whole or not at all: a temporary file
in the same folder is renamed into place. An existing writable file is replaced; a
read-only one only with --force. A symbolic link is written through: the file it points
to is replaced and the link stays. After Ctrl+C a file is not written; numbered PNGs
written so far are kept, whole, and the message says how many. Temporaries left by a
killed export (.demarche-export-*.part) are removed by the next export into that folder.
Exit status: 0 when written, 1 when an input file has errors or writing fails, 2 on usage
errors (before any work), 130 when interrupted.";

/// Light or dark map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    #[default]
    Light,
    Dark,
}

impl From<ThemeArg> for crate::scene::style::ThemeKind {
    fn from(t: ThemeArg) -> Self {
        match t {
            ThemeArg::Light => Self::Light,
            ThemeArg::Dark => Self::Dark,
        }
    }
}

/// The arguments of `demarche export`; values are checked as they are parsed.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("when").required(true).args(["at", "from", "whole_story"])))]
pub struct ExportArgs {
    /// Scenario file (TOML); without one, the embedded Ankara-channel scenario.
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<PathBuf>,

    /// The moment of a snapshot (a date alone: the start of that day in the zone of --tz).
    #[arg(long, value_name = "TIME", value_parser = export::parse_time, conflicts_with_all = ["from", "to", "whole_story"])]
    pub at: Option<export::TimeArg>,

    /// The first moment of an animation (a date alone: the start of that day in the zone of --tz).
    #[arg(long, value_name = "TIME", value_parser = export::parse_time, requires = "to", conflicts_with = "whole_story")]
    pub from: Option<export::TimeArg>,

    /// The last moment of an animation (a date alone: the end of that day in the zone of --tz).
    #[arg(long, value_name = "TIME", value_parser = export::parse_time, requires = "from")]
    pub to: Option<export::TimeArg>,

    /// Show only what had been reported by this moment (a date alone: the end of that day in the zone of
    /// --tz): each account from its source's publication, a contact once one account of it is known.
    #[arg(long, value_name = "TIME", value_parser = export::parse_time, conflicts_with = "replay_knowledge")]
    pub as_of: Option<export::TimeArg>,

    /// The replay of knowledge: each frame (or the snapshot) shows only what had been reported by its own
    /// moment, as if the as-of clock followed the event clock; the stamp gives both.
    #[arg(long)]
    pub replay_knowledge: bool,

    /// Mark with a "+" what was reported after this moment (a date alone: the end of that day in the zone
    /// of --tz), with a row in the legend.
    #[arg(long, value_name = "TIME", value_parser = export::parse_time)]
    pub new_since: Option<export::TimeArg>,

    /// Animate the whole story: from the start of the first contact to the end of the last.
    #[arg(long)]
    pub whole_story: bool,

    /// Frames per second of an animation (1 to 120).
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub fps: u32,

    /// How long an animation plays: 10s, 1m30s, 500ms.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = export::parse_duration)]
    pub duration: jiff::SignedDuration,

    /// The file to write: .png or .svg (snapshot); .gif, .apng or an existing folder ending in /
    /// (animation). A link is written through; a read-only file needs --force.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,

    /// Width and height in points (pixels at --scale 1).
    #[arg(long, value_name = "WxH", default_value = "1920x1080", value_parser = export::parse_size)]
    pub size: [f32; 2],

    /// Pixels per point of a PNG, e.g. 2 for print (an SVG is scaled instead).
    #[arg(long, value_name = "S", default_value = "1", value_parser = export::parse_scale)]
    pub scale: f32,

    /// A map file (GeoJSON or TopoJSON) to draw over the embedded basemap; repeatable.
    #[arg(long, value_name = "FILE")]
    pub basemap: Vec<PathBuf>,

    /// Fit the view to the scenario, as the app does (the default).
    #[arg(long, conflicts_with_all = ["bbox", "center"])]
    pub fit: bool,

    /// Show this box: west, south, east, north in degrees.
    #[arg(long, value_name = "W,S,E,N", value_parser = export::parse_bbox, conflicts_with = "center")]
    pub bbox: Option<[f64; 4]>,

    /// Centre the view here (longitude, latitude in degrees); needs --zoom.
    #[arg(long, value_name = "LON,LAT", value_parser = export::parse_center, requires = "zoom")]
    pub center: Option<[f64; 2]>,

    /// Web-map zoom level with --center: 0 shows the world in 256 points, each level doubles.
    #[arg(long, value_name = "Z", value_parser = export::parse_zoom, requires = "center")]
    pub zoom: Option<f64>,

    /// The time zone the date is written and read in: a city (Tehran, "New York"), an IANA name
    /// (Asia/Tehran) or UTC.
    #[arg(long, value_name = "ZONE", default_value = "UTC", value_parser = export::parse_zone)]
    pub tz: crate::export::Zone,

    /// The map's projection.
    #[arg(long, value_enum, default_value_t)]
    pub projection: ProjectionArg,

    /// Light or dark map.
    #[arg(long, value_enum, default_value_t)]
    pub theme: ThemeArg,

    /// The title over the map (default: the scenario's title).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// How an SVG writes its labels: text naming a font stack (system), text with the app's fonts
    /// embedded for browsers (embedded), or glyph outlines that look the same everywhere, Inkscape
    /// included (outlines).
    #[arg(long, value_name = "MODE", default_value = "system", value_parser = parse_svg_text)]
    pub svg_text: crate::render::svg::SvgText,

    /// Where the title and the date go: auto (where they cover least of the map), top-left, top,
    /// top-right, left, right, bottom-left, bottom or bottom-right.
    #[arg(long, value_name = "PLACE", default_value = "auto", value_parser = export::parse_place)]
    pub title_at: Place,

    /// Where the legend goes (as --title-at).
    #[arg(long, value_name = "PLACE", default_value = "auto", value_parser = export::parse_place)]
    pub legend_at: Place,

    /// No title and date.
    #[arg(long, conflicts_with = "title_at")]
    pub no_title: bool,

    /// No legend.
    #[arg(long, conflicts_with = "legend_at")]
    pub no_legend: bool,

    /// No stamp (the scenario's name and the start of its SHA-256).
    #[arg(long)]
    pub no_stamp: bool,

    /// Replace the output even when it is a read-only file (it stays read-only); without this, a
    /// read-only file is refused. A writable file is always replaced.
    #[arg(long)]
    pub force: bool,
}

/// The projections of `--projection`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ProjectionArg {
    /// Lambert conformal conic fitted to the detailed region (the app's default).
    #[default]
    #[value(alias = "conic", alias = "lambert")]
    RegionalConic,
    /// Web Mercator, as web maps.
    #[value(alias = "mercator")]
    WebMercator,
}

impl From<ProjectionArg> for ProjectionKind {
    fn from(p: ProjectionArg) -> Self {
        match p {
            ProjectionArg::RegionalConic => Self::RegionalConic,
            ProjectionArg::WebMercator => Self::WebMercator,
        }
    }
}

fn parse_svg_text(s: &str) -> Result<crate::render::svg::SvgText, String> {
    s.parse()
}

impl ExportArgs {
    /// The request the export runs on: the same values, with the view chosen.
    pub fn request(&self) -> ExportRequest {
        let view = match (self.bbox, self.center, self.zoom) {
            (Some(b), _, _) => View::BBox(b),
            (None, Some([lon, lat]), Some(zoom)) => View::Center { lon, lat, zoom },
            _ => View::Fit,
        };
        let when = match (self.at, self.from, self.to) {
            (Some(at), _, _) => When::At(at),
            (None, Some(from), Some(to)) if !self.whole_story => When::Range { from, to },
            _ => When::WholeStory,
        };
        let hidden_or = |hide: bool, place: Place| if hide { Place::Hidden } else { place };
        ExportRequest {
            scenario: self.scenario.clone(),
            when,
            fps: self.fps,
            duration: self.duration,
            output: self.output.clone(),
            size: self.size,
            scale: self.scale,
            basemap: self.basemap.clone(),
            view,
            zone: self.tz.clone(),
            theme: self.theme.into(),
            title: self.title.clone(),
            svg_text: self.svg_text,
            projection: self.projection.into(),
            layout: Layout {
                title: hidden_or(self.no_title, self.title_at),
                legend: hidden_or(self.no_legend, self.legend_at),
                stamp: !self.no_stamp,
                ..Layout::default()
            },
            force: self.force,
            as_of: self.as_of,
            new_since: self.new_since,
            replay: self.replay_knowledge,
        }
    }
}

/// `demarche export`, for `main`, which exits right after: the map it read is not freed (the operating
/// system takes it back faster: freeing its many small allocations takes a few milliseconds of a command
/// that should take a tenth of a second). A program calling [`export_command::run`] repeatedly gets each map back
/// and drops it.
/// The command line, read: as clap's `parse`, but a usage error echoes a long argument cut to its start and
/// control characters escaped (a 10 MB `--tz` or an ESC in an argument is not written back whole to the
/// terminal), then exits with clap's code (2).
pub fn parse_args() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(), // --help, --version
        Err(error) => {
            eprint!("{}", usage_error_text(&error.render().to_string(), &args));
            std::process::exit(error.exit_code());
        }
    }
}

/// A usage error's text with each long argument it echoes cut, and control characters escaped.
fn usage_error_text(rendered: &str, args: &[std::ffi::OsString]) -> String {
    let mut text = rendered.to_owned();
    for arg in args {
        let arg = arg.to_string_lossy();
        let cut = crate::io::kept::echo(&arg);
        if cut.len() < arg.len() {
            let more = arg.len() - (cut.len() - '…'.len_utf8());
            text = text.replace(
                &*arg,
                &format!("{cut} ({} bytes more)", crate::diagnostics::thousands(more)),
            );
        }
    }
    crate::diagnostics::terminal_safe(&text).into_owned()
}

pub fn export(args: &ExportArgs) -> ExitCode {
    let finished = export_command::run(&args.request());
    std::mem::forget(finished.source);
    finished.code
}

/// `demarche check`: 0 when all files are valid, 1 otherwise.
pub fn check(files: &[PathBuf], short: bool) -> ExitCode {
    let mut all_valid = true;
    let mut stdout = std::io::stdout().lock();
    for path in files {
        let (report, summary) = if looks_like_map_file(path) {
            check_map(path, &mut all_valid)
        } else {
            match scenario::check_file(path) {
                Ok(checked) => {
                    warn_missing_fonts(path, &checked);
                    let summary = format!(
                        "{}: valid: {}, {}, {}, {}{}",
                        path.display(),
                        count(checked.contacts, "contact"),
                        count(checked.actors, "actor"),
                        count(checked.venues, "venue"),
                        count(checked.sources, "source"),
                        plural_suffix(checked.report.warning_count(), "warning"),
                    );
                    (checked.report, summary)
                }
                Err(report) => {
                    all_valid = false;
                    let summary = failure_summary(path, "invalid", &report);
                    (report, summary)
                }
            }
        };
        if short {
            report.eprint_lines();
        } else {
            report.eprint();
        }
        let _ = writeln!(stdout, "{}", crate::diagnostics::terminal_safe(&summary));
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Says on stderr which scripts of a valid scenario no font has (bundled, or on this machine), as the
/// window's note does: a warning, not a problem of the file.
fn warn_missing_fonts(path: &std::path::Path, checked: &scenario::Checked) {
    let mut more = Vec::new();
    if !checked.unkept_text.is_empty() {
        more.push(("a contact".to_owned(), checked.unkept_text.as_str()));
    }
    for missing in crate::render::fonts::missing_after_search(&checked.scenario, &more) {
        eprintln!(
            "{}",
            crate::diagnostics::terminal_safe(&format!("{}: warning: {missing}", path.display()))
        );
    }
}

/// Loads a map file for `check`: its report and its summary line.
fn check_map(path: &std::path::Path, all_valid: &mut bool) -> (Report, String) {
    match load_map_file(path, DEFAULT_MAX_MAP_BYTES, &MapReadProgress::new()) {
        Ok(loaded) => {
            let nulls = loaded.null_geometries();
            let summary = format!(
                "{}: loads: {}{}{}",
                path.display(),
                count(loaded.layer.features.len(), "feature"),
                if nulls == 0 {
                    String::new()
                } else {
                    format!(" ({})", plural(nulls, "null geometry", "null geometries"))
                },
                plural_suffix(loaded.report.warning_count(), "warning"),
            );
            (loaded.report, summary)
        }
        Err(report) => {
            *all_valid = false;
            let summary = failure_summary(path, "does not load", &report);
            (report, summary)
        }
    }
}

/// `file: invalid: 2 errors, 1 warning`.
fn failure_summary(path: &std::path::Path, verdict: &str, report: &Report) -> String {
    format!(
        "{}: {verdict}: {}{}",
        path.display(),
        count(report.error_count(), "error"),
        plural_suffix(report.warning_count(), "warning"),
    )
}

/// `1 error`, `2 errors`: a noun whose plural takes an `s`.
fn count(n: usize, what: &str) -> String {
    let noun = plural(n, what, &format!("{what}s"));
    match noun.split_once(' ') {
        Some((_, noun)) => format!("{} {noun}", crate::diagnostics::thousands(n)),
        None => noun,
    }
}

fn plural_suffix(n: usize, what: &str) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {}", count(n, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage_error(args: &[&str]) -> (String, String) {
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        let error = Cli::try_parse_from(&args).expect_err("a usage error");
        let rendered = error.render().to_string();
        let text = usage_error_text(&rendered, &args);
        (rendered, text)
    }

    #[test]
    fn a_usage_error_cuts_a_long_argument() {
        let long = format!("1x{}", "9".repeat(100_000));
        let (rendered, text) = usage_error(&["demarche", "export", "--size", &long]);
        assert!(rendered.len() > 100_000, "clap echoes it whole");
        assert!(text.len() < 2_000, "{} bytes: {text}", text.len());
        assert!(text.contains("(99,882 bytes more)"), "{text}");
        assert!(text.contains("--size"), "{text}");
    }

    #[test]
    fn a_usage_error_escapes_control_characters() {
        let (rendered, text) = usage_error(&["demarche", "export", "--size", "1x\u{7}\u{8}"]);
        // clap's plain text drops them already; whatever it keeps is escaped.
        assert!(!rendered.contains('\u{7}'), "{rendered:?}");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
    }
}
