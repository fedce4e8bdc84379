def test_home_page_renders_in_a_real_browser(page, base_url, shoot):
    page.goto(base_url + "/")
    assert page.locator("h1").first.inner_text() != ""
    assert page.get_by_role("link", name="Skip to content").count() == 1
    shoot("home")
