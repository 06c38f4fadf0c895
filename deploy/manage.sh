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
# migrate gives up on a lock it has waited MIGRATE_LOCK_TIMEOUT for, rather than hold every page that needs the
# table in the queue behind it (a long transaction or a busy table); it says "lock timeout": run it again.
if [ "${1:-}" = migrate ]; then
    PGOPTIONS="${PGOPTIONS:-} -c lock_timeout=${MIGRATE_LOCK_TIMEOUT:-5s}"
    export PGOPTIONS
fi
cd "$app_dir"
exec "$python" manage.py "$@"
