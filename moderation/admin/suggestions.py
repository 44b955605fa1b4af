"""The volunteers' page of market suggestions (moderation.market_suggestions): a producer's words, the market they
seem to name, and two POST buttons, "link" and "not this market", each a logged decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from producers.models import Department

from .. import market_suggestions, teams
from ..models import AlreadyDecided

ALREADY = _("Another volunteer has already decided on this suggestion; nothing was changed.")


class MarketSuggestionViewsMixin:
    """Added to the revisions' admin: the same volunteers, the same rights (change a revision)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("market-suggestions/", view(self.suggestions_view), name="moderation_market_suggestions"),
            path(
                "market-suggestions/<int:producer>/<int:market>/<str:action>/",
                view(require_POST(self.suggestion_decide_view)),
                name="moderation_market_suggestion_decide",
            ),
            *super().get_urls(),
        ]

    def _check_suggestions(self, request):
        if not request.user.has_perm("moderation.change_revision"):
            raise PermissionDenied

    def suggestions_view(self, request):
        self._check_suggestions(request)
        mine = teams.departments_of(request.user)
        code = request.GET.get("department", "")
        department = Department.objects.filter(code=code).first() if code else None
        if department is None and not code and len(mine) == 1:
            department = Department.objects.filter(pk__in=mine).first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Markets named in listings"),
            "departments": Department.objects.order_by("code"),
            "department": department,
            "suggestions": market_suggestions.suggestions(department),
        }
        return TemplateResponse(request, "moderation/admin/market_suggestions.html", context)

    def suggestion_decide_view(self, request, producer, market, action):
        self._check_suggestions(request)
        decide = {"link": market_suggestions.link, "dismiss": market_suggestions.dismiss}.get(action)
        back = reverse("admin:moderation_market_suggestions")
        if request.POST.get("department"):
            back += "?department=" + request.POST["department"]
        if decide is None:
            messages.error(request, _("Unknown action."))
            return HttpResponseRedirect(back)
        try:
            decide(producer, market, request.user, request.POST.get("mention", "")[:500])
        except AlreadyDecided:
            messages.warning(request, ALREADY)
        else:
            if action == "link":
                messages.success(request, _("Linked: the listing shows the market once the page is refreshed."))
            else:
                messages.success(request, _("Suggestion dismissed: it will not be shown again."))
        return HttpResponseRedirect(back)
