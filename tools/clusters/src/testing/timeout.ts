// Jest drops a package's testTimeout when the repo runs every package as one
// multi-project run, so integration suites set it here instead. It is above the helm
// step's --wait (300 s): a slow join then fails with the step's own error, and no task
// is left running into the next test, as a Jest timeout would leave it.
jest.setTimeout(420_000);
