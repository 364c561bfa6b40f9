from django.core import mail
from rest_framework.test import APIClient


def show(label, r):
    print("\n==", label, r.status_code, r.content.decode()[:1500])


def test_explore(raps_admin):
    c = APIClient()
    r = c.post(
        "/_allauth/app/v1/auth/login",
        {"email": raps_admin.email, "password": "correct-horse-battery-staple-2026"},
        format="json",
    )
    show("login", r)
    r = c.post("/_allauth/app/v1/auth/login", {"email": raps_admin.email, "password": "wrong"}, format="json")
    show("badlogin", r)
    r = c.post(
        "/_allauth/app/v1/auth/signup",
        {"email": "new@example.org", "password": "a-Very-good-pass-2026", "name": "Nia New"},
        format="json",
    )
    show("signup", r)
    print([m.body for m in mail.outbox], [m.subject for m in mail.outbox])
    r = c.post(
        "/_allauth/app/v1/auth/login", {"email": "new@example.org", "password": "a-Very-good-pass-2026"}, format="json"
    )
    show("login unverified", r)
    print(len(mail.outbox))
    r = c.post("/_allauth/app/v1/auth/password/request", {"email": raps_admin.email}, format="json")
    show("reset req", r)
    print(mail.outbox[-1].body)
    for i in range(8):
        r = c.post("/_allauth/app/v1/auth/login", {"email": raps_admin.email, "password": "wrong"}, format="json")
        show(f"fail{i}", r)
    b = APIClient(enforce_csrf_checks=True)
    r = b.get("/_allauth/browser/v1/config")
    show("config", r)
    print(b.cookies)
