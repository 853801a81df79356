//! A/B statistics from sufficient statistics per arm (being written: issue 15).
