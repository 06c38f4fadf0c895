"""Production settings come from the environment only and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **(env_extra or {})})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


PRODUCTION_ENV = {
    "SECRET_KEY": "a" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "carenetwork.example.gov.uk",
    "DATABASE_URL": "postgres://care:secret@db.example:5432/carenetwork",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example:587",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "TRUSTED_PROXY_COUNT": "1",
}


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_a_blank_secret_key():
    # environment.example ships SECRET_KEY= for the council to fill in; Django alone would start with it.
    for blank in ("", "   "):
        result = run_manage("check", env_extra={**PRODUCTION_ENV, "SECRET_KEY": blank})
        assert result.returncode != 0, repr(blank)
        assert "SECRET_KEY is missing or blank" in result.stderr, result.stderr


S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "council-uploads",
    "AWS_S3_REGION_NAME": "eu-west-2",
    "AWS_S3_ENDPOINT_URL": "https://s3.eu-west-2.amazonaws.com",
    "AWS_LOCATION": "carenetwork",
}


def production_storage_options() -> dict:
    """The default storage production builds with a bucket set: its class, and the options it was given."""
    code = (
        "import json; from django.conf import settings; d = settings.STORAGES['default']; "
        "print(json.dumps([d['BACKEND'], d['OPTIONS']]))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_extra={**PRODUCTION_ENV, **S3_ENV})
    assert result.returncode == 0, result.stderr
    backend, options = json.loads(result.stdout)
    assert backend == "storages.backends.s3.S3Storage"
    return options


def test_production_stores_uploads_in_a_private_s3_bucket_when_one_is_named():
    options = production_storage_options()
    assert options["bucket_name"] == "council-uploads"
    assert options["region_name"] == "eu-west-2" and options["location"] == "carenetwork"
    assert options["endpoint_url"] == "https://s3.eu-west-2.amazonaws.com"
    # Private: no public ACL, signed links only; and an upload never replaces another of the same name.
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_the_s3_storage_production_builds_keeps_files_private_and_never_overwrites(monkeypatch):
    # Against moto's S3 (AWS's API as boto3 speaks it, in process): the storage production configures, round trip.
    from django.core.files.base import ContentFile
    from moto import mock_aws
    from storages.backends.s3 import S3Storage

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    options = {**production_storage_options(), "endpoint_url": None}  # moto answers AWS's own address
    with mock_aws():
        storage = S3Storage(**options)
        storage.connection.meta.client.create_bucket(
            Bucket="council-uploads", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        first = storage.save("certificates/first-aid.pdf", ContentFile(b"one"))
        second = storage.save("certificates/first-aid.pdf", ContentFile(b"two"))
        assert first == "certificates/first-aid.pdf" and second != first
        assert storage.open(first).read() == b"one" and storage.open(second).read() == b"two"
        key = storage.bucket.Object(f"carenetwork/{first}")
        grants = key.Acl().grants
        assert all("AllUsers" not in str(grant["Grantee"]) for grant in grants)  # nobody but the owner
        assert "X-Amz-Signature=" in storage.url(first)  # links are signed and expire
        storage.delete(second)
        assert not storage.exists(second)


def test_production_shares_sessions_through_the_cache_and_keeps_them_in_the_database():
    code = "from django.conf import settings as s; print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])"
    result = run_manage("shell", "--no-imports", "-c", code, env_extra=PRODUCTION_ENV)
    assert result.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "django.core.cache.backends.redis.RedisCache",
    ], result.stderr


def test_production_stores_uploads_in_media_root():
    code = (
        "from django.core.files.storage import storages as s; print(type(s['default']).__name__, s['default'].location)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_extra={**PRODUCTION_ENV, "MEDIA_ROOT": "/srv/up"})
    assert result.stdout.split() == ["FileSystemStorage", "/srv/up"], result.stderr


def test_production_reads_the_trusted_proxy_from_the_environment():
    env = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "1", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    code = (
        "from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_extra=env)
    assert result.stdout.split() == ["1", "X-Real-IP"], result.stderr


BYPASS_CODE = "from allauth.mfa import app_settings; print(repr(app_settings.TOTP_INSECURE_BYPASS_CODE))"


def test_local_settings_accept_the_demo_two_factor_code_only_with_debug_on():
    local = {"DJANGO_SETTINGS_MODULE": "config.settings.local"}
    with_debug = run_manage("shell", "--no-imports", "-c", BYPASS_CODE, env_extra={**local, "DEBUG": "True"})
    assert with_debug.stdout.strip() == "'000000'", with_debug.stderr
    # allauth raises (a 500 at the two-factor step) if the code is set while DEBUG is off.
    without_debug = run_manage("shell", "--no-imports", "-c", BYPASS_CODE, env_extra={**local, "DEBUG": "False"})
    assert without_debug.stdout.strip() == "None", without_debug.stderr


def test_production_never_accepts_a_bypass_code():
    env = {**PRODUCTION_ENV, "MFA_TOTP_INSECURE_BYPASS_CODE": "000000"}
    result = run_manage("shell", "--no-imports", "-c", BYPASS_CODE, env_extra=env)
    assert result.stdout.strip() == "None", result.stderr


def test_production_refuses_to_start_without_a_mail_server():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr


def test_check_deploy_fails_with_an_email_backend_that_sends_nothing():
    for url in ("consolemail://", "memorymail://", "dummymail://"):
        result = run_manage("check", "--deploy", env_extra={**PRODUCTION_ENV, "EMAIL_URL": url})
        assert result.returncode != 0, url
        assert "carenetwork.E001" in result.stderr, url


def test_check_deploy_warns_when_no_proxy_is_set_for_clients_addresses():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TRUSTED_PROXY_COUNT"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode != 0
    assert "carenetwork.W002" in result.stderr
    told = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_extra={**env, "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    )
    assert told.returncode == 0, told.stderr
