from typing import TYPE_CHECKING

from django import forms

if TYPE_CHECKING:
    # allauth imports this form while the apps load, before models may be imported.
    from portal.models import User


class SignupForm(forms.Form):
    """Extra sign-up field for allauth: the person's full name (optional). The language is the
    one the sign-up request's Accept-Language asks for (changed later in `me/`)."""

    name = forms.CharField(max_length=150, required=False)

    def signup(self, request, user: "User") -> None:
        from portal.i18n import request_language

        user.full_name = self.cleaned_data.get("name", "")
        user.language = request_language(request)
        user.save(update_fields=["full_name", "language"])
