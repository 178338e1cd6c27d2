"""Demo article: SQL for Data Scientists."""

ARTICLE = {
    "slug": "sql-for-data-scientists",
    "title": "SQL for Data Scientists: The Patterns That Actually Matter",
    "date": "2024-02-18",
    "reviewed_days_ago": 45,
    "applies_to": "PostgreSQL 16, BigQuery, DuckDB 1.1",
    "summary": (
        "Window functions, CTEs, time-series queries, and optimization techniques - SQL "
        "patterns that data scientists use daily but often learn inefficiently from tutorial "
        "sites that stop at basic SELECT."
    ),
    "search_description": (
        "The SQL patterns data scientists need daily: CTEs, window functions, gaps and "
        "islands, point-in-time joins and reading EXPLAIN plans."
    ),
    "body": [
        {
            "type": "paragraph",
            "value": (
                "<p>Most data scientists learn SQL in two stages. First a tutorial that covers "
                "<code>SELECT</code>, <code>WHERE</code>, <code>GROUP BY</code> and a join or "
                "two. Then years of pulling whole tables into pandas and doing the interesting "
                "part there, because that is where they feel fluent. The second stage is "
                "expensive: slow notebooks, memory errors, and logic that cannot be reused by "
                "the pipeline that eventually has to run it.</p>"
                "<p>The gap between those stages is a small set of patterns. In my experience "
                "they cover the large majority of what feature engineering, data audits and "
                "analysis actually need. The examples below use PostgreSQL syntax; the ideas "
                "carry over to BigQuery, Snowflake and DuckDB with minor changes.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "CTEs: write queries like functions", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>A common table expression is a named subquery. That sounds cosmetic, but it "
                "changes how you write SQL. Instead of one nested statement you read from the "
                "inside out, you get a sequence of small steps, each with a name that says "
                "what it contains. You can test each step by selecting from it directly, which "
                "is the closest SQL gets to a unit test.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """WITH active_customers AS (
    SELECT customer_id
    FROM orders
    WHERE order_date >= DATE '2023-01-01'
    GROUP BY customer_id
    HAVING COUNT(*) >= 3
),
customer_revenue AS (
    SELECT o.customer_id, SUM(o.amount) AS revenue
    FROM orders AS o
    JOIN active_customers AS a USING (customer_id)
    WHERE o.order_date >= DATE '2023-01-01'
    GROUP BY o.customer_id
)
SELECT
    width_bucket(revenue, 0, 5000, 10) AS revenue_bucket,
    COUNT(*) AS customers
FROM customer_revenue
GROUP BY revenue_bucket
ORDER BY revenue_bucket;
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>One caveat: engines differ in whether a CTE is inlined or materialized. "
                "Modern PostgreSQL inlines a CTE referenced once and lets you force either "
                "behaviour with <code>MATERIALIZED</code> or <code>NOT MATERIALIZED</code>. "
                "If a query with CTEs is mysteriously slow, that is one of the first things "
                "to check.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Window functions", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>If you learn one thing beyond the basics, make it window functions. They "
                "compute a value for each row from a set of related rows without collapsing "
                "them the way <code>GROUP BY</code> does. Lags, rolling means, ranks, running "
                "totals and shares of total are all window functions, and they are exactly "
                "the features most tabular models need.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Deduplication with ROW_NUMBER", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Source tables full of repeated snapshots are the norm. To keep the latest "
                "row per entity, number the rows inside each partition and keep the first:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """SELECT *
FROM (
    SELECT
        c.*,
        ROW_NUMBER() OVER (
            PARTITION BY customer_id
            ORDER BY updated_at DESC, ingested_at DESC
        ) AS rn
    FROM customer_snapshots AS c
) AS ranked
WHERE rn = 1;
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The second sort key matters. If two rows share an <code>updated_at</code>, "
                "the result without a tie-breaker is non-deterministic, and you will get a "
                "different training set on every run. BigQuery, Snowflake and DuckDB let you "
                "skip the subquery with <code>QUALIFY rn = 1</code>.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Running totals, rolling means and lags",
                "level": "h3",
                "anchor": "",
            },
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """SELECT
    store_id,
    sales_date,
    units,
    SUM(units) OVER (
        PARTITION BY store_id
        ORDER BY sales_date
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS units_cumulative,
    AVG(units) OVER (
        PARTITION BY store_id
        ORDER BY sales_date
        RANGE BETWEEN INTERVAL '6 days' PRECEDING AND CURRENT ROW
    ) AS units_avg_7d,
    units - LAG(units, 7) OVER (
        PARTITION BY store_id
        ORDER BY sales_date
    ) AS units_diff_7_rows_back
FROM daily_sales;
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Two traps live in this query. First, the frame. Without an explicit "
                "frame, an ordered window defaults to <code>RANGE BETWEEN UNBOUNDED PRECEDING "
                "AND CURRENT ROW</code>, which includes every row tied with the current one. "
                'With duplicate dates your "running total" jumps in steps. I always write '
                "the frame out.</p>"
                "<p>Second, <code>ROWS</code> counts rows, not time. <code>LAG(units, 7)</code> "
                "is seven rows back, which is seven days back only if every day is present. "
                "Sales tables usually skip days with no sales, so the lag silently points to "
                "the wrong date. Either use a <code>RANGE</code> frame with an interval, as "
                "in the rolling mean above, or fill the gaps first.</p>"
                "<p>One more form worth knowing: a window with a partition but no "
                "<code>ORDER BY</code> covers the whole partition. "
                "<code>units::numeric / SUM(units) OVER (PARTITION BY store_id)</code> gives "
                "each row's share of its store total in one pass, with no self-join. Keep "
                "the cast: with integer columns, PostgreSQL does integer division and "
                "every share comes back as zero. Ratios like this "
                "are cheap, stable features, and computing them next to the data keeps the "
                "logic in one place.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Time series: gaps and islands", "level": "h2", "anchor": ""},
        },
        {
            "type": "heading",
            "value": {"text": "Filling gaps with a calendar", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Missing rows are the most common time-series bug I see in SQL. The fix "
                "is a dense grid of every entity and every date, left-joined to the facts:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """WITH calendar AS (
    SELECT d::date AS sales_date
    FROM generate_series(DATE '2024-01-01', DATE '2024-03-31', INTERVAL '1 day') AS g(d)
),
stores AS (
    SELECT DISTINCT store_id FROM daily_sales
)
SELECT
    s.store_id,
    c.sales_date,
    COALESCE(ds.units, 0) AS units
FROM stores AS s
CROSS JOIN calendar AS c
LEFT JOIN daily_sales AS ds
    ON ds.store_id = s.store_id
   AND ds.sales_date = c.sales_date;
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Be deliberate about <code>COALESCE(..., 0)</code>. A missing row means "
                "zero sales only if the store was open and the product was listed. For a "
                "store that had not opened yet, zero is a lie your model will learn from. "
                "In practice I join a second table of valid store and date ranges.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Finding streaks", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Gaps and islands is the classic name for finding consecutive runs: days "
                "a sensor reported, stretches a customer stayed active, periods a product was "
                "out of stock. The trick is that for consecutive dates, the date minus its "
                "row number is constant within a run and changes when a gap appears:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """WITH numbered AS (
    SELECT
        device_id,
        reading_date,
        reading_date - (ROW_NUMBER() OVER (
            PARTITION BY device_id
            ORDER BY reading_date
        ))::int AS island_key
    FROM (SELECT DISTINCT device_id, reading_date FROM readings) AS days
)
SELECT
    device_id,
    MIN(reading_date) AS streak_start,
    MAX(reading_date) AS streak_end,
    COUNT(*) AS streak_days
FROM numbered
GROUP BY device_id, island_key
ORDER BY device_id, streak_start;
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>When runs are defined by a status rather than by consecutive dates, use "
                "the other classic form: flag each row where the status changes with "
                "<code>LAG</code>, then take a running <code>SUM</code> of the flags. The "
                "running sum is a run identifier you can group by.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """WITH flagged AS (
    SELECT
        machine_id,
        ts,
        status,
        CASE
            WHEN status = LAG(status) OVER (PARTITION BY machine_id ORDER BY ts)
            THEN 0 ELSE 1
        END AS is_new_run
    FROM machine_status
),
runs AS (
    SELECT
        *,
        SUM(is_new_run) OVER (
            PARTITION BY machine_id
            ORDER BY ts
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS run_id
    FROM flagged
)
SELECT machine_id, run_id, status, MIN(ts) AS started_at, MAX(ts) AS last_seen_at
FROM runs
GROUP BY machine_id, run_id, status
ORDER BY machine_id, started_at;
""",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Point-in-time joins", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The query pattern most tied to model quality is the as-of join: for each "
                "label, fetch the latest feature value that existed strictly before the label "
                "timestamp. Join on the key alone and you take today's values, which is "
                "leakage. In PostgreSQL a <code>LATERAL</code> join expresses it directly:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """SELECT
    l.customer_id,
    l.label_date,
    l.churned,
    f.balance,
    f.snapshot_date
FROM labels AS l
LEFT JOIN LATERAL (
    SELECT s.balance, s.snapshot_date
    FROM account_snapshots AS s
    WHERE s.customer_id = l.customer_id
      AND s.snapshot_date < l.label_date
    ORDER BY s.snapshot_date DESC
    LIMIT 1
) AS f ON TRUE;
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>With an index on <code>(customer_id, snapshot_date)</code> this is fast. "
                "Warehouses without <code>LATERAL</code> get the same result by joining on "
                "the key and the date condition, then keeping "
                "<code>ROW_NUMBER() = 1</code> per label. Where this logic should live, in "
                "SQL or in the training pipeline, is its own decision; I cover it in "
                '<a linktype="page" id="slug:bigquery-vs-tensorflow-transform">BigQuery '
                "vs TensorFlow Transform</a>.</p>"
            ),
        },
        {
            "type": "callout",
            "value": {
                "kind": "warning",
                "text": (
                    "<p>Use a strict <code>&lt;</code> on the timestamp unless you know the "
                    "feature was available before the label event on the same day. Off-by-one "
                    "leakage at the date boundary is subtle and remarkably common.</p>"
                ),
            },
        },
        {
            "type": "heading",
            "value": {"text": "Reading EXPLAIN", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>When a query is slow, guessing is the expensive option. Ask the planner "
                "what it did:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """EXPLAIN (ANALYZE, BUFFERS)
SELECT customer_id, SUM(amount) AS revenue
FROM orders
WHERE order_date >= DATE '2024-01-01'
GROUP BY customer_id;
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p><code>ANALYZE</code> actually runs the query, so be careful with writes. "
                "In the output I look for a few things, roughly in this order:</p>"
                "<ul>"
                "<li><b>Estimated versus actual rows.</b> If the planner expected a hundred "
                "rows and got millions, every decision after that is built on a bad guess. "
                "Stale statistics are the usual cause; <code>ANALYZE orders;</code> often "
                "fixes it.</li>"
                "<li><b>Sequential scans on large tables</b> where you expected an index, "
                "often caused by wrapping the column in a function.</li>"
                "<li><b>Sorts or hashes spilling to disk</b>, shown as external merge or "
                "multiple hash batches.</li>"
                "<li><b>Nested loops over large inputs</b>, usually a symptom of the row "
                "estimate problem above.</li>"
                "</ul>"
            ),
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The function-wrapping point deserves an example. "
                "<code>WHERE date_trunc('month', order_date) = DATE '2024-01-01'</code> cannot "
                "use an index on <code>order_date</code>; the equivalent range "
                "<code>WHERE order_date &gt;= DATE '2024-01-01' AND order_date &lt; DATE "
                "'2024-02-01'</code> can. For the query above, a covering index lets "
                "PostgreSQL answer from the index alone:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """CREATE INDEX CONCURRENTLY idx_orders_date_customer
    ON orders (order_date, customer_id)
    INCLUDE (amount);
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>In columnar warehouses the levers are different: there are no indexes in "
                "the usual sense, and cost follows bytes scanned. Selecting only the columns "
                "you need and filtering on the partition column do most of the work.</p>"
            ),
        },
        {
            "type": "table",
            "value": {
                "data": [
                    ["Pattern", "Typical use", "Watch out for"],
                    [
                        "CTE",
                        "Breaking a query into named, testable steps",
                        "Materialization differences between engines",
                    ],
                    [
                        "ROW_NUMBER",
                        "Latest record per entity, deduplication",
                        "Missing tie-breaker gives non-deterministic results",
                    ],
                    [
                        "SUM / AVG OVER",
                        "Running totals, rolling features",
                        "Default RANGE frame and ties; ROWS is not time",
                    ],
                    [
                        "LAG / LEAD",
                        "Lags, differences, change detection",
                        "Gaps in the series shift the meaning of N rows",
                    ],
                    [
                        "Calendar grid",
                        "Dense time series for lags and windows",
                        "Zero-filling periods where the entity did not exist",
                    ],
                    [
                        "Gaps and islands",
                        "Streaks, outages, status runs",
                        "Duplicate dates break the row-number trick",
                    ],
                    [
                        "As-of join",
                        "Point-in-time correct training data",
                        "Non-strict comparisons leak same-day information",
                    ],
                    ["EXPLAIN ANALYZE", "Diagnosing slow queries", "It executes the statement"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "The patterns in this article and where they bite",
            },
        },
        {"type": "divider", "value": None},
        {
            "type": "heading",
            "value": {"text": "Habits that pay off", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Push filtering and aggregation to the database and pull the smallest "
                "result that answers the question. Moving a billion rows into a notebook to "
                "compute a group mean is slow no matter how good your Python is, a point I "
                'return to in <a linktype="page" id="slug:python-performance">Python '
                "Performance</a>. Keep queries in version control next to the code that uses "
                "them. And after every non-trivial join, check the row count against what "
                "you expected; an accidental fan-out is the silent bug behind many "
                "too-good-to-be-true models.</p>"
                "<p>None of this is advanced SQL. It is the everyday toolkit, and it is the "
                'layer the rest of the <a linktype="page" id="slug:data-engineering-stack">'
                "data engineering stack</a> is built on.</p>"
            ),
        },
    ],
}
