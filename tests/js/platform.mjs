// platform.* shared by the Node binding and the WebAssembly build: PII normalised and hashed (the
// vendors' numbers are the shared vectors' job: tests/vectors/platform/), errors that name the
// field and never the value, webhooks over raw bytes (strings and Uint8Arrays alike), the
// simulated market (same seed, same market; vendor failures as data) and the error classifier.

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
    coded(() => platform.classify({ kind: 'carrier_pigeon' }, 0), 'invalid_parameter', (e) => assert.match(e.message, /error/));
    coded(() => platform.classify({ kind: 'timeout' }, 0, { quotaResetOffsetMinutes: 2000 }), 'out_of_range', (e) => assert.match(e.message, /classifier\.quotaResetOffsetMinutes/));
  });
}
