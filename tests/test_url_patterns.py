"""Every named URL answers to its own view: two apps claiming the same path hide one of them."""

from django.urls import get_resolver, resolve, reverse

from .test_permission_matrix import all_url_names, url_parameters

SAMPLE = {"pk": 1, "token": "x", "version": 1}


def test_every_named_url_resolves_back_to_its_own_name():
    clashes = []
    for name in all_url_names(get_resolver()):
        if name.startswith("admin:") or name.startswith("<unnamed"):
            continue
        params = url_parameters(name)
        if not params <= set(SAMPLE):
            continue
        try:
            path = reverse(name, kwargs={p: SAMPLE[p] for p in params})
        except Exception:  # noqa: S112 (a pattern with converters this sample does not fit)
            continue
        match = resolve(path)
        if match.view_name != name:
            clashes.append(f"{path}: {name} is hidden by {match.view_name}")
    assert clashes == []
