"""Sandbox: the grading kernel, started in a sandbox of its own, checked, bounded and cleaned up.

Course-independent: nothing here knows the blocs, the barème or the reference. ``isolation``
chooses and builds the sandbox, ``sandboxed_kernel`` is the kernel manager nbgrader_config.py names,
``sandbox_check`` refuses a kernel whose sandbox is not in force, ``cgroups`` and ``quota`` bound
what it uses, ``capped_execute`` bounds what it prints, ``warm_kernels`` reuses one kernel per
submission, ``janitor`` removes what a killed run leaves behind.
"""
