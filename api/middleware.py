"""Everything under /api/ answers errors in the API's JSON shape, {"code", "detail"}, also
those that happen before or outside a view:

- a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413 `request_too_large`, refused on its
  Content-Length before a byte of it is read;
- a body sent without a Content-Length (Transfer-Encoding: chunked): 411 `length_required`,
  since a WSGI application cannot tell where such a body ends and would read it as empty;
- an address that names no endpoint (`/api/`, `/api/v1/`, `/api/v2/...`): 404 `not_found`;
- any other error page Django would answer in HTML (a bad Host header, a server error): the
  same status with a JSON body.
"""
from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"

ERROR_CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    411: "length_required",
    413: "request_too_large",
    500: "server_error",
}


def error_messages() -> dict[int, str]:
    return {
        400: _("Bad request."),
        403: _("You do not have permission to perform this action."),
        404: _("Not found."),
        405: _("Method not allowed."),
        500: _("Server error: the request could not be completed; try again later."),
    }


def json_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status)


def body_refusal(request) -> JsonResponse | None:
    """411 or 413 for a body this API will not read, else None."""
    meta = request.META
    content_length = meta.get("CONTENT_LENGTH") or ""
    if meta.get("HTTP_TRANSFER_ENCODING") and not content_length:
        return json_error(411, "length_required", _(
            "Send the body with a Content-Length header; bodies sent in chunks (Transfer-Encoding) are not read."
        ))
    try:
        length = int(content_length or 0)
    except ValueError:
        return json_error(400, "bad_request", _("The Content-Length header is not a number."))
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        return json_error(413, "request_too_large", _(
            "The body is %(size)s bytes; the limit is %(limit)s bytes."
        ) % {"size": length, "limit": limit})
    return None


class APIErrorsMiddleware:
    """JSON errors under /api/ (see the module's docstring). Place it after LocaleMiddleware so
    the messages follow Accept-Language, and before CommonMiddleware so its slash redirect stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (request.path_info + "/").startswith(API_PREFIX):
            return self.get_response(request)
        refusal = body_refusal(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            status = response.status_code
            code = ERROR_CODES.get(status, "server_error" if status >= 500 else "error")
            detail = error_messages().get(status) or error_messages()[500 if status >= 500 else 400]
            replacement = json_error(status, code, detail)
            for header in ("Allow", "Retry-After", "Vary"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
