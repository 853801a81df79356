//! Generalised linear models shared by the modules that need them (bid multipliers in
//! `optimize`, predictive lead scores in `leads`): [`logistic`], regularised logistic regression
//! on scikit-learn's objective.

pub mod logistic;
