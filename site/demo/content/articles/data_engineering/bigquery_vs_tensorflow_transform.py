"""Demo article: BigQuery vs TensorFlow Transform."""

ARTICLE = {
    "slug": "bigquery-vs-tensorflow-transform",
    "title": "BigQuery vs TensorFlow Transform: Choosing the Right Feature Pipeline",
    "date": "2024-02-15",
    "reviewed_days_ago": 430,
    "applies_to": "BigQuery, TensorFlow Transform 1.14",
    "summary": (
        "When to compute features in BigQuery versus TFX - the tradeoffs between SQL-native "
        "simplicity and training-serving skew prevention, based on real experience at "
        "Blue Yonder."
    ),
    "search_description": (
        "Computing ML features in BigQuery SQL or TensorFlow Transform: simplicity, cost and "
        "training-serving skew, and the hybrid split I use in practice."
    ),
    "body": [
        {
            "type": "paragraph",
            "value": (
                "<p>Every team on Google Cloud that trains TensorFlow models eventually has "
                "the same argument: should feature engineering live in BigQuery, as SQL the "
                "whole team can read, or in TensorFlow Transform, as part of the TFX pipeline "
                "that trains and exports the model? I worked on both sides of this while "
                "building forecasting pipelines at Blue Yonder, and the honest answer is that "
                "each is right for a different kind of feature. The mistake is picking one "
                "tool for all of them.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "What each tool actually does", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p><b>BigQuery</b> is a columnar warehouse. Features are SQL queries whose "
                "output is a table, and the training job reads that table. The feature logic "
                "is decoupled from the model: a feature table can feed a TensorFlow model, a "
                "gradient boosted tree and an analyst's dashboard at once.</p>"
                "<p><b>TensorFlow Transform</b> (TFT) runs a <code>preprocessing_fn</code> "
                "over the training data with Apache Beam. It does a full pass to compute "
                "statistics such as means, vocabularies and quantiles, then exports the "
                "transformation, with those statistics baked in as constants, as a "
                "TensorFlow graph. That graph is attached to the served model, so the exact "
                "same code transforms requests at inference time. If you are new to the "
                "surrounding machinery, "
                '<a linktype="page" id="slug:production-ml-pipelines-tfx">Building '
                "Production Machine Learning Pipelines with TFX</a> covers it.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "The case for BigQuery", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>For anything that aggregates over history, SQL is hard to beat. Rolling "
                "demand, lags, counts per customer over the last thirty days, joins to "
                "promotions and calendars: these are window functions and joins, and "
                "BigQuery runs them over billions of rows without you thinking about "
                "workers. The patterns are the ones in "
                '<a linktype="page" id="slug:sql-for-data-scientists">SQL for Data '
                "Scientists</a>.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """SELECT
  store_id,
  product_id,
  sales_date,
  units_sold,
  AVG(units_sold) OVER (
    PARTITION BY store_id, product_id
    ORDER BY UNIX_DATE(sales_date)
    RANGE BETWEEN 28 PRECEDING AND 1 PRECEDING
  ) AS units_avg_28d,
  LAG(units_sold, 1) OVER (
    PARTITION BY store_id, product_id
    ORDER BY sales_date
  ) AS units_prev_row,
  EXTRACT(DAYOFWEEK FROM sales_date) AS day_of_week,
  IFNULL(p.discount_pct, 0) AS discount_pct
FROM `my_project.sales.daily_sales` AS s
LEFT JOIN `my_project.sales.promotions` AS p
  USING (store_id, product_id, sales_date)
WHERE sales_date >= DATE '2022-01-01'
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Note the frame ends at <code>1 PRECEDING</code>: the rolling mean for a "
                "day must not include that day's sales, or you are training on the answer. "
                "Beyond expressiveness, BigQuery wins on iteration speed. Changing a feature "
                "is editing a query and rerunning it in seconds, with the result inspectable "
                "by anyone. A Beam job takes minutes to start and its output lives in "
                "TFRecords that few people open.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Where SQL features go wrong: training-serving skew",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The trouble starts when the model is served online and a feature depends "
                "on statistics of the training set. Take a z-scored price. In SQL it is "
                "natural to write it as a window over the table:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "sql",
                "source": """SELECT
  *,
  (price - AVG(price) OVER ()) / STDDEV(price) OVER () AS price_z
FROM `my_project.features.training_rows`
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Two things are wrong. The mean and standard deviation are computed over "
                "every row, including your evaluation period, so the validation score is "
                "slightly optimistic. Worse, the serving path has to reproduce those two "
                "numbers. Someone copies them into a config file, or reimplements the scaling "
                "in the serving service, and six months later the training query is changed "
                "and the config is not. The model keeps producing predictions, nothing "
                "errors, and accuracy drifts. That is training-serving skew, and it is why "
                "I call it the silent killer of deployed models.</p>"
                "<p>Vocabularies are the same problem with worse failure modes. If the "
                "category-to-index mapping is built in SQL and rebuilt in the serving code, a "
                "single new category shifts indices and the model reads every category "
                "wrongly.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "What TensorFlow Transform buys you", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>TFT removes the copy step. Statistics are computed once, on the training "
                "split only, and frozen into the graph the model serves with:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import tensorflow as tf
import tensorflow_transform as tft

NUMERIC_FEATURES = ["price", "discount_pct", "units_avg_28d"]
CATEGORICAL_FEATURES = ["store_id", "product_category"]
LABEL_KEY = "units_sold"


def preprocessing_fn(inputs):
    outputs = {}
    for key in NUMERIC_FEATURES:
        outputs[f"{key}_z"] = tft.scale_to_z_score(inputs[key])
    for key in CATEGORICAL_FEATURES:
        outputs[f"{key}_idx"] = tft.compute_and_apply_vocabulary(
            inputs[key], top_k=5000, num_oov_buckets=10
        )
    outputs["log_price"] = tf.math.log1p(inputs["price"])
    outputs[LABEL_KEY] = inputs[LABEL_KEY]
    return outputs
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>At export time the transform graph is loaded as a Keras layer and placed "
                "inside the serving signature, so the model accepts raw features and "
                "applies exactly the transformations it was trained with:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """def make_serving_fn(model, tf_transform_output):
    model.tft_layer = tf_transform_output.transform_features_layer()

    @tf.function(input_signature=[
        tf.TensorSpec(shape=[None], dtype=tf.string, name="examples")
    ])
    def serve_tf_examples_fn(serialized_examples):
        feature_spec = tf_transform_output.raw_feature_spec()
        feature_spec.pop(LABEL_KEY)
        parsed = tf.io.parse_example(serialized_examples, feature_spec)
        transformed = model.tft_layer(parsed)
        return {"predictions": model(transformed)}

    return serve_tf_examples_fn
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>There is now one definition of the feature, versioned with the model. "
                "Retraining recomputes the statistics and ships them together; there is "
                "nothing to keep in sync by hand.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "What it costs", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>TFT is not free. Beam pipelines are slower to develop and harder to "
                "debug than SQL, and at scale they run on Dataflow with its own tuning and "
                "billing. The <code>preprocessing_fn</code> must be written in TensorFlow "
                "ops, so anything awkward to express as tensors, such as history lookups "
                "or joins, does not belong there. And the features are only usable by "
                "TensorFlow models, which matters when another team wants them for a "
                "different model.</p>"
            ),
        },
        {
            "type": "quote",
            "value": {
                "quote": (
                    "Put a feature where its state lives. History lives in the warehouse; "
                    "training-set statistics live with the model."
                ),
                "attribution": "The rule of thumb I settled on",
            },
        },
        {
            "type": "heading",
            "value": {"text": "The hybrid that works", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The split I use is simple. BigQuery computes row-level and historical "
                "features: lags, rolling aggregates, joins to reference data, calendar "
                "fields. Those are computed the same way for training and serving because "
                "both read from the same feature tables, built point-in-time correct. TFT "
                "then handles anything that depends on statistics of the training data: "
                "scaling, vocabularies, bucketization by quantiles, hashing. The SQL "
                "produces the raw inputs and the transform graph makes them model-ready.</p>"
                "<p>The boundary also gives you a clean test. Any statistic that would change "
                "if you changed the training window belongs in TFT. Anything that only looks "
                "at one entity's own history belongs in SQL.</p>"
                "<p>The hybrid has one real cost for online serving: the historical "
                "features must be available at request time. Something has to publish the "
                "latest values from the warehouse to a low-latency store keyed by entity, "
                "and the serving path must read them from there rather than recompute them. "
                "That publishing job is small, but it needs the same care as the training "
                "query: the same definitions, the same freshness assumptions, and an alert "
                "when it stops running. If the published values lag behind what the model "
                "saw in training, you have rebuilt skew by another route.</p>"
            ),
        },
        {
            "type": "table",
            "value": {
                "data": [
                    ["Feature kind", "Where I compute it", "Why"],
                    [
                        "Lags and rolling aggregates",
                        "BigQuery",
                        "Window functions over history, shared feature tables",
                    ],
                    ["Joins to reference data", "BigQuery", "Joins are what SQL is for"],
                    [
                        "Z-scores, min-max scaling",
                        "TFT",
                        "Statistics frozen into the serving graph",
                    ],
                    [
                        "Vocabularies, categorical indices",
                        "TFT",
                        "One mapping for training and serving",
                    ],
                    ["Quantile buckets", "TFT", "Boundaries computed on the training split"],
                    [
                        "Simple row-wise math",
                        "Either",
                        "Whichever keeps the definition in one place",
                    ],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "The hybrid split between warehouse and transform graph",
            },
        },
        {
            "type": "callout",
            "value": {
                "kind": "note",
                "text": (
                    "<p>If your models are trained in BigQuery ML, its <code>TRANSFORM</code> "
                    "clause gives you the same guarantee inside the warehouse: preprocessing "
                    "declared at training time is stored with the model and reapplied at "
                    "prediction time.</p>"
                ),
            },
        },
        {
            "type": "heading",
            "value": {"text": "Catching the skew you did not prevent", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Even with a clean split, skew creeps in through the inputs themselves. "
                "An upstream system changes a unit, a feature table is backfilled with a "
                "different definition, a serving client sends a default value instead of a "
                "null. No transform graph protects you from a different number arriving in "
                "the first place. So I log a sample of serving requests and compare their "
                "distributions to the training data on a schedule. TensorFlow Data "
                "Validation does this with a few lines:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import tensorflow_data_validation as tfdv

train_stats = tfdv.generate_statistics_from_tfrecord(data_location=TRAIN_PATH)
serving_stats = tfdv.generate_statistics_from_tfrecord(data_location=SERVING_LOG_PATH)
schema = tfdv.infer_schema(train_stats)

category = tfdv.get_feature(schema, "product_category")
category.skew_comparator.infinity_norm.threshold = 0.01
price = tfdv.get_feature(schema, "price")
price.skew_comparator.jensen_shannon_divergence.threshold = 0.05

anomalies = tfdv.validate_statistics(
    statistics=train_stats, schema=schema, serving_statistics=serving_stats
)
for name, anomaly in anomalies.anomaly_info.items():
    print(name, anomaly.short_description)
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The thresholds are judgment calls; I start loose, look at what fires for "
                "a few weeks, and tighten them on the features the model is most sensitive "
                "to. The point is to learn about a mismatch from a report rather than from a "
                "quarter of slowly degrading forecasts.</p>"
            ),
        },
        {"type": "divider", "value": None},
        {
            "type": "heading",
            "value": {"text": "When to skip TFT entirely", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>If predictions are made in batch from the same feature tables used for "
                "training, and no request ever arrives with raw values, most of the skew "
                "argument disappears. Score in BigQuery or in a batch job that reads the "
                "same tables, compute the scaling statistics in a query filtered to the "
                "training window, and store them with the model artifact. For many "
                "forecasting setups that is enough, and it avoids a whole layer of "
                "infrastructure. TFT earns its place when there is an online serving path, "
                "several teams touching the model, or training data large enough that you "
                "already run Beam, as in the setups described in "
                '<a linktype="page" id="slug:distributed-training-tensorflow">Distributed '
                "Training in TensorFlow</a>.</p>"
            ),
        },
    ],
}
