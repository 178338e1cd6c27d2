"""Demo service page and services index."""

SERVICES_INDEX = {
    "title": "Services",
    "lede": (
        "I work with a small number of teams at a time, usually for a few months, on the systems that "
        "get machine learning and data into production and keep them there."
    ),
}

SERVICE = {
    "slug": "production-ml-data-infrastructure",
    "title": "Production Machine Learning & Data Infrastructure",
    "summary": (
        "Hands-on help designing, building and handing over the pipelines, backtests and monitoring "
        "that turn a working model into a system your team can run and change with confidence."
    ),
    "search_description": (
        "Independent consulting on production ML and data infrastructure: feature pipelines, "
        "forecasting systems, orchestration, data quality and handover."
    ),
    "body": [
        {
            "type": "heading",
            "value": {"text": "What the engagement covers", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Most of the trouble in production machine learning is not in the model. It is in the "
                "data layer underneath it: features computed one way for training and another for "
                "serving, batch jobs that miss their window, evaluations nobody trusts, and pipelines only "
                "one person understands. That is the layer I work on.</p>"
                "<p>Typical work includes feature pipelines in the warehouse or in TFX, rolling-origin "
                "backtesting for forecasting systems, orchestration with Airflow, data-quality and "
                "reconciliation checks, and monitoring that tells you when a model has drifted before the "
                "business does. I write production code alongside your team rather than handing over "
                "slides.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "How it runs", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": (
                "<ol>"
                "<li><b>Assessment, one to two weeks.</b> I read the code, sit with the people who run the "
                "system, and trace a few numbers end to end. You get a written assessment: what is fragile, "
                "what is slow, what is wrong, and what I would fix first and why.</li>"
                "<li><b>Build, usually six to twelve weeks.</b> We agree a short list of changes with "
                "measurable outcomes, such as runtime, forecast error or manual hours, and I build them "
                "with your engineers, in your repositories, through your review and change processes.</li>"
                "<li><b>Handover, two to four weeks.</b> Documentation, runbooks and pairing until your "
                "team ships changes without me. An engagement is finished when I am no longer needed, not "
                "when the budget runs out.</li>"
                "</ol>"
                "<p>Smaller engagements are possible: an assessment on its own, or a fixed-scope review of a "
                "pipeline before it goes live.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "Who it is for", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": (
                "<p>Teams that already have data and models and need them to hold up in production: a "
                "software vendor whose forecasting service has outgrown its first design, a bank or "
                "insurer automating reporting under audit constraints, or a scale-up whose data "
                "scientists spend more time rerunning notebooks than improving models. You will get the "
                "most out of it if you have engineers who will own the result afterwards.</p>"
                "<p>Two examples: "
                '<a linktype="page" id="slug:supply-chain-forecasting">demand forecasting at scale for '
                "a supply-chain software vendor</a>, and "
                '<a linktype="page" id="slug:banking-data-automation">automating month-end data '
                "pipelines for a retail bank</a>.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "Typical deliverables", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": (
                "<ul>"
                "<li>A written assessment of the current system with a prioritised plan.</li>"
                "<li>Feature pipelines with a single definition shared by training and serving.</li>"
                "<li>A backtesting or evaluation harness that reproduces production conditions.</li>"
                "<li>Orchestrated, idempotent pipelines with data-quality checks and named owners.</li>"
                "<li>Monitoring and alerting for data freshness, data quality and model accuracy.</li>"
                "<li>Runbooks, architecture notes and a team that has already changed the system "
                "without me.</li>"
                "</ul>"
            ),
        },
        {
            "type": "callout",
            "value": {
                "kind": "note",
                "text": (
                    "<p>I take on a small number of engagements at a time, so there is sometimes a wait "
                    "of a few weeks before I can start. If you are not sure whether your problem fits, a "
                    "thirty-minute call is usually enough to find out, and I will tell you if someone "
                    "else would be a better choice.</p>"
                ),
            },
        },
    ],
}
