"""Fetch plotly's geo bundle (npm: plotly.js-geo-dist-min) for the plotly.js version the
installed plotly package writes figures for, check it against the npm registry's integrity hash,
and write it to static/js/ (kaart.static_files.plotly_geo_bundle), where /kaart loads it.

    .venv/bin/python scripts/plotly_geo_bundle.py

Run after an upgrade of plotly in requirements.txt and commit static/js/ (the suite fails until
the new bundle is there: tests/test_map_files.py); the bundle of the version before is removed.
Needs the npm registry once; the app never does."""

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
LICENCE = "package/LICENSE"  # MIT: the copyright and permission notice go with the code


def fetch(version: str, members: tuple[str, ...] = (MEMBER,)) -> list[bytes]:
    """``members`` of the ``version``'s tarball (the bundle), from the npm registry, after
    checking the tarball's sha512 against the registry's."""
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
        return [_member(archive, name, version) for name in members]


def _member(archive: tarfile.TarFile, name: str, version: str) -> bytes:
    try:
        found = archive.extractfile(name)
    except KeyError:
        found = None
    if found is None:
        raise SystemExit(f"{PACKAGE} {version}: no {name} in the tarball")
    return found.read()


def main() -> None:
    target = static_files.plotly_geo_bundle()
    version = target.name.removeprefix("plotly-geo-").removesuffix(".min.js")
    target.parent.mkdir(parents=True, exist_ok=True)
    code, licence = fetch(version, (MEMBER, LICENCE))
    target.write_bytes(code)
    target.with_name("LICENSE-plotly.js.txt").write_bytes(licence)
    for old in target.parent.glob("plotly-geo-*.min.js"):  # the bundle of the plotly before
        if old != target:
            old.unlink()
    print(
        f"{target.relative_to(static_files.PROJECT_ROOT)}: {PACKAGE} {version}, "
        f"{target.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
