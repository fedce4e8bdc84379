"""Django's message storage (a signed cookie, then the session), without its fixed cost.

Django's CookieStorage builds a cookie signer for every request (importing the signing class
and deriving its key), though most requests carry no message and store none; here the signer
is built only when a message cookie is read or written. Behaviour is Django's own otherwise:
empty storage reads neither the cookie signer nor the session.
"""

from django.contrib.messages.storage import fallback
from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core import signing
from django.utils.functional import cached_property


class LazyCookieStorage(CookieStorage):
    def __init__(self, *args, **kwargs):
        # Skip CookieStorage.__init__, which only builds the signer.
        BaseStorage.__init__(self, *args, **kwargs)

    @cached_property
    def signer(self) -> signing.Signer:
        return signing.get_cookie_signer(salt=self.key_salt)


class FallbackStorage(fallback.FallbackStorage):
    storage_classes = (LazyCookieStorage, SessionStorage)
