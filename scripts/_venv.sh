# Shared by scripts/demo.sh and scripts/test.sh: make .venv with Python 3.11 and install $1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=""
# The distribution's Python 3.11 first (Debian/Ubuntu: /usr/bin/python3.11, built with
# profile-guided and link-time optimisation and libpython linked into the interpreter), then the
# first on PATH. A self-built one (pyenv: --enable-shared, no PGO) runs this project's tests with
# about 10% more CPU (BENCHMARKS.md, "Which Python"). One that cannot make a venv is skipped.
for candidate in /usr/bin/python3.11 python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info[:2] != (3, 11))' \
           2>/dev/null; then
        PY="$candidate"
        break
    fi
done
if [ -z "$PY" ]; then
    echo "Wijkimpact heeft Python 3.11 nodig (python3.11 niet gevonden)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "==> virtuele omgeving maken in .venv"
    "$PY" -m venv .venv
fi
echo "==> pakketten installeren uit $1"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
