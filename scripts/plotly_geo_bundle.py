"""Fetch plotly's geo bundle (npm: plotly.js-geo-dist-min) for the plotly.js version the
installed plotly package writes figures for, check it against the npm registry's integrity hash,
and write it to static/js/ (kaart.static_files.plotly_geo_bundle), where /kaart loads it.

    .venv/bin/python scripts/plotly_geo_bundle.py

Run after an upgrade of plotly in requirements.txt, and commit the new file (the suite fails
until it is there: tests/test_map_files.py). Needs the npm registry once; the app never does."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wijkimpact.kaart import static_files  # noqa: E402

PACKAGE = "plotly.js-geo-dist-min"
REGISTRY = "https://registry.npmjs.org"
MEMBER = "package/plotly-geo.min.js"


def fetch(version: str) -> bytes:
    """The bundle of ``version``, from the registry's tarball, after checking its sha512."""
    with urllib.request.urlopen(f"{REGISTRY}/{PACKAGE}/{version}", timeout=60) as answer:
        dist = json.load(answer)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=120) as answer:
        tarball = answer.read()
    algorithm, expected = dist["integrity"].split("-", 1)
    if (
        algorithm != "sha512"
        or base64.b64encode(hashlib.sha512(tarball).digest()).decode() != expected
    ):
        raise SystemExit(f"{PACKAGE} {version}: the tarball does not match the registry's hash")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{PACKAGE} {version}: no {MEMBER} in the tarball")
        return member.read()


def main() -> None:
    target = static_files.plotly_geo_bundle()
    version = target.name.removeprefix("plotly-geo-").removesuffix(".min.js")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(fetch(version))
    print(
        f"{target.relative_to(static_files.PROJECT_ROOT)}: {PACKAGE} {version}, "
        f"{target.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
