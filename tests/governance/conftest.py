"""The review app's fixtures (accounts per role, clients) are shared with the governance tests."""

from tests.app.review.conftest import codes, make_client, signed_in, staff  # noqa: F401 - pytest fixtures by name
