"""Putting a service's ValidationError back onto the form that collected the input."""

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
