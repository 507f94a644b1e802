"""A registry of expected answers keyed by the test cell's grade_id."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from mda_checks.casedata.company import COMMON_COMPANY, IDENTITY_FILE, identity
from mda_apprenant.check.expected import Expected


class CaseData:
    """The case's CSV files in one folder, read once each."""

    def __init__(self, folder: Path | str = "data"):
        self.folder = Path(folder)
        self._frames: dict[str, pd.DataFrame] = {}
        self._parameters: dict[str, float] | None = None

    def __call__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = pd.read_csv(self.folder / name)
        return self._frames[name].copy()

    @property
    def company(self) -> str:
        """The company the case is about: its row in the tables of bids and competitors (read as the statements
        read it: ``casedata.company.identity``)."""
        if not (self.folder / IDENTITY_FILE).is_file():
            return COMMON_COMPANY
        return identity({IDENTITY_FILE: self(IDENTITY_FILE)})["entreprise"]

    def parameter(self, name: str) -> float:
        """A value of hypotheses_*.csv (columns parametre, valeur); the files are read into one table once."""
        if self._parameters is None:
            self._parameters = {}
            for path in reversed(sorted(self.folder.glob("hypotheses*.csv"))):  # the first file wins, as before
                self._parameters.update(self(path.name).set_index("parametre")["valeur"].to_dict())
        if name not in self._parameters:
            raise KeyError(f"paramètre {name} absent des hypothèses")
        return float(self._parameters[name])


class Reference:
    """Expected answers of one bloc: ``@reference.answer("grade_id")`` registers one."""

    def __init__(self) -> None:
        self._answers: dict[str, Callable[[CaseData], Expected]] = {}

    def answer(self, key: str):
        def register(compute: Callable[[CaseData], Expected]):
            if key in self._answers:
                raise ValueError(f"answer {key} registered twice")
            self._answers[key] = compute
            return compute

        return register

    def keys(self) -> list[str]:
        return sorted(self._answers)

    def expected(self, key: str, data_dir: Path | str | CaseData = "data") -> Expected:
        """The expected answer `key`, computed from the CSV files in `data_dir` (a folder or its CaseData)."""
        data = data_dir if isinstance(data_dir, CaseData) else CaseData(data_dir)
        value = self._answers[key](data)
        return value if isinstance(value, Expected) else Expected(value)
