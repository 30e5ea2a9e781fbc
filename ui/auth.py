"""Who is looking: the signed-in person (st.login) or, without sign-in set up, ASCOLTO_USER.

The person is looked up in the access file once per session (session_viewer); a broken file or
an empty scope stops every page before any data is read (refuse_without_access); an admin may
preview the app as another person (viewed_scope, preview_box). What they see is said on top of
every page (banner) and at the bottom of the sidebar (account_box).
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from data_access.access import Viewer, preview_scope, previewable, viewer
from data_access.i18n import DEFAULT, text
from data_access.scope import ADMIN, Scope

LOCAL_USER = "locale"
GROUPS_CLAIM = "groups"  # the identity token's claim matched against access.toml's [groups."…"]
NO_SECRETS = "no-secrets-found"  # Streamlit's error_id when there is no secrets file at all
VIEWER_KEY = "_ascolto_viewer"  # session_state: ((user id, groups), Viewer), rebuilt on a change
PREVIEW_KEY = "w_preview_as"  # the "Vedi come…" selectbox: "" for oneself, else an e-mail
PREVIEW_SCOPE_KEY = "_ascolto_preview"  # session_state: ((admin, person), previewed Scope)
PEOPLE_KEY = "_ascolto_people"  # session_state: (admin, {e-mail: name}) offered for a preview
DEMO_ICON = ":material/lock_open:"  # the demo-mode banner's icon (tests tell it apart by it)
CHECK_COMMAND = "python -m data_access access check"
MARKDOWN_SIGNS = "\\`*_[]<>#|~$"  # escaped in names and contacts: data shown as written

logger = logging.getLogger(__name__)


def sign_in_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except Exception as problem:  # no secrets file at all is the common local case
        if getattr(problem, "error_id", None) != NO_SECRETS:
            logger.error("secrets cannot be read, sign-in is off: %s", problem)
        return False


def signed_in() -> bool:
    """True when sign-in is configured and someone has signed in (a sign-out is offered)."""
    return sign_in_configured() and bool(st.user.is_logged_in)


def current_user(lang: str = DEFAULT) -> str:
    """The person's id; with sign-in configured, stops the page until they have signed in."""
    if sign_in_configured():
        if not st.user.is_logged_in:
            st.title("Ascolto")  # the product's name, the same in every language
            st.write(text("sign_in.prompt", lang))
            st.button(text("sign_in.button", lang), on_click=st.login, type="primary")
            st.stop()
        if not st.user.get("email"):
            logger.warning("a signed-in person has no e-mail address in the identity token")
        return str(st.user.get("email", ""))
    return os.environ.get("ASCOLTO_USER", LOCAL_USER)


def signed_in_groups() -> tuple[str, ...]:
    """The signed-in person's groups, from the identity token's GROUPS_CLAIM (none in demo mode)."""
    if not sign_in_configured() or not st.user.is_logged_in:
        return ()
    claim = st.user.get(GROUPS_CLAIM)
    if isinstance(claim, str):  # some providers send a lone group as a string
        return (claim,)
    if isinstance(claim, (list, tuple)):
        return tuple(str(group) for group in claim)
    return ()


def _look_up(user: str, groups: tuple[str, ...]) -> Viewer:
    """The person in the access file (one reading: one ERROR when the file is broken)."""
    return viewer(user, groups=groups)


def session_viewer(lang: str = DEFAULT) -> Viewer:
    """The person looking, looked up once per session; another person signing in rebuilds it.

    Keyed by the signed-in id and groups claim only, never by a URL parameter: a view can
    narrow the scope (inside data_access), never widen it.
    """
    signed = (current_user(lang), signed_in_groups())
    held = st.session_state.get(VIEWER_KEY)
    if held is None or held[0] != signed:
        held = (signed, _look_up(*signed))
        st.session_state[VIEWER_KEY] = held
    return held[1]


def viewed_scope(who: Viewer) -> Scope:
    """The scope the app shows: an admin's preview of another person, else the person's own.

    The preview is asked of data_access, which refuses anyone but an admin (fail closed); a
    non-admin's preview value is ignored here before it gets that far.
    """
    if who.scope.role != ADMIN:
        return who.scope
    person = _chosen_person(who)
    if not person:
        return who.scope
    asked = (who.scope.user, person)
    held = st.session_state.get(PREVIEW_SCOPE_KEY)
    if held is None or held[0] != asked:
        held = (asked, preview_scope(who.scope, person))
        st.session_state[PREVIEW_SCOPE_KEY] = held
    return held[1]


def _people(who: Viewer) -> dict[str, str]:
    """The people an admin may preview (e-mail: name), read once per session; {} for others."""
    held = st.session_state.get(PEOPLE_KEY)
    if held is None or held[0] != who.scope.user:
        held = (who.scope.user, previewable(who.scope))
        st.session_state[PEOPLE_KEY] = held
    return held[1]


def _chosen_person(who: Viewer) -> str:
    """The person an admin chose in "Vedi come…": an e-mail of the file, or "" for themself.

    Anything else is reset to "": a person no longer in the file, or the selectbox's previous
    label after a language switch (it can hand back "Me (la mia vista)" on the next page).
    """
    chosen = st.session_state.get(PREVIEW_KEY) or ""
    if chosen and chosen not in _people(who):
        st.session_state[PREVIEW_KEY] = chosen = ""
    return str(chosen)


def plain(value: str) -> str:
    """A name or contact as written, with the signs Markdown would read escaped."""
    return "".join(f"\\{sign}" if sign in MARKDOWN_SIGNS else sign for sign in value)


def role_name(role: str, lang: str = DEFAULT) -> str:
    """The role in lang ('responsabile regionale'); '' for an empty scope's."""
    return text(f"role.{role}", lang) if role else ""


def account_name(user: str, name: str, lang: str = DEFAULT) -> str:
    """The name shown for a person: the local account's in lang, else access.toml's name.

    The local account ("locale", no sign-in) is the product's own, so its words come from the
    catalogue; a person's name is data and is shown as access.toml writes it.
    """
    return text("account.local", lang) if user == LOCAL_USER else name


def refuse_without_access(who: Viewer, lang: str = DEFAULT) -> None:
    """Stop the page before any data is read: a broken access file, or a person with no scope."""
    if who.broken_file is not None:
        st.title(text("access_problem.title", lang))
        st.error(text("access_problem.text", lang, file=who.broken_file))
        st.write(text("access_problem.check", lang))
        st.code(CHECK_COMMAND, language="sh")
        st.stop()
    if who.scope.visible() == frozenset():
        st.title(text("no_access.title", lang))
        user = who.scope.user
        name = account_name(user, who.name, lang)
        if name == user and signed_in():  # not in the access file: the identity provider's name
            name = str(st.user.get("name") or user)
        shown = name if name == user else f"{name} ({user})"
        st.write(text("no_access.who", lang, name=plain(shown)))
        st.info(text("no_access.none_yet", lang), icon=":material/lock:")
        if who.contact:
            st.write(text("no_access.contact", lang, contact=plain(who.contact)))
        else:
            st.write(text("no_access.ask", lang))
        if signed_in():
            st.button(text("sign_in.sign_out", lang), on_click=st.logout)
        st.stop()


def banner(who: Viewer, scope: Scope, lang: str = DEFAULT) -> None:
    """On top of every page: an admin's preview, or that sign-in is off and whose view it is."""
    if scope.previewer:
        name = plain(_people(who).get(scope.user, scope.user))
        role = role_name(scope.role, lang)
        st.warning(text("preview.banner", lang, name=name, role=role), icon=":material/visibility:")
        st.button(text("preview.stop", lang), key="preview_stop", on_click=_stop_preview)
    elif not sign_in_configured():
        name = plain(account_name(scope.user, who.name, lang))
        role = role_name(scope.role, lang)
        st.info(text("demo.banner", lang, name=name, role=role), icon=DEMO_ICON)


def _stop_preview() -> None:
    st.session_state[PREVIEW_KEY] = ""


def account_box(who: Viewer, scope: Scope, lang: str = DEFAULT) -> None:
    """Who is signed in, their role and what they see, at the bottom of the sidebar; an
    admin's "Vedi come…" and, when signed in, the sign-out."""
    own = who.scope
    if own.everywhere:
        seen = text("account.everywhere", lang)
    else:
        seen = ", ".join(sorted(own.provinces)) or text("account.nowhere", lang)
    name = plain(account_name(own.user, who.name, lang))
    st.sidebar.caption(
        text("account.caption", lang, name=name, role=role_name(own.role, lang), provinces=seen)
    )
    preview_box(who, lang)
    if signed_in():
        st.sidebar.button(text("sign_in.sign_out", lang), on_click=st.logout)


def preview_box(who: Viewer, lang: str = DEFAULT) -> None:
    """An admin's "Vedi come…": themself, or any person of the access file by name."""
    people = _people(who)
    if not people:
        return
    _chosen_person(who)  # an unknown value is reset before the selectbox reads it
    me = text("preview.me", lang)
    st.sidebar.selectbox(
        text("preview.label", lang),
        ["", *people],
        key=PREVIEW_KEY,
        format_func=lambda email: people.get(email, me),
        help=text("preview.help", lang),
    )
