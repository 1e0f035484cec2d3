/**
 * Downloads through a proxy: which proxy the environment names (lower and upper case, NO_PROXY),
 * then real downloads through a tiny proxy this test starts on 127.0.0.1: absolute-URI requests
 * for http: URLs (good files and the faults of the fixture server, a proxy that wants credentials,
 * a proxy that is down, NO_PROXY bypassing it), and a CONNECT tunnel to a local HTTPS server with a
 * self-signed certificate for 127.0.0.1 (testing/localhost-cert.pem, 100 years), in a child process
 * that trusts it through NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import * as path from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyIdxFile } from './checksum.js';
import { downloadFile } from './download.js';
import { bypassesProxy, proxyForUrl } from './proxy.js';
import { fakeSpecs, fakeSplit, startServer, tempDir } from './testing/fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const split = fakeSplit(50);
const spec = fakeSpecs(50, 10).trainImages;
const quick = { retryDelayMs: 5, timeoutMs: 2000, progress: false };
const verify = (p: string, bytes: Buffer) => {
  verifyIdxFile(bytes, p, spec);
};

describe('proxyForUrl and NO_PROXY', () => {
  const u = (s: string) => new URL(s);
  it('reads https_proxy / HTTPS_PROXY for https:, falling back to the http: proxy; lower case first', () => {
    expect(proxyForUrl(u('https://a.example/f'), { HTTPS_PROXY: 'http://p:1' })?.host).toBe('p:1');
    expect(
      proxyForUrl(u('https://a.example/f'), { https_proxy: 'http://lo:1', HTTPS_PROXY: 'http://up:1' })?.host,
    ).toBe('lo:1');
    expect(proxyForUrl(u('https://a.example/f'), { HTTP_PROXY: 'http://p:2' })?.host).toBe('p:2');
    expect(proxyForUrl(u('http://a.example/f'), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyForUrl(u('http://a.example/f'), { http_proxy: 'p:3' })?.href).toBe('http://p:3/');
    expect(proxyForUrl(u('http://a.example/f'), { HTTP_PROXY: ' ' })).toBeUndefined();
    expect(proxyForUrl(u('http://a.example/f'), {})).toBeUndefined();
  });

  it('refuses a proxy URL it cannot use, naming the variable and hiding credentials', () => {
    expect(() => proxyForUrl(u('http://a/'), { HTTP_PROXY: 'socks5://u:secret@p:1' })).toThrow(
      /^HTTP_PROXY: only http:\/\/ proxies are supported.*socks5:\/\/\*\*\*@p:1/,
    );
    expect(() => proxyForUrl(u('http://a/'), { HTTP_PROXY: 'socks5://u:secret@p:1' })).not.toThrow(/secret/);
    expect(() => proxyForUrl(u('http://a/'), { http_proxy: 'http://[bad' })).toThrow(
      /^http_proxy must be a proxy URL/,
    );
  });

  it('NO_PROXY: hosts and their subdomains, leading dot or *., ports, IP literals, *; no_proxy first', () => {
    const cases: [string, string, boolean][] = [
      ['example.org', 'http://example.org/f', true],
      ['example.org', 'http://a.b.example.org/f', true],
      ['example.org', 'http://badexample.org/f', false],
      ['.example.org', 'http://a.example.org/f', true],
      ['*.example.org', 'http://a.example.org/f', true],
      ['example.org:8080', 'http://example.org:8080/f', true],
      ['example.org:8080', 'http://example.org/f', false],
      ['example.org:443', 'https://example.org/f', true],
      ['127.0.0.1', 'http://127.0.0.1:9999/f', true],
      ['[::1]', 'http://[::1]:9999/f', true],
      ['10.0.0.1, other.org', 'https://other.org/f', true],
      ['*', 'https://anything/f', true],
      ['', 'http://example.org/f', false],
    ];
    for (const [list, url, bypass] of cases)
      expect(bypassesProxy(u(url), { NO_PROXY: list }), `${list} ${url}`).toBe(bypass);
    expect(bypassesProxy(u('http://a.org/'), { no_proxy: 'b.org', NO_PROXY: 'a.org' })).toBe(false);
    expect(proxyForUrl(u('http://a.org/'), { HTTP_PROXY: 'http://p:1', NO_PROXY: 'a.org' })).toBeUndefined();
  });
});

/** A forwarding proxy: absolute-URI GETs and CONNECT tunnels, with a log and optional credentials. */
async function startProxy(credentials?: string) {
  const log: string[] = [];
  const sockets = new Set<net.Socket>();
  const allowed = (req: http.IncomingMessage) =>
    credentials === undefined ||
    req.headers['proxy-authorization'] === `Basic ${Buffer.from(credentials).toString('base64')}`;
  const server = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    if (!allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const upstream = http.get(req.url ?? '', { headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      pipeline(up, res, (err) => {
        if (err) res.socket?.destroy();
      });
    });
    upstream.on('error', () => res.socket?.destroy());
  });
  server.on('connect', (req, client: net.Socket, head) => {
    log.push(`CONNECT ${req.url}`);
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const up = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];
const savedEnv = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
function setProxyEnv(vars: Record<string, string>) {
  for (const k of PROXY_VARS) delete process.env[k];
  Object.assign(process.env, vars);
}

describe('downloadFile through a proxy on 127.0.0.1', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    server = await startServer(
      new Map([
        ['/good.gz', split.images],
        ['/drop.gz', split.images],
        ['/trunc.gz', split.images],
      ]),
    );
    server.faults.set('/drop.gz', 'drop');
    server.faults.set('/trunc.gz', 'truncate');
    proxy = await startProxy();
  });
  afterEach(() => {
    setProxyEnv({});
    for (const [k, v] of Object.entries(savedEnv)) if (v !== undefined) process.env[k] = v;
  });
  afterAll(async () => {
    await server.close();
    await proxy.close();
  });

  it('sends an http: download to HTTP_PROXY as an absolute-URI request', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url });
    const dest = path.join(tempDir(), 'f.gz');
    proxy.log.length = 0;
    await downloadFile(`${server.url}good.gz`, dest, { ...quick, verify });
    expect(fs.readFileSync(dest)).toEqual(Buffer.from(split.images));
    expect(proxy.log).toEqual([`GET ${server.url}good.gz`]);
  });

  it('the lower-case http_proxy works too, and NO_PROXY / no_proxy bypass the proxy', async () => {
    setProxyEnv({ http_proxy: proxy.url });
    proxy.log.length = 0;
    await downloadFile(`${server.url}good.gz`, path.join(tempDir(), 'f.gz'), { ...quick, verify });
    expect(proxy.log).toHaveLength(1);
    for (const bypass of [{ NO_PROXY: '127.0.0.1' }, { no_proxy: 'localhost,127.0.0.1' }] as Record<
      string,
      string
    >[]) {
      setProxyEnv({ HTTP_PROXY: proxy.url, ...bypass });
      proxy.log.length = 0;
      const before = server.hits.get('/good.gz') ?? 0;
      await downloadFile(`${server.url}good.gz`, path.join(tempDir(), 'f.gz'), { ...quick, verify });
      expect(proxy.log).toEqual([]);
      expect(server.hits.get('/good.gz')).toBe(before + 1);
    }
  });

  it('a dropped or truncated transfer through the proxy is retried and reported as on a direct line', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url });
    for (const name of ['drop.gz', 'trunc.gz']) {
      const dir = tempDir();
      const url = `${server.url}${name}`;
      proxy.log.length = 0;
      const err = await downloadFile(url, path.join(dir, 'f.gz'), { ...quick, retries: 2, verify }).catch(
        (e: Error) => e,
      );
      expect((err as Error).message).toMatch(
        new RegExp(
          `download of ${url} .* failed \\(2 attempts\\): attempt 1: the connection dropped after \\d+ of \\d+ bytes`,
        ),
      );
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(proxy.log).toEqual([`GET ${url}`, `GET ${url}`]);
    }
  });

  it('a proxy that wants credentials gets them from the URL; without them the error hides nothing it should not', async () => {
    const guarded = await startProxy('me:s3cret');
    try {
      const port = guarded.url.split(':')[2];
      setProxyEnv({ HTTP_PROXY: `http://me:wrong@127.0.0.1:${port}` });
      const err = await downloadFile(`${server.url}good.gz`, path.join(tempDir(), 'f.gz'), {
        ...quick,
        retries: 3,
      }).catch((e: Error) => e);
      expect((err as Error).message).toMatch(
        /failed \(1 attempts\): attempt 1: the proxy http:\/\/\*\*\*@127\.0\.0\.1:\d+\/ wants credentials: HTTP 407$/,
      );
      expect((err as Error).message).not.toContain('wrong');
      setProxyEnv({ HTTP_PROXY: `http://me:s3cret@127.0.0.1:${port}` });
      const dest = path.join(tempDir(), 'f.gz');
      await downloadFile(`${server.url}good.gz`, dest, { ...quick, verify });
      expect(fs.readFileSync(dest)).toEqual(Buffer.from(split.images));
    } finally {
      await guarded.close();
    }
  });

  it('a proxy that is down is named in the error; a bad proxy URL is not retried', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    setProxyEnv({ HTTP_PROXY: `http://127.0.0.1:${port}` });
    await expect(
      downloadFile(`${server.url}good.gz`, path.join(tempDir(), 'f.gz'), { ...quick, retries: 2 }),
    ).rejects.toThrow(
      new RegExp(
        `\\(2 attempts\\): attempt 1: cannot reach the proxy http://127\\.0\\.0\\.1:${port}/: .*ECONNREFUSED`,
      ),
    );
    setProxyEnv({ HTTP_PROXY: 'ftp://127.0.0.1:1' });
    await expect(
      downloadFile(`${server.url}good.gz`, path.join(tempDir(), 'f.gz'), { ...quick, retries: 3 }),
    ).rejects.toThrow(/\(1 attempts\): attempt 1: HTTP_PROXY: only http:\/\/ proxies are supported/);
  });

  it('an https: download goes through a CONNECT tunnel named by HTTPS_PROXY (child process trusting a test certificate)', async () => {
    const tls = {
      key: fs.readFileSync(path.join(here, 'testing', 'localhost-key.pem')),
      cert: fs.readFileSync(path.join(here, 'testing', 'localhost-cert.pem')),
    };
    const secure = https.createServer(tls, (req, res) => {
      if (req.url !== '/good.gz') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-length': split.images.length }).end(split.images);
    });
    await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
    const target = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
    const dir = tempDir();
    const dest = path.join(dir, 'f.gz');
    const script = path.join(dir, 'child.mts');
    fs.writeFileSync(
      script,
      `import { downloadFile } from ${JSON.stringify(path.join(here, 'download.ts'))};\n` +
        `await downloadFile(${JSON.stringify(`${target}/good.gz`)}, ${JSON.stringify(dest)}, { progress: false, retries: 1 });\n` +
        `const err = await downloadFile(${JSON.stringify(`${target}/missing.gz`)}, ${JSON.stringify(`${dest}.2`)}, { progress: false }).catch((e) => e);\n` +
        'process.stdout.write(err.message);\n',
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    proxy.log.length = 0;
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_EXTRA_CA_CERTS: path.join(here, 'testing', 'localhost-cert.pem'),
      };
      for (const k of PROXY_VARS) delete env[k];
      env.HTTPS_PROXY = proxy.url;
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['--import', tsx, script], { env, timeout: 30_000 }, (err, out, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out),
        ),
      );
      expect(fs.readFileSync(dest)).toEqual(Buffer.from(split.images));
      expect(stdout).toMatch(/failed \(1 attempts\): attempt 1: HTTP 404/);
      const authority = target.slice('https://'.length);
      expect(proxy.log).toEqual([`CONNECT ${authority}`, `CONNECT ${authority}`]);
    } finally {
      await new Promise((r) => secure.close(r));
    }
  }, 40_000);
});
