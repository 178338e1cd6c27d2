"""Demo article: The Machine Learning Project Lifecycle."""

ARTICLE = {
    "slug": "machine-learning-project-lifecycle",
    "title": (
        "The Machine Learning Project Lifecycle: What Actually Happens vs. What People Think"
    ),
    "date": "2024-03-01",
    "reviewed_days_ago": None,
    "summary": (
        "The real timeline of a Machine Learning project - how problem framing, data work, "
        "and deployment consistently dominate modeling time, and what this means for how "
        "to structure Machine Learning teams and projects."
    ),
    "search_description": (
        "Where the time really goes in a machine learning project: framing, data work and "
        "deployment dominate modeling. How to plan and staff for it."
    ),
    "body": [
        {
            "type": "paragraph",
            "value": (
                "<p>Ask someone who has never shipped a model what a machine learning project "
                "looks like and you will hear a story about algorithms: pick a model, tune it, "
                "watch the validation curve go down, done. Ask someone who has shipped a few "
                "and the story is mostly about everything else. The model is real work, but it "
                "is rarely the work that decides whether the project succeeds, and it is almost "
                "never where the calendar goes.</p>"
                "<p>This piece is the lifecycle as I have actually seen it, across forecasting "
                "systems at Blue Yonder and a range of consulting projects since. The phases "
                "are familiar. What surprises people is their relative size, and what that "
                "implies for how you plan, staff and sell the work.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "The timeline people imagine", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The imagined timeline is short on both ends and fat in the middle. A week "
                'to "get the data", most of the time on modeling, and a week at the end to '
                '"put it in production". Budgets get built on that shape, and so do teams: '
                "hire data scientists, give them a dataset, wait for a model.</p>"
                "<p>The real shape is closer to the opposite. Framing the problem and getting "
                "data you can trust usually takes longer than any single modeling iteration. "
                "Deployment is not a step but a second project, with its own integration work, "
                "its own failure modes and its own stakeholders. Modeling sits in between and "
                "is often the most predictable part, precisely because it is the part everyone "
                "already knows how to do.</p>"
            ),
        },
        {
            "type": "table",
            "value": {
                "data": [
                    ["Phase", "What people expect", "What usually happens"],
                    [
                        "Problem framing",
                        "A kickoff meeting",
                        "Several rounds until the target, the decision and the metric agree",
                    ],
                    [
                        "Data work",
                        "Export a table",
                        "Audits, joins across systems, leakage hunting, rebuilding history",
                    ],
                    [
                        "Modeling",
                        "Most of the project",
                        "A handful of focused iterations after a strong baseline",
                    ],
                    [
                        "Deployment",
                        "Copy the model to a server",
                        "Integration, pipelines, monitoring, ownership and rollback",
                    ],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "The imagined lifecycle against the one I keep running into",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>I am deliberately not putting percentages on this. The split varies with "
                "how mature the data platform is and how clear the decision already is. But "
                "on every project I can think of, modeling was the minority of the elapsed "
                "time, and the phases around it were where the estimates slipped.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Problem framing decides most of the outcome",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Most failed projects I have been asked to rescue did not fail on the model. "
                "They failed because the model answered a question nobody was going to act "
                "on. A churn model that predicts churn beautifully is useless if the retention "
                "team can only contact a few hundred customers a week and the model ranks "
                "people they cannot reach. A demand forecast at daily granularity is wasted if "
                "replenishment decisions are made weekly per distribution center.</p>"
                "<p>Framing is the work of tying three things together: the <b>decision</b> "
                "the prediction feeds, the <b>target</b> you can actually observe and label, "
                "and the <b>metric</b> that tells you the decision got better. When those three "
                "disagree, no amount of modeling fixes it.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Questions I ask in the first week", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<ul>"
                "<li>Who acts on the prediction, how often, and what do they do today "
                "without it?</li>"
                "<li>At the moment the prediction is made, what data is genuinely available? "
                "Not in the warehouse eventually, but at that moment.</li>"
                "<li>What does a wrong prediction cost, and is the cost symmetric? "
                "Overstocking and stockouts rarely are.</li>"
                "<li>What is the current baseline, even if it is a spreadsheet or a rule of "
                "thumb someone keeps in their head?</li>"
                "<li>Who owns the system after I leave?</li>"
                "</ul>"
                "<p>The last question sounds like a deployment concern. It is a framing "
                'concern. If the answer is "nobody", the right scope is probably smaller '
                "than the one on the table.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Data work is where the calendar goes", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The dataset you are handed is almost never the dataset you need. It is a "
                "snapshot of current state when you need history, or it is history with the "
                "corrections applied retroactively so that every past row looks cleaner than "
                "it was when decisions were made. Joining across source systems surfaces "
                "mismatched keys, time zones and silently changed definitions.</p>"
                "<p>I budget for a data audit before any modeling: row counts over time, null "
                "rates per column per month, distributions of the target, and a check that the "
                "entity keys mean the same thing across the whole period. Most of this is "
                "plain SQL, and the patterns in "
                '<a linktype="page" id="slug:sql-for-data-scientists">SQL for Data '
                "Scientists</a> cover nearly all of it. Half a day of audit queries has saved "
                "me weeks of modeling on data that turned out to be broken.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Leakage is a data problem, not a model problem",
                "level": "h3",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The most dangerous output of the data phase is a feature that knows the "
                "future. Aggregates computed over the full table, status fields that are "
                "updated after the outcome, joins against a dimension table that only holds "
                "the latest values. Each one makes offline metrics look excellent and "
                "production performance collapse. The fix is to build every training row as "
                "of a timestamp and only use data that existed before it. Where features are "
                "computed matters too; I go into that trade-off in "
                '<a linktype="page" id="slug:bigquery-vs-tensorflow-transform">BigQuery '
                "vs TensorFlow Transform</a>.</p>"
            ),
        },
        {
            "type": "callout",
            "value": {
                "kind": "warning",
                "text": (
                    "<p>If your first model is dramatically better than the existing process, "
                    "assume leakage until you have proven otherwise. Real improvements are "
                    "usually modest and hard-won.</p>"
                ),
            },
        },
        {
            "type": "heading",
            "value": {"text": "Baselines before models", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Before any serious modeling I build the dumbest thing that could work and "
                "evaluate it with the exact backtest the real model will use. For forecasting "
                "that is a seasonal naive forecast; for classification, a rule or a logistic "
                "regression on three obvious features. The baseline does two jobs. It tells "
                "you how much headroom there is, and it debugs the evaluation harness, which "
                "is the piece of code you will trust most later.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import pandas as pd


def seasonal_naive(history: pd.Series, horizon: int, season: int = 7) -> pd.Series:
    last_season = history.iloc[-season:].to_numpy()
    values = [last_season[i % season] for i in range(horizon)]
    index = pd.date_range(history.index[-1], periods=horizon + 1, freq="D")[1:]
    return pd.Series(values, index=index)


def backtest(series: pd.Series, cutoffs: list, horizon: int, forecaster) -> pd.DataFrame:
    rows = []
    for cutoff in cutoffs:
        train = series[:cutoff]
        actual = series[cutoff:].iloc[1:horizon + 1]
        forecast = forecaster(train, horizon).reindex(actual.index)
        rows.append({"cutoff": cutoff, "mae": (forecast - actual).abs().mean()})
    return pd.DataFrame(rows)
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Notice that <code>backtest</code> takes the forecaster as an argument. "
                "Every later model plugs into the same harness with the same cutoffs, so "
                "comparisons stay honest.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Modeling is shorter than you think", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>With clean, point-in-time correct data and a trustworthy harness, "
                "modeling tends to converge quickly. Gradient boosted trees on good features "
                "get you most of the way on tabular problems. The remaining gains come from "
                "better features, which sends you back to the data phase, far more often than "
                "from architecture changes. I time-box modeling explicitly and stop when "
                "another week of effort is unlikely to change the business decision.</p>"
            ),
        },
        {
            "type": "quote",
            "value": {
                "quote": (
                    "The model that ships and gets monitored beats the better model that "
                    "stays in a notebook, every single time."
                ),
                "attribution": "Something I end up saying on most projects",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Deployment is a second project", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Getting a model into production means rebuilding the feature logic so it "
                "runs on a schedule or on request, wiring outputs into the systems where "
                "decisions are made, and agreeing on what happens when the pipeline fails at "
                "three in the morning. Each of those involves people outside the data team, "
                "and each has its own lead time. Pipelines with validation and versioned "
                "artifacts, which I cover in "
                '<a linktype="page" id="slug:production-ml-pipelines-tfx">Building '
                "Production Machine Learning Pipelines with TFX</a>, remove a lot of the risk, "
                "but not the coordination.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "The integration tax", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The part that takes longest is rarely technical. The planning system that "
                "consumes the forecast has a release cycle measured in months. The security "
                "review wants to know where the features are stored. The users want to "
                "override the model and need a way to record why. I now ask about the "
                "consuming system in the first week and start those conversations long "
                "before the model is ready, because they run on other people's calendars, "
                "not mine. A simple model that fits the existing integration points often "
                "beats a better one that needs a new interface nobody has time to "
                "build.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Monitoring is part of the deliverable", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>A model without monitoring is a liability with a delay. At minimum I want "
                "input distribution checks, a prediction distribution check, and a delayed "
                "accuracy report once labels arrive. None of it is sophisticated, but it is "
                "the difference between learning about drift from a dashboard and learning "
                "about it from an angry stakeholder.</p>"
                "<p>Decide up front who looks at these checks and what they do when one "
                "fires. An alert that goes to a shared inbox nobody reads is not monitoring. "
                "I write a short runbook with the model: how to tell a data outage from real "
                "drift, how to roll back to the previous version, and when retraining is the "
                "wrong answer.</p>"
            ),
        },
        {"type": "divider", "value": None},
        {
            "type": "heading",
            "value": {"text": "What this means for teams and plans", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>If framing, data and deployment dominate, staff for them. A team of four "
                "modelers and no data engineer will produce impressive notebooks and very "
                "little in production. A smaller team with one person who owns the data "
                "layer and one who owns deployment will ship more. The skills overlap, and "
                '<a linktype="page" id="slug:data-engineering-stack">The Data Engineering '
                "Stack</a> maps where.</p>"
                "<p>Plan in the same spirit. Put explicit milestones on framing sign-off, "
                "audited training data and a deployed baseline, and treat the first deployed "
                "version as the real start of the project. Iterating on a live system with "
                "monitoring teaches you more in a month than a quarter of offline "
                "experiments. That is where most of my engagements end up spending their "
                "time, and it is time well spent.</p>"
            ),
        },
    ],
}
