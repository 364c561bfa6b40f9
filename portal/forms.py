from django import forms


class SignupForm(forms.Form):
    """Extra sign-up field for allauth: the person's full name (optional)."""

    name = forms.CharField(max_length=150, required=False)

    def signup(self, request, user):
        user.full_name = self.cleaned_data.get("name", "")
        user.save(update_fields=["full_name"])
