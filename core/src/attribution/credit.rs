//! [`ChannelCredit`]: credited conversions and value per channel, and rollups between levels.

use serde::{Deserialize, Serialize};

/// Separator between channel and campaign in names produced at channel+campaign level
/// (`"search | brand-2026"`); [`ChannelCredit::rollup_campaigns`] splits on it.
pub const CAMPAIGN_SEP: &str = " | ";

/// Conversions and value credited to each channel by one model.
///
/// `channels[i]` earned `conversions[i]` conversions and `value[i]` value. Models keep the
/// channel order of the [`PathTable`](crate::journey::PathTable) they were fitted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelCredit {
    /// Channel names.
    pub channels: Vec<String>,
    /// Credited conversions per channel.
    pub conversions: Vec<f64>,
    /// Credited conversion value per channel.
    pub value: Vec<f64>,
}

impl ChannelCredit {
    /// An all-zero credit for `channels`.
    pub fn zeros(channels: &[String]) -> Self {
        ChannelCredit {
            channels: channels.to_vec(),
            conversions: vec![0.0; channels.len()],
            value: vec![0.0; channels.len()],
        }
    }

    /// `(conversions, value)` credited to `channel`, if present.
    pub fn get(&self, channel: &str) -> Option<(f64, f64)> {
        let i = self.channels.iter().position(|c| c == channel)?;
        Some((self.conversions[i], self.value[i]))
    }

    /// Total credited conversions.
    pub fn total_conversions(&self) -> f64 {
        self.conversions.iter().sum()
    }

    /// Total credited value.
    pub fn total_value(&self) -> f64 {
        self.value.iter().sum()
    }

    /// Sums credit over groups named by `key(channel)`, in order of first appearance.
    ///
    /// ```
    /// use channelwise::attribution::ChannelCredit;
    /// let c = ChannelCredit {
    ///     channels: vec!["search | a".into(), "email | b".into(), "search | c".into()],
    ///     conversions: vec![1.0, 2.0, 3.0],
    ///     value: vec![10.0, 20.0, 30.0],
    /// };
    /// let by_channel = c.rollup_campaigns();
    /// assert_eq!(by_channel.channels, ["search", "email"]);
    /// assert_eq!(by_channel.conversions, [4.0, 2.0]);
    /// ```
    pub fn rollup(&self, key: impl Fn(&str) -> &str) -> ChannelCredit {
        let mut out = ChannelCredit { channels: Vec::new(), conversions: Vec::new(), value: Vec::new() };
        for (i, name) in self.channels.iter().enumerate() {
            let k = key(name);
            let j = match out.channels.iter().position(|c| c == k) {
                Some(j) => j,
                None => {
                    out.channels.push(k.to_string());
                    out.conversions.push(0.0);
                    out.value.push(0.0);
                    out.channels.len() - 1
                }
            };
            out.conversions[j] += self.conversions[i];
            out.value[j] += self.value[i];
        }
        out
    }

    /// Rolls channel+campaign credit (names `"channel | campaign"`) up to channels.
    pub fn rollup_campaigns(&self) -> ChannelCredit {
        self.rollup(|name| name.split(CAMPAIGN_SEP).next().unwrap_or(name))
    }
}

/// Scales non-negative `weights` so they sum to `total`; all zeros if the weights sum to 0.
pub(crate) fn normalise_to(weights: &[f64], total: f64) -> Vec<f64> {
    let s: f64 = weights.iter().sum();
    if s > 0.0 {
        weights.iter().map(|w| w / s * total).collect()
    } else {
        vec![0.0; weights.len()]
    }
}
