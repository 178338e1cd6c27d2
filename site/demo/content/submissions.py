"""Demo Book a call submissions, so the conversions report has something to show.

Each: the slug of the page the visitor came from (HOME: the home page; None: unknown), how many
days before the first load it was sent, and what they wrote. Added only while the form has no
submissions at all.
"""

HOME = "home"

SUBMISSIONS = [
    (
        "sql-for-data-scientists",
        2,
        "Priya Raman",
        "Northwind Retail",
        "Our analysts pull whole tables into pandas; can we move the feature logic into SQL?",
    ),
    (
        "data-engineering",
        5,
        "Tom Becker",
        "Kestrel Logistics",
        "Nightly pipeline misses its window twice a week.",
    ),
    (
        "supply-chain-forecasting",
        9,
        "Amina Diallo",
        "Harbour Foods",
        "We forecast 40,000 SKUs in spreadsheets. Help.",
    ),
    (
        "sql-for-data-scientists",
        13,
        "Lukas Meyer",
        "",
        "Would you review our dbt models before we scale the team?",
    ),
    (
        None,
        18,
        "Sofia Russo",
        "Verde Energy",
        "A colleague recommended you for a forecasting audit.",
    ),
    (
        "backtesting-forecasts-properly",
        26,
        "Daniel Okafor",
        "Brightline Insurance",
        "Our backtests look great and production does not.",
    ),
    (
        "data-engineering",
        34,
        "Hannah Kim",
        "Atlas Health",
        "Looking for help moving feature computation out of notebooks.",
    ),
    (
        "production-ml-pipelines-tfx",
        41,
        "Marco Silva",
        "Quanta Bank",
        "Is TFX still the right choice for us in 2025?",
    ),
    (
        "banking-data-automation",
        52,
        "Elena Petrova",
        "Crescent Credit Union",
        "Month-end reconciliation takes us nine days.",
    ),
    (
        "forecasting",
        67,
        "James O'Neill",
        "Tidewater Ports",
        "Hierarchical forecasts that do not add up across regions.",
    ),
    (HOME, 80, "Yuki Tanaka", "", "Do you take short advisory engagements?"),
    (
        "sql-for-data-scientists",
        96,
        "Grace Mensah",
        "Lumen Analytics",
        "Training on window functions for a team of eight?",
    ),
    (
        "supply-chain-forecasting",
        118,
        "Omar Haddad",
        "Sahel Distribution",
        "Promotions wreck our demand forecasts.",
    ),
    (None, 140, "Laura Schmidt", "Alpen Mobility", "Found you through a conference talk."),
    (
        "python-performance",
        171,
        "Ravi Iyer",
        "Monsoon Games",
        "Our Python feature job takes six hours; can it take one?",
    ),
]
