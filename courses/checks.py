"""System checks: paid lesson files must not sit where public files are served from."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def protected_files_are_not_public(app_configs, **kwargs):
    protected = Path(settings.PROTECTED_MEDIA_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if not public:
            continue
        public = Path(public).resolve()
        # (Public media inside the protected folder leaks nothing; the reverse does.)
        if protected.is_relative_to(public):
            errors.append(
                Error(
                    f"PROTECTED_MEDIA_ROOT ({protected}) is inside {name} ({public}): paid "
                    "lesson files would be reachable without the access check.",
                    hint="Point PROTECTED_MEDIA_ROOT at a folder of its own, e.g. var/protected.",
                    id="courses.E001",
                )
            )
    return errors
