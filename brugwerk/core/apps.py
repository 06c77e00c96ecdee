from django.apps import AppConfig


class CoreConfig(AppConfig):
    """No models: an app only so that the shared templates (`core/form_page.html`, `core/partials/…`)
    are found like every app's."""

    name = "brugwerk.core"
