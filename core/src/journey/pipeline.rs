//! Building a path table while its rows are still being read: the reader (a binding holding a
//! language runtime's lock, say) fills chunks of packed rows on the calling thread, and a scoped
//! worker thread parses the chunks already read, so reading and parsing overlap instead of
//! adding up. The Node addon and the Python binding both read their path columns this way.

use std::sync::mpsc;

use crate::error::{Error, Result};
use crate::journey::{PathTable, PathTableBuilder};

/// Rows of text packed into one buffer: a chunk of a path column on its way from the reader to
/// the parser. Cleared and reused rather than reallocated.
#[derive(Debug, Default)]
pub struct PackedRows {
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl PackedRows {
    /// An empty chunk with room for `rows` rows of typical paths.
    pub fn with_capacity(rows: usize) -> Self {
        PackedRows {
            text: Vec::with_capacity(rows.saturating_mul(64)),
            ends: Vec::with_capacity(rows),
        }
    }

    /// The buffer the next row's bytes are appended to; [`PackedRows::end_row`] closes the row.
    pub fn text_mut(&mut self) -> &mut Vec<u8> {
        &mut self.text
    }

    /// Ends the row whose bytes were appended since the last one.
    pub fn end_row(&mut self) {
        self.ends.push(self.text.len());
    }

    /// Appends one row.
    pub fn push(&mut self, row: &[u8]) {
        self.text.extend_from_slice(row);
        self.end_row();
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it holds no row.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Empties it, keeping its memory.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// The rows' bytes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(a, b)| &self.text[a..b])
    }
}

/// Builds a table of `n` rows read on this thread while a scoped worker thread parses them.
///
/// `read(i, Some(chunk))` appends row `i` to `chunk` (or fails: a row of the wrong type);
/// `read(i, None)` only checks it, which happens for the rows after the parser stopped, so that
/// a reader error anywhere wins over a parse error, as if every row had been read first.
/// `push(builder, i, bytes)` adds row `i` to the table. `wait` runs the join of the worker
/// (a binding passes one that releases its runtime's lock while it waits).
///
/// The result: `Err` for the first reader error, else `Ok` of the parse.
///
/// # Errors
/// The reader's `E`; inside, the builder's errors (an invalid path, a bad count).
pub fn build_pipelined<E>(
    mut builder: PathTableBuilder,
    n: usize,
    chunk_rows: usize,
    mut read: impl FnMut(usize, Option<&mut PackedRows>) -> std::result::Result<(), E>,
    push: impl Fn(&mut PathTableBuilder, usize, &[u8]) -> Result<()> + Sync,
    wait: impl FnOnce(&mut (dyn FnMut() -> Result<PathTable> + Send)) -> Result<PathTable>,
) -> std::result::Result<Result<PathTable>, E> {
    let chunk_rows = chunk_rows.max(1);
    let (tx, rx) = mpsc::sync_channel::<PackedRows>(4);
    // Parsed chunks go back to the reader to be filled again: a handful of buffers in all.
    let (recycle, reuse) = mpsc::channel::<PackedRows>();
    std::thread::scope(|scope| {
        let push = &push;
        let worker = scope.spawn(move || -> Result<PathTable> {
            let mut row = 0;
            for mut chunk in rx {
                for p in chunk.iter() {
                    push(&mut builder, row, p)?;
                    row += 1;
                }
                chunk.clear();
                // The reader may be done already; then the buffer is simply dropped.
                let _ = recycle.send(chunk);
            }
            Ok(builder.finish())
        });
        let mut read_all = || -> std::result::Result<(), E> {
            let mut chunk = PackedRows::with_capacity(chunk_rows.min(n));
            for i in 0..n {
                read(i, Some(&mut chunk))?;
                if chunk.len() == chunk_rows || i + 1 == n {
                    let empty = reuse
                        .try_recv()
                        .unwrap_or_else(|_| PackedRows::with_capacity(chunk_rows));
                    if tx.send(std::mem::replace(&mut chunk, empty)).is_err() {
                        // The parser stopped (its error is reported unless a later row fails
                        // the reader): only check the rest.
                        return (i + 1..n).try_for_each(|j| read(j, None));
                    }
                }
            }
            Ok(())
        };
        let read_result = read_all();
        drop(tx); // ends the worker's loop
        let mut worker = Some(worker);
        let built = wait(&mut || {
            worker.take().map_or_else(
                || Err(Error::Internal("path table worker joined twice".into())),
                |w| {
                    w.join().unwrap_or_else(|_| {
                        Err(Error::Internal("path table worker panicked".into()))
                    })
                },
            )
        });
        read_result.map(|()| built)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                if i % 3 == 0 {
                    "a>b".to_string()
                } else {
                    format!("c{}>a", i % 5)
                }
            })
            .collect()
    }

    fn pipelined(
        paths: &[String],
        bad_type_at: Option<usize>,
        chunk: usize,
    ) -> std::result::Result<Result<PathTable>, usize> {
        let b = PathTableBuilder::with_separator(">").expect("valid separator");
        build_pipelined(
            b,
            paths.len(),
            chunk,
            |i, out| {
                if Some(i) == bad_type_at {
                    return Err(i);
                }
                if let Some(out) = out {
                    out.push(paths[i].as_bytes());
                }
                Ok(())
            },
            |b, i, p| b.push_utf8(p, (i % 2) as f64, 1.0, 0.0),
            |join| join(),
        )
    }

    #[test]
    fn equals_the_table_built_in_one_go_at_every_chunk_size() {
        let paths = rows(1000);
        let conv: Vec<f64> = (0..1000).map(|i| (i % 2) as f64).collect();
        let want = PathTable::from_strings(&paths, &conv, Some(&vec![1.0; 1000]), None, ">")
            .expect("valid");
        for chunk in [1, 7, 999, 1000, 4096] {
            let got = pipelined(&paths, None, chunk)
                .expect("reads")
                .expect("parses");
            assert_eq!(got.channels(), want.channels(), "chunk {chunk}");
            assert_eq!(got.conversions(), want.conversions(), "chunk {chunk}");
            assert_eq!(got.len(), want.len(), "chunk {chunk}");
        }
        assert_eq!(
            pipelined(&[], None, 16)
                .expect("reads")
                .expect("parses")
                .len(),
            0
        );
    }

    #[test]
    fn a_reader_error_anywhere_wins_over_a_parse_error() {
        let mut paths = rows(200);
        paths[5] = "a>>b".into(); // an invalid path early
        let parse = pipelined(&paths, None, 16).expect("reads");
        assert!(
            matches!(parse, Err(Error::InvalidPath { row: 5, .. })),
            "{parse:?}"
        );
        // a row the reader rejects late, after the parser stopped at row 5
        assert_eq!(pipelined(&paths, Some(150), 16).err(), Some(150));
    }
}
