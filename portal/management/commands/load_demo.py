import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from portal.demo import DEMO_PASSWORD, DemoAccount, registered_loaders
from portal.progress import progress
from portal.tasks import hold_enqueues


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print how to sign in as each role."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the accounts.")

    def handle(self, *args, **options):
        if "prod" in settings.SETTINGS_MODULE.rsplit(".", 1)[-1]:
            raise CommandError("Demo accounts are never created with production settings.")
        autodiscover_modules("demo")
        accounts: list[DemoAccount] = []
        # The demo's notifications stay pending rather than flood the console with e-mails;
        # a worker's sweep (make worker) delivers them.
        loaders = registered_loaders()
        with progress("load_demo", self.stderr.write) as state, transaction.atomic(), hold_enqueues():
            for number, loader in enumerate(loaders, start=1):
                state.phase = f"{loader.__module__}.{loader.__name__} ({number} of {len(loaders)} loaders)"
                accounts.extend(loader() or [])
        if options["quiet_accounts"]:
            return
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo data loaded. Sign in as any of these (password for all: {DEMO_PASSWORD}):\n")
        )
        width = max(len(account.email) for account in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.email.ljust(width)}  {account.role}")
        self.stdout.write(
            "\nApp client (returns meta.session_token):\n"
            f"  curl -s -X POST http://localhost:{port}/_allauth/app/v1/auth/login \\\n"
            "       -H 'Content-Type: application/json' \\\n"
            f'       -d \'{{"email": "{accounts[0].email}", "password": "{DEMO_PASSWORD}"}}\'\n'
            f"  curl -s http://localhost:{port}/api/v1/me/ -H 'X-Session-Token: <meta.session_token>'\n"
            f"\nAPI docs: http://localhost:{port}/api/docs/   Django admin: http://localhost:{port}/admin/\n"
        )
