#!/usr/bin/env bash
# Builds the local-cluster toolchain (Kubernetes control plane, etcd, kwok, helm,
# istioctl, pilot-discovery, and the harness's own xDS stand-in for sidecars) from the
# Go modules pinned beside this script, into .cache/clusters/<component>-<key>/. The key
# hashes the component's go.mod, go.sum, Go sources and this script, so a component is
# rebuilt only when its pinned version or its own code changes.
# Prints the bin directory of every component, one per line, as NAME=DIR.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${ISTIO_MESH_TOOLS_CACHE:-$repo/.cache/clusters}
mkdir -p "$cache"
# One build at a time: a finished build removes every other directory of its component,
# including a build still in progress (start and test may be run side by side).
exec 9>"$cache/.lock"
flock -n 9 || { echo "waiting for another toolchain build to finish" >&2; flock 9; }
export CGO_ENABLED=0 GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOFLAGS=-mod=readonly

version_of() { (cd "$here/$1" && go list -m -f '{{.Version}}' "$2"); }

ldflags_for() {
  case "$1" in
    kubernetes)
      local v minor ld="-s -w" p
      v=$(version_of kubernetes k8s.io/kubernetes)
      minor=$(echo "$v" | cut -d. -f2)
      for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        ld="$ld -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
      done
      echo "$ld" ;;
    etcd) echo "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$(version_of etcd go.etcd.io/etcd/server/v3)" ;;
    helm) echo "-s -w -X helm.sh/helm/v3/internal/version.version=$(version_of helm helm.sh/helm/v3)" ;;
    istio)
      local v; v=$(istio_version)
      echo "-s -w -X istio.io/istio/pkg/version.buildVersion=$v -X istio.io/istio/pkg/version.buildTag=$v -X istio.io/istio/pkg/version.buildStatus=Clean" ;;
    *) echo "-s -w" ;;
  esac
}

# The module proxy serves Istio only as pseudo-versions of master; name the build after
# the release line in the module's VERSION file plus the commit, as Istio's dev builds do.
istio_version() {
  local dir commit
  dir=$(cd "$here/istio" && go list -m -f '{{.Dir}}' istio.io/istio)
  commit=$(version_of istio istio.io/istio | sed 's/.*-//')
  echo "$(cat "$dir/VERSION").0-dev-$commit"
}

# kwok's controller has no built-in stages (kwokctl passes them); take the default
# "fast" pod and node stages from the pinned module source, as kwokctl does.
kwok_stages() {
  local dir f
  dir=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
  for f in node/fast/node-initialize.yaml node/heartbeat/node-heartbeat.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    echo '---'; cat "$dir/kustomize/stage/$f"
  done
}

# Istio's in-repo charts say version 1.0.0 and point at testing images, which the
# release build rewrites. Do the same, so helm sees what the chart repository serves:
# the build's version, and images named by the release hub (the short form of the
# Docker Hub "istio" organisation) and tag.
package_istio_charts() {
  local out=$1 dir version work chart helm
  helm="$(build helm | cut -d= -f2)/helm"
  dir=$(cd "$here/istio" && go list -m -f '{{.Dir}}' istio.io/istio)
  version=$(istio_version)
  work=$(mktemp -d)
  mkdir -p "$out"
  for chart in base istio-control/istio-discovery gateway; do
    cp -r "$dir/manifests/charts/$chart" "$work/"
    chmod -R u+w "$work/$(basename "$chart")"
    sed -i -e 's#^\(\s*hub:\).*/testing$#\1 istio#' -e "s#^\(\s*tag:\) latest\$#\1 $version#" \
      "$work/$(basename "$chart")/values.yaml"
    "$helm" package --version "$version" --app-version "$version" \
      -d "$out" "$work/$(basename "$chart")" >/dev/null
  done
  rm -rf "$work"
}

# The component's own commands beside its module's tools: directories holding Go files.
packages_of() {
  find "$here/$1" -mindepth 2 -name '*.go' ! -name '*_test.go' -printf '%h\n' | sort -u |
    sed "s#^$here/$1/#./#"
}

build() {
  local comp=$1 key out tmp
  key=$( (cat "$here/$comp/go.mod" "$here/$comp/go.sum" "$here/build.sh"
          find "$here/$comp" -name '*.go' ! -name '*_test.go' | sort | xargs -r cat) | sha256sum | cut -c1-12)
  out="$cache/$comp-$key"
  if [ ! -f "$out/.complete" ]; then
    echo "building $comp (cache $out)" >&2
    tmp="$out.tmp.$$"; rm -rf "$tmp"; mkdir -p "$tmp"
    (cd "$here/$comp" && go mod download && go build -trimpath -ldflags "$(ldflags_for "$comp")" -o "$tmp/" tool $(packages_of "$comp"))
    [ "$comp" = kwok ] && kwok_stages > "$tmp/stages.yaml"
    [ "$comp" = istio ] && package_istio_charts "$tmp/charts"
    if [ "$comp" = etcd ]; then mv "$tmp"/server "$tmp/etcd" 2>/dev/null || mv "$tmp"/v3 "$tmp/etcd"; fi
    touch "$tmp/.complete"; rm -rf "$out"; mv "$tmp" "$out"
    # Builds of older pins are dead weight once this one is complete.
    find "$cache" -maxdepth 1 -name "$comp-*" ! -name "$comp-$key" -exec rm -rf {} +
  fi
  echo "$comp=$out"
}

for comp in ${*:-kubernetes etcd kwok helm istio}; do build "$comp"; done
