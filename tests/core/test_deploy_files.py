"""deploy/: the files a council's IT team runs stay true to the app: every environment variable the settings read is
documented, the processes exist, nginx and systemd accept the files, and the limits and timeouts agree with the code."""

import ast
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from carenetwork.forums.uploads import PAPER_MAX_BYTES
from carenetwork.market.returns_upload import MAX_BYTES as RETURNS_MAX_BYTES
from carenetwork.organisations.forms import CqcImportForm
from carenetwork.records.imports.parsing import MAX_BYTES as TRAINING_IMPORT_MAX_BYTES
from carenetwork.records.services import CERTIFICATE_MAX_BYTES
from config.settings import base as base_settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS_DIR = ROOT / "config" / "settings"
SITE = DEPLOY / "nginx" / "carenetwork.conf"
UNITS = DEPLOY / "systemd"
SERVICES = ["carenetwork-web@.service", "carenetwork-worker@.service", "carenetwork-scheduler.service"]
# Installed path of the code in the units and the nginx site (deploy/README.md, "Layout on a server").
INSTALLED = "/srv/carenetwork"
# Read by gunicorn and by manage.py/wsgi.py, not by the settings, and documented with them.
# Read by something else: Django itself, gunicorn, boto3 (the bucket's credentials), deploy/manage.sh (migrate).
NOT_FROM_SETTINGS = {
    "DJANGO_SETTINGS_MODULE",
    "WEB_CONCURRENCY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "MIGRATE_LOCK_TIMEOUT",
}

# Every upload the web app accepts, each from the constant its check uses. (Population projections and Contracts
# Finder files are loaded with management commands from a file on disk, never through nginx.)
WEB_UPLOAD_LIMITS = {
    "CQC data file (CqcImportForm.MAX_BYTES)": CqcImportForm.MAX_BYTES,
    "training import (records.imports.parsing.MAX_BYTES)": TRAINING_IMPORT_MAX_BYTES,
    "meeting paper (forums.uploads.PAPER_MAX_BYTES)": PAPER_MAX_BYTES,
    "certificate (records.services.CERTIFICATE_MAX_BYTES)": CERTIFICATE_MAX_BYTES,
    "capacity return (market.returns_upload.MAX_BYTES)": RETURNS_MAX_BYTES,
    "any other request body (DATA_UPLOAD_MAX_MEMORY_SIZE)": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
}


def variables_read(source: str) -> set[str]:
    """The environment variables a settings module reads: env(...), env.<cast>(...), os.environ and os.getenv."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            called_on = func.value if isinstance(func, ast.Attribute) else func
            is_env = isinstance(called_on, ast.Name) and called_on.id == "env"
            is_os = ast.unparse(func) in ("os.environ.get", "os.getenv", "os.environ.setdefault")
            if (is_env or is_os) and node.args and isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def settings_variables() -> set[str]:
    return set().union(*(variables_read(path.read_text()) for path in SETTINGS_DIR.glob("*.py")))


def example_variables() -> set[str]:
    """Names in deploy/environment.example, set or shown commented out (`# NAME=default`)."""
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (DEPLOY / "environment.example").read_text(), re.M))


def reference_variables() -> set[str]:
    """Names in the first column of deploy/README.md's environment reference table."""
    text = (DEPLOY / "README.md").read_text()
    section = text.split("## Environment reference", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, re.M))


def procfile() -> dict[str, str]:
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    return dict(re.match(r"^([a-z]+):\s*(.+)$", line).groups() for line in lines if re.match(r"^[a-z]+:", line))


def unit(name: str) -> str:
    return (UNITS / name).read_text()


def unit_values(name: str, key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", unit(name), re.M)


def exec_start(name: str) -> list[str]:
    """A unit's ExecStart, with its backslash-continued lines joined, as arguments."""
    joined = unit(name).replace("\\\n", " ")
    return shlex.split(re.search(r"^ExecStart=(.*)$", joined, re.M).group(1))


def option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def nginx_directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", SITE.read_text(), re.M)


def size_in_bytes(value: str) -> int:
    number, unit_letter = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit_letter.lower()]


def seconds(value: str) -> int:
    number, unit_letter = re.fullmatch(r"(\d+)(s|m)?", value).groups()
    return int(number) * (60 if unit_letter == "m" else 1)


# --- The environment reference -----------------------------------------------------------------------------------


def test_the_variable_finder_sees_every_way_settings_read_the_environment():
    source = (
        "import os\n"
        "A = env('A')\nB = env.bool('B', default=False)\nC = env.db('C')\nD = env.list('D')\n"
        "E = os.environ.get('E')\nF = os.environ['F']\nG = os.getenv('G')\nH = env.path('H')\nx = other('I')\n"
    )
    assert variables_read(source) == {"A", "B", "C", "D", "E", "F", "G", "H"}
    assert {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "CACHE_URL", "MEDIA_ROOT"} <= settings_variables()


def test_every_variable_the_settings_read_is_in_the_environment_example():
    missing = settings_variables() - example_variables()
    assert not missing, f"add to deploy/environment.example: {sorted(missing)}"


def test_every_variable_the_settings_read_is_in_the_deploy_readme_reference():
    missing = settings_variables() - reference_variables()
    assert not missing, f"add to deploy/README.md's environment reference: {sorted(missing)}"


def test_the_reference_documents_no_variable_that_nothing_reads():
    documented = reference_variables() | example_variables()
    stale = documented - settings_variables() - NOT_FROM_SETTINGS
    assert not stale, f"nothing reads {sorted(stale)}: remove them from deploy/"
    assert example_variables() <= reference_variables()


def run_manage_sh(environment_file: Path, *args: str) -> subprocess.CompletedProcess:
    """deploy/manage.sh with only the environment file to go on: none of the settings' variables inherited."""
    # Nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which a worker running them alongside has set.
    left_out = settings_variables() | NOT_FROM_SETTINGS | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    inherited = {k: v for k, v in os.environ.items() if k not in left_out}
    inherited.update({"CARENETWORK_ENVIRONMENT": str(environment_file), "CARENETWORK_PYTHON": sys.executable})
    return subprocess.run(
        ["sh", str(DEPLOY / "manage.sh"), *args], cwd="/", env=inherited, capture_output=True, text=True
    )


def test_the_example_environment_once_its_secret_is_filled_in_passes_the_deploy_checks(tmp_path):
    example = (DEPLOY / "environment.example").read_text()
    assert re.search(r"^SECRET_KEY=$", example, re.M), "the example leaves SECRET_KEY for the council to fill in"
    filled = tmp_path / "environment"
    filled.write_text(example.replace("\nSECRET_KEY=\n", "\nSECRET_KEY=" + secrets.token_urlsafe(50) + "\n"))
    result = run_manage_sh(filled, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_example_environment_left_unfilled_fails_the_install_check():
    result = run_manage_sh(DEPLOY / "environment.example", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


# --- The processes -----------------------------------------------------------------------------------------------


def test_the_procfile_names_the_web_server_the_task_worker_and_the_scheduler():
    assert set(procfile()) == {"web", "worker", "scheduler"}


def test_every_process_in_the_procfile_runs_a_command_that_exists():
    commands = get_commands()
    for name, command in procfile().items():
        args = shlex.split(command)
        if args[:2] == ["python", "manage.py"]:
            assert args[2] in commands, f"{name}: manage.py has no command {args[2]}"
        else:
            assert args[:2] == ["gunicorn", "config.wsgi:application"], name
            from config import wsgi

            assert callable(wsgi.application)
            assert shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")


def test_each_systemd_unit_runs_its_procfile_command():
    processes = {name: shlex.split(command) for name, command in procfile().items()}
    web = exec_start("carenetwork-web@.service")
    assert web[0] == f"{INSTALLED}/.venv/bin/gunicorn" and web[1] == processes["web"][1]
    assert option(web, "--bind") == "127.0.0.1:%i"
    # The same gunicorn options apart from the address.
    without_bind = [a for a in web[2:] if a != "--bind" and not a.startswith("127.0.0.1:")]
    assert without_bind == [a for a in processes["web"][2:] if a != "--bind" and not a.startswith("127.0.0.1:")]
    for unit_name, process in (
        ("carenetwork-worker@.service", "worker"),
        ("carenetwork-scheduler.service", "scheduler"),
    ):
        args = exec_start(unit_name)
        assert args[0] == f"{INSTALLED}/.venv/bin/python"
        assert args[1:3] == processes[process][1:3], unit_name


def test_every_unit_runs_unprivileged_restarts_on_failure_stops_gracefully_and_writes_only_uploads():
    media_root = re.search(r"^MEDIA_ROOT=(.+)$", (DEPLOY / "environment.example").read_text(), re.M).group(1)
    for name in SERVICES:
        values = {key: unit_values(name, key) for key in ("User", "EnvironmentFile", "Restart", "ReadWritePaths")}
        assert values["User"] == ["carenetwork"], name
        assert values["EnvironmentFile"] == ["/etc/carenetwork/environment"], name
        assert values["Restart"] == ["on-failure"], name
        assert values["ReadWritePaths"] == [media_root], name
        for hardening in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "KillSignal=SIGTERM"):
            assert re.search(rf"^{hardening}$", unit(name), re.M), f"{name}: {hardening}"
        assert unit_values(name, "Environment")[0] == "DJANGO_SETTINGS_MODULE=config.settings.production"
        assert int(unit_values(name, "TimeoutStopSec")[0]) > 0


def test_the_web_server_stops_only_after_its_requests_under_way_have_had_their_time():
    web = exec_start("carenetwork-web@.service")
    assert int(unit_values("carenetwork-web@.service", "TimeoutStopSec")[0]) > int(option(web, "--graceful-timeout"))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_units(tmp_path):
    venv_bin = Path(sys.executable).parent
    for path in UNITS.iterdir():
        text = path.read_text().replace(f"{INSTALLED}/.venv/bin/", f"{venv_bin}/").replace(INSTALLED, str(ROOT))
        (tmp_path / path.name).write_text(text.replace("/etc/carenetwork/environment", str(tmp_path / "environment")))
    (tmp_path / "environment").write_text("")
    (tmp_path / "carenetwork-web@8001.service").symlink_to("carenetwork-web@.service")
    (tmp_path / "carenetwork-worker@1.service").symlink_to("carenetwork-worker@.service")
    names = ["carenetwork-web@8001.service", "carenetwork-worker@1.service", "carenetwork-scheduler.service"]
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *[str(tmp_path / n) for n in [*names, "carenetwork.target"]]],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == "", "systemd warned about the units"


# --- nginx ---------------------------------------------------------------------------------------------------------


def test_nginx_accepts_a_body_a_little_larger_than_the_largest_upload_the_app_accepts():
    (limit,) = nginx_directive("client_max_body_size")
    largest = max(WEB_UPLOAD_LIMITS.values())
    assert size_in_bytes(limit) > largest, f"client_max_body_size {limit} refuses uploads the app accepts"
    assert size_in_bytes(limit) <= largest * 1.25, f"client_max_body_size {limit} is far above the app's {largest}"


def test_nginx_waits_for_the_app_longer_than_gunicorn_lets_a_request_run():
    gunicorn_timeouts = {
        int(option(exec_start("carenetwork-web@.service"), "--timeout")),
        int(option(shlex.split(procfile()["web"]), "--timeout")),
    }
    assert len(gunicorn_timeouts) == 1, "the Procfile and the web unit give gunicorn different timeouts"
    (read_timeout,) = nginx_directive("proxy_read_timeout")
    assert seconds(read_timeout) > gunicorn_timeouts.pop()


def test_nginx_tells_the_app_the_scheme_and_client_address_it_trusts_and_a_request_id():
    production = ast.parse((SETTINGS_DIR / "production.py").read_text())
    (ssl_header,) = [
        ast.literal_eval(node.value)
        for node in production.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "SECURE_PROXY_SSL_HEADER"
    ]
    header_name = ssl_header[0].removeprefix("HTTP_").replace("_", "-").lower()
    headers = dict(h.split(None, 1) for h in nginx_directive("proxy_set_header"))
    headers = {name.lower(): value for name, value in headers.items()}
    assert headers[header_name] == "$scheme"
    assert headers["x-forwarded-for"] == "$proxy_add_x_forwarded_for"  # TRUSTED_PROXY_COUNT=1: the last entry
    assert headers["x-real-ip"] == "$remote_addr"  # or TRUSTED_CLIENT_IP_HEADER=X-Real-IP
    assert headers["x-request-id"] == "$request_id"
    assert headers["host"] == "$host"


def test_nginx_leaves_hsts_to_django_so_there_is_only_one_header():
    assert "SECURE_HSTS_SECONDS" in settings_variables()
    added = [header.split()[0].lower() for header in nginx_directive("add_header")]
    assert "strict-transport-security" not in added


def test_nginx_serves_static_files_from_static_root_and_never_serves_uploads():
    static_root = Path(base_settings.STATIC_ROOT).relative_to(base_settings.BASE_DIR)
    assert nginx_directive("alias") == [f"{INSTALLED}/{static_root}/"]
    text = SITE.read_text()
    media = re.search(r"location /media/ \{([^}]*)\}", text).group(1)
    assert media.strip() == "return 404;"
    assert "media" not in " ".join(nginx_directive("alias") + nginx_directive("root"))


def test_nginx_balances_two_web_instances_on_the_ports_the_units_serve():
    servers = re.findall(r"^\s*server (127\.0\.0\.1:\d+)", SITE.read_text(), re.M)
    assert servers == ["127.0.0.1:8001", "127.0.0.1:8002"]
    assert "carenetwork-web@8001" in (DEPLOY / "README.md").read_text()


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed here (apt-get install nginx)")
@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is needed for a throwaway certificate")
def test_nginx_accepts_the_site(tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=care.example.gov.uk"]
        + ["-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    (tmp_path / "static").mkdir()
    (tmp_path / "logs").mkdir()
    site = (
        SITE.read_text()
        .replace("/etc/ssl/carenetwork/", f"{tmp_path}/")
        .replace(f"{INSTALLED}/staticfiles/", f"{tmp_path}/static/")
        .replace("/var/log/nginx/", f"{tmp_path}/logs/")
        .replace("/var/www/letsencrypt", f"{tmp_path}/acme")
    )
    directives = re.sub(r"#.*", "", site)
    assert "/etc/" not in directives and "/var/" not in directives and INSTALLED not in directives
    (tmp_path / "site.conf").write_text(site)
    # As Debian's /etc/nginx/nginx.conf has it: gzip and ssl_protocols already set at the http level.
    mime_types = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    temp_paths = " ".join(f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        f"http {{\n{mime_types}\ngzip on;\nssl_protocols TLSv1.2 TLSv1.3;\nssl_prefer_server_ciphers on;\n"
        f"access_log {tmp_path}/logs/access.log;\n{temp_paths}\n"
        f"uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;\ninclude {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [
            "nginx",
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "logs/error.log"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # nginx 1.25.1 and later prefer `http2 on;` to `listen ... http2`, which Debian 12's nginx 1.22 needs.
    warnings = [line for line in result.stderr.splitlines() if "[warn]" in line and "http2" not in line]
    assert not warnings, result.stderr
