import { resolve } from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';

/** Paths are relative to where the user ran `yarn istio-mesh`, not to this package. */
export function userPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(
  args: string[],
  options: O,
  positionals = 0,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(
      `unexpected argument: ${parsed.positionals[positionals]}`,
    );
  }
  return parsed;
}

export function requireOption(
  values: Record<string, unknown>,
  name: string,
): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

export function integerOption(
  values: Record<string, unknown>,
  name: string,
): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(
      `--${name} must be a positive whole number, got "${value}"`,
    );
  }
  return n;
}
