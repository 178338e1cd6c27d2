"""Draw the demo's diagrams with Pillow, into the `images/` folders beside the Markdown that shows
them (site/demo/content/…/images/*.png). The PNGs are committed, so loading the demo needs no
drawing; run this again after changing a drawing here.

Our own work, drawn by this script in the site's colours with the DejaVu Sans it ships; see the
README.md beside the images for the licence.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw, ImageFont

from consultancy_site.demo.loader import CONTENT
from consultancy_site.seo.social_cards import (
    ACCENT,
    BACKGROUND,
    BOLD,
    BORDER,
    MUTED,
    REGULAR,
    TAG_BACKGROUND,
    TAG_TEXT,
    TEXT,
)

WIDTH, HEIGHT = 1600, 900
WARNING = "#b42318"
FORECAST = "#f2c14e"
LATENCY = "#c9ced6"


def font(size, bold=False):
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


def canvas():
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    return image, ImageDraw.Draw(image)


def centred(draw, box, lines, size, fill=TEXT, bold=False, spacing=8):
    """Lines of text centred in a box."""
    left, top, right, bottom = box
    face = font(size, bold)
    heights = [draw.textbbox((0, 0), line, font=face)[3] for line in lines]
    y = (top + bottom - sum(heights) - spacing * (len(lines) - 1)) / 2
    for line, height in zip(lines, heights, strict=True):
        width = draw.textlength(line, font=face)
        draw.text(((left + right - width) / 2, y), line, font=face, fill=fill)
        y += height + spacing


def arrow(draw, start, end, fill=ACCENT, width=6, head=18):
    (x1, y1), (x2, y2) = start, end
    draw.line([start, end], fill=fill, width=width)
    if x1 == x2:
        sign = 1 if y2 > y1 else -1
        points = [
            (x2, y2),
            (x2 - head * 0.6, y2 - sign * head),
            (x2 + head * 0.6, y2 - sign * head),
        ]
    else:
        sign = 1 if x2 > x1 else -1
        points = [
            (x2, y2),
            (x2 - sign * head, y2 - head * 0.6),
            (x2 - sign * head, y2 + head * 0.6),
        ]
    draw.polygon(points, fill=fill)


def box(draw, xy, fill=TAG_BACKGROUND, outline=ACCENT, width=3):
    draw.rounded_rectangle(xy, radius=14, fill=fill, outline=outline, width=width)


def data_engineering_stack():
    """Seven layers, drawn as they depend on each other: the operating system at the bottom."""
    layers = [
        ("Orchestration", "Airflow, Dagster, TFX, Kubeflow"),
        ("Cloud services", "GCP or AWS, Terraform"),
        ("Streaming", "Kafka, Pub/Sub, Flink, Beam"),
        ("Distributed compute", "Spark, Beam/Dataflow, warehouses"),
        ("Storage and formats", "Object storage, Parquet, Iceberg"),
        ("SQL and modelling", "PostgreSQL, BigQuery, DuckDB"),
        ("OS and shell", "Linux, bash, ssh, cron, systemd"),
    ]
    image, draw = canvas()
    top, band, gap, left, right = 60, 100, 12, 80, 1340
    for index, (name, tools) in enumerate(layers):
        y = top + index * (band + gap)
        shade = TAG_BACKGROUND if index % 2 else "#f3f7fc"
        box(draw, (left, y, right, y + band), fill=shade)
        draw.text((left + 36, y + 28), name, font=font(38, bold=True), fill=TAG_TEXT)
        face = font(30)
        width = draw.textlength(tools, font=face)
        draw.text((right - 36 - width, y + 34), tools, font=face, fill=MUTED)
    bottom = top + len(layers) * (band + gap) - gap
    arrow(draw, (1450, bottom - 10), (1450, top + 10), width=8, head=26)
    centred(draw, (1380, bottom + 16, 1540, bottom + 60), ["builds on"], 28, fill=MUTED)
    return image


def training_serving_skew():
    """One feature with two definitions: scaled in SQL for training, from a copied config in
    the serving code."""
    image, draw = canvas()
    centred(draw, (0, 30, WIDTH, 90), ["One feature, two definitions"], 44, bold=True)
    rows = [
        (
            200,
            "Training",
            ["Training rows", "in BigQuery"],
            ["SQL: price scaled by", "AVG and STDDEV OVER ()"],
        ),
        (
            560,
            "Serving",
            ["A request", "online"],
            ["Serving code: mean and", "std from a config file"],
        ),
    ]
    for y, label, source, step in rows:
        draw.text((60, y + 50), label, font=font(34, bold=True), fill=MUTED)
        box(draw, (250, y, 560, y + 150), fill="#f3f7fc")
        centred(draw, (250, y, 560, y + 150), source, 32)
        arrow(draw, (560, y + 75), (660, y + 75))
        box(draw, (660, y, 1110, y + 150))
        centred(draw, (660, y, 1110, y + 150), step, 32, fill=TAG_TEXT)
        arrow(draw, (1110, y + 75), (1246, y + 75))
    box(draw, (1250, 200, 1520, 710), fill="#ffffff")
    centred(draw, (1250, 200, 1520, 710), ["The model", "", "price_z"], 38, bold=True)
    # The copy between the two definitions, which drifts.
    for y in range(360, 560, 28):
        draw.line([(885, y), (885, y + 14)], fill=WARNING, width=6)
    centred(
        draw, (900, 410, 1240, 510), ["copied once,", "drifts later"], 30, fill=WARNING, bold=True
    )
    centred(
        draw,
        (0, 790, WIDTH, 860),
        ["Nothing fails: predictions keep coming, and accuracy slides."],
        32,
        fill=MUTED,
    )
    return image


def tfx_pipeline():
    """The standard TFX components in order, each writing what it made to ML Metadata."""
    components = [
        "ExampleGen",
        "StatisticsGen",
        "SchemaGen",
        "ExampleValidator",
        "Transform",
        "Trainer",
        "Evaluator",
        "Pusher",
    ]
    image, draw = canvas()
    width, height, gap = 340, 130, 40
    left = (WIDTH - 4 * width - 3 * gap) / 2
    places = []
    for index, name in enumerate(components):
        row, column = divmod(index, 4)
        x = left + column * (width + gap)
        y = 110 + row * 280
        places.append((x, y))
        box(draw, (x, y, x + width, y + height))
        centred(draw, (x, y, x + width, y + height), [name], 32, fill=TAG_TEXT, bold=True)
    for index in range(len(places) - 1):
        (x1, y1), (x2, y2) = places[index], places[index + 1]
        if y1 == y2:
            arrow(draw, (x1 + width, y1 + height / 2), (x2 - 4, y2 + height / 2))
        else:  # down from the end of the first row, back to the start of the second
            mid = y1 + height + 75
            draw.line(
                [(x1 + width / 2, y1 + height), (x1 + width / 2, mid), (x2 + width / 2, mid)],
                fill=ACCENT,
                width=6,
                joint="curve",
            )
            arrow(draw, (x2 + width / 2, mid), (x2 + width / 2, y2 - 4))
    metadata_top = 700
    box(draw, (left, metadata_top, WIDTH - left, metadata_top + 120), fill="#f3f7fc", outline=MUTED)
    centred(
        draw,
        (left, metadata_top, WIDTH - left, metadata_top + 120),
        ["ML Metadata: every artifact, its inputs and the run that made it"],
        34,
        fill=TEXT,
    )
    for x, y in places[4:]:
        for dot in range(int(y + height + 8), metadata_top - 8, 22):
            draw.line([(x + width / 2, dot), (x + width / 2, dot + 10)], fill=MUTED, width=4)
    return image


def rolling_origin_backtest():
    """Six backtest runs on weekly cutoffs: training data up to the cutoff, two days of data
    latency, then the forecast horizon."""
    image, draw = canvas()
    left, right, top, row = 250, 1480, 90, 96
    days = 140
    scale = (right - left) / days
    for index in range(6):
        y = top + index * row
        cutoff = 70 + index * 7
        draw.text((60, y + 22), f"Cutoff {index + 1}", font=font(32, bold=True), fill=MUTED)
        draw.rectangle((left, y + 16, left + cutoff * scale, y + 70), fill=ACCENT)
        draw.rectangle(
            (left + cutoff * scale, y + 16, left + (cutoff + 2) * scale, y + 70), fill=LATENCY
        )
        draw.rectangle(
            (left + (cutoff + 2) * scale, y + 16, left + (cutoff + 30) * scale, y + 70),
            fill=FORECAST,
            outline=TEXT,
            width=2,
        )
    axis = top + 6 * row + 20
    draw.line([(left, axis), (right, axis)], fill=BORDER, width=4)
    for week in range(0, days + 1, 14):
        x = left + week * scale
        draw.line([(x, axis - 10), (x, axis + 10)], fill=MUTED, width=3)
        centred(draw, (x - 60, axis + 16, x + 60, axis + 56), [f"week {week // 7}"], 26, MUTED)
    legend = [
        (ACCENT, "training data to the cutoff"),
        (LATENCY, "2 days of data latency"),
        (FORECAST, "forecast, scored later"),
    ]
    x = 140
    for colour, label in legend:
        draw.rectangle((x, 805, x + 44, 845), fill=colour, outline=TEXT, width=2)
        draw.text((x + 60, 806), label, font=font(30), fill=TEXT)
        x += 80 + draw.textlength(label, font=font(30))
    return image


DRAWINGS = {
    "articles/data-engineering/images/data-engineering-stack.png": data_engineering_stack,
    "articles/data-engineering/images/training-serving-skew.png": training_serving_skew,
    "articles/data-engineering/images/tfx-pipeline.png": tfx_pipeline,
    "case_studies/images/rolling-origin-backtest.png": rolling_origin_backtest,
}


class Command(BaseCommand):
    help = "Draw the demo's diagrams (PNG) beside the demo Markdown that shows them."

    def handle(self, *args, **options):
        for name, draw in DRAWINGS.items():
            path = Path(CONTENT) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            draw().save(path, "PNG", optimize=True)
            self.stdout.write(f"Drew {path.relative_to(CONTENT)}")
