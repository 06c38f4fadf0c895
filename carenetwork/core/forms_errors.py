"""Handling a submitted form: call the service, and put its ValidationError back onto the form."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_errors(form, error: ValidationError, field: str | None = None) -> None:
    """Add the error's messages to the form's fields, or to `field`, or to the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            target = name if name in form.fields else (field if field in form.fields else None)
            for message in errors:
                form.add_error(None if name == NON_FIELD_ERRORS else target, message)
    else:
        for message in error.messages:
            form.add_error(field, message)


def submitted(request, form, save, *, error_field: str | None = None):
    """For a valid POST, return what `save(cleaned_data)` returns; otherwise None, with any errors on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error, field=error_field)
        return None
