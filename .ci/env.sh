# Sourced by .ci/run (and usable by developers: `source .ci/env.sh`).
# 1. Node >= 22: when the machine's Node is older, the official binary shipped in the npm
#    package node-<platform>-<arch>@22 is unpacked into a cache folder and put first on PATH.
# 2. Terraform providers: when an offline provider mirror exists (CI and the sandbox machines
#    keep one at /opt/tf-plugins) and the user has no CLI config of their own, a CLI config that
#    installs providers from it (written by tools/scripts/with-node.cjs --tf-config, which every
#    npm script also goes through). On a normal machine nothing is written and Terraform
#    downloads providers as usual.
SLIPWAY_CACHE="${SLIPWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/slipway}"

# The pinned release and the fetch live in one place, tools/scripts/with-node.cjs, which every
# npm script also goes through; here it only tells which folder to put first on PATH.
slipway_node_bin="$(node "$(dirname "${BASH_SOURCE[0]}")/../tools/scripts/with-node.cjs" --bin-dir)"
if [ -n "$slipway_node_bin" ]; then
  export PATH="$slipway_node_bin:$PATH"
fi
unset slipway_node_bin

slipway_tf_config="$(node "$(dirname "${BASH_SOURCE[0]}")/../tools/scripts/with-node.cjs" --tf-config)"
if [ -n "$slipway_tf_config" ]; then
  export TF_CLI_CONFIG_FILE="$slipway_tf_config"
fi
unset slipway_tf_config
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
