"""Demo article: Python Performance."""

ARTICLE = {
    "slug": "python-performance",
    "title": "Python Performance: Writing Code That Scales",
    "date": "2024-02-12",
    "reviewed_days_ago": 150,
    "applies_to": "Python 3.12, NumPy 2.1, Numba 0.60",
    "summary": (
        "Practical techniques for making Python code fast - NumPy vectorization, Numba JIT "
        "compilation, multiprocessing, profiling tools, and common patterns that silently "
        "kill performance."
    ),
    "search_description": (
        "Making data-heavy Python fast: profiling with cProfile and py-spy, NumPy "
        "vectorisation, Numba, multiprocessing and the patterns that waste time."
    ),
    "body": [
        {
            "type": "paragraph",
            "value": (
                "<p>Python is slow at the thing beginners do most: looping over data one "
                "element at a time. It is fast at the thing experienced people do: handing "
                "whole arrays to compiled code and getting out of the way. Most performance "
                "work on data pipelines is moving code from the first style to the second, "
                "plus a few structural fixes that no amount of micro-optimisation can "
                "replace.</p>"
                "<p>This is the order I work in when a feature pipeline or training script "
                "is too slow: measure, remove the silent killers, vectorise, compile what "
                "will not vectorise, and only then add processes.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Measure before you touch anything", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>My guesses about where time goes are wrong often enough that I stopped "
                "trusting them. The bottleneck is regularly somewhere boring: a date parse, a "
                "lookup inside a loop, a file read repeated per item. Two tools cover almost "
                "every case.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "cProfile for deterministic profiles", "level": "h3", "anchor": ""},
        },
        {
            "type": "code",
            "value": {
                "language": "bash",
                "source": """python -m cProfile -o profile.out build_features.py
python -c "import pstats; pstats.Stats('profile.out').sort_stats('cumulative').print_stats(15)"
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p><code>cProfile</code> ships with Python and records every function call. "
                "Sort by cumulative time to find the expensive branch of the call tree, then "
                "by total time to find the function doing the work. Its overhead is "
                "significant for code with many tiny calls, so treat absolute numbers with "
                "suspicion and focus on proportions.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "py-spy for anything already running", "level": "h3", "anchor": ""},
        },
        {
            "type": "code",
            "value": {
                "language": "bash",
                "source": """py-spy top --pid 12345
py-spy record -o profile.svg --pid 12345
py-spy record -o profile.svg -- python build_features.py
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p><code>py-spy</code> is a sampling profiler that attaches to a running "
                "process without restarting or modifying it. That makes it the right tool for "
                "a job that has been running for an hour and seems stuck, or a production "
                "worker that is slow only under real load. The flame graph from "
                "<code>record</code> shows at a glance which call paths dominate. Add "
                "<code>--native</code> to see time spent inside C extensions.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Patterns that silently kill performance",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Row-wise pandas", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p><code>df.apply(f, axis=1)</code> and <code>iterrows()</code> look like "
                "pandas, but they call a Python function per row and build a Series object "
                "for each one. On a million rows that is the difference between a blink "
                "and a coffee break. Almost every row-wise function can be rewritten as "
                "column arithmetic, and conditional logic has <code>np.where</code> and "
                "<code>np.select</code>:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import numpy as np
import pandas as pd

rng = np.random.default_rng(0)
n = 1_000_000
df = pd.DataFrame({
    "price": rng.uniform(1, 100, n),
    "units": rng.integers(0, 50, n),
    "discount": rng.uniform(0, 0.3, n),
})

# Slow: one Python call and one Series object per row
df["revenue"] = df.apply(
    lambda r: r["price"] * (1 - r["discount"]) * r["units"], axis=1
)

# Fast: one expression over whole columns, executed in compiled code
df["revenue"] = df["price"] * (1 - df["discount"]) * df["units"]

# Conditional logic without apply
df["tier"] = np.select(
    [df["revenue"] > 1000, df["revenue"] > 100],
    ["high", "mid"],
    default="low",
)
""",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Growing things in a loop", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Appending to a DataFrame or concatenating inside a loop copies "
                "everything accumulated so far on every iteration, which makes the loop "
                "quadratic. It feels fine on ten files and falls over on a thousand. Collect "
                "the pieces in a list and concatenate once:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """# Quadratic: each concat copies the whole result again
result = pd.DataFrame()
for path in paths:
    result = pd.concat([result, pd.read_parquet(path)])

# Linear: build the pieces, concatenate once
result = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
""",
            },
        },
        {
            "type": "heading",
            "value": {"text": "The wrong data structure", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p><code>if item in some_list</code> scans the whole list. Inside a loop over "
                "another large collection, that is quadratic again, and it hides well because "
                "each line looks innocent. Converting the list to a <code>set</code> or a "
                "<code>dict</code> once makes each lookup constant time on average. In pandas "
                "the equivalent fix is replacing a loop of lookups with a <code>merge</code> "
                "or <code>map</code>. Structural fixes like this routinely beat every other "
                "technique in this article, because they change the amount of work rather "
                "than the speed of doing it.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Object dtypes and oversized types", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>A column of Python strings is an array of pointers to separate objects, "
                "so every operation on it runs at Python speed and it uses far more memory "
                "than the data needs. Low-cardinality strings belong in a "
                "<code>category</code> dtype, and numeric columns rarely need 64 bits. "
                "Smaller data is faster data: less memory traffic, better cache use, and "
                "fewer trips to swap.</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """df = pd.read_parquet(
    "sales.parquet", columns=["store_id", "product_id", "units", "price"]
)
before = df.memory_usage(deep=True).sum()

df["store_id"] = df["store_id"].astype("category")
df["product_id"] = df["product_id"].astype("category")
df["units"] = pd.to_numeric(df["units"], downcast="integer")
df["price"] = df["price"].astype("float32")

after = df.memory_usage(deep=True).sum()
print(f"{before / 1e6:.0f} MB -> {after / 1e6:.0f} MB")
""",
            },
        },
        {
            "type": "callout",
            "value": {
                "kind": "warning",
                "text": (
                    "<p>Downcasting to <code>float32</code> is fine for features and most "
                    "model inputs, but not for money totals or long cumulative sums where "
                    "precision errors accumulate. Decide per column, not globally.</p>"
                ),
            },
        },
        {
            "type": "heading",
            "value": {"text": "NumPy vectorisation", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Vectorising means expressing a computation as operations on whole "
                "arrays, so the loop runs in NumPy's compiled code instead of the "
                "interpreter. Broadcasting, where arrays of compatible shapes are stretched "
                "against each other, lets you remove nested loops too. Assigning each point "
                "to its nearest cluster center is a good example:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import numpy as np


def nearest_loop(points, centers):
    labels = np.empty(len(points), dtype=np.int64)
    for i, p in enumerate(points):
        distances = [((p - c) ** 2).sum() for c in centers]
        labels[i] = int(np.argmin(distances))
    return labels


def nearest_broadcast(points, centers):
    # (n, 1, d) - (1, k, d) -> (n, k, d) temporary: memory grows with n * k * d
    diff = points[:, None, :] - centers[None, :, :]
    return (diff ** 2).sum(axis=2).argmin(axis=1)


def nearest_dot(points, centers):
    # |p - c|^2 = |p|^2 - 2 p.c + |c|^2 needs only an (n, k) matrix
    d2 = (
        (points ** 2).sum(axis=1)[:, None]
        - 2.0 * points @ centers.T
        + (centers ** 2).sum(axis=1)[None, :]
    )
    return d2.argmin(axis=1)
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The broadcast version is the obvious translation, and it is much faster "
                "than the loop, but it materialises a three-dimensional temporary that can "
                "exhaust memory on large inputs. The dot-product version does the same job "
                "with a matrix multiply, which NumPy hands to an optimised BLAS library. This "
                "is the general lesson of vectorisation: the first vectorised version removes "
                "the interpreter overhead, and the second one thinks about memory.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Check the speed-up and the answer", "level": "h3", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Every rewrite gets two checks: is it actually faster on realistic input "
                "sizes, and does it give the same result? I keep a small script like this "
                "next to the code rather than trusting a one-off notebook cell:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import timeit

rng = np.random.default_rng(0)
points = rng.normal(size=(20_000, 8))
centers = rng.normal(size=(50, 8))

reference = nearest_broadcast(points, centers)
candidate = nearest_dot(points, centers)
print("agreement:", np.mean(reference == candidate))

for fn in (nearest_broadcast, nearest_dot):
    best = min(timeit.repeat(lambda: fn(points, centers), number=5, repeat=3)) / 5
    print(f"{fn.__name__}: {best * 1000:.1f} ms")
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Note that I print the agreement rather than assert exact equality. The "
                "two formulas round differently, so a point almost exactly between two "
                "centers can flip. That is expected; a large disagreement is a bug. Taking "
                "the minimum of several repeats filters out noise from whatever else the "
                "machine is doing.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Numba for loops that will not vectorise",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Some computations are inherently sequential: each step depends on the "
                "previous one. Exponential smoothing, custom state machines, inventory "
                "simulations. You can contort them into array operations, but the result is "
                "usually unreadable. Numba compiles a subset of Python and NumPy to machine "
                "code, so you keep the plain loop and get compiled speed:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import numpy as np
from numba import njit, prange


@njit(cache=True)
def exp_smooth(values, alpha):
    out = np.empty(values.shape[0], dtype=np.float64)
    level = values[0]
    for i in range(values.shape[0]):
        level = alpha * values[i] + (1.0 - alpha) * level
        out[i] = level
    return out


@njit(parallel=True, cache=True)
def exp_smooth_many(matrix, alpha):
    out = np.empty(matrix.shape, dtype=np.float64)
    for s in prange(matrix.shape[0]):
        out[s] = exp_smooth(matrix[s], alpha)
    return out


series = np.random.default_rng(0).poisson(20, size=(10_000, 365)).astype(np.float64)
smoothed = exp_smooth_many(series, 0.3)
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>A few things to know before you reach for it. The first call compiles, "
                "which takes noticeable time; <code>cache=True</code> stores the result on "
                "disk so later runs skip it. Numba works on NumPy arrays and scalars, not "
                "pandas objects, so pass <code>.to_numpy()</code> in and wrap results back "
                "out. And with <code>parallel=True</code>, <code>prange</code> spreads "
                "independent iterations across cores with no pickling at all, which often "
                "makes it a better first step than multiprocessing.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {
                "text": "Multiprocessing: real parallelism, real overhead",
                "level": "h2",
                "anchor": "",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The global interpreter lock means threads do not speed up CPU-bound "
                "Python code. They are still the right tool for I/O-bound work such as "
                "downloads and API calls. For CPU-bound work on independent chunks, "
                "processes sidestep the lock. The standard library's "
                "<code>ProcessPoolExecutor</code> is all I usually need:</p>"
            ),
        },
        {
            "type": "code",
            "value": {
                "language": "python",
                "source": """import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd


def summarise_file(path: str) -> pd.DataFrame:
    df = pd.read_parquet(path, columns=["store_id", "units"])
    return df.groupby("store_id", as_index=False)["units"].sum()


if __name__ == "__main__":
    paths = sorted(str(p) for p in Path("data/daily").glob("*.parquet"))
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        parts = list(pool.map(summarise_file, paths, chunksize=8))
    totals = pd.concat(parts).groupby("store_id", as_index=False)["units"].sum()
    print(totals.head())
""",
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The shape of this code is deliberate. Each worker receives a file path, "
                "not a DataFrame, and returns a small aggregate. Arguments and results are "
                "pickled and copied between processes, so shipping large objects back and "
                "forth can cost more than the computation you parallelised. Keep inputs "
                "small, do the heavy reading inside the worker, and return reduced "
                "results. <code>chunksize</code> batches many small tasks per message to cut "
                "that overhead further.</p>"
                "<p>Watch for oversubscription too. NumPy's BLAS, and libraries built on it, "
                "may start their own threads in every process. Eight processes each running "
                "eight BLAS threads on an eight-core machine is slower than either alone. "
                "Setting <code>OMP_NUM_THREADS=1</code> in the environment of the workers "
                "is the usual fix.</p>"
                "<p>Memory is the other limit. Every worker is a full Python process with "
                "its own copy of whatever it loads, so a job that needs four gigabytes in one "
                "process can need thirty in eight. I size the pool by memory as often as by "
                "cores, and when workers need the same large read-only array, I write it to "
                "disk once and let each worker memory-map it with "
                '<code>np.load(path, mmap_mode="r")</code> instead of sending copies.</p>'
            ),
        },
        {
            "type": "quote",
            "value": {
                "quote": (
                    "Parallelism multiplies whatever you already have. Make the single-core "
                    "version efficient first, or you will just be wasting eight cores "
                    "instead of one."
                ),
                "attribution": "A lesson I relearn on most performance reviews",
            },
        },
        {
            "type": "heading",
            "value": {"text": "Choosing a technique", "level": "h2", "anchor": ""},
        },
        {
            "type": "table",
            "value": {
                "data": [
                    ["Technique", "Best for", "Rough gain in my experience", "Main cost"],
                    [
                        "Better algorithm or data structure",
                        "Repeated lookups, repeated work",
                        "Can be the largest of all",
                        "Thinking time",
                    ],
                    [
                        "NumPy / pandas vectorisation",
                        "Element-wise math, aggregations",
                        "Often one to two orders of magnitude over loops",
                        "Memory for temporaries",
                    ],
                    [
                        "Numba",
                        "Sequential loops, custom kernels",
                        "Close to compiled code",
                        "Compile time, limited Python subset",
                    ],
                    [
                        "Multiprocessing",
                        "Independent CPU-bound chunks",
                        "Up to the number of cores, minus overhead",
                        "Pickling, memory per process",
                    ],
                    [
                        "Threads",
                        "I/O-bound work",
                        "Hides waiting, not computing",
                        "No help for CPU-bound Python",
                    ],
                    [
                        "Push work to SQL",
                        "Joins and aggregations on large tables",
                        "Avoids moving the data at all",
                        "Another system to manage",
                    ],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "Where each technique pays off and what it costs",
            },
        },
        {"type": "divider", "value": None},
        {
            "type": "heading",
            "value": {"text": "When the data stops fitting in memory", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Everything above assumes the data fits in RAM. When it stops fitting, "
                "the first move is not a cluster. Read only the columns you need, which "
                "columnar formats like Parquet make cheap. Process in chunks and keep running "
                "aggregates. Push filtering and aggregation into the database or into an "
                "embedded engine such as DuckDB, where the SQL patterns in "
                '<a linktype="page" id="slug:sql-for-data-scientists">SQL for Data '
                "Scientists</a> do the work without materialising intermediate tables in "
                "Python.</p>"
                "<p>Only when a single well-written process genuinely cannot keep up does "
                "distributed compute earn its operational cost. "
                '<a linktype="page" id="slug:data-engineering-stack">The Data Engineering '
                "Stack</a> maps those options, and "
                '<a linktype="page" id="slug:distributed-training-tensorflow">Distributed '
                "Training in TensorFlow</a> covers the training side. In my experience a "
                "large share of the jobs that people want to move to Spark run comfortably "
                "on one machine once the silent killers are gone.</p>"
            ),
        },
    ],
}
