from django import forms

from consultancy_site.forms import no_line_breaks

from .models import ReviewLink

DEFAULT_DAYS = 7
MAX_DAYS = 30


class ReviewLinkForm(forms.Form):
    reviewer = forms.CharField(
        label="Who is it for",
        max_length=ReviewLink._meta.get_field("reviewer").max_length,
        validators=[no_line_breaks],
        help_text="A name they will recognise, e.g. 'Jane at Acme (client)'. "
        "It appears on the banner they see.",
    )
    expires_in = forms.IntegerField(
        label="Expires in (days)",
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=f"From 1 to {MAX_DAYS} days. Publishing the page also ends the link.",
    )
