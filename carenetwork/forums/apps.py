from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "carenetwork.forums"
    label = "forums"
    verbose_name = "Forums"
