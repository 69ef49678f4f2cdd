/**
 * Variables as POSIX shell exports, for `eval "$(yarn … env)"`: each value single-quoted,
 * with any single quote in it closed, escaped and reopened, so no value is run.
 */
export function shellExports(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'\n`)
    .join('');
}
