/**
 * The fetching `vision` data sets of the browser entry, run under Node (whose global `fetch`,
 * `DecompressionStream` and `crypto.subtle` are the web APIs the browser code uses) against a
 * local server with a fake 50/20-item data set: load from a folder URL and from a Gluon-style repo,
 * progress, every bad file refused with the URL in the error, `fromBytes`, and the same items as the
 * Node classes. test/browser-datasets.test.ts runs the real files in headless Chromium.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from './checksum.js';
import { FashionMNIST, MNIST, verifyIdxBytes } from './fetch-vision.js';
import { gunzip } from './gzip.js';
import { encodeIdx } from './idx.js';
import { fakeSpecs, fakeSplit, startServer } from './testing/fixtures.js';

const train = fakeSplit(50);
const test = fakeSplit(20);
const specs = fakeSpecs(50, 20);
const digest = (gz: Uint8Array) => sha256Hex(gunzip(gz));
const files = {
  trainImages: { ...specs.trainImages, sha256: digest(train.images) },
  trainLabels: { ...specs.trainLabels, sha256: digest(train.labels) },
  testImages: { ...specs.testImages, sha256: digest(test.images) },
  testLabels: { ...specs.testLabels, sha256: digest(test.labels) },
};
class FakeFashion extends FashionMNIST {
  static override readonly namespace = 'fake-fashion';
  static override readonly files = files;
}

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  const bomb = gzipSync(new Uint8Array(10_000_000));
  server = await startServer(
    new Map<string, Uint8Array>([
      [`/data/${specs.trainImages.name}`, train.images],
      [`/data/${specs.trainLabels.name}`, train.labels],
      [`/data/${specs.testImages.name}`, test.images],
      [`/data/${specs.testLabels.name}`, test.labels],
      [`/gluon/dataset/fake-fashion/${specs.testImages.name}`, test.images],
      [`/gluon/dataset/fake-fashion/${specs.testLabels.name}`, test.labels],
      [`/trunc/${specs.testImages.name}`, test.images],
      [`/trunc/${specs.testLabels.name}`, test.labels],
      [`/swapped/${specs.testImages.name}`, test.images],
      [`/swapped/${specs.testLabels.name}`, train.labels],
      [`/bomb/${specs.testImages.name}`, bomb],
      [`/bomb/${specs.testLabels.name}`, test.labels],
      [`/corrupt/${specs.testImages.name}`, test.images.slice(0, test.images.length - 12)],
      [`/corrupt/${specs.testLabels.name}`, test.labels],
    ]),
  );
  server.faults.set(`/trunc/${specs.testImages.name}`, 'truncate');
});
afterAll(async () => {
  await server.close();
});

describe('vision.FashionMNIST.load({ url }) with fetch, DecompressionStream and crypto.subtle', () => {
  it('loads both splits from a folder URL, reporting progress, with the items of the files', async () => {
    const seen: string[] = [];
    const mnistTrain = await FakeFashion.load({
      train: true,
      url: `${server.url}data`,
      onProgress: (p) => seen.push(`${p.file} ${p.received}/${p.total}`),
    });
    const mnistTest = await FakeFashion.load({ train: false, url: `${server.url}data/` });
    expect(mnistTrain).toBeInstanceOf(FashionMNIST);
    expect([mnistTrain.length, mnistTest.length, mnistTrain.train, mnistTest.train]).toEqual([
      50,
      20,
      true,
      false,
    ]);
    expect(mnistTrain.sources.images).toBe(`${server.url}data/${specs.trainImages.name}`);
    expect(seen).toContain(`${specs.trainLabels.name} ${train.labels.length}/${train.labels.length}`);
    const [image, label] = mnistTrain.at(7);
    expect(image.shape).toEqual([28, 28, 1]);
    expect(Array.from(image.data.slice(0, 3))).toEqual([7, 8, 9]);
    expect(label).toBe(7);
    const [X, y] = mnistTest.slice(0, 3);
    expect([X.shape, Array.from(y.data)]).toEqual([
      [3, 28, 28, 1],
      [0, 1, 2],
    ]);
  });

  it('loads from a Gluon-style repoUrl', async () => {
    const ds = await FakeFashion.load({ train: false, repoUrl: server.url });
    expect(ds.sources.labels).toBe(`${server.url}gluon/dataset/fake-fashion/${specs.testLabels.name}`);
    expect(ds.length).toBe(20);
  });

  it('refuses a missing, truncated, corrupt, oversized or mismatched file, naming the URL', async () => {
    const cases: [string, RegExp][] = [
      ['nowhere/', /download of .*nowhere\/t10k-(images|labels)-idx[13]-ubyte\.gz failed: HTTP 404/],
      [
        'trunc/',
        /download of .*trunc\/t10k-images-idx3-ubyte\.gz failed: (truncated|.*terminated|.*other side closed)/,
      ],
      ['corrupt/', /gzip file .*corrupt\/t10k-images-idx3-ubyte\.gz is corrupt/],
      ['bomb/', /gzip file .*bomb\/t10k-images-idx3-ubyte\.gz decompresses to more than \d+ bytes/],
      [
        'swapped/',
        /swapped\/t10k-labels-idx1-ubyte\.gz: expected IDX uint8 \(20\) for t10k-labels-idx1-ubyte\.gz, found uint8 \(50\)/,
      ],
    ];
    for (const [dir, reason] of cases) {
      await expect(FakeFashion.load({ train: false, url: `${server.url}${dir}` }), dir).rejects.toThrow(
        reason,
      );
    }
    const wrongDigest = { ...files, testLabels: { ...files.testLabels, sha256: '0'.repeat(64) } };
    class Wrong extends FashionMNIST {
      static override readonly files = wrongDigest;
    }
    await expect(Wrong.load({ train: false, url: `${server.url}data/` })).rejects.toThrow(
      new RegExp(
        `t10k-labels-idx1-ubyte\\.gz: checksum mismatch: the decompressed content has SHA-256 ${digest(test.labels)}, expected 0{64}`,
      ),
    );
  });

  it('fromBytes takes gzipped or plain bytes; the constructor alone says to load', async () => {
    const ds = await FakeFashion.fromBytes(
      {
        images: test.images,
        labels: encodeIdx({ dtype: 'uint8', shape: [20], data: test.rawLabels }).buffer as ArrayBuffer,
      },
      { train: false },
    );
    expect([ds.length, ds.sources.images, ds.at(3)[1]]).toEqual([20, 'bytes', 3]);
    await expect(FakeFashion.fromBytes({ images: test.images, labels: test.labels })).rejects.toThrow(
      // both files are the test split's; whichever check fails first rejects
      /^train-(images|labels)-idx[13]-ubyte\.gz \(bytes\): expected IDX uint8 \(50(,28,28)?\) for train-\1/,
    );
    expect(() => new FashionMNIST({ train: false })).toThrow(
      /FashionMNIST: a browser has no local copy to read; use `await vision\.FashionMNIST\.load\(\{ train: false, url \}\)`/,
    );
    await expect(FashionMNIST.load({ train: 1 as unknown as boolean })).rejects.toThrow(
      /train must be true or false, got 1/,
    );
  });

  it('MNIST checks the SHA-1 of the .gz bytes', async () => {
    const gz = test.labels;
    const sha1 = createHash('sha1').update(gz).digest('hex');
    await expect(
      verifyIdxBytes(gz, 'x.gz', { name: 'x.gz', shape: [20], gzSha1: sha1 }),
    ).resolves.toMatchObject({ shape: [20] });
    await expect(
      verifyIdxBytes(gz, 'x.gz', { name: 'x.gz', shape: [20], gzSha1: '1'.repeat(40) }),
    ).rejects.toThrow(`x.gz: checksum mismatch: the file has SHA-1 ${sha1}, expected ${'1'.repeat(40)}`);
    expect(MNIST.files.testLabels.gzSha1).toBe('763e7fa3757d93b0cdec073cef058b2004252c17');
  });
});
