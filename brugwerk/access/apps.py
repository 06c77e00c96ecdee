from django.apps import AppConfig


class AccessConfig(AppConfig):
    """The policy's mechanism. When every app is loaded, it imports each app's `rules` module, where
    the app registers the rules of its record kinds and its named permissions."""

    name = "brugwerk.access"

    def ready(self) -> None:
        from brugwerk.access.registry import autodiscover

        autodiscover()
