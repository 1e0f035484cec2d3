/**
 * Runs the d2l chapter-5 examples (5.1 to 5.12) as child processes, the way a reader does
 * (`npx tsx examples/<name>.ts`), and checks what they print against what the book's MXNet notebooks
 * print (d2l-zh, MXNet edition, chapter_convolutional-neural-networks/*.ipynb, read once and pasted
 * below): the arrays of 5.1 to 5.4 character for character, every layer and block output shape of
 * the networks exactly, and the form of the training lines. The networks train for one short epoch
 * (`--batches`, and `--batch-size` for the large ones, so the file stays within a couple of
 * minutes). The recorded full LeNet run (examples/results/lenet.txt) is checked against the band
 * set from several seeded runs, and the recorded 5.10 run (examples/results/batch-norm.txt, both
 * 5-epoch trainings) against its band. Sections that read Fashion-MNIST are skipped, with a
 * message, when /usr/share/datasets/fashion-mnist is absent and no cached copy exists.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
/** Per test: a child process under a loaded machine can take minutes (alone, each takes seconds). */
const TIMEOUT = 300_000;
const EXAMPLES_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(EXAMPLES_DIR);
const TSX = path.join(REPO_DIR, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function haveFashionMnist(): boolean {
  const home = process.env.MINIMX_HOME ?? path.join(os.homedir(), '.minimx');
  return [
    '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz',
    path.join(home, 'datasets', 'fashion-mnist', 'train-images-idx3-ubyte.gz'),
  ].some((f) => fs.existsSync(f));
}
const FASHION = haveFashionMnist();
if (!FASHION) {
  console.warn(
    'cnn-examples.test: Fashion-MNIST not found in /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist) ' +
      'or the minimx cache; skipping the training sections',
  );
}

/** Runs `examples/<name>.ts` with `flags`; stdout as lines (stderr must stay empty). */
async function example(name: string, ...flags: string[]): Promise<string[]> {
  const { stdout, stderr } = await run(
    process.execPath,
    [TSX, path.join('examples', `${name}.ts`), ...flags],
    {
      cwd: REPO_DIR,
      maxBuffer: 16 << 20,
      timeout: 300_000,
    },
  );
  expect(stderr, 'nothing on stderr when it is not a terminal (no progress bar, no warnings)').toBe('');
  return stdout.split('\n');
}

/** The lines `<name> output shape:\t (a, b, ...)` the book prints when it walks a network. */
const shapeLines = (rows: readonly (readonly [string, string])[]) =>
  rows.map(([name, shape]) => `${name} output shape:\t (${shape})`);
const shapesPrinted = (lines: readonly string[]) => lines.filter((l) => l.includes(' output shape:\t '));

/** `train_ch5`'s epoch line. */
const EPOCH_LINE =
  /^epoch (\d+), loss (\d+\.\d{4}), train acc (\d\.\d{3}), test acc (\d\.\d{3}), time \d+\.\d sec$/;
const epochLines = (lines: readonly string[]) => lines.filter((l) => l.startsWith('epoch '));

/** An MXNet array as printed, from the book's output cell (lines joined by \n). */
const printed = (...lines: string[]) => lines.join('\n');

/** A short training run of a large network: one epoch of `batches` batches of `batchSize`. */
const SHORT = (batches: number, batchSize: number) => [
  '--epochs',
  '1',
  '--batches',
  String(batches),
  '--batch-size',
  String(batchSize),
  '--seed',
  '1',
];

function expectTrainingLines(lines: readonly string[], epochs: number): void {
  expect(lines).toContain('training on cpu(0)');
  const epochs_ = epochLines(lines);
  expect(epochs_).toHaveLength(epochs);
  for (const l of epochs_) {
    const m = EPOCH_LINE.exec(l);
    expect(m, l).not.toBeNull();
    expect(Number.isFinite(Number(m![2])), `loss of "${l}" is a number`).toBe(true);
  }
}

describe.concurrent('d2l chapter 5 examples', () => {
  it(
    '5.1 conv-layer: corr2d and the edges exactly, then learns the kernel [1, -1]',
    async () => {
      const lines = await example('conv-layer', '--seed', '1');
      const text = lines.join('\n');
      expect(text).toContain(printed('', '[[19. 25.]', ' [37. 43.]]', '<NDArray 2x2 @cpu(0)>'));
      expect(text).toContain(
        printed(
          '[[1. 1. 0. 0. 0. 0. 1. 1.]',
          ...Array(4).fill(' [1. 1. 0. 0. 0. 0. 1. 1.]'),
          ' [1. 1. 0. 0. 0. 0. 1. 1.]]',
          '<NDArray 6x8 @cpu(0)>',
        ),
      );
      expect(text).toContain(
        printed(
          '[[ 0.  1.  0.  0.  0. -1.  0.]',
          ...Array(4).fill(' [ 0.  1.  0.  0.  0. -1.  0.]'),
          ' [ 0.  1.  0.  0.  0. -1.  0.]]',
          '<NDArray 6x7 @cpu(0)>',
        ),
      );
      // The book (no seed): batch 2, 4, 6, 8, 10: 4.949, 0.831, 0.140, 0.024, 0.004.
      const losses = lines
        .map((l) => /^batch (\d+), loss (\d+\.\d{3})$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null);
      expect(losses.map((m) => Number(m[1]))).toEqual([2, 4, 6, 8, 10]);
      const values = losses.map((m) => Number(m[2]));
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
      expect(values[0]).toBeGreaterThan(1);
      expect(values[0]).toBeLessThan(20);
      expect(values[4]).toBeLessThan(0.05);
      // The learned kernel, printed as a (1, 2) array: close to [1, -1] (the book: [0.9895, -0.9873705]).
      const kernel = text.match(/\[\[ ?(-?\d\.\d+) +(-?\d\.\d+)\]\]\n<NDArray 1x2 @cpu\(0\)>/);
      expect(kernel, 'the (1, 2) kernel is printed').not.toBeNull();
      expect(Math.abs(Number(kernel![1]) - 1)).toBeLessThan(0.05);
      expect(Math.abs(Number(kernel![2]) + 1)).toBeLessThan(0.05);
    },
    TIMEOUT,
  );

  it(
    '5.2 padding-and-strides prints the book’s four output shapes',
    async () => {
      const lines = await example('padding-and-strides', '--seed', '1');
      expect(lines.filter((l) => l)).toEqual(['(8, 8)', '(8, 8)', '(4, 4)', '(2, 2)']);
    },
    TIMEOUT,
  );

  it(
    '5.3 channels prints the book’s arrays and shape exactly',
    async () => {
      const lines = await example('channels', '--seed', '1');
      expect(lines.join('\n')).toBe(
        printed(
          '',
          '[[ 56.  72.]',
          ' [104. 120.]]',
          '<NDArray 2x2 @cpu(0)>',
          '(3, 2, 2, 2)',
          '',
          '[[[ 56.  72.]',
          '  [104. 120.]]',
          '',
          ' [[ 76. 100.]',
          '  [148. 172.]]',
          '',
          ' [[ 96. 128.]',
          '  [192. 224.]]]',
          '<NDArray 3x2x2 @cpu(0)>',
          'true',
          '',
        ),
      );
    },
    TIMEOUT,
  );

  it(
    '5.4 pooling prints the book’s arrays exactly',
    async () => {
      const lines = await example('pooling');
      const x = [
        '[[[[ 0.  1.  2.  3.]',
        '   [ 4.  5.  6.  7.]',
        '   [ 8.  9. 10. 11.]',
        '   [12. 13. 14. 15.]]',
      ];
      expect(lines.join('\n')).toBe(
        printed(
          '',
          '[[4. 5.]',
          ' [7. 8.]]',
          '<NDArray 2x2 @cpu(0)>',
          '',
          '[[2. 3.]',
          ' [5. 6.]]',
          '<NDArray 2x2 @cpu(0)>',
          '',
          ...x.slice(0, 3),
          '   [12. 13. 14. 15.]]]]',
          '<NDArray 1x1x4x4 @cpu(0)>',
          '',
          '[[[[10.]]]]',
          '<NDArray 1x1x1x1 @cpu(0)>',
          '',
          '[[[[ 5.  7.]',
          '   [13. 15.]]]]',
          '<NDArray 1x1x2x2 @cpu(0)>',
          '',
          '[[[[ 0.  3.]',
          '   [ 8. 11.]',
          '   [12. 15.]]]]',
          '<NDArray 1x1x3x2 @cpu(0)>',
          '',
          ...x,
          '',
          '  [[ 1.  2.  3.  4.]',
          '   [ 5.  6.  7.  8.]',
          '   [ 9. 10. 11. 12.]',
          '   [13. 14. 15. 16.]]]]',
          '<NDArray 1x2x4x4 @cpu(0)>',
          '',
          '[[[[ 5.  7.]',
          '   [13. 15.]]',
          '',
          '  [[ 6.  8.]',
          '   [14. 16.]]]]',
          '<NDArray 1x2x2x2 @cpu(0)>',
          '',
        ),
      );
    },
    TIMEOUT,
  );

  it.skipIf(!FASHION)(
    '5.5 lenet prints the book’s layer shapes and trains a short epoch',
    async () => {
      const lines = await example('lenet', '--epochs', '1', '--batches', '3', '--seed', '1');
      expect(shapesPrinted(lines)).toEqual(
        shapeLines([
          ['conv0', '1, 6, 24, 24'],
          ['pool0', '1, 6, 12, 12'],
          ['conv1', '1, 16, 8, 8'],
          ['pool1', '1, 16, 4, 4'],
          ['dense0', '1, 120'],
          ['dense1', '1, 84'],
          ['dense2', '1, 10'],
        ]),
      );
      expect(lines).toContain('cpu(0)');
      expectTrainingLines(lines, 1);
    },
    TIMEOUT,
  );

  it.skipIf(!FASHION)(
    '5.6 alexnet prints the book’s layer shapes at 224x224 and trains',
    async () => {
      const lines = await example('alexnet', ...SHORT(1, 4));
      expect(shapesPrinted(lines)).toEqual(
        shapeLines([
          ['conv0', '1, 96, 54, 54'],
          ['pool0', '1, 96, 26, 26'],
          ['conv1', '1, 256, 26, 26'],
          ['pool1', '1, 256, 12, 12'],
          ['conv2', '1, 384, 12, 12'],
          ['conv3', '1, 384, 12, 12'],
          ['conv4', '1, 256, 12, 12'],
          ['pool2', '1, 256, 5, 5'],
          ['dense0', '1, 4096'],
          ['dropout0', '1, 4096'],
          ['dense1', '1, 4096'],
          ['dropout1', '1, 4096'],
          ['dense2', '1, 10'],
        ]),
      );
      expectTrainingLines(lines, 1);
    },
    TIMEOUT,
  );

  it.skipIf(!FASHION)(
    '5.7 vgg prints the book’s block shapes at 224x224 and trains',
    async () => {
      const lines = await example('vgg', ...SHORT(1, 4));
      expect(shapesPrinted(lines)).toEqual(
        shapeLines([
          ['sequential1', '1, 64, 112, 112'],
          ['sequential2', '1, 128, 56, 56'],
          ['sequential3', '1, 256, 28, 28'],
          ['sequential4', '1, 512, 14, 14'],
          ['sequential5', '1, 512, 7, 7'],
          ['dense0', '1, 4096'],
          ['dropout0', '1, 4096'],
          ['dense1', '1, 4096'],
          ['dropout1', '1, 4096'],
          ['dense2', '1, 10'],
        ]),
      );
      expectTrainingLines(lines, 1);
    },
    TIMEOUT,
  );

  it.skipIf(!FASHION)(
    '5.8 nin prints the book’s layer shapes at 224x224 and trains',
    async () => {
      const lines = await example('nin', ...SHORT(1, 4));
      expect(shapesPrinted(lines)).toEqual(
        shapeLines([
          ['sequential1', '1, 96, 54, 54'],
          ['pool0', '1, 96, 26, 26'],
          ['sequential2', '1, 256, 26, 26'],
          ['pool1', '1, 256, 12, 12'],
          ['sequential3', '1, 384, 12, 12'],
          ['pool2', '1, 384, 5, 5'],
          ['dropout0', '1, 384, 5, 5'],
          ['sequential4', '1, 10, 5, 5'],
          ['pool3', '1, 10, 1, 1'],
          ['flatten0', '1, 10'],
        ]),
      );
      expectTrainingLines(lines, 1);
    },
    TIMEOUT,
  );

  it.skipIf(!FASHION)(
    '5.9 googlenet prints the book’s module shapes at 96x96 and trains',
    async () => {
      const lines = await example('googlenet', ...SHORT(1, 4));
      expect(shapesPrinted(lines)).toEqual(
        shapeLines([
          ['sequential0', '1, 64, 24, 24'],
          ['sequential1', '1, 192, 12, 12'],
          ['sequential2', '1, 480, 6, 6'],
          ['sequential3', '1, 832, 3, 3'],
          ['sequential4', '1, 1024, 1, 1'],
          ['dense0', '1, 10'],
        ]),
      );
      expectTrainingLines(lines, 1);
    },
    TIMEOUT,
  );

  it.skipIf(!FASHION)(
    '5.10 batch-norm trains both LeNets and prints gamma and beta of 6 channels',
    async () => {
      const lines = await example('batch-norm', '--epochs', '1', '--batches', '3', '--seed', '1');
      expectTrainingLines(lines, 2);
      expect(lines.filter((l) => l === 'training on cpu(0)')).toHaveLength(2);
      // console.log(gamma, beta) joins the two printouts with a space
      expect(lines.filter((l) => /^<NDArray 6 @cpu\(0\)> ?$/.test(l))).toHaveLength(2);
    },
    TIMEOUT,
  );

  it.skipIf(!FASHION)(
    '5.11 resnet prints the book’s residual and layer shapes and trains',
    async () => {
      const lines = await example('resnet', ...SHORT(1, 4));
      expect(lines.slice(0, 2)).toEqual(['(4, 3, 6, 6)', '(4, 6, 3, 3)']);
      expect(shapesPrinted(lines)).toEqual(
        shapeLines([
          ['conv5', '1, 64, 112, 112'],
          ['batchnorm4', '1, 64, 112, 112'],
          ['relu0', '1, 64, 112, 112'],
          ['pool0', '1, 64, 56, 56'],
          ['sequential1', '1, 64, 56, 56'],
          ['sequential2', '1, 128, 28, 28'],
          ['sequential3', '1, 256, 14, 14'],
          ['sequential4', '1, 512, 7, 7'],
          ['pool1', '1, 512, 1, 1'],
          ['dense0', '1, 10'],
        ]),
      );
      expectTrainingLines(lines, 1);
    },
    TIMEOUT,
  );

  it.skipIf(!FASHION)(
    '5.12 densenet prints the book’s dense and transition block shapes and trains',
    async () => {
      const lines = await example('densenet', ...SHORT(1, 4));
      expect(lines.slice(0, 2)).toEqual(['(4, 23, 8, 8)', '(4, 10, 4, 4)']);
      expectTrainingLines(lines, 1);
    },
    TIMEOUT,
  );
});

describe('the recorded full LeNet run (examples/results/lenet.txt)', () => {
  const file = path.join(EXAMPLES_DIR, 'results', 'lenet.txt');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');

  it('is the seeded 5-epoch command with the book’s shapes and five well-formed epoch lines', () => {
    expect(lines[0]).toMatch(/^\$ npx tsx examples\/lenet\.ts --seed \d+$/);
    expect(shapesPrinted(lines)).toHaveLength(7);
    expectTrainingLines(lines, 5);
    expect(epochLines(lines).map((l) => Number(EPOCH_LINE.exec(l)![1]))).toEqual([1, 2, 3, 4, 5]);
  });

  it('ends epoch 5 in the band (book: loss 0.6704, train acc 0.733, test acc 0.754)', () => {
    const m = EPOCH_LINE.exec(epochLines(lines)[4] ?? '');
    expect(m, 'an epoch-5 line').not.toBeNull();
    const [loss, trainAcc, testAcc] = [Number(m![2]), Number(m![3]), Number(m![4])];
    expect(loss).toBeGreaterThanOrEqual(LENET_BAND.loss[0]);
    expect(loss).toBeLessThanOrEqual(LENET_BAND.loss[1]);
    expect(trainAcc).toBeGreaterThanOrEqual(LENET_BAND.trainAcc[0]);
    expect(trainAcc).toBeLessThanOrEqual(LENET_BAND.trainAcc[1]);
    expect(testAcc).toBeGreaterThanOrEqual(LENET_BAND.testAcc[0]);
    expect(testAcc).toBeLessThanOrEqual(LENET_BAND.testAcc[1]);
  });
});

describe('the recorded full LeNet-with-batch-normalization run (examples/results/batch-norm.txt)', () => {
  const file = path.join(EXAMPLES_DIR, 'results', 'batch-norm.txt');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  const runs = [epochLines(lines).slice(0, 5), epochLines(lines).slice(5)];

  it('is the seeded command with two 5-epoch trainings and the 6 gamma and beta values between them', () => {
    expect(lines[0]).toMatch(/^\$ npx tsx examples\/batch-norm\.ts --seed \d+$/);
    expect(lines.filter((l) => l === 'training on cpu(0)')).toHaveLength(2);
    expectTrainingLines(lines, 10);
    for (const run of runs) {
      expect(run.map((l) => Number(EPOCH_LINE.exec(l)![1]))).toEqual([1, 2, 3, 4, 5]);
    }
    expect(lines.filter((l) => /^<NDArray 6 @cpu\(0\)> ?$/.test(l))).toHaveLength(2);
  });

  it.each([
    ['hand-written BatchNorm', 'book: loss 0.3051, train acc 0.890, test acc 0.870', 0],
    ['nn.BatchNorm', 'book: loss 0.3071, train acc 0.889, test acc 0.881', 1],
  ] as const)('%s ends epoch 5 in the band (%s)', (_name, _book, index) => {
    const m = EPOCH_LINE.exec(runs[index][4] ?? '');
    expect(m, 'an epoch-5 line').not.toBeNull();
    const [loss, trainAcc, testAcc] = [Number(m![2]), Number(m![3]), Number(m![4])];
    expect(loss).toBeGreaterThanOrEqual(BN_BAND.loss[0]);
    expect(loss).toBeLessThanOrEqual(BN_BAND.loss[1]);
    expect(trainAcc).toBeGreaterThanOrEqual(BN_BAND.trainAcc[0]);
    expect(trainAcc).toBeLessThanOrEqual(BN_BAND.trainAcc[1]);
    expect(testAcc).toBeGreaterThanOrEqual(BN_BAND.testAcc[0]);
    expect(testAcc).toBeLessThanOrEqual(BN_BAND.testAcc[1]);
  });
});

/**
 * The band of LeNet's epoch 5: seeds 1 to 4 here ended at loss 0.637-0.685, train acc 0.730-0.749,
 * test acc 0.726-0.764 (the book: 0.6704 / 0.733 / 0.754), with room around them; docs/d2l/lenet.md.
 */
const LENET_BAND = { loss: [0.58, 0.76], trainAcc: [0.71, 0.77], testAcc: [0.69, 0.8] } as const;

/**
 * The band of epoch 5 of LeNet with batch normalization, either training of 5.10: the book ended at
 * 0.3051 / 0.890 / 0.870 (hand-written) and 0.3071 / 0.889 / 0.881 (nn.BatchNorm); seeds 1 to 3
 * here at loss 0.296-0.302, train acc 0.890-0.892, test acc 0.851-0.867 (both trainings), with room
 * around them; docs/d2l/batch-norm.md.
 */
const BN_BAND = { loss: [0.27, 0.34], trainAcc: [0.87, 0.91], testAcc: [0.82, 0.9] } as const;
