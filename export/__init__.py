"""Exports of a run: a Jupyter notebook (numpy, checked with scikit-learn) and a PyTorch script.

A layer of its own between the glue and the engine (lessons → app → figures/export → core): it reads a
`core.config.RunConfig` and writes source text, importing only core, numpy, nbformat and the standard
library, so tests build and execute every export without Streamlit.
"""
