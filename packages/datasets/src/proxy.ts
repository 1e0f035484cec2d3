/**
 * Proxies for the Node download: which proxy the environment names for a URL (`https_proxy` /
 * `HTTPS_PROXY` for https:, `http_proxy` / `HTTP_PROXY` for http: and as the fallback for https:,
 * `no_proxy` / `NO_PROXY` to bypass; lower case first, as undici's `EnvHttpProxyAgent` reads them),
 * and a `fetch`-shaped request through such a proxy. Node 20's global `fetch` reads no proxy
 * variables and its bundled undici's `ProxyAgent` is not reachable without the `undici` package, so
 * a proxied request is sent here over node:http: an absolute-URI request (`GET http://host/path`)
 * for http: URLs, a `CONNECT host:443` tunnel with TLS inside it for https: URLs. Its answer is a
 * standard `Response`, so the download reads every answer the same way. Node-only.
 */
import * as http from 'node:http';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';

/** Proxy variables, as in `process.env`. */
export type ProxyEnv = Record<string, string | undefined>;

function envVar(env: ProxyEnv, name: string): string | undefined {
  const value = env[name] ?? env[name.toUpperCase()];
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/** The URL with any user name and password replaced by `***`, for messages. */
export function redactUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.toString();
  const copy = new URL(url.toString());
  copy.username = '***';
  copy.password = '';
  return copy.toString();
}

/** True when `no_proxy` / `NO_PROXY` says `url` is reached directly. */
export function bypassesProxy(url: URL, env: ProxyEnv = process.env): boolean {
  const list = envVar(env, 'no_proxy');
  if (list === undefined) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  for (const raw of list.split(/[,\s]+/)) {
    if (raw === '') continue;
    if (raw === '*') return true;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(raw.toLowerCase());
    if (m === null) continue;
    if (m[2] !== undefined && m[2] !== port) continue;
    const entry = m[1].replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/**
 * The proxy the environment names for `url`, or `undefined` to connect directly. A value without
 * a scheme (`proxy.example:3128`) means http://. Throws on a value that is not a usable http://
 * proxy URL, naming the variable.
 *
 * MXNet counterpart: none (Python's `requests`, which MXNet's `download` uses, reads the same
 * variables).
 *
 * @example
 * ```ts
 * proxyForUrl(new URL('https://example.org/f.gz'), { HTTPS_PROXY: 'http://127.0.0.1:3128' })?.host;
 * // '127.0.0.1:3128'
 * ```
 */
export function proxyForUrl(url: URL, env: ProxyEnv = process.env): URL | undefined {
  const names = url.protocol === 'https:' ? ['https_proxy', 'http_proxy'] : ['http_proxy'];
  let name: string | undefined;
  let value: string | undefined;
  for (const n of names) {
    value = envVar(env, n);
    if (value !== undefined) {
      name = env[n] !== undefined && env[n]?.trim() !== '' ? n : n.toUpperCase();
      break;
    }
  }
  if (value === undefined || bypassesProxy(url, env)) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new TypeError(
      `${name} must be a proxy URL like http://proxy.example:3128, got ${JSON.stringify(value)}`,
    );
  }
  if (proxy.protocol !== 'http:') {
    throw new TypeError(
      `${name}: only http:// proxies are supported (the tunnel to https: sites is still encrypted), got ${redactUrl(proxy)}`,
    );
  }
  return proxy;
}

/** An error of the proxy itself (refused, unreachable, not a tunnel): retrying may help for 5xx only. */
export class ProxyError extends Error {
  constructor(
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
}

function proxyHeaders(proxy: URL): Record<string, string> {
  if (proxy.username === '' && proxy.password === '') return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** Opens a CONNECT tunnel to `host:port` through `proxy` and starts TLS inside it. */
function tunnel(proxy: URL, target: URL, signal: AbortSignal | undefined): Promise<tls.TLSSocket> {
  const port = target.port !== '' ? target.port : '443';
  const authority = `${target.hostname}:${port}`;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port !== '' ? proxy.port : 80,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyHeaders(proxy) },
      signal,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(
          new ProxyError(
            `the proxy ${redactUrl(proxy)} refused the tunnel to ${authority}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
            res.statusCode ?? 0,
          ),
        );
        return;
      }
      const secure = tls.connect({
        socket,
        servername: target.hostname.replace(/^\[|\]$/g, ''),
        ALPNProtocols: ['http/1.1'],
      });
      secure.once('secureConnect', () => resolve(secure));
      secure.once('error', reject);
    });
    req.on('error', (err) => reject(signal?.aborted ? signal.reason : proxyUnreachable(proxy, err)));
    req.end();
  });
}

function proxyUnreachable(proxy: URL, err: Error): ProxyError {
  return new ProxyError(`cannot reach the proxy ${redactUrl(proxy)}: ${err.message}`);
}

/**
 * `fetch(url, init)` sent through the http:// `proxy`: GET only, no redirects followed (the answer
 * of a redirect is returned as it is, as with `redirect: 'manual'`), no decompression. Aborting
 * `init.signal` ends the request and errors the body stream.
 *
 * MXNet counterpart: none.
 *
 * @example
 * ```ts
 * const res = await fetchViaProxy('https://example.org/f.gz', {}, new URL('http://127.0.0.1:3128'));
 * ```
 */
export async function fetchViaProxy(
  url: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal },
  proxy: URL,
): Promise<Response> {
  const target = new URL(url);
  const signal = init.signal;
  const headers = { host: target.host, ...init.headers };
  const socket = target.protocol === 'https:' ? await tunnel(proxy, target, signal) : undefined;
  const options: http.RequestOptions =
    target.protocol === 'https:'
      ? {
          createConnection: () => socket as tls.TLSSocket,
          path: `${target.pathname}${target.search}`,
          headers,
          signal,
        }
      : {
          host: proxy.hostname.replace(/^\[|\]$/g, ''),
          port: proxy.port !== '' ? proxy.port : 80,
          path: `${target.origin}${target.pathname}${target.search}`,
          headers: { ...headers, ...proxyHeaders(proxy) },
          signal,
          agent: false,
        };
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(options, resolve);
    req.on('error', (err) =>
      reject(signal?.aborted ? signal.reason : socket ? err : proxyUnreachable(proxy, err)),
    );
    req.end();
  });
  const status = res.statusCode ?? 0;
  if (target.protocol === 'http:' && status === 407) {
    res.resume();
    throw new ProxyError(`the proxy ${redactUrl(proxy)} wants credentials: HTTP 407`, 407);
  }
  const responseHeaders = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
    responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
  const nullBody = status === 204 || status === 205 || status === 304;
  if (nullBody) res.resume();
  // Node's IncomingMessage errors ('aborted') when the connection closes before the body is complete.
  const body = nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers: responseHeaders });
}
