from typing import TYPE_CHECKING

from django import forms

if TYPE_CHECKING:
    # allauth imports this form while the apps load, before models may be imported.
    from portal.models import User


class SignupForm(forms.Form):
    """Extra sign-up field for allauth: the person's full name (optional)."""

    name = forms.CharField(max_length=150, required=False)

    def signup(self, request, user: "User") -> None:
        user.full_name = self.cleaned_data.get("name", "")
        user.save(update_fields=["full_name"])
