"""GX Data Docs as a static site that works offline: the suites and the stored validation results.

A file-backed GX context in a temporary folder exists only for the build (no account, nothing kept
but the site). Afterwards every CDN address in the pages is rewritten to a local copy under
``static/vendor/`` (see :mod:`expectations._docs_assets`), GX's hosted logo to the one it ships in
``static/images/``, and the ``integrity``/``crossorigin`` attributes are dropped: a page opened from
disk has no origin, so a CORS-mode request for a local file would be refused.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from expectations._docs_assets import CDN_FILES, PACKAGES, ensure_assets, vendored_path

SITE = "local_site"
_GX_HOSTED = re.compile(r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/[^\"')\s]+")
_SRI = re.compile(r'\s+(?:integrity="[^"]*"|crossorigin="[^"]*")')
# GX counts one folder too few for validation pages' static links (their favicon 404s): re-root them.
_STATIC = re.compile(r'(?<=")(?:\.\./)+static/')
# Resources a page loads by itself (links to click are not loads): script/img src, stylesheet href, CSS url().
_LOADS = re.compile(r'(?:<script[^>]*\ssrc|<img[^>]*\ssrc|<link[^>]*\shref)="([^"]+)"|url\([\'"]?([^\'")]+)')


def build_data_docs(out: Path, runs: Sequence[Mapping[str, Any]], vendor: Path) -> Path:
    """Build the Data Docs site into ``out`` (replacing what was there) and make it self-contained.

    Args:
        out: the site folder, e.g. ``var/reports/data_docs``.
        runs: validation runs as stored (``warehouse.quality.validation.validation_runs``): ``batch_id``,
            ``finished_at`` and the masked GX ``result`` document; runs without one are skipped.
        vendor: the cache of the pinned CDN packages (fetched with npm when missing).

    Returns:
        The site's ``index.html``.
    """
    import great_expectations as gx
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResultSchema
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    from expectations.suites import SUITES, build_suite_for
    from expectations.suites.canonical import build_suite

    ensure_assets(vendor)
    out = out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryDirectory() as project:
        context = gx.get_context(mode="file", project_root_dir=project)
        context.enable_analytics(False)
        context.update_data_docs_site(
            SITE,
            {  # type: ignore[typeddict-unknown-key]  # GX reads it all the same
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(out)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        for suite in [build_suite(), *(build_suite_for(source) for source in SUITES)]:
            context.suites.add(suite)
        schema = ExpectationSuiteValidationResultSchema()
        for run in runs:
            if not run.get("result"):
                continue
            result = schema.load(json.loads(json.dumps(run["result"], default=str)))
            finished: datetime = run["finished_at"]
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
                run_id=RunIdentifier(run_name=_safe(run["batch_id"]), run_time=finished),
                batch_identifier=_safe(run["batch_id"]),
            )
            context.validation_results_store.set(key, result)
        context.build_data_docs(site_names=[SITE])
    _vendor_into(out, vendor)
    return out / "index.html"


def external_loads(site: Path) -> dict[str, list[str]]:
    """Resources the site's pages and styles would fetch from the network, per file (empty when offline-ready).

    Args:
        site: the site folder.

    Returns:
        File (relative to ``site``) -> the absolute ``http(s)://`` or protocol-relative addresses it loads.
    """
    found: dict[str, list[str]] = {}
    for path in sorted([*site.rglob("*.html"), *site.rglob("*.css")]):
        loads = [a or b for a, b in _LOADS.findall(path.read_text(encoding="utf-8", errors="replace"))]
        remote = sorted({u for u in loads if u.startswith(("http://", "https://", "//"))})
        if remote:
            found[str(path.relative_to(site))] = remote
    return found


def missing_local_loads(site: Path) -> dict[str, list[str]]:
    """Local files the pages load that do not exist (a rewrite pointing nowhere), per page."""
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*.html")):
        loads = [a or b for a, b in _LOADS.findall(path.read_text(encoding="utf-8"))]
        broken = [
            u
            for u in loads
            if not u.startswith(("http", "//", "data:", "#"))
            and not (path.parent / u.split("?")[0].split("#")[0]).exists()
        ]
        if broken:
            found[str(path.relative_to(site))] = sorted(set(broken))
    return found


def _vendor_into(out: Path, vendor: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(
            vendor / package.folder,
            out / "static" / "vendor" / package.folder,
            ignore=shutil.ignore_patterns(".complete"),
            dirs_exist_ok=True,
        )
    for path in [*out.rglob("*.html"), *out.rglob("*.css")]:
        if "vendor" in path.relative_to(out).parts:
            continue
        root = os.path.relpath(out, path.parent).replace(os.sep, "/") + "/"
        text = path.read_text(encoding="utf-8")
        for url in CDN_FILES:
            text = text.replace(url, f"{root}static/vendor/{vendored_path(url)}")
        text = _GX_HOSTED.sub(f"{root}static/images/logo-long.png", text)
        if path.suffix == ".html":
            text = _STATIC.sub(f"{root}static/", text)
        path.write_text(_SRI.sub("", text), encoding="utf-8")


def _safe(name: str) -> str:
    # Run names become folder names: keep them portable (a batch id holds ':').
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)
