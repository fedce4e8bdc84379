"""Local development: DEBUG on, a harmless secret, email printed by the worker."""

from .base import *
from .base import STRIPE_SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-dev-only-not-secret-7f3a9c1e5b2d4a68")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Without Stripe keys, purchases go through the local test checkout.
PAYMENTS_GATEWAY = env("PAYMENTS_GATEWAY", default="stripe" if STRIPE_SECRET_KEY else "local")
