import subprocess
import sys
from types import SimpleNamespace

import pytest

from course_utils import colab


def test_urls_and_badge():
    url = colab.colab_url("notebooks/03_linear_autoencoder.ipynb")
    assert url == (f"https://colab.research.google.com/github/{colab.REPOSITORY}/blob/{colab.BRANCH}/"
                   "notebooks/03_linear_autoencoder.ipynb")
    assert f"]({url})" in colab.badge_markdown("notebooks/03_linear_autoencoder.ipynb")
    with pytest.raises(ValueError, match=".ipynb"):
        colab.colab_url("notebooks/03.py")


def test_exact_install_commands(tmp_path):
    commands = colab.install_commands(tmp_path / "course")
    assert commands == [
        ["git", "clone", "--depth", "1", "--branch", colab.BRANCH,
         f"https://github.com/{colab.REPOSITORY}.git", str(tmp_path / "course")],
        [sys.executable, "-m", "pip", "install", "--quiet", "-e", str(tmp_path / "course")],
    ]


def _fake_runner(calls, returncode=0):
    def run(command, check):
        calls.append(command)
        return SimpleNamespace(returncode=returncode)
    return run


def test_installs_when_missing_on_a_fresh_colab(tmp_path, monkeypatch):
    monkeypatch.setattr(colab, "course_package_is_installed", lambda: False)
    calls = []
    assert colab.ensure_course_package(run=_fake_runner(calls), checkout=tmp_path / "c") is True
    assert calls == colab.install_commands(tmp_path / "c")


def test_skips_clone_when_checkout_exists(tmp_path, monkeypatch):
    (tmp_path / "c" / ".git").mkdir(parents=True)
    monkeypatch.setattr(colab, "course_package_is_installed", lambda: False)
    calls = []
    colab.ensure_course_package(run=_fake_runner(calls), checkout=tmp_path / "c")
    assert [command[0] for command in calls] == [sys.executable]


def test_does_nothing_when_installed(monkeypatch):
    calls = []
    assert colab.course_package_is_installed()  # the test environment has it (pip install -e .)
    assert colab.ensure_course_package(run=_fake_runner(calls)) is False and calls == []


def test_failed_install_says_what_failed(tmp_path, monkeypatch):
    monkeypatch.setattr(colab, "course_package_is_installed", lambda: False)
    with pytest.raises(RuntimeError, match="git clone .* exited with 128"):
        colab.ensure_course_package(run=_fake_runner([], returncode=128), checkout=tmp_path / "c")


def test_default_runner_is_subprocess_run():
    assert colab.ensure_course_package.__defaults__[0] is subprocess.run
