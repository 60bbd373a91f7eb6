"""Local copies of the scripts and styles GX Data Docs load from public CDNs, fetched from the npm registry.

Command centres sit on closed networks, where a page that loads jQuery, Bootstrap, bootstrap-table,
Font Awesome and Vega from unpkg/jsDelivr/cdnjs renders unstyled and without its tables' filters.
Each package is pinned to the exact version GX's templates ask for (the newest 5.x/6.x where GX
asks for a major version only) and to the registry's sha512 integrity; ``npm pack`` fetches it
once into a cache under ``var/``, and nothing third-party is committed to the repository.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm package and the files the pages need from it (paths inside the package)."""

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]

    @property
    def folder(self) -> str:
        """The package's folder under the vendor directory, e.g. ``fortawesome-fontawesome-free-6.6.0``."""
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}"


PACKAGES: tuple[NpmPackage, ...] = (
    NpmPackage("jquery", "3.7.1", "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
               ("dist/jquery.min.js",)),
    NpmPackage("popper.js", "1.12.9", "sha512-s0EEi9xiSCdqz9lV4IiVH5yIZnDX/U1t0tCjB+0jXx9jW8lrR7kOpVupiUg175ogqVoudpDXHF1p6dKATCHMeg==",
               ("dist/umd/popper.min.js",)),
    NpmPackage("bootstrap", "4.3.1", "sha512-rXqOmH1VilAt2DyPzluTi2blhk17bO7ef+zLLPlWvG494pDxcM234pJ8wTc/6R40UWizAIIMgxjvxZg5kmsbag==",
               ("dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js")),
    NpmPackage("bootstrap-table", "1.19.1", "sha512-WvV+l1AI/C+zThaKmfHmi/IuayVNB0qdFyEhFx1jyZhO0oLtNJNANkCR3rvJf6Dkh72dsLElxpE/bzK9seEQLA==",
               ("dist/bootstrap-table.min.css", "dist/bootstrap-table.min.js",
                "dist/extensions/filter-control/bootstrap-table-filter-control.css",
                "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
                "dist/extensions/filter-control/bootstrap-table-filter-control.min.js")),
    NpmPackage("bootstrap-datepicker", "1.9.0", "sha512-9rYYbaVOheGYxjOr/+bJCmRPihfy+LkLSg4fIFMT9Od8WwWB/MB50w0JO1eBgKUMbb7PFHQD5uAfI3ArAxZRXA==",
               ("dist/css/bootstrap-datepicker.min.css", "dist/js/bootstrap-datepicker.min.js")),
    NpmPackage("@forevolve/bootstrap-dark", "1.1.0", "sha512-A3ucpEpxPoTVO490lZZCfjPXxv832l7mm1IxX3bXyxvgwnPGXDLyh7dWrphXKO8YBAu3EswbBEu3VSW8NRMW3A==",
               ("dist/css/bootstrap-prefers-dark.css",)),
    NpmPackage("@fortawesome/fontawesome-free", "6.6.0", "sha512-60G28ke/sXdtS9KZCpZSHHkCbdsOGEhIUGlwq6yhY74UpTiToIh8np7A8yphhM4BWsvNFtIvLpi4co+h9Mr9Ow==",
               ("css/all.min.css", "webfonts")),
    NpmPackage("vega", "5.33.1", "sha512-1fArfVDUqVbb5z8n+/nVQb+VNBzx8svY6CrsyTK4Ujm4yrd9I1auoKxBAPXLCavY1LcrbHUskQbGUP8gXOzyQw==",
               ("build/vega.min.js",)),
    NpmPackage("vega-lite", "5.23.0", "sha512-l4J6+AWE3DIjvovEoHl2LdtCUkfm4zs8Xxx7INwZEAv+XVb6kR6vIN1gt3t2gN2gs/y4DYTs/RPoTeYAuEg6mA==",
               ("build/vega-lite.min.js",)),
    NpmPackage("vega-embed", "6.29.0", "sha512-PmlshTLtLFLgWtF/b23T1OwX53AugJ9RZ3qPE2c01VFAbgt3/GSNI/etzA/GzdrkceXFma+FDHNXUppKuM0U6Q==",
               ("build/vega-embed.min.js",)),
)  # fmt: skip
_BY_NAME = {p.name: p for p in PACKAGES}

# Every CDN address in GX 1.24's page templates -> (package, file). GX asks for bootstrap-table's
# filter-control styles from 1.19.0 and its scripts from 1.19.1; 1.19.1's styles serve both.
CDN_FILES: dict[str, tuple[str, str]] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": ("popper.js", "dist/umd/popper.min.js"),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": ("bootstrap", "dist/css/bootstrap.min.css"),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": ("bootstrap", "dist/js/bootstrap.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": ("bootstrap-table", "dist/bootstrap-table.min.css"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": ("bootstrap-table", "dist/bootstrap-table.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        ("bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        ("bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.css"),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        ("bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        ("bootstrap-datepicker", "dist/css/bootstrap-datepicker.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        ("bootstrap-datepicker", "dist/js/bootstrap-datepicker.min.js"),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        ("@forevolve/bootstrap-dark", "dist/css/bootstrap-prefers-dark.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": ("@fortawesome/fontawesome-free", "css/all.min.css"),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega", "build/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega-lite", "build/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega-embed", "build/vega-embed.min.js"),
}  # fmt: skip


def vendored_path(url: str) -> str:
    """Where a CDN address's file lives under the vendor directory, e.g. ``jquery-3.7.1/dist/jquery.min.js``."""
    name, file = CDN_FILES[url]
    return f"{_BY_NAME[name].folder}/{file}"


def ensure_assets(cache: Path) -> Path:
    """Fetch every pinned package not yet in ``cache`` (``npm pack``, integrity checked) and unpack its files.

    Args:
        cache: the vendor directory, e.g. ``var/vendor``; packages already there are not fetched again.

    Returns:
        ``cache``, holding ``<package folder>/<file>`` for every file of :data:`PACKAGES`.

    Raises:
        RuntimeError: if npm is missing or fails, or a tarball does not match its pinned integrity.
    """
    cache.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        if (cache / package.folder / ".complete").exists():
            continue
        _fetch(package, cache)
    return cache


def _fetch(package: NpmPackage, cache: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm is needed once to fetch the Data Docs assets (or copy var/vendor from a machine that has them)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        spec = f"{package.name}@{package.version}"
        done = subprocess.run(
            [npm, "pack", spec, "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != 1:
            raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[-500:]}")
        data = tarballs[0].read_bytes()
        digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        if digest != package.integrity:
            raise RuntimeError(
                f"{spec}: tarball integrity {digest} differs from the pinned {package.integrity}"
            )
        target = cache / package.folder
        shutil.rmtree(target, ignore_errors=True)
        with tarfile.open(tarballs[0]) as archive:
            for member in archive.getmembers():
                inner = member.name.removeprefix("package/")
                if member.isfile() and any(inner == f or inner.startswith(f + "/") for f in package.files):
                    archive.extract(member, Path(tmp) / "x", filter="data")
                    (target / inner).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(Path(tmp) / "x" / member.name, target / inner)
        missing = [f for f in package.files if not (target / f).exists()]
        if missing:
            raise RuntimeError(f"{spec} has no {missing}")
        (target / ".complete").write_text(package.integrity, encoding="utf-8")
