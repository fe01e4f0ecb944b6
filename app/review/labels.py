"""English display names for the codes the app stores (levels, roles, statuses, choices).

Each name is wrapped in ``N_`` so the translation check finds it; pages translate it with
``_()`` at render time, in the viewer's language.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a message for translation without translating it here."""
    return message


LEVELS = {0: N_("None"), 1: N_("Low"), 2: N_("Moderate"), 3: N_("High"), 4: N_("Crisis")}

LABELS = {
    "counsellor": N_("counsellor"), "supervisor": N_("supervisor"), "dpo": N_("data-protection officer"),
    "ml_engineer": N_("ML engineer"), "admin": N_("admin"),
    "new": N_("new"), "claimed": N_("claimed"), "reached_out": N_("reached out"), "dismissed": N_("dismissed"),
    "escalated": N_("escalated"), "superseded": N_("superseded"), "expired": N_("expired"), "open": N_("open"),
    "replied": N_("replied"), "accepted_help": N_("accepted help"), "no_reply": N_("no reply"),
    "hostile": N_("hostile"),
    "not_distress": N_("false alarm: no distress in the post"),
    "helping_someone_else": N_("false alarm: the writer is helping someone else"),
    "joke_or_hyperbole": N_("false alarm: a joke or hyperbole"),
    "lyrics_or_quote": N_("false alarm: lyrics or a quote"),
    "news_or_discussion": N_("false alarm: news or a general discussion"),
    "already_in_care": N_("the person is already in care"), "already_helped": N_("someone is already helping"),
    "not_reachable": N_("the person cannot be reached"), "other": N_("other"),
    "emergency_number_considered": N_("I considered calling the emergency number 112 (Finland and Sweden)"),
    "supervisor_informed": N_("I informed the supervisor on duty"),
    "platform_safety_report": N_("I used the platform's own crisis report for the post"),
    "post": N_("post"), "comment": N_("comment"),
    "current": N_("current"), "withdrawn": N_("withdrawn"), "none": N_("none"),
    "whose_self": N_("the writer's own"), "whose_other": N_("someone else's (a friend, someone in the thread)"),
    "whose_none": N_("nobody's (news, lyrics, a joke)"),
    "emergency_services_contacted": N_("emergency services contacted"),
    "person_contacted": N_("the person was contacted"), "platform_report_made": N_("platform crisis report made"),
    "no_further_action": N_("no further action needed"),
    "tone_warm": N_("warm"), "tone_brief": N_("brief"), "tone_formal": N_("formal"),
    "all": N_("all ages"), "under 18": N_("under 18"), "families with children": N_("families with children"),
    "Europe/Helsinki": N_("Finland (Helsinki time)"), "Europe/Stockholm": N_("Sweden (Stockholm time)"),
}

#: Risk factors the explanation groups its clauses by (``models.serving.explain.FACTORS``).
FACTORS = (N_("plan"), N_("means"), N_("time"), N_("farewell"), N_("self-harm or attempt"), N_("suicidal thoughts"),
           N_("hopelessness"), N_("distress"), N_("help-seeking"), N_("someone else at risk"), N_("other words"))


def label(code: str) -> str:
    """The English name for ``code`` (the code itself if it has none)."""
    return LABELS.get(code, code)
