from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Recalls and SMS"

    def ready(self) -> None:
        from reminders import checks  # noqa: F401  (registers the start-up checks)
