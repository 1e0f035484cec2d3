/**
 * Writes docs/d2l/: one page per example, block by block, the book's Gluon code described in a line
 * or two (naming the calls and the d2l section, never copying the book) beside our code, which is
 * copied verbatim from the `// #region` blocks of the example file; then the lines our full run
 * printed (examples/results/<name>.txt) next to the book's numbers. `npx tsx examples/gen-docs.ts`
 * rewrites the pages; examples/docs.test.ts regenerates them in memory and fails when they differ,
 * so the pages can never drift from the code.
 *
 * Conventions in an example file: the first doc comment is the header (its first line is the page
 * title); a block opens with `// #region <title>`, continues with comment lines that describe the
 * Gluon code (`// helpers: a b` adds the `// #region a` and `b` blocks of @minimx/d2l's sources,
 * packages/d2l/src/*.ts, after it) and closes with
 * `// #endregion`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const EXAMPLES_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(EXAMPLES_DIR);
/** The sources of @minimx/d2l, whose `// #region` blocks the `// helpers:` lines name. */
export const D2L_SRC_DIR = path.join(REPO_DIR, 'packages', 'd2l', 'src');
/** Where the pages go, relative to the repository root. */
export const DOCS_DIR = path.join(REPO_DIR, 'docs', 'd2l');

/** The examples in the book's order, with the book's numbers where DESIGN.md has them. */
export const PAGES: readonly PageSpec[] = [
  {
    file: 'linear-regression-scratch.ts',
    notes: [
      'The loss cannot fall below the noise: labels carry noise of standard deviation 0.01, so the',
      'mean squared loss `(y_hat - y)^2 / 2` levels off near 0.01^2 / 2 = 5e-5 after a few epochs,',
      'in the book and here. The learned w and b land within 0.01 of [2, -3.4] and 4.2 (the examples',
      'test checks it).',
    ],
  },
  {
    file: 'linear-regression-concise.ts',
    notes: [
      'As in 3.2 the mean loss levels off near the noise floor 0.01^2 / 2 = 5e-5, and',
      '`dense.weight.data()`, `dense.bias.data()` land within 0.01 of the true values (the examples',
      'test checks it).',
    ],
  },
  {
    file: 'fashion-mnist.ts',
    notes: [
      'The book prints the sizes `(60000, 10000)`, the shape `(28, 28, 1)` with dtype uint8, and the',
      'label of `mnist_train[0]` as the NumPy int32 `2`. Ours prints the same sizes, shape and dtype;',
      'the first training label of the files read here (the upstream Zalando files, as Debian ships',
      'them, verified by checksum) is 9, ankle boot, as the picture shows. The reading time depends on',
      'the machine (the book reads with 4 worker processes, we read in one thread).',
    ],
  },
  {
    file: 'softmax-regression-scratch.ts',
    book: { epoch1: '0.7896 / 0.745 / 0.803', epoch5: '0.4895 / 0.835 / 0.840' },
    band: 'loss 0.47-0.51, train acc 0.82-0.85, test acc 0.80-0.86',
  },
  {
    file: 'softmax-regression-concise.ts',
    book: { epoch1: '0.7906 / 0.745 / 0.792', epoch5: '0.4895 / 0.834 / 0.841' },
    band: 'loss 0.47-0.51, train acc 0.82-0.85, test acc 0.80-0.86',
  },
  {
    file: 'mlp-scratch.ts',
    book: { epoch1: '0.7748 / 0.710 / 0.833', epoch5: '0.3669 / 0.864 / 0.861' },
    band: 'loss 0.35-0.40, train acc 0.85-0.88, test acc 0.80-0.89',
  },
  {
    file: 'mlp-concise.ts',
    book: { epoch1: '0.7917 / 0.708 / 0.813', epoch5: '0.3763 / 0.860 / 0.872' },
    band: 'loss 0.35-0.40, train acc 0.85-0.88, test acc 0.80-0.89',
  },
  {
    file: 'weight-decay.ts',
    notes: [
      'What the book shows: without weight decay (lambd = 0) the training loss falls by orders of',
      'magnitude while the test loss stays high, and the L2 norm of w stays large (above 10); with',
      'lambd = 3 (and wd = 3) both losses fall together and the norm of w shrinks to a few hundredths.',
      'The pictures are written to `out/weight-decay-*.svg`.',
    ],
  },
  {
    file: 'dropout.ts',
    notes: [
      'The book trains both versions for 5 epochs at learning rate 0.5; no band is set for this',
      'section. Compare with the MLP of 3.9: dropout keeps the training loss higher for the',
      'same number of epochs.',
    ],
  },
  {
    file: 'model-construction.ts',
    notes: [
      'The book (no seed) shows two 2x10 arrays of small values for the `MLP` and the `MySequential`',
      'versions, then the one-element sums 18.571953 for `FancyMLP` and 24.86621 for the nested',
      'network. Ours prints the same four outputs with the same shapes, footers and line layout (the',
      'chapter-4 examples test compares them); the values are random in both. `FancyMLP` halves its',
      '20 activations until their norm is at most 1 and multiplies them by 10 when it is below 0.8, so',
      "their sum is below 8 * sqrt(20), about 35.8, in magnitude (tested); the book's two sums and ours",
      'are in that range.',
    ],
  },
  {
    file: 'parameters.ts',
    notes: [
      "Every line that does not depend on random numbers equals the book's (tested): the",
      '`dense0_` and `sequential0_` listings with their `Parameter ...` lines, the zero gradient and',
      "bias, the row of ones from `init.Constant(1)`, the custom initializer's two `Init ...` lines and",
      "the eight ones of the shared layers. The random rows have the book's layout; the custom",
      "initializer's row holds zeros and values with 5 <= |w| < 10, then the same plus one after",
      '`setData`. Where the notebook displays a tuple, `(dense0_ (...), mxnet.gluon.parameter.ParameterDict)`,',
      'ours prints its two items on one line (the class as `ParameterDict`).',
    ],
  },
  {
    file: 'deferred-init.ts',
    notes: [
      'The book prints nothing on `initialize`, `Init dense0_weight (256, 20)` and',
      '`Init dense1_weight (10, 256)` on the first forward pass, nothing on the second, the same two',
      'lines on `force_reinit`, and `Init dense2_weight (256, 20)`, `Init dense3_weight (10, 256)`',
      'for the network with `in_units`. Ours prints exactly these (tested), after two lines of its',
      'own before the first forward pass: the weight listed with shape (256, 0), and the',
      '`DeferredInitializationError` that reading it raises, which the section describes in words.',
    ],
  },
  {
    file: 'custom-layer.ts',
    notes: [
      'The centered `[-2. -1.  0.  1.  2.]`, the names `param2`, `mydense0_weight`, `mydense0_bias`',
      "and their shapes equal the book's (tested). One spelling differs: MXNet lists a parameter",
      "made by `params.get` without a dtype as `dtype=<class 'numpy.float32'>` (its default dtype is",
      "the NumPy type object), minimx as `dtype=float32`, as Gluon's own layers print it. The mean of",
      'the centered output is a float32 rounding residue (the book: -7.212293e-10). The last two',
      'outputs are random; with `--seed 1` the (2, 1) output is all zeros, the ReLU of negative sums,',
      "where the book's happened to be positive.",
    ],
  },
  {
    file: 'read-write.ts',
    notes: [
      'The loaded arrays equal the saved ones, `[1. 1. 1.]` and `[0. 0. 0. 0.]`, the dict keeps its',
      'keys `x` and `y`, and `Y2 == Y` is all ones, as in the book (tested; the test also reads the',
      "four files back and checks MXNet's list magic and the parameter names `hidden.weight`,",
      '`hidden.bias`, `output.weight`, `output.bias`). The notebook displays the list, the tuple and',
      "the dict the IPython way (`[\\n [1. 1. 1.]\\n <NDArray 3 @cpu(0)>]`); Node's `console.log`",
      'prints the same arrays and keys with its own brackets and indentation.',
    ],
  },
  {
    file: 'use-gpu.ts',
    notes: [
      'The book runs on two GPUs (`@gpu(0)`, `@gpu(1)` in its footers). Without a GPU backend, ours',
      'names the devices as the book does, `(cpu(0), gpu(0), gpu(1))`, shows `x.context` as `cpu(0)`,',
      'reports the error an array on `gpu(0)` raises, and runs the rest on `d2l.tryGpu()`, which is',
      "`cpu(0)`: the footers say `@cpu(0)` where the book's say `@gpu(...)`, `asInContext` returns",
      'the same array and `copyto` a new one (true, false), and `(z + 2).exp() * y` is',
      '`[ 20.085537 109.1963   445.2395  ]` as in the book (tested). The Dense(1) output is its one',
      'random weight times 1, 2 and 3.',
    ],
  },
  {
    file: 'conv-layer.ts',
    notes: [
      "The arrays of `corr2d` and of the edge detection equal the book's character for character (the",
      'chapter-5 examples test compares them). The book, with no seed, prints the losses 4.949, 0.831,',
      '0.140, 0.024, 0.004 at steps 2 to 10 and the learned kernel [[0.9895, -0.9873705]]. The first',
      'loss depends on the random initial weight (Uniform(-0.07, 0.07)): with `--seed 1`, 2 and 3 ours',
      "starts at 5.178, 5.106 and 4.689, then falls about six-fold every two steps as the book's does,",
      'to 0.004-0.005 at step 10. The test checks that the losses fall, that the last is below 0.05',
      'and that the kernel lands within 0.05 of [1, -1].',
    ],
  },
  {
    file: 'padding-and-strides.ts',
    notes: [
      'The book prints the shapes (8, 8), (8, 8), (4, 4) and (2, 2); ours prints the same (tested',
      'exactly). They follow floor((n + 2p - k) / s) + 1 on each axis.',
    ],
  },
  {
    file: 'channels.ts',
    notes: [
      'The arrays [[56, 72], [104, 120]] and the three output channels, and the kernel shape',
      "(3, 2, 2, 2), equal the book's character for character (tested). The last line is",
      "JavaScript's `true` where Python prints `True`.",
    ],
  },
  {
    file: 'pooling.ts',
    notes: [
      "All seven arrays equal the book's character for character (tested), including the padded",
      'windows: MXNet pads max pooling with the lowest value, so a window that covers only padding',
      'and one element returns that element (0 and 3 in the first row of the non-square case).',
    ],
  },
  {
    file: 'lenet.ts',
    book: { epoch1: '2.3202 / 0.102 / 0.100', epoch5: '0.6704 / 0.733 / 0.754' },
    band: 'loss 0.58-0.76, train acc 0.71-0.77, test acc 0.69-0.80',
    notes: [
      "The layer names and shapes equal the book's (tested exactly). The book runs on a GPU and prints",
      '`training on gpu(0)` and `gpu(0)` for `try_gpu()`; here there is no GPU backend, so both say',
      '`cpu(0)`. Sigmoid LeNet at learning rate 0.9 sits at chance (loss 2.32, accuracy 0.10) through',
      'epoch 1, in the book and here, and leaves the plateau during epoch 2. Seeded full runs here',
      '(loss / train acc / test acc):',
      '',
      '| seed | epoch 1 | epoch 5 |',
      '|---|---|---|',
      '| 1 | 2.3197 / 0.102 / 0.100 | 0.6852 / 0.730 / 0.726 |',
      '| 2 | 2.3200 / 0.103 / 0.100 | 0.6372 / 0.749 / 0.761 |',
      '| 3 | 2.3201 / 0.101 / 0.100 | 0.6399 / 0.744 / 0.764 |',
      '| 4 | 2.3183 / 0.101 / 0.153 | 0.6545 / 0.742 / 0.753 |',
      '',
      'The band (loss 0.58-0.76, train acc 0.71-0.77, test acc 0.69-0.80) comes from these runs with',
      'room around them; the examples test checks the recorded run below against it. Loss and train',
      'accuracy agree to a few hundredths between seeds; test accuracy moves more.',
      '',
      'The recorded run below was made on an otherwise idle 2-core machine: 15.5-16.8 s per epoch,',
      'training and both accuracy passes included (a training step is about 73 ms on one thread;',
      '`npm run bench` measures it against PyTorch, see docs/performance.md). The epoch-5 numbers of',
      'seed 1 are the same as in the table: the run is repeatable under a seed.',
    ],
  },
  {
    file: 'alexnet.ts',
    notes: [
      "Before training, the example prints these lines, the book's names and shapes (compared exactly",
      'by examples/cnn-examples.test.ts):',
      '',
      '```text',
      'conv0 output shape:\t (1, 96, 54, 54)',
      'pool0 output shape:\t (1, 96, 26, 26)',
      'conv1 output shape:\t (1, 256, 26, 26)',
      'pool1 output shape:\t (1, 256, 12, 12)',
      'conv2 output shape:\t (1, 384, 12, 12)',
      'conv3 output shape:\t (1, 384, 12, 12)',
      'conv4 output shape:\t (1, 256, 12, 12)',
      'pool2 output shape:\t (1, 256, 5, 5)',
      'dense0 output shape:\t (1, 4096)',
      'dropout0 output shape:\t (1, 4096)',
      'dense1 output shape:\t (1, 4096)',
      'dropout1 output shape:\t (1, 4096)',
      'dense2 output shape:\t (1, 10)',
      '```',
      '',
      'The book trains on a GPU, 66 s per epoch at batch 128, from 1.3032 / 0.509 / 0.750 at epoch 1 to',
      '0.4256 / 0.845 / 0.867 at epoch 5 (loss / train acc / test acc).',
      '',
      ...batchTimingNotes({
        name: 'alexnet',
        batchSize: 128,
        size: '224x224',
        first: [307.87, 36.36],
        testPass: [119.32, 12.82],
        load: '16-23',
        peakGb: 3.4,
        idle16: 13.0,
      }),
    ],
  },
  {
    file: 'vgg.ts',
    notes: [
      "Before training, the example prints these lines, the book's names and shapes (compared exactly",
      'by examples/cnn-examples.test.ts):',
      '',
      '```text',
      'sequential1 output shape:\t (1, 64, 112, 112)',
      'sequential2 output shape:\t (1, 128, 56, 56)',
      'sequential3 output shape:\t (1, 256, 28, 28)',
      'sequential4 output shape:\t (1, 512, 14, 14)',
      'sequential5 output shape:\t (1, 512, 7, 7)',
      'dense0 output shape:\t (1, 4096)',
      'dropout0 output shape:\t (1, 4096)',
      'dense1 output shape:\t (1, 4096)',
      'dropout1 output shape:\t (1, 4096)',
      'dense2 output shape:\t (1, 10)',
      '```',
      '',
      'The book trains on a GPU, 135 s per epoch at batch 128, from 0.9395 / 0.658 / 0.833 at epoch 1 to',
      '0.2649 / 0.902 / 0.909 at epoch 5 (loss / train acc / test acc).',
      '',
      ...batchTimingNotes({
        name: 'vgg',
        batchSize: 128,
        size: '224x224',
        first: [117.05, 29.14],
        testPass: [27.68, 9.75],
        load: '16-23',
        peakGb: 8.7,
        idle16: 15.4,
      }),
      '',
      "At batch 128 VGG's 224x224 activations need most of the 8.7 GB: a first attempt, run beside",
      "AlexNet's measurement, was stopped when the machine's free memory fell below 2 GB (its batch had",
      'taken the same 29.2 CPU-seconds). With less memory, `--batch-size 64` roughly halves it.',
      '',
      'The shapes are those of the full VGG-11; the trained network has a quarter of its channels',
      '(`ratio = 4`), as in the book.',
    ],
  },
  {
    file: 'nin.ts',
    notes: [
      "Before training, the example prints these lines, the book's names and shapes (compared exactly",
      'by examples/cnn-examples.test.ts):',
      '',
      '```text',
      'sequential1 output shape:\t (1, 96, 54, 54)',
      'pool0 output shape:\t (1, 96, 26, 26)',
      'sequential2 output shape:\t (1, 256, 26, 26)',
      'pool1 output shape:\t (1, 256, 12, 12)',
      'sequential3 output shape:\t (1, 384, 12, 12)',
      'pool2 output shape:\t (1, 384, 5, 5)',
      'dropout0 output shape:\t (1, 384, 5, 5)',
      'sequential4 output shape:\t (1, 10, 5, 5)',
      'pool3 output shape:\t (1, 10, 1, 1)',
      'flatten0 output shape:\t (1, 10)',
      '```',
      '',
      'The book trains on a GPU, 96 s per epoch at batch 128, from 2.2616 / 0.180 / 0.210 at epoch 1 to',
      '0.5713 / 0.791 / 0.812 at epoch 5 (loss / train acc / test acc).',
      '',
      ...batchTimingNotes({
        name: 'nin',
        batchSize: 128,
        size: '224x224',
        first: [271.06, 35.74],
        testPass: [51.54, 11.66],
        load: '16-24',
        peakGb: 5.8,
        idle16: 8.9,
      }),
      '',
      "The global average pooling layer prints as `pool3`: Gluon's pooling layers share one name counter,",
      'and ours do too.',
    ],
  },
  {
    file: 'googlenet.ts',
    notes: [
      "Before training, the example prints these lines, the book's names and shapes (compared exactly",
      'by examples/cnn-examples.test.ts):',
      '',
      '```text',
      'sequential0 output shape:\t (1, 64, 24, 24)',
      'sequential1 output shape:\t (1, 192, 12, 12)',
      'sequential2 output shape:\t (1, 480, 6, 6)',
      'sequential3 output shape:\t (1, 832, 3, 3)',
      'sequential4 output shape:\t (1, 1024, 1, 1)',
      'dense0 output shape:\t (1, 10)',
      '```',
      '',
      'The book trains on a GPU, 74 s per epoch at batch 128, from 2.0176 / 0.264 / 0.597 at epoch 1 to',
      '0.3376 / 0.872 / 0.883 at epoch 5 (loss / train acc / test acc).',
      '',
      ...batchTimingNotes({
        name: 'googlenet',
        batchSize: 128,
        size: '96x96',
        first: [187.38, 22.97],
        testPass: [60.79, 8.52],
        load: '16-24',
        peakGb: 1.8,
        idle16: 8.7,
      }),
      '',
      'The modules print as `sequential0` to `sequential4` because they are built before the outer',
      '`nn.Sequential`, which is `sequential5`.',
    ],
  },
  {
    file: 'batch-norm.ts',
    notes: [
      "The book trains the hand-written version, then Gluon's, both for 5 epochs at learning rate 1.0",
      'and batch 256 (loss / train acc / test acc; the book runs on a GPU with no fixed seed):',
      '',
      '| training | epoch | book | minimx (`--seed 1`) |',
      '|---|---|---|---|',
      '| hand-written `BatchNorm` | 1 | 0.6517 / 0.768 / 0.776 | 0.6289 / 0.778 / 0.835 |',
      '| hand-written `BatchNorm` | 2 | 0.3935 / 0.858 / 0.819 | 0.3912 / 0.859 / 0.823 |',
      '| hand-written `BatchNorm` | 3 | 0.3444 / 0.875 / 0.840 | 0.3487 / 0.873 / 0.860 |',
      '| hand-written `BatchNorm` | 4 | 0.3213 / 0.884 / 0.862 | 0.3195 / 0.884 / 0.841 |',
      '| hand-written `BatchNorm` | 5 | 0.3051 / 0.890 / 0.870 | 0.3011 / 0.890 / 0.851 |',
      '| `nn.BatchNorm` | 1 | 0.6395 / 0.775 / 0.778 | 0.6336 / 0.773 / 0.816 |',
      '| `nn.BatchNorm` | 2 | 0.4005 / 0.855 / 0.837 | 0.3918 / 0.858 / 0.855 |',
      '| `nn.BatchNorm` | 3 | 0.3592 / 0.869 / 0.872 | 0.3456 / 0.875 / 0.849 |',
      '| `nn.BatchNorm` | 4 | 0.3283 / 0.881 / 0.884 | 0.3182 / 0.884 / 0.875 |',
      '| `nn.BatchNorm` | 5 | 0.3071 / 0.889 / 0.881 | 0.3014 / 0.890 / 0.866 |',
      '',
      'The band a 5-epoch run must land in, for either training: loss 0.27-0.34, train acc 0.87-0.91, test acc 0.82-0.90.',
      'Seeded full runs here, epoch 5 (loss / train acc / test acc):',
      '',
      '| seed | hand-written `BatchNorm` | `nn.BatchNorm` |',
      '|---|---|---|',
      '| 1 (recorded below) | 0.3011 / 0.890 / 0.851 | 0.3014 / 0.890 / 0.866 |',
      '| 2 | 0.2963 / 0.892 / 0.860 | 0.2974 / 0.892 / 0.867 |',
      '| 3 | 0.2986 / 0.891 / 0.851 | 0.3001 / 0.890 / 0.867 |',
      '',
      "The band comes from these six trainings and the book's two, with room around them: loss and train",
      "accuracy agree to 0.01 between seeds and land within 0.011 of the book's, while the test accuracy",
      "of one epoch swings by points (seed 3's hand-written training read 0.715 at epoch 4 and 0.851 at",
      'epoch 5). examples/cnn-examples.test.ts checks the recorded run against it.',
      '',
      "Both versions leave LeNet's plateau at once: after one epoch they are where the plain LeNet of",
      '5.5 is after five. The learned `gamma` and `beta` of the first layer depend on the run (the',
      "book's gamma runs from 1.06 to 2.12, its beta from -1.97 to 1.25).",
      '',
      "The runs were made with `nice -n 19` while other jobs shared the machine's 2 cores (load average",
      "from 1 at the start of seed 1's run to 43, mostly 15-25), so their epoch times (50-579 s) say",
      'little about the speed; an idle machine runs the plain LeNet of 5.5 in 16 s per epoch.',
    ],
  },
  {
    file: 'resnet.ts',
    notes: [
      "Before training, the example prints these lines, the book's names and shapes (compared exactly",
      'by examples/cnn-examples.test.ts):',
      '',
      '```text',
      '(4, 3, 6, 6)',
      '(4, 6, 3, 3)',
      'conv5 output shape:\t (1, 64, 112, 112)',
      'batchnorm4 output shape:\t (1, 64, 112, 112)',
      'relu0 output shape:\t (1, 64, 112, 112)',
      'pool0 output shape:\t (1, 64, 56, 56)',
      'sequential1 output shape:\t (1, 64, 56, 56)',
      'sequential2 output shape:\t (1, 128, 28, 28)',
      'sequential3 output shape:\t (1, 256, 14, 14)',
      'sequential4 output shape:\t (1, 512, 7, 7)',
      'pool1 output shape:\t (1, 512, 1, 1)',
      'dense0 output shape:\t (1, 10)',
      '```',
      '',
      'The book trains on a GPU, 57 s per epoch at batch 256, from 0.4856 / 0.828 / 0.894 at epoch 1 to',
      '0.1093 / 0.961 / 0.913 at epoch 5 (loss / train acc / test acc).',
      '',
      ...batchTimingNotes({
        name: 'resnet',
        batchSize: 256,
        size: '96x96',
        first: [143.88, 35.84],
        second: [167.12, 35.05],
        testPass: [117.09, 22.82],
        load: '14-24',
        peakGb: 2.8,
        idle16: 7.4,
      }),
      '',
      'The book walks the network at 224x224 (shapes above) but trains at 96x96. The first layers',
      'are `conv5` and `batchnorm4` because the two residual blocks built before them took the earlier',
      "names, and `nn.Activation('relu')` is named `relu0`, as in Gluon.",
    ],
  },
  {
    file: 'densenet.ts',
    notes: [
      "Before training, the example prints these lines, the book's names and shapes (compared exactly",
      'by examples/cnn-examples.test.ts):',
      '',
      '```text',
      '(4, 23, 8, 8)',
      '(4, 10, 4, 4)',
      '```',
      '',
      'The book trains on a GPU, 60 s per epoch at batch 256, from 0.5374 / 0.809 / 0.867 at epoch 1 to',
      '0.2100 / 0.923 / 0.879 at epoch 5 (loss / train acc / test acc).',
      '',
      ...batchTimingNotes({
        name: 'densenet',
        batchSize: 256,
        size: '96x96',
        first: [189.57, 37.98],
        second: [324.72, 43.32],
        testPass: [117.02, 26.91],
        load: '17-43',
        peakGb: 6.7,
        idle16: 6.0,
      }),
      '',
      'The book prints only the two block shapes (4, 23, 8, 8) and (4, 10, 4, 4); ours prints the same.',
    ],
  },
];

/** What `--batch-times` measured for a large chapter-5 network at the book's batch size. */
interface BatchTiming {
  /** The example, e.g. 'resnet'. */
  name: string;
  /** The book's batch size and image size. */
  batchSize: number;
  size: string;
  /** Seconds and CPU-seconds of the first training batch (warm-up included) and of the second, if run. */
  first: [number, number];
  second?: [number, number];
  /** Seconds and CPU-seconds of the test pass (as many batches as training batches). */
  testPass: [number, number];
  /** The load average while it ran, and the run's peak resident memory in GB. */
  load: string;
  peakGb: number;
  /** Seconds for 2 training and 2 test batches of 16 on an idle machine (an earlier measurement). */
  idle16: number;
}

/** Seconds as minutes below 1.5 h, else hours with one decimal. */
function hours(seconds: number): string {
  return seconds >= 5400 ? `${(seconds / 3600).toFixed(1)} h` : `${Math.round(seconds / 60)} min`;
}

/**
 * The paragraph of a large network's page on its speed: the measured seconds per batch at the
 * book's batch size and the epoch they imply (60000 training and 10000 test images).
 */
function batchTimingNotes(t: BatchTiming): string[] {
  const batches = t.second ? 2 : 1;
  const trainBatches = Math.ceil(60000 / t.batchSize);
  const testBatches = Math.ceil(10000 / t.batchSize);
  const train = t.second ?? t.first;
  const test: [number, number] = [t.testPass[0] / batches, t.testPass[1] / batches];
  const cpu = trainBatches * train[1] + testBatches * test[1];
  const wall = trainBatches * train[0] + testBatches * test[0];
  const f = (x: number) => x.toFixed(1);
  /** Seconds per image and forward pass in the earlier idle run: 2 x 16 training images count 3 each. */
  const perImage = t.idle16 / (2 * 16 * 3 + 2 * 16);
  const measured = t.second
    ? `the second training batch of ${t.batchSize} images at ${t.size} took ${f(train[0])} s and ${f(train[1])} ` +
      `CPU-seconds (all threads of the process; the first, with the warm-up, ${f(t.first[0])} s and ` +
      `${f(t.first[1])} CPU-s), a test batch ${f(test[0])} s and ${f(test[1])} CPU-s.`
    : `the first training batch of ${t.batchSize} images at ${t.size} (warm-up included, which for ResNet and ` +
      `DenseNet cost about as much as a later batch) took ${f(train[0])} s and ${f(train[1])} CPU-seconds (all ` +
      `threads of the process), the test batch ${f(test[0])} s and ${f(test[1])} CPU-s.`;
  return [
    "No full run is recorded here: an epoch takes hours on this machine's 2 cores. Time per batch at the",
    `book's batch size, measured with \`nice -n 19 npx tsx examples/${t.name}.ts --epochs 1 --batches ${batches} ` +
      `--seed 1 --batch-times\` while other jobs kept the load average at ${t.load}: ${measured} ` +
      `An epoch is ${trainBatches} training and ${testBatches} test batches: ${hours(cpu)} of CPU time. An ` +
      'otherwise idle machine would need about that, or down to 1/1.7 of it as the one worker thread ' +
      'takes part of the large convolutions (1.3-1.7x, docs/performance.md): ' +
      `${hours(cpu / 1.7)} to ${hours(cpu)} per epoch; at the loaded wall times above, ${hours(wall)}. ` +
      `Peak memory of the run: ${f(t.peakGb)} GB. Earlier, on an idle machine, 2 training and 2 test ` +
      `batches of 16 images took ${f(t.idle16)} s in all (\`--batch-size 16\`); counting a training image as ` +
      `three forward passes, that is ${Math.round(3 * t.batchSize * perImage)} s per training batch of ${t.batchSize} and ` +
      `${hours(perImage * (3 * 60000 + 10000))} per epoch, in line with the CPU time. The examples test trains one batch of 4.`,
  ];
}

/** One docs page: the example file and, for the trainCh3 sections, the book's numbers. */
export interface PageSpec {
  file: string;
  /** The book's epoch 1 and epoch 5 lines as "loss / train acc / test acc" (from DESIGN.md). */
  book?: { epoch1: string; epoch5: string };
  /** The band a 5-epoch run must land in. */
  band?: string;
  /** What the book prints, in words, for sections without an epoch table. */
  notes?: string[];
}

/** A `// #region` block of a source file. */
export interface Region {
  title: string;
  /** The comment lines after the region line, without `// ` (the Gluon description). */
  description: string[];
  /** @minimx/d2l blocks named by a `// helpers:` line. */
  helpers: string[];
  /** The code of the block, dedented, without the description. */
  code: string;
}

/** The header and the blocks of a source file. */
export interface ParsedSource {
  title: string;
  header: string[];
  regions: Region[];
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

/**
 * Splits a source file into its header (the first doc comment) and its `// #region` blocks.
 * @example parseSource(fs.readFileSync('examples/mlp-scratch.ts', 'utf8')).regions.map((r) => r.title)
 */
export function parseSource(source: string, file = '<source>'): ParsedSource {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('/**'));
  const end = lines.findIndex((l, i) => i >= start && l.trim().endsWith('*/'));
  if (start < 0 || end < 0) throw new Error(`${file}: no header doc comment`);
  const header = lines
    .slice(start, end + 1)
    .map((l) =>
      l
        .trim()
        .replace(/^\/\*\*\s?/, '')
        .replace(/\s?\*\/$/, '')
        .replace(/^\*\s?/, ''),
    )
    .join('\n')
    .trim()
    .split('\n');
  const regions: Region[] = [];
  for (let i = end + 1; i < lines.length; i++) {
    const open = /^\s*\/\/ #region (.+)$/.exec(lines[i]);
    if (!open) continue;
    const close = lines.findIndex((l, k) => k > i && /^\s*\/\/ #endregion/.test(l));
    if (close < 0) throw new Error(`${file}:${i + 1}: #region "${open[1]}" has no #endregion`);
    const body = lines.slice(i + 1, close);
    let k = 0;
    const description: string[] = [];
    const helpers: string[] = [];
    for (; k < body.length && /^\s*\/\/( |$)/.test(body[k]); k++) {
      const text = body[k].trim().replace(/^\/\/ ?/, '');
      const helper = /^helpers: (.+)$/.exec(text);
      if (helper) helpers.push(...helper[1].split(/\s+/));
      else description.push(text);
    }
    regions.push({
      title: open[1].trim(),
      description,
      helpers,
      code: dedent(body.slice(k)).join('\n').trim(),
    });
    i = close;
  }
  return { title: header[0], header: header.slice(1), regions };
}

/** The epoch lines of a results file, parsed. */
export function epochLines(results: string): { epoch: number; text: string }[] {
  return results
    .split('\n')
    .map((l) =>
      /^epoch (\d+), loss [\d.]+, train acc [\d.]+, test acc [\d.]+(, time [\d.]+ sec)?$/.exec(l.trim()),
    )
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ epoch: Number(m[1]), text: m[0] }));
}

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;

/**
 * The line linking a page to its notebook (notebooks/<name>.ipynb), when there is one; a notebook
 * with a "## A short run" cell (the large networks of chapter 5) was committed from a short run.
 */
const notebookLink = (name: string): string[] => {
  const file = path.join(REPO_DIR, 'notebooks', `${name}.ipynb`);
  if (!fs.existsSync(file)) return [];
  const short = fs.readFileSync(file, 'utf8').includes('"## A short run\\n"');
  return [
    '',
    `Notebook: [notebooks/${name}.ipynb](../../notebooks/${name}.ipynb), the same blocks as a TypeScript`,
    short
      ? 'Jupyter notebook with the outputs of a short run, a few batches ([how to open it](../../notebooks/README.md)).'
      : 'Jupyter notebook with the outputs of a full run ([how to open it](../../notebooks/README.md)).',
  ];
};

function numbers(line: string): string {
  const m = /loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+)/.exec(line);
  return m ? `${m[1]} / ${m[2]} / ${m[3]}` : line;
}

/** A `// #region` block of @minimx/d2l and the file it is in (relative to packages/d2l/src). */
export interface HelperBlock {
  file: string;
  region: Region;
}

/**
 * The `// #region` blocks of @minimx/d2l's sources (not its tests), by region title.
 * @example d2lHelpers().get('trainCh3')?.file // 'train.ts'
 */
export function d2lHelpers(dir = D2L_SRC_DIR): Map<string, HelperBlock> {
  const helpers = new Map<string, HelperBlock>();
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    for (const region of parseSource(fs.readFileSync(path.join(dir, file), 'utf8'), file).regions) {
      helpers.set(region.title, { file, region });
    }
  }
  return helpers;
}

/**
 * The markdown of one page, from the example's source, the d2l helpers' blocks and the results file.
 * @example renderPage(PAGES[3], exampleSource, d2lHelpers(), resultsText)
 */
export function renderPage(
  spec: PageSpec,
  source: string,
  helpers: ReadonlyMap<string, HelperBlock>,
  results: string | null,
): string {
  const parsed = parseSource(source, spec.file);
  const name = spec.file.replace(/\.ts$/, '');
  const out: string[] = [
    `<!-- Generated by examples/gen-docs.ts from examples/${spec.file}; do not edit by hand. -->`,
    '',
    `# ${parsed.title}`,
    '',
    parsed.header.join('\n').trim(),
    '',
    `Source: [examples/${spec.file}](../../examples/${spec.file}). Run it from the repository root:`,
    '',
    fence('sh', `npx tsx examples/${spec.file}`),
    '',
    'Each block below says what the Gluon code of the book does (read it in the book, section and',
    'calls named) and shows our code, copied from the example file.',
  ];
  out.push(...notebookLink(name));
  for (const region of parsed.regions) {
    out.push('', `## ${region.title}`, '');
    if (region.description.length) out.push(`**Gluon:** ${region.description.join(' ').trim()}`, '');
    if (region.code) out.push('**minimx:**', '', fence('ts', region.code));
    for (const h of region.helpers) {
      const helper = helpers.get(h);
      if (!helper) {
        throw new Error(
          `${spec.file}: region "${region.title}" names helper "${h}", not a region of packages/d2l/src`,
        );
      }
      const src = `packages/d2l/src/${helper.file}`;
      out.push('', `In [${src}](../../${src}) (\`d2l.${h}\`):`, '', fence('ts', helper.region.code));
    }
  }
  out.push('', '## Results', '');
  if (spec.book) {
    out.push(
      'The book prints (MXNet edition, batch 256, no fixed seed) and our run below printed, as',
      '"loss / train acc / test acc":',
      '',
    );
    const ours = results ? epochLines(results) : [];
    const ours1 = ours.find((l) => l.epoch === 1);
    const ours5 = ours.find((l) => l.epoch === 5);
    out.push(
      '| epoch | book | minimx |',
      '|---|---|---|',
      `| 1 | ${spec.book.epoch1} | ${ours1 ? numbers(ours1.text) : '(not run yet)'} |`,
      `| 5 | ${spec.book.epoch5} | ${ours5 ? numbers(ours5.text) : '(not run yet)'} |`,
      '',
      `The band a 5-epoch run must land in: ${spec.band}. Loss and train accuracy are stable from run`,
      'to run; the test accuracy of a single epoch swings by points.',
      '',
    );
  }
  if (spec.notes) out.push(spec.notes.join('\n'), '');
  if (results) {
    out.push(
      `What our full run printed ([examples/results/${name}.txt](../../examples/results/${name}.txt)):`,
      '',
    );
    out.push(fence('text', results.trimEnd()));
  } else {
    out.push('No full run recorded yet.');
  }
  return `${out.join('\n')}\n`;
}

/** The index page, linking every section. */
export function renderIndex(sources: Map<string, string>): string {
  const out = [
    '<!-- Generated by examples/gen-docs.ts; do not edit by hand. -->',
    '',
    '# d2l chapters 3 to 5 in minimx',
    '',
    'One page per runnable section of "Dive into Deep Learning" (MXNet edition), chapters 3 to 5: what the',
    "book's Gluon code does, block by block, beside our TypeScript, and what our runs printed next to",
    "the book's numbers. Every example runs from the repository root after `npm ci`, and takes",
    '`--epochs N`, `--seed N`, `--batches N` (stop each pass after N batches) and `--out DIR` (pictures,',
    'default `out/`); the chapter-5 networks also take `--batch-size N`, and `--batch-times` writes each',
    "training batch's and test pass's seconds (and CPU-seconds) to stderr.",
    '',
    '| section | page | command |',
    '|---|---|---|',
  ];
  for (const spec of PAGES) {
    const parsed = parseSource(sources.get(spec.file)!, spec.file);
    const name = spec.file.replace(/\.ts$/, '');
    out.push(`| ${parsed.title} | [${name}](${name}.md) | \`npx tsx examples/${spec.file}\` |`);
  }
  out.push(
    '',
    'The `d2lzh` helpers the chapter saves for later (`loadDataFashionMnist`, `trainCh3`, `sgd`, ...) live',
    'in the [`@minimx/d2l`](../../packages/d2l/README.md) package (also `minimx/d2l`), which the examples',
    'import as the book imports `d2lzh as d2l`; see also the d2l rows of [../mxnet-mapping.md](../mxnet-mapping.md).',
    '',
    'The same sections (and chapter 2, ndarray and autograd) are TypeScript Jupyter notebooks with the',
    'outputs of a full run (a short run of a few batches for the large networks of 5.6-5.12, whose',
    'epochs take hours on a CPU), generated from the same example files:',
    '[notebooks/](../../notebooks/README.md).',
  );
  return `${out.join('\n')}\n`;
}

/**
 * Every page of docs/d2l/ as `file name -> markdown`, computed from the example files.
 * @example for (const [name, text] of generateDocs()) fs.writeFileSync(path.join(DOCS_DIR, name), text);
 */
export function generateDocs(): Map<string, string> {
  const read = (f: string) => fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8');
  const helpers = d2lHelpers();
  const sources = new Map(PAGES.map((p) => [p.file, read(p.file)]));
  const pages = new Map<string, string>();
  for (const spec of PAGES) {
    const name = spec.file.replace(/\.ts$/, '');
    const resultsFile = path.join(EXAMPLES_DIR, 'results', `${name}.txt`);
    const results = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : null;
    pages.set(`${name}.md`, renderPage(spec, sources.get(spec.file)!, helpers, results));
  }
  pages.set('README.md', renderIndex(sources));
  return pages;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  fs.mkdirSync(DOCS_DIR, { recursive: true });
  for (const [name, text] of generateDocs()) {
    fs.writeFileSync(path.join(DOCS_DIR, name), text);
    console.log(`wrote docs/d2l/${name}`);
  }
}
