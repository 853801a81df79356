//! Journeys: from raw touchpoint and conversion events to a [`PathTable`].

mod build;
mod csv_input;
mod events;
mod merge;
mod path_table;
mod pipeline;

pub use build::{BuildReport, Journey, JourneyBuilder, Journeys, Level};
pub use csv_input::{parse_timestamp, ConversionCsv, ConversionRows, PathCsv, TouchpointCsv, TouchpointRows};
pub use events::{Conversion, ConversionColumns, TouchColumns, Touchpoint};
pub use merge::{JourneyStream, PathTableSum};
pub use path_table::{ChannelId, PathTable, PathTableBuilder};
pub use pipeline::{build_pipelined, PackedRows};
