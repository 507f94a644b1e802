"""The project's nbgrader steps: one module per preprocessor class that nbgrader_config.py names.

Each runs in every way of grading alike (``mda grade``, plain ``nbgrader autograde``, formgrader's
button), since nbgrader itself runs them from the configuration's lists.
"""
