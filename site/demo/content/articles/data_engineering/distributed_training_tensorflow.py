"""Demo article: Distributed Training in TensorFlow."""

ARTICLE = {
    "slug": "distributed-training-tensorflow",
    "title": ("Distributed Training in TensorFlow: MirroredStrategy vs. ParameterServerStrategy"),
    "date": "2023-02-10",
    "reviewed_days_ago": None,
    "applies_to": "TensorFlow 2.11",
    "summary": (
        "A practical guide to TensorFlow's distribution strategies - how each works, when to "
        "use MirroredStrategy vs. ParameterServerStrategy, and the tradeoffs that determine "
        "which is faster."
    ),
    "search_description": (
        "How TensorFlow's MirroredStrategy and ParameterServerStrategy work, when to use "
        "each, and what actually decides which one trains faster."
    ),
    "body": [
        {
            "type": "paragraph",
            "value": (
                "<p>The first rule of distributed training is that you probably do not need "
                "it yet. Before adding machines, I check that the GPU is actually busy. More "
                "often than not it is waiting on the input pipeline, and fixing "
                "<code>tf.data</code> gives a bigger speed-up than a second GPU would. But "
                "there is a point where a model or a dataset genuinely outgrows one device, "
                "and then the question becomes which of TensorFlow's distribution strategies "
                "to use.</p>"
                "<p>The two I have used in anger are <code>MirroredStrategy</code> (and its "
                "multi-machine sibling) and <code>ParameterServerStrategy</code>. They solve "
                "the same problem, data parallelism, with opposite philosophies. Picking the "
                "wrong one does not make training fail; it makes it slow, expensive or "
                "subtly worse, which is harder to notice.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Data parallelism in one paragraph", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Both strategies copy the computation to several workers, give each "
                "worker a different slice of every batch, and combine the resulting "
                "gradients into one update. The difference is where the variables live and "
                "whether workers wait for each other. In the mirrored family, every replica "
                "holds a full copy of the variables and all replicas synchronize gradients "
                "with an all-reduce at every step. In the parameter server setup, variables "
                "live on dedicated parameter server tasks, and workers read and update them "
                "independently, without waiting for one another.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "MirroredStrategy: synchronous and simple",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p><code>MirroredStrategy</code> is the one to try first on a single machine "
                "with several GPUs. Each GPU gets a replica of the model, each step processes "
                "a global batch split evenly across replicas, and gradients are summed with "
                "an all-reduce (NCCL on NVIDIA hardware) before every replica applies the "
                "same update. Because every replica sees the same variables at every step, "
                "the maths is identical to single-device training with a larger batch. That "
                "makes results reproducible and debugging sane.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import tensorflow as tf

strategy = tf.distribute.MirroredStrategy()
n_replicas = strategy.num_replicas_in_sync
print(f"Replicas in sync: {n_replicas}")

PER_REPLICA_BATCH = 256
GLOBAL_BATCH = PER_REPLICA_BATCH * n_replicas

FEATURES = {
    "x": tf.io.FixedLenFeature([32], tf.float32),
    "label": tf.io.FixedLenFeature([], tf.float32),
}


def parse(record):
    ex = tf.io.parse_single_example(record, FEATURES)
    return ex["x"], ex["label"]


def make_dataset(pattern):
    files = tf.data.Dataset.list_files(pattern, shuffle=True)
    ds = files.interleave(
        tf.data.TFRecordDataset, num_parallel_calls=tf.data.AUTOTUNE
    )
    ds = ds.map(parse, num_parallel_calls=tf.data.AUTOTUNE)
    # Batch with the GLOBAL size: the strategy splits it across replicas.
    return ds.shuffle(50_000).batch(GLOBAL_BATCH).prefetch(tf.data.AUTOTUNE)


with strategy.scope():
    # Variables must be created inside the scope to be mirrored.
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(256, activation="relu", input_shape=(32,)),
        tf.keras.layers.Dense(256, activation="relu"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(
        # Larger global batch, so scale the learning rate (then warm up).
        optimizer=tf.keras.optimizers.Adam(1e-3 * n_replicas),
        loss="binary_crossentropy",
        metrics=[tf.keras.metrics.AUC()],
    )

model.fit(
    make_dataset("data/train-*.tfrecord"),
    validation_data=make_dataset("data/eval-*.tfrecord"),
    epochs=10,
)
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Two lines in that snippet are where most mistakes happen. The dataset is "
                "batched with the global batch size, not the per-replica one; get this wrong "
                "and each GPU trains on a tiny batch while you wonder why scaling is poor. "
                "And the learning rate is scaled with the number of replicas, because the "
                "effective batch grew. Linear scaling with a short warm-up is a reasonable "
                "starting point, not a law; validate it against a single-device run.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "The same thing as a custom loop", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>When I need control over the step, for example to log per-replica "
                "statistics or apply gradient clipping, I write the loop myself. The "
                "strategy then does two jobs: <code>run</code> executes the step on every "
                "replica and <code>reduce</code> combines the results.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """with strategy.scope():
    loss_obj = tf.keras.losses.BinaryCrossentropy(
        reduction=tf.keras.losses.Reduction.NONE
    )
    optimizer = tf.keras.optimizers.Adam(1e-3 * n_replicas)


def compute_loss(labels, preds):
    per_example = loss_obj(labels, preds)
    # Divide by the GLOBAL batch, not the per-replica batch.
    return tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)


@tf.function
def train_step(dist_batch):
    def step_fn(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = compute_loss(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    per_replica = strategy.run(step_fn, args=(dist_batch,))
    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)


dist_ds = strategy.experimental_distribute_dataset(
    make_dataset("data/train-*.tfrecord")
)
for step, batch in enumerate(dist_ds):
    loss = train_step(batch)
    if step % 100 == 0:
        print(f"step {step}: loss {float(loss):.4f}")
""",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Going multi-machine", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The same idea extends across machines with "
                "<code>MultiWorkerMirroredStrategy</code>. Each machine runs the same script, "
                "and a <code>TF_CONFIG</code> environment variable tells each process who "
                "its peers are and which one it is. The model code does not change, which "
                "is the main appeal.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "json",
                "source": """{
  "cluster": {
    "worker": ["trainer-0:12345", "trainer-1:12345"]
  },
  "task": {"type": "worker", "index": 0}
}
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>What changes is the cost of the all-reduce. Inside one machine, GPUs talk "
                "over fast interconnects; across machines, gradients travel over the network "
                "at every single step. For a model with many parameters and little compute "
                "per example, that communication dominates and adding machines can make "
                "training slower per epoch. Synchronous training also means the slowest "
                "worker sets the pace: one machine with a noisy neighbour or a slow disk "
                "holds back all the others.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "ParameterServerStrategy: asynchronous and elastic",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p><code>ParameterServerStrategy</code> splits the cluster into three "
                "roles. A coordinator (job name <code>chief</code>) creates the variables, "
                "dispatches training steps and writes checkpoints. Parameter servers hold "
                "the variables, optionally sharded across several of them. Workers pull the "
                "current variables, compute gradients on their own batches, and push "
                "updates back, without waiting for anyone else.</p>"
                "<p>That asynchrony is both the feature and the catch. A slow or failed "
                "worker no longer stalls the cluster: the coordinator simply reschedules its "
                "work on another worker, which makes this strategy a good fit for large "
                "clusters of cheap, preemptible machines. The price is staleness: a worker "
                "may compute gradients against variables that others have already updated, "
                "so training is noisier and no longer equivalent to single-device training "
                "with a big batch.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import os

import tensorflow as tf

from models import build_model  # embedding tables + a small dense tower
from data import parse          # same parser as in the MirroredStrategy example

resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()

if resolver.task_type in ("worker", "ps"):
    # Workers and parameter servers just run a server and wait for work.
    os.environ["GRPC_FAIL_FAST"] = "use_caller"
    server = tf.distribute.Server(
        resolver.cluster_spec(),
        job_name=resolver.task_type,
        task_index=resolver.task_id,
        protocol=resolver.rpc_layer or "grpc",
        start=True,
    )
    server.join()

# Everything below runs on the coordinator ("chief").
num_ps = resolver.cluster_spec().num_tasks("ps")
partitioner = tf.distribute.experimental.partitioners.MinSizePartitioner(
    min_shard_bytes=256 << 10, max_shards=num_ps
)
strategy = tf.distribute.ParameterServerStrategy(
    resolver, variable_partitioner=partitioner
)


def dataset_fn(input_context):
    batch = input_context.get_per_replica_batch_size(1024)
    ds = tf.data.Dataset.list_files("gs://my-bucket/train-*.tfrecord")
    ds = ds.shard(input_context.num_input_pipelines,
                  input_context.input_pipeline_id)
    ds = ds.interleave(tf.data.TFRecordDataset,
                       num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(parse, num_parallel_calls=tf.data.AUTOTUNE)
    # Workers pull steps indefinitely; epochs are defined by steps_per_epoch.
    return ds.shuffle(50_000).repeat().batch(batch).prefetch(2)


with strategy.scope():
    model = build_model()
    model.compile(optimizer="adagrad", loss="binary_crossentropy",
                  steps_per_execution=20)

model.fit(
    tf.keras.utils.experimental.DatasetCreator(dataset_fn),
    epochs=5,
    steps_per_epoch=2_000,
    callbacks=[
        tf.keras.callbacks.BackupAndRestore(backup_dir="gs://my-bucket/backup"),
        tf.keras.callbacks.ModelCheckpoint("gs://my-bucket/ckpt/{epoch}"),
    ],
)
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The variable partitioner is the reason this strategy exists for many "
                "teams. A recommendation or demand model with a large embedding table may "
                "not fit comfortably in a single accelerator's memory, let alone be copied "
                "to every replica. Sharding it across parameter servers means each worker "
                "only fetches the rows it needs for its batch. For custom loops, "
                "<code>tf.distribute.coordinator.ClusterCoordinator</code> gives you "
                "<code>schedule</code> and <code>join</code> to dispatch steps yourself.</p>"
            ),
        },
        {
            "type": "callout",
            "value": {
                "kind": "warning",
                "text": (
                    "<p>Worker failures are handled for you; parameter server failures are "
                    "not. If a parameter server dies, the coordinator raises an error and "
                    "you restart from the last checkpoint. Put parameter servers on "
                    "non-preemptible machines and checkpoint often.</p>"
                ),
            },
        },
        {
            "type": "heading",
            "value": {"text": "Side by side", "level": "h2", "anchor": ""},
        },
        {
            "type": "table",
            "value": {
                "data": [
                    ["Aspect", "MirroredStrategy (and multi-worker)", "ParameterServerStrategy"],
                    ["Updates", "Synchronous all-reduce", "Asynchronous, per worker"],
                    ["Variables live", "Copied on every replica", "On parameter servers, sharded"],
                    ["Slow worker", "Stalls every step", "Others continue"],
                    ["Worker failure", "Job restarts from checkpoint", "Work rescheduled"],
                    ["Model size limit", "Must fit on one device", "Can exceed one device"],
                    ["Convergence", "Same as large-batch training", "Noisier, stale gradients"],
                    ["Best hardware", "GPUs with fast interconnect", "Many CPU or mixed workers"],
                    ["Typical model", "Dense vision and text models", "Large sparse embeddings"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "MirroredStrategy versus ParameterServerStrategy",
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "What actually decides which is faster",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Raw examples per second is the wrong metric. What matters is time to a "
                "given validation quality, and three factors decide it.</p>"
                "<ul>"
                "<li><b>Compute per byte of gradient.</b> Convolutional and transformer "
                "models do a lot of arithmetic per parameter, so the all-reduce is cheap "
                "relative to the step, and synchronous mirrored training scales well. "
                "Embedding-heavy models touch few parameters per example and move a lot of "
                "data; they favour parameter servers that only ship the rows in use.</li>"
                "<li><b>Cluster reliability.</b> On dedicated GPUs that do not disappear, "
                "synchronous training wastes little. On preemptible capacity, a strategy "
                "that tolerates losing workers mid-epoch often wins on cost and wall "
                "clock.</li>"
                "<li><b>Sensitivity to staleness.</b> Some models shrug off asynchronous "
                "updates; others need a lower learning rate to stay stable, which eats into "
                "the throughput you gained. Only an experiment tells you which you have.</li>"
                "</ul>"
            ),
        },
        {
            "type": "quote",
            "value": {
                "quote": (
                    "Measure time to target quality, not examples per second. A strategy "
                    "that trains twice as fast but needs three times the steps is a loss."
                ),
                "attribution": "My note to myself after one expensive week of benchmarks",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Pitfalls I keep running into", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p><b>The input pipeline starves the devices.</b> More replicas consume data "
                "faster. Use interleaved reads, parallel maps and prefetching, and check the "
                "profiler before blaming the strategy; the same profiling discipline I "
                'describe in <a linktype="page" id="slug:python-performance">Python '
                "Performance</a> applies here.</p>"
                "<p><b>Losses are averaged over the wrong batch.</b> In custom training loops, "
                "divide by the global batch size using "
                "<code>tf.nn.compute_average_loss</code>, not by the per-replica size, or "
                "your effective learning rate silently changes with the replica count.</p>"
                "<p><b>Evaluation runs in the wrong place.</b> With parameter servers, run "
                "evaluation as a separate sidecar task reading checkpoints, so it does not "
                "compete with training.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Where this fits in a pipeline", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>In production I rarely launch distributed jobs by hand. The training "
                "code lives in a Trainer step of a pipeline, which provides the cluster "
                "configuration and passes in the transformed data, as I describe in "
                '<a linktype="page" id="slug:production-ml-pipelines-tfx">Building '
                "Production ML Pipelines with TFX</a>. My default remains boring: start on "
                "one GPU, move to <code>MirroredStrategy</code> on one machine, and only go "
                "multi-machine or to parameter servers when a measurement says the simpler "
                "option has run out.</p>"
            ),
        },
    ],
}
