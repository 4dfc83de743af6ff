"""The pages as shipped in pages/content/, loaded as make run and production do."""

import pytest

from pages.services import load_pages


@pytest.fixture
def loaded(db):
    """The shipped pages and questions in the database."""
    load_pages()
