"""Serving the built phone app: what is cached how long, what falls back to the shell, and
the text files gzipped for a client that accepts it, revalidating as the plain ones do."""

import gzip

import pytest

from server import web
from tests.errors import assert_error_shape

SHELL = "<!doctype html><title>Fältstöd</title>"


@pytest.fixture
def dist(app, tmp_path):
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "icons").mkdir()
    (folder / "index.html").write_text(SHELL, encoding="utf-8")
    (folder / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (folder / "manifest.webmanifest").write_text('{"name": "Fältstöd"}', encoding="utf-8")
    (folder / "assets" / "index-3f9a1c.js").write_text("console.log(1);")
    (folder / "assets" / "index-77ab0e.css").write_text("body{}")
    (folder / "icons" / "icon-192.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    app.config["PWA_DIST"] = str(folder)
    return folder


def fetch(client, path, **kwargs):
    """GET, read the body and close the file behind it (an open file is a warning, so an error)."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def assert_revalidated(response):
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Expires" not in response.headers


def test_the_dist_folder_defaults_to_pwa_dist_in_the_repository(app):
    assert app.config["PWA_DIST"] == str(web.DEFAULT_DIST)
    assert web.DEFAULT_DIST.parts[-2:] == ("pwa", "dist")


def test_the_shell_is_served_at_the_root_and_revalidated_on_every_request(client, dist):
    response = fetch(client, "/")
    assert_revalidated(response)
    assert response.mimetype == "text/html"
    assert response.get_data(as_text=True) == SHELL
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_service_worker_script_is_never_cached(client, dist):
    response = fetch(client, "/sw.js")
    assert_revalidated(response)
    assert response.mimetype in ("text/javascript", "application/javascript")


def test_the_manifest_is_revalidated_and_has_the_manifest_type(client, dist):
    response = fetch(client, "/manifest.webmanifest")
    assert_revalidated(response)
    assert response.mimetype == "application/manifest+json"


def test_a_revalidated_file_answers_304_when_unchanged(client, dist):
    etag = fetch(client, "/sw.js").headers["ETag"]
    assert fetch(client, "/sw.js", headers={"If-None-Match": etag}).status_code == 304


def test_hashed_assets_are_cached_for_a_year_as_immutable(client, dist):
    for name in ("index-3f9a1c.js", "index-77ab0e.css"):
        response = fetch(client, f"/assets/{name}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_missing_asset_is_a_404_never_the_shell(client, dist):
    response = fetch(client, "/assets/index-000000.js")
    assert response.status_code == 404
    assert SHELL not in response.get_data(as_text=True)
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_other_built_files_are_served_as_they_are(client, dist):
    response = fetch(client, "/icons/icon-192.png")
    assert_revalidated(response)
    assert response.mimetype == "image/png"


@pytest.mark.parametrize("path", ["/today", "/client/42", "/visit/1/cancel", "/index.html"])
def test_an_app_path_falls_back_to_the_revalidated_shell(client, dist, path):
    response = fetch(client, path)
    assert_revalidated(response)
    assert response.get_data(as_text=True) == SHELL


def test_a_path_that_leaves_the_dist_folder_gets_the_shell_not_the_file(client, dist, tmp_path):
    (tmp_path / "secret.txt").write_text("not for the web")
    response = fetch(client, "/..%2Fsecret.txt")
    assert "not for the web" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/no-such-thing", "/api/sync/nothing/here"])
def test_api_paths_never_fall_back_to_the_shell(client, dist, path):
    assert_error_shape(fetch(client, path), 404)


def test_a_wrong_method_on_an_api_path_still_answers_405(client, dist):
    assert_error_shape(fetch(client, "/api/sync/push"), 405)


def test_the_api_still_answers_next_to_the_app(client, dist):
    assert fetch(client, "/api/health").get_json()["status"] == "ok"


@pytest.mark.parametrize("path", ["/", "/sw.js", "/today"])
def test_an_unbuilt_app_answers_503_with_a_reason(app, client, tmp_path, path):
    app.config["PWA_DIST"] = str(tmp_path / "not-built")
    body = assert_error_shape(fetch(client, path), 503)
    assert body["reason"] == "app_not_built"
    assert "npm run build" in body["message"]


def test_text_files_go_gzipped_to_a_client_that_accepts_it_and_plain_to_one_that_does_not(client, dist):
    for path, file in (("/assets/index-3f9a1c.js", "assets/index-3f9a1c.js"), ("/", "index.html"),
                       ("/sw.js", "sw.js"), ("/manifest.webmanifest", "manifest.webmanifest")):
        packed = fetch(client, path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert packed.headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(packed.get_data()) == (dist / file).read_bytes(), path
        assert "Accept-Encoding" in packed.headers["Vary"]
        plain = fetch(client, path)
        assert "Content-Encoding" not in plain.headers, path
        assert plain.get_data() == (dist / file).read_bytes()
        assert "Accept-Encoding" in plain.headers["Vary"]
        assert packed.headers["Cache-Control"] == plain.headers["Cache-Control"]
        assert packed.headers["ETag"] != plain.headers["ETag"]


def test_a_gzipped_file_answers_304_to_its_own_etag_and_is_compressed_again_once_changed(client, dist):
    gzipped = {"Accept-Encoding": "gzip"}
    etag = fetch(client, "/sw.js", headers=gzipped).headers["ETag"]
    assert fetch(client, "/sw.js", headers={**gzipped, "If-None-Match": etag}).status_code == 304

    (dist / "sw.js").write_text("self.addEventListener('fetch', () => {}); // a new version")
    changed = fetch(client, "/sw.js", headers={**gzipped, "If-None-Match": etag})
    assert changed.status_code == 200
    assert gzip.decompress(changed.get_data()).endswith(b"// a new version")


def test_images_are_sent_as_they_are_whatever_the_client_accepts(client, dist):
    response = fetch(client, "/icons/icon-192.png", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (dist / "icons" / "icon-192.png").read_bytes()
