#!/usr/bin/env bash
# Print the path of a Python 3.10: Rasa 3.6 supports 3.8-3.10, and the language detector
# (lingua-language-detector, see requirements.in) needs 3.10, so 3.10 it is.
# Looks at python3.10 on PATH, then pyenv. Exits 1 with advice if none works.
set -u
candidates=(python3.10)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(ls -d "$root"/versions/3.10* 2>/dev/null | sort -rV); do candidates+=("$v/bin/python"); done
fi
for c in "${candidates[@]}"; do
  if "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; then
    command -v "$c" 2>/dev/null || echo "$c"
    exit 0
  fi
done
cat >&2 <<'MSG'
No Python 3.10 found. Rasa 3.6 (the last open-source release) supports 3.8-3.10 and the
language detector needs 3.10.
Install Python 3.10, e.g.:
  Debian/Ubuntu:  apt-get install python3.10 python3.10-venv
  pyenv:          pyenv install 3.10.13
then run `make install` again.
MSG
exit 1
