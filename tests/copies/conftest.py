"""The variants of the copy-detection cohorts: drawn once per worker, as the variant sweep draws them."""
import pytest


@pytest.fixture(scope="session")
def variants_root(tmp_path_factory):
    return tmp_path_factory.mktemp("variantes-copies")
