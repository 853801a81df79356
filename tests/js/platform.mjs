// platform.* shared by the Node binding and the WebAssembly build: PII normalised and hashed (the
// vendors' numbers are the shared vectors' job: tests/vectors/platform/), errors that name the
// field and never the value, webhooks over raw bytes (strings and Uint8Arrays alike), the
// simulated market (same seed, same market; vendor failures as data), the error classifier, the
// vendors' request bodies (Meta CAPI and budget changes, GA4, Google Ads) and report readers.

import { test } from 'node:test';
import assert from 'node:assert/strict';

/**
 * Registers the tests.
 * @param {{ platform: object }} api the binding
 * @param {string} name `'node'` or `'wasm'`, for test titles
 */
export function runPlatform({ platform }, name) {
  const coded = (fn, code, check) => assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    if (check) check(e);
    return true;
  });
  const utf8 = new TextEncoder();

  test(`[${name}] PII: normalize, hash and hashUserData agree, for Meta and Google`, () => {
    assert.equal(platform.normalize('em', ' John_Smith@Gmail.com '), 'john_smith@gmail.com');
    // Meta's own example on its Customer Information Parameters page
    assert.equal(platform.hash('em', 'John_Smith@gmail.com'), '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
    assert.equal(platform.normalize('ph', '+1 (800) 555-0100', { vendor: 'google' }), '+18005550100');
    const email = 'Jane.Doe+News@gmail.com';
    assert.equal(platform.normalize('em', email, { vendor: 'google' }), 'janedoe@gmail.com');
    assert.equal(platform.normalize('em', email, { vendor: 'google', googleEmail: 'sdk' }), 'janedoe+news@gmail.com');
    const hashed = platform.hashUserData({ em: ['Jane@Example.com', ' JOHN_SMITH@gmail.com'], ph: '+1 650 555 1212', country: 'US' });
    assert.deepEqual(Object.keys(hashed).sort(), ['country', 'em', 'ph']);
    assert.equal(hashed.em.length, 2);
    assert.equal(hashed.em[1], platform.hash('em', 'john_smith@gmail.com'));
    assert.equal(hashed.ph, platform.hash('ph', '+16505551212'));
    // an already hashed value passes through, lowercased
    assert.equal(platform.hash('em', hashed.ph.toUpperCase()), hashed.ph);
  });

  test(`[${name}] PII errors are invalid_parameter naming the field, never the value`, () => {
    const secret = 'jane.secret.person.example.com';
    const notShown = (e) => {
      assert.ok(!e.message.includes(secret), `shows the value: ${e.message}`);
      assert.match(e.message, /\[redacted\]/);
    };
    coded(() => platform.normalize('em', secret), 'invalid_parameter', (e) => { notShown(e); assert.match(e.message, /user_data\.em/); });
    coded(() => platform.hash('ph', '0207946001812'), 'invalid_parameter', (e) => assert.match(e.message, /user_data\.ph/));
    coded(() => platform.hashUserData({ em: ['ok@example.com', secret] }), 'invalid_parameter', (e) => { notShown(e); assert.match(e.message, /user_data\.em\[1\]/); });
    // a value of the wrong type: named, not shown
    coded(() => platform.hashUserData({ zp: 94035123 }), 'invalid_parameter', (e) => {
      assert.match(e.message, /user_data\.zp/);
      assert.ok(!e.message.includes('94035123'), e.message);
    });
    coded(() => platform.normalize('em', 12345678), 'invalid_parameter', (e) => assert.ok(!e.message.includes('12345678'), e.message));
    coded(() => platform.hashUserData({ em: 'a@b.co', fbc: 'fb.1.1554763741205.AbCdEfGh' }), 'invalid_parameter', (e) => assert.match(e.message, /fbc/));
    coded(() => platform.hashUserData({ em: ['a@b.co'] }, { vendor: 'google' }), 'invalid_parameter');
    coded(() => platform.normalize('em', 'a@b.co', { vendor: 'tiktok' }), 'invalid_parameter', (e) => assert.match(e.message, /options\.vendor/));
    coded(() => platform.normalize('em', 'a@b.co', { vendr: 'meta' }), 'invalid_parameter', (e) => assert.match(e.message, /options\.vendr/));
    coded(() => platform.hashUserData(['em']), 'invalid_parameter', (e) => assert.match(e.message, /userData/));
    // a Map was read as {} and every field dropped
    coded(() => platform.hashUserData(new Map([['em', 'a@x.com']])), 'invalid_parameter', (e) => assert.match(e.message, /"a Map" \(expected a plain object/));
  });

  test(`[${name}] webhooks: string and Uint8Array bodies, one changed byte, malformed headers`, () => {
    const body = '{"id":820982911946154508,"email":"jon@example.com","total_price":"598.94"}';
    const bytes = utf8.encode(body);
    for (const scheme of ['shopify', 'meta', 'timestamped']) {
      const header = platform.signWebhook({ scheme, secret: 'hush', body, t: 1_700_000_000 });
      assert.equal(platform.signWebhook({ scheme, secret: utf8.encode('hush'), body: bytes, t: 1_700_000_000 }), header, 'bytes sign as their string');
      const req = { scheme, secret: 'hush', header, now: 1_700_000_100 };
      assert.equal(platform.verifyWebhook({ ...req, body }), true, scheme);
      assert.equal(platform.verifyWebhook({ ...req, body: bytes }), true, scheme);
      const changed = bytes.slice();
      changed[10] ^= 1;
      assert.equal(platform.verifyWebhook({ ...req, body: changed }), false, `${scheme}: one byte changed`);
      assert.equal(platform.verifyWebhook({ ...req, body, secret: 'hush!' }), false, `${scheme}: wrong secret`);
    }
    // bytes that are not UTF-8 are verified as they are
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    const h = platform.signWebhook({ scheme: 'shopify', secret: 'hush', body: binary });
    assert.equal(platform.verifyWebhook({ scheme: 'shopify', secret: 'hush', body: binary, header: h }), true);
    // the timestamped window: 300 s by default, either side; Infinity turns it off
    const t = 1_700_000_000;
    const header = platform.signWebhook({ scheme: 'timestamped', secret: 'whsec', body, t });
    const ts = { secret: 'whsec', body, header };
    assert.equal(platform.verifyWebhook({ scheme: 'timestamped', ...ts, now: t + 300 }), true);
    assert.equal(platform.verifyWebhook({ scheme: 'timestamped', ...ts, now: t + 301 }), false);
    assert.equal(platform.verifyWebhook({ scheme: 'timestamped', ...ts, now: t - 301 }), false);
    assert.equal(platform.verifyWebhook({ scheme: 'timestamped', ...ts, now: t + 10_000, toleranceSeconds: Infinity }), true);
    assert.equal(platform.checkTimestamped({ scheme: 'timestamped', ...ts, now: t + 301 }), 'outside_tolerance');
    assert.equal(platform.checkTimestamped({ scheme: 'timestamped', ...ts, secret: 'other', now: t }), 'mismatch');
    assert.equal(platform.checkTimestamped({ scheme: 'timestamped', ...ts, now: t + 5, toleranceSeconds: 10 }), 'valid');
    coded(() => platform.checkTimestamped({ scheme: 'meta', ...ts, now: t }), 'invalid_parameter', (e) => assert.match(e.message, /request\.scheme/));
    // now defaults to the clock: a header signed now verifies now, one from 2023 does not
    const fresh = platform.signWebhook({ scheme: 'timestamped', secret: 'whsec', body });
    assert.equal(platform.verifyWebhook({ scheme: 'timestamped', ...ts, header: fresh }), true);
    assert.equal(platform.verifyWebhook({ scheme: 'timestamped', ...ts }), false);
    // malformed headers and bad requests throw, naming what is wrong
    coded(() => platform.verifyWebhook({ scheme: 'meta', secret: 's', body, header: 'sha1=abc' }), 'invalid_parameter', (e) => assert.match(e.message, /X-Hub-Signature-256/));
    coded(() => platform.verifyWebhook({ scheme: 'shopify', secret: 's', body, header: 'not base64!' }), 'invalid_parameter', (e) => assert.match(e.message, /X-Shopify-Hmac-Sha256/));
    coded(() => platform.verifyWebhook({ scheme: 'github', secret: 's', body, header: 'x' }), 'invalid_parameter', (e) => assert.match(e.message, /request\.scheme/));
    // an empty secret (a missing setting) verified what it signed: refused
    for (const scheme of ['shopify', 'meta', 'timestamped']) {
      const h = platform.signWebhook({ scheme, secret: '', body, t });
      coded(() => platform.verifyWebhook({ scheme, secret: '', body, header: h, now: t }), 'invalid_parameter', (e) => assert.match(e.message, /secret: "" \(empty: a missing setting would let anyone sign\)/));
    }
    coded(() => platform.verifyWebhook({ scheme: 'meta', secret: 's', header: 'x' }), 'invalid_parameter', (e) => assert.match(e.message, /request\.body/));
    coded(() => platform.verifyWebhook({ scheme: 'meta', secret: 's', body: [1, 2], header: 'x' }), 'invalid_parameter', (e) => assert.match(e.message, /request\.body/));
    coded(() => platform.verifyWebhook({ scheme: 'meta', secret: 's', body: new Float64Array(2), header: 'x' }), 'invalid_parameter');
    coded(() => platform.verifyWebhook({ scheme: 'timestamped', ...ts, toleranceSeconds: -1 }), 'invalid_parameter', (e) => assert.match(e.message, /toleranceSeconds/));
    coded(() => platform.verifyWebhook({ scheme: 'timestamped', ...ts, now: 1.5 }), 'invalid_parameter', (e) => assert.match(e.message, /request\.now/));
  });

  const query = { from: '2026-01-05', to: '2026-01-18' };

  test(`[${name}] SimMarket: the same seed gives the same market; its clock moves when told`, () => {
    const a = new platform.SimMarket({ seed: 11 });
    const b = new platform.SimMarket({ seed: 11 });
    assert.equal(a.today, '2026-01-05');
    assert.equal(a.nowMs, Date.UTC(2026, 0, 5));
    a.runDays(14);
    for (let i = 0; i < 14; i += 1) b.stepDay();
    assert.equal(a.today, '2026-01-19');
    const ra = a.readMetrics(query);
    const rb = b.readMetrics(query);
    assert.equal(ra.ok, true);
    assert.deepEqual(ra, rb);
    assert.equal(ra.value.length, 28);
    assert.deepEqual(Object.keys(ra.value[0]).sort(), ['clicks', 'conversions', 'currency', 'date', 'entity', 'impressions', 'spend', 'value']);
    assert.deepEqual(a.trueMetrics(query), b.trueMetrics(query));
    const c = new platform.SimMarket({ seed: 12 });
    c.advanceMs(14 * 86_400_000);
    assert.equal(c.today, '2026-01-19');
    assert.notDeepEqual(c.readMetrics(query).value, ra.value, 'another seed, another market');
    assert.equal(a.config.seed, 11);
    // a NaN in the settings is named where it is (it was read as null)
    assert.throws(() => new platform.SimMarket({ seed: 11, campaigns: [{ id: 'x', dailyBudget: NaN }] }), (e) => {
      assert.equal(e.code, 'non_finite');
      assert.equal(e.message, 'config.campaigns[0].dailyBudget must be finite, got NaN');
      return true;
    });
    // a misspelt setting is refused by name (it was ignored: no faults were injected)
    assert.throws(() => new platform.SimMarket({ seed: 11, faults: { timout: 0.5 } }), (e) => {
      assert.equal(e.code, 'invalid_parameter');
      assert.match(e.message, /^invalid config\.faults\.timout: "0\.5" \(unknown field `timout`, expected one of `timeout`/);
      return true;
    });
  });

  test(`[${name}] SimMarket: changes with idempotency keys, read back; vendor failures as data`, () => {
    const m = new platform.SimMarket({ seed: 3 });
    m.runDays(2);
    const change = { key: 'plan-1/search', entity: 'search', action: { kind: 'budget', daily: 120 } };
    const r = m.applyChanges([change]);
    assert.equal(r.ok, true);
    assert.equal(r.value[0].outcome.status, 'applied');
    assert.equal(r.value[0].outcome.state.dailyBudget, 120);
    assert.equal(m.applyChanges([change]).value[0].outcome.status, 'already_applied');
    const e = m.readEntity('search');
    assert.equal(e.ok, true);
    assert.equal(e.value.dailyBudget, 120);
    assert.equal(m.applied.length, 1);
    assert.equal(m.applied[0].key, 'plan-1/search');
    // an unknown entity is the vendor's answer, not a throw
    const unknown = m.readEntity('nope');
    assert.equal(unknown.ok, false);
    assert.equal(unknown.error.kind, 'meta');
    // a faulty market: every call times out, as data, and the fault log says so
    const f = new platform.SimMarket({ seed: 5, faults: { timeout: 1 } });
    const t = f.readMetrics(query);
    assert.deepEqual(t, { ok: false, error: { kind: 'timeout' } });
    assert.deepEqual(platform.classify(t.error, f.nowMs), { action: 'retry' });
    assert.equal(f.faultLog[0].kind, 'timeout');
    assert.equal(typeof f.faultLog[0].atMs, 'number');
    // bad input of the caller's own throws with its code, named as JS writes it
    coded(() => new platform.SimMarket({ faults: { lostAck: 1.5 } }), 'out_of_range', (e) => assert.match(e.message, /config\.faults\.lostAck/));
    coded(() => new platform.SimMarket({ seed: 'x' }), 'invalid_parameter', (e) => assert.match(e.message, /config/));
    coded(() => m.applyChanges([{ ...change, action: { kind: 'budget', daily: -1 } }]), 'out_of_range', (e) => assert.match(e.message, /changes\[0\]\.daily/));
    coded(() => m.readMetrics({ from: '2026-02-30', to: '2026-03-01' }), 'invalid_parameter', (e) => assert.match(e.message, /query/));
    coded(() => m.runDays(-1), 'out_of_range');
  });

  test(`[${name}] classify: Meta throttles back off, Google's daily quota gives up until the reset`, () => {
    assert.deepEqual(platform.classify({ kind: 'meta', code: 80004, retryAfterMs: 300_000 }, 0), { action: 'back_off', minWaitMs: 300_000 });
    assert.deepEqual(platform.classify({ kind: 'meta', code: 17 }, 0), { action: 'back_off', minWaitMs: 60_000 });
    assert.deepEqual(platform.classify({ kind: 'http', status: 429 }, 0, { http429WaitMs: 5000 }), { action: 'back_off', minWaitMs: 5000 });
    assert.deepEqual(platform.classify({ kind: 'google_ads', code: 'RESOURCE_EXHAUSTED' }, 1000), { action: 'give_up', retryAtMs: 86_400_000 });
    assert.deepEqual(platform.classify({ kind: 'meta', code: 190 }, 0), { action: 'give_up', retryAtMs: null });
    assert.deepEqual(platform.classify({ kind: 'adapter', message: 'an answer of the wrong shape' }, 0), { action: 'give_up', retryAtMs: null });
    coded(() => platform.classify({ kind: 'carrier_pigeon' }, 0), 'invalid_parameter', (e) => assert.match(e.message, /error/));
    coded(() => platform.classify({ kind: 'timeout' }, 0, { quotaResetOffsetMinutes: 2000 }), 'out_of_range', (e) => assert.match(e.message, /classifier\.quotaResetOffsetMinutes/));
  });

  const NOW_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z
  const purchase = (i, extra = {}) => ({
    event_name: 'Purchase',
    event_time: NOW_MS / 1000 - 3600,
    event_id: `order-${i}`,
    action_source: 'website',
    event_source_url: 'https://shop.example/thanks',
    user_data: { em: ` Buyer${i}@Example.com`, ph: '+1 (650) 555-1212', client_user_agent: 'Mozilla/5.0', fbp: 'fb.1.1.1' },
    custom_data: { currency: 'USD', value: 10 + i },
    ...extra,
  });

  test(`[${name}] metaCapiEvents: batches, hashed user_data, unhashed keys and extra fields pass`, () => {
    const bodies = platform.metaCapiEvents([0, 1, 2, 3, 4].map((i) => purchase(i, { opt_out: false })), { nowMs: NOW_MS, batchSize: 2, testEventCode: 'TEST1' });
    assert.deepEqual(bodies.map((b) => b.data.length), [2, 2, 1]);
    assert.ok(bodies.every((b) => b.test_event_code === 'TEST1'));
    const e = bodies[2].data[0];
    assert.equal(e.event_id, 'order-4');
    assert.equal(e.user_data.em, platform.hash('em', 'buyer4@example.com'));
    assert.equal(e.user_data.ph, platform.hash('ph', '16505551212'));
    assert.equal(e.user_data.client_user_agent, 'Mozilla/5.0');
    assert.equal(e.user_data.fbp, 'fb.1.1.1');
    assert.equal(e.opt_out, false);
    assert.deepEqual(e.custom_data, { currency: 'USD', value: 14 });
    // plain JSON: what is sent
    assert.deepEqual(JSON.parse(JSON.stringify(bodies)), bodies);
    assert.deepEqual(platform.metaCapiEvents([], { nowMs: NOW_MS }), []);
  });

  test(`[${name}] metaCapiEvents refuses what Meta refuses, naming the event and never the PII`, () => {
    const old = purchase(0, { event_time: NOW_MS / 1000 - 8 * 86400 });
    coded(() => platform.metaCapiEvents([purchase(1), old], { nowMs: NOW_MS }), 'invalid_parameter', (e) => assert.match(e.message, /events\[1\]\.event_time/));
    coded(() => platform.metaCapiEvents([purchase(0, { action_source: 'fax' })], { nowMs: NOW_MS }), 'invalid_parameter', (e) => assert.match(e.message, /events\[0\]\.action_source/));
    coded(() => platform.metaCapiEvents([purchase(0, { custom_data: { value: 10 } })], { nowMs: NOW_MS }), 'invalid_parameter', (e) => assert.match(e.message, /events\[0\]\.custom_data\.currency/));
    const secret = 'not-an-email-private-person';
    coded(() => platform.metaCapiEvents([purchase(0, { user_data: { em: secret, client_user_agent: 'UA' } })], { nowMs: NOW_MS }), 'invalid_parameter', (e) => {
      assert.match(e.message, /events\[0\]\.user_data\.em/);
      assert.ok(!e.message.includes(secret), e.message);
    });
    coded(() => platform.metaCapiEvents([{ event_name: 'Lead' }], { nowMs: NOW_MS }), 'invalid_parameter', (e) => assert.match(e.message, /events\[0\]/));
    coded(() => platform.metaCapiEvents([purchase(0)], { nowMs: NOW_MS, batchSize: 1001 }), 'out_of_range', (e) => assert.match(e.message, /options\.batchSize/));
    coded(() => platform.metaCapiEvents([purchase(0)], { nowMs: 1.5 }), 'invalid_parameter', (e) => assert.match(e.message, /options\.nowMs/));
    coded(() => platform.metaCapiEvents([purchase(0)], { now: NOW_MS }), 'invalid_parameter', (e) => assert.match(e.message, /options\.now/));
    coded(() => platform.metaCapiEvents(purchase(0)), 'invalid_parameter', (e) => assert.match(e.message, /events/));
    // a value of the wrong type is named by its place, and shown only by its kind (it may be PII)
    coded(() => platform.metaCapiEvents([purchase(0, { user_data: { ph: 16505551212, client_user_agent: 'UA' } })], { nowMs: NOW_MS }), 'invalid_parameter', (e) => {
      assert.equal(e.message, 'invalid events[0].user_data.ph: "a number" (expected a string or a list of strings)');
      assert.ok(!e.message.includes('6505551212'), e.message);
    });
    coded(() => platform.metaCapiEvents([purchase(0, { event_time: 'yesterday' })], { nowMs: NOW_MS }), 'invalid_parameter', (e) => {
      assert.match(e.message, /^invalid events\[0\]\.event_time: "a string" \(expected i64, got a string\)/);
      assert.ok(!e.message.includes('yesterday'), e.message);
    });
  });

  test(`[${name}] budget, bid and status changes: Meta minor units, Google Ads micros with a mask`, () => {
    const budget = { key: 'plan-7/1', entity: '120330000000000', action: { kind: 'budget', daily: 250 } };
    assert.deepEqual(platform.metaChangeRequest(budget, 'USD'), { key: 'plan-7/1', method: 'POST', path: '/120330000000000', body: { daily_budget: 25000 } });
    assert.deepEqual(platform.metaChangeRequest(budget, 'JPY').body, { daily_budget: 250 });
    assert.deepEqual(platform.metaChangeRequest({ ...budget, action: { kind: 'status', status: 'paused' } }, 'EUR').body, { status: 'PAUSED' });
    coded(() => platform.metaChangeRequest(budget, 'XYZ'), 'invalid_parameter', (e) => assert.match(e.message, /currency/));
    coded(() => platform.metaChangeRequest({ ...budget, action: { kind: 'budget', daily: -1 } }, 'USD'), 'out_of_range', (e) => assert.match(e.message, /change\.daily/));
    // found by an audit: the entity is the request's path (another Graph node was reachable),
    // and a positive budget below half a cent was sent as 0
    coded(() => platform.metaChangeRequest({ ...budget, entity: '../me/adaccounts' }, 'USD'), 'invalid_parameter', (e) => assert.match(e.message, /entity.*expected a Meta object id/));
    assert.equal(platform.metaChangeRequest({ ...budget, entity: 'act_42' }, 'USD').path, '/act_42');
    coded(() => platform.metaChangeRequest({ ...budget, action: { kind: 'budget', daily: 0.004 } }, 'USD'), 'out_of_range', (e) => assert.match(e.message, /daily must be in \[0\.005, inf\], got 0\.004/));
    const changes = [
      { key: 'k1', entity: 'customers/1234567890/campaignBudgets/111', action: { kind: 'budget', daily: 12.5 } },
      { key: 'k2', entity: 'customers/1234567890/adGroups/222', action: { kind: 'bid', amount: 0.35 } },
      { key: 'k3', entity: 'customers/1234567890/campaignBudgets/112', action: { kind: 'budget', daily: 3 } },
    ];
    const reqs = platform.googleAdsMutate(changes, { validateOnly: true });
    assert.deepEqual(reqs.map((r) => [r.path, r.keys]), [['customers/1234567890/campaignBudgets:mutate', ['k1', 'k3']], ['customers/1234567890/adGroups:mutate', ['k2']]]);
    assert.deepEqual(reqs[0].body.operations[0], { update: { resourceName: changes[0].entity, amountMicros: '12500000' }, updateMask: 'amountMicros' });
    assert.equal(reqs[1].body.operations[0].update.cpcBidMicros, '350000');
    assert.equal(reqs[0].body.partialFailure, true);
    assert.equal(reqs[0].body.validateOnly, true);
    coded(() => platform.googleAdsMutate([{ ...changes[1], entity: 'customers/1234567890/campaigns/9' }]), 'invalid_parameter', (e) => assert.match(e.message, /changes\[0\]\.entity/));
    coded(() => platform.googleAdsMutate(changes, { partial: true }), 'invalid_parameter', (e) => assert.match(e.message, /options\.partial/));
    coded(() => platform.googleAdsMutate([changes[0], { ...changes[2], key: 'k1' }]), 'invalid_parameter', (e) => assert.match(e.message, /changes\[1\]\.key: "k1" \(changes\[0\] has this idempotency key too\)/));
  });

  test(`[${name}] Google Ads uploads and GA4 bodies as the vendors take them`, () => {
    const time = platform.googleAdsDateTime(NOW_MS, -480);
    assert.equal(time, '2025-12-31 16:00:00-08:00');
    assert.equal(platform.googleAdsParseDateTime(time), NOW_MS);
    const conversion = (i) => ({ gclid: `gclid-${i}`, conversion_action: 'customers/1234567890/conversionActions/987654', conversion_date_time: time, conversion_value: 49.5, currency_code: 'USD', order_id: `T-${i}`, user_data: { em: 'Jane.Doe+news@GMAIL.com' } });
    const reqs = platform.googleAdsClickConversions([1, 2, 3].map(conversion), { customerId: '1234567890', batchSize: 2 });
    assert.deepEqual(reqs.map((r) => r.body.conversions.length), [2, 1]);
    assert.equal(reqs[0].path, 'customers/1234567890:uploadClickConversions');
    assert.equal(reqs[0].body.partialFailure, true);
    const c = reqs[0].body.conversions[0];
    assert.equal(c.conversionAction, 'customers/1234567890/conversionActions/987654');
    assert.deepEqual(c.userIdentifiers, [{ hashedEmail: platform.hash('em', 'janedoe@gmail.com', { vendor: 'google' }) }]);
    assert.deepEqual(platform.googleAdsUserIdentifiers({ em: 'Jane.Doe+news@GMAIL.com' }, { googleEmail: 'sdk' }), [{ hashedEmail: platform.hash('em', 'Jane.Doe+news@GMAIL.com', { vendor: 'google', googleEmail: 'sdk' }) }]);
    assert.equal(platform.googleAdsCustomerMatch([{ em: 'a@example.com' }, { ph: '+1 800 555 0100' }]).length, 2);
    coded(() => platform.googleAdsClickConversions([conversion(1)], {}), 'invalid_parameter', (e) => assert.match(e.message, /options\.customerId/));
    coded(() => platform.googleAdsClickConversions([{ ...conversion(1), gbraid: 'x' }], { customerId: '1234567890' }), 'invalid_parameter', (e) => assert.match(e.message, /conversions\[0\]/));
    coded(() => platform.googleAdsDateTime(0, 900), 'out_of_range', (e) => assert.match(e.message, /offsetMinutes/));
    const events = Array.from({ length: 30 }, (_, i) => ({ name: 'page_view', params: { page_title: `p${i}` } }));
    const bodies = platform.ga4Requests({ client_id: '123.456', events }, { nowMs: NOW_MS });
    assert.deepEqual(bodies.map((b) => b.events.length), [25, 5]);
    assert.ok(bodies.every((b) => b.client_id === '123.456'));
    assert.equal(platform.ga4Body({ client_id: '1.2', events: events.slice(0, 2) }, { nowMs: NOW_MS }).events.length, 2);
    coded(() => platform.ga4Body({ client_id: '1.2', events }, { nowMs: NOW_MS }), 'invalid_parameter', (e) => assert.match(e.message, /events/));
    coded(() => platform.ga4Requests({ client_id: '1.2', events: [{ name: 'first_open' }] }, { nowMs: NOW_MS }), 'invalid_parameter', (e) => assert.match(e.message, /events\[0\]\.name/));
  });

  test(`[${name}] report readers: Meta, Google Ads and GA4 responses become one daily row shape`, () => {
    const meta = platform.metaInsights({ data: [
      { campaign_id: '7', date_start: '2026-03-01', date_stop: '2026-03-01', spend: '249.30', impressions: '31012', clicks: '402', account_currency: 'USD',
        actions: [{ action_type: 'offsite_conversion.fb_pixel_purchase', value: '17' }, { action_type: 'link_click', value: '400' }],
        action_values: [{ action_type: 'offsite_conversion.fb_pixel_purchase', value: '1190.5' }] },
    ] }, { timeZone: 'America/New_York' });
    assert.deepEqual(meta, { timeZone: 'America/New_York', rows: [{ entity: '7', date: '2026-03-01', spend: 249.3, impressions: 31012, clicks: 402, conversions: 17, value: 1190.5, currency: 'USD' }] });
    const google = platform.googleAdsMetrics([{ results: [
      { campaign: { id: '11' }, segments: { date: '2026-03-01' }, metrics: { costMicros: '12500000', impressions: '1000', clicks: '50', conversions: 2.5, conversionsValue: 99 }, customer: { currencyCode: 'EUR', timeZone: 'Europe/Berlin' } },
      { campaign: { id: '11' }, segments: { date: '2026-03-01' }, metrics: { costMicros: '500000' }, customer: { currencyCode: 'EUR' } },
    ] }]);
    assert.equal(google.timeZone, 'Europe/Berlin');
    assert.deepEqual(google.rows, [{ entity: '11', date: '2026-03-01', spend: 13, impressions: 1000, clicks: 50, conversions: 2.5, value: 99, currency: 'EUR' }]);
    const ga4 = platform.ga4RunReport({
      dimensionHeaders: [{ name: 'date' }, { name: 'sessionCampaignId' }],
      metricHeaders: [{ name: 'advertiserAdCost' }, { name: 'keyEvents' }],
      rows: [{ dimensionValues: [{ value: '20260301' }, { value: '5' }], metricValues: [{ value: '4.5' }, { value: '2' }] }],
      metadata: { currencyCode: 'GBP', timeZone: 'Europe/London' },
    });
    assert.deepEqual(ga4.rows, [{ entity: '5', date: '2026-03-01', spend: 4.5, impressions: 0, clicks: 0, conversions: 2, value: 0, currency: 'GBP' }]);
    coded(() => platform.metaInsights({ data: [{ campaign_id: '1', date_start: '2026-03-01', spend: '12,50', account_currency: 'USD' }] }, { timeZone: 'UTC' }), 'invalid_parameter', (e) => assert.match(e.message, /data\[0\]\.spend/));
    coded(() => platform.metaInsights({ data: [] }), 'invalid_parameter', (e) => assert.match(e.message, /options\.timeZone/));
    coded(() => platform.metaInsights({ data: [] }, { timeZone: 'UTC', conversionActionTypes: [] }), 'invalid_parameter', (e) => assert.match(e.message, /options\.conversionActionTypes/));
    coded(() => platform.googleAdsMetrics([{ results: [{ campaign: { id: '1' }, segments: { date: '2026-03-01' }, metrics: { costMicros: 'x' } }] }], { currency: 'USD', timeZone: 'UTC' }), 'invalid_parameter', (e) => assert.match(e.message, /costMicros/));
    coded(() => platform.ga4RunReport({ dimensionHeaders: [{ name: 'date' }] }, { currency: 'USD', timeZone: 'UTC' }), 'invalid_parameter', (e) => assert.match(e.message, /sessionCampaignId/));
  });
}
