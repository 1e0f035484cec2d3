/**
 * Concurrency: two trainings interleaved in one process through `await` must not touch each
 * other's tape, gradients or training mode. The tape hangs on the arrays (no global list) and
 * `autograd.record` only takes synchronous callbacks, so a training that awaits between its
 * forward pass and its backward pass while another one records must end with the same
 * parameters, bit for bit, as when it runs alone. Also: a network evaluated in predict mode
 * (Dropout off) while another trains (Dropout on) stays deterministic, and an async callback
 * given to `record` is refused with a clear error that leaves the mode as it was.
 */
import { autograd, type NDArray, nd } from '@minimx/ndarray';
import { loss as gloss, nn, Trainer } from '@minimx/nn';
import { describe, expect, it } from 'vitest';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A fixed synthetic classification problem (seeded), so every run sees the same batches. */
function makeProblem(seed: number, features: number, classes: number, batches: number, batchSize: number) {
  nd.random.seed(seed);
  const data: Array<[NDArray, NDArray]> = [];
  for (let i = 0; i < batches; i++) {
    const X = nd.random.normal({ shape: [batchSize, features] });
    const y = nd.random.randint(0, classes, { shape: [batchSize] });
    data.push([X, y]);
  }
  return data;
}

/**
 * A small MLP on 12 features, seeded; with dropout when `dropout` > 0. Input sizes are given so
 * that `initialize` draws the weights now (a deferred init would draw at the first forward, from
 * whatever the shared generator holds then).
 */
function makeNet(seed: number, hidden: number, classes: number, dropout: number) {
  nd.random.seed(seed);
  const net = new nn.Sequential();
  net.add(new nn.Dense(hidden, { activation: 'relu', inUnits: 12 }));
  if (dropout > 0) net.add(new nn.Dropout(dropout));
  net.add(new nn.Dense(classes, { inUnits: hidden }));
  net.initialize();
  return net;
}

interface Run {
  params: Float32Array[];
  losses: number[];
  modes: Array<[boolean, boolean]>;
}

/**
 * Trains for one pass, awaiting between the forward pass and backward and between batches when
 * `interleave` is set. Records the autograd modes seen right after each await.
 */
async function train(
  net: nn.Sequential,
  data: Array<[NDArray, NDArray]>,
  interleave: boolean,
  lr: number,
): Promise<Run> {
  const loss = new gloss.SoftmaxCrossEntropyLoss();
  const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: lr });
  const losses: number[] = [];
  const modes: Array<[boolean, boolean]> = [];
  for (const [X, y] of data) {
    const l = autograd.record(() => loss.forward(net.forward(X), y));
    if (interleave) {
      await tick();
      modes.push([autograd.isRecording(), autograd.isTraining()]);
    }
    l.backward();
    trainer.step(X.shape[0]);
    losses.push(l.mean().asScalar());
    if (interleave) await tick();
  }
  const params = [...net.collectParams().values()].map((p) =>
    Float32Array.from(p.data().data as Float32Array),
  );
  return { params, losses, modes };
}

const problemA = () => makeProblem(1, 12, 4, 30, 16);
const problemB = () => makeProblem(2, 12, 4, 30, 8);

describe('two trainings interleaved through await', () => {
  it('end with the same parameters and losses as each run alone, bit for bit', async () => {
    const aloneA = await train(makeNet(11, 16, 4, 0), problemA(), false, 0.5);
    const aloneB = await train(makeNet(12, 8, 4, 0), problemB(), false, 0.1);
    const [netA, dataA, netB, dataB] = [makeNet(11, 16, 4, 0), problemA(), makeNet(12, 8, 4, 0), problemB()];
    const [bothA, bothB] = await Promise.all([train(netA, dataA, true, 0.5), train(netB, dataB, true, 0.1)]);
    expect(bothA.losses).toEqual(aloneA.losses);
    expect(bothB.losses).toEqual(aloneB.losses);
    expect(bothA.params).toEqual(aloneA.params);
    expect(bothB.params).toEqual(aloneB.params);
    // After every await, neither recording nor training mode leaked from the other training.
    for (const m of [...bothA.modes, ...bothB.modes]) expect(m).toEqual([false, false]);
    // The trainings did learn something (the comparison is not between two no-ops).
    expect(aloneA.losses.at(-1)!).toBeLessThan(aloneA.losses[0]);
  });

  it('a network evaluated in predict mode while another trains with dropout stays deterministic', async () => {
    nd.random.seed(5);
    const evalNet = makeNet(21, 16, 4, 0.5);
    const X = nd.random.normal({ shape: [8, 12] });
    const reference = autograd.pause(() => evalNet.forward(X)).data.slice();
    const trainNet = makeNet(22, 16, 4, 0.5);
    const evaluations: Float32Array[] = [];
    const evaluate = async () => {
      for (let i = 0; i < 30; i++) {
        await tick();
        expect(autograd.isTraining()).toBe(false);
        evaluations.push(autograd.predictMode(() => evalNet.forward(X)).data.slice() as Float32Array);
        evaluations.push(evalNet.forward(X).data.slice() as Float32Array);
      }
    };
    await Promise.all([train(trainNet, problemA(), true, 0.1), evaluate()]);
    for (const e of evaluations) expect(e).toEqual(reference);
  });

  it('training mode is on inside record and back off after it, whatever the other training does', async () => {
    const seen: boolean[] = [];
    const net = makeNet(31, 8, 4, 0.5);
    const check = async () => {
      for (let i = 0; i < 20; i++) {
        autograd.record(() => {
          seen.push(autograd.isRecording() && autograd.isTraining());
        });
        seen.push(!autograd.isRecording() && !autograd.isTraining());
        await tick();
      }
    };
    await Promise.all([check(), train(net, problemB(), true, 0.1), check()]);
    expect(seen.every(Boolean)).toBe(true);
  });
});

describe('autograd.record with an async callback', () => {
  it('throws a clear error and leaves recording and training off', async () => {
    const x = nd.array([1, 2, 3]);
    x.attachGrad();
    let ranAfterAwait: [boolean, boolean] | null = null;
    const asyncBody = async () => {
      const y = x.square().sum();
      await tick();
      ranAfterAwait = [autograd.isRecording(), autograd.isTraining()];
      return y;
    };
    expect(() => autograd.record(asyncBody as unknown as () => NDArray)).toThrow(
      /autograd\.record: the callback must be synchronous/,
    );
    expect(autograd.isRecording()).toBe(false);
    expect(autograd.isTraining()).toBe(false);
    await tick();
    await tick();
    // The part after the await ran outside any recording scope, not inside a leaked one.
    expect(ranAfterAwait).toEqual([false, false]);
    expect(() => autograd.pause(asyncBody as unknown as () => NDArray)).toThrow(
      /autograd\.pause: .*synchronous/,
    );
    expect(() => autograd.trainMode(asyncBody as unknown as () => NDArray)).toThrow(/synchronous/);
  });
});
