"""Uploads of the vault that never hold more than the limit: past DOCUMENT_MAX_BYTES a file's
bytes are neither kept in memory nor written to a temporary file. The handler stops the upload
at the limit (the rest of the body is read and dropped) and marks the request, and the view
answers 413. A body whose Content-Length already says it is too large is refused unread."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# A form's fields and boundaries beside the file, allowed over the file's own limit.
FORM_OVERHEAD = 64 * 1024


class DocumentSizeLimit(FileUploadHandler):
    """First of the request's upload handlers: passes chunks on until the file passes the limit."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.DOCUMENT_MAX_BYTES:
            self.request.document_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


def limit_uploads(request) -> bool:
    """Put the limit first among `request`'s upload handlers (the Django request, before its body
    is parsed). True when the declared length is already past the limit."""
    request.upload_handlers.insert(0, DocumentSizeLimit(request))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared > settings.DOCUMENT_MAX_BYTES + FORM_OVERHEAD


def too_large(request) -> bool:
    return getattr(request, "document_too_large", False)
