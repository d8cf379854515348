"""Template context shared by every page."""


def membership(request):
    """Who is signed in, in the terms the navigation needs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_specialist": False, "is_practice_owner": False, "is_portal_client": False}
    return {
        "is_specialist": user.is_specialist,
        "is_practice_owner": user.is_practice_owner,
        "is_portal_client": user.is_portal_client,
    }
