"""The private edit page as a browser tab holds it, for the tests of pages sent from two tabs or twice."""

import re

from moderation.models import EditToken

from .test_edit_link import edit_url, form_data

CHANGED_ELSEWHERE = "Votre fiche a été modifiée dans un autre onglet ou une autre fenêtre"


def hidden(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page)[1]


class Tab:
    """One browser tab on the edit page: it sends the values and hidden fields its page carried."""

    def __init__(self, client, listing, token):
        self.client, self.listing, self.token = client, listing, token
        self.open()

    def open(self, page=None):
        """A fresh page from the link, or the page an answer showed (its fields hold what was typed)."""
        if page is None:
            self.listing.refresh_from_db()
            # Everything the page shows, as its browser sends it back untouched.
            self.data = form_data(self.listing, short_description=self.listing.short_description)
            if self.listing.market_type:
                self.data["market_type"] = self.listing.market_type
            page = self.client.get(edit_url(self.token)).content.decode()
        self.seen, self.version = hidden(page, "seen"), hidden(page, "version")
        self.waiting = hidden(page, "waiting")

    def send(self, **changes):
        self.data.update(changes)
        response = self.client.post(
            edit_url(self.token), {**self.data, "seen": self.seen, "version": self.version, "waiting": self.waiting}
        )
        assert response.status_code == 200
        return response.content.decode()


def new_tab(client, listing):
    """A tab on a new private link of `listing`."""
    return Tab(client, listing, EditToken.issue(listing))
