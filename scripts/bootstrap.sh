# Sourced by the other scripts: make sure .venv exists and holds the given requirements.
# Usage: source scripts/bootstrap.sh REQUIREMENTS_FILE
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python3}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is needed; set PYTHON to its path." >&2
  exit 1
fi
if [ ! -x "$root/.venv/bin/python" ]; then
  echo "Creating the virtual environment in .venv"
  "$python" -m venv "$root/.venv"
  "$root/.venv/bin/python" -m pip install --quiet --upgrade pip
fi
echo "Installing $1 into .venv"
(cd "$root" && .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1")
export PATH="$root/.venv/bin:$PATH"
cd "$root"

# Meltano goes into a virtualenv of its own, .venv-meltano, so its pins never meet the
# plugins'; it then installs each plugin of meltano.yml into a virtualenv of the plugin's own.
install_meltano() {
  if [ ! -x "$root/.venv-meltano/bin/meltano" ]; then
    echo "Creating .venv-meltano and installing Meltano into it (kept apart from .venv)"
    "$python" -m venv "$root/.venv-meltano"
    "$root/.venv-meltano/bin/python" -m pip install --quiet --disable-pip-version-check meltano
  fi
  export MELTANO_BIN="$root/.venv-meltano/bin/meltano"
  export MELTANO_SEND_ANONYMOUS_USAGE_STATS=false
}
