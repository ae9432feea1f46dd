"""The test profiles (scripts/profiles.sh) and the Colab constraints they install from."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _use_profile(name, *settings):
    """Run ``use_profile NAME`` in bash after ``settings`` (shell assignments); return the process."""
    script = "; ".join(["source scripts/profiles.sh", *settings, f"use_profile {name}",
                        'echo "$PROFILE_VENV|$PROFILE_REQUIREMENTS|$PROFILE_BACKEND|$PROFILE_TESTS"'])
    return subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True)


def test_every_profile_is_described():
    pinned, colab, colab_jax = (_use_profile(name, "find_python() { echo /usr/bin/python3; }")
                                for name in ("pinned", "colab", "colab-jax"))
    assert pinned.stdout.strip() == ".venv|requirements.txt|tensorflow|"
    assert colab.stdout.startswith(".venv-colab|requirements-colab.txt|tensorflow|notebooks tests/")
    assert colab_jax.stdout.startswith(".venv-colab|requirements-colab.txt|jax|notebooks tests/")
    for path in colab.stdout.strip().split("|")[-1].split():
        assert (ROOT / path).exists(), f"profiles.sh names {path}, which does not exist"


def test_a_missing_interpreter_fails_naming_it():
    result = _use_profile("colab", "COLAB_PYTHON=3.99")
    assert result.returncode != 0 and result.stdout == ""
    assert "profile 'colab' needs Python 3.99" in result.stderr and "pyenv install 3.99" in result.stderr


def test_an_unknown_profile_fails_listing_the_choices():
    result = _use_profile("colab-torch")
    assert result.returncode != 0
    assert "unknown PROFILE 'colab-torch'" in result.stderr and "pinned colab colab-jax" in result.stderr


def test_the_colab_constraints_name_their_source_and_date():
    header = (ROOT / "constraints" / "colab.txt").read_text().splitlines()[:4]
    assert "googlecolab/backend-info" in header[1] and "pip-freeze.txt" in header[1]
    assert "2026-08-19" in header[2] and "Python there: 3.13" in header[2]
    python = subprocess.run(["bash", "-c", "source scripts/profiles.sh; echo $COLAB_PYTHON"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    assert f"Python there: {python}." in header[2], "COLAB_PYTHON in profiles.sh must be Colab's Python"


def test_constraints_keep_only_pinned_lines():
    spec = importlib.util.spec_from_file_location("colab_constraints", ROOT / "scripts" / "colab_constraints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    freeze = "# a comment\nkeras==3.13.2\ntorch @ https://example.org/torch.whl\nnumpy==2.1.3\n\n-e git+x#egg=y\n"
    assert module.constraint_lines(freeze) == ["keras==3.13.2", "numpy==2.1.3"]


@pytest.mark.parametrize("name", ["requirements-colab.txt", "requirements.txt"])
def test_requirements_include_the_test_tools(name):
    assert "-r requirements-test.txt" in (ROOT / name).read_text().splitlines()
