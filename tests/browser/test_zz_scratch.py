import json
from tests.browser.pages import sign_in, _axe
def test_scratch(page, provider_admin):
    sign_in(page, provider_admin)
    r = _axe().run(page, options={"runOnly": ["color-contrast"], "resultTypes": ["violations"]}).response
    for v in r["violations"]:
        for n in v["nodes"]:
            print(n["target"], json.dumps(n["any"][0]["data"]), [x["target"] for x in n["any"][0]["relatedNodes"]])
    print(page.evaluate("""() => { const a=document.querySelector('.app-header-account span').getBoundingClientRect();
      return document.elementsFromPoint(a.x+5, a.y+5).map(e => e.tagName+'.'+e.className+' '+getComputedStyle(e).backgroundColor)}"""))
    b = page.locator(".app-header-account button")
    print(b.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor, e.className]"))
