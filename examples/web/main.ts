/**
 * The demo page: pick a model, press Train, and watch the loss and accuracy chart and a grid of
 * test images with their true and predicted labels while a Web Worker (worker.ts) trains the model
 * on Fashion-MNIST. Query parameters preset the form, for links and for the test:
 * `?model=mlp&lr=0.5&batchSize=256&epochs=1&batches=40&evalEvery=10&data=<folder URL>&autostart=1`.
 * `window.demo` exposes the run's state and numbers to the test.
 */
import { FASHION_MNIST_CLASSES } from '@minimx/datasets';
import { MODELS, type ModelName } from './models.js';
import type { FromWorker, StartMessage } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const SHOWN = 24;

/** What the test reads. */
const demo = {
  state: 'idle' as 'idle' | 'loading' | 'training' | 'done' | 'error',
  model: '',
  backend: '',
  losses: [] as number[],
  accs: [] as number[],
  evals: [] as { step: number; testAcc: number }[],
  predictions: [] as number[],
  labels: [] as number[],
  error: '',
};
(window as unknown as { demo: typeof demo }).demo = demo;

// ---- the form ----
const modelInputs = Array.from(document.querySelectorAll<HTMLInputElement>('input[name=model]'));
const lrInput = $<HTMLInputElement>('lr');
const batchInput = $<HTMLInputElement>('batch-size');
const epochsInput = $<HTMLInputElement>('epochs');
const dataInput = $<HTMLInputElement>('data-url');
const button = $<HTMLButtonElement>('train');
const selectedModel = () => (modelInputs.find((i) => i.checked)?.value ?? 'mlp') as ModelName;

function showModel() {
  const m = MODELS[selectedModel()];
  lrInput.value = String(m.learningRate);
  $('code').textContent = m.code;
  $('model-title').textContent = m.title;
}
for (const input of modelInputs) input.addEventListener('change', showModel);
const presetModel = params.get('model');
if (presetModel !== null && presetModel in MODELS) {
  for (const input of modelInputs) input.checked = input.value === presetModel;
}
showModel();
if (params.has('lr')) lrInput.value = params.get('lr') ?? '';
if (params.has('batchSize')) batchInput.value = params.get('batchSize') ?? '';
if (params.has('epochs')) epochsInput.value = params.get('epochs') ?? '';
dataInput.value = params.get('data') ?? new URL('data/', location.href).href;

// ---- the chart ----
const chart = $<HTMLCanvasElement>('chart');
const COLORS = { loss: '#2563eb', acc: '#ea580c', test: '#16a34a', grid: '#e5e7eb', text: '#4b5563' };
let totalBatches = 1;
let batchesPerEpoch = 1;

/** The bias-corrected exponential moving average of `values` (as Adam corrects its moments). */
function smooth(values: number[], k = 0.9): number[] {
  const out: number[] = [];
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    m = k * m + (1 - k) * values[i];
    out.push(m / (1 - k ** (i + 1)));
  }
  return out;
}

function drawChart() {
  const dpr = window.devicePixelRatio || 1;
  const w = chart.clientWidth;
  const h = chart.clientHeight;
  chart.width = w * dpr;
  chart.height = h * dpr;
  const g = chart.getContext('2d') as CanvasRenderingContext2D;
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  const pad = { l: 48, r: 48, t: 16, b: 34 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const maxLoss = Math.max(2.5, ...demo.losses.slice(0, 5));
  const x = (step: number) => pad.l + (pw * step) / Math.max(1, totalBatches);
  const yLoss = (v: number) => pad.t + ph * (1 - Math.min(v, maxLoss) / maxLoss);
  const yAcc = (v: number) => pad.t + ph * (1 - v);
  g.font = '12px system-ui, sans-serif';
  g.lineWidth = 1;
  for (let i = 0; i <= 5; i++) {
    const yy = pad.t + (ph * i) / 5;
    g.strokeStyle = COLORS.grid;
    g.beginPath();
    g.moveTo(pad.l, yy);
    g.lineTo(pad.l + pw, yy);
    g.stroke();
    g.fillStyle = COLORS.loss;
    g.textAlign = 'right';
    g.fillText(((maxLoss * (5 - i)) / 5).toFixed(1), pad.l - 6, yy + 4);
    g.fillStyle = COLORS.acc;
    g.textAlign = 'left';
    g.fillText(`${(100 - i * 20).toFixed(0)}%`, pad.l + pw + 6, yy + 4);
  }
  g.fillStyle = COLORS.text;
  g.textAlign = 'center';
  const epochs = totalBatches / batchesPerEpoch;
  const tickEvery = totalBatches <= 60 ? 10 : totalBatches <= 300 ? 50 : batchesPerEpoch;
  for (let s = 0; s <= totalBatches; s += tickEvery) {
    const label = tickEvery === batchesPerEpoch ? `epoch ${s / batchesPerEpoch}` : String(s);
    g.fillText(label, x(s), pad.t + ph + 16);
  }
  g.fillText(epochs >= 1 ? `batches (${batchesPerEpoch} per epoch)` : 'batches', pad.l + pw / 2, h - 4);
  const line = (values: number[], y: (v: number) => number, color: string, width = 2) => {
    if (values.length === 0) return;
    g.strokeStyle = color;
    g.lineWidth = width;
    g.beginPath();
    for (let i = 0; i < values.length; i++) {
      if (i === 0) g.moveTo(x(i + 1), y(values[i]));
      else g.lineTo(x(i + 1), y(values[i]));
    }
    g.stroke();
  };
  g.globalAlpha = 0.18;
  line(demo.losses, yLoss, COLORS.loss, 1);
  line(demo.accs, yAcc, COLORS.acc, 1);
  g.globalAlpha = 1;
  line(smooth(demo.losses), yLoss, COLORS.loss);
  line(smooth(demo.accs), yAcc, COLORS.acc);
  if (demo.evals.length > 0) {
    g.strokeStyle = COLORS.test;
    g.fillStyle = COLORS.test;
    g.lineWidth = 2;
    g.beginPath();
    for (const [i, e] of demo.evals.entries()) {
      if (i === 0) g.moveTo(x(e.step), yAcc(e.testAcc));
      else g.lineTo(x(e.step), yAcc(e.testAcc));
    }
    g.stroke();
    for (const e of demo.evals) {
      g.beginPath();
      g.arc(x(e.step), yAcc(e.testAcc), 3, 0, 2 * Math.PI);
      g.fill();
    }
  }
}
let chartQueued = false;
function queueChart() {
  if (chartQueued) return;
  chartQueued = true;
  requestAnimationFrame(() => {
    chartQueued = false;
    drawChart();
  });
}
window.addEventListener('resize', queueChart);

// ---- the test images ----
const grid = $('grid');
function showTestImages(pixels: Uint8Array, labels: number[]) {
  grid.replaceChildren();
  demo.labels = labels;
  for (let i = 0; i < labels.length; i++) {
    const cell = document.createElement('figure');
    const canvas = document.createElement('canvas');
    canvas.width = 28;
    canvas.height = 28;
    const image = new ImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const v = 255 - pixels[i * 784 + p];
      image.data.set([v, v, v, 255], p * 4);
    }
    (canvas.getContext('2d') as CanvasRenderingContext2D).putImageData(image, 0, 0);
    const caption = document.createElement('figcaption');
    caption.innerHTML = `<span class="truth">${FASHION_MNIST_CLASSES[labels[i]]}</span><span class="pred">…</span>`;
    cell.append(canvas, caption);
    grid.append(cell);
  }
}
function showPredictions(predictions: number[]) {
  demo.predictions = predictions;
  let right = 0;
  grid.querySelectorAll('figure').forEach((cell, i) => {
    const ok = predictions[i] === demo.labels[i];
    if (ok) right++;
    cell.className = ok ? 'right' : 'wrong';
    (cell.querySelector('.pred') as HTMLElement).textContent =
      `${ok ? '✓' : '✗'} ${FASHION_MNIST_CLASSES[predictions[i]]}`;
  });
  $('grid-score').textContent = `${right} of ${predictions.length} right`;
}

// ---- the run ----
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const status = $('status');
const bar = $<HTMLDivElement>('bar');
const stat = (id: string, text: string) => {
  $(id).textContent = text;
};
const loading = new Map<string, [number, number]>();

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'status':
      status.textContent = m.text;
      demo.backend = m.backend;
      break;
    case 'progress': {
      loading.set(m.file, [m.received, m.total ?? m.received]);
      let got = 0;
      let all = 0;
      for (const [r, t] of loading.values()) {
        got += r;
        all += t;
      }
      bar.style.width = `${(100 * got) / Math.max(all, 1)}%`;
      status.textContent = `Downloading Fashion-MNIST… ${(got / 1e6).toFixed(1)} of ${(all / 1e6).toFixed(1)} MB`;
      break;
    }
    case 'testImages':
      showTestImages(m.pixels, m.labels);
      break;
    case 'started':
      demo.state = 'training';
      demo.model = m.model;
      demo.backend = m.backend;
      totalBatches = m.totalBatches;
      batchesPerEpoch = m.batchesPerEpoch;
      stat('s-backend', m.backend === 'wasm' ? 'WebAssembly' : m.backend);
      status.textContent = `Training ${MODELS[m.model as ModelName].title}…`;
      break;
    case 'batch':
      demo.losses.push(m.loss);
      demo.accs.push(m.acc);
      bar.style.width = `${(100 * m.step) / totalBatches}%`;
      stat('s-batch', `${m.step} / ${totalBatches}`);
      stat('s-epoch', m.epoch.toFixed(2));
      stat('s-loss', smooth(demo.losses).at(-1)?.toFixed(3) ?? '');
      stat('s-acc', `${((smooth(demo.accs).at(-1) ?? 0) * 100).toFixed(1)}%`);
      stat('s-speed', `${m.msPerBatch.toFixed(0)} ms`);
      queueChart();
      break;
    case 'eval':
      demo.evals.push({ step: m.step, testAcc: m.testAcc });
      stat('s-test', `${(m.testAcc * 100).toFixed(1)}%`);
      showPredictions(m.predictions);
      queueChart();
      break;
    case 'done':
      demo.state = 'done';
      status.textContent = `${m.stopped ? 'Stopped' : 'Finished'} after ${m.steps} batches.`;
      button.textContent = 'Train again';
      button.classList.remove('stop');
      queueChart();
      break;
    case 'error':
      demo.state = 'error';
      demo.error = m.message;
      status.textContent = `Error: ${m.message}`;
      status.classList.add('error');
      button.textContent = 'Train';
      button.classList.remove('stop');
      break;
  }
};

function start() {
  const batchSize = Number(batchInput.value) || 256;
  const message: StartMessage = {
    type: 'start',
    model: selectedModel(),
    dataUrl: dataInput.value,
    batchSize,
    epochs: Number(epochsInput.value) || 1,
    learningRate: Number(lrInput.value) || undefined,
    maxBatches: params.has('batches') ? Number(params.get('batches')) : undefined,
    evalEvery: Number(params.get('evalEvery')) || 20,
    shown: SHOWN,
    seed: Number(params.get('seed') ?? 1),
  };
  Object.assign(demo, { state: 'loading', losses: [], accs: [], evals: [], predictions: [], error: '' });
  status.classList.remove('error');
  for (const id of ['s-batch', 's-epoch', 's-loss', 's-acc', 's-test', 's-speed']) stat(id, '–');
  button.textContent = 'Stop';
  button.classList.add('stop');
  bar.style.width = '0%';
  queueChart();
  worker.postMessage(message);
}
button.addEventListener('click', () => {
  if (demo.state === 'loading' || demo.state === 'training') worker.postMessage({ type: 'stop' });
  else start();
});
drawChart();
if (params.get('autostart') === '1') start();
