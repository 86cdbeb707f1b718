from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PROOF_SIZE = 5 * 1024 * 1024

# File signatures: what the file is, whatever its name says.
PROOF_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_payment_proof(file) -> None:
    """A proof of payment is a PDF, JPEG or PNG of at most 5 MB, checked by content."""
    if file.size > MAX_PROOF_SIZE:
        raise ValidationError(
            _("The proof is %(size).1f MB; the limit is 5 MB."),
            code="file_too_large",
            params={"size": file.size / 1024 / 1024},
        )
    name = (getattr(file, "name", "") or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    signatures = PROOF_SIGNATURES.get(extension)
    if signatures is None:
        raise ValidationError(_("Upload the proof as a PDF, JPEG or PNG file."), code="file_type")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if not head.startswith(signatures):
        raise ValidationError(
            _("This file is not a real %(kind)s: upload the proof as a PDF, JPEG or PNG file."),
            code="file_type",
            params={"kind": extension.lstrip(".").upper()},
        )
