"""The app's shell: login, home, the PWA manifest and service worker, the offline page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from zhengtu.accounts.forms import LoginForm
from zhengtu.accounts.login import LoginFailure, check_login, lockout_minutes_remaining, login_failure_message
from zhengtu.accounts.middleware import LAST_SEEN_KEY, now_timestamp

from ..access import SuperviseeRequest, supervisee_of, supervisee_required
from ..home import home_summary
from ..push import public_key


def next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/app/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url("selfservice:home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Password login for supervisees (no second factor; the same lockout and audit as the staff login)."""
    if request.user.is_authenticated and request.method == "GET" and supervisee_of(request.user) is not None:
        return redirect(next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        check = check_login(request, username=data["username"], password=data["password"], otp_token="")
        if check.failure == LoginFailure.LOCKED_OUT:
            minutes = lockout_minutes_remaining(request, data["username"])
            form.add_error(None, login_failure_message(check, minutes=minutes))
        elif check.failure is not None or check.user is None:
            form.add_error(None, login_failure_message(check))
        elif check.user.is_staff_member:
            # Staff log in with their second factor on the staff pages, never through the app.
            form.add_error(None, _("This is the app for supervisees. Staff log in on the staff pages."))
        else:
            django_login(request, check.user)
            request.session[LAST_SEEN_KEY] = now_timestamp()
            return redirect(next_url(request))
    return render(request, "selfservice/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    django_logout(request)
    return redirect("selfservice:login")


@supervisee_required
@require_GET
def home(request: SuperviseeRequest) -> HttpResponse:
    return render(
        request,
        "selfservice/home.html",
        {
            "supervisee": request.supervisee,
            "summary": home_summary(request.supervisee),
            "today": timezone.localdate(),
            "vapid_public_key": public_key(),
            "home_cards": home_cards(request),
        },
    )


def home_cards(request: SuperviseeRequest) -> list[dict[str, object]]:
    """Cards other apps put on the home page: AppConfig `app_home_cards` = "module:function" taking the request
    and returning a list of {"template": ..., ...context} (e.g. the courses due from the learning app)."""
    from django.apps import apps

    from zhengtu.workspace.registry import load_callable

    cards: list[dict[str, object]] = []
    for config in apps.get_app_configs():
        if dotted := getattr(config, "app_home_cards", None):
            cards.extend(load_callable(dotted)(request))
    return cards


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when a page is neither reachable nor cached."""
    return render(request, "selfservice/offline.html")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static(f"selfservice/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    icons.append(
        {
            "src": static("selfservice/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    data = {
        "name": _("Zhengtu self-service"),
        "short_name": _("Zhengtu"),
        "lang": "zh-CN",
        "start_url": resolve_url("selfservice:home"),
        "scope": "/app/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f5f7fa",
        "theme_color": "#1d4e89",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /app/ (not /static/) so that its scope covers the whole app."""
    response = render(
        request,
        "selfservice/sw.js",
        {
            "version": settings.ZHENGTU_APP_VERSION,
            "precache": [
                resolve_url("selfservice:offline"),
                static("selfservice/app.css"),
                static("selfservice/app.js"),
                static("selfservice/queue.js"),
                static("selfservice/camera.js"),
                static("selfservice/icons/icon-192.png"),
            ],
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/app/"
    response["Cache-Control"] = "no-cache"
    return response
