"""Shared helpers for the course "Autoencoders, PCA and LSTMs with Keras".

Importing the package has no side effects: nothing is seeded, styled or imported from Keras
until a notebook calls :func:`setup`. Topic modules are imported by name, e.g.
``from course_utils import data, plotting, checks``.
"""

from course_utils.config import CourseConfig, is_fast_mode, setup

__version__ = "0.1.0"
__all__ = ["CourseConfig", "is_fast_mode", "setup", "__version__"]
