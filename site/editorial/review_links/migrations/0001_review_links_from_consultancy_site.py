"""ReviewLink and ReviewLinkView move here from the consultancy_site app, rows and all: the
tables are renamed and their content types follow, so nothing is lost and nothing is copied."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["reviewlink", "reviewlinkview"]


def move_content_types(apps, schema_editor, source="consultancy_site", target="review_links"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="review_links", target="consultancy_site")


class Migration(migrations.Migration):
    dependencies = [
        ("consultancy_site", "0006_editorial_models_move_to_their_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReviewLink",
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
                            "token_hash",
                            models.CharField(editable=False, max_length=64, unique=True),
                        ),
                        (
                            "reviewer",
                            models.CharField(
                                help_text="Who the link is for, e.g. 'Jane at Acme (client)'.",
                                max_length=120,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField()),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "page",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="review_links",
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        (
                            "revoked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                        "db_table": "consultancy_site_reviewlink",
                    },
                ),
                migrations.CreateModel(
                    name="ReviewLinkView",
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
                        ("viewed_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("user_agent", models.CharField(blank=True, max_length=200)),
                        (
                            "link",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="views",
                                to="review_links.reviewlink",
                            ),
                        ),
                        (
                            "revision",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="wagtailcore.revision",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-viewed_at"],
                        "db_table": "consultancy_site_reviewlinkview",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AlterModelTable(name="reviewlink", table=None),
        migrations.AlterModelTable(name="reviewlinkview", table=None),
    ]
