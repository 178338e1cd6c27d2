"""Site settings read from the chrome cache."""

from wagtail.contrib.settings.models import BaseSiteSetting

from .chrome import cached_chrome


class ChromeCachedSetting(BaseSiteSetting):
    """A site setting read from the chrome cache: no query per request once warm.

    Settings are shown on every page: saving one purges every page (delivery's signal handlers
    connect to each concrete subclass)."""

    @classmethod
    def for_site(cls, site):
        load = super().for_site
        return cached_chrome(f"setting:{cls._meta.label_lower}:{site.pk}", lambda: load(site))

    class Meta:
        abstract = True
