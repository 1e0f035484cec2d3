/**
 * What a save may touch and what a load may read (issue 15, items 2, 3, 4 and the file errors of
 * 18), through the one implementation in packages/ndarray/src/io/node-file.ts and its callers
 * (`nd.save`/`nd.load`, `saveParameters`/`loadParameters`): only minimx's own temp files are
 * cleaned up; a symlink is written through and a file keeps its mode; a device, a FIFO or a
 * file larger than allowed is refused without blocking or reading without end; saving onto a
 * folder, under a file or with a 250-character name gives an error naming the file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type NDArray, NDArrayFileError, nd } from '@minimx/ndarray';
import { readRegularFileSync } from '@minimx/ndarray/internal';
import { nn } from '@minimx/nn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minimx-file-safety-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const tempsIn = (d: string) => fs.readdirSync(d).filter((n) => n.includes('.tmp-minimx-'));

function smallNet(): nn.Sequential {
  const net = new nn.Sequential();
  net.add(new nn.Dense(3, { inUnits: 2 }));
  net.initialize();
  return net;
}

describe('stale temp cleanup removes only files minimx created (item 2)', () => {
  it("a save keeps every neighbour whose name is not exactly minimx's temp name", async () => {
    const file = path.join(dir, 'model.params');
    const gone = deadPid();
    const neighbours = [
      'model.params.tmp-backup',
      'model.params.tmp-old-copy',
      'model.params.tmp-2024-copy',
      `model.params.tmp-${gone}-abc123`, // the old, unmarked form: could be anyone's
      `model.params.tmp-minimx-${gone}-abc`, // too short a tail
      `model.params.tmp-minimx-${gone}-abc123abc123.bak`,
      `other.params.tmp-minimx-${gone}-abc123abc123`, // another file's
    ];
    for (const n of neighbours) fs.writeFileSync(path.join(dir, n), `user data ${n}`);
    const folder = path.join(dir, `model.params.tmp-minimx-${gone}-0123456789ab`);
    fs.mkdirSync(folder); // a folder with a temp name is not a temp file
    const stale = path.join(dir, `model.params.tmp-minimx-${gone}-abcdef012345`);
    fs.writeFileSync(stale, 'half-written by a killed save');
    await smallNet().saveParameters(file);
    await nd.save(file, [nd.ones([2])]);
    for (const n of neighbours) expect(fs.readFileSync(path.join(dir, n), 'utf8')).toBe(`user data ${n}`);
    expect(fs.statSync(folder).isDirectory()).toBe(true);
    expect(fs.existsSync(stale)).toBe(false);
  });
});

describe('a save writes through links and keeps the mode (item 3)', () => {
  it('a symlink stays a link and its target gets the new content', async () => {
    const real = path.join(dir, 'real.nd');
    const link = path.join(dir, 'link.nd');
    await nd.save(real, [nd.zeros([2])]);
    fs.symlinkSync('real.nd', link);
    await nd.save(link, [nd.ones([3])]);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    const [a] = await nd.load<NDArray[]>(real);
    expect(Array.from(a.data)).toEqual([1, 1, 1]);
    // a link to a file that does not exist yet creates the target
    const dangling = path.join(dir, 'dangling.params');
    fs.symlinkSync('sub/target.params', dangling);
    fs.mkdirSync(path.join(dir, 'sub'));
    await smallNet().saveParameters(dangling);
    expect(fs.lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(fs.statSync(path.join(dir, 'sub', 'target.params')).isFile()).toBe(true);
    expect(tempsIn(dir)).toEqual([]);
    expect(tempsIn(path.join(dir, 'sub'))).toEqual([]);
  });

  it('a 600 file stays 600, a 640 file 640', async () => {
    for (const mode of [0o600, 0o640]) {
      const file = path.join(dir, `m${mode.toString(8)}.params`);
      fs.writeFileSync(file, 'old');
      fs.chmodSync(file, mode);
      await smallNet().saveParameters(file);
      expect(fs.statSync(file).mode & 0o777).toBe(mode);
    }
  });

  it('a hard-linked file is replaced under its name only; the other name keeps the old, complete file', async () => {
    const file = path.join(dir, 'a.nd');
    const other = path.join(dir, 'b.nd');
    await nd.save(file, [nd.zeros([2])]);
    fs.linkSync(file, other);
    await nd.save(file, [nd.ones([2])]);
    expect(Array.from((await nd.load<NDArray[]>(file))[0].data)).toEqual([1, 1]);
    expect(Array.from((await nd.load<NDArray[]>(other))[0].data)).toEqual([0, 0]);
  });
});

describe('saving onto a folder, under a file, a long name (item 18)', () => {
  it('name the file asked for and what is wrong, never the temp file', async () => {
    const sub = path.join(dir, 'folder');
    fs.mkdirSync(sub);
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'x');
    const x = [nd.ones([1])];
    await expect(nd.save(sub, x)).rejects.toThrow(`cannot save ${sub}: it is a folder`);
    await expect(nd.save(path.join(file, 'x.nd'), x)).rejects.toThrow(
      `cannot save ${path.join(file, 'x.nd')}: ${file} is a file, not a folder`,
    );
    await expect(nd.save(path.join(file, 'a', 'x.nd'), x)).rejects.toThrow(`${file} is a file, not a folder`);
    await expect(nd.save(path.join(dir, 'nope', 'x.nd'), x)).rejects.toThrow(
      `cannot save ${path.join(dir, 'nope', 'x.nd')}: the folder ${path.join(dir, 'nope')} does not exist`,
    );
    await expect(smallNet().saveParameters('/dev/null')).rejects.toThrow(
      'cannot save /dev/null: it is not a regular file',
    );
    for (const err of await Promise.all([nd.save(sub, x).catch((e: Error) => e)])) {
      expect(String(err)).not.toMatch(/tmp-/);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['file', 'folder']);
  });

  it('a 250-character file name (and a 250-byte non-ASCII one) can be saved and loaded', async () => {
    for (const name of ['p'.repeat(250), `${'é'.repeat(120)}.params`]) {
      const file = path.join(dir, name);
      await smallNet().saveParameters(file);
      const copy = smallNet();
      await copy.loadParameters(file);
      expect(tempsIn(dir)).toEqual([]);
    }
  });
});

describe('a load reads only regular files, and no more than their size (item 4)', () => {
  it('/dev/zero, a link to it and a FIFO are refused at once', async () => {
    const net = smallNet();
    await expect(net.loadParameters('/dev/zero')).rejects.toThrow(
      '/dev/zero: cannot read the file (not a regular file)',
    );
    const link = path.join(dir, 'zero.params');
    fs.symlinkSync('/dev/zero', link);
    await expect(net.loadParameters(link)).rejects.toThrow(
      `${link}: cannot read the file (not a regular file)`,
    );
    await expect(nd.load(link)).rejects.toThrow('not a regular file');
    const fifo = path.join(dir, 'pipe.params');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      await expect(net.loadParameters(fifo)).rejects.toThrow(
        `${fifo}: cannot read the file (not a regular file)`,
      );
    }
  });

  it('readRegularFileSync reads no more than maxBytes, nor past the size it found', () => {
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, new Uint8Array(1000));
    expect(readRegularFileSync(fs, file).length).toBe(1000);
    expect(() => readRegularFileSync(fs, file, { maxBytes: 999 })).toThrow(
      `${file}: cannot read the file (1000 bytes, more than the 999 expected)`,
    );
    expect(() => readRegularFileSync(fs, '/dev/zero', { maxBytes: 10 })).toThrow('not a regular file');
    let err: unknown;
    try {
      readRegularFileSync(fs, path.join(dir, 'absent'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NDArrayFileError);
    expect((err as { code?: string }).code).toBe('ENOENT');
  });
});
