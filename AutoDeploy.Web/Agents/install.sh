#!/usr/bin/env bash
# Installs the AutoDeploy agent on this Linux machine, registers it and runs it as a systemd service. Served by an
# AutoDeploy server at /install.sh with that server's address and the SHA-256 of each agent binary filled in:
#
#   curl -fsSL https://deploy.example.com/install.sh | sudo bash -s -- --token ENROL-... --environment Production --role web
#   curl -fsSL https://deploy.example.com/install.sh | sudo bash -s -- uninstall
#
# Options of its own (every other option goes to 'autodeploy-agent register': --token, --environment, --role,
# --name, --name-suffix, --policy, --api-key, --force):
#   --no-service          install and register only (containers, tests); start it with '<dir>/autodeploy-agent run --home <home>'
#   --user NAME           run the agent as NAME (default: the system user 'autodeploy-agent', created when missing)
#   --deregister-on-stop  the service deregisters the machine when it stops (throwaway and spot instances)
#   --server URL          the server to register with (default: the one this script came from)
#   --server-thumbprint SHA256, --insecure   how far the agent trusts the server (see 'autodeploy-agent register --help')
#   --arch ARCH           the architecture to install for (default: uname -m; x86_64 or aarch64)
#   --prefix DIR          install under DIR instead of / (tests)
#   --print-unit          print the systemd unit it would write, then exit
#   uninstall, --uninstall  stop and remove the service, deregister the machine, remove the agent
# Running it again is harmless: a registered machine stays registered; the binary and the unit are brought up to date.
# Exit codes: 0 done; 1 a problem of this script (unsupported architecture, checksum mismatch, no systemd, ...), with
# nothing installed; any other code is autodeploy-agent register's own (2 token refused, 3 server not trusted,
# 4 enrolment token refused).
set -euo pipefail

server=@@SERVER@@
version=@@VERSION@@
thumbprint=@@THUMBPRINT@@
sha256_x86_64=@@SHA256_X86_64@@
sha256_aarch64=@@SHA256_AARCH64@@

service_name=autodeploy-agent
default_user=autodeploy-agent

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

prefix="" user="" service=1 uninstall=0 print_unit=0 deregister_on_stop=0 insecure=0 arch=""
register_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-service) service=0 ;;
    --deregister-on-stop) deregister_on_stop=1 ;;
    --insecure) insecure=1; register_args+=("$1") ;;
    --print-unit) print_unit=1 ;;
    uninstall | --uninstall) uninstall=1 ;;
    --user | --prefix | --server | --server-thumbprint | --arch | --token | --environment | --role | --name | --name-suffix | --policy | --api-key)
      [ $# -ge 2 ] || fail "$1 needs a value."
      case "$1" in
        --user) user=$2 ;;
        --prefix) prefix=${2%/} ;;
        --server) server=$2 ;;
        --server-thumbprint) thumbprint=$2 ;;
        --arch) arch=$2 ;;
        *) register_args+=("$1" "$2") ;;
      esac
      shift ;;
    --home | --home=*) fail "the installer chooses the agent's home; --home is not an option here." ;;
    *) register_args+=("$1") ;;
  esac
  shift
done

dir="$prefix/opt/autodeploy-agent"
bin="$dir/autodeploy-agent"
home="$prefix/var/lib/autodeploy-agent"
unit="$prefix/etc/systemd/system/$service_name.service"
if [ -z "$user" ]; then
  if [ "$service" = 1 ] || [ "$print_unit" = 1 ]; then user=$default_user; else user=$(id -un); fi
fi

unit_text() {
  local stop_flag=""
  [ "$deregister_on_stop" = 1 ] && stop_flag=" --deregister-on-stop"
  cat <<UNIT
[Unit]
Description=AutoDeploy agent (server $server)
Wants=network-online.target
After=network-online.target

[Service]
Type=exec
User=$user
# Deregistered (by --deregister-on-stop, or uninstall): nothing to run until the machine is registered again.
ExecCondition=/usr/bin/test -f $home/agent.json
ExecStart=$bin run --home $home$stop_flag
# The agent stops its running script itself and reports it canceled; then systemd ends what is left.
KillMode=mixed
TimeoutStopSec=60
Restart=on-failure
RestartSec=5
# 2: its token was refused (deregistered or revoked); 3: it does not trust the server. Restarting changes neither.
RestartPreventExitStatus=2 3

[Install]
WantedBy=multi-user.target
UNIT
}

if [ "$print_unit" = 1 ]; then
  unit_text
  exit 0
fi

have_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null; }
as_user() {
  if [ "$user" = "$(id -un)" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}

if [ "$uninstall" = 1 ]; then
  if [ -f "$unit" ]; then
    if have_systemd; then systemctl disable --now "$service_name" >/dev/null 2>&1 || true; fi
    rm -f "$unit"
    if have_systemd; then systemctl daemon-reload; fi
  fi
  if [ -x "$bin" ] && [ -f "$home/agent.json" ]; then
    "$bin" deregister --home "$home" || echo "install.sh: could not deregister; the server removes the machine when its policy says so." >&2
  fi
  rm -rf "$dir" "$home"
  if [ -z "$prefix" ] && id -u "$default_user" >/dev/null 2>&1; then userdel "$default_user" >/dev/null 2>&1 || true; fi
  echo "Uninstalled the AutoDeploy agent."
  exit 0
fi

[ "$(uname -s)" = Linux ] || fail "the AutoDeploy agent runs on Linux, not $(uname -s). Nothing was installed."
arch=${arch:-$(uname -m)}
case "$arch" in
  x86_64 | amd64) runtime=linux-x64 expected=$sha256_x86_64 ;;
  aarch64 | arm64) runtime=linux-arm64 expected=$sha256_aarch64 ;;
  *) fail "unsupported architecture '$arch': the AutoDeploy agent is built for x86_64 and aarch64. Nothing was installed." ;;
esac
[ -n "$expected" ] || fail "the server at $server has no agent for $runtime (it was built without agent binaries). Nothing was installed."
if [ "$service" = 1 ] && ! have_systemd; then
  fail "systemd is not running here. Use --no-service and start '$bin run --home $home' yourself. Nothing was installed."
fi
for tool in curl sha256sum; do
  command -v "$tool" >/dev/null || fail "$tool is needed. Nothing was installed."
done

# Downloaded beside its final place and moved there only once its SHA-256 is the one this script was served with,
# so neither a cut download nor a changed file is ever installed. The hash is what is trusted here: when the agent
# pins the server's certificate (or may use plain http), curl need not verify it too.
mkdir -p "$dir"
download=$(mktemp "$dir/.autodeploy-agent.XXXXXX")
trap 'rm -f "$download"' EXIT
# Undoes the download before a refusal: the folder goes too unless an earlier install left the agent in it.
leave_nothing() {
  rm -f "$download"
  rmdir "$dir" 2>/dev/null || true
}
curl_options=(-fsSL --retry 5 --retry-connrefused --retry-delay 2)
if [ -n "$thumbprint" ] || [ "$insecure" = 1 ]; then curl_options+=(--insecure); fi
curl "${curl_options[@]}" -o "$download" "${server%/}/agents/$runtime/autodeploy-agent" \
  || { leave_nothing; fail "could not download the agent from $server. Nothing was installed."; }
actual=$(sha256sum "$download" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  leave_nothing
  fail "checksum mismatch for the $runtime agent from $server: expected SHA-256 $expected, got $actual. Nothing was installed."
fi
chmod 755 "$download"

if [ "$service" = 1 ] && [ "$user" = "$default_user" ] && ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --home-dir "$home" --no-create-home --shell /usr/sbin/nologin "$user"
fi
id -u "$user" >/dev/null 2>&1 || fail "there is no user '$user'. Nothing was installed."
created_home=0
[ -d "$home" ] || created_home=1
mkdir -p "$home"
chmod 700 "$home"
[ "$user" = "$(id -un)" ] || chown "$user:" "$home"

if [ -f "$home/agent.json" ]; then
  echo "Already registered ($home/agent.json); to register again, uninstall first."
else
  trust_args=()
  if [ -n "$thumbprint" ]; then trust_args+=(--server-thumbprint "$thumbprint"); fi
  status=0
  as_user "$download" register --server "$server" --home "$home" "${trust_args[@]}" "${register_args[@]}" || status=$?
  if [ "$status" != 0 ]; then
    leave_nothing
    if [ "$created_home" = 1 ]; then rm -rf "$home"; fi
    echo "install.sh: registration failed (exit code $status). Nothing was installed." >&2
    exit "$status"
  fi
fi
mv -f "$download" "$bin"
trap - EXIT
# The agent replaces itself when its machine policy updates agents Automatically: its folder is its user's.
[ "$user" = "$(id -un)" ] || chown "$user:" "$dir" "$bin"

if [ "$service" = 1 ]; then
  mkdir -p "$(dirname "$unit")"
  unit_text >"$unit"
  systemctl daemon-reload
  systemctl enable "$service_name" >/dev/null 2>&1
  systemctl restart "$service_name"
  echo "The AutoDeploy agent $version is installed and running as the service $service_name (user $user)."
else
  echo "The AutoDeploy agent $version is installed and registered. Start it with: $bin run --home $home"
fi
