"""What every app may build on: no models, no imports of other Brugwerk apps (the bottom layer of
`.importlinter`).

- `http`: the region of the request (`region_or_404`, `request_region`), `require` (404 unless
  allowed), `refused_as_missing` (a `PermissionDenied` answered as 404), `render_page_or_fragment`
  (htmx), `require_recent_password`;
- `pages`: `run_form` (a form through a service: its errors on the form, a refusal as 404),
  `render_form` and `form_page` (the form page, `core/form_page.html`);
- `forms`: key-checked choice fields and `ModelForm`, widgets (`DateInput`, `TimeInput`,
  `ChoiceCards`, `CheckboxCards`), `model_values`, `add_service_errors`;
- `services`: the checks every service shares (`full_clean`, `raise_if`, `check_region`, `locked`, ...);
- `dates`: `today`, `start_of`, working days;
- `mail`: templated mail and the base URL;
- `timeuse`: the words of the time contract (`Pillar`, `TimeSpent`, `TimeScope`);
- templates: `core/form_page.html`, `core/partials/breadcrumbs.html`, `core/partials/pagination.html`.
"""
