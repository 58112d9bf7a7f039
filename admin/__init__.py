"""Staff admin pages under `/admin` of `familybot serve`, in French and English.

Server-rendered HTML (Jinja2, autoescaped), one stylesheet, no JavaScript.

Stable API for pages added by other modules
-------------------------------------------
- `admin.app.admin_app(settings, dialogue) -> FastAPI`: the admin app, mounted by
  `bot.server.create_app` with ``app.mount("/admin", admin_app(settings, dialogue))``.
  Add a router with one ``app.include_router(...)`` line in `admin/app.py`.
- `admin.web.require_role("editor" | "reviewer" | "admin")`: FastAPI dependency that
  returns the signed-in `admin.auth.Staff` (`.id`, `.email`, `.role`, `.language`,
  `.actor` for the audit log, `.can(role)`); redirects to the login page when nobody is
  signed in, answers 403 when the role is too small.
- `admin.web.render(request, "page.html", status_code=200, **values)`: renders a
  template from `admin/templates/` (extend `base.html`, fill `{% block title %}` and
  `{% block content %}`). Templates get `_` (gettext), `user`, `lang`, `url(path)`,
  `csrf_field()`, and show `notice` / `error` values as messages at the top.
- CSRF: put `{{ csrf_field() }}` in every `<form method="post">`; every POST of the
  admin app is checked automatically (`admin.csrf.check_csrf`).
- `admin.web.context(request)`: the `AdminContext` with `.settings`, `.dialogue`, `.engine`.
- `admin.web.redirect(request, "/path")`: a 303 redirect inside the admin app.
- Audit: `resources_db.store.audit(session, staff.actor, action, entity_type, entity_id,
  field, old, new)`.
- Messages: mark Python strings with `admin.i18n.N_`, write `_("...")` in templates,
  and add the French translation to `admin/locales/fr/LC_MESSAGES/admin.po` (see README).
"""
