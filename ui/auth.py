"""Who is looking: the signed-in person (st.login) or, without sign-in set up, ASCOLTO_USER."""

from __future__ import annotations

import logging
import os

import streamlit as st

from data_access.access import display_name, scope_for
from data_access.i18n import DEFAULT, text
from data_access.scope import Scope

LOCAL_USER = "locale"
GROUPS_CLAIM = "groups"  # the identity token's claim matched against access.toml's [groups."…"]
NO_SECRETS = "no-secrets-found"  # Streamlit's error_id when there is no secrets file at all

logger = logging.getLogger(__name__)


def sign_in_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except Exception as problem:  # no secrets file at all is the common local case
        if getattr(problem, "error_id", None) != NO_SECRETS:
            logger.error("secrets cannot be read, sign-in is off: %s", problem)
        return False


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


def current_scope(lang: str = DEFAULT) -> Scope:
    """The Scope of the person looking (no provinces for anyone not in access.toml)."""
    user = current_user(lang)
    return scope_for(user, groups=signed_in_groups())


def account_name(user: str, lang: str = DEFAULT) -> str:
    """The name on the account line: the local account's in lang, else access.toml's name.

    The local account ("locale", no sign-in) is the product's own, so its words come from the
    catalogue; a person's name is data and is shown as access.toml writes it.
    """
    return text("account.local", lang) if user == LOCAL_USER else display_name(user)


def account_box(scope: Scope, lang: str = DEFAULT) -> None:
    """Who is signed in and what they see, at the bottom of the sidebar."""
    if scope.everywhere:
        seen = text("account.everywhere", lang)
    else:
        seen = ", ".join(sorted(scope.provinces)) or text("account.nowhere", lang)
    st.sidebar.caption(
        text("account.caption", lang, name=account_name(scope.user, lang), provinces=seen)
    )
    if sign_in_configured() and st.user.is_logged_in:
        st.sidebar.button(text("sign_in.sign_out", lang), on_click=st.logout)
