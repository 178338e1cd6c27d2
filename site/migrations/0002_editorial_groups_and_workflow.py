"""Authors and Editors, and the one "Editorial review" workflow covering every page.

Replaces Wagtail's default "Editors" and "Moderators" groups and its "Moderators approval"
workflow, so nobody meets two meanings of "editor".
"""

from django.db import migrations

AUTHOR_PAGE_ACTIONS = ["add", "change", "lock"]
EDITOR_PAGE_ACTIONS = ["add", "change", "publish", "lock", "unlock"]
AUTHOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add", "choose"]),
    ("wagtaildocs", "document", ["add", "choose"]),
]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add", "change", "delete", "choose"]),
    ("wagtaildocs", "document", ["add", "change", "delete", "choose"]),
]
# Pages below which authors write (created later by editors or the demo loader get the same
# grant from consultancy_site.signals).
AUTHOR_SECTIONS = [("topics", "writingindexpage"), ("case_studies", "casestudyindexpage")]


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {codename.replace('_', ' ')}"},
    )
    return perm


def create_groups_and_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    # Wagtail's defaults go: their tasks, workflows and groups (permissions cascade).
    for workflow in Workflow.objects.filter(name="Moderators approval"):
        task_ids = list(
            WorkflowTask.objects.filter(workflow=workflow).values_list("task_id", flat=True)
        )
        WorkflowPage.objects.filter(workflow=workflow).delete()
        workflow.delete()
        Task.objects.filter(pk__in=task_ids).delete()
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()

    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin")
    authors = Group.objects.create(name="Authors")
    editors = Group.objects.create(name="Editors")
    authors.permissions.add(access_admin)
    editors.permissions.add(
        access_admin,
        permission(apps, "consultancy_site", "calltoactionsettings", "change_calltoactionsettings"),
    )

    root_page = Page.objects.get(depth=1)
    for action in EDITOR_PAGE_ACTIONS:
        GroupPagePermission.objects.create(
            group=editors,
            page=root_page,
            permission=permission(apps, "wagtailcore", "page", f"{action}_page"),
        )
    for app_label, model in AUTHOR_SECTIONS:
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        for section in Page.objects.filter(content_type=content_type) if content_type else []:
            for action in AUTHOR_PAGE_ACTIONS:
                GroupPagePermission.objects.get_or_create(
                    group=authors,
                    page=section,
                    permission=permission(apps, "wagtailcore", "page", f"{action}_page"),
                )

    root_collection = Collection.objects.get(depth=1)
    for group, grants in [
        (authors, AUTHOR_COLLECTION_PERMISSIONS),
        (editors, EDITOR_COLLECTION_PERMISSIONS),
    ]:
        for app_label, model, actions in grants:
            for action in actions:
                GroupCollectionPermission.objects.create(
                    group=group,
                    collection=root_collection,
                    permission=permission(apps, app_label, model, f"{action}_{model}"),
                )

    task_content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name="Editor approval", content_type=task_content_type, active=True
    )
    task.groups.set([editors])
    workflow = Workflow.objects.create(name="Editorial review", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=root_page)


class Migration(migrations.Migration):
    dependencies = [
        ("consultancy_site", "0001_initial"),
        ("topics", "0001_initial"),
        ("case_studies", "0002_case_study_topics"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups_and_workflow, migrations.RunPython.noop)]
