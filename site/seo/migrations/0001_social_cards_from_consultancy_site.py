"""SocialCard moves here from the consultancy_site app, rows and all: the table is renamed and
its content type follows, so nothing is lost and nothing is copied."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="consultancy_site", target="seo"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="socialcard").exists():
        ContentType.objects.filter(app_label=source, model="socialcard").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="seo", target="consultancy_site")


class Migration(migrations.Migration):
    dependencies = [
        ("consultancy_site", "0006_editorial_models_move_to_their_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SocialCard",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "image",
                            models.ImageField(
                                height_field="height",
                                upload_to="social-cards/",
                                width_field="width",
                            ),
                        ),
                        ("width", models.PositiveIntegerField(default=0, editable=False)),
                        ("height", models.PositiveIntegerField(default=0, editable=False)),
                        ("fingerprint", models.CharField(max_length=64)),
                        ("drawn_at", models.DateTimeField(auto_now=True)),
                        (
                            "page",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="social_card",
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "consultancy_site_socialcard"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.AlterModelTable(name="socialcard", table=None),
    ]
