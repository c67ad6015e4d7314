//! Parquet files (the form a BigQuery or DuckDB query result is saved in) read row by row as text records,
//! with the schema's column names as their header, so that the readers of the text formats find GDELT's,
//! ACLED's and ICEWS's columns by name unchanged.
//!
//! Values become the text a CSV export of the same table holds: numbers as written by Rust (shortest form
//! that reads back the same), dates `YYYY-MM-DD`, timestamps `YYYY-MM-DDTHH:MM:SSZ`, nulls empty. A problem in
//! a row is placed at the row (1-based, the header not counted) and the column (1-based) of the file.

use std::fmt::Write as _;
use std::fs::File;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use csv::ByteRecord;
use parquet::basic::{ConvertedType, LogicalType, TimeUnit};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::DataType;
use parquet::errors::ParquetError;
use parquet::file::reader::{FileReader, RowGroupReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::ColumnDescriptor;

use super::detect::FileError;

/// The first (and last) four bytes of every Parquet file.
pub const MAGIC: &[u8; 4] = b"PAR1";

const DAMAGED: &str = "the file may be cut short (an interrupted download or copy) or damaged: \
                       save the query result again";

/// The rows of a Parquet file, in order, across its row groups. A row group is read column by column
/// (only the columns asked for: [`Rows::keep_only`]) into text, then given row by row.
pub struct Rows {
    reader: SerializedFileReader<File>,
    names: Vec<String>,
    /// Each column's leaf in the file: `None` for a nested one (a list, a struct), which is not read.
    leaves: Vec<Option<usize>>,
    /// Which columns are read; the others read as empty.
    wanted: Vec<bool>,
    /// The number of rows before each row group, for the errors.
    group_starts: Vec<u64>,
    /// The next row group to read.
    next_group: usize,
    /// The values of the row group read, as text, column by column.
    texts: Vec<ColumnText>,
    rows_in_group: usize,
    row_in_group: usize,
    /// Rows read so far.
    read: u64,
}

/// A column's values in a row group, as text one after the other (a null is empty).
#[derive(Default)]
struct ColumnText {
    bytes: Vec<u8>,
    /// Where each value ends in `bytes`; empty for a column not read.
    ends: Vec<usize>,
}

impl ColumnText {
    fn get(&self, row: usize) -> &[u8] {
        match self.ends.get(row) {
            Some(&end) => &self.bytes[if row == 0 { 0 } else { self.ends[row - 1] }..end],
            None => b"",
        }
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }
}

impl Rows {
    /// Opens `path` and reads its footer (the schema and the row groups).
    pub fn open(path: &Path) -> Result<Self, FileError> {
        let file =
            File::open(path).map_err(|e| FileError::new(format!("cannot open: {e}"), None))?;
        // The crate panics on some damaged footers and pages (a negative offset): each read of the file's
        // structure is guarded, so a damaged file is this file's error, never a crash.
        let reader = catch_unwind(AssertUnwindSafe(|| SerializedFileReader::new(file)))
            .unwrap_or_else(|_| Err(ParquetError::General("its footer is damaged".to_owned())))
            .map_err(|e| {
                FileError::new(
                    format!("this Parquet file cannot be read: {e}"),
                    Some(DAMAGED),
                )
            })?;
        let metadata = reader.metadata();
        let schema = metadata.file_metadata().schema_descr();
        let fields = schema.root_schema().get_fields();
        let names: Vec<String> = fields.iter().map(|f| f.name().to_owned()).collect();
        let mut leaves = vec![None; names.len()];
        for leaf in 0..schema.num_columns() {
            let root = schema.get_column_root_idx(leaf);
            let column = schema.column(leaf);
            if fields[root].is_primitive() && column.max_rep_level() == 0 {
                leaves[root] = Some(leaf);
            }
        }
        let group_starts = metadata
            .row_groups()
            .iter()
            .scan(0u64, |start, group| {
                let this = *start;
                *start += u64::try_from(group.num_rows()).unwrap_or(0);
                Some(this)
            })
            .collect();
        Ok(Self {
            wanted: leaves.iter().map(Option::is_some).collect(),
            texts: names.iter().map(|_| ColumnText::default()).collect(),
            reader,
            names,
            leaves,
            group_starts,
            next_group: 0,
            rows_in_group: 0,
            row_in_group: 0,
            read: 0,
        })
    }

    /// The names of the columns, as the schema gives them.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The header as a record, as a text file's first line would be.
    pub fn header(&self, record: &mut ByteRecord) {
        record.clear();
        for name in &self.names {
            record.push_field(name.as_bytes());
        }
    }

    /// Reads only the columns `used` (0-based); the others read as empty. A nested column among them is
    /// an error: the datasets' columns are plain values.
    pub fn keep_only(&mut self, used: &[usize]) -> Result<(), FileError> {
        for (i, wanted) in self.wanted.iter_mut().enumerate() {
            *wanted = used.contains(&i);
            if *wanted && self.leaves[i].is_none() {
                return Err(FileError::new(
                    format!(
                        "column {} `{}` is a list or a struct, not a plain value",
                        i + 1,
                        self.names[i]
                    ),
                    Some("save the query result with plain columns (one value a row)"),
                ));
            }
        }
        Ok(())
    }

    /// The number (1-based) of the row last read.
    pub fn row(&self) -> u64 {
        self.read
    }

    /// Reads the next row into `record`; `false` at the end. A row group that cannot be decoded ends the
    /// file with an error at its row group, first row and column.
    pub fn next(&mut self, record: &mut ByteRecord) -> Result<bool, FileError> {
        while self.row_in_group == self.rows_in_group {
            if self.next_group == self.group_starts.len() {
                return Ok(false);
            }
            let group = self.next_group;
            self.next_group += 1;
            self.read_group(group)?;
        }
        record.clear();
        for text in &self.texts {
            record.push_field(text.get(self.row_in_group));
        }
        self.row_in_group += 1;
        self.read += 1;
        Ok(true)
    }

    /// Reads row group `group`'s wanted columns into `texts`.
    fn read_group(&mut self, group: usize) -> Result<(), FileError> {
        let damaged = |column: Option<usize>, message: String| {
            let column = column
                .map(|i| format!(", column {} `{}`", i + 1, self.names[i]))
                .unwrap_or_default();
            FileError::new(
                format!(
                    "cannot read row {} (row group {} of {}{column}): {message}",
                    self.group_starts[group] + 1,
                    group + 1,
                    self.group_starts.len()
                ),
                Some(DAMAGED),
            )
        };
        let row_group = catch_unwind(AssertUnwindSafe(|| self.reader.get_row_group(group)))
            .unwrap_or_else(|_| Err(ParquetError::General("its metadata is damaged".to_owned())))
            .map_err(|e| damaged(None, e.to_string()))?;
        let rows = usize::try_from(row_group.metadata().num_rows()).unwrap_or(0);
        for (i, text) in self.texts.iter_mut().enumerate() {
            text.clear();
            let (true, Some(leaf)) = (self.wanted[i], self.leaves[i]) else {
                continue;
            };
            let read = catch_unwind(AssertUnwindSafe(|| {
                column_text(row_group.as_ref(), leaf, rows, text)
            }))
            .unwrap_or_else(|_| Err(ParquetError::General("the decoder failed".to_owned())));
            read.map_err(|e| damaged(Some(i), e.to_string()))?;
            if text.ends.len() != rows {
                return Err(damaged(
                    Some(i),
                    format!("{} values for {rows} rows", text.ends.len()),
                ));
            }
        }
        self.rows_in_group = rows;
        self.row_in_group = 0;
        Ok(())
    }
}

/// Reads the `rows` values of leaf column `leaf` of `row_group` into `text`.
fn column_text(
    row_group: &dyn RowGroupReader,
    leaf: usize,
    rows: usize,
    text: &mut ColumnText,
) -> Result<(), ParquetError> {
    let descr = row_group.metadata().column(leaf).column_descr_ptr();
    let d = descr.as_ref();
    let mut scratch = String::new();
    match row_group.get_column_reader(leaf)? {
        ColumnReader::BoolColumnReader(mut r) => read_values(&mut r, d, rows, text, |v, out| {
            out.extend_from_slice(if *v { b"true" } else { b"false" });
        }),
        ColumnReader::Int32ColumnReader(mut r) => {
            read_values(&mut r, d, rows, text, |&v, out| match d.converted_type() {
                ConvertedType::DATE => date_text(i64::from(v), out, &mut scratch),
                ConvertedType::UINT_8 | ConvertedType::UINT_16 | ConvertedType::UINT_32 => {
                    write_text(out, &mut scratch, format_args!("{}", v as u32));
                }
                ConvertedType::DECIMAL => {
                    field_text(&Field::convert_int32(&descr, v), out, &mut scratch);
                }
                _ => write_text(out, &mut scratch, format_args!("{v}")),
            })
        }
        ColumnReader::Int64ColumnReader(mut r) => {
            let unit = match d.logical_type_ref() {
                Some(LogicalType::Timestamp(t)) => Some(t.unit),
                _ => match d.converted_type() {
                    ConvertedType::TIMESTAMP_MILLIS => Some(TimeUnit::MILLIS),
                    ConvertedType::TIMESTAMP_MICROS => Some(TimeUnit::MICROS),
                    _ => None,
                },
            };
            read_values(&mut r, d, rows, text, |&v, out| {
                match (&unit, d.converted_type()) {
                    (Some(TimeUnit::MILLIS), _) => {
                        timestamp_text(i128::from(v) * 1_000_000, out, &mut scratch)
                    }
                    (Some(TimeUnit::MICROS), _) => {
                        timestamp_text(i128::from(v) * 1_000, out, &mut scratch)
                    }
                    (Some(TimeUnit::NANOS), _) => timestamp_text(i128::from(v), out, &mut scratch),
                    (None, ConvertedType::UINT_64) => {
                        write_text(out, &mut scratch, format_args!("{}", v as u64))
                    }
                    (None, ConvertedType::DECIMAL) => {
                        field_text(&Field::convert_int64(&descr, v), out, &mut scratch);
                    }
                    _ => write_text(out, &mut scratch, format_args!("{v}")),
                }
            })
        }
        ColumnReader::Int96ColumnReader(mut r) => read_values(&mut r, d, rows, text, |v, out| {
            timestamp_text(i128::from(v.to_nanos()), out, &mut scratch);
        }),
        ColumnReader::FloatColumnReader(mut r) => read_values(&mut r, d, rows, text, |v, out| {
            write_text(out, &mut scratch, format_args!("{v}"));
        }),
        ColumnReader::DoubleColumnReader(mut r) => read_values(&mut r, d, rows, text, |v, out| {
            write_text(out, &mut scratch, format_args!("{v}"));
        }),
        ColumnReader::ByteArrayColumnReader(mut r) => {
            read_values(&mut r, d, rows, text, |v, out| match d.converted_type() {
                ConvertedType::DECIMAL => match Field::convert_byte_array(&descr, v.clone()) {
                    Ok(field) => field_text(&field, out, &mut scratch),
                    Err(_) => out.extend_from_slice(v.data()),
                },
                _ => out.extend_from_slice(v.data()),
            })
        }
        ColumnReader::FixedLenByteArrayColumnReader(mut r) => {
            read_values(&mut r, d, rows, text, |v, out| {
                let special = d.converted_type() == ConvertedType::DECIMAL
                    || matches!(d.logical_type_ref(), Some(LogicalType::Float16));
                match special.then(|| Field::convert_byte_array(&descr, v.clone().into())) {
                    Some(Ok(field)) => field_text(&field, out, &mut scratch),
                    _ => out.extend_from_slice(v.data()),
                }
            })
        }
    }
}

/// Reads every value of a flat column (a null as empty), each written by `write`.
fn read_values<T: DataType>(
    reader: &mut ColumnReaderImpl<T>,
    descr: &ColumnDescriptor,
    rows: usize,
    text: &mut ColumnText,
    mut write: impl FnMut(&T::T, &mut Vec<u8>),
) -> Result<(), ParquetError> {
    const BATCH: usize = 8192;
    let max_def = descr.max_def_level();
    let mut defs: Vec<i16> = Vec::with_capacity(BATCH);
    let mut values: Vec<T::T> = Vec::with_capacity(BATCH);
    text.ends.reserve(rows);
    while text.ends.len() < rows {
        defs.clear();
        values.clear();
        let want = BATCH.min(rows - text.ends.len());
        let (records, _, _) =
            reader.read_records(want, (max_def > 0).then_some(&mut defs), None, &mut values)?;
        if records == 0 {
            break;
        }
        let mut given = values.iter();
        for i in 0..records {
            if max_def == 0 || defs.get(i) == Some(&max_def) {
                let value = given.next().ok_or_else(|| {
                    ParquetError::General("fewer values than the levels say".to_owned())
                })?;
                write(value, &mut text.bytes);
            }
            text.ends.push(text.bytes.len());
        }
    }
    Ok(())
}

fn write_text(out: &mut Vec<u8>, scratch: &mut String, args: std::fmt::Arguments<'_>) {
    scratch.clear();
    // Writing to a String cannot fail.
    let _ = scratch.write_fmt(args);
    out.extend_from_slice(scratch.as_bytes());
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01.
fn date_text(days: i64, out: &mut Vec<u8>, scratch: &mut String) {
    match jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(days)) {
        Ok(date) => write_text(out, scratch, format_args!("{date}")),
        Err(_) => write_text(out, scratch, format_args!("{days}")),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` (with a fraction when there is one) of nanoseconds from 1970 (UTC).
fn timestamp_text(nanos: i128, out: &mut Vec<u8>, scratch: &mut String) {
    match jiff::Timestamp::from_nanosecond(nanos) {
        Ok(t) => write_text(out, scratch, format_args!("{t}")),
        Err(_) => write_text(out, scratch, format_args!("{nanos}")),
    }
}

/// A value of a rarer type (a decimal, a half float) as the row API writes it.
fn field_text(field: &Field, out: &mut Vec<u8>, scratch: &mut String) {
    let mut record = ByteRecord::new();
    push_field(&mut record, field, scratch);
    out.extend_from_slice(&record[0]);
}

/// Appends `field` to `record` as a CSV export of it would read.
fn push_field(record: &mut ByteRecord, field: &Field, text: &mut String) {
    text.clear();
    // Writing to a String cannot fail.
    let _ = match field {
        Field::Null => Ok(()),
        Field::Str(value) => {
            record.push_field(value.as_bytes());
            return;
        }
        Field::Bytes(value) => {
            record.push_field(value.data());
            return;
        }
        Field::Bool(v) => write!(text, "{v}"),
        Field::Byte(v) => write!(text, "{v}"),
        Field::Short(v) => write!(text, "{v}"),
        Field::Int(v) => write!(text, "{v}"),
        Field::Long(v) => write!(text, "{v}"),
        Field::UByte(v) => write!(text, "{v}"),
        Field::UShort(v) => write!(text, "{v}"),
        Field::UInt(v) => write!(text, "{v}"),
        Field::ULong(v) => write!(text, "{v}"),
        Field::Float16(v) => write!(text, "{}", f32::from(*v)),
        Field::Float(v) => write!(text, "{v}"),
        Field::Double(v) => write!(text, "{v}"),
        Field::Date(days) => match jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().days(i64::from(*days)))
        {
            Ok(date) => write!(text, "{date}"),
            Err(_) => write!(text, "{field}"),
        },
        Field::TimestampMillis(ms) => match jiff::Timestamp::from_millisecond(*ms) {
            Ok(t) => write!(text, "{t:.0}"),
            Err(_) => write!(text, "{field}"),
        },
        Field::TimestampMicros(us) => match jiff::Timestamp::from_microsecond(*us) {
            Ok(t) => write!(text, "{t:.0}"),
            Err(_) => write!(text, "{field}"),
        },
        other => write!(text, "{other}"),
    };
    record.push_field(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(field: Field) -> String {
        let mut record = ByteRecord::new();
        push_field(&mut record, &field, &mut String::new());
        String::from_utf8_lossy(&record[0]).into_owned()
    }

    #[test]
    fn dates_and_timestamps_of_columns_read_as_iso_text() {
        let (mut out, mut scratch) = (Vec::new(), String::new());
        date_text(19_173, &mut out, &mut scratch);
        out.push(b' ');
        timestamp_text(1_424_300_400_000_000_000, &mut out, &mut scratch);
        out.push(b' ');
        timestamp_text(1_424_300_400_500_000_000, &mut out, &mut scratch);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "2022-06-30 2015-02-18T23:00:00Z 2015-02-18T23:00:00.5Z"
        );
    }

    #[test]
    fn values_read_as_a_csv_export_of_them_would() {
        assert_eq!(text_of(Field::Null), "");
        assert_eq!(text_of(Field::Str("042".into())), "042");
        assert_eq!(text_of(Field::Long(20_150_218)), "20150218");
        assert_eq!(text_of(Field::Double(31.7833)), "31.7833");
        assert_eq!(
            text_of(Field::Double(-2.564_102_564_102_56)),
            "-2.56410256410256"
        );
        assert_eq!(text_of(Field::Float(35.5)), "35.5");
        assert_eq!(text_of(Field::Double(1.0)), "1");
        assert_eq!(text_of(Field::Date(19_173)), "2022-06-30");
        assert_eq!(
            text_of(Field::TimestampMillis(1_424_300_400_000)),
            "2015-02-18T23:00:00Z"
        );
        assert_eq!(
            text_of(Field::TimestampMicros(1_424_300_400_000_000)),
            "2015-02-18T23:00:00Z"
        );
    }
}
