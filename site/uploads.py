"""Uploads that are what they claim to be."""

import filetype
from django import forms
from wagtail.documents.forms import BaseDocumentForm

# What each allowed document extension must contain (sniffed from its first bytes).
DOCUMENT_SIGNATURES = {
    "pdf": {"application/pdf"},
    "zip": {"application/zip"},
    # Office files are zip archives underneath.
    "docx": {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    },
    "xlsx": {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
    "pptx": {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    },
    "odt": {"application/zip", "application/vnd.oasis.opendocument.text"},
}
TEXT_EXTENSIONS = {"csv", "txt"}


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "read"):
            return upload
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        if extension in TEXT_EXTENSIONS:
            if b"\x00" in head or filetype.guess(head) is not None:
                raise forms.ValidationError(
                    f"This .{extension} file does not contain plain text. Upload it in its real format."
                )
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as error:
                # A multi-byte character cut at the 8 KB boundary is still text.
                if error.start < len(head) - 4:
                    raise forms.ValidationError(
                        f"This .{extension} file is not UTF-8 text."
                    ) from error
        elif extension in DOCUMENT_SIGNATURES:
            kind = filetype.guess(head)
            if kind is None or kind.mime not in DOCUMENT_SIGNATURES[extension]:
                found = kind.extension if kind else "unrecognised data"
                raise forms.ValidationError(
                    f"This file is named .{extension} but contains {found}. Upload the real file."
                )
        return upload
