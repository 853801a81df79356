// Checks values against the TypeScript declarations of bindings-js/js/index.d.ts, so that what a
// call returns at run time is what its declared type says: every key it has is declared, every
// required key is there, every value has its declared type (recursively). Most of the `.d.ts` is
// generated from the Rust declarations; the serde-based types of `platform`, `experiment` and
// `decide` are written by hand in bindings-js, and this is what keeps them from drifting from the
// core's serde forms (bindings-node/test/shapes.test.mjs runs every Node test with each call's
// result checked).
//
// The parser reads the subset of TypeScript the file uses: interfaces, type aliases (generic
// ones too), declared classes and namespace objects; unions, intersections, arrays, object
// literals with index signatures, string and number literals, `Required<T>`, `Partial<T>`,
// `Record<K, V>`, `readonly`, and function types (checked as functions).

const PUNCT = new Set(['{', '}', '(', ')', '[', ']', '<', '>', ':', ';', ',', '|', '&', '?', '=', '.', '-']);

function tokenize(text) {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  const out = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i += 1;
    else if (c === '=' && src[i + 1] === '>') {
      out.push({ t: 'p', v: '=>' });
      i += 2;
    } else if (c === '.' && src.startsWith('...', i)) {
      out.push({ t: 'p', v: '...' });
      i += 3;
    } else if (PUNCT.has(c)) {
      out.push({ t: 'p', v: c });
      i += 1;
    } else if (c === "'" || c === '"') {
      const j = src.indexOf(c, i + 1);
      out.push({ t: 's', v: src.slice(i + 1, j) });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9_.eE]*/.exec(src.slice(i));
      out.push({ t: 'n', v: Number(m[0].replace(/_/g, '')) });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i));
      out.push({ t: 'i', v: m[0] });
      i += m[0].length;
    } else throw new Error(`shapes: unexpected ${JSON.stringify(c)} at ${i}`);
  }
  return out;
}

/** Parses a `.d.ts` text: `{ types, consts, classes }`, each a Map from name. */
export function parseDts(text) {
  const toks = tokenize(text);
  let k = 0;
  const peek = (o = 0) => toks[k + o];
  const is = (v, o = 0) => peek(o) !== undefined && peek(o).t !== 's' && peek(o).v === v;
  const eat = (v) => {
    if (!is(v)) throw new Error(`shapes: expected ${v} at token ${k}, got ${JSON.stringify(peek())}`);
    k += 1;
  };
  const skipBalanced = () => {
    const open = peek().v;
    const close = { '(': ')', '<': '>', '{': '}', '[': ']' }[open];
    let depth = 0;
    do {
      if (is(open)) depth += 1;
      else if (is(close)) depth -= 1;
      k += 1;
    } while (depth > 0);
  };

  function type() {
    if (is('|')) k += 1;
    const members = [inter()];
    while (is('|')) {
      k += 1;
      members.push(inter());
    }
    return members.length === 1 ? members[0] : { kind: 'union', members };
  }
  function inter() {
    const members = [postfix(primary())];
    while (is('&')) {
      k += 1;
      members.push(postfix(primary()));
    }
    return members.length === 1 ? members[0] : { kind: 'inter', members };
  }
  function postfix(t) {
    while (is('[') && is(']', 1)) {
      k += 2;
      t = { kind: 'array', of: t };
    }
    return t;
  }
  function primary() {
    if (is('readonly')) k += 1;
    if (is('typeof')) {
      // `typeof Markov`: a class, which is a function
      k += 2;
      while (is('.')) k += 2;
      return { kind: 'fn' };
    }
    const tok = peek();
    if (is('(')) {
      // a function type `(a: T) => U`, or a parenthesised type
      const start = k;
      skipBalanced();
      if (is('=>')) {
        k += 1;
        type();
        return { kind: 'fn' };
      }
      k = start + 1;
      const t = type();
      eat(')');
      return t;
    }
    if (is('{')) return object();
    if (is('-') && peek(1).t === 'n') {
      k += 2;
      return { kind: 'lit', value: -peek(-1).v };
    }
    if (tok.t === 's' || tok.t === 'n') {
      k += 1;
      return { kind: 'lit', value: tok.v };
    }
    if (is('[')) {
      k += 1;
      const items = [];
      while (!is(']')) {
        items.push(type());
        if (is(',')) k += 1;
      }
      k += 1;
      return { kind: 'tuple', items };
    }
    if (tok.t !== 'i') throw new Error(`shapes: unexpected ${JSON.stringify(tok)} in a type`);
    k += 1;
    let name = tok.v;
    while (is('.')) {
      name += `.${peek(1).v}`;
      k += 2;
    }
    const args = [];
    if (is('<')) {
      k += 1;
      while (!is('>')) {
        args.push(type());
        if (is(',')) k += 1;
      }
      k += 1;
    }
    return { kind: 'ref', name, args };
  }
  /** `{ ... }`: properties, index signatures, methods (kept as functions), a constructor (skipped). */
  function object() {
    eat('{');
    const props = new Map();
    let index = null;
    while (!is('}')) {
      while (['readonly', 'static', 'public', 'private'].includes(peek().v) && peek().t === 'i' && !is(':', 1) && !is('(', 1) && !is('?', 1)) k += 1;
      if (is('[')) {
        k += 1;
        k += 1; // the key's name
        eat(':');
        type();
        eat(']');
        eat(':');
        index = type();
      } else {
        const name = peek().v;
        k += 1;
        const optional = is('?');
        if (optional) k += 1;
        if (is('(') || is('<')) {
          if (is('<')) skipBalanced();
          skipBalanced();
          let returns = null;
          if (is(':')) {
            k += 1;
            returns = type();
          }
          if (name !== 'constructor') props.set(name, { type: { kind: 'fn' }, optional: true, method: true, returns });
        } else {
          eat(':');
          props.set(name, { type: type(), optional });
        }
      }
      if (is(';') || is(',')) k += 1;
    }
    eat('}');
    return { kind: 'object', props, index };
  }
  function params() {
    const list = [];
    if (!is('<')) return list;
    k += 1;
    while (!is('>')) {
      const name = peek().v;
      k += 1;
      if (is('extends')) {
        k += 1;
        type();
      }
      let dflt = null;
      if (is('=')) {
        k += 1;
        dflt = type();
      }
      list.push({ name, dflt });
      if (is(',')) k += 1;
    }
    k += 1;
    return list;
  }

  const types = new Map();
  const consts = new Map();
  const classes = new Map();
  while (k < toks.length) {
    if (!is('export')) {
      k += 1;
      continue;
    }
    k += 1;
    if (is('declare')) k += 1;
    if (is('interface')) {
      k += 1;
      const name = peek().v;
      k += 1;
      const ps = params();
      const bases = [];
      if (is('extends')) {
        k += 1;
        bases.push(primary());
        while (is(',')) {
          k += 1;
          bases.push(primary());
        }
      }
      types.set(name, { params: ps, type: object(), bases });
    } else if (is('type')) {
      k += 1;
      const name = peek().v;
      k += 1;
      const ps = params();
      eat('=');
      if (name === 'Row') {
        // a mapped type (a table's row, `Row<TouchpointColumns, ...>`), only ever a parameter's
        // type, never a result's: not parsed, skipped to its end
        skipBalanced();
        types.set(name, { params: ps, type: { kind: 'ref', name: 'unknown', args: [] } });
      } else types.set(name, { params: ps, type: type() });
      if (is(';')) k += 1;
    } else if (is('class')) {
      k += 1;
      const name = peek().v;
      k += 1;
      classes.set(name, object());
    } else if (is('const')) {
      k += 1;
      const name = peek().v;
      k += 1;
      eat(':');
      consts.set(name, type());
      if (is(';')) k += 1;
    }
  }
  return { types, consts, classes };
}

const PRIMITIVE = {
  number: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  undefined: (v) => v === undefined,
  void: (v) => v === undefined,
  unknown: () => true,
  any: () => true,
  object: (v) => typeof v === 'object' && v !== null,
  never: () => false,
  true: (v) => v === true,
  false: (v) => v === false,
};
const TYPED = ['Float64Array', 'Float32Array', 'Int8Array', 'Uint8Array', 'Int32Array', 'Uint32Array', 'BigInt64Array'];

const show = (v) => {
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `an object with keys ${Object.keys(v).join(', ')}`;
};

/**
 * A checker over parsed declarations: `check(value, type, path, env, complete)` returns the
 * problems found, each naming where (`decisions[0].proposal.ttlMs`) and what. `complete`: the
 * value has every key, optional ones too (a value with its defaults filled in), so a declared key
 * the code no longer has is found as well.
 */
export function checker(decl) {
  const { types, classes } = decl;

  const UNKNOWN = { kind: 'ref', name: 'unknown', args: [] };

  /**
   * `[type, env]` with aliases and interfaces followed (generic parameters bound in `env`),
   * `Required`, `Partial` and `Record` applied (as a `view`: properties with their own env).
   */
  function resolve(t, env) {
    for (;;) {
      if (t.kind === 'bound') {
        ({ t, env } = t);
        continue;
      }
      if (t.kind !== 'ref') return [t, env];
      if (env && env.has(t.name)) {
        [t, env] = env.get(t.name);
        continue;
      }
      if (t.name === 'Required' || t.name === 'Partial') {
        const o = asObject(t.args[0], env);
        if (o === null) return resolve(t.args[0], env);
        const props = new Map([...o.props].map(([n, p]) => [n, { ...p, optional: t.name === 'Partial' || (p.method ?? false) }]));
        return [{ kind: 'view', props, index: o.index }, env];
      }
      if (t.name === 'Record') return [{ kind: 'view', props: new Map(), index: { type: t.args[1], env } }, env];
      const d = types.get(t.name);
      if (!d) return [t, env];
      const bound = new Map(env ?? []);
      d.params.forEach((p, i) => bound.set(p.name, [t.args[i] ?? p.dflt ?? UNKNOWN, env]));
      const bases = (d.bases ?? []).filter((x) => types.has(x.name));
      t = bases.length > 0 ? { kind: 'inter', members: [...bases, d.type] } : d.type;
      env = bound;
    }
  }

  /** The properties (each with its env) and index signature of an object type, or null. */
  function asObject(t, env) {
    [t, env] = resolve(t, env);
    if (t.kind === 'view') return t;
    if (t.kind === 'object') {
      return { kind: 'view', props: new Map([...t.props].map(([n, p]) => [n, { ...p, env }])), index: t.index ? { type: t.index, env } : null };
    }
    if (t.kind !== 'inter') return null;
    const parts = t.members.map((m) => asObject(m, env));
    if (parts.some((p) => p === null)) return null;
    const props = new Map();
    let index = null;
    for (const p of parts) {
      for (const [n, x] of p.props) props.set(n, x);
      index = index ?? p.index;
    }
    return { kind: 'view', props, index };
  }

  function check(v, t, path, env = null, complete = false) {
    [t, env] = resolve(t, env);
    switch (t.kind) {
      case 'ref': {
        if (PRIMITIVE[t.name]) return PRIMITIVE[t.name](v) ? [] : [`${path}: ${show(v)} is not ${t.name}`];
        if (TYPED.includes(t.name)) return v instanceof globalThis[t.name] ? [] : [`${path}: ${show(v)} is not a ${t.name}`];
        if (t.name === 'Array' || t.name === 'ReadonlyArray') return check(v, { kind: 'array', of: t.args[0] }, path, env);
        if (classes.has(t.name)) {
          return v !== null && typeof v === 'object' && v.constructor?.name === t.name ? [] : [`${path}: ${show(v)} is not a ${t.name}`];
        }
        return [`${path}: the type ${t.name} is not declared`];
      }
      case 'lit':
        return v === t.value ? [] : [`${path}: ${show(v)} is not ${JSON.stringify(t.value)}`];
      case 'fn':
        return typeof v === 'function' ? [] : [`${path}: ${show(v)} is not a function`];
      case 'array':
        if (!Array.isArray(v)) return [`${path}: ${show(v)} is not an array`];
        return v.flatMap((x, i) => check(x, t.of, `${path}[${i}]`, env, complete));
      case 'tuple':
        if (!Array.isArray(v) || v.length !== t.items.length) return [`${path}: ${show(v)} is not a ${t.items.length}-tuple`];
        return v.flatMap((x, i) => check(x, t.items[i], `${path}[${i}]`, env, complete));
      case 'union': {
        const tried = t.members.map((m) => check(v, m, path, env, complete));
        if (tried.some((p) => p.length === 0)) return [];
        // the member whose problems lie deepest (a matching tag) explains the value best
        const best = tried.reduce((a, b) => (Math.max(...b.map((s) => s.indexOf(':'))) > Math.max(...a.map((s) => s.indexOf(':'))) ? b : a));
        return best.length === 1 && !best[0].startsWith(`${path}.`) && !best[0].startsWith(`${path}[`) ? [`${path}: ${show(v)} matches none of the union's ${t.members.length} members`] : best;
      }
      case 'inter': {
        // (A | B) & C is (A & C) | (B & C)
        const members = t.members.map((m) => resolve(m, env));
        const u = members.findIndex(([m]) => m.kind === 'union');
        if (u >= 0) {
          const [union, uenv] = members[u];
          const others = members.filter((_, i) => i !== u).map(([m, e]) => ({ kind: 'bound', t: m, env: e }));
          const alts = union.members.map((alt) => ({ kind: 'inter', members: [...others, { kind: 'bound', t: alt, env: uenv }] }));
          return check(v, { kind: 'union', members: alts }, path, env, complete);
        }
        const o = asObject(t, env);
        return o === null ? members.flatMap(([m, e]) => check(v, m, path, e, complete)) : check(v, o, path, env, complete);
      }
      case 'object':
        return check(v, asObject(t, env), path, env, complete);
      case 'view': {
        if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return [`${path}: ${show(v)} is not an object`];
        const problems = [];
        for (const key of Object.keys(v)) {
          const p = t.props.get(key);
          if (p) {
            if (!(p.optional && v[key] === undefined)) problems.push(...check(v[key], p.type, `${path}.${key}`, p.env, complete));
          } else if (t.index) problems.push(...check(v[key], t.index.type, `${path}.${key}`, t.index.env, complete));
          else problems.push(`${path}.${key}: not declared (declared: ${[...t.props.keys()].join(', ')})`);
        }
        for (const [key, p] of t.props) {
          if ((complete || !p.optional) && !p.method && !(key in v)) problems.push(`${path}.${key}: declared, but missing`);
        }
        return problems;
      }
      default:
        return [`${path}: cannot check a ${t.kind}`];
    }
  }
  return check;
}

/**
 * The declared type of what member `id` returns (`'platform.classify'`,
 * `'decide.Engine.decisions'`), given the surface's namespace `path` and, for a class member,
 * the class: `null` where the `.d.ts` does not declare it.
 */
export function returnType(decl, path, cls, name) {
  if (cls) {
    const p = decl.classes.get(cls)?.props.get(name);
    return p ? (p.method ? p.returns : p.type) : null;
  }
  let t = decl.consts.get(path[0]);
  for (const part of path.slice(1)) t = t?.props.get(part)?.type;
  const p = t?.props?.get(name);
  return p ? p.returns : null;
}
