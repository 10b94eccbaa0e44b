#!/usr/bin/env bash
# One command from a fresh clone to the running app on the bundled (fictional) demo data.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_venv.sh requirements.txt
echo "==> demodatabase bouwen (fictieve gemeente Demostad)"
.venv/bin/python -m etl build
echo "==> app starten op http://localhost:${PORT:-8501}"
export WIJKIMPACT_MODE=demo  # demo mode is asked for: anyone may pick any role
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" --server.headless true \
    --browser.gatherUsageStats false
