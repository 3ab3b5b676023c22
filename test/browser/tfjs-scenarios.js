// Programs the tfjs browser test runs on tfjs's webgl backend in Chromium and on the float64
// reference backend in Node: plain ES module code, executed unchanged in both (the page imports it
// next to dist/; Node passes backends made from src/), so any difference comes from the backend.
// Types: tfjs-scenarios.d.ts.

/** n seeded values in [lo, hi) from integer arithmetic (exact everywhere). */
export function values(n, seed, lo = -2, hi = 2) {
  let state = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * (state >>> 8)) / 16777216;
  }
  return out;
}

const at = (buffer) => ({ kind: 'buffer', buffer, byteOffset: 0 });
const full = (buffer) => ({ kind: 'full', slice: at(buffer) });
const NO_TRANSFORM = { l1: 0, l2: 0, normSq: null, clipNorm: 0, clipValue: Infinity, weightDecay: 0 };

/** Uploads `inputs`, makes `outputs` buffers, runs the calls `build` makes once, reads the outputs. */
function run(backend, inputs, outputs, build) {
  const buffers = {};
  for (const [name, data] of Object.entries(inputs)) buffers[name] = backend.upload(data);
  for (const [name, length] of Object.entries(outputs)) buffers[name] = backend.createBuffer(4 * length);
  const exe = backend.compile({ arenaBytes: 0, calls: build(buffers) });
  exe.run();
  const result = {};
  for (const [name, length] of Object.entries(outputs))
    result[name] = Array.from(backend.readF32(buffers[name], 0, length));
  exe.dispose();
  for (const b of Object.values(buffers)) backend.disposeBuffer(b);
  return result;
}

const UNARY = [
  'identity',
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'sqrt',
  'square',
  'reciprocal',
  'tanh',
  'sigmoid',
  'softplus',
  'relu',
  'step',
  'erf',
  'floor',
];
const BINARY = [
  'add',
  'sub',
  'mul',
  'div',
  'max',
  'min',
  'pow',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'equal',
];
const ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'leakyRelu',
  'elu',
  'selu',
  'hardSigmoid',
  'softplus',
  'softsign',
  'swish',
  'gelu',
];

/**
 * One-call programs on odd shapes: every primitive op (binary with a row and a column operand),
 * matmul in its three layouts, and fused calls (gemm with every activation, softmax, cross-entropy,
 * an Adam update). Returns each case's output values by name.
 */
export function programCases(backend) {
  const R = 5;
  const C = 7;
  const out = {};
  const x = values(R * C, 1);
  const positive = values(R * C, 2, 0.1, 3);
  for (const op of UNARY) {
    // log, log1p, sqrt and reciprocal inside their domains (GLSL leaves NaN results undefined)
    const input = ['log', 'log1p', 'sqrt', 'reciprocal'].includes(op) ? positive : x;
    out[`unary ${op}`] = run(backend, { x: input }, { y: R * C }, (b) => [
      { kind: 'unary', op, x: at(b.x), y: at(b.y), n: R * C },
    ]).y;
  }
  for (const op of BINARY) {
    const a = op === 'pow' ? positive : x;
    out[`binary ${op} full∘row`] = run(backend, { a, r: values(C, 3) }, { y: R * C }, (b) => [
      { kind: 'binary', op, a: full(b.a), b: { kind: 'row', slice: at(b.r) }, y: at(b.y), rows: R, cols: C },
    ]).y;
    out[`binary ${op} column∘number`] = run(backend, { c: values(R, 4, 0.5, 2) }, { y: R * C }, (b) => [
      {
        kind: 'binary',
        op,
        a: { kind: 'column', slice: at(b.c) },
        b: { kind: 'constant', value: 1.25 },
        y: at(b.y),
        rows: R,
        cols: C,
      },
    ]).y;
  }
  out.where = run(backend, { c: values(R * C, 5), a: x, s: new Float32Array([9]) }, { y: R * C }, (b) => [
    {
      kind: 'where',
      cond: { kind: 'full', slice: at(b.c) },
      a: full(b.a),
      b: { kind: 'scalar', slice: at(b.s) },
      y: at(b.y),
      rows: R,
      cols: C,
    },
  ]).y;
  for (const op of ['sum', 'max', 'min', 'argmax']) {
    for (const axis of ['cols', 'rows']) {
      out[`reduce ${op} ${axis}`] = run(backend, { x }, { y: axis === 'cols' ? R : C }, (b) => [
        { kind: 'reduce', op, axis, x: at(b.x), y: at(b.y), rows: R, cols: C },
      ]).y;
    }
  }
  for (const layout of ['nn', 'tn', 'nt']) {
    const [m, n, k] = [9, 6, 13];
    out[`matmul ${layout}`] = run(backend, { a: values(m * k, 6), b: values(k * n, 7) }, { c: m * n }, (b) => [
      { kind: 'matmul', layout, m, n, k, a: at(b.a), b: at(b.b), c: at(b.c) },
    ]).c;
  }
  out.oneHot = run(backend, { l: new Int32Array([2, 0, 6, -1, 3]) }, { y: R * C }, (b) => [
    { kind: 'oneHot', labels: at(b.l), y: at(b.y), rows: R, cols: C },
  ]).y;
  out.fill = run(backend, {}, { y: 11 }, (b) => [{ kind: 'fill', y: at(b.y), n: 11, value: { value: -2.5 } }]).y;
  out.gatherRows = (() => {
    const source = backend.upload(x);
    const r = run(backend, { rows: new Int32Array([4, 0, 2, 2]) }, { y: 4 * C }, (b) => [
      { kind: 'gatherRows', source: { buffer: source }, rows: at(b.rows), out: at(b.y), count: 4, rowLength: C },
    ]).y;
    backend.disposeBuffer(source);
    return r;
  })();
  for (const activation of ACTIVATIONS) {
    const [m, n, k] = [6, 5, 9];
    out[`gemm ${activation}`] = run(
      backend,
      { a: values(m * k, 8), b: values(k * n, 9), bias: values(n, 10) },
      { c: m * n },
      (b) => [
        {
          kind: 'gemm',
          layout: 'nn',
          m,
          n,
          k,
          a: at(b.a),
          b: at(b.b),
          c: at(b.c),
          bias: at(b.bias),
          activation,
          alpha: activation === 'leakyRelu' ? 0.2 : 1,
          scratch: null,
        },
      ],
    ).c;
  }
  out.softmax = run(backend, { x }, { y: R * C }, (b) => [
    { kind: 'softmax', x: at(b.x), y: at(b.y), rows: R, cols: C },
  ]).y;
  out.crossEntropy = Object.values(
    run(backend, { x, t: new Int32Array([1, 0, 6, 3, 2]) }, { loss: 1, grad: R * C }, (b) => [
      {
        kind: 'crossEntropy',
        input: 'logits',
        labels: 'sparse',
        x: at(b.x),
        target: at(b.t),
        rows: R,
        cols: C,
        grad: at(b.grad),
        gradScale: 1 / R,
        lossOut: at(b.loss),
        weights: null,
        smoothing: 0,
        partials: null,
      },
    ]),
  ).flat();
  const lr = { value: 0.01 };
  out.adam = Object.values(
    run(backend, { w: x, g: values(R * C, 11) }, { m: R * C, v: R * C }, (b) => [
      {
        kind: 'adamUpdate',
        w: at(b.w),
        g: at(b.g),
        n: R * C,
        cols: C,
        learningRate: lr,
        transform: NO_TRANSFORM,
        m: at(b.m),
        v: at(b.v),
        vHat: null,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        correction1: { value: 0.1 },
        correction2: { value: 0.001 },
      },
      // the updated weights, copied where run() reads them
      { kind: 'unary', op: 'identity', x: at(b.w), y: at(b.m), n: R * C },
    ]),
  ).flat();
  return out;
}

/**
 * A hand-compiled training step (dense relu → dense, sparse softmax cross-entropy, backward, Adam)
 * run `steps` times on a fixed batch: the losses and final weights.
 */
export function trainSteps(backend, steps = 10) {
  const [B, F, H, K] = [8, 6, 10, 3];
  const x = values(B * F, 21, -1, 1);
  const y = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const score = x[i * F] + x[i * F + 1] - x[i * F + 2];
    y[i] = score < -0.3 ? 0 : score < 0.3 ? 1 : 2;
  }
  const params = [
    values(F * H, 22, -0.5, 0.5),
    values(H, 23, -0.1, 0.1),
    values(H * K, 24, -0.5, 0.5),
    values(K, 25, -0.1, 0.1),
  ];
  const w = params.map((p) => backend.upload(p));
  const m = params.map((p) => backend.createBuffer(p.byteLength));
  const v = params.map((p) => backend.createBuffer(p.byteLength));
  const X = backend.upload(x);
  const Y = backend.upload(y);
  const loss = backend.createBuffer(4);
  let top = 0;
  const arena = (floats) => {
    const s = { kind: 'arena', byteOffset: top };
    top += Math.ceil((floats * 4) / 64) * 64;
    return s;
  };
  const h = arena(B * H);
  const z = arena(B * K);
  const dz = arena(B * K);
  const dh = arena(B * H);
  const g = [arena(F * H), arena(H), arena(H * K), arena(K)];
  const lr = { value: 0.05 };
  const c1 = { value: 0 };
  const c2 = { value: 0 };
  const gemm = (layout, mm, n, k, a, b, c, bias, activation) => ({
    kind: 'gemm',
    layout,
    m: mm,
    n,
    k,
    a,
    b,
    c,
    bias,
    activation,
    alpha: 0,
    scratch: null,
  });
  const calls = [
    gemm('nn', B, H, F, at(X), at(w[0]), h, at(w[1]), 'relu'),
    gemm('nn', B, K, H, h, at(w[2]), z, at(w[3]), 'linear'),
    {
      kind: 'crossEntropy',
      input: 'logits',
      labels: 'sparse',
      x: z,
      target: at(Y),
      rows: B,
      cols: K,
      grad: dz,
      gradScale: 1 / B,
      lossOut: at(loss),
      weights: null,
      smoothing: 0,
      partials: null,
    },
    gemm('tn', H, K, B, h, dz, g[2], null, 'linear'),
    { kind: 'columnSums', rows: B, cols: K, x: dz, out: g[3] },
    gemm('nt', B, H, K, dz, at(w[2]), dh, null, 'linear'),
    { kind: 'activationBackward', activation: 'relu', alpha: 0, x: null, y: h, dy: dh, dx: dh, n: B * H },
    gemm('tn', F, H, B, at(X), dh, g[0], null, 'linear'),
    { kind: 'columnSums', rows: B, cols: H, x: dh, out: g[1] },
    ...params.map((p, i) => ({
      kind: 'adamUpdate',
      w: at(w[i]),
      g: g[i],
      n: p.length,
      cols: i === 0 ? H : i === 2 ? K : p.length,
      learningRate: lr,
      transform: NO_TRANSFORM,
      m: at(m[i]),
      v: at(v[i]),
      vHat: null,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      correction1: c1,
      correction2: c2,
    })),
  ];
  const exe = backend.compile({ arenaBytes: top, calls });
  const losses = [];
  for (let t = 1; t <= steps; t++) {
    c1.value = 1 - 0.9 ** t;
    c2.value = 1 - 0.999 ** t;
    exe.run();
    losses.push(backend.readScalar(loss, 0));
  }
  const weights = params.map((p, i) => Array.from(backend.readF32(w[i], 0, p.length)));
  exe.dispose();
  for (const b of [...w, ...m, ...v, X, Y, loss]) backend.disposeBuffer(b);
  return { losses, weights };
}
