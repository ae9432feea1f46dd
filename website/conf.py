"""Sphinx configuration of the course website, shared by its two editions.

website/build.py runs Sphinx with this folder as the configuration directory, on a temporary copy
of the notebooks that it prepares, and sets two environment variables:
COURSE_SITE_EDITION ("student" or "instructor") and COURSE_SITE_STATIC (a folder with MathJax 3,
copied from the npm package that scripts/fetch_slide_assets.sh fetches). Nothing is executed: the
pages show the outputs stored in the notebooks (none in the student copies).
"""

import os

EDITION = os.environ["COURSE_SITE_EDITION"]
COURSE = "Autoencoders, PCA and LSTMs with Keras"

project = COURSE
author = "the course authors"
copyright = "the course authors; code under the MIT licence"
html_title = f"{COURSE} — {'instructor edition' if EDITION == 'instructor' else 'student edition'}"
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# Notebooks are shown as committed, never run.
nb_execution_mode = "off"
nb_output_stderr = "show"
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget state is stored; never load the widget manager from a CDN
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_dmath_double_inline = True  # $$...$$ inside a paragraph is display maths, as in Jupyter
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # a notebook's sections may skip a heading level

# MathJax 3 from this site's own _static folder (relative paths are relative to _static).
html_static_path = [os.environ["COURSE_SITE_STATIC"]]
mathjax_path = "mathjax/es5/tex-chtml-full.js"

html_theme = "sphinx_book_theme"
html_theme_options = {
    "use_download_button": True,      # each page offers its notebook (.ipynb) for download
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
}
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = True               # the download button serves the notebook from _sources/
