"""Security basics: no secrets in git, no data rendered as HTML, XSRF protection on, upload
limits that agree, and Streamlit refusing an upload without the XSRF token."""

from __future__ import annotations

import re
import subprocess
import tomllib
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT
from wijkimpact.ui import intake, widget_texts

SECRET_SETTINGS = re.compile(
    r"""(client_secret|cookie_secret|cookieSecret)\s*[=:]\s*["']([^"'\n]*)["']""", re.I
)
PRIVATE_KEY = re.compile(r"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----")
# values that are clearly not a secret: placeholders, and a test's made-up value in braces
PLACEHOLDER = re.compile(r"^$|VERVANG|\{|<|\.\.\.|example|x{8,}|y{8,}", re.I)


def _files_for_git() -> list[str]:
    """Every file git has or would add (tracked, and untracked but not ignored)."""
    done = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip("geen git-werkmap")
    return [line for line in done.stdout.splitlines() if line]


def test_no_file_in_git_holds_a_secret():
    found = []
    for name in _files_for_git():
        if "/node_modules/" in f"/{name}":  # npm's packages (ignored): their docs show examples
            continue
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_bytes().decode("utf-8", "ignore")
        if PRIVATE_KEY.search(text):
            found.append(f"{name}: private key")
        for setting, value in SECRET_SETTINGS.findall(text):
            if not PLACEHOLDER.search(value):
                found.append(f"{name}: {setting} = {value[:4]}...")
    assert not found, found
    assert ".streamlit/secrets.toml" not in _files_for_git()


def test_secrets_toml_is_ignored_and_its_example_is_not():
    ignored = subprocess.run(
        ["git", "check-ignore", ".streamlit/secrets.toml", "tests/oidc/node_modules/x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ignored.stdout.split() == [".streamlit/secrets.toml", "tests/oidc/node_modules/x"]
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text("utf-8"))
    assert set(example["auth"]) >= {
        "redirect_uri",
        "cookie_secret",
        "client_id",
        "client_secret",
        "server_metadata_url",
    }


def test_no_code_renders_html():
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
    sources += (ROOT / "wijkimpact").rglob("*.py")
    allowing = [
        p.relative_to(ROOT).as_posix()
        for p in sources
        if re.search(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.html\(", p.read_text())
    ]
    # the one exception: a style block with the uploader's button text from the catalogue
    # (Streamlit has no parameter for it); it holds no data and no tag but <style>
    assert allowing == ["wijkimpact/ui/widget_texts.py"]
    style = widget_texts.uploader_style(widget_texts.UPLOAD)
    assert re.findall(r"<[^>]*>", style) == ["<style>", "</style>"]
    assert widget_texts.uploader_style('x"}</style><script>') == ""  # never a tag from a text


def test_xsrf_protection_is_not_switched_off_and_uploads_are_limited():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config.get("server", {})
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert server["maxUploadSize"] == intake.MAX_MB  # the page's limit is the server's


@pytest.mark.browser
def test_the_running_app_refuses_an_upload_without_the_xsrf_token(demo_server):
    url = demo_server
    request = urllib.request.Request(
        f"{url}/_stcore/upload_file/sessie/bestand",
        data=b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n"
        b"a\r\n--x--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
        method="PUT",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (400, 403)
    assert b"XSRF" in refused.value.read() or refused.value.code == 403
