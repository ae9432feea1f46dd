"""Test-wide settings: fast mode, strict exercise checks, and a non-interactive Matplotlib.

These variables are inherited by the Jupyter kernels nbval starts, so notebooks run in fast mode
and a wrong reference solution fails the suite.
"""

import os

os.environ["COURSE_FAST"] = "1"
os.environ["COURSE_STRICT_CHECKS"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
