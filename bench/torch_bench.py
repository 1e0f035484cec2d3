"""Optional PyTorch comparison for `npm run bench` (run by run.ts only when `import torch` works).

Trains d2l's scratch softmax regression, scratch MLP and LeNet (5.5) exactly as the TypeScript workers do
(bench/workers/*-train.ts): the same initial weights and batch order from the same seeded
generator (mulberry32 + Box-Muller, see bench/rng.ts), batch 256, `param -= lr * grad / 256`,
one CPU thread. LeNet uses torch.nn's Conv2d, MaxPool2d and Linear with the same Xavier weights
(bench/training.ts `lenetParams`). Or, with `--micro`, times `torch.mm` on the shapes run.ts
passes, and with `--conv` the convolution layers of bench/conv.ts (forward, data and filter
gradients). Reports one JSON line per result, prefixed with `@@bench ` (see bench/protocol.ts).

    python3 bench/torch_bench.py --model lenet --epochs 3 [--batches 20] [--seed 42]
    python3 bench/torch_bench.py --model mlp --api nn   # F.linear + F.cross_entropy (d2l 3.7 / 3.10)
    python3 bench/torch_bench.py --micro --shapes '[{"label": ..., "m": 256, ...}]'
    python3 bench/torch_bench.py --conv
"""
import argparse
import gzip
import json
import math
import os
import resource
import time

# One thread everywhere: torch.set_num_threads covers PyTorch's own pool, but Debian's torch calls
# the system BLAS, and OpenBLAS (libopenblas0-pthread) starts one thread per core unless told here,
# before it is loaded (a LeNet epoch measured 23.6 CPU-seconds in 14.5 s of wall clock without it).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
BATCH_SIZE = 256
IMAGE_SIZE = 784
WORKLOADS = {"softmax": (0.1, None), "mlp": (0.5, 256), "lenet": (0.9, None)}
LENET_LAYERS = [("conv0", (6, 1, 5, 5)), ("conv1", (16, 6, 5, 5)), ("dense0", (120, 256)), ("dense1", (84, 120)), ("dense2", (10, 84))]
# bench/conv.ts CONV_SHAPES: label, batch, in channels, size, out channels, kernel, stride, pad
CONV_SHAPES = [
    ("LeNet conv1 1->6 28x28 k5", 256, 1, 28, 6, 5, 1, 0),
    ("LeNet conv2 6->16 12x12 k5", 256, 6, 12, 16, 5, 1, 0),
    ("ResNet-18 stage 64->64 24x24 k3 p1 (batch 32)", 32, 64, 24, 64, 3, 1, 1),
]
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


class Rng:
    """bench/rng.ts in Python: mulberry32 uniforms, Box-Muller normals, Fisher-Yates permutations."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF
        self.spare = None

    def uniform(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    def normal(self):
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        u = 1 - self.uniform()
        v = self.uniform()
        r = math.sqrt(-2 * math.log(u))
        self.spare = r * math.sin(2 * math.pi * v)
        return r * math.cos(2 * math.pi * v)

    def normal_array(self, n, scale):
        return np.array([scale * self.normal() for _ in range(n)], dtype=np.float64).astype(np.float32)

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = math.floor(self.uniform() * (i + 1))
            p[i], p[j] = p[j], p[i]
        return np.array(p, dtype=np.int64)


def read_idx(path, rank):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    if raw[2] != 8 or raw[3] != rank or len(raw) - 4 - 4 * rank != math.prod(dims):
        raise ValueError(f"{path}: not a uint8 IDX file of rank {rank}")
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_split(root, prefix):
    images = read_idx(os.path.join(root, f"{prefix}-images-idx3-ubyte.gz"), 3)
    labels = read_idx(os.path.join(root, f"{prefix}-labels-idx1-ubyte.gz"), 1)
    x = (images.reshape(-1, IMAGE_SIZE).astype(np.float64) / 255).astype(np.float32)
    return x, labels.astype(np.int64)


def lenet_params(rng):
    """bench/training.ts lenetParams: Xavier-uniform weights in Gluon's layout, zero biases."""
    params = []
    for _, shape in LENET_LAYERS:
        field = math.prod(shape[2:])
        a = math.sqrt(6 / ((shape[0] + shape[1]) * field))
        n = math.prod(shape)
        data = np.array([(2 * rng.uniform() - 1) * a for _ in range(n)], dtype=np.float64).astype(np.float32)
        params.append(torch.from_numpy(data.reshape(shape)).requires_grad_())
        params.append(torch.zeros(shape[0], requires_grad=True))
    return params


def initial_params(model, seed):
    rng = Rng(seed)
    if model == "lenet":
        return lenet_params(rng)
    hidden = WORKLOADS[model][1]
    if hidden is None:
        shapes = [(IMAGE_SIZE, 10), (10,)]
    else:
        shapes = [(IMAGE_SIZE, hidden), (hidden,), (hidden, 10), (10,)]
    params = []
    for shape in shapes:
        n = math.prod(shape)
        data = rng.normal_array(n, 0.01) if len(shape) == 2 else np.zeros(n, dtype=np.float32)
        params.append(torch.from_numpy(data.reshape(shape)).requires_grad_())
    return params


def make_net(model, params):
    if model == "lenet":
        F = torch.nn.functional
        c0w, c0b, c1w, c1b, d0w, d0b, d1w, d1b, d2w, d2b = params

        def lenet(X):
            X = X.view(-1, 1, 28, 28)
            h = F.max_pool2d(torch.sigmoid(F.conv2d(X, c0w, c0b)), 2, 2)
            h = F.max_pool2d(torch.sigmoid(F.conv2d(h, c1w, c1b)), 2, 2)
            h = torch.sigmoid(F.linear(h.flatten(1), d0w, d0b))
            h = torch.sigmoid(F.linear(h, d1w, d1b))
            return F.linear(h, d2w, d2b)

        def lenet_loss(X, y):
            O = lenet(X)
            return F.cross_entropy(O, y, reduction="sum"), O

        return lenet_loss, lenet
    if model == "softmax":
        W, b = params

        def loss_fn(X, y):
            O = X @ W + b
            e = O.exp()
            y_hat = e / e.sum(1, keepdim=True)
            return -y_hat.gather(1, y.view(-1, 1)).log().sum(), O

        return loss_fn, lambda X: X @ W + b
    W1, b1, W2, b2 = params

    def net(X):
        return torch.relu(X @ W1 + b1) @ W2 + b2

    def loss_fn(X, y):
        O = net(X)
        return torch.nn.functional.cross_entropy(O, y, reduction="sum"), O

    return loss_fn, net


def make_nn_net(params):
    """d2l 3.7 / 3.10 the torch.nn way: F.linear layers (weights (out, in)) and F.cross_entropy."""
    F = torch.nn.functional
    layers = [(params[i], params[i + 1]) for i in range(0, len(params), 2)]

    def net(X):
        h = X
        for i, (w, b) in enumerate(layers):
            h = F.linear(h, w, b)
            if i < len(layers) - 1:
                h = torch.relu(h)
        return h

    def loss_fn(X, y):
        O = net(X)
        return F.cross_entropy(O, y, reduction="sum"), O

    return loss_fn, net


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE_MB


def emit(record):
    print("@@bench " + json.dumps(record, allow_nan=False), flush=True)


def train(args):
    root = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
    x_train, y_train = load_split(root, "train")
    x_test, y_test = load_split(root, "t10k")
    data_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lr = WORKLOADS[args.model][0]
    params = initial_params(args.model, args.seed)
    if args.api == "nn" and args.model != "lenet":
        # torch.nn's layout, as minimx's Gluon run holds it: Linear weights (out, in).
        params = [p.detach().t().contiguous().requires_grad_() if p.dim() == 2 else p for p in params]
        loss_fn, net = make_nn_net(params)
    else:
        loss_fn, net = make_net(args.model, params)
    order_rng = Rng(args.seed + 1)
    n = len(y_train)
    total = math.ceil(n / BATCH_SIZE)
    limit = min(args.batches, total) if args.batches > 0 else total
    epochs, train_peak = [], rss_mb()
    for epoch in range(1, args.epochs + 1):
        order = order_rng.permutation(n)
        loss_sum = correct = samples = 0
        step = first_step = assembly = cpu = first_cpu = 0.0
        epoch_peak = 0.0
        start = time.perf_counter()
        for batch in range(limit):
            t0 = time.perf_counter()
            idx = order[batch * BATCH_SIZE : (batch + 1) * BATCH_SIZE]
            X, y = torch.from_numpy(x_train[idx]), torch.from_numpy(y_train[idx])
            t1 = time.perf_counter()
            c1 = time.process_time()
            loss, O = loss_fn(X, y)
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= lr * p.grad / BATCH_SIZE
                    p.grad.zero_()
            loss_sum += loss.item()
            correct += (O.argmax(1) == y).sum().item()
            samples += len(idx)
            t2 = time.perf_counter()
            step_cpu = time.process_time() - c1
            cpu += step_cpu
            if batch == 0:
                first_cpu = step_cpu
            assembly += t1 - t0
            step += t2 - t1
            if batch == 0:
                first_step = t2 - t1
            epoch_peak = max(epoch_peak, rss_mb())
        train_peak = max(train_peak, epoch_peak)
        wall = time.perf_counter() - start
        capped = limit < total
        # Same rules as bench/training.ts: steps only; a capped epoch extrapolated from the steps after the first.
        if capped:
            seconds = ((step - first_step) / (limit - 1) if limit > 1 else step / limit) * total
            cpu = ((cpu - first_cpu) / (limit - 1) if limit > 1 else cpu / limit) * total
            assembly, wall = assembly / limit * total, wall / limit * total
        else:
            seconds = step
        eval_start = time.perf_counter()
        test_acc = None
        if not capped:
            with torch.no_grad():
                hits = sum(
                    (net(torch.from_numpy(x_test[i : i + BATCH_SIZE])).argmax(1) == torch.from_numpy(y_test[i : i + BATCH_SIZE])).sum().item()
                    for i in range(0, len(y_test), BATCH_SIZE)
                )
            test_acc = hits / len(y_test)
        r = {
            "epoch": epoch, "seconds": seconds, "assemblySeconds": assembly, "wallSeconds": wall, "evalSeconds": 0 if capped else time.perf_counter() - eval_start,
            "loss": loss_sum / samples, "trainAcc": correct / samples, "testAcc": test_acc,
            "batches": limit, "totalBatches": total, "peakRssMB": epoch_peak, "cpuSeconds": cpu,
        }
        test = "n/a" if test_acc is None else f"{test_acc:.3f}"
        print(f"[pytorch {args.model}] epoch {epoch}, loss {r['loss']:.4f}, train acc {r['trainAcc']:.3f}, test acc {test} ({seconds:.2f} s)", file=os.sys.stderr, flush=True)
        epochs.append(r)
    emit({
        "kind": "train", "framework": "pytorch", "backend": backend_name(), "model": args.model, "epochs": epochs,
        **({"api": "nn"} if args.api == "nn" and args.model != "lenet" else {}),
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "dataRssMB": data_rss,
        "trainingPeakRssMB": train_peak,
    })


def backend_name():
    blas = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    kind = "OpenBLAS" if "openblas" in blas else "BLIS" if "blis" in blas else "reference BLAS" if os.path.exists(blas) else "BLAS ?"
    return f"torch {torch.__version__.split('+')[0]} + {kind}, 1 thread"


def best_seconds(fn, budget):
    for _ in range(3):
        fn()
    calls, best, total = 1, math.inf, 0.0
    while total < budget:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        t = time.perf_counter() - start
        total += t
        best = min(best, t / calls)
        if t < budget / 10:
            calls *= 2
    return best


def conv(args):
    """GFLOP/s of conv2d forward, its data gradient and its filter gradient on bench/conv.ts's shapes."""
    budget = args.ms_per_shape / 1000
    for label, batch, cin, size, cout, k, stride, pad in CONV_SHAPES:
        x = torch.rand(batch, cin, size, size)
        w = torch.rand(cout, cin, k, k)
        y = torch.nn.functional.conv2d(x, w, stride=stride, padding=pad)
        dy = torch.rand_like(y)
        flops = 2 * batch * cout * y.shape[2] * y.shape[3] * cin * k * k
        passes = {
            "forward": lambda: torch.nn.functional.conv2d(x, w, stride=stride, padding=pad),
            "backward data": lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, stride=stride, padding=pad),
            "backward filter": lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, stride=stride, padding=pad),
        }
        with torch.no_grad():
            for name, fn in passes.items():
                gflops = flops / best_seconds(fn, budget) / 1e9
                emit({"kind": "conv", "framework": "pytorch", "backend": backend_name(), "label": label, "pass": name, "gflops": gflops})


def micro(args):
    for s in json.loads(args.shapes):
        a = torch.rand((s["k"], s["m"]) if s["transA"] else (s["m"], s["k"]))
        b = torch.rand((s["n"], s["k"]) if s["transB"] else (s["k"], s["n"]))
        fn = lambda: (a.t() if s["transA"] else a) @ (b.t() if s["transB"] else b)  # noqa: E731
        for _ in range(3):
            fn()
        calls, best, total = 1, math.inf, 0.0
        while total < args.ms_per_shape / 1000:
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            t = time.perf_counter() - start
            total += t
            best = min(best, t / calls)
            if t < args.ms_per_shape / 10000:
                calls *= 2
        gflops = 2 * s["m"] * s["n"] * s["k"] / best / 1e9
        emit({"kind": "matmul", "framework": "pytorch", "backend": backend_name(), **s, "gflops": gflops})
    a, b = torch.tensor([1.0]), torch.tensor([2.0])
    for _ in range(1000):
        torch.add(a, b)
    iterations = 100_000
    start = time.perf_counter()
    for _ in range(iterations):
        torch.add(a, b)
    us = (time.perf_counter() - start) * 1e6 / iterations
    emit({"kind": "overhead", "framework": "pytorch", "backend": backend_name(), "op": "add (1,)+(1,)", "microseconds": us})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["softmax", "mlp", "lenet"], default="softmax")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batches", type=int, default=0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--api", choices=["scratch", "nn"], default="scratch")
    parser.add_argument("--micro", action="store_true")
    parser.add_argument("--conv", action="store_true")
    parser.add_argument("--shapes", default="[]")
    parser.add_argument("--ms-per-shape", type=int, default=300)
    cli = parser.parse_args()
    conv(cli) if cli.conv else micro(cli) if cli.micro else train(cli)
