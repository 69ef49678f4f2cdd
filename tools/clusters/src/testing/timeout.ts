// Jest drops a package's testTimeout when the repo runs every package as one
// multi-project run, so integration suites set it here instead.
jest.setTimeout(120_000);
