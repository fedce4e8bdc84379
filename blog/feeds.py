"""RSS 2.0 and Atom feeds of published posts, with links on the host the reader asked for."""

from copy import copy

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from blog.models import Post
from blog.selectors import public_posts
from core.markdown import render_markdown

FEED_SIZE = 20


class LatestPostsRss(Feed):
    feed_type = Rss201rev2Feed
    title = "Data School blog"
    description = "Articles about data, analytics and learning from the Data School team."
    base_url = ""

    def __call__(self, request: HttpRequest, *args, **kwargs):
        # One feed object serves every request: give each its own copy carrying the host.
        feed = copy(self)
        feed.base_url = f"{request.scheme}://{request.get_host()}"
        return Feed.__call__(feed, request, *args, **kwargs)

    def link(self) -> str:
        return self.base_url + reverse("blog:index")

    def feed_url(self) -> str:
        return self.base_url + reverse("blog:feed_rss")

    def items(self):
        return public_posts()[:FEED_SIZE]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return render_markdown(item.excerpt or item.title, basic=True)

    def item_link(self, item: Post) -> str:
        return self.base_url + item.get_absolute_url()

    def item_pubdate(self, item: Post):
        return item.publish_at

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_author_name(self, item: Post) -> str:
        return item.author.public_name if item.author else "Data School"

    def item_categories(self, item: Post) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class LatestPostsAtom(LatestPostsRss):
    feed_type = Atom1Feed
    subtitle = LatestPostsRss.description

    def feed_url(self) -> str:
        return self.base_url + reverse("blog:feed_atom")
