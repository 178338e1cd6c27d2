"""Demo topic: Forecasting & Time Series."""

FORECASTING_TOPIC = {
    "slug": "forecasting",
    "title": "Forecasting & Time Series",
    "lede": (
        "Forecasting is where machine learning meets operations most directly: a number goes out every "
        "night, and someone orders stock, staffs a shift or books capacity on it. Getting that number "
        "right is less about clever models than about honest evaluation, forecasts that agree with each "
        "other, and pipelines that respect what was actually known when the forecast was made."
    ),
    "search_description": (
        "Practical writing on forecasting and time series in production: backtesting, hierarchical "
        "reconciliation and demand forecasting at scale."
    ),
    "intro": [
        {
            "type": "section",
            "value": {
                "heading": "Measure before you model",
                "body": (
                    "<p>Most forecasting projects I join have a model problem on paper and an evaluation "
                    "problem in practice. A single holdout month cannot tell two models apart, and leaked "
                    "promotion plans or restated sales make every model look better than it is. "
                    '<a linktype="page" id="slug:backtesting-forecasts-properly">Backtesting Forecasts '
                    "Properly</a> covers the rolling-origin setup I use before changing anything else.</p>"
                ),
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "Make the numbers add up",
                "body": (
                    "<p>Stores, regions, categories and finance all forecast at different levels, and "
                    "independently produced forecasts never agree. "
                    '<a linktype="page" id="slug:hierarchical-forecast-reconciliation">Hierarchical '
                    "Forecast Reconciliation</a> explains how to make them coherent, from bottom-up to MinT, "
                    "and what changes when the hierarchy has tens of thousands of series.</p>"
                ),
            },
        },
    ],
}


# The seed hub, word for word. Article names in the text are internal page links, so renaming or
# moving an article never breaks them.
DATA_ENGINEERING_TOPIC = {
    "slug": "data-engineering",
    "title": "Data Engineering & Production Systems",
    "lede": (
        "A model is only as good as the pipeline feeding it. Most of the reliability, and most of the "
        "failures, live in the data layer: how features are computed, how the system scales, and "
        "whether the next engineer can change it without breaking it. These pieces cover that ground."
    ),
    "search_description": (
        "Data engineering for machine learning in production: the stack, SQL, Python performance, "
        "feature pipelines, distributed training, TFX and the ML project lifecycle."
    ),
    "service": "production-ml-data-infrastructure",
    "case_studies": ["supply-chain-forecasting", "banking-data-automation"],
    "intro": [
        {
            "type": "section",
            "value": {
                "heading": "Know the stack before you reach for a tool",
                "body": (
                    '<p><a linktype="page" id="slug:data-engineering-stack">The Data Engineering '
                    "Stack: A Practitioner's Map</a> is the orientation I wish I had early: what each "
                    "layer does and where the real complexity hides. Two skills underpin all of it and "
                    'are worth having cold. <a linktype="page" id="slug:sql-for-data-scientists">SQL '
                    "for Data Scientists</a> covers the query patterns that actually come up, and "
                    '<a linktype="page" id="slug:python-performance">Python Performance</a> is about '
                    "writing code that holds up when the data stops fitting in memory.</p>"
                ),
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "Feature pipelines are where leakage hides",
                "body": (
                    "<p>Where and how you compute features decides both correctness and latency. "
                    '<a linktype="page" id="slug:bigquery-vs-tensorflow-transform">BigQuery vs '
                    "TensorFlow Transform</a> walks through that choice and the trap that creates "
                    "training and serving skew, the silent killer of deployed models. Getting this "
                    "layer right is the difference between a model that matches its backtest and one "
                    "that quietly drifts.</p>"
                ),
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "Training and shipping at scale",
                "body": (
                    "<p>When data and models outgrow one machine, the engineering changes shape. "
                    '<a linktype="page" id="slug:distributed-training-tensorflow">Distributed '
                    "Training in TensorFlow</a> compares the strategies and their tradeoffs, and "
                    '<a linktype="page" id="slug:production-ml-pipelines-tfx">Building Production '
                    "Machine Learning Pipelines with TFX</a> is about the orchestration, validation, "
                    "and monitoring that turn a trained model into a system you can trust to run "
                    "unattended.</p>"
                ),
            },
        },
        {
            "type": "section",
            "value": {
                "heading": 'What "production" actually means',
                "body": (
                    "<p>The gap between a notebook and a deployed system is wider than most people "
                    'expect. <a linktype="page" id="slug:machine-learning-project-lifecycle">The '
                    "Machine Learning Project Lifecycle</a> is about what really happens between "
                    '"the model works" and "the model is in production and someone depends on it". '
                    "That gap is where I do a lot of my work.</p>"
                ),
            },
        },
        {
            "type": "paragraph",
            "value": (
                '<p>This is the foundation under <a linktype="page" '
                'id="slug:production-ml-data-infrastructure">Production Machine Learning &amp; Data '
                'Infrastructure</a>, applied at scale in the <a linktype="page" '
                'id="slug:supply-chain-forecasting">supply-chain forecasting</a> and <a '
                'linktype="page" id="slug:banking-data-automation">banking data automation</a> case '
                "studies.</p>"
            ),
        },
    ],
}
