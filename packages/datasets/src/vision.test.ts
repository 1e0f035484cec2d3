import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataDir, defaultRoot, fetchFile, fileUrls, findLocalFile } from './cache.js';
import { MNIST_FILES, sha256Hex } from './checksum.js';
import { DataLoader } from './data-loader.js';
import { gunzip } from './gzip.js';
import { encodeIdx } from './idx.js';
import { fakeSpecs, fakeSplit, startServer, tempDir } from './testing/fixtures.js';
import { ToTensor } from './transforms.js';
import { FashionMNIST, MNIST } from './vision.js';

// A fake 'fashion-mnist' with 50 train / 20 test items, served by a local server under the Gluon layout.
const train = fakeSplit(50);
const test = fakeSplit(20);
const specs = fakeSpecs(50, 20);
const digest = (gz: Uint8Array) => sha256Hex(gunzip(gz));
const withDigests = {
  trainImages: { ...specs.trainImages, sha256: digest(train.images) },
  trainLabels: { ...specs.trainLabels, sha256: digest(train.labels) },
  testImages: { ...specs.testImages, sha256: digest(test.images) },
  testLabels: { ...specs.testLabels, sha256: digest(test.labels) },
};
class FakeFashion extends FashionMNIST {
  static override readonly namespace = 'fake-fashion';
  static override readonly files = withDigests;
}

const debian = '/usr/share/datasets/fashion-mnist';
let server: Awaited<ReturnType<typeof startServer>>;
const prefix = '/gluon/dataset/fake-fashion/';
const quiet = { retries: 2, retryDelayMs: 5, timeoutMs: 2000, progress: false };
let home: string;
let systemDir: string;
let logs: string[];
const saved = { home: process.env.MINIMX_HOME, repo: process.env.MINIMX_GLUON_REPO };

function writeFiles(dir: string, which: 'train' | 'test' | 'both' = 'both') {
  fs.mkdirSync(dir, { recursive: true });
  if (which !== 'test') {
    fs.writeFileSync(path.join(dir, specs.trainImages.name), train.images);
    fs.writeFileSync(path.join(dir, specs.trainLabels.name), train.labels);
  }
  if (which !== 'train') {
    fs.writeFileSync(path.join(dir, specs.testImages.name), test.images);
    fs.writeFileSync(path.join(dir, specs.testLabels.name), test.labels);
  }
}

beforeAll(async () => {
  server = await startServer(
    new Map([
      [`${prefix}${specs.trainImages.name}`, train.images],
      [`${prefix}${specs.trainLabels.name}`, train.labels],
      [`${prefix}${specs.testImages.name}`, test.images],
      [`${prefix}${specs.testLabels.name}`, test.labels],
    ]),
  );
});
afterAll(async () => {
  await server.close();
  process.env.MINIMX_HOME = saved.home;
  if (saved.repo === undefined) delete process.env.MINIMX_GLUON_REPO;
  else process.env.MINIMX_GLUON_REPO = saved.repo;
});
beforeEach(() => {
  home = tempDir();
  systemDir = path.join(tempDir(), 'fake-fashion');
  process.env.MINIMX_HOME = home;
  process.env.MINIMX_GLUON_REPO = server.url;
  server.faults.clear();
  server.hits.clear();
  logs = [];
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});
const opts = () => ({ systemDirs: [systemDir], log: (m: string) => logs.push(m), download: quiet });
const cacheDir = () => path.join(home, 'datasets', 'fake-fashion');

describe('where files come from', () => {
  it('MINIMX_HOME sets the cache folder; MINIMX_GLUON_REPO the mirror', () => {
    expect(dataDir()).toBe(home);
    expect(defaultRoot('fashion-mnist')).toBe(path.join(home, 'datasets', 'fashion-mnist'));
    expect(fileUrls('fashion-mnist', 'a.gz')).toEqual([`${server.url}gluon/dataset/fashion-mnist/a.gz`]);
    delete process.env.MINIMX_GLUON_REPO;
    expect(fileUrls('fashion-mnist', 'a.gz')).toEqual([
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/a.gz',
      'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/dataset/fashion-mnist/a.gz',
    ]);
  });

  it('cache first, then the system copy, then a download into the cache', async () => {
    writeFiles(cacheDir(), 'train');
    writeFiles(systemDir, 'test');
    const a = new FakeFashion({ train: true, ...opts() });
    expect(a.sources.from).toEqual(['cache', 'cache']);
    const b = new FakeFashion({ train: false, ...opts() });
    expect(b.sources.from).toEqual(['system', 'system']);
    expect(b.sources.images).toBe(path.join(systemDir, specs.testImages.name));
    fs.rmSync(systemDir, { recursive: true });
    const c = await FakeFashion.load({ train: false, ...opts() });
    expect(c.sources.from).toEqual(['download', 'download']);
    expect(c.sources.images).toBe(path.join(cacheDir(), specs.testImages.name));
    expect(fs.readdirSync(cacheDir()).sort()).toEqual(
      Object.values(specs)
        .map((s) => s.name)
        .sort(),
    );
    expect(server.hits.size).toBe(2);
    // Now cached: no more downloads.
    expect((await FakeFashion.load({ train: false, ...opts() })).sources.from).toEqual(['cache', 'cache']);
    expect(logs).toEqual([]);
  });

  it('a root given by the user is the cache folder', async () => {
    const root = path.join(tempDir(), 'my-data');
    const ds = await FakeFashion.load({ train: true, root, ...opts() });
    expect(ds.sources.images).toBe(path.join(root, specs.trainImages.name));
    expect(fs.existsSync(cacheDir())).toBe(false);
  });

  it('the url option (a folder of the files) is the only place downloaded from, as in the browser entry', async () => {
    const root = path.join(tempDir(), 'my-data');
    const url = `${server.url}gluon/dataset/fake-fashion`;
    const ds = await FakeFashion.load({ train: false, root, url, ...opts() });
    expect(ds.sources.from).toEqual(['download', 'download']);
    expect([...server.hits.keys()].sort()).toEqual([
      `${prefix}${specs.testImages.name}`,
      `${prefix}${specs.testLabels.name}`,
    ]);
    const err = await FakeFashion.load({ train: true, root, url: `${server.url}nowhere/`, ...opts() }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toMatch(
      new RegExp(`^download of ${server.url}nowhere/train-(images|labels)-idx[13]-ubyte\\.gz .*HTTP 404`),
    );
    expect(() => new FakeFashion({ train: true, url: `${server.url}nowhere/`, ...opts() })).toThrow(
      `from ${server.url}nowhere/train-images-idx3-ubyte.gz;`,
    );
  });

  it('the sync constructor says how to download when there is no local copy', () => {
    expect(() => new FakeFashion({ train: true, ...opts() })).toThrow(
      /FakeFashion: no good copy of train-images-idx3-ubyte\.gz in .*fake-fashion or .*fake-fashion\. Download it into .* with `await vision\.FakeFashion\.load\(\{ train: true \}\)`/,
    );
  });

  it('download() fetches both splits', async () => {
    const paths = await FakeFashion.download(opts());
    expect(paths).toHaveLength(4);
    expect(new FakeFashion({ train: false, ...opts() }).length).toBe(20);
  });
});

describe('faults', () => {
  for (const damage of ['truncated', 'wrong content', 'garbage'] as const) {
    it(`a ${damage} file in the cache is reported and skipped, kept, and replaced only by a verified download`, async () => {
      writeFiles(cacheDir(), 'train');
      const file = path.join(cacheDir(), specs.trainImages.name);
      if (damage === 'truncated') fs.writeFileSync(file, train.images.subarray(0, 500));
      else if (damage === 'wrong content') fs.writeFileSync(file, fakeSplit(50, 28, 28).labels);
      else fs.writeFileSync(file, 'not a gzip file at all');
      // From the system copy:
      writeFiles(systemDir, 'train');
      const bad = fs.readFileSync(file);
      const a = new FakeFashion({ train: true, ...opts() });
      expect(a.sources.from).toEqual(['system', 'cache']);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain(`skipping ${file}, not a good copy of train-images-idx3-ubyte.gz: `);
      expect(logs[0]).toContain('it stays until a verified download replaces it');
      expect(fs.readFileSync(file)).toEqual(bad); // not removed, not changed
      // A failed download leaves it as it was:
      fs.rmSync(systemDir, { recursive: true });
      server.faults.set(`${prefix}${specs.trainImages.name}`, 'wrong');
      await expect(FakeFashion.load({ train: true, ...opts() })).rejects.toThrow(/wrong magic number/);
      expect(fs.readFileSync(file)).toEqual(bad);
      // A verified download replaces it (minimx's own cache folder only):
      server.faults.clear();
      logs.length = 0;
      const b = await FakeFashion.load({ train: true, ...opts() });
      expect(b.sources.from).toEqual(['download', 'cache']);
      expect(fs.readFileSync(file)).toEqual(Buffer.from(train.images));
      expect(logs.at(-1)).toBe(
        `replaced ${file} by a verified download of ${server.url}gluon/dataset/fake-fashion/${specs.trainImages.name}`,
      );
    });
  }

  it('a corrupt system copy is skipped with a warning', async () => {
    writeFiles(systemDir, 'test');
    fs.writeFileSync(path.join(systemDir, specs.testLabels.name), test.labels.subarray(0, 10));
    const ds = await FakeFashion.load({ train: false, ...opts() });
    expect(ds.sources.from).toEqual(['system', 'download']);
    expect(logs.join()).toMatch(/ignoring the corrupt system copy .*t10k-labels/);
  });

  const serverFaults = [
    ['truncate', /truncated: received|connection (closed|dropped)/],
    ['drop', /connection dropped|connection closed/],
    ['wrong', /checksum mismatch|wrong magic number|expected IDX/],
    ['404', /HTTP 404/],
  ] as const;
  for (const [fault, reason] of serverFaults) {
    it(`a download that fails (${fault}) gives an error naming the URL and leaves the cache clean`, async () => {
      server.faults.set(`${prefix}${specs.trainImages.name}`, fault);
      const err = await FakeFashion.load({ train: true, ...opts() }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(
        `${server.url}gluon/dataset/fake-fashion/train-images-idx3-ubyte.gz`,
      );
      expect((err as Error).message).toMatch(reason);
      expect(fs.readdirSync(cacheDir()).filter((n) => n.includes('train-images'))).toEqual([]);
    });
  }

  it('a bad root, bad options and a bad index get clear errors', () => {
    const file = path.join(tempDir(), 'file');
    fs.writeFileSync(file, 'x');
    expect(() => new FakeFashion({ root: file, ...opts() })).toThrow(
      /FakeFashion: root .*file exists but is not a folder/,
    );
    expect(() => new FakeFashion({ root: '', ...opts() })).toThrow(/root must be a non-empty folder path/);
    expect(() => new FakeFashion({ train: 'yes' as unknown as boolean, ...opts() })).toThrow(
      /train must be true or false/,
    );
    writeFiles(systemDir);
    const ds = new FakeFashion({ train: true, ...opts() });
    expect(() => ds.at(50)).toThrow(/FakeFashion\.at: index 50 is out of range for a dataset of length 50/);
    expect(() => ds.at(-51)).toThrow(/out of range/);
    expect(() => ds.at(1.5)).toThrow(/index must be an integer, got 1\.5/);
    expect(ds.at(-1)[1]).toBe(49 % 10);
  });

  it('a folder, a link to /dev/zero or a FIFO in the cache is skipped at once, named, and left alone', async () => {
    const labels = path.join(cacheDir(), specs.trainLabels.name);
    const images = path.join(cacheDir(), specs.trainImages.name);
    fs.mkdirSync(labels, { recursive: true });
    fs.symlinkSync('/dev/zero', images);
    writeFiles(systemDir);
    const ds = new FakeFashion({ train: true, ...opts() });
    expect(ds.sources.from).toEqual(['system', 'system']);
    expect(logs.join('\n')).toContain(
      `skipping ${images}, not a good copy of train-images-idx3-ubyte.gz: ${images}: cannot read the file (not a regular file)`,
    );
    expect(logs.join('\n')).toContain(
      `skipping ${labels}, not a good copy of train-labels-idx1-ubyte.gz: ${labels}: cannot read the file (a directory)`,
    );
    expect(fs.lstatSync(images).isSymbolicLink()).toBe(true);
    expect(fs.statSync(labels).isDirectory()).toBe(true);
    // load() does not download over a link or a folder, even in its own cache
    fs.rmSync(systemDir, { recursive: true });
    await expect(FakeFashion.load({ train: true, ...opts() })).rejects.toThrow(
      `${images} is a link but not a good copy of train-images-idx3-ubyte.gz`,
    );
    expect(fs.lstatSync(images).isSymbolicLink()).toBe(true);
    const fifo = path.join(cacheDir(), specs.testLabels.name);
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      writeFiles(systemDir, 'test');
      expect(new FakeFashion({ train: false, ...opts() }).sources.from).toEqual(['system', 'system']);
      expect(fs.statSync(fifo).isFIFO()).toBe(true);
    }
  });

  it("files in a folder the user chose are never removed or replaced: MNIST's files under FashionMNIST", async () => {
    // Both data sets use the same four file names; another data set's file fails verification.
    const root = tempDir();
    const mnistLike = fakeSplit(50, 28, 28);
    const other = fakeSplit(20);
    const userFiles = new Map([
      [specs.trainImages.name, mnistLike.labels], // wrong content
      [specs.trainLabels.name, other.labels], // structurally valid, wrong data
    ]);
    for (const [n, b] of userFiles) fs.writeFileSync(path.join(root, n), b);
    const check = () => {
      for (const [n, b] of userFiles) expect(fs.readFileSync(path.join(root, n))).toEqual(Buffer.from(b));
    };
    expect(() => new FakeFashion({ train: true, root, ...opts() })).toThrow(/no good copy of train-images/);
    expect(logs[0]).toContain('it is left as it is (minimx replaces files only in its own cache folder)');
    check();
    await expect(FakeFashion.load({ train: true, root, ...opts() })).rejects.toThrow(
      `${path.join(root, specs.trainImages.name)} is a file but not a good copy of train-images-idx3-ubyte.gz`,
    );
    check();
    expect(server.hits.size).toBe(0);
    expect(fs.readdirSync(root).sort()).toEqual([...userFiles.keys()].sort());
    // With a good system copy, the user's files are skipped and kept.
    writeFiles(systemDir, 'train');
    expect(new FakeFashion({ train: true, root, ...opts() }).sources.from).toEqual(['system', 'system']);
    check();
  });

  it('a read-only cache folder with a corrupt file: the good system copy is used (no EROFS)', () => {
    writeFiles(cacheDir(), 'test');
    const file = path.join(cacheDir(), specs.testLabels.name);
    fs.writeFileSync(file, 'corrupt');
    writeFiles(systemDir, 'test');
    fs.chmodSync(cacheDir(), 0o555);
    try {
      const ds = new FakeFashion({ train: false, ...opts() });
      expect(ds.sources.from).toEqual(['cache', 'system']);
      expect(fs.readFileSync(file, 'utf8')).toBe('corrupt');
    } finally {
      fs.chmodSync(cacheDir(), 0o755);
    }
  });

  it('MINIMX_GLUON_REPO with a path and a query string (a signed mirror URL) keeps the query at the end', () => {
    process.env.MINIMX_GLUON_REPO = 'https://mirror.example/base?token=a%2Fb';
    expect(fileUrls('mnist', 't10k-labels-idx1-ubyte.gz')).toEqual([
      'https://mirror.example/base/gluon/dataset/mnist/t10k-labels-idx1-ubyte.gz?token=a%2Fb',
    ]);
    expect(fileUrls('mnist', 'a.gz', 'http://127.0.0.1:8080')).toEqual([
      'http://127.0.0.1:8080/gluon/dataset/mnist/a.gz',
    ]);
    process.env.MINIMX_GLUON_REPO = 'not a url';
    expect(() => fileUrls('mnist', 'a.gz')).toThrow(/MINIMX_GLUON_REPO must be an http\(s\) URL/);
  });

  it('findLocalFile and fetchFile work per file', async () => {
    expect(findLocalFile('fake-fashion', withDigests.testLabels, opts())).toBeUndefined();
    const f = await fetchFile('fake-fashion', withDigests.testLabels, opts());
    expect(f.source).toBe('download');
    expect(f.idx.shape).toEqual([20]);
  });
});

describe('MNIST is checked against the SHA-1s MXNet publishes', () => {
  const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
  it('a structurally valid file with other content (all 7s, another data set) is refused and kept', () => {
    const root = tempDir();
    const sevens = gzipSync(
      encodeIdx({ dtype: 'uint8', shape: [10000], data: new Uint8Array(10000).fill(7) }),
    );
    const file = path.join(root, MNIST_FILES.testLabels.name);
    fs.writeFileSync(file, sevens);
    const seen: string[] = [];
    const found = findLocalFile('mnist', MNIST_FILES.testLabels, {
      root,
      systemDirs: [],
      log: (m) => seen.push(m),
    });
    expect(found).toBeUndefined();
    expect(seen[0]).toContain(
      `${file}: checksum mismatch: the file has SHA-1 ${sha1(sevens)}, expected ${MNIST_FILES.testLabels.gzSha1}`,
    );
    expect(fs.readFileSync(file)).toEqual(sevens);
    // the same bytes pass against a spec that names their SHA-1: the check is the digest, not the shape
    const spec = { ...MNIST_FILES.testLabels, gzSha1: sha1(sevens) };
    expect(findLocalFile('mnist', spec, { root, systemDirs: [] })?.idx.data[0]).toBe(7);
  });

  it.skipIf(!fs.existsSync(`${debian}/t10k-labels-idx1-ubyte.gz`))(
    "Fashion-MNIST's files (same names and shapes) are not taken for MNIST",
    () => {
      const root = tempDir();
      for (const n of [MNIST_FILES.testImages.name, MNIST_FILES.testLabels.name]) {
        fs.copyFileSync(path.join(debian, n), path.join(root, n));
      }
      expect(() => new MNIST({ train: false, root, systemDirs: [], log: () => {} })).toThrow(
        /MNIST: no good copy of t10k-images-idx3-ubyte\.gz/,
      );
      expect(fs.readdirSync(root)).toHaveLength(2);
    },
  );
});

describe('items', () => {
  it('item i is [uint8 (28,28,1), int32 label], slices and the transform option', () => {
    writeFiles(systemDir);
    const ds = new FakeFashion({ train: true, ...opts() });
    expect(ds.length).toBe(50);
    const [x, y] = ds.at(3);
    expect(x.shape).toEqual([28, 28, 1]);
    expect(x.dtype).toBe('uint8');
    expect(x.data[0]).toBe(3);
    expect(x.data[28 + 2]).toBe(3 + 1 + 2);
    expect(y).toBe(3);
    const [X, Y] = ds.slice(0, 9);
    expect(X.shape).toEqual([9, 28, 28, 1]);
    expect(Y.dtype).toBe('int32');
    expect(Array.from(Y.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const t = new FakeFashion({ train: true, ...opts(), transform: (d, l) => [d, l + 100] });
    expect(t.at(0)[1]).toBe(100);
    expect(t.getBatch(new Int32Array([0]))).toBeUndefined();
  });
});

describe.skipIf(!fs.existsSync(`${debian}/train-images-idx3-ubyte.gz`))(
  'the real Fashion-MNIST (Debian)',
  () => {
    it('loads both splits with the right sizes; MNIST shares the code', () => {
      const tr = new FashionMNIST({ train: true, systemDirs: [debian] });
      const te = new FashionMNIST({ train: false, systemDirs: [debian] });
      expect(tr.length).toBe(60000);
      expect(te.length).toBe(10000);
      expect(tr.sources.from).toEqual(['system', 'system']);
      const [x, y] = tr.at(0);
      expect(x.shape).toEqual([28, 28, 1]);
      expect(x.dtype).toBe('uint8');
      // The upstream (and Debian) files start with an ankle boot (9); MXNet's own mirror holds
      // the training set in another order, whose first item is a pullover (2).
      expect(y).toBe(9);
      expect(Array.from(tr.slice(0, 9)[1].data)).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5]);
      expect(MNIST.namespace).toBe('mnist');
    });

    it("one epoch of DataLoader batches: 235 of (256,1,28,28) float32, the last of 96 with 'keep'", () => {
      const tr = new FashionMNIST({ train: true, systemDirs: [debian] });
      const loader = new DataLoader(tr.transformFirst(new ToTensor()), { batchSize: 256, shuffle: true });
      expect(loader.length).toBe(235);
      let count = 0;
      let last = 0;
      for (const [X, y] of loader) {
        if (count === 0) {
          expect(X.shape).toEqual([256, 1, 28, 28]);
          expect(X.dtype).toBe('float32');
          expect(y.shape).toEqual([256]);
          expect(y.dtype).toBe('int32');
        }
        count++;
        last = y.shape[0];
      }
      expect(count).toBe(235);
      expect(last).toBe(96);
    });
  },
);
