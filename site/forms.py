"""The public contact form: bounded, single-line where it must be, with a honeypot."""

from django import forms
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from consultancy_site.visitor_source import CAME_FROM_FIELD, CAME_FROM_LABEL, source_by_id

MESSAGE_MAX_LENGTH = 5000
HONEYPOT_FIELD = "website"


def no_line_breaks(value):
    # A line break in a one-line field is how mail headers get injected.
    if "\r" in value or "\n" in value:
        raise forms.ValidationError("Use a single line here.")


class ContactFormBase(BaseForm):
    """The Book a call form: bounded fields, a honeypot that people never see, and the page the
    visitor came from (a hidden field)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label="Leave this field empty",
            max_length=200,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        # No max_length: a tampered value is dropped in clean, never shown as an error.
        self.fields[CAME_FROM_FIELD] = forms.CharField(
            required=False, label=CAME_FROM_LABEL, widget=forms.HiddenInput
        )

    def clean_came_from(self):
        """The source page (a live page of this site), or None for anything else."""
        if self.page is None:
            return None
        return source_by_id(self.cleaned_data.get(CAME_FROM_FIELD), self.page)

    def is_spam(self):
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))


class ContactFormBuilder(FormBuilder):
    def create_singleline_field(self, field, options):
        form_field = super().create_singleline_field(field, options)
        form_field.validators.append(no_line_breaks)
        return form_field

    def create_email_field(self, field, options):
        options["max_length"] = 254
        return super().create_email_field(field, options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MESSAGE_MAX_LENGTH
        return super().create_multiline_field(field, options)

    def get_form_class(self):
        return type("ContactForm", (ContactFormBase,), self.formfields)
