//! Parquet files (the form a BigQuery or DuckDB query result is saved in) read row by row as text records,
//! with the schema's column names as their header, so that the readers of the text formats find GDELT's,
//! ACLED's and ICEWS's columns by name unchanged.
//!
//! Values become the text a CSV export of the same table holds: numbers as written by Rust (shortest form
//! that reads back the same), dates `YYYY-MM-DD`, timestamps `YYYY-MM-DDTHH:MM:SSZ`, nulls empty. A problem in
//! a row is placed at the row (1-based, the header not counted) and the column (1-based) of the file.

use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;

use csv::ByteRecord;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::record::reader::RowIter;
use parquet::schema::types::Type;

use super::detect::FileError;

/// The first (and last) four bytes of every Parquet file.
pub const MAGIC: &[u8; 4] = b"PAR1";

const DAMAGED: &str = "the file may be cut short (an interrupted download or copy) or damaged: \
                       save the query result again";

/// The rows of a Parquet file, in order, across its row groups.
pub struct Rows {
    rows: RowIter<'static>,
    names: Vec<String>,
    /// The number of rows before each row group, for the errors.
    group_starts: Vec<u64>,
    /// Rows read so far.
    read: u64,
    /// A value being written as text.
    text: String,
}

impl Rows {
    /// Opens `path` and reads its footer (the schema and the row groups).
    pub fn open(path: &Path) -> Result<Self, FileError> {
        let file =
            File::open(path).map_err(|e| FileError::new(format!("cannot open: {e}"), None))?;
        let reader = SerializedFileReader::new(file).map_err(|e| {
            FileError::new(
                format!("this Parquet file cannot be read: {e}"),
                Some(DAMAGED),
            )
        })?;
        let metadata = reader.metadata();
        let names = metadata
            .file_metadata()
            .schema_descr()
            .root_schema()
            .get_fields()
            .iter()
            .map(|field| field.name().to_owned())
            .collect();
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
            rows: RowIter::from_file_into(Box::new(reader)),
            names,
            group_starts,
            read: 0,
            text: String::new(),
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

    /// The number (1-based) of the row last read.
    pub fn row(&self) -> u64 {
        self.read
    }

    /// Reads the next row into `record`; `false` at the end. A row that cannot be decoded ends the file
    /// with an error at its row group, row and (when it can be told) column.
    pub fn next(&mut self, record: &mut ByteRecord, path: &Path) -> Result<bool, FileError> {
        match self.rows.next() {
            None => Ok(false),
            Some(Err(e)) => Err(self.damaged(path, &e.to_string())),
            Some(Ok(row)) => {
                self.read += 1;
                record.clear();
                for (_, field) in row.get_column_iter() {
                    push_field(record, field, &mut self.text);
                }
                Ok(true)
            }
        }
    }

    /// The error of a row that cannot be read: which row group, which row, and which column's data is
    /// damaged (found by reading that group's columns one by one again).
    fn damaged(&self, path: &Path, message: &str) -> FileError {
        let row = self.read + 1;
        let group = self
            .group_starts
            .iter()
            .rposition(|&start| start < row)
            .unwrap_or(0);
        let column = damaged_column(path, group)
            .map(|(i, name)| format!(", column {} `{name}`", i + 1))
            .unwrap_or_default();
        FileError::new(
            format!(
                "cannot read row {row} (row group {} of {}{column}): {message}",
                group + 1,
                self.group_starts.len()
            ),
            Some(DAMAGED),
        )
    }
}

/// The first column of row group `group` whose values cannot be read, if one alone fails.
fn damaged_column(path: &Path, group: usize) -> Option<(usize, String)> {
    let reader = SerializedFileReader::new(File::open(path).ok()?).ok()?;
    let row_group = reader.get_row_group(group).ok()?;
    let fields = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema()
        .get_fields()
        .to_vec();
    fields.iter().enumerate().find_map(|(i, field)| {
        let projection = Type::group_type_builder("schema")
            .with_fields(vec![field.clone()])
            .build()
            .ok()?;
        let failed = match row_group.get_row_iter(Some(projection)) {
            Ok(mut rows) => rows.any(|row| row.is_err()),
            Err(_) => true,
        };
        failed.then(|| (i, field.name().to_owned()))
    })
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
