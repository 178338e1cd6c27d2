"""Book a call submissions kept in Wagtail's generic table move to BookACallSubmission, which
also records where the visitor came from. Nothing is lost either way."""

from django.db import migrations


def forward(apps, schema_editor):
    FormSubmission = apps.get_model("wagtailforms", "FormSubmission")
    BookACallSubmission = apps.get_model("consultancy_site", "BookACallSubmission")
    BookACallPage = apps.get_model("consultancy_site", "BookACallPage")
    old = FormSubmission.objects.filter(page__in=BookACallPage.objects.all())
    for submission in old.iterator():
        moved = BookACallSubmission.objects.create(
            page_id=submission.page_id, form_data=submission.form_data
        )
        # auto_now_add ignores a value on create: keep the original time with an update.
        BookACallSubmission.objects.filter(pk=moved.pk).update(submit_time=submission.submit_time)
    old.delete()


def backward(apps, schema_editor):
    FormSubmission = apps.get_model("wagtailforms", "FormSubmission")
    BookACallSubmission = apps.get_model("consultancy_site", "BookACallSubmission")
    for submission in BookACallSubmission.objects.iterator():
        moved = FormSubmission.objects.create(
            page_id=submission.page_id, form_data=submission.form_data
        )
        FormSubmission.objects.filter(pk=moved.pk).update(submit_time=submission.submit_time)
    BookACallSubmission.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultancy_site", "0004_editorial_tools"),
        ("wagtailforms", "0005_alter_formsubmission_form_data"),
    ]

    operations = [migrations.RunPython(forward, backward)]
