/**
 * `Trainer`, Gluon's `gluon.Trainer`: applies an optimizer to a set of parameters. `step(batchSize)`
 * rescales gradients by 1/batchSize (so a last partial batch is still divided by the batch size
 * given), checks that every parameter's gradient was refreshed by a backward since the previous
 * step (the stale-gradient check), and updates the parameters' arrays in place.
 */

import { Optimizer } from './optim/optimizer.js';
import {
  createNamed,
  type OptimizerName,
  type OptimizerNameArg,
  type OptimizerOptionsOf,
  type OptimizerRegistry,
} from './optim/registry.js';
import { Parameter, type ParameterDict } from './parameter.js';
import { formatShape } from './shape-format.js';

/** The first optimizer index of the next Trainer (see `Trainer.indexBase`). */
let nextIndexBase = 0;

/** Options of `Trainer.step`. */
export interface StepOptions {
  /** Skip (do not update) parameters whose gradient is stale instead of throwing. Default false. */
  ignoreStaleGrad?: boolean;
}

/**
 * Options of the Trainer: the hyper-parameters of the optimizer named `N` in any letter case
 * (`'sgd'` or `'SGD'`: `learningRate`, `momentum`, `wd`, ...; see {@link OptimizerRegistry}), or of
 * any registered optimizer when `N` is a plain `string`. MXNet: `optimizer_params`.
 */
export type TrainerOptions<N extends string = OptimizerName> = OptimizerOptionsOf<N>;

/**
 * Updates parameters with an optimizer. MXNet: `gluon.Trainer(params, optimizer, optimizer_params)`.
 * The optimizer is a name of {@link OptimizerRegistry} (`'sgd'`, `'adam'`, or a custom one added
 * there) in any letter case (`'SGD'`, as MXNet accepts), whose options type checks the options,
 * or an `Optimizer` instance. A name held in a `string` variable takes any registered optimizer's
 * options and is checked at run time.
 * @typeParam N The optimizer's name, inferred from the argument; it selects the options type.
 * @example
 * const trainer = new Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
 * const l = autograd.record(() => loss(net(X), y));
 * l.backward();
 * trainer.step(batchSize);
 */
export class Trainer<N extends string = OptimizerName> {
  /** The optimizer in use. */
  readonly optimizer: Optimizer;
  private readonly params: Parameter[];
  private readonly states = new Map<number, unknown>();
  private readonly scale: number;

  /**
   * @param params The parameters to update, usually `net.collectParams()`.
   * @param optimizer A registered optimizer's name in any letter case (`'sgd'`, `'SGD'`, `'adam'`).
   * @param options That optimizer's hyper-parameters, e.g. `{ learningRate: 0.1, momentum: 0.9 }`.
   */
  constructor(
    params: ParameterDict | Iterable<Parameter>,
    optimizer: OptimizerNameArg<N>,
    options?: OptimizerOptionsOf<N>,
  );
  /**
   * @param params The parameters to update, usually `net.collectParams()`.
   * @param optimizer An optimizer instance, which holds its own hyper-parameters.
   */
  constructor(params: ParameterDict | Iterable<Parameter>, optimizer: Optimizer);
  constructor(
    params: ParameterDict | Iterable<Parameter>,
    optimizer: string | Optimizer,
    options: object = {},
  ) {
    if (params === null || typeof params !== 'object' || !(Symbol.iterator in params || 'values' in params)) {
      throw new TypeError(
        `Trainer: params must be a ParameterDict (net.collectParams()) or a list of Parameters, got ${params === null ? 'null' : typeof params}`,
      );
    }
    if (!(typeof optimizer === 'string' || optimizer instanceof Optimizer)) {
      throw new TypeError(
        `Trainer: optimizer must be a name ('sgd', 'adam') or an Optimizer, got ${String(optimizer)}`,
      );
    }
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`Trainer: options must be an object, got ${String(options)}`);
    }
    const list: Parameter[] = [];
    const seen = new Set<Parameter>();
    const items =
      'values' in params && typeof params.values === 'function'
        ? (params as ParameterDict).values()
        : (params as Iterable<Parameter>);
    for (const p of items) {
      if (!(p instanceof Parameter)) {
        throw new TypeError(
          `Trainer: params must hold Parameters, got ${p === null ? 'null' : typeof p} among them`,
        );
      }
      if (!seen.has(p)) {
        seen.add(p);
        list.push(p);
      }
    }
    this.params = list;
    if (optimizer instanceof Optimizer) {
      if (Object.keys(options).length) {
        throw new TypeError('Trainer: options must be empty when an Optimizer instance is given');
      }
      this.optimizer = optimizer;
    } else {
      this.optimizer = createNamed('Trainer', optimizer, options);
    }
    this.scale = this.optimizer.rescaleGrad;
    this.indexBase = nextIndexBase;
    nextIndexBase += list.length;
  }

  /**
   * This Trainer's parameters have optimizer indices `indexBase + i`, unique across Trainers, so
   * two Trainers sharing one Optimizer never share its per-index update counts (Adam's step t).
   */
  private readonly indexBase: number;

  /** The current learning rate. MXNet: `trainer.learning_rate`. */
  get learningRate(): number {
    return this.optimizer.learningRate;
  }

  /** Changes the learning rate. MXNet: `trainer.set_learning_rate(lr)`. @example trainer.setLearningRate(0.05) */
  setLearningRate(lr: number): void {
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new TypeError(`Trainer.setLearningRate: expected a finite number, got ${lr}`);
    }
    this.optimizer.learningRate = lr;
  }

  /**
   * One optimization step: gradients are scaled by 1/batchSize, then every parameter with
   * gradReq other than 'null' is updated in place. Throws, naming the parameter, if a gradient
   * was not refreshed by backward since the last step (unless `ignoreStaleGrad`, which skips it).
   * MXNet: `trainer.step(batch_size, ignore_stale_grad=False)`.
   * @example trainer.step(256)
   */
  step(batchSize: number, options: StepOptions = {}): void {
    if (!(typeof batchSize === 'number' && batchSize > 0 && Number.isFinite(batchSize))) {
      throw new RangeError(`Trainer.step: batchSize must be a positive number, got ${batchSize}`);
    }
    const ignoreStale = options.ignoreStaleGrad ?? false;
    const active: Array<[number, Parameter]> = [];
    this.params.forEach((p, index) => {
      if (p.gradReq === 'null') return;
      if (!p.isInitialized) {
        throw new Error(
          p.isDeferred
            ? `Trainer.step: parameter '${p.name}' has not been initialized yet: its shape ${formatShape(p.shape)} is inferred on the first forward; run a forward and backward pass before step`
            : `Trainer.step: parameter '${p.name}' has not been initialized; call net.initialize() first`,
        );
      }
      const data = p.data();
      if (!data._freshGrad) {
        if (ignoreStale) return;
        throw new Error(
          `Trainer.step: gradient of Parameter '${p.name}' on context cpu(0) has not been updated by backward since last step. ` +
            'This could mean a bug in your model that made it only use a subset of the Parameters (Blocks) for this iteration. ' +
            'If you are intentionally only using a subset, call step with { ignoreStaleGrad: true } to skip updating Parameters with stale gradient',
        );
      }
      active.push([index, p]);
    });
    this.optimizer.rescaleGrad = this.scale / batchSize;
    for (const [index, p] of active) {
      const data = p.data();
      let state = this.states.get(index);
      if (state === undefined) {
        state = this.optimizer.createState(data);
        this.states.set(index, state);
      }
      this.optimizer.update(this.indexBase + index, data, p.grad(), state, p.lrMult, p.wdMult);
      data._freshGrad = false;
    }
  }
}
