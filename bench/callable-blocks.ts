/**
 * What calling a block costs: a Dense(10) forward on a (256,784) batch and on a tiny (1,4) one,
 * called as `net.forward(X)` and as `net(X)`, interleaved, median of rounds (microseconds per
 * call). With `node --allow-natives-syntax` it also reports whether V8 keeps each block's own
 * properties in fast mode (a block that had to redefine its own `length` or `name` falls back to
 * dictionary properties, which slows every field read in `forward`). A second part times a
 * synthetic forward that reads 20 fields, on four ways to build a callable object: a plain
 * object (no call), a function object that keeps its own `name`/`length` (what Block does), one
 * that deleted them (dictionary mode), and a Proxy with set/defineProperty traps; each in its own
 * process, so the property-load caches of one do not slow the next.
 *
 *   node --allow-natives-syntax --import tsx bench/callable-blocks.ts
 *   for k in plain function dictionary proxy; do npx tsx bench/callable-blocks.ts --synthetic $k; done
 */
import { type NDArray, nd } from '@minimx/ndarray';
import { nn } from '@minimx/nn';

const hasFastProperties = (() => {
  try {
    return new Function('o', 'return %HasFastProperties(o)') as (o: unknown) => boolean;
  } catch {
    return null;
  }
})();

function perCall(f: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return ((performance.now() - t0) / n) * 1000;
}

const median = (a: number[]): number => a.slice().sort((x, y) => x - y)[a.length >> 1];

const syntheticKind = process.argv[process.argv.indexOf('--synthetic') + 1];
if (!process.argv.includes('--synthetic')) {
  const cases: [string, NDArray, number][] = [
    ['(256,784)', nd.random.uniform({ shape: [256, 784] }), 200],
    ['(1,4)', nd.random.uniform({ shape: [1, 4] }), 20000],
  ];
  for (const [label, X, n] of cases) {
    const net = new nn.Dense(10);
    net.initialize();
    net(X);
    const viaForward: number[] = [];
    const viaCall: number[] = [];
    for (let round = 0; round < 15; round++) {
      viaForward.push(perCall(() => net.forward(X), n));
      viaCall.push(perCall(() => net(X), n));
    }
    console.log(
      `Dense(10) on ${label}: net.forward(X) ${median(viaForward).toFixed(2)} us, net(X) ${median(viaCall).toFixed(2)} us`,
    );
  }
  if (hasFastProperties) {
    const blocks: [string, object][] = [
      ['Dense', new nn.Dense(10)],
      ['Sequential', new nn.Sequential()],
      ['Activation', new nn.Activation('relu')],
      ['SoftmaxCrossEntropyLoss', new (await import('@minimx/nn')).loss.SoftmaxCrossEntropyLoss()],
    ];
    console.log(
      `fast properties: ${blocks.map(([name, b]) => `${name} ${hasFastProperties(b)}`).join(', ')}`,
    );
  }
}

type Synthetic = { units: number; scale: number; forward(x: number): number };
function makeSynthetic(kind: 'plain' | 'function' | 'dictionary' | 'proxy'): Synthetic {
  const proto = {
    forward(this: Synthetic, x: number): number {
      let s = 0;
      for (let i = 0; i < 20; i++) s += x * this.scale + this.units;
      return s;
    },
  };
  if (kind === 'plain') return Object.assign(Object.create(proto), { units: 10, scale: 2 });
  // A computed key names the function as Block's constructor does (a literal key would let
  // tsx's keepNames redefine `name` afterwards, which is the dictionary case).
  const key = String(kind).slice(0, 0) || 'dense0';
  const holder = { [key]: (x: number): number => fn.forward(x) };
  const fn = holder[key] as unknown as Synthetic;
  Object.setPrototypeOf(fn, proto);
  if (kind === 'dictionary') {
    delete (fn as { name?: string }).name;
    delete (fn as { length?: number }).length;
  }
  fn.units = 10;
  fn.scale = 2;
  if (kind !== 'proxy') return fn;
  return new Proxy(fn, {
    set: (t, k, v) => Reflect.set(t, k, v),
    defineProperty: (t, k, d) => Reflect.defineProperty(t, k, d),
  });
}
if (process.argv.includes('--synthetic')) {
  const kind = syntheticKind as 'plain' | 'function' | 'dictionary' | 'proxy';
  const o = makeSynthetic(kind);
  const times: number[] = [];
  for (let round = 0; round < 9; round++) times.push(perCall(() => o.forward(round), 200000) * 1000);
  console.log(`synthetic forward reading 20 fields, ${kind}: ${median(times).toFixed(0)} ns per call`);
}
