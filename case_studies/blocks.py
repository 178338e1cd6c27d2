from wagtail import blocks


class MetricBlock(blocks.StructBlock):
    """An outcome figure: a value a reader can scan ("-23%") and what it measures."""

    value = blocks.CharBlock(max_length=20, help_text='The figure, short: "-23%", "4×", "2 days".')
    label = blocks.CharBlock(max_length=160, help_text="What the figure measures.")

    class Meta:
        icon = "pick"
        template = "blocks/metric_block.html"
        preview_value = {"value": "-23%", "label": "forecast error across 40k SKUs"}


class OutcomesBlock(blocks.StreamBlock):
    metric = MetricBlock()
