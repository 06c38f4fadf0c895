def test_scratch(page, live_server):
    msgs = []
    page.on("console", lambda m: msgs.append(m.text))
    resp = page.goto("/accounts/login/")
    print(resp.headers.get("content-security-policy"))
    print(page.evaluate("document.body.className"))
    print(page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--govuk-brand-colour')"))
    print(msgs)
