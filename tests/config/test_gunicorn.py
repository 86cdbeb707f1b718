"""The production server settings load, and serve with threads in each worker."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def test_the_gunicorn_settings_load_with_the_application():
    checked = subprocess.run(
        [GUNICORN, "--check-config", "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )

    assert checked.returncode == 0, checked.stderr


def test_the_workers_run_threads_and_freeze_what_the_import_made(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "6")
    settings = {}
    exec((ROOT / "config" / "gunicorn.conf.py").read_text(), settings)

    assert (settings["worker_class"], settings["threads"], settings["preload_app"]) == ("gthread", 6, True)
    assert settings["timeout"] > 0 and callable(settings["when_ready"])
