"""Demo article: The Data Engineering Stack: A Practitioner's Map."""

ARTICLE = {
    "slug": "data-engineering-stack",
    "title": "The Data Engineering Stack: A Practitioner's Map",
    "date": "2024-01-10",
    "reviewed_days_ago": 80,
    "applies_to": "Spark 3.5, Kafka 3.8, Airflow 2.10",
    "summary": (
        "A structured map of the data engineering landscape - from OS fundamentals and SQL "
        "through distributed compute, streaming, cloud services, and orchestration. Built "
        "from real project experience across Blue Yonder, Mastertrust, and independent data "
        "systems work."
    ),
    "search_description": (
        "A layer-by-layer map of the data engineering stack: OS, SQL, storage, distributed "
        "compute, streaming, cloud and orchestration, and where the complexity hides."
    ),
    "body": [
        {
            "type": "paragraph",
            "value": (
                '<p>Every few months someone asks me what they should learn to "get into data '
                'engineering", and every time the honest answer disappoints them a little. '
                "The landscape diagrams with four hundred logos are not wrong, but they are "
                "useless for deciding what to do on Monday. What actually helps is knowing "
                "the layers: what problem each one solves, what breaks when you get it "
                "wrong, and which layers you can safely leave to a managed service.</p>"
                "<p>This is the map I use. It comes from years of building forecasting "
                "pipelines for retail supply chains at Blue Yonder, automating data flows "
                "in a banking context at Mastertrust, and a long tail of smaller independent "
                "projects where I was the whole data team. It is opinionated on purpose. "
                "Where I name tools, they are the ones I reach for, not a ranking.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "The map at a glance", "level": "h2", "anchor": ""},
        },
        {
            "type": "table",
            "value": {
                "data": [
                    ["Layer", "What it does", "Tools I reach for", "Where complexity hides"],
                    [
                        "OS and shell",
                        "Processes, files, memory, networking",
                        "Linux, bash, ssh, cron, systemd",
                        "Disk vs. memory limits, permissions, time zones",
                    ],
                    [
                        "SQL and modelling",
                        "Asking questions of tabular data",
                        "PostgreSQL, BigQuery, DuckDB",
                        "Grain, joins that fan out, NULL semantics",
                    ],
                    [
                        "Storage and formats",
                        "Keeping data cheaply and readably",
                        "Object storage, Parquet, Delta or Iceberg",
                        "Partitioning, small files, schema evolution",
                    ],
                    [
                        "Distributed compute",
                        "Processing data bigger than one machine",
                        "Spark, Beam/Dataflow, warehouse engines",
                        "Shuffles, skew, serialization",
                    ],
                    [
                        "Streaming",
                        "Acting on data as it arrives",
                        "Kafka, Pub/Sub, Flink, Beam",
                        "Late data, exactly-once, state",
                    ],
                    [
                        "Cloud services",
                        "Renting the above as managed products",
                        "GCP or AWS equivalents, Terraform",
                        "IAM, networking, cost",
                    ],
                    [
                        "Orchestration",
                        "Running it all on schedule, in order",
                        "Airflow, Dagster, TFX, Kubeflow",
                        "Backfills, idempotency, retries",
                    ],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "Layers of the data engineering stack and where each one bites",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Read the table bottom-up for dependencies and top-down for learning "
                "order. Every layer leans on the ones above it in the table: a Spark job that "
                "dies is very often a memory or disk problem, and a broken dashboard is "
                "usually a join with the wrong grain, not a bug in the BI tool.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Layer 1: the operating system", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Nobody puts Linux on a data engineering roadmap, and it is the layer I see "
                "people struggle with most. Pipelines run as processes on machines. They read "
                "files, open sockets, run out of memory, fill disks and get killed by the "
                "OOM killer without a Python traceback. If you cannot look at a box and tell "
                "what it is doing, every problem further up becomes guesswork.</p>"
                "<p>The minimum I expect from anyone I work with: be comfortable in a shell, "
                "understand the difference between resident memory and virtual memory, know "
                "where logs go, and be able to inspect a file before loading it anywhere. "
                'That last habit alone saves hours. Half of all "the pipeline is broken" '
                "tickets I have handled were a file that changed shape upstream.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "bash",
                "source": """# Look before you load: size, shape, encoding, surprises
du -sh exports/orders_2024-01-09.csv
file exports/orders_2024-01-09.csv          # encoding, line endings
head -n 3 exports/orders_2024-01-09.csv
wc -l exports/orders_2024-01-09.csv

# Column count per row: anything but one distinct value means trouble
awk -F',' '{print NF}' exports/orders_2024-01-09.csv | sort | uniq -c

# DuckDB answers real questions without standing up a database
duckdb -c "
  SELECT order_date, count(*) AS n, sum(quantity) AS qty
  FROM read_csv_auto('exports/orders_2024-01-09.csv')
  GROUP BY order_date ORDER BY order_date;
"
""",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Layer 2: SQL and data modelling", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>SQL is the lingua franca of the whole stack. Warehouses speak it, Spark "
                "speaks it, streaming engines increasingly speak it, and the analysts who "
                "consume your work certainly do. I have written a separate piece on "
                '<a linktype="page" id="slug:sql-for-data-scientists">the SQL patterns '
                "that actually matter</a>, so here I want to stress the part that is not "
                "syntax: modelling.</p>"
                "<p>The single most important question about any table is its grain. What "
                "does one row represent? One order, one order line, one store per day? Most "
                "silent errors I have debugged came from joining two tables of different "
                "grain and then summing a column that had been duplicated by the join. The "
                "query ran, the numbers looked plausible, and they were wrong by a factor "
                "that varied by product.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """-- Keep only the latest version of each order; I write this weekly
WITH ranked AS (
  SELECT
    o.*,
    ROW_NUMBER() OVER (
      PARTITION BY order_id
      ORDER BY updated_at DESC
    ) AS rn
  FROM raw.orders AS o
  WHERE ingest_date >= DATE '2024-01-01'   -- partition pruning first
)
SELECT * EXCEPT (rn)
FROM ranked
WHERE rn = 1;
""",
            },
        },
        {
            "type": "callout",
            "value": {
                "kind": "note",
                "text": (
                    "<p>Write the grain of every table into its description, in one sentence. "
                    '"One row per store, product and calendar day" prevents more bugs than '
                    "any test suite I have written.</p>"
                ),
            },
        },
        {
            "type": "heading",
            "value": {"text": "Layer 3: storage and file formats", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Storage looks boring until it becomes the bottleneck. The default I "
                "recommend is columnar files (Parquet) on object storage, partitioned by the "
                "column you filter on most, usually a date. Columnar formats let engines read "
                "only the columns a query touches, compress well, and carry a schema with "
                "them, which a CSV never will.</p>"
                "<p>The complexity hides in three places. First, partitioning: too coarse "
                "and every query scans everything, too fine and you drown in thousands of "
                "tiny files that make every listing slow. Second, schema evolution: a "
                "column that changes type upstream will break readers in ways that depend "
                "on the engine. Third, updates: plain files are append-only, so deletes and "
                "corrections need a table format such as Delta Lake or Apache Iceberg, or a "
                "warehouse that manages it for you.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Layer 4: distributed compute", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>This is the layer people want to start with, and the one they should "
                "reach last. A single modern machine with a lot of memory, DuckDB or Polars "
                "and some care about data types handles far more than most teams assume. "
                "Before distributing anything, I profile, vectorize and fix the obvious "
                "inefficiencies, which I cover in "
                '<a linktype="page" id="slug:python-performance">Python Performance</a>. '
                "Only when the data genuinely does not fit, or the job must finish in a "
                "window one machine cannot meet, do I pay the distribution tax.</p>"
                "<p>And it is a tax. Distributed engines like Spark or Beam move data "
                "between machines whenever you group, join or repartition, and that shuffle "
                "dominates runtime. Skew, where one key holds a large share of the rows, "
                "turns a hundred-worker job into a one-worker job waiting on the slowest "
                "partition. In retail forecasting this is the norm rather than the "
                "exception: a few products and stores carry a disproportionate share of "
                "volume, and naive partitioning by product puts them all on the same "
                "executor.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Warehouse or cluster?", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>A managed warehouse such as BigQuery is itself a distributed engine, you "
                "just never see the workers. For transformation work that can be expressed "
                "in SQL, it is usually the cheapest option in engineering hours. I reach for "
                "Spark or Beam when the logic is genuinely procedural, when the output feeds "
                "ML training directly, or when the same code has to run in batch and "
                "streaming. For feature pipelines specifically, the choice has a subtle "
                "correctness angle that I discuss in "
                '<a linktype="page" id="slug:bigquery-vs-tensorflow-transform">BigQuery '
                "vs TensorFlow Transform</a>.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Layer 5: streaming", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Streaming is the layer where I most often talk clients out of something. "
                'The question is not "could this be real time?" but "what decision changes '
                'if the data is five seconds old instead of an hour old?" For most '
                "forecasting and reporting, the honest answer is none, and a micro-batch "
                "every fifteen minutes is simpler to build, test and backfill.</p>"
                "<p>When streaming is genuinely needed, such as fraud signals or transaction "
                "monitoring in banking, the hard parts are not the message broker. Kafka or "
                "Pub/Sub will move your events reliably. The hard parts are event time versus "
                "processing time, late and out-of-order data, deduplication, and state that "
                "has to survive restarts. Budget for those, not for the broker.</p>"
            ),
        },
        {
            "type": "quote",
            "value": {
                "quote": (
                    "Batch is a special case of streaming, but streaming is not a free "
                    "upgrade of batch. Pay for low latency only where someone acts on it."
                ),
                "attribution": "A rule of thumb I give every new team",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Layer 6: cloud services", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Cloud platforms sell you every layer above as a managed product. That is "
                "mostly good news: I would rather pay for a warehouse than operate one. But "
                "the cloud adds its own layer of complexity that tutorials skip. Identity and "
                "access management decides which service can read which bucket, and a "
                "misconfigured role is the most common reason a pipeline that worked on my "
                "laptop fails in production. Networking decides whether your job can reach "
                "the database at all. And cost is an engineering concern: an unpartitioned "
                "table scanned every five minutes by a dashboard can quietly become the "
                "largest line on the invoice.</p>"
                "<p>My practical advice: pick one cloud and learn its storage, warehouse, "
                "IAM and logging deeply before touching anything else. Define "
                "infrastructure in code (Terraform or the provider's equivalent) from the "
                "first day, because the console click-path you used to create a bucket will "
                "not be remembered by anyone six months later.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Layer 7: orchestration", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Orchestration is what turns a set of scripts into a system. An "
                "orchestrator such as Airflow or Dagster runs tasks in dependency order, on a "
                "schedule, with retries, and keeps a record of what ran. For ML pipelines, "
                "TFX and Kubeflow add artifact tracking and validation on top, which I walk "
                'through in <a linktype="page" id="slug:production-ml-pipelines-tfx">'
                "Building Production ML Pipelines with TFX</a>.</p>"
                "<p>The tool matters less than two properties of the tasks themselves. "
                "Every task should be idempotent: running it twice for the same date "
                "produces the same result, with no duplicates. And every task should be "
                'parameterized by the logical date it processes, not by "now". Get those '
                "two right and backfills, retries and reruns become routine. Get them wrong "
                "and every incident turns into manual surgery on production tables.</p>"
            ),
        },
        {
            "type": "callout",
            "value": {
                "kind": "warning",
                "text": (
                    '<p>If a task computes "yesterday" from the system clock, it will '
                    "produce the wrong data the first time it is retried after midnight or "
                    "backfilled for last month. Pass the logical date in explicitly.</p>"
                ),
            },
        },
        {"type": "divider", "value": None},
        {
            "type": "heading",
            "value": {"text": "The concerns that cut across layers", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Two things do not fit in a single row of the table because they belong "
                "to all of them. The first is data quality. Checks on row counts, null rates, "
                "value ranges and freshness belong at every boundary where data enters a "
                "layer, because the cost of catching a problem grows with every layer it "
                "passes through. The second is observability: logs you can search, metrics "
                "on volume and latency, and alerts that go to a person who can act on them. "
                "A pipeline without either will fail silently, and silent failures are the "
                "expensive kind.</p>"
                "<p>There is a third, less technical one: ownership. Every table and every "
                "pipeline needs a named person or team who is told when it breaks and who "
                "decides when its schema may change. On the banking data automation work "
                "this mattered more than any tool choice, because the downstream consumers "
                "were reports other teams relied on every morning, not notebooks. A short "
                "README per pipeline that states the owner, the grain of its outputs, its "
                "schedule and how to backfill it costs an hour to write and pays for itself "
                "the first time someone else is on call.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "How I would learn it today", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>If I were starting again, I would go in this order and build one small "
                "end-to-end project rather than collecting certificates:</p>"
                "<ol>"
                "<li>Linux and the shell, until inspecting a file or a process is reflex.</li>"
                "<li>SQL, with serious attention to grain, joins and window functions.</li>"
                "<li>Python for data, including when and why code is slow.</li>"
                "<li>One cloud's storage, warehouse and IAM.</li>"
                "<li>One orchestrator, with idempotent, date-parameterized tasks.</li>"
                "<li>Distributed compute and streaming, once a real problem demands "
                "them.</li>"
                "</ol>"
                "<p>The project can be modest: pull a public dataset daily, land it as "
                "Parquet, model it in SQL, schedule it, add quality checks, and break it on "
                "purpose to see what your alerts catch. That teaches more about the stack "
                "than any diagram.</p>"
                "<p>And once the pipeline exists, remember what it is for. Most of the time "
                "it feeds a model or a decision, and the rest of the journey from data to a "
                "system people depend on is what I describe in "
                '<a linktype="page" id="slug:machine-learning-project-lifecycle">The '
                "Machine Learning Project Lifecycle</a>.</p>"
            ),
        },
    ],
}
