#!/bin/sh
# Runs a manage.py command with the production environment, as the services see it:
#   sudo -u carenetwork /srv/carenetwork/deploy/manage.sh migrate --noinput
#   sudo /srv/carenetwork/deploy/manage.sh collectstatic --noinput      (root: it writes into /srv/carenetwork)
# CARENETWORK_ENVIRONMENT names another environment file; CARENETWORK_PYTHON another Python.
set -eu
app_dir=$(cd "$(dirname "$0")/.." && pwd)
environment=${CARENETWORK_ENVIRONMENT:-/etc/carenetwork/environment}
case $environment in */*) ;; *) environment=./$environment ;; esac
python=${CARENETWORK_PYTHON:-$app_dir/.venv/bin/python}
if [ ! -r "$environment" ]; then
    echo "manage.sh: cannot read $environment (run as root or as the carenetwork user)" >&2
    exit 1
fi
set -a
. "$environment"
set +a
cd "$app_dir"
exec "$python" manage.py "$@"
