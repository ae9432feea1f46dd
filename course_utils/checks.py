"""Self-checks for exercises, and claim checks for what a notebook asserts.

An exercise check compares a student's answer with a reference and prints one line:
``✅ passed``, ``❌ failed`` with a hint, or ``⏳ not solved yet`` when the answer is still the
stub (``None``, ``...``, a function that returns ``None`` or raises ``NotImplementedError``).
With ``COURSE_STRICT_CHECKS=1`` (set by the test suite) anything but a pass raises
:class:`CheckFailed`, so a broken reference solution fails CI.

:func:`verify` is for the notebook's own claims ("the linear AE learns the PCA subspace"): it
always raises when the claim is false.

Used by: every notebook's exercises and claims.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np

from course_utils import config

STRICT_ENV = "COURSE_STRICT_CHECKS"
PASSED, FAILED, NOT_SOLVED = "passed", "failed", "not solved yet"
_SYMBOLS = {PASSED: "✅", FAILED: "❌", NOT_SOLVED: "⏳"}


class CheckFailed(AssertionError):
    """Raised by a failing check in strict mode, and by :func:`verify` when a claim is false."""


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """Outcome of one check: ``status`` is ``"passed"``, ``"failed"`` or ``"not solved yet"``."""

    name: str
    status: str
    message: str = ""

    def __bool__(self) -> bool:
        return self.status == PASSED

    def __str__(self) -> str:
        text = f"{_SYMBOLS[self.status]} {self.name}: {self.status}"
        return f"{text} — {self.message}" if self.message else text

    def _ipython_display_(self) -> None:
        """Show nothing more when a notebook cell ends with a check: it has printed its line already."""


def strict_mode() -> bool:
    """True when ``COURSE_STRICT_CHECKS`` asks that every check pass (as in CI)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _finish(result: CheckResult) -> CheckResult:
    print(result)
    if strict_mode() and not result:
        raise CheckFailed(str(result))
    return result


def is_unfinished(answer) -> bool:
    """True for the placeholders a stub leaves: ``None``, ``...`` and ``NotImplemented``."""
    return answer is None or answer is Ellipsis or answer is NotImplemented


def _with_hint(message: str, hint: str | None) -> str:
    return f"{message} Hint: {hint}" if hint else message


def _compare_arrays(answer, expected, rtol, atol, up_to_sign):
    """Return None when equal within tolerance, else a sentence saying what differs."""
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"expected numbers, got {type(answer).__name__}."
    expected = np.asarray(expected, dtype=float)
    if answer.shape != expected.shape:
        return f"expected shape {expected.shape}, got {answer.shape}."
    if not np.all(np.isfinite(answer)):
        return "the answer contains NaN or infinite values."
    if up_to_sign:
        if answer.ndim == 1:
            answer = answer * (np.sign(answer @ expected) or 1.0)
        else:
            signs = np.sign(np.sum(answer * expected, axis=0))
            answer = answer * np.where(signs == 0, 1.0, signs)
    if np.allclose(answer, expected, rtol=rtol, atol=atol):
        return None
    worst = float(np.max(np.abs(answer - expected)))
    return f"largest difference {worst:.3g} exceeds the tolerance (rtol={rtol:g}, atol={atol:g})."


def check_value(name, answer, expected, *, rtol=1e-6, atol=1e-9, up_to_sign=False, hint=None) -> CheckResult:
    """Check a number or array against ``expected`` (shape first, then values within tolerance).

    Parameters
    ----------
    name : str
        What is being checked, as the student will read it.
    answer, expected : number or array-like
    rtol, atol : float
        Tolerances as in ``numpy.allclose``.
    up_to_sign : bool, default False
        Accept vectors (or matrix columns) that differ from ``expected`` only by sign, as
        eigenvectors and principal directions do.
    hint : str, optional
        Shown when the check fails.
    """
    if is_unfinished(answer):
        return _finish(CheckResult(name, NOT_SOLVED, "replace the placeholder with your answer."))
    problem = _compare_arrays(answer, expected, rtol, atol, up_to_sign)
    if problem is None:
        return _finish(CheckResult(name, PASSED))
    return _finish(CheckResult(name, FAILED, _with_hint(problem, hint)))


def _normalise_choice_item(item):
    # Numbers compare by value (40 and 40.0 are one choice); words by their letters.
    if isinstance(item, (int, float, np.integer, np.floating)) and not isinstance(item, bool):
        return float(item)
    return str(item).strip().lower()


def _normalise_choice(value):
    """A string's letters (case and spaces ignored), or the set of a collection's items."""
    if isinstance(value, str):
        return value.strip().lower()
    try:
        return frozenset(_normalise_choice_item(item) for item in value)
    except TypeError:
        return _normalise_choice_item(value)


#: Mixed into every answer digest, so that a digest cannot be looked up in a table of common hashes.
DIGEST_SALT = "autoencoders-pca-lstm-keras"


def answer_digest(name: str, answer) -> str:
    """The digest a check cell stores instead of a choice's answer (see :func:`check_choice`).

    It hashes the check's ``name``, the course's salt and the answer normalised as
    :func:`check_choice` compares it (case, spaces and order ignored; 40 and 40.0 alike), so any
    right form of the answer gives the same digest and no check cell has to hold the answer.
    """
    import hashlib

    normalised = _normalise_choice(answer)
    if isinstance(normalised, frozenset):
        text = "{" + "|".join(sorted(repr(item) for item in normalised)) + "}"
    else:
        text = repr(normalised)
    return hashlib.sha256(f"{DIGEST_SALT}|{name}|{text}".encode()).hexdigest()[:20]


def check_choice(name, answer, expected=None, *, digest=None, hint=None) -> CheckResult:
    """Check a multiple-choice answer: a string, or a set of options (order and case ignored).

    Give the right answer either as ``expected`` (when it is computed at check time, from data)
    or, for a choice whose answer must not be readable in the notebook, as ``digest``: the value
    :func:`answer_digest` returns for the check's name and the right answer.
    """
    if (expected is None) == (digest is None):
        raise ValueError("check_choice needs the right answer as expected=... or as digest=..., not both.")
    if is_unfinished(answer):
        return _finish(CheckResult(name, NOT_SOLVED, "write your choice in place of the placeholder."))
    if digest is not None:
        right = answer_digest(name, answer) == digest
    else:
        right = _normalise_choice(answer) == _normalise_choice(expected)
    if right:
        return _finish(CheckResult(name, PASSED))
    return _finish(CheckResult(name, FAILED, _with_hint("that is not the expected choice.", hint)))


def principal_angles_degrees(basis_a, basis_b) -> np.ndarray:
    """Principal angles (degrees, largest first) between the column spaces of two matrices."""
    from scipy.linalg import subspace_angles

    basis_a, basis_b = np.asarray(basis_a, dtype=float), np.asarray(basis_b, dtype=float)
    if basis_a.ndim != 2 or basis_b.ndim != 2 or basis_a.shape[0] != basis_b.shape[0]:
        raise ValueError(f"expected two matrices with the same number of rows, got {basis_a.shape} and {basis_b.shape}.")
    if not (np.all(np.isfinite(basis_a)) and np.all(np.isfinite(basis_b))):
        raise ValueError("the bases contain NaN or infinite values.")
    return np.degrees(subspace_angles(basis_a, basis_b))


def check_subspace(name, answer, expected, *, max_angle_degrees=1.0, hint=None) -> CheckResult:
    """Check that the columns of ``answer`` span the same subspace as those of ``expected``."""
    if is_unfinished(answer):
        return _finish(CheckResult(name, NOT_SOLVED, "replace the placeholder with your basis."))
    expected = np.asarray(expected, dtype=float)
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return _finish(CheckResult(name, FAILED, _with_hint(
            f"expected a matrix of numbers of shape {expected.shape}, got {type(answer).__name__}.", hint)))
    if answer.shape != expected.shape:
        return _finish(CheckResult(name, FAILED, _with_hint(f"expected shape {expected.shape}, got {answer.shape}.", hint)))
    if not np.all(np.isfinite(answer)):
        return _finish(CheckResult(name, FAILED, "the answer contains NaN or infinite values."))
    largest = float(principal_angles_degrees(answer, expected).max())
    if largest <= max_angle_degrees:
        return _finish(CheckResult(name, PASSED, f"largest principal angle {largest:.3f}°"))
    return _finish(CheckResult(name, FAILED, _with_hint(f"largest principal angle {largest:.2f}° > {max_angle_degrees}°.", hint)))


def _bytecode_of_empty_functions() -> set:
    """Bytecode of functions whose body is a docstring, ``...`` or ``pass`` (as stubs are)."""
    bodies = ['"""Docstring."""', "...", "pass", '"""Docstring."""\n    ...', '"""Docstring."""\n    pass']
    codes = set()
    for body in bodies:
        namespace = {}
        exec(f"def stub():\n    {body}\n", namespace)
        codes.add(namespace["stub"].__code__.co_code)
    return codes


_EMPTY_BYTECODE = _bytecode_of_empty_functions()


def is_unwritten_function(function) -> bool:
    """True for a Python function whose body is only a docstring, ``...`` or ``pass`` (a stub)."""
    code = getattr(function, "__code__", None)
    return code is not None and code.co_code in _EMPTY_BYTECODE


def check_function(name, function, reference, cases, *, rtol=1e-6, atol=1e-9, up_to_sign=False, hint=None) -> CheckResult:
    """Call a student's ``function`` and ``reference`` on each case and compare what they return.

    Parameters
    ----------
    function : callable or placeholder
    reference : callable
        The correct implementation.
    cases : sequence of tuples
        Positional arguments for each call.
    Other parameters as in :func:`check_value`. Tuples of results are compared item by item.
    """
    if is_unfinished(function):
        return _finish(CheckResult(name, NOT_SOLVED, "define the function first."))
    if is_unwritten_function(function):
        return _finish(CheckResult(name, NOT_SOLVED, "the function has no body yet."))
    if not callable(function):
        return _finish(CheckResult(name, FAILED, f"expected a function, got {type(function).__name__}."))
    if not cases:
        raise ValueError("check_function needs at least one case.")
    for number, arguments in enumerate(cases, start=1):
        try:
            answer = function(*arguments)
        except NotImplementedError:
            return _finish(CheckResult(name, NOT_SOLVED, "the function is not written yet."))
        except Exception as error:  # the student's code raised: report it instead of crashing the cell
            return _finish(CheckResult(name, FAILED, _with_hint(f"case {number} raised {type(error).__name__}: {error}", hint)))
        if is_unfinished(answer):
            return _finish(CheckResult(name, NOT_SOLVED, "the function returns nothing yet."))
        expected = reference(*arguments)
        answers = answer if isinstance(expected, tuple) else (answer,)
        expecteds = expected if isinstance(expected, tuple) else (expected,)
        if len(answers) != len(expecteds):
            return _finish(CheckResult(name, FAILED, f"case {number}: expected {len(expecteds)} results, got {len(answers)}."))
        for got, want in zip(answers, expecteds):
            problem = _compare_arrays(got, want, rtol, atol, up_to_sign)
            if problem is not None:
                return _finish(CheckResult(name, FAILED, _with_hint(f"case {number}: {problem}", hint)))
    return _finish(CheckResult(name, PASSED, f"{len(cases)} case(s)"))


def check_experiment(name, answer, judge, *, hint=None) -> CheckResult:
    """Judge an experiment by its outcome: measure what the student built, trained or chose.

    Parameters
    ----------
    name : str
        The experiment, as the student will read it.
    answer : object or placeholder
        What the student produced: a trained model, an array, a number, a dict of results.
    judge : callable
        ``judge(answer)`` measures the answer on data the check chooses and returns a pair
        ``(passed, measured)``: whether the outcome meets the target, and a sentence with the
        measured numbers, shown either way (e.g. ``"test MSE 0.0093, target below 0.0113"``).

    A placeholder answer (or a function whose body is still ``...``) is "not solved yet". An answer the judge cannot measure (a wrong type, a
    wrong shape, a model that raises) fails with what went wrong and the hint; the check never raises
    on a student's answer (except :class:`CheckFailed` in strict mode).
    """
    if is_unfinished(answer):
        return _finish(CheckResult(name, NOT_SOLVED, "run your experiment and store its result first."))
    if is_unwritten_function(answer):
        return _finish(CheckResult(name, NOT_SOLVED, "the function has no body yet."))
    try:
        passed, measured = judge(answer)
    except Exception as error:  # the answer could not be measured: say why instead of crashing the cell
        return _finish(CheckResult(name, FAILED, _with_hint(
            f"could not measure the answer ({type(error).__name__}: {error}).", hint)))
    if passed:
        return _finish(CheckResult(name, PASSED, measured))
    return _finish(CheckResult(name, FAILED, _with_hint(measured + ".", hint)))


def times(factor: float, reference: str) -> str:
    """``reference`` scaled by ``factor`` for a claim's sentence: ``"PCA-30's"`` when the factor is 1,
    else ``"1.6 × PCA-30's"``, so that one sentence states a claim in both modes."""
    return reference if factor == 1 else f"{factor:g} × {reference}"


def verify(condition, claim: str, details: str = "") -> None:
    """Assert a claim the notebook makes; print it with a tick, or raise :class:`CheckFailed`.

    Parameters
    ----------
    condition : bool
        Whether the claim holds (e.g. ``angle < 1.0``).
    claim : str
        The claim in words, e.g. ``"AE subspace within 1° of PCA's"``.
    details : str, optional
        The measured numbers, shown either way.

    Under the lecture's settings (``COURSE_SETTINGS=lecture``, used only by the benchmark) the
    notebook's claims describe the course's own settings, so a failed claim is printed with a
    cross instead of raising.
    """
    suffix = f" ({details})" if details else ""
    if not bool(condition):
        if config.active_settings() == "lecture":
            print(f"✘ {claim}{suffix} — does not hold under the lecture's settings")
            return
        raise CheckFailed(f"Claim does not hold: {claim}{suffix}")
    print(f"✔ {claim}{suffix}")
