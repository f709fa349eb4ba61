"""Symmetry Lab's engine: numpy, scikit-learn and plotly only, never streamlit, so all of it is testable
with plain pytest. Read it in this order: config → datasets → initializers → network → optimizers →
train → symmetry → charts."""
