from tests.browser.pages import axe_violations
def test_scratch(no_js_page):
    no_js_page.goto("/accounts/login/")
    print("JSOFF", no_js_page.evaluate("1+1"), axe_violations(no_js_page))
