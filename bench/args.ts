/**
 * A tiny command-line parser shared by the benchmark's parent (`run.ts`) and its child workers:
 * `--name value` pairs and bare `--flag`s, with typed getters that name the flag and the bad value
 * in their errors. No dependency, so every worker starts fast.
 */

/** Parsed `--name value` / `--flag` arguments. */
export class Args {
  private readonly values = new Map<string, string>();
  private readonly flags = new Set<string>();

  /**
   * Parses `argv` (without node and the script). A `--name` followed by a value that does not
   * start with `--` takes it; otherwise it is a flag. `--name=value` works too.
   * @example new Args(['--model', 'mlp', '--quick']).string('model', 'softmax') // 'mlp'
   */
  constructor(argv: readonly string[]) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (!arg.startsWith('--'))
        throw new Error(`bench: unexpected argument '${arg}' (options start with --)`);
      const eq = arg.indexOf('=');
      if (eq > 0) {
        this.values.set(arg.slice(2, eq), arg.slice(eq + 1));
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
        this.values.set(arg.slice(2), argv[++i]);
      } else {
        this.flags.add(arg.slice(2));
      }
    }
  }

  /** Whether the bare flag `--name` was given. */
  flag(name: string): boolean {
    return this.flags.has(name);
  }

  /** Whether `--name` was given at all (as a flag or with a value). */
  has(name: string): boolean {
    return this.flags.has(name) || this.values.has(name);
  }

  /** The value of `--name`, or `fallback`. */
  string(name: string, fallback: string): string {
    return this.values.get(name) ?? fallback;
  }

  /** The value of `--name` as one of `choices`, or `fallback`. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.values.get(name) ?? fallback;
    if (!(choices as readonly string[]).includes(value)) {
      throw new Error(`bench: --${name} must be one of ${choices.join(', ')}, got '${value}'`);
    }
    return value as T;
  }

  /** The value of `--name` as a non-negative integer, or `fallback`. */
  int(name: string, fallback: number): number {
    const raw = this.values.get(name);
    if (raw === undefined) {
      if (this.flags.has(name)) throw new Error(`bench: --${name} needs a number`);
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`bench: --${name} must be a non-negative integer, got '${raw}'`);
    }
    return value;
  }
}

/**
 * Recovers the options of `npm run bench -- --quick --epochs=5` when an outer `npm run` without a
 * trailing `--` swallowed them: npm turns each unknown `--name[=value]` into an environment
 * variable `npm_config_name` ("true" for a bare flag, "" for `--no-name`) and passes only the
 * loose values on. A loose value is matched to the one option left at "true"; with several, the
 * pairing is unknowable and an error says to write `--name=value`.
 * @example argvFromNpmConfig(['5'], ['quick', 'epochs'], ['epochs'], env) // ['--quick', '--epochs', '5']
 */
export function argvFromNpmConfig(
  loose: readonly string[],
  names: readonly string[],
  valued: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const argv: string[] = [];
  const waiting: string[] = [];
  for (const name of names) {
    const value = env[`npm_config_${name.replaceAll('-', '_')}`];
    if (value === undefined) continue;
    if (value === '') argv.push(`--no-${name}`);
    else if (value === 'true' && valued.includes(name)) waiting.push(name);
    else if (value === 'true') argv.push(`--${name}`);
    else argv.push(`--${name}`, value);
  }
  if (waiting.length > 1 || waiting.length !== loose.length) {
    throw new Error(
      `bench: npm kept the values ${JSON.stringify(loose)} apart from --${waiting.join(', --')}; write them as --name=value (e.g. npm run bench -- --epochs=5)`,
    );
  }
  if (waiting.length === 1) argv.push(`--${waiting[0]}`, loose[0]);
  return argv;
}
