"""Demo case studies. Clients are anonymised; figures are illustrative but typical."""

_FEATURES_SQL = """\
-- One row per store, SKU and cutoff. Every window ends at the cutoff, so the
-- same query builds training data (many cutoffs) and the nightly run (one).
SELECT
  s.store_id,
  s.sku_id,
  c.cutoff_date,
  AVG(s.units) AS units_mean_28d,
  AVG(IF(s.sale_date > DATE_SUB(c.cutoff_date, INTERVAL 7 DAY), s.units, NULL)) AS units_mean_7d,
  COUNTIF(s.units = 0) / 28 AS zero_share_28d,
  ANY_VALUE(p.planned_discount) AS planned_discount_next_7d
FROM forecast.cutoffs AS c
JOIN sales.daily_dense AS s
  ON s.sale_date <= c.cutoff_date
 AND s.sale_date > DATE_SUB(c.cutoff_date, INTERVAL 28 DAY)
LEFT JOIN promo.plan_snapshots AS p  -- the plan as it stood on the cutoff date
  ON p.store_id = s.store_id
 AND p.sku_id = s.sku_id
 AND p.snapshot_date = c.cutoff_date
GROUP BY s.store_id, s.sku_id, c.cutoff_date
"""

_LEDGER_CHECK = '''\
from decimal import Decimal


class DataQualityError(Exception):
    pass


LOANS_VS_LEDGER = """
    SELECT l.product_code,
           SUM(l.outstanding_balance)  AS loan_book,
           COALESCE(MAX(g.balance), 0) AS ledger
    FROM staging.loan_accounts AS l
    LEFT JOIN staging.gl_control_balances AS g
           ON g.product_code = l.product_code
          AND g.business_date = l.business_date
    WHERE l.business_date = %(business_date)s
    GROUP BY l.product_code
"""


def check_loans_tie_to_ledger(conn, business_date, tolerance=Decimal("0.01")):
    """Stop the load if any product's loan book differs from its GL control account."""
    rows = conn.execute(LOANS_VS_LEDGER, {"business_date": business_date}).fetchall()
    breaks = [(p, book, gl) for p, book, gl in rows if abs(book - gl) > tolerance]
    if breaks:
        raise DataQualityError(
            f"{len(breaks)} loan products do not reconcile to the ledger "
            f"for {business_date}: {breaks[:5]}"
        )
'''

CASE_STUDIES = [
    {
        "slug": "supply-chain-forecasting",
        "title": "Supply-Chain Demand Forecasting at Scale",
        "date": "2023-12-04",
        "client": "A European supply-chain software vendor",
        "sector": "Retail & supply chain",
        "summary": (
            "Rebuilt the feature pipeline, backtesting and reconciliation behind a grocery retailer's "
            "daily store-level demand forecasts, so the nightly run finished on time and model changes "
            "could be evaluated in days instead of weeks."
        ),
        "search_description": (
            "Case study: demand forecasting for 40k SKUs across 180 stores, with one feature pipeline, "
            "rolling-origin backtests and hierarchical reconciliation."
        ),
        "problem": (
            "<p>The vendor's forecasting service produced daily forecasts for roughly 40,000 SKUs across "
            "180 stores of a grocery customer, feeding automated replenishment. The nightly run took about "
            "nine hours and regularly finished after the ordering cutoff, so stores ordered from stale "
            "numbers.</p>"
            "<p>Features were computed twice, in pandas for training and in SQL for the nightly run, and "
            "the two had drifted apart. Model changes were judged on a single holdout month in notebooks, "
            "so nobody could say with confidence whether a change made things better.</p>"
        ),
        "solution": (
            "<ul>"
            "<li>One cutoff-parameterised feature pipeline in BigQuery, used for both training and the "
            "nightly run.</li>"
            "<li>A rolling-origin backtest harness with 52 weekly cutoffs, realistic data latency and "
            "point-in-time promotion plans.</li>"
            "<li>Global gradient-boosted models per product group, with structural-scaling reconciliation "
            "up to store, region and category level.</li>"
            "<li>Airflow orchestration with freshness checks and accuracy monitoring by segment, handed "
            "over to the in-house team.</li>"
            "</ul>"
        ),
        "outcomes": [
            {
                "value": "-12%",
                "label": "forecast error (WAPE) at store-SKU-week level across 40k SKUs",
            },
            {
                "value": "9h → 2.5h",
                "label": "nightly forecasting run, now well inside the ordering window",
            },
            {
                "value": "2 days",
                "label": "to backtest a model change end to end, down from about three weeks",
            },
        ],
        "topics": ["data-engineering", "forecasting"],
        "body": [
            {
                "type": "heading",
                "value": {"text": "The starting point", "level": "h2", "anchor": ""},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>When I joined, the forecasting service worked, in the sense that numbers came out "
                    "every night. Six data scientists maintained per-segment models, and the nightly batch "
                    "had grown to around nine hours. On bad nights it finished after the replenishment "
                    "system had already placed orders from the previous day's forecast.</p>"
                    "<p>The deeper problem was trust. Training features were computed in pandas and "
                    "serving features in hand-written SQL, and small differences between the two, such as "
                    "how missing days were filled, had crept in over the years. Evaluations were one "
                    "holdout month in a notebook, so every model review turned into a debate.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "One definition of every feature", "level": "h2", "anchor": ""},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>The first change was to compute features exactly once, in BigQuery, parameterised "
                    "by a forecast cutoff. Training joins the query against a table of many historical "
                    "cutoffs; the nightly run joins it against one. Because every window ends at the "
                    "cutoff, the query cannot see the future, and training and serving cannot disagree.</p>"
                ),
            },
            {"type": "code", "value": {"language": "sql", "source": _FEATURES_SQL}},
            {
                "type": "paragraph",
                "value": (
                    "<p>Moving this work into the warehouse, partitioned by date and clustered by store, "
                    "is also where most of the runtime went: the nightly run dropped to about two and a "
                    "half hours without touching the models.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "A backtest everyone trusts", "level": "h2", "anchor": ""},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Next came a rolling-origin backtest: 52 weekly cutoffs, the same two-day data "
                    "latency as production, and WAPE and bias reported by horizon and segment against a "
                    "seasonal naive baseline. I have written up the approach in "
                    '<a linktype="page" id="slug:backtesting-forecasts-properly">Backtesting Forecasts '
                    "Properly</a>. With the harness in place, a model change went from a three-week "
                    "argument to a two-day run and a short meeting.</p>"
                ),
            },
            {
                "type": "callout",
                "value": {
                    "kind": "note",
                    "text": (
                        "<p>The biggest single improvement in live accuracy did not come from the model. "
                        "It came from training on the promotion plan as it stood at each cutoff instead of "
                        "the cleaned-up history of promotions that actually ran. The backtest got worse and "
                        "production got better, which is exactly what removing a leak looks like.</p>"
                    ),
                },
            },
            {
                "type": "heading",
                "value": {"text": "Models and reconciliation", "level": "h2", "anchor": ""},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Only then did we touch the models. We replaced dozens of per-segment models with "
                    "one global gradient-boosted model per product group, which handles new and "
                    "slow-moving items far better because it learns from similar products. Store, region "
                    "and category forecasts are reconciled with structural scaling, so replenishment, "
                    "the distribution centres and category managers now work from numbers that add up. "
                    "The details are in "
                    '<a linktype="page" id="slug:hierarchical-forecast-reconciliation">Hierarchical '
                    "Forecast Reconciliation</a>.</p>"
                    "<p>Across the full backtest, store-SKU-week WAPE fell by about 12% against the "
                    "previous system, with the largest gains on promoted and slow-moving items.</p>"
                ),
            },
            {"type": "heading", "value": {"text": "Handover", "level": "h2", "anchor": ""}},
            {
                "type": "paragraph",
                "value": (
                    "<p>The pipeline runs on Airflow with freshness checks on every input, and alerts "
                    "when accuracy for a segment drifts outside its backtested range. I paired with the "
                    "in-house team on every component, and by the end they were shipping model changes "
                    "through the harness without me.</p>"
                ),
            },
        ],
    },
    {
        "slug": "banking-data-automation",
        "title": "Automating Data Pipelines for a Retail Bank",
        "date": "2024-03-18",
        "client": "A mid-sized retail bank",
        "sector": "Banking",
        "summary": (
            "Replaced a spreadsheet-driven month-end reporting process with tested, scheduled pipelines "
            "and reconciliation checks, cutting the reporting cycle from eight working days to three."
        ),
        "search_description": (
            "Case study: automating month-end reporting pipelines for a retail bank with Airflow, dbt, "
            "PostgreSQL and ledger reconciliation checks."
        ),
        "problem": (
            "<p>The bank's monthly management and regulatory reports were assembled by a team of analysts "
            "from around twenty source-system extracts, using spreadsheets, saved queries and a great deal "
            "of copy and paste. It took eight working days after month-end close, and figures regularly "
            "differed between reports that should have agreed.</p>"
            "<p>Knowledge of the process lived in a few people's heads, and auditors asking where a number "
            "came from triggered days of reconstruction.</p>"
        ),
        "solution": (
            "<p>I built an on-premises pipeline: immutable landing of source extracts, Airflow "
            "orchestration, and a PostgreSQL warehouse modelled with dbt in staging, conformed and "
            "reporting layers. Every load is idempotent per business date and reconciles to general-ledger "
            "control totals before anything downstream runs.</p>"
            "<p>The reports are generated from the reporting layer, and the bank's own analysts now "
            "maintain the models.</p>"
        ),
        "outcomes": [
            {
                "value": "8 → 3 days",
                "label": "working days from month-end close to the reporting pack",
            },
            {
                "value": "~90 h",
                "label": "analyst time per month freed from manual extraction and copy-paste",
            },
            {
                "value": "140",
                "label": "automated data-quality and reconciliation checks on every load",
            },
        ],
        "topics": ["data-engineering"],
        "body": [
            {
                "type": "heading",
                "value": {"text": "Where the time went", "level": "h2", "anchor": ""},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>I spent the first two weeks sitting with the analysts through a month-end close "
                    "and mapping every step. Most of their time went on extracting and reshaping data, "
                    "and most of the rest on reconciling figures that should have matched and did not. "
                    "Very little went on analysis, which was the job they had been hired for.</p>"
                    "<p>The constraints were typical for a bank: customer data stays on premises, every "
                    "production change goes through change control, and auditors need to trace any "
                    "reported figure back to its source.</p>"
                ),
            },
            {"type": "heading", "value": {"text": "The pipeline", "level": "h2", "anchor": ""}},
            {
                "type": "paragraph",
                "value": (
                    "<p>Source extracts land as immutable files, one set per business date, so any month "
                    "can be rebuilt exactly as it was reported. Airflow loads them into a PostgreSQL "
                    "warehouse, and dbt models them in three layers: staging mirrors each source, the "
                    "conformed layer holds the bank's agreed definitions of customers, accounts and "
                    "products, and the reporting layer feeds the reports. Every load is idempotent, so "
                    "rerunning a day after a late extract is routine rather than a risk.</p>"
                    "<p>The hardest part of the build was not technical. Two departments defined an "
                    "active customer differently, and both definitions had appeared in reports for years. "
                    "We wrote both down, finance and risk agreed on one for the conformed layer, and the "
                    "other survives as a clearly named reporting metric. A good share of the recurring "
                    "breaks disappeared with that one decision.</p>"
                ),
            },
            {"type": "heading", "value": {"text": "Controls as code", "level": "h2", "anchor": ""}},
            {
                "type": "paragraph",
                "value": (
                    "<p>The most valuable part was not the transformations but the checks. Before "
                    "anything downstream runs, balances are reconciled to general-ledger control totals, "
                    "and a break stops the pipeline with a message an analyst can act on:</p>"
                ),
            },
            {"type": "code", "value": {"language": "python", "source": _LEDGER_CHECK}},
            {
                "type": "paragraph",
                "value": (
                    "<p>Around this sit dbt tests for uniqueness, referential integrity and accepted "
                    "values, plus row-count and freshness checks on every source, about 140 in all. Each "
                    "check has a named owner, and a failure alerts that person rather than the whole "
                    "team.</p>"
                ),
            },
            {
                "type": "callout",
                "value": {
                    "kind": "note",
                    "text": (
                        "<p>In a bank, how a number was produced matters as much as the number. The first "
                        "audit after go-live asked where a figure came from, and the answer was a lineage "
                        "graph and a commit history instead of a week of spreadsheet archaeology.</p>"
                    ),
                },
            },
            {"type": "heading", "value": {"text": "Handover", "level": "h2", "anchor": ""}},
            {
                "type": "paragraph",
                "value": (
                    "<p>We ran the old and new processes in parallel for two month-ends and explained "
                    "every difference before switching over. Two of the analysts became the pipeline's "
                    "maintainers, with runbooks for the failures we had seen and pairing sessions on the "
                    "ones we had not. The reporting pack now goes out three working days after close, and "
                    "the analysts spend the time they got back on the analysis the business actually "
                    "asked for.</p>"
                ),
            },
        ],
    },
]
