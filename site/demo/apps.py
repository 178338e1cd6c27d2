from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "consultancy_site.demo"
    label = "demo"
    verbose_name = "Demo content"
