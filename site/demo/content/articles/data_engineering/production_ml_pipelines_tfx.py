"""Demo article: Building Production Machine Learning Pipelines with TFX."""

ARTICLE = {
    "slug": "production-ml-pipelines-tfx",
    "title": "Building Production Machine Learning Pipelines with TFX",
    "date": "2022-04-22",
    "reviewed_days_ago": 520,
    "applies_to": "TFX 1.8, Apache Beam 2.38",
    "summary": (
        "A ground-up walkthrough of TensorFlow Extended - orchestrators, metadata, standard "
        "components (ExampleGen through Pusher), and building custom components. Written "
        "from hands-on work building Machine Learning pipelines in 2022."
    ),
    "search_description": (
        "A practical walkthrough of TFX: orchestrators, ML Metadata, the standard components "
        "from ExampleGen to Pusher, and writing your own custom components."
    ),
    "body": [
        {
            "type": "paragraph",
            "value": (
                "<p>A trained model in a notebook is a result. A model that retrains every "
                "week on fresh data, refuses to deploy when the data looks wrong, and can "
                "tell you exactly which rows and code produced the version serving right "
                "now is a system. TensorFlow Extended (TFX) is Google's framework for "
                "building the second kind, and I spent a good part of this year building "
                "pipelines with it.</p>"
                "<p>TFX has a reputation for being heavy, and it is. It brings Apache Beam, "
                "a metadata store, protobuf configuration and a fair amount of vocabulary. "
                "But most of that weight exists for reasons you only appreciate after a "
                "model has failed in production without anyone noticing. This article is "
                "the walkthrough I wanted when I started: the mental model first, then the "
                "orchestrators, the standard components one by one, a complete pipeline, "
                "and how to write your own components when the standard ones are not "
                "enough.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "The mental model", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>A TFX pipeline is a directed acyclic graph of <b>components</b>. Each "
                "component consumes and produces <b>artifacts</b>: typed, versioned outputs "
                "such as <code>Examples</code>, <code>Schema</code>, <code>Model</code> or "
                "<code>ModelBlessing</code>. Components never pass data to each other "
                "directly. They write artifacts to a storage location under the pipeline "
                "root, record them in a metadata store, and downstream components read "
                "them back from there.</p>"
                "<p>Internally, every component has three parts. A <b>driver</b> resolves "
                "which input artifacts to use by querying metadata. An <b>executor</b> does "
                "the actual work, often as a Beam job. A <b>publisher</b> records the "
                "outputs and the execution back into metadata. You rarely touch the driver "
                "or publisher, but knowing they exist explains a lot of TFX behaviour, "
                "including caching.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "ML Metadata is the quiet star", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>ML Metadata (MLMD) is a small library backed by SQLite locally or MySQL "
                "in a cluster. It stores every artifact, every execution and the links "
                "between them. That gives you lineage for free: from a model being served "
                "you can walk back to the evaluation that blessed it, the trainer run and "
                "hyperparameters that produced it, the transform graph, the schema and the "
                "exact data span it was trained on.</p>"
                "<p>It also gives you caching. If a component's inputs and parameters have "
                "not changed since a previous successful run, TFX reuses the cached output "
                "instead of recomputing it. When you are iterating on the trainer, that "
                "means the expensive statistics and transform steps are skipped on every "
                "rerun. It also means that if you change code without changing anything "
                "TFX can see, it will happily hand you stale results, which I come back to "
                "later.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Orchestrators: where the pipeline runs",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>TFX separates the pipeline definition from the thing that runs it. You "
                "write the graph once and hand it to a runner for a particular "
                "orchestrator. In practice this portability is partial, since custom "
                "components and container images tie you to an environment, but the core "
                "definition genuinely moves between local development and a managed "
                "service without changes.</p>"
            ),
        },
        {
            "type": "table",
            "value": {
                "data": [
                    ["Orchestrator", "Runner", "Good for", "What hurts"],
                    [
                        "Local",
                        "LocalDagRunner",
                        "Development, tests, small data",
                        "Single machine, no scheduling",
                    ],
                    [
                        "Apache Beam",
                        "BeamDagRunner",
                        "Teams already running Beam",
                        "Beam is not a scheduler",
                    ],
                    [
                        "Apache Airflow",
                        "AirflowDagRunner",
                        "Shops with an existing Airflow",
                        "Artifact passing feels bolted on",
                    ],
                    [
                        "Kubeflow Pipelines",
                        "KubeflowDagRunner",
                        "Self-managed Kubernetes",
                        "You operate the cluster",
                    ],
                    [
                        "Vertex AI Pipelines",
                        "KubeflowV2DagRunner",
                        "Managed runs on Google Cloud",
                        "Container builds slow iteration",
                    ],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "TFX orchestrators and where each one fits",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>My working pattern: develop with <code>LocalDagRunner</code> on a sample "
                "of the data until every component runs end to end, then move to a managed "
                "orchestrator for real runs. The local runner is not a toy; it uses the same "
                "metadata and artifacts, so most bugs surface there, where the feedback loop "
                "is seconds rather than the minutes it takes to build and push an image.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "The standard components", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The standard components cover the path most supervised models follow. "
                "You do not have to use all of them, but each one exists because its absence "
                "has burned someone.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "ExampleGen: getting data in", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>ExampleGen ingests data and splits it, by default into train and eval. "
                "There are variants for CSV, TFRecord, Parquet and BigQuery, and the output "
                "is always TFRecord files of <code>tf.Example</code>. Two features matter "
                "for production: custom split configuration (for time series, split by time, "
                "not randomly, or your evaluation leaks the future) and <b>spans</b>, which "
                "let the pipeline pick up a new slice of data each run, such as one "
                "directory per week.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "StatisticsGen, SchemaGen and ExampleValidator",
                "level": "h3",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>These three, built on TensorFlow Data Validation, are the part of TFX I "
                "would keep even if I dropped everything else. StatisticsGen computes "
                "per-feature statistics over each split. SchemaGen infers a schema from "
                "them: types, expected presence, value domains. ExampleValidator compares "
                "new statistics against that schema and flags anomalies such as a new "
                "category, a feature that has started arriving empty, or drift between "
                "training and serving data.</p>"
                "<p>The important step is the one TFX cannot do for you: after the first "
                "run, review the inferred schema, tighten it by hand, and check it into "
                "version control. An inferred schema describes what the data was; a curated "
                "schema describes what it is allowed to be.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Transform: features that cannot skew", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Transform runs a <code>preprocessing_fn</code> written with TensorFlow "
                "Transform. Full-pass statistics like means and vocabularies are computed "
                "over the whole training set with Beam, and the result is exported as a "
                "TensorFlow graph that is attached to the serving model. Training and "
                "serving therefore apply exactly the same transformation. When this is "
                "worth the complexity, compared with doing features in a warehouse, is a "
                "real trade-off that I cover in "
                '<a linktype="page" id="slug:bigquery-vs-tensorflow-transform">BigQuery '
                "vs TensorFlow Transform</a>.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """# pipeline_module.py: shared by Transform and Trainer
import tensorflow as tf
import tensorflow_transform as tft

NUMERIC = ["quantity", "unit_price", "days_since_promo"]
CATEGORICAL = ["store_id", "product_group"]
LABEL = "label"


def _xf(key):
    return f"{key}_xf"


def preprocessing_fn(inputs):
    outputs = {}
    for key in NUMERIC:
        # Mean and variance are computed over the full training split.
        outputs[_xf(key)] = tft.scale_to_z_score(inputs[key])
    for key in CATEGORICAL:
        outputs[_xf(key)] = tft.compute_and_apply_vocabulary(
            inputs[key], top_k=5_000, num_oov_buckets=10
        )
    outputs[LABEL] = tf.cast(inputs[LABEL], tf.float32)
    return outputs
""",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Trainer and Tuner", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Trainer calls a <code>run_fn</code> in your module file and passes it an "
                "<code>FnArgs</code> object with file patterns, the transform output, step "
                "counts and the directory to save the model to. Inside, it is ordinary Keras. "
                "The one thing you must get right is the serving signature: it should accept "
                "raw serialized examples and apply the transform graph, so clients never "
                "need to know about your preprocessing. Tuner, optionally, runs a "
                "KerasTuner search and hands the best hyperparameters to Trainer. If the "
                "model outgrows one device, the same <code>run_fn</code> can wrap model "
                "creation in a distribution strategy, as described in "
                '<a linktype="page" id="slug:distributed-training-tensorflow">Distributed '
                "Training in TensorFlow</a>.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """# pipeline_module.py (continued)
from tfx import v1 as tfx
from tfx_bsl.public import tfxio


def _input_fn(file_pattern, data_accessor, tf_transform_output, batch_size):
    return data_accessor.tf_dataset_factory(
        file_pattern,
        tfxio.TensorFlowDatasetOptions(batch_size=batch_size, label_key=LABEL),
        tf_transform_output.transformed_metadata.schema,
    ).repeat()


def _build_model():
    inputs = {
        _xf(k): tf.keras.Input(shape=(1,), name=_xf(k)) for k in NUMERIC
    }
    embedded = []
    for k in CATEGORICAL:
        inputs[_xf(k)] = tf.keras.Input(shape=(1,), name=_xf(k), dtype=tf.int64)
        emb = tf.keras.layers.Embedding(5_010, 16)(inputs[_xf(k)])
        embedded.append(tf.keras.layers.Flatten()(emb))
    x = tf.keras.layers.concatenate(
        [inputs[_xf(k)] for k in NUMERIC] + embedded
    )
    x = tf.keras.layers.Dense(64, activation="relu")(x)
    output = tf.keras.layers.Dense(1, activation="sigmoid")(x)
    model = tf.keras.Model(inputs=inputs, outputs=output)
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[tf.keras.metrics.AUC()])
    return model


def _serving_fn(model, tf_transform_output):
    model.tft_layer = tf_transform_output.transform_features_layer()

    @tf.function(input_signature=[
        tf.TensorSpec(shape=[None], dtype=tf.string, name="examples")
    ])
    def serve(serialized):
        spec = tf_transform_output.raw_feature_spec()
        spec.pop(LABEL)
        raw = tf.io.parse_example(serialized, spec)
        return model(model.tft_layer(raw))

    return serve


def run_fn(fn_args: tfx.components.FnArgs):
    tf_transform_output = tft.TFTransformOutput(fn_args.transform_output)
    train_ds = _input_fn(fn_args.train_files, fn_args.data_accessor,
                         tf_transform_output, batch_size=256)
    eval_ds = _input_fn(fn_args.eval_files, fn_args.data_accessor,
                        tf_transform_output, batch_size=256)
    model = _build_model()
    model.fit(train_ds, steps_per_epoch=fn_args.train_steps,
              validation_data=eval_ds, validation_steps=fn_args.eval_steps)
    model.save(fn_args.serving_model_dir, save_format="tf",
               signatures={"serving_default": _serving_fn(model, tf_transform_output)})
""",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Evaluator, InfraValidator and Pusher", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Evaluator runs TensorFlow Model Analysis over the eval split, computes "
                "metrics overall and per slice, and compares the candidate against a "
                "baseline: the latest model that was previously blessed, found with a "
                "Resolver node. If the candidate clears absolute thresholds and does not "
                "regress against the baseline, it produces a <code>ModelBlessing</code>. "
                "InfraValidator, optionally, loads the model into a real TensorFlow Serving "
                "binary and sends it requests, which catches models that evaluate fine but "
                "cannot be served. Pusher copies a blessed model to its serving destination "
                "and does nothing if the blessing is missing.</p>"
                "<p>This gate is the whole point. Without it, a retraining pipeline is a "
                "machine for deploying whatever the latest data happened to produce.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Putting it together", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Here is the full pipeline definition. It is long, but almost all of it is "
                "wiring: each component's outputs become the next one's inputs.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import tensorflow_model_analysis as tfma
from tfx import v1 as tfx


def create_pipeline(pipeline_name, pipeline_root, data_root, module_file,
                    serving_dir, metadata_path=None):
    example_gen = tfx.components.CsvExampleGen(input_base=data_root)
    stats_gen = tfx.components.StatisticsGen(
        examples=example_gen.outputs["examples"])
    schema_gen = tfx.components.SchemaGen(
        statistics=stats_gen.outputs["statistics"], infer_feature_shape=True)
    validator = tfx.components.ExampleValidator(
        statistics=stats_gen.outputs["statistics"],
        schema=schema_gen.outputs["schema"])
    transform = tfx.components.Transform(
        examples=example_gen.outputs["examples"],
        schema=schema_gen.outputs["schema"],
        module_file=module_file)
    trainer = tfx.components.Trainer(
        module_file=module_file,
        examples=transform.outputs["transformed_examples"],
        transform_graph=transform.outputs["transform_graph"],
        schema=schema_gen.outputs["schema"],
        train_args=tfx.proto.TrainArgs(num_steps=5_000),
        eval_args=tfx.proto.EvalArgs(num_steps=500))

    baseline = tfx.dsl.Resolver(
        strategy_class=tfx.dsl.experimental.LatestBlessedModelStrategy,
        model=tfx.dsl.Channel(type=tfx.types.standard_artifacts.Model),
        model_blessing=tfx.dsl.Channel(
            type=tfx.types.standard_artifacts.ModelBlessing),
    ).with_id("latest_blessed_model")

    eval_config = tfma.EvalConfig(
        model_specs=[tfma.ModelSpec(label_key="label")],
        slicing_specs=[tfma.SlicingSpec(),
                       tfma.SlicingSpec(feature_keys=["product_group"])],
        metrics_specs=[tfma.MetricsSpec(metrics=[
            tfma.MetricConfig(
                class_name="AUC",
                threshold=tfma.MetricThreshold(
                    value_threshold=tfma.GenericValueThreshold(
                        lower_bound={"value": 0.7}),
                    change_threshold=tfma.GenericChangeThreshold(
                        direction=tfma.MetricDirection.HIGHER_IS_BETTER,
                        absolute={"value": -1e-3}))),
        ])],
    )
    evaluator = tfx.components.Evaluator(
        examples=example_gen.outputs["examples"],
        model=trainer.outputs["model"],
        baseline_model=baseline.outputs["model"],
        eval_config=eval_config)
    pusher = tfx.components.Pusher(
        model=trainer.outputs["model"],
        model_blessing=evaluator.outputs["blessing"],
        push_destination=tfx.proto.PushDestination(
            filesystem=tfx.proto.PushDestination.Filesystem(
                base_directory=serving_dir)))

    return tfx.dsl.Pipeline(
        pipeline_name=pipeline_name,
        pipeline_root=pipeline_root,
        components=[example_gen, stats_gen, schema_gen, validator, transform,
                    trainer, baseline, evaluator, pusher],
        enable_cache=True,
        metadata_connection_config=(
            tfx.orchestration.metadata.sqlite_metadata_connection_config(
                metadata_path) if metadata_path else None),
    )


if __name__ == "__main__":
    tfx.orchestration.LocalDagRunner().run(create_pipeline(
        pipeline_name="demand-model",
        pipeline_root="./tfx_root",
        data_root="./data/sample",
        module_file="pipeline_module.py",
        serving_dir="./serving_model",
        metadata_path="./tfx_root/metadata.db",
    ))
""",
            },
        },
        {
            "type": "callout",
            "value": {
                "kind": "note",
                "text": (
                    '<p>The absolute <code>change_threshold</code> of -0.001 means "the '
                    'candidate may be at most a hair worse than the current model". On the '
                    "very first run there is no baseline, so only the value threshold "
                    "applies. Decide these numbers with the people who own the business "
                    "outcome, not alone at your desk.</p>"
                ),
            },
        },
        {"type": "divider", "value": None},
        {
            "type": "heading",
            "value": {"text": "Custom components", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Sooner or later you need a step TFX does not ship: a business-rule check, "
                "an export to a feature store, a notification. TFX offers three ways to "
                "write one, in increasing order of effort.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Python function components", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>For most needs, a decorated Python function is enough. Type annotations "
                "declare which arguments are input artifacts, which are output artifacts, "
                "and which are plain parameters; TFX generates the component spec and "
                "executor from them. Here is one I use in some form on almost every "
                "pipeline: a volume check that fails the run if a split has suspiciously "
                "few rows. ExampleValidator catches distribution problems, but it will "
                "happily validate a training split that is a tenth of its usual size because "
                "an upstream export stopped halfway.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": '''import os

import tensorflow_data_validation as tfdv
from tfx import v1 as tfx
from tfx.types import artifact_utils
from tfx.types.standard_artifacts import ExampleStatistics


@tfx.dsl.components.component
def VolumeCheck(
    statistics: tfx.dsl.components.InputArtifact[ExampleStatistics],
    min_rows: tfx.dsl.components.Parameter[int] = 100_000,
    split: tfx.dsl.components.Parameter[str] = "train",
) -> tfx.dsl.components.OutputDict(row_count=int):
    """Fail the pipeline run if a split has fewer rows than expected."""
    split_uri = artifact_utils.get_split_uri([statistics], split)
    stats = tfdv.load_stats_binary(os.path.join(split_uri, "FeatureStats.pb"))
    row_count = int(stats.datasets[0].num_examples)
    if row_count < min_rows:
        raise RuntimeError(
            f"Split '{split}' has {row_count} rows, expected at least {min_rows}"
        )
    return {"row_count": row_count}


# In create_pipeline():
volume_check = VolumeCheck(statistics=stats_gen.outputs["statistics"],
                           min_rows=100_000)
trainer.add_upstream_node(volume_check)  # do not train on a partial export
# ...and add volume_check to the pipeline's components list.
''',
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Raising an exception is a perfectly good way for a component to say no: "
                "the execution is recorded as failed and nothing downstream runs. The "
                "<code>row_count</code> output is stored in metadata, so you also get a "
                "history of data volumes per run for free, which is useful when someone "
                "asks when the input started shrinking.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Container components and fully custom ones",
                "level": "h3",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>When the step is not Python, or needs dependencies you do not want in "
                "the pipeline image, a container-based component wraps any Docker image and "
                "command line, with artifact URIs passed in as arguments. It is the right "
                "choice for a legacy R script or a vendor CLI. The fully custom route, where "
                "you write a <code>ComponentSpec</code>, an executor class and the component "
                "class yourself, is only worth it when you need something the other two "
                "cannot express, such as a custom driver that decides which inputs to "
                "resolve, or a reusable component shared across many teams. I have needed it "
                "once.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Moving to a managed orchestrator", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Once the pipeline runs locally, compiling it for Vertex AI Pipelines is a "
                "few lines. The runner writes a pipeline specification that references a "
                "container image holding TFX and your module files; you build that image, "
                "push it, and submit the specification as a job.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """from google.cloud import aiplatform
from tfx import v1 as tfx

from pipeline import create_pipeline

IMAGE = "europe-west4-docker.pkg.dev/my-project/ml/demand-pipeline:latest"
ROOT = "gs://my-bucket/tfx"

runner = tfx.orchestration.experimental.KubeflowV2DagRunner(
    config=tfx.orchestration.experimental.KubeflowV2DagRunnerConfig(
        default_image=IMAGE),
    output_filename="demand_pipeline.json",
)
runner.run(create_pipeline(
    pipeline_name="demand-model",
    pipeline_root=ROOT,
    data_root="gs://my-bucket/data/weekly",
    module_file=f"{ROOT}/modules/pipeline_module.py",
    serving_dir="gs://my-bucket/serving/demand-model",
))

aiplatform.init(project="my-project", location="europe-west4")
aiplatform.PipelineJob(
    display_name="demand-model",
    template_path="demand_pipeline.json",
    enable_caching=True,
).submit()
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Note that the metadata connection disappears here: on Vertex, the "
                "managed service provides the metadata store. Everything else, including the "
                "custom component, carries over unchanged.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Triggering runs and rolling windows", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>A pipeline definition says nothing about when it runs. On Vertex, I "
                "trigger runs either on a schedule, through a small scheduled job that "
                "submits the compiled specification, or on an event such as a new data "
                "export landing in a bucket. Event triggers sound more elegant, but a "
                "schedule is easier to reason about and to pause, so it is my default.</p>"
                "<p>Whichever you choose, let ExampleGen's span mechanism decide which data a "
                "run sees. Each weekly export goes into its own directory, the input "
                "configuration uses a <code>{SPAN}</code> placeholder in the path, and the "
                "pipeline picks up the latest span automatically. A range configuration "
                "lets you train on a rolling window of recent spans instead of only the "
                "newest one. Reproducing an old model then means rerunning with an explicit "
                "span, not reconstructing a dataset by hand, and a backfill becomes a loop "
                "over span numbers.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "What I learned the hard way", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p><b>Caching hides changes it cannot see.</b> TFX decides whether to reuse "
                "a cached output from the component's inputs and parameters. It hashes the "
                "module files it knows about, but code a component imports from elsewhere, "
                "a rebuilt container image, or data overwritten in place behind the same "
                "path are invisible to it. Treat inputs as immutable, and disable caching on "
                "components you are actively editing.</p>"
                "<p><b>Version pinning is not optional.</b> TFX, TensorFlow, TFT, TFMA, TFDV "
                "and tfx-bsl are released in lockstep and only specific combinations work "
                "together. Pin the whole set, build one image with it, and upgrade them "
                "together, deliberately.</p>"
                "<p><b>Beam settings matter at scale.</b> The data components run on the "
                "DirectRunner by default, which is fine for a sample and painful for real "
                "volumes. Pass <code>beam_pipeline_args</code> to run them on Dataflow once "
                "the data stops fitting comfortably on one machine.</p>"
                "<p><b>Start smaller than the full graph.</b> ExampleGen, StatisticsGen, "
                "SchemaGen, ExampleValidator, Trainer and Pusher make a perfectly good first "
                "pipeline. Add Transform, Evaluator with a baseline and InfraValidator as "
                "the model earns its place.</p>"
            ),
        },
        {
            "type": "callout",
            "value": {
                "kind": "warning",
                "text": (
                    "<p>A pipeline with the Evaluator threshold set so low that every model "
                    "is blessed is worse than no gate at all, because it gives everyone a "
                    "false sense of safety. Review the thresholds whenever the business "
                    "context changes.</p>"
                ),
            },
        },
        {
            "type": "quote",
            "value": {
                "quote": (
                    "The value of TFX is not that it trains models. Anything trains models. "
                    "The value is that it refuses to ship one it cannot vouch for, and "
                    "remembers why."
                ),
                "attribution": "How I explain TFX to engineering managers",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Is TFX worth it?", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>For a one-off model or a team without TensorFlow experience, probably "
                "not; a scheduled script with a few explicit checks will serve you better. "
                "For a model that retrains regularly, feeds decisions people rely on, and "
                "will be maintained by more than one person, the structure pays for itself "
                "the first time the data changes under you. The components are really a "
                "checklist of the failure modes that show up between a working model and a "
                "dependable system, which is the journey I describe in "
                '<a linktype="page" id="slug:machine-learning-project-lifecycle">The '
                "Machine Learning Project Lifecycle</a>. Even if you never adopt TFX, "
                "building your own pipeline around that checklist is a good idea.</p>"
            ),
        },
    ],
}
