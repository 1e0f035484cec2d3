/** The messages between the demo page (main.ts) and its training worker (worker.ts). */

/** Starts a training run. */
export interface StartMessage {
  type: 'start';
  /** 'softmax', 'mlp' or 'lenet' (models.ts). */
  model: string;
  /** The folder URL of the four `*-ubyte.gz` files. */
  dataUrl: string;
  batchSize: number;
  epochs: number;
  /** Overrides the model's learning rate. */
  learningRate?: number;
  /** Stops after this many batches (the test trains a few dozen). */
  maxBatches?: number;
  /** Measure the test accuracy every this many batches. */
  evalEvery: number;
  /** How many test images the page shows. */
  shown: number;
  seed: number;
}

export type ToWorker = StartMessage | { type: 'stop' };

export type FromWorker =
  | { type: 'status'; text: string; backend: string }
  | { type: 'progress'; file: string; received: number; total?: number }
  | { type: 'testImages'; pixels: Uint8Array; labels: number[] }
  | { type: 'started'; totalBatches: number; batchesPerEpoch: number; backend: string; model: string }
  | { type: 'batch'; step: number; epoch: number; loss: number; acc: number; msPerBatch: number }
  | { type: 'eval'; step: number; epoch: number; testAcc: number; predictions: number[] }
  | { type: 'done'; steps: number; stopped: boolean }
  | { type: 'error'; message: string };
