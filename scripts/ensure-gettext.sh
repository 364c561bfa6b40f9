#!/usr/bin/env bash
# GNU gettext (msgfmt, xgettext, msgmerge) for the translation catalog (`make messages`,
# `make messages-compile`): installed from Debian's packages where it is missing (as root), as
# scripts/ensure-services.sh does for PostgreSQL and Redis.
set -uo pipefail

command -v msgfmt >/dev/null && command -v xgettext >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  printf 'gettext: installing gettext from Debian'"'"'s packages\n'
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
else
  printf 'gettext: GNU gettext (msgfmt, xgettext) is missing and cannot be installed here (not root, or no apt-get): install it, then run again\n'
  exit 1
fi
