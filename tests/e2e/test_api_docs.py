"""The API's docs page works in a real Chromium under its Content-Security-Policy: Swagger
UI, served from the server's own files, renders every operation of the spec and the browser
refuses nothing (`server/headers.py`)."""


def test_the_api_docs_render_under_their_policy_with_nothing_refused(browser, server):
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        response = page.goto("/api/docs")
        assert "script-src" in response.headers["content-security-policy"]
        page.wait_for_selector(".opblock", timeout=15_000)
        assert page.locator(".opblock").count() > 10
        assert refused == []
    finally:
        context.close()
