//! Properties of the decision engine's pure rules: risk, approval, stages and guardrails.
#![allow(clippy::unwrap_used)]

use channelwise::decide::decision::{DecisionKind, Proposal, RiskLevel, RiskRule, Value};
use channelwise::decide::policy::{check, Guardrails, Policy, StepCheck, Verdict};
use channelwise::platform::adapter::Status;
use channelwise::platform::policy::TokenBucket;
use proptest::prelude::*;

fn level() -> impl Strategy<Value = RiskLevel> {
    prop_oneof![Just(RiskLevel::Low), Just(RiskLevel::Medium), Just(RiskLevel::High)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A larger change, more spend at stake or less confidence never lowers the risk.
    #[test]
    fn risk_is_monotone(c in 0.0..3.0f64, dc in 0.0..1.0f64, s in 0.0..10_000.0f64, ds in 0.0..5000.0f64,
                        k in 0.0..1.0f64, dk in 0.0..1.0f64) {
        let r = RiskRule::default();
        let base = r.level(c, s, k);
        prop_assert!(r.level(c + dc, s, k) >= base);
        prop_assert!(r.level(c, s + ds, k) >= base);
        prop_assert!(r.level(c, s, (k - dk).max(0.0)) >= base);
    }

    /// The assessed level is the table's level of the assessed numbers, and a budget's spend at
    /// stake is the larger of from and to.
    #[test]
    fn assess_follows_the_rule(from in 0.0..2000.0f64, to in 0.0..2000.0f64, conf in 0.0..=1.0f64) {
        let r = RiskRule::default();
        let risk = r.assess(&Proposal::budget("c", from, to).confidence(conf)).unwrap();
        prop_assert_eq!(risk.spend, from.max(to));
        prop_assert!((risk.change - (to - from).abs() / from.max(1.0)).abs() < 1e-12);
        prop_assert_eq!(risk.level, r.level(risk.change, risk.spend, conf));
    }

    /// Auto-approval is exactly "risk at most the policy's level".
    #[test]
    fn auto_approval_is_a_threshold(max in proptest::option::of(level()), l in level()) {
        let p = Policy { auto_approve: max, ..Policy::default() };
        prop_assert_eq!(p.auto_approves(l), max.is_some_and(|m| l <= m));
    }

    /// Stages go from `from` to `to` in order, end at `to`, and stage only changes above the
    /// threshold.
    #[test]
    fn stages_are_monotone_and_end_at_the_target(from in 0.0..5000.0f64, to in 0.0..5000.0f64, first in 0.05..0.95f64) {
        let p = Policy { first_stage: first, ..Policy::default() };
        let stages = p.stages(&Value::Money(from), &Value::Money(to));
        prop_assert_eq!(stages.last(), Some(&Value::Money(to)));
        let staged = (to - from).abs() / from.max(1.0) > p.stage_above;
        prop_assert_eq!(stages.len(), if staged { 2 } else { 1 });
        let mut prev = from;
        for v in &stages {
            let Value::Money(m) = v else { panic!("money in, money out") };
            prop_assert!((m - prev) * (to - from) >= -0.01, "stage {m} goes back from {prev} (from {from} to {to})");
            prev = *m;
        }
    }

    /// A budget step the guardrails pass leaves every daily cap kept; a decrease is never
    /// blocked (at most deferred by the vendor's frequency limit).
    #[test]
    fn caps_hold_after_every_pass(budgets in proptest::collection::vec((0.0..400.0f64, any::<bool>()), 1..6),
                                  target in 0.0..600.0f64, cap in 50.0..500.0f64, account in 100.0..1500.0f64,
                                  changes in proptest::collection::vec(0i64..3_600_000, 0..6)) {
        let g = Guardrails { default_campaign_daily_cap: Some(cap), account_daily_cap: Some(account), max_step_change: None, max_window_change: None, ..Guardrails::default() };
        let mut s = StepCheck::new("e0", DecisionKind::Budget, Value::Money(budgets[0].0), Value::Money(target));
        for (i, (b, active)) in budgets.iter().enumerate() {
            s = s.exposure(format!("e{i}"), *b, *active);
        }
        let mut changes = changes;
        changes.sort_unstable();
        s.recent_changes = changes;
        s.now_ms = 3_600_000;
        let verdict = check(&g, &s);
        let (b0, active0) = budgets[0];
        if verdict == Verdict::Pass && active0 && target > b0 {
            prop_assert!(target <= cap + 1e-9);
            let sum: f64 = budgets.iter().skip(1).filter(|(_, a)| *a).map(|(b, _)| b).sum::<f64>() + target;
            prop_assert!(sum <= account + 1e-9, "account {sum} > {account}");
        }
        if target <= b0 || !active0 {
            prop_assert!(!matches!(verdict, Verdict::Block { .. }), "{verdict:?}");
        }
    }

    /// A resume passes only within the account cap; a pause always passes.
    #[test]
    fn status_changes_respect_the_account_cap(b in 0.0..500.0f64, other in 0.0..500.0f64, account in 0.0..800.0f64) {
        let g = Guardrails { account_daily_cap: Some(account), ..Guardrails::default() };
        let resume = StepCheck::new("a", DecisionKind::Status, Value::Status(Status::Paused), Value::Status(Status::Active))
            .exposure("a", b, false).exposure("o", other, true);
        prop_assert_eq!(check(&g, &resume) == Verdict::Pass, b + other <= account + 1e-9);
        let pause = StepCheck::new("a", DecisionKind::Status, Value::Status(Status::Active), Value::Status(Status::Paused))
            .exposure("a", b, true).exposure("o", other, true);
        prop_assert_eq!(check(&g, &pause), Verdict::Pass);
    }

    /// Budget changes granted by the frequency guardrail never outrun the vendor's bucket: in
    /// any span of `L` ms at most `capacity + L / refill_ms` of them.
    #[test]
    fn change_frequency_keeps_the_vendor_limit(gaps in proptest::collection::vec(0i64..1_200_000, 1..40)) {
        let bucket = TokenBucket::META_ADSET_BUDGET;
        let g = Guardrails { max_step_change: None, max_window_change: None, ..Guardrails::default() };
        let mut granted: Vec<i64> = Vec::new();
        let mut now = 0i64;
        for gap in gaps {
            now += gap;
            let mut s = StepCheck::new("a", DecisionKind::Budget, Value::Money(100.0), Value::Money(90.0)).exposure("a", 100.0, true);
            s.recent_changes = granted.clone();
            s.now_ms = now;
            if check(&g, &s) == Verdict::Pass {
                granted.push(now);
            }
        }
        for i in 0..granted.len() {
            for j in i..granted.len() {
                let span = granted[j] - granted[i];
                let allowed = i64::from(bucket.capacity) + span / bucket.refill_ms as i64;
                prop_assert!((j - i + 1) as i64 <= allowed, "{} changes in {span} ms", j - i + 1);
            }
        }
    }
}
