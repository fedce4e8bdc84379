"""The Redis cache backend, failing open when Redis is unreachable.

django-redis already turns read and write errors into misses (IGNORE_EXCEPTIONS). `add` is
the exception: a miss there reads as "someone else holds this key", so allauth's rate-limit
lock (and any lock built on `cache.add`) would refuse every login while Redis is down. Here a
failed `add` counts as acquired: during an outage rate limits are not enforced, but people
can still log in. The error is logged each time.
"""

from django_redis.cache import RedisCache, omit_exception


class FailOpenRedisCache(RedisCache):
    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
